/* output-ek.h: `-T ek`, newline-delimited JSON for Elasticsearch/OpenSearch bulk ingest,
 * laid out as tshark 4.0's (epan/print.c write_ek_proto_tree): per packet an index line
 * and a document with a millisecond "timestamp" and the "layers". */
#pragma once

#include <glib.h>

#include "dissect.h"

typedef struct PeelEk PeelEk;

/* A writer; `protocols` (may be NULL) is -j/-J's list of names whose contents are
 * written, others are replaced by {"filtered": NAME}; `children` is -J (everything under
 * a listed name). The writer keeps scratch buffers between packets: after the first few
 * packets writing allocates nothing. Needs the registry initialised. */
PeelEk *peel_ek_new(char **protocols, bool children);
void peel_ek_free(PeelEk *ek);

/* Appends the two lines of one packet to `out`. The packet needs its field list (record
 * fields on); labels (want_tree) are not needed. */
void peel_ek_packet(PeelEk *ek, GString *out, const PeelPacket *pkt);

/* Appends s[0..n) as a JSON string as tshark's JSON writer escapes it: quotes and
 * backslashes escaped, control characters as \b \t \n \f \r or \u00XX, "</" as "<\/",
 * other bytes as they are; a NUL byte ends the string. With `dots` every '.' becomes '_'
 * (member names of ek documents). */
void peel_ek_append_string(GString *out, const char *s, size_t n, bool dots);

/* Appends the member name tshark's ek gives a field: PROTO_FIELD with dots as
 * underscores ("tcp_tcp_srcport"), the bare name for protocol items ("tcp"). */
void peel_ek_append_key(GString *out, uint32_t field_id);

/* True when `name` is listed in the -j/-J list, as is or with dots as underscores. */
bool peel_protocol_filter_match(char **protocols, const char *name);
