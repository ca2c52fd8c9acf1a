/* dfilter.c: compiling display filters (parse, check), running them, and the error line
 * with a caret that points at the offending part of the text. */
#include "dfilter.h"

#include <string.h>

#include "dfilter-private.h"
#include "registry.h"

G_DEFINE_QUARK(peel - dfilter - error - quark, peel_dfilter_error)

static void
collect_expr(PeelDfilter *df, const DfExpr *e)
{
    for (; e != NULL; e = e->arg) {
        if (e->kind == DF_X_FIELD)
            for (uint32_t i = 0; i < e->n_ids; i++) {
                df->protos[peel_field_proto(e->ids[i])] = true;
                g_array_append_val(df->fields, e->ids[i]);
            }
        if (e->kind == DF_X_BITAND)
            collect_expr(df, e->mask);
    }
}

static void
collect(PeelDfilter *df, const DfTest *t)
{
    if (t == NULL)
        return;
    for (uint32_t i = 0; i < t->n_kids; i++)
        collect(df, t->kids[i]);
    collect(df, t->l);
    collect_expr(df, t->a);
    collect_expr(df, t->b);
}

static void
regex_unref(gpointer p)
{
    g_regex_unref(p);
}

PeelDfilter *
peel_dfilter_compile(const char *text, PeelDfilterLoc *loc, GError **error)
{
    g_return_val_if_fail(text != NULL, NULL);
    peel_registry_init();
    size_t len = strlen(text);
    if (len > PEEL_DFILTER_MAX_TEXT) {
        g_set_error(error, PEEL_DFILTER_ERROR, PEEL_DFILTER_ERROR_LIMIT,
                "the filter is longer than %d bytes", PEEL_DFILTER_MAX_TEXT);
        if (loc != NULL)
            *loc = (PeelDfilterLoc){ PEEL_DFILTER_MAX_TEXT, 1 };
        return NULL;
    }
    DfParser ps = {
        .text = text,
        .len = (uint32_t)len,
        .owned = g_ptr_array_new_with_free_func(g_free),
        .regexes = g_ptr_array_new_with_free_func(regex_unref),
    };
    DfTest *root = peel_df_parse(&ps);
    if (root != NULL && ps.error == NULL)
        peel_df_check(&ps, root);
    if (ps.error != NULL) {
        if (loc != NULL)
            *loc = ps.loc;
        g_propagate_error(error, ps.error);
        g_ptr_array_unref(ps.owned);
        g_ptr_array_unref(ps.regexes);
        return NULL;
    }
    PeelDfilter *df = g_new0(PeelDfilter, 1);
    df->text = g_strdup(text);
    df->root = root;
    df->owned = ps.owned;
    df->regexes = ps.regexes;
    df->protos = g_new0(bool, peel_registry_n_protos());
    df->fields = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    for (size_t i = 0; i < G_N_ELEMENTS(df->scratch); i++)
        df->scratch[i] = g_string_sized_new(64);
    collect(df, root);
    return df;
}

void
peel_dfilter_free(PeelDfilter *df)
{
    if (df == NULL)
        return;
    g_ptr_array_unref(df->owned);
    g_ptr_array_unref(df->regexes);
    for (size_t i = 0; i < G_N_ELEMENTS(df->scratch); i++)
        g_string_free(df->scratch[i], TRUE);
    g_free(df->protos);
    g_array_unref(df->fields);
    g_free(df->text);
    g_free(df);
}

bool
peel_dfilter_match(PeelDfilter *df, const PeelPacket *pkt)
{
    return peel_df_eval(df, df->root, pkt);
}

void
peel_dfilter_protos(const PeelDfilter *df, bool *protos)
{
    for (uint32_t i = 0; i < peel_registry_n_protos(); i++)
        if (df->protos[i])
            protos[i] = true;
}

void
peel_dfilter_fields(const PeelDfilter *df, bool *ids)
{
    for (guint i = 0; i < df->fields->len; i++)
        ids[g_array_index(df->fields, uint32_t, i)] = true;
}

bool
peel_dfilter_uses_field(const PeelDfilter *df, uint32_t id)
{
    for (guint i = 0; i < df->fields->len; i++)
        if (g_array_index(df->fields, uint32_t, i) == id)
            return true;
    return false;
}

const char *
peel_dfilter_text(const PeelDfilter *df)
{
    return df->text;
}

/* Appends text with control characters as spaces, so the caret line stays aligned. */
static void
append_flat(GString *out, const char *text, size_t n)
{
    for (size_t i = 0; i < n; i++)
        g_string_append_c(out, (unsigned char)text[i] < 0x20 ? ' ' : text[i]);
}

/* Columns (characters, not bytes) in text[0..n). */
static size_t
columns(const char *text, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)text[i] & 0xc0) != 0x80)
            c++;
    return c;
}

void
peel_dfilter_format_error(GString *out, const char *option, const char *text, const GError *error,
        const PeelDfilterLoc *loc, int indent)
{
    size_t n = strlen(text);
    if (option != NULL) {
        g_string_append_printf(out, "%s '", option);
        append_flat(out, text, n);
        g_string_append(out, "': ");
    }
    g_string_append(out, error != NULL ? error->message : "invalid filter");
    g_string_append_c(out, '\n');
    if (loc == NULL || n == 0)
        return;
    size_t start = MIN((size_t)loc->start, n);
    size_t len = MAX(loc->len, 1u);
    if (start + len > n)
        len = start < n ? n - start : 1;
    g_string_append_printf(out, "%*s", indent, "");
    append_flat(out, text, n);
    g_string_append_c(out, '\n');
    g_string_append_printf(out, "%*s", indent + (int)columns(text, start), "");
    g_string_append_c(out, '^');
    size_t w = start < n ? columns(text + start, len) : 1;
    for (size_t i = 1; i < w; i++)
        g_string_append_c(out, '~');
    g_string_append_c(out, '\n');
}
