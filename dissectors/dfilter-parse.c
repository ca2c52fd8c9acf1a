/* dfilter-parse.c: the display-filter scanner and recursive-descent parser (Wireshark 4.0
 * grammar, see wireshark-filter(4): tests joined by and/or/not, relations between fields,
 * functions, slices and literals, sets with ranges). Names are resolved to field ids here;
 * literals stay text until dfilter-check.c knows what they are compared with. */
#include "dfilter-private.h"

#include <stdio.h>
#include <string.h>

#include "registry.h"

typedef enum {
    K_END,
    K_LPAREN,
    K_RPAREN,
    K_LBRACE,
    K_RBRACE,
    K_LBRACKET,
    K_RBRACKET,
    K_COMMA,
    K_DOTDOT,
    K_AND,
    K_OR,
    K_XOR,
    K_NOT,
    K_CMP,
    K_IN,
    K_BITAND,
    K_ANY,
    K_ALL,
    K_WORD,
    K_STRING,
    K_CHAR,
    K_BAD, /* a character that starts no token */
} Kind;

/* How a comparison token fixes the quantifier. */
enum { Q_DEFAULT, Q_ANY, Q_ALL };

typedef struct {
    Kind kind;
    uint32_t start, len;
    DfOp op;
    int quant;
} Tok;

static PeelDfilterLoc
loc_of(const Tok *t)
{
    return (PeelDfilterLoc){ t->start, t->len ? t->len : 1 };
}

static PeelDfilterLoc
loc_span(PeelDfilterLoc a, PeelDfilterLoc b)
{
    uint32_t end = MAX(a.start + a.len, b.start + b.len);
    return (PeelDfilterLoc){ a.start, end - a.start };
}

bool
peel_df_fail(DfParser *ps, PeelDfilterLoc loc, PeelDfilterError code, const char *fmt, ...)
{
    if (ps->error != NULL)
        return false;
    va_list ap;
    va_start(ap, fmt);
    ps->error = g_error_new_valist(PEEL_DFILTER_ERROR, (gint)code, fmt, ap);
    va_end(ap);
    ps->loc = loc;
    return false;
}

void *
peel_df_new(DfParser *ps, size_t size)
{
    void *p = g_malloc0(size);
    g_ptr_array_add(ps->owned, p);
    return p;
}

/* ---- scanner ---- */

static bool
is_word_char(char c)
{
    return g_ascii_isalnum(c) || c == '_' || c == '.' || c == ':' || c == '-' || c == '/';
}

static const struct {
    const char *word;
    Kind kind;
    DfOp op;
    int quant;
} keywords[] = {
    { "and", K_AND, 0, 0 },
    { "or", K_OR, 0, 0 },
    { "xor", K_XOR, 0, 0 },
    { "not", K_NOT, 0, 0 },
    { "in", K_IN, 0, 0 },
    { "any", K_ANY, 0, 0 },
    { "all", K_ALL, 0, 0 },
    { "eq", K_CMP, DF_OP_EQ, Q_DEFAULT },
    { "any_eq", K_CMP, DF_OP_EQ, Q_ANY },
    { "all_eq", K_CMP, DF_OP_EQ, Q_ALL },
    { "ne", K_CMP, DF_OP_NE, Q_DEFAULT },
    { "all_ne", K_CMP, DF_OP_NE, Q_ALL },
    { "any_ne", K_CMP, DF_OP_NE, Q_ANY },
    { "gt", K_CMP, DF_OP_GT, 0 },
    { "lt", K_CMP, DF_OP_LT, 0 },
    { "ge", K_CMP, DF_OP_GE, 0 },
    { "le", K_CMP, DF_OP_LE, 0 },
    { "contains", K_CMP, DF_OP_CONTAINS, 0 },
    { "matches", K_CMP, DF_OP_MATCHES, 0 },
};

static const struct {
    const char *sym;
    Kind kind;
    DfOp op;
    int quant;
} symbols[] = {
    /* longest first */
    { "===", K_CMP, DF_OP_EQ, Q_ALL },
    { "!==", K_CMP, DF_OP_NE, Q_ANY },
    { "==", K_CMP, DF_OP_EQ, Q_DEFAULT },
    { "!=", K_CMP, DF_OP_NE, Q_DEFAULT },
    { "~=", K_CMP, DF_OP_NE, Q_ANY },
    { ">=", K_CMP, DF_OP_GE, 0 },
    { "<=", K_CMP, DF_OP_LE, 0 },
    { "&&", K_AND, 0, 0 },
    { "||", K_OR, 0, 0 },
    { "^^", K_XOR, 0, 0 },
    { "..", K_DOTDOT, 0, 0 },
    { ">", K_CMP, DF_OP_GT, 0 },
    { "<", K_CMP, DF_OP_LT, 0 },
    { "~", K_CMP, DF_OP_MATCHES, 0 },
    { "!", K_NOT, 0, 0 },
    { "&", K_BITAND, 0, 0 },
    { "(", K_LPAREN, 0, 0 },
    { ")", K_RPAREN, 0, 0 },
    { "{", K_LBRACE, 0, 0 },
    { "}", K_RBRACE, 0, 0 },
    { "[", K_LBRACKET, 0, 0 },
    { "]", K_RBRACKET, 0, 0 },
    { ",", K_COMMA, 0, 0 },
};

static void
skip_space(DfParser *ps)
{
    while (ps->pos < ps->len && g_ascii_isspace(ps->text[ps->pos]))
        ps->pos++;
}

/* Scans the token at the current position without consuming it. */
static Tok
peek(DfParser *ps)
{
    skip_space(ps);
    Tok t = { K_END, ps->pos, 0, 0, 0 };
    if (ps->pos >= ps->len)
        return t;
    const char *s = ps->text + ps->pos;
    uint32_t left = ps->len - ps->pos;
    /* r"raw strings", "strings" and 'c' characters */
    if (*s == '"' || ((*s == 'r' || *s == 'R') && left > 1 && s[1] == '"') || *s == '\'') {
        bool raw = *s != '"' && *s != '\'';
        char q = raw ? '"' : *s;
        uint32_t i = raw ? 2 : 1;
        while (i < left && s[i] != q) {
            if (s[i] == '\\' && i + 1 < left)
                i++;
            i++;
        }
        t.kind = q == '\'' ? K_CHAR : K_STRING;
        t.len = i < left ? i + 1 : left;
        if (i >= left)
            t.kind = K_BAD; /* unterminated: reported by the caller */
        return t;
    }
    if (is_word_char(*s) && !(left > 1 && s[0] == '.' && s[1] == '.')) {
        uint32_t i = 0;
        while (i < left && is_word_char(s[i])) {
            if (s[i] == '.' && i + 1 < left && s[i + 1] == '.')
                break; /* 10..20 in a set */
            i++;
        }
        t.kind = K_WORD;
        t.len = i;
        for (size_t k = 0; k < G_N_ELEMENTS(keywords); k++)
            if (strlen(keywords[k].word) == i && strncmp(keywords[k].word, s, i) == 0) {
                t.kind = keywords[k].kind;
                t.op = keywords[k].op;
                t.quant = keywords[k].quant;
            }
        return t;
    }
    for (size_t k = 0; k < G_N_ELEMENTS(symbols); k++) {
        size_t n = strlen(symbols[k].sym);
        if (n <= left && strncmp(symbols[k].sym, s, n) == 0) {
            t.kind = symbols[k].kind;
            t.len = (uint32_t)n;
            t.op = symbols[k].op;
            t.quant = symbols[k].quant;
            return t;
        }
    }
    t.kind = K_BAD;
    t.len = 1;
    while (t.len < left && ((unsigned char)s[t.len] & 0xc0) == 0x80)
        t.len++; /* the whole UTF-8 character */
    return t;
}

static Tok
next(DfParser *ps)
{
    Tok t = peek(ps);
    ps->pos = t.start + t.len;
    return t;
}

static bool
unexpected(DfParser *ps, const Tok *t)
{
    if (t->kind == K_END)
        return peel_df_fail(ps, (PeelDfilterLoc){ ps->len, 1 }, PEEL_DFILTER_ERROR_SYNTAX,
                "unexpected end of filter expression");
    if (t->kind == K_BAD && (ps->text[t->start] == '"' || ps->text[t->start] == '\'' ||
                                    ps->text[t->start] == 'r' || ps->text[t->start] == 'R'))
        return peel_df_fail(
                ps, loc_of(t), PEEL_DFILTER_ERROR_SYNTAX, "the closing quote is missing");
    return peel_df_fail(ps, loc_of(t), PEEL_DFILTER_ERROR_SYNTAX,
            "\"%.*s\" was unexpected in this context", (int)t->len, ps->text + t->start);
}

static bool
expect(DfParser *ps, Kind kind)
{
    Tok t = next(ps);
    if (t.kind != kind)
        return unexpected(ps, &t);
    return true;
}

static int
hexval(char c)
{
    return g_ascii_isxdigit(c) ? g_ascii_xdigit_value(c) : -1;
}

/* Resolves escapes of a quoted token into a new buffer (Wireshark's: \\ \" \' \a \b \f \n
 * \r \t \v \xhh \ooo). Raw strings keep backslashes. */
static char *
unescape(DfParser *ps, const Tok *t, uint32_t *out_len)
{
    const char *s = ps->text + t->start;
    bool raw = *s == 'r' || *s == 'R';
    uint32_t i = raw ? 2 : 1, end = t->len - 1;
    char *out = peel_df_new(ps, end + 1);
    uint32_t n = 0;
    while (i < end) {
        char c = s[i++];
        if (c != '\\' || raw) {
            out[n++] = c;
            continue;
        }
        char e = s[i++];
        switch (e) {
        case 'a':
            out[n++] = '\a';
            break;
        case 'b':
            out[n++] = '\b';
            break;
        case 'f':
            out[n++] = '\f';
            break;
        case 'n':
            out[n++] = '\n';
            break;
        case 'r':
            out[n++] = '\r';
            break;
        case 't':
            out[n++] = '\t';
            break;
        case 'v':
            out[n++] = '\v';
            break;
        case '\\':
        case '"':
        case '\'':
            out[n++] = e;
            break;
        case 'x': {
            int v = 0, k = 0;
            while (k < 2 && i < end && hexval(s[i]) >= 0)
                v = v * 16 + hexval(s[i++]), k++;
            if (k == 0) {
                peel_df_fail(ps, (PeelDfilterLoc){ t->start + i - 2, 2 }, PEEL_DFILTER_ERROR_SYNTAX,
                        "\\x needs one or two hex digits");
                return NULL;
            }
            out[n++] = (char)v;
            break;
        }
        default:
            if (e >= '0' && e <= '7') {
                int v = e - '0', k = 1;
                while (k < 3 && i < end && s[i] >= '0' && s[i] <= '7')
                    v = v * 8 + (s[i++] - '0'), k++;
                if (v > 255) {
                    peel_df_fail(ps, (PeelDfilterLoc){ t->start + i - 4, 4 },
                            PEEL_DFILTER_ERROR_SYNTAX, "octal escape above \\377");
                    return NULL;
                }
                out[n++] = (char)v;
                break;
            }
            peel_df_fail(ps, (PeelDfilterLoc){ t->start + i - 2, 2 }, PEEL_DFILTER_ERROR_SYNTAX,
                    "invalid escape sequence \\%c", e);
            return NULL;
        }
    }
    out[n] = '\0';
    *out_len = n;
    return out;
}

/* ---- names: every field id under a name (some names have several definitions) ---- */

static GHashTable *names; /* name -> GArray of guint32 ids */

static void
names_build(void)
{
    names = g_hash_table_new(g_str_hash, g_str_equal);
    for (uint32_t id = 0; id < peel_field_count(); id++) {
        const char *n = peel_field_def(id)->name;
        GArray *a = g_hash_table_lookup(names, n);
        if (a == NULL) {
            a = g_array_new(FALSE, FALSE, sizeof(guint32));
            g_hash_table_insert(names, (gpointer)n, a);
        }
        g_array_append_val(a, id);
    }
}

static GArray *
field_ids(const char *name)
{
    static gsize once = 0;
    if (g_once_init_enter(&once)) {
        names_build();
        g_once_init_leave(&once, 1);
    }
    return g_hash_table_lookup(names, name);
}

/* ---- the grammar ---- */

static DfTest *parse_or(DfParser *ps);
static DfExpr *parse_value(DfParser *ps);

static DfExpr *
new_expr(DfParser *ps, DfXKind kind, PeelDfilterLoc loc)
{
    DfExpr *e = peel_df_new(ps, sizeof *e);
    e->kind = kind;
    e->loc = loc;
    return e;
}

static DfExpr *
word_expr(DfParser *ps, const Tok *t)
{
    char *w = peel_df_new(ps, t->len + 1);
    memcpy(w, ps->text + t->start, t->len);
    GArray *ids = field_ids(w);
    if (ids != NULL) {
        DfExpr *e = new_expr(ps, DF_X_FIELD, loc_of(t));
        e->name = peel_field_def(g_array_index(ids, guint32, 0))->name;
        e->ids = (uint32_t *)ids->data;
        e->n_ids = ids->len;
        e->type = peel_field_def(e->ids[0])->type;
        return e;
    }
    DfExpr *e = new_expr(ps, DF_X_LITERAL, loc_of(t));
    e->tok = DF_TOK_WORD;
    e->text = w;
    e->text_len = t->len;
    return e;
}

static const struct {
    const char *name;
    DfFunc func;
} functions[] = {
    { "len", DF_FN_LEN },
    { "count", DF_FN_COUNT },
    { "lower", DF_FN_LOWER },
    { "upper", DF_FN_UPPER },
    { "string", DF_FN_STRING },
};

static DfExpr *
parse_call(DfParser *ps, const Tok *name)
{
    int which = -1;
    for (size_t k = 0; k < G_N_ELEMENTS(functions); k++)
        if (strlen(functions[k].name) == name->len &&
                strncmp(functions[k].name, ps->text + name->start, name->len) == 0)
            which = (int)k;
    if (which < 0) {
        peel_df_fail(ps, loc_of(name), PEEL_DFILTER_ERROR_SYNTAX,
                "function '%.*s' does not exist (known: len, count, lower, upper, string)",
                (int)name->len, ps->text + name->start);
        return NULL;
    }
    next(ps); /* ( */
    if (++ps->depth > PEEL_DFILTER_MAX_DEPTH) {
        peel_df_fail(ps, loc_of(name), PEEL_DFILTER_ERROR_LIMIT, "the filter nests too deeply");
        return NULL;
    }
    DfExpr *arg = parse_value(ps);
    ps->depth--;
    if (arg == NULL)
        return NULL;
    Tok close = next(ps);
    if (close.kind != K_RPAREN) {
        unexpected(ps, &close);
        return NULL;
    }
    DfExpr *e = new_expr(ps, DF_X_FUNC, loc_span(loc_of(name), loc_of(&close)));
    e->func = functions[which].func;
    e->arg = arg;
    return e;
}

/* A signed decimal number in a slice; false when there is none. */
static bool
slice_number(DfParser *ps, int32_t *out)
{
    uint32_t p = ps->pos;
    bool neg = false;
    if (p < ps->len && ps->text[p] == '-')
        neg = true, p++;
    if (p >= ps->len || !g_ascii_isdigit(ps->text[p]))
        return false;
    int64_t v = 0;
    while (p < ps->len && g_ascii_isdigit(ps->text[p])) {
        v = v * 10 + (ps->text[p++] - '0');
        if (v > G_MAXINT32) {
            peel_df_fail(ps, (PeelDfilterLoc){ ps->pos, p - ps->pos }, PEEL_DFILTER_ERROR_SYNTAX,
                    "slice offset is too large");
            return false;
        }
    }
    *out = (int32_t)(neg ? -v : v);
    ps->pos = p;
    return true;
}

static bool
bad_slice(DfParser *ps)
{
    skip_space(ps);
    uint32_t n = 1;
    while (ps->pos + n < ps->len && is_word_char(ps->text[ps->pos + n]))
        n++;
    if (ps->pos >= ps->len)
        return unexpected(ps, &(Tok){ K_END, ps->len, 0, 0, 0 });
    return peel_df_fail(ps, (PeelDfilterLoc){ ps->pos, n }, PEEL_DFILTER_ERROR_SYNTAX,
            "\"%.*s\" is not a valid slice: use [i], [i:len], [i-j], [i:] or [:len]", (int)n,
            ps->text + ps->pos);
}

/* Ranges after '[': i, i:len, i-j, i:, :len, separated by commas, up to ']'. */
static DfExpr *
parse_slice(DfParser *ps, DfExpr *arg, PeelDfilterLoc open)
{
    g_autoptr(GArray) ranges = g_array_new(FALSE, FALSE, sizeof(DfRange));
    for (;;) {
        skip_space(ps);
        DfRange r = { 0, 1 };
        int32_t a = 0, b = 0;
        if (ps->pos < ps->len && ps->text[ps->pos] == ':') {
            ps->pos++;
            skip_space(ps);
            if (!slice_number(ps, &b) || b < 0)
                return bad_slice(ps), NULL;
            r = (DfRange){ 0, b };
        } else {
            if (!slice_number(ps, &a))
                return bad_slice(ps), NULL;
            r.start = a;
            skip_space(ps);
            char c = ps->pos < ps->len ? ps->text[ps->pos] : '\0';
            if (c == ':') {
                ps->pos++;
                skip_space(ps);
                if (slice_number(ps, &b)) {
                    if (b < 0)
                        return bad_slice(ps), NULL;
                    r.len = b;
                } else {
                    r.len = -1;
                }
            } else if (c == '-') {
                ps->pos++;
                skip_space(ps);
                if (!slice_number(ps, &b) || b < a || a < 0)
                    return bad_slice(ps), NULL;
                r.len = b - a + 1;
            }
        }
        if (ps->error != NULL)
            return NULL;
        if (ranges->len >= 64) {
            peel_df_fail(ps, open, PEEL_DFILTER_ERROR_LIMIT, "more than 64 ranges in a slice");
            return NULL;
        }
        g_array_append_val(ranges, r);
        Tok t = next(ps);
        if (t.kind == K_RBRACKET) {
            DfExpr *e = new_expr(ps, DF_X_SLICE, loc_span(arg->loc, loc_of(&t)));
            e->arg = arg;
            gsize n = 0;
            e->ranges = g_array_steal(ranges, &n);
            e->n_ranges = (uint32_t)n;
            g_ptr_array_add(ps->owned, e->ranges);
            return e;
        }
        if (t.kind != K_COMMA) {
            unexpected(ps, &t);
            return NULL;
        }
    }
}

static DfExpr *
parse_entity(DfParser *ps)
{
    Tok t = peek(ps);
    switch (t.kind) {
    case K_WORD: {
        next(ps);
        Tok after = peek(ps);
        /* A call only when the parenthesis follows the name directly or after blanks. */
        if (after.kind == K_LPAREN)
            return parse_call(ps, &t);
        return word_expr(ps, &t);
    }
    case K_STRING:
    case K_CHAR: {
        next(ps);
        DfExpr *e = new_expr(ps, DF_X_LITERAL, loc_of(&t));
        e->tok = t.kind == K_STRING ? DF_TOK_STRING : DF_TOK_CHAR;
        e->text = unescape(ps, &t, &e->text_len);
        if (e->text == NULL)
            return NULL;
        if (t.kind == K_CHAR && e->text_len != 1) {
            peel_df_fail(ps, loc_of(&t), PEEL_DFILTER_ERROR_SYNTAX,
                    "a character constant holds one character");
            return NULL;
        }
        return e;
    }
    case K_LBRACE: {
        /* {value}: Wireshark 4.0 groups a value expression in braces */
        next(ps);
        if (++ps->depth > PEEL_DFILTER_MAX_DEPTH) {
            peel_df_fail(ps, loc_of(&t), PEEL_DFILTER_ERROR_LIMIT, "the filter nests too deeply");
            return NULL;
        }
        DfExpr *e = parse_value(ps);
        ps->depth--;
        if (e == NULL || !expect(ps, K_RBRACE))
            return NULL;
        return e;
    }
    default:
        next(ps);
        unexpected(ps, &t);
        return NULL;
    }
}

static DfExpr *
parse_value(DfParser *ps)
{
    DfExpr *e = parse_entity(ps);
    if (e == NULL)
        return NULL;
    for (;;) {
        Tok t = peek(ps);
        if (t.kind == K_LBRACKET) {
            next(ps);
            e = parse_slice(ps, e, loc_of(&t));
        } else if (t.kind == K_BITAND) {
            next(ps);
            DfExpr *m = parse_entity(ps);
            if (m == NULL)
                return NULL;
            DfExpr *b = new_expr(ps, DF_X_BITAND, loc_span(e->loc, m->loc));
            b->arg = e;
            b->mask = m;
            e = b;
        } else {
            return e;
        }
        if (e == NULL)
            return NULL;
    }
}

static DfTest *
new_test(DfParser *ps, DfTKind kind, PeelDfilterLoc loc)
{
    DfTest *t = peel_df_new(ps, sizeof *t);
    t->kind = kind;
    t->loc = loc;
    return t;
}

static DfTest *
parse_set(DfParser *ps, DfTest *t)
{
    if (!expect(ps, K_LBRACE))
        return NULL;
    g_autoptr(GArray) items = g_array_new(FALSE, TRUE, sizeof(DfSetItem));
    for (;;) {
        DfSetItem it = { parse_value(ps), NULL };
        if (it.lo == NULL)
            return NULL;
        Tok k = next(ps);
        if (k.kind == K_DOTDOT) {
            it.hi = parse_value(ps);
            if (it.hi == NULL)
                return NULL;
            k = next(ps);
        }
        if (items->len >= PEEL_DFILTER_MAX_SET) {
            peel_df_fail(ps, it.lo->loc, PEEL_DFILTER_ERROR_LIMIT,
                    "a set may hold at most %d members", PEEL_DFILTER_MAX_SET);
            return NULL;
        }
        g_array_append_val(items, it);
        if (k.kind == K_RBRACE) {
            t->loc = loc_span(t->loc, loc_of(&k));
            break;
        }
        if (k.kind != K_COMMA) {
            unexpected(ps, &k);
            return NULL;
        }
    }
    gsize n = 0;
    t->set = g_array_steal(items, &n);
    t->n_set = (uint32_t)n;
    g_ptr_array_add(ps->owned, t->set);
    return t;
}

static DfTest *
parse_relation(DfParser *ps)
{
    Tok q = peek(ps);
    int quant = Q_DEFAULT;
    if (q.kind == K_ANY || q.kind == K_ALL) {
        next(ps);
        quant = q.kind == K_ANY ? Q_ANY : Q_ALL;
    }
    DfExpr *a = parse_value(ps);
    if (a == NULL)
        return NULL;
    Tok op = peek(ps);
    if (op.kind == K_CMP) {
        next(ps);
        DfExpr *b = parse_value(ps);
        if (b == NULL)
            return NULL;
        DfTest *t = new_test(ps, DF_T_CMP, loc_span(a->loc, b->loc));
        t->op = op.op;
        t->op_loc = loc_of(&op);
        t->a = a;
        t->b = b;
        int qq = op.quant != Q_DEFAULT ? op.quant : quant;
        if (op.quant != Q_DEFAULT && quant != Q_DEFAULT && quant != op.quant) {
            peel_df_fail(ps, loc_of(&q), PEEL_DFILTER_ERROR_SYNTAX,
                    "\"%.*s\" contradicts the operator \"%.*s\"", (int)q.len, ps->text + q.start,
                    (int)op.len, ps->text + op.start);
            return NULL;
        }
        t->all = qq == Q_ALL || (qq == Q_DEFAULT && op.op == DF_OP_NE);
        return t;
    }
    bool negate = false;
    if (op.kind == K_NOT) {
        uint32_t save = ps->pos;
        next(ps);
        if (peek(ps).kind != K_IN) {
            ps->pos = save;
            Tok bad = next(ps);
            unexpected(ps, &bad);
            return NULL;
        }
        negate = true;
        op = peek(ps);
    }
    if (op.kind == K_IN) {
        next(ps);
        if (quant != Q_DEFAULT) {
            peel_df_fail(ps, loc_of(&q), PEEL_DFILTER_ERROR_SYNTAX,
                    "\"%.*s\" needs a comparison operator", (int)q.len, ps->text + q.start);
            return NULL;
        }
        DfTest *t = new_test(ps, DF_T_IN, a->loc);
        t->a = a;
        t->negate = negate;
        t->op_loc = loc_of(&op);
        return parse_set(ps, t);
    }
    if (quant != Q_DEFAULT) {
        peel_df_fail(ps, loc_of(&q), PEEL_DFILTER_ERROR_SYNTAX,
                "\"%.*s\" needs a comparison operator", (int)q.len, ps->text + q.start);
        return NULL;
    }
    DfTest *t = new_test(ps, DF_T_EXISTS, a->loc);
    t->a = a;
    return t;
}

static DfTest *
parse_not(DfParser *ps)
{
    Tok t = peek(ps);
    if (++ps->depth > PEEL_DFILTER_MAX_DEPTH) {
        peel_df_fail(ps, loc_of(&t), PEEL_DFILTER_ERROR_LIMIT, "the filter nests too deeply");
        return NULL;
    }
    DfTest *res = NULL;
    if (t.kind == K_NOT) {
        next(ps);
        DfTest *inner = parse_not(ps);
        if (inner != NULL) {
            res = new_test(ps, DF_T_NOT, loc_span(loc_of(&t), inner->loc));
            res->l = inner;
        }
    } else if (t.kind == K_LPAREN) {
        next(ps);
        DfTest *inner = parse_or(ps);
        if (inner != NULL && expect(ps, K_RPAREN))
            res = inner;
    } else {
        res = parse_relation(ps);
    }
    ps->depth--;
    return res;
}

static DfTest *
parse_binary(DfParser *ps, Kind kind, DfTKind tk, DfTest *(*sub)(DfParser *))
{
    DfTest *first = sub(ps);
    if (first == NULL || peek(ps).kind != kind)
        return first;
    g_autoptr(GPtrArray) kids = g_ptr_array_new();
    g_ptr_array_add(kids, first);
    while (peek(ps).kind == kind) {
        next(ps);
        DfTest *r = sub(ps);
        if (r == NULL)
            return NULL;
        g_ptr_array_add(kids, r);
    }
    DfTest *last = kids->pdata[kids->len - 1];
    DfTest *t = new_test(ps, tk, loc_span(first->loc, last->loc));
    t->n_kids = kids->len;
    t->kids = (DfTest **)g_ptr_array_steal(kids, NULL);
    g_ptr_array_add(ps->owned, t->kids);
    return t;
}

static DfTest *
parse_and(DfParser *ps)
{
    return parse_binary(ps, K_AND, DF_T_AND, parse_not);
}

static DfTest *
parse_xor(DfParser *ps)
{
    return parse_binary(ps, K_XOR, DF_T_XOR, parse_and);
}

static DfTest *
parse_or(DfParser *ps)
{
    return parse_binary(ps, K_OR, DF_T_OR, parse_xor);
}

DfTest *
peel_df_parse(DfParser *ps)
{
    skip_space(ps);
    if (ps->pos >= ps->len)
        return new_test(ps, DF_T_TRUE, (PeelDfilterLoc){ 0, 1 });
    DfTest *t = parse_or(ps);
    if (t == NULL)
        return NULL;
    Tok end = next(ps);
    if (end.kind != K_END) {
        unexpected(ps, &end);
        return NULL;
    }
    return t;
}
