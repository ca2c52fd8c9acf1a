/* format.h: field values as text, the way tshark prints them in fields output and trees. */
#pragma once

#include <glib.h>

#include "dissect.h"

/* Appends the value as `tshark -T fields` prints it (decimal or 0x-padded hex by base,
 * 1/0 for booleans, hex bytes without separators, epoch seconds with nine decimals). */
void peel_format_value(GString *out, const PeelPacket *pkt, const PeelField *fl);

/* Appends the field's line in the detail tree without indentation: the bit pattern for
 * bit fields, the title, the value with its name, [brackets] for generated fields;
 * protocol and subtree items show their label. */
void peel_format_tree_line(GString *out, const PeelPacket *pkt, const PeelField *fl);

#define PEEL_IPV6_STRLEN 46
#define PEEL_IPV4_STRLEN 16

/* Appends a summary-column address (IPv4 dotted, IPv6 compressed, Ethernet colon hex). */
void peel_format_addr(GString *out, const PeelAddr *addr);
/* The same into a buffer; returns the length (0 for no address). */
size_t peel_addr_to_str(char out[PEEL_IPV6_STRLEN], const PeelAddr *addr);

/* Appends an IPv6 address in RFC 5952 form. */
void peel_format_ipv6(GString *out, const uint8_t addr[16]);

/* The same into a buffer (no allocation, no printf; fast enough for every packet):
 * writes a NUL-terminated string and returns its length. */
size_t peel_ipv6_to_str(char out[PEEL_IPV6_STRLEN], const uint8_t addr[16]);
size_t peel_ipv4_to_str(char out[PEEL_IPV4_STRLEN], uint32_t addr);

/* Appends s with control and non-ASCII bytes escaped as tshark does (\r, \n, \xNN). */
void peel_format_escaped(GString *out, const uint8_t *s, size_t n);

/* Appends an absolute time as "Oct  4, 2019 01:23:57.968859000 UTC" (local time zone). */
void peel_format_abs_time(GString *out, PeelTime t);
