/* protobuf-wire.h: the protobuf wire format: varints, wire types, the schema-less guess,
 * and value text for tree labels. Internal to the protobuf module. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "protobuf-schema.h"
#include "reader.h"

#define PB_TEXT_MAX         256        /* tree labels */
#define PB_MAX_FIELD_NUMBER 536870911u /* 2^29 - 1 */

enum {
    PB_WT_VARINT = 0,
    PB_WT_I64 = 1,
    PB_WT_LEN = 2,
    PB_WT_SGROUP = 3,
    PB_WT_EGROUP = 4,
    PB_WT_I32 = 5
};

/* Readings of a length-delimited value without a schema; peel_pb_guess_names[] names
 * them as protobuf.field.guess shows them. */
typedef enum { GUESS_BYTES, GUESS_MESSAGE, GUESS_STRING, GUESS_PACKED } PbGuess;

/* A tree label being built; with `off` set (no tree wanted) nothing is formatted. */
typedef struct {
    char s[PB_TEXT_MAX];
    size_t n;
    bool off;
} PbText;

extern const char *const peel_pb_guess_names[];

/* A varint at off bytes past rd's position, without advancing: its length (1 to 10), 0
 * when the bytes end inside it, -1 when it is longer than 10 bytes or past 64 bits. Only
 * bytes both held and claimed are read. */
int peel_pb_peek_varint(const PeelReader *rd, uint32_t off, uint64_t *out);
/* The wire type a field type is sent as (PB_WT_*), -1 for none. */
int peel_pb_wire_of(int type);
/* Scalar numeric types, the ones a repeated field may pack. */
bool peel_pb_packable(int type);
/* Whether all of v parses as one message: valid tags, lengths inside, groups closed. */
bool peel_pb_parses(const PeelReader *v);
/* The reading chosen for a length-delimited value without a schema. */
PbGuess peel_pb_guess(const PeelReader *v);

/* Label text: appends, truncating at PB_TEXT_MAX. */
void peel_pb_text_add(PbText *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A string value quoted and escaped, cut at 64 bytes. */
void peel_pb_text_string(PbText *t, const uint8_t *p, uint32_t n);
/* The text of field `number` of the small message in v (a map entry, a wrapper) by its
 * schema m; the type's default when absent. */
void peel_pb_member_text(const PeelReader *v, const PbMessage *m, int32_t number, PbText *t);

/* Values from their wire bits: a float rounded to FLT_DIG digits (tshark prints floats
 * so), a double, a zigzag-encoded signed number. */
double peel_pb_float(uint32_t raw);
double peel_pb_double(uint64_t raw);
int64_t peel_pb_zigzag(uint64_t v);
/* The seconds and nanos of a Timestamp or Duration value (0 when absent). */
void peel_pb_seconds_nanos(const PeelReader *v, int64_t *sec, int32_t *nsec);
