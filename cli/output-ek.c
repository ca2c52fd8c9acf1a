/* output-ek.c: `-T ek` documents as tshark 4.0 writes them (epan/print.c
 * write_ek_proto_tree, proto_tree_write_node_ek, ek_fill_attr, ek_write_attr).
 *
 * The layout, from tshark's code and output:
 *  - each protocol is an object; every field below it, at any depth, is a member of that
 *    object (subtrees are flattened), except protocols, which nest as objects;
 *  - fields are grouped by (parent item, field): the members of one group become one
 *    member whose value is an array, placed where the group first appeared; the same
 *    field under different parents stays separate members (with the same name);
 *  - names are PROTO_FIELD ("tcp_tcp_srcport"), protocols their bare name, every '.'
 *    written as '_';
 *  - values are strings as `-T json` shows them, except booleans (true/false), label
 *    items without a value (null) and absolute times (ISO 8601 UTC);
 *  - an expert note is a "_ws_expert" object under the field it is attached to, or in
 *    place of the value-less field that names it (tcp.analysis.retransmission).
 *
 * Grouping uses a small open-addressing table and per-field chain arrays reused from
 * packet to packet, so a packet costs no allocation once the buffers have grown. */
#include "output-ek.h"

#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "format.h"
#include "registry.h"

/* A group's key: the field and the field of its parent item. */
typedef struct {
    uint32_t gen;
    uint32_t parent_id;
    uint32_t id;
    int32_t last; /* the group's last attribute so far (attribute code) */
} Slot;

#define EXPERT_ID UINT32_MAX /* the "_ws.expert" pseudo field in keys */

struct PeelEk {
    char **protocols;
    bool children;
    GString **keys; /* by field id, built on first use */
    uint8_t *types; /* by field id: the PeelFieldType, a compact copy for the walk */
    uint32_t n_keys;
    /* Per attribute (field index, or expert n as n_fields + n): the next member of its
     * group, and whether it follows an earlier one. Sized to the packet. */
    int32_t *next;
    uint8_t *follower;
    uint32_t cap;
    /* Per expert note of the packet: the object it belongs to and the position it
     * precedes there (expert_place), worked out once per packet. */
    int32_t *exp_owner;
    uint32_t *exp_pos;
    uint32_t *exp_parent; /* the field id of the parent item, for grouping */
    int32_t *exp_named;   /* the field the note stands for (see expert_place), or -1 */
    uint32_t exp_cap;
    uint8_t *absorbed;    /* per field: written as part of an expert note, not alone */
    uint8_t *exp_here;    /* per position (0..n_fields): some note is placed there */
    /* The attributes of the objects being written, in order: each object's collecting walk
     * appends its own after its parent's, and its writing reads them back (a stack). */
    int32_t *order;
    uint32_t n_order, cap_order;
    Slot *table;
    uint32_t mask;
    uint32_t gen;
    GString *val;
    int64_t time_sec; /* the second of the cached "YYYY-MM-DDTHH:MM:SS" */
    bool have_time;
    char time_text[32];
    int64_t date_sec; /* the day of the cached index line */
    bool have_date;
    char index_line[64];
};

PeelEk *
peel_ek_new(char **protocols, bool children)
{
    PeelEk *ek = g_new0(PeelEk, 1);
    ek->protocols = g_strdupv(protocols);
    ek->children = children;
    ek->n_keys = peel_field_count();
    ek->keys = g_new0(GString *, ek->n_keys);
    ek->types = g_new(uint8_t, ek->n_keys ? ek->n_keys : 1);
    for (uint32_t i = 0; i < ek->n_keys; i++)
        ek->types[i] = (uint8_t)peel_field_def(i)->type;
    ek->val = g_string_sized_new(256);
    return ek;
}

void
peel_ek_free(PeelEk *ek)
{
    if (ek == NULL)
        return;
    for (uint32_t i = 0; i < ek->n_keys; i++)
        if (ek->keys[i] != NULL)
            g_string_free(ek->keys[i], TRUE);
    g_free(ek->keys);
    g_free(ek->types);
    g_strfreev(ek->protocols);
    g_free(ek->next);
    g_free(ek->follower);
    g_free(ek->exp_owner);
    g_free(ek->exp_pos);
    g_free(ek->exp_parent);
    g_free(ek->exp_named);
    g_free(ek->absorbed);
    g_free(ek->exp_here);
    g_free(ek->table);
    g_free(ek->order);
    g_string_free(ek->val, TRUE);
    g_free(ek);
}

/* Per byte: 0 goes out as it is; 1 is escaped; 2 is '.' (a '_' in names); 3 is '/' (escaped
 * after '<', as tshark's JSON writer does). */
static const uint8_t ek_class[256] = {
    [0x00 ... 0x1f] = 1, ['"'] = 1, ['\\'] = 1, ['.'] = 2, ['/'] = 3,
};

/* The string's characters, escaped, without the quotes. */
static void
escape_body(GString *out, const char *s, size_t n, bool dots)
{
    static const char hex[] = "0123456789abcdef";
    size_t run = 0; /* start of the bytes not written yet, which need no escape */
    size_t i = 0;
    for (;;) {
        while (i < n && ek_class[(unsigned char)s[i]] == 0)
            i++;
        if (i >= n || s[i] == '\0')
            break;
        unsigned char c = (unsigned char)s[i];
        uint8_t k = ek_class[c];
        if ((k == 2 && !dots) || (k == 3 && (i == 0 || s[i - 1] != '<'))) {
            i++;
            continue;
        }
        peel_gs_put(out, s + run, i - run);
        run = ++i;
        if (k == 2) {
            g_string_append_c(out, '_');
            continue;
        }
        g_string_append_c(out, '\\');
        switch (c) {
        case '\b':
            g_string_append_c(out, 'b');
            break;
        case '\t':
            g_string_append_c(out, 't');
            break;
        case '\n':
            g_string_append_c(out, 'n');
            break;
        case '\f':
            g_string_append_c(out, 'f');
            break;
        case '\r':
            g_string_append_c(out, 'r');
            break;
        default:
            if (c >= 0x20) {
                g_string_append_c(out, (char)c);
            } else {
                PEEL_GS_LIT(out, "u00");
                g_string_append_c(out, hex[c >> 4]);
                g_string_append_c(out, hex[c & 0xf]);
            }
        }
    }
    peel_gs_put(out, s + run, i - run);
}

void
peel_ek_append_string(GString *out, const char *s, size_t n, bool dots)
{
    g_string_append_c(out, '"');
    escape_body(out, s, n, dots);
    g_string_append_c(out, '"');
}

/* Items Wireshark registers as protocols "in name only" (one per TCP option kind), which
 * ek names without a protocol prefix. */
static const char *const name_only_protocols[] = {
    "tcp.options.eol", "tcp.options.nop", "tcp.options.mss", "tcp.options.wscale",
    "tcp.options.sack_perm", "tcp.options.sack", "tcp.options.echo", "tcp.options.echoreply",
    "tcp.options.timestamp", "tcp.options.cc", "tcp.options.md5", "tcp.options.scps",
    "tcp.options.snack", "tcp.options.scpsrec", "tcp.options.scpscorr", "tcp.options.qs",
    "tcp.options.user_to", "tcp.options.tfo", "tcp.options.rvbd.probe",
    "tcp.options.rvbd.trpy", "tcp.options.experimental", "tcp.options.unknown",
    "tcp.options.mptcp",
};

void
peel_ek_append_key(GString *out, uint32_t field_id)
{
    const PeelFieldDef *def = peel_field_def(field_id);
    bool bare = def->type == PEEL_FT_PROTOCOL;
    for (gsize i = 0; !bare && i < G_N_ELEMENTS(name_only_protocols); i++)
        bare = strcmp(def->name, name_only_protocols[i]) == 0;
    if (bare) {
        peel_ek_append_string(out, def->name, strlen(def->name), true);
        return;
    }
    /* The prefix is the protocol the field belongs to; a protocol item inside another
     * protocol's table (ipv6.fraghdr) owns the fields named below it, as in Wireshark
     * where it is a protocol of its own. */
    const PeelProto *p = peel_registry_proto(peel_field_proto(field_id));
    const char *owner = p->name;
    size_t owner_len = strlen(owner);
    for (uint32_t f = 0; f < p->n_fields; f++) {
        const PeelFieldDef *d = &p->fields[f];
        size_t n = strlen(d->name);
        if (d->type == PEEL_FT_PROTOCOL && n > owner_len && strncmp(def->name, d->name, n) == 0 &&
                def->name[n] == '.') {
            owner = d->name;
            owner_len = n;
        }
    }
    g_autofree char *key = g_strconcat(owner, "_", def->name, NULL);
    peel_ek_append_string(out, key, strlen(key), true);
}

static const GString *
key_of(PeelEk *ek, uint32_t id)
{
    if (ek->keys[id] == NULL) {
        ek->keys[id] = g_string_new(NULL);
        peel_ek_append_key(ek->keys[id], id);
    }
    return ek->keys[id];
}

bool
peel_protocol_filter_match(char **protocols, const char *name)
{
    for (char **p = protocols; p && *p; p++) {
        if (strcmp(*p, name) == 0)
            return true;
        /* tshark also accepts the name with dots written as underscores */
        size_t n = strlen(name);
        if (strlen(*p) != n)
            continue;
        size_t i = 0;
        while (i < n && ((*p)[i] == name[i] || ((*p)[i] == '_' && name[i] == '.')))
            i++;
        if (i == n)
            return true;
    }
    return false;
}

/* ---- Scratch space ---- */

static void
ek_reserve(PeelEk *ek, uint32_t n)
{
    if (n > ek->cap) {
        uint32_t cap = MAX(n, ek->cap * 2);
        ek->next = g_renew(int32_t, ek->next, cap);
        ek->follower = g_renew(uint8_t, ek->follower, cap);
        ek->absorbed = g_renew(uint8_t, ek->absorbed, cap);
        ek->exp_here = g_renew(uint8_t, ek->exp_here, cap);
        ek->cap = cap;
    }
    uint32_t want = 64;
    while (want < 2 * n)
        want *= 2;
    if (want > ek->mask + 1 || ek->table == NULL) {
        g_free(ek->table);
        ek->table = g_new0(Slot, want);
        ek->mask = want - 1;
        ek->gen = 0;
    }
}

/* Adds attribute `code` under key (parent_id, id) to the grouping of the current object
 * (generation ek->gen). */
static void
group_add(PeelEk *ek, uint32_t parent_id, uint32_t id, int32_t code)
{
    uint32_t h = (parent_id * 2654435761u) ^ (id * 40503u);
    for (uint32_t i = h & ek->mask;; i = (i + 1) & ek->mask) {
        Slot *s = &ek->table[i];
        if (s->gen != ek->gen) {
            *s = (Slot){ .gen = ek->gen, .parent_id = parent_id, .id = id, .last = code };
            ek->next[code] = -1;
            ek->follower[code] = 0;
            return;
        }
        if (s->parent_id == parent_id && s->id == id) {
            ek->next[s->last] = code;
            ek->next[code] = -1;
            ek->follower[code] = 1;
            s->last = code;
            return;
        }
    }
}

static void
new_generation(PeelEk *ek)
{
    if (++ek->gen == 0) {
        memset(ek->table, 0, sizeof(Slot) * (ek->mask + 1));
        ek->gen = 1;
    }
}

/* ---- Walking an object's attributes ---- */

static uint32_t
subtree_end(const PeelPacket *pkt, uint32_t i)
{
    uint16_t d = pkt->fields[i].depth;
    uint32_t j = i + 1;
    while (j < pkt->n_fields && pkt->fields[j].depth > d)
        j++;
    return j;
}

static bool
is_protocol(const PeelEk *ek, const PeelField *fl)
{
    return ek->types[fl->id] == PEEL_FT_PROTOCOL;
}

static int32_t
protocol_above(const PeelEk *ek, const PeelPacket *pkt, int32_t f)
{
    int32_t p = pkt->fields[f].parent;
    while (p >= 0 && !is_protocol(ek, &pkt->fields[p]))
        p = pkt->fields[p].parent;
    return p;
}

/* Where expert note e goes: the object it belongs to (its field if that is a protocol
 * item, else the nearest protocol above it; -1: the layers object), the attribute
 * position it precedes there (the end of its field's subtree; n_fields: the object's end)
 * and the parent item it is grouped under.
 *
 * Wireshark's expert item stands in the tree where its expert field would be
 * (tcp.analysis.retransmission is the _ws.expert item's first child). peel records such
 * a field as a value-less leaf and attaches the note to it: the note then takes the
 * field's place, names it inside "_ws_expert", and the field is not written alone. */
static void
expert_place(PeelEk *ek, const PeelPacket *pkt, uint32_t e)
{
    int32_t f = pkt->experts[e].field;
    ek->exp_named[e] = -1;
    if (f < 0 || (uint32_t)f >= pkt->n_fields) {
        ek->exp_owner[e] = -1;
        ek->exp_pos[e] = pkt->n_fields;
        ek->exp_parent[e] = UINT32_MAX - 1;
        return;
    }
    const PeelField *fl = &pkt->fields[f];
    if (is_protocol(ek, fl)) {
        ek->exp_owner[e] = f;
        ek->exp_pos[e] = pkt->n_fields;
        ek->exp_parent[e] = fl->id;
        return;
    }
    uint32_t end = subtree_end(pkt, (uint32_t)f);
    ek->exp_owner[e] = protocol_above(ek, pkt, f);
    if (peel_field_def(fl->id)->type == PEEL_FT_NONE && end == (uint32_t)f + 1) {
        ek->exp_named[e] = f;
        ek->exp_pos[e] = (uint32_t)f;
        ek->exp_parent[e] = fl->parent >= 0 ? pkt->fields[fl->parent].id : UINT32_MAX - 1;
        ek->absorbed[f] = 1;
        return;
    }
    ek->exp_pos[e] = end;
    ek->exp_parent[e] = fl->id;
}

typedef struct {
    PeelEk *ek;
    const PeelPacket *pkt;
    GString *out;
    char **filter; /* the -j list in force here, NULL when everything is written */
} Walk;

/* Calls fn for each attribute of the object `obj` (a protocol item, or -1 for the layers):
 * fields in tree order with non-protocol subtrees flattened, and expert notes after the
 * subtree of their field. */
typedef void (*AttrFn)(Walk *w, int32_t code, uint32_t parent_id, uint32_t id);

static void
experts_at(Walk *w, int32_t obj, uint32_t pos, AttrFn fn)
{
    const PeelPacket *pkt = w->pkt;
    for (uint32_t e = 0; e < pkt->n_experts; e++) {
        if (w->ek->exp_owner[e] != obj || w->ek->exp_pos[e] != pos)
            continue;
        fn(w, (int32_t)(pkt->n_fields + e), w->ek->exp_parent[e], EXPERT_ID);
    }
}

static void
walk_object(Walk *w, int32_t obj, AttrFn fn)
{
    const PeelPacket *pkt = w->pkt;
    uint32_t start = obj < 0 ? 0 : (uint32_t)obj + 1;
    uint32_t end = obj < 0 ? pkt->n_fields : subtree_end(pkt, (uint32_t)obj);
    bool experts = pkt->n_experts > 0;
    for (uint32_t i = start; i < end;) {
        if (experts && w->ek->exp_here[i])
            experts_at(w, obj, i, fn);
        const PeelField *fl = &pkt->fields[i];
        uint32_t parent_id = fl->parent >= 0 ? pkt->fields[fl->parent].id : UINT32_MAX - 1;
        if (!experts || !w->ek->absorbed[i])
            fn(w, (int32_t)i, parent_id, fl->id);
        if (is_protocol(w->ek, fl)) {
            i = subtree_end(pkt, i);
        } else if (w->filter != NULL && i + 1 < end && pkt->fields[i + 1].parent == (int32_t)i &&
                   !peel_protocol_filter_match(w->filter, peel_field_def(fl->id)->name)) {
            i = subtree_end(pkt, i); /* -j: children of unlisted fields are left out */
        } else {
            i++;
        }
    }
    if (experts) {
        if (w->ek->exp_here[end])
            experts_at(w, obj, end, fn);
        if (end != pkt->n_fields && w->ek->exp_here[pkt->n_fields])
            experts_at(w, obj, pkt->n_fields, fn);
    }
}

static void
collect_attr(Walk *w, int32_t code, uint32_t parent_id, uint32_t id)
{
    PeelEk *ek = w->ek;
    group_add(ek, parent_id, id, code);
    if (ek->follower[code])
        return; /* written with the group's first */
    if (ek->n_order == ek->cap_order) {
        ek->cap_order = ek->cap_order ? 2 * ek->cap_order : 256;
        ek->order = g_renew(int32_t, ek->order, ek->cap_order);
    }
    ek->order[ek->n_order++] = code;
}

static void write_object(Walk *w, int32_t obj);

/* A string value in one pass: what tshark's escaping (peel_format_escaped) leaves alone
 * and JSON needs no escape for goes out in runs; the rest of the string, from the first
 * byte that is neither, takes the two steps. */
static const uint8_t string_plain[256] = {
    /* printable ASCII but '"' (0x22), '<' (0x3c) and '\\' (0x5c) */
    [0x20 ... 0x21] = 1, [0x23 ... 0x3b] = 1, [0x3d ... 0x5b] = 1, [0x5d ... 0x7e] = 1,
};

static void
write_string(Walk *w, const uint8_t *s, uint32_t n)
{
    GString *out = w->out;
    g_string_append_c(out, '"');
    uint32_t i = 0;
    while (i < n) {
        uint32_t run = i;
        while (run < n && string_plain[s[run]])
            run++;
        peel_gs_put(out, (const char *)s + i, run - i);
        i = run;
        if (i == n)
            break;
        uint8_t c = s[i];
        if (c == '<') {
            g_string_append_c(out, '<');
            if (i + 1 < n && s[i + 1] == '/') {
                PEEL_GS_LIT(out, "\\/");
                i++;
            }
            i++;
        } else if (c == '"' || c == '\\') {
            g_string_append_c(out, '\\');
            g_string_append_c(out, (char)c);
            i++;
        } else if (c >= '\a' && c <= '\r') {
            /* tshark's "\n" for a newline, its backslash escaped for JSON */
            static const char names[] = "abtnvfr";
            PEEL_GS_LIT(out, "\\\\");
            g_string_append_c(out, names[c - '\a']);
            i++;
        } else {
            GString *v = w->ek->val;
            g_string_truncate(v, 0);
            peel_format_escaped(v, s + i, n - i);
            escape_body(out, v->str, v->len, false);
            break;
        }
    }
    g_string_append_c(out, '"');
}

/* Appends a value as tshark's ek writes it. */
static void
write_value(Walk *w, const PeelField *fl)
{
    GString *out = w->out;
    const PeelFieldDef *def = peel_field_def(fl->id);
    if (w->filter != NULL && !peel_protocol_filter_match(w->filter, def->name)) {
        PEEL_GS_LIT(out, "{\"filtered\":");
        peel_ek_append_string(out, def->name, strlen(def->name), false);
        g_string_append_c(out, '}');
        return;
    }
    switch (def->type) {
    case PEEL_FT_NONE:
        PEEL_GS_LIT(out, "null");
        return;
    case PEEL_FT_BOOLEAN:
        peel_gs_puts(out, fl->v.u ? "true" : "false");
        return;
    case PEEL_FT_ABS_TIME: {
        if (def->show == PEEL_SHOW_DEC)
            break; /* seconds since the epoch (frame.time_epoch), as -T json */
        PeelEk *ek = w->ek;
        if (!ek->have_time || ek->time_sec != fl->v.t.sec) {
            /* one conversion per second of capture time: frame.time is in every packet */
            time_t secs = (time_t)fl->v.t.sec;
            struct tm tm;
            if (gmtime_r(&secs, &tm) == NULL ||
                    strftime(ek->time_text, sizeof ek->time_text, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
                ek->time_text[0] = '\0';
            ek->time_sec = fl->v.t.sec;
            ek->have_time = true;
        }
        if (ek->time_text[0] == '\0') {
            PEEL_GS_LIT(out, "\"Not representable\"");
            return;
        }
        char frac[16];
        uint32_t ns = (uint32_t)fl->v.t.nsec;
        for (int d = 8; d >= 0; d--, ns /= 10)
            frac[d] = (char)('0' + ns % 10);
        g_string_append_c(out, '"');
        peel_gs_puts(out, ek->time_text);
        g_string_append_c(out, '.');
        g_string_append_len(out, frac, 9);
        PEEL_GS_LIT(out, "Z\"");
        return;
    }
    default:
        break;
    }
    switch (def->type) {
    case PEEL_FT_BYTES: {
        /* "aa:bb:cc": payloads make most of an ek document */
        g_string_append_c(out, '"');
        peel_format_hex(out, fl->v.b.ptr, fl->v.b.len, ':');
        g_string_append_c(out, '"');
        return;
    }
    default:
        break;
    }
    switch (def->type) {
    case PEEL_FT_U8:
    case PEEL_FT_U16:
    case PEEL_FT_U24:
    case PEEL_FT_U32:
    case PEEL_FT_U64:
    case PEEL_FT_I8:
    case PEEL_FT_I16:
    case PEEL_FT_I32:
    case PEEL_FT_I64:
    case PEEL_FT_FRAMENUM:
    case PEEL_FT_IPV4:
    case PEEL_FT_IPV6:
    case PEEL_FT_ETHER:
    case PEEL_FT_REL_TIME:
        /* digits, dots, colons: nothing to escape, formatted in place */
        g_string_append_c(out, '"');
        if (fl->flags & PEEL_FF_HAS_VALUE)
            peel_format_value(out, w->pkt, fl);
        g_string_append_c(out, '"');
        return;
    default:
        break;
    }
    if (def->type == PEEL_FT_STRING && (fl->flags & PEEL_FF_HAS_VALUE) &&
            !(fl->flags & PEEL_FF_ADDR_TEXT)) {
        write_string(w, fl->v.b.ptr, fl->v.b.len);
        return;
    }
    GString *v = w->ek->val;
    g_string_truncate(v, 0);
    if (fl->flags & PEEL_FF_HAS_VALUE)
        peel_format_value(v, w->pkt, fl);
    peel_ek_append_string(out, v->str, v->len, false);
}

static void
write_expert(Walk *w, uint32_t e)
{
    const PeelExpert *ex = &w->pkt->experts[e];
    /* Wireshark's severity and group codes (epan/proto.h PI_*) */
    static const uint32_t sev[] = { 0x00100000, 0x00200000, 0x00400000, 0x00600000,
        0x00800000 };
    static const uint32_t grp[] = { 0x07000000, 0x01000000, 0x02000000, 0x09000000,
        0x05000000, 0x06000000, 0x0b000000 };
    GString *out = w->out;
    g_string_append_c(out, '{');
    int32_t named = w->ek->exp_named[e];
    if (named >= 0) {
        const GString *key = key_of(w->ek, w->pkt->fields[named].id);
        peel_gs_put(out, key->str, key->len);
        PEEL_GS_LIT(out, ":null,");
    }
    PEEL_GS_LIT(out, "\"_ws_expert__ws_expert_message\":");
    peel_ek_append_string(out, ex->msg, strlen(ex->msg), false);
    g_string_append_printf(out,
            ",\"_ws_expert__ws_expert_severity\":\"%u\",\"_ws_expert__ws_expert_group\":\"%u\"}",
            ex->severity < G_N_ELEMENTS(sev) ? sev[ex->severity] : 0,
            ex->group < G_N_ELEMENTS(grp) ? grp[ex->group] : 0);
}

static void
write_one(Walk *w, int32_t code)
{
    const PeelPacket *pkt = w->pkt;
    if ((uint32_t)code >= pkt->n_fields) {
        write_expert(w, (uint32_t)code - pkt->n_fields);
        return;
    }
    const PeelField *fl = &pkt->fields[code];
    if (!is_protocol(w->ek, fl)) {
        write_value(w, fl);
        return;
    }
    const char *name = peel_field_def(fl->id)->name;
    if (w->filter != NULL && !peel_protocol_filter_match(w->filter, name)) {
        PEEL_GS_LIT(w->out, "{\"filtered\":");
        peel_ek_append_string(w->out, name, strlen(name), false);
        g_string_append_c(w->out, '}');
        return;
    }
    char **saved = w->filter;
    if (w->ek->children)
        w->filter = NULL; /* -J: all that is under a listed protocol */
    write_object(w, code);
    w->filter = saved;
}

static void
write_attr(Walk *w, int32_t code, uint32_t parent_id, uint32_t id)
{
    (void)parent_id;
    PeelEk *ek = w->ek;
    if (ek->follower[code])
        return;
    GString *out = w->out;
    if (out->len > 0 && out->str[out->len - 1] != '{')
        g_string_append_c(out, ',');
    if (id == EXPERT_ID) {
        PEEL_GS_LIT(out, "\"_ws_expert\"");
    } else {
        const GString *key = key_of(ek, id);
        peel_gs_put(out, key->str, key->len);
    }
    g_string_append_c(out, ':');
    bool many = ek->next[code] >= 0;
    if (many)
        g_string_append_c(out, '[');
    for (int32_t c = code; c >= 0; c = ek->next[c]) {
        if (c != code)
            g_string_append_c(out, ',');
        write_one(w, c);
    }
    if (many)
        g_string_append_c(out, ']');
}

/* Writes {members} of the object `obj`: groups first (one table generation per object),
 * then members; nested objects regroup after their parent's grouping is complete. */
static void
write_object(Walk *w, int32_t obj)
{
    PeelEk *ek = w->ek;
    new_generation(ek);
    uint32_t base = ek->n_order;
    walk_object(w, obj, collect_attr);
    uint32_t end = ek->n_order;
    g_string_append_c(w->out, '{');
    const PeelPacket *pkt = w->pkt;
    for (uint32_t k = base; k < end; k++) {
        int32_t code = ek->order[k]; /* read again each time: nested objects grow the array */
        uint32_t id = (uint32_t)code >= pkt->n_fields ? EXPERT_ID : pkt->fields[code].id;
        write_attr(w, code, 0, id);
    }
    ek->n_order = base;
    g_string_append_c(w->out, '}');
}

void
peel_ek_packet(PeelEk *ek, GString *out, const PeelPacket *pkt)
{
    const PeelFrameInfo *fr = pkt->frame;
    if (!ek->have_date || fr->ts.sec / 60 != ek->date_sec / 60) {
        /* The index is named for the day in local time, as tshark's write_json_index;
         * recomputed at most once a minute of capture time. */
        time_t secs = (time_t)fr->ts.sec;
        struct tm tm;
        char date[16];
        if (localtime_r(&secs, &tm) == NULL || strftime(date, sizeof date, "%Y-%m-%d", &tm) == 0)
            g_strlcpy(date, "XXXX-XX-XX", sizeof date);
        g_snprintf(ek->index_line, sizeof ek->index_line,
                "{\"index\":{\"_index\":\"packets-%s\",\"_type\":\"doc\"}}\n", date);
        ek->date_sec = fr->ts.sec;
        ek->have_date = true;
    }
    peel_gs_puts(out, ek->index_line);
    g_string_append_printf(out, "{\"timestamp\":\"%" PRIu64 "%03d\",\"layers\":",
            (uint64_t)fr->ts.sec, fr->ts.nsec / 1000000);
    ek_reserve(ek, pkt->n_fields + pkt->n_experts + 1);
    if (pkt->n_experts > ek->exp_cap) {
        ek->exp_cap = MAX(pkt->n_experts, ek->exp_cap * 2);
        ek->exp_owner = g_renew(int32_t, ek->exp_owner, ek->exp_cap);
        ek->exp_pos = g_renew(uint32_t, ek->exp_pos, ek->exp_cap);
        ek->exp_parent = g_renew(uint32_t, ek->exp_parent, ek->exp_cap);
        ek->exp_named = g_renew(int32_t, ek->exp_named, ek->exp_cap);
    }
    if (pkt->n_experts > 0) {
        memset(ek->absorbed, 0, pkt->n_fields);
        memset(ek->exp_here, 0, pkt->n_fields + 1);
    }
    for (uint32_t e = 0; e < pkt->n_experts; e++) {
        expert_place(ek, pkt, e);
        ek->exp_here[ek->exp_pos[e]] = 1;
    }
    Walk w = { .ek = ek, .pkt = pkt, .out = out, .filter = ek->protocols };
    write_object(&w, -1);
    PEEL_GS_LIT(out, "}\n");
}
