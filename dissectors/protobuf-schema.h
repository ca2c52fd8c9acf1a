/* protobuf-schema.h: message, enum and method definitions read from FileDescriptorProtos
 * (descriptor.proto, parsed with protobuf-c), indexed by full name. Internal to the
 * protobuf module (protobuf.c). */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dissect.h"
#include "protobuf.h"

/* Field types and labels as descriptor.proto numbers them. */
enum {
    PB_TYPE_DOUBLE = 1,
    PB_TYPE_FLOAT = 2,
    PB_TYPE_INT64 = 3,
    PB_TYPE_UINT64 = 4,
    PB_TYPE_INT32 = 5,
    PB_TYPE_FIXED64 = 6,
    PB_TYPE_FIXED32 = 7,
    PB_TYPE_BOOL = 8,
    PB_TYPE_STRING = 9,
    PB_TYPE_GROUP = 10,
    PB_TYPE_MESSAGE = 11,
    PB_TYPE_BYTES = 12,
    PB_TYPE_UINT32 = 13,
    PB_TYPE_ENUM = 14,
    PB_TYPE_SFIXED32 = 15,
    PB_TYPE_SFIXED64 = 16,
    PB_TYPE_SINT32 = 17,
    PB_TYPE_SINT64 = 18,
    PB_TYPE_MAX = 18,
};
enum { PB_LABEL_OPTIONAL = 1, PB_LABEL_REQUIRED = 2, PB_LABEL_REPEATED = 3 };

/* Limits on what one pool holds: schemas can come from packets (reflection). */
#define PB_MAX_MESSAGES     100000u
#define PB_MAX_FIELDS       1000000u /* over all messages of a pool */
#define PB_MAX_FILES        10000u
#define PB_MAX_SCHEMA_DEPTH 64u                 /* messages nested in a FileDescriptorSet */
#define PB_UNPACK_BUDGET    ((size_t)256 << 20) /* memory protobuf-c may use to unpack one set */

typedef struct {
    const char *full_name; /* "pkg.Color" */
    uint32_t n_values;
    const int32_t *numbers;
    const char *const *names;
    PeelValueName *value_names; /* { number, name } ... { 0, NULL }, for pbf.* fields */
} PbEnum;

typedef struct PbMessage PbMessage;

typedef struct {
    const char *name;      /* "name" */
    const char *full_name; /* "pkg.Msg.name" */
    const char *type_name; /* message or enum type as declared (".pkg.Sub" or relative) */
    const char *scope;     /* full name of the message declaring it, for relative names */
    const char *oneof;     /* the oneof it belongs to (not proto3 optional's), or NULL */
    int32_t number;
    uint8_t type;  /* PB_TYPE_* */
    uint8_t label; /* PB_LABEL_* */
    uint32_t pbf;  /* protobuf protocol's local field index + 1 of pbf.<full_name>; 0: none */
    /* type_name resolved once the pools it may name are complete (written before
     * dissection starts, or by the engine that owns the pool); NULL: look it up */
    const PbMessage *sub;
    const PbEnum *en;
} PbField;

struct PbMessage {
    const char *full_name; /* "pkg.Msg", "pkg.Msg.Inner" */
    PbField *fields;       /* sorted by number */
    uint32_t n_fields;
    bool map_entry;
    uint32_t pbm; /* local field index + 1 of pbm.<full_name>; 0: none */
};

typedef struct PbPool PbPool;

PbPool *peel_pb_pool_new(void);
void peel_pb_pool_free(PbPool *pool);

/* Adds every file of a serialized FileDescriptorSet (files already in the pool, by name,
 * are skipped; so are types whose full name is taken). False with *err set when the
 * bytes do not parse, unpacking them would take more than PB_UNPACK_BUDGET, or a limit is
 * reached. */
bool peel_pb_pool_add_set(
        PbPool *pool, const uint8_t *data, size_t len, const char *what, GError **err);
/* Adds one serialized FileDescriptorProto (a reflection answer). False when it does not
 * parse or a limit is reached (nothing added then). */
bool peel_pb_pool_add_file(PbPool *pool, const uint8_t *data, size_t len);

uint32_t peel_pb_pool_n_files(const PbPool *pool);
/* Messages in the order they were added (for registering pbf.* fields). */
uint32_t peel_pb_pool_n_messages(const PbPool *pool);
PbMessage *peel_pb_pool_message_at(PbPool *pool, uint32_t i);

const PbMessage *peel_pb_pool_message(const PbPool *pool, const char *full_name);
const PbEnum *peel_pb_pool_enum(const PbPool *pool, const char *full_name);
/* A method by "pkg.Svc/Method" (len bytes). */
const PeelProtobufMethod *peel_pb_pool_method(const PbPool *pool, const char *key, size_t len);

/* The field of `msg` numbered `number`, or NULL. */
const PbField *peel_pb_message_field(const PbMessage *msg, uint64_t number);
/* The enum value's name, or NULL. */
const char *peel_pb_enum_name(const PbEnum *en, int32_t number);

/* Resolves a field's type_name in `scope` (C++-like scoping: innermost first) with
 * `lookup` over the pools the caller searches; the full name without a leading dot is
 * written to buf. Returns whether some candidate was accepted by `lookup`. */
typedef bool (*PbLookupFn)(const char *full_name, void *user);
bool peel_pb_resolve(const char *type_name, const char *scope, PbLookupFn lookup, void *user,
        char *buf, size_t buf_size);
