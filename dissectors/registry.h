/* registry.h: every protocol and field peel knows, numbered once at start-up. */
#pragma once

#include <glib.h>

#include "dissect.h"

/* Numbers every protocol's fields and indexes their names. Idempotent and thread-safe;
 * everything below is read-only afterwards. */
void peel_registry_init(void);

/* Adds a protocol before peel_registry_init() runs (unit tests and fuzz targets that need
 * a protocol of their own). Ignored afterwards. */
void peel_registry_add_extra(const PeelProto *proto);

uint32_t peel_registry_n_protos(void);
const PeelProto *peel_registry_proto(uint32_t index);
/* Index of a registered protocol, or -1. */
int peel_registry_proto_index(const PeelProto *proto);
/* Index of the protocol with this filter name, or -1. */
int peel_registry_proto_lookup(const char *name);

/* Fields: ids run from 0 to peel_field_count() - 1. Each protocol owns one id for its own
 * item (type PEEL_FT_PROTOCOL) followed by one per entry of its field table. */
uint32_t peel_field_count(void);
/* Definitions by id; read-only after peel_registry_init(). Inline: it is on every field. */
extern const PeelFieldDef **peel_field_defs;
static inline const PeelFieldDef *
peel_field_def(uint32_t id)
{
    return peel_field_defs[id];
}
/* Index of the protocol that owns field id. */
uint32_t peel_field_proto(uint32_t id);
/* Global id of a protocol's own item; its field f is that id + 1 + f. */
uint32_t peel_proto_field_base(uint32_t proto_index);
/* Field id by filter name ("ip.src", or a protocol name such as "tcp"), or -1. */
int peel_field_lookup(const char *name);
/* A registered field name close to `name` for "did you mean" hints, or NULL. */
const char *peel_field_suggest(const char *name);

/* Names of types and bases as `tshark -G fields` prints them (FT_UINT16, BASE_HEX). */
const char *peel_field_type_name(PeelFieldType type);
const char *peel_field_show_name(const PeelFieldDef *def);
