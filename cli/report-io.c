/* report-io.c: -z io,stat as tshark 4.0 prints it (ui/cli/tap-iostat.c), and the
 * filters of the generic reports. */
#include "report-io.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dfilter.h"
#include "registry.h"

/* ---- Filters ---- */

struct PeelReportFilter {
    PeelDfilter *df;
};

PeelReportFilter *
peel_report_filter_new(const char *text, GError **error)
{
    if (text == NULL)
        return NULL;
    g_autofree char *t = g_strstrip(g_strdup(text));
    if (*t == '\0')
        return NULL;
    PeelDfilterLoc loc;
    g_autoptr(GError) err = NULL;
    PeelDfilter *df = peel_dfilter_compile(t, &loc, &err);
    if (df == NULL) {
        g_set_error(error, PEEL_STATS_ERROR, PEEL_STATS_ERROR_ARG, "filter \"%s\": %s", t,
                err->message);
        return NULL;
    }
    PeelReportFilter *f = g_new0(PeelReportFilter, 1);
    f->df = df;
    return f;
}

bool
peel_report_filter_match(PeelReportFilter *f, const PeelPacket *pkt)
{
    return f == NULL || peel_dfilter_match(f->df, pkt);
}

void
peel_report_filter_free(PeelReportFilter *f)
{
    if (f == NULL)
        return;
    peel_dfilter_free(f->df);
    g_free(f);
}

/* ---- io,stat ---- */

enum {
    CALC_FRAMES,
    CALC_BYTES,
    CALC_FRAMES_AND_BYTES,
    CALC_COUNT,
    CALC_SUM,
    CALC_MIN,
    CALC_MAX,
    CALC_AVG,
    CALC_LOAD,
};

static const char *const calc_names[] = { "FRAMES", "BYTES", "FRAMES BYTES", "COUNT", "SUM",
    "MIN", "MAX", "AVG", "LOAD" };

/* How a column's values are kept: tshark's integer, double and relative-time counters. */
typedef enum {
    VAL_UINT,
    VAL_INT,
    VAL_DOUBLE,
    VAL_TIME, /* nanoseconds */
    VAL_OTHER,
} ValKind;

typedef struct {
    uint32_t frames;
    uint32_t num; /* values seen (AVG) */
    uint64_t counter;
    double dcounter;
} IoCell;

typedef struct {
    char *text; /* the column argument as given, or NULL for frames and bytes */
    int calc;
    int field; /* -1 without a field */
    ValKind kind;
    PeelReportFilter *filter;
    GArray *cells; /* IoCell per interval, from 0 to the last interval with a packet */
    uint64_t max_val;
    uint32_t max_frames;
} IoCol;

struct PeelIoStat {
    uint64_t interval; /* microseconds; G_MAXUINT64 for the whole capture */
    unsigned prec;
    GPtrArray *cols; /* IoCol * */
    PeelTime duration; /* the last frame time since the first, as tshark's elapsed time */
    uint64_t last_rel; /* microseconds of the last frame with a time not before the first */
    bool overflow;     /* intervals beyond PEEL_IOSTAT_MAX_ROWS were dropped */
};

bool
peel_iostat_parse_interval(const char *text, uint64_t *interval_us, unsigned *prec)
{
    char *end = NULL;
    double v = g_ascii_strtod(text, &end);
    if (end == text || !isfinite(v) || v < 0 || v > 1e12)
        return false;
    if (v == 0) {
        *interval_us = G_MAXUINT64;
        *prec = 0;
        return true;
    }
    uint64_t us = (uint64_t)(v * 1000000.0 + 0.5);
    if (us < 1)
        return false;
    unsigned p = 6;
    for (uint64_t i = 10; i < 10000000; i *= 10) {
        if (us % i > 0)
            break;
        p--;
    }
    if (p == 0) {
        /* A whole number of seconds typed with decimals ("1.00") shows that many; tshark
         * 4.0 shows six when no column follows the interval (it measures the decimals up
         * to a comma that is not there). */
        const char *dot = memchr(text, '.', (size_t)(end - text));
        if (dot != NULL && end - dot - 1 > 0)
            p = *end == ',' ? (unsigned)MIN(end - dot - 1, 6) : 6;
    }
    *interval_us = us;
    *prec = p;
    return true;
}

static ValKind
val_kind(PeelFieldType t)
{
    switch (t) {
    case PEEL_FT_U8:
    case PEEL_FT_U16:
    case PEEL_FT_U24:
    case PEEL_FT_U32:
    case PEEL_FT_U64:
        return VAL_UINT;
    case PEEL_FT_I8:
    case PEEL_FT_I16:
    case PEEL_FT_I32:
    case PEEL_FT_I64:
        return VAL_INT;
    case PEEL_FT_DOUBLE:
        return VAL_DOUBLE;
    case PEEL_FT_REL_TIME:
        return VAL_TIME;
    default:
        return VAL_OTHER;
    }
}

static void
col_free(gpointer p)
{
    IoCol *c = p;
    g_free(c->text);
    peel_report_filter_free(c->filter);
    if (c->cells != NULL)
        g_array_unref(c->cells);
    g_free(c);
}

/* One column: "", a filter, or FUNC(FIELD)FILTER (tshark's register_io_tap). */
static IoCol *
col_parse(const char *spec, GError **error)
{
    IoCol *c = g_new0(IoCol, 1);
    c->calc = CALC_FRAMES_AND_BYTES;
    c->field = -1;
    c->kind = VAL_OTHER;
    c->cells = g_array_new(FALSE, TRUE, sizeof(IoCell));
    if (spec == NULL || *spec == '\0')
        return c;
    c->text = g_strdup(spec);
    const char *filter = spec;
    bool named = false;
    for (int j = 0; j < (int)G_N_ELEMENTS(calc_names); j++) {
        size_t n = strlen(calc_names[j]);
        if (strncmp(spec, calc_names[j], n) != 0)
            continue;
        c->calc = j;
        named = true;
        if (spec[n] != '(')
            continue; /* a longer name may follow: "FRAMES BYTES" */
        const char *p = spec + n + 1, *close = strchr(p, ')');
        if (close == NULL) {
            g_set_error(error, PEEL_STATS_ERROR, PEEL_STATS_ERROR_ARG,
                    "closing parenthesis missing from %s", spec);
            goto bad;
        }
        bool plain = j == CALC_FRAMES || j == CALC_BYTES || j == CALC_FRAMES_AND_BYTES;
        if (plain && close != p) {
            g_set_error(error, PEEL_STATS_ERROR, PEEL_STATS_ERROR_ARG,
                    "%s does not take a field name within the parentheses", calc_names[j]);
            goto bad;
        }
        if (!plain && close == p) {
            g_set_error(error, PEEL_STATS_ERROR, PEEL_STATS_ERROR_ARG,
                    "%s needs a field name: %s(FIELD)", calc_names[j], calc_names[j]);
            goto bad;
        }
        filter = close + 1;
        if (!plain) {
            g_autofree char *name = g_strndup(p, (gsize)(close - p));
            c->field = peel_field_lookup(name);
            if (c->field < 0) {
                g_set_error(error, PEEL_STATS_ERROR, PEEL_STATS_ERROR_ARG,
                        "there is no field named '%s'", name);
                goto bad;
            }
            c->kind = val_kind(peel_field_def((uint32_t)c->field)->type);
            if (j == CALC_LOAD) {
                g_set_error(error, PEEL_STATS_ERROR, PEEL_STATS_ERROR_ARG,
                        "LOAD(%s) is not supported", name);
                goto bad;
            }
            if (c->kind == VAL_OTHER && j != CALC_COUNT) {
                g_set_error(error, PEEL_STATS_ERROR, PEEL_STATS_ERROR_ARG,
                        "%s doesn't have integral values, so %s(*) calculations are not "
                        "supported on it", name, calc_names[j]);
                goto bad;
            }
        }
        break;
    }
    if (named && c->field < 0 && filter == spec) {
        /* A function name without parentheses */
        if (c->calc != CALC_FRAMES && c->calc != CALC_BYTES &&
                c->calc != CALC_FRAMES_AND_BYTES) {
            g_set_error(error, PEEL_STATS_ERROR, PEEL_STATS_ERROR_ARG,
                    "%s needs a field name: %s(FIELD)", calc_names[c->calc],
                    calc_names[c->calc]);
            goto bad;
        }
        filter = "";
    }
    GError *ferr = NULL;
    c->filter = peel_report_filter_new(filter, &ferr);
    if (ferr != NULL) {
        g_propagate_error(error, ferr);
        goto bad;
    }
    return c;
bad:
    col_free(c);
    return NULL;
}

void
peel_iostat_free(PeelIoStat *io)
{
    if (io == NULL)
        return;
    g_ptr_array_unref(io->cols);
    g_free(io);
}

/* Splits the columns at commas; a filter may hold commas itself, so a piece that does
 * not parse is joined with the next one, as tshark does. */
static bool
iostat_columns(PeelIoStat *io, const char *arg, const char *list, const char *usage,
        GError **error)
{
    g_auto(GStrv) pieces = g_strsplit(list, ",", -1);
    g_autoptr(GString) spec = g_string_new(NULL);
    g_autoptr(GError) last = NULL;
    for (guint i = 0; pieces[i] != NULL; i++) {
        if (spec->len > 0)
            g_string_append_c(spec, ',');
        g_string_append(spec, pieces[i]);
        g_autofree char *s = g_strstrip(g_strdup(spec->str));
        g_clear_error(&last);
        IoCol *c = col_parse(s, &last);
        if (c != NULL) {
            g_ptr_array_add(io->cols, c);
            g_string_truncate(spec, 0);
        }
    }
    if (spec->len > 0 || last != NULL) {
        g_set_error(error, PEEL_STATS_ERROR, PEEL_STATS_ERROR_ARG, "-z %s: %s", arg,
                last ? last->message : usage);
        return false;
    }
    return true;
}

PeelIoStat *
peel_iostat_open(const char *arg, GError **error)
{
    static const char usage[] = "expected io,stat,INTERVAL[,FILTER|FUNC(FIELD)FILTER...] "
                                "with FUNC one of FRAMES, BYTES, COUNT, SUM, MIN, MAX, AVG";
    if (!g_str_has_prefix(arg, "io,stat,") || g_str_has_suffix(arg, ",")) {
        g_set_error(error, PEEL_STATS_ERROR, PEEL_STATS_ERROR_ARG, "-z %s: %s", arg, usage);
        return NULL;
    }
    const char *ival = arg + 8;
    const char *comma = strchr(ival, ',');
    g_autofree char *itext = comma ? g_strndup(ival, (gsize)(comma - ival)) : g_strdup(ival);
    PeelIoStat *io = g_new0(PeelIoStat, 1);
    io->cols = g_ptr_array_new_with_free_func(col_free);
    char *end = NULL;
    g_ascii_strtod(ival, &end);
    if (*itext == '\0' || (*end != '\0' && *end != ',') ||
            !peel_iostat_parse_interval(ival, &io->interval, &io->prec)) {
        g_set_error(error, PEEL_STATS_ERROR, PEEL_STATS_ERROR_ARG,
                "-z %s: the interval must be a number of seconds >= 0.000001, or 0 for the "
                "whole capture (%s)", arg, usage);
        peel_iostat_free(io);
        return NULL;
    }
    if (comma == NULL) {
        g_ptr_array_add(io->cols, col_parse(NULL, NULL));
        return io;
    }
    if (!iostat_columns(io, arg, comma + 1, usage, error)) {
        peel_iostat_free(io);
        return NULL;
    }
    return io;
}

static uint64_t
time_us(PeelTime t)
{
    return (uint64_t)t.sec * 1000000u + (uint64_t)((t.nsec + 500) / 1000);
}

/* The value of field occurrence fl in the column's counter representation. */
static void
col_value(const IoCol *c, const PeelField *fl, uint64_t *u, double *d)
{
    switch (c->kind) {
    case VAL_UINT:
    case VAL_INT:
        *u = fl->v.u;
        break;
    case VAL_DOUBLE:
        *d = fl->v.d;
        break;
    case VAL_TIME:
        *u = (uint64_t)fl->v.t.sec * 1000000000u + (uint64_t)fl->v.t.nsec;
        break;
    case VAL_OTHER:
        break;
    }
}

static bool
val_less(const IoCol *c, uint64_t a, uint64_t b)
{
    if (c->kind == VAL_INT)
        return (int64_t)a < (int64_t)b;
    return a < b;
}

static void
col_packet(PeelIoStat *io, IoCol *c, const PeelPacket *pkt, uint64_t rel)
{
    if (!peel_report_filter_match(c->filter, pkt))
        return;
    uint64_t row = io->interval == G_MAXUINT64 ? 0 : rel / io->interval;
    /* tshark adds a frame timed before the last interval with packets to that interval */
    if (c->cells->len > 0 && row < c->cells->len - 1)
        row = c->cells->len - 1;
    if (row >= PEEL_IOSTAT_MAX_ROWS) {
        io->overflow = true;
        return;
    }
    if (row >= c->cells->len)
        g_array_set_size(c->cells, (guint)row + 1);
    IoCell *it = &g_array_index(c->cells, IoCell, row);
    it->frames++;
    switch (c->calc) {
    case CALC_FRAMES:
    case CALC_BYTES:
    case CALC_FRAMES_AND_BYTES:
        it->counter += pkt->frame->len;
        break;
    default: {
        uint32_t seen = 0;
        for (uint32_t i = 0; i < pkt->n_fields; i++) {
            const PeelField *fl = &pkt->fields[i];
            if (fl->id != (uint32_t)c->field)
                continue;
            if (c->calc == CALC_COUNT) {
                it->counter++;
                continue;
            }
            if (!(fl->flags & PEEL_FF_HAS_VALUE))
                continue;
            uint64_t u = 0;
            double d = 0;
            col_value(c, fl, &u, &d);
            /* tshark's MIN takes the first value of an interval's first frame, then
             * smaller ones; MAX starts from zero. */
            bool first = it->frames == 1 && seen == 0;
            seen++;
            switch (c->calc) {
            case CALC_SUM:
                it->counter += u;
                it->dcounter += d;
                break;
            case CALC_MIN:
                if (c->kind == VAL_DOUBLE) {
                    if (first || d < it->dcounter)
                        it->dcounter = d;
                } else if (first || val_less(c, u, it->counter)) {
                    it->counter = u;
                }
                break;
            case CALC_MAX:
                if (c->kind == VAL_DOUBLE) {
                    if (d > it->dcounter)
                        it->dcounter = d;
                } else if (val_less(c, it->counter, u)) {
                    it->counter = u;
                }
                break;
            case CALC_AVG:
                it->num++;
                it->counter += u;
                it->dcounter += d;
                break;
            }
        }
        break;
    }
    }
    /* The widest value of the column, as tshark keeps it for the layout. */
    switch (c->calc) {
    case CALC_FRAMES:
    case CALC_FRAMES_AND_BYTES:
        c->max_frames = MAX(c->max_frames, it->frames);
        if (c->calc == CALC_FRAMES_AND_BYTES)
            c->max_val = MAX(c->max_val, it->counter);
        break;
    case CALC_BYTES:
    case CALC_COUNT:
        c->max_val = MAX(c->max_val, it->counter);
        break;
    case CALC_SUM:
    case CALC_MIN:
    case CALC_MAX:
        if (c->kind == VAL_DOUBLE)
            c->max_val = MAX(c->max_val, (uint64_t)(it->dcounter + 0.5));
        else
            c->max_val = MAX(c->max_val, it->counter);
        break;
    case CALC_AVG:
        if (it->num == 0)
            break;
        if (c->kind == VAL_DOUBLE)
            c->max_val = MAX(c->max_val, (uint64_t)it->dcounter / it->num);
        else if (c->kind == VAL_TIME)
            c->max_val = MAX(c->max_val, (it->counter / it->num + 500000000u) / 1000000000u);
        else
            c->max_val = MAX(c->max_val, it->counter / it->num);
        break;
    }
}

void
peel_iostat_packet(PeelIoStat *io, const PeelPacket *pkt)
{
    PeelTime rel = pkt->frame->rel;
    uint64_t us;
    if (rel.sec >= 0 && rel.nsec >= 0) {
        us = time_us(rel);
        io->last_rel = us;
    } else {
        us = io->last_rel; /* before the first frame: where the last one was */
    }
    if (rel.sec > io->duration.sec || (rel.sec == io->duration.sec && rel.nsec > io->duration.nsec))
        io->duration = rel;
    for (guint i = 0; i < io->cols->len; i++)
        col_packet(io, g_ptr_array_index(io->cols, i), pkt, us);
}

static unsigned
magnitude(uint64_t v, unsigned max_w)
{
    unsigned mag = 0;
    for (unsigned i = 0; i < max_w; i++) {
        mag++;
        if ((v /= 10) == 0)
            break;
    }
    return mag;
}

/* The function name centred in a column `width` wide, as tshark's printcenter (which
 * prints nothing when the name is far narrower than the column). */
static void
print_center(GString *out, const char *label, int width)
{
    static const char spaces[] = "      ";
    int lenlab = (int)strlen(label);
    int len = 6 - ((width - lenlab) / 2 + 1);
    if (len > 0 && len < 6) {
        const char *sp = &spaces[len];
        if ((width - lenlab) % 2 == 0)
            g_string_append_printf(out, "%s%s%s|", sp, label, sp);
        else
            g_string_append_printf(out, "%s%s%s|", sp - 1, label, sp);
    } else if (len > 0 && len <= 15) {
        g_string_append_printf(out, "%s|", label);
    }
}

/* "0.063": seconds with prec decimals, printed from a double as tshark 4.0 does (so a
 * tie rounds to even: 12.25 s shows as 12.2). */
static void
append_secs(GString *out, uint64_t ns, unsigned prec, int width)
{
    double secs = (double)(ns / 1000000000u) + (double)(ns % 1000000000u) / 1e9;
    g_string_append_printf(out, "%*.*f", width, (int)prec, secs);
}

/* Pads the line from `start` to `border` with spaces and a closing "|". */
static void
close_line(GString *out, gsize start, unsigned border)
{
    gsize len = out->len - start;
    int pad = (int)border - (int)len;
    g_string_append_printf(out, "%*s\n", pad > 0 ? pad : 1, "|");
}

typedef struct {
    unsigned fr, val;
} ColWidth;

static const IoCell zero_cell;

static void
append_cell(GString *out, const IoCol *c, const ColWidth *w, const IoCell *it, bool empty)
{
    switch (c->calc) {
    case CALC_FRAMES:
        g_string_append_printf(out, " %*u |", w->fr, it->frames);
        return;
    case CALC_FRAMES_AND_BYTES:
        g_string_append_printf(out, " %*u | %*" PRIu64 " |", w->fr, it->frames, w->val,
                it->counter);
        return;
    case CALC_BYTES:
    case CALC_COUNT:
        g_string_append_printf(out, " %*" PRIu64 " |", w->val, it->counter);
        return;
    default:
        break;
    }
    unsigned vw = w->val;
    uint64_t num = it->num ? it->num : 1;
    switch (c->kind) {
    case VAL_DOUBLE: {
        double d = c->calc == CALC_AVG ? it->dcounter / (double)num : it->dcounter;
        g_string_append_printf(out, " %*.6f |", vw - 7, empty ? 0.0 : d);
        return;
    }
    case VAL_TIME: {
        uint64_t ns = c->calc == CALC_AVG ? it->counter / num : it->counter;
        uint64_t us = (ns + 500) / 1000;
        g_string_append_printf(out, " %*u.%06u |", vw - 7, (unsigned)(us / 1000000),
                (unsigned)(us % 1000000));
        return;
    }
    case VAL_INT: {
        uint64_t v = c->calc == CALC_AVG ? it->counter / num : it->counter;
        g_string_append_printf(out, " %*" PRId64 " |", vw, (int64_t)v);
        return;
    }
    default: {
        uint64_t v = c->calc == CALC_AVG ? it->counter / num : it->counter;
        g_string_append_printf(out, " %*" PRIu64 " |", vw, v);
        return;
    }
    }
}

void
peel_iostat_print(PeelIoStat *io, GString *out)
{
    guint n_cols = io->cols->len;
    uint64_t duration = time_us(io->duration);
    uint64_t interval = io->interval;
    bool whole = interval == G_MAXUINT64 || interval > duration;
    if (whole)
        interval = duration;
    unsigned dur_mag = magnitude(duration / 1000000u, 5);
    unsigned invl_mag = magnitude(interval / 1000000u, 5);
    unsigned prec, border;
    if (interval == duration) {
        prec = dur_mag >= 2 ? 1 : 3;
        border = 30 + dur_mag + prec + 1;
    } else {
        prec = io->prec;
        border = 25 + MAX(invl_mag, dur_mag) + (prec == 0 ? 0 : prec + 1);
    }
    uint64_t dv = 1000000;
    for (unsigned i = 0; i < prec; i++)
        dv /= 10;
    if (duration % dv > 5 * (dv / 10)) {
        duration += 5 * (dv / 10);
        duration = duration / dv * dv;
        dur_mag = magnitude(duration / 1000000u, 5);
    }
    if (whole)
        interval = duration;
    unsigned invl_col_w = prec == 0 ? 2 * dur_mag + 8 : 2 * dur_mag + 2 * prec + 10;
    invl_col_w = MAX(invl_col_w, 12);

    g_autofree ColWidth *w = g_new0(ColWidth, n_cols ? n_cols : 1);
    unsigned tab = invl_col_w;
    for (guint j = 0; j < n_cols; j++) {
        IoCol *c = g_ptr_array_index(io->cols, j);
        unsigned namelen = c->calc == CALC_FRAMES_AND_BYTES ? 5 : (unsigned)strlen(calc_names[c->calc]);
        if (c->calc == CALC_FRAMES || c->calc == CALC_FRAMES_AND_BYTES) {
            w[j].fr = MAX(6, magnitude(c->max_frames, 15));
            tab += w[j].fr + 3;
            if (c->calc == CALC_FRAMES_AND_BYTES) {
                w[j].val = MAX(5, magnitude(c->max_val, 15));
                tab += w[j].val + 3;
            }
            continue;
        }
        if (c->calc == CALC_BYTES || c->calc == CALC_COUNT) {
            w[j].val = MAX(5, magnitude(c->max_val, 15));
        } else if (c->kind == VAL_DOUBLE) {
            w[j].val = magnitude(c->max_val, 15) + 7;
        } else if (c->kind == VAL_TIME) {
            uint64_t m = c->calc == CALC_AVG ? c->max_val : (c->max_val + 500000000u) / 1000000000u;
            w[j].val = magnitude(m, 15) + 7;
        } else {
            w[j].val = MAX(namelen, magnitude(c->max_val, 15));
        }
        tab += w[j].val + 3;
    }
    border = MAX(border, tab);
    unsigned maxfltr = 0;
    for (guint j = 0; j < n_cols; j++) {
        IoCol *c = g_ptr_array_index(io->cols, j);
        maxfltr = MAX(maxfltr, c->text ? (unsigned)strlen(c->text) + 11 : 26);
    }
    if (maxfltr > border && border < 102)
        border = MIN(maxfltr, 102);
    if (border - tab == 1)
        border++;

    /* Header */
    g_string_append_c(out, '\n');
    for (unsigned i = 0; i < border; i++)
        g_string_append_c(out, '=');
    g_string_append_printf(out, "\n|%-*s|\n", border - 2, " IO Statistics");
    g_string_append_printf(out, "|%-*s|\n", border - 2, "");
    unsigned dur_prec = prec == 0 ? 6 : prec;
    unsigned dur_w = magnitude((uint64_t)MAX(io->duration.sec, 0), 5) + (prec == 0 ? 0 : prec + 1);
    uint64_t dur_ns = (uint64_t)MAX(io->duration.sec, 0) * 1000000000u + (uint64_t)io->duration.nsec;
    gsize start = out->len;
    g_string_append(out, "| Duration: ");
    if (prec == 0) {
        /* tshark 4.0 pads these microseconds with spaces: "5.   798" for 5.000798 s */
        g_autofree char *d = g_strdup_printf("%" G_GUINT64_FORMAT ".%6u",
                dur_ns / 1000000000u, (unsigned)(dur_ns % 1000000000u / 1000u));
        g_string_append_printf(out, "%*s", (int)dur_w, d);
    } else {
        append_secs(out, dur_ns, dur_prec, (int)dur_w);
    }
    g_string_append(out, " secs");
    close_line(out, start, border);
    start = out->len;
    g_string_append(out, "| Interval: ");
    append_secs(out, interval * 1000u, prec, (int)dur_w);
    g_string_append(out, " secs");
    close_line(out, start, border);
    g_string_append_printf(out, "|%-*s|\n", border - 2, "");
    for (guint j = 0; j < n_cols; j++) {
        IoCol *c = g_ptr_array_index(io->cols, j);
        start = out->len;
        g_string_append_printf(out, j == 0 ? "| Col %u: " : "|     %u: ", j + 1);
        if (c->text == NULL) {
            g_string_append(out, "Frames and bytes");
        } else {
            /* Long filters wrap at the last space that fits, or at the border. */
            const char *f = c->text;
            size_t max_w = border - 11, left = strlen(f);
            while (left > max_w) {
                const char *sp = g_strrstr_len(f, (gssize)max_w, " ");
                size_t n = sp ? (size_t)(sp - f) : max_w;
                g_string_append_len(out, f, (gssize)n);
                close_line(out, start, border);
                start = out->len;
                g_string_append(out, "|         ");
                f += sp ? n + 1 : n;
                left = strlen(f);
            }
            g_string_append(out, f);
        }
        close_line(out, start, border);
    }
    g_string_append(out, "|-");
    for (unsigned i = 0; i + 3 < border; i++)
        g_string_append_c(out, '-');
    g_string_append(out, "|\n");

    /* Column numbers and names */
    g_autofree char *filler = tab < border ? g_strdup_printf("%*s", border - tab, "|") : NULL;
    g_string_append_printf(out, "|%*s", invl_col_w - 1, "|");
    for (guint j = 0; j < n_cols; j++) {
        IoCol *c = g_ptr_array_index(io->cols, j);
        unsigned pad = c->calc == CALC_FRAMES_AND_BYTES ? w[j].fr + w[j].val + 3
                       : c->calc == CALC_FRAMES         ? w[j].fr
                                                        : w[j].val;
        g_string_append_printf(out, "%-2u%*s|", j + 1, pad, "");
    }
    if (filler)
        g_string_append(out, filler);
    g_string_append_printf(out, "\n| Interval%*s", invl_col_w - 10, "|");
    for (guint j = 0; j < n_cols; j++) {
        IoCol *c = g_ptr_array_index(io->cols, j);
        if (c->calc == CALC_FRAMES) {
            print_center(out, calc_names[c->calc], (int)w[j].fr);
        } else if (c->calc == CALC_FRAMES_AND_BYTES) {
            print_center(out, "Frames", (int)w[j].fr);
            print_center(out, "Bytes", (int)w[j].val);
        } else {
            print_center(out, calc_names[c->calc], (int)w[j].val);
        }
    }
    if (filler)
        g_string_append(out, filler);
    g_string_append(out, "\n|-");
    for (unsigned i = 0; i + 3 < tab; i++)
        g_string_append_c(out, '-');
    g_string_append_c(out, '|');
    if (filler)
        g_string_append(out, filler);
    g_string_append_c(out, '\n');

    /* Rows */
    g_autofree char *ifmt = prec == 0 ? g_strdup_printf("%%%uu", dur_mag)
                                      : g_strdup_printf("%%%uu.%%0%uu", dur_mag, prec);
    g_autofree char *row_fmt = prec == 0 && dur_mag == 1
                                       ? g_strconcat("|  ", ifmt, " <> ", ifmt, "  |", NULL)
                                       : g_strconcat("| ", ifmt, " <> ", ifmt, " |", NULL);
    guint64 row = 0;
    for (uint64_t t = 0; interval > 0 && t < duration; t += interval, row++) {
        uint64_t end = t + interval;
        bool last = false;
        if (end >= duration) {
            last = true;
            end = duration;
        }
        if (prec == 0) {
            if (last) {
                int maxw = dur_mag >= 3 ? (int)dur_mag + 1 : 3;
                g_autofree char *lf = g_strdup_printf("| %s%s <> %%-%ds|",
                        dur_mag == 1 ? " " : "", ifmt, maxw);
                g_string_append_printf(out, lf, (unsigned)(t / 1000000u), "Dur");
            } else {
                g_string_append_printf(out, row_fmt, (unsigned)(t / 1000000u),
                        (unsigned)(end / 1000000u));
            }
        } else {
            g_string_append_printf(out, row_fmt, (unsigned)(t / 1000000u),
                    (unsigned)(t % 1000000u / dv), (unsigned)(end / 1000000u),
                    (unsigned)(end % 1000000u / dv));
        }
        for (guint j = 0; j < n_cols; j++) {
            IoCol *c = g_ptr_array_index(io->cols, j);
            bool have = row < c->cells->len;
            const IoCell *it = have ? &g_array_index(c->cells, IoCell, row) : &zero_cell;
            append_cell(out, c, &w[j], it, !have);
        }
        if (filler)
            g_string_append(out, filler);
        g_string_append_c(out, '\n');
        if (row >= PEEL_IOSTAT_MAX_ROWS)
            break;
    }
    for (unsigned i = 0; i < border; i++)
        g_string_append_c(out, '=');
    g_string_append_c(out, '\n');
}

bool
peel_iostat_overflowed(const PeelIoStat *io)
{
    return io->overflow;
}

/* ---- The report kinds (report.h) ---- */

bool
peel_report_write_text(const GString *text, FILE *out)
{
    if (text->len > 0 && fwrite(text->str, 1, text->len, out) != text->len)
        return false;
    return !ferror(out);
}

static void *
iostat_open(const char *arg, GError **error)
{
    return peel_iostat_open(arg, error);
}

static void
iostat_packet(void *state, const PeelPacket *pkt)
{
    peel_iostat_packet(state, pkt);
}

static bool
iostat_finish(void *state, FILE *out)
{
    g_autoptr(GString) text = g_string_new(NULL);
    peel_iostat_print(state, text);
    if (peel_iostat_overflowed(state))
        fprintf(stderr, "peel: -z io,stat: only the first %u intervals were counted; use a "
                        "longer interval\n", PEEL_IOSTAT_MAX_ROWS);
    return peel_report_write_text(text, out);
}

static void
iostat_close(void *state)
{
    peel_iostat_free(state);
}

const PeelReportKind peel_report_io_stat = {
    .option = PEEL_REPORT_Z,
    .name = "io,stat",
    .usage = "io,stat,INTERVAL[,FILTER|FUNC(FIELD)FILTER...]",
    .open = iostat_open,
    .packet = iostat_packet,
    .finish = iostat_finish,
    .close = iostat_close,
};

