/* test-proto-stun.c: the STUN dissector on hand-built messages: the RFC 5769 test vectors
 * (MESSAGE-INTEGRITY and FINGERPRINT), a long-term credential, each attribute kind with
 * IPv4 and IPv6 addresses, bad checks, truncated and overrunning attribute lists,
 * ChannelData and classic STUN. Expected values are what tshark 4.0 prints. */
#include <string.h>

#include "dissector.h"
#include "format.h"
#include "peel-test.h"
#include "protos.h"
#include "registry.h"

#define TXID "b7e7a701bc34d686fa87dfae"

/* RFC 5769 2.1: sample request, short-term password "VOkJxbRl1RmTxUk/WvJxBt". */
static const char *const rfc5769_request = "0001 0058 2112a442 b7e7a701 bc34d686 fa87dfae"
                                           "8022 0010 5354554e 20746573 7420636c 69656e74"
                                           "0024 0004 6e0001ff"
                                           "8029 0008 932ff9b1 51263b36"
                                           "0006 0009 6576746a 3a683676 59202020"
                                           "0008 0014 9aeaa70c bfd8cb56 781ef2b5 b2d3f249 c1b571a2"
                                           "8028 0004 e57a3bcf";

/* RFC 5769 2.2: sample IPv4 response, mapped 192.0.2.1:32853. */
static const char *const rfc5769_response_v4 =
        "0101 003c 2112a442 b7e7a701 bc34d686 fa87dfae"
        "8022 000b 74657374 20766563 746f7220"
        "0020 0008 0001a147 e112a643"
        "0008 0014 2b91f599 fd9e90c3 8c7489f9 2af9ba53 f06be7d7"
        "8028 0004 c07d4c96";

/* RFC 5769 2.3: sample IPv6 response, mapped [2001:db8:1234:5678:11:2233:4455:6677]:32853. */
static const char *const rfc5769_response_v6 =
        "0101 0048 2112a442 b7e7a701 bc34d686 fa87dfae"
        "8022 000b 74657374 20766563 746f7220"
        "0020 0014 0002a147 0113a9fa a5d3f179 bc25f4b5 bed2b9d9"
        "0008 0014 a382954e 4be67bf1 1784c97c 8292c275 bfe3ed41"
        "8028 0004 c8fb0b4c";

#define SHORT_TERM "stun.credentials:VOkJxbRl1RmTxUk/WvJxBt"

/* A message of `type` with the attributes in hex, its length computed. */
static PeelTestPacket *
stun_msg(const char *type, const char *attrs)
{
    size_t digits = 0;
    for (const char *p = attrs; *p; p++)
        digits += g_ascii_isxdigit(*p) ? 1 : 0;
    g_autofree char *hex =
            g_strdup_printf("%s %04zx 2112a442 " TXID " %s", type, digits / 2, attrs);
    return peel_test_dissect_hex(&peel_proto_stun, hex);
}

static void
test_rfc5769_request(void)
{
    peel_test_set_pref(SHORT_TERM);
    g_autoptr(PeelTestPacket) t = peel_test_dissect_hex(&peel_proto_stun, rfc5769_request);
    peel_test_set_pref(NULL);
    g_assert_cmpstr(peel_test_field_str(t, "stun.type", 0), ==, "0x0001");
    g_assert_cmpstr(peel_test_field_str(t, "stun.type.class", 0), ==, "0x0000");
    g_assert_cmpstr(peel_test_field_str(t, "stun.type.method", 0), ==, "0x0001");
    g_assert_cmpstr(peel_test_field_str(t, "stun.length", 0), ==, "88");
    g_assert_cmpstr(peel_test_field_str(t, "stun.id", 0), ==, TXID);
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.username", 0), ==, "evtj:h6vY");
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.software", 0), ==, "STUN test client");
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.priority", 0), ==, "1845494271");
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.tie-breaker", 0), ==, "932ff9b151263b36");
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.padding", 0), ==, "3");
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.crc32", 0), ==, "0xe57a3bcf");
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.crc32.status", 0), ==, "1");
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.hmac.status", 0), ==, "1");
    g_assert_cmpstr(peel_test_info(t), ==, "Binding Request user: evtj:h6vY");
    g_assert_cmpstr(peel_test_protocol(t), ==, "STUN");
    g_assert_false(peel_test_has_expert(t, "Bad"));
}

static void
test_rfc5769_response_v4(void)
{
    peel_test_set_pref(SHORT_TERM);
    g_autoptr(PeelTestPacket) t = peel_test_dissect_hex(&peel_proto_stun, rfc5769_response_v4);
    peel_test_set_pref(NULL);
    g_assert_cmpstr(peel_test_field_str(t, "stun.type.class", 0), ==, "0x0010");
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.family", 0), ==, "0x01");
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.port-xord", 0), ==, "a147");
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.ipv4-xord", 0), ==, "e112a643");
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.port", 0), ==, "32853");
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.ipv4", 0), ==, "192.0.2.1");
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.hmac.status", 0), ==, "1");
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.crc32.status", 0), ==, "1");
    g_assert_cmpstr(
            peel_test_info(t), ==, "Binding Success Response XOR-MAPPED-ADDRESS: 192.0.2.1:32853");
}

static void
test_rfc5769_response_v6(void)
{
    peel_test_set_pref(SHORT_TERM);
    g_autoptr(PeelTestPacket) t = peel_test_dissect_hex(&peel_proto_stun, rfc5769_response_v6);
    peel_test_set_pref(NULL);
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.family", 0), ==, "0x02");
    g_assert_cmpstr(
            peel_test_field_str(t, "stun.att.ipv6", 0), ==, "2001:db8:1234:5678:11:2233:4455:6677");
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.ipv6-xord", 0), ==,
            "0113a9faa5d3f179bc25f4b5bed2b9d9");
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.port", 0), ==, "32853");
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.hmac.status", 0), ==, "1");
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.crc32.status", 0), ==, "1");
}

/* Without credentials MESSAGE-INTEGRITY is shown as not checked; with wrong ones it is
 * bad and noted. */
static void
test_integrity_unchecked_and_bad(void)
{
    g_autoptr(PeelTestPacket) t = peel_test_dissect_hex(&peel_proto_stun, rfc5769_request);
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.hmac.status", 0), ==, "2");
    peel_test_set_pref("stun.credentials:not-the-password");
    g_autoptr(PeelTestPacket) b = peel_test_dissect_hex(&peel_proto_stun, rfc5769_request);
    peel_test_set_pref(NULL);
    g_assert_cmpstr(peel_test_field_str(b, "stun.att.hmac.status", 0), ==, "0");
    g_assert_true(peel_test_has_expert(b, "MESSAGE-INTEGRITY does not verify"));
    g_assert_true(g_str_has_suffix(peel_test_info(b), "[BAD MESSAGE-INTEGRITY]"));
}

static void
test_fingerprint_bad(void)
{
    g_autofree char *hex = g_strdup(rfc5769_request);
    size_t n = strlen(hex);
    hex[n - 1] = hex[n - 1] == '0' ? '1' : '0'; /* e57a3bcf -> e57a3bc0 */
    g_autoptr(PeelTestPacket) t = peel_test_dissect_hex(&peel_proto_stun, hex);
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.crc32.status", 0), ==, "0");
    g_assert_true(peel_test_has_expert(t, "Bad Fingerprint [should be 0xe57a3bcf]"));
}

/* The hex of an Allocate request with `attrs` (hex) followed by a MESSAGE-INTEGRITY
 * (`sha256` false) or MESSAGE-INTEGRITY-SHA256 attribute of `mac_len` bytes, computed here
 * with `key` over the message whose length covers that attribute (RFC 8489 14.5, 14.6). */
static char *
signed_message(const char *attrs, const guint8 *key, gsize key_len, bool sha256, gsize mac_len)
{
    g_autofree char *msg_hex = g_strconcat("0003 0000 2112a442 " TXID, attrs, NULL);
    g_autoptr(GString) bytes = g_string_new(NULL);
    for (const char *p = msg_hex; *p; p++) {
        if (!g_ascii_isxdigit(*p))
            continue;
        int hi = g_ascii_xdigit_value(*p++);
        while (!g_ascii_isxdigit(*p))
            p++;
        g_string_append_c(bytes, (char)(hi * 16 + g_ascii_xdigit_value(*p)));
    }
    guint len = (guint)(bytes->len - 20 + 4 + mac_len);
    bytes->str[2] = (char)(len >> 8);
    bytes->str[3] = (char)len;
    GHmac *h = g_hmac_new(sha256 ? G_CHECKSUM_SHA256 : G_CHECKSUM_SHA1, key, key_len);
    g_hmac_update(h, (const guchar *)bytes->str, bytes->len);
    guint8 mac[32];
    gsize got = sizeof mac;
    g_hmac_get_digest(h, mac, &got);
    g_hmac_unref(h);
    g_assert_cmpuint(mac_len, <=, got);
    GString *hex = g_string_new(NULL);
    for (gsize i = 0; i < bytes->len; i++)
        g_string_append_printf(hex, "%02x", (guint8)bytes->str[i]);
    g_string_append_printf(hex, "%04x%04x", sha256 ? 0x001c : 0x0008, (guint)mac_len);
    for (gsize i = 0; i < mac_len; i++)
        g_string_append_printf(hex, "%02x", mac[i]);
    return g_string_free(hex, FALSE);
}

static gsize
digest(GChecksumType type, const char *text, guint8 *out)
{
    gsize n = 32;
    GChecksum *c = g_checksum_new(type);
    g_checksum_update(c, (const guchar *)text, -1);
    g_checksum_get_digest(c, out, &n);
    g_checksum_free(c);
    return n;
}

/* The hmac status peel gives `hex` with credential `cred`. */
static char *
integrity_status(const char *hex, const char *cred)
{
    g_autofree char *pref = g_strconcat("stun.credentials:", cred, NULL);
    peel_test_set_pref(pref);
    g_autoptr(PeelTestPacket) t = peel_test_dissect_hex(&peel_proto_stun, hex);
    peel_test_set_pref(NULL);
    return g_strdup(peel_test_field_str(t, "stun.att.hmac.status", 0));
}

#define ALLOC_ATTRS                                                                                \
    "0019 0004 11000000"                 /* REQUESTED-TRANSPORT UDP */                             \
    "0006 0005 616c696365000000"         /* USERNAME alice */                                      \
    "0014 0009 7065656c2e74657374000000" /* REALM peel.test */

/* A long-term credential: key MD5("alice:peel.test:secret") (RFC 8489 9.2.2). */
static void
test_integrity_long_term(void)
{
    guint8 key[32];
    gsize n = digest(G_CHECKSUM_MD5, "alice:peel.test:secret", key);
    g_autofree char *hex = signed_message(ALLOC_ATTRS, key, n, false, 20);
    g_autofree char *good = integrity_status(hex, "alice:peel.test:secret");
    g_autofree char *bad = integrity_status(hex, "alice:peel.test:wrong");
    g_assert_cmpstr(good, ==, "1");
    g_assert_cmpstr(bad, ==, "0");
    g_autoptr(PeelTestPacket) t = peel_test_dissect_hex(&peel_proto_stun, hex);
    g_assert_cmpstr(peel_test_info(t), ==, "Allocate Request UDP user: alice realm: peel.test");
}

/* MESSAGE-INTEGRITY-SHA256: whole and truncated to 16 bytes with a short-term password;
 * with PASSWORD-ALGORITHM SHA-256 the long-term key is SHA-256 of user:realm:password. */
static void
test_integrity_sha256(void)
{
    const guint8 *pw = (const guint8 *)"VOkJxbRl1RmTxUk/WvJxBt";
    g_autofree char *full = signed_message(ALLOC_ATTRS, pw, 22, true, 32);
    g_autofree char *full_ok = integrity_status(full, "VOkJxbRl1RmTxUk/WvJxBt");
    g_assert_cmpstr(full_ok, ==, "1");
    g_autofree char *cut = signed_message(ALLOC_ATTRS, pw, 22, true, 16);
    g_autofree char *cut_ok = integrity_status(cut, "VOkJxbRl1RmTxUk/WvJxBt");
    g_autofree char *cut_bad = integrity_status(cut, "another");
    g_assert_cmpstr(cut_ok, ==, "1");
    g_assert_cmpstr(cut_bad, ==, "0");
    guint8 key[32];
    gsize n = digest(G_CHECKSUM_SHA256, "alice:peel.test:secret", key);
    g_autofree char *alg = signed_message(ALLOC_ATTRS "001d 0004 0002 0000", key, n, true, 32);
    g_autofree char *alg_ok = integrity_status(alg, "alice:peel.test:secret");
    g_assert_cmpstr(alg_ok, ==, "1");
    /* 12 bytes is below RFC 8489's minimum of 16: noted, not checked. */
    g_autofree char *shortmac = signed_message(ALLOC_ATTRS, pw, 22, true, 12);
    g_autoptr(PeelTestPacket) t = peel_test_dissect_hex(&peel_proto_stun, shortmac);
    g_assert_true(peel_test_has_expert(t, "MESSAGE-INTEGRITY-SHA256 of 12 bytes"));
}

/* USERHASH is SHA-256 of "user:realm": checked against a long-term credential. */
static void
test_userhash(void)
{
    guint8 h[32];
    digest(G_CHECKSUM_SHA256, "alice:peel.test", h);
    g_autoptr(GString) attrs = g_string_new("001e 0020 ");
    for (int i = 0; i < 32; i++)
        g_string_append_printf(attrs, "%02x", h[i]);
    peel_test_set_pref("stun.credentials:alice:peel.test:secret");
    g_autoptr(PeelTestPacket) t = stun_msg("0003", attrs->str);
    peel_test_set_pref("stun.credentials:bob:peel.test:secret");
    g_autoptr(PeelTestPacket) b = stun_msg("0003", attrs->str);
    peel_test_set_pref(NULL);
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.userhash.status", 0), ==, "1");
    g_assert_cmpstr(peel_test_field_str(b, "stun.att.userhash.status", 0), ==, "0");
    g_assert_true(peel_test_has_expert(b, "USERHASH is not SHA-256"));
}

static void
test_attr_addresses(void)
{
    /* MAPPED-ADDRESS IPv4 and IPv6, XOR-PEER-ADDRESS IPv4 and IPv6, XOR-RELAYED-ADDRESS,
     * ALTERNATE-SERVER. */
    g_autoptr(PeelTestPacket) t =
            stun_msg("0103", "0001 0008 0001 1f90 c0000201"
                             "0001 0014 0002 1f90 20010db8000000000000000000000001"
                             "0012 0008 0001 a147 e112a643"
                             "0012 0014 0002 a147 0113a9fa a5d3f179 bc25f4b5 bed2b9d9"
                             "0016 0008 0001 e112 5e12a443"
                             "8023 0008 0001 0d96 c6336401");
    g_assert_cmpuint(peel_test_field_count(t, "stun.att.type"), ==, 6);
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.ipv4", 0), ==, "192.0.2.1");
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.ipv6", 0), ==, "2001:db8::1");
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.ipv4", 1), ==, "192.0.2.1");
    g_assert_cmpstr(
            peel_test_field_str(t, "stun.att.ipv6", 1), ==, "2001:db8:1234:5678:11:2233:4455:6677");
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.ipv4", 2), ==, "127.0.0.1");
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.port", 4), ==, "49152");
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.ipv4", 3), ==, "198.51.100.1");
    g_assert_cmpstr(peel_test_info(t), ==,
            "Allocate Success Response MAPPED-ADDRESS: 192.0.2.1:8080"
            " MAPPED-ADDRESS: 2001:db8::1:8080 XOR-PEER-ADDRESS: 192.0.2.1:32853"
            " XOR-PEER-ADDRESS: 2001:db8:1234:5678:11:2233:4455:6677:32853"
            " XOR-RELAYED-ADDRESS: 127.0.0.1:49152 ALTERNATE-SERVER: 198.51.100.1:3478");
}

static void
test_attr_error_code(void)
{
    g_autoptr(PeelTestPacket) t = stun_msg("0113", "0009 0010 00000401 556e617574686f72697a6564"
                                                   "0015 0004 6e6f6e63"
                                                   "0014 0009 7065656c2e74657374000000");
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.error.class", 0), ==, "4");
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.error", 0), ==, "1");
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.error.reason", 0), ==, "Unauthorized");
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.nonce", 0), ==, "nonc");
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.realm", 0), ==, "peel.test");
    g_assert_cmpstr(peel_test_info(t), ==,
            "Allocate Error Response error-code: 401 (Unauthenticated) Unauthorized with nonce"
            " realm: peel.test");
    g_assert_true(peel_test_has_expert(t, "401 Unauthenticated"));

    g_autoptr(PeelTestPacket) s = stun_msg("0114", "0009 0004 00000426");
    g_assert_true(peel_test_has_expert(s, "438 Stale Nonce"));
    g_autoptr(PeelTestPacket) m = stun_msg("0113", "0009 0004 00000425");
    g_assert_true(peel_test_has_expert(m, "437 Allocation Mismatch"));
}

static void
test_attr_turn(void)
{
    g_autoptr(PeelTestPacket) t =
            stun_msg("0009", "000c 0004 40010000"            /* CHANNEL-NUMBER */
                             "000d 0004 00000258"            /* LIFETIME 600 */
                             "0019 0004 11000000"            /* REQUESTED-TRANSPORT UDP */
                             "0017 0004 02000000"            /* REQUESTED-ADDRESS-FAMILY IPv6 */
                             "8000 0004 01000000"            /* ADDITIONAL-ADDRESS-FAMILY IPv4 */
                             "0018 0001 80000000"            /* EVEN-PORT, reserve */
                             "001a 0000"                     /* DONT-FRAGMENT */
                             "0022 0008 0102030405060708"    /* RESERVATION-TOKEN */
                             "002a 0004 00000007"            /* CONNECTION-ID */
                             "8004 0008 0000 0303 00000000"  /* ICMP port unreachable */
                             "8001 0008 02000403 6e6f7065"); /* ADDRESS-ERROR-CODE 403 "nope" */
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.channelnum", 0), ==, "0x4001");
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.lifetime", 0), ==, "600");
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.transp", 0), ==, "0x11");
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.family", 0), ==, "0x02");
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.family", 1), ==, "0x01");
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.even-port.reserve-next", 0), ==, "1");
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.token", 0), ==, "0102030405060708");
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.connection_id", 0), ==, "0x00000007");
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.icmp.type", 0), ==, "3");
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.icmp.code", 0), ==, "3");
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.error", 0), ==, "3");
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.error.reason", 0), ==, "nope");
    g_assert_cmpuint(peel_test_field_count(t, "stun.att.type"), ==, 11);
    g_assert_cmpstr(
            peel_test_info(t), ==, "Channel-Bind Request ChannelNumber=0x4001 lifetime: 600 UDP");
}

static void
test_attr_ice_and_auth(void)
{
    g_autoptr(PeelTestPacket) t = stun_msg("0001",
            "0024 0004 6e0001ff"         /* PRIORITY */
            "0025 0000"                  /* USE-CANDIDATE */
            "802a 0008 0102030405060708" /* ICE-CONTROLLING */
            "001e 0020 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
            "8002 0008 0001 0000 0002 0000" /* PASSWORD-ALGORITHMS MD5, SHA-256 */
            "001d 0004 0002 0000"           /* PASSWORD-ALGORITHM SHA-256 */
            "000a 0004 00220023"            /* UNKNOWN-ATTRIBUTES */
            "8003 0007 6578616d706c65 00"   /* ALTERNATE-DOMAIN */
            "7fff 0002 abcd 0000");         /* an attribute nobody assigned */
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.priority", 0), ==, "1845494271");
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.tie-breaker", 0), ==, "0102030405060708");
    g_assert_cmpuint(peel_test_field_count(t, "stun.att.pw_alg"), ==, 3);
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.pw_alg", 2), ==, "2");
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.unknown", 1), ==, "0x0023");
    g_assert_cmpstr(peel_test_field_str(t, "stun.value", 0), ==,
            "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
    g_assert_cmpstr(peel_test_field_str(t, "stun.value", 2), ==, "abcd");
    g_assert_true(peel_test_has_expert(t, "Unknown attribute 0x7fff"));
    g_assert_cmpuint(peel_test_field_count(t, "stun.att.type"), ==, 9);
}

/* An attribute whose length runs past the message: noted, the list stops there. */
static void
test_attr_length_past_end(void)
{
    g_autoptr(PeelTestPacket) t = peel_test_dissect_hex(
            &peel_proto_stun, "0001 0008 2112a442 " TXID " 8022 0020 7065656c");
    g_assert_cmpuint(peel_test_field_count(t, "stun.att.type"), ==, 1);
    g_assert_cmpstr(peel_test_field_str(t, "stun.att.length", 0), ==, "32");
    g_assert_true(peel_test_has_expert(t, "stun.att.length 32 exceeds the 4 bytes left"));
    g_assert_true(peel_test_packet(t)->malformed);
}

/* The message length leaves 2 bytes where an attribute header needs 4. */
static void
test_attr_list_truncated(void)
{
    g_autoptr(PeelTestPacket) t = peel_test_dissect_hex(
            &peel_proto_stun, "0001 000a 2112a442 " TXID " 0024 0004 6e0001ff 8022");
    g_assert_cmpuint(peel_test_field_count(t, "stun.att.type"), ==, 1);
    g_assert_true(peel_test_has_expert(t, "Packet is too short"));
    g_assert_true(peel_test_has_expert(t, "not multiple of 4"));
}

/* Captured bytes end inside an attribute (a short snaplen): truncated, not malformed. */
static void
test_snaplen_cut(void)
{
    g_autoptr(PeelTestPacket) t = peel_test_dissect_hex_full(
            &peel_proto_stun, 0, "0001 0008 2112a442 " TXID " 0024 0004 6e00", 28);
    g_assert_true(peel_test_field_is_truncated(t, "stun.att.priority"));
}

static void
test_channel_data(void)
{
    g_autoptr(PeelTestPacket) t =
            peel_test_dissect_hex(&peel_proto_stun, "4001 0005 1703030000 000000");
    g_assert_cmpstr(peel_test_field_str(t, "stun.channel", 0), ==, "0x4001");
    g_assert_cmpstr(peel_test_field_str(t, "stun.length", 0), ==, "5");
    g_assert_cmpstr(peel_test_field_str(t, "stun.demux", 0), ==, "DTLS");
    g_assert_cmpstr(peel_test_info(t), ==, "ChannelData TURN Message");
    /* A relayed STUN message is dissected in its turn. */
    g_autoptr(PeelTestPacket) s =
            peel_test_dissect_hex(&peel_proto_stun, "4002 0014 0001 0000 2112a442 " TXID);
    g_assert_cmpuint(peel_test_field_count(s, "stun.type"), ==, 1);
    g_assert_cmpstr(peel_test_field_str(s, "stun.channel", 0), ==, "0x4002");
}

static void
test_not_stun(void)
{
    g_autoptr(PeelTestPacket) t = peel_test_dissect_hex(
            &peel_proto_stun, "0001 0000 deadbeef 000000000000000000000000 00");
    g_assert_cmpuint(peel_test_field_count(t, "stun.type"), ==, 0);
    g_assert_cmpuint(peel_test_field_count(t, "data.data"), ==, 1);
}

static void
test_classic(void)
{
    g_autoptr(PeelTestPacket) t = peel_test_dissect_hex(&peel_proto_classicstun,
            "0101 000c 0123456789abcdef0123456789abcdef 0001 0008 0001 1f90 c0000201");
    g_assert_cmpstr(peel_test_field_str(t, "classicstun.type", 0), ==, "0x0101");
    g_assert_cmpstr(peel_test_field_str(t, "classicstun.att.port", 0), ==, "8080");
    g_assert_cmpstr(peel_test_field_str(t, "classicstun.att.ipv4", 0), ==, "192.0.2.1");
    g_assert_cmpstr(peel_test_info(t), ==, "Message: Binding Response");
    g_assert_cmpstr(peel_test_protocol(t), ==, "CLASSIC-STUN");
}

/* ---- State across packets: a client 192.0.2.1 and a server 198.51.100.7 over UDP,
 * frames dissected in order by one engine that keeps records (so frames can be revisited). */

typedef struct {
    PeelDissector *dis;
    GPtrArray *frames; /* PeelFrameInfo *, data owned */
} Conv;

static void
frame_free(gpointer p)
{
    PeelFrameInfo *fr = p;
    g_free((gpointer)fr->data);
    g_free(fr);
}

static Conv
conv_new(void)
{
    peel_registry_init();
    Conv c = { peel_dissector_new(), g_ptr_array_new_with_free_func(frame_free) };
    peel_dissector_keep_records(c.dis, true);
    return c;
}

static void
conv_free(Conv *c)
{
    peel_dissector_free(c->dis);
    g_ptr_array_unref(c->frames);
}

/* The values of `name` in the packet, joined with ',' as -T fields prints them. */
static char *
field_values(const PeelPacket *pkt, const char *name)
{
    int id = peel_field_lookup(name);
    GString *out = g_string_new(NULL);
    for (uint32_t i = 0; i < pkt->n_fields; i++) {
        if ((int)pkt->fields[i].id != id)
            continue;
        if (out->len)
            g_string_append_c(out, ',');
        peel_format_value(out, pkt, &pkt->fields[i]);
    }
    return g_string_free(out, FALSE);
}

static gboolean
has_expert(const PeelPacket *pkt, const char *needle)
{
    for (uint32_t i = 0; i < pkt->n_experts; i++)
        if (strstr(pkt->experts[i].msg, needle) != NULL)
            return TRUE;
    return FALSE;
}

/* Sends the STUN bytes in `hex` from the client (port cport) to the server (port sport) or
 * back, in a new frame 1 ms after the one before. */
static const PeelPacket *
conv_send(Conv *c, bool from_server, uint16_t cport, uint16_t sport, const char *hex)
{
    GByteArray *bytes = g_byte_array_new();
    for (const char *p = hex; *p; p++) {
        if (!g_ascii_isxdigit(*p))
            continue;
        guint8 b = (guint8)(g_ascii_xdigit_value(p[0]) << 4 | g_ascii_xdigit_value(p[1]));
        g_byte_array_append(bytes, &b, 1);
        p++;
    }
    guint len = bytes->len;
    guint8 hdr[28] = { 0x45, 0, (guint8)((28 + len) >> 8), (guint8)(28 + len), 0, 0, 0, 0, 64, 17 };
    const guint8 client[4] = { 192, 0, 2, 1 }, server[4] = { 198, 51, 100, 7 };
    memcpy(hdr + 12, from_server ? server : client, 4);
    memcpy(hdr + 16, from_server ? client : server, 4);
    uint16_t a = from_server ? sport : cport, b = from_server ? cport : sport;
    hdr[20] = (guint8)(a >> 8);
    hdr[21] = (guint8)a;
    hdr[22] = (guint8)(b >> 8);
    hdr[23] = (guint8)b;
    hdr[24] = (guint8)((8 + len) >> 8);
    hdr[25] = (guint8)(8 + len);
    g_byte_array_prepend(bytes, hdr, sizeof hdr);
    PeelFrameInfo *fr = g_new0(PeelFrameInfo, 1);
    fr->number = c->frames->len + 1;
    fr->ts = (PeelTime){ 1700000000, (int32_t)fr->number * 1000000 };
    fr->linktype = 228; /* raw IPv4 */
    fr->cap_len = fr->len = bytes->len;
    fr->data = g_byte_array_free(bytes, FALSE);
    g_ptr_array_add(c->frames, fr);
    return peel_dissector_run(c->dis, fr);
}

/* Dissects frame n again (a revisit: --frame, the GUI). */
static const PeelPacket *
conv_revisit(Conv *c, guint n)
{
    return peel_dissector_run(c->dis, g_ptr_array_index(c->frames, n - 1));
}

#define ID_A "aaaaaaaaaaaaaaaaaaaaaaaa"
#define ID_B "bbbbbbbbbbbbbbbbbbbbbbbb"
#define ID_C "cccccccccccccccccccccccc"
#define ID_D "dddddddddddddddddddddddd"

/* Allocation, channel binding, ChannelData attributed to the peer, an unbound channel, a
 * Send indication without permission; pairing and its revisit. */
static void
test_turn_state(void)
{
    Conv c = conv_new();
    /* 1, 2: Allocate, relayed 198.51.100.7:49152, lifetime 600. */
    conv_send(&c, false, 50000, 3478, "0003 0008 2112a442 " ID_A " 0019 0004 11000000");
    const PeelPacket *p = conv_send(&c, true, 50000, 3478,
            "0103 0014 2112a442 " ID_A " 0016 0008 0001 e112 e721c045 000d 0004 00000258");
    g_autofree char *rt = field_values(p, "stun.response-to");
    g_assert_cmpstr(rt, ==, "1");
    g_autofree char *tm = field_values(p, "stun.time");
    g_assert_cmpstr(tm, ==, "0.001000000");
    /* 3, 4: ChannelBind 0x4001 to 203.0.113.5:9000. */
    conv_send(&c, false, 50000, 3478,
            "0009 0014 2112a442 " ID_B " 000c 0004 40010000 0012 0008 0001 023a ea12d547");
    conv_send(&c, true, 50000, 3478, "0109 0000 2112a442 " ID_B);
    /* 5: ChannelData on it; 6: on a channel never bound. */
    p = conv_send(&c, false, 50000, 3478, "4001 0004 deadbeef");
    g_autofree char *peer = field_values(p, "stun.turn.peer");
    g_assert_cmpstr(peer, ==, "203.0.113.5:9000");
    g_autofree char *relayed = field_values(p, "stun.turn.relayed");
    g_assert_cmpstr(relayed, ==, "198.51.100.7:49152");
    p = conv_send(&c, false, 50000, 3478, "4002 0004 deadbeef");
    g_assert_true(has_expert(p, "Channel 0x4002 was not bound"));
    /* 7: a Send indication to 203.0.113.4, which has no permission. */
    p = conv_send(&c, false, 50000, 3478,
            "0016 0014 2112a442 " ID_C " 0012 0008 0001 023a ea12d546 0013 0001 01000000");
    g_assert_true(has_expert(p, "No permission was installed for peer 203.0.113.4:9000"));
    /* 8: a request never answered. */
    conv_send(&c, false, 50000, 3478, "0001 0000 2112a442 " ID_D);
    /* Revisits see the whole capture: the request learns its response. */
    p = conv_revisit(&c, 1);
    g_autofree char *rin = field_values(p, "stun.response-in");
    g_assert_cmpstr(rin, ==, "2");
    p = conv_revisit(&c, 8);
    g_assert_true(has_expert(p, "Binding Request without a response in the capture"));
    conv_free(&c);
}

/* Over UDP on other ports: STUN by its cookie and length; ChannelData only on a 5-tuple
 * that carried STUN; DTLS and RTP sharing it named (RFC 7983). */
static void
test_udp_heuristic(void)
{
    Conv c = conv_new();
    const PeelPacket *p = conv_send(&c, false, 50000, 40000, "4001 0004 deadbeef");
    g_autofree char *none = field_values(p, "stun.channel");
    g_assert_cmpstr(none, ==, "");
    p = conv_send(&c, false, 50000, 40000, "0001 0000 2112a442 " ID_A);
    g_autofree char *type = field_values(p, "stun.type");
    g_assert_cmpstr(type, ==, "0x0001");
    p = conv_send(&c, true, 50000, 40000, "4001 0004 deadbeef");
    g_autofree char *channel = field_values(p, "stun.channel");
    g_assert_cmpstr(channel, ==, "0x4001");
    /* RFC 5766's upper channel numbers, which coturn uses. */
    p = conv_send(&c, true, 50000, 40000, "7001 0004 deadbeef");
    g_autofree char *upper = field_values(p, "stun.channel");
    g_assert_cmpstr(upper, ==, "0x7001");
    p = conv_send(&c, true, 50000, 40000, "16 fefd 0000 0000 0000 0000 0000");
    g_autofree char *dtls = field_values(p, "stun.demux");
    g_assert_cmpstr(dtls, ==, "DTLS");
    p = conv_send(&c, true, 50000, 40000, "80 60 0001 00000000 12345678");
    g_autofree char *rtp = field_values(p, "stun.demux");
    g_assert_cmpstr(rtp, ==, "RTP");
    /* A datagram whose length does not match the STUN header's is not STUN. */
    p = conv_send(&c, false, 50001, 40000, "0001 0004 2112a442 " ID_A);
    g_autofree char *bad = field_values(p, "stun.type");
    g_assert_cmpstr(bad, ==, "");
    conv_free(&c);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/stun/rfc5769/request", test_rfc5769_request);
    g_test_add_func("/stun/rfc5769/response-ipv4", test_rfc5769_response_v4);
    g_test_add_func("/stun/rfc5769/response-ipv6", test_rfc5769_response_v6);
    g_test_add_func("/stun/integrity/unchecked-and-bad", test_integrity_unchecked_and_bad);
    g_test_add_func("/stun/integrity/long-term", test_integrity_long_term);
    g_test_add_func("/stun/integrity/sha256", test_integrity_sha256);
    g_test_add_func("/stun/integrity/userhash", test_userhash);
    g_test_add_func("/stun/fingerprint/bad", test_fingerprint_bad);
    g_test_add_func("/stun/attr/addresses", test_attr_addresses);
    g_test_add_func("/stun/attr/error-code", test_attr_error_code);
    g_test_add_func("/stun/attr/turn", test_attr_turn);
    g_test_add_func("/stun/attr/ice-and-auth", test_attr_ice_and_auth);
    g_test_add_func("/stun/attr/length-past-end", test_attr_length_past_end);
    g_test_add_func("/stun/attr/list-truncated", test_attr_list_truncated);
    g_test_add_func("/stun/attr/snaplen-cut", test_snaplen_cut);
    g_test_add_func("/stun/channel-data", test_channel_data);
    g_test_add_func("/stun/not-stun", test_not_stun);
    g_test_add_func("/stun/classic", test_classic);
    g_test_add_func("/stun/turn/state", test_turn_state);
    g_test_add_func("/stun/udp/heuristic", test_udp_heuristic);
    return g_test_run();
}
