/* source-private.h: the PeelSource struct shared by the file and live back ends. */
#pragma once

#include "source.h"

#include <signal.h>

G_BEGIN_DECLS

/* Largest captured length a record may claim (D-Bus and USB captures legitimately exceed
 * 262144; nothing sane comes near this). Bigger claims are a corrupt record, so a hostile
 * file can never make us allocate more than this for one frame. */
#define PEEL_SOURCE_MAX_RECORD (256u * 1024 * 1024)

/* One interface with the strings PeelInterface points to and, for pcapng, how to turn its
 * timestamps into seconds and nanoseconds. */
typedef struct {
    PeelInterface pub;
    char *name;
    char *description;
    uint32_t section;  /* pcapng section (0-based) the IDB belongs to */
    uint32_t local_id; /* index within that section, as EPBs refer to it */
    bool ts_pow2;      /* if_tsresol: units are 2^-ts_exp s, else 10^-ts_exp s */
    uint8_t ts_exp;    /* 6 (microseconds) unless if_tsresol says otherwise */
    int64_t ts_offset; /* if_tsoffset, seconds */
} PeelSourceIface;

typedef struct PeelFileState PeelFileState;
typedef struct PeelLiveState PeelLiveState;

struct PeelSource {
    PeelSourceKind kind;
    char *path;
    GPtrArray *ifaces; /* PeelSourceIface *, owned; grows as pcapng IDBs are read */
    volatile sig_atomic_t broken;
    PeelFileState *file;
    PeelLiveState *live;
};

PeelSource *peel_source_new(PeelSourceKind kind, const char *path);
PeelSourceIface *peel_source_add_iface(PeelSource *src, int linktype, uint32_t snaplen);

/* Back ends, dispatched from source.c. */
int peel_source_file_next(PeelSource *src, PeelFrame *frame, GError **error);
bool peel_source_file_read_at(
        PeelSource *src, uint64_t offset, uint32_t number, PeelFrame *frame, GError **error);
void peel_source_file_free(PeelFileState *file);

int peel_source_live_next(PeelSource *src, PeelFrame *frame, GError **error);
void peel_source_live_break(PeelSource *src);
bool peel_source_live_stats(PeelSource *src, uint64_t *received, uint64_t *dropped);
void peel_source_live_free(PeelLiveState *live);

/* LINKTYPE_* (files) to DLT_* (libpcap handles) and back. */
int peel_linktype_to_dlt(int linktype);
int peel_dlt_to_linktype(int dlt);

G_END_DECLS
