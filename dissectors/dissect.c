/* dissect.c: the dissector API: adding fields, expert notes, columns and hand-offs. */
#include "dissect.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "dissector-private.h"
#include "fmt.h"
#include "registry.h"

/* ---- the field list ---- */

static PeelField *
field_push(PeelPacket *pkt, uint32_t id, const PeelReader *rd, uint32_t len)
{
    PeelField *fl;
    if (!pkt->record_fields || (pkt->keep_ids != NULL && !pkt->keep_ids[id])) {
        fl = &pkt->fields[-1]; /* the guard slot: written, never listed */
        pkt->last = -1;
    } else {
        if (pkt->n_fields == pkt->cap_fields && !peel_dissector_grow_fields(pkt->dis)) {
            pkt->last = -1;
            return NULL;
        }
        pkt->last = (int32_t)pkt->n_fields;
        fl = &pkt->fields[pkt->n_fields++];
    }
    fl->id = id;
    fl->parent = pkt->parent;
    fl->depth = pkt->depth;
    fl->flags = 0;
    fl->text = NULL;
    fl->v.b.ptr = NULL;
    fl->v.b.len = 0;
    if (rd != NULL) {
        fl->src = rd->src;
        fl->offset = peel_reader_offset(rd);
        fl->length = len;
    } else {
        fl->src = 0;
        fl->offset = 0;
        fl->length = 0;
    }
    return fl;
}

static inline uint32_t
local_id(const PeelPacket *pkt, uint32_t f)
{
    return pkt->field_base + 1 + f;
}

/* The bytes a field of def's type takes: peel_fast_width's, and the wider types. */
static uint32_t
type_width(const PeelFieldDef *def)
{
    uint32_t w = peel_fast_width(def);
    if (w != 0)
        return w;
    switch (def->type) {
    case PEEL_FT_ETHER:
        return 6;
    case PEEL_FT_U64:
    case PEEL_FT_I64:
    case PEEL_FT_DOUBLE:
        return 8;
    case PEEL_FT_IPV6:
        return 16;
    default:
        return 0;
    }
}

/* Marks a field whose read failed and notes why once per layer. */
static void
field_failed(PeelPacket *pkt, PeelField *fl, const PeelReader *rd, uint32_t want)
{
    const PeelFieldDef *def = peel_field_def(fl->id);
    int32_t idx = (int32_t)(fl - pkt->fields);
    uint32_t left = peel_reader_remaining(rd);
    if (rd->status == PEEL_READ_TRUNCATED) {
        fl->flags |= PEEL_FF_TRUNCATED;
        uint32_t have = peel_reader_captured(rd);
        peel_expert(pkt, idx, PEEL_SEV_WARN, PEEL_GROUP_MALFORMED,
                "truncated: capture ends %u bytes into %s", have, def->name);
    } else {
        fl->flags |= PEEL_FF_MALFORMED;
        pkt->malformed = true;
        peel_expert(pkt, idx, PEEL_SEV_ERROR, PEEL_GROUP_MALFORMED,
                "malformed: %s needs %u bytes, %u left", def->name, want, left);
    }
    /* The field covers what is there, so the tree shows where dissection stopped. */
    uint32_t have = peel_reader_captured(rd);
    fl->length = want < have ? want : have;
}

uint64_t
peel_field_value_fix(const PeelFieldDef *def, uint64_t v, uint32_t width)
{
    if (def->mask) {
        v &= def->mask;
        v >>= __builtin_ctzll(def->mask);
    }
    if (def->type == PEEL_FT_BOOLEAN)
        v = v != 0;
    else if (def->type >= PEEL_FT_I8 && def->type <= PEEL_FT_I64 && width < 8) {
        uint64_t sign = (uint64_t)1 << (8 * width - 1);
        v = (v ^ sign) - sign;
    }
    return v;
}

static uint64_t
read_uint(PeelPacket *pkt, PeelReader *rd, uint32_t f, uint32_t width, bool le, bool advance)
{
    uint32_t id = local_id(pkt, f);
    PeelField *fl = field_push(pkt, id, rd, width);
    bool was_ok = peel_reader_ok(rd);
    if (!peel_reader_need(rd, width)) {
        if (fl != NULL && was_ok)
            field_failed(pkt, fl, rd, width);
        return 0;
    }
    /* peel_reader_need() said the bytes are held: read them directly. */
    const uint8_t *p = rd->data + rd->pos;
    uint64_t v = 0;
    if (!le) {
        switch (width) {
        case 1:
            v = p[0];
            break;
        case 2:
            v = (uint64_t)p[0] << 8 | p[1];
            break;
        case 4:
            v = (uint64_t)p[0] << 24 | (uint64_t)p[1] << 16 | (uint64_t)p[2] << 8 | p[3];
            break;
        default:
            for (uint32_t i = 0; i < width; i++)
                v = v << 8 | p[i];
        }
    } else {
        for (uint32_t i = 0; i < width; i++)
            v |= (uint64_t)p[i] << (8 * i);
    }
    if (advance)
        rd->pos += width;
    v = peel_field_value_fix(peel_field_def(id), v, width);
    if (fl != NULL) {
        fl->v.u = v;
        fl->flags |= PEEL_FF_HAS_VALUE;
    }
    return v;
}

uint64_t
peel_add_uint_full(PeelPacket *pkt, PeelReader *rd, uint32_t f)
{
    const PeelFieldDef *def = peel_field_def(local_id(pkt, f));
    return read_uint(pkt, rd, f, type_width(def), false, true);
}

uint8_t
peel_add_u8_full(PeelPacket *pkt, PeelReader *rd, uint32_t f)
{
    return (uint8_t)read_uint(pkt, rd, f, 1, false, true);
}

uint16_t
peel_add_u16_full(PeelPacket *pkt, PeelReader *rd, uint32_t f)
{
    return (uint16_t)read_uint(pkt, rd, f, 2, false, true);
}

uint32_t
peel_add_u24_full(PeelPacket *pkt, PeelReader *rd, uint32_t f)
{
    return (uint32_t)read_uint(pkt, rd, f, 3, false, true);
}

uint32_t
peel_add_u32_full(PeelPacket *pkt, PeelReader *rd, uint32_t f)
{
    return (uint32_t)read_uint(pkt, rd, f, 4, false, true);
}

uint64_t
peel_add_u64_full(PeelPacket *pkt, PeelReader *rd, uint32_t f)
{
    return read_uint(pkt, rd, f, 8, false, true);
}

uint16_t
peel_add_u16le_full(PeelPacket *pkt, PeelReader *rd, uint32_t f)
{
    return (uint16_t)read_uint(pkt, rd, f, 2, true, true);
}

uint32_t
peel_add_u32le_full(PeelPacket *pkt, PeelReader *rd, uint32_t f)
{
    return (uint32_t)read_uint(pkt, rd, f, 4, true, true);
}

uint64_t
peel_add_bits_full(PeelPacket *pkt, PeelReader *rd, uint32_t f)
{
    const PeelFieldDef *def = peel_field_def(local_id(pkt, f));
    return read_uint(pkt, rd, f, type_width(def), false, false);
}

const uint8_t *
peel_add_bytes_full(PeelPacket *pkt, PeelReader *rd, uint32_t f, uint32_t n)
{
    PeelField *fl = field_push(pkt, local_id(pkt, f), rd, n);
    bool was_ok = peel_reader_ok(rd);
    const uint8_t *p = peel_reader_bytes(rd, n);
    if (fl == NULL)
        return p;
    if (p == NULL) {
        if (was_ok)
            field_failed(pkt, fl, rd, n);
        return NULL;
    }
    fl->v.b.ptr = p;
    fl->v.b.len = n;
    fl->flags |= PEEL_FF_HAS_VALUE;
    return p;
}

uint32_t
peel_add_ipv4_full(PeelPacket *pkt, PeelReader *rd, uint32_t f)
{
    return (uint32_t)read_uint(pkt, rd, f, 4, false, true);
}

const uint8_t *
peel_add_ipv6_full(PeelPacket *pkt, PeelReader *rd, uint32_t f)
{
    return peel_add_bytes(pkt, rd, f, 16);
}

const uint8_t *
peel_add_ether_full(PeelPacket *pkt, PeelReader *rd, uint32_t f)
{
    return peel_add_bytes(pkt, rd, f, 6);
}

const uint8_t *
peel_add_string_full(PeelPacket *pkt, PeelReader *rd, uint32_t f, uint32_t n)
{
    const uint8_t *p = peel_add_bytes(pkt, rd, f, n);
    if (p != NULL) {
        PeelField *fl = &pkt->fields[peel_last(pkt)];
        const uint8_t *nul = memchr(p, 0, n);
        if (nul != NULL)
            fl->v.b.len = (uint32_t)(nul - p);
    }
    return p;
}

static PeelField *
value_push(PeelPacket *pkt, uint32_t f)
{
    PeelField *fl = field_push(pkt, local_id(pkt, f), NULL, 0);
    if (fl != NULL)
        fl->flags = PEEL_FF_GENERATED | PEEL_FF_HAS_VALUE;
    return fl;
}

int32_t
peel_add_uint_value_full(PeelPacket *pkt, uint32_t f, uint64_t value)
{
    PeelField *fl = value_push(pkt, f);
    if (fl == NULL)
        return -1;
    fl->v.u = value;
    return peel_last(pkt);
}

int32_t
peel_add_int_value_full(PeelPacket *pkt, uint32_t f, int64_t value)
{
    PeelField *fl = value_push(pkt, f);
    if (fl == NULL)
        return -1;
    fl->v.i = value;
    return peel_last(pkt);
}

int32_t
peel_add_bool_value_full(PeelPacket *pkt, uint32_t f, bool value)
{
    return peel_add_uint_value(pkt, f, value ? 1 : 0);
}

int32_t
peel_add_double_value_full(PeelPacket *pkt, uint32_t f, double value)
{
    PeelField *fl = value_push(pkt, f);
    if (fl == NULL)
        return -1;
    fl->v.d = value;
    return peel_last(pkt);
}

int32_t
peel_add_time_value_full(PeelPacket *pkt, uint32_t f, PeelTime t)
{
    PeelField *fl = value_push(pkt, f);
    if (fl == NULL)
        return -1;
    fl->v.t = t;
    return peel_last(pkt);
}

int32_t
peel_add_string_value_full(PeelPacket *pkt, uint32_t f, const char *s, uint32_t len)
{
    return peel_add_bytes_value(pkt, f, (const uint8_t *)s, len);
}

int32_t
peel_add_bytes_value_full(PeelPacket *pkt, uint32_t f, const uint8_t *p, uint32_t len)
{
    PeelField *fl = value_push(pkt, f);
    if (fl == NULL)
        return -1;
    fl->v.b.ptr = p;
    fl->v.b.len = len;
    return peel_last(pkt);
}

int32_t
peel_add_addr_value_full(PeelPacket *pkt, uint32_t f, const uint8_t *p)
{
    const PeelFieldDef *def = peel_field_def(local_id(pkt, f));
    if (def->type == PEEL_FT_IPV4)
        return peel_add_uint_value(pkt, f,
                (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]);
    return peel_add_bytes_value(pkt, f, p, type_width(def));
}

int32_t
peel_add_addr_text_full(PeelPacket *pkt, uint32_t f, const uint8_t *addr, uint32_t len)
{
    int32_t idx = peel_add_bytes_value(pkt, f, addr, len);
    if (idx >= 0)
        pkt->fields[idx].flags |= PEEL_FF_ADDR_TEXT;
    return idx;
}

int32_t
peel_add_hidden(PeelPacket *pkt, uint32_t f, int32_t like)
{
    if (like < 0 || (uint32_t)like >= pkt->n_fields)
        return -1;
    PeelField copy = pkt->fields[like];
    PeelField *fl = field_push(pkt, local_id(pkt, f), NULL, 0);
    if (fl == NULL)
        return -1;
    fl->src = copy.src;
    fl->offset = copy.offset;
    fl->length = copy.length;
    fl->v = copy.v;
    fl->flags = (uint8_t)((copy.flags & ~PEEL_FF_GENERATED) | PEEL_FF_HIDDEN);
    return peel_last(pkt);
}

int32_t
peel_open_full(PeelPacket *pkt, const PeelReader *rd, uint32_t f, uint32_t n)
{
    PeelField *fl = field_push(pkt, local_id(pkt, f), rd, n);
    if (fl == NULL)
        return -1;
    fl->flags |= PEEL_FF_HAS_VALUE; /* present: fields output prints 1 for labels */
    int32_t idx = peel_last(pkt);
    if (idx < 0 && pkt->record_fields)
        pkt->parent = -1; /* left out by peel_dissector_keep_fields: see peel_open() */
    if (idx >= 0 && pkt->depth < PEEL_MAX_DEPTH) {
        pkt->parent = idx;
        pkt->depth++;
    }
    return idx;
}

bool
peel_open_last(PeelPacket *pkt, uint32_t before)
{
    if (pkt->n_fields <= before || pkt->depth >= PEEL_MAX_DEPTH)
        return false;
    pkt->parent = peel_last(pkt);
    pkt->depth++;
    return true;
}

void
peel_close_if(PeelPacket *pkt, bool opened)
{
    if (opened)
        peel_close(pkt, NULL);
}

void
peel_hide(PeelPacket *pkt, int32_t idx)
{
    if (idx >= 0 && (uint32_t)idx < pkt->n_fields)
        pkt->fields[idx].flags |= PEEL_FF_HIDDEN;
}

void
peel_close(PeelPacket *pkt, const PeelReader *end)
{
    if (pkt->parent < 0)
        return;
    PeelField *fl = &pkt->fields[pkt->parent];
    if (end != NULL && end->src == fl->src && peel_reader_offset(end) >= fl->offset)
        fl->length = peel_reader_offset(end) - fl->offset;
    pkt->parent = fl->parent;
    pkt->depth--;
}

void
peel_set_text_full(PeelPacket *pkt, int32_t field, const char *fmt, ...)
{
    if (!pkt->want_tree || field < 0 || (uint32_t)field >= pkt->n_fields)
        return;
    va_list ap;
    va_start(ap, fmt);
    pkt->fields[field].text = peel_arena_vprintf(pkt->arena, fmt, ap);
    va_end(ap);
}

void
peel_set_length(PeelPacket *pkt, int32_t field, uint32_t length)
{
    if (field >= 0 && (uint32_t)field < pkt->n_fields)
        pkt->fields[field].length = length;
}

/* ---- expert notes ---- */

static void
expert_vadd(PeelPacket *pkt, int32_t field, PeelSeverity sev, PeelExpertGroup group,
        const char *fmt, va_list ap)
{
    if (pkt->n_experts == pkt->cap_experts && !peel_dissector_grow_experts(pkt->dis))
        return;
    PeelExpert *e = &pkt->experts[pkt->n_experts];
    e->msg = peel_arena_vprintf(pkt->arena, fmt, ap);
    if (e->msg == NULL)
        return;
    pkt->n_experts++;
    e->field = field;
    e->severity = (uint8_t)sev;
    e->group = (uint8_t)group;
    e->proto = pkt->proto;
    if (group == PEEL_GROUP_MALFORMED && sev >= PEEL_SEV_ERROR)
        pkt->malformed = true;
}

void
peel_expert(PeelPacket *pkt, int32_t field, PeelSeverity sev, PeelExpertGroup group,
        const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    expert_vadd(pkt, field, sev, group, fmt, ap);
    va_end(ap);
}

void
peel_mark_malformed(PeelPacket *pkt, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    expert_vadd(pkt, peel_last(pkt), PEEL_SEV_ERROR, PEEL_GROUP_MALFORMED, fmt, ap);
    va_end(ap);
}

bool
peel_check_reader(PeelPacket *pkt, const PeelReader *rd)
{
    return !peel_reader_ok(rd);
}

/* ---- columns ---- */

void
peel_set_protocol(PeelPacket *pkt, const char *name)
{
    pkt->col_protocol = name;
}

void
peel_set_addrs(PeelPacket *pkt, const PeelAddr *src, const PeelAddr *dst)
{
    pkt->col_src = src;
    pkt->col_dst = dst;
}

/* Info text is built for every packet: common formats are expanded by peel_vformat,
 * without stdio (printf was a third of a summary run). */
static void
info_vappend(PeelPacket *pkt, const char *fmt, va_list ap)
{
    if (!pkt->want_info)
        return;
    pkt->info_writes++;
    uint32_t room = PEEL_INFO_MAX - pkt->info_len;
    if (room <= 1)
        return;
    va_list copy;
    va_copy(copy, ap);
    int n = peel_vformat(pkt->info + pkt->info_len, room, fmt, copy);
    va_end(copy);
    if (n < 0)
        n = vsnprintf(pkt->info + pkt->info_len, room, fmt, ap);
    if (n > 0)
        pkt->info_len += (uint32_t)n < room ? (uint32_t)n : room - 1;
}

void
peel_info_set(PeelPacket *pkt, const char *fmt, ...)
{
    pkt->info_len = pkt->info_fence;
    pkt->info[pkt->info_len] = '\0';
    pkt->info_writes++;
    va_list ap;
    va_start(ap, fmt);
    info_vappend(pkt, fmt, ap);
    va_end(ap);
}

void
peel_info_clear(PeelPacket *pkt)
{
    pkt->info_len = pkt->info_fence;
    pkt->info[pkt->info_len] = '\0';
    pkt->info_writes++;
}

void
peel_info_append(PeelPacket *pkt, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    info_vappend(pkt, fmt, ap);
    va_end(ap);
}

const char peel_digit_pairs[200] = "00010203040506070809101112131415161718192021222324"
                                   "25262728293031323334353637383940414243444546474849"
                                   "50515253545556575859606162636465666768697071727374"
                                   "75767778798081828384858687888990919293949596979899";

void
peel_info_fence(PeelPacket *pkt)
{
    pkt->info_fence = pkt->info_len;
}

void
peel_info_prepend(PeelPacket *pkt, const char *s)
{
    if (!pkt->want_info)
        return;
    pkt->info_writes++;
    uint32_t n = (uint32_t)strlen(s);
    if (pkt->info_len + n >= PEEL_INFO_MAX)
        return;
    memmove(pkt->info + n, pkt->info, pkt->info_len + 1);
    memcpy(pkt->info, s, n);
    pkt->info_len += n;
    pkt->info_fence = pkt->info_fence ? pkt->info_fence + n : n;
}

/* ---- hand-offs ---- */

static void
protocols_append(PeelPacket *pkt, const char *name)
{
    if (!pkt->want_protocols)
        return;
    size_t n = strlen(name);
    uint32_t need = (uint32_t)n + (pkt->protocols_len ? 1 : 0);
    if (pkt->protocols_len + need >= sizeof pkt->protocols)
        return;
    if (pkt->protocols_len)
        pkt->protocols[pkt->protocols_len++] = ':';
    memcpy(pkt->protocols + pkt->protocols_len, name, n);
    pkt->protocols_len += (uint32_t)n;
    pkt->protocols[pkt->protocols_len] = '\0';
}

/* The layer's protocol item over what rd holds (its fields go under it), and its name in
 * the Protocol column. */
static void
protocol_item(PeelPacket *pkt, const PeelProto *proto, const PeelReader *rd)
{
    if (proto->short_name != NULL)
        pkt->col_protocol = proto->short_name;
    if (!pkt->record_fields) {
        pkt->last = -1; /* not kept: nothing to write */
        return;
    }
    PeelField *fl = field_push(pkt, pkt->field_base, rd, peel_reader_captured(rd));
    if (fl != NULL && peel_last(pkt) >= 0) {
        fl->flags |= PEEL_FF_HAS_VALUE;
        pkt->parent = peel_last(pkt);
        pkt->depth++;
        if (pkt->want_tree)
            fl->text = proto->title;
    }
}

static void
dissect_with(PeelPacket *pkt, PeelReader *rd, uint32_t index)
{
    if (G_UNLIKELY(pkt->dis->disabled != NULL) && pkt->dis->disabled[index])
        index = pkt->dis->data_proto; /* --disable-protocol: its bytes are data */
    const PeelProto *proto = peel_registry_proto(index);
    /* Nesting is bounded: tunnels inside tunnels end as data. */
    if (pkt->layers >= 48 || pkt->depth >= PEEL_MAX_DEPTH) {
        if (index != pkt->dis->data_proto)
            index = pkt->dis->data_proto, proto = peel_registry_proto(index);
        else
            return;
    }
    int32_t saved_parent = pkt->parent;
    uint16_t saved_depth = pkt->depth;
    uint16_t saved_proto = pkt->proto;
    uint32_t saved_base = pkt->field_base;

    pkt->proto = (uint16_t)index;
    pkt->field_base = peel_proto_field_base(index);
    pkt->layers++;
    if (pkt->handed_to == UINT16_MAX)
        pkt->handed_to = (uint16_t)index;
    bool saved_record = pkt->record_fields;
    if (pkt->dis->no_record && pkt->dis->record_protos != NULL)
        pkt->record_fields = pkt->dis->record_protos[index];
    bool nest = pkt->nest;
    pkt->nest = false;
    if (!pkt->in_error && !nest) {
        /* Protocols stand side by side at the top of the tree, as in Wireshark; only a
         * packet quoted inside an ICMP error nests under the item that quotes it. */
        pkt->parent = -1;
        pkt->depth = 0;
    }
    if (index != pkt->dis->frame_proto) /* tshark's frame.protocols starts below it */
        protocols_append(pkt, proto->name);
    protocol_item(pkt, proto, rd);
    uint16_t handed_to = pkt->handed_to; /* what this layer's caller asks about */
    proto->dissect(rd, pkt);
    pkt->handed_to = handed_to;

    pkt->parent = saved_parent;
    pkt->depth = saved_depth;
    pkt->proto = saved_proto;
    pkt->field_base = saved_base;
    pkt->record_fields = saved_record;
}

void
peel_dissect_capture_end(PeelPacket *pkt, uint32_t index)
{
    const PeelProto *proto = peel_registry_proto(index);
    if (proto == NULL || proto->capture_end == NULL)
        return;
    pkt->proto = (uint16_t)index;
    pkt->field_base = peel_proto_field_base(index);
    pkt->layers++;
    if (pkt->dis->no_record && pkt->dis->record_protos != NULL)
        pkt->record_fields = pkt->dis->record_protos[index];
    pkt->parent = -1;
    pkt->depth = 0;
    protocols_append(pkt, proto->name);
    PeelReader none = peel_reader_init(pkt->frame->data, 0, 0, 0);
    protocol_item(pkt, proto, &none);
    proto->capture_end(pkt);
}

static bool
try_table(PeelPacket *pkt, PeelReader *rd, PeelTable table, uint32_t key)
{
    if (key > 0xffff)
        return false;
    uint16_t p = pkt->dis->tables[table][key];
    if (p == 0)
        return false;
    dissect_with(pkt, rd, p - 1u);
    return true;
}

static bool
try_heuristics(PeelPacket *pkt, PeelReader *rd, PeelTable table)
{
    PeelDissector *dis = pkt->dis;
    for (uint32_t i = 0; i < dis->n_heuristics[table]; i++) {
        uint32_t index = dis->heuristics[table][i];
        const PeelProto *proto = peel_registry_proto(index);
        if (proto->heuristic(rd, pkt)) {
            dissect_with(pkt, rd, index);
            return true;
        }
    }
    return false;
}

void
peel_next(PeelPacket *pkt, PeelReader *rd, PeelTable table, uint32_t key)
{
    if (pkt->in_error && table >= PEEL_TABLE_TCP_PORT)
        return;
    if (peel_reader_captured(rd) == 0 && peel_reader_remaining(rd) == 0)
        return;
    if (table == PEEL_TABLE_ETHERTYPE)
        protocols_append(pkt, "ethertype"); /* Wireshark's frame.protocols shows it */
    if (!try_table(pkt, rd, table, key) && !try_heuristics(pkt, rd, table))
        peel_next_data(pkt, rd);
}

const PeelProto *
peel_choose_port(PeelPacket *pkt, const PeelReader *rd, PeelTable table, uint16_t a,
        uint16_t b)
{
    PeelDissector *dis = pkt->dis;
    uint16_t lo = a < b ? a : b, hi = a < b ? b : a;
    uint16_t p = dis->tables[table][lo];
    if (p == 0)
        p = dis->tables[table][hi];
    if (p != 0)
        return peel_registry_proto(p - 1u);
    for (uint32_t i = 0; i < dis->n_heuristics[table]; i++) {
        const PeelProto *proto = peel_registry_proto(dis->heuristics[table][i]);
        if (proto->heuristic(rd, pkt))
            return proto;
    }
    return NULL;
}

void
peel_next_port(PeelPacket *pkt, PeelReader *rd, PeelTable table, uint16_t a, uint16_t b)
{
    if (pkt->in_error)
        return;
    if (peel_reader_captured(rd) == 0 && peel_reader_remaining(rd) == 0)
        return;
    uint16_t lo = a < b ? a : b, hi = a < b ? b : a;
    if (try_table(pkt, rd, table, lo) || try_table(pkt, rd, table, hi) ||
            try_heuristics(pkt, rd, table))
        return;
    peel_next_data(pkt, rd);
}

void
peel_next_proto(PeelPacket *pkt, PeelReader *rd, const PeelProto *proto)
{
    int index = peel_registry_proto_index(proto);
    if (index < 0)
        peel_next_data(pkt, rd);
    else
        dissect_with(pkt, rd, (uint32_t)index);
}

void
peel_next_data_nested(PeelPacket *pkt, PeelReader *rd)
{
    pkt->nest = true;
    peel_next_data(pkt, rd);
    pkt->nest = false;
}

void
peel_next_data(PeelPacket *pkt, PeelReader *rd)
{
    if (peel_reader_captured(rd) == 0 && peel_reader_remaining(rd) == 0)
        return;
    dissect_with(pkt, rd, pkt->dis->data_proto);
}

PeelReader
peel_add_source(PeelPacket *pkt, const uint8_t *data, uint32_t len, const char *name)
{
    if (pkt->n_sources >= PEEL_MAX_SOURCES) {
        PeelReader none = peel_reader_init(data, 0, 0, 0);
        none.status = PEEL_READ_MALFORMED;
        return none;
    }
    uint8_t src = pkt->n_sources++;
    pkt->sources[src] = (PeelSourceBytes){ .data = data, .len = len, .name = name };
    return peel_reader_init(data, len, len, src);
}

const char *
peel_value_name(const PeelValueName *names, uint64_t value)
{
    if (names == NULL)
        return NULL;
    for (; names->name != NULL; names++)
        if (names->value == value)
            return names->name;
    return NULL;
}
