/* report.h: the reports one run can ask for, `-z NAME[,ARGS]` and
 * `--export-objects PROTO,DIR`, as plug-ins. Each kind of report is a PeelReportKind
 * listed in report.c; a report reads each dissected packet's flat field list (and, when
 * it wants them, the reassembled stream bytes) and writes its text at the end of the run.
 *
 * To add a report: write cli/report-NAME.c defining a `const PeelReportKind`, declare it
 * at the bottom of this file, list it in report.c's table and the file in
 * cli/meson.build. */
#pragma once

#include <glib.h>
#include <stdio.h>

#include "dissector.h"

typedef enum {
    PEEL_REPORT_Z,      /* -z ARG */
    PEEL_REPORT_EXPORT, /* --export-objects ARG */
} PeelReportOption;

/* What a report needs from the dissector; the run ORs them over its reports. */
enum {
    PEEL_REPORT_NEEDS_TREE = 1u << 0, /* field texts (peel_set_text), as for -V */
    PEEL_REPORT_NEEDS_INFO = 1u << 1, /* the Info column */
};

typedef struct {
    PeelReportOption option;
    /* The leading comma-separated words of the argument this kind claims: "conv",
     * "follow,tcp", "http,tree". The longest name that matches a whole-word prefix of the
     * argument wins. */
    const char *name;
    /* The argument's syntax for usage messages: "conv,TYPE". */
    const char *usage;
    unsigned needs; /* PEEL_REPORT_NEEDS_* */
    /* Parses the whole argument ("follow,tcp,ascii,3") and returns the report's state, or
     * NULL with `error` set (PEEL_STATS_ERROR_ARG) when the argument is wrong. */
    void *(*open)(const char *arg, GError **error);
    /* Each dissected packet of the capture, once, in order (first pass only). May be
     * NULL. */
    void (*packet)(void *state, const PeelPacket *pkt);
    /* Each run of in-order stream bytes (peel_dissector_set_stream_tap). May be NULL. */
    void (*chunk)(void *state, const PeelStreamChunk *chunk);
    /* Notes on connections still open when the capture ended (peel_dissector_finish): a
     * packet without bytes whose expert notes are those, pkt->frame->number the frame they
     * concern. May be NULL. */
    void (*capture_end)(void *state, const PeelPacket *pkt);
    /* At the end of the run: writes the report to `out` (export reports write their
     * files). Returns false with errno set when writing fails. */
    bool (*finish)(void *state, FILE *out);
    void (*close)(void *state);
} PeelReportKind;

/* The report kinds of the table, for usage messages and tests. */
const PeelReportKind *const *peel_report_kinds(guint *n);

/* ---- The reports of one run ---- */

typedef struct PeelStats PeelStats;

#define PEEL_STATS_ERROR (peel_stats_error_quark())
GQuark peel_stats_error_quark(void);

typedef enum {
    PEEL_STATS_ERROR_ARG, /* a -z or --export-objects argument peel does not know or cannot do */
} PeelStatsError;

/* Opens the reports the -z arguments (`z_args`) and --export-objects arguments
 * (`export_args`) ask for; either may be NULL. NULL with `error` set (a usage error) when
 * one is unknown or wrong. Needs the registry initialised. */
PeelStats *peel_stats_new(char **z_args, char **export_args, GError **error);
void peel_stats_free(PeelStats *stats);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(PeelStats, peel_stats_free)

/* PEEL_REPORT_NEEDS_* of all the reports. */
unsigned peel_stats_needs(const PeelStats *stats);
/* Sets the dissector's stream tap when a report reads stream bytes; call before the
 * first frame. The dissector must not outlive `stats` while frames are dissected. */
void peel_stats_attach(PeelStats *stats, PeelDissector *dis);
/* Feeds one dissected packet to every report. */
void peel_stats_packet(PeelStats *stats, const PeelPacket *pkt);
/* Feeds the notes of the capture's end (a PeelCaptureEndFn packet) to the reports that
 * count them. */
void peel_stats_capture_end(PeelStats *stats, const PeelPacket *pkt);
/* Finishes every report: -z reports in the reverse order of the arguments, as tshark
 * prints them, then the exports. Returns false when writing fails. */
bool peel_stats_write(PeelStats *stats, FILE *out);

/* ---- The kinds ---- */

extern const PeelReportKind peel_report_stun_transactions; /* report-stun.c */
extern const PeelReportKind peel_report_conv;        /* stats.c: -z conv,TYPE */
extern const PeelReportKind peel_report_endpoints;   /* stats.c: -z endpoints,TYPE */
extern const PeelReportKind peel_report_follow_tcp;  /* follow.c: -z follow,tcp,MODE,N */
extern const PeelReportKind peel_report_follow_udp;  /* follow.c: -z follow,udp,MODE,N */
/* report-websocket.c: -z follow,websocket,N and --export-objects websocket,DIR */
extern const PeelReportKind peel_report_follow_websocket;
extern const PeelReportKind peel_report_export_websocket;
/* report-http.c: -z http,tree, -z http_req,tree, -z http_srv,tree, --export-objects http,DIR */
extern const PeelReportKind peel_report_http_tree;
extern const PeelReportKind peel_report_http_req_tree;
extern const PeelReportKind peel_report_http_srv_tree;
extern const PeelReportKind peel_report_export_http;
extern const PeelReportKind peel_report_amqp_stats;  /* report-amqp.c: -z amqp,stats */
extern const PeelReportKind peel_report_grpc_calls;    /* report-grpc.c: -z grpc,calls */
extern const PeelReportKind peel_report_follow_http2;  /* report-grpc.c: -z follow,http2,... */
extern const PeelReportKind peel_report_export_http2;  /* report-grpc.c: --export-objects http2,DIR */
extern const PeelReportKind peel_report_io_phs;      /* report-phs.c: -z io,phs[,FILTER] */
extern const PeelReportKind peel_report_io_stat;     /* report-io.c: -z io,stat,INTERVAL,... */
extern const PeelReportKind peel_report_expert;      /* report-expert.c: -z expert[,...] */
