/* format.h: field values as text, the way tshark prints them in fields output and trees. */
#pragma once

#include <glib.h>
#include <string.h>

#include "dissect.h"

/* Appends n bytes: a memcpy while the string has room (GLib 2.74's g_string_append_len is
 * a call and a strlen-free but general insert; output builds lines from many small pieces). */
static inline void
peel_gs_put(GString *s, const char *p, size_t n)
{
    if (G_LIKELY(s->len + n < s->allocated_len)) {
        memcpy(s->str + s->len, p, n);
        s->len += n;
        s->str[s->len] = '\0';
    } else {
        g_string_append_len(s, p, (gssize)n);
    }
}

/* A NUL-terminated string, and a string literal (its length known when compiling). */
static inline void
peel_gs_puts(GString *s, const char *p)
{
    peel_gs_put(s, p, strlen(p));
}
#define PEEL_GS_LIT(s, lit) peel_gs_put((s), "" lit, sizeof(lit) - 1)

/* Stream markers, for dissecting threads that number streams on their own: while on (in
 * the calling thread), tcp.stream and udp.stream values are written as
 * PEEL_STREAM_MARK, 't' or 'u', the thread's number in decimal, PEEL_STREAM_MARK_END,
 * which the thread that writes the output replaces with the capture's number. Bytes 0x01
 * and 0x02 never appear otherwise: every output escapes control characters. */
#define PEEL_STREAM_MARK '\x01'
#define PEEL_STREAM_MARK_END '\x02'
void peel_format_stream_markers(bool on);

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
/* Two hex digits a byte, separated by sep unless it is 0 ("00:1c:73", "001c73"). */
void peel_format_hex(GString *out, const uint8_t *p, size_t n, char sep);

/* Appends an absolute time as "Oct  4, 2019 01:23:57.968859000 UTC" (local time zone). */
void peel_format_abs_time(GString *out, PeelTime t);
