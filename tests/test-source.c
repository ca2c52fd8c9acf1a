/* test-source.c: the pcap/pcapng reader and the pcap writer, on hand-built files and on the
 * public capture corpus (checked against tshark's frame counts). */
#include "source.h"
#include "writer.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <zlib.h>
#include <unistd.h>

static char *tmpdir;

/* ---- building capture files byte by byte ---- */

typedef struct {
    GByteArray *b;
    bool be; /* big-endian */
} Buf;

static Buf
buf_new(bool be)
{
    return (Buf){ g_byte_array_new(), be };
}

static void
put8(Buf *b, uint8_t v)
{
    g_byte_array_append(b->b, &v, 1);
}

static void
put16(Buf *b, uint16_t v)
{
    uint16_t x = b->be ? GUINT16_TO_BE(v) : GUINT16_TO_LE(v);
    g_byte_array_append(b->b, (const uint8_t *)&x, 2);
}

static void
put32(Buf *b, uint32_t v)
{
    uint32_t x = b->be ? GUINT32_TO_BE(v) : GUINT32_TO_LE(v);
    g_byte_array_append(b->b, (const uint8_t *)&x, 4);
}

static void
put64(Buf *b, uint64_t v)
{
    uint64_t x = b->be ? GUINT64_TO_BE(v) : GUINT64_TO_LE(v);
    g_byte_array_append(b->b, (const uint8_t *)&x, 8);
}

static void
patch32(Buf *b, size_t at, uint32_t v)
{
    uint32_t x = b->be ? GUINT32_TO_BE(v) : GUINT32_TO_LE(v);
    memcpy(b->b->data + at, &x, 4);
}

static void
pad4(Buf *b)
{
    while (b->b->len % 4 != 0)
        put8(b, 0);
}

/* A packet's bytes: a recognisable pattern that depends on its length and a seed. */
static const uint8_t *
payload(uint32_t len, uint8_t seed)
{
    static uint8_t data[4096];
    g_assert_cmpuint(len, <=, sizeof data);
    for (uint32_t i = 0; i < len; i++)
        data[i] = (uint8_t)(seed + i);
    return data;
}

static void
put_payload(Buf *b, uint32_t len, uint8_t seed)
{
    g_byte_array_append(b->b, payload(len, seed), len);
}

static void
pcap_header(Buf *b, uint32_t magic, uint32_t snaplen, uint32_t network)
{
    put32(b, magic);
    put16(b, 2);
    put16(b, 4);
    put32(b, 0);
    put32(b, 0);
    put32(b, snaplen);
    put32(b, network);
}

static void
pcap_record(Buf *b, uint32_t sec, uint32_t frac, uint32_t caplen, uint32_t origlen, uint8_t seed)
{
    put32(b, sec);
    put32(b, frac);
    put32(b, caplen);
    put32(b, origlen);
    put_payload(b, caplen, seed);
}

static size_t
ng_begin(Buf *b, uint32_t type)
{
    size_t start = b->b->len;
    put32(b, type);
    put32(b, 0); /* patched by ng_end() */
    return start;
}

static void
ng_end(Buf *b, size_t start)
{
    pad4(b);
    uint32_t len = (uint32_t)(b->b->len - start + 4);
    put32(b, len);
    patch32(b, start + 4, len);
}

static void
ng_option(Buf *b, uint16_t code, const void *value, uint16_t len)
{
    put16(b, code);
    put16(b, len);
    g_byte_array_append(b->b, value, len);
    pad4(b);
}

static void
ng_shb(Buf *b, uint16_t major, uint16_t minor)
{
    size_t s = ng_begin(b, 0x0a0d0d0a);
    put32(b, 0x1a2b3c4d);
    put16(b, major);
    put16(b, minor);
    put64(b, UINT64_MAX);
    ng_end(b, s);
}

/* An IDB; tsresol 0xff means "no if_tsresol option". */
static void
ng_idb(Buf *b, uint16_t linktype, uint32_t snaplen, const char *name, const char *descr,
        uint8_t tsresol, int64_t tsoffset)
{
    size_t s = ng_begin(b, 1);
    put16(b, linktype);
    put16(b, 0);
    put32(b, snaplen);
    if (name != NULL)
        ng_option(b, 2, name, (uint16_t)strlen(name));
    if (descr != NULL)
        ng_option(b, 3, descr, (uint16_t)strlen(descr));
    if (tsresol != 0xff)
        ng_option(b, 9, &tsresol, 1);
    if (tsoffset != 0) {
        Buf o = buf_new(b->be);
        put64(&o, (uint64_t)tsoffset);
        ng_option(b, 14, o.b->data, 8);
        g_byte_array_unref(o.b);
    }
    if (name != NULL || descr != NULL || tsresol != 0xff || tsoffset != 0)
        put32(b, 0); /* opt_endofopt */
    ng_end(b, s);
}

static void
ng_epb(Buf *b, uint32_t iface, uint64_t ts, uint32_t caplen, uint32_t origlen, uint8_t seed,
        const char *comment)
{
    size_t s = ng_begin(b, 6);
    put32(b, iface);
    put32(b, (uint32_t)(ts >> 32));
    put32(b, (uint32_t)ts);
    put32(b, caplen);
    put32(b, origlen);
    put_payload(b, caplen, seed);
    pad4(b);
    if (comment != NULL) {
        ng_option(b, 1, comment, (uint16_t)strlen(comment));
        ng_option(b, 1, "second comment", 14);
        put32(b, 0);
    }
    ng_end(b, s);
}

static void
ng_spb(Buf *b, uint32_t origlen, uint32_t stored, uint8_t seed)
{
    size_t s = ng_begin(b, 3);
    put32(b, origlen);
    put_payload(b, stored, seed);
    ng_end(b, s);
}

/* The obsolete Packet Block (type 2). */
static void
ng_pb(Buf *b, uint16_t iface, uint64_t ts, uint32_t caplen, uint32_t origlen, uint8_t seed)
{
    size_t s = ng_begin(b, 2);
    put16(b, iface);
    put16(b, 0);
    put32(b, (uint32_t)(ts >> 32));
    put32(b, (uint32_t)ts);
    put32(b, caplen);
    put32(b, origlen);
    put_payload(b, caplen, seed);
    ng_end(b, s);
}

/* A block we must skip, of any type. */
static void
ng_other(Buf *b, uint32_t type, uint32_t body_len)
{
    size_t s = ng_begin(b, type);
    for (uint32_t i = 0; i < body_len; i++)
        put8(b, 0xee);
    ng_end(b, s);
}

/* ---- helpers ---- */

/* Writes the bytes to a file in tmpdir and returns its path (owned). Frees the Buf. */
static char *
write_file(const char *name, Buf *b)
{
    char *path = g_build_filename(tmpdir, name, NULL);
    GError *error = NULL;
    g_file_set_contents(path, (const char *)b->b->data, b->b->len, &error);
    g_assert_no_error(error);
    g_byte_array_unref(b->b);
    b->b = NULL;
    return path;
}

static PeelSource *
open_ok(const char *name, Buf *b)
{
    g_autofree char *path = write_file(name, b);
    GError *error = NULL;
    PeelSource *src = peel_source_open_file(path, &error);
    g_assert_no_error(error);
    g_assert_nonnull(src);
    return src;
}

static void
assert_frame(const PeelFrame *f, uint32_t number, int64_t sec, uint32_t nsec, uint32_t caplen,
        uint32_t origlen, uint32_t iface, int linktype, uint8_t seed)
{
    g_assert_cmpuint(f->number, ==, number);
    g_assert_cmpint(f->ts_sec, ==, sec);
    g_assert_cmpuint(f->ts_nsec, ==, nsec);
    g_assert_cmpuint(f->cap_len, ==, caplen);
    g_assert_cmpuint(f->orig_len, ==, origlen);
    g_assert_cmpuint(f->iface, ==, iface);
    g_assert_cmpint(f->linktype, ==, linktype);
    g_assert_cmpmem(f->data, f->cap_len, payload(caplen, seed), caplen);
}

static void
assert_next(PeelSource *src, PeelFrame *f)
{
    GError *error = NULL;
    int r = peel_source_next(src, f, &error);
    g_assert_no_error(error);
    g_assert_cmpint(r, ==, 1);
}

static void
assert_end(PeelSource *src)
{
    GError *error = NULL;
    PeelFrame f;
    g_assert_cmpint(peel_source_next(src, &f, &error), ==, 0);
    g_assert_no_error(error);
    g_assert_cmpint(peel_source_next(src, &f, &error), ==, 0); /* and stays there */
    g_assert_no_error(error);
}

/* Reads n_ok frames, then expects the error `code` with `message`. */
static void
expect_read_error(const char *name, Buf *b, guint n_ok, int code, const char *message)
{
    g_autoptr(PeelSource) src = open_ok(name, b);
    PeelFrame f;
    for (guint i = 0; i < n_ok; i++)
        assert_next(src, &f);
    GError *error = NULL;
    g_assert_cmpint(peel_source_next(src, &f, &error), ==, -1);
    g_assert_error(error, PEEL_CAPTURE_ERROR, code);
    g_assert_cmpstr(error->message, ==, message);
    g_clear_error(&error);
    g_assert_cmpint(peel_source_next(src, &f, &error), ==, 0); /* reading stopped there */
    g_assert_no_error(error);
}

static void
expect_corrupt(const char *name, Buf *b, guint n_ok, const char *message)
{
    expect_read_error(name, b, n_ok, PEEL_CAPTURE_ERROR_CORRUPT, message);
}

/* Expects opening to fail with `code` and the message "<path>: <message>". */
static void
expect_open_error(const char *name, Buf *b, int code, const char *message)
{
    g_autofree char *path = write_file(name, b);
    GError *error = NULL;
    PeelSource *src = peel_source_open_file(path, &error);
    g_assert_null(src);
    g_assert_error(error, PEEL_CAPTURE_ERROR, code);
    g_autofree char *want = g_strdup_printf("%s: %s", path, message);
    g_assert_cmpstr(error->message, ==, want);
    g_error_free(error);
}

/* ---- pcap ---- */

typedef struct {
    const char *name;
    uint32_t magic;
    bool be;
    bool nsec;
} PcapVariant;

static const PcapVariant pcap_variants[] = {
    { "le-usec", 0xa1b2c3d4, false, false },
    { "be-usec", 0xa1b2c3d4, true, false },
    { "le-nsec", 0xa1b23c4d, false, true },
    { "be-nsec", 0xa1b23c4d, true, true },
};

static void
test_pcap_variant(gconstpointer data)
{
    const PcapVariant *v = data;
    Buf b = buf_new(v->be);
    pcap_header(&b, v->magic, 65535, 1);
    uint32_t frac = v->nsec ? 123456789 : 123456;
    pcap_record(&b, 1700000000, frac, 60, 60, 1);
    pcap_record(&b, 1700000001, 0, 100, 1514, 2); /* cut by a snaplen */
    pcap_record(&b, 1700000002, 999, 0, 0, 3);    /* empty record */
    g_autofree char *name = g_strdup_printf("%s.pcap", v->name);
    g_autoptr(PeelSource) src = open_ok(name, &b);

    g_assert_cmpint(peel_source_kind(src), ==, PEEL_FILE_PCAP);
    g_assert_cmpuint(peel_source_n_interfaces(src), ==, 1);
    const PeelInterface *iface = peel_source_interface(src, 0);
    g_assert_cmpint(iface->linktype, ==, 1);
    g_assert_cmpuint(iface->snaplen, ==, 65535);
    g_assert_null(iface->name);
    g_assert_null(peel_source_interface(src, 1));

    PeelFrame f;
    assert_next(src, &f);
    assert_frame(&f, 1, 1700000000, v->nsec ? 123456789 : 123456000, 60, 60, 0, 1, 1);
    g_assert_cmpuint(f.offset, ==, 24);
    g_assert_null(f.comment);
    assert_next(src, &f);
    assert_frame(&f, 2, 1700000001, 0, 100, 1514, 0, 1, 2);
    g_assert_cmpuint(f.offset, ==, 24 + 16 + 60);
    assert_next(src, &f);
    assert_frame(&f, 3, 1700000002, v->nsec ? 999 : 999000, 0, 0, 0, 1, 3);
    assert_end(src);
}

/* Kuznetsov's patched libpcap: 8 more bytes (ifindex, protocol, pkt_type) per record. */
static void
test_pcap_modified(void)
{
    Buf b = buf_new(false);
    pcap_header(&b, 0xa1b2cd34, 65535, 1);
    for (uint8_t i = 1; i <= 2; i++) {
        put32(&b, 1000 + i);
        put32(&b, 500000);
        put32(&b, 40);
        put32(&b, 40);
        put32(&b, 2);      /* ifindex */
        put16(&b, 0x0800); /* protocol */
        put8(&b, 0);       /* pkt_type */
        put8(&b, 0);
        put_payload(&b, 40, i);
    }
    g_autoptr(PeelSource) src = open_ok("modified.pcap", &b);
    PeelFrame f;
    assert_next(src, &f);
    assert_frame(&f, 1, 1001, 500000000, 40, 40, 0, 1, 1);
    assert_next(src, &f);
    assert_frame(&f, 2, 1002, 500000000, 40, 40, 0, 1, 2);
    g_assert_cmpuint(f.offset, ==, 24 + 24 + 40);
    assert_end(src);
}

/* A gzip-compressed pcap reads like the plain one, random access included. */
static void
test_pcap_gzip(void)
{
    Buf b = buf_new(false);
    pcap_header(&b, 0xa1b2c3d4, 65535, 1);
    for (uint8_t i = 1; i <= 3; i++) {
        put32(&b, 1000 + i);
        put32(&b, 250000);
        put32(&b, 60);
        put32(&b, 60);
        put_payload(&b, 60, i);
    }
    g_autofree char *path = g_build_filename(tmpdir, "zipped.pcap.gz", NULL);
    gzFile gz = gzopen(path, "wb");
    g_assert_nonnull(gz);
    g_assert_cmpint(gzwrite(gz, b.b->data, b.b->len), ==, (int)b.b->len);
    g_assert_cmpint(gzclose(gz), ==, Z_OK);
    g_byte_array_unref(b.b);
    GError *error = NULL;
    g_autoptr(PeelSource) src = peel_source_open_file(path, &error);
    g_assert_no_error(error);
    PeelFrame f;
    uint64_t second = 0;
    for (uint32_t i = 1; i <= 3; i++) {
        assert_next(src, &f);
        assert_frame(&f, i, 1000 + i, 250000000, 60, 60, 0, 1, (uint8_t)i);
        if (i == 2)
            second = f.offset;
    }
    assert_end(src);
    g_assert_true(peel_source_read_at(src, second, 2, &f, &error));
    g_assert_no_error(error);
    assert_frame(&f, 2, 1002, 250000000, 60, 60, 0, 1, 2);
}

static void
test_pcap_header_only(void)
{
    Buf b = buf_new(false);
    pcap_header(&b, 0xa1b2c3d4, 262144, 113);
    g_autoptr(PeelSource) src = open_ok("header-only.pcap", &b);
    g_assert_cmpint(peel_source_interface(src, 0)->linktype, ==, 113);
    assert_end(src);
}

/* tcpdump's timestamp_invalid_micro.pcap: a fraction of 10^6 microseconds or more is
 * carried into the seconds. */
static void
test_pcap_invalid_fraction(void)
{
    Buf b = buf_new(false);
    pcap_header(&b, 0xa1b2c3d4, 65535, 1);
    pcap_record(&b, 100, 1000000, 10, 10, 1);
    pcap_record(&b, 100, 2500000, 10, 10, 2);
    g_autoptr(PeelSource) src = open_ok("invalid-usec.pcap", &b);
    PeelFrame f;
    assert_next(src, &f);
    assert_frame(&f, 1, 101, 0, 10, 10, 0, 1, 1);
    assert_next(src, &f);
    assert_frame(&f, 2, 102, 500000000, 10, 10, 0, 1, 2);
    assert_end(src);
}

/* The link-type field: FCS bits on top are fine (tcpdump's tcp_header_heapoverflow.pcap),
 * reserved bits are not. */
static void
test_pcap_linktype_bits(void)
{
    Buf b = buf_new(false);
    pcap_header(&b, 0xa1b2c3d4, 65535, 0x30000001);
    g_autoptr(PeelSource) src = open_ok("fcs-bits.pcap", &b);
    g_assert_cmpint(peel_source_interface(src, 0)->linktype, ==, 1);

    b = buf_new(false);
    pcap_header(&b, 0xa1b2c3d4, 65535, 0x00300000);
    expect_open_error("reserved-bits.pcap", &b, PEEL_CAPTURE_ERROR_FORMAT,
            "link-type field has reserved bits set (0x00300000)");
}

static void
test_pcap_truncated_header(void)
{
    Buf b = buf_new(false);
    pcap_header(&b, 0xa1b2c3d4, 65535, 1);
    pcap_record(&b, 1, 0, 60, 60, 1);
    put32(&b, 2);
    put8(&b, 0); /* 5 bytes of the next record header */
    expect_corrupt("trunc-header.pcap", &b, 1,
            "frame 2: truncated record header (16 bytes expected, 5 left)");
}

static void
test_pcap_truncated_record(void)
{
    Buf b = buf_new(true);
    pcap_header(&b, 0xa1b2c3d4, 65535, 1);
    pcap_record(&b, 1, 0, 60, 60, 1);
    put32(&b, 2);
    put32(&b, 0);
    put32(&b, 1514);
    put32(&b, 1514);
    put_payload(&b, 300, 2);
    expect_corrupt("trunc-record.pcap", &b, 1,
            "frame 2: truncated record (header says 1514 bytes, 300 left)");
}

/* A record claiming more than any record may hold is damage, and costs no memory. */
static void
test_pcap_huge_record(void)
{
    Buf b = buf_new(false);
    pcap_header(&b, 0xa1b2c3d4, 65535, 1);
    put32(&b, 1);
    put32(&b, 0);
    put32(&b, 0x7fffffff);
    put32(&b, 60);
    put_payload(&b, 60, 1);
    expect_corrupt("huge.pcap", &b, 0,
            "frame 1: record length 2147483647 is larger than the 268435456 bytes a record "
            "may hold");
}

static void
test_pcap_bad_header(void)
{
    Buf b = buf_new(false);
    put32(&b, 0xa1b2c3d4);
    put32(&b, 0x00040002);
    put16(&b, 0);
    expect_open_error("short-header.pcap", &b, PEEL_CAPTURE_ERROR_FORMAT,
            "truncated pcap file header (24 bytes expected, 10 found)");

    b = buf_new(false);
    pcap_header(&b, 0xa1b2c3d4, 65535, 1);
    b.b->data[4] = 1; /* version 1.4 */
    expect_open_error(
            "version-1.pcap", &b, PEEL_CAPTURE_ERROR_FORMAT, "unsupported pcap version 1.4");
}

/* ---- opening ---- */

static void
test_open_errors(void)
{
    Buf b = buf_new(false);
    expect_open_error("empty.pcap", &b, PEEL_CAPTURE_ERROR_FORMAT, "file is empty");

    b = buf_new(false);
    g_byte_array_append(b.b, (const uint8_t *)"GET / HTTP/1.1\r\n", 16);
    expect_open_error("text.pcap", &b, PEEL_CAPTURE_ERROR_FORMAT, "not a pcap or pcapng file");

    b = buf_new(false);
    g_byte_array_append(b.b, (const uint8_t *)"\xd4\xc3", 2);
    expect_open_error("two-bytes.pcap", &b, PEEL_CAPTURE_ERROR_FORMAT, "not a pcap or pcapng file");

    b = buf_new(false);
    g_byte_array_append(b.b, (const uint8_t *)"\x1f\x8b\x08\x00\x00\x00\x00\x00", 8);
    expect_open_error("x.pcap.gz", &b, PEEL_CAPTURE_ERROR_FORMAT,
            "gzip data that is not a pcap or pcapng file");

    g_autofree char *missing = g_build_filename(tmpdir, "does-not-exist.pcap", NULL);
    GError *error = NULL;
    g_assert_null(peel_source_open_file(missing, &error));
    g_assert_error(error, PEEL_CAPTURE_ERROR, PEEL_CAPTURE_ERROR_OPEN);
    g_assert_true(g_str_has_prefix(error->message, missing));
    g_clear_error(&error);

    g_assert_null(peel_source_open_file(tmpdir, &error)); /* a directory */
    g_assert_error(error, PEEL_CAPTURE_ERROR, PEEL_CAPTURE_ERROR_READ);
    g_clear_error(&error);
}

/* "-" reads standard input: same frames, no random access. */
static void
test_open_stdin(void)
{
    Buf b = buf_new(false);
    pcap_header(&b, 0xa1b2c3d4, 65535, 1);
    pcap_record(&b, 7, 0, 33, 33, 7);
    g_autofree char *path = write_file("stdin.pcap", &b);

    int saved = dup(STDIN_FILENO);
    int fd = g_open(path, O_RDONLY, 0);
    g_assert_cmpint(fd, >=, 0);
    dup2(fd, STDIN_FILENO);
    close(fd);

    GError *error = NULL;
    PeelSource *src = peel_source_open_file("-", &error);
    g_assert_no_error(error);
    g_assert_cmpstr(peel_source_path(src), ==, "-");
    PeelFrame f;
    assert_next(src, &f);
    assert_frame(&f, 1, 7, 0, 33, 33, 0, 1, 7);
    g_assert_false(peel_source_read_at(src, f.offset, 1, &f, &error));
    g_assert_error(error, PEEL_CAPTURE_ERROR, PEEL_CAPTURE_ERROR_READ);
    g_clear_error(&error);
    assert_end(src);
    peel_source_close(src);

    dup2(saved, STDIN_FILENO);
    close(saved);
}

/* ---- pcapng ---- */

/* Two interfaces of different link types and resolutions: Ethernet in microseconds,
 * raw IP in 2^-10 s with a 100 s offset, plus one in nanoseconds. */
static void
test_pcapng_interfaces(gconstpointer data)
{
    bool be = GPOINTER_TO_INT(data);
    Buf b = buf_new(be);
    ng_shb(&b, 1, 0);
    ng_idb(&b, 1, 0, "eth0", "Ethernet port", 0xff, 0);
    ng_idb(&b, 101, 128, "tun0", NULL, 0x80 | 10, 100);
    ng_epb(&b, 0, UINT64_C(1700000000123456), 60, 60, 1, NULL);
    ng_epb(&b, 1, 5 * 1024 + 512, 40, 40, 2, NULL);
    ng_idb(&b, 1, 0, NULL, NULL, 9, 0);
    ng_epb(&b, 2, UINT64_C(1700000000123456789), 20, 64, 3, NULL);
    ng_epb(&b, 0, 1000001, 10, 10, 4, NULL);
    g_autoptr(PeelSource) src = open_ok(be ? "ifaces-be.pcapng" : "ifaces-le.pcapng", &b);
    g_assert_cmpint(peel_source_kind(src), ==, PEEL_FILE_PCAPNG);

    PeelFrame f;
    assert_next(src, &f);
    assert_frame(&f, 1, 1700000000, 123456000, 60, 60, 0, 1, 1);
    g_assert_cmpuint(peel_source_n_interfaces(src), ==, 2);
    assert_next(src, &f);
    assert_frame(&f, 2, 105, 500000000, 40, 40, 1, 101, 2);
    assert_next(src, &f);
    assert_frame(&f, 3, 1700000000, 123456789, 20, 64, 2, 1, 3);
    assert_next(src, &f);
    assert_frame(&f, 4, 1, 1000, 10, 10, 0, 1, 4);
    assert_end(src);

    g_assert_cmpuint(peel_source_n_interfaces(src), ==, 3);
    const PeelInterface *i0 = peel_source_interface(src, 0);
    const PeelInterface *i1 = peel_source_interface(src, 1);
    const PeelInterface *i2 = peel_source_interface(src, 2);
    g_assert_cmpstr(i0->name, ==, "eth0");
    g_assert_cmpstr(i0->description, ==, "Ethernet port");
    g_assert_cmpint(i0->linktype, ==, 1);
    g_assert_cmpuint(i0->snaplen, ==, 0);
    g_assert_cmpstr(i1->name, ==, "tun0");
    g_assert_null(i1->description);
    g_assert_cmpint(i1->linktype, ==, 101);
    g_assert_cmpuint(i1->snaplen, ==, 128);
    g_assert_null(i2->name);
}

/* Simple Packet Blocks: interface 0, no timestamp, captured length min(original, snaplen,
 * bytes stored). */
static void
test_pcapng_spb(void)
{
    Buf b = buf_new(false);
    ng_shb(&b, 1, 0);
    ng_idb(&b, 1, 96, "eth0", NULL, 0xff, 0);
    ng_spb(&b, 314, 96, 1); /* snaplen cut */
    ng_spb(&b, 50, 52, 2);  /* padded: 50 bytes of packet */
    ng_spb(&b, 200, 20, 3); /* fewer bytes stored than either */
    g_autoptr(PeelSource) src = open_ok("spb.pcapng", &b);
    PeelFrame f;
    assert_next(src, &f);
    assert_frame(&f, 1, 0, 0, 96, 314, 0, 1, 1);
    g_assert_true(f.no_ts);
    assert_next(src, &f);
    assert_frame(&f, 2, 0, 0, 50, 50, 0, 1, 2);
    assert_next(src, &f);
    assert_frame(&f, 3, 0, 0, 20, 200, 0, 1, 3);
    assert_end(src);
}

static void
test_pcapng_obsolete_pb(void)
{
    Buf b = buf_new(true);
    ng_shb(&b, 1, 0);
    ng_idb(&b, 1, 0, NULL, NULL, 0xff, 0);
    ng_idb(&b, 113, 0, NULL, NULL, 0xff, 0);
    ng_pb(&b, 1, 2000000, 30, 30, 1);
    g_autoptr(PeelSource) src = open_ok("pb.pcapng", &b);
    PeelFrame f;
    assert_next(src, &f);
    assert_frame(&f, 1, 2, 0, 30, 30, 1, 113, 1);
    assert_end(src);
}

/* Sections restart interface numbering for EPBs; PeelFrame.iface counts across the file.
 * The second section is in the other byte order. Version 1.2 reads like 1.0. */
static void
test_pcapng_sections(void)
{
    Buf b = buf_new(false);
    ng_shb(&b, 1, 0);
    ng_idb(&b, 1, 0, "eth0", NULL, 0xff, 0);
    ng_idb(&b, 0, 0, "null0", NULL, 0xff, 0);
    ng_epb(&b, 1, 1000000, 10, 10, 1, NULL);
    ng_spb(&b, 4, 4, 9);
    b.be = true;
    ng_shb(&b, 1, 2);
    ng_idb(&b, 113, 0, "any", NULL, 0xff, 0);
    ng_epb(&b, 0, 2000000, 20, 20, 2, NULL);
    ng_spb(&b, 8, 8, 3);
    b.be = false;
    ng_shb(&b, 1, 0);
    ng_other(&b, 0x80000001, 8); /* local-use block type */
    ng_idb(&b, 1, 0, "eth0", NULL, 0xff, 0);
    ng_idb(&b, 101, 0, "tun0", NULL, 0xff, 0);
    ng_epb(&b, 1, 3000000, 30, 30, 4, NULL);
    g_autoptr(PeelSource) src = open_ok("sections.pcapng", &b);

    PeelFrame f;
    assert_next(src, &f);
    assert_frame(&f, 1, 1, 0, 10, 10, 1, 0, 1);
    g_assert_false(f.no_ts);
    assert_next(src, &f);
    assert_frame(&f, 2, 0, 0, 4, 4, 0, 1, 9); /* an SPB uses its section's interface 0 */
    g_assert_true(f.no_ts);
    assert_next(src, &f);
    assert_frame(&f, 3, 2, 0, 20, 20, 2, 113, 2);
    g_assert_false(f.no_ts);
    assert_next(src, &f);
    assert_frame(&f, 4, 0, 0, 8, 8, 2, 113, 3);
    assert_next(src, &f);
    assert_frame(&f, 5, 3, 0, 30, 30, 4, 101, 4);
    assert_end(src);

    g_assert_cmpuint(peel_source_n_interfaces(src), ==, 5);
    guint section, local;
    g_assert_true(peel_source_interface_section(src, 2, &section, &local));
    g_assert_cmpuint(section, ==, 1);
    g_assert_cmpuint(local, ==, 0);
    g_assert_true(peel_source_interface_section(src, 4, &section, &local));
    g_assert_cmpuint(section, ==, 2);
    g_assert_cmpuint(local, ==, 1);
    g_assert_false(peel_source_interface_section(src, 5, &section, &local));
}

/* The first opt_comment of a packet becomes PeelFrame.comment; it does not leak into the
 * next frame. NRB, ISB, DSB, custom and unknown blocks are skipped. */
static void
test_pcapng_comment_and_skipped(void)
{
    Buf b = buf_new(false);
    ng_shb(&b, 1, 0);
    ng_other(&b, 4, 12); /* NRB */
    ng_idb(&b, 1, 0, NULL, NULL, 0xff, 0);
    ng_other(&b, 0x00000bad, 16); /* custom block */
    ng_epb(&b, 0, 0, 60, 60, 1, "first comment");
    ng_other(&b, 5, 20);         /* ISB */
    ng_other(&b, 0x0000000a, 8); /* DSB */
    ng_other(&b, 0x12345678, 0); /* unknown */
    ng_epb(&b, 0, 0, 61, 61, 2, NULL);
    g_autoptr(PeelSource) src = open_ok("comment.pcapng", &b);
    PeelFrame f;
    assert_next(src, &f);
    assert_frame(&f, 1, 0, 0, 60, 60, 0, 1, 1);
    g_assert_cmpstr(f.comment, ==, "first comment");
    assert_next(src, &f);
    assert_frame(&f, 2, 0, 0, 61, 61, 0, 1, 2);
    g_assert_null(f.comment);
    assert_end(src);
}

static void
test_pcapng_empty_sections(void)
{
    Buf b = buf_new(false);
    ng_shb(&b, 1, 0);
    ng_idb(&b, 1, 0, NULL, NULL, 0xff, 0);
    ng_shb(&b, 1, 0);
    g_autoptr(PeelSource) src = open_ok("no-packets.pcapng", &b);
    assert_end(src);
}

/* Every damaged-block path, each ending reading with the number of the frame that would
 * have come next. */
static void
test_pcapng_damage(void)
{
    Buf b = buf_new(false);
    ng_shb(&b, 1, 0);
    ng_idb(&b, 1, 0, NULL, NULL, 0xff, 0);
    ng_epb(&b, 0, 0, 10, 10, 1, NULL);
    put32(&b, 6);
    put32(&b, 8); /* shorter than a block can be */
    put32(&b, 8);
    expect_corrupt(
            "short-block.pcapng", &b, 1, "frame 2: block length 8 is shorter than its header");

    b = buf_new(false);
    ng_shb(&b, 1, 0);
    ng_idb(&b, 1, 0, NULL, NULL, 0xff, 0);
    size_t s = ng_begin(&b, 6); /* an EPB too short for its fixed fields */
    put32(&b, 0);
    put32(&b, 0);
    ng_end(&b, s);
    expect_corrupt(
            "short-epb.pcapng", &b, 0, "frame 1: block length 20 is shorter than its header");

    b = buf_new(true);
    ng_shb(&b, 1, 0);
    ng_idb(&b, 1, 0, NULL, NULL, 0xff, 0);
    ng_epb(&b, 0, 0, 10, 10, 1, NULL);
    s = b.b->len;
    ng_epb(&b, 0, 0, 10, 10, 2, NULL);
    ng_epb(&b, 0, 0, 10, 10, 3, NULL);
    patch32(&b, s + 4, 46); /* not a multiple of 4, and the trailer says otherwise */
    expect_corrupt("odd-length.pcapng", &b, 1, "frame 2: block length 46 is not a multiple of 4");

    b = buf_new(false);
    ng_shb(&b, 1, 0);
    ng_idb(&b, 1, 0, NULL, NULL, 0xff, 0);
    ng_epb(&b, 0, 0, 16, 16, 1, NULL);
    patch32(&b, b.b->len - 4, 99);
    expect_corrupt("bad-trailer.pcapng", &b, 0,
            "frame 1: block trailer length 99 does not match the header's 48");

    b = buf_new(false);
    ng_shb(&b, 1, 0);
    ng_idb(&b, 1, 0, NULL, NULL, 0xff, 0);
    ng_epb(&b, 0, 0, 16, 16, 1, NULL);
    ng_epb(&b, 0, 0, 16, 16, 2, NULL);
    g_byte_array_set_size(b.b, b.b->len - 28);
    expect_corrupt("trunc-block.pcapng", &b, 1,
            "frame 2: truncated block (header says 48 bytes, 20 left)");

    b = buf_new(false);
    ng_shb(&b, 1, 0);
    ng_idb(&b, 1, 0, NULL, NULL, 0xff, 0);
    put16(&b, 6);
    put8(&b, 0);
    expect_corrupt("trunc-block-header.pcapng", &b, 0,
            "frame 1: truncated block header (8 bytes expected, 3 left)");

    b = buf_new(false);
    ng_shb(&b, 1, 0);
    ng_idb(&b, 1, 0, NULL, NULL, 0xff, 0);
    put32(&b, 6);
    put32(&b, 0x7ffffff0); /* huge: refused before any allocation */
    put32(&b, 0);
    expect_corrupt("huge-block.pcapng", &b, 0,
            "frame 1: block length 2147483632 is larger than the 269484032 bytes a block "
            "may hold");

    b = buf_new(false);
    ng_shb(&b, 1, 0);
    ng_idb(&b, 1, 0, NULL, NULL, 0xff, 0);
    ng_epb(&b, 1, 0, 16, 16, 1, NULL);
    expect_corrupt("bad-iface.pcapng", &b, 0,
            "frame 1: packet refers to interface 1, but its section describes 1");

    b = buf_new(false);
    ng_shb(&b, 1, 0);
    ng_spb(&b, 10, 10, 1);
    expect_corrupt("spb-no-iface.pcapng", &b, 0,
            "frame 1: packet refers to interface 0, but its section describes 0");

    b = buf_new(false);
    ng_shb(&b, 1, 0);
    ng_idb(&b, 1, 0, NULL, NULL, 0xff, 0);
    s = b.b->len;
    ng_epb(&b, 0, 0, 16, 16, 1, NULL);
    patch32(&b, s + 20, 100); /* captured length past the block */
    expect_corrupt("caplen-past-block.pcapng", &b, 0,
            "frame 1: captured length 100 runs past the end of its block (16 bytes of room)");

    b = buf_new(false);
    ng_shb(&b, 1, 0);
    ng_idb(&b, 1, 0, NULL, NULL, 0xff, 0);
    s = b.b->len;
    ng_epb(&b, 0, 0, 16, 16, 1, "x");
    patch32(&b, s + 28 + 16, 0x00400001); /* opt_comment of 64 bytes in a small block */
    expect_corrupt("option-overrun.pcapng", &b, 0,
            "frame 1: packet option of length 64 runs past the end of its block");

    b = buf_new(false);
    ng_shb(&b, 1, 0);
    ng_idb(&b, 1, 0, NULL, NULL, 0xff, 0);
    ng_epb(&b, 0, 0, 16, 16, 1, NULL);
    ng_shb(&b, 1, 1);
    expect_read_error("bad-second-version.pcapng", &b, 1, PEEL_CAPTURE_ERROR_FORMAT,
            "frame 2: unsupported pcapng version 1.1");
}

static void
test_pcapng_bad_open(void)
{
    Buf b = buf_new(false);
    ng_shb(&b, 1, 1);
    expect_open_error(
            "version-1.1.pcapng", &b, PEEL_CAPTURE_ERROR_FORMAT, "unsupported pcapng version 1.1");

    b = buf_new(false);
    ng_shb(&b, 1, 0);
    patch32(&b, 8, 0x11223344);
    expect_open_error("no-bom.pcapng", &b, PEEL_CAPTURE_ERROR_CORRUPT,
            "section header has no byte-order magic (0x11223344)");

    b = buf_new(false);
    ng_shb(&b, 1, 0);
    g_byte_array_set_size(b.b, 20);
    expect_open_error("short-shb.pcapng", &b, PEEL_CAPTURE_ERROR_CORRUPT,
            "truncated block (header says 28 bytes, 20 left)");
}

/* The early NTAR layout Wireshark accepts: blocks padded to 4 bytes whose length fields
 * leave the padding out. */
static void
test_pcapng_ntar_lengths(void)
{
    Buf b = buf_new(false);
    ng_shb(&b, 1, 0);
    ng_idb(&b, 1, 0, NULL, NULL, 0xff, 0);
    size_t s = b.b->len;
    ng_pb(&b, 0, 0, 62, 62, 1);
    patch32(&b, s + 4, 94);
    patch32(&b, b.b->len - 4, 94);
    ng_epb(&b, 0, 0, 8, 8, 2, NULL);
    g_autoptr(PeelSource) src = open_ok("ntar.pcapng", &b);
    PeelFrame f;
    assert_next(src, &f);
    assert_frame(&f, 1, 0, 0, 62, 62, 0, 1, 1);
    assert_next(src, &f);
    assert_frame(&f, 2, 0, 0, 8, 8, 0, 1, 2);
    assert_end(src);
}

/* ---- random access ---- */

typedef struct {
    uint64_t offset;
    PeelFrame frame;
    GByteArray *data;
    char *comment;
} Saved;

static void
check_read_at(PeelSource *src)
{
    GArray *saved = g_array_new(false, false, sizeof(Saved));
    PeelFrame f;
    GError *error = NULL;
    int r;
    while ((r = peel_source_next(src, &f, &error)) == 1) {
        Saved s = { f.offset, f, g_byte_array_new(), g_strdup(f.comment) };
        g_byte_array_append(s.data, f.data, f.cap_len);
        g_array_append_val(saved, s);
    }
    g_assert_no_error(error);
    g_assert_cmpint(r, ==, 0);
    for (guint i = saved->len; i-- > 0;) { /* backwards, to seek for real */
        Saved *s = &g_array_index(saved, Saved, i);
        PeelFrame g;
        g_assert_true(peel_source_read_at(src, s->offset, s->frame.number, &g, &error));
        g_assert_no_error(error);
        g_assert_cmpuint(g.number, ==, s->frame.number);
        g_assert_cmpuint(g.offset, ==, s->offset);
        g_assert_cmpint(g.ts_sec, ==, s->frame.ts_sec);
        g_assert_cmpuint(g.ts_nsec, ==, s->frame.ts_nsec);
        g_assert_cmpuint(g.orig_len, ==, s->frame.orig_len);
        g_assert_cmpuint(g.iface, ==, s->frame.iface);
        g_assert_cmpint(g.linktype, ==, s->frame.linktype);
        g_assert_cmpint(g.no_ts, ==, s->frame.no_ts);
        g_assert_cmpstr(g.comment, ==, s->comment);
        g_assert_cmpmem(g.data, g.cap_len, s->data->data, s->data->len);
        g_byte_array_unref(s->data);
        g_free(s->comment);
    }
    g_array_unref(saved);
}

static void
test_read_at_pcap(void)
{
    Buf b = buf_new(true);
    pcap_header(&b, 0xa1b23c4d, 65535, 1);
    for (uint8_t i = 0; i < 20; i++)
        pcap_record(&b, i, i * 1000u, 10u + i * 7u, 100, i);
    g_autoptr(PeelSource) src = open_ok("read-at.pcap", &b);
    check_read_at(src);

    PeelFrame f;
    GError *error = NULL;
    g_assert_false(peel_source_read_at(src, 1u << 20, 99, &f, &error));
    g_assert_error(error, PEEL_CAPTURE_ERROR, PEEL_CAPTURE_ERROR_CORRUPT);
    g_assert_cmpstr(
            error->message, ==, "frame 99: truncated record header (16 bytes expected, 0 left)");
    g_clear_error(&error);
}

static void
test_read_at_pcapng(void)
{
    Buf b = buf_new(false);
    ng_shb(&b, 1, 0);
    ng_idb(&b, 1, 64, "eth0", NULL, 0xff, 0);
    ng_idb(&b, 101, 0, "tun0", NULL, 9, 0);
    for (uint8_t i = 0; i < 10; i++)
        ng_epb(&b, i % 2, i * UINT64_C(1000000), 20u + i, 20u + i, i, i % 3 ? NULL : "note");
    ng_spb(&b, 100, 100, 50);
    b.be = true;
    ng_shb(&b, 1, 0);
    ng_idb(&b, 113, 0, NULL, NULL, 0x80 | 20, 0);
    ng_pb(&b, 0, 3 << 20, 33, 33, 60);
    ng_epb(&b, 0, 5 << 20, 34, 34, 61, "last");
    g_autoptr(PeelSource) src = open_ok("read-at.pcapng", &b);
    check_read_at(src);

    PeelFrame f;
    GError *error = NULL;
    g_assert_false(peel_source_read_at(src, 0, 7, &f, &error)); /* the SHB */
    g_assert_error(error, PEEL_CAPTURE_ERROR, PEEL_CAPTURE_ERROR_READ);
    g_assert_cmpstr(error->message, ==, "frame 7: offset 0 is not a packet block");
    g_clear_error(&error);
    g_assert_false(peel_source_read_at(src, 28, 7, &f, &error)); /* the first IDB */
    g_assert_cmpstr(error->message, ==, "frame 7: offset 28 is not a packet block");
    g_clear_error(&error);
}

/* ---- writing ---- */

static void
test_writer_roundtrip(void)
{
    g_autofree char *path = g_build_filename(tmpdir, "written.pcap", NULL);
    GError *error = NULL;
    PeelWriter *w = peel_writer_open(path, 1, 64, &error);
    g_assert_no_error(error);
    /* payload() reuses one buffer: keep copies */
    static uint8_t small[60], big[100];
    memcpy(small, payload(60, 1), sizeof small);
    memcpy(big, payload(100, 2), sizeof big);
    PeelFrame in[3] = {
        { 1, 1700000000, 123456789, 60, 60, 0, 1, 0, small, NULL },
        { 2, 1700000001, 999, 100, 1514, 0, 1, 0, big, NULL },
        { 3, 1700000002, 0, 0, 0, 0, 1, 0, big, NULL },
    };
    for (int i = 0; i < 3; i++) {
        g_assert_true(peel_writer_write(w, &in[i], &error));
        g_assert_no_error(error);
    }
    PeelFrame other = in[0];
    other.linktype = 113;
    g_assert_false(peel_writer_write(w, &other, &error));
    g_assert_error(error, PEEL_CAPTURE_ERROR, PEEL_CAPTURE_ERROR_WRITE);
    g_autofree char *want = g_strdup_printf("%s: frame 1 has link type LINUX_SLL (113), but "
                                            "the file holds EN10MB (1); a pcap file has one "
                                            "link type",
            path);
    g_assert_cmpstr(error->message, ==, want);
    g_clear_error(&error);
    g_assert_cmpuint(peel_writer_count(w), ==, 3);
    g_assert_true(peel_writer_close(w, &error));
    g_assert_no_error(error);

    g_autoptr(PeelSource) src = peel_source_open_file(path, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(peel_source_interface(src, 0)->snaplen, ==, 64);
    PeelFrame f;
    assert_next(src, &f);
    assert_frame(&f, 1, 1700000000, 123456000, 60, 60, 0, 1, 1);
    assert_next(src, &f);
    assert_frame(&f, 2, 1700000001, 0, 64, 1514, 0, 1, 2); /* cut to the snaplen */
    assert_next(src, &f);
    assert_frame(&f, 3, 1700000002, 0, 0, 0, 0, 1, 2);
    assert_end(src);
}

/* LINKTYPE_RAW (101) is DLT_RAW (12 on Linux) inside libpcap: the file must say 101. */
static void
test_writer_linktype_raw(void)
{
    g_autofree char *path = g_build_filename(tmpdir, "raw.pcap", NULL);
    GError *error = NULL;
    PeelWriter *w = peel_writer_open(path, 101, 0, &error);
    g_assert_no_error(error);
    PeelFrame f = { 1, 1, 0, 20, 20, 0, 101, 0, payload(20, 9), NULL };
    g_assert_true(peel_writer_write(w, &f, &error));
    g_assert_true(peel_writer_close(w, &error));
    g_autoptr(PeelSource) src = peel_source_open_file(path, &error);
    g_assert_no_error(error);
    g_assert_cmpint(peel_source_interface(src, 0)->linktype, ==, 101);
    g_assert_cmpuint(peel_source_interface(src, 0)->snaplen, ==, 262144);
    assert_next(src, &f);
    assert_frame(&f, 1, 1, 0, 20, 20, 0, 101, 9);
}

static void
test_writer_errors(void)
{
    g_autofree char *path = g_build_filename(tmpdir, "no-such-dir", "x.pcap", NULL);
    GError *error = NULL;
    g_assert_null(peel_writer_open(path, 1, 0, &error));
    g_assert_error(error, PEEL_CAPTURE_ERROR, PEEL_CAPTURE_ERROR_WRITE);
    g_assert_true(g_str_has_prefix(error->message, path));
    g_clear_error(&error);

    /* a full disk, where there is one to test with */
    if (g_file_test("/dev/full", G_FILE_TEST_EXISTS)) {
        PeelWriter *w = peel_writer_open("/dev/full", 1, 0, &error);
        g_assert_no_error(error);
        PeelFrame f = { 1, 1, 0, 60, 60, 0, 1, 0, payload(60, 1), NULL };
        bool ok = true;
        for (int i = 0; i < 100000 && ok; i++)
            ok = peel_writer_write(w, &f, &error);
        if (ok)
            ok = peel_writer_close(w, &error);
        else
            peel_writer_close(w, NULL);
        g_assert_false(ok);
        g_assert_error(error, PEEL_CAPTURE_ERROR, PEEL_CAPTURE_ERROR_WRITE);
        g_clear_error(&error);
    }
}

static void
test_linktype_names(void)
{
    g_assert_cmpstr(peel_linktype_name(1), ==, "EN10MB");
    g_assert_cmpstr(peel_linktype_description(1), ==, "Ethernet");
    g_assert_cmpstr(peel_linktype_name(101), ==, "RAW");
    g_assert_cmpstr(peel_linktype_name(113), ==, "LINUX_SLL");
    g_assert_cmpstr(peel_linktype_name(60000), ==, "LINKTYPE_60000");
    g_assert_cmpstr(peel_linktype_description(60000), ==, "Link type 60000");
    g_assert_true(peel_linktype_name(60000) == peel_linktype_name(60000));
}

/* ---- the public corpus against tshark's frame counts ---- */

/* Files whose frame count differs from tshark's on purpose. */
static const struct {
    const char *path;
    int frames; /* what we read; -1: opening fails */
    const char *why;
} corpus_exceptions[] = {
    { "pcapng-test-generator/le-test017.pcapng", 0, "tshark shows custom blocks as frames" },
    { "pcapng-test-generator/be-test017.pcapng", 0, "tshark shows custom blocks as frames" },
    { "pcapng-test-generator/le-test018.pcapng", 4, "tshark shows custom blocks as frames" },
    { "pcapng-test-generator/be-test018.pcapng", 4, "tshark shows custom blocks as frames" },
    { "pcapng-test-generator/le-test102.pcapng", 5, "tshark shows custom blocks as frames" },
    { "pcapng-test-generator/be-test102.pcapng", 5, "tshark shows custom blocks as frames" },
    { "pcapng-test-generator/le-test202.pcapng", 8, "tshark shows custom blocks as frames" },
    { "pcapng-test-generator/be-test202.pcapng", 8, "tshark shows custom blocks as frames" },
    { "wireshark-wiki/FTPv6-2.cap", -1, "Microsoft Network Monitor 2 format" },
    { "wireshark-wiki/SoulSeekRoom.cap", -1, "Microsoft Network Monitor 2 format" },
    { "wireshark-wiki/tcpshake.cap", -1, "NetXRay / Sniffer for Windows format" },
};

static char *
shared_dir(void)
{
    const char *env = g_getenv("PEEL_SHARED_DIR");
    if (env != NULL)
        return g_strdup(env);
    const char *root = g_getenv("PEEL_SOURCE_ROOT");
    if (root != NULL)
        return g_build_filename(root, "..", "shared", NULL);
    g_autofree char *tests = g_strdup(g_test_get_dir(G_TEST_DIST));
    return g_build_filename(tests, "..", "..", "shared", NULL);
}

static void
collect_captures(const char *base, const char *rel, GPtrArray *out)
{
    g_autofree char *dir = g_build_filename(base, rel, NULL);
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    if (d == NULL)
        return;
    const char *name;
    while ((name = g_dir_read_name(d)) != NULL) {
        g_autofree char *r = *rel ? g_build_filename(rel, name, NULL) : g_strdup(name);
        g_autofree char *full = g_build_filename(base, r, NULL);
        if (g_file_test(full, G_FILE_TEST_IS_DIR)) {
            if (strcmp(r, "expected") != 0 && strcmp(name, "tcpdump-out") != 0)
                collect_captures(base, r, out);
        } else if (*rel && !g_str_has_suffix(name, ".txt") && !g_str_has_suffix(name, ".md")) {
            g_ptr_array_add(out, g_steal_pointer(&r));
        }
    }
}

/* Data rows of an expected TSV (header line excluded); -1 when there is none. An empty
 * file means tshark could not open the capture. */
static int
tsv_rows(const char *path, bool *empty)
{
    g_autofree char *text = NULL;
    gsize len;
    if (!g_file_get_contents(path, &text, &len, NULL))
        return -1;
    *empty = len == 0;
    int lines = 0;
    for (gsize i = 0; i < len; i++)
        lines += text[i] == '\n';
    if (len > 0 && text[len - 1] != '\n')
        lines++;
    return MAX(lines - 1, 0);
}

static void
test_corpus(void)
{
    g_autofree char *shared = shared_dir();
    g_autofree char *base = g_build_filename(shared, "captures", "public", NULL);
    if (!g_file_test(base, G_FILE_TEST_IS_DIR)) {
        g_autofree char *msg =
                g_strdup_printf("no capture corpus at %s (set PEEL_SHARED_DIR)", base);
        g_test_skip(msg);
        return;
    }
    g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
    collect_captures(base, "", files);
    guint checked = 0;
    for (guint i = 0; i < files->len; i++) {
        const char *rel = g_ptr_array_index(files, i);
        g_autofree char *tsv_rel = g_strconcat(rel, ".tsv", NULL);
        g_autofree char *tsv = g_build_filename(base, "expected", tsv_rel, NULL);
        bool tshark_failed = false;
        int want = tsv_rows(tsv, &tshark_failed);
        if (want < 0)
            continue; /* not a capture (SHA256SUMS, keylogs ...) */
        bool must_fail = tshark_failed;
        for (size_t k = 0; k < G_N_ELEMENTS(corpus_exceptions); k++) {
            if (strcmp(corpus_exceptions[k].path, rel) == 0) {
                want = MAX(corpus_exceptions[k].frames, 0);
                must_fail = corpus_exceptions[k].frames < 0;
            }
        }

        g_autofree char *path = g_build_filename(base, rel, NULL);
        GError *error = NULL;
        g_autoptr(PeelSource) src = peel_source_open_file(path, &error);
        if (must_fail) {
            if (src != NULL)
                g_test_message("%s: tshark cannot open it, but we can", rel);
            g_assert_null(src);
            g_clear_error(&error);
            checked++;
            continue;
        }
        if (src == NULL)
            g_test_message("%s: %s", rel, error->message);
        g_assert_no_error(error);
        PeelFrame f;
        int got = 0, r;
        while ((r = peel_source_next(src, &f, &error)) == 1)
            got++;
        if (r < 0)
            g_test_message("%s: %s after %d frames", rel, error->message, got);
        g_clear_error(&error);
        if (got != want)
            g_test_message("%s: %d frames, tshark has %d", rel, got, want);
        g_assert_cmpint(got, ==, want);
        checked++;
    }
    g_test_message("%u captures checked", checked);
    g_assert_cmpuint(checked, >, 200);
}

/* Random access on every corpus capture gives the sequential frames back. */
static void
test_corpus_read_at(void)
{
    g_autofree char *shared = shared_dir();
    g_autofree char *base = g_build_filename(shared, "captures", "public", NULL);
    if (!g_file_test(base, G_FILE_TEST_IS_DIR)) {
        g_test_skip("no capture corpus (set PEEL_SHARED_DIR)");
        return;
    }
    g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
    collect_captures(base, "", files);
    for (guint i = 0; i < files->len; i++) {
        g_autofree char *path = g_build_filename(base, g_ptr_array_index(files, i), NULL);
        g_autoptr(PeelSource) src = peel_source_open_file(path, NULL);
        if (src == NULL)
            continue;
        PeelFrame f, g;
        GError *error = NULL;
        while (peel_source_next(src, &f, NULL) == 1) {
            /* f.data is borrowed: keep a copy before read_at reuses buffers */
            g_autofree uint8_t *copy = g_memdup2(f.data, f.cap_len);
            g_assert_true(peel_source_read_at(src, f.offset, f.number, &g, &error));
            g_assert_no_error(error);
            g_assert_cmpuint(g.number, ==, f.number);
            g_assert_cmpint(g.ts_sec, ==, f.ts_sec);
            g_assert_cmpuint(g.ts_nsec, ==, f.ts_nsec);
            g_assert_cmpuint(g.orig_len, ==, f.orig_len);
            g_assert_cmpuint(g.iface, ==, f.iface);
            g_assert_cmpmem(g.data, g.cap_len, copy, f.cap_len);
        }
    }
}

static void
remove_tmpdir(void)
{
    g_autoptr(GDir) d = g_dir_open(tmpdir, 0, NULL);
    const char *name;
    while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
        g_autofree char *p = g_build_filename(tmpdir, name, NULL);
        g_remove(p);
    }
    g_rmdir(tmpdir);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    GError *error = NULL;
    tmpdir = g_dir_make_tmp("peel-test-source-XXXXXX", &error);
    g_assert_no_error(error);

    for (size_t i = 0; i < G_N_ELEMENTS(pcap_variants); i++) {
        g_autofree char *p = g_strdup_printf("/source/pcap/%s", pcap_variants[i].name);
        g_test_add_data_func(p, &pcap_variants[i], test_pcap_variant);
    }
    g_test_add_func("/source/pcap/modified", test_pcap_modified);
    g_test_add_func("/source/pcap/gzip", test_pcap_gzip);
    g_test_add_func("/source/pcap/header-only", test_pcap_header_only);
    g_test_add_func("/source/pcap/invalid-fraction", test_pcap_invalid_fraction);
    g_test_add_func("/source/pcap/linktype-bits", test_pcap_linktype_bits);
    g_test_add_func("/source/pcap/truncated-header", test_pcap_truncated_header);
    g_test_add_func("/source/pcap/truncated-record", test_pcap_truncated_record);
    g_test_add_func("/source/pcap/huge-record", test_pcap_huge_record);
    g_test_add_func("/source/pcap/bad-header", test_pcap_bad_header);
    g_test_add_func("/source/open/errors", test_open_errors);
    g_test_add_func("/source/open/stdin", test_open_stdin);
    g_test_add_data_func(
            "/source/pcapng/interfaces-le", GINT_TO_POINTER(false), test_pcapng_interfaces);
    g_test_add_data_func(
            "/source/pcapng/interfaces-be", GINT_TO_POINTER(true), test_pcapng_interfaces);
    g_test_add_func("/source/pcapng/spb", test_pcapng_spb);
    g_test_add_func("/source/pcapng/obsolete-pb", test_pcapng_obsolete_pb);
    g_test_add_func("/source/pcapng/sections", test_pcapng_sections);
    g_test_add_func("/source/pcapng/comment-and-skipped", test_pcapng_comment_and_skipped);
    g_test_add_func("/source/pcapng/empty-sections", test_pcapng_empty_sections);
    g_test_add_func("/source/pcapng/damage", test_pcapng_damage);
    g_test_add_func("/source/pcapng/bad-open", test_pcapng_bad_open);
    g_test_add_func("/source/pcapng/ntar-lengths", test_pcapng_ntar_lengths);
    g_test_add_func("/source/read-at/pcap", test_read_at_pcap);
    g_test_add_func("/source/read-at/pcapng", test_read_at_pcapng);
    g_test_add_func("/writer/roundtrip", test_writer_roundtrip);
    g_test_add_func("/writer/linktype-raw", test_writer_linktype_raw);
    g_test_add_func("/writer/errors", test_writer_errors);
    g_test_add_func("/source/linktype-names", test_linktype_names);
    g_test_add_func("/source/corpus/frame-counts", test_corpus);
    g_test_add_func("/source/corpus/read-at", test_corpus_read_at);

    int r = g_test_run();
    remove_tmpdir();
    g_free(tmpdir);
    return r;
}
