/* amqp.h: what proto-amqp.c (framing, connection state, content) and amqp-methods.c (the
 * classes and methods of AMQP 0-9-1 with RabbitMQ's extensions, field tables) share. */
#pragma once

#include "dissect.h"

/* The AMQP protocol's local field indices (proto-amqp.c holds the definitions). */
enum {
    AF_INIT_PROTOCOL,
    AF_INIT_ID_MAJOR,
    AF_INIT_ID_MINOR,
    AF_INIT_ID,
    AF_INIT_VMAJOR,
    AF_INIT_VMINOR,
    AF_INIT_VREV,
    AF_TYPE,
    AF_CHANNEL,
    AF_LENGTH,
    AF_CLASS,
    AF_METHOD,
    AF_ARGS,
    AF_FRAME_END,
    AF_HDR_CLASS,
    AF_HDR_WEIGHT,
    AF_HDR_BODY_SIZE,
    AF_HDR_FLAGS,
    AF_HDR_PROPS,
    AF_PAYLOAD,
    AF_BODY,
    AF_FIELD,
    AF_FIELD_TS,
    AF_FIELD_BYTES,
    AF_MESSAGE_IN,
    AF_PUBLISH_NUMBER,
    /* basic properties */
    AF_P_CONTENT_TYPE,
    AF_P_CONTENT_ENCODING,
    AF_P_HEADERS,
    AF_P_DELIVERY_MODE,
    AF_P_PRIORITY,
    AF_P_CORRELATION_ID,
    AF_P_REPLY_TO,
    AF_P_EXPIRATION,
    AF_P_MESSAGE_ID,
    AF_P_TIMESTAMP,
    AF_P_TYPE,
    AF_P_USER_ID,
    AF_P_APP_ID,
    AF_P_CLUSTER_ID,
    /* method arguments */
    AF_A_VERSION_MAJOR,
    AF_A_VERSION_MINOR,
    AF_A_SERVER_PROPERTIES,
    AF_A_MECHANISMS,
    AF_A_LOCALES,
    AF_A_CLIENT_PROPERTIES,
    AF_A_MECHANISM,
    AF_A_RESPONSE,
    AF_A_LOCALE,
    AF_A_CHALLENGE,
    AF_A_CHANNEL_MAX,
    AF_A_FRAME_MAX,
    AF_A_HEARTBEAT,
    AF_A_VIRTUAL_HOST,
    AF_A_CAPABILITIES,
    AF_A_KNOWN_HOSTS,
    AF_A_HOST,
    AF_A_REPLY_CODE,
    AF_A_REPLY_TEXT,
    AF_A_CLASS_ID,
    AF_A_METHOD_ID,
    AF_A_REASON,
    AF_A_NEW_SECRET,
    AF_A_OUT_OF_BAND,
    AF_A_CHANNEL_ID,
    AF_A_REALM,
    AF_A_TICKET,
    AF_A_EXCHANGE,
    AF_A_TYPE,
    AF_A_ARGUMENTS,
    AF_A_DESTINATION,
    AF_A_SOURCE,
    AF_A_ROUTING_KEY,
    AF_A_QUEUE,
    AF_A_MESSAGE_COUNT,
    AF_A_CONSUMER_COUNT,
    AF_A_PREFETCH_SIZE,
    AF_A_PREFETCH_COUNT,
    AF_A_CONSUMER_TAG,
    AF_A_FILTER,
    AF_A_DELIVERY_TAG,
    AF_A_CLUSTER_ID,
    /* bits: one definition per name; the position is the bit's place in its run */
    AF_B_INSIST,
    AF_B_ACTIVE,
    AF_B_EXCLUSIVE,
    AF_B_PASSIVE,
    AF_B_WRITE,
    AF_B_READ,
    AF_B_DURABLE,
    AF_B_AUTO_DELETE,
    AF_B_INTERNAL,
    AF_B_NOWAIT,
    AF_B_IF_UNUSED,
    AF_B_IF_EMPTY,
    AF_B_GLOBAL,
    AF_B_NO_LOCAL,
    AF_B_NO_ACK,
    AF_B_MANDATORY,
    AF_B_IMMEDIATE,
    AF_B_REDELIVERED,
    AF_B_MULTIPLE,
    AF_B_REQUEUE,
    AF_N
};

/* Classes of 0-9-1 (and the older ones Wireshark names). */
enum {
    AMQP_CLASS_CONNECTION = 10,
    AMQP_CLASS_CHANNEL = 20,
    AMQP_CLASS_ACCESS = 30,
    AMQP_CLASS_EXCHANGE = 40,
    AMQP_CLASS_QUEUE = 50,
    AMQP_CLASS_BASIC = 60,
    AMQP_CLASS_TX = 90,
    AMQP_CLASS_CONFIRM = 85,
};

/* What a method frame told the connection-level code (proto-amqp.c). */
typedef struct {
    uint16_t cls, method;
    bool known;          /* the method is one of the table's */
    uint16_t reply_code; /* close, return */
    bool has_reply_code;
    int32_t reply_field; /* the reply-code item, or -1 */
    uint16_t heartbeat;  /* tune, tune-ok */
    bool has_heartbeat;
    uint64_t delivery_tag; /* deliver, get-ok, ack, reject, nack */
    bool has_delivery_tag;
    bool multiple;           /* ack, nack */
    uint64_t publish_number; /* set by the caller: shown first among the arguments */
    bool has_publish_number;
    const uint8_t *mechanism; /* start-ok: the SASL mechanism (packet lifetime) */
    uint32_t mechanism_len;
} AmqpMethodInfo;

extern const PeelValueName amqp_class_names[];
extern const PeelFieldDef amqp_fields[AF_N]; /* amqp-fields.c */

/* The name of a method ("Publish"), NULL when unknown. */
const char *amqp_method_name(uint16_t cls, uint16_t method);

/* Dissects a method frame's payload: class, method, arguments (rd holds the payload, the
 * frame header and end octet excluded). Appends "Class.Method args " to the info column. */
void amqp_dissect_method(PeelPacket *pkt, PeelReader *rd, AmqpMethodInfo *mi);

/* Dissects a field table of `len` bytes at rd under the field item `f` (an AF_* of type
 * NONE); `depth` counts nested tables. */
void amqp_dissect_table(PeelPacket *pkt, PeelReader *rd, uint32_t f, uint32_t len, int depth);

/* Adds a shortstr (u8 length, bytes) as the string field f, with the item covering the
 * bytes only as Wireshark's does; returns the bytes (NULL when not read) and *len. */
const uint8_t *amqp_add_shortstr(PeelPacket *pkt, PeelReader *rd, uint32_t f, uint32_t *len);

/* Adds an 8-byte POSIX time as the time field f. */
void amqp_add_timestamp(PeelPacket *pkt, PeelReader *rd, uint32_t f);
