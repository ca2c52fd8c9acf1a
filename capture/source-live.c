/* source-live.c: live capture through libpcap (pcap_create/pcap_activate, BPF filters,
 * interface listing). */
#include "source.h"

#include "source-private.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>

#define DEFAULT_SNAPLEN    262144
#define DEFAULT_TIMEOUT_MS 100

struct PeelLiveState {
    pcap_t *pcap;
    bool nsec; /* timestamps are in nanoseconds (pcap_set_tstamp_precision worked) */
    int linktype;
    uint32_t next_number;
};

void
peel_source_live_free(PeelLiveState *live)
{
    if (live->pcap != NULL)
        pcap_close(live->pcap);
    g_free(live);
}

/* A pcap_activate() failure in words: libpcap's own text when it has one. */
static void
live_activate_error(GError **error, const char *iface, pcap_t *p, int status)
{
    const char *detail = pcap_geterr(p);
    const char *what = pcap_statustostr(status);
    int code = PEEL_CAPTURE_ERROR_OPEN;
    if (detail != NULL && detail[0] != '\0')
        g_set_error(error, PEEL_CAPTURE_ERROR, code, "%s: %s (%s)", iface, what, detail);
    else
        g_set_error(error, PEEL_CAPTURE_ERROR, code, "%s: %s", iface, what);
}

static bool
live_set_filter(pcap_t *p, const char *iface, const char *filter, GError **error)
{
    struct bpf_program prog;
    /* PCAP_NETMASK_UNKNOWN: only "ip broadcast" needs the real netmask */
    if (pcap_compile(p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) < 0) {
        g_set_error(error, PEEL_CAPTURE_ERROR, PEEL_CAPTURE_ERROR_FILTER,
                "%s: invalid capture filter \"%s\": %s", iface, filter, pcap_geterr(p));
        return false;
    }
    int r = pcap_setfilter(p, &prog);
    pcap_freecode(&prog);
    if (r < 0) {
        g_set_error(error, PEEL_CAPTURE_ERROR, PEEL_CAPTURE_ERROR_FILTER,
                "%s: cannot set capture filter \"%s\": %s", iface, filter, pcap_geterr(p));
        return false;
    }
    return true;
}

PeelSource *
peel_source_open_live(const char *iface, const PeelLiveOptions *opt, GError **error)
{
    g_return_val_if_fail(iface != NULL, NULL);
    PeelLiveOptions defaults = { 0, true, NULL, 0 };
    if (opt == NULL)
        opt = &defaults;
    char errbuf[PCAP_ERRBUF_SIZE] = "";
    pcap_t *p = pcap_create(iface, errbuf);
    if (p == NULL) {
        g_set_error(error, PEEL_CAPTURE_ERROR, PEEL_CAPTURE_ERROR_OPEN, "%s: %s", iface, errbuf);
        return NULL;
    }
    int snaplen = opt->snaplen > 0 ? opt->snaplen : DEFAULT_SNAPLEN;
    pcap_set_snaplen(p, snaplen);
    pcap_set_promisc(p, opt->promiscuous ? 1 : 0);
    pcap_set_timeout(p, opt->buffer_ms > 0 ? opt->buffer_ms : DEFAULT_TIMEOUT_MS);
    pcap_set_immediate_mode(p, 1);
    bool nsec = pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO) == 0;

    int status = pcap_activate(p);
    if (status < 0) {
        live_activate_error(error, iface, p, status);
        pcap_close(p);
        return NULL;
    }
    /* status > 0 is a warning (e.g. promiscuous mode not supported): capture goes on */
    if (opt->filter != NULL && opt->filter[0] != '\0' &&
            !live_set_filter(p, iface, opt->filter, error)) {
        pcap_close(p);
        return NULL;
    }

    PeelSource *src = peel_source_new(PEEL_FILE_LIVE, iface);
    PeelLiveState *live = src->live = g_new0(PeelLiveState, 1);
    live->pcap = p;
    live->nsec = nsec && pcap_get_tstamp_precision(p) == PCAP_TSTAMP_PRECISION_NANO;
    live->linktype = peel_dlt_to_linktype(pcap_datalink(p));
    live->next_number = 1;
    PeelSourceIface *si = peel_source_add_iface(src, live->linktype, (uint32_t)snaplen);
    si->pub.name = si->name = g_strdup(iface);
    return src;
}

int
peel_source_live_next(PeelSource *src, PeelFrame *frame, GError **error)
{
    PeelLiveState *live = src->live;
    for (;;) {
        if (src->broken)
            return 0;
        struct pcap_pkthdr *h;
        const u_char *data;
        int r = pcap_next_ex(live->pcap, &h, &data);
        if (r == 1) {
            frame->number = live->next_number++;
            frame->ts_sec = h->ts.tv_sec;
            frame->ts_nsec = (uint32_t)(live->nsec ? h->ts.tv_usec : h->ts.tv_usec * 1000);
            frame->cap_len = h->caplen;
            frame->orig_len = h->len;
            frame->iface = 0;
            frame->linktype = live->linktype;
            frame->offset = 0;
            frame->data = data;
            frame->comment = NULL;
            frame->no_ts = false;
            return 1;
        }
        if (r == 0) /* the read timeout expired with nothing to read */
            continue;
        if (r == PCAP_ERROR_BREAK)
            return 0;
        g_set_error(error, PEEL_CAPTURE_ERROR, PEEL_CAPTURE_ERROR_LIVE, "%s: %s", src->path,
                pcap_geterr(live->pcap));
        return -1;
    }
}

void
peel_source_live_break(PeelSource *src)
{
    /* pcap_breakloop() only sets a flag (and on Linux writes to an eventfd to wake a
     * blocked poll), so it is safe from a signal handler or another thread */
    pcap_breakloop(src->live->pcap);
}

bool
peel_source_live_stats(PeelSource *src, uint64_t *received, uint64_t *dropped)
{
    struct pcap_stat st;
    if (pcap_stats(src->live->pcap, &st) < 0)
        return false;
    if (received != NULL)
        *received = st.ps_recv;
    if (dropped != NULL)
        *dropped = st.ps_drop;
    return true;
}

/* Fallback names keep their text in per-value static buffers: the API promises static
 * strings, and link types outside libpcap's table are rare. */
#define FALLBACK_SLOTS 64

static const char *
linktype_fallback(int linktype, bool description)
{
    static char names[FALLBACK_SLOTS][32];
    static char descriptions[FALLBACK_SLOTS][32];
    static int values[FALLBACK_SLOTS];
    static int n_values;
    G_LOCK_DEFINE_STATIC(fallback);

    G_LOCK(fallback);
    int i;
    for (i = 0; i < n_values && values[i] != linktype; i++)
        ;
    if (i == n_values) {
        i = n_values < FALLBACK_SLOTS ? n_values++ : FALLBACK_SLOTS - 1;
        values[i] = linktype;
        snprintf(names[i], sizeof names[i], "LINKTYPE_%d", linktype);
        snprintf(descriptions[i], sizeof descriptions[i], "Link type %d", linktype);
    }
    const char *s = description ? descriptions[i] : names[i];
    G_UNLOCK(fallback);
    return s;
}

/* Files carry LINKTYPE_* values, libpcap's handles and name tables DLT_* values; they
 * differ for a few historical types (LINKTYPE_RAW is 101, DLT_RAW 12 or 14 by OS). */
static const struct {
    int linktype;
    int dlt;
} linktype_dlt_map[] = {
    { 100, DLT_ATM_RFC1483 },
    { 101, DLT_RAW },
    { 102, DLT_SLIP_BSDOS },
    { 103, DLT_PPP_BSDOS },
    { 106, DLT_ATM_CLIP },
};

int
peel_linktype_to_dlt(int linktype)
{
    for (size_t i = 0; i < G_N_ELEMENTS(linktype_dlt_map); i++)
        if (linktype_dlt_map[i].linktype == linktype)
            return linktype_dlt_map[i].dlt;
    return linktype;
}

int
peel_dlt_to_linktype(int dlt)
{
    for (size_t i = 0; i < G_N_ELEMENTS(linktype_dlt_map); i++)
        if (linktype_dlt_map[i].dlt == dlt)
            return linktype_dlt_map[i].linktype;
    return dlt;
}

const char *
peel_linktype_name(int linktype)
{
    const char *name = pcap_datalink_val_to_name(peel_linktype_to_dlt(linktype));
    return name != NULL ? name : linktype_fallback(linktype, false);
}

const char *
peel_linktype_description(int linktype)
{
    const char *desc = pcap_datalink_val_to_description(peel_linktype_to_dlt(linktype));
    return desc != NULL ? desc : linktype_fallback(linktype, true);
}

bool
peel_list_interfaces(GString *out, GError **error)
{
    char errbuf[PCAP_ERRBUF_SIZE] = "";
    pcap_if_t *all;
    if (pcap_findalldevs(&all, errbuf) < 0) {
        g_set_error(error, PEEL_CAPTURE_ERROR, PEEL_CAPTURE_ERROR_OPEN,
                "cannot list interfaces: %s", errbuf);
        return false;
    }
    int n = 0;
    for (pcap_if_t *d = all; d != NULL; d = d->next) {
        g_string_append_printf(out, "%d. %s", ++n, d->name);
        if (d->description != NULL && d->description[0] != '\0')
            g_string_append_printf(out, " (%s)", d->description);
        else if (d->flags & PCAP_IF_LOOPBACK) /* as tshark -D names it */
            g_string_append(out, " (Loopback)");
        g_string_append_c(out, '\n');
    }
    pcap_freealldevs(all);
    return true;
}
