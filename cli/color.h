/* color.h: --color: Wireshark's default colouring rules (the colorfilters file of
 * Wireshark 4.0) applied to summary lines, written as tshark writes them on a true-colour
 * terminal: 24-bit ANSI foreground and background escapes around the line. */
#pragma once

#include <glib.h>

#include "dissect.h"

typedef struct {
    const char *name;      /* the rule's name in Wireshark's colorfilters: "Bad TCP" */
    const char *filter;    /* its display filter, for documentation */
    uint16_t bg[3], fg[3]; /* 16-bit colour components, as the colorfilters file */
} PeelColorRule;

/* The rules in Wireshark's order (the first that matches colours the packet). Rules on
 * protocols peel does not dissect are listed and never match. */
const PeelColorRule *peel_color_rules(guint *n);

/* The index of the first rule that matches the packet's field list, or -1. Needs the
 * registry initialised and the packet's fields recorded. */
int peel_color_match(const PeelPacket *pkt);

/* Appends the escapes that start a line coloured by rule `rule`. */
void peel_color_begin(GString *out, int rule);
/* Appends what ends a coloured line, newline included (tshark: erase to the end of the
 * line, newline, reset). */
void peel_color_end(GString *out);
