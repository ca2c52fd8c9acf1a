/* dissector-private.h: the engine's state, shared by dissect.c and dissector.c only. */
#pragma once

#include <glib.h>

#include "dissect.h"
#include "dissector.h"
#include "flow.h"

#define PEEL_MAX_FIELDS (1u << 20) /* per packet: past this, fields are dropped and noted */
#define PEEL_MAX_EXPERTS 4096

struct PeelDissector {
    PeelArena arena;
    PeelPacket pkt;
    PeelField *fields; /* reused across packets */
    uint32_t cap_fields;
    PeelExpert *experts;
    uint32_t cap_experts;
    bool want_tree;
    bool no_info;
    bool no_record;
    bool *record_protos; /* with no_record: the protocols whose fields are kept anyway
                            (by protocol index), or NULL */
    bool *keep_ids;      /* peel_dissector_keep_fields: by field id, or NULL for all */
    /* peel_keeps_any() over chosen fields, remembered per field list and protocol: the
     * same few lists are asked on every packet and the answers change only with keep_ids
     * (peel_dissector_keep_fields forgets them). */
    struct {
        const uint8_t *fields;
        uint32_t field_base;
        bool any;
    } keeps_any[16];
    bool *disabled;      /* peel_dissector_disable_protocol: by protocol index, or NULL */
    /* Dispatch tables: protocol index + 1 per key, 0 for none. Ports, ethertypes and
     * link types fit 16 bits; larger link-type values are not dispatched. */
    uint16_t *tables[PEEL_TABLE_N];
    /* Protocols with heuristics, per table, in registration order. */
    uint16_t *heuristics[PEEL_TABLE_N];
    uint32_t n_heuristics[PEEL_TABLE_N];
    PeelPrefs prefs;
    PeelFlowTable *flows;
    PeelFlowLimits flow_limits; /* as set; zeros are defaults */
    void (*tap)(void *user, const PeelStreamChunk *chunk);
    void *tap_user;
    GSList *engine_data; /* EngineSlot* */
    PeelFrameFetch fetch;
    void *fetch_user;
    GHashTable *reassembled_in; /* frame -> frame, while records are kept */
    /* Per-frame records: where each frame's records start in the log. */
    bool keep_records;
    uint32_t max_frame; /* highest frame number dissected in the first pass */
    GArray *rec_start;  /* guint64 per frame, index number - 1 */
    GByteArray *rec_log;
    bool finished;           /* peel_dissector_finish ran */
    bool at_end;             /* inside a capture_end hook: no records are put */
    PeelFrameInfo end_frame; /* the frame a capture_end packet stands for */
    /* Field ids the engine adds itself. */
    uint32_t data_proto;
    uint32_t frame_proto;
    int32_t frame_protocols_id; /* frame.protocols' global field id */
};

/* Grows the field array; false when the per-packet limit is reached. */
bool peel_dissector_grow_fields(PeelDissector *dis);
bool peel_dissector_grow_experts(PeelDissector *dis);
/* dissect.c: runs protocol `index`'s capture_end hook as a layer of pkt (its protocol item
 * first, so filters naming the protocol match the packet). */
void peel_dissect_capture_end(PeelPacket *pkt, uint32_t index);
