/* report-phs.c: -z io,phs[,FILTER], the protocol hierarchy as tshark 4.0 prints it
 * (ui/cli/tap-protohierstat.c): each packet counts along the path of its tree's top-level
 * items, frames and bytes per node. */
#include <inttypes.h>
#include <string.h>

#include "registry.h"
#include "report-io.h"

/* ---- io,phs ---- */

typedef struct {
    uint32_t field;   /* field id of the tree item */
    uint32_t child;   /* first child + 1, 0: none */
    uint32_t sibling; /* next sibling + 1, 0: none */
    uint32_t frames;
    uint64_t bytes;
} PhsNode;

struct PeelPhs {
    char *filter_text;
    PeelReportFilter *filter;
    GArray *nodes; /* PhsNode; index 0 is a sentinel root whose children are the tops */
    int frame_id;  /* "frame": tshark's hierarchy starts below it */
    int segments_id;
};

PeelPhs *
peel_phs_open(const char *arg, GError **error)
{
    const char *filter = NULL;
    if (strcmp(arg, "io,phs") == 0) {
        /* no filter */
    } else if (g_str_has_prefix(arg, "io,phs,")) {
        filter = arg + 7;
    } else {
        g_set_error(error, PEEL_STATS_ERROR, PEEL_STATS_ERROR_ARG,
                "-z %s: expected io,phs[,FILTER]", arg);
        return NULL;
    }
    g_autoptr(GError) ferr = NULL;
    PeelReportFilter *f = peel_report_filter_new(filter, &ferr);
    if (ferr != NULL) {
        g_set_error(error, PEEL_STATS_ERROR, PEEL_STATS_ERROR_ARG, "-z %s: %s", arg,
                ferr->message);
        return NULL;
    }
    PeelPhs *phs = g_new0(PeelPhs, 1);
    phs->filter = f;
    phs->filter_text = g_strdup(filter);
    phs->nodes = g_array_new(FALSE, TRUE, sizeof(PhsNode));
    PhsNode root = { 0 };
    g_array_append_val(phs->nodes, root);
    phs->frame_id = peel_field_lookup("frame");
    phs->segments_id = peel_field_lookup("tcp.segments");
    return phs;
}

void
peel_phs_free(PeelPhs *phs)
{
    if (phs == NULL)
        return;
    peel_report_filter_free(phs->filter);
    g_free(phs->filter_text);
    g_array_unref(phs->nodes);
    g_free(phs);
}

/* The child of `parent` for `field`, added at the end of its children when new; 0 when
 * the hierarchy is full. */
static uint32_t
phs_child(PeelPhs *phs, uint32_t parent, uint32_t field)
{
    PhsNode *p = &g_array_index(phs->nodes, PhsNode, parent);
    uint32_t last = 0;
    for (uint32_t c = p->child; c != 0; c = g_array_index(phs->nodes, PhsNode, c - 1).sibling) {
        if (g_array_index(phs->nodes, PhsNode, c - 1).field == field)
            return c - 1;
        last = c;
    }
    if (phs->nodes->len >= PEEL_PHS_MAX_NODES)
        return 0;
    PhsNode n = { .field = field };
    g_array_append_val(phs->nodes, n);
    uint32_t idx = phs->nodes->len - 1;
    if (last == 0)
        g_array_index(phs->nodes, PhsNode, parent).child = idx + 1;
    else
        g_array_index(phs->nodes, PhsNode, last - 1).sibling = idx + 1;
    return idx;
}

static uint32_t
phs_count(PeelPhs *phs, uint32_t at, uint32_t field, uint32_t len)
{
    uint32_t n = phs_child(phs, at, field);
    if (n == 0)
        return at; /* full: count in the deepest node that exists */
    PhsNode *node = &g_array_index(phs->nodes, PhsNode, n);
    node->frames++;
    node->bytes += len;
    return n;
}

/* tshark counts each packet along the path of its tree's top-level items below "frame"
 * (protocols, and items such as tcp.segments that Wireshark adds at the top).
 * Wireshark adds the [Reassembled TCP Segments] item after the protocols dissected from
 * the reassembled bytes; peel keeps it under TCP, so it is counted where tshark shows
 * it: after those protocols, before the next item from the frame's own bytes. */
void
peel_phs_packet(PeelPhs *phs, const PeelPacket *pkt)
{
    if (!peel_report_filter_match(phs->filter, pkt))
        return;
    uint32_t at = 0, pending = 0, len = pkt->frame->len;
    for (uint32_t i = 0; i < pkt->n_fields; i++) {
        const PeelField *fl = &pkt->fields[i];
        if (fl->parent >= 0) {
            if ((int)fl->id == phs->segments_id)
                pending++;
            continue;
        }
        if (pending > 0 && fl->src == 0) {
            for (; pending > 0; pending--)
                at = phs_count(phs, at, (uint32_t)phs->segments_id, len);
        }
        if ((int)fl->id == phs->frame_id)
            continue;
        at = phs_count(phs, at, fl->id, len);
    }
    for (; pending > 0; pending--)
        at = phs_count(phs, at, (uint32_t)phs->segments_id, len);
}

static void
phs_draw(const PeelPhs *phs, uint32_t first, int indent, GString *out)
{
    for (uint32_t c = first; c != 0; c = g_array_index(phs->nodes, PhsNode, c - 1).sibling) {
        const PhsNode *n = &g_array_index(phs->nodes, PhsNode, c - 1);
        char name[80];
        size_t off = 0;
        /* tshark draws at most 16 levels of two spaces, then "..." */
        for (int i = 0; i < indent && off < sizeof name - 4; i++) {
            if (i > 15) {
                memcpy(name + off, "...", 3);
                off += 3;
                break;
            }
            name[off++] = ' ';
            name[off++] = ' ';
        }
        name[off] = '\0';
        g_strlcat(name, peel_field_def(n->field)->name, sizeof name);
        g_string_append_printf(
                out, "%-40s frames:%u bytes:%" PRIu64 "\n", name, n->frames, n->bytes);
        phs_draw(phs, n->child, indent + 1, out);
    }
}

void
peel_phs_print(const PeelPhs *phs, GString *out)
{
    g_string_append(out, "\n===================================================================\n"
                         "Protocol Hierarchy Statistics\n");
    g_string_append_printf(out, "Filter: %s\n\n", phs->filter_text ? phs->filter_text : "");
    phs_draw(phs, g_array_index(phs->nodes, PhsNode, 0).child, 0, out);
    g_string_append(out, "===================================================================\n");
}

/* ---- The report kind (report.h) ---- */

static void *
phs_open(const char *arg, GError **error)
{
    return peel_phs_open(arg, error);
}

static void
phs_packet(void *state, const PeelPacket *pkt)
{
    peel_phs_packet(state, pkt);
}

static bool
phs_finish(void *state, FILE *out)
{
    g_autoptr(GString) text = g_string_new(NULL);
    peel_phs_print(state, text);
    return peel_report_write_text(text, out);
}

static void
phs_close(void *state)
{
    peel_phs_free(state);
}

const PeelReportKind peel_report_io_phs = {
    .option = PEEL_REPORT_Z,
    .name = "io,phs",
    .usage = "io,phs[,FILTER]",
    .open = phs_open,
    .packet = phs_packet,
    .finish = phs_finish,
    .close = phs_close,
};
