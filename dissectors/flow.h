/* flow.h: the flow table: conversations keyed by the canonical 5-tuple, numbered in order
 * of first appearance per transport (tcp.stream, udp.stream), retired when idle. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "dissect.h"

typedef struct PeelFlowSlot PeelFlowSlot;
typedef struct PeelFlow PeelFlow;
typedef struct PeelFlowTable PeelFlowTable;

struct PeelFlow {
    uint32_t id;        /* stream number within its transport */
    uint8_t ip_proto;   /* 6 TCP, 17 UDP */
    uint8_t addr_type;  /* PEEL_AT_IPV4 or PEEL_AT_IPV6 */
    uint16_t port[2];   /* endpoint 0 sent the first packet seen */
    uint8_t addr[2][16];
    uint32_t first_frame;
    uint32_t last_frame;
    PeelTime last_ts;
    bool closed;        /* the transport says it ended (FIN both ways, RST): retire sooner */
    bool touched;       /* used since it was put at the head of the LRU list */
    const void *const *release_keep; /* queued by peel_flow_release_later: owners kept */
    PeelFlowSlot *slots; /* in order of creation: TCP's analysis, which every segment
                            asks for, first */
    PeelFlowSlot *last_slot; /* the one asked for last (most lookups ask twice) */
    /* table links */
    PeelFlow *bucket_next;
    PeelFlow *lru_prev, *lru_next;
    uint64_t hash;
};

typedef struct {
    uint32_t max_flows;    /* live flows at most; the least recently used is retired (0: 1M) */
    uint32_t idle_seconds; /* retire flows idle this long in capture time (0: 3600) */
    uint32_t closed_seconds; /* retire closed flows idle this long (0: 120) */
} PeelFlowLimits;

PeelFlowTable *peel_flow_table_new(const PeelFlowLimits *limits);
void peel_flow_table_free(PeelFlowTable *table);

/* Finds or creates the flow of a packet from src:sport to dst:dport. *dir is 0 when the
 * packet goes the way the flow's first packet went, 1 otherwise. A new flow gets the next
 * stream number of its transport. `now` drives idle retirement. */
PeelFlow *peel_flow_get(PeelFlowTable *table, uint8_t ip_proto, const PeelAddr *src,
        const PeelAddr *dst, uint16_t sport, uint16_t dport, uint32_t frame, PeelTime now,
        int *dir);

/* Retires `flow` now (e.g. a new SYN reuses its 4-tuple) and creates a fresh one with the
 * next stream number in its place, first packet from src. */
PeelFlow *peel_flow_renew(PeelFlowTable *table, PeelFlow *flow, const PeelAddr *src,
        uint16_t sport, uint32_t frame, PeelTime now);

/* State of a flow kept by `owner` (a protocol descriptor, or any static object a module
 * owns), zeroed on first use; `clear` (may be NULL) runs before the memory is freed when
 * the flow is retired or the table freed. */
void *peel_flow_data(PeelFlow *flow, const void *owner, size_t size, void (*clear)(void *data));
/* The state `owner` keeps for flow, or NULL when it has none (nothing is created). */
void *peel_flow_data_find(PeelFlow *flow, const void *owner);
/* Calls fn for every live flow of the table, in no particular order; fn must not add or
 * retire flows. */
void peel_flow_table_foreach(
        PeelFlowTable *table, void (*fn)(PeelFlow *flow, void *user), void *user);

/* Once the packet being dissected is done with it, frees the state of every owner of
 * `flow` but those listed in `keep` (NULL-terminated, static): a closed TCP connection
 * keeps what its late packets need (sequence analysis), not its reassembly buffers and
 * application state. Done by peel_flow_table_release_queued() before the next packet,
 * since fields of this one may point into that state. */
void peel_flow_release_later(PeelFlowTable *table, PeelFlow *flow, const void *const *keep);
void peel_flow_table_release_queued(PeelFlowTable *table);

/* Live flows, and how many were retired for idleness or the limit. */
uint32_t peel_flow_table_live(const PeelFlowTable *table);
/* How many flows of transport ip_proto were numbered so far (the next stream number). */
uint32_t peel_flow_table_numbered(const PeelFlowTable *table, uint8_t ip_proto);
uint64_t peel_flow_table_retired(const PeelFlowTable *table);
