/* dfilter-eval.c: runs a checked display filter over one packet's field list. Nothing is
 * allocated per packet: values are read in place from the fields, literals were converted
 * at compile time, and the few results that need a buffer (lower(), upper(), string(),
 * multi-range slices, formatted addresses) reuse the filter's scratch buffers. Quantifiers
 * follow Wireshark 4.0: "any" holds when some pair of values satisfies the relation, "all"
 * when every pair does and there is at least one. */
#include "dfilter-private.h"

#include <string.h>

#include "format.h"
#include "registry.h"

typedef struct {
    PeelDfilter *df;
    const PeelPacket *pkt;
} Ctx;

static bool
id_match(const DfExpr *e, uint32_t id)
{
    if (e->n_ids == 1)
        return e->ids[0] == id;
    for (uint32_t i = 0; i < e->n_ids; i++)
        if (e->ids[i] == id)
            return true;
    return false;
}

/* The next occurrence of a field from *pos on. */
static const PeelField *
next_field(const Ctx *c, const DfExpr *e, uint32_t *pos)
{
    const PeelPacket *pkt = c->pkt;
    for (uint32_t i = *pos; i < pkt->n_fields; i++) {
        const PeelField *fl = &pkt->fields[i];
        if ((fl->flags & PEEL_FF_HAS_VALUE) && id_match(e, fl->id)) {
            *pos = i + 1;
            return fl;
        }
    }
    *pos = pkt->n_fields;
    return NULL;
}

static void
load_field(const Ctx *c, const PeelField *fl, int side, DfVal *out)
{
    const PeelFieldDef *def = peel_field_def(fl->id);
    out->cls = (uint8_t)peel_df_class_of(def->type);
    out->neg = false;
    out->prefix = 0;
    out->wire_len = fl->length;
    switch (def->type) {
    case PEEL_FT_NONE:
        break;
    case PEEL_FT_PROTOCOL: {
        const PeelPacket *pkt = c->pkt;
        out->p = NULL;
        out->len = 0;
        if (fl->src < pkt->n_sources) {
            const PeelSourceBytes *s = &pkt->sources[fl->src];
            if (fl->offset <= s->len) {
                out->p = s->data + fl->offset;
                out->len = MIN(fl->length, s->len - fl->offset);
            }
        }
        break;
    }
    case PEEL_FT_I8:
    case PEEL_FT_I16:
    case PEEL_FT_I32:
    case PEEL_FT_I64:
        out->neg = fl->v.i < 0;
        out->u = out->neg ? (uint64_t)0 - (uint64_t)fl->v.i : (uint64_t)fl->v.i;
        break;
    case PEEL_FT_DOUBLE:
        out->d = fl->v.d;
        break;
    case PEEL_FT_ABS_TIME:
    case PEEL_FT_REL_TIME:
        out->t = fl->v.t;
        break;
    case PEEL_FT_IPV4:
        out->u = fl->v.u & 0xffffffffu;
        break;
    case PEEL_FT_STRING:
        if (fl->flags & PEEL_FF_ADDR_TEXT) {
            char *buf = c->df->addr_buf[side];
            size_t n = 0;
            if (fl->v.b.len == 4) {
                const uint8_t *a = fl->v.b.ptr;
                n = peel_ipv4_to_str(buf,
                        (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3]);
            } else if (fl->v.b.len == 16) {
                n = peel_ipv6_to_str(buf, fl->v.b.ptr);
            }
            out->p = (const uint8_t *)buf;
            out->len = (uint32_t)n;
            break;
        }
        /* fall through */
    case PEEL_FT_IPV6:
    case PEEL_FT_ETHER:
    case PEEL_FT_BYTES:
        out->p = fl->v.b.ptr;
        out->len = fl->v.b.len;
        break;
    default:
        out->u = fl->v.u;
        break;
    }
    /* Field values are whole addresses; literals may carry a shorter prefix. */
    out->prefix = out->cls == DF_C_IPV4 ? 32 : out->cls == DF_C_IPV6 ? 128 : 0;
}

/* Bytes of a value for slicing (IPv4 addresses as their four bytes). */
static void
as_bytes(PeelDfilter *df, int side, DfVal *v)
{
    if (v->cls == DF_C_IPV4) {
        uint8_t *b = df->ip4_buf[side];
        b[0] = (uint8_t)(v->u >> 24);
        b[1] = (uint8_t)(v->u >> 16);
        b[2] = (uint8_t)(v->u >> 8);
        b[3] = (uint8_t)v->u;
        v->p = b;
        v->len = 4;
    }
}

/* One range of a slice: false when it does not fit the value (no match, as Wireshark). */
static bool
range_fit(const DfRange *r, uint32_t len, uint32_t *start, uint32_t *n)
{
    int64_t s = r->start < 0 ? (int64_t)len + r->start : r->start;
    if (s < 0 || s > (int64_t)len)
        return false;
    int64_t l = r->len < 0 ? (int64_t)len - s : r->len;
    if (s + l > (int64_t)len)
        return false;
    *start = (uint32_t)s;
    *n = (uint32_t)l;
    return true;
}

static bool next_val(const Ctx *c, const DfExpr *e, int side, uint32_t *pos, DfVal *out);

static bool
next_slice(const Ctx *c, const DfExpr *e, int side, uint32_t *pos, DfVal *out)
{
    DfVal v;
    while (next_val(c, e->arg, side, pos, &v)) {
        as_bytes(c->df, side, &v);
        uint32_t s, n;
        if (e->n_ranges == 1) {
            if (!range_fit(&e->ranges[0], v.len, &s, &n))
                continue;
            *out = v;
            out->cls = DF_C_BYTES;
            out->p = v.p + s;
            out->len = n;
            return true;
        }
        GString *buf = c->df->scratch[side + 2];
        g_string_truncate(buf, 0);
        bool ok = true;
        for (uint32_t i = 0; i < e->n_ranges && ok; i++) {
            ok = range_fit(&e->ranges[i], v.len, &s, &n);
            if (ok)
                g_string_append_len(buf, (const char *)v.p + s, n);
        }
        if (!ok)
            continue;
        *out = v;
        out->cls = DF_C_BYTES;
        out->p = (const uint8_t *)buf->str;
        out->len = (uint32_t)buf->len;
        return true;
    }
    return false;
}

static bool
next_func(const Ctx *c, const DfExpr *e, int side, uint32_t *pos, DfVal *out)
{
    DfVal v;
    memset(out, 0, sizeof *out);
    out->cls = (uint8_t)e->cls;
    switch (e->func) {
    case DF_FN_COUNT: {
        if (*pos != 0)
            return false;
        uint32_t p = 0, n = 0;
        while (next_field(c, e->arg, &p) != NULL)
            n++;
        *pos = 1;
        out->u = n;
        return n > 0; /* as Wireshark 4.0: no value at all when the field is absent */
    }
    case DF_FN_LEN:
        if (!next_val(c, e->arg, side, pos, &v))
            return false;
        switch (v.cls) {
        case DF_C_PROTO:
        case DF_C_BYTES:
        case DF_C_STRING:
        case DF_C_ETHER:
        case DF_C_IPV6:
            out->u = v.len;
            break;
        case DF_C_IPV4:
            out->u = 4;
            break;
        default:
            out->u = v.wire_len;
        }
        return true;
    case DF_FN_LOWER:
    case DF_FN_UPPER: {
        if (!next_val(c, e->arg, side, pos, &v))
            return false;
        GString *buf = c->df->scratch[side];
        g_string_truncate(buf, 0);
        for (uint32_t i = 0; i < v.len; i++)
            g_string_append_c(buf, e->func == DF_FN_LOWER ? g_ascii_tolower((char)v.p[i])
                                                          : g_ascii_toupper((char)v.p[i]));
        out->p = (const uint8_t *)buf->str;
        out->len = (uint32_t)buf->len;
        return true;
    }
    case DF_FN_STRING: {
        const PeelField *fl = next_field(c, e->arg, pos);
        if (fl == NULL)
            return false;
        GString *buf = c->df->scratch[side];
        g_string_truncate(buf, 0);
        peel_format_value(buf, c->pkt, fl);
        out->p = (const uint8_t *)buf->str;
        out->len = (uint32_t)buf->len;
        return true;
    }
    }
    return false;
}

static bool
next_val(const Ctx *c, const DfExpr *e, int side, uint32_t *pos, DfVal *out)
{
    switch (e->kind) {
    case DF_X_FIELD: {
        const PeelField *fl = next_field(c, e, pos);
        if (fl == NULL)
            return false;
        load_field(c, fl, side, out);
        return true;
    }
    case DF_X_LITERAL:
        if (*pos != 0)
            return false;
        *pos = 1;
        *out = e->lit;
        return true;
    case DF_X_SLICE:
        return next_slice(c, e, side, pos, out);
    case DF_X_FUNC:
        return next_func(c, e, side, pos, out);
    case DF_X_BITAND: {
        if (!next_val(c, e->arg, side, pos, out))
            return false;
        const DfVal *m = &e->mask->lit;
        if (out->cls == DF_C_INT) {
            uint64_t bits = out->neg ? (uint64_t)0 - out->u : out->u;
            uint64_t mb = m->neg ? (uint64_t)0 - m->u : m->u;
            out->u = bits & mb;
            out->neg = false;
            return true;
        }
        /* bytes: and byte by byte over the shorter length */
        GString *buf = c->df->scratch[side + 2];
        g_string_truncate(buf, 0);
        uint32_t n = MIN(out->len, m->len);
        for (uint32_t i = 0; i < n; i++)
            g_string_append_c(buf, (char)(out->p[i] & m->p[i]));
        out->cls = DF_C_BYTES;
        out->p = (const uint8_t *)buf->str;
        out->len = n;
        return true;
    }
    }
    return false;
}

/* ---- comparing two values of one class ---- */

static int
cmp_u(uint64_t a, uint64_t b)
{
    return a < b ? -1 : a > b;
}

static int
cmp_bytes(const uint8_t *a, uint32_t la, const uint8_t *b, uint32_t lb)
{
    int r = memcmp(a, b, MIN(la, lb));
    if (r != 0)
        return r < 0 ? -1 : 1;
    return cmp_u(la, lb);
}

/* IPv6 under a prefix: compares the first `bits` bits only. */
static int
cmp_prefix(const uint8_t *a, const uint8_t *b, unsigned bits)
{
    for (unsigned i = 0; i < 16 && bits > 0; i++) {
        uint8_t m = bits >= 8 ? 0xff : (uint8_t)(0xff << (8 - bits));
        bits = bits >= 8 ? bits - 8 : 0;
        if ((a[i] & m) != (b[i] & m))
            return (a[i] & m) < (b[i] & m) ? -1 : 1;
    }
    return 0;
}

static int
compare(const DfVal *a, const DfVal *b)
{
    switch (a->cls) {
    case DF_C_INT:
        if (a->neg != b->neg)
            return a->neg ? -1 : 1;
        return a->neg ? -cmp_u(a->u, b->u) : cmp_u(a->u, b->u);
    case DF_C_DOUBLE:
        return a->d < b->d ? -1 : a->d > b->d;
    case DF_C_ABSTIME:
    case DF_C_RELTIME:
        if (a->t.sec != b->t.sec)
            return a->t.sec < b->t.sec ? -1 : 1;
        return a->t.nsec < b->t.nsec ? -1 : a->t.nsec > b->t.nsec;
    case DF_C_IPV4: {
        unsigned bits = MIN(a->prefix, b->prefix);
        uint32_t m = bits == 0 ? 0 : 0xffffffffu << (32 - bits);
        return cmp_u(a->u & m, b->u & m);
    }
    case DF_C_IPV6: {
        unsigned bits = MIN(a->prefix, b->prefix);
        if (a->len == 16 && b->len == 16)
            return cmp_prefix(a->p, b->p, bits);
        return cmp_bytes(a->p, a->len, b->p, b->len);
    }
    case DF_C_STRING:
        return cmp_bytes(a->p, a->len, b->p, b->len);
    default:
        /* Byte sequences order by length first, then by content (Wireshark 4.0's
         * bytes cmp_order): 72:1c:01 > ec:ba. */
        if (a->len != b->len)
            return a->len < b->len ? -1 : 1;
        return a->len ? cmp_bytes(a->p, a->len, b->p, b->len) : 0;
    }
}

static bool
same_kind(const DfVal *a, const DfVal *b)
{
    if (a->cls == b->cls)
        return true;
    bool ab = a->cls == DF_C_BYTES || a->cls == DF_C_PROTO || a->cls == DF_C_STRING;
    bool bb = b->cls == DF_C_BYTES || b->cls == DF_C_PROTO || b->cls == DF_C_STRING;
    return ab && bb;
}

static bool
contains(const DfVal *a, const DfVal *b)
{
    if (b->len == 0)
        return true;
    if (b->len > a->len)
        return false;
    const uint8_t *end = a->p + (a->len - b->len);
    for (const uint8_t *p = a->p; p <= end; p++) {
        p = memchr(p, b->p[0], (size_t)(end - p) + 1);
        if (p == NULL)
            return false;
        if (memcmp(p, b->p, b->len) == 0)
            return true;
    }
    return false;
}

static bool
apply(DfOp op, const DfVal *a, const DfVal *b)
{
    if (!same_kind(a, b))
        return false;
    if (op == DF_OP_CONTAINS)
        return contains(a, b);
    int r = compare(a, b);
    switch (op) {
    case DF_OP_EQ:
        return r == 0;
    case DF_OP_NE:
        return r != 0;
    case DF_OP_GT:
        return r > 0;
    case DF_OP_LT:
        return r < 0;
    case DF_OP_GE:
        return r >= 0;
    case DF_OP_LE:
        return r <= 0;
    default:
        return false;
    }
}

static bool
eval_cmp(const Ctx *c, const DfTest *t)
{
    uint32_t pa = 0;
    DfVal va, vb;
    bool any_pair = false;
    while (next_val(c, t->a, 0, &pa, &va)) {
        if (t->op == DF_OP_MATCHES) {
            bool r = (va.cls == DF_C_BYTES || va.cls == DF_C_PROTO || va.cls == DF_C_STRING) &&
                     g_regex_match_full(t->re, (const char *)va.p, va.len, 0, 0, NULL, NULL);
            any_pair = true;
            if (r != t->all)
                return r;
            continue;
        }
        uint32_t pb = 0;
        while (next_val(c, t->b, 1, &pb, &vb)) {
            bool r = apply(t->op, &va, &vb);
            any_pair = true;
            if (r != t->all)
                return r; /* any: the first true decides; all: the first false */
        }
    }
    return t->all && any_pair;
}

static bool
in_set(const DfTest *t, const DfVal *v)
{
    for (uint32_t i = 0; i < t->n_set; i++) {
        const DfSetItem *it = &t->set[i];
        if (it->hi == NULL) {
            if (apply(DF_OP_EQ, v, &it->lo->lit))
                return true;
        } else if (apply(DF_OP_GE, v, &it->lo->lit) && apply(DF_OP_LE, v, &it->hi->lit)) {
            return true;
        }
    }
    return false;
}

static bool
nonzero(const DfVal *v)
{
    if (v->cls == DF_C_INT)
        return v->u != 0;
    for (uint32_t i = 0; i < v->len; i++)
        if (v->p[i])
            return true;
    return false;
}

bool
peel_df_eval(PeelDfilter *df, const DfTest *t, const PeelPacket *pkt)
{
    Ctx c = { df, pkt };
    uint32_t pos = 0;
    DfVal v;
    switch (t->kind) {
    case DF_T_AND:
        for (uint32_t i = 0; i < t->n_kids; i++)
            if (!peel_df_eval(df, t->kids[i], pkt))
                return false;
        return true;
    case DF_T_OR:
        for (uint32_t i = 0; i < t->n_kids; i++)
            if (peel_df_eval(df, t->kids[i], pkt))
                return true;
        return false;
    case DF_T_XOR: {
        bool x = false;
        for (uint32_t i = 0; i < t->n_kids; i++)
            x ^= peel_df_eval(df, t->kids[i], pkt);
        return x;
    }
    case DF_T_NOT:
        return !peel_df_eval(df, t->l, pkt);
    case DF_T_TRUE:
        return true;
    case DF_T_EXISTS:
        if (t->a->kind == DF_X_FIELD)
            return next_field(&c, t->a, &pos) != NULL;
        while (next_val(&c, t->a, 0, &pos, &v))
            if (t->a->kind != DF_X_BITAND || nonzero(&v))
                return true;
        return false;
    case DF_T_CMP:
        return eval_cmp(&c, t);
    case DF_T_IN: {
        bool found = false;
        while (!found && next_val(&c, t->a, 0, &pos, &v))
            found = in_set(t, &v);
        return found != t->negate;
    }
    }
    return false;
}
