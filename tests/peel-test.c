/* peel-test.c: dissect hand-built bytes and look at the resulting field list. */
#include "peel-test.h"

#include <string.h>

#include "format.h"
#include "linktype.h"
#include "registry.h"

struct PeelTestPacket {
    PeelDissector *dis;
    PeelFrameInfo frame;
    guint8 *bytes;
    const PeelPacket *pkt;
    GPtrArray *strings;
    char *info;
};

static guint8 *
hex_decode(const char *hex, gsize *len)
{
    GByteArray *out = g_byte_array_new();
    int hi = -1;
    for (const char *p = hex; *p; p++) {
        if (g_ascii_isspace(*p) || *p == ':')
            continue;
        int v = g_ascii_xdigit_value(*p);
        g_assert_cmpint(v, >=, 0); /* a test's hex has a typo */
        if (hi < 0) {
            hi = v;
        } else {
            guint8 b = (guint8)(hi << 4 | v);
            g_byte_array_append(out, &b, 1);
            hi = -1;
        }
    }
    g_assert_cmpint(hi, ==, -1); /* odd number of digits */
    *len = out->len;
    return g_byte_array_free(out, FALSE);
}

static GPtrArray *test_prefs;

void
peel_test_set_pref(const char *assignment)
{
    if (test_prefs == NULL)
        test_prefs = g_ptr_array_new_with_free_func(g_free);
    if (assignment == NULL)
        g_ptr_array_set_size(test_prefs, 0);
    else
        g_ptr_array_add(test_prefs, g_strdup(assignment));
}

PeelTestPacket *
peel_test_dissect_hex_full(const PeelProto *proto, int linktype, const char *hex,
        uint32_t wire_len)
{
    PeelTestPacket *t = g_new0(PeelTestPacket, 1);
    gsize len = 0;
    t->bytes = hex_decode(hex, &len);
    t->dis = peel_dissector_new();
    peel_dissector_set_want_tree(t->dis, TRUE);
    for (guint i = 0; test_prefs != NULL && i < test_prefs->len; i++) {
        g_autoptr(GError) error = NULL;
        if (!peel_dissector_set_pref(t->dis, g_ptr_array_index(test_prefs, i), &error))
            g_error("%s", error->message);
    }
    t->strings = g_ptr_array_new_with_free_func(g_free);
    t->frame.number = 1;
    t->frame.ts = (PeelTime){ 1700000000, 0 };
    t->frame.cap_len = (uint32_t)len;
    t->frame.len = wire_len > len ? wire_len : (uint32_t)len;
    t->frame.linktype = linktype;
    t->frame.data = t->bytes;
    if (proto != NULL)
        t->pkt = peel_dissector_run_proto(t->dis, &t->frame, proto);
    else
        t->pkt = peel_dissector_run(t->dis, &t->frame);
    return t;
}

PeelTestPacket *
peel_test_dissect_frame_hex(int linktype, const char *hex)
{
    return peel_test_dissect_hex_full(NULL, linktype, hex, 0);
}

PeelTestPacket *
peel_test_dissect_hex(const PeelProto *proto, const char *hex)
{
    return peel_test_dissect_hex_full(proto, 1, hex, 0);
}

void
peel_test_packet_free(PeelTestPacket *t)
{
    if (t == NULL)
        return;
    peel_dissector_free(t->dis);
    g_ptr_array_unref(t->strings);
    g_free(t->bytes);
    g_free(t);
}

const PeelPacket *
peel_test_packet(const PeelTestPacket *t)
{
    return t->pkt;
}

static int
field_id(const char *name)
{
    int id = peel_field_lookup(name);
    if (id < 0)
        g_error("test names unknown field %s", name);
    return id;
}

const PeelField *
peel_test_field(const PeelTestPacket *t, const char *name, guint n)
{
    uint32_t id = (uint32_t)field_id(name);
    guint seen = 0;
    for (uint32_t i = 0; i < t->pkt->n_fields; i++) {
        if (t->pkt->fields[i].id != id)
            continue;
        if (seen++ == n)
            return &t->pkt->fields[i];
    }
    return NULL;
}

guint
peel_test_field_count(const PeelTestPacket *t, const char *name)
{
    return peel_test_count(t->pkt, name);
}

const char *
peel_test_field_str(PeelTestPacket *t, const char *name, guint n)
{
    const PeelField *fl = peel_test_field(t, name, n);
    if (fl == NULL)
        return NULL;
    GString *s = g_string_new(NULL);
    peel_format_value(s, t->pkt, fl);
    char *str = g_string_free(s, FALSE);
    g_ptr_array_add(t->strings, str);
    return str;
}

const char *
peel_test_field_text(const PeelTestPacket *t, const char *name, guint n)
{
    const PeelField *fl = peel_test_field(t, name, n);
    return fl != NULL ? fl->text : NULL;
}

char *
peel_test_col_addr(const PeelTestPacket *t, bool dst)
{
    const PeelAddr *a = dst ? t->pkt->col_dst : t->pkt->col_src;
    GString *s = g_string_new(NULL);
    if (a != NULL)
        peel_format_addr(s, a);
    return g_string_free(s, FALSE);
}

uint64_t
peel_test_field_uint(const PeelTestPacket *t, const char *name)
{
    const PeelField *fl = peel_test_field(t, name, 0);
    if (fl == NULL)
        g_error("field %s is absent", name);
    return fl->v.u;
}

gboolean
peel_test_field_is_malformed(const PeelTestPacket *t, const char *name)
{
    const PeelField *fl = peel_test_field(t, name, 0);
    return fl != NULL && (fl->flags & PEEL_FF_MALFORMED);
}

gboolean
peel_test_field_is_truncated(const PeelTestPacket *t, const char *name)
{
    const PeelField *fl = peel_test_field(t, name, 0);
    return fl != NULL && (fl->flags & PEEL_FF_TRUNCATED);
}

gboolean
peel_test_has_expert(const PeelTestPacket *t, const char *needle)
{
    return peel_test_packet_has_expert(t->pkt, needle);
}

const char *
peel_test_info(const PeelTestPacket *t)
{
    return t->pkt->info;
}

const char *
peel_test_protocol(const PeelTestPacket *t)
{
    return t->pkt->col_protocol ? t->pkt->col_protocol : "";
}

const char *
peel_test_protocols(const PeelTestPacket *t)
{
    return t->pkt->protocols;
}

PeelAddr
peel_test_v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
    PeelAddr x = { .type = PEEL_AT_IPV4 };
    x.bytes[0] = a;
    x.bytes[1] = b;
    x.bytes[2] = c;
    x.bytes[3] = d;
    return x;
}

uint32_t
peel_test_head_pdu_len(const PeelReader *rd, PeelPacket *pkt)
{
    (void)pkt;
    uint32_t got = 0;
    const uint8_t *p = peel_reader_peek_bytes(rd, 0, peel_reader_captured(rd), &got);
    for (uint32_t i = 0; p != NULL && i + 4 <= got; i++)
        if (memcmp(p + i, "\r\n\r\n", 4) == 0)
            return i + 4;
    return 0;
}

uint32_t
peel_test_line_pdu_len(const PeelReader *rd, PeelPacket *pkt)
{
    (void)pkt;
    uint32_t got = 0;
    const uint8_t *p = peel_reader_peek_bytes(rd, 0, peel_reader_captured(rd), &got);
    const uint8_t *nl = p ? memchr(p, '\n', got) : NULL;
    return nl ? (uint32_t)(nl - p) + 1 : 0;
}

void
peel_test_format_fields(const PeelPacket *pkt, GString *scratch)
{
    for (uint32_t i = 0; i < pkt->n_fields; i++) {
        g_string_truncate(scratch, 0);
        peel_format_tree_line(scratch, pkt, &pkt->fields[i]);
        peel_format_value(scratch, pkt, &pkt->fields[i]);
        g_assert(pkt->fields[i].parent < (int32_t)i);
    }
}

void
peel_test_put8(GByteArray *b, uint8_t v)
{
    g_byte_array_append(b, &v, 1);
}

void
peel_test_put16(GByteArray *b, uint16_t v)
{
    uint8_t x[2] = { (uint8_t)(v >> 8), (uint8_t)v };
    g_byte_array_append(b, x, 2);
}

void
peel_test_put32(GByteArray *b, uint32_t v)
{
    uint8_t x[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
    g_byte_array_append(b, x, 4);
}

void
peel_test_put64(GByteArray *b, uint64_t v)
{
    peel_test_put32(b, (uint32_t)(v >> 32));
    peel_test_put32(b, (uint32_t)v);
}

guint
peel_test_count(const PeelPacket *pkt, const char *name)
{
    uint32_t id = (uint32_t)field_id(name);
    guint n = 0;
    for (uint32_t i = 0; i < pkt->n_fields; i++)
        n += pkt->fields[i].id == id;
    return n;
}

char *
peel_test_values(const PeelPacket *pkt, const char *name)
{
    uint32_t id = (uint32_t)field_id(name);
    GString *s = g_string_new(NULL);
    for (uint32_t i = 0; i < pkt->n_fields; i++) {
        if (pkt->fields[i].id != id)
            continue;
        if (s->len)
            g_string_append_c(s, ',');
        peel_format_value(s, pkt, &pkt->fields[i]);
    }
    return g_string_free(s, FALSE);
}

void
peel_test_assert_values(const PeelPacket *pkt, const char *name, const char *want)
{
    g_autofree char *got = peel_test_values(pkt, name);
    g_assert_cmpstr(got, ==, want);
}

bool
peel_test_packet_has_expert(const PeelPacket *pkt, const char *needle)
{
    for (uint32_t i = 0; i < pkt->n_experts; i++)
        if (strstr(pkt->experts[i].msg, needle) != NULL)
            return true;
    return false;
}

/* ---- hand-built TCP conversations ---- */

PeelTestConv *
peel_test_conv_new(uint16_t port, uint32_t client_isn, uint32_t server_isn)
{
    PeelTestConv *c = g_new0(PeelTestConv, 1);
    c->frames = g_ptr_array_new_with_free_func((GDestroyNotify)g_byte_array_unref);
    c->port = port;
    c->seq[PEEL_TEST_CLIENT] = client_isn;
    c->seq[PEEL_TEST_SERVER] = server_isn;
    peel_test_conv_segment(c, PEEL_TEST_CLIENT, PEEL_TEST_SYN, NULL, 0);
    peel_test_conv_segment(c, PEEL_TEST_SERVER, PEEL_TEST_SYN | PEEL_TEST_ACK, NULL, 0);
    peel_test_conv_segment(c, PEEL_TEST_CLIENT, PEEL_TEST_ACK, NULL, 0);
    return c;
}

void
peel_test_conv_free(PeelTestConv *c)
{
    if (c == NULL)
        return;
    g_ptr_array_unref(c->frames);
    g_free(c);
}

void
peel_test_conv_segment_at(PeelTestConv *c, PeelTestSide from, uint32_t seq, uint32_t ack,
        uint8_t flags, const void *payload, size_t n)
{
    bool server = from == PEEL_TEST_SERVER;
    GByteArray *b = g_byte_array_new();
    const uint8_t ip_head[] = { 0x45, 0x00 };
    g_byte_array_append(b, ip_head, 2);
    peel_test_put16(b, (uint16_t)(40 + n));
    peel_test_put32(b, 0x00014000); /* id 1, DF */
    const uint8_t ttl_proto[] = { 64, 6, 0, 0 };
    g_byte_array_append(b, ttl_proto, 4);
    peel_test_put32(b, server ? 0x0a000002 : 0x0a000001);
    peel_test_put32(b, server ? 0x0a000001 : 0x0a000002);
    peel_test_put16(b, server ? c->port : 40000);
    peel_test_put16(b, server ? 40000 : c->port);
    peel_test_put32(b, seq);
    peel_test_put32(b, ack);
    const uint8_t off_flags[] = { 0x50, flags };
    g_byte_array_append(b, off_flags, 2);
    peel_test_put16(b, 65535);
    peel_test_put32(b, 0); /* checksum, urgent pointer */
    if (n > 0)
        g_byte_array_append(b, payload, (guint)n);
    g_ptr_array_add(c->frames, b);
}

void
peel_test_conv_segment(
        PeelTestConv *c, PeelTestSide from, uint8_t flags, const void *payload, size_t n)
{
    uint32_t ack = (flags & PEEL_TEST_ACK) ? c->seq[!from] : 0;
    peel_test_conv_segment_at(c, from, c->seq[from], ack, flags, payload, n);
    c->seq[from] += (uint32_t)n + ((flags & (PEEL_TEST_SYN | PEEL_TEST_FIN)) ? 1 : 0);
}

void
peel_test_conv_send(PeelTestConv *c, PeelTestSide from, const void *data, size_t n, size_t seg)
{
    const uint8_t *p = data;
    for (size_t off = 0; off < n; off += seg)
        peel_test_conv_segment(c, from, PEEL_TEST_PSH | PEEL_TEST_ACK, p + off, MIN(seg, n - off));
}

const PeelPacket *
peel_test_conv_run(PeelDissector *dis, PeelTestConv *c, uint32_t number)
{
    static PeelFrameInfo fr;
    g_assert_cmpuint(number, >=, 1);
    g_assert_cmpuint(number, <=, c->frames->len);
    GByteArray *b = g_ptr_array_index(c->frames, number - 1);
    memset(&fr, 0, sizeof fr);
    fr.number = number;
    fr.ts = c->time != NULL ? c->time(number) : (PeelTime){ 1000 + number, 0 };
    fr.cap_len = fr.len = b->len;
    fr.linktype = PEEL_LINKTYPE_RAW;
    fr.data = b->data;
    return peel_dissector_run(dis, &fr);
}

const PeelPacket *
peel_test_conv_run_to(PeelDissector *dis, PeelTestConv *c, uint32_t number)
{
    const PeelPacket *pkt = NULL;
    for (uint32_t i = 1; i <= number; i++)
        pkt = peel_test_conv_run(dis, c, i);
    g_assert_nonnull(pkt);
    return pkt;
}

const PeelPacket *
peel_test_conv_run_all(PeelDissector *dis, PeelTestConv *c)
{
    return c->frames->len == 0 ? NULL : peel_test_conv_run_to(dis, c, c->frames->len);
}

static bool
conv_fetch(void *user, uint32_t frame, const uint8_t **data, uint32_t *len)
{
    const PeelTestConv *c = user;
    if (frame == 0 || frame > c->frames->len)
        return false;
    GByteArray *b = g_ptr_array_index(c->frames, frame - 1);
    *data = b->data;
    *len = b->len;
    return true;
}

void
peel_test_conv_fetch(PeelDissector *dis, PeelTestConv *c)
{
    peel_dissector_set_frame_fetch(dis, conv_fetch, c);
}
