/* source-file.c: our own pcap and pcapng reader (draft-ietf-opsawg-pcap and
 * draft-ietf-opsawg-pcapng), sequential through one reusable buffer, random access by
 * offset with pread(). */
#include "source.h"

#include "source-private.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <limits.h>
#include <zlib.h>

#define READ_CHUNK       (1u << 20) /* first buffer size; grows only for larger records */
#define PCAP_HDR_LEN     24
#define PCAPNG_MAX_BLOCK (PEEL_SOURCE_MAX_RECORD + (1u << 20)) /* record plus options */

enum {
    BT_SHB = 0x0a0d0d0a,
    BT_IDB = 0x00000001,
    BT_PB = 0x00000002, /* obsolete Packet Block */
    BT_SPB = 0x00000003,
    BT_EPB = 0x00000006,
    BOM = 0x1a2b3c4d,
};

enum {
    OPT_ENDOFOPT = 0,
    OPT_COMMENT = 1,
    IF_NAME = 2,
    IF_DESCRIPTION = 3,
    IF_TSRESOL = 9,
    IF_TSOFFSET = 14,
};

/* A pcapng section: where it starts, its byte order, and its interfaces, which are
 * ifaces[first_iface .. first_iface + n_ifaces - 1] of the source. */
typedef struct {
    uint64_t start;
    bool swap;
    guint first_iface;
    guint n_ifaces;
} Section;

struct PeelFileState {
    int fd;
    bool seekable;
    gzFile gz;        /* a gzip-compressed file: sequential reads go through zlib */
    gzFile gz_at;     /* ...and random access through a second handle, opened on demand */
    char *path;
    bool done; /* end of file reached or an error reported: next() returns 0 */

    /* pcap */
    bool swap;          /* file byte order differs from ours (pcapng: current section) */
    bool nsec;          /* nanosecond pcap */
    size_t rec_hdr_len; /* 16, or 24 for the Kuznetsov "modified" format */
    int linktype;

    /* the read buffer: bytes [pos, end) of buf are file bytes [buf_off + pos, ...) */
    uint8_t *buf;
    size_t cap;
    size_t pos;
    size_t end;
    uint64_t buf_off;
    bool eof;

    uint32_t next_number;
    GArray *sections; /* Section, pcapng only */

    uint8_t *at_buf; /* peel_source_read_at()'s own buffer */
    size_t at_cap;
    GString *comment;
};

/* ---- byte order ---- */

static inline uint16_t
get16(const uint8_t *p, bool swap)
{
    uint16_t v;
    memcpy(&v, p, sizeof v);
    return swap ? GUINT16_SWAP_LE_BE(v) : v;
}

static inline uint32_t
get32(const uint8_t *p, bool swap)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return swap ? GUINT32_SWAP_LE_BE(v) : v;
}

static inline uint64_t
get64(const uint8_t *p, bool swap)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return swap ? GUINT64_SWAP_LE_BE(v) : v;
}

/* Set error; fail() returns FALSE for bool functions, failn() -1 for int ones. */
static void vfail(GError **error, int code, const char *fmt, va_list ap) G_GNUC_PRINTF(3, 0);
static bool fail(GError **error, int code, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static int failn(GError **error, int code, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

static void
vfail(GError **error, int code, const char *fmt, va_list ap)
{
    char *msg = g_strdup_vprintf(fmt, ap);
    g_set_error_literal(error, PEEL_CAPTURE_ERROR, code, msg);
    g_free(msg);
}

static bool
fail(GError **error, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(error, code, fmt, ap);
    va_end(ap);
    return false;
}

static int
failn(GError **error, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(error, code, fmt, ap);
    va_end(ap);
    return -1;
}

/* ---- the read buffer ---- */

/* Grows the buffer so that `need` bytes fit from buf[0], after moving the unread bytes
 * there. On a regular file it never grows past what the file still holds, so a record
 * that claims more than the file has costs no memory: the caller sees a short read. */
static void
buf_make_room(PeelFileState *f, size_t need)
{
    size_t avail = f->end - f->pos;
    if (f->pos > 0) {
        memmove(f->buf, f->buf + f->pos, avail);
        f->buf_off += f->pos;
        f->end = avail;
        f->pos = 0;
    }
    if (need <= f->cap)
        return;
    struct stat st;
    if (f->seekable && f->gz == NULL && fstat(f->fd, &st) == 0 &&
            (uint64_t)st.st_size >= f->buf_off) {
        uint64_t left = (uint64_t)st.st_size - f->buf_off;
        if (left < need)
            need = MAX((size_t)left, avail);
    }
    if (need <= f->cap)
        return;
    size_t cap = MAX(need, MIN(f->cap * 2, (size_t)PCAPNG_MAX_BLOCK));
    f->buf = g_realloc(f->buf, cap);
    f->cap = cap;
}

/* Makes at least `need` bytes readable at buf + pos. Returns how many are (fewer than
 * `need` only at the end of the file), or -1 with error set when read() fails. */
static gssize
buf_fill(PeelFileState *f, size_t need, GError **error)
{
    if (G_LIKELY(f->end - f->pos >= need))
        return (gssize)(f->end - f->pos);
    if (f->eof)
        return (gssize)(f->end - f->pos);
    if (need > f->cap - f->pos)
        buf_make_room(f, need);
    while (f->end - f->pos < need && f->end < f->cap) {
        size_t want = MIN(f->cap - f->end, (size_t)INT_MAX);
        ssize_t n = f->gz != NULL ? (ssize_t)gzread(f->gz, f->buf + f->end, (unsigned)want)
                                  : read(f->fd, f->buf + f->end, want);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            fail(error, PEEL_CAPTURE_ERROR_READ, "%s", g_strerror(errno));
            return -1;
        }
        if (n == 0) {
            f->eof = true;
            break;
        }
        f->end += (size_t)n;
    }
    return (gssize)(f->end - f->pos);
}

/* Reads exactly len bytes at offset into the read_at buffer. */
/* Random access into a gzip file: seek the second handle (zlib re-inflates from the
 * start when going backwards) and read. */
static const uint8_t *
at_read_gz(PeelFileState *f, uint64_t offset, size_t len, size_t *got, GError **error)
{
    if (f->gz_at == NULL && (f->gz_at = gzopen(f->path, "rb")) == NULL) {
        fail(error, PEEL_CAPTURE_ERROR_READ, "%s", g_strerror(errno));
        return NULL;
    }
    if (len > PCAPNG_MAX_BLOCK)
        len = PCAPNG_MAX_BLOCK;
    if (len > f->at_cap) {
        f->at_buf = g_realloc(f->at_buf, len);
        f->at_cap = len;
    }
    if (gzseek(f->gz_at, (z_off_t)offset, SEEK_SET) < 0) {
        fail(error, PEEL_CAPTURE_ERROR_READ, "cannot seek in the compressed file");
        return NULL;
    }
    int n = gzread(f->gz_at, f->at_buf, (unsigned)len);
    if (n < 0) {
        fail(error, PEEL_CAPTURE_ERROR_READ, "corrupt gzip data");
        return NULL;
    }
    *got = (size_t)n;
    return f->at_buf;
}

static const uint8_t *
at_read(PeelFileState *f, uint64_t offset, size_t len, size_t *got, GError **error)
{
    if (f->gz != NULL)
        return at_read_gz(f, offset, len, got, error);
    struct stat st;
    if (len > f->at_cap && fstat(f->fd, &st) == 0 && (uint64_t)st.st_size >= offset)
        len = (size_t)MIN((uint64_t)len, (uint64_t)st.st_size - offset);
    if (len > f->at_cap) {
        f->at_buf = g_realloc(f->at_buf, len);
        f->at_cap = len;
    }
    size_t done = 0;
    while (done < len) {
        ssize_t n = pread(f->fd, f->at_buf + done, len - done, (off_t)(offset + done));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            fail(error, PEEL_CAPTURE_ERROR_READ, "%s", g_strerror(errno));
            return NULL;
        }
        if (n == 0)
            break;
        done += (size_t)n;
    }
    *got = done;
    return f->at_buf;
}

/* ---- timestamps ---- */

static const uint64_t pow10_table[20] = { 1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull,
    1000000ull, 10000000ull, 100000000ull, 1000000000ull, 10000000000ull, 100000000000ull,
    1000000000000ull, 10000000000000ull, 100000000000000ull, 1000000000000000ull,
    10000000000000000ull, 100000000000000000ull, 1000000000000000000ull, 10000000000000000000ull };

/* A pcapng timestamp in the interface's units to seconds and nanoseconds. */
static void
ts_convert(const PeelSourceIface *iface, uint64_t ts, PeelFrame *frame)
{
    uint64_t sec, nsec;
    unsigned e = iface->ts_exp;
    if (iface->ts_pow2) {
        sec = ts >> e;
        uint64_t frac = ts & ((UINT64_C(1) << e) - 1);
        /* frac * 10^9 must stay below 2^64: drop low bits first for fine resolutions */
        if (e <= 34)
            nsec = (frac * 1000000000u) >> e;
        else
            nsec = ((frac >> (e - 34)) * 1000000000u) >> 34;
    } else {
        uint64_t units = pow10_table[e];
        sec = ts / units;
        uint64_t frac = ts % units;
        nsec = e <= 9 ? frac * pow10_table[9 - e] : frac / pow10_table[e - 9];
    }
    /* unsigned sum: a hostile offset may wrap, but must not be undefined */
    frame->ts_sec = (int64_t)(sec + (uint64_t)iface->ts_offset);
    frame->ts_nsec = (uint32_t)nsec;
}

/* ---- pcap ---- */

/*
 * Record header (pcap), in the file's byte order; the Kuznetsov "modified" format adds
 * if_index (4), protocol (2), pkt_type (1) and a pad byte.
 *
 *  0               4               8               12              16
 *  +---------------+---------------+---------------+---------------+
 *  |   ts_sec      | ts_usec/nsec  |   incl_len    |   orig_len    |
 *  +---------------+---------------+---------------+---------------+
 */
static bool
pcap_parse(PeelSource *src, const uint8_t *h, size_t avail, PeelFrame *frame, GError **error)
{
    PeelFileState *f = src->file;
    size_t hl = f->rec_hdr_len;
    if (avail < hl)
        return fail(error, PEEL_CAPTURE_ERROR_CORRUPT,
                "truncated record header (%zu bytes expected, %zu left)", hl, avail);
    uint32_t caplen = get32(h + 8, f->swap);
    if (caplen > PEEL_SOURCE_MAX_RECORD)
        return fail(error, PEEL_CAPTURE_ERROR_CORRUPT,
                "record length %u is larger than the %u bytes a record may hold", caplen,
                PEEL_SOURCE_MAX_RECORD);
    if (avail - hl < caplen)
        return fail(error, PEEL_CAPTURE_ERROR_CORRUPT,
                "truncated record (header says %u bytes, %zu left)", caplen, avail - hl);

    /* A fraction past one second (tcpdump's timestamp_invalid_* tests) is carried into
     * the seconds so that ts_nsec stays below 10^9. */
    uint64_t sec = get32(h, f->swap);
    uint32_t frac = get32(h + 4, f->swap);
    uint32_t per_sec = f->nsec ? 1000000000u : 1000000u;
    if (G_UNLIKELY(frac >= per_sec)) {
        sec += frac / per_sec;
        frac %= per_sec;
    }
    frame->ts_sec = (int64_t)sec;
    frame->ts_nsec = f->nsec ? frac : frac * 1000u;
    frame->cap_len = caplen;
    frame->orig_len = get32(h + 12, f->swap);
    frame->iface = 0;
    frame->linktype = f->linktype;
    frame->data = h + hl;
    frame->comment = NULL;
    frame->no_ts = false;
    return true;
}

static int
pcap_next(PeelSource *src, PeelFrame *frame, GError **error)
{
    PeelFileState *f = src->file;
    gssize avail = buf_fill(f, f->rec_hdr_len, error);
    if (avail <= 0)
        return (int)avail;
    /* the record's data follows its header: make both readable */
    if ((size_t)avail >= f->rec_hdr_len) {
        uint32_t caplen = get32(f->buf + f->pos + 8, f->swap);
        if (caplen <= PEEL_SOURCE_MAX_RECORD) {
            avail = buf_fill(f, f->rec_hdr_len + caplen, error);
            if (avail < 0)
                return -1;
        }
    }
    frame->offset = f->buf_off + f->pos;
    if (!pcap_parse(src, f->buf + f->pos, (size_t)avail, frame, error))
        return -1;
    f->pos += f->rec_hdr_len + frame->cap_len;
    return 1;
}

static bool
pcap_read_at(PeelSource *src, uint64_t offset, PeelFrame *frame, GError **error)
{
    PeelFileState *f = src->file;
    size_t got;
    const uint8_t *h = at_read(f, offset, f->rec_hdr_len, &got, error);
    if (h == NULL)
        return false;
    if (got == f->rec_hdr_len) {
        uint32_t caplen = get32(h + 8, f->swap);
        if (caplen <= PEEL_SOURCE_MAX_RECORD) {
            h = at_read(f, offset, f->rec_hdr_len + caplen, &got, error);
            if (h == NULL)
                return false;
        }
    }
    frame->offset = offset;
    return pcap_parse(src, h, got, frame, error);
}

/*
 * File header (pcap):
 *
 *  0       4   6   8       12      16      20      24
 *  +-------+---+---+-------+-------+-------+-------+
 *  | magic |maj|min|thiszn |sigfigs|snaplen|network|
 *  +-------+---+---+-------+-------+-------+-------+
 *
 * network: link type in the low 16 bits; bits 16-25 reserved (must be 0); bit 26 says
 * the top 4 bits give an FCS length.
 */
static bool
pcap_open(PeelSource *src, uint32_t magic, GError **error)
{
    PeelFileState *f = src->file;
    gssize avail = buf_fill(f, PCAP_HDR_LEN, error);
    if (avail < 0)
        return false;
    if (avail < PCAP_HDR_LEN)
        return fail(error, PEEL_CAPTURE_ERROR_FORMAT,
                "truncated pcap file header (%d bytes expected, %zd found)", PCAP_HDR_LEN, avail);
    switch (magic) {
    case 0xa1b2c3d4:
    case 0xa1b23c4d:
    case 0xa1b2cd34:
        f->swap = false;
        break;
    default:
        f->swap = true;
        magic = GUINT32_SWAP_LE_BE(magic);
        break;
    }
    f->nsec = magic == 0xa1b23c4d;
    f->rec_hdr_len = magic == 0xa1b2cd34 ? 24 : 16;

    const uint8_t *h = f->buf + f->pos;
    uint16_t major = get16(h + 4, f->swap);
    uint16_t minor = get16(h + 6, f->swap);
    uint32_t snaplen = get32(h + 16, f->swap);
    uint32_t network = get32(h + 20, f->swap);
    if (major < 2) /* as Wireshark: 1.x predates the format we know */
        return fail(
                error, PEEL_CAPTURE_ERROR_FORMAT, "unsupported pcap version %u.%u", major, minor);
    if (network & 0x03ff0000u)
        return fail(error, PEEL_CAPTURE_ERROR_FORMAT,
                "link-type field has reserved bits set (0x%08x)", network & 0x03ff0000u);
    f->linktype = (int)(network & 0xffffu);
    PeelSourceIface *iface = peel_source_add_iface(src, f->linktype, snaplen);
    iface->pub.ts_digits = f->nsec ? 9 : 6;
    f->pos += PCAP_HDR_LEN;
    return true;
}

/* ---- pcapng ---- */

/* Walks the options of a block: code, value and its length, in turn. */
typedef struct {
    const uint8_t *p;
    size_t left;
    bool swap;
} OptIter;

/* Returns 1 with an option, 0 at opt_endofopt or the end, -1 when an option's value runs
 * past the end of the block. */
static int
opt_next(OptIter *it, uint16_t *code, const uint8_t **value, uint16_t *len)
{
    if (it->left < 4)
        return 0;
    *code = get16(it->p, it->swap);
    *len = get16(it->p + 2, it->swap);
    if (*code == OPT_ENDOFOPT)
        return 0;
    if (*len > it->left - 4)
        return -1;
    *value = it->p + 4;
    size_t step = 4 + (((size_t)*len + 3) & ~(size_t)3);
    step = MIN(step, it->left); /* tolerate missing padding after the last option */
    it->p += step;
    it->left -= step;
    return 1;
}

static Section *
section_current(PeelFileState *f)
{
    return &g_array_index(f->sections, Section, f->sections->len - 1);
}

/* Section Header Block: byte-order magic, version 1.0 (1.2 written by some libpcap
 * versions is read the same way), section length, options. */
static bool
ng_shb(PeelSource *src, const uint8_t *b, uint32_t len, uint64_t offset, GError **error)
{
    PeelFileState *f = src->file;
    if (len < 28)
        return fail(error, PEEL_CAPTURE_ERROR_CORRUPT, "block length %u is shorter than its header",
                len);
    uint16_t major = get16(b + 12, f->swap);
    uint16_t minor = get16(b + 14, f->swap);
    if (major != 1 || (minor != 0 && minor != 2))
        return fail(
                error, PEEL_CAPTURE_ERROR_FORMAT, "unsupported pcapng version %u.%u", major, minor);
    OptIter it = { b + 24, len - 28, f->swap };
    uint16_t code, olen;
    const uint8_t *value;
    int r;
    while ((r = opt_next(&it, &code, &value, &olen)) > 0)
        ;
    if (r < 0)
        return fail(error, PEEL_CAPTURE_ERROR_CORRUPT,
                "section header option of length %u runs past the end of its block", olen);
    Section s = { offset, f->swap, src->ifaces->len, 0 };
    g_array_append_val(f->sections, s);
    return true;
}

/* Interface Description Block: link type, snaplen, options. */
static bool
ng_idb(PeelSource *src, const uint8_t *b, uint32_t len, GError **error)
{
    PeelFileState *f = src->file;
    if (len < 20)
        return fail(error, PEEL_CAPTURE_ERROR_CORRUPT, "block length %u is shorter than its header",
                len);
    Section *sec = section_current(f);
    PeelSourceIface *iface =
            peel_source_add_iface(src, get16(b + 8, f->swap), get32(b + 12, f->swap));
    iface->section = f->sections->len - 1;
    iface->local_id = sec->n_ifaces++;

    OptIter it = { b + 16, len - 20, f->swap };
    uint16_t code, olen;
    const uint8_t *value;
    int r;
    while ((r = opt_next(&it, &code, &value, &olen)) > 0) {
        switch (code) {
        case IF_NAME:
            if (iface->name == NULL)
                iface->pub.name = iface->name = g_strndup((const char *)value, olen);
            break;
        case IF_DESCRIPTION:
            if (iface->description == NULL)
                iface->pub.description = iface->description = g_strndup((const char *)value, olen);
            break;
        case IF_TSRESOL:
            /* 10^-v, or 2^-v with the top bit set; larger exponents cannot be held in
             * 64-bit units and are ignored */
            if (olen >= 1) {
                bool pow2 = value[0] & 0x80;
                uint8_t e = value[0] & 0x7f;
                if (pow2 ? e <= 63 : e <= 19) {
                    iface->ts_pow2 = pow2;
                    iface->ts_exp = e;
                    /* 2^-e: as many decimals as needed to tell ticks apart, at most 9 */
                    iface->pub.ts_digits = pow2 ? (uint8_t)MIN(9, (e * 3 + 9) / 10)
                                                : (uint8_t)MIN(9, e);
                }
            }
            break;
        case IF_TSOFFSET:
            if (olen >= 8)
                iface->ts_offset = (int64_t)get64(value, f->swap);
            break;
        default:
            break;
        }
    }
    if (r < 0)
        return fail(error, PEEL_CAPTURE_ERROR_CORRUPT,
                "interface option of length %u runs past the end of its block", olen);
    return true;
}

static const PeelSourceIface *
ng_iface(PeelSource *src, const Section *sec, uint32_t id, GError **error)
{
    if (id >= sec->n_ifaces) {
        fail(error, PEEL_CAPTURE_ERROR_CORRUPT,
                "packet refers to interface %u, but its section describes %u", id, sec->n_ifaces);
        return NULL;
    }
    return g_ptr_array_index(src->ifaces, sec->first_iface + id);
}

/* The options after a packet's data: the first opt_comment becomes frame->comment. */
static bool
ng_packet_options(PeelFileState *f, const Section *sec, const uint8_t *p, size_t left,
        PeelFrame *frame, GError **error)
{
    OptIter it = { p, left, sec->swap };
    uint16_t code, olen;
    const uint8_t *value;
    int r;
    while ((r = opt_next(&it, &code, &value, &olen)) > 0) {
        if (code == OPT_COMMENT && frame->comment == NULL) {
            g_string_truncate(f->comment, 0);
            g_string_append_len(f->comment, (const char *)value, olen);
            frame->comment = f->comment->str;
        }
    }
    if (r < 0)
        return fail(error, PEEL_CAPTURE_ERROR_CORRUPT,
                "packet option of length %u runs past the end of its block", olen);
    return true;
}

/*
 * Enhanced Packet Block (type 6) and the obsolete Packet Block (type 2), whose first word
 * is a 16-bit interface id and a drop count:
 *
 *  0       4       8       12      16      20      24      28
 *  +-------+-------+-------+-------+-------+-------+-------+------ ... -+-------+------+
 *  | type  | len   | iface | ts hi | ts lo |caplen |origlen| data, padded| opts  | len  |
 *  +-------+-------+-------+-------+-------+-------+-------+------ ... -+-------+------+
 *
 * Simple Packet Block (type 3): type, len, origlen, data, len; interface 0, no time.
 */
static int
ng_packet(PeelSource *src, const Section *sec, uint32_t type, const uint8_t *b, uint32_t len,
        PeelFrame *frame, GError **error)
{
    PeelFileState *f = src->file;
    bool swap = sec->swap;
    const PeelSourceIface *iface;
    frame->comment = NULL;
    if (type == BT_SPB) {
        if (len < 16)
            return failn(error, PEEL_CAPTURE_ERROR_CORRUPT,
                    "block length %u is shorter than its header", len);
        if ((iface = ng_iface(src, sec, 0, error)) == NULL)
            return -1;
        uint32_t origlen = get32(b + 8, swap);
        uint32_t caplen = MIN(origlen, len - 16);
        if (iface->pub.snaplen != 0)
            caplen = MIN(caplen, iface->pub.snaplen);
        frame->ts_sec = 0;
        frame->ts_nsec = 0;
        frame->no_ts = true;
        frame->cap_len = caplen;
        frame->orig_len = origlen;
        frame->data = b + 12;
    } else {
        if (len < 32)
            return failn(error, PEEL_CAPTURE_ERROR_CORRUPT,
                    "block length %u is shorter than its header", len);
        uint32_t id = type == BT_PB ? get16(b + 8, swap) : get32(b + 8, swap);
        if ((iface = ng_iface(src, sec, id, error)) == NULL)
            return -1;
        uint32_t caplen = get32(b + 20, swap);
        if (caplen > len - 32)
            return failn(error, PEEL_CAPTURE_ERROR_CORRUPT,
                    "captured length %u runs past the end of its block (%u bytes of room)", caplen,
                    len - 32);
        uint64_t ts = (uint64_t)get32(b + 12, swap) << 32 | get32(b + 16, swap);
        ts_convert(iface, ts, frame);
        frame->no_ts = false;
        frame->cap_len = caplen;
        frame->orig_len = get32(b + 24, swap);
        frame->data = b + 28;
        size_t opts = 28 + (((size_t)caplen + 3) & ~(size_t)3);
        if (opts < len - 4 && !ng_packet_options(f, sec, b + opts, len - 4 - opts, frame, error))
            return -1;
    }
    frame->iface = sec->first_iface + iface->local_id;
    frame->linktype = iface->pub.linktype;
    return 1;
}

/* Checks a block's length field: at least the header and trailer, at most what we accept,
 * and all there; returns the bytes the block occupies. A length that is not a multiple of
 * 4 is damage, except in early NTAR files (wireshark-wiki/http.littleendian.ntar), whose
 * blocks are padded but whose length fields, header and trailer alike, leave the padding
 * out; Wireshark reads those, and so do we when the trailer agrees. */
static bool
ng_check_length(
        const uint8_t *b, uint32_t len, size_t avail, bool swap, uint32_t *size, GError **error)
{
    if (len < 12)
        return fail(error, PEEL_CAPTURE_ERROR_CORRUPT, "block length %u is shorter than its header",
                len);
    if (len > PCAPNG_MAX_BLOCK)
        return fail(error, PEEL_CAPTURE_ERROR_CORRUPT,
                "block length %u is larger than the %u bytes a block may hold", len,
                PCAPNG_MAX_BLOCK);
    uint32_t padded = (len + 3) & ~3u;
    if (avail < padded)
        return fail(error, PEEL_CAPTURE_ERROR_CORRUPT,
                "truncated block (header says %u bytes, %zu left)", len, avail);
    uint32_t trailer = get32(b + padded - 4, swap);
    if (len % 4 != 0 && trailer != len)
        return fail(
                error, PEEL_CAPTURE_ERROR_CORRUPT, "block length %u is not a multiple of 4", len);
    if (trailer != len)
        return fail(error, PEEL_CAPTURE_ERROR_CORRUPT,
                "block trailer length %u does not match the header's %u", trailer, len);
    *size = padded;
    return true;
}

/* Reads the next block and returns 1 when it is a packet, 0 when it is another block or
 * the end of the file (*end set), -1 on error. */
static int
ng_block(PeelSource *src, PeelFrame *frame, bool *end, GError **error)
{
    PeelFileState *f = src->file;
    gssize avail = buf_fill(f, 12, error);
    if (avail < 0)
        return -1;
    if (avail == 0) {
        *end = true;
        return 0;
    }
    if (avail < 8)
        return failn(error, PEEL_CAPTURE_ERROR_CORRUPT,
                "truncated block header (8 bytes expected, %zd left)", avail);
    const uint8_t *b = f->buf + f->pos;
    uint32_t type = get32(b, f->swap); /* the SHB type reads the same in both orders */
    if (type == BT_SHB && avail < 12)
        return failn(error, PEEL_CAPTURE_ERROR_CORRUPT,
                "truncated block header (12 bytes expected, %zd left)", avail);
    bool swap = f->swap;
    if (type == BT_SHB) {
        uint32_t bom = get32(b + 8, false);
        if (bom == BOM)
            swap = false;
        else if (bom == GUINT32_SWAP_LE_BE(BOM))
            swap = true;
        else
            return failn(error, PEEL_CAPTURE_ERROR_CORRUPT,
                    "section header has no byte-order magic (0x%08x)", bom);
    }
    uint32_t len = get32(b + 4, swap);
    if (len >= 12 && len <= PCAPNG_MAX_BLOCK) {
        avail = buf_fill(f, (len + 3) & ~3u, error);
        if (avail < 0)
            return -1;
        b = f->buf + f->pos;
    }
    if (!ng_check_length(b, len, (size_t)avail, swap, &len, error))
        return -1;

    uint64_t offset = f->buf_off + f->pos;
    int r = 0;
    switch (type) {
    case BT_SHB:
        f->swap = swap;
        r = ng_shb(src, b, len, offset, error) ? 0 : -1;
        break;
    case BT_IDB:
        r = ng_idb(src, b, len, error) ? 0 : -1;
        break;
    case BT_EPB:
    case BT_SPB:
    case BT_PB:
        frame->offset = offset;
        r = ng_packet(src, section_current(f), type, b, len, frame, error);
        break;
    default: /* NRB, ISB, DSB, custom and unknown blocks carry no frames */
        break;
    }
    if (r >= 0)
        f->pos += len;
    return r;
}

static int
pcapng_next(PeelSource *src, PeelFrame *frame, GError **error)
{
    for (;;) {
        bool end = false;
        int r = ng_block(src, frame, &end, error);
        if (r != 0 || end)
            return r;
    }
}

static bool
pcapng_read_at(PeelSource *src, uint64_t offset, PeelFrame *frame, GError **error)
{
    PeelFileState *f = src->file;
    /* the last section that starts before offset */
    const Section *sec = NULL;
    for (guint lo = 0, hi = f->sections->len; lo < hi;) {
        guint mid = lo + (hi - lo) / 2;
        const Section *s = &g_array_index(f->sections, Section, mid);
        if (s->start < offset) {
            sec = s;
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (sec == NULL)
        return fail(error, PEEL_CAPTURE_ERROR_READ,
                "offset %" G_GUINT64_FORMAT " is not a packet block", offset);
    size_t got;
    const uint8_t *b = at_read(f, offset, 8, &got, error);
    if (b == NULL)
        return false;
    if (got < 8)
        return fail(error, PEEL_CAPTURE_ERROR_CORRUPT,
                "truncated block header (8 bytes expected, %zu left)", got);
    uint32_t type = get32(b, sec->swap);
    uint32_t len = get32(b + 4, sec->swap);
    if (type != BT_EPB && type != BT_SPB && type != BT_PB)
        return fail(error, PEEL_CAPTURE_ERROR_READ,
                "offset %" G_GUINT64_FORMAT " is not a packet block", offset);
    if (len >= 12 && len <= PCAPNG_MAX_BLOCK) {
        b = at_read(f, offset, (len + 3) & ~3u, &got, error);
        if (b == NULL)
            return false;
    }
    if (!ng_check_length(b, len, got, sec->swap, &len, error))
        return false;
    frame->offset = offset;
    return ng_packet(src, sec, type, b, len, frame, error) == 1;
}

static bool
pcapng_open(PeelSource *src, GError **error)
{
    PeelFileState *f = src->file;
    f->sections = g_array_new(false, false, sizeof(Section));
    PeelFrame scratch;
    bool end = false;
    if (ng_block(src, &scratch, &end, error) < 0)
        return false;
    if (end || f->sections->len == 0) /* cannot happen: the magic was an SHB's */
        return fail(error, PEEL_CAPTURE_ERROR_FORMAT, "not a pcapng file");
    return true;
}

/* ---- the PeelSource entry points ---- */

void
peel_source_file_free(PeelFileState *f)
{
    if (f->gz != NULL)
        gzclose(f->gz);
    if (f->gz_at != NULL)
        gzclose(f->gz_at);
    g_free(f->path);
    if (f->fd > STDIN_FILENO)
        close(f->fd);
    g_free(f->buf);
    g_free(f->at_buf);
    if (f->sections != NULL)
        g_array_unref(f->sections);
    g_string_free(f->comment, true);
    g_free(f);
}

PeelSource *
peel_source_open_file(const char *path, GError **error)
{
    g_return_val_if_fail(path != NULL, NULL);
    bool is_stdin = strcmp(path, "-") == 0;
    int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        g_set_error(error, PEEL_CAPTURE_ERROR, PEEL_CAPTURE_ERROR_OPEN, "%s: %s", path,
                g_strerror(errno));
        return NULL;
    }
    g_autoptr(PeelSource) src = peel_source_new(PEEL_FILE_PCAP, path);
    PeelFileState *f = src->file = g_new0(PeelFileState, 1);
    f->fd = fd;
    f->path = g_strdup(path);
    f->comment = g_string_new(NULL);
    f->next_number = 1;
    struct stat st;
    f->seekable = !is_stdin && fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    if (f->seekable)
        posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    f->cap = READ_CHUNK;
    f->buf = g_malloc(f->cap);

    gssize avail = buf_fill(f, 12, error);
    if (avail < 0) {
        g_prefix_error(error, "%s: ", path);
        return NULL;
    }
    if (avail == 0) {
        g_set_error(
                error, PEEL_CAPTURE_ERROR, PEEL_CAPTURE_ERROR_FORMAT, "%s: file is empty", path);
        return NULL;
    }
    const uint8_t *b = f->buf;
    if (avail >= 2 && b[0] == 0x1f && b[1] == 0x8b && f->seekable) {
        /* gzip (as tshark reads capture.pcap.gz): start again through zlib */
        int gz_fd = dup(fd);
        if (gz_fd < 0 || lseek(gz_fd, 0, SEEK_SET) != 0 || (f->gz = gzdopen(gz_fd, "rb")) == NULL) {
            if (gz_fd >= 0)
                close(gz_fd);
            g_set_error(error, PEEL_CAPTURE_ERROR, PEEL_CAPTURE_ERROR_OPEN,
                    "%s: cannot read the gzip stream", path);
            return NULL;
        }
        f->pos = f->end = 0;
        f->buf_off = 0;
        f->eof = false;
        avail = buf_fill(f, 12, error);
        if (avail < 0) {
            g_prefix_error(error, "%s: ", path);
            return NULL;
        }
        b = f->buf;
    }
    uint32_t magic = avail >= 4 ? get32(b, false) : 0;
    bool ok;
    switch (magic) {
    case 0xa1b2c3d4:
    case 0xd4c3b2a1:
    case 0xa1b23c4d:
    case 0x4d3cb2a1:
    case 0xa1b2cd34:
    case 0x34cdb2a1:
        ok = pcap_open(src, magic, error);
        break;
    case BT_SHB:
        src->kind = PEEL_FILE_PCAPNG;
        ok = pcapng_open(src, error);
        break;
    default:
        if (f->gz != NULL)
            g_set_error(error, PEEL_CAPTURE_ERROR, PEEL_CAPTURE_ERROR_FORMAT,
                    "%s: gzip data that is not a pcap or pcapng file", path);
        else if (avail >= 2 && b[0] == 0x1f && b[1] == 0x8b)
            g_set_error(error, PEEL_CAPTURE_ERROR, PEEL_CAPTURE_ERROR_FORMAT,
                    "%s: gzip-compressed input on stdin: decompress it first", path);
        else
            g_set_error(error, PEEL_CAPTURE_ERROR, PEEL_CAPTURE_ERROR_FORMAT,
                    "%s: not a pcap or pcapng file", path);
        return NULL;
    }
    if (!ok) {
        g_prefix_error(error, "%s: ", path);
        return NULL;
    }
    return g_steal_pointer(&src);
}

int
peel_source_file_next(PeelSource *src, PeelFrame *frame, GError **error)
{
    PeelFileState *f = src->file;
    if (f->done)
        return 0;
    int r = src->kind == PEEL_FILE_PCAP ? pcap_next(src, frame, error)
                                        : pcapng_next(src, frame, error);
    if (G_LIKELY(r > 0)) {
        frame->number = f->next_number++;
        return 1;
    }
    f->done = true;
    if (r < 0)
        g_prefix_error(error, "frame %u: ", f->next_number);
    return r;
}

bool
peel_source_file_read_at(
        PeelSource *src, uint64_t offset, uint32_t number, PeelFrame *frame, GError **error)
{
    PeelFileState *f = src->file;
    if (!f->seekable)
        return fail(error, PEEL_CAPTURE_ERROR_READ,
                "frame %u: %s is not a regular file: no random access", number, src->path);
    bool ok = src->kind == PEEL_FILE_PCAP ? pcap_read_at(src, offset, frame, error)
                                          : pcapng_read_at(src, offset, frame, error);
    if (!ok) {
        g_prefix_error(error, "frame %u: ", number);
        return false;
    }
    frame->number = number;
    return true;
}
