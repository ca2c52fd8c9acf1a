/* fuzz-protobuf.c: libFuzzer target for the protobuf decoders: schema-less guessing, the
 * built-in schemas (descriptor.proto, gRPC reflection with schema learning, Any, Struct)
 * and the FileDescriptorSet loader.
 *
 * Input: one selector byte, then the message. Selector bits 0-2 choose the message type
 * (0: none, 1: google.protobuf.FileDescriptorProto, 2: a v1alpha reflection response,
 * 3: google.protobuf.Any, 4: google.protobuf.Struct, 5: a reflection response then the
 * message as a type it may have taught, 6: the bytes as a FileDescriptorSet for the
 * loader); bit 4 dissects without keeping fields, as summary output does. Every field is
 * formatted as -V and -T fields would. */
#include <glib.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dissector.h"
#include "format.h"
#include "protobuf-schema.h"
#include "protobuf.h"
#include "registry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *fz_types[2];

static void
fz_dissect(PeelReader *rd, PeelPacket *pkt)
{
    if (fz_types[1] != NULL) {
        /* u16 length of the first message, then the second */
        uint32_t n = peel_reader_remaining(rd) >= 2 ? peel_reader_u16be(rd) : 0;
        PeelReader first = peel_reader_take(rd, n);
        peel_protobuf_dissect(&first, pkt, fz_types[0]);
        PeelProtobufMethod m;
        peel_protobuf_method(pkt, "/reflected.Plotter/Plot", 23, &m);
        peel_protobuf_dissect(rd, pkt, m.input_type ? m.input_type : fz_types[1]);
        return;
    }
    peel_protobuf_dissect(rd, pkt, fz_types[0]);
}

static const PeelProto fz_proto = {
    .name = "pbfuzz",
    .title = "Protobuf fuzz carrier",
    .dissect = fz_dissect,
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static PeelDissector *dis, *lean;
    static GString *out;
    if (dis == NULL) {
        peel_registry_add_extra(&fz_proto);
        dis = peel_dissector_new();
        peel_dissector_set_want_tree(dis, true);
        lean = peel_dissector_new();
        peel_dissector_set_record_fields(lean, false);
        out = g_string_sized_new(4096);
    }
    if (size < 1 || size > 262144)
        return 0;
    unsigned mode = data[0] & 7;
    if (mode == 6) {
        PbPool *pool = peel_pb_pool_new();
        peel_pb_pool_add_set(pool, data + 1, size - 1, "fuzz", NULL);
        peel_pb_pool_add_file(pool, data + 1, size - 1);
        for (uint32_t i = 0; i < peel_pb_pool_n_messages(pool); i++) {
            const PbMessage *m = peel_pb_pool_message_at(pool, i);
            g_assert(peel_pb_pool_message(pool, m->full_name) != NULL);
            for (uint32_t f = 1; f < m->n_fields; f++)
                g_assert(m->fields[f - 1].number <= m->fields[f].number);
        }
        peel_pb_pool_free(pool);
        return 0;
    }
    static const char *const types[] = { NULL, "google.protobuf.FileDescriptorProto",
        "grpc.reflection.v1alpha.ServerReflectionResponse", "google.protobuf.Any",
        "google.protobuf.Struct", "grpc.reflection.v1.ServerReflectionResponse", NULL, NULL };
    fz_types[0] = types[mode];
    fz_types[1] = mode == 5 ? "reflected.Point" : NULL;
    PeelFrameInfo fr = {
        .number = 1,
        .linktype = 1,
        .cap_len = (uint32_t)(size - 1),
        .len = (uint32_t)(size - 1),
        .data = data + 1,
    };
    const PeelPacket *pkt = peel_dissector_run_proto((data[0] & 0x10) ? lean : dis, &fr, &fz_proto);
    for (uint32_t i = 0; i < pkt->n_fields; i++) {
        g_string_truncate(out, 0);
        peel_format_tree_line(out, pkt, &pkt->fields[i]);
        peel_format_value(out, pkt, &pkt->fields[i]);
        g_assert(pkt->fields[i].parent < (int32_t)i);
        g_assert(pkt->fields[i].depth < PEEL_MAX_DEPTH);
    }
    return 0;
}
