/* proto-link.h: what the link-layer dissectors share: Wireshark's "ethertype" step (dispatch
 * by type, then padding, trailer and FCS after the payload), 802.3 length framing, and the
 * ethertype and ARP hardware-type names. Defined in proto-eth.c and proto-arp.c. */
#pragma once

#include "dissect.h"

/* Ethertype names as tshark 4.0 prints them (eth.type, vlan.etype, sll.etype, llc.type,
 * null.type, arp.proto.type). */
extern const PeelValueName peel_link_etype_names[];

/* ARP hardware types (arp.hw.type, sll.hatype). */
extern const PeelValueName peel_link_arphrd_names[];

/* How the layer calling the helpers below reports bytes after its payload. */
typedef struct {
    uint32_t trailer_f; /* the caller's own field for the trailer (eth.trailer, vlan.trailer) */
    int fcs_len;        /* 0: no FCS, 4: an FCS ends the frame, -1: guess as Wireshark does */
    uint32_t whole_len; /* bytes the caller's layer claims from its start (for the FCS guess) */
} PeelLinkTrailer;

/* Wireshark's "ethertype" dissector. `rd` is positioned after a type field of value `type`:
 * hands the rest to the protocol registered for the type, drawn beside the caller's item
 * (frame.protocols shows "ethertype"),
 * names the Protocol column "0x%04x" and the Info column after the type when no protocol
 * takes it, then adds what the payload did not claim (it narrows its reader, as IP does to
 * its total length) as eth.padding, the caller's trailer and eth.fcs under the caller's
 * protocol item. Advances rd to its end. */
void peel_link_ethertype(PeelPacket *pkt, PeelReader *rd, uint16_t type, const PeelLinkTrailer *tr);

/* 802.3 length framing: `rd` is positioned after a length field (index `len_field`, already
 * added) of value `length`. Bounds the payload by the length (noting a length past the end
 * of the frame), hands it to LLC (or to data for Novell raw 802.3, is_802_2 false), then
 * adds the bytes after it as padding, trailer and FCS. Advances rd to its end. */
void peel_link_8023(PeelPacket *pkt, PeelReader *rd, uint16_t length, int32_t len_field,
        bool is_802_2, const PeelLinkTrailer *tr);

/* Dispatches rd by ethertype the way LLC/SNAP and Null/Loopback do in Wireshark: straight
 * into the ethertype table, so frame.protocols does not show "ethertype". The payload is drawn
 * beside the current protocol's item. */
void peel_link_next_etype(PeelPacket *pkt, PeelReader *rd, uint16_t type);

/* Hands rd to `proto` (NULL: data) drawn beside the current protocol's item rather than
 * inside it, as Wireshark draws successive layers; the tree position is restored after. */
void peel_link_next_proto(PeelPacket *pkt, PeelReader *rd, const PeelProto *proto);

/* Adds field f with `value` over `len` bytes at the read position of `at`, as read from the
 * packet (not generated): for values the bit readers cannot produce, such as LLC's
 * little-endian control word or Null's header in either byte order. The caller has checked
 * that the bytes are there. Returns the field's index, or -1. */
int32_t peel_link_add_value_at(
        PeelPacket *pkt, const PeelReader *at, uint32_t f, uint32_t len, uint64_t value);

/* Hides the last field added (a filterable copy tshark does not show: eth.lg, eth.dst.oui). */
void peel_link_hide_last(PeelPacket *pkt);
