/* proto-stun-attrs.c: STUN attributes (RFC 8489 14, RFC 8656 18, RFC 8445 16, RFC 5780
 * 7, RFC 3489 11.2): the field table, each attribute decoded with the Info text and tree
 * labels Wireshark 4.0 gives it, XOR-mapped addresses undone, FINGERPRINT checked and
 * MESSAGE-INTEGRITY(-SHA256) verified with GLib's GHmac against -o stun.credentials. */
#include "fmt.h"
#include "proto-stun.h"

#include <glib.h>
#include <string.h>
#include <zlib.h>

/* Attribute types (IANA STUN parameters; the names Wireshark 4.0 shows). */
enum {
    A_MAPPED_ADDRESS = 0x0001,
    A_RESPONSE_ADDRESS = 0x0002,
    A_CHANGE_REQUEST = 0x0003,
    A_SOURCE_ADDRESS = 0x0004,
    A_CHANGED_ADDRESS = 0x0005,
    A_USERNAME = 0x0006,
    A_PASSWORD = 0x0007,
    A_MESSAGE_INTEGRITY = 0x0008,
    A_ERROR_CODE = 0x0009,
    A_UNKNOWN_ATTRIBUTES = 0x000a,
    A_REFLECTED_FROM = 0x000b,
    A_CHANNEL_NUMBER = 0x000c,
    A_LIFETIME = 0x000d,
    A_MS_ALTERNATE_SERVER = 0x000e,
    A_MAGIC_COOKIE = 0x000f,
    A_BANDWIDTH = 0x0010,
    A_DESTINATION_ADDRESS = 0x0011,
    A_XOR_PEER_ADDRESS = 0x0012,
    A_DATA = 0x0013,
    A_REALM = 0x0014,
    A_NONCE = 0x0015,
    A_XOR_RELAYED_ADDRESS = 0x0016,
    A_REQUESTED_ADDRESS_FAMILY = 0x0017,
    A_EVEN_PORT = 0x0018,
    A_REQUESTED_TRANSPORT = 0x0019,
    A_DONT_FRAGMENT = 0x001a,
    A_ACCESS_TOKEN = 0x001b,
    A_MESSAGE_INTEGRITY_SHA256 = 0x001c,
    A_PASSWORD_ALGORITHM = 0x001d,
    A_USERHASH = 0x001e,
    A_XOR_MAPPED_ADDRESS = 0x0020,
    A_RESERVATION_TOKEN = 0x0022,
    A_PRIORITY = 0x0024,
    A_USE_CANDIDATE = 0x0025,
    A_PADDING = 0x0026,
    A_XOR_RESPONSE_TARGET = 0x0027,
    A_XOR_REFLECTED_FROM = 0x0028,
    A_CONNECTION_ID = 0x002a,
    A_LEGACY_ICMP = 0x0030,
    A_ADDITIONAL_ADDRESS_FAMILY = 0x8000,
    A_ADDRESS_ERROR_CODE = 0x8001,
    A_PASSWORD_ALGORITHMS = 0x8002,
    A_ALTERNATE_DOMAIN = 0x8003,
    A_ICMP = 0x8004,
    A_MS_XOR_MAPPED_ADDRESS = 0x8020,
    A_SOFTWARE = 0x8022,
    A_ALTERNATE_SERVER = 0x8023,
    A_CACHE_TIMEOUT = 0x8027,
    A_FINGERPRINT = 0x8028,
    A_ICE_CONTROLLED = 0x8029,
    A_ICE_CONTROLLING = 0x802a,
    A_RESPONSE_ORIGIN = 0x802b,
    A_OTHER_ADDRESS = 0x802c,
    A_REMOTE_SITE_ADDR = 0x8059,
    A_REMOTE_RELAY_SITE = 0x805a,
    A_LOCAL_SITE_ADDR = 0x805b,
    A_LOCAL_RELAY_SITE = 0x805c,
    A_MS_ALT_MAPPED_ADDRESS = 0x8090,
};

static const PeelValueName stun_attr_names[] = {
    { 0x0001, "MAPPED-ADDRESS" },
    { 0x0002, "RESPONSE_ADDRESS" },
    { 0x0003, "CHANGE_REQUEST" },
    { 0x0004, "SOURCE_ADDRESS" },
    { 0x0005, "CHANGED_ADDRESS" },
    { 0x0006, "USERNAME" },
    { 0x0007, "PASSWORD" },
    { 0x0008, "MESSAGE-INTEGRITY" },
    { 0x0009, "ERROR-CODE" },
    { 0x000a, "UNKNOWN-ATTRIBUTES" },
    { 0x000b, "REFLECTED-FROM" },
    { 0x000c, "CHANNEL-NUMBER" },
    { 0x000d, "LIFETIME" },
    { 0x000e, "MS-ALTERNATE-SERVER" },
    { 0x000f, "MAGIC-COOKIE" },
    { 0x0010, "BANDWIDTH" },
    { 0x0011, "DESTINATION-ADDRESS" },
    { 0x0012, "XOR-PEER-ADDRESS" },
    { 0x0013, "DATA" },
    { 0x0014, "REALM" },
    { 0x0015, "NONCE" },
    { 0x0016, "XOR-RELAYED-ADDRESS" },
    { 0x0017, "REQUESTED-ADDRESS-FAMILY" },
    { 0x0018, "EVEN-PORT" },
    { 0x0019, "REQUESTED-TRANSPORT" },
    { 0x001a, "DONT-FRAGMENT" },
    { 0x001b, "ACCESS-TOKEN" },
    { 0x001c, "MESSAGE-INTEGRITY-SHA256" },
    { 0x001d, "PASSWORD-ALGORITHM" },
    { 0x001e, "USERHASH" },
    { 0x0020, "XOR-MAPPED-ADDRESS" },
    { 0x0022, "RESERVATION-TOKEN" },
    { 0x0024, "PRIORITY" },
    { 0x0025, "USE-CANDIDATE" },
    { 0x0026, "PADDING" },
    { 0x0027, "XOR-RESPONSE-TARGET" },
    { 0x0028, "XOR-REFELECTED-FROM" },
    { 0x002a, "CONNECTION-ID" },
    { 0x0030, "LEGACY-ICMP" },
    { 0x8000, "ADDITIONAL-ADDRESS-FAMILY" },
    { 0x8001, "ADDRESS-ERROR-CODE" },
    { 0x8002, "PASSWORD-ALGORITHMS" },
    { 0x8003, "ALTERNATE-DOMAIN" },
    { 0x8004, "ICMP" },
    { 0x8006, "MS-TURN UNKNOWN 8006" },
    { 0x8008, "MS-VERSION" },
    { 0x8020, "XOR-MAPPED-ADDRESS" },
    { 0x8022, "SOFTWARE" },
    { 0x8023, "ALTERNATE-SERVER" },
    { 0x8025, "TRANSACTION-TRANSMIT-COUNTER" },
    { 0x8027, "CACHE-TIMEOUT" },
    { 0x8028, "FINGERPRINT" },
    { 0x8029, "ICE-CONTROLLED" },
    { 0x802a, "ICE-CONTROLLING" },
    { 0x802b, "RESPONSE-ORIGIN" },
    { 0x802c, "OTHER-ADDRESS" },
    { 0x802d, "ECN-CHECK-STUN" },
    { 0x802e, "THIRD-PARTY-AUTHORIZATION" },
    { 0x8030, "MOBILITY-TICKET" },
    { 0x8032, "MS-ALTERNATE-HOST-NAME" },
    { 0x8037, "MS-APP-ID" },
    { 0x8039, "MS-SECURE-TAG" },
    { 0x8050, "MS-SEQUENCE-NUMBER" },
    { 0x8054, "MS-CANDIDATE-IDENTIFIER" },
    { 0x8055, "MS-SERVICE-QUALITY" },
    { 0x8056, "Bandwidth Admission Control Message" },
    { 0x8057, "Bandwidth Reservation Identifier" },
    { 0x8058, "Bandwidth Reservation Amount" },
    { 0x8059, "Remote Site Address" },
    { 0x805a, "Remote Relay Site Address" },
    { 0x805b, "Local Site Address" },
    { 0x805c, "Local Relay Site Address" },
    { 0x805d, "Remote Site Address Response" },
    { 0x805e, "Remote Relay Site Address Response" },
    { 0x805f, "Local Site Address Response" },
    { 0x8060, "Local Relay Site Address Response" },
    { 0x8061, "SIP Dialog Identifier" },
    { 0x8062, "SIP Call Identifier" },
    { 0x8068, "Location Profile" },
    { 0x8070, "MS-IMPLEMENTATION-VERSION" },
    { 0x8090, "MS-ALT-MAPPED-ADDRESS" },
    { 0x8095, "MS-MULTIPLEXED-TURN-SESSION-ID" },
    { 0xc000, "CISCO-STUN-FLOWDATA" },
    { 0xc001, "ENF-FLOW-DESCRIPTION" },
    { 0xc002, "ENF-NETWORK-STATUS" },
    { 0xc057, "GOOG-NETWORK-INFO" },
    { 0xc058, "GOOG-LAST-ICE-CHECK-RECEIVED" },
    { 0xc059, "GOOG-MISC-INFO" },
    { 0xc05a, "GOOG-OBSOLETE-1" },
    { 0xc05b, "GOOG-CONNECTION-ID" },
    { 0xc05c, "GOOG-DELTA" },
    { 0xc05d, "GOOG-DELTA-ACK" },
    { 0xc060, "GOOG-MESSAGE_INTEGRITY-32" },
    { 0xff04, "GOOG-MULTI-MAPPING" },
    { 0xff05, "GOOG-LOGGING-ID" },
    { 0, NULL },
};

/* https://www.iana.org/assignments/stun-parameters (STUN Error Codes), as Wireshark. */
static const PeelValueName stun_error_names[] = {
    { 274, "Disable Candidate" },
    { 275, "Disable Candidate Pair" },
    { 300, "Try Alternate" },
    { 400, "Bad Request" },
    { 401, "Unauthenticated" },
    { 403, "Forbidden" },
    { 405, "Mobility Forbidden" },
    { 420, "Unknown Attribute" },
    { 430, "Stale Credentials (legacy)" },
    { 431, "Integrity Check Failure (legacy)" },
    { 432, "Missing Username (legacy)" },
    { 433, "Use TLS (legacy)" },
    { 434, "Missing Realm (legacy)" },
    { 435, "Missing Nonce (legacy)" },
    { 436, "Unknown User (legacy)" },
    { 437, "Allocation Mismatch" },
    { 438, "Stale Nonce" },
    { 439, "Wrong Credentials (legacy)" },
    { 440, "Address Family not Supported" },
    { 441, "Wrong Credentials" },
    { 442, "Unsupported Transport Protocol" },
    { 443, "Peer Address Family Mismatch" },
    { 446, "Connection Already Exists" },
    { 447, "Connection Timeout or Failure" },
    { 481, "Connection does not exist (legacy)" },
    { 486, "Allocation Quota Reached" },
    { 487, "Role Conflict" },
    { 500, "Server Error" },
    { 503, "Service Unavailable (legacy)" },
    { 507, "Insufficient Bandwidth Capacity (legacy)" },
    { 508, "Insufficient Port Capacity" },
    { 600, "Global Failure" },
    { 0, NULL },
};

static const PeelValueName stun_family_names[] = {
    { 1, "IPv4" },
    { 2, "IPv6" },
    { 0, NULL },
};

static const PeelValueName stun_transport_names[] = {
    { 17, "UDP" },
    { 6, "TCP" },
    { 0, NULL },
};

static const PeelValueName stun_checksum_status_names[] = {
    { 0, "Bad" },
    { 1, "Good" },
    { 2, "Unverified" },
    { 3, "Not present" },
    { 4, "Illegal" },
    { 0, NULL },
};

static const PeelValueName stun_comprehension_names[] = {
    { 0, "Required" },
    { 1, "Optional" },
    { 0, NULL },
};

static const PeelValueName stun_assignment_names[] = {
    { 0, "IETF Review" },
    { 1, "Designated Expert" },
    { 0, NULL },
};

static const PeelValueName stun_pw_alg_names[] = {
    { 0, "Reserved" },
    { 1, "MD5" },
    { 2, "SHA-256" },
    { 0, NULL },
};

static const PeelValueName stun_reserve_next_names[] = {
    { 0, "No reservation" },
    { 1, "Reserve next port number" },
    { 0, NULL },
};

static const PeelValueName stun_network_version_names[] = {
    { 1, "MS-TURN" },
    { 2, "RFC-3489 and earlier" },
    { 3, "RFC-5389/8489" },
    { 0, NULL },
};

const PeelFieldDef stun_fields[N_F] = {
    [F_CHANNEL] = { "stun.channel", "Channel Number", PEEL_FT_U16, PEEL_SHOW_HEX },
    [F_TCP_FRAME_LEN] = { "stun.tcp_frame_length", "TCP Frame Length", PEEL_FT_U16, PEEL_SHOW_DEC },
    [F_TYPE] = { "stun.type", "Message Type", PEEL_FT_U16, PEEL_SHOW_HEX },
    [F_TYPE_CLASS] = { "stun.type.class", "Message Class", PEEL_FT_U16, PEEL_SHOW_HEX, NULL,
            0x0110 },
    [F_TYPE_METHOD] = { "stun.type.method", "Message Method", PEEL_FT_U16, PEEL_SHOW_HEX, NULL,
            0x3eef },
    [F_TYPE_METHOD_ASSIGN] = { "stun.type.method-assignment", "Message Method Assignment",
            PEEL_FT_U16, PEEL_SHOW_HEX, stun_assignment_names, 0x2000 },
    [F_LENGTH] = { "stun.length", "Message Length", PEEL_FT_U16, PEEL_SHOW_DEC },
    [F_COOKIE] = { "stun.cookie", "Message Cookie", PEEL_FT_BYTES },
    [F_ID] = { "stun.id", "Message Transaction ID", PEEL_FT_BYTES },
    [F_ATTRIBUTES] = { "stun.attributes", "Attributes", PEEL_FT_NONE },
    [F_ATTR] = { "stun.attribute", "Attribute Type", PEEL_FT_U16, PEEL_SHOW_HEX },
    [F_RESPONSE_IN] = { "stun.response-in", "Response In", PEEL_FT_FRAMENUM },
    [F_RESPONSE_TO] = { "stun.response-to", "Request In", PEEL_FT_FRAMENUM },
    [F_TIME] = { "stun.time", "Time", PEEL_FT_REL_TIME },
    [F_DUPLICATE] = { "stun.reqduplicate", "Duplicated original message in", PEEL_FT_FRAMENUM },
    [F_ATT_TYPE] = { "stun.att.type", "Attribute Type", PEEL_FT_U16, PEEL_SHOW_HEX },
    [F_ATT_TYPE_COMPREHENSION] = { "stun.att.type.comprehension", "Attribute Type Comprehension",
            PEEL_FT_U16, PEEL_SHOW_HEX, stun_comprehension_names, 0x8000 },
    [F_ATT_TYPE_ASSIGNMENT] = { "stun.att.type.assignment", "Attribute Type Assignment",
            PEEL_FT_U16, PEEL_SHOW_HEX, stun_assignment_names, 0x4000 },
    [F_ATT_LENGTH] = { "stun.att.length", "Attribute Length", PEEL_FT_U16, PEEL_SHOW_DEC },
    [F_ATT_FAMILY] = { "stun.att.family", "Protocol Family", PEEL_FT_U8, PEEL_SHOW_HEX,
            stun_family_names },
    [F_ATT_IPV4] = { "stun.att.ipv4", "IP", PEEL_FT_IPV4 },
    [F_ATT_IPV6] = { "stun.att.ipv6", "IP", PEEL_FT_IPV6 },
    [F_ATT_PORT] = { "stun.att.port", "Port", PEEL_FT_U16, PEEL_SHOW_DEC },
    [F_ATT_USERNAME] = { "stun.att.username", "Username", PEEL_FT_STRING },
    [F_ATT_PASSWORD] = { "stun.att.password", "Password", PEEL_FT_BYTES },
    [F_ATT_PADDING] = { "stun.att.padding", "Padding", PEEL_FT_U16, PEEL_SHOW_DEC },
    [F_ATT_HMAC] = { "stun.att.hmac", "HMAC-SHA1", PEEL_FT_BYTES },
    [F_ATT_USERHASH_STATUS] = { "stun.att.userhash.status", "USERHASH Status", PEEL_FT_U8,
            PEEL_SHOW_NONE, stun_checksum_status_names },
    [F_ATT_HMAC_STATUS] = { "stun.att.hmac.status", "MESSAGE-INTEGRITY Status", PEEL_FT_U8,
            PEEL_SHOW_NONE, stun_checksum_status_names },
    [F_ATT_CRC32] = { "stun.att.crc32", "CRC-32", PEEL_FT_U32, PEEL_SHOW_HEX },
    [F_ATT_CRC32_STATUS] = { "stun.att.crc32.status", "CRC-32 Status", PEEL_FT_U8, PEEL_SHOW_NONE,
            stun_checksum_status_names },
    [F_ATT_ERROR_CLASS] = { "stun.att.error.class", "Error Class", PEEL_FT_U8, PEEL_SHOW_DEC, NULL,
            0x07 },
    [F_ATT_ERROR] = { "stun.att.error", "Error Code", PEEL_FT_U8, PEEL_SHOW_DEC },
    [F_ATT_ERROR_REASON] = { "stun.att.error.reason", "Error Reason Phrase", PEEL_FT_STRING },
    [F_ATT_REALM] = { "stun.att.realm", "Realm", PEEL_FT_STRING },
    [F_ATT_NONCE] = { "stun.att.nonce", "Nonce", PEEL_FT_STRING },
    [F_ATT_UNKNOWN] = { "stun.att.unknown", "Unknown Attribute", PEEL_FT_U16, PEEL_SHOW_HEX },
    [F_ATT_XOR_IPV4] = { "stun.att.ipv4-xord", "IP (XOR-d)", PEEL_FT_BYTES },
    [F_ATT_XOR_IPV6] = { "stun.att.ipv6-xord", "IP (XOR-d)", PEEL_FT_BYTES },
    [F_ATT_XOR_PORT] = { "stun.att.port-xord", "Port (XOR-d)", PEEL_FT_BYTES },
    [F_ATT_ICMP_TYPE] = { "stun.att.icmp.type", "ICMP type", PEEL_FT_U8, PEEL_SHOW_DEC },
    [F_ATT_ICMP_CODE] = { "stun.att.icmp.code", "ICMP code", PEEL_FT_U8, PEEL_SHOW_DEC },
    [F_ATT_SOFTWARE] = { "stun.att.software", "Software", PEEL_FT_STRING },
    [F_ATT_PRIORITY] = { "stun.att.priority", "Priority", PEEL_FT_U32, PEEL_SHOW_DEC },
    [F_ATT_TIE_BREAKER] = { "stun.att.tie-breaker", "Tie breaker", PEEL_FT_BYTES },
    [F_ATT_LIFETIME] = { "stun.att.lifetime", "Lifetime", PEEL_FT_U32, PEEL_SHOW_DEC },
    [F_ATT_CHANGE_IP] = { "stun.att.change-ip", "Change IP", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE, NULL,
            0x0004, 4 },
    [F_ATT_CHANGE_PORT] = { "stun.att.change-port", "Change Port", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE,
            NULL, 0x0002, 4 },
    [F_ATT_PW_ALG] = { "stun.att.pw_alg", "Password Algorithm", PEEL_FT_U16, PEEL_SHOW_DEC,
            stun_pw_alg_names },
    [F_ATT_PW_ALG_LEN] = { "stun.att.pw_alg_len", "Password Algorithm Length", PEEL_FT_U16,
            PEEL_SHOW_DEC },
    [F_ATT_PW_ALG_DATA] = { "stun.att.pw_alg_data", "Password Algorithm Data", PEEL_FT_BYTES },
    [F_ATT_RESERVE_NEXT] = { "stun.att.even-port.reserve-next", "Reserve next", PEEL_FT_U8,
            PEEL_SHOW_DEC, stun_reserve_next_names, 0x80 },
    [F_ATT_CACHE_TIMEOUT] = { "stun.att.cache-timeout", "Cache timeout", PEEL_FT_U32,
            PEEL_SHOW_DEC },
    [F_ATT_TOKEN] = { "stun.att.token", "Token", PEEL_FT_BYTES },
    [F_VALUE] = { "stun.value", "Value", PEEL_FT_BYTES },
    [F_ATT_RESERVED] = { "stun.att.reserved", "Reserved", PEEL_FT_BYTES },
    [F_ATT_TRANSP] = { "stun.att.transp", "Transport", PEEL_FT_U8, PEEL_SHOW_HEX,
            stun_transport_names },
    [F_ATT_CHANNELNUM] = { "stun.att.channelnum", "Channel-Number", PEEL_FT_U16, PEEL_SHOW_HEX },
    [F_ATT_MAGIC_COOKIE] = { "stun.att.magic_cookie", "Magic Cookie", PEEL_FT_U32, PEEL_SHOW_HEX },
    [F_ATT_BANDWIDTH] = { "stun.port.bandwidth", "Bandwidth", PEEL_FT_U32, PEEL_SHOW_DEC },
    [F_ATT_CONNECTION_ID] = { "stun.att.connection_id", "Connection ID", PEEL_FT_U32,
            PEEL_SHOW_HEX },
    [F_MS_TURN_SESSION_ID] = { "stun.att.ms.turn_session_id", "MS TURN Session Id", PEEL_FT_U64,
            PEEL_SHOW_HEX },
    [F_NETWORK_VERSION] = { "stun.network_version", "STUN Network Version", PEEL_FT_U8,
            PEEL_SHOW_DEC, stun_network_version_names },
    [F_TURN_PEER] = { "stun.turn.peer", "TURN peer", PEEL_FT_STRING },
    [F_TURN_RELAYED] = { "stun.turn.relayed", "TURN relayed address", PEEL_FT_STRING },
    [F_DEMUX] = { "stun.demux", "Carried protocol (RFC 7983)", PEEL_FT_STRING },
};

const char *
stun_error_name(uint16_t code)
{
    return peel_value_name(stun_error_names, code);
}

/* ---- Checks ---- */

/* MESSAGE-INTEGRITY(-SHA256) over the message up to the attribute at `off` (from the
 * header), the header's length counting up to its end (RFC 8489 14.5, 14.6). Returns the
 * checksum status: 0 bad, 1 good, 2 unverified (no credentials). */
static uint8_t
stun_check_integrity(const PeelPacket *pkt, const StunMsg *m, uint32_t off, const uint8_t *mac,
        uint32_t mac_len, bool sha256)
{
    const char *creds = pkt->prefs != NULL ? pkt->prefs->stun_credentials : "";
    if (creds[0] == '\0' || off < STUN_HDR)
        return 2;
    uint32_t got = 0;
    const uint8_t *bytes = peel_reader_peek_bytes(&m->whole, 0, off, &got);
    if (bytes == NULL || got < off)
        return 2;
    /* "user:realm:password" is a long-term credential (key MD5 or SHA-256 of it, RFC 8489
     * 9.2.2), anything with fewer colons a short-term password used as it is. */
    const char *c1 = strchr(creds, ':');
    const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    uint8_t key[32];
    gsize key_len = sizeof key;
    const uint8_t *k = (const uint8_t *)creds;
    gsize klen = strlen(creds);
    if (c2 != NULL) {
        GChecksum *h = g_checksum_new(m->pw_alg == 2 ? G_CHECKSUM_SHA256 : G_CHECKSUM_MD5);
        g_checksum_update(h, (const guchar *)creds, (gssize)strlen(creds));
        g_checksum_get_digest(h, key, &key_len);
        g_checksum_free(h);
        k = key;
        klen = key_len;
    }
    uint8_t hdr[STUN_HDR];
    memcpy(hdr, bytes, STUN_HDR);
    uint32_t len = off + 4 + mac_len - STUN_HDR;
    hdr[2] = (uint8_t)(len >> 8);
    hdr[3] = (uint8_t)len;
    GHmac *hmac = g_hmac_new(sha256 ? G_CHECKSUM_SHA256 : G_CHECKSUM_SHA1, k, klen);
    g_hmac_update(hmac, hdr, STUN_HDR);
    g_hmac_update(hmac, bytes + STUN_HDR, off - STUN_HDR);
    uint8_t digest[32];
    gsize dlen = sizeof digest;
    g_hmac_get_digest(hmac, digest, &dlen);
    g_hmac_unref(hmac);
    return mac_len <= dlen && memcmp(digest, mac, mac_len) == 0 ? 1 : 0;
}

static void
stun_integrity(PeelPacket *pkt, PeelReader *val, const StunMsg *m, uint32_t off, uint16_t alen,
        bool sha256)
{
    if (!sha256 && alen < 20)
        return;
    const uint8_t *mac = peel_add_bytes(pkt, val, sha256 ? F_VALUE : F_ATT_HMAC, alen);
    int32_t item = peel_last(pkt);
    if (mac == NULL)
        return;
    if (sha256 && (alen < 16 || alen > 32 || alen % 4 != 0)) {
        peel_expert(pkt, item, PEEL_SEV_WARN, PEEL_GROUP_MALFORMED,
                "MESSAGE-INTEGRITY-SHA256 of %u bytes: RFC 8489 14.6 allows 16 to 32, a "
                "multiple of 4",
                alen);
        return;
    }
    uint8_t status = stun_check_integrity(pkt, m, off, mac, alen, sha256);
    int32_t st = peel_add_uint_value(pkt, F_ATT_HMAC_STATUS, status);
    peel_set_text(pkt, st, "[MESSAGE-INTEGRITY Status: %s]",
            status == 2 ? "not checked (no --stun-credentials)"
                        : peel_value_name(stun_checksum_status_names, status));
    if (status == 0) {
        peel_expert(pkt, item, PEEL_SEV_ERROR, PEEL_GROUP_CHECKSUM,
                "MESSAGE-INTEGRITY does not verify with the credentials given");
        peel_info_append_str(pkt, " [BAD MESSAGE-INTEGRITY]");
    }
}

/* USERHASH (RFC 8489 14.4): SHA-256 of "username:realm", checked against a long-term
 * credential when one is given. */
static void
stun_userhash(PeelPacket *pkt, PeelReader *val, uint16_t alen)
{
    const uint8_t *hash = peel_add_bytes(pkt, val, F_VALUE, alen);
    int32_t item = peel_last(pkt);
    const char *creds = pkt->prefs != NULL ? pkt->prefs->stun_credentials : "";
    const char *c1 = strchr(creds, ':');
    const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    if (hash == NULL || c2 == NULL || alen != 32)
        return;
    uint8_t want[32];
    gsize n = sizeof want;
    GChecksum *h = g_checksum_new(G_CHECKSUM_SHA256);
    g_checksum_update(h, (const guchar *)creds, c2 - creds);
    g_checksum_get_digest(h, want, &n);
    g_checksum_free(h);
    bool good = memcmp(want, hash, sizeof want) == 0;
    int32_t st = peel_add_uint_value(pkt, F_ATT_USERHASH_STATUS, good ? 1 : 0);
    peel_set_text(pkt, st, "[USERHASH Status: %s]",
            good ? "Good (the credential's user and realm)" : "Bad (not the credential's user)");
    if (!good)
        peel_expert(pkt, item, PEEL_SEV_NOTE, PEEL_GROUP_PROTOCOL,
                "USERHASH is not SHA-256 of the given credential's user:realm");
}

/* FINGERPRINT: CRC-32 of the message up to the attribute, XOR 0x5354554e (RFC 8489 14.7). */
static void
stun_fingerprint(PeelPacket *pkt, PeelReader *val, const StunMsg *m, uint32_t off, uint16_t alen)
{
    if (alen < 4)
        return;
    uint32_t fp = peel_add_u32(pkt, val, F_ATT_CRC32);
    int32_t item = peel_last(pkt);
    if (!peel_reader_ok(val))
        return;
    uint32_t got = 0;
    const uint8_t *bytes = peel_reader_peek_bytes(&m->whole, 0, off, &got);
    if (bytes == NULL || got < off) {
        peel_add_uint_value(pkt, F_ATT_CRC32_STATUS, 2);
        return;
    }
    uint32_t want = (uint32_t)crc32(0L, bytes, off) ^ STUN_FP_XOR;
    if (fp == want) {
        peel_set_text(pkt, item, "CRC-32: 0x%08x [correct]", fp);
        int32_t st = peel_add_uint_value(pkt, F_ATT_CRC32_STATUS, 1);
        peel_set_text(pkt, st, "[CRC-32 Status: Good]");
    } else {
        peel_set_text(pkt, item, "CRC-32: 0x%08x [incorrect, should be 0x%08x]", fp, want);
        int32_t st = peel_add_uint_value(pkt, F_ATT_CRC32_STATUS, 0);
        peel_set_text(pkt, st, "[CRC-32 Status: Bad]");
        peel_expert(pkt, item, PEEL_SEV_ERROR, PEEL_GROUP_CHECKSUM,
                "Bad Fingerprint [should be 0x%08x]", want);
    }
}

/* ---- Attributes ---- */

static void
stun_info_addr(PeelPacket *pkt, StunMsg *m, const char *name, const StunAddr *a)
{
    const char *s = stun_addr_str(pkt, a);
    peel_info_append(pkt, " %s: %s", name, s);
    peel_snprintf(m->label, sizeof m->label, ": %s", s);
}

/* MAPPED-ADDRESS and its kin: reserved, family, port, address; with `show`, the address
 * goes to Info. */
static bool
stun_plain_address(PeelPacket *pkt, PeelReader *val, uint16_t alen, StunAddr *out)
{
    if (alen < 1)
        return false;
    peel_add_bytes(pkt, val, F_ATT_RESERVED, 1);
    if (alen < 2)
        return false;
    out->family = peel_add_u8(pkt, val, F_ATT_FAMILY);
    if (alen < 4)
        return false;
    out->port = peel_add_u16(pkt, val, F_ATT_PORT);
    if (out->family == 1 && alen >= 8) {
        uint32_t a = peel_add_ipv4(pkt, val, F_ATT_IPV4);
        for (int i = 0; i < 4; i++)
            out->addr[i] = (uint8_t)(a >> (24 - 8 * i));
    } else if (out->family == 2 && alen >= 20) {
        const uint8_t *a = peel_add_ipv6(pkt, val, F_ATT_IPV6);
        if (a == NULL)
            return false;
        memcpy(out->addr, a, 16);
    } else {
        return false;
    }
    return peel_reader_ok(val);
}

/* XOR-MAPPED-ADDRESS and its kin: the port XOR the cookie's top 16 bits, the address XOR
 * the cookie (IPv4) or the cookie and the transaction id (IPv6) (RFC 8489 14.2). */
static bool
stun_xor_address(PeelPacket *pkt, PeelReader *val, uint16_t alen, const StunMsg *m, StunAddr *out)
{
    if (alen < 1)
        return false;
    peel_add_bytes(pkt, val, F_ATT_RESERVED, 1);
    if (alen < 2)
        return false;
    out->family = peel_add_u8(pkt, val, F_ATT_FAMILY);
    if (alen < 4)
        return false;
    const uint8_t *xp = peel_add_bytes(pkt, val, F_ATT_XOR_PORT, 2);
    if (xp == NULL)
        return false;
    uint8_t cookie[4] = { 0x21, 0x12, 0xa4, 0x42 };
    out->port = (uint16_t)(((xp[0] ^ cookie[0]) << 8) | (xp[1] ^ cookie[1]));
    peel_add_uint_value(pkt, F_ATT_PORT, out->port);
    if (alen < 8)
        return false;
    if (out->family == 1) {
        const uint8_t *xa = peel_add_bytes(pkt, val, F_ATT_XOR_IPV4, 4);
        if (xa == NULL)
            return false;
        for (int i = 0; i < 4; i++)
            out->addr[i] = xa[i] ^ cookie[i];
        int32_t f = peel_add_addr_value(pkt, F_ATT_IPV4, out->addr);
        (void)f;
        return true;
    }
    if (out->family == 2 && alen >= 20) {
        const uint8_t *xa = peel_add_bytes(pkt, val, F_ATT_XOR_IPV6, 16);
        if (xa == NULL)
            return false;
        for (int i = 0; i < 16; i++)
            out->addr[i] = xa[i] ^ (i < 4 ? cookie[i] : m->id[i - 4]);
        uint8_t *copy = peel_arena_alloc(pkt->arena, 16);
        if (copy != NULL) {
            memcpy(copy, out->addr, 16);
            peel_add_addr_value(pkt, F_ATT_IPV6, copy);
        }
        return true;
    }
    return false;
}

/* A string attribute; returns its text (NUL-terminated, in the arena) for Info. */
static const char *
stun_string(PeelPacket *pkt, PeelReader *val, uint32_t f, uint16_t alen)
{
    const uint8_t *s = peel_add_string(pkt, val, f, alen);
    if (s == NULL)
        return "";
    size_t n = 0;
    while (n < alen && s[n] != '\0')
        n++;
    char *out = peel_arena_alloc(pkt->arena, n + 1);
    if (out == NULL)
        return "";
    memcpy(out, s, n);
    out[n] = '\0';
    return out;
}

/* ERROR-CODE (RFC 8489 14.8): reserved, class (3 bits), number, reason phrase. */
static void
stun_error_code(PeelPacket *pkt, PeelReader *val, uint16_t alen, StunMsg *m)
{
    if (alen < 2)
        return;
    peel_add_bytes(pkt, val, F_ATT_RESERVED, 2);
    if (alen < 3)
        return;
    uint8_t cls = (uint8_t)peel_add_bits(pkt, val, F_ATT_ERROR_CLASS);
    peel_reader_skip(val, 1);
    if (alen < 4)
        return;
    uint8_t num = peel_add_u8(pkt, val, F_ATT_ERROR);
    if (!peel_reader_ok(val))
        return;
    uint16_t code = (uint16_t)(cls * 100 + num);
    m->error = code;
    const char *name = peel_value_name(stun_error_names, code);
    peel_info_append(pkt, " error-code: %u (%s)", code, name ? name : "*Unknown error code*");
    peel_snprintf(m->label, sizeof m->label, " %u (%s)", code, name ? name : "*Unknown error code*");
    if (alen >= 5) {
        const char *reason = stun_string(pkt, val, F_ATT_ERROR_REASON, alen - 4);
        peel_info_append(pkt, " %s", reason);
        size_t n = strlen(m->label);
        peel_snprintf(m->label + n, sizeof m->label - n, ": %s", reason);
    }
}

/* PASSWORD-ALGORITHM(S) (RFC 8489 14.11, 14.12): algorithm, parameter length, parameters
 * padded to 32 bits. */
static void
stun_password_algorithms(PeelPacket *pkt, PeelReader *val, StunMsg *m, bool single)
{
    uint32_t count = 0;
    while (peel_reader_remaining(val) > 0 && peel_reader_ok(val)) {
        if (peel_reader_remaining(val) < 4) {
            peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_MALFORMED,
                    "Too few bytes left for TLV header (%u < 4)", peel_reader_remaining(val));
            break;
        }
        uint16_t alg = peel_add_u16(pkt, val, F_ATT_PW_ALG);
        uint16_t plen = peel_add_u16(pkt, val, F_ATT_PW_ALG_LEN);
        if (single && count == 0)
            m->pw_alg = alg;
        if (plen > 0)
            peel_add_bytes(pkt, val, F_ATT_PW_ALG_DATA, plen);
        if (ROUNDUP4(plen) > plen) {
            uint32_t pad = ROUNDUP4(plen) - plen;
            peel_add_uint_value(pkt, F_ATT_PADDING, pad);
            peel_reader_skip(val, MIN(pad, peel_reader_remaining(val)));
        }
        if (++count > 1 && single)
            peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_MALFORMED,
                    "PASSWORD-ALGORITHM holds more than one algorithm");
    }
}

/* ADDRESS-ERROR-CODE (RFC 8656 18.8): family, reserved, class, number, reason. */
static void
stun_address_error_code(PeelPacket *pkt, PeelReader *val, uint16_t alen, StunMsg *m)
{
    if (alen < 4)
        return;
    peel_add_u8(pkt, val, F_ATT_FAMILY);
    peel_add_bytes(pkt, val, F_ATT_RESERVED, 1);
    uint8_t cls = (uint8_t)peel_add_bits(pkt, val, F_ATT_ERROR_CLASS);
    peel_reader_skip(val, 1);
    uint8_t num = peel_add_u8(pkt, val, F_ATT_ERROR);
    if (!peel_reader_ok(val))
        return;
    m->error = (uint16_t)(cls * 100 + num);
    if (alen > 4)
        stun_string(pkt, val, F_ATT_ERROR_REASON, alen - 4);
}

static void
stun_attr_value(PeelPacket *pkt, PeelReader *val, uint16_t atype, uint16_t alen, const char *name,
        StunMsg *m, uint32_t off)
{
    StunAddr a = { 0 };
    switch (atype) {
    case A_RESPONSE_ADDRESS:
    case A_SOURCE_ADDRESS:
    case A_CHANGED_ADDRESS:
    case A_REFLECTED_FROM:
    case A_DESTINATION_ADDRESS:
        stun_plain_address(pkt, val, alen, &a);
        break;
    case A_PASSWORD:
        peel_add_bytes(pkt, val, F_ATT_PASSWORD, alen);
        break;
    case A_MAPPED_ADDRESS:
    case A_ALTERNATE_SERVER:
    case A_RESPONSE_ORIGIN:
    case A_OTHER_ADDRESS:
    case A_MS_ALT_MAPPED_ADDRESS:
    case A_MS_ALTERNATE_SERVER:
        if (stun_plain_address(pkt, val, alen, &a))
            stun_info_addr(pkt, m, name, &a);
        break;
    case A_CHANGE_REQUEST:
        if (alen < 4)
            break;
        peel_add_bits(pkt, val, F_ATT_CHANGE_IP);
        peel_add_bits(pkt, val, F_ATT_CHANGE_PORT);
        peel_reader_skip(val, 4);
        break;
    case A_USERNAME: {
        const char *u = stun_string(pkt, val, F_ATT_USERNAME, alen);
        peel_info_append(pkt, " user: %s", u);
        peel_snprintf(m->label, sizeof m->label, ": %s", u);
        break;
    }
    case A_MESSAGE_INTEGRITY:
        m->has_integrity = true;
        stun_integrity(pkt, val, m, off, alen, false);
        break;
    case A_MESSAGE_INTEGRITY_SHA256:
        m->has_integrity = true;
        stun_integrity(pkt, val, m, off, alen, true);
        break;
    case A_ERROR_CODE:
        stun_error_code(pkt, val, alen, m);
        break;
    case A_UNKNOWN_ATTRIBUTES:
        for (uint32_t i = 0; i + 2 <= alen; i += 2)
            peel_add_u16(pkt, val, F_ATT_UNKNOWN);
        break;
    case A_REALM: {
        const char *r = stun_string(pkt, val, F_ATT_REALM, alen);
        peel_info_append(pkt, " realm: %s", r);
        peel_snprintf(m->label, sizeof m->label, ": %s", r);
        break;
    }
    case A_NONCE:
        peel_snprintf(m->label, sizeof m->label, ": %s", stun_string(pkt, val, F_ATT_NONCE, alen));
        peel_info_append_str(pkt, " with nonce");
        break;
    case A_PASSWORD_ALGORITHM:
    case A_PASSWORD_ALGORITHMS:
        stun_password_algorithms(pkt, val, m, atype == A_PASSWORD_ALGORITHM);
        break;
    case A_XOR_PEER_ADDRESS:
    case A_XOR_RELAYED_ADDRESS:
    case A_XOR_MAPPED_ADDRESS:
    case A_XOR_RESPONSE_TARGET:
    case A_XOR_REFLECTED_FROM:
    case A_MS_XOR_MAPPED_ADDRESS:
    case A_REMOTE_SITE_ADDR:
    case A_REMOTE_RELAY_SITE:
    case A_LOCAL_SITE_ADDR:
    case A_LOCAL_RELAY_SITE:
        if (!stun_xor_address(pkt, val, alen, m, &a))
            break;
        stun_info_addr(pkt, m, name, &a);
        if (atype == A_XOR_RELAYED_ADDRESS && !m->has_relayed) {
            m->has_relayed = true;
            m->relayed = a;
        } else if (atype == A_XOR_PEER_ADDRESS && m->n_peers < STUN_MAX_PEERS) {
            m->peers[m->n_peers++] = a;
        }
        break;
    case A_REQUESTED_ADDRESS_FAMILY:
    case A_ADDITIONAL_ADDRESS_FAMILY:
        if (alen < 1)
            break;
        peel_add_u8(pkt, val, F_ATT_FAMILY);
        if (alen >= 4)
            peel_add_bytes(pkt, val, F_ATT_RESERVED, 3);
        break;
    case A_EVEN_PORT:
        if (alen < 1)
            break;
        peel_add_bits(pkt, val, F_ATT_RESERVE_NEXT);
        peel_reader_skip(val, 1);
        break;
    case A_RESERVATION_TOKEN:
        if (alen >= 8)
            peel_add_bytes(pkt, val, F_ATT_TOKEN, 8);
        break;
    case A_PRIORITY:
        if (alen >= 4)
            peel_add_u32(pkt, val, F_ATT_PRIORITY);
        break;
    case A_PADDING:
        peel_add_uint_value(pkt, F_ATT_PADDING, alen);
        break;
    case A_LEGACY_ICMP:
        if (alen < 4)
            break;
        peel_add_u8(pkt, val, F_ATT_ICMP_TYPE);
        peel_add_u8(pkt, val, F_ATT_ICMP_CODE);
        break;
    case A_ICMP:
        /* RFC 8656 18.13: reserved (16 bits), ICMP type, ICMP code, error data. */
        if (alen < 4)
            break;
        peel_add_bytes(pkt, val, F_ATT_RESERVED, 2);
        peel_add_u8(pkt, val, F_ATT_ICMP_TYPE);
        peel_add_u8(pkt, val, F_ATT_ICMP_CODE);
        if (alen >= 8)
            peel_add_bytes(pkt, val, F_VALUE, 4);
        break;
    case A_ADDRESS_ERROR_CODE:
        stun_address_error_code(pkt, val, alen, m);
        break;
    case A_USERHASH:
        stun_userhash(pkt, val, alen);
        break;
    case A_SOFTWARE:
        stun_string(pkt, val, F_ATT_SOFTWARE, alen);
        break;
    case A_CACHE_TIMEOUT:
        if (alen >= 4)
            peel_add_u32(pkt, val, F_ATT_CACHE_TIMEOUT);
        break;
    case A_FINGERPRINT:
        stun_fingerprint(pkt, val, m, off, alen);
        break;
    case A_ICE_CONTROLLED:
    case A_ICE_CONTROLLING:
        if (alen >= 8)
            peel_add_bytes(pkt, val, F_ATT_TIE_BREAKER, 8);
        break;
    case A_DATA:
        if (alen > 0) {
            PeelReader data = *val;
            peel_add_bytes(pkt, val, F_VALUE, alen);
            m->has_data = true;
            m->data = data;
        }
        break;
    case A_REQUESTED_TRANSPORT:
        if (alen < 1)
            break;
        {
            uint8_t t = peel_add_u8(pkt, val, F_ATT_TRANSP);
            if (alen < 4)
                break;
            const char *tn = peel_value_name(stun_transport_names, t);
            if (tn != NULL) {
                peel_info_append(pkt, " %s", tn);
                peel_snprintf(m->label, sizeof m->label, ": %s", tn);
            } else {
                peel_info_append(pkt, " Unknown (0x%8x)", t);
            }
            peel_add_bytes(pkt, val, F_ATT_RESERVED, 3);
        }
        break;
    case A_CHANNEL_NUMBER:
        if (alen < 4)
            break;
        m->channel = peel_add_u16(pkt, val, F_ATT_CHANNELNUM);
        m->has_channel = true;
        peel_info_append(pkt, " ChannelNumber=0x%x", m->channel);
        peel_snprintf(m->label, sizeof m->label, ": 0x%x", m->channel);
        peel_add_bytes(pkt, val, F_ATT_RESERVED, 2);
        break;
    case A_MAGIC_COOKIE:
        if (alen >= 4)
            peel_add_u32(pkt, val, F_ATT_MAGIC_COOKIE);
        break;
    case A_BANDWIDTH:
        if (alen >= 4)
            peel_info_append(
                    pkt, " bandwidth: %d", (int32_t)peel_add_u32(pkt, val, F_ATT_BANDWIDTH));
        break;
    case A_LIFETIME:
        if (alen < 4)
            break;
        m->lifetime = peel_add_u32(pkt, val, F_ATT_LIFETIME);
        m->has_lifetime = true;
        peel_info_append(pkt, " lifetime: %d", (int32_t)m->lifetime);
        peel_snprintf(m->label, sizeof m->label, " %d", (int32_t)m->lifetime);
        break;
    case A_CONNECTION_ID:
        if (alen >= 4)
            peel_add_u32(pkt, val, F_ATT_CONNECTION_ID);
        break;
    case A_DONT_FRAGMENT:
    case A_USE_CANDIDATE:
        break;
    default:
        if (alen > 0)
            peel_add_bytes(pkt, val, F_VALUE, alen);
        break;
    }
}

/* One attribute: type, length, value, padding to 32 bits (RFC 8489 14). Returns false when
 * the attribute list cannot go on. */
bool
stun_attribute(PeelPacket *pkt, PeelReader *body, StunMsg *m)
{
    uint32_t left = peel_reader_remaining(body);
    if (left < 4) {
        peel_expert(pkt, pkt->parent, PEEL_SEV_ERROR, PEEL_GROUP_MALFORMED,
                "Packet is too short: %u bytes left for a 4-byte attribute header", left);
        pkt->malformed = true;
        return false;
    }
    uint16_t atype = peel_reader_peek_u16be(body, 0);
    uint16_t alen = peel_reader_peek_u16be(body, 2);
    uint32_t apad = ROUNDUP4((uint32_t)alen);
    uint32_t off = peel_reader_offset(body) - m->whole.base;
    const char *name = peel_value_name(stun_attr_names, atype);

    int32_t item = peel_open(pkt, body, F_ATTR, MIN(4 + apad, left));
    if (item >= 0) {
        pkt->fields[item].v.u = atype;
        pkt->fields[item].flags |= PEEL_FF_HAS_VALUE;
    }
    if (name != NULL) {
        peel_set_text(pkt, item, "%s", name);
    } else {
        peel_set_text(pkt, item, "Unknown attribute 0x%04x", atype);
        peel_expert(
                pkt, item, PEEL_SEV_NOTE, PEEL_GROUP_UNDECODED, "Unknown attribute 0x%04x", atype);
    }
    PeelReader tr = *body;
    uint32_t before = pkt->n_fields;
    peel_add_u16(pkt, body, F_ATT_TYPE);
    peel_set_text(
            pkt, peel_last(pkt), "Attribute Type: %s (0x%04x)", name ? name : "Unknown", atype);
    bool op = peel_open_last(pkt, before);
    peel_add_bits(pkt, &tr, F_ATT_TYPE_COMPREHENSION);
    peel_add_bits(pkt, &tr, F_ATT_TYPE_ASSIGNMENT);
    peel_close_if(pkt, op);

    if (4 + apad > left) {
        /* Wireshark shows the padded length here and stops. */
        int32_t li = peel_add_uint_value(pkt, F_ATT_LENGTH, apad);
        peel_set_text(
                pkt, li, "Attribute Length: %u (bogus, goes past the end of the message)", apad);
        peel_expert(pkt, li, PEEL_SEV_ERROR, PEEL_GROUP_MALFORMED,
                "stun.att.length %u exceeds the %u bytes left in the message", alen, left - 4);
        pkt->malformed = true;
        peel_close(pkt, NULL);
        return false;
    }
    peel_add_u16(pkt, body, F_ATT_LENGTH);
    PeelReader val = peel_reader_take(body, alen);
    m->label[0] = '\0';
    stun_attr_value(pkt, &val, atype, alen, name ? name : "Unknown", m, off);
    if (m->label[0] != '\0')
        peel_set_text(pkt, item, "%s%s", name ? name : "Unknown attribute", m->label);
    if (peel_reader_ok(&val) && peel_reader_remaining(&val) > 0 && atype != A_PASSWORD_ALGORITHMS &&
            atype != A_PASSWORD_ALGORITHM)
        peel_add_bytes(pkt, &val, F_VALUE, peel_reader_remaining(&val));
    bool ok = peel_reader_ok(&val) || val.status == PEEL_READ_MALFORMED;
    if (apad > alen) {
        int32_t p = peel_add_uint_value(pkt, F_ATT_PADDING, apad - alen);
        (void)p;
        peel_reader_skip(body, apad - alen);
    }
    peel_close(pkt, NULL);
    return ok && peel_reader_ok(body);
}
