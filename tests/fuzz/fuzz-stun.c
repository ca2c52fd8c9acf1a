/* fuzz-stun.c: libFuzzer target for STUN and TURN over UDP and TCP: a conversation of
 * messages between a client and a TURN server on port 3478, so state (transactions,
 * allocations, permissions, channels) builds up across them, then every frame revisited.
 *
 * Input: one selector byte (bit 0: TCP instead of UDP; bit 1: a long-term credential to
 * verify MESSAGE-INTEGRITY with; bit 2: a short-term one), then records of a u16 length
 * (big-endian; the top bit sends the record from the server) and that many payload bytes.
 * Each record is one datagram or one TCP segment (with sequence numbers that follow on),
 * wrapped in IPv4 and UDP or TCP headers. Every field is formatted, as -V would. */
#include <glib.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dissector.h"
#include "linktype.h"
#include "peel-test.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_FRAMES 64

static size_t
wrap(uint8_t *out, const uint8_t *payload, size_t len, bool tcp, bool from_server, uint32_t seq,
        uint32_t ack)
{
    size_t l4 = tcp ? 20 : 8;
    size_t total = 20 + l4 + len;
    uint8_t *ip = out;
    memset(ip, 0, 20 + l4);
    ip[0] = 0x45;
    ip[2] = (uint8_t)(total >> 8);
    ip[3] = (uint8_t)total;
    ip[8] = 64;
    ip[9] = tcp ? 6 : 17;
    uint8_t client[4] = { 192, 0, 2, 1 }, server[4] = { 198, 51, 100, 7 };
    memcpy(ip + 12, from_server ? server : client, 4);
    memcpy(ip + 16, from_server ? client : server, 4);
    uint8_t *l = ip + 20;
    uint16_t cport = 50000, sport = 3478;
    uint16_t a = from_server ? sport : cport, b = from_server ? cport : sport;
    l[0] = (uint8_t)(a >> 8);
    l[1] = (uint8_t)a;
    l[2] = (uint8_t)(b >> 8);
    l[3] = (uint8_t)b;
    if (tcp) {
        for (int i = 0; i < 4; i++) {
            l[4 + i] = (uint8_t)(seq >> (24 - 8 * i));
            l[8 + i] = (uint8_t)(ack >> (24 - 8 * i));
        }
        l[12] = 0x50;
        l[13] = 0x18; /* PSH ACK */
        l[14] = 0xff;
        l[15] = 0xff;
    } else {
        l[4] = (uint8_t)((8 + len) >> 8);
        l[5] = (uint8_t)(8 + len);
    }
    memcpy(l + l4, payload, len);
    return total;
}

static uint8_t *frames[MAX_FRAMES];
static size_t frame_len[MAX_FRAMES];
static uint32_t n_frames;

/* Revisits of reassembled TCP PDUs read earlier frames' bytes back. */
static bool
fetch(void *user, uint32_t frame, const uint8_t **data, uint32_t *len)
{
    (void)user;
    if (frame == 0 || frame > n_frames)
        return false;
    *data = frames[frame - 1];
    *len = (uint32_t)frame_len[frame - 1];
    return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static GString *out;
    if (out == NULL) {
        out = g_string_sized_new(4096);
        for (int i = 0; i < MAX_FRAMES; i++)
            frames[i] = g_malloc(40 + 65536);
    }
    if (size < 1 || size > 262144)
        return 0;
    bool tcp = data[0] & 1;
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    peel_dissector_set_want_tree(dis, true);
    peel_dissector_keep_records(dis, true);
    peel_dissector_set_frame_fetch(dis, fetch, NULL);
    if (data[0] & 2)
        g_assert_true(
                peel_dissector_set_pref(dis, "stun.credentials:alice:peel.test:secret", NULL));
    else if (data[0] & 4)
        g_assert_true(
                peel_dissector_set_pref(dis, "stun.credentials:VOkJxbRl1RmTxUk/WvJxBt", NULL));
    size_t pos = 1;
    n_frames = 0;
    uint32_t n = 0, seq[2] = { 1000, 5000 };
    while (pos + 2 <= size && n < MAX_FRAMES) {
        uint16_t w = (uint16_t)(data[pos] << 8 | data[pos + 1]);
        pos += 2;
        bool from_server = w & 0x8000;
        size_t len = w & 0x7fff;
        if (len > size - pos)
            len = size - pos;
        int d = from_server ? 1 : 0;
        frame_len[n] = wrap(frames[n], data + pos, len, tcp, from_server, seq[d], seq[1 - d]);
        seq[d] += (uint32_t)len;
        pos += len;
        PeelFrameInfo fr = {
            .number = n + 1,
            .ts = { 1700000000 + n, 1000 * (int32_t)n },
            .linktype = PEEL_LINKTYPE_IPV4,
            .cap_len = (uint32_t)frame_len[n],
            .len = (uint32_t)frame_len[n],
            .data = frames[n],
        };
        n_frames = ++n;
        peel_test_format_fields(peel_dissector_run(dis, &fr), out);
    }
    /* Revisit every frame: read-only use of the state the first pass built. */
    for (uint32_t i = 0; i < n; i++) {
        PeelFrameInfo fr = {
            .number = i + 1,
            .ts = { 1700000000 + i, 1000 * (int32_t)i },
            .linktype = PEEL_LINKTYPE_IPV4,
            .cap_len = (uint32_t)frame_len[i],
            .len = (uint32_t)frame_len[i],
            .data = frames[i],
        };
        peel_test_format_fields(peel_dissector_run(dis, &fr), out);
    }
    return 0;
}
