/* fuzz-frame.c: libFuzzer target for the frame entry point, over every link type.
 *
 * Input: one byte choosing the link type (low bits), a snaplen cut (bit 4) and summary mode
 * (bit 5: no field list, as summary output runs), then the frame's bytes. Each input is
 * dissected and every field formatted, as -V and -T fields would. */
#include <glib.h>
#include <stddef.h>
#include <stdint.h>

#include "dissector.h"
#include "format.h"
#include "linktype.h"
#include "peel-test.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int linktypes[] = {
    PEEL_LINKTYPE_ETHERNET, PEEL_LINKTYPE_LINUX_SLL, PEEL_LINKTYPE_LINUX_SLL2,
    PEEL_LINKTYPE_NULL, PEEL_LINKTYPE_LOOP, PEEL_LINKTYPE_RAW, PEEL_LINKTYPE_IPV4,
    PEEL_LINKTYPE_IPV6, PEEL_LINKTYPE_PPP, 147,
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static PeelDissector *dis, *lean;
    static GString *out;
    if (dis == NULL) {
        dis = peel_dissector_new();
        peel_dissector_set_want_tree(dis, true);
        lean = peel_dissector_new();
        peel_dissector_set_record_fields(lean, false);
        out = g_string_sized_new(4096);
    }
    if (size < 1 || size > 262144)
        return 0;
    PeelFrameInfo fr = {
        .number = 1,
        .linktype = linktypes[(data[0] & 0x0f) % G_N_ELEMENTS(linktypes)],
        .cap_len = (uint32_t)(size - 1),
        /* Bit 4 of the selector claims a longer wire length: snaplen truncation. */
        .len = (uint32_t)(size - 1) + ((data[0] & 0x10) ? 100 : 0),
        .data = data + 1,
    };
    const PeelPacket *pkt = peel_dissector_run((data[0] & 0x20) ? lean : dis, &fr);
    g_assert(!(data[0] & 0x20) || pkt->n_fields == 0);
    peel_test_format_fields(pkt, out); /* the tree has no forward links */
    if (pkt->col_src)
        peel_format_addr(out, pkt->col_src);
    return 0;
}
