/* protobuf-wire.c: the protobuf wire format (protobuf.dev, "Encoding"): varints, wire
 * types, the schema-less guess, and the text of values in tree labels. */
#include "protobuf-wire.h"

#include <float.h>
#include <glib.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fmt.h"

/* A varint at off bytes past rd's position, without advancing: its length (1 to 10), 0
 * when the bytes end inside it, -1 when it is longer than 10 bytes or past 64 bits. */
int
peel_pb_peek_varint(const PeelReader *rd, uint32_t off, uint64_t *out)
{
    uint32_t have = peel_reader_captured(rd);
    uint32_t claim = peel_reader_remaining(rd);
    uint32_t avail = have < claim ? have : claim;
    uint64_t v = 0;
    for (uint32_t i = 0; i < 10; i++) {
        if (off + i >= avail)
            return 0;
        uint8_t b = peel_reader_peek_u8(rd, off + i);
        if (i == 9 && b > 1)
            return -1;
        v |= (uint64_t)(b & 0x7f) << (7 * i);
        if (!(b & 0x80)) {
            *out = v;
            return (int)i + 1;
        }
    }
    return -1;
}

int
peel_pb_wire_of(int type)
{
    switch (type) {
    case PB_TYPE_DOUBLE:
    case PB_TYPE_FIXED64:
    case PB_TYPE_SFIXED64:
        return PB_WT_I64;
    case PB_TYPE_FLOAT:
    case PB_TYPE_FIXED32:
    case PB_TYPE_SFIXED32:
        return PB_WT_I32;
    case PB_TYPE_STRING:
    case PB_TYPE_BYTES:
    case PB_TYPE_MESSAGE:
        return PB_WT_LEN;
    case PB_TYPE_GROUP:
        return PB_WT_SGROUP;
    case 0:
        return -1;
    default:
        return PB_WT_VARINT;
    }
}

bool
peel_pb_packable(int type)
{
    int wt = peel_pb_wire_of(type);
    return wt == PB_WT_VARINT || wt == PB_WT_I64 || wt == PB_WT_I32;
}

/* Whether bytes parse as a whole message: valid tags, lengths inside, groups closed. */
bool
peel_pb_parses(const PeelReader *v)
{
    uint32_t n = peel_reader_remaining(v);
    if (n == 0 || peel_reader_captured(v) < n)
        return false;
    uint32_t off = 0;
    uint64_t groups[16];
    uint32_t n_groups = 0;
    while (off < n) {
        uint64_t tag, x;
        int l = peel_pb_peek_varint(v, off, &tag);
        if (l <= 0)
            return false;
        off += (uint32_t)l;
        uint64_t number = tag >> 3;
        if (number == 0 || number > PB_MAX_FIELD_NUMBER)
            return false;
        switch (tag & 7) {
        case PB_WT_VARINT:
            l = peel_pb_peek_varint(v, off, &x);
            if (l <= 0)
                return false;
            off += (uint32_t)l;
            break;
        case PB_WT_I64:
            off += 8;
            break;
        case PB_WT_I32:
            off += 4;
            break;
        case PB_WT_LEN:
            l = peel_pb_peek_varint(v, off, &x);
            if (l <= 0 || x > n)
                return false;
            off += (uint32_t)l + (uint32_t)x;
            break;
        case PB_WT_SGROUP:
            if (n_groups == 16)
                return false;
            groups[n_groups++] = number;
            break;
        case PB_WT_EGROUP:
            if (n_groups == 0 || groups[n_groups - 1] != number)
                return false;
            n_groups--;
            break;
        default:
            return false;
        }
        if (off > n)
            return false;
    }
    return n_groups == 0;
}

/* Printable UTF-8 text (tabs and line ends allowed). */
static bool
pb_is_text(const uint8_t *p, uint32_t n)
{
    if (n == 0)
        return false;
    /* ASCII (the common case) without the UTF-8 decoder: printable is 0x20..0x7e. */
    uint32_t i = 0;
    while (i < n && p[i] < 0x80) {
        uint8_t c = p[i++];
        if ((c < 0x20 || c == 0x7f) && c != '\t' && c != '\n' && c != '\r')
            return false;
    }
    if (i == n)
        return true;
    if (!g_utf8_validate_len((const char *)p, n, NULL))
        return false;
    for (const char *s = (const char *)p; s < (const char *)p + n; s = g_utf8_next_char(s)) {
        gunichar c = g_utf8_get_char(s);
        if (!g_unichar_isprint(c) && c != '\t' && c != '\n' && c != '\r')
            return false;
    }
    return true;
}

/* Packed varints: every byte belongs to a minimal varint and values are mostly short
 * (at least two for every three bytes), which random binary seldom is. */
static bool
pb_is_packed_varints(const PeelReader *v)
{
    uint32_t n = peel_reader_remaining(v);
    if (n == 0 || peel_reader_captured(v) < n)
        return false;
    uint32_t off = 0, count = 0;
    while (off < n) {
        uint64_t x;
        int l = peel_pb_peek_varint(v, off, &x);
        if (l <= 0 || (l > 1 && peel_reader_peek_u8(v, off + (uint32_t)l - 1) == 0))
            return false;
        off += (uint32_t)l;
        count++;
    }
    return 3 * count >= 2 * n;
}

const char *const peel_pb_guess_names[] = { "bytes", "message", "string", "packed varints" };

/* The most plausible reading of a length-delimited value with no schema: a nested
 * message when it parses whole (unless it is all printable text, which short strings
 * sometimes parse as), printable UTF-8 text, packed varints, else bytes. */
PbGuess
peel_pb_guess(const PeelReader *v)
{
    uint32_t n = peel_reader_remaining(v), got = 0;
    const uint8_t *p = peel_reader_peek_bytes(v, 0, n, &got);
    bool text = got == n && pb_is_text(p, n);
    if (peel_pb_parses(v) && !text)
        return GUESS_MESSAGE;
    if (text)
        return GUESS_STRING;
    if (pb_is_packed_varints(v))
        return GUESS_PACKED;
    return GUESS_BYTES;
}

void
peel_pb_text_add(PbText *t, const char *fmt, ...)
{
    if (t->off || t->n >= sizeof t->s - 1)
        return;
    va_list ap;
    va_start(ap, fmt);
    int w = peel_vsnprintf(t->s + t->n, sizeof t->s - t->n, fmt, ap);
    va_end(ap);
    if (w > 0)
        t->n = MIN(t->n + (size_t)w, sizeof t->s - 1);
}

/* Text shown for a string value: quoted, escaped, cut at 64 bytes. */
void
peel_pb_text_string(PbText *t, const uint8_t *p, uint32_t n)
{
    if (t->off)
        return;
    peel_pb_text_add(t, "\"");
    for (uint32_t i = 0; i < n && i < 64; i++) {
        uint8_t c = p[i];
        if (c == '"' || c == '\\')
            peel_pb_text_add(t, "\\%c", c);
        else if (c >= 0x20 && c < 0x7f)
            peel_pb_text_add(t, "%c", c);
        else if (c >= 0x80)
            peel_pb_text_add(t, "%c", c); /* UTF-8 passes through */
        else
            peel_pb_text_add(t, "\\x%02x", c);
    }
    peel_pb_text_add(t, n > 64 ? "\"…" : "\"");
}

/* Floats print with FLT_DIG digits as tshark does: rounded once here. */
double
peel_pb_float(uint32_t raw)
{
    float f;
    memcpy(&f, &raw, 4);
    if (!isfinite(f))
        return f;
    char buf[32];
    peel_snprintf(buf, sizeof buf, "%.*g", FLT_DIG, (double)f);
    return g_ascii_strtod(buf, NULL);
}

double
peel_pb_double(uint64_t raw)
{
    double d;
    memcpy(&d, &raw, 8);
    return d;
}

int64_t
peel_pb_zigzag(uint64_t v)
{
    return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

/* Seconds and nanos of a Timestamp or Duration value. */
void
peel_pb_seconds_nanos(const PeelReader *v, int64_t *sec, int32_t *nsec)
{
    *sec = 0;
    *nsec = 0;
    uint32_t off = 0, n = peel_reader_remaining(v);
    while (off < n) {
        uint64_t tag, x;
        int l = peel_pb_peek_varint(v, off, &tag);
        if (l <= 0 || (tag & 7) != PB_WT_VARINT)
            return;
        off += (uint32_t)l;
        l = peel_pb_peek_varint(v, off, &x);
        if (l <= 0)
            return;
        off += (uint32_t)l;
        if (tag >> 3 == 1)
            *sec = (int64_t)x;
        else if (tag >> 3 == 2)
            *nsec = (int32_t)x;
    }
}

/* Text of the scalar or string field `number` of a small message in v (map entries,
 * wrappers), by its schema; the default (zero, empty) when absent. */
void
peel_pb_member_text(const PeelReader *v, const PbMessage *m, int32_t number, PbText *t)
{
    const PbField *fd = peel_pb_message_field(m, (uint64_t)number);
    if (fd == NULL || t->off)
        return;
    uint32_t off = 0, n = peel_reader_remaining(v);
    uint64_t raw = 0;
    bool found = false;
    uint32_t sp = 0, sl = 0; /* a length-delimited value's place */
    while (off < n) {
        uint64_t tag, x = 0;
        int l = peel_pb_peek_varint(v, off, &tag);
        if (l <= 0)
            return;
        off += (uint32_t)l;
        uint32_t vpos = off;
        switch (tag & 7) {
        case PB_WT_VARINT:
            l = peel_pb_peek_varint(v, off, &x);
            if (l <= 0)
                return;
            off += (uint32_t)l;
            break;
        case PB_WT_I64:
            x = (uint64_t)peel_reader_peek_u32le(v, off) |
                (uint64_t)peel_reader_peek_u32le(v, off + 4) << 32;
            off += 8;
            break;
        case PB_WT_I32:
            x = peel_reader_peek_u32le(v, off);
            off += 4;
            break;
        case PB_WT_LEN:
            l = peel_pb_peek_varint(v, off, &x);
            if (l <= 0 || x > n)
                return;
            vpos = off + (uint32_t)l;
            off = vpos + (uint32_t)x;
            break;
        default:
            return;
        }
        if (off > n)
            return;
        if (tag >> 3 == (uint64_t)number) {
            found = true;
            raw = x;
            sp = vpos;
            sl = (uint32_t)x;
        }
    }
    switch (fd->type) {
    case PB_TYPE_STRING:
    case PB_TYPE_BYTES: {
        uint32_t got = 0;
        const uint8_t *p = found ? peel_reader_peek_bytes(v, sp, sl, &got) : NULL;
        if (fd->type == PB_TYPE_STRING)
            peel_pb_text_string(t, p, got);
        else
            peel_pb_text_add(t, "(%u bytes)", got);
        return;
    }
    case PB_TYPE_MESSAGE:
    case PB_TYPE_GROUP:
        peel_pb_text_add(t, "{…}");
        return;
    default:
        break;
    }
    int type = fd->type;
    int64_t iv;
    switch (type) {
    case PB_TYPE_DOUBLE:
        peel_pb_text_add(t, "%.15g", peel_pb_double(raw));
        break;
    case PB_TYPE_FLOAT:
        peel_pb_text_add(t, "%.6g", peel_pb_float((uint32_t)raw));
        break;
    case PB_TYPE_BOOL:
        peel_pb_text_add(t, "%s", raw ? "true" : "false");
        break;
    case PB_TYPE_UINT64:
    case PB_TYPE_FIXED64:
        peel_pb_text_add(t, "%" G_GUINT64_FORMAT, raw);
        break;
    case PB_TYPE_UINT32:
    case PB_TYPE_FIXED32:
        peel_pb_text_add(t, "%u", (uint32_t)raw);
        break;
    case PB_TYPE_SINT32:
    case PB_TYPE_SINT64:
        iv = peel_pb_zigzag(raw);
        peel_pb_text_add(
                t, "%" G_GINT64_FORMAT, type == PB_TYPE_SINT32 ? (int64_t)(int32_t)iv : iv);
        break;
    case PB_TYPE_INT32:
    case PB_TYPE_SFIXED32:
    case PB_TYPE_ENUM:
        peel_pb_text_add(t, "%d", (int32_t)raw);
        break;
    default:
        peel_pb_text_add(t, "%" G_GINT64_FORMAT, (int64_t)raw);
        break;
    }
}
