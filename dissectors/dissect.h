/* dissect.h: the dissector API: field definitions, the per-packet field list, dispatch. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "reader.h"

/* ---- Field definitions (static, one table per protocol) ---- */

typedef enum {
    PEEL_FT_NONE,     /* a subtree label with no value */
    PEEL_FT_PROTOCOL, /* a protocol's own item */
    PEEL_FT_BOOLEAN,
    PEEL_FT_U8,
    PEEL_FT_U16,
    PEEL_FT_U24,
    PEEL_FT_U32,
    PEEL_FT_U64,
    PEEL_FT_I8,
    PEEL_FT_I16,
    PEEL_FT_I32,
    PEEL_FT_I64,
    PEEL_FT_DOUBLE,
    PEEL_FT_IPV4,
    PEEL_FT_IPV6,
    PEEL_FT_ETHER,
    PEEL_FT_BYTES,
    PEEL_FT_STRING,
    PEEL_FT_ABS_TIME,
    PEEL_FT_REL_TIME,
    PEEL_FT_FRAMENUM,
    PEEL_FT_N_TYPES
} PeelFieldType;

typedef enum {
    PEEL_SHOW_NONE,
    PEEL_SHOW_DEC,
    PEEL_SHOW_HEX,
    PEEL_SHOW_DEC_HEX, /* fields output prints decimal; the tree shows both */
    PEEL_SHOW_HEX_DEC, /* fields output prints hex; the tree shows both */
    PEEL_SHOW_OCT,
} PeelShow;

typedef struct {
    uint64_t value;
    const char *name;
} PeelValueName; /* arrays end with { 0, NULL } */

typedef struct {
    const char *name;  /* filter name, Wireshark's where it has one: "ip.src" */
    const char *title; /* display name: "Source Address" */
    PeelFieldType type;
    PeelShow show;
    const PeelValueName *names; /* value names for the tree and info, or NULL */
    uint64_t mask;              /* bit field within `width` bytes; 0 for the whole value */
    uint8_t width;              /* bytes the value is read from when it differs from the
                                   type's size (booleans and bit fields); 0: by type */
} PeelFieldDef;

/* ---- Values and the flat field list ---- */

typedef struct {
    int64_t sec;
    int32_t nsec;
} PeelTime;

typedef union {
    uint64_t u;
    int64_t i;
    double d;
    PeelTime t;
    struct {
        const uint8_t *ptr; /* IPv6, Ethernet, bytes, strings (not NUL-terminated) */
        uint32_t len;
    } b;
} PeelValue;

enum {
    PEEL_FF_TRUNCATED = 1u << 0, /* the capture ends inside the field */
    PEEL_FF_MALFORMED = 1u << 1, /* the packet claims fewer bytes than the field needs */
    PEEL_FF_GENERATED = 1u << 2, /* computed, not read from the bytes: shown in [] */
    PEEL_FF_HIDDEN = 1u << 3,    /* filterable, not shown in the tree */
    PEEL_FF_HAS_VALUE = 1u << 4, /* the value was read */
    PEEL_FF_ADDR_TEXT = 1u << 5, /* a string shown as the address in v.b (4 or 16 bytes),
                                    formatted only when printed */
};

typedef struct {
    uint32_t id;      /* global field id (peel_field_def()) */
    int32_t parent;   /* index of the parent field in the list, -1 at the top */
    uint32_t offset;  /* within the data source */
    uint32_t length;  /* bytes covered */
    uint8_t src;      /* data source index, 0 = the frame */
    uint8_t flags;    /* PEEL_FF_* */
    uint16_t depth;   /* nesting depth, 0 at the top */
    const char *text; /* label for protocol and subtree items (tree views only), or NULL */
    PeelValue v;
} PeelField;

typedef enum {
    PEEL_SEV_COMMENT,
    PEEL_SEV_CHAT,
    PEEL_SEV_NOTE,
    PEEL_SEV_WARN,
    PEEL_SEV_ERROR,
} PeelSeverity;

typedef enum {
    PEEL_GROUP_MALFORMED,
    PEEL_GROUP_CHECKSUM,
    PEEL_GROUP_SEQUENCE,
    PEEL_GROUP_PROTOCOL,
    PEEL_GROUP_UNDECODED,
    PEEL_GROUP_REASSEMBLE,
    PEEL_GROUP_COMMENT,
    PEEL_GROUP_N
} PeelExpertGroup;

typedef struct {
    int32_t field; /* field index it is attached to, or -1 */
    uint8_t severity;
    uint8_t group;
    uint16_t proto; /* protocol index */
    const char *msg;
} PeelExpert;

/* ---- Addresses for the summary columns ---- */

typedef enum {
    PEEL_AT_NONE,
    PEEL_AT_ETHER,
    PEEL_AT_IPV4,
    PEEL_AT_IPV6,
} PeelAddrType;

typedef struct {
    uint8_t type;
    uint8_t bytes[16];
} PeelAddr;

/* ---- What the source hands over ---- */

typedef struct {
    uint32_t number;
    PeelTime ts;
    PeelTime rel;   /* since the first frame */
    PeelTime delta; /* since the previous frame */
    PeelTime latest; /* the latest timestamp of the frames so far, this one included:
                        the capture's clock for timeouts (peel_frame_now); 0 if unknown */
    uint32_t cap_len;
    uint32_t len;
    int linktype;
    uint32_t iface;
    const char *iface_name; /* or NULL */
    const char *comment;    /* or NULL */
    const uint8_t *data;
    bool no_ts; /* the record has no timestamp (pcapng SPB): no time fields */
    bool has_iface; /* the file names interfaces (pcapng): interface id and name shown */
    uint8_t ts_digits; /* decimal places of the capture's timestamps, 0: 6 */
} PeelFrameInfo;

/* ---- Dispatch ---- */

typedef enum {
    PEEL_TABLE_NONE,
    PEEL_TABLE_LINKTYPE,
    PEEL_TABLE_ETHERTYPE,
    PEEL_TABLE_PPP,
    PEEL_TABLE_IP_PROTO,
    PEEL_TABLE_TCP_PORT,
    PEEL_TABLE_UDP_PORT,
    PEEL_TABLE_N
} PeelTable;

typedef struct {
    PeelTable table;
    uint32_t key;
} PeelHandoff;

typedef struct PeelPacket PeelPacket;
typedef struct PeelProto PeelProto;

/* Preferences, set with -o NAME:VALUE as in tshark. */
typedef struct {
    bool ip_check_checksum;  /* ip.check_checksum, default TRUE */
    bool tcp_check_checksum; /* tcp.check_checksum, default FALSE as in Wireshark: captures
                                on the sending host hold checksums the NIC (or the loopback
                                driver) never filled in */
    bool udp_check_checksum; /* udp.check_checksum, default FALSE likewise */
    /* Memory bounds of the streams layer (numbers, as -o NAME:N). */
    uint32_t tcp_max_held;       /* tcp.max_held: out-of-order bytes held per direction */
    uint32_t tcp_max_total_held; /* tcp.max_total_held: the same over all connections */
    uint32_t tcp_max_pdu;        /* tcp.max_pdu: the largest PDU waited for */
    bool amqp_show_sasl_response; /* amqp.show_sasl_response: the SASL response of AMQP
                                     start-ok/secure-ok unmasked, default FALSE */
    /* stun.credentials (--stun-credentials): "user:realm:password" (long-term) or
     * "password" (short-term) to verify MESSAGE-INTEGRITY with; empty: not checked. */
    char stun_credentials[256];
} PeelPrefs;

/* Keeping `field` (a local index) needs `needs` kept too: the field is a hidden copy of it
 * (ip.addr of ip.src) or is added under it (eth.addr under eth.dst). */
typedef struct {
    uint16_t field, needs;
} PeelFieldNeed;

struct PeelProto {
    const char *name;  /* "tcp": also the protocol's filter name */
    const char *title; /* "Transmission Control Protocol" */
    const char *short_name; /* Protocol column: "TCP"; NULL leaves the column alone */
    const PeelFieldDef *fields;
    uint32_t n_fields;
    /* What a field needs kept when only chosen fields are (peel_dissector_keep_fields). */
    const PeelFieldNeed *field_needs;
    uint32_t n_field_needs;
    void (*dissect)(PeelReader *rd, PeelPacket *pkt);
    /* Tried for payloads no port claims; reads only, returns true to take it. */
    bool (*heuristic)(const PeelReader *rd, const PeelPacket *pkt);
    PeelTable heuristic_table;
    PeelTable heuristic_table2; /* a second table the heuristic is tried in (STUN: UDP and
                                   TCP), or PEEL_TABLE_NONE */
    PeelHandoff handoffs[8];
    /* Stream protocols over TCP: the length of the PDU that starts at rd, which holds
     * every in-order byte of this direction not consumed yet; 0 when more bytes are needed
     * to tell. Only peeks. When set, dissect() is given whole PDUs, reassembled across
     * segments; several PDUs in one segment are dissected one after another. */
    uint32_t (*pdu_len)(const PeelReader *rd, PeelPacket *pkt);
    /* Told that bytes of direction pkt->flow_dir were never captured (also when the gap
     * is found through the other direction's ACK: flow_dir is then the lost direction's
     * for the call): the partial PDU is dropped and the next byte may be anywhere inside
     * a PDU. */
    void (*stream_gap)(PeelPacket *pkt);
    /* Told, in the frame that closes it (FIN), that this direction of the connection ended
     * after any PDU the close completed; also on a revisit of that frame (pkt->revisit:
     * read per-frame records, change nothing). A reset (RST) is told once, as the end of
     * the sender's direction unless its FIN came first, with pkt->stream_reset set. May be
     * NULL. */
    void (*stream_end)(PeelPacket *pkt);
    /* Told once per connection (pkt->flow) still open when the capture ends (the front end
     * calls peel_dissector_finish): no FIN or RST closed it and it was not retired. Notes
     * added with peel_expert() go to the front end's end-of-capture report (-z expert, a
     * line on stderr); peel_capture_end_frame() names the frame they concern. Records of
     * earlier frames may be patched (peel_record_patch) for later revisits. pkt has no
     * bytes, keeps no fields and stores no records; pkt->flow_dir is 0. May be NULL. */
    void (*capture_end)(PeelPacket *pkt);
};

/* Data sources of one packet: the frame, and each reassembled PDU, decompressed body or
 * decoded payload shown as its own bytes. One TCP segment may complete up to 250 PDUs
 * held from earlier segments (proto-tcp-stream.c), each its own "Reassembled TCP"; the
 * index is a uint8_t (PeelField.src). Past this, peel_add_source gives a malformed reader. */
#define PEEL_MAX_SOURCES 255
#define PEEL_MAX_DEPTH 32
#define PEEL_INFO_MAX 1024

typedef struct {
    const uint8_t *data;
    uint32_t len;
    const char *name; /* "Reassembled TCP", "Decompressed body" */
} PeelSourceBytes;

typedef struct PeelDissector PeelDissector;
typedef struct PeelFlow PeelFlow;

struct PeelPacket {
    PeelArena *arena;
    const PeelFrameInfo *frame;
    PeelDissector *dis;

    PeelField *fields;
    uint32_t n_fields;
    uint32_t cap_fields;
    PeelExpert *experts;
    uint32_t n_experts;
    uint32_t cap_experts;

    /* Current position in the tree and the protocol being dissected. */
    int32_t parent;
    uint16_t depth;
    uint16_t proto;      /* index of the current protocol */
    uint32_t field_base; /* global id of the current protocol's field 0 */

    uint8_t n_sources; /* sources[] in use (the array is at the end: not cleared per packet) */

    /* What lower layers tell upper ones. */
    PeelAddr dl_src, dl_dst;
    PeelAddr net_src, net_dst;
    uint8_t ip_proto;
    uint8_t ip_ttl;
    bool ip_fragment; /* a non-first or incomplete fragment: no transport header here */
    uint16_t src_port, dst_port;
    uint16_t layers; /* protocol layers added so far */
    uint16_t pdu_index; /* which TCP PDU of the frame is being dissected (0 first), the
                         * same on a revisit: stream protocols number records by it */
    bool in_error;   /* dissecting an ICMP-quoted header: no flows, no deeper layers */
    bool nest;       /* the next protocol item nests under the current item */
    uint16_t handed_to; /* set to UINT16_MAX before a hand-off: the protocol index the
                           engine then gave the payload to */

    /* Summary columns. col_src/col_dst point at the highest layer's addresses. */
    const char *col_protocol;
    const PeelAddr *col_src;
    const PeelAddr *col_dst;
    char info[PEEL_INFO_MAX];
    uint32_t info_len;
    uint32_t info_fence; /* peel_info_set() keeps text before the fence */
    uint32_t info_writes; /* counts info changes: a layer sets its default text only when
                           * the layers above it wrote none (cheaper than set-then-replace) */

    /* frame.protocols: "eth:ethertype:ip:tcp", written only when want_protocols (the field
     * is shown or kept): otherwise empty */
    char protocols[256];
    uint32_t protocols_len;
    bool want_protocols;

    /* The transport flow (TCP/UDP) once the transport dissector looked it up. */
    PeelFlow *flow;
    int flow_dir; /* 0: as the flow's first packet, 1: the other way */

    const PeelPrefs *prefs;
    bool revisit;   /* dissected before in this run: read per-frame records, change no state */
    bool want_tree; /* labels for protocol and subtree items are built */
    bool want_info; /* the info column is built (off for fields output without it) */
    bool record_fields; /* fields are kept; when not, each goes to fields[-1], a scratch
                           slot, peel_last() is -1 and n_fields does not grow. Set per
                           layer when only some protocols are kept (a display filter's) */
    const bool *keep_ids; /* with record_fields: only these field ids are kept (by global
                             id), the others go to the scratch slot; NULL: every field */
    int32_t last;         /* index of the last field added, -1 when it was not kept */
    bool malformed; /* some field was malformed */
    bool stream_end; /* set while a TCP stream protocol's pdu_len is asked after the sender
                        closed the direction (FIN): the pending bytes are all there will be,
                        so a message that runs to the close (HTTP/1.0 bodies) ends there */
    bool stream_reset; /* set while stream_end is told of a reset (RST) rather than a FIN */
    uint32_t pdu_hint; /* a pdu_len that answers 0 (not known yet) may set the PDU's whole
                          length here when it knows it (HTTP after a Content-Length
                          header), so TCP sizes the buffer once instead of growing it */
    PeelSourceBytes sources[PEEL_MAX_SOURCES]; /* [0] the frame, then reassembled or decoded
                                                  bytes; only the first n_sources are valid */
};

/* ---- Adding fields. `f` is the current protocol's local field index. ---- */

/* Reads an unsigned field of the definition's width at the read position and advances
 * (bit fields: see peel_add_bits). Returns the value, 0 when it could not be read. */
uint64_t peel_add_uint_full(PeelPacket *pkt, PeelReader *rd, uint32_t f);
uint8_t peel_add_u8_full(PeelPacket *pkt, PeelReader *rd, uint32_t f);
uint16_t peel_add_u16_full(PeelPacket *pkt, PeelReader *rd, uint32_t f);
uint32_t peel_add_u24_full(PeelPacket *pkt, PeelReader *rd, uint32_t f);
uint32_t peel_add_u32_full(PeelPacket *pkt, PeelReader *rd, uint32_t f);
uint64_t peel_add_u64_full(PeelPacket *pkt, PeelReader *rd, uint32_t f);
/* Little-endian variants. */
uint16_t peel_add_u16le_full(PeelPacket *pkt, PeelReader *rd, uint32_t f);
uint32_t peel_add_u32le_full(PeelPacket *pkt, PeelReader *rd, uint32_t f);

/* A bit field or boolean with a mask: reads the definition's width at the read position
 * WITHOUT advancing, adds (raw & mask) >> shift. Call peel_reader_skip() after the group. */
uint64_t peel_add_bits_full(PeelPacket *pkt, PeelReader *rd, uint32_t f);

/* Addresses and bytes: read n bytes (IPv4 4, IPv6 16, Ethernet 6) and advance. */
uint32_t peel_add_ipv4_full(PeelPacket *pkt, PeelReader *rd, uint32_t f);
const uint8_t *peel_add_ipv6_full(PeelPacket *pkt, PeelReader *rd, uint32_t f);
const uint8_t *peel_add_ether_full(PeelPacket *pkt, PeelReader *rd, uint32_t f);
const uint8_t *peel_add_bytes_full(PeelPacket *pkt, PeelReader *rd, uint32_t f, uint32_t n);
/* A string of n bytes (the value is the bytes as they are, NUL bytes ending it). */
const uint8_t *peel_add_string_full(PeelPacket *pkt, PeelReader *rd, uint32_t f, uint32_t n);

/* Generated values (PEEL_FF_GENERATED), covering no bytes or the given range of rd. */
int32_t peel_add_uint_value_full(PeelPacket *pkt, uint32_t f, uint64_t value);
int32_t peel_add_int_value_full(PeelPacket *pkt, uint32_t f, int64_t value);
int32_t peel_add_bool_value_full(PeelPacket *pkt, uint32_t f, bool value);
int32_t peel_add_double_value_full(PeelPacket *pkt, uint32_t f, double value);
int32_t peel_add_time_value_full(PeelPacket *pkt, uint32_t f, PeelTime t);
int32_t peel_add_string_value_full(PeelPacket *pkt, uint32_t f, const char *s, uint32_t len);
int32_t peel_add_bytes_value_full(PeelPacket *pkt, uint32_t f, const uint8_t *p, uint32_t len);
int32_t peel_add_addr_value_full(PeelPacket *pkt, uint32_t f, const uint8_t *p);
/* A string field whose text is an IPv4 (4 bytes) or IPv6 (16 bytes) address, formatted
 * only when someone prints it (ip.src_host with name resolution off). `addr` must live as
 * long as the packet. */
int32_t peel_add_addr_text_full(PeelPacket *pkt, uint32_t f, const uint8_t *addr, uint32_t len);
/* Hidden copies under another name (ip.addr next to ip.src). */
int32_t peel_add_hidden(PeelPacket *pkt, uint32_t f, int32_t like);

/* Opens a subtree: adds field f over n bytes from the read position (without advancing)
 * and makes it the parent of what follows until peel_close(). Returns its index. */
int32_t peel_open_full(PeelPacket *pkt, const PeelReader *rd, uint32_t f, uint32_t n);
/* Closes the innermost subtree. When `end` is given, the subtree's length is set to end
 * at its read position (same data source). */
void peel_close(PeelPacket *pkt, const PeelReader *end);

/* Makes the field added last the parent of what follows, when a field was added since the
 * list held `before` fields (a value item that gets children: flags and their bits).
 * Returns whether it did; pass that to peel_close_if(). */
bool peel_open_last(PeelPacket *pkt, uint32_t before);
/* Closes a subtree opened by peel_open_last() when it was opened. */
void peel_close_if(PeelPacket *pkt, bool opened);
/* Hides field idx from the tree (it stays filterable); ignores -1. */
void peel_hide(PeelPacket *pkt, int32_t idx);

/* The label shown for a protocol or subtree item (only built when want_tree). A macro:
 * without a tree, neither the call nor its arguments are evaluated, so arguments must
 * have no side effects. */
void peel_set_text_full(PeelPacket *pkt, int32_t field, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
#define peel_set_text(pkt, field, ...)                                                      \
    ((pkt)->want_tree ? peel_set_text_full((pkt), (field), __VA_ARGS__) : (void)0)

/* The index of the last field added, and the field for an index. */
static inline int32_t
peel_last(const PeelPacket *pkt)
{
    /* A layer whose fields are not kept (record_fields off, or a protocol left out by
     * peel_dissector_record_only), or a field left out by peel_dissector_keep_fields,
     * is written to the scratch slot at -1. */
    return pkt->record_fields ? pkt->last : -1;
}

/* Whether the current protocol's field f is kept in the field list. */
static inline bool
peel_keeps(const PeelPacket *pkt, uint32_t f)
{
    return pkt->record_fields &&
           (pkt->keep_ids == NULL || pkt->keep_ids[pkt->field_base + 1 + f]);
}

/* Whether any of the current protocol's fields listed is kept or shown (a tree shows them
 * all): a dissector skips the fields of a part of its header none of which is. `fields`
 * must be a static list: its address names it in the dissector's memory of answers. */
bool peel_keeps_any_chosen(const PeelPacket *pkt, const uint8_t *fields, size_t n);
static inline bool
peel_keeps_any(const PeelPacket *pkt, const uint8_t *fields, size_t n)
{
    if (pkt->want_tree || (pkt->record_fields && pkt->keep_ids == NULL))
        return true;
    if (!pkt->record_fields)
        return false;
    return peel_keeps_any_chosen(pkt, fields, n); /* the answer is remembered per list */
}

/* Sets the length of a field already added (a header whose length is known later). */
void peel_set_length(PeelPacket *pkt, int32_t field, uint32_t length);

/* Nothing of the current layer is kept or shown: no field is recorded and no tree is
 * built. A dissector may then skip decoding that changes neither the columns nor the
 * state later packets depend on (a JSON body's values, a protobuf message's fields). */
static inline bool
peel_shallow(const PeelPacket *pkt)
{
    return !pkt->record_fields && !pkt->want_tree;
}

/* ---- Fast paths when the packet keeps no fields (summary lines, writing) ----
 * Each peel_add_* above has an inline front that, when !pkt->record_fields, only reads
 * the value through the reader (no field bookkeeping, no call); a read that fails, and
 * every call while fields are kept, goes to the _full function, which notes the error. */

extern const PeelFieldDef **peel_field_defs;
/* Mask, boolean and sign handling of a value read for def (read_uint's tail). */
uint64_t peel_field_value_fix(const PeelFieldDef *def, uint64_t v, uint32_t width);

/* Field f is not kept and n bytes can be read: the value is read without bookkeeping
 * (peel_last() is then -1, as for a field written to the scratch slot). */
static inline bool
peel_fast_read_ok(PeelPacket *pkt, const PeelReader *rd, uint32_t f, uint32_t n)
{
    if (peel_keeps(pkt, f))
        return false;
    pkt->last = -1;
    return rd->status == PEEL_READ_OK && rd->pos <= rd->cap &&
           rd->pos <= rd->claimed && n <= rd->cap - rd->pos && n <= rd->claimed - rd->pos;
}

static inline uint64_t
peel_fast_fix(const PeelPacket *pkt, uint32_t f, uint64_t v, uint32_t width)
{
    const PeelFieldDef *def = peel_field_defs[pkt->field_base + 1 + f];
    if (__builtin_expect(def->mask != 0 || def->type == PEEL_FT_BOOLEAN ||
                                 (def->type >= PEEL_FT_I8 && def->type <= PEEL_FT_I64),
                0))
        return peel_field_value_fix(def, v, width);
    return v;
}

static inline uint64_t
peel_fast_be(const uint8_t *p, uint32_t width)
{
    uint64_t v = 0;
    for (uint32_t i = 0; i < width; i++)
        v = v << 8 | p[i];
    return v;
}

static inline uint32_t
peel_fast_width(const PeelFieldDef *def)
{
    if (def->width)
        return def->width;
    switch (def->type) {
    case PEEL_FT_BOOLEAN:
    case PEEL_FT_U8:
    case PEEL_FT_I8:
        return 1;
    case PEEL_FT_U16:
    case PEEL_FT_I16:
        return 2;
    case PEEL_FT_U24:
        return 3;
    case PEEL_FT_U32:
    case PEEL_FT_I32:
    case PEEL_FT_IPV4:
    case PEEL_FT_FRAMENUM:
        return 4;
    default:
        return 0; /* the full path handles the rest */
    }
}

#define PEEL_FAST_BE(NAME, TYPE, WIDTH)                                               \
    static inline TYPE peel_add_##NAME(PeelPacket *pkt, PeelReader *rd, uint32_t f)   \
    {                                                                                 \
        if (peel_fast_read_ok(pkt, rd, f, WIDTH)) {                                   \
            uint64_t v = peel_fast_be(rd->data + rd->pos, WIDTH);                     \
            rd->pos += WIDTH;                                                         \
            return (TYPE)peel_fast_fix(pkt, f, v, WIDTH);                             \
        }                                                                             \
        return peel_add_##NAME##_full(pkt, rd, f);                                    \
    }
PEEL_FAST_BE(u8, uint8_t, 1)
PEEL_FAST_BE(u16, uint16_t, 2)
PEEL_FAST_BE(u24, uint32_t, 3)
PEEL_FAST_BE(u32, uint32_t, 4)
PEEL_FAST_BE(u64, uint64_t, 8)
PEEL_FAST_BE(ipv4, uint32_t, 4)
#undef PEEL_FAST_BE

static inline uint16_t
peel_add_u16le(PeelPacket *pkt, PeelReader *rd, uint32_t f)
{
    if (peel_fast_read_ok(pkt, rd, f, 2)) {
        const uint8_t *p = rd->data + rd->pos;
        rd->pos += 2;
        return (uint16_t)peel_fast_fix(pkt, f, (uint64_t)p[1] << 8 | p[0], 2);
    }
    return peel_add_u16le_full(pkt, rd, f);
}

static inline uint32_t
peel_add_u32le(PeelPacket *pkt, PeelReader *rd, uint32_t f)
{
    if (peel_fast_read_ok(pkt, rd, f, 4)) {
        const uint8_t *p = rd->data + rd->pos;
        rd->pos += 4;
        return (uint32_t)peel_fast_fix(pkt, f,
                (uint64_t)p[3] << 24 | (uint64_t)p[2] << 16 | (uint64_t)p[1] << 8 | p[0], 4);
    }
    return peel_add_u32le_full(pkt, rd, f);
}

static inline uint64_t
peel_add_uint(PeelPacket *pkt, PeelReader *rd, uint32_t f)
{
    if (!peel_keeps(pkt, f)) {
        uint32_t w = peel_fast_width(peel_field_defs[pkt->field_base + 1 + f]);
        if (w != 0 && peel_fast_read_ok(pkt, rd, f, w)) {
            uint64_t v = peel_fast_be(rd->data + rd->pos, w);
            rd->pos += w;
            return peel_fast_fix(pkt, f, v, w);
        }
    }
    return peel_add_uint_full(pkt, rd, f);
}

static inline uint64_t
peel_add_bits(PeelPacket *pkt, PeelReader *rd, uint32_t f)
{
    if (!peel_keeps(pkt, f)) {
        uint32_t w = peel_fast_width(peel_field_defs[pkt->field_base + 1 + f]);
        if (w != 0 && peel_fast_read_ok(pkt, rd, f, w))
            return peel_fast_fix(pkt, f, peel_fast_be(rd->data + rd->pos, w), w);
    }
    return peel_add_bits_full(pkt, rd, f);
}

static inline const uint8_t *
peel_add_bytes(PeelPacket *pkt, PeelReader *rd, uint32_t f, uint32_t n)
{
    if (peel_fast_read_ok(pkt, rd, f, n)) {
        const uint8_t *p = rd->data + rd->pos;
        rd->pos += n;
        return p;
    }
    return peel_add_bytes_full(pkt, rd, f, n);
}

static inline const uint8_t *
peel_add_ipv6(PeelPacket *pkt, PeelReader *rd, uint32_t f)
{
    return peel_add_bytes(pkt, rd, f, 16);
}

static inline const uint8_t *
peel_add_ether(PeelPacket *pkt, PeelReader *rd, uint32_t f)
{
    return peel_add_bytes(pkt, rd, f, 6);
}

static inline const uint8_t *
peel_add_string(PeelPacket *pkt, PeelReader *rd, uint32_t f, uint32_t n)
{
    if (peel_fast_read_ok(pkt, rd, f, n))
        return peel_add_bytes(pkt, rd, f, n);
    return peel_add_string_full(pkt, rd, f, n);
}

/* Generated values and subtrees: nothing is kept, the index is -1 as peel_last() says. */
#define PEEL_FAST_VALUE(NAME, PARAMS, ARGS)                                           \
    static inline int32_t peel_add_##NAME PARAMS                                      \
    {                                                                                 \
        if (peel_keeps(pkt, f))                                                       \
            return peel_add_##NAME##_full ARGS;                                       \
        pkt->last = -1;                                                               \
        return -1;                                                                    \
    }
PEEL_FAST_VALUE(uint_value, (PeelPacket *pkt, uint32_t f, uint64_t value), (pkt, f, value))
PEEL_FAST_VALUE(int_value, (PeelPacket *pkt, uint32_t f, int64_t value), (pkt, f, value))
PEEL_FAST_VALUE(bool_value, (PeelPacket *pkt, uint32_t f, bool value), (pkt, f, value))
PEEL_FAST_VALUE(double_value, (PeelPacket *pkt, uint32_t f, double value), (pkt, f, value))
PEEL_FAST_VALUE(time_value, (PeelPacket *pkt, uint32_t f, PeelTime t), (pkt, f, t))
PEEL_FAST_VALUE(string_value, (PeelPacket *pkt, uint32_t f, const char *s, uint32_t len),
        (pkt, f, s, len))
PEEL_FAST_VALUE(bytes_value, (PeelPacket *pkt, uint32_t f, const uint8_t *p, uint32_t len),
        (pkt, f, p, len))
PEEL_FAST_VALUE(addr_value, (PeelPacket *pkt, uint32_t f, const uint8_t *p), (pkt, f, p))
PEEL_FAST_VALUE(addr_text, (PeelPacket *pkt, uint32_t f, const uint8_t *addr, uint32_t len),
        (pkt, f, addr, len))
#undef PEEL_FAST_VALUE

static inline int32_t
peel_open(PeelPacket *pkt, const PeelReader *rd, uint32_t f, uint32_t n)
{
    if (peel_keeps(pkt, f))
        return peel_open_full(pkt, rd, f, n);
    if (pkt->record_fields) {
        /* A subtree left out of a kept layer: what follows hangs nowhere, and the
         * matching peel_close() finds no parent to pop (the list is read flat then). */
        pkt->parent = -1;
        pkt->last = -1;
    }
    return -1;
}

/* ---- Expert notes ---- */

void peel_expert(PeelPacket *pkt, int32_t field, PeelSeverity sev, PeelExpertGroup group,
        const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* A malformed-packet note on the last field added. */
void peel_mark_malformed(PeelPacket *pkt, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
/* True when rd's status is not OK: the layer should stop. (The failed read has already
 * marked its field and added the expert note.) */
bool peel_check_reader(PeelPacket *pkt, const PeelReader *rd);

/* ---- Summary columns ---- */

void peel_set_protocol(PeelPacket *pkt, const char *name);
void peel_set_addrs(PeelPacket *pkt, const PeelAddr *src, const PeelAddr *dst);
/* Replaces the info column (keeps what lower layers fenced off). */
void peel_info_set(PeelPacket *pkt, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Empties the Info text after the fence, as peel_info_set(pkt, "%s", "") does, for less. */
void peel_info_clear(PeelPacket *pkt);
void peel_info_append(PeelPacket *pkt, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
/* Appends n bytes (inline: TCP alone appends a dozen pieces to every packet's Info). */
static inline void
peel_info_append_mem(PeelPacket *pkt, const char *s, size_t n)
{
    if (!pkt->want_info)
        return;
    pkt->info_writes++;
    uint32_t room = PEEL_INFO_MAX - 1 - pkt->info_len;
    if (n > room)
        n = room;
    memcpy(pkt->info + pkt->info_len, s, n);
    pkt->info_len += (uint32_t)n;
    pkt->info[pkt->info_len] = '\0';
}
/* Inline so that the length of a literal is known when compiling. */
static inline void
peel_info_append_str(PeelPacket *pkt, const char *s)
{
    peel_info_append_mem(pkt, s, strlen(s));
}
/* At most max bytes of s, ending at a NUL as "%.*s" does. */
static inline void
peel_info_append_strn(PeelPacket *pkt, const char *s, size_t max)
{
    peel_info_append_mem(pkt, s, strnlen(s, max));
}
/* Writes v in decimal ending at end (exclusive), two digits at a time; returns where the
 * digits start. end must have 20 bytes before it. */
extern const char peel_digit_pairs[200];
static inline char *
peel_put_decimal(char *end, uint64_t v)
{
    char *p = end;
    while (v >= 100) {
        uint32_t r = (uint32_t)(v % 100);
        v /= 100;
        p -= 2;
        memcpy(p, peel_digit_pairs + 2 * r, 2);
    }
    if (v >= 10) {
        p -= 2;
        memcpy(p, peel_digit_pairs + 2 * v, 2);
    } else {
        *--p = (char)('0' + v);
    }
    return p;
}
/* Appends a number without printf (hot paths: ports, sequence numbers). */
static inline void
peel_info_append_uint(PeelPacket *pkt, uint64_t v)
{
    if (!pkt->want_info)
        return;
    char buf[20];
    char *p = peel_put_decimal(buf + sizeof buf, v);
    peel_info_append_mem(pkt, p, (size_t)(buf + sizeof buf - p));
}
/* Keeps the current info text in front of whatever upper layers set (tshark's
 * col_set_fence). */
void peel_info_fence(PeelPacket *pkt);
/* Puts s at the very start of the info text and fences it (tshark's
 * col_prepend_fence_fstr): upper layers replace only what follows. */
void peel_info_prepend(PeelPacket *pkt, const char *s);

/* ---- Handing payloads on ---- */

/* Dissects rd with the protocol registered in `table` under `key`, or as data. */
void peel_next(PeelPacket *pkt, PeelReader *rd, PeelTable table, uint32_t key);
/* Ports: the lower port, the higher, the table's heuristics, then data. */
void peel_next_port(PeelPacket *pkt, PeelReader *rd, PeelTable table, uint16_t a, uint16_t b);
/* Dissects rd as `proto` (a protocol calling a known sub-dissector directly). */
void peel_next_proto(PeelPacket *pkt, PeelReader *rd, const PeelProto *proto);
/* The protocol peel_next_port() would choose for rd, without dissecting: a port table
 * entry or a heuristic match; NULL for data. */
const PeelProto *peel_choose_port(PeelPacket *pkt, const PeelReader *rd, PeelTable table,
        uint16_t a, uint16_t b);
/* Switches this packet's TCP connection to another protocol (NULL: data) from the byte
 * after the PDU being dissected, in both directions: HTTP's 101 Switching Protocols to
 * WebSocket or h2c. Called from pdu_len, the switch takes the pending bytes themselves
 * (HTTP finding HTTP/2's connection preface). No-op on a revisit (the PDU records
 * remember each PDU's protocol). */
void peel_tcp_set_app(PeelPacket *pkt, const PeelProto *app);

/* Dissects rd as undecoded data ("data" protocol). */
void peel_next_data(PeelPacket *pkt, PeelReader *rd);
/* The same, with the data item nested under the current item instead of standing at the
 * top of the tree (ICMP echo payloads, as Wireshark shows them). */
void peel_next_data_nested(PeelPacket *pkt, PeelReader *rd);

/* Adds a new data source (reassembled or decoded bytes) and returns a reader over it.
 * The bytes must live as long as the packet (arena) or longer. */
PeelReader peel_add_source(PeelPacket *pkt, const uint8_t *data, uint32_t len, const char *name);

/* ---- Flows and per-frame records (ARCHITECTURE.md, decision 5) ---- */

/* The capture's clock for timeouts (idle flows, partial datagrams): the latest timestamp
 * seen so far rather than this frame's, so time that goes backwards does not undo a
 * timeout and every dissector of a run (one per thread) agrees on it. */
PeelTime peel_frame_now(const PeelFrameInfo *frame);

/* Finds or creates the flow of this packet for transport `ip_proto` between the network
 * addresses and ports lower layers recorded; sets pkt->flow and pkt->flow_dir. NULL
 * inside ICMP-quoted headers. */
PeelFlow *peel_packet_flow(PeelPacket *pkt, uint8_t ip_proto);
/* False for a protocol turned off with peel_dissector_disable_protocol (--disable-protocol). */
bool peel_proto_enabled(const PeelPacket *pkt, const PeelProto *proto);

/* The packet's flow ended (a TCP connection closed both ways, or reset): it is retired
 * sooner, and after this packet the state of every owner not in `keep` (NULL-terminated,
 * static) is freed (peel_flow_release_later). */
void peel_packet_flow_release(PeelPacket *pkt, const void *const *keep);
/* A new SYN on a closed 4-tuple: retires the old flow and starts the next stream. */
PeelFlow *peel_packet_flow_renew(PeelPacket *pkt);

/* Stores a small record for this frame during the first pass (when the engine keeps
 * records: --frame, the GUI, two-pass), so a revisit can show what the first pass found
 * without flow state. `sub` tells one record of the protocol from another. */
void peel_record_put(PeelPacket *pkt, uint8_t sub, const void *data, uint32_t len);
/* The size of this frame's record `sub` of the current protocol, 0 when there is none. */
uint32_t peel_record_size(const PeelPacket *pkt, uint8_t sub);
/* Copies this frame's record into out on a revisit; false when there is none. */
bool peel_record_get(const PeelPacket *pkt, uint8_t sub, void *out, uint32_t len);
/* Overwrites len bytes at `offset` of an EARLIER frame's record `sub` of the current
 * protocol, stored by peel_record_put in the first pass: links found later (an HTTP
 * request's response frame), read when that frame is revisited. Only in the first pass
 * (also from capture_end) while records are kept; the record keeps its size. False, and
 * nothing written, when records are not kept, on a revisit, or when the frame has no such
 * record or it is shorter than offset + len. */
bool peel_record_patch(PeelPacket *pkt, uint32_t frame, uint8_t sub, uint32_t offset,
        const void *data, uint32_t len);
/* Whether the first pass keeps per-frame records (a later revisit will read them). */
bool peel_records_kept(const PeelPacket *pkt);
/* In a capture_end hook: the frame its notes concern (by default the connection's last). */
void peel_capture_end_frame(PeelPacket *pkt, uint32_t frame);

/* A run of in-order transport payload, for taps (follow stream). */
typedef struct {
    uint8_t ip_proto;   /* 6 or 17 */
    uint32_t stream;    /* tcp.stream / udp.stream */
    int dir;            /* 0: from the flow's first sender, 1: towards it */
    const PeelFlow *flow;
    const uint8_t *data; /* NULL for a gap */
    uint32_t len;        /* bytes, or the gap's length */
    uint32_t frame;      /* frame the run was captured in */
    PeelTime ts;         /* that frame's time */
} PeelStreamChunk;

/* Hands a run to the stream tap, if the front end set one (first pass only). */
void peel_tap_stream(PeelPacket *pkt, const PeelStreamChunk *chunk);

/* True when a stream tap is set (follow stream): transports then keep streams in order
 * even for payload no protocol claims. */
bool peel_tap_wanted(const PeelPacket *pkt);

/* Bytes of another frame of this capture, for rebuilding reassembled data on a revisit;
 * copied into the packet arena. False when the front end cannot provide them. */
bool peel_fetch_frame(PeelPacket *pkt, uint32_t frame, const uint8_t **data, uint32_t *len);

/* Back links found after the fact ("this frame's data was reassembled in frame N"), kept
 * while records are kept: set for earlier frames, read when they are revisited. */
void peel_set_reassembled_in(PeelPacket *pkt, uint32_t frame, uint32_t in_frame);
uint32_t peel_get_reassembled_in(const PeelPacket *pkt);

/* Capture-wide state a module keeps for the whole run (a defragmentation table),
 * created zeroed on first use and freed with the engine after `clear` (may be NULL). */
void *peel_engine_data(PeelPacket *pkt, const void *owner, size_t size,
        void (*clear)(void *data));

/* Value name lookup; NULL when absent. */
const char *peel_value_name(const PeelValueName *names, uint64_t value);
