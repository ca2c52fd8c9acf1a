/* protobuf-schema.c: schemas from FileDescriptorSets and FileDescriptorProtos
 * (google/protobuf/descriptor.proto, unpacked by protobuf-c's generated code). */
#include "protobuf-schema.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "descriptor.pb-c.h"

struct PbPool {
    GStringChunk *strings;
    GHashTable *files;    /* file name -> 1 */
    GHashTable *messages; /* full name -> PbMessage* */
    GHashTable *enums;    /* full name -> PbEnum* */
    GHashTable *methods;  /* "pkg.Svc/Method" -> PeelProtobufMethod* */
    GPtrArray *message_list;
    GPtrArray *owned; /* everything else allocated for the pool */
    uint32_t n_fields;
};

PbPool *
peel_pb_pool_new(void)
{
    PbPool *pool = g_new0(PbPool, 1);
    pool->strings = g_string_chunk_new(4096);
    pool->files = g_hash_table_new(g_str_hash, g_str_equal);
    pool->messages = g_hash_table_new(g_str_hash, g_str_equal);
    pool->enums = g_hash_table_new(g_str_hash, g_str_equal);
    pool->methods = g_hash_table_new(g_str_hash, g_str_equal);
    pool->message_list = g_ptr_array_new();
    pool->owned = g_ptr_array_new_with_free_func(g_free);
    return pool;
}

void
peel_pb_pool_free(PbPool *pool)
{
    if (pool == NULL)
        return;
    g_hash_table_destroy(pool->files);
    g_hash_table_destroy(pool->messages);
    g_hash_table_destroy(pool->enums);
    g_hash_table_destroy(pool->methods);
    g_ptr_array_free(pool->message_list, TRUE);
    g_ptr_array_free(pool->owned, TRUE);
    g_string_chunk_free(pool->strings);
    g_free(pool);
}

static const char *
pool_str(PbPool *pool, const char *s)
{
    return s ? g_string_chunk_insert_const(pool->strings, s) : NULL;
}

static void *
pool_alloc(PbPool *pool, size_t size)
{
    void *p = g_malloc0(size ? size : 1);
    g_ptr_array_add(pool->owned, p);
    return p;
}

/* "pkg" + "Msg" -> "pkg.Msg"; an empty scope gives the name alone. */
static const char *
pool_join(PbPool *pool, const char *scope, const char *name)
{
    if (scope == NULL || scope[0] == '\0')
        return pool_str(pool, name);
    char *s = g_strconcat(scope, ".", name, NULL);
    const char *r = pool_str(pool, s);
    g_free(s);
    return r;
}

static int
field_cmp(const void *a, const void *b)
{
    int32_t x = ((const PbField *)a)->number, y = ((const PbField *)b)->number;
    return (x > y) - (x < y);
}

/* Counts what a file would add, so limits are checked before anything is added. */
static void
count_message(const Google__Protobuf__DescriptorProto *m, uint32_t *n_msgs, uint32_t *n_fields,
        uint32_t depth)
{
    (*n_msgs)++;
    *n_fields += (uint32_t)m->n_field;
    if (depth > 64)
        return;
    for (size_t i = 0; i < m->n_nested_type; i++)
        count_message(m->nested_type[i], n_msgs, n_fields, depth + 1);
}

static void
add_enum(PbPool *pool, const Google__Protobuf__EnumDescriptorProto *e, const char *scope)
{
    if (e->name == NULL)
        return;
    const char *full = pool_join(pool, scope, e->name);
    if (g_hash_table_contains(pool->enums, full))
        return;
    PbEnum *en = pool_alloc(pool, sizeof *en);
    en->full_name = full;
    en->n_values = (uint32_t)e->n_value;
    int32_t *numbers = pool_alloc(pool, sizeof(int32_t) * e->n_value);
    const char **names = pool_alloc(pool, sizeof(char *) * e->n_value);
    en->value_names = pool_alloc(pool, sizeof(PeelValueName) * (e->n_value + 1));
    uint32_t k = 0;
    for (size_t i = 0; i < e->n_value; i++) {
        const Google__Protobuf__EnumValueDescriptorProto *v = e->value[i];
        if (v->name == NULL)
            continue;
        numbers[k] = v->number;
        names[k] = pool_str(pool, v->name);
        /* pbf.* enum fields are signed 32-bit: names keyed by the value as stored. */
        en->value_names[k] = (PeelValueName){ (uint64_t)(int64_t)v->number, names[k] };
        k++;
    }
    en->n_values = k;
    en->numbers = numbers;
    en->names = names;
    g_hash_table_insert(pool->enums, (gpointer)full, en);
}

static void
add_message(
        PbPool *pool, const Google__Protobuf__DescriptorProto *m, const char *scope, uint32_t depth)
{
    if (m->name == NULL || depth > 64)
        return;
    const char *full = pool_join(pool, scope, m->name);
    for (size_t i = 0; i < m->n_enum_type; i++)
        add_enum(pool, m->enum_type[i], full);
    for (size_t i = 0; i < m->n_nested_type; i++)
        add_message(pool, m->nested_type[i], full, depth + 1);
    if (g_hash_table_contains(pool->messages, full))
        return;
    PbMessage *msg = pool_alloc(pool, sizeof *msg);
    msg->full_name = full;
    msg->map_entry = m->options != NULL && m->options->has_map_entry && m->options->map_entry;
    msg->fields = pool_alloc(pool, sizeof(PbField) * m->n_field);
    uint32_t k = 0;
    for (size_t i = 0; i < m->n_field; i++) {
        const Google__Protobuf__FieldDescriptorProto *f = m->field[i];
        if (f->name == NULL || !f->has_number || f->number <= 0)
            continue;
        PbField *pf = &msg->fields[k++];
        pf->name = pool_str(pool, f->name);
        pf->full_name = pool_join(pool, full, f->name);
        pf->number = f->number;
        pf->type = f->has_type ? (uint8_t)f->type : 0;
        if (pf->type > PB_TYPE_MAX)
            pf->type = 0;
        pf->label = f->has_label ? (uint8_t)f->label : PB_LABEL_OPTIONAL;
        pf->type_name = pool_str(pool, f->type_name);
        pf->scope = full;
        bool synthetic = f->has_proto3_optional && f->proto3_optional;
        if (f->has_oneof_index && !synthetic && f->oneof_index >= 0 &&
                (size_t)f->oneof_index < m->n_oneof_decl)
            pf->oneof = pool_str(pool, m->oneof_decl[f->oneof_index]->name);
        /* A field whose type names a type but says nothing else: protoc always fills in
         * the type; a hand-made descriptor may not. Decided when the name resolves. */
    }
    msg->n_fields = k;
    qsort(msg->fields, k, sizeof(PbField), field_cmp);
    /* Map entries: protoc names them "CountsEntry", Wireshark (which parses .proto
     * files itself) "countsMapEntry"; the message answers to both, and shows and
     * registers pbf.* under Wireshark's. */
    for (size_t i = 0; i < m->n_nested_type; i++) {
        const Google__Protobuf__DescriptorProto *nt = m->nested_type[i];
        if (nt->name == NULL || nt->options == NULL || !nt->options->map_entry)
            continue;
        const char *nfull = pool_join(pool, full, nt->name);
        PbMessage *entry = g_hash_table_lookup(pool->messages, nfull);
        if (entry == NULL || entry->full_name != nfull)
            continue;
        for (uint32_t f = 0; f < k; f++) {
            const char *tn = msg->fields[f].type_name;
            const char *dot = tn ? strrchr(tn, '.') : NULL;
            if (msg->fields[f].label != PB_LABEL_REPEATED || strcmp(dot   ? dot + 1
                                                                     : tn ? tn
                                                                          : "",
                                                                     nt->name) != 0)
                continue;
            char *alias = g_strconcat(full, ".", msg->fields[f].name, "MapEntry", NULL);
            entry->full_name = pool_str(pool, alias);
            g_free(alias);
            if (!g_hash_table_contains(pool->messages, entry->full_name))
                g_hash_table_insert(pool->messages, (gpointer)entry->full_name, entry);
            for (uint32_t e = 0; e < entry->n_fields; e++) {
                entry->fields[e].full_name =
                        pool_join(pool, entry->full_name, entry->fields[e].name);
                entry->fields[e].scope = entry->full_name;
            }
            break;
        }
    }
    pool->n_fields += k;
    g_hash_table_insert(pool->messages, (gpointer)full, msg);
    g_ptr_array_add(pool->message_list, msg);
}

static void
add_service(PbPool *pool, const Google__Protobuf__ServiceDescriptorProto *s, const char *pkg)
{
    if (s->name == NULL)
        return;
    const char *svc = pool_join(pool, pkg, s->name);
    for (size_t i = 0; i < s->n_method; i++) {
        const Google__Protobuf__MethodDescriptorProto *m = s->method[i];
        if (m->name == NULL || m->input_type == NULL || m->output_type == NULL)
            continue;
        char *key = g_strconcat(svc, "/", m->name, NULL);
        const char *k = pool_str(pool, key);
        g_free(key);
        if (g_hash_table_contains(pool->methods, k))
            continue;
        PeelProtobufMethod *pm = pool_alloc(pool, sizeof *pm);
        /* protoc writes fully qualified names (".pkg.Msg"). */
        pm->input_type = pool_str(pool, m->input_type + (m->input_type[0] == '.'));
        pm->output_type = pool_str(pool, m->output_type + (m->output_type[0] == '.'));
        pm->client_streaming = m->has_client_streaming && m->client_streaming;
        pm->server_streaming = m->has_server_streaming && m->server_streaming;
        g_hash_table_insert(pool->methods, (gpointer)k, pm);
    }
}

static bool
add_file(PbPool *pool, const Google__Protobuf__FileDescriptorProto *f)
{
    const char *name = f->name ? f->name : "";
    if (name[0] != '\0' && g_hash_table_contains(pool->files, name))
        return true;
    uint32_t n_msgs = 0, n_fields = 0;
    for (size_t i = 0; i < f->n_message_type; i++)
        count_message(f->message_type[i], &n_msgs, &n_fields, 0);
    if (g_hash_table_size(pool->files) >= PB_MAX_FILES ||
            pool->message_list->len + n_msgs > PB_MAX_MESSAGES ||
            pool->n_fields + n_fields > PB_MAX_FIELDS)
        return false;
    if (name[0] != '\0')
        g_hash_table_insert(pool->files, (gpointer)pool_str(pool, name), GINT_TO_POINTER(1));
    const char *pkg = f->package ? f->package : "";
    for (size_t i = 0; i < f->n_enum_type; i++)
        add_enum(pool, f->enum_type[i], pkg);
    for (size_t i = 0; i < f->n_message_type; i++)
        add_message(pool, f->message_type[i], pkg, 0);
    for (size_t i = 0; i < f->n_service; i++)
        add_service(pool, f->service[i], pkg);
    return true;
}

/* protobuf-c allocates a struct for every message and element it unpacks: a few bytes of
 * input can cost a hundred of memory. Unpacking goes through a budget, and fails cleanly
 * (NULL) when the budget is spent. */
typedef struct {
    size_t used, limit;
} PbBudget;

typedef union {
    size_t size;
    max_align_t align;
} PbBudgetHeader;

static void *
budget_alloc(void *data, size_t size)
{
    PbBudget *b = data;
    size_t need = size + sizeof(PbBudgetHeader);
    if (need < size || need > b->limit - b->used)
        return NULL;
    PbBudgetHeader *h = malloc(need);
    if (h == NULL)
        return NULL;
    h->size = need;
    b->used += need;
    return h + 1;
}

static void
budget_free(void *data, void *ptr)
{
    if (ptr == NULL)
        return;
    PbBudget *b = data;
    PbBudgetHeader *h = (PbBudgetHeader *)ptr - 1;
    b->used -= h->size;
    free(h);
}

/* protobuf-c unpacks nested messages by recursion, with no bound: a few bytes a level
 * make a stack-overflowing input. Before unpacking, the bytes are walked along the
 * message-typed fields of the generated descriptors, to PB_MAX_SCHEMA_DEPTH levels. Bytes
 * that are not well-formed end the walk: the unpack rejects them. */
static bool
depth_ok(const uint8_t *p, size_t n, const ProtobufCMessageDescriptor *d, unsigned depth)
{
    if (depth > PB_MAX_SCHEMA_DEPTH)
        return false;
    size_t off = 0;
    while (off < n) {
        uint64_t tag = 0, x = 0;
        size_t l = 0;
        for (unsigned shift = 0; off + l < n && shift < 64; shift += 7) {
            uint8_t b = p[off + l++];
            tag |= (uint64_t)(b & 0x7f) << shift;
            if (!(b & 0x80))
                goto have_tag;
        }
        return true;
    have_tag:
        off += l;
        switch (tag & 7) {
        case 0:
            while (off < n && (p[off] & 0x80))
                off++;
            off++;
            break;
        case 1:
            off += 8;
            break;
        case 5:
            off += 4;
            break;
        case 2: {
            l = 0;
            for (unsigned shift = 0; off + l < n && shift < 64; shift += 7) {
                uint8_t b = p[off + l++];
                x |= (uint64_t)(b & 0x7f) << shift;
                if (!(b & 0x80))
                    goto have_len;
            }
            return true;
        have_len:
            off += l;
            if (x > n - off)
                return true;
            const ProtobufCFieldDescriptor *f =
                    protobuf_c_message_descriptor_get_field(d, (unsigned)(tag >> 3));
            if (f != NULL && f->type == PROTOBUF_C_TYPE_MESSAGE &&
                    !depth_ok(p + off, (size_t)x, f->descriptor, depth + 1))
                return false;
            off += (size_t)x;
            break;
        }
        default:
            return true;
        }
    }
    return true;
}

bool
peel_pb_pool_add_set(PbPool *pool, const uint8_t *data, size_t len, const char *what, GError **err)
{
    if (!depth_ok(data, len, &google__protobuf__file_descriptor_set__descriptor, 0)) {
        g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                "%s: messages nested deeper than %u levels", what, PB_MAX_SCHEMA_DEPTH);
        return false;
    }
    PbBudget budget = { 0, PB_UNPACK_BUDGET };
    ProtobufCAllocator alloc = { budget_alloc, budget_free, &budget };
    Google__Protobuf__FileDescriptorSet *set =
            google__protobuf__file_descriptor_set__unpack(&alloc, len, data);
    if (set == NULL) {
        g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                "%s: not a FileDescriptorSet (protoc --include_imports --descriptor_set_out), "
                "or one that needs more than %zu MiB to unpack",
                what, PB_UNPACK_BUDGET >> 20);
        return false;
    }
    bool ok = true;
    for (size_t i = 0; i < set->n_file && ok; i++) {
        if (!add_file(pool, set->file[i])) {
            g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_NOSPC,
                    "%s: more schemas than peel holds (%u files, %u messages, %u fields)", what,
                    PB_MAX_FILES, PB_MAX_MESSAGES, PB_MAX_FIELDS);
            ok = false;
        }
    }
    google__protobuf__file_descriptor_set__free_unpacked(set, &alloc);
    return ok;
}

bool
peel_pb_pool_add_file(PbPool *pool, const uint8_t *data, size_t len)
{
    if (!depth_ok(data, len, &google__protobuf__file_descriptor_proto__descriptor, 0))
        return false;
    PbBudget budget = { 0, PB_UNPACK_BUDGET };
    ProtobufCAllocator alloc = { budget_alloc, budget_free, &budget };
    Google__Protobuf__FileDescriptorProto *f =
            google__protobuf__file_descriptor_proto__unpack(&alloc, len, data);
    if (f == NULL)
        return false;
    bool ok = add_file(pool, f);
    google__protobuf__file_descriptor_proto__free_unpacked(f, &alloc);
    return ok;
}

uint32_t
peel_pb_pool_n_files(const PbPool *pool)
{
    return g_hash_table_size(pool->files);
}

uint32_t
peel_pb_pool_n_messages(const PbPool *pool)
{
    return pool->message_list->len;
}

PbMessage *
peel_pb_pool_message_at(PbPool *pool, uint32_t i)
{
    return i < pool->message_list->len ? g_ptr_array_index(pool->message_list, i) : NULL;
}

const PbMessage *
peel_pb_pool_message(const PbPool *pool, const char *full_name)
{
    return pool ? g_hash_table_lookup(pool->messages, full_name) : NULL;
}

const PbEnum *
peel_pb_pool_enum(const PbPool *pool, const char *full_name)
{
    return pool ? g_hash_table_lookup(pool->enums, full_name) : NULL;
}

const PeelProtobufMethod *
peel_pb_pool_method(const PbPool *pool, const char *key, size_t len)
{
    if (pool == NULL || len > 1024)
        return NULL;
    char buf[1025];
    memcpy(buf, key, len);
    buf[len] = '\0';
    return g_hash_table_lookup(pool->methods, buf);
}

const PbField *
peel_pb_message_field(const PbMessage *msg, uint64_t number)
{
    uint32_t lo = 0, hi = msg->n_fields;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        uint64_t n = (uint64_t)msg->fields[mid].number;
        if (n == number)
            return &msg->fields[mid];
        if (n < number)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const char *
peel_pb_enum_name(const PbEnum *en, int32_t number)
{
    for (uint32_t i = 0; i < en->n_values; i++)
        if (en->numbers[i] == number)
            return en->names[i];
    return NULL;
}

bool
peel_pb_resolve(const char *type_name, const char *scope, PbLookupFn lookup, void *user, char *buf,
        size_t buf_size)
{
    if (type_name == NULL || type_name[0] == '\0')
        return false;
    if (type_name[0] == '.') {
        g_strlcpy(buf, type_name + 1, buf_size);
        return lookup(buf, user);
    }
    /* Relative: "Inner" in scope "pkg.Outer" is tried as pkg.Outer.Inner, pkg.Inner,
     * Inner (descriptor.proto's C++-like scoping). */
    size_t slen = scope ? strlen(scope) : 0;
    for (;;) {
        if (slen > 0)
            g_snprintf(buf, buf_size, "%.*s.%s", (int)slen, scope, type_name);
        else
            g_strlcpy(buf, type_name, buf_size);
        if (lookup(buf, user))
            return true;
        if (slen == 0)
            return false;
        while (slen > 0 && scope[slen - 1] != '.')
            slen--;
        if (slen > 0)
            slen--; /* drop the dot */
    }
}
