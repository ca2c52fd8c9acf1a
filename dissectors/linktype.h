/* linktype.h: LINKTYPE_* values (tcpdump.org link-layer header types) and their names. */
#pragma once

#include <stdint.h>

enum {
    PEEL_LINKTYPE_NULL = 0,
    PEEL_LINKTYPE_ETHERNET = 1,
    PEEL_LINKTYPE_PPP = 9,
    PEEL_LINKTYPE_RAW = 101,
    PEEL_LINKTYPE_LOOP = 108,
    PEEL_LINKTYPE_LINUX_SLL = 113,
    PEEL_LINKTYPE_IPV4 = 228,
    PEEL_LINKTYPE_IPV6 = 229,
    PEEL_LINKTYPE_LINUX_SLL2 = 276,
};

/* Wireshark's encapsulation number for a link type (frame.encap_type), -1 if unknown. */
int peel_linktype_to_encap(int linktype);

/* The Protocol column for a frame no dissector claimed: libpcap's link-type name, as
 * tshark shows for link types it does not dissect. */
const char *peel_linktype_column(int linktype);
