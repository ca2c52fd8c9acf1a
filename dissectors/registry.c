/* registry.c: the list of protocols, and global field ids and names built from it. */
#include "registry.h"

#include <string.h>

#include "protos.h"

/* Every protocol peel knows, one line each. Order is registration order: heuristics of a
 * table are tried in this order. */
static const PeelProto *const all_protos[] = {
    &peel_proto_frame,
    &peel_proto_eth,
    &peel_proto_llc,
    &peel_proto_vlan,
    &peel_proto_ieee8021ad,
    &peel_proto_sll,
    &peel_proto_null,
    &peel_proto_raw,
    &peel_proto_arp,
    &peel_proto_ip,
    &peel_proto_ipv6,
    &peel_proto_icmp,
    &peel_proto_icmpv6,
    &peel_proto_tcp,
    &peel_proto_udp,
    &peel_proto_http,
    &peel_proto_websocket,
    &peel_proto_stun,
    &peel_proto_classicstun,
    &peel_proto_http2,
    &peel_proto_grpc,
    &peel_proto_protobuf,
    &peel_proto_data,
    &peel_proto_amqp,
    &peel_proto_json,
};

#define N_BUILTIN (sizeof all_protos / sizeof all_protos[0])
#define MAX_EXTRA 8

static const PeelProto *extra_protos[MAX_EXTRA];
static uint32_t n_extra;
static bool initialised;

#define N_PROTOS (N_BUILTIN + n_extra)

typedef struct {
    uint32_t n_fields;
    uint32_t base[N_BUILTIN + MAX_EXTRA];
    const PeelFieldDef **defs; /* by id */
    uint16_t *owner;           /* by id */
    PeelFieldDef *proto_defs;  /* one per protocol, for its own item */
    GHashTable *by_name;       /* name -> id + 1 */
    /* PeelProto pointer -> index + 1, open addressing (asked for on every TCP segment) */
    uintptr_t index_keys[4 * (N_BUILTIN + MAX_EXTRA)];
    uint16_t index_values[4 * (N_BUILTIN + MAX_EXTRA)];
} Registry;

#define INDEX_SLOTS (4 * (N_BUILTIN + MAX_EXTRA))

static uint32_t
index_slot(const PeelProto *proto)
{
    return (uint32_t)(((uintptr_t)proto >> 4) * 2654435761u % INDEX_SLOTS);
}

static Registry reg;
const PeelFieldDef **peel_field_defs;

static const PeelProto *
proto_at(uint32_t p)
{
    return p < N_BUILTIN ? all_protos[p] : extra_protos[p - N_BUILTIN];
}

void
peel_registry_add_extra(const PeelProto *proto)
{
    if (!initialised && n_extra < MAX_EXTRA)
        extra_protos[n_extra++] = proto;
}

static void
registry_build(void)
{
    uint32_t n = 0;
    for (uint32_t p = 0; p < N_PROTOS; p++) {
        reg.base[p] = n;
        n += 1 + proto_at(p)->n_fields;
    }
    reg.n_fields = n;
    reg.defs = g_new0(const PeelFieldDef *, n);
    peel_field_defs = reg.defs;
    reg.owner = g_new0(uint16_t, n);
    reg.proto_defs = g_new0(PeelFieldDef, N_PROTOS);
    reg.by_name = g_hash_table_new(g_str_hash, g_str_equal);
    for (uint32_t p = 0; p < N_PROTOS; p++) {
        const PeelProto *proto = proto_at(p);
        uint32_t slot = index_slot(proto);
        while (reg.index_keys[slot] != 0)
            slot = (slot + 1) % INDEX_SLOTS;
        reg.index_keys[slot] = (uintptr_t)proto;
        reg.index_values[slot] = (uint16_t)(p + 1);
        reg.proto_defs[p] = (PeelFieldDef){ proto->name, proto->title, PEEL_FT_PROTOCOL,
            PEEL_SHOW_NONE };
        uint32_t id = reg.base[p];
        reg.defs[id] = &reg.proto_defs[p];
        reg.owner[id] = (uint16_t)p;
        g_hash_table_insert(reg.by_name, (gpointer)proto->name, GUINT_TO_POINTER(id + 1));
        for (uint32_t f = 0; f < proto->n_fields; f++) {
            id = reg.base[p] + 1 + f;
            reg.defs[id] = &proto->fields[f];
            reg.owner[id] = (uint16_t)p;
            g_assert(proto->fields[f].name != NULL); /* a hole in a field table */
            /* The first definition of a name wins (fields shared by name, e.g. SLL2 and
             * SLL, are looked up once). */
            if (!g_hash_table_contains(reg.by_name, proto->fields[f].name))
                g_hash_table_insert(reg.by_name, (gpointer)proto->fields[f].name,
                        GUINT_TO_POINTER(id + 1));
        }
    }
}

void
peel_registry_init(void)
{
    static gsize once = 0;
    if (g_once_init_enter(&once)) {
        registry_build();
        initialised = true;
        g_once_init_leave(&once, 1);
    }
}

uint32_t
peel_registry_n_protos(void)
{
    return N_PROTOS;
}

const PeelProto *
peel_registry_proto(uint32_t index)
{
    return index < N_PROTOS ? proto_at(index) : NULL;
}

int
peel_registry_proto_index(const PeelProto *proto)
{
    if (!initialised) {
        for (uint32_t p = 0; p < N_PROTOS; p++)
            if (proto_at(p) == proto)
                return (int)p;
        return -1;
    }
    for (uint32_t slot = index_slot(proto); reg.index_keys[slot] != 0;
            slot = (slot + 1) % INDEX_SLOTS)
        if (reg.index_keys[slot] == (uintptr_t)proto)
            return (int)reg.index_values[slot] - 1;
    return -1;
}

int
peel_registry_proto_lookup(const char *name)
{
    for (uint32_t p = 0; p < N_PROTOS; p++)
        if (strcmp(proto_at(p)->name, name) == 0)
            return (int)p;
    return -1;
}

uint32_t
peel_field_count(void)
{
    return reg.n_fields;
}


uint32_t
peel_field_proto(uint32_t id)
{
    return reg.owner[id];
}

uint32_t
peel_proto_field_base(uint32_t proto_index)
{
    return reg.base[proto_index];
}

int
peel_field_lookup(const char *name)
{
    gpointer v = g_hash_table_lookup(reg.by_name, name);
    return v ? (int)GPOINTER_TO_UINT(v) - 1 : -1;
}

/* Levenshtein distance, capped: names are short. */
static guint
edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return G_MAXUINT;
    guint row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = (guint)j;
    for (size_t i = 1; i <= la; i++) {
        guint prev = row[0];
        row[0] = (guint)i;
        for (size_t j = 1; j <= lb; j++) {
            guint cur = row[j];
            guint sub = prev + (a[i - 1] != b[j - 1]);
            guint del = row[j] + 1, ins = row[j - 1] + 1;
            row[j] = MIN(sub, MIN(del, ins));
            prev = cur;
        }
    }
    return row[lb];
}

const char *
peel_field_suggest(const char *name)
{
    const char *best = NULL;
    guint best_d = 3; /* farther than two edits is no suggestion */
    for (uint32_t id = 0; id < reg.n_fields; id++) {
        guint d = edit_distance(name, reg.defs[id]->name);
        if (d < best_d) {
            best_d = d;
            best = reg.defs[id]->name;
        }
    }
    return best;
}

const char *
peel_field_type_name(PeelFieldType type)
{
    static const char *const names[PEEL_FT_N_TYPES] = {
        [PEEL_FT_NONE] = "FT_NONE",
        [PEEL_FT_PROTOCOL] = "FT_PROTOCOL",
        [PEEL_FT_BOOLEAN] = "FT_BOOLEAN",
        [PEEL_FT_U8] = "FT_UINT8",
        [PEEL_FT_U16] = "FT_UINT16",
        [PEEL_FT_U24] = "FT_UINT24",
        [PEEL_FT_U32] = "FT_UINT32",
        [PEEL_FT_U64] = "FT_UINT64",
        [PEEL_FT_I8] = "FT_INT8",
        [PEEL_FT_I16] = "FT_INT16",
        [PEEL_FT_I32] = "FT_INT32",
        [PEEL_FT_I64] = "FT_INT64",
        [PEEL_FT_DOUBLE] = "FT_DOUBLE",
        [PEEL_FT_IPV4] = "FT_IPv4",
        [PEEL_FT_IPV6] = "FT_IPv6",
        [PEEL_FT_ETHER] = "FT_ETHER",
        [PEEL_FT_BYTES] = "FT_BYTES",
        [PEEL_FT_STRING] = "FT_STRING",
        [PEEL_FT_ABS_TIME] = "FT_ABSOLUTE_TIME",
        [PEEL_FT_REL_TIME] = "FT_RELATIVE_TIME",
        [PEEL_FT_FRAMENUM] = "FT_FRAMENUM",
    };
    return type < PEEL_FT_N_TYPES ? names[type] : "FT_NONE";
}

const char *
peel_field_show_name(const PeelFieldDef *def)
{
    switch (def->show) {
    case PEEL_SHOW_DEC:
        return "BASE_DEC";
    case PEEL_SHOW_HEX:
        return "BASE_HEX";
    case PEEL_SHOW_DEC_HEX:
        return "BASE_DEC_HEX";
    case PEEL_SHOW_HEX_DEC:
        return "BASE_HEX_DEC";
    case PEEL_SHOW_OCT:
        return "BASE_OCT";
    default:
        return "BASE_NONE";
    }
}
