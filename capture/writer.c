/* writer.c: writes pcap files with libpcap's pcap_open_dead() and pcap_dump(). */
#include "writer.h"

#include "source-private.h"

#include <errno.h>
#include <fcntl.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_SNAPLEN 262144
#define IOBUF_SIZE      (1u << 20)

struct PeelWriter {
    char *path;
    pcap_t *dead;
    pcap_dumper_t *dumper;
    FILE *fp; /* owned by dumper */
    char *iobuf;
    int linktype;
    uint32_t snaplen;
    uint64_t count;
};

static void
writer_free(PeelWriter *w)
{
    if (w->dumper != NULL)
        pcap_dump_close(w->dumper); /* also fcloses w->fp */
    if (w->dead != NULL)
        pcap_close(w->dead);
    g_free(w->iobuf);
    g_free(w->path);
    g_free(w);
}

/* The FILE for path: for "-" a duplicate of stdout, so that pcap_dump_close() closes the
 * duplicate and leaves stdout usable. */
static FILE *
writer_fopen(const char *path)
{
    if (strcmp(path, "-") != 0)
        return fopen(path, "wbe");
    fflush(stdout);
    int fd = dup(STDOUT_FILENO);
    if (fd < 0)
        return NULL;
    FILE *fp = fdopen(fd, "wb");
    if (fp == NULL) {
        int saved = errno;
        close(fd);
        errno = saved;
    }
    return fp;
}

PeelWriter *
peel_writer_open(const char *path, int linktype, uint32_t snaplen, GError **error)
{
    g_return_val_if_fail(path != NULL, NULL);
    PeelWriter *w = g_new0(PeelWriter, 1);
    w->path = g_strdup(path);
    w->linktype = linktype;
    w->snaplen = snaplen > 0 ? snaplen : DEFAULT_SNAPLEN;
    w->dead = pcap_open_dead_with_tstamp_precision(peel_linktype_to_dlt(linktype),
            (int)MIN(w->snaplen, (uint32_t)G_MAXINT), PCAP_TSTAMP_PRECISION_MICRO);
    if (w->dead == NULL) {
        g_set_error(error, PEEL_CAPTURE_ERROR, PEEL_CAPTURE_ERROR_WRITE,
                "%s: cannot write link type %d", path, linktype);
        goto out_free;
    }
    w->fp = writer_fopen(path);
    if (w->fp == NULL) {
        g_set_error(error, PEEL_CAPTURE_ERROR, PEEL_CAPTURE_ERROR_WRITE, "%s: %s", path,
                g_strerror(errno));
        goto out_free;
    }
    w->iobuf = g_malloc(IOBUF_SIZE);
    setvbuf(w->fp, w->iobuf, _IOFBF, IOBUF_SIZE);
    w->dumper = pcap_dump_fopen(w->dead, w->fp);
    if (w->dumper == NULL) {
        /* The header goes into the empty stdio buffer and cannot fail, so this is a link
         * type with no LINKTYPE_ value, where libpcap leaves the FILE to us (it closes it
         * itself only when writing the header fails). */
        g_set_error(error, PEEL_CAPTURE_ERROR, PEEL_CAPTURE_ERROR_WRITE, "%s: %s", path,
                pcap_geterr(w->dead));
        fclose(w->fp);
        goto out_free;
    }
    return w;

out_free:
    writer_free(w);
    return NULL;
}

bool
peel_writer_write(PeelWriter *w, const PeelFrame *frame, GError **error)
{
    g_return_val_if_fail(w != NULL && frame != NULL, false);
    if (frame->linktype != w->linktype) {
        g_set_error(error, PEEL_CAPTURE_ERROR, PEEL_CAPTURE_ERROR_WRITE,
                "%s: frame %u has link type %s (%d), but the file holds %s (%d); a pcap file "
                "has one link type",
                w->path, frame->number, peel_linktype_name(frame->linktype), frame->linktype,
                peel_linktype_name(w->linktype), w->linktype);
        return false;
    }
    struct pcap_pkthdr h = {
        .ts.tv_sec = (time_t)frame->ts_sec,
        .ts.tv_usec = (suseconds_t)(frame->ts_nsec / 1000),
        .caplen = MIN(frame->cap_len, w->snaplen),
        .len = frame->orig_len,
    };
    pcap_dump((u_char *)w->dumper, &h, frame->data);
    if (ferror(w->fp)) {
        g_set_error(error, PEEL_CAPTURE_ERROR, PEEL_CAPTURE_ERROR_WRITE, "%s: %s", w->path,
                g_strerror(errno));
        return false;
    }
    w->count++;
    return true;
}

bool
peel_writer_close(PeelWriter *w, GError **error)
{
    if (w == NULL)
        return true;
    bool ok = true;
    errno = 0;
    if (pcap_dump_flush(w->dumper) < 0 || ferror(w->fp)) {
        g_set_error(error, PEEL_CAPTURE_ERROR, PEEL_CAPTURE_ERROR_WRITE, "%s: %s", w->path,
                errno != 0 ? g_strerror(errno) : "write failed");
        ok = false;
    }
    writer_free(w);
    return ok;
}

uint64_t
peel_writer_count(const PeelWriter *w)
{
    return w->count;
}
