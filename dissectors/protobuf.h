/* protobuf.h: Protocol Buffers messages, decoded by name and type with schemas
 * (FileDescriptorSets, gRPC server reflection) or by the wire format alone.
 *
 * Schemas come from two places:
 *   - peel_protobuf_load_file(): a FileDescriptorSet made by
 *     `protoc --include_imports --descriptor_set_out=FILE x.proto` (the CLI's
 *     --proto-descriptors FILE, repeatable). Process-wide; must be loaded before
 *     peel_registry_init(), because each message field of these schemas also gets a
 *     filterable field `pbf.<package>.<Message>.<field>` as in Wireshark.
 *   - gRPC server reflection: when peel_protobuf_dissect() decodes a
 *     grpc.reflection.v1alpha.ServerReflectionResponse or
 *     grpc.reflection.v1.ServerReflectionResponse, the FileDescriptorProtos of its
 *     file_descriptor_response are loaded for the rest of the capture (per engine, see
 *     peel_engine_data()). They decode by name and type like the others, under the
 *     protobuf.* fields only: the field registry is fixed at start-up, so no pbf.* names
 *     exist for reflection-learned messages.
 * Built in (an embedded FileDescriptorSet): the reflection service (v1 and v1alpha), the
 * well-known types and descriptor.proto, so a reflection call and the FileDescriptorProtos
 * it carries decode with no option given.
 *
 * Without a schema (type NULL or unknown) the decoder guesses: a length-delimited value is
 * shown as a nested message when it parses fully as one, as text when it is printable
 * UTF-8, as packed varints when that fits, else as bytes; guessed readings are marked
 * so, and filterable by field-number path (protobuf.field.path, "1.3.2").
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dissect.h"

/* Not const: its field table grows with the pbf.* fields of loaded schemas. */
extern PeelProto peel_proto_protobuf;

/* Loads a FileDescriptorSet file (serialized google.protobuf.FileDescriptorSet). Call
 * before peel_registry_init() (a later call still adds schemas for decoding, without
 * pbf.* names) and before any dissection starts: not thread-safe. May be called several
 * times (each file adds to the schemas; a file name already loaded is skipped, and so is
 * a type whose full name is taken). False with *err set when the file cannot be read, does
 * not parse, or passes the limits in protobuf-schema.h. */
bool peel_protobuf_load_file(const char *path, GError **err);
/* The same from bytes in memory (tests, fuzz targets); `name` names it in errors. */
bool peel_protobuf_load_set(const uint8_t *data, size_t len, const char *name, GError **err);

/* Decodes rd, the bytes of one whole serialized message, as `message_type` (full name
 * without a leading dot: "helloworld.HelloRequest"); NULL, or a name no schema defines,
 * decodes without a schema. Adds a "protobuf" protocol item nested under the current
 * item (pkt->parent: call it while your gRPC message item is open), with
 * protobuf.message.name and a subtree per field, and appends " (PROTOBUF)" and the
 * message's full name when known to the info column, as Wireshark does. Consumes rd. Never
 * fails: malformed input gets expert notes. Reflection responses are learned as described
 * above. Each call is a leaf: it does not count against the engine's layer bound. */
void peel_protobuf_dissect(PeelReader *rd, PeelPacket *pkt, const char *message_type);

/* A gRPC method as its service's schema declares it. */
typedef struct {
    const char *input_type;  /* full name, "helloworld.HelloRequest" */
    const char *output_type; /* full name, "helloworld.HelloReply" */
    bool client_streaming;
    bool server_streaming;
} PeelProtobufMethod;

/* Looks up the method of a gRPC :path ("/helloworld.Greeter/SayHello", `len` bytes, not
 * NUL-terminated) in the loaded schemas, the reflection-learned ones of this engine, and
 * the built-in reflection service. Fills *out (strings live as long as the engine) and
 * returns true when found; false leaves *out zeroed. */
bool peel_protobuf_method(PeelPacket *pkt, const char *path, size_t len, PeelProtobufMethod *out);
