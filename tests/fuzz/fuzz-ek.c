/* fuzz-ek.c: libFuzzer target for what reads a whole dissected packet at the end of the
 * run: the -T ek writer (cli/output-ek.c, with and without a -j list), the io,phs, io,stat
 * and expert reports (cli/report-*.c) and the --color rules (cli/color.c).
 *
 * Input: as fuzz-frame.c, one selector byte (link type in the low bits, bit 4: a snaplen
 * cut, bit 5: a -j list) then the frame's bytes. Each ek document must be balanced JSON
 * (brackets and strings closed). */
#include <glib.h>
#include <stddef.h>
#include <stdint.h>

#include "color.h"
#include "dissector.h"
#include "linktype.h"
#include "output-ek.h"
#include "registry.h"
#include "report-io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int linktypes[] = {
    PEEL_LINKTYPE_ETHERNET, PEEL_LINKTYPE_LINUX_SLL, PEEL_LINKTYPE_LINUX_SLL2,
    PEEL_LINKTYPE_NULL, PEEL_LINKTYPE_LOOP, PEEL_LINKTYPE_RAW, PEEL_LINKTYPE_IPV4,
    PEEL_LINKTYPE_IPV6, PEEL_LINKTYPE_PPP, 147,
};

/* Checks that an ek line closes every object, array and string it opens. */
static void
check_balanced(const GString *s)
{
    int depth = 0;
    bool in_str = false;
    for (gsize i = 0; i < s->len; i++) {
        char c = s->str[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = false;
            else
                g_assert(c != '\n' && (unsigned char)c >= 0x20);
        } else if (c == '"') {
            in_str = true;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            depth--;
            g_assert(depth >= 0);
        } else if (c == '\n') {
            g_assert(depth == 0);
        }
    }
    g_assert(depth == 0 && !in_str);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static PeelDissector *dis;
    static PeelEk *ek, *ek_filtered;
    static GString *out;
    static PeelPhs *phs;
    static PeelIoStat *io;
    static PeelExpertStat *es;
    static uint32_t number;
    if (dis == NULL) {
        peel_registry_init();
        dis = peel_dissector_new();
        ek = peel_ek_new(NULL, false);
        char *list[] = { "ip", "tcp.flags", "udp", NULL };
        ek_filtered = peel_ek_new(list, false);
        out = g_string_sized_new(65536);
        phs = peel_phs_open("io,phs", NULL);
        io = peel_iostat_open("io,stat,0.001,,COUNT(tcp.len)tcp.len,MIN(ip.ttl)ip.ttl,"
                              "AVG(frame.time_delta)frame.time_delta,SUM(udp.length)",
                NULL);
        es = peel_expert_stat_open("expert", NULL);
        g_assert(phs != NULL && io != NULL && es != NULL);
    }
    if (size < 1 || size > 262144)
        return 0;
    number++;
    PeelFrameInfo fr = {
        .number = number,
        .ts = { 1700000000 + number, 0 },
        .rel = { number / 1000, (int32_t)(number % 1000) * 1000 },
        .linktype = linktypes[(data[0] & 0x0f) % G_N_ELEMENTS(linktypes)],
        .cap_len = (uint32_t)(size - 1),
        .len = (uint32_t)(size - 1) + ((data[0] & 0x10) ? 100 : 0),
        .data = data + 1,
    };
    const PeelPacket *pkt = peel_dissector_run(dis, &fr);
    g_string_truncate(out, 0);
    peel_ek_packet((data[0] & 0x20) ? ek_filtered : ek, out, pkt);
    check_balanced(out);
    peel_phs_packet(phs, pkt);
    peel_iostat_packet(io, pkt);
    peel_expert_stat_packet(es, pkt);
    int rule = peel_color_match(pkt);
    g_string_truncate(out, 0);
    peel_color_begin(out, rule);
    if (number % 64 == 0) {
        /* The reports print whatever they gathered so far. */
        g_string_truncate(out, 0);
        peel_phs_print(phs, out);
        peel_iostat_print(io, out);
        peel_expert_stat_print(es, out);
    }
    return 0;
}
