/* source.h: frames in: capture files (pcap, pcapng) and live interfaces (libpcap). */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

G_BEGIN_DECLS

#define PEEL_CAPTURE_ERROR (peel_capture_error_quark())
GQuark peel_capture_error_quark(void);

typedef enum {
    PEEL_CAPTURE_ERROR_OPEN,    /* the file or interface cannot be opened */
    PEEL_CAPTURE_ERROR_FORMAT,  /* not a capture file we know */
    PEEL_CAPTURE_ERROR_CORRUPT, /* a record or block is damaged: reading stops there */
    PEEL_CAPTURE_ERROR_READ,    /* an I/O error */
    PEEL_CAPTURE_ERROR_FILTER,  /* a capture (BPF) filter that does not compile */
    PEEL_CAPTURE_ERROR_WRITE,   /* writing a capture file failed */
    PEEL_CAPTURE_ERROR_LIVE,    /* a live capture failed while running */
} PeelCaptureError;

/* One frame as a source hands it over. data and comment are borrowed: valid until the
 * next call on the same source. */
typedef struct {
    uint32_t number;   /* 1-based, in file order */
    int64_t ts_sec;    /* seconds since the epoch */
    uint32_t ts_nsec;  /* nanoseconds, 0..999999999, whatever the file's resolution */
    uint32_t cap_len;  /* bytes held in data */
    uint32_t orig_len; /* length on the wire */
    uint32_t iface;    /* interface index within the file (pcapng IDB order; 0 for pcap) */
    int linktype;      /* LINKTYPE_* of that interface */
    uint64_t offset;   /* file offset of the record or block, for peel_source_read_at() */
    const uint8_t *data;
    const char *comment; /* pcapng opt_comment (first one), NUL-terminated, or NULL */
    bool no_ts;          /* the record has no timestamp (pcapng SPB): ts_* are 0 */
} PeelFrame;

typedef struct {
    int linktype;
    uint32_t snaplen;
    const char *name;        /* if_name, or NULL */
    const char *description; /* if_description, or NULL */
    uint8_t ts_digits;       /* decimal places the timestamps carry: 6, 9, ... (tshark shows
                                times with this precision) */
} PeelInterface;

typedef enum {
    PEEL_FILE_PCAP,
    PEEL_FILE_PCAPNG,
    PEEL_FILE_LIVE,
} PeelSourceKind;

typedef struct PeelSource PeelSource;

/* Opens a pcap (micro- or nanosecond, either byte order) or pcapng file; "-" is stdin (no
 * random access then). Returns NULL with PEEL_CAPTURE_ERROR set when the file cannot be
 * opened or is not a capture file; that message starts with the path ("x.pcap: file is
 * empty"). pcapng interfaces appear as their IDBs are read. */
PeelSource *peel_source_open_file(const char *path, GError **error);

typedef struct {
    int snaplen;         /* 0: 262144 */
    bool promiscuous;    /* tshark's default is on; -p turns it off */
    const char *filter;  /* BPF capture filter or NULL */
    int buffer_ms;       /* libpcap read timeout; 0: 100 */
} PeelLiveOptions;

/* Opens a live interface ("any" too) with libpcap. NULL and an error when it cannot be
 * opened or the filter does not compile (PEEL_CAPTURE_ERROR_FILTER, libpcap's text). */
PeelSource *peel_source_open_live(const char *iface, const PeelLiveOptions *opt,
        GError **error);

/* Reads the next frame. Returns 1 with *frame filled, 0 at the end (of file, or after
 * peel_source_break() on a live source), -1 on a corrupt record or read failure with
 * error set: the message names the frame number ("frame 17: truncated record (header
 * says 1514 bytes, 300 left)"); the caller prints "peel: FILE: MESSAGE". */
int peel_source_next(PeelSource *src, PeelFrame *frame, GError **error);

/* Re-reads the frame whose record starts at offset (from PeelFrame.offset), giving it
 * number `number`. Files only; FALSE with an error otherwise. */
bool peel_source_read_at(PeelSource *src, uint64_t offset, uint32_t number, PeelFrame *frame,
        GError **error);

PeelSourceKind peel_source_kind(const PeelSource *src);
const char *peel_source_path(const PeelSource *src);
guint peel_source_n_interfaces(const PeelSource *src);
/* Interfaces in file order (for pcapng: every IDB read so far, numbered across sections;
 * PeelFrame.iface indexes this list). NULL when i is out of range. */
const PeelInterface *peel_source_interface(const PeelSource *src, guint i);

/* pcapng: the section (0-based) that interface i belongs to and its index within that
 * section, the number EPBs use and the one tshark 4.0 prints as frame.interface_id. Always
 * section 0 and local id i for pcap and live sources. FALSE when i is out of range. */
bool peel_source_interface_section(const PeelSource *src, guint i, guint *section, guint *local_id);

/* Stops a live source: the next peel_source_next() returns 0. Safe from a signal handler
 * or another thread (pcap_breakloop()). A no-op for files. */
void peel_source_break(PeelSource *src);

/* Live sources: packets received and dropped by the kernel, as pcap_stats(). */
bool peel_source_stats(PeelSource *src, uint64_t *received, uint64_t *dropped);

void peel_source_close(PeelSource *src);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(PeelSource, peel_source_close)

/* Link-type name ("EN10MB") and description ("Ethernet") through libpcap; a
 * "LINKTYPE_<n>" style fallback for unknown values. Static strings. */
const char *peel_linktype_name(int linktype);
const char *peel_linktype_description(int linktype);

/* Prints the interfaces libpcap can capture on, as `tshark -D` does ("1. eth0"). */
bool peel_list_interfaces(GString *out, GError **error);

G_END_DECLS
