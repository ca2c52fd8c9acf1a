/* json-check.h: recognising JSON text (RFC 8259) without parsing it into a tree. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* Nesting the check follows; deeper text is not taken for JSON. */
#define PEEL_JSON_MAX_DEPTH 256u

/* True when the n bytes at s are exactly one JSON object or array, with optional white
 * space around it: strings, escapes, numbers and literals checked, nested at most
 * PEEL_JSON_MAX_DEPTH deep. Linear time, no allocation. */
bool peel_json_container(const uint8_t *s, uint32_t n);
