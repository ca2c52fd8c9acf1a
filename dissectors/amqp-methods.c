/* amqp-methods.c: the classes and methods of AMQP 0-9-1 (amqp0-9-1.xml) with RabbitMQ's
 * extensions (exchange.bind/unbind, basic.nack, confirm, connection.blocked/unblocked and
 * update-secret), each argument decoded, and field tables with every field-value type of
 * RabbitMQ's errata; labels and info text as Wireshark 4.0's packet-amqp.c shows them. */
#include "amqp.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "fmt.h"
#include "format.h"
#include "registry.h"

/* How one argument is encoded on the wire. */
typedef enum {
    A_END,
    A_OCTET,
    A_SHORT,
    A_LONG,
    A_LLONG,
    A_SSTR,       /* shortstr as a string field */
    A_LSTR_BYTES, /* longstr shown as bytes */
    A_TABLE,      /* field table under an item */
    A_BIT,        /* consecutive bits share octets, first bit lowest */
} ArgKind;

typedef struct {
    uint8_t kind;
    uint8_t f;        /* AF_* */
    const char *info; /* "x=" when the value goes to the info column */
} ArgSpec;

#define MAX_ARGS 10

/* A run of bit arguments: the octet they are read from, and bits used in it. */
typedef struct {
    int32_t at; /* reader position of the octet, -1 outside a run */
    int n;
} BitRun;

typedef struct {
    uint16_t cls, method;
    const char *name;
    ArgSpec args[MAX_ARGS];
} MethodDef;

/* clang-format off */
#define OCTET(f)      { A_OCTET, f, NULL }
#define SHORT(f)      { A_SHORT, f, NULL }
#define LONG(f)       { A_LONG, f, NULL }
#define LLONG(f)      { A_LLONG, f, NULL }
#define SSTR(f)       { A_SSTR, f, NULL }
#define SSTR_I(f, i)  { A_SSTR, f, i }
#define LBYTES(f)     { A_LSTR_BYTES, f, NULL }
#define TABLE(f)      { A_TABLE, f, NULL }
#define BIT(f)        { A_BIT, f, NULL }
/* clang-format on */

static const MethodDef methods[] = {
    /* connection */
    { 10, 10, "Start",
            { OCTET(AF_A_VERSION_MAJOR), OCTET(AF_A_VERSION_MINOR), TABLE(AF_A_SERVER_PROPERTIES),
                    LBYTES(AF_A_MECHANISMS), LBYTES(AF_A_LOCALES) } },
    { 10, 11, "Start-Ok",
            { TABLE(AF_A_CLIENT_PROPERTIES), SSTR(AF_A_MECHANISM), LBYTES(AF_A_RESPONSE),
                    SSTR(AF_A_LOCALE) } },
    { 10, 20, "Secure", { LBYTES(AF_A_CHALLENGE) } },
    { 10, 21, "Secure-Ok", { LBYTES(AF_A_RESPONSE) } },
    { 10, 30, "Tune", { SHORT(AF_A_CHANNEL_MAX), LONG(AF_A_FRAME_MAX), SHORT(AF_A_HEARTBEAT) } },
    { 10, 31, "Tune-Ok", { SHORT(AF_A_CHANNEL_MAX), LONG(AF_A_FRAME_MAX), SHORT(AF_A_HEARTBEAT) } },
    { 10, 40, "Open",
            { SSTR_I(AF_A_VIRTUAL_HOST, "vhost="), SSTR(AF_A_CAPABILITIES), BIT(AF_B_INSIST) } },
    { 10, 41, "Open-Ok", { SSTR(AF_A_KNOWN_HOSTS) } },
    { 10, 42, "Redirect", { SSTR(AF_A_HOST), SSTR(AF_A_KNOWN_HOSTS) } },
    { 10, 50, "Close",
            { SHORT(AF_A_REPLY_CODE), SSTR_I(AF_A_REPLY_TEXT, "reply="), SHORT(AF_A_CLASS_ID),
                    SHORT(AF_A_METHOD_ID) } },
    { 10, 51, "Close-Ok", { { A_END } } },
    { 10, 60, "Blocked", { SSTR(AF_A_REASON) } },
    { 10, 61, "Unblocked", { { A_END } } },
    { 10, 70, "Update-Secret", { LBYTES(AF_A_NEW_SECRET), SSTR(AF_A_REASON) } },
    { 10, 71, "Update-Secret-Ok", { { A_END } } },
    /* channel */
    { 20, 10, "Open", { SSTR(AF_A_OUT_OF_BAND) } },
    { 20, 11, "Open-Ok", { LBYTES(AF_A_CHANNEL_ID) } },
    { 20, 20, "Flow", { BIT(AF_B_ACTIVE) } },
    { 20, 21, "Flow-Ok", { BIT(AF_B_ACTIVE) } },
    { 20, 40, "Close",
            { SHORT(AF_A_REPLY_CODE), SSTR_I(AF_A_REPLY_TEXT, "reply="), SHORT(AF_A_CLASS_ID),
                    SHORT(AF_A_METHOD_ID) } },
    { 20, 41, "Close-Ok", { { A_END } } },
    /* access (0-9, kept by RabbitMQ as a no-op) */
    { 30, 10, "Request",
            { SSTR(AF_A_REALM), BIT(AF_B_EXCLUSIVE), BIT(AF_B_PASSIVE), BIT(AF_B_ACTIVE),
                    BIT(AF_B_WRITE), BIT(AF_B_READ) } },
    { 30, 11, "Request-Ok", { SHORT(AF_A_TICKET) } },
    /* exchange */
    { 40, 10, "Declare",
            { SHORT(AF_A_TICKET), SSTR_I(AF_A_EXCHANGE, "x="), SSTR(AF_A_TYPE), BIT(AF_B_PASSIVE),
                    BIT(AF_B_DURABLE), BIT(AF_B_AUTO_DELETE), BIT(AF_B_INTERNAL), BIT(AF_B_NOWAIT),
                    TABLE(AF_A_ARGUMENTS) } },
    { 40, 11, "Declare-Ok", { { A_END } } },
    { 40, 20, "Delete",
            { SHORT(AF_A_TICKET), SSTR_I(AF_A_EXCHANGE, "x="), BIT(AF_B_IF_UNUSED),
                    BIT(AF_B_NOWAIT) } },
    { 40, 21, "Delete-Ok", { { A_END } } },
    { 40, 30, "Bind",
            { SHORT(AF_A_TICKET), SSTR_I(AF_A_DESTINATION, "dx="), SSTR_I(AF_A_SOURCE, "sx="),
                    SSTR_I(AF_A_ROUTING_KEY, "bk="), BIT(AF_B_NOWAIT), TABLE(AF_A_ARGUMENTS) } },
    { 40, 31, "Bind-Ok", { { A_END } } },
    { 40, 40, "Unbind",
            { SHORT(AF_A_TICKET), SSTR_I(AF_A_DESTINATION, "dx="), SSTR_I(AF_A_SOURCE, "sx="),
                    SSTR_I(AF_A_ROUTING_KEY, "bk="), BIT(AF_B_NOWAIT), TABLE(AF_A_ARGUMENTS) } },
    { 40, 51, "Unbind-Ok", { { A_END } } },
    /* queue */
    { 50, 10, "Declare",
            { SHORT(AF_A_TICKET), SSTR_I(AF_A_QUEUE, "q="), BIT(AF_B_PASSIVE), BIT(AF_B_DURABLE),
                    BIT(AF_B_EXCLUSIVE), BIT(AF_B_AUTO_DELETE), BIT(AF_B_NOWAIT),
                    TABLE(AF_A_ARGUMENTS) } },
    { 50, 11, "Declare-Ok",
            { SSTR_I(AF_A_QUEUE, "q="), LONG(AF_A_MESSAGE_COUNT), LONG(AF_A_CONSUMER_COUNT) } },
    { 50, 20, "Bind",
            { SHORT(AF_A_TICKET), SSTR_I(AF_A_QUEUE, "q="), SSTR_I(AF_A_EXCHANGE, "x="),
                    SSTR_I(AF_A_ROUTING_KEY, "bk="), BIT(AF_B_NOWAIT), TABLE(AF_A_ARGUMENTS) } },
    { 50, 21, "Bind-Ok", { { A_END } } },
    { 50, 30, "Purge", { SHORT(AF_A_TICKET), SSTR_I(AF_A_QUEUE, "q="), BIT(AF_B_NOWAIT) } },
    { 50, 31, "Purge-Ok", { LONG(AF_A_MESSAGE_COUNT) } },
    { 50, 40, "Delete",
            { SHORT(AF_A_TICKET), SSTR_I(AF_A_QUEUE, "q="), BIT(AF_B_IF_UNUSED), BIT(AF_B_IF_EMPTY),
                    BIT(AF_B_NOWAIT) } },
    { 50, 41, "Delete-Ok", { LONG(AF_A_MESSAGE_COUNT) } },
    { 50, 50, "Unbind",
            { SHORT(AF_A_TICKET), SSTR_I(AF_A_QUEUE, "q="), SSTR_I(AF_A_EXCHANGE, "x="),
                    SSTR_I(AF_A_ROUTING_KEY, "rk="), TABLE(AF_A_ARGUMENTS) } },
    { 50, 51, "Unbind-Ok", { { A_END } } },
    /* basic */
    { 60, 10, "Qos", { LONG(AF_A_PREFETCH_SIZE), SHORT(AF_A_PREFETCH_COUNT), BIT(AF_B_GLOBAL) } },
    { 60, 11, "Qos-Ok", { { A_END } } },
    { 60, 20, "Consume",
            { SHORT(AF_A_TICKET), SSTR_I(AF_A_QUEUE, "q="), SSTR(AF_A_CONSUMER_TAG),
                    BIT(AF_B_NO_LOCAL), BIT(AF_B_NO_ACK), BIT(AF_B_EXCLUSIVE), BIT(AF_B_NOWAIT),
                    TABLE(AF_A_FILTER) } },
    { 60, 21, "Consume-Ok", { SSTR(AF_A_CONSUMER_TAG) } },
    { 60, 30, "Cancel", { SSTR(AF_A_CONSUMER_TAG), BIT(AF_B_NOWAIT) } },
    { 60, 31, "Cancel-Ok", { SSTR(AF_A_CONSUMER_TAG) } },
    { 60, 40, "Publish",
            { SHORT(AF_A_TICKET), SSTR_I(AF_A_EXCHANGE, "x="), SSTR_I(AF_A_ROUTING_KEY, "rk="),
                    BIT(AF_B_MANDATORY), BIT(AF_B_IMMEDIATE) } },
    { 60, 50, "Return",
            { SHORT(AF_A_REPLY_CODE), SSTR(AF_A_REPLY_TEXT), SSTR(AF_A_EXCHANGE),
                    SSTR(AF_A_ROUTING_KEY) } },
    { 60, 60, "Deliver",
            { SSTR(AF_A_CONSUMER_TAG), LLONG(AF_A_DELIVERY_TAG), BIT(AF_B_REDELIVERED),
                    SSTR_I(AF_A_EXCHANGE, "x="), SSTR_I(AF_A_ROUTING_KEY, "rk=") } },
    { 60, 70, "Get", { SHORT(AF_A_TICKET), SSTR_I(AF_A_QUEUE, "q="), BIT(AF_B_NO_ACK) } },
    { 60, 71, "Get-Ok",
            { LLONG(AF_A_DELIVERY_TAG), BIT(AF_B_REDELIVERED), SSTR_I(AF_A_EXCHANGE, "x="),
                    SSTR_I(AF_A_ROUTING_KEY, "rk="), LONG(AF_A_MESSAGE_COUNT) } },
    { 60, 72, "Get-Empty", { SSTR(AF_A_CLUSTER_ID) } },
    { 60, 80, "Ack", { LLONG(AF_A_DELIVERY_TAG), BIT(AF_B_MULTIPLE) } },
    { 60, 90, "Reject", { LLONG(AF_A_DELIVERY_TAG), BIT(AF_B_REQUEUE) } },
    { 60, 100, "Recover-Async", { BIT(AF_B_REQUEUE) } },
    { 60, 110, "Recover", { BIT(AF_B_REQUEUE) } },
    { 60, 111, "Recover-Ok", { { A_END } } },
    { 60, 120, "Nack", { LLONG(AF_A_DELIVERY_TAG), BIT(AF_B_MULTIPLE), BIT(AF_B_REQUEUE) } },
    /* tx */
    { 90, 10, "Select", { { A_END } } },
    { 90, 11, "Select-Ok", { { A_END } } },
    { 90, 20, "Commit", { { A_END } } },
    { 90, 21, "Commit-Ok", { { A_END } } },
    { 90, 30, "Rollback", { { A_END } } },
    { 90, 31, "Rollback-Ok", { { A_END } } },
    /* confirm (RabbitMQ) */
    { 85, 10, "Select", { BIT(AF_B_NOWAIT) } },
    { 85, 11, "Select-Ok", { { A_END } } },
};

const PeelValueName amqp_class_names[] = {
    { 10, "Connection" },
    { 20, "Channel" },
    { 30, "Access" },
    { 40, "Exchange" },
    { 50, "Queue" },
    { 60, "Basic" },
    { 70, "File" },
    { 80, "Stream" },
    { 85, "Confirm" },
    { 90, "Tx" },
    { 100, "Dtx" },
    { 110, "Tunnel" },
    { 0, NULL },
};

static const MethodDef *
method_find(uint16_t cls, uint16_t method)
{
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
        if (methods[i].cls == cls && methods[i].method == method)
            return &methods[i];
    return NULL;
}

const char *
amqp_method_name(uint16_t cls, uint16_t method)
{
    const MethodDef *m = method_find(cls, method);
    return m ? m->name : NULL;
}

const uint8_t *
amqp_add_shortstr(PeelPacket *pkt, PeelReader *rd, uint32_t f, uint32_t *len)
{
    *len = 0;
    if (peel_reader_remaining(rd) < 1) {
        /* the length octet itself is missing: let the field carry the note */
        peel_add_string(pkt, rd, f, 1);
        return NULL;
    }
    uint8_t n = peel_reader_u8(rd);
    const uint8_t *s = peel_add_string(pkt, rd, f, n);
    if (s != NULL)
        *len = n;
    return s;
}

void
amqp_add_timestamp(PeelPacket *pkt, PeelReader *rd, uint32_t f)
{
    uint32_t off = peel_reader_offset(rd);
    if (!peel_reader_need(rd, 8)) {
        peel_add_bytes(pkt, rd, f, 8); /* records the field with its truncation note */
        return;
    }
    uint64_t secs = peel_reader_u64be(rd);
    int32_t idx = peel_add_time_value(pkt, f, (PeelTime){ (int64_t)secs, 0 });
    if (idx >= 0) {
        pkt->fields[idx].flags &= (uint8_t)~PEEL_FF_GENERATED;
        pkt->fields[idx].offset = off;
        pkt->fields[idx].length = 8;
        pkt->fields[idx].src = rd->src;
    }
}

/* A label-only item over n bytes at rd: "name (type): value". */
static int32_t
field_item(PeelPacket *pkt, const PeelReader *rd, uint32_t start_pos, uint32_t n)
{
    PeelReader at = *rd;
    at.pos = start_pos;
    int32_t idx = peel_open(pkt, &at, AF_FIELD, n);
    peel_close(pkt, NULL);
    return idx;
}

#define MAX_TABLE_DEPTH 16 /* nested tables and arrays deeper than this are not walked */

static void dissect_table_body(PeelPacket *pkt, PeelReader *rd, bool array, int depth);

/* One field value after its name; returns false when it does not fit (too short). The
 * value's item covers the type octet and the value, as Wireshark's does. */
static bool
dissect_value(PeelPacket *pkt, PeelReader *rd, const char *name, int depth)
{
    uint32_t start = rd->pos;
    if (peel_reader_remaining(rd) < 1)
        return false;
    uint8_t type = peel_reader_u8(rd);
    uint32_t left = peel_reader_remaining(rd);
    const char *tname = NULL;
    char value[64];
    const char *text = value;
    uint32_t vlen = 0;
    value[0] = '\0';
    switch (type) {
    case 't':
        if (left < 1)
            return false;
        tname = "boolean";
        text = peel_reader_u8(rd) ? "true" : "false";
        break;
    case 'b':
        if (left < 1)
            return false;
        tname = "byte";
        peel_snprintf(value, sizeof value, "%d", (int8_t)peel_reader_u8(rd));
        break;
    case 'B':
        if (left < 1)
            return false;
        tname = "unsigned byte";
        peel_snprintf(value, sizeof value, "%u", peel_reader_u8(rd));
        break;
    case 's':
        if (left < 2)
            return false;
        tname = "short int";
        peel_snprintf(value, sizeof value, "%d", (int16_t)peel_reader_u16be(rd));
        break;
    case 'u':
        if (left < 2)
            return false;
        tname = "short uint";
        peel_snprintf(value, sizeof value, "%u", peel_reader_u16be(rd));
        break;
    case 'I':
        if (left < 4)
            return false;
        tname = "integer";
        peel_snprintf(value, sizeof value, "%d", (int32_t)peel_reader_u32be(rd));
        break;
    case 'i':
        if (left < 4)
            return false;
        tname = "unsigned integer";
        peel_snprintf(value, sizeof value, "%u", peel_reader_u32be(rd));
        break;
    case 'l':
        if (left < 8)
            return false;
        tname = "long int";
        peel_snprintf(value, sizeof value, "%" PRId64, (int64_t)peel_reader_u64be(rd));
        break;
    case 'f': {
        if (left < 4)
            return false;
        tname = "float";
        uint32_t bits = peel_reader_u32be(rd);
        float fv;
        memcpy(&fv, &bits, 4);
        peel_snprintf(value, sizeof value, "%f", (double)fv);
        break;
    }
    case 'd': {
        if (left < 8)
            return false;
        tname = "double";
        uint64_t bits = peel_reader_u64be(rd);
        double dv;
        memcpy(&dv, &bits, 8);
        peel_snprintf(value, sizeof value, "%f", dv);
        break;
    }
    case 'D': {
        if (left < 5)
            return false;
        tname = "decimal";
        uint8_t scale = peel_reader_u8(rd);
        uint32_t digits = peel_reader_u32be(rd);
        double div = 1;
        for (uint8_t i = 0; i < scale; i++)
            div *= 10;
        peel_snprintf(value, sizeof value, "%f", digits / div);
        break;
    }
    case 'V':
        tname = "void";
        break;
    case 'S': {
        if (left < 4)
            return false;
        vlen = peel_reader_u32be(rd);
        if (peel_reader_remaining(rd) < vlen)
            return false;
        tname = "string";
        uint32_t got = 0;
        const uint8_t *s = peel_reader_peek_bytes(rd, 0, vlen, &got);
        char *copy = peel_arena_alloc(pkt->arena, got + 1);
        if (copy != NULL) {
            memcpy(copy, s, got);
            copy[got] = '\0';
            text = copy;
        }
        peel_reader_skip(rd, vlen);
        break;
    }
    case 'T': {
        if (left < 8)
            return false;
        PeelReader at = *rd;
        at.pos = start; /* the item covers the type octet too */
        uint64_t secs = peel_reader_u64be(rd);
        int32_t idx = peel_add_time_value(pkt, AF_FIELD_TS, (PeelTime){ (int64_t)secs, 0 });
        if (idx >= 0) {
            pkt->fields[idx].flags &= (uint8_t)~PEEL_FF_GENERATED;
            pkt->fields[idx].offset = peel_reader_offset(&at);
            pkt->fields[idx].length = 9;
            pkt->fields[idx].src = rd->src;
            if (pkt->want_tree) {
                GString *t = g_string_new(NULL);
                g_string_append_printf(t, "%s (timestamp): ", name);
                peel_format_abs_time(t, (PeelTime){ (int64_t)secs, 0 });
                peel_set_text(pkt, idx, "%s", t->str);
                g_string_free(t, TRUE);
            }
        }
        return true;
    }
    case 'x': {
        if (left < 4)
            return false;
        vlen = peel_reader_u32be(rd);
        if (peel_reader_remaining(rd) < vlen)
            return false;
        peel_add_bytes(pkt, rd, AF_FIELD_BYTES, vlen);
        int32_t idx = peel_last(pkt);
        if (pkt->want_tree && idx >= 0) {
            GString *t = g_string_new(NULL);
            g_string_append_printf(t, "%s (byte array): ", name);
            const PeelField *fl = &pkt->fields[idx];
            for (uint32_t i = 0; i < fl->v.b.len && i < 36; i++)
                g_string_append_printf(t, "%02x", fl->v.b.ptr[i]);
            if (fl->v.b.len > 36)
                g_string_append(t, "\xe2\x80\xa6");
            peel_set_text(pkt, idx, "%s", t->str);
            g_string_free(t, TRUE);
        }
        return true;
    }
    case 'F':
    case 'A': {
        if (left < 4)
            return false;
        vlen = peel_reader_u32be(rd);
        if (peel_reader_remaining(rd) < vlen)
            return false;
        PeelReader at = *rd;
        at.pos = start;
        int32_t idx = peel_open(pkt, &at, AF_FIELD, 5 + vlen);
        peel_set_text(pkt, idx, "%s (%s)", name, type == 'F' ? "field table" : "array");
        PeelReader inner = peel_reader_take(rd, vlen);
        if (depth < MAX_TABLE_DEPTH)
            dissect_table_body(pkt, &inner, type == 'A', depth + 1);
        else
            peel_expert(pkt, idx, PEEL_SEV_WARN, PEEL_GROUP_UNDECODED,
                    "field tables nested deeper than %d levels are not decoded", MAX_TABLE_DEPTH);
        peel_close(pkt, NULL);
        return true;
    }
    default: {
        int32_t idx = field_item(pkt, rd, start, rd->pos - start);
        peel_set_text(pkt, idx, "%s: unknown type %x (%c)", name, type,
                type >= 0x20 && type < 0x7f ? type : '?');
        peel_expert(pkt, idx, PEEL_SEV_WARN, PEEL_GROUP_UNDECODED,
                "unknown field-value type 0x%02x: the rest of the table is not decoded", type);
        /* The value's length is unknown: nothing after it can be found. */
        peel_reader_skip(rd, peel_reader_remaining(rd));
        return true;
    }
    }
    if (!peel_reader_ok(rd)) {
        /* the capture ends inside the value (a short snaplen) */
        PeelReader at = *rd;
        at.pos = start;
        int32_t idx = field_item(pkt, &at, start, peel_reader_captured(&at));
        peel_set_text(pkt, idx, "%s (%s): [truncated]", name, tname);
        peel_expert(pkt, idx, PEEL_SEV_WARN, PEEL_GROUP_MALFORMED,
                "the capture ends inside the field-table value \"%s\"", name);
        return true;
    }
    int32_t idx = field_item(pkt, rd, start, rd->pos - start);
    peel_set_text(pkt, idx, "%s (%s): %s", name, tname, text);
    return true;
}

static void
dissect_table_body(PeelPacket *pkt, PeelReader *rd, bool array, int depth)
{
    uint32_t index = 0;
    while (peel_reader_remaining(rd) > 0) {
        uint32_t entry = rd->pos;
        char name[300];
        if (array) {
            peel_snprintf(name, sizeof name, "[%u]", index);
        } else {
            uint8_t n = peel_reader_u8(rd);
            if (peel_reader_remaining(rd) < n) {
                rd->pos = entry;
                goto short_entry;
            }
            uint32_t got = 0;
            const uint8_t *s = peel_reader_peek_bytes(rd, 0, n, &got);
            memcpy(name, s, got);
            name[got] = '\0';
            peel_reader_skip(rd, n);
        }
        if (!peel_reader_ok(rd) || !dissect_value(pkt, rd, name, depth)) {
            rd->pos = entry;
            goto short_entry;
        }
        if (!peel_reader_ok(rd))
            return; /* truncated capture: the failed read noted it */
        index++;
    }
    return;
short_entry : {
    /* "Field is cut off by the end of the field table" (Wireshark's amqp.field_short). */
    int32_t idx = field_item(pkt, rd, rd->pos, peel_reader_remaining(rd));
    peel_set_text(pkt, idx, "[Field is cut off by the end of the field table]");
    peel_expert(pkt, idx, PEEL_SEV_WARN, PEEL_GROUP_MALFORMED,
            "Field is cut off by the end of the field table");
}
}

void
amqp_dissect_table(PeelPacket *pkt, PeelReader *rd, uint32_t f, uint32_t len, int depth)
{
    int32_t idx = peel_open(pkt, rd, f, len);
    (void)idx;
    PeelReader inner = peel_reader_take(rd, len);
    dissect_table_body(pkt, &inner, false, depth);
    peel_close(pkt, NULL);
}

/* The SASL response of start-ok and secure-ok: with PLAIN ("\0user\0password") the
 * password bytes are shown as '*' unless the amqp.show_sasl_response preference is set;
 * with other mechanisms every byte is. */
static void
add_response(PeelPacket *pkt, PeelReader *rd, uint32_t len, const AmqpMethodInfo *mi)
{
    const uint8_t *p = peel_add_bytes(pkt, rd, AF_A_RESPONSE, len);
    int32_t idx = peel_last(pkt);
    if (p == NULL || idx < 0 || pkt->prefs->amqp_show_sasl_response || len == 0)
        return;
    uint8_t *masked = peel_arena_alloc(pkt->arena, len);
    if (masked == NULL)
        return;
    memcpy(masked, p, len);
    uint32_t from = 0;
    bool plain = mi->mechanism_len == 5 && memcmp(mi->mechanism, "PLAIN", 5) == 0;
    if (plain) {
        /* authzid NUL authcid NUL passwd (RFC 4616): keep the names */
        const uint8_t *nul = memchr(p, 0, len);
        if (nul != NULL)
            nul = memchr(nul + 1, 0, len - (uint32_t)(nul + 1 - p));
        from = nul != NULL ? (uint32_t)(nul + 1 - p) : 0;
    }
    memset(masked + from, '*', len - from);
    pkt->fields[idx].v.b.ptr = masked;
    if (pkt->want_tree) {
        GString *t = g_string_new("Response: ");
        for (uint32_t i = 0; i < len && i < 64; i++)
            g_string_append_printf(t, "%02x", masked[i]);
        if (len > 64)
            g_string_append(t, "\xe2\x80\xa6");
        g_string_append_printf(t, " [%s masked; -o amqp.show_sasl_response:TRUE shows it]",
                plain ? "password" : "response");
        peel_set_text(pkt, idx, "%s", t->str);
        g_string_free(t, TRUE);
    }
}

static void
add_arg(PeelPacket *pkt, PeelReader *rd, const ArgSpec *a, AmqpMethodInfo *mi, BitRun *run)
{
    switch (a->kind) {
    case A_OCTET:
        peel_add_u8(pkt, rd, a->f);
        break;
    case A_SHORT: {
        uint16_t v = peel_add_u16(pkt, rd, a->f);
        if (a->f == AF_A_REPLY_CODE && peel_reader_ok(rd)) {
            mi->reply_field = peel_last(pkt);
            mi->reply_code = v;
            mi->has_reply_code = true;
        } else if (a->f == AF_A_HEARTBEAT && peel_reader_ok(rd)) {
            mi->heartbeat = v;
            mi->has_heartbeat = true;
        }
        break;
    }
    case A_LONG:
        peel_add_u32(pkt, rd, a->f);
        break;
    case A_LLONG: {
        uint64_t v = peel_add_u64(pkt, rd, a->f);
        if (a->f == AF_A_DELIVERY_TAG && peel_reader_ok(rd)) {
            mi->delivery_tag = v;
            mi->has_delivery_tag = true;
        }
        break;
    }
    case A_SSTR: {
        uint32_t n = 0;
        const uint8_t *s = amqp_add_shortstr(pkt, rd, a->f, &n);
        if (a->f == AF_A_MECHANISM && s != NULL) {
            mi->mechanism = s;
            mi->mechanism_len = n;
        }
        if (a->info != NULL && pkt->want_info && peel_reader_ok(rd)) {
            GString *t = g_string_new(a->info);
            peel_format_escaped(t, s, n);
            g_string_append_c(t, ' ');
            peel_info_append_str(pkt, t->str);
            g_string_free(t, TRUE);
        }
        break;
    }
    case A_LSTR_BYTES: {
        uint32_t n = peel_reader_u32be(rd);
        if (!peel_reader_ok(rd)) {
            peel_add_bytes(pkt, rd, a->f, 0);
            break;
        }
        if (a->f == AF_A_RESPONSE) {
            add_response(pkt, rd, n, mi);
        } else {
            peel_add_bytes(pkt, rd, a->f, n);
            if (n == 0 && pkt->want_tree && peel_last(pkt) >= 0) /* as Wireshark shows it */
                peel_set_text(pkt, peel_last(pkt), "%s: <MISSING>",
                        peel_field_def(pkt->fields[peel_last(pkt)].id)->title);
        }
        break;
    }
    case A_TABLE: {
        uint32_t n = peel_reader_u32be(rd);
        if (!peel_reader_ok(rd)) {
            peel_add_bytes(pkt, rd, a->f, 0);
            break;
        }
        if (peel_reader_remaining(rd) < n) {
            peel_open(pkt, rd, a->f, peel_reader_remaining(rd));
            peel_close(pkt, NULL);
            peel_mark_malformed(pkt, "field table of %u bytes overruns the %u left in the frame", n,
                    peel_reader_remaining(rd));
            peel_reader_skip(rd, n);
            break;
        }
        amqp_dissect_table(pkt, rd, a->f, n, 0);
        break;
    }
    case A_BIT: {
        /* Consecutive bits pack into octets, the first bit lowest (amqp0-9-1 4.2.5.2);
         * the octets are consumed after the run. */
        if (run->at < 0 || run->n == 8) {
            run->at = run->at < 0 ? (int32_t)rd->pos : run->at + 1;
            run->n = 0;
        }
        PeelReader at = *rd;
        at.pos = (uint32_t)run->at;
        if (peel_reader_captured(&at) < 1 || peel_reader_remaining(&at) < 1) {
            peel_add_uint(pkt, &at, a->f); /* records the field and its note */
            rd->status = at.status;
            break;
        }
        bool v = (peel_reader_peek_u8(&at, 0) >> run->n) & 1;
        int32_t idx = peel_add_bool_value(pkt, a->f, v);
        if (idx >= 0) {
            PeelField *fl = &pkt->fields[idx];
            fl->flags &= (uint8_t)~PEEL_FF_GENERATED;
            fl->offset = peel_reader_offset(&at);
            fl->length = 1;
            fl->src = at.src;
            if (pkt->want_tree) {
                char pat[10];
                for (int i = 0, k = 0; i < 8; i++) {
                    if (i == 4)
                        pat[k++] = ' ';
                    pat[k++] = 7 - i == run->n ? (char)('0' + v) : '.';
                }
                pat[9] = '\0';
                peel_set_text(pkt, idx, "%s = %s: %s", pat, peel_field_def(fl->id)->title,
                        v ? "True" : "False");
            }
        }
        run->n++;
        if (a->f == AF_B_MULTIPLE && v)
            mi->multiple = true;
        break;
    }
    }
}

void
amqp_dissect_method(PeelPacket *pkt, PeelReader *rd, AmqpMethodInfo *mi)
{
    uint16_t cls = peel_add_u16(pkt, rd, AF_CLASS);
    uint16_t method = peel_reader_peek_u16be(rd, 0);
    int32_t mf = -1;
    if (peel_reader_ok(rd)) {
        peel_add_u16(pkt, rd, AF_METHOD);
        mf = peel_last(pkt);
    }
    if (!peel_reader_ok(rd))
        return;
    mi->cls = cls;
    mi->method = method;
    const MethodDef *m = method_find(cls, method);
    const char *cname = peel_value_name(amqp_class_names, cls);
    if (m != NULL)
        peel_set_text(pkt, mf, "Method: %s (%u)", m->name, method);
    else
        peel_set_text(pkt, mf, "Method: Unknown (%u)", method);
    if (cname == NULL) {
        peel_expert(pkt, mf, PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL, "Unknown method class %u", cls);
        peel_info_append(pkt, "Unknown class %u ", cls);
        return;
    }
    if (m == NULL) {
        peel_info_append(pkt, "%s.Unknown (%u) ", cname, method);
        peel_expert(
                pkt, mf, PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL, "Unknown %s method %u", cname, method);
        return;
    }
    mi->known = true;
    peel_info_append_str(pkt, cname);
    peel_info_append_str(pkt, ".");
    peel_info_append_str(pkt, m->name);
    peel_info_append_str(pkt, " ");
    peel_open(pkt, rd, AF_ARGS, peel_reader_remaining(rd));
    if (mi->has_publish_number)
        peel_add_uint_value(pkt, AF_PUBLISH_NUMBER, mi->publish_number);
    BitRun run = { -1, 0 };
    for (int i = 0; i < MAX_ARGS && m->args[i].kind != A_END; i++) {
        const ArgSpec *a = &m->args[i];
        if (a->kind != A_BIT && run.at >= 0) {
            rd->pos = (uint32_t)run.at;
            peel_reader_skip(rd, 1);
            run.at = -1;
        }
        add_arg(pkt, rd, a, mi, &run);
        if (!peel_reader_ok(rd))
            break;
    }
    if (run.at >= 0 && peel_reader_ok(rd)) {
        rd->pos = (uint32_t)run.at;
        peel_reader_skip(rd, 1);
    }
    peel_close(pkt, NULL);
    if (peel_reader_ok(rd) && peel_reader_remaining(rd) > 0)
        peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_MALFORMED,
                "%u bytes after the arguments of %s.%s", peel_reader_remaining(rd), cname, m->name);
}
