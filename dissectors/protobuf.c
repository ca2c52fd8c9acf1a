/* protobuf.c: Protocol Buffers messages (the wire format of protobuf.dev's "Encoding"
 * guide), decoded by name and type with schemas, or by a plausible guess without. */
#include "protobuf.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "protobuf-schema.h"
#include "protobuf-wire.h"
#include "registry.h"

/* ---- fields ---- */

enum {
    F_MESSAGE,
    F_MESSAGE_NAME,
    F_FIELD,
    F_FIELD_NAME,
    F_FIELD_TYPE,
    F_FIELD_NUMBER,
    F_WIRETYPE,
    F_VALUE_LENGTH,
    F_VALUE,
    F_DOUBLE,
    F_FLOAT,
    F_INT64,
    F_UINT64,
    F_INT32,
    F_UINT32,
    F_BOOL,
    F_STRING,
    F_REPEATED,
    F_PATH,
    F_GUESS,
    N_F
};

static const PeelValueName pb_wire_names[] = {
    { 0, "varint" },
    { 1, "64-bit" },
    { 2, "Length-delimited" },
    { 3, "Start group (deprecated)" },
    { 4, "End group (deprecated)" },
    { 5, "32-bit" },
    { 0, NULL },
};

static const PeelValueName pb_type_names[] = {
    { PB_TYPE_DOUBLE, "double" },
    { PB_TYPE_FLOAT, "float" },
    { PB_TYPE_INT64, "int64" },
    { PB_TYPE_UINT64, "uint64" },
    { PB_TYPE_INT32, "int32" },
    { PB_TYPE_FIXED64, "fixed64" },
    { PB_TYPE_FIXED32, "fixed32" },
    { PB_TYPE_BOOL, "bool" },
    { PB_TYPE_STRING, "string" },
    { PB_TYPE_GROUP, "group" },
    { PB_TYPE_MESSAGE, "message" },
    { PB_TYPE_BYTES, "bytes" },
    { PB_TYPE_UINT32, "uint32" },
    { PB_TYPE_ENUM, "enum" },
    { PB_TYPE_SFIXED32, "sfixed32" },
    { PB_TYPE_SFIXED64, "sfixed64" },
    { PB_TYPE_SINT32, "sint32" },
    { PB_TYPE_SINT64, "sint64" },
    { 0, NULL },
};

/* PEEL_SHOW_DEC on the doubles: printed with 15 significant digits, as tshark does. */
static const PeelFieldDef pb_fields[N_F] = {
    [F_MESSAGE] = { "protobuf.message", "Message", PEEL_FT_NONE },
    [F_MESSAGE_NAME] = { "protobuf.message.name", "Message Name", PEEL_FT_STRING },
    [F_FIELD] = { "protobuf.field", "Field", PEEL_FT_NONE },
    [F_FIELD_NAME] = { "protobuf.field.name", "Field Name", PEEL_FT_STRING },
    [F_FIELD_TYPE] = { "protobuf.field.type", "Field Type", PEEL_FT_I32, PEEL_SHOW_DEC,
            pb_type_names },
    [F_FIELD_NUMBER] = { "protobuf.field.number", "Field Number", PEEL_FT_U64, PEEL_SHOW_DEC },
    [F_WIRETYPE] = { "protobuf.field.wiretype", "Wire Type", PEEL_FT_U8, PEEL_SHOW_DEC,
            pb_wire_names },
    [F_VALUE_LENGTH] = { "protobuf.field.value.length", "Value Length", PEEL_FT_U64,
            PEEL_SHOW_DEC },
    [F_VALUE] = { "protobuf.field.value", "Value", PEEL_FT_BYTES },
    [F_DOUBLE] = { "protobuf.field.value.double", "Double", PEEL_FT_DOUBLE, PEEL_SHOW_DEC },
    [F_FLOAT] = { "protobuf.field.value.float", "Float", PEEL_FT_DOUBLE, PEEL_SHOW_DEC },
    [F_INT64] = { "protobuf.field.value.int64", "Int64", PEEL_FT_I64, PEEL_SHOW_DEC },
    [F_UINT64] = { "protobuf.field.value.uint64", "Uint64", PEEL_FT_U64, PEEL_SHOW_DEC },
    [F_INT32] = { "protobuf.field.value.int32", "Int32", PEEL_FT_I32, PEEL_SHOW_DEC },
    [F_UINT32] = { "protobuf.field.value.uint32", "Uint32", PEEL_FT_U32, PEEL_SHOW_DEC },
    [F_BOOL] = { "protobuf.field.value.bool", "Bool", PEEL_FT_BOOLEAN },
    [F_STRING] = { "protobuf.field.value.string", "String", PEEL_FT_STRING },
    [F_REPEATED] = { "protobuf.field.value.repeated", "Repeated", PEEL_FT_BYTES },
    /* peel's own: the field-number path from the top message ("1.3.2"), and the reading
     * chosen for a length-delimited value without a schema. */
    [F_PATH] = { "protobuf.field.path", "Field Path", PEEL_FT_STRING },
    [F_GUESS] = { "protobuf.field.guess", "Guessed As", PEEL_FT_STRING },
};

/* The protocol's field table: pb_fields, then the pbm.* and pbf.* fields of the schemas
 * loaded before peel_registry_init() (peel_protobuf_load_file). */
PeelProto peel_proto_protobuf;

static void pb_dissect(PeelReader *rd, PeelPacket *pkt);

PeelProto peel_proto_protobuf = {
    .name = "protobuf",
    .title = "Protocol Buffers",
    .fields = pb_fields,
    .n_fields = N_F,
    .dissect = pb_dissect,
};

/* ---- schemas ---- */

#define PB_MAX_FILE_BYTES  (64u << 20) /* a --proto-descriptors file */
#define PB_MAX_DYN_FIELDS  200000u     /* pbf.* and pbm.* fields registered */
#define PB_LEARN_MAX_FILES 1024u       /* reflection-learned files per capture */
#define PB_LEARN_MAX_BYTES (16u << 20)
#define PB_LEARN_MAX_FILE  (1u << 20) /* one FileDescriptorProto */

extern const uint8_t peel_protobuf_builtin[];
extern const size_t peel_protobuf_builtin_len;

static PbPool *user_pool; /* --proto-descriptors: written before the registry is built */
static GArray *dyn_defs;  /* PeelFieldDef: pb_fields, then pbm.* and pbf.* */

typedef struct {
    PbPool *learned; /* from reflection answers, or NULL */
    uint64_t learned_bytes;
    const char *pending; /* the type peel_protobuf_dissect() was asked for */
    uint32_t rec_frame;  /* the frame the record numbering below counts in */
    uint8_t rec_sub;     /* the next top-level message's record number in that frame */
} PbEngine;

static void
pb_engine_clear(void *data)
{
    PbEngine *eng = data;
    peel_pb_pool_free(eng->learned);
    eng->learned = NULL;
}

static PbEngine *
pb_engine(PeelPacket *pkt)
{
    return peel_engine_data(pkt, &peel_proto_protobuf, sizeof(PbEngine), pb_engine_clear);
}

typedef struct {
    const PbPool *pools[3];
} PbPools;

static void resolve_pool(PbPool *pool, const PbPools *p);

static PbPool *builtin;

static void
builtin_make(void)
{
    builtin = peel_pb_pool_new();
    peel_pb_pool_add_set(
            builtin, peel_protobuf_builtin, peel_protobuf_builtin_len, "built-in", NULL);
    PbPools p = { { NULL, builtin, NULL } };
    resolve_pool(builtin, &p);
}

/* Made on first use, by whichever dissecting thread comes first (pthread_once, which the
 * thread sanitizer follows). */
static PbPool *
builtin_pool(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, builtin_make);
    return builtin;
}

static PbPools
pb_pools(const PbEngine *eng)
{
    return (PbPools){ { user_pool, builtin_pool(), eng ? eng->learned : NULL } };
}

static const PbMessage *
pools_message(const PbPools *p, const char *name)
{
    for (int i = 0; i < 3; i++) {
        const PbMessage *m = peel_pb_pool_message(p->pools[i], name);
        if (m != NULL)
            return m;
    }
    return NULL;
}

static const PbEnum *
pools_enum(const PbPools *p, const char *name)
{
    for (int i = 0; i < 3; i++) {
        const PbEnum *e = peel_pb_pool_enum(p->pools[i], name);
        if (e != NULL)
            return e;
    }
    return NULL;
}

static bool
lookup_message_cb(const char *name, void *user)
{
    return pools_message(user, name) != NULL;
}

static bool
lookup_enum_cb(const char *name, void *user)
{
    return pools_enum(user, name) != NULL;
}

static const PbMessage *
field_message(const PbPools *p, const PbField *fd)
{
    if (fd->sub != NULL)
        return fd->sub;
    char buf[512];
    if (!peel_pb_resolve(fd->type_name, fd->scope, lookup_message_cb, (void *)p, buf, sizeof buf))
        return NULL;
    return pools_message(p, buf);
}

static const PbEnum *
field_enum(const PbPools *p, const PbField *fd)
{
    if (fd->en != NULL)
        return fd->en;
    char buf[512];
    if (!peel_pb_resolve(fd->type_name, fd->scope, lookup_enum_cb, (void *)p, buf, sizeof buf))
        return NULL;
    return pools_enum(p, buf);
}

/* Resolves the type names of a pool's fields once, against the pools given, so that
 * decoding does not look them up for every value. Only the pool's owner calls it, before
 * anyone decodes with it (start-up, the builtin pool's once, an engine's own pool). */
static void
resolve_pool(PbPool *pool, const PbPools *p)
{
    for (uint32_t i = 0; i < peel_pb_pool_n_messages(pool); i++) {
        PbMessage *m = peel_pb_pool_message_at(pool, i);
        for (uint32_t f = 0; f < m->n_fields; f++) {
            PbField *fd = &m->fields[f];
            if ((fd->type == PB_TYPE_MESSAGE || fd->type == PB_TYPE_GROUP) && fd->sub == NULL)
                fd->sub = field_message(p, fd);
            else if (fd->type == PB_TYPE_ENUM && fd->en == NULL)
                fd->en = field_enum(p, fd);
        }
    }
}

/* The pbf.* definition for a schema field, as Wireshark types them. */
static PeelFieldDef
pbf_def(const PbPools *p, const PbField *fd)
{
    PeelFieldDef def = { g_strdup_printf("pbf.%s", fd->full_name), fd->name, PEEL_FT_BYTES };
    switch (fd->type) {
    case PB_TYPE_DOUBLE:
    case PB_TYPE_FLOAT:
        def.type = PEEL_FT_DOUBLE;
        def.show = PEEL_SHOW_DEC;
        break;
    case PB_TYPE_INT64:
    case PB_TYPE_SFIXED64:
    case PB_TYPE_SINT64:
        def.type = PEEL_FT_I64;
        def.show = PEEL_SHOW_DEC;
        break;
    case PB_TYPE_UINT64:
    case PB_TYPE_FIXED64:
        def.type = PEEL_FT_U64;
        def.show = PEEL_SHOW_DEC;
        break;
    case PB_TYPE_INT32:
    case PB_TYPE_SFIXED32:
    case PB_TYPE_SINT32:
        def.type = PEEL_FT_I32;
        def.show = PEEL_SHOW_DEC;
        break;
    case PB_TYPE_ENUM: {
        def.type = PEEL_FT_I32;
        def.show = PEEL_SHOW_DEC;
        const PbEnum *en = field_enum(p, fd);
        def.names = en ? en->value_names : NULL;
        break;
    }
    case PB_TYPE_UINT32:
    case PB_TYPE_FIXED32:
        def.type = PEEL_FT_U32;
        def.show = PEEL_SHOW_DEC;
        break;
    case PB_TYPE_BOOL:
        def.type = PEEL_FT_BOOLEAN;
        break;
    case PB_TYPE_STRING:
        def.type = PEEL_FT_STRING;
        break;
    case PB_TYPE_MESSAGE:
    case PB_TYPE_GROUP: {
        const PbMessage *m = field_message(p, fd);
        if (m != NULL && strcmp(m->full_name, "google.protobuf.Timestamp") == 0)
            def.type = PEEL_FT_ABS_TIME;
        break;
    }
    default:
        break;
    }
    return def;
}

/* Registers pbm.<Message> and pbf.<Message>.<field> for messages [from, to) of the user
 * pool, before the registry is built. */
static void
register_pbf(uint32_t from, uint32_t to)
{
    if (peel_field_defs != NULL) /* the registry is built: no new names */
        return;
    if (dyn_defs == NULL) {
        dyn_defs = g_array_new(FALSE, TRUE, sizeof(PeelFieldDef));
        g_array_append_vals(dyn_defs, pb_fields, N_F);
    }
    PbPools p = pb_pools(NULL);
    for (uint32_t i = from; i < to; i++) {
        PbMessage *m = peel_pb_pool_message_at(user_pool, i);
        if (dyn_defs->len + 1 + m->n_fields > N_F + PB_MAX_DYN_FIELDS)
            break;
        const char *dot = strrchr(m->full_name, '.'); /* titled by its short name */
        PeelFieldDef mdef = { g_strdup_printf("pbm.%s", m->full_name), dot ? dot + 1 : m->full_name,
            PEEL_FT_BYTES };
        m->pbm = dyn_defs->len + 1;
        g_array_append_val(dyn_defs, mdef);
        for (uint32_t f = 0; f < m->n_fields; f++) {
            PeelFieldDef def = pbf_def(&p, &m->fields[f]);
            m->fields[f].pbf = dyn_defs->len + 1;
            g_array_append_val(dyn_defs, def);
        }
    }
    peel_proto_protobuf.fields = (const PeelFieldDef *)(void *)dyn_defs->data;
    peel_proto_protobuf.n_fields = dyn_defs->len;
}

bool
peel_protobuf_load_set(const uint8_t *data, size_t len, const char *name, GError **err)
{
    if (user_pool == NULL)
        user_pool = peel_pb_pool_new();
    uint32_t before = peel_pb_pool_n_messages(user_pool);
    bool ok = peel_pb_pool_add_set(user_pool, data, len, name, err);
    PbPools p = pb_pools(NULL);
    resolve_pool(user_pool, &p);
    register_pbf(before, peel_pb_pool_n_messages(user_pool));
    return ok;
}

bool
peel_protobuf_load_file(const char *path, GError **err)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
        g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_NOENT, "%s: no such file", path);
        return false;
    }
    if ((uint64_t)st.st_size > PB_MAX_FILE_BYTES) {
        g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_NOSPC,
                "%s: larger than the %u MiB peel reads as a FileDescriptorSet", path,
                PB_MAX_FILE_BYTES >> 20);
        return false;
    }
    gchar *data = NULL;
    gsize len = 0;
    if (!g_file_get_contents(path, &data, &len, err))
        return false;
    bool ok = peel_protobuf_load_set((const uint8_t *)data, len, path, err);
    g_free(data);
    return ok;
}

bool
peel_protobuf_method(PeelPacket *pkt, const char *path, size_t len, PeelProtobufMethod *out)
{
    memset(out, 0, sizeof *out);
    if (len < 4 || path[0] != '/')
        return false;
    PbPools p = pb_pools(pb_engine(pkt));
    for (int i = 0; i < 3; i++) {
        const PeelProtobufMethod *m = peel_pb_pool_method(p.pools[i], path + 1, len - 1);
        if (m != NULL) {
            *out = *m;
            return true;
        }
    }
    return false;
}

/* ---- the wire format ---- */

#define PB_MAX_NEST  32     /* messages and groups inside one another */
#define PB_MAX_ITEMS 50000u /* fields and packed values added per top-level message */
/* ---- decoding ---- */

typedef struct {
    PeelPacket *pkt;
    PbEngine *eng;
    PbPools pools;
    uint32_t nest;       /* messages and groups open */
    uint32_t items_left; /* PB_MAX_ITEMS budget */
    bool budget_noted;
    char path[160];
    size_t path_len;
    char any_type[256]; /* type_url of the google.protobuf.Any being decoded */
    /* What became of each reflection FileDescriptorProto of this message (PB_LEARN_*):
     * recorded on the first pass, replayed on a revisit so the notes are the same. */
    uint8_t learned[64];
    uint8_t n_learned;
    uint8_t replayed;
} PbCtx;

enum { PB_LEARN_OK = 1, PB_LEARN_LIMIT, PB_LEARN_BAD };

typedef enum { PB_NEXT, PB_STOP, PB_ENDED } PbStep;

/* Gives a field added with a generated value its place in the bytes. */
static int32_t
pb_place(PbCtx *c, int32_t idx, const PeelReader *rd, uint32_t pos, uint32_t len)
{
    if (idx < 0)
        return idx;
    PeelField *fl = &c->pkt->fields[idx];
    fl->src = rd->src;
    fl->offset = rd->base + pos;
    fl->length = len;
    fl->flags &= (uint8_t)~PEEL_FF_GENERATED;
    return idx;
}

/* The same for a generated field (shown in brackets): it keeps its flag. */
static int32_t
pb_span(PbCtx *c, int32_t idx, const PeelReader *rd, uint32_t pos, uint32_t len)
{
    if (idx >= 0) {
        pb_place(c, idx, rd, pos, len);
        c->pkt->fields[idx].flags |= PEEL_FF_GENERATED;
    }
    return idx;
}

static int32_t
pb_hidden(PbCtx *c, int32_t idx)
{
    peel_hide(c->pkt, idx);
    return idx;
}

static bool
pb_room(PbCtx *c)
{
    /* a nested message needs its message item, a field item and a value item */
    return c->nest < PB_MAX_NEST && c->pkt->depth + 4 < PEEL_MAX_DEPTH;
}

static void pb_message(PbCtx *c, PeelReader *rd, const PbMessage *msg, const char *name,
        uint64_t end_group, bool *ended);

/* Adds a scalar decoded as `type` at [pos, pos+len) of rd, with its pbf.* twin; appends
 * its text to t. */
static void
pb_scalar(PbCtx *c, const PeelReader *rd, uint32_t pos, uint32_t len, int type, uint64_t raw,
        const PbField *fd, PbText *t)
{
    PeelPacket *pkt = c->pkt;
    int32_t idx = -1, pbf = -1;
    uint32_t pbf_f = fd && fd->pbf ? fd->pbf - 1 : 0;
    switch (type) {
    case PB_TYPE_DOUBLE: {
        double d = peel_pb_double(raw);
        idx = peel_add_double_value(pkt, F_DOUBLE, d);
        if (pbf_f)
            pbf = peel_add_double_value(pkt, pbf_f, d);
        peel_pb_text_add(t, "%.15g", d);
        break;
    }
    case PB_TYPE_FLOAT: {
        double d = peel_pb_float((uint32_t)raw);
        idx = peel_add_double_value(pkt, F_FLOAT, d);
        if (pbf_f)
            pbf = peel_add_double_value(pkt, pbf_f, d);
        peel_pb_text_add(t, "%.6g", d);
        break;
    }
    case PB_TYPE_INT64:
    case PB_TYPE_SFIXED64:
    case PB_TYPE_SINT64: {
        int64_t v = type == PB_TYPE_SINT64 ? peel_pb_zigzag(raw) : (int64_t)raw;
        idx = peel_add_int_value(pkt, F_INT64, v);
        if (pbf_f)
            pbf = peel_add_int_value(pkt, pbf_f, v);
        peel_pb_text_add(t, "%" G_GINT64_FORMAT, v);
        break;
    }
    case PB_TYPE_UINT64:
    case PB_TYPE_FIXED64:
        idx = peel_add_uint_value(pkt, F_UINT64, raw);
        if (pbf_f)
            pbf = peel_add_uint_value(pkt, pbf_f, raw);
        peel_pb_text_add(t, "%" G_GUINT64_FORMAT, raw);
        break;
    case PB_TYPE_INT32:
    case PB_TYPE_SFIXED32:
    case PB_TYPE_SINT32:
    case PB_TYPE_ENUM: {
        int32_t v = type == PB_TYPE_SINT32 ? (int32_t)peel_pb_zigzag((uint32_t)raw) : (int32_t)raw;
        idx = peel_add_int_value(pkt, F_INT32, v);
        if (pbf_f)
            pbf = peel_add_int_value(pkt, pbf_f, v);
        const PbEnum *en = type == PB_TYPE_ENUM && fd ? field_enum(&c->pools, fd) : NULL;
        const char *name = en ? peel_pb_enum_name(en, v) : NULL;
        if (name != NULL) {
            peel_pb_text_add(t, "%s(%d)", name, v);
            peel_set_text(pkt, idx, "Int32: %d (%s)", v, name);
        } else {
            peel_pb_text_add(t, "%d", v);
        }
        break;
    }
    case PB_TYPE_UINT32:
    case PB_TYPE_FIXED32:
        idx = peel_add_uint_value(pkt, F_UINT32, (uint32_t)raw);
        if (pbf_f)
            pbf = peel_add_uint_value(pkt, pbf_f, (uint32_t)raw);
        peel_pb_text_add(t, "%u", (uint32_t)raw);
        break;
    case PB_TYPE_BOOL:
        idx = peel_add_bool_value(pkt, F_BOOL, raw != 0);
        if (pbf_f)
            pbf = peel_add_bool_value(pkt, pbf_f, raw != 0);
        peel_pb_text_add(t, "%s", raw ? "true" : "false");
        break;
    default:
        return;
    }
    pb_place(c, idx, rd, pos, len);
    pb_hidden(c, pb_place(c, pbf, rd, pos, len));
}

/* Well-known types and map entries shown by value in the field's label. */
static void
pb_wkt_text(PbCtx *c, const PeelReader *v, const PbMessage *m, const PbField *fd, PbText *t)
{
    const char *n = m->full_name;
    if (strcmp(n, "google.protobuf.Timestamp") == 0) {
        int64_t sec;
        int32_t nsec;
        peel_pb_seconds_nanos(v, &sec, &nsec);
        time_t tt = (time_t)sec;
        struct tm tm;
        if (!t->off && gmtime_r(&tt, &tm) != NULL) {
            char buf[64];
            strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
            peel_pb_text_add(t, " = %s", buf);
            if (nsec > 0) {
                int32_t ns = nsec;
                int digits = 9;
                while (ns % 10 == 0 && digits > 0) {
                    ns /= 10;
                    digits--;
                }
                peel_pb_text_add(t, ".%0*d", digits, ns);
            }
            peel_pb_text_add(t, "Z");
        }
        if (fd && fd->pbf) {
            int32_t idx = peel_add_time_value(
                    c->pkt, fd->pbf - 1, (PeelTime){ .sec = sec, .nsec = nsec });
            pb_hidden(c, pb_place(c, idx, v, v->pos, peel_reader_remaining(v)));
        }
    } else if (strcmp(n, "google.protobuf.Duration") == 0) {
        int64_t sec;
        int32_t nsec;
        peel_pb_seconds_nanos(v, &sec, &nsec);
        if (nsec == 0) {
            peel_pb_text_add(t, " = %" G_GINT64_FORMAT "s", sec);
        } else {
            int32_t ns = nsec < 0 ? -nsec : nsec;
            int digits = 9;
            while (ns % 10 == 0 && digits > 1) {
                ns /= 10;
                digits--;
            }
            peel_pb_text_add(t, " = %s%" G_GINT64_FORMAT ".%0*ds", (sec < 0 || nsec < 0) ? "-" : "",
                    sec < 0 ? -sec : sec, digits, ns);
        }
    } else if (m->map_entry) {
        peel_pb_text_add(t, " {");
        peel_pb_member_text(v, m, 1, t);
        peel_pb_text_add(t, ": ");
        peel_pb_member_text(v, m, 2, t);
        peel_pb_text_add(t, "}");
    } else if (g_str_has_prefix(n, "google.protobuf.") && g_str_has_suffix(n, "Value") &&
               m->n_fields == 1 && m->fields[0].number == 1 &&
               m->fields[0].type != PB_TYPE_MESSAGE && m->fields[0].type != PB_TYPE_ENUM) {
        /* wrappers: Int32Value and the like show their value */
        peel_pb_text_add(t, " = ");
        peel_pb_member_text(v, m, 1, t);
    }
}

/* The field's pbf.* item for a message or bytes value (Wireshark: "(N bytes)"). */
static void
pb_pbf_bytes(PbCtx *c, const PeelReader *v, const PbField *fd)
{
    if (fd == NULL || fd->pbf == 0)
        return;
    const PeelFieldDef *def = &peel_proto_protobuf.fields[fd->pbf - 1];
    if (def->type != PEEL_FT_BYTES)
        return;
    uint32_t n = peel_reader_remaining(v), got = 0;
    const uint8_t *p = peel_reader_peek_bytes(v, 0, n, &got);
    int32_t idx = peel_add_bytes_value(c->pkt, fd->pbf - 1, p, got);
    pb_hidden(c, pb_place(c, idx, v, v->pos, n));
}

static bool
pb_is_any(const PbMessage *msg)
{
    return msg != NULL && strcmp(msg->full_name, "google.protobuf.Any") == 0;
}

static bool
pb_is_reflection_fdr(const PbMessage *msg)
{
    return msg != NULL &&
           (strcmp(msg->full_name, "grpc.reflection.v1alpha.FileDescriptorResponse") == 0 ||
                   strcmp(msg->full_name, "grpc.reflection.v1.FileDescriptorResponse") == 0);
}

static bool
pb_is_reflection_answer(const PbMessage *msg)
{
    return msg != NULL &&
           (strcmp(msg->full_name, "grpc.reflection.v1alpha.ServerReflectionResponse") == 0 ||
                   strcmp(msg->full_name, "grpc.reflection.v1.ServerReflectionResponse") == 0);
}

static void
pb_learn_note(PeelPacket *pkt, uint8_t outcome)
{
    switch (outcome) {
    case PB_LEARN_OK:
        peel_expert(pkt, peel_last(pkt), PEEL_SEV_CHAT, PEEL_GROUP_PROTOCOL,
                "FileDescriptorProto learned from server reflection");
        break;
    case PB_LEARN_LIMIT:
        peel_expert(pkt, peel_last(pkt), PEEL_SEV_NOTE, PEEL_GROUP_UNDECODED,
                "reflection schemas beyond peel's limits (%u files, 1 MiB each, %u MiB in all) "
                "are not learned",
                PB_LEARN_MAX_FILES, PB_LEARN_MAX_BYTES >> 20);
        break;
    case PB_LEARN_BAD:
        peel_expert(pkt, peel_last(pkt), PEEL_SEV_WARN, PEEL_GROUP_MALFORMED,
                "reflection answer holds a FileDescriptorProto that does not parse");
        break;
    default:
        break;
    }
}

/* A FileDescriptorProto from a reflection answer, kept for the rest of the capture. A
 * revisit changes nothing and repeats the first pass's note from the frame's record. */
static void
pb_learn(PbCtx *c, const PeelReader *v)
{
    PeelPacket *pkt = c->pkt;
    PbEngine *eng = c->eng;
    if (pkt->revisit) {
        if (c->replayed < c->n_learned)
            pb_learn_note(pkt, c->learned[c->replayed++]);
        return;
    }
    uint32_t n = peel_reader_remaining(v), got = 0;
    const uint8_t *p = peel_reader_peek_bytes(v, 0, n, &got);
    if (got < n)
        return; /* cut by the capture: nothing to learn from */
    if (eng->learned == NULL)
        eng->learned = peel_pb_pool_new();
    uint8_t outcome;
    if (peel_pb_pool_n_files(eng->learned) >= PB_LEARN_MAX_FILES || n > PB_LEARN_MAX_FILE ||
            eng->learned_bytes + n > PB_LEARN_MAX_BYTES) {
        outcome = PB_LEARN_LIMIT;
    } else if (peel_pb_pool_add_file(eng->learned, p, n)) {
        eng->learned_bytes += n;
        /* the engine's own pool: only this engine decodes with it */
        PbPools pools = pb_pools(eng);
        resolve_pool(eng->learned, &pools);
        outcome = PB_LEARN_OK;
    } else {
        outcome = PB_LEARN_BAD;
    }
    pb_learn_note(pkt, outcome);
    if (c->n_learned < sizeof c->learned)
        c->learned[c->n_learned++] = outcome;
}

/* A nested message value (LEN) as `sub`, or by guess when sub is NULL. */
static void
pb_nested(PbCtx *c, PeelReader *v, const PbMessage *sub)
{
    if (!pb_room(c)) {
        peel_expert(c->pkt, peel_last(c->pkt), PEEL_SEV_WARN, PEEL_GROUP_UNDECODED,
                "messages nested deeper than %u levels are not decoded", PB_MAX_NEST);
        return;
    }
    c->nest++;
    pb_message(c, v, sub, sub ? sub->full_name : NULL, 0, NULL);
    c->nest--;
}

/* Packed repeated values of `type` in v. */
static void
pb_packed(PbCtx *c, PeelReader *v, int type, const PbField *fd, PbText *t)
{
    PeelPacket *pkt = c->pkt;
    uint32_t n = peel_reader_remaining(v);
    PeelReader copy = *v;
    uint32_t before = pkt->n_fields;
    peel_add_bytes(pkt, &copy, F_REPEATED, n);
    bool opened = peel_open_last(pkt, before);
    int wt = peel_pb_wire_of(type);
    uint32_t size = wt == PB_WT_I64 ? 8 : wt == PB_WT_I32 ? 4 : 0;
    if (size && n % size != 0) {
        peel_expert(pkt, peel_last(pkt), PEEL_SEV_WARN, PEEL_GROUP_MALFORMED,
                "packed %s values: %u bytes are not a whole number of %u-byte values",
                peel_value_name(pb_type_names, (uint64_t)type), n, size);
        peel_close_if(pkt, opened);
        return;
    }
    peel_pb_text_add(t, "[");
    uint32_t off = 0, count = 0;
    while (off < n) {
        if (c->items_left == 0)
            break;
        c->items_left--;
        uint64_t raw;
        uint32_t len = size;
        if (size == 8) {
            raw = (uint64_t)peel_reader_peek_u32le(v, off) |
                  (uint64_t)peel_reader_peek_u32le(v, off + 4) << 32;
        } else if (size == 4) {
            raw = peel_reader_peek_u32le(v, off);
        } else {
            int l = peel_pb_peek_varint(v, off, &raw);
            if (l <= 0) {
                peel_expert(pkt, peel_last(pkt), PEEL_SEV_WARN, PEEL_GROUP_MALFORMED,
                        "packed varints: %s varint at byte %u", l == 0 ? "truncated" : "corrupt",
                        off);
                break;
            }
            len = (uint32_t)l;
        }
        PbText vt; /* not zeroed: 256 bytes a value would cost more than the value */
        vt.n = 0;
        vt.off = t->off;
        vt.s[0] = '\0';
        /* guessed varints read as Wireshark reads one without a schema */
        int et = fd == NULL && raw <= 0xffffffffu ? PB_TYPE_UINT32 : type;
        pb_scalar(c, v, v->pos + off, len, et, raw, fd, &vt);
        if (count < 16)
            peel_pb_text_add(t, "%s%s", count ? ", " : "", vt.s);
        else if (count == 16)
            peel_pb_text_add(t, ", …");
        count++;
        off += len;
    }
    peel_pb_text_add(t, "]");
    peel_close_if(pkt, opened);
}

/* A length-delimited value v of field fd (NULL: no schema) inside msg. */
static void
pb_len_value(PbCtx *c, PeelReader *v, const PbMessage *msg, const PbField *fd, PbText *t)
{
    PeelPacket *pkt = c->pkt;
    uint32_t n = peel_reader_remaining(v), got = 0;
    int type = fd ? fd->type : 0;
    if (fd && fd->label == PB_LABEL_REPEATED && peel_pb_packable(type)) {
        pb_packed(c, v, type, fd, t);
        return;
    }
    switch (fd ? peel_pb_wire_of(type) == PB_WT_LEN ? type : -1 : 0) {
    case PB_TYPE_STRING: {
        PeelReader copy = *v;
        const uint8_t *p = peel_reader_peek_bytes(v, 0, n, &got);
        peel_add_string(pkt, &copy, F_STRING, n);
        if (fd->pbf) {
            copy = *v;
            uint32_t fb = pkt->n_fields;
            peel_add_string(pkt, &copy, fd->pbf - 1, n);
            if (pkt->n_fields > fb)
                peel_hide(pkt, peel_last(pkt));
        }
        peel_pb_text_string(t, p, got);
        if (pb_is_any(msg) && fd->number == 1) {
            /* "type.googleapis.com/pkg.Msg": the type is what follows the last '/' */
            const uint8_t *slash = got ? memrchr(p, '/', got) : NULL;
            const uint8_t *name = slash ? slash + 1 : p;
            size_t nl = got - (size_t)(name - p);
            if (nl < sizeof c->any_type) {
                memcpy(c->any_type, name, nl);
                c->any_type[nl] = '\0';
            }
        }
        return;
    }
    case PB_TYPE_BYTES:
        pb_pbf_bytes(c, v, fd);
        peel_pb_text_add(t, "(%u bytes)", n);
        if (pb_is_any(msg) && fd->number == 2) {
            const PbMessage *packed = c->any_type[0] ? pools_message(&c->pools, c->any_type) : NULL;
            c->any_type[0] = '\0';
            if (packed != NULL) {
                peel_pb_text_add(t, " (%s)", packed->full_name);
                pb_nested(c, v, packed);
            } else if (n > 0 && peel_pb_parses(v)) {
                peel_add_string_value(pkt, F_GUESS, "message", 7);
                peel_pb_text_add(t, " (guessed message)");
                pb_nested(c, v, NULL);
            }
            return;
        }
        if (pb_is_reflection_fdr(msg) && fd->number == 1) {
            pb_learn(c, v);
            const PbMessage *fdp = pools_message(&c->pools, "google.protobuf.FileDescriptorProto");
            if (fdp != NULL && peel_pb_parses(v))
                pb_nested(c, v, fdp);
        }
        return;
    case PB_TYPE_MESSAGE: {
        const PbMessage *sub = field_message(&c->pools, fd);
        pb_pbf_bytes(c, v, fd);
        if (sub == NULL) {
            peel_expert(pkt, peel_last(pkt), PEEL_SEV_WARN, PEEL_GROUP_UNDECODED,
                    "message type %s of field %s is not in the loaded schemas",
                    fd->type_name ? fd->type_name : "?", fd->full_name);
            break; /* decoded by guess below */
        }
        peel_pb_text_add(t, "(%s)", sub->full_name);
        pb_wkt_text(c, v, sub, fd, t);
        pb_nested(c, v, sub);
        return;
    }
    case -1:
        peel_expert(pkt, peel_last(pkt), PEEL_SEV_WARN, PEEL_GROUP_MALFORMED,
                "field %s is %s but its value is length-delimited", fd->full_name,
                peel_value_name(pb_type_names, (uint64_t)type));
        break;
    default:
        break;
    }
    /* No schema for this value: the most plausible reading, marked as a guess. */
    PbGuess g = n == 0 ? GUESS_BYTES : peel_pb_guess(v);
    peel_add_string_value(
            pkt, F_GUESS, peel_pb_guess_names[g], (uint32_t)strlen(peel_pb_guess_names[g]));
    switch (g) {
    case GUESS_MESSAGE:
        peel_pb_text_add(t, "(guessed message)");
        pb_nested(c, v, NULL);
        break;
    case GUESS_STRING: {
        PeelReader copy = *v;
        const uint8_t *p = peel_reader_peek_bytes(v, 0, n, &got);
        peel_add_string(pkt, &copy, F_STRING, n);
        peel_pb_text_string(t, p, got);
        peel_pb_text_add(t, " (guessed string)");
        break;
    }
    case GUESS_PACKED:
        pb_packed(c, v, PB_TYPE_UINT64, NULL, t);
        peel_pb_text_add(t, " (guessed packed varints)");
        break;
    case GUESS_BYTES:
        peel_pb_text_add(t, "(%u bytes)", n);
        break;
    }
}

static void
pb_path_push(PbCtx *c, uint64_t number, size_t *saved)
{
    *saved = c->path_len;
    char digits[24];
    size_t n = 0;
    do {
        digits[n++] = (char)('0' + number % 10);
        number /= 10;
    } while (number);
    size_t need = n + (c->path_len ? 1 : 0);
    if (c->path_len + need >= sizeof c->path)
        return; /* too deep to spell out: the path stops growing */
    if (c->path_len)
        c->path[c->path_len++] = '.';
    while (n)
        c->path[c->path_len++] = digits[--n];
}

/* A varint that could not be read (peel_pb_peek_varint gave l <= 0): an expert note on
 * field fi; returns the word for the label. The capture ending inside the varint (a short
 * snaplen) is not the message's fault and is noted as such. */
static const char *
pb_varint_fault(PbCtx *c, int32_t fi, const PeelReader *rd, int l, const char *what)
{
    bool cut = l == 0 && peel_reader_captured(rd) < peel_reader_remaining(rd);
    if (cut) {
        peel_expert(c->pkt, fi, PEEL_SEV_NOTE, PEEL_GROUP_UNDECODED,
                "the capture ends inside a varint %s", what);
        return "cut";
    }
    const char *word = l == 0 ? "truncated" : "corrupt";
    peel_expert(c->pkt, fi, PEEL_SEV_WARN, PEEL_GROUP_MALFORMED, "%s varint %s", word, what);
    return word;
}

/* One field at rd's position. */
static PbStep
pb_field(PbCtx *c, PeelReader *rd, const PbMessage *msg, uint64_t end_group)
{
    PeelPacket *pkt = c->pkt;
    uint32_t start = rd->pos;
    uint64_t tag = 0;
    int tl = peel_pb_peek_varint(rd, 0, &tag);
    if (c->items_left == 0) {
        if (!c->budget_noted)
            peel_expert(pkt, peel_last(pkt), PEEL_SEV_NOTE, PEEL_GROUP_UNDECODED,
                    "more than %u fields: the rest of the message is not decoded", PB_MAX_ITEMS);
        c->budget_noted = true;
        peel_reader_skip(rd, peel_reader_remaining(rd));
        return PB_STOP;
    }
    c->items_left--;
    int32_t fi = peel_open(pkt, rd, F_FIELD, peel_reader_remaining(rd));
    bool opened = fi >= 0 && pkt->parent == fi;
    if (tl <= 0) {
        const char *word = pb_varint_fault(c, fi, rd, tl, "in a field tag");
        peel_set_text(pkt, fi, "Field: <%s tag>", word);
        peel_reader_skip(rd, peel_reader_remaining(rd));
        peel_close_if(pkt, opened);
        return PB_STOP;
    }
    uint64_t number = tag >> 3;
    unsigned wt = (unsigned)(tag & 7);
    const PbField *fd = msg ? peel_pb_message_field(msg, number) : NULL;
    size_t saved_path;
    pb_path_push(c, number, &saved_path);

    const char *fname = fd ? fd->name : "<UNKNOWN>";
    int32_t ni = peel_add_string_value(pkt, F_FIELD_NAME, fname, (uint32_t)strlen(fname));
    if (fd && fd->type) {
        int32_t ti = peel_add_int_value(pkt, F_FIELD_TYPE, fd->type);
        peel_set_text(
                pkt, ti, "Field Type: %s (%d)", peel_value_name(pb_type_names, fd->type), fd->type);
    }
    pb_place(c, peel_add_uint_value(pkt, F_FIELD_NUMBER, number), rd, start, (uint32_t)tl);
    pb_place(c, peel_add_uint_value(pkt, F_WIRETYPE, wt), rd, start, 1);
    char *path = peel_arena_strndup(pkt->arena, c->path, c->path_len);
    peel_add_string_value(pkt, F_PATH, path, (uint32_t)c->path_len);
    peel_reader_skip(rd, (uint32_t)tl);

    PbText t; /* not zeroed, as above */
    t.n = 0;
    t.off = !pkt->want_tree;
    t.s[0] = '\0';
    peel_pb_text_add(&t, "Field(%" G_GUINT64_FORMAT "):", number);
    if (fd)
        peel_pb_text_add(&t, " %s%s", fd->name,
                fd->type == PB_TYPE_MESSAGE || fd->type == PB_TYPE_GROUP ||
                                fd->type == PB_TYPE_BYTES
                        ? ""
                        : " =");
    peel_pb_text_add(&t, " ");
    if (number == 0 || number > PB_MAX_FIELD_NUMBER)
        peel_expert(pkt, fi, PEEL_SEV_WARN, PEEL_GROUP_MALFORMED,
                "field number %" G_GUINT64_FORMAT " is outside 1 to %u", number,
                PB_MAX_FIELD_NUMBER);

    int ftype = fd ? fd->type : 0;
    bool schema_wt = fd && peel_pb_wire_of(ftype) == (int)wt;
    if (fd && !schema_wt &&
            !(wt == PB_WT_LEN && fd->label == PB_LABEL_REPEATED && peel_pb_packable(ftype)) &&
            wt != PB_WT_EGROUP)
        peel_expert(pkt, fi, PEEL_SEV_WARN, PEEL_GROUP_MALFORMED,
                "field %s is %s, not of wire type %u", fd->full_name,
                peel_value_name(pb_type_names, (uint64_t)ftype), wt);
    PbStep step = PB_NEXT;
    switch (wt) {
    case PB_WT_VARINT:
    case PB_WT_I64:
    case PB_WT_I32: {
        uint64_t raw = 0;
        uint32_t len;
        if (wt == PB_WT_VARINT) {
            int l = peel_pb_peek_varint(rd, 0, &raw);
            if (l <= 0) {
                peel_pb_text_add(&t, "<%s varint>", pb_varint_fault(c, fi, rd, l, "value"));
                uint32_t rest = peel_reader_remaining(rd);
                peel_add_bytes(pkt, rd, F_VALUE, MIN(rest, 10u));
                step = PB_STOP;
                break;
            }
            len = (uint32_t)l;
        } else {
            len = wt == PB_WT_I64 ? 8 : 4;
            raw = peel_reader_peek_u32le(rd, 0);
            if (len == 8)
                raw |= (uint64_t)peel_reader_peek_u32le(rd, 4) << 32;
        }
        uint32_t vpos = rd->pos;
        uint32_t vb = pkt->n_fields;
        peel_add_bytes(pkt, rd, F_VALUE, len);
        if (!peel_reader_ok(rd)) {
            step = PB_STOP;
            break;
        }
        bool vopen = peel_open_last(pkt, vb);
        int type = schema_wt ? ftype : raw <= 0xffffffffu ? PB_TYPE_UINT32 : PB_TYPE_UINT64;
        pb_scalar(c, rd, vpos, len, type, raw, schema_wt ? fd : NULL, &t);
        peel_close_if(pkt, vopen);
        peel_pb_text_add(&t, " (%s)", peel_value_name(pb_type_names, (uint64_t)type));
        break;
    }
    case PB_WT_LEN: {
        uint64_t len = 0;
        int l = peel_pb_peek_varint(rd, 0, &len);
        if (l <= 0) {
            peel_pb_text_add(&t, "<%s length>", pb_varint_fault(c, fi, rd, l, "length"));
            peel_reader_skip(rd, peel_reader_remaining(rd));
            step = PB_STOP;
            break;
        }
        pb_place(c, peel_add_uint_value(pkt, F_VALUE_LENGTH, len), rd, rd->pos, (uint32_t)l);
        peel_reader_skip(rd, (uint32_t)l);
        uint32_t rest = peel_reader_remaining(rd);
        if (len > rest) {
            peel_expert(pkt, fi, PEEL_SEV_WARN, PEEL_GROUP_MALFORMED,
                    "value length %" G_GUINT64_FORMAT " runs past the %u bytes left in the message",
                    len, rest);
            peel_add_bytes(pkt, rd, F_VALUE, rest);
            peel_pb_text_add(&t, "<%" G_GUINT64_FORMAT " bytes past the end>", len);
            step = PB_STOP;
            break;
        }
        PeelReader v = peel_reader_take(rd, (uint32_t)len);
        PeelReader copy = v;
        peel_add_bytes(pkt, &copy, F_VALUE, (uint32_t)len);
        if (!peel_reader_ok(&copy)) {
            step = PB_STOP;
            break;
        }
        pb_len_value(c, &v, msg,
                schema_wt || (fd && peel_pb_packable(ftype) && fd->label == PB_LABEL_REPEATED)
                        ? fd
                        : NULL,
                &t);
        if (fd && (schema_wt || peel_pb_packable(ftype)) && ftype != PB_TYPE_MESSAGE)
            peel_pb_text_add(&t, " (%s)", peel_value_name(pb_type_names, (uint64_t)ftype));
        break;
    }
    case PB_WT_SGROUP: {
        const PbMessage *sub = schema_wt ? field_message(&c->pools, fd) : NULL;
        peel_pb_text_add(&t, "(group%s%s)", sub ? " " : "", sub ? sub->full_name : "");
        if (!pb_room(c)) {
            peel_expert(pkt, fi, PEEL_SEV_WARN, PEEL_GROUP_UNDECODED,
                    "groups nested deeper than %u levels are not decoded", PB_MAX_NEST);
            peel_reader_skip(rd, peel_reader_remaining(rd));
            step = PB_STOP;
            break;
        }
        bool ended = false;
        c->nest++;
        pb_message(c, rd, sub, sub ? sub->full_name : NULL, number, &ended);
        c->nest--;
        if (!ended) {
            peel_expert(pkt, fi, PEEL_SEV_WARN, PEEL_GROUP_MALFORMED,
                    "group %" G_GUINT64_FORMAT " has no end-group tag", number);
            step = PB_STOP;
        }
        break;
    }
    case PB_WT_EGROUP:
        if (end_group != 0 && number == end_group) {
            peel_pb_text_add(&t, "(end of group)");
            step = PB_ENDED;
        } else {
            peel_expert(pkt, fi, PEEL_SEV_WARN, PEEL_GROUP_MALFORMED,
                    "end-group tag for field %" G_GUINT64_FORMAT " with no such group open",
                    number);
            step = PB_STOP;
        }
        break;
    default:
        peel_expert(pkt, fi, PEEL_SEV_WARN, PEEL_GROUP_MALFORMED, "wire type %u is not valid", wt);
        peel_pb_text_add(&t, "<wire type %u>", wt);
        peel_reader_skip(rd, peel_reader_remaining(rd));
        step = PB_STOP;
        break;
    }
    if (fd && fd->oneof)
        peel_pb_text_add(&t, " [oneof %s]", fd->oneof);
    if (opened) {
        peel_close(pkt, rd);
    } else if (fi >= 0) {
        peel_set_length(pkt, fi, rd->pos - start);
    }
    /* the name item spans the field, as in Wireshark (generated: no place of its own) */
    if (ni >= 0) {
        pkt->fields[ni].src = rd->src;
        pkt->fields[ni].offset = rd->base + start;
        pkt->fields[ni].length = rd->pos - start;
    }
    peel_set_text(pkt, fi, "%s", t.s);
    c->path_len = saved_path;
    return step;
}

/* Fields of a message until rd ends, or until the end-group tag of group `end_group`. */
static void
pb_message(PbCtx *c, PeelReader *rd, const PbMessage *msg, const char *name, uint64_t end_group,
        bool *ended)
{
    PeelPacket *pkt = c->pkt;
    uint32_t start = rd->pos;
    int32_t mi = peel_open(pkt, rd, F_MESSAGE, peel_reader_remaining(rd));
    bool opened = mi >= 0 && pkt->parent == mi;
    const char *shown = name ? name : c->nest == 0 ? "<UNKNOWN> Message Type" : NULL;
    peel_set_text(pkt, mi, "Message: %s", shown ? shown : "(guessed)");
    if (shown != NULL)
        pb_span(c, peel_add_string_value(pkt, F_MESSAGE_NAME, shown, (uint32_t)strlen(shown)), rd,
                start, peel_reader_remaining(rd));
    int32_t pbm = -1;
    if (msg && msg->pbm) {
        uint32_t n = peel_reader_remaining(rd), got = 0;
        const uint8_t *p = peel_reader_peek_bytes(rd, 0, n, &got);
        pbm = pb_hidden(
                c, pb_place(c, peel_add_bytes_value(pkt, msg->pbm - 1, p, got), rd, start, n));
    }
    while (peel_reader_remaining(rd) > 0 && peel_reader_ok(rd)) {
        PbStep s = pb_field(c, rd, msg, end_group);
        if (s == PB_ENDED) {
            if (ended)
                *ended = true;
            break;
        }
        if (s == PB_STOP)
            break;
    }
    if (end_group && pbm >= 0) /* a group's extent is known only now */
        pkt->fields[pbm].length = rd->pos - start;
    if (opened)
        peel_close(pkt, rd);
}

static void
pb_dissect(PeelReader *rd, PeelPacket *pkt)
{
    PbEngine *eng = pb_engine(pkt);
    const char *type = eng->pending;
    eng->pending = NULL;
    PbCtx c = { .pkt = pkt, .eng = eng, .pools = pb_pools(eng), .items_left = PB_MAX_ITEMS };
    /* Records are numbered by the message's place among the frame's protobuf messages. */
    uint32_t frame = pkt->frame ? pkt->frame->number : 0;
    if (eng->rec_frame != frame) {
        eng->rec_frame = frame;
        eng->rec_sub = 0;
    }
    uint8_t sub = eng->rec_sub < UINT8_MAX ? eng->rec_sub++ : UINT8_MAX;
    if (pkt->revisit && sub < UINT8_MAX) {
        uint32_t size = peel_record_size(pkt, sub);
        if (size > 0 && size <= sizeof c.learned && peel_record_get(pkt, sub, c.learned, size))
            c.n_learned = (uint8_t)size;
    }
    const PbMessage *msg = type ? pools_message(&c.pools, type) : NULL;
    int32_t self = pkt->parent;
    if (self >= 0 && (uint32_t)self < pkt->n_fields && pkt->fields[self].id == pkt->field_base &&
            type != NULL)
        peel_set_text(pkt, self, "Protocol Buffers: %s", type);
    peel_info_append_str(pkt, " (PROTOBUF)");
    if (msg != NULL)
        peel_info_append(pkt, " %s", msg->full_name);
    /* Fields nobody keeps or shows are not decoded, but reflection answers are: the
     * schemas they carry name later messages. */
    if (peel_shallow(pkt) && !pb_is_reflection_answer(msg))
        return;
    pb_message(&c, rd, msg, msg ? msg->full_name : NULL, 0, NULL);
    if (!pkt->revisit && c.n_learned > 0 && sub < UINT8_MAX)
        peel_record_put(pkt, sub, c.learned, c.n_learned);
}

void
peel_protobuf_dissect(PeelReader *rd, PeelPacket *pkt, const char *message_type)
{
    PbEngine *eng = pb_engine(pkt);
    eng->pending = message_type;
    /* Each message is a leaf: it does not count against the layer bound, which many
     * gRPC messages in one frame would otherwise reach. */
    uint16_t layers = pkt->layers;
    pkt->nest = true;
    peel_next_proto(pkt, rd, &peel_proto_protobuf);
    pkt->nest = false;
    pkt->layers = layers;
    eng->pending = NULL;
    peel_reader_skip(rd, peel_reader_remaining(rd));
}
