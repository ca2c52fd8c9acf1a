/* fuzz-dfilter.c: libFuzzer target for the display-filter compiler and evaluator.
 *
 * Input: the filter text (any bytes; a NUL ends it). It is compiled; an error is formatted
 * with its caret line as the CLI prints it; a filter that compiles is run against fixed
 * packets (a TCP segment carrying an HTTP request over Ethernet/IPv4, and an ICMPv6 echo
 * over IPv6), with every field recorded and with only the filter's protocols recorded,
 * and both runs must agree. */
#include <glib.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dfilter.h"
#include "dissector.h"
#include "registry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* tcp-multi.pcap frame 4, and ipv6-ping.pcap frame 1 (shortened payload). */
static const char tcp_hex[] = "000000000000000000000000080045000"
                              "09f427c40004006f9da7f0000017f00"
                              "0001adb1970b2a1fedd6e9bee13d8018"
                              "003ffe9300000101080abd8b2eb6f56f"
                              "5520474554202f68656c6c6f2e747874"
                              "20485454502f312e310d0a486f73743a"
                              "203132372e302e302e313a3338363637"
                              "0d0a557365722d4167656e743a206375"
                              "726c2f372e38382e310d0a4163636570"
                              "743a202a2f2a0d0a436f6e6e65637469"
                              "6f6e3a20636c6f73650d0a0d0a";
static const char icmpv6_hex[] = "00000000000000000000000086dd6000"
                                 "0000001c3a4000000000000000000000"
                                 "00000000000100000000000000000000"
                                 "00000000000180004d3e17c700016162"
                                 "636465666768696a6b6c6d6e6f707172";

static GByteArray *
unhex(const char *hex)
{
    GByteArray *b = g_byte_array_new();
    for (size_t i = 0; hex[i] && hex[i + 1]; i += 2) {
        uint8_t v = (uint8_t)(g_ascii_xdigit_value(hex[i]) << 4 | g_ascii_xdigit_value(hex[i + 1]));
        g_byte_array_append(b, &v, 1);
    }
    return b;
}

static bool
run(PeelDissector *dis, const GByteArray *bytes, PeelDfilter *df)
{
    PeelFrameInfo fr = {
        .number = 1,
        .ts = { 1795001528, 719181000 },
        .linktype = 1,
        .cap_len = bytes->len,
        .len = bytes->len,
        .data = bytes->data,
    };
    return peel_dfilter_match(df, peel_dissector_run(dis, &fr));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static GByteArray *frames[2];
    static GString *out;
    if (out == NULL) {
        peel_registry_init();
        frames[0] = unhex(tcp_hex);
        frames[1] = unhex(icmpv6_hex);
        out = g_string_sized_new(256);
    }
    if (size > 4096)
        return 0;
    char *text = g_strndup((const char *)data, size);
    GError *error = NULL;
    PeelDfilterLoc loc = { 0, 0 };
    PeelDfilter *df = peel_dfilter_compile(text, &loc, &error);
    g_string_truncate(out, 0);
    if (df == NULL) {
        g_assert(error != NULL);
        g_assert(loc.start <= strlen(text) && loc.len >= 1);
        peel_dfilter_format_error(out, "-Y", text, error, &loc, 4);
        g_error_free(error);
        g_free(text);
        return 0;
    }
    g_autofree bool *protos = g_new0(bool, peel_registry_n_protos());
    peel_dfilter_protos(df, protos);
    /* Both engines see the same frames in the same order, so their flow state (TCP
     * analysis of the repeated segment) stays the same. */
    static PeelDissector *full, *lean;
    if (full == NULL) {
        full = peel_dissector_new();
        lean = peel_dissector_new();
        peel_dissector_set_record_fields(lean, false);
    }
    peel_dissector_record_only(lean, protos);
    for (int f = 0; f < 2; f++) {
        bool a = run(full, frames[f], df);
        bool b = run(lean, frames[f], df);
        g_assert(a == b);
    }
    peel_dfilter_free(df);
    g_free(text);
    return 0;
}
