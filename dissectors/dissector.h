/* dissector.h: runs the dissectors over frames: one PeelDissector per capture. */
#pragma once

#include <glib.h>

#include "dissect.h"
#include "flow.h"

#define PEEL_DISSECT_ERROR (peel_dissect_error_quark())
GQuark peel_dissect_error_quark(void);

typedef enum {
    PEEL_DISSECT_ERROR_DECODE_AS, /* a -d rule that does not parse or names no protocol */
    PEEL_DISSECT_ERROR_PREF,      /* an -o preference that is unknown or has a bad value */
} PeelDissectError;

/* Creates an engine with the default dispatch tables. Not thread-safe: one thread uses it.
 */
PeelDissector *peel_dissector_new(void);
void peel_dissector_free(PeelDissector *dis);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(PeelDissector, peel_dissector_free)

/* tshark's decode-as: "tcp.port==8080,http", "udp.port==5000,stun", "eth.type==0x88b5,data"
 * (selectors tcp.port, udp.port, ip.proto, ipv6.nxt, eth.type, sll.ltype). */
bool peel_dissector_decode_as(PeelDissector *dis, const char *rule, GError **error);

/* tshark's --disable-protocol: `name` (a protocol of peel -G protocols) is no longer
 * dissected; its bytes are shown as data, its ports and heuristics hand nothing to it, and
 * a TCP connection it would have taken is not reassembled. Fails for an unknown name. */
bool peel_dissector_disable_protocol(PeelDissector *dis, const char *name, GError **error);

/* A preference as tshark's -o takes it: "tcp.check_checksum:TRUE". Known:
 * ip.check_checksum, tcp.check_checksum, udp.check_checksum (TRUE/FALSE). */
bool peel_dissector_set_pref(PeelDissector *dis, const char *assignment, GError **error);

/* Build labels for protocol and subtree items (for -V, JSON and the GUI). Off by default:
 * summary and fields output do not need them. */
void peel_dissector_set_want_tree(PeelDissector *dis, bool want);

/* Keep per-frame records of the first pass so frames can be dissected again later, in
 * any order, with what the first pass found (--frame, the GUI, two-pass reads). A frame
 * whose number is not above every frame seen so far is a revisit. */
void peel_dissector_keep_records(PeelDissector *dis, bool keep);

/* Limits of the flow table; call before the first frame. */
void peel_dissector_set_flow_limits(PeelDissector *dis, const PeelFlowLimits *limits);

/* Stream taps: the transport layers hand every in-order run of payload to the tap (TCP
 * after reassembly, UDP per datagram), for follow-stream and similar consumers. Only
 * called on the first pass. */

typedef void (*PeelStreamTap)(void *user, const PeelStreamChunk *chunk);

void peel_dissector_set_stream_tap(PeelDissector *dis, PeelStreamTap tap, void *user);

/* How the engine reads another frame's bytes when a revisit needs them (the CLI and GUI
 * read the frame again by its offset). The bytes may be overwritten by the next call. */
typedef bool (*PeelFrameFetch)(void *user, uint32_t frame, const uint8_t **data, uint32_t *len);
void peel_dissector_set_frame_fetch(PeelDissector *dis, PeelFrameFetch fetch, void *user);

/* Keep the field list (on by default). Summary lines need only the columns: with fields
 * off, every field goes to one scratch slot and n_fields stays 0, which roughly halves
 * the work. Dissectors see the same values and columns either way. */
void peel_dissector_set_record_fields(PeelDissector *dis, bool record);

/* With fields off, keep those of some protocols all the same: protos[i] for protocol
 * index i (peel_registry_n_protos() entries, copied), NULL for none. A display filter
 * needs only the fields it names (peel_dfilter_protos()); other layers then cost what
 * summary lines cost. Whole protocols are kept, so a protocol's hidden copies and
 * subtrees stay consistent; other layers' fields are simply absent from the list. */
void peel_dissector_record_only(PeelDissector *dis, const bool *protos);
/* Within the protocols kept, keep only these fields: ids[i] for field id i
 * (peel_field_count() entries, copied), NULL for all. For flat readers of the list --
 * fields output, display filters -- that name a few fields: the others cost what they
 * cost in summary lines, and subtrees are not kept (parents are not meaningful). */
void peel_dissector_keep_fields(PeelDissector *dis, const bool *ids);

/* How many TCP (ip_proto 6) or UDP (17) streams this dissector has numbered so far: the
 * streams a frame started are those numbered while it was dissected. */
uint32_t peel_dissector_streams(const PeelDissector *dis, uint8_t ip_proto);

/* Build the Info column (on by default). Outputs that never show it turn it off. */
void peel_dissector_set_want_info(PeelDissector *dis, bool want);

/* Dissects one frame. The returned packet (fields, summary, experts) is valid until the
 * next call or peel_dissector_free(). frame->rel and frame->delta are the caller's. */
const PeelPacket *peel_dissector_run(PeelDissector *dis, const PeelFrameInfo *frame);

/* The capture ended (end of file, or a live capture stopped): each protocol's capture_end
 * hook is told of every connection still open, connections in order of their first frame,
 * after the releases the last packet queued. `note` (may be NULL) gets each resulting
 * packet that carries expert notes, valid during the call only: pkt->frame->number is the
 * frame the notes concern, the packet has no bytes and no fields but the protocol item.
 * Records of earlier frames may change (revisits after this show what the end found), so
 * call it after the first pass and before revisiting. Once per dissector; later calls do
 * nothing. */
typedef void (*PeelCaptureEndFn)(void *user, const PeelPacket *pkt);
void peel_dissector_finish(PeelDissector *dis, PeelCaptureEndFn note, void *user);

/* Dissects the frame's bytes starting with `proto` instead of the frame and link layers
 * (unit tests and fuzz targets for one protocol). */
const PeelPacket *peel_dissector_run_proto(PeelDissector *dis, const PeelFrameInfo *frame,
        const PeelProto *proto);

/* Fills frame->rel, frame->delta and frame->latest for frames handed over in file order. */
typedef struct {
    bool have_first;
    PeelTime first;
    PeelTime prev;
    PeelTime latest;
} PeelFrameClock;

void peel_frame_clock_tick(PeelFrameClock *clock, PeelFrameInfo *frame);

/* a - b, normalised. */
PeelTime peel_time_sub(PeelTime a, PeelTime b);
