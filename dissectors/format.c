/* format.c: value formatting shared by every output (fields, tree, JSON, GUI). */
#include "format.h"

#include <string.h>
#include <time.h>

#include "fmt.h"
#include "registry.h"

static const char hexdigits[] = "0123456789abcdef";

static uint32_t
value_width(const PeelFieldDef *def)
{
    switch (def->type) {
    case PEEL_FT_U8:
    case PEEL_FT_I8:
        return 1;
    case PEEL_FT_U16:
    case PEEL_FT_I16:
        return 2;
    case PEEL_FT_U24:
        return 3;
    case PEEL_FT_U32:
    case PEEL_FT_I32:
    case PEEL_FT_FRAMENUM:
        return 4;
    default:
        return 8;
    }
}

static void
append_u64(GString *out, uint64_t v)
{
    char buf[24];
    char *p = peel_put_decimal(buf + sizeof buf, v);
    peel_gs_put(out, p, (size_t)(buf + sizeof buf - p));
}

static void
append_hex(GString *out, uint64_t v, uint32_t digits)
{
    char buf[20];
    buf[0] = '0';
    buf[1] = 'x';
    uint32_t n = 0;
    for (uint64_t t = v; t; t >>= 4)
        n++;
    if (n < digits)
        n = digits;
    if (n > 16)
        n = 16;
    for (uint32_t i = 0; i < n; i++)
        buf[2 + n - 1 - i] = hexdigits[(v >> (4 * i)) & 0xf];
    peel_gs_put(out, buf, 2 + n);
}

/* Each octet's digits, padded to three bytes; its length is 1 + (b >= 10) + (b >= 100). */
static const char octet_digits[256][3] = {
    "0\0\0", "1\0\0", "2\0\0", "3\0\0", "4\0\0", "5\0\0", "6\0\0", "7\0\0",
    "8\0\0", "9\0\0", "10\0", "11\0", "12\0", "13\0", "14\0", "15\0",
    "16\0", "17\0", "18\0", "19\0", "20\0", "21\0", "22\0", "23\0",
    "24\0", "25\0", "26\0", "27\0", "28\0", "29\0", "30\0", "31\0",
    "32\0", "33\0", "34\0", "35\0", "36\0", "37\0", "38\0", "39\0",
    "40\0", "41\0", "42\0", "43\0", "44\0", "45\0", "46\0", "47\0",
    "48\0", "49\0", "50\0", "51\0", "52\0", "53\0", "54\0", "55\0",
    "56\0", "57\0", "58\0", "59\0", "60\0", "61\0", "62\0", "63\0",
    "64\0", "65\0", "66\0", "67\0", "68\0", "69\0", "70\0", "71\0",
    "72\0", "73\0", "74\0", "75\0", "76\0", "77\0", "78\0", "79\0",
    "80\0", "81\0", "82\0", "83\0", "84\0", "85\0", "86\0", "87\0",
    "88\0", "89\0", "90\0", "91\0", "92\0", "93\0", "94\0", "95\0",
    "96\0", "97\0", "98\0", "99\0", "100", "101", "102", "103",
    "104", "105", "106", "107", "108", "109", "110", "111",
    "112", "113", "114", "115", "116", "117", "118", "119",
    "120", "121", "122", "123", "124", "125", "126", "127",
    "128", "129", "130", "131", "132", "133", "134", "135",
    "136", "137", "138", "139", "140", "141", "142", "143",
    "144", "145", "146", "147", "148", "149", "150", "151",
    "152", "153", "154", "155", "156", "157", "158", "159",
    "160", "161", "162", "163", "164", "165", "166", "167",
    "168", "169", "170", "171", "172", "173", "174", "175",
    "176", "177", "178", "179", "180", "181", "182", "183",
    "184", "185", "186", "187", "188", "189", "190", "191",
    "192", "193", "194", "195", "196", "197", "198", "199",
    "200", "201", "202", "203", "204", "205", "206", "207",
    "208", "209", "210", "211", "212", "213", "214", "215",
    "216", "217", "218", "219", "220", "221", "222", "223",
    "224", "225", "226", "227", "228", "229", "230", "231",
    "232", "233", "234", "235", "236", "237", "238", "239",
    "240", "241", "242", "243", "244", "245", "246", "247",
    "248", "249", "250", "251", "252", "253", "254", "255",
};

size_t
peel_ipv4_to_str(char out[PEEL_IPV4_STRLEN], uint32_t a)
{
    char *p = out;
    for (int i = 3; i >= 0; i--) {
        unsigned b = (a >> (8 * i)) & 0xff;
        memcpy(p, octet_digits[b], 3);
        p += 1 + (b >= 10) + (b >= 100);
        *p++ = '.';
    }
    *--p = '\0';
    return (size_t)(p - out);
}

size_t
peel_ipv6_to_str(char out[PEEL_IPV6_STRLEN], const uint8_t addr[16])
{
    uint16_t w[8];
    for (int i = 0; i < 8; i++)
        w[i] = (uint16_t)(addr[2 * i] << 8 | addr[2 * i + 1]);
    /* RFC 5952: the longest run of two or more zero words becomes "::" (the first such). */
    int best = -1, best_len = 1;
    for (int i = 0; i < 8;) {
        if (w[i] != 0) {
            i++;
            continue;
        }
        int j = i;
        while (j < 8 && w[j] == 0)
            j++;
        if (j - i > best_len) {
            best = i;
            best_len = j - i;
        }
        i = j;
    }
    char *p = out;
    /* IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible forms print the tail dotted, as
     * inet_ntop does. */
    bool v4tail = best == 0 && (best_len == 6 || (best_len == 5 && w[5] == 0xffff));
    for (int i = 0; i < 8; i++) {
        if (i == best) {
            *p++ = ':';
            if (i == 0)
                *p++ = ':';
            i += best_len - 1;
            continue;
        }
        if (v4tail && i == 6) {
            p += peel_ipv4_to_str(p, (uint32_t)w[6] << 16 | w[7]);
            break;
        }
        bool lead = false;
        for (int shift = 12; shift >= 0; shift -= 4) {
            unsigned nib = (w[i] >> shift) & 0xf;
            if (nib || lead || shift == 0) {
                *p++ = hexdigits[nib];
                lead = true;
            }
        }
        if (i < 7)
            *p++ = ':';
    }
    *p = '\0';
    return (size_t)(p - out);
}

static void
append_ipv4(GString *out, uint32_t a)
{
    char buf[PEEL_IPV4_STRLEN];
    peel_gs_put(out, buf, peel_ipv4_to_str(buf, a));
}

void
peel_format_ipv6(GString *out, const uint8_t addr[16])
{
    char buf[PEEL_IPV6_STRLEN];
    peel_gs_put(out, buf, peel_ipv6_to_str(buf, addr));
}

/* "0001ff", or with a separator "00:01:ff": two digits a byte from one table, written in
 * place (payloads make most of -V, json and ek output). */
static const char hexpairs[513] = {
#define P4(h) h "0" h "1" h "2" h "3" h "4" h "5" h "6" h "7" h "8" h "9" h "a" h "b" h "c" h "d" h "e" h "f"
    P4("0") P4("1") P4("2") P4("3") P4("4") P4("5") P4("6") P4("7")
    P4("8") P4("9") P4("a") P4("b") P4("c") P4("d") P4("e") P4("f")
#undef P4
};

void
peel_format_hex(GString *out, const uint8_t *p, size_t n, char sep)
{
    if (n == 0)
        return;
    size_t need = sep ? 3 * n - 1 : 2 * n;
    gsize at = out->len;
    g_string_set_size(out, at + need);
    char *o = out->str + at;
    if (sep) {
        size_t i = 0;
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
        /* four bytes a store: the pair, the separator and one byte the next store (or the
         * last pair, written alone) overwrites; four input bytes a turn */
        uint32_t tail = (uint32_t)(uint8_t)sep << 16;
        for (; i + 4 < n; i += 4, o += 12) {
            for (size_t k = 0; k < 4; k++) {
                uint16_t pair;
                memcpy(&pair, hexpairs + 2 * p[i + k], 2);
                uint32_t q = pair | tail;
                memcpy(o + 3 * k, &q, 4);
            }
        }
#endif
        for (; i + 1 < n; i++, o += 3) {
            memcpy(o, hexpairs + 2 * p[i], 2);
            o[2] = sep;
        }
        memcpy(o, hexpairs + 2 * p[n - 1], 2);
    } else {
        for (size_t i = 0; i < n; i++, o += 2)
            memcpy(o, hexpairs + 2 * p[i], 2);
    }
}

static void
append_ether(GString *out, const uint8_t *p, uint32_t n)
{
    peel_format_hex(out, p, n, ':');
}

static void
append_hexbytes(GString *out, const uint8_t *p, uint32_t n)
{
    peel_format_hex(out, p, n, 0);
}

/* Length of the valid, printable UTF-8 sequence at s, or 0. */
static size_t
utf8_char_len(const uint8_t *s, size_t n)
{
    size_t k = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
    if (k == 0 || k > n)
        return 0;
    const char *end = NULL;
    if (!g_utf8_validate((const char *)s, (gssize)k, &end))
        return 0;
    gunichar ch = g_utf8_get_char((const char *)s);
    return g_unichar_isprint(ch) ? k : 0;
}

void
peel_format_escaped(GString *out, const uint8_t *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        /* printable ASCII goes out in runs */
        size_t run = i;
        while (run < n && s[run] >= 0x20 && s[run] < 0x7f)
            run++;
        if (run > i) {
            peel_gs_put(out, (const char *)s + i, run - i);
            if (run == n)
                return;
            i = run;
        }
        uint8_t c = s[i];
        switch (c) {
        case '\a':
            PEEL_GS_LIT(out, "\\a");
            break;
        case '\b':
            PEEL_GS_LIT(out, "\\b");
            break;
        case '\f':
            PEEL_GS_LIT(out, "\\f");
            break;
        case '\n':
            PEEL_GS_LIT(out, "\\n");
            break;
        case '\r':
            PEEL_GS_LIT(out, "\\r");
            break;
        case '\t':
            PEEL_GS_LIT(out, "\\t");
            break;
        case '\v':
            PEEL_GS_LIT(out, "\\v");
            break;
        default:
            if (c >= 0x20 && c < 0x7f) {
                g_string_append_c(out, (char)c);
            } else if (c >= 0x80 && utf8_char_len(s + i, n - i) > 0) {
                /* valid UTF-8 stays as it is, as tshark prints it */
                size_t k = utf8_char_len(s + i, n - i);
                peel_gs_put(out, (const char *)s + i, k);
                i += k - 1;
            } else {
                PEEL_GS_LIT(out, "\\x");
                g_string_append_c(out, hexdigits[c >> 4]);
                g_string_append_c(out, hexdigits[c & 0xf]);
            }
        }
    }
}

static void
append_rel_time(GString *out, PeelTime t)
{
    if (t.sec < 0 || t.nsec < 0) {
        /* -1.25 s is stored as sec -2, nsec 750000000 */
        int64_t total_ns = t.sec * 1000000000 + t.nsec;
        g_string_append_c(out, '-');
        total_ns = -total_ns;
        g_string_append_printf(out, "%" G_GINT64_FORMAT ".%09d", total_ns / 1000000000,
                (int)(total_ns % 1000000000));
        return;
    }
    append_u64(out, (uint64_t)t.sec);
    char buf[11];
    buf[0] = '.';
    int32_t ns = t.nsec;
    for (int i = 9; i >= 1; i--) {
        buf[i] = (char)('0' + ns % 10);
        ns /= 10;
    }
    g_string_append_len(out, buf, 10);
}

void
peel_format_abs_time(GString *out, PeelTime t)
{
    static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
        "Aug", "Sep", "Oct", "Nov", "Dec" };
    /* The local time of the last second asked for, per thread (every frame asks, and
     * consecutive frames mostly share their second). */
    static _Thread_local bool have;
    static _Thread_local int64_t cached_sec;
    static _Thread_local struct tm tm;
    static _Thread_local char zone[16];
    if (!have || cached_sec != t.sec) {
        time_t secs = (time_t)t.sec;
        if (localtime_r(&secs, &tm) == NULL) {
            have = false;
            PEEL_GS_LIT(out, "Not representable");
            return;
        }
        strftime(zone, sizeof zone, "%Z", &tm);
        cached_sec = t.sec;
        have = true;
    }
    char buf[96];
    int n = peel_snprintf(buf, sizeof buf, "%s %2d, %d %02d:%02d:%02d.%09d %s", months[tm.tm_mon],
            tm.tm_mday, tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)t.nsec, zone);
    peel_gs_put(out, buf, (size_t)MIN(n, (int)sizeof buf - 1));
}

static void
append_uint_base(GString *out, const PeelFieldDef *def, uint64_t v)
{
    uint32_t digits = 2 * value_width(def);
    switch (def->show) {
    case PEEL_SHOW_HEX:
    case PEEL_SHOW_HEX_DEC:
        append_hex(out, v, digits);
        break;
    case PEEL_SHOW_OCT:
        g_string_append_printf(out, "0%" G_GINT64_MODIFIER "o", v);
        break;
    default:
        append_u64(out, v);
    }
}

/* ---- stream markers (format.h) ---- */

static _Thread_local bool stream_markers;
static _Thread_local int tcp_stream_id = -1, udp_stream_id = -1;

void
peel_format_stream_markers(bool on)
{
    stream_markers = on;
    tcp_stream_id = peel_field_lookup("tcp.stream");
    udp_stream_id = peel_field_lookup("udp.stream");
}

/* Writes fl as a stream marker when it is a stream number and markers are on. */
static bool
put_stream_marker(GString *out, const PeelField *fl)
{
    char kind;
    if ((int)fl->id == tcp_stream_id)
        kind = 't';
    else if ((int)fl->id == udp_stream_id)
        kind = 'u';
    else
        return false;
    char buf[24];
    int i = sizeof buf;
    buf[--i] = PEEL_STREAM_MARK_END;
    uint64_t v = fl->v.u;
    do {
        buf[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    buf[--i] = kind;
    buf[--i] = PEEL_STREAM_MARK;
    peel_gs_put(out, buf + i, sizeof buf - (size_t)i);
    return true;
}

void
peel_format_value(GString *out, const PeelPacket *pkt, const PeelField *fl)
{
    const PeelFieldDef *def = peel_field_def(fl->id);
    if (!(fl->flags & PEEL_FF_HAS_VALUE))
        return;
    if (G_UNLIKELY(stream_markers) && put_stream_marker(out, fl))
        return;
    switch (def->type) {
    case PEEL_FT_NONE:
        g_string_append_c(out, '1'); /* tshark prints 1 for a present label-only item */
        break;
    case PEEL_FT_PROTOCOL:
        if (fl->text != NULL)
            peel_gs_puts(out, fl->text);
        else
            peel_gs_puts(out, def->title);
        break;
    case PEEL_FT_BOOLEAN:
        g_string_append_c(out, fl->v.u ? '1' : '0');
        break;
    case PEEL_FT_U8:
    case PEEL_FT_U16:
    case PEEL_FT_U24:
    case PEEL_FT_U32:
    case PEEL_FT_U64:
        append_uint_base(out, def, fl->v.u);
        break;
    case PEEL_FT_FRAMENUM:
        append_u64(out, fl->v.u);
        break;
    case PEEL_FT_I8:
    case PEEL_FT_I16:
    case PEEL_FT_I32:
    case PEEL_FT_I64:
        if (fl->v.i < 0) {
            peel_gs_put(out, "-", 1);
            append_u64(out, 0ull - (uint64_t)fl->v.i);
        } else {
            append_u64(out, (uint64_t)fl->v.i);
        }
        break;
    case PEEL_FT_DOUBLE: /* PEEL_SHOW_DEC: tshark's DBL_DIG digits (protobuf values) */
        g_string_append_printf(out, def->show == PEEL_SHOW_DEC ? "%.15g" : "%.9g", fl->v.d);
        break;
    case PEEL_FT_IPV4:
        append_ipv4(out, (uint32_t)fl->v.u);
        break;
    case PEEL_FT_IPV6:
        if (fl->v.b.len == 16)
            peel_format_ipv6(out, fl->v.b.ptr);
        break;
    case PEEL_FT_ETHER:
        append_ether(out, fl->v.b.ptr, fl->v.b.len);
        break;
    case PEEL_FT_BYTES:
        append_hexbytes(out, fl->v.b.ptr, fl->v.b.len);
        break;
    case PEEL_FT_STRING:
        if (fl->flags & PEEL_FF_ADDR_TEXT) {
            if (fl->v.b.len == 16)
                peel_format_ipv6(out, fl->v.b.ptr);
            else if (fl->v.b.len == 4)
                append_ipv4(out, (uint32_t)fl->v.b.ptr[0] << 24 | (uint32_t)fl->v.b.ptr[1] << 16 |
                                         (uint32_t)fl->v.b.ptr[2] << 8 | fl->v.b.ptr[3]);
            break;
        }
        peel_format_escaped(out, fl->v.b.ptr, fl->v.b.len);
        break;
    case PEEL_FT_ABS_TIME:
        if (def->show == PEEL_SHOW_DEC) /* epoch form */
            append_rel_time(out, fl->v.t);
        else
            peel_format_abs_time(out, fl->v.t);
        break;
    case PEEL_FT_REL_TIME:
        append_rel_time(out, fl->v.t);
        break;
    case PEEL_FT_N_TYPES:
        break;
    }
    (void)pkt;
}

/* "0100 .... = " for bit fields: the field's bits over its width, grouped by four. */
static void
append_bit_pattern(GString *out, const PeelFieldDef *def, uint64_t raw_value)
{
    uint32_t width = def->width ? def->width : value_width(def);
    if (width > 8)
        width = 8;
    uint32_t bits = width * 8;
    uint32_t shift = (uint32_t)__builtin_ctzll(def->mask);
    uint64_t raw = raw_value << shift;
    for (uint32_t i = 0; i < bits; i++) {
        uint32_t bit = bits - 1 - i;
        if (i && i % 4 == 0)
            g_string_append_c(out, ' ');
        if (def->mask & ((uint64_t)1 << bit))
            g_string_append_c(out, (raw >> bit) & 1 ? '1' : '0');
        else
            g_string_append_c(out, '.');
    }
    PEEL_GS_LIT(out, " = ");
}

void
peel_format_tree_line(GString *out, const PeelPacket *pkt, const PeelField *fl)
{
    const PeelFieldDef *def = peel_field_def(fl->id);
    bool generated = (fl->flags & PEEL_FF_GENERATED) != 0;
    if (def->type == PEEL_FT_PROTOCOL || def->type == PEEL_FT_NONE) {
        if (generated)
            g_string_append_c(out, '[');
        peel_gs_puts(out, fl->text != NULL ? fl->text : def->title);
        if (generated)
            g_string_append_c(out, ']');
        return;
    }
    if (generated && (fl->text == NULL || fl->text[0] != '['))
        g_string_append_c(out, '[');
    /* A dissector's label may carry its own bit pattern ("1010 .... = Header Length"). */
    bool own_pattern = fl->text != NULL && (fl->text[0] == '.' || fl->text[0] == '0' ||
                                                   fl->text[0] == '1') &&
                       strstr(fl->text, " = ") != NULL;
    if (def->mask && (fl->flags & PEEL_FF_HAS_VALUE) && !own_pattern)
        append_bit_pattern(out, def, fl->v.u);
    if (fl->text != NULL) {
        /* the dissector's own wording, as tshark shows the item */
        peel_gs_puts(out, fl->text);
        if (generated && fl->text[0] != '[')
            g_string_append_c(out, ']');
        return;
    }
    peel_gs_puts(out, def->title);
    PEEL_GS_LIT(out, ": ");
    if (!(fl->flags & PEEL_FF_HAS_VALUE)) {
        peel_gs_puts(out, fl->flags & PEEL_FF_TRUNCATED ? "<truncated>" : "<missing>");
    } else if (def->type == PEEL_FT_BOOLEAN) {
        const char *name = peel_value_name(def->names, fl->v.u);
        peel_gs_puts(out, name ? name : fl->v.u ? (def->mask ? "Set" : "True")
                                                   : (def->mask ? "Not set" : "False"));
    } else if (def->type >= PEEL_FT_U8 && def->type <= PEEL_FT_U64) {
        const char *name = peel_value_name(def->names, fl->v.u);
        if (name != NULL && def->show == PEEL_SHOW_NONE) {
            peel_gs_puts(out, name); /* status-style values show the name alone */
        } else if (def->names != NULL && name == NULL && def->show == PEEL_SHOW_NONE) {
            g_string_append_printf(out, "Unknown (%" G_GUINT64_FORMAT ")", fl->v.u);
        } else if (name != NULL) {
            peel_gs_puts(out, name);
            PEEL_GS_LIT(out, " (");
            append_uint_base(out, def, fl->v.u);
            g_string_append_c(out, ')');
        } else if (G_UNLIKELY(stream_markers) && put_stream_marker(out, fl)) {
            /* the writing thread puts the capture's stream number here */
        } else {
            append_uint_base(out, def, fl->v.u);
            if (def->show == PEEL_SHOW_DEC_HEX || def->show == PEEL_SHOW_HEX_DEC) {
                PEEL_GS_LIT(out, " (");
                if (def->show == PEEL_SHOW_DEC_HEX)
                    append_hex(out, fl->v.u, 2 * value_width(def));
                else
                    append_u64(out, fl->v.u);
                g_string_append_c(out, ')');
            }
        }
    } else if (def->type == PEEL_FT_ABS_TIME && def->show == PEEL_SHOW_DEC) {
        peel_format_value(out, pkt, fl);
        PEEL_GS_LIT(out, " seconds");
    } else if (def->type == PEEL_FT_REL_TIME) {
        peel_format_value(out, pkt, fl);
        PEEL_GS_LIT(out, " seconds");
    } else {
        peel_format_value(out, pkt, fl);
    }
    if (generated)
        g_string_append_c(out, ']');
}

size_t
peel_addr_to_str(char out[PEEL_IPV6_STRLEN], const PeelAddr *addr)
{
    switch (addr->type) {
    case PEEL_AT_IPV4:
        return peel_ipv4_to_str(out, (uint32_t)addr->bytes[0] << 24 |
                                             (uint32_t)addr->bytes[1] << 16 |
                                             (uint32_t)addr->bytes[2] << 8 | addr->bytes[3]);
    case PEEL_AT_IPV6:
        return peel_ipv6_to_str(out, addr->bytes);
    case PEEL_AT_ETHER:
        for (int i = 0; i < 6; i++) {
            out[3 * i] = hexdigits[addr->bytes[i] >> 4];
            out[3 * i + 1] = hexdigits[addr->bytes[i] & 0xf];
            out[3 * i + 2] = i < 5 ? ':' : '\0';
        }
        return 17;
    default:
        out[0] = '\0';
        return 0;
    }
}

void
peel_format_addr(GString *out, const PeelAddr *addr)
{
    switch (addr->type) {
    case PEEL_AT_IPV4:
        append_ipv4(out, (uint32_t)addr->bytes[0] << 24 | (uint32_t)addr->bytes[1] << 16 |
                        (uint32_t)addr->bytes[2] << 8 | addr->bytes[3]);
        break;
    case PEEL_AT_IPV6:
        peel_format_ipv6(out, addr->bytes);
        break;
    case PEEL_AT_ETHER:
        append_ether(out, addr->bytes, 6);
        break;
    default:
        break;
    }
}
