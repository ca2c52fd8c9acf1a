/* proto-json.h: the JSON dissector (proto-json.c), called by the protocols that carry
 * JSON bodies with the media type that named them. */
#pragma once

#include <stdbool.h>

#include "dissect.h"

extern const PeelProto peel_proto_json;

#define PEEL_JSON_TREE_MAX_DEPTH 64u /* nesting levels shown */

/* Whether Wireshark 4.0 hands bodies of this media type (lower case, no parameters) to
 * its JSON dissector. */
bool peel_json_media_type(const char *mt);

/* Dissects rd as JSON text named by media_type (shown in the Info column), as a layer of
 * its own (not counted as nesting against the engine's layer bound). */
void peel_json_dissect(PeelPacket *pkt, const PeelReader *rd, const char *media_type);

/* For a protocol of which one frame holds several PDUs (AMQP, HTTP/2), called as each
 * starts: when JSON was shown earlier in this frame, the Protocol column stays as JSON
 * left it ("AMQP/JSON"), as tshark sets it once per segment. */
void peel_json_keep_protocol(PeelPacket *pkt);
