/* report-http.c: HTTP/1.x reports: `-z http,tree` (HTTP/Packet Counter), `-z
 * http_req,tree` (HTTP/Requests), `-z http_srv,tree` (HTTP/Load Distribution) printed as
 * tshark 4.0 prints its stats trees, and `--export-objects http,DIR`.
 *
 * The trees count each HTTP message of the capture (several may share a frame) as
 * tshark's http tap does; the counting, sorting, rate and burst columns follow tshark's
 * stats_tree (rates per millisecond since the first HTTP message, bursts over 100 ms
 * windows of 5 ms buckets, children sorted by count then name, both descending). */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "export.h"
#include "format.h"
#include "proto-http.h"
#include "registry.h"
#include "report.h"

/* ---- one HTTP message of a packet, from its field list ---- */

typedef struct {
    const char *method, *uri, *host, *for_uri;
    uint32_t method_len, uri_len, host_len, for_uri_len;
    uint32_t code;
    const uint8_t *body; /* http.file_data's bytes (decoded), or NULL */
    uint32_t body_len;
} HttpMsg;

typedef void (*HttpMsgFn)(void *user, const PeelPacket *pkt, const HttpMsg *m);

static struct {
    int proto, method, uri, host, code, file_data, for_uri;
} ids = { -1, -1, -1, -1, -1, -1, -1 };

static void
ids_init(void)
{
    if (ids.proto >= 0)
        return;
    ids.proto = peel_field_lookup("http");
    ids.method = peel_field_lookup("http.request.method");
    ids.uri = peel_field_lookup("http.request.uri");
    ids.host = peel_field_lookup("http.host");
    ids.code = peel_field_lookup("http.response.code");
    ids.file_data = peel_field_lookup("http.file_data");
    ids.for_uri = peel_field_lookup("http.response_for.uri");
}

/* The bytes a field covers in its data source. */
static const uint8_t *
field_bytes(const PeelPacket *pkt, const PeelField *f, uint32_t *len)
{
    const uint8_t *base;
    uint32_t size;
    if (f->src == 0) {
        base = pkt->frame->data;
        size = pkt->frame->cap_len;
    } else if (f->src < pkt->n_sources) {
        base = pkt->sources[f->src].data;
        size = pkt->sources[f->src].len;
    } else {
        return NULL;
    }
    if (base == NULL || f->offset > size)
        return NULL;
    *len = MIN(f->length, size - f->offset);
    return base + f->offset;
}

static void
http_each_message(const PeelPacket *pkt, HttpMsgFn fn, void *user)
{
    ids_init();
    if (ids.proto < 0)
        return;
    HttpMsg m;
    bool open = false;
    for (uint32_t i = 0; i <= pkt->n_fields; i++) {
        const PeelField *f = i < pkt->n_fields ? &pkt->fields[i] : NULL;
        if (f == NULL || (int)f->id == ids.proto) {
            if (open)
                fn(user, pkt, &m);
            memset(&m, 0, sizeof m);
            open = f != NULL;
            continue;
        }
        if (!open || !(f->flags & PEEL_FF_HAS_VALUE))
            continue;
        int id = (int)f->id;
        if (id == ids.method && m.method == NULL) {
            m.method = (const char *)f->v.b.ptr;
            m.method_len = f->v.b.len;
        } else if (id == ids.uri && m.uri == NULL) {
            m.uri = (const char *)f->v.b.ptr;
            m.uri_len = f->v.b.len;
        } else if (id == ids.host && m.host == NULL) {
            m.host = (const char *)f->v.b.ptr;
            m.host_len = f->v.b.len;
        } else if (id == ids.for_uri && m.for_uri == NULL) {
            m.for_uri = (const char *)f->v.b.ptr;
            m.for_uri_len = f->v.b.len;
        } else if (id == ids.code && m.code == 0) {
            m.code = (uint32_t)f->v.u;
        } else if (id == ids.file_data && m.body == NULL) {
            m.body = field_bytes(pkt, f, &m.body_len);
        }
    }
}

/* ---- tshark's stats tree ---- */

#define ST_BURST_RES  5.0   /* ms per bucket (tshark's statistics.st_burst_resolution) */
#define ST_BURST_WIN  100.0 /* ms per window (statistics.st_burst_windowlen) */
#define ST_INDENT_MAX 32
#define ST_MAX_NODES  100000u /* distinct hosts and URIs kept; later ones are not counted */

typedef struct StBucket {
    double no, start;
    int count;
} StBucket;

typedef struct StNode StNode;
struct StNode {
    char *name;
    int counter;
    bool root_child;
    StNode *parent;
    GPtrArray *children; /* StNode *, in creation order */
    GHashTable *hash;    /* children by name, when created with one */
    GArray *buckets;     /* StBucket, oldest first */
    int bcount, max_burst;
    double burst_time;
};

typedef struct {
    const char *title; /* "HTTP/Packet Counter" */
    StNode root;
    GHashTable *names; /* nodes that may be parents, by name (the last one wins) */
    double start, now, elapsed;
    uint32_t n_nodes;
} StTree;

static StNode *
st_node_new(StTree *t, const char *name, StNode *parent, bool with_hash, bool as_parent)
{
    if (t->n_nodes >= ST_MAX_NODES)
        return NULL;
    t->n_nodes++;
    StNode *n = g_new0(StNode, 1);
    n->name = g_strdup(name);
    n->parent = parent;
    n->root_child = parent == &t->root;
    n->children = g_ptr_array_new();
    n->hash = with_hash ? g_hash_table_new(g_str_hash, g_str_equal) : NULL;
    n->buckets = g_array_new(FALSE, TRUE, sizeof(StBucket));
    StBucket dummy = { 0, 0, 0 };
    g_array_append_val(n->buckets, dummy);
    n->burst_time = -1.0;
    if (as_parent)
        g_hash_table_insert(t->names, n->name, n);
    g_ptr_array_add(parent->children, n);
    if (parent->hash != NULL)
        g_hash_table_replace(parent->hash, n->name, n);
    return n;
}

static void
st_node_free(StNode *n, bool self)
{
    for (guint i = 0; i < n->children->len; i++)
        st_node_free(g_ptr_array_index(n->children, i), true);
    g_ptr_array_free(n->children, TRUE);
    if (n->hash)
        g_hash_table_destroy(n->hash);
    g_array_free(n->buckets, TRUE);
    if (self) {
        g_free(n->name);
        g_free(n);
    }
}

static void
st_init(StTree *t, const char *title)
{
    memset(t, 0, sizeof *t);
    t->title = title;
    t->root.children = g_ptr_array_new();
    t->root.buckets = g_array_new(FALSE, TRUE, sizeof(StBucket));
    t->names = g_hash_table_new(g_str_hash, g_str_equal);
    t->start = -1.0;
}

static void
st_clear(StTree *t)
{
    st_node_free(&t->root, false);
    g_hash_table_destroy(t->names);
}

/* A packet of the tap at `rel` (time since the capture's first frame). */
static void
st_packet(StTree *t, PeelTime rel)
{
    t->now = (double)rel.sec * 1000.0 + (double)rel.nsec / 1000000.0;
    if (t->start < 0.0)
        t->start = t->now;
    t->elapsed = t->now - t->start;
}

/* The most events in any burst window, and when that window started. */
static void
st_burst(StTree *t, StNode *n, int value)
{
    GArray *b = n->buckets;
    double cur = floor(t->now / ST_BURST_RES);
    double win = ST_BURST_WIN / ST_BURST_RES;
    StBucket *head = &g_array_index(b, StBucket, 0);
    StBucket *tail = &g_array_index(b, StBucket, b->len - 1);
    if (cur > tail->no) {
        StBucket nb = { cur, t->now, value };
        g_array_append_val(b, nb);
        n->bcount += value;
        while (cur >= g_array_index(b, StBucket, 0).no + win) {
            n->bcount -= g_array_index(b, StBucket, 0).count;
            g_array_remove_index(b, 0);
        }
    } else if (cur < head->no) {
        if (cur + win > tail->no) {
            StBucket nb = { cur, t->now, value };
            g_array_prepend_val(b, nb);
            n->bcount += value;
        }
    } else {
        guint i = b->len - 1;
        while (cur < g_array_index(b, StBucket, i).no)
            i--;
        StBucket *s = &g_array_index(b, StBucket, i);
        if (cur == s->no) {
            s->count += value;
            if (s->start > t->now)
                s->start = t->now;
        } else {
            StBucket nb = { cur, t->now, value };
            g_array_insert_val(b, i + 1, nb);
        }
        n->bcount += value;
    }
    if (n->bcount > n->max_burst) {
        n->max_burst = n->bcount;
        n->burst_time = g_array_index(b, StBucket, 0).start;
    }
}

static StNode *
st_create(StTree *t, const char *name, StNode *parent, bool with_hash)
{
    return st_node_new(t, name, parent ? parent : &t->root, with_hash, true);
}

/* tshark's tick_stat_node(): counts one under `parent`, making the node when new. */
static StNode *
st_tick(StTree *t, const char *name, StNode *parent, bool with_hash)
{
    if (parent == NULL)
        parent = &t->root;
    StNode *n = parent->hash ? g_hash_table_lookup(parent->hash, name)
                             : g_hash_table_lookup(t->names, name);
    if (n == NULL)
        n = st_node_new(t, name, parent, with_hash, with_hash);
    if (n == NULL)
        return NULL;
    n->counter++;
    st_burst(t, n, 1);
    return n;
}

static void
st_tick_pivot(StTree *t, StNode *pivot, const char *value)
{
    pivot->counter++;
    st_burst(t, pivot, 1);
    st_tick(t, value, pivot, false);
}

static char *
st_display_name(const char *name)
{
    /* the part after the last '/', "//" standing for a '/' */
    GString *s = g_string_new(NULL);
    for (const char *p = name; *p; p++) {
        if (*p == '/' && p[1] == '/') {
            g_string_append_c(s, '/');
            p++;
        } else if (*p == '/') {
            g_string_truncate(s, 0);
        } else {
            g_string_append_c(s, *p);
        }
    }
    return g_string_free(s, FALSE);
}

static guint
st_max_namelen(const StNode *n, guint indent, const char *root_name)
{
    guint max = 0;
    indent = MIN(indent, ST_INDENT_MAX);
    for (guint i = 0; i < n->children->len; i++)
        max = MAX(max, st_max_namelen(g_ptr_array_index(n->children, i), indent + 1, NULL));
    guint len;
    if (root_name != NULL) {
        len = (guint)strlen(root_name) + indent;
    } else if (n->root_child) {
        g_autofree char *d = st_display_name(n->name);
        len = (guint)strlen(d) + indent;
    } else {
        len = (guint)strlen(n->name) + indent;
    }
    return MAX(max, len);
}

static gint
st_sort(gconstpointer a, gconstpointer b)
{
    const StNode *x = *(const StNode *const *)a, *y = *(const StNode *const *)b;
    int r = x->counter - y->counter;
    if (r == 0)
        r = g_ascii_strcasecmp(x->name, y->name);
    return -r;
}

#define ST_COLS 9

static void
st_format_node(const StTree *t, const StNode *n, GString *s, guint indent, guint maxlen)
{
    char *v[ST_COLS];
    v[0] = n->root_child ? st_display_name(n->name) : g_strdup(n->name);
    v[1] = g_strdup_printf("%d", n->counter);
    v[2] = g_strdup("");
    v[3] = g_strdup("");
    v[4] = g_strdup("");
    v[5] = t->elapsed != 0.0 ? g_strdup_printf("%.4f", (double)(float)n->counter / t->elapsed)
                             : g_strdup("");
    if (n->parent != NULL && n->parent->counter != 0)
        v[6] = g_strdup_printf("%.2f%%", n->counter * 100.0 / n->parent->counter);
    else
        v[6] = g_strdup(n->parent == &t->root ? "100%" : "");
    v[7] = n->max_burst ? g_strdup_printf("%.4f", (double)n->max_burst / ST_BURST_WIN)
                        : g_strdup("-");
    v[8] = n->max_burst ? g_strdup_printf("%.3f", n->burst_time / 1000.0) : g_strdup("-");
    g_string_append_printf(s, "%*s%-*s", (int)indent, "", (int)(maxlen - indent), v[0]);
    for (int c = 1; c < ST_COLS; c++)
        g_string_append_printf(s, " %-13s", v[c]);
    g_string_append_c(s, '\n');
    for (int c = 0; c < ST_COLS; c++)
        g_free(v[c]);
    indent = MIN(indent + 1, ST_INDENT_MAX);
    if (n->children->len == 0)
        return;
    GPtrArray *sorted = g_ptr_array_copy(n->children, NULL, NULL);
    g_ptr_array_sort(sorted, st_sort);
    for (guint i = 0; i < sorted->len; i++)
        st_format_node(t, g_ptr_array_index(sorted, i), s, indent, maxlen);
    g_ptr_array_free(sorted, TRUE);
}

static const char *const st_columns[ST_COLS] = { "Topic / Item", "Count", "Average", "Min Val",
    "Max Val", "Rate (ms)", "Percent", "Burst Rate", "Burst Start" };

static void
st_format(const StTree *t, GString *s)
{
    g_autofree char *root_name = st_display_name(t->title);
    guint maxlen = st_max_namelen(&t->root, 0, root_name);
    guint sep_len = maxlen + (ST_COLS - 1) * 14;
    g_autofree char *eq = g_strnfill(sep_len, '=');
    g_autofree char *dash = g_strnfill(sep_len, '-');
    g_string_append_printf(s, "\n%s\n%s:\n%-*s", eq, t->title, (int)maxlen, st_columns[0]);
    for (int c = 1; c < ST_COLS; c++)
        g_string_append_printf(s, " %-13s", st_columns[c]);
    g_string_append_printf(s, "\n%s\n", dash);
    for (guint i = 0; i < t->root.children->len; i++)
        st_format_node(t, g_ptr_array_index(t->root.children, i), s, 0, maxlen);
    g_string_append_printf(s, "\n%s\n", dash);
}

/* ---- the three trees ---- */

typedef enum { TREE_PACKETS, TREE_REQUESTS, TREE_LOAD } TreeKind;

typedef struct {
    TreeKind kind;
    StTree t;
    StNode *packets, *requests, *responses, *resp[6], *other; /* TREE_PACKETS */
    StNode *by_host;                                          /* TREE_REQUESTS */
    StNode *reqs, *by_addr, *by_http_host, *resps_by_addr;    /* TREE_LOAD */
} HttpTree;

static const char *const resp_groups[6] = { "???: broken", "1xx: Informational", "2xx: Success",
    "3xx: Redirection", "4xx: Client Error", "5xx: Server Error" };

static void *
tree_open_kind(const char *arg, const char *name, TreeKind kind, GError **error)
{
    g_autofree char *want = g_strdup_printf("%s,tree", name);
    if (strcmp(arg, want) != 0) {
        g_set_error(error, PEEL_STATS_ERROR, PEEL_STATS_ERROR_ARG,
                "-z %s: expected %s (a display filter after it is not supported)", arg, want);
        return NULL;
    }
    HttpTree *h = g_new0(HttpTree, 1);
    h->kind = kind;
    if (kind == TREE_PACKETS) {
        st_init(&h->t, "HTTP/Packet Counter");
        h->packets = st_create(&h->t, "Total HTTP Packets", NULL, true);
        h->requests = st_create(&h->t, "HTTP Request Packets", h->packets, true); /* pivot */
        h->responses = st_create(&h->t, "HTTP Response Packets", h->packets, true);
        for (int i = 0; i < 6; i++)
            h->resp[i] = st_create(&h->t, resp_groups[i], h->responses, true);
        h->other = st_create(&h->t, "Other HTTP Packets", h->packets, false);
    } else if (kind == TREE_REQUESTS) {
        st_init(&h->t, "HTTP/Requests");
        h->by_host = st_create(&h->t, "HTTP Requests by HTTP Host", NULL, true);
    } else {
        st_init(&h->t, "HTTP/Load Distribution");
        h->reqs = st_create(&h->t, "HTTP Requests by Server", NULL, true);
        h->by_addr = st_create(&h->t, "HTTP Requests by Server Address", h->reqs, true);
        h->by_http_host = st_create(&h->t, "HTTP Requests by HTTP Host", h->reqs, true);
        h->resps_by_addr = st_create(&h->t, "HTTP Responses by Server Address", NULL, true);
    }
    return h;
}

static void *
tree_open_packets(const char *arg, GError **error)
{
    return tree_open_kind(arg, "http", TREE_PACKETS, error);
}

static void *
tree_open_requests(const char *arg, GError **error)
{
    return tree_open_kind(arg, "http_req", TREE_REQUESTS, error);
}

static void *
tree_open_load(const char *arg, GError **error)
{
    return tree_open_kind(arg, "http_srv", TREE_LOAD, error);
}

static void
tree_count_packets(HttpTree *h, const HttpMsg *m)
{
    StTree *t = &h->t;
    st_tick(t, "Total HTTP Packets", NULL, false);
    if (m->code != 0) {
        st_tick(t, "HTTP Response Packets", h->packets, false);
        uint32_t c = m->code;
        int g = (c < 100 || c >= 600) ? 0 : (int)(c / 100);
        st_tick(t, resp_groups[g], h->responses, false);
        const char *desc = peel_http_status_phrase(c);
        char str[64];
        if (desc != NULL)
            g_snprintf(str, sizeof str, "%u %s", c, desc);
        else
            g_snprintf(str, sizeof str, "%u Unknown (%u)", c, c);
        st_tick(t, str, h->resp[g], false);
    } else if (m->method != NULL) {
        g_autofree char *method = g_strndup(m->method, m->method_len);
        st_tick_pivot(t, h->requests, method);
    } else {
        st_tick(t, "Other HTTP Packets", h->packets, false);
    }
}

static void
tree_count_requests(HttpTree *h, const HttpMsg *m)
{
    StTree *t = &h->t;
    if (m->method == NULL)
        return;
    st_tick(t, "HTTP Requests by HTTP Host", NULL, false);
    if (m->host == NULL)
        return;
    g_autofree char *host = g_strndup(m->host, m->host_len);
    StNode *by_host = st_tick(t, host, h->by_host, true);
    if (by_host != NULL && m->uri != NULL) {
        g_autofree char *uri = g_strndup(m->uri, m->uri_len);
        st_tick(t, uri, by_host, true);
    }
}

static void
tree_count_load(HttpTree *h, const PeelPacket *pkt, const HttpMsg *m)
{
    StTree *t = &h->t;
    GString *addr = g_string_new(NULL);
    if (m->method != NULL) {
        peel_format_addr(addr, &pkt->net_dst);
        st_tick(t, "HTTP Requests by Server", NULL, false);
        st_tick(t, "HTTP Requests by Server Address", h->reqs, true);
        st_tick(t, "HTTP Requests by HTTP Host", h->reqs, true);
        StNode *by_addr = st_tick(t, addr->str, h->by_addr, true);
        if (m->host != NULL) {
            g_autofree char *host = g_strndup(m->host, m->host_len);
            StNode *by_host = st_tick(t, host, h->by_http_host, true);
            if (by_host != NULL)
                st_tick(t, addr->str, by_host, false);
            if (by_addr != NULL)
                st_tick(t, host, by_addr, false);
        }
    } else if (m->code != 0) {
        peel_format_addr(addr, &pkt->net_src);
        st_tick(t, "HTTP Responses by Server Address", NULL, false);
        StNode *by_addr = st_tick(t, addr->str, h->resps_by_addr, true);
        if (by_addr != NULL)
            st_tick(t, m->code > 100 && m->code < 400 ? "OK" : "KO", by_addr, false);
    }
    g_string_free(addr, TRUE);
}

static void
tree_msg(void *user, const PeelPacket *pkt, const HttpMsg *m)
{
    HttpTree *h = user;
    st_packet(&h->t, pkt->frame->rel);
    if (h->kind == TREE_PACKETS)
        tree_count_packets(h, m);
    else if (h->kind == TREE_REQUESTS)
        tree_count_requests(h, m);
    else
        tree_count_load(h, pkt, m);
}

static void
tree_packet(void *state, const PeelPacket *pkt)
{
    http_each_message(pkt, tree_msg, state);
}

static bool
tree_finish(void *state, FILE *out)
{
    HttpTree *h = state;
    g_autoptr(GString) s = g_string_new(NULL);
    st_format(&h->t, s);
    return fwrite(s->str, 1, s->len, out) == s->len;
}

static void
tree_close(void *state)
{
    HttpTree *h = state;
    st_clear(&h->t);
    g_free(h);
}

const PeelReportKind peel_report_http_tree = {
    .option = PEEL_REPORT_Z,
    .name = "http",
    .usage = "http,tree",
    .open = tree_open_packets,
    .packet = tree_packet,
    .finish = tree_finish,
    .close = tree_close,
};

const PeelReportKind peel_report_http_req_tree = {
    .option = PEEL_REPORT_Z,
    .name = "http_req",
    .usage = "http_req,tree",
    .open = tree_open_requests,
    .packet = tree_packet,
    .finish = tree_finish,
    .close = tree_close,
};

const PeelReportKind peel_report_http_srv_tree = {
    .option = PEEL_REPORT_Z,
    .name = "http_srv",
    .usage = "http_srv,tree",
    .open = tree_open_load,
    .packet = tree_packet,
    .finish = tree_finish,
    .close = tree_close,
};

/* ---- --export-objects http,DIR ---- */

#define EXPORT_MAX_NAME 255u

static void *
export_open(const char *arg, GError **error)
{
    return peel_export_open("http", arg, PEEL_EXPORT_NUMBER_AFTER, error);
}

/* A file name from the request URI as tshark makes it: the part after the last '/'
 * (g_path_get_basename: the query is kept, trailing slashes dropped, "/" for "/"), then
 * every character Windows or a shell path could misread written as %xx, at most
 * EXPORT_MAX_NAME bytes (keeping the extension). "." and ".." become %2e and %2e%2e: no
 * name leaves DIR. */
char *peel_http_export_name(const char *uri, size_t len);

char *
peel_http_export_name(const char *uri, size_t len)
{
    while (len > 1 && uri[len - 1] == '/')
        len--;
    size_t start = 0;
    for (size_t i = 0; i + 1 < len; i++)
        if (uri[i] == '/')
            start = i + 1;
    if (len == 0) {
        uri = ".";
        len = 1;
    }
    GString *s = g_string_new(NULL);
    for (size_t i = start; i < len; i++) {
        unsigned char c = (unsigned char)uri[i];
        if (c == 0 || c < 0x20 || strchr("<>:\"/\\|?*", c) != NULL)
            g_string_append_printf(s, "%%%02x", c);
        else
            g_string_append_c(s, (char)c);
    }
    if (strcmp(s->str, ".") == 0 || strcmp(s->str, "..") == 0) {
        gsize n = s->len;
        g_string_truncate(s, 0);
        for (gsize i = 0; i < n; i++)
            g_string_append(s, "%2e");
    }
    if (s->len > EXPORT_MAX_NAME) {
        const char *dot = strrchr(s->str, '.');
        size_t ext = dot ? strlen(dot) : 0;
        if (ext > 0 && ext < EXPORT_MAX_NAME) {
            g_autofree char *e = g_strdup(dot);
            g_string_truncate(s, EXPORT_MAX_NAME - ext);
            g_string_append(s, e);
        } else {
            g_string_truncate(s, EXPORT_MAX_NAME);
        }
    }
    return g_string_free(s, FALSE);
}

/* The request URI inside a full URI ("http://host/a/b" -> "/a/b"). */
static void
uri_of_full(const char **uri, uint32_t *len)
{
    const char *p = *uri;
    uint32_t n = *len;
    const char *scheme = n > 3 ? g_strstr_len(p, n, "://") : NULL;
    if (scheme == NULL)
        return;
    const char *host = scheme + 3;
    const char *slash = memchr(host, '/', n - (uint32_t)(host - p));
    if (slash == NULL)
        return;
    *len = n - (uint32_t)(slash - p);
    *uri = slash;
}

static void
export_msg(void *user, const PeelPacket *pkt, const HttpMsg *m)
{
    (void)pkt;
    if (m->body == NULL || m->body_len == 0)
        return;
    const char *uri = m->method != NULL ? m->uri : m->for_uri;
    uint32_t uri_len = m->method != NULL ? m->uri_len : m->for_uri_len;
    if (m->method == NULL && uri != NULL)
        uri_of_full(&uri, &uri_len);
    g_autofree char *name = peel_http_export_name(uri ? uri : "", uri ? uri_len : 0);
    peel_export_write(user, name, m->body, m->body_len);
}

static void
export_packet(void *state, const PeelPacket *pkt)
{
    http_each_message(pkt, export_msg, state);
}

static bool
export_finish(void *state, FILE *out)
{
    (void)out;
    return peel_export_finish(state, "objects");
}

static void
export_close(void *state)
{
    peel_export_close(state);
}

const PeelReportKind peel_report_export_http = {
    .option = PEEL_REPORT_EXPORT,
    .name = "http",
    .usage = "http,DIR",
    .open = export_open,
    .packet = export_packet,
    .finish = export_finish,
    .close = export_close,
};
