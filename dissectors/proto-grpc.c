/* proto-grpc.c: gRPC messages (gRPC over HTTP/2, "Length-Prefixed-Message"; gRPC-Web's
 * trailer frames), one per call from proto-http2.c, which reassembles them across DATA
 * frames and knows the call (path, direction, grpc-encoding). Compressed messages
 * (gzip, deflate) are inflated with zlib up to PEEL_GRPC_MAX_DECOMPRESSED bytes; the
 * body then goes to the protobuf decoder with the method's message type. */
#include "proto-http2.h"

#include <string.h>
#include <zlib.h>

#include "protobuf.h"
#include "json-check.h"
#include "proto-json.h"
#include "registry.h"

enum {
    F_FRAME_TYPE = PEEL_GRPC_F_FRAME_TYPE,
    F_COMPRESSED_FLAG = PEEL_GRPC_F_COMPRESSED_FLAG,
    F_MESSAGE_LENGTH = PEEL_GRPC_F_MESSAGE_LENGTH,
    F_MESSAGE_DATA = PEEL_GRPC_F_MESSAGE_DATA,
    F_ENCODED = PEEL_GRPC_F_ENCODED,
    F_DECOMPRESSION_FAILED = PEEL_GRPC_F_DECOMPRESSION_FAILED,
    F_MALFORMED = PEEL_GRPC_F_MALFORMED,
    N_F = PEEL_GRPC_N_F
};

static const PeelValueName grpc_status_names[] = {
    { 0, "OK" },
    { 1, "CANCELLED" },
    { 2, "UNKNOWN" },
    { 3, "INVALID_ARGUMENT" },
    { 4, "DEADLINE_EXCEEDED" },
    { 5, "NOT_FOUND" },
    { 6, "ALREADY_EXISTS" },
    { 7, "PERMISSION_DENIED" },
    { 8, "RESOURCE_EXHAUSTED" },
    { 9, "FAILED_PRECONDITION" },
    { 10, "ABORTED" },
    { 11, "OUT_OF_RANGE" },
    { 12, "UNIMPLEMENTED" },
    { 13, "INTERNAL" },
    { 14, "UNAVAILABLE" },
    { 15, "DATA_LOSS" },
    { 16, "UNAUTHENTICATED" },
    { 0, NULL },
};

static const PeelValueName grpc_frame_type_names[] = {
    { 0, "Data" },
    { 1, "Trailer" },
    { 0, NULL },
};

static const PeelValueName grpc_compressed_names[] = {
    { 0, "Not Compressed" },
    { 1, "Compressed" },
    { 0, NULL },
};

static const PeelFieldDef grpc_fields[N_F] = {
    [F_FRAME_TYPE] = { "grpc.frame_type", "Frame Type", PEEL_FT_U8, PEEL_SHOW_DEC,
            grpc_frame_type_names, 0x80, 1 },
    [F_COMPRESSED_FLAG] = { "grpc.compressed_flag", "Compressed Flag", PEEL_FT_U8, PEEL_SHOW_DEC,
            grpc_compressed_names, 0x01, 1 },
    [F_MESSAGE_LENGTH] = { "grpc.message_length", "Message Length", PEEL_FT_U32, PEEL_SHOW_DEC },
    [F_MESSAGE_DATA] = { "grpc.message_data", "Message Data", PEEL_FT_BYTES, PEEL_SHOW_NONE },
    [F_ENCODED] = { "grpc.encoded_entity", "Message-encoded entity body", PEEL_FT_NONE,
            PEEL_SHOW_NONE },
    [F_DECOMPRESSION_FAILED] = { "grpc.body_decompression_failed", "Body decompression failed",
            PEEL_FT_NONE, PEEL_SHOW_NONE },
    [F_MALFORMED] = { "grpc.body_malformed", "Malformed message data", PEEL_FT_NONE,
            PEEL_SHOW_NONE },
    /* Call metadata from the HTTP/2 headers (peel's own names; Wireshark has none). */
    [PEEL_GRPC_F_SERVICE] = { "grpc.service", "gRPC service", PEEL_FT_STRING },
    [PEEL_GRPC_F_METHOD] = { "grpc.method", "gRPC method", PEEL_FT_STRING },
    [PEEL_GRPC_F_TIMEOUT] = { "grpc.timeout", "gRPC timeout", PEEL_FT_REL_TIME },
    [PEEL_GRPC_F_ENCODING] = { "grpc.encoding", "gRPC message encoding", PEEL_FT_STRING },
    [PEEL_GRPC_F_STATUS] = { "grpc.status", "gRPC status", PEEL_FT_U32, PEEL_SHOW_DEC,
            grpc_status_names },
    [PEEL_GRPC_F_STATUS_MESSAGE] = { "grpc.status_message", "gRPC status message", PEEL_FT_STRING },
    [PEEL_GRPC_F_CALL_TIME] = { "grpc.call_time", "gRPC call duration", PEEL_FT_REL_TIME },
    [PEEL_GRPC_F_BINARY] = { "grpc.metadata.binary", "Binary metadata (decoded)", PEEL_FT_BYTES },
    [PEEL_GRPC_F_CALL_TYPE] = { "grpc.call_type", "gRPC call type (from the schema)",
            PEEL_FT_STRING },
    [PEEL_GRPC_F_REQUEST_TYPE] = { "grpc.request_type", "gRPC request message type",
            PEEL_FT_STRING },
    [PEEL_GRPC_F_RESPONSE_TYPE] = { "grpc.response_type", "gRPC response message type",
            PEEL_FT_STRING },
};

PeelGrpcScope
peel_grpc_scope_enter(PeelPacket *pkt)
{
    PeelGrpcScope saved = { pkt->proto, pkt->field_base };
    int idx = peel_registry_proto_index(&peel_proto_grpc);
    pkt->proto = (uint16_t)idx;
    pkt->field_base = peel_proto_field_base((uint32_t)idx);
    return saved;
}

void
peel_grpc_scope_leave(PeelPacket *pkt, PeelGrpcScope scope)
{
    pkt->proto = scope.proto;
    pkt->field_base = scope.field_base;
}

const char *
peel_grpc_status_name(uint64_t code)
{
    return peel_value_name(grpc_status_names, code);
}

static const char call_owner = 'g'; /* engine-data key of the current call */

/* The call proto-http2.c sets before each message; `set` is cleared when read, so a
 * message dissected any other way (decode-as) never sees a call from an earlier packet. */
typedef struct {
    PeelGrpcCall call;
    bool set;
} CallSlot;

void
peel_grpc_set_call(PeelPacket *pkt, const PeelGrpcCall *call)
{
    CallSlot *c = peel_engine_data(pkt, &call_owner, sizeof *c, NULL);
    if (c == NULL)
        return;
    c->call = *call;
    c->set = true;
}

const PeelGrpcCall *
peel_grpc_get_call(PeelPacket *pkt)
{
    CallSlot *c = peel_engine_data(pkt, &call_owner, sizeof *c, NULL);
    if (c == NULL || !c->set)
        return NULL;
    c->set = false;
    return &c->call;
}

/* zlib's allocations come from the packet arena (STYLE.md section 4). */
static voidpf
grpc_zalloc(voidpf opaque, uInt items, uInt size)
{
    return peel_arena_alloc(opaque, (size_t)items * size);
}

static void
grpc_zfree(voidpf opaque, voidpf address)
{
    (void)opaque;
    (void)address;
}

/* Inflates `in` (zlib or gzip; raw deflate when `raw`) into out (NULL: only measures),
 * at most `cap` bytes. Returns the output length, or -1 when the data is not valid. */
static long
grpc_inflate(PeelPacket *pkt, const uint8_t *in, uint32_t len, bool raw, uint8_t *out, uint32_t cap,
        bool *cut)
{
    z_stream z = { .zalloc = grpc_zalloc, .zfree = grpc_zfree, .opaque = pkt->arena };
    if (inflateInit2(&z, raw ? -MAX_WBITS : MAX_WBITS + 32) != Z_OK)
        return -1;
    z.next_in = (Bytef *)in;
    z.avail_in = len;
    uint8_t scratch[4096];
    long total = 0;
    int rc = Z_OK;
    *cut = false;
    while (rc == Z_OK) {
        uint32_t room = cap - (uint32_t)total;
        if (room == 0) {
            *cut = true;
            break;
        }
        z.next_out = out ? out + total : scratch;
        z.avail_out = out ? room : MIN(room, (uint32_t)sizeof scratch);
        uInt before = z.avail_out;
        rc = inflate(&z, Z_NO_FLUSH);
        total += (long)(before - z.avail_out);
        if (rc == Z_BUF_ERROR && z.avail_in == 0)
            break; /* ended early: what came out is kept */
    }
    inflateEnd(&z);
    if (rc != Z_OK && rc != Z_STREAM_END && !(rc == Z_BUF_ERROR && total > 0) && !*cut)
        return -1;
    return total;
}

/* The message's bytes (decompressed ones when it was compressed), then their decoding, as
 * Wireshark shows them. */
static void
grpc_body(PeelPacket *pkt, PeelReader *body, const PeelGrpcCall *call)
{
    PeelReader data = *body;
    peel_add_bytes(pkt, &data, F_MESSAGE_DATA, peel_reader_remaining(&data));
    if (peel_reader_remaining(body) == 0)
        return;
    uint32_t got = 0;
    const uint8_t *text = peel_reader_peek_bytes(body, 0, peel_reader_remaining(body), &got);
    if (call->json || (text != NULL && peel_json_container(text, got))) {
        /* application/grpc+json: Wireshark's grpc_message_type table gives it to JSON; so
         * does its grpc.detect_json_automatically (on by default) for a message that is a
         * JSON object or array whatever the content-type says. */
        peel_json_dissect(pkt, body, "application/grpc+json");
        return;
    }
    const char *type = NULL;
    PeelProtobufMethod m;
    if (call->path[0] != '\0' && peel_protobuf_method(pkt, call->path, strlen(call->path), &m))
        type = call->request ? m.input_type : m.output_type;
    peel_protobuf_dissect(body, pkt, type);
}

static void
grpc_dissect(PeelReader *rd, PeelPacket *pkt)
{
    /* Without HTTP/2 telling the call (decode-as on a port): one message, no path. */
    static const PeelGrpcCall unknown_call = { .path = "", .encoding = "", .first = true };
    const PeelGrpcCall *call = peel_grpc_get_call(pkt);
    if (call == NULL)
        call = &unknown_call;
    static const char *const kind_names[] = { "GRPC", "GRPC-Web", "GRPC-Web-Text" };
    const char *name = kind_names[call->kind <= PEEL_GRPC_WEB_TEXT ? call->kind : 0];
    peel_set_protocol(pkt, name);
    if (call->first)
    {
        peel_info_append_str(pkt, " (");
        peel_info_append_str(pkt, name);
        peel_info_append_str(pkt, ")");
    }
    int32_t item = pkt->parent;
    if (call->path[0] != '\0')
        peel_set_text(pkt, item, "%s Message: %s, %s", name, call->path,
                call->request ? "Request" : "Response");
    else
        peel_set_text(pkt, item, "%s Message", name);

    uint8_t flag = peel_reader_peek_u8(rd, 0);
    peel_add_bits(pkt, rd, F_FRAME_TYPE);
    peel_add_u8(pkt, rd, F_COMPRESSED_FLAG);
    uint32_t len = peel_add_u32(pkt, rd, F_MESSAGE_LENGTH);
    if (peel_check_reader(pkt, rd))
        return;
    if (flag & 0x80)
        peel_set_text(pkt, item, "%s Message: %s, %s (Trailer)", name, call->path,
                call->request ? "Request" : "Response");
    if (len > peel_reader_remaining(rd)) {
        peel_add_uint_value(pkt, F_MALFORMED, 0);
        peel_expert(pkt, peel_last(pkt), PEEL_SEV_WARN, PEEL_GROUP_MALFORMED,
                "GRPC Malformed message data: only %u bytes left, need %u",
                peel_reader_remaining(rd), len);
        return;
    }
    PeelReader body = peel_reader_take(rd, len);
    if (len == 0)
        return;
    if (flag & 0x80) {
        /* gRPC-Web trailers: HTTP/1-style header lines. */
        peel_add_bytes(pkt, &body, F_MESSAGE_DATA, len);
        return;
    }
    if (!(flag & 0x01)) {
        grpc_body(pkt, &body, call);
        return;
    }
    bool gzip = strcmp(call->encoding, "gzip") == 0;
    bool deflate = strcmp(call->encoding, "deflate") == 0;
    uint32_t got = 0;
    const uint8_t *in = peel_reader_peek_bytes(&body, 0, len, &got);
    if ((!gzip && !deflate) || in == NULL || got < len) {
        if (!gzip && !deflate)
            peel_expert(pkt, item, PEEL_SEV_NOTE, PEEL_GROUP_UNDECODED,
                    "compressed with \"%s\", which peel cannot decompress",
                    call->encoding[0] ? call->encoding : "an encoding never named");
        peel_add_bytes(pkt, &body, F_MESSAGE_DATA, len);
        return;
    }
    int32_t enc = peel_open(pkt, &body, F_ENCODED, len);
    bool cut = false, raw = false;
    long n = grpc_inflate(pkt, in, len, false, NULL, PEEL_GRPC_MAX_DECOMPRESSED, &cut);
    if (n < 0 && deflate) {
        raw = true;
        n = grpc_inflate(pkt, in, len, true, NULL, PEEL_GRPC_MAX_DECOMPRESSED, &cut);
    }
    uint8_t *out = n > 0 ? peel_arena_alloc(pkt->arena, (size_t)n) : NULL;
    if (n > 0 && out != NULL)
        n = grpc_inflate(pkt, in, len, raw, out, (uint32_t)n, &cut);
    if (n <= 0 || out == NULL) {
        peel_set_text(pkt, enc, "Message-encoded entity body (%s): %u bytes", call->encoding, len);
        peel_add_uint_value(pkt, F_DECOMPRESSION_FAILED, 0);
        peel_expert(pkt, peel_last(pkt), PEEL_SEV_WARN, PEEL_GROUP_UNDECODED,
                "Body decompression failed");
        peel_close(pkt, NULL);
        peel_add_bytes(pkt, &body, F_MESSAGE_DATA, len);
        return;
    }
    peel_set_text(pkt, enc, "Message-encoded entity body (%s): %u bytes -> %ld bytes",
            call->encoding, len, n);
    peel_close(pkt, NULL);
    if (cut)
        peel_expert(pkt, item, PEEL_SEV_WARN, PEEL_GROUP_UNDECODED,
                "decompressed message cut at %u bytes", PEEL_GRPC_MAX_DECOMPRESSED);
    PeelReader plain = peel_add_source(pkt, out, (uint32_t)n, "Uncompressed entity body");
    grpc_body(pkt, &plain, call);
}

const PeelProto peel_proto_grpc = {
    .name = "grpc",
    .title = "GRPC Message",
    .short_name = "GRPC",
    .fields = grpc_fields,
    .n_fields = N_F,
    .dissect = grpc_dissect,
};
