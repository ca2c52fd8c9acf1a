/* dfilter-check.c: type-checks a parsed display filter and converts its literals to the
 * class of what they are compared with, as Wireshark 4.0's semantic check does: an
 * unquoted literal is read by the field's type (numbers in decimal, hex, octal or binary,
 * value names, True/False, IPv4/IPv6 with a prefix, MAC addresses, byte strings, times),
 * a quoted string is text (or bytes, or a value name). */
#include "dfilter-private.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"

DfClass
peel_df_class_of(PeelFieldType type)
{
    switch (type) {
    case PEEL_FT_NONE:
        return DF_C_NONE;
    case PEEL_FT_PROTOCOL:
        return DF_C_PROTO;
    case PEEL_FT_DOUBLE:
        return DF_C_DOUBLE;
    case PEEL_FT_IPV4:
        return DF_C_IPV4;
    case PEEL_FT_IPV6:
        return DF_C_IPV6;
    case PEEL_FT_ETHER:
        return DF_C_ETHER;
    case PEEL_FT_BYTES:
        return DF_C_BYTES;
    case PEEL_FT_STRING:
        return DF_C_STRING;
    case PEEL_FT_ABS_TIME:
        return DF_C_ABSTIME;
    case PEEL_FT_REL_TIME:
        return DF_C_RELTIME;
    default:
        return DF_C_INT;
    }
}

const char *
peel_df_class_name(DfClass cls)
{
    static const char *const names[] = {
        [DF_C_NONE] = "a label",
        [DF_C_PROTO] = "a protocol",
        [DF_C_INT] = "an integer",
        [DF_C_DOUBLE] = "a floating-point number",
        [DF_C_ABSTIME] = "an absolute time",
        [DF_C_RELTIME] = "a time offset",
        [DF_C_IPV4] = "an IPv4 address",
        [DF_C_IPV6] = "an IPv6 address",
        [DF_C_ETHER] = "a MAC address",
        [DF_C_BYTES] = "a byte sequence",
        [DF_C_STRING] = "a character string",
    };
    return cls < G_N_ELEMENTS(names) ? names[cls] : "a value";
}

static const char *
type_name(PeelFieldType t)
{
    switch (t) {
    case PEEL_FT_BOOLEAN:
        return "a boolean";
    case PEEL_FT_U8:
    case PEEL_FT_U16:
    case PEEL_FT_U24:
    case PEEL_FT_U32:
    case PEEL_FT_U64:
        return "an unsigned integer";
    case PEEL_FT_I8:
    case PEEL_FT_I16:
    case PEEL_FT_I32:
    case PEEL_FT_I64:
        return "a signed integer";
    case PEEL_FT_FRAMENUM:
        return "a frame number";
    default:
        return peel_df_class_name(peel_df_class_of(t));
    }
}

/* What an expression is, for messages: "udp.port (an unsigned integer)". */
static char *
describe(DfParser *ps, const DfExpr *e)
{
    char *s;
    if (e->kind == DF_X_FIELD)
        s = g_strdup_printf("%s (%s)", e->name, type_name(e->type));
    else
        s = g_strdup_printf("\"%.*s\" (%s)", (int)e->loc.len, ps->text + e->loc.start,
                peel_df_class_name(e->cls));
    g_ptr_array_add(ps->owned, s);
    return s;
}

static bool
looks_like_field(const char *w)
{
    if (!g_ascii_isalpha(w[0]))
        return false;
    for (const char *p = w; *p; p++)
        if (!g_ascii_isalnum(*p) && *p != '_' && *p != '.' && *p != '-')
            return false;
    return true;
}

static bool
unknown_name(DfParser *ps, const DfExpr *e)
{
    const char *hint = peel_field_suggest(e->text);
    if (hint != NULL)
        return peel_df_fail(ps, e->loc, PEEL_DFILTER_ERROR_FIELD,
                "unknown field \"%s\" (did you mean %s?)", e->text, hint);
    return peel_df_fail(ps, e->loc, PEEL_DFILTER_ERROR_FIELD,
            "\"%s\" is neither a field nor a protocol name", e->text);
}

/* ---- literal conversion ---- */

static bool
parse_int(const char *s, bool *neg, uint64_t *out)
{
    *neg = false;
    if (*s == '-')
        *neg = true, s++;
    int base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        base = 16, s += 2;
    else if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
        base = 2, s += 2;
    else if (s[0] == '0' && s[1] != '\0')
        base = 8, s += 1;
    if (*s == '\0')
        return false;
    uint64_t v = 0;
    for (; *s; s++) {
        int d = g_ascii_isdigit(*s)    ? *s - '0'
                : g_ascii_isxdigit(*s) ? g_ascii_xdigit_value(*s)
                                       : 99;
        if (d >= base)
            return false;
        if (v > (G_MAXUINT64 - (uint64_t)d) / (uint64_t)base)
            return false;
        v = v * (uint64_t)base + (uint64_t)d;
    }
    *out = v;
    return true;
}

static uint64_t
type_max(PeelFieldType t)
{
    switch (t) {
    case PEEL_FT_BOOLEAN:
        return G_MAXUINT64;
    case PEEL_FT_U8:
        return 0xff;
    case PEEL_FT_U16:
        return 0xffff;
    case PEEL_FT_U24:
        return 0xffffff;
    case PEEL_FT_U32:
    case PEEL_FT_FRAMENUM:
        return 0xffffffff;
    case PEEL_FT_I8:
        return 0x7f;
    case PEEL_FT_I16:
        return 0x7fff;
    case PEEL_FT_I32:
        return 0x7fffffff;
    case PEEL_FT_I64:
        return G_MAXINT64;
    default:
        return G_MAXUINT64;
    }
}

static bool
is_signed(PeelFieldType t)
{
    return t >= PEEL_FT_I8 && t <= PEEL_FT_I64;
}

/* A value name of any definition of the field (Wireshark compares them case-blind). */
static bool
value_by_name(const DfExpr *field, const char *name, uint64_t *out)
{
    if (field == NULL || field->kind != DF_X_FIELD)
        return false;
    for (uint32_t i = 0; i < field->n_ids; i++) {
        const PeelValueName *vn = peel_field_def(field->ids[i])->names;
        for (; vn != NULL && vn->name != NULL; vn++)
            if (g_ascii_strcasecmp(vn->name, name) == 0) {
                *out = vn->value;
                return true;
            }
    }
    return false;
}

static bool
to_int(DfParser *ps, DfExpr *lit, const DfExpr *field)
{
    DfVal *v = &lit->lit;
    const char *what = field && field->kind == DF_X_FIELD ? field->name : "this value";
    PeelFieldType type = field && field->kind == DF_X_FIELD ? field->type : PEEL_FT_U64;
    if (lit->tok == DF_TOK_CHAR) {
        v->u = (uint8_t)lit->text[0];
        return true;
    }
    if (lit->tok == DF_TOK_WORD && parse_int(lit->text, &v->neg, &v->u)) {
        if (v->neg && v->u == 0)
            v->neg = false;
        if (!v->neg && v->u > type_max(type))
            return peel_df_fail(ps, lit->loc, PEEL_DFILTER_ERROR_VALUE,
                    "\"%s\" too big for %s, maximum %" G_GUINT64_FORMAT, lit->text, what,
                    type_max(type));
        if (v->neg && is_signed(type) && v->u > type_max(type) + 1)
            return peel_df_fail(ps, lit->loc, PEEL_DFILTER_ERROR_VALUE,
                    "\"%s\" too small for %s, minimum -%" G_GUINT64_FORMAT, lit->text, what,
                    type_max(type) + 1);
        return true;
    }
    if (type == PEEL_FT_BOOLEAN && lit->tok == DF_TOK_WORD) {
        if (strcmp(lit->text, "True") == 0 || strcmp(lit->text, "TRUE") == 0) {
            v->u = 1;
            return true;
        }
        if (strcmp(lit->text, "False") == 0 || strcmp(lit->text, "FALSE") == 0) {
            v->u = 0;
            return true;
        }
    }
    if (value_by_name(field, lit->text, &v->u))
        return true;
    if (lit->tok == DF_TOK_WORD && looks_like_field(lit->text) && strchr(lit->text, '.'))
        return unknown_name(ps, lit);
    if (lit->tok == DF_TOK_STRING)
        return peel_df_fail(ps, lit->loc, PEEL_DFILTER_ERROR_VALUE,
                "\"%s\" is not a value name of %s, %s (numbers go without quotes)", lit->text, what,
                type_name(type));
    return peel_df_fail(ps, lit->loc, PEEL_DFILTER_ERROR_VALUE, "\"%s\" is not a valid number%s%s",
            lit->text,
            field && field->kind == DF_X_FIELD && peel_field_def(field->ids[0])->names
                    ? " nor a value name of "
                    : "",
            field && field->kind == DF_X_FIELD && peel_field_def(field->ids[0])->names ? what : "");
}

/* Seconds with up to nine decimals, optionally negative: 1.5, -0.000001. */
static bool
parse_seconds(const char *s, PeelTime *t)
{
    bool neg = *s == '-';
    if (neg)
        s++;
    if (!g_ascii_isdigit(*s) && !(*s == '.' && g_ascii_isdigit(s[1])))
        return false;
    int64_t sec = 0;
    for (; g_ascii_isdigit(*s); s++) {
        if (sec > G_MAXINT64 / 20)
            return false;
        sec = sec * 10 + (*s - '0');
    }
    int32_t nsec = 0;
    if (*s == '.') {
        s++;
        int k = 0;
        for (; g_ascii_isdigit(*s); s++, k++)
            if (k < 9)
                nsec = nsec * 10 + (*s - '0');
        for (; k < 9; k++)
            nsec *= 10;
    }
    if (*s != '\0')
        return false;
    if (neg) {
        sec = -sec;
        if (nsec) {
            sec -= 1;
            nsec = 1000000000 - nsec;
        }
    }
    *t = (PeelTime){ sec, nsec };
    return true;
}

/* "Nov 12, 1999 08:55:44.123", "2011-07-04 12:34:56", "2011-07-04T12:34:56Z": local time
 * unless it ends in Z, as Wireshark reads them. */
static bool
parse_abs_time(const char *s, PeelTime *t)
{
    static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
        "Sep", "Oct", "Nov", "Dec" };
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, n = 0;
    double sec = 0;
    char mon[4] = { 0 };
    const char *rest = NULL;
    if (sscanf(s, "%3s %d, %d %d:%d%n", mon, &d, &y, &h, &mi, &n) == 5) {
        for (int i = 0; i < 12; i++)
            if (g_ascii_strcasecmp(mon, months[i]) == 0)
                mo = i + 1;
        rest = s + n;
    } else if (sscanf(s, "%d-%d-%d%*1[ T]%d:%d%n", &y, &mo, &d, &h, &mi, &n) == 5) {
        rest = s + n;
    } else if (sscanf(s, "%3s %d, %d%n", mon, &d, &y, &n) == 3 && s[n] == '\0') {
        for (int i = 0; i < 12; i++)
            if (g_ascii_strcasecmp(mon, months[i]) == 0)
                mo = i + 1;
        rest = s + n;
    } else if (sscanf(s, "%d-%d-%d%n", &y, &mo, &d, &n) == 3 && s[n] == '\0') {
        rest = s + n;
    } else {
        return false;
    }
    bool utc = false;
    int32_t nsec = 0;
    if (*rest == ':') {
        rest++;
        if (!g_ascii_isdigit(*rest))
            return false;
        int isec = 0;
        while (g_ascii_isdigit(*rest))
            isec = isec * 10 + (*rest++ - '0');
        sec = isec;
        if (*rest == '.') {
            rest++;
            int k = 0;
            for (; g_ascii_isdigit(*rest); rest++, k++)
                if (k < 9)
                    nsec = nsec * 10 + (*rest - '0');
            for (; k < 9; k++)
                nsec *= 10;
        }
    }
    if (*rest == 'Z' || strcmp(rest, " UTC") == 0) {
        utc = true;
        rest += *rest == 'Z' ? 1 : 4;
    }
    if (*rest != '\0' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
        return false;
    GTimeZone *tz = utc ? g_time_zone_new_utc() : g_time_zone_new_local();
    GDateTime *dt = g_date_time_new(tz, y, mo, d, h, mi, sec);
    g_time_zone_unref(tz);
    if (dt == NULL)
        return false;
    *t = (PeelTime){ g_date_time_to_unix(dt), nsec };
    g_date_time_unref(dt);
    return true;
}

/* aa:bb:cc, aa-bb-cc, aa.bb.cc, aabbcc, 0000.0000.0000: false when not hex. */
static bool
parse_bytes(DfParser *ps, const char *s, uint8_t **out, uint32_t *len)
{
    size_t n = strlen(s);
    uint8_t *buf = peel_df_new(ps, n / 2 + 1);
    uint32_t k = 0;
    const char *p = s;
    while (*p) {
        const char *g = p;
        while (g_ascii_isxdigit(*p))
            p++;
        size_t gl = (size_t)(p - g);
        if (gl == 0)
            return false;
        if (gl == 1) {
            buf[k++] = (uint8_t)g_ascii_xdigit_value(g[0]);
        } else {
            if (gl % 2)
                return false;
            for (size_t i = 0; i < gl; i += 2)
                buf[k++] =
                        (uint8_t)(g_ascii_xdigit_value(g[i]) << 4 | g_ascii_xdigit_value(g[i + 1]));
        }
        if (*p == '\0')
            break;
        if (*p != ':' && *p != '-' && *p != '.')
            return false;
        p++;
        if (*p == '\0')
            return false;
    }
    *out = buf;
    *len = k;
    return true;
}

static bool
addr_prefix(DfParser *ps, DfExpr *lit, char *text, int max, uint8_t *prefix)
{
    char *slash = strchr(text, '/');
    *prefix = (uint8_t)max;
    if (slash == NULL)
        return true;
    *slash = '\0';
    char *end = NULL;
    long bits = strtol(slash + 1, &end, 10);
    if (end == slash + 1 || *end != '\0' || bits < 0)
        return peel_df_fail(ps, lit->loc, PEEL_DFILTER_ERROR_VALUE,
                "\"%s\" is not a valid prefix length", slash + 1);
    if (bits > max)
        return peel_df_fail(ps, lit->loc, PEEL_DFILTER_ERROR_VALUE,
                "netmask bits in a CIDR %s address should be <= %d, not %ld",
                max == 32 ? "IPv4" : "IPv6", max, bits);
    *prefix = (uint8_t)bits;
    return true;
}

static bool
literal_as(DfParser *ps, DfExpr *lit, DfClass cls, const DfExpr *other)
{
    DfVal *v = &lit->lit;
    memset(v, 0, sizeof *v);
    v->cls = (uint8_t)cls;
    lit->cls = (uint8_t)cls;
    bool word = lit->tok == DF_TOK_WORD;
    const char *what = other->kind == DF_X_FIELD ? other->name : "the other side";
    switch (cls) {
    case DF_C_NONE:
        return peel_df_fail(ps, other->loc, PEEL_DFILTER_ERROR_TYPE,
                "%s is a label without a value: test it alone", other->name);
    case DF_C_INT:
        return to_int(ps, lit, other->kind == DF_X_BITAND ? other->arg : other);
    case DF_C_DOUBLE: {
        char *end = NULL;
        v->d = g_ascii_strtod(lit->text, &end);
        if (word && end != lit->text && *end == '\0')
            return true;
        break;
    }
    case DF_C_RELTIME:
        if (word && parse_seconds(lit->text, &v->t))
            return true;
        break;
    case DF_C_ABSTIME:
        if (lit->tok == DF_TOK_STRING && parse_abs_time(lit->text, &v->t))
            return true;
        if (word && other->kind == DF_X_FIELD &&
                peel_field_def(other->ids[0])->show == PEEL_SHOW_DEC &&
                parse_seconds(lit->text, &v->t))
            return true; /* frame.time_epoch > 1600000000 */
        return peel_df_fail(ps, lit->loc, PEEL_DFILTER_ERROR_VALUE,
                "\"%s\" is not a valid absolute time. Example: \"Nov 12, 1999 08:55:44.123\" "
                "or \"2011-07-04 12:34:56\"",
                lit->text);
    case DF_C_IPV4: {
        if (!word)
            break;
        char *text = g_strdup(lit->text);
        g_ptr_array_add(ps->owned, text);
        if (!addr_prefix(ps, lit, text, 32, &v->prefix))
            return false;
        struct in_addr a;
        if (inet_pton(AF_INET, text, &a) != 1)
            return peel_df_fail(ps, lit->loc, PEEL_DFILTER_ERROR_VALUE,
                    "\"%s\" is not a valid IPv4 address (peel does not resolve names)", lit->text);
        v->u = g_ntohl(a.s_addr);
        return true;
    }
    case DF_C_IPV6: {
        if (!word)
            break;
        char *text = g_strdup(lit->text);
        g_ptr_array_add(ps->owned, text);
        if (!addr_prefix(ps, lit, text, 128, &v->prefix))
            return false;
        uint8_t *buf = peel_df_new(ps, 16);
        if (inet_pton(AF_INET6, text, buf) != 1)
            return peel_df_fail(ps, lit->loc, PEEL_DFILTER_ERROR_VALUE,
                    "\"%s\" is not a valid IPv6 address (peel does not resolve names)", lit->text);
        v->p = buf;
        v->len = 16;
        return true;
    }
    case DF_C_ETHER: {
        uint8_t *buf = NULL;
        if (!word)
            break;
        if (!parse_bytes(ps, lit->text, &buf, &v->len)) {
            if (looks_like_field(lit->text) && strchr(lit->text, '.'))
                return unknown_name(ps, lit);
            return peel_df_fail(ps, lit->loc, PEEL_DFILTER_ERROR_VALUE,
                    "\"%s\" is not a valid MAC address", lit->text);
        }
        if (v->len != 6)
            return peel_df_fail(ps, lit->loc, PEEL_DFILTER_ERROR_VALUE,
                    "\"%s\" contains too %s bytes to be a valid Ethernet address", lit->text,
                    v->len < 6 ? "few" : "many");
        v->p = buf;
        return true;
    }
    case DF_C_PROTO:
    case DF_C_BYTES:
        v->cls = DF_C_BYTES;
        if (word) {
            uint8_t *buf = NULL;
            if (parse_bytes(ps, lit->text, &buf, &v->len)) {
                v->p = buf;
                return true;
            }
            if (looks_like_field(lit->text) && strchr(lit->text, '.'))
                return unknown_name(ps, lit);
            return peel_df_fail(ps, lit->loc, PEEL_DFILTER_ERROR_VALUE,
                    "\"%s\" is not a valid byte string (write aa:bb:cc, or a quoted string)",
                    lit->text);
        }
        v->p = (const uint8_t *)lit->text;
        v->len = lit->text_len;
        return true;
    case DF_C_STRING:
        v->p = (const uint8_t *)lit->text;
        v->len = lit->text_len;
        return true;
    }
    if (word && looks_like_field(lit->text) && strchr(lit->text, '.'))
        return unknown_name(ps, lit);
    return peel_df_fail(ps, lit->loc, PEEL_DFILTER_ERROR_VALUE,
            "%s%s%s cannot be read as %s, the type of %s", lit->tok == DF_TOK_WORD ? "" : "\"",
            lit->text, lit->tok == DF_TOK_WORD ? "" : "\"", peel_df_class_name(cls), what);
}

/* ---- expressions ---- */

static bool check_value(DfParser *ps, DfExpr *e);

static bool
sliceable(DfClass c)
{
    return c == DF_C_PROTO || c == DF_C_BYTES || c == DF_C_STRING || c == DF_C_ETHER ||
           c == DF_C_IPV6 || c == DF_C_IPV4;
}

static bool
check_value(DfParser *ps, DfExpr *e)
{
    switch (e->kind) {
    case DF_X_FIELD:
        e->cls = (uint8_t)peel_df_class_of(e->type);
        return true;
    case DF_X_LITERAL:
        return true; /* converted by its context */
    case DF_X_SLICE:
        if (e->arg->kind == DF_X_LITERAL)
            return peel_df_fail(ps, e->arg->loc, PEEL_DFILTER_ERROR_TYPE,
                    "only fields can be sliced, not \"%s\"", e->arg->text);
        if (!check_value(ps, e->arg))
            return false;
        if (!sliceable(e->arg->cls))
            return peel_df_fail(ps, e->arg->loc, PEEL_DFILTER_ERROR_TYPE,
                    "%s cannot be sliced into a sequence of bytes", describe(ps, e->arg));
        e->cls = DF_C_BYTES;
        return true;
    case DF_X_FUNC: {
        static const char *const fname[] = { "len", "count", "lower", "upper", "string" };
        if (e->arg->kind != DF_X_FIELD)
            return peel_df_fail(ps, e->arg->loc, PEEL_DFILTER_ERROR_TYPE,
                    "only fields can be used as parameter for %s()", fname[e->func]);
        check_value(ps, e->arg);
        if ((e->func == DF_FN_LOWER || e->func == DF_FN_UPPER) && e->arg->cls != DF_C_STRING)
            return peel_df_fail(ps, e->arg->loc, PEEL_DFILTER_ERROR_TYPE,
                    "only string fields can be used as parameter for %s(); %s is %s",
                    fname[e->func], e->arg->name, type_name(e->arg->type));
        if (e->func == DF_FN_STRING && (e->arg->cls == DF_C_NONE || e->arg->cls == DF_C_PROTO))
            return peel_df_fail(ps, e->arg->loc, PEEL_DFILTER_ERROR_TYPE,
                    "%s has no value to convert with string()", e->arg->name);
        e->cls = e->func == DF_FN_LEN || e->func == DF_FN_COUNT ? DF_C_INT : DF_C_STRING;
        return true;
    }
    case DF_X_BITAND:
        if (e->arg->kind == DF_X_LITERAL)
            return peel_df_fail(ps, e->arg->loc, PEEL_DFILTER_ERROR_TYPE,
                    "the left side of \"&\" must be a field, not \"%s\"", e->arg->text);
        if (!check_value(ps, e->arg))
            return false;
        if (e->arg->cls != DF_C_INT && e->arg->cls != DF_C_BYTES && e->arg->cls != DF_C_PROTO)
            return peel_df_fail(ps, e->arg->loc, PEEL_DFILTER_ERROR_TYPE,
                    "%s cannot be combined with \"&\"", describe(ps, e->arg));
        e->cls = e->arg->cls == DF_C_PROTO ? DF_C_BYTES : e->arg->cls;
        if (e->mask->kind != DF_X_LITERAL)
            return peel_df_fail(ps, e->mask->loc, PEEL_DFILTER_ERROR_TYPE,
                    "the right side of \"&\" must be a literal value");
        return literal_as(ps, e->mask, e->cls, e->arg);
    }
    return false;
}

/* The side a test reads from must not be a bare literal. */
static bool
check_lhs(DfParser *ps, DfExpr *a, const char *op)
{
    if (a->kind != DF_X_LITERAL)
        return check_value(ps, a);
    if (a->tok == DF_TOK_WORD && looks_like_field(a->text) &&
            (strchr(a->text, '.') != NULL || op == NULL))
        return unknown_name(ps, a);
    if (op == NULL)
        return peel_df_fail(ps, a->loc, PEEL_DFILTER_ERROR_FIELD,
                "\"%.*s\" is neither a field nor a protocol name", (int)a->loc.len,
                ps->text + a->loc.start);
    return peel_df_fail(ps, a->loc, PEEL_DFILTER_ERROR_SYNTAX,
            "left side of \"%s\" expression must be a field or function, not %.*s", op,
            (int)a->loc.len, ps->text + a->loc.start);
}

static bool
compatible(DfClass a, DfClass b)
{
    if (a == b)
        return a != DF_C_NONE;
    bool ab = a == DF_C_BYTES || a == DF_C_PROTO, bb = b == DF_C_BYTES || b == DF_C_PROTO;
    return ab && bb;
}

static bool
check_cmp(DfParser *ps, DfTest *t)
{
    char op[16];
    g_snprintf(op, sizeof op, "%.*s", (int)MIN(t->op_loc.len, 15u), ps->text + t->op_loc.start);
    if (!check_lhs(ps, t->a, op))
        return false;
    DfClass ca = t->a->cls;
    if (ca == DF_C_NONE)
        return peel_df_fail(ps, t->a->loc, PEEL_DFILTER_ERROR_TYPE,
                "%s is a label without a value: test it alone, without \"%s\"", t->a->name, op);
    if (t->op == DF_OP_CONTAINS || t->op == DF_OP_MATCHES) {
        if (ca != DF_C_PROTO && ca != DF_C_BYTES && ca != DF_C_STRING)
            return peel_df_fail(ps, t->a->loc, PEEL_DFILTER_ERROR_TYPE,
                    "%s cannot participate in %s comparison", describe(ps, t->a), op);
    }
    if (t->op == DF_OP_MATCHES) {
        if (t->b->kind != DF_X_LITERAL || t->b->tok == DF_TOK_CHAR)
            return peel_df_fail(ps, t->b->loc, PEEL_DFILTER_ERROR_TYPE,
                    "the right side of \"matches\" must be a regular expression in quotes");
        g_autoptr(GError) err = NULL;
        /* Wireshark 4.0 matches case-blind unless the pattern says (?-i); RAW: the
         * subject is bytes, not necessarily UTF-8. */
        t->re = g_regex_new(t->b->text, G_REGEX_CASELESS | G_REGEX_RAW | G_REGEX_OPTIMIZE, 0, &err);
        if (t->re == NULL)
            return peel_df_fail(ps, t->b->loc, PEEL_DFILTER_ERROR_VALUE,
                    "regular expression error: %s", err->message);
        g_ptr_array_add(ps->regexes, t->re);
        t->b->cls = DF_C_STRING;
        return true;
    }
    if (t->b->kind == DF_X_LITERAL)
        return literal_as(ps, t->b, ca, t->a);
    if (!check_value(ps, t->b))
        return false;
    if (!compatible(ca, t->b->cls))
        return peel_df_fail(ps, t->b->loc, PEEL_DFILTER_ERROR_TYPE,
                "%.*s and %.*s are not of compatible types", (int)t->a->loc.len,
                ps->text + t->a->loc.start, (int)t->b->loc.len, ps->text + t->b->loc.start);
    return true;
}

static bool
check_in(DfParser *ps, DfTest *t)
{
    if (!check_lhs(ps, t->a, "in"))
        return false;
    if (t->a->kind != DF_X_FIELD) /* as tshark 4.0 */
        return peel_df_fail(ps, t->a->loc, PEEL_DFILTER_ERROR_TYPE,
                "only a field may be tested for membership in a set");
    DfClass ca = t->a->cls;
    if (ca == DF_C_NONE)
        return peel_df_fail(ps, t->a->loc, PEEL_DFILTER_ERROR_TYPE,
                "%s is a label without a value: test it alone", t->a->name);
    for (uint32_t i = 0; i < t->n_set; i++) {
        DfExpr *ends[2] = { t->set[i].lo, t->set[i].hi };
        for (int k = 0; k < 2 && ends[k] != NULL; k++) {
            if (ends[k]->kind != DF_X_LITERAL)
                return peel_df_fail(ps, ends[k]->loc, PEEL_DFILTER_ERROR_TYPE,
                        "set members must be literal values");
            if (!literal_as(ps, ends[k], ca, t->a))
                return false;
        }
    }
    return true;
}

bool
peel_df_check(DfParser *ps, DfTest *t)
{
    switch (t->kind) {
    case DF_T_AND:
    case DF_T_OR:
    case DF_T_XOR:
        for (uint32_t i = 0; i < t->n_kids; i++)
            if (!peel_df_check(ps, t->kids[i]))
                return false;
        return true;
    case DF_T_NOT:
        return peel_df_check(ps, t->l);
    case DF_T_EXISTS:
        return check_lhs(ps, t->a, NULL);
    case DF_T_CMP:
        return check_cmp(ps, t);
    case DF_T_IN:
        return check_in(ps, t);
    case DF_T_TRUE:
        return true;
    }
    return false;
}
