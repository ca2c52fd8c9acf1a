/* dfilter.h: display filters in Wireshark 4.0's syntax, compiled once, run per packet.
 *
 * A filter such as `tcp.port in {80, 443} && !tcp.analysis.retransmission` is parsed and
 * type-checked once into a small tree of resolved nodes (field ids, converted literals,
 * compiled regular expressions), then evaluated against each packet's flat field list
 * (PeelPacket.fields) without allocating. Semantics follow tshark 4.0: `==` holds when any
 * occurrence matches, `!=` when every occurrence differs (and the field is present),
 * `===` all equal, `~=`/`!==` any differs, `any`/`all` quantifiers, sets, slices, len(),
 * count(), lower(), upper(), string(), `&`, CIDR prefixes, value names. `xor`/`^^`
 * (Wireshark 4.2) are accepted as well. */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "dissect.h"

#define PEEL_DFILTER_ERROR (peel_dfilter_error_quark())
GQuark peel_dfilter_error_quark(void);

typedef enum {
    PEEL_DFILTER_ERROR_SYNTAX, /* unexpected token, missing parenthesis, bad string */
    PEEL_DFILTER_ERROR_FIELD,  /* a name that is neither a field nor a protocol */
    PEEL_DFILTER_ERROR_TYPE,   /* incompatible operands, a function or slice misapplied */
    PEEL_DFILTER_ERROR_VALUE,  /* a literal the field's type cannot hold */
    PEEL_DFILTER_ERROR_LIMIT,  /* the filter is too long or too deeply nested */
} PeelDfilterError;

/* Where in the filter text an error lies: byte offset of its start and its length (at
 * least 1; at the end of the text for "unexpected end"). */
typedef struct {
    uint32_t start;
    uint32_t len;
} PeelDfilterLoc;

typedef struct PeelDfilter PeelDfilter;

/* Limits: the text at most PEEL_DFILTER_MAX_TEXT bytes, nesting at most
 * PEEL_DFILTER_MAX_DEPTH levels, sets at most PEEL_DFILTER_MAX_SET members. */
#define PEEL_DFILTER_MAX_TEXT  65536
#define PEEL_DFILTER_MAX_DEPTH 64
#define PEEL_DFILTER_MAX_SET   4096

/* Compiles `text`. The registry must be initialised (peel_registry_init). Returns NULL and
 * sets `error` (and `loc`, when given) when the text does not compile. An empty or blank
 * text compiles to a filter that keeps every packet. The filter is owned by the caller;
 * one filter must not be run from two threads at once (it keeps a scratch buffer). */
PeelDfilter *peel_dfilter_compile(const char *text, PeelDfilterLoc *loc, GError **error);
void peel_dfilter_free(PeelDfilter *df);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(PeelDfilter, peel_dfilter_free)

/* True when the packet passes. Reads pkt's field list only: the packet must have been
 * dissected with the fields the filter names recorded (see peel_dfilter_protos). */
bool peel_dfilter_match(PeelDfilter *df, const PeelPacket *pkt);

/* The protocols whose fields the filter reads: sets protos[i] to true for each such
 * protocol index (peel_registry_n_protos() entries; others are left alone). For
 * peel_dissector_record_only(). */
void peel_dfilter_protos(const PeelDfilter *df, bool *protos);

/* The fields the filter reads: sets ids[id] to true for each (peel_field_count() entries;
 * others are left alone). For peel_dissector_keep_fields(). */
void peel_dfilter_fields(const PeelDfilter *df, bool *ids);

/* Whether the filter reads field `id` (a field id of the registry). */
bool peel_dfilter_uses_field(const PeelDfilter *df, uint32_t id);

/* The filter as written. */
const char *peel_dfilter_text(const PeelDfilter *df);

/* Appends a compile error for the user, tshark-like, with a caret line under the text:
 *   OPTION 'TEXT': MESSAGE\n
 *       TEXT\n
 *       ^~~~\n
 * `option` is "-Y" or "-R" (or NULL to leave it out); `indent` spaces precede the two
 * lines under the message. */
void peel_dfilter_format_error(GString *out, const char *option, const char *text,
        const GError *error, const PeelDfilterLoc *loc, int indent);
