/* test-live.c: live capture on the loopback interface through libpcap; skipped without
 * the privilege to capture (root or CAP_NET_RAW). */
#include "source.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define CAP_NET_RAW_BIT 13

/* Root, or CAP_NET_RAW in the effective set (/proc/self/status, no libcap needed). */
static bool
can_capture(void)
{
    if (geteuid() == 0)
        return true;
    g_autofree char *status = NULL;
    if (!g_file_get_contents("/proc/self/status", &status, NULL, NULL))
        return false;
    const char *line = strstr(status, "\nCapEff:");
    if (line == NULL)
        return false;
    guint64 caps = g_ascii_strtoull(line + 8, NULL, 16);
    return (caps >> CAP_NET_RAW_BIT) & 1;
}

/* Opens lo with filter, or skips the test (returning NULL) when capturing is impossible
 * here: no privilege, or a sandbox without packet sockets. */
static PeelSource *
open_lo_or_skip(const char *filter)
{
    if (!can_capture()) {
        g_test_skip("live capture needs root or CAP_NET_RAW");
        return NULL;
    }
    PeelLiveOptions opt = { 0, false, filter, 50 };
    GError *error = NULL;
    PeelSource *src = peel_source_open_live("lo", &opt, &error);
    if (src == NULL && g_error_matches(error, PEEL_CAPTURE_ERROR, PEEL_CAPTURE_ERROR_OPEN)) {
        g_autofree char *msg = g_strdup_printf("cannot capture on lo here: %s", error->message);
        g_test_skip(msg);
        g_error_free(error);
        return NULL;
    }
    g_assert_no_error(error);
    return src;
}

static gpointer
break_later(gpointer data)
{
    g_usleep(200 * 1000);
    peel_source_break(data);
    return NULL;
}

/* A watchdog: if the datagrams never show up, stop the capture instead of hanging. */
typedef struct {
    PeelSource *src;
    GMutex lock;
    GCond cond;
    bool done;
} Watchdog;

static gpointer
watchdog(gpointer data)
{
    Watchdog *w = data;
    gint64 deadline = g_get_monotonic_time() + 5 * G_TIME_SPAN_SECOND;
    g_mutex_lock(&w->lock);
    while (!w->done)
        if (!g_cond_wait_until(&w->cond, &w->lock, deadline))
            break;
    if (!w->done)
        peel_source_break(w->src);
    g_mutex_unlock(&w->lock);
    return NULL;
}

static void
watchdog_stop(Watchdog *w, GThread *thread)
{
    g_mutex_lock(&w->lock);
    w->done = true;
    g_cond_signal(&w->cond);
    g_mutex_unlock(&w->lock);
    g_thread_join(thread);
    g_mutex_clear(&w->lock);
    g_cond_clear(&w->cond);
}

static void
test_udp_on_lo(void)
{
    uint16_t port = (uint16_t)g_random_int_range(40000, 60000);
    g_autofree char *filter = g_strdup_printf("udp port %u", port);
    g_autoptr(PeelSource) src = open_lo_or_skip(filter);
    if (src == NULL)
        return;
    g_assert_cmpint(peel_source_kind(src), ==, PEEL_FILE_LIVE);
    g_assert_cmpuint(peel_source_n_interfaces(src), ==, 1);
    g_assert_cmpstr(peel_source_interface(src, 0)->name, ==, "lo");
    int linktype = peel_source_interface(src, 0)->linktype;
    g_assert_cmpint(linktype, ==, 1); /* Linux gives lo an Ethernet header */

    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    g_assert_cmpint(fd, >=, 0);
    struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(port) };
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const size_t sizes[] = { 10, 100, 1000 };
    static char data[1000];
    for (size_t i = 0; i < G_N_ELEMENTS(sizes); i++) {
        memset(data, 'a' + (int)i, sizes[i]);
        ssize_t n = sendto(fd, data, sizes[i], 0, (struct sockaddr *)&to, sizeof to);
        g_assert_cmpint(n, ==, (ssize_t)sizes[i]);
    }
    close(fd);

    Watchdog w = { .src = src };
    g_mutex_init(&w.lock);
    g_cond_init(&w.cond);
    GThread *dog = g_thread_new("watchdog", watchdog, &w);
    for (size_t i = 0; i < G_N_ELEMENTS(sizes); i++) {
        PeelFrame f;
        GError *error = NULL;
        int r = peel_source_next(src, &f, &error);
        g_assert_no_error(error);
        g_assert_cmpint(r, ==, 1);
        g_assert_cmpuint(f.number, ==, i + 1);
        g_assert_cmpuint(f.orig_len, ==, 14 + 20 + 8 + sizes[i]);
        g_assert_cmpuint(f.cap_len, ==, f.orig_len);
        g_assert_cmpint(f.linktype, ==, linktype);
        g_assert_cmpuint(f.ts_nsec, <, 1000000000u);
        g_assert_cmpint(f.ts_sec, >, 1600000000);
        g_assert_cmpuint(f.data[14 + 20 + 8], ==, 'a' + i); /* the payload */
    }
    uint64_t received = 0, dropped = 0;
    g_assert_true(peel_source_stats(src, &received, &dropped));
    g_assert_cmpuint(received, >=, 3);

    /* nothing more comes: a break from another thread ends the wait */
    peel_source_break(src);
    PeelFrame f;
    GError *error = NULL;
    g_assert_cmpint(peel_source_next(src, &f, &error), ==, 0);
    g_assert_no_error(error);
    watchdog_stop(&w, dog);
}

static void
test_break_while_waiting(void)
{
    g_autoptr(PeelSource) src = open_lo_or_skip("udp port 9 and host 192.0.2.1");
    if (src == NULL)
        return;
    GThread *t = g_thread_new("break", break_later, src);
    PeelFrame f;
    GError *error = NULL;
    gint64 start = g_get_monotonic_time();
    g_assert_cmpint(peel_source_next(src, &f, &error), ==, 0);
    g_assert_no_error(error);
    g_assert_cmpint(g_get_monotonic_time() - start, <, 3 * G_USEC_PER_SEC);
    g_thread_join(t);
}

static void
test_bad_filter(void)
{
    if (!can_capture()) {
        g_test_skip("live capture needs root or CAP_NET_RAW");
        return;
    }
    PeelLiveOptions opt = { 0, false, "udp port nonsense", 50 };
    GError *error = NULL;
    PeelSource *src = peel_source_open_live("lo", &opt, &error);
    if (g_error_matches(error, PEEL_CAPTURE_ERROR, PEEL_CAPTURE_ERROR_OPEN)) {
        g_test_skip(error->message);
        g_error_free(error);
        return;
    }
    g_assert_null(src);
    g_assert_error(error, PEEL_CAPTURE_ERROR, PEEL_CAPTURE_ERROR_FILTER);
    /* then libpcap's own words ("unknown port 'nonsense'" in 1.10) */
    const char *prefix = "lo: invalid capture filter \"udp port nonsense\": ";
    g_assert_true(g_str_has_prefix(error->message, prefix));
    g_assert_cmpuint(strlen(error->message), >, strlen(prefix));
    g_error_free(error);
}

/* No such interface: an open error whatever our privileges. */
static void
test_no_such_interface(void)
{
    GError *error = NULL;
    PeelSource *src = peel_source_open_live("peel-nosuch0", NULL, &error);
    g_assert_null(src);
    g_assert_error(error, PEEL_CAPTURE_ERROR, PEEL_CAPTURE_ERROR_OPEN);
    g_assert_true(g_str_has_prefix(error->message, "peel-nosuch0: "));
    g_error_free(error);
}

static void
test_list_interfaces(void)
{
    g_autoptr(GString) out = g_string_new(NULL);
    GError *error = NULL;
    if (!peel_list_interfaces(out, &error)) {
        g_test_skip(error->message);
        g_error_free(error);
        return;
    }
    g_assert_true(g_str_has_prefix(out->str, "1. "));
    g_assert_true(g_str_has_suffix(out->str, "\n"));
    /* lo is there, named as tshark -D names it */
    g_assert_true(strstr(out->str, ". lo (Loopback)\n") != NULL || strstr(out->str, ". lo\n"));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/live/udp-on-lo", test_udp_on_lo);
    g_test_add_func("/live/break-while-waiting", test_break_while_waiting);
    g_test_add_func("/live/bad-filter", test_bad_filter);
    g_test_add_func("/live/no-such-interface", test_no_such_interface);
    g_test_add_func("/live/list-interfaces", test_list_interfaces);
    return g_test_run();
}
