/* peel-test.c: dissect hand-built bytes and look at the resulting field list. */
#include "peel-test.h"

#include <string.h>

#include "dissector.h"
#include "format.h"
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

static const PeelField *
nth(const PeelTestPacket *t, const char *name, guint n)
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
    uint32_t id = (uint32_t)field_id(name);
    guint n = 0;
    for (uint32_t i = 0; i < t->pkt->n_fields; i++)
        n += t->pkt->fields[i].id == id;
    return n;
}

const char *
peel_test_field_str(PeelTestPacket *t, const char *name, guint n)
{
    const PeelField *fl = nth(t, name, n);
    if (fl == NULL)
        return NULL;
    GString *s = g_string_new(NULL);
    peel_format_value(s, t->pkt, fl);
    char *str = g_string_free(s, FALSE);
    g_ptr_array_add(t->strings, str);
    return str;
}

uint64_t
peel_test_field_uint(const PeelTestPacket *t, const char *name)
{
    const PeelField *fl = nth(t, name, 0);
    if (fl == NULL)
        g_error("field %s is absent", name);
    return fl->v.u;
}

gboolean
peel_test_field_is_malformed(const PeelTestPacket *t, const char *name)
{
    const PeelField *fl = nth(t, name, 0);
    return fl != NULL && (fl->flags & PEEL_FF_MALFORMED);
}

gboolean
peel_test_field_is_truncated(const PeelTestPacket *t, const char *name)
{
    const PeelField *fl = nth(t, name, 0);
    return fl != NULL && (fl->flags & PEEL_FF_TRUNCATED);
}

gboolean
peel_test_has_expert(const PeelTestPacket *t, const char *needle)
{
    for (uint32_t i = 0; i < t->pkt->n_experts; i++)
        if (strstr(t->pkt->experts[i].msg, needle) != NULL)
            return TRUE;
    return FALSE;
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
