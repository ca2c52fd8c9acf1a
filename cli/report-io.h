/* report-io.h: the generic -z reports laid out as tshark 4.0 prints them: io,phs
 * (ui/cli/tap-protohierstat.c), io,stat (ui/cli/tap-iostat.c) and expert
 * (ui/cli/tap-expert.c). The kinds are listed in report.h; this header exposes the pieces
 * the unit tests drive directly. */
#pragma once

#include <glib.h>

#include "report.h"

/* ---- Filters of these reports ---- */

/* A -z report's display filter ("io,phs,FILTER", "io,stat,1,FILTER", "expert,FILTER").
 * Compiled once when the report opens. */
typedef struct PeelReportFilter PeelReportFilter;

/* Compiles `text` with the display filter compiler (dfilter.h); NULL text or "" gives
 * NULL (every packet matches) without an error. On a bad filter returns NULL with `error`
 * set (PEEL_STATS_ERROR_ARG, the compiler's message). */
PeelReportFilter *peel_report_filter_new(const char *text, GError **error);
/* True when the packet passes (always for a NULL filter). Not thread-safe: the compiled
 * filter keeps a scratch buffer. */
bool peel_report_filter_match(PeelReportFilter *f, const PeelPacket *pkt);
void peel_report_filter_free(PeelReportFilter *f);

/* ---- io,stat ---- */

/* The interval argument of io,stat as tshark reads it from `text` (the rest of the
 * argument: "0.5" or "1.00,udp"): seconds with up to six decimals, rounded to
 * microseconds; 0 means the whole capture (returned as G_MAXUINT64). `prec` is the number
 * of decimals the table shows: from the value, or for a whole number from the digits typed
 * after the point when a column follows ("1.00,udp" shows two) and six when none does
 * (tshark 4.0's reading). False when the text is not a number or the interval is below a
 * microsecond. */
bool peel_iostat_parse_interval(const char *text, uint64_t *interval_us, unsigned *prec);

typedef struct PeelIoStat PeelIoStat;

/* Opens "io,stat,INTERVAL[,COLUMN...]"; each COLUMN is a filter (frames and bytes of the
 * packets it matches), empty (all packets), or FUNC(FIELD)[FILTER] with FUNC one of
 * FRAMES, BYTES, COUNT, SUM, MIN, MAX, AVG. */
PeelIoStat *peel_iostat_open(const char *arg, GError **error);
/* Counts one packet (its frame time since the first frame, its length, its fields). */
void peel_iostat_packet(PeelIoStat *io, const PeelPacket *pkt);
/* Appends the table. */
void peel_iostat_print(PeelIoStat *io, GString *out);
void peel_iostat_free(PeelIoStat *io);
/* True when packets fell beyond PEEL_IOSTAT_MAX_ROWS intervals and were not counted. */
bool peel_iostat_overflowed(const PeelIoStat *io);

/* At most this many intervals are kept per column; later packets are not counted (the
 * report warns on stderr). */
#define PEEL_IOSTAT_MAX_ROWS 1000000u

/* ---- io,phs ---- */

typedef struct PeelPhs PeelPhs;

PeelPhs *peel_phs_open(const char *arg, GError **error);
void peel_phs_packet(PeelPhs *phs, const PeelPacket *pkt);
void peel_phs_print(const PeelPhs *phs, GString *out);
void peel_phs_free(PeelPhs *phs);

/* At most this many nodes in the hierarchy (protocol paths); packets that would add more
 * count in the nodes that exist. */
#define PEEL_PHS_MAX_NODES 100000u

/* ---- expert ---- */

typedef struct PeelExpertStat PeelExpertStat;

PeelExpertStat *peel_expert_stat_open(const char *arg, GError **error);
void peel_expert_stat_packet(PeelExpertStat *es, const PeelPacket *pkt);
void peel_expert_stat_print(const PeelExpertStat *es, GString *out);
void peel_expert_stat_free(PeelExpertStat *es);

/* At most this many distinct (protocol, summary) entries per severity; further distinct
 * notes are counted in the severity's total line only. */
#define PEEL_EXPERT_MAX_ENTRIES 100000u

/* Writes a report's text to `out`; false when writing fails (errno set). */
bool peel_report_write_text(const GString *text, FILE *out);

/* Wireshark's protocol short name for a protocol index (the Protocol column name, or the
 * title when the protocol sets none): "TCP", "IPv4", "Frame". */
const char *peel_report_proto_short_name(uint32_t proto_index);
