/* proto-ip.c: Internet Protocol version 4 (RFC 791): header, options, checksum, fragments,
 * and the hand-off to the transport layer; field names and texts follow Wireshark 4.0. */
#include "dissect.h"
#include "fmt.h"
#include "inet-checksum.h"

#include <stdio.h>
#include <glib.h>
#include <string.h>

#include "defrag.h"
#include "protos.h"

enum {
    F_VERSION,
    F_HDR_LEN,
    F_DSFIELD,
    F_DSCP,
    F_ECN,
    F_LEN,
    F_ID,
    F_FLAGS,
    F_FLAGS_RB,
    F_FLAGS_DF,
    F_FLAGS_MF,
    F_FRAG_OFFSET,
    F_TTL,
    F_PROTO,
    F_CHECKSUM,
    F_CHECKSUM_CALC,
    F_CHECKSUM_STATUS,
    F_SRC,
    F_ADDR,
    F_SRC_HOST,
    F_HOST,
    F_DST,
    F_DST_HOST,
    F_CUR_RT,
    F_CUR_RT_HOST,
    F_OPTIONS,
    /* one item per known option, named as Wireshark's option protocols */
    F_OPT_EOL,
    F_OPT_NOP,
    F_OPT_SECURITY,
    F_OPT_LSR,
    F_OPT_TIMESTAMP,
    F_OPT_EXT_SECURITY,
    F_OPT_CIPSO,
    F_OPT_RR,
    F_OPT_SID,
    F_OPT_SSR,
    F_OPT_MTU_PROBE,
    F_OPT_MTU_REPLY,
    F_OPT_TRACEROUTE,
    F_OPT_RA,
    F_OPT_SDB,
    F_OPT_QS,
    F_OPT_UNKNOWN,
    F_OPT_DATA,
    F_OPT_LEN_INVALID,
    F_OPT_TYPE,
    F_OPT_TYPE_COPY,
    F_OPT_TYPE_CLASS,
    F_OPT_TYPE_NUMBER,
    F_OPT_LEN,
    F_OPT_PTR,
    F_OPT_SID_VALUE,
    F_OPT_MTU,
    F_OPT_ID_NUMBER,
    F_OPT_OHC,
    F_OPT_RHC,
    F_OPT_ORIGINATOR,
    F_OPT_RA_VALUE,
    F_OPT_ADDR,
    F_OPT_PADDING,
    F_OPT_QS_FUNC,
    F_OPT_QS_RATE,
    F_OPT_QS_TTL,
    F_OPT_QS_TTL_DIFF,
    F_OPT_QS_UNUSED,
    F_OPT_QS_NONCE,
    F_OPT_QS_RESERVED,
    F_OPT_SEC_RFC791_SEC,
    F_OPT_SEC_RFC791_COMP,
    F_OPT_SEC_RFC791_HR,
    F_OPT_SEC_RFC791_TCC,
    F_OPT_SEC_CL,
    F_OPT_SEC_FLAGS,
    F_OPT_SEC_GENSER,
    F_OPT_SEC_SIOP_ESI,
    F_OPT_SEC_SCI,
    F_OPT_SEC_NSA,
    F_OPT_SEC_DOE,
    F_OPT_SEC_UNASSIGNED,
    F_OPT_SEC_UNASSIGNED2,
    F_OPT_SEC_FTI,
    F_OPT_ESEC_FORMAT,
    F_OPT_ESEC_INFO,
    F_REC_RT,
    F_REC_RT_HOST,
    F_SRC_RT,
    F_SRC_RT_HOST,
    F_EMPTY_RT,
    F_EMPTY_RT_HOST,
    F_CIPSO_DOI,
    F_CIPSO_TAG_TYPE,
    F_OPT_OVERFLOW,
    F_OPT_FLAG,
    F_OPT_TIME_STAMP,
    F_OPT_TIME_STAMP_ADDR,
    F_SUBOPT_TOO_LONG,
    /* fragment reassembly, as Wireshark's ip_frag_items */
    F_FRAGMENTS,
    F_FRAGMENT,
    F_FRAGMENT_OVERLAP,
    F_FRAGMENT_CONFLICT,
    F_FRAGMENT_MULTIPLE_TAILS,
    F_FRAGMENT_TOO_LONG,
    F_FRAGMENT_ERROR,
    F_FRAGMENT_COUNT,
    F_REASSEMBLED_IN,
    F_REASSEMBLED_LENGTH,
    F_REASSEMBLED_DATA,
    N_F
};

/* Protocol numbers and names as Wireshark's ipproto table (shared with IPv6's next header
 * fields, which use the same names). */
const PeelValueName peel_ip_proto_names[] = {
    { 0, "IPv6 Hop-by-Hop Option" },
    { 1, "ICMP" },
    { 2, "IGMP" },
    { 3, "GGP" },
    { 4, "IPIP" },
    { 5, "Stream" },
    { 6, "TCP" },
    { 7, "CBT" },
    { 8, "EGP" },
    { 9, "IGRP" },
    { 10, "BBN RCC" },
    { 11, "Network Voice" },
    { 12, "PUP" },
    { 13, "ARGUS" },
    { 14, "EMCON" },
    { 15, "XNET" },
    { 16, "CHAOS" },
    { 17, "UDP" },
    { 18, "Multiplex" },
    { 19, "DCN Measurement" },
    { 20, "Host Monitoring" },
    { 21, "Packet radio" },
    { 22, "IDP" },
    { 23, "Trunk-1" },
    { 24, "Trunk-2" },
    { 25, "Leaf-1" },
    { 26, "Leaf-2" },
    { 27, "Reliable Data" },
    { 28, "IRT" },
    { 29, "ISO TP4" },
    { 30, "Bulk Data" },
    { 31, "MFE NSP" },
    { 32, "Merit Internodal" },
    { 33, "Datagram Congestion Control Protocol" },
    { 34, "3rd Party Connect" },
    { 35, "Inter-Domain Policy Routing Protocol" },
    { 36, "XTP" },
    { 37, "Datagram delivery" },
    { 38, "Control Message" },
    { 39, "TP++" },
    { 40, "IL" },
    { 41, "IPv6" },
    { 42, "Source demand routing" },
    { 43, "Routing Header for IPv6" },
    { 44, "Fragment Header for IPv6" },
    { 45, "Inter-Domain Routing Protocol" },
    { 46, "Reservation Protocol" },
    { 47, "Generic Routing Encapsulation" },
    { 48, "Dynamic source routing" },
    { 49, "BNA" },
    { 50, "Encap Security Payload" },
    { 51, "Authentication Header" },
    { 52, "INSLP" },
    { 53, "SWIPE" },
    { 54, "NBMA ARP" },
    { 55, "IP Mobility" },
    { 56, "TLSP Kryptonet" },
    { 57, "SKIP" },
    { 58, "ICMPv6" },
    { 59, "No Next Header for IPv6" },
    { 60, "Destination Options for IPv6" },
    { 61, "any host internal protocol" },
    { 62, "Mobile IPv6 (old)" },
    { 63, "any local network" },
    { 64, "SATNET EXPAK" },
    { 65, "Kryptolan" },
    { 66, "Remote Virtual Disk" },
    { 67, "IPPC" },
    { 68, "any distributed file system" },
    { 69, "SATNET Monitoring" },
    { 70, "VISA" },
    { 71, "IPCV" },
    { 72, "CPNX" },
    { 73, "CPHB" },
    { 74, "Wang Span" },
    { 75, "Packet Video" },
    { 76, "Backroom SATNET Mon" },
    { 77, "Sun ND Protocol" },
    { 78, "Wideband Mon" },
    { 79, "Wideband Expak" },
    { 80, "ISO Internet Protocol" },
    { 81, "VMTP" },
    { 82, "Secure VMTP" },
    { 83, "VINES" },
    { 84, "TTP" },
    { 85, "NSFNET IGP" },
    { 86, "Dissimilar Gateway" },
    { 87, "TCF" },
    { 88, "EIGRP" },
    { 89, "OSPF IGP" },
    { 90, "Sprite RPC" },
    { 91, "Locus ARP" },
    { 92, "Multicast Transport" },
    { 93, "AX.25 Frames" },
    { 94, "IP in IP" },
    { 95, "MICP" },
    { 96, "Semaphore" },
    { 97, "Ether in IP" },
    { 98, "ENCAP" },
    { 99, "any private encryption scheme" },
    { 100, "GMTP" },
    { 101, "Ipsilon Flow" },
    { 102, "PNNI over IP" },
    { 103, "PIM" },
    { 104, "ARIS" },
    { 105, "SCPS" },
    { 106, "QNX" },
    { 107, "Active Networks" },
    { 108, "IPComp" },
    { 109, "Sitara Networks" },
    { 110, "Compaq Peer" },
    { 111, "IPX IN IP" },
    { 112, "VRRP" },
    { 113, "PGM" },
    { 114, "any 0-hop protocol" },
    { 115, "Layer 2 Tunneling" },
    { 116, "DDX" },
    { 117, "IATP" },
    { 118, "STP" },
    { 119, "SpectraLink" },
    { 120, "UTI" },
    { 121, "SMP" },
    { 122, "SM" },
    { 123, "PTP" },
    { 124, "ISIS over IP" },
    { 125, "FIRE" },
    { 126, "CRTP" },
    { 127, "CRUDP" },
    { 128, "SSCOPMCE" },
    { 129, "IPLT" },
    { 130, "Secure Packet" },
    { 131, "PIPE" },
    { 132, "SCTP" },
    { 133, "Fibre Channel" },
    { 134, "RSVP E2EI" },
    { 135, "Mobile IPv6" },
    { 136, "UDPLite" },
    { 137, "MPLS in IP" },
    { 138, "MANET" },
    { 139, "HIP" },
    { 140, "Shim6 header" },
    { 141, "WESP" },
    { 142, "ROHC" },
    { 143, "Ethernet" },
    { 144, "Unassigned" },
    { 145, "Unassigned" },
    { 146, "Unassigned" },
    { 147, "Unassigned" },
    { 148, "Unassigned" },
    { 149, "Unassigned" },
    { 150, "Unassigned" },
    { 151, "Unassigned" },
    { 152, "Unassigned" },
    { 153, "Unassigned" },
    { 154, "Unassigned" },
    { 155, "Unassigned" },
    { 156, "Unassigned" },
    { 157, "Unassigned" },
    { 158, "Unassigned" },
    { 159, "Unassigned" },
    { 160, "Unassigned" },
    { 161, "Unassigned" },
    { 162, "Unassigned" },
    { 163, "Unassigned" },
    { 164, "Unassigned" },
    { 165, "Unassigned" },
    { 166, "Unassigned" },
    { 167, "Unassigned" },
    { 168, "Unassigned" },
    { 169, "Unassigned" },
    { 170, "Unassigned" },
    { 171, "Unassigned" },
    { 172, "Unassigned" },
    { 173, "AX/4000 Testframe" },
    { 174, "Unassigned" },
    { 175, "Unassigned" },
    { 176, "Unassigned" },
    { 177, "Unassigned" },
    { 178, "Unassigned" },
    { 179, "Unassigned" },
    { 180, "Unassigned" },
    { 181, "Unassigned" },
    { 182, "Unassigned" },
    { 183, "Unassigned" },
    { 184, "Unassigned" },
    { 185, "Unassigned" },
    { 186, "Unassigned" },
    { 187, "Unassigned" },
    { 188, "Unassigned" },
    { 189, "Unassigned" },
    { 190, "Unassigned" },
    { 191, "Unassigned" },
    { 192, "Unassigned" },
    { 193, "Unassigned" },
    { 194, "Unassigned" },
    { 195, "Unassigned" },
    { 196, "Unassigned" },
    { 197, "Unassigned" },
    { 198, "Unassigned" },
    { 199, "Unassigned" },
    { 200, "Unassigned" },
    { 201, "Unassigned" },
    { 202, "Unassigned" },
    { 203, "Unassigned" },
    { 204, "Unassigned" },
    { 205, "Unassigned" },
    { 206, "Unassigned" },
    { 207, "Unassigned" },
    { 208, "Unassigned" },
    { 209, "Unassigned" },
    { 210, "Unassigned" },
    { 211, "Unassigned" },
    { 212, "Unassigned" },
    { 213, "Unassigned" },
    { 214, "Unassigned" },
    { 215, "Unassigned" },
    { 216, "Unassigned" },
    { 217, "Unassigned" },
    { 218, "Unassigned" },
    { 219, "Unassigned" },
    { 220, "Unassigned" },
    { 221, "Unassigned" },
    { 222, "Unassigned" },
    { 223, "Unassigned" },
    { 224, "Novell NCS Heartbeat" },
    { 0, NULL },
};

static const PeelValueName ip_dscp_names[] = {
    { 0, "Default" },
    { 1, "Lower Effort" },
    { 8, "Class Selector 1" },
    { 10, "Assured Forwarding 11" },
    { 12, "Assured Forwarding 12" },
    { 14, "Assured Forwarding 13" },
    { 16, "Class Selector 2" },
    { 18, "Assured Forwarding 21" },
    { 20, "Assured Forwarding 22" },
    { 22, "Assured Forwarding 23" },
    { 24, "Class Selector 3" },
    { 26, "Assured Forwarding 31" },
    { 28, "Assured Forwarding 32" },
    { 30, "Assured Forwarding 33" },
    { 32, "Class Selector 4" },
    { 34, "Assured Forwarding 41" },
    { 36, "Assured Forwarding 42" },
    { 38, "Assured Forwarding 43" },
    { 40, "Class Selector 5" },
    { 44, "Voice Admit" },
    { 46, "Expedited Forwarding" },
    { 48, "Class Selector 6" },
    { 56, "Class Selector 7" },
    { 0, NULL },
};

static const PeelValueName ip_dscp_short[] = {
    { 0, "CS0" },
    { 1, "LE" },
    { 8, "CS1" },
    { 10, "AF11" },
    { 12, "AF12" },
    { 14, "AF13" },
    { 16, "CS2" },
    { 18, "AF21" },
    { 20, "AF22" },
    { 22, "AF23" },
    { 24, "CS3" },
    { 26, "AF31" },
    { 28, "AF32" },
    { 30, "AF33" },
    { 32, "CS4" },
    { 34, "AF41" },
    { 36, "AF42" },
    { 38, "AF43" },
    { 40, "CS5" },
    { 44, "VOICE-ADMIT" },
    { 46, "EF PHB" },
    { 48, "CS6" },
    { 56, "CS7" },
    { 0, NULL },
};

static const PeelValueName ip_ecn_names[] = {
    { 0, "Not ECN-Capable Transport" },
    { 1, "ECN-Capable Transport codepoint '01'" },
    { 2, "ECN-Capable Transport codepoint '10'" },
    { 3, "Congestion Experienced" },
    { 0, NULL },
};

static const PeelValueName ip_ecn_short[] = {
    { 0, "Not-ECT" },
    { 1, "ECT(1)" },
    { 2, "ECT(0)" },
    { 3, "CE" },
    { 0, NULL },
};

/* proto_checksum_vals */
static const PeelValueName ip_checksum_status_names[] = {
    { 0, "Bad" },
    { 1, "Good" },
    { 2, "Unverified" },
    { 3, "Not present" },
    { 4, "Illegal" },
    { 0, NULL },
};

static const PeelValueName ip_yes_no[] = {
    { 0, "No" },
    { 1, "Yes" },
    { 0, NULL },
};

static const PeelValueName ip_opt_class_names[] = {
    { 0, "Control" },
    { 1, "Reserved for future use" },
    { 2, "Debugging and measurement" },
    { 3, "Reserved for future use" },
    { 0, NULL },
};

static const PeelValueName ip_opt_number_names[] = {
    { 0, "End of Option List (EOL)" },
    { 1, "No-Operation (NOP)" },
    { 2, "Security" },
    { 3, "Loose source route" },
    { 4, "Time stamp" },
    { 5, "Extended security" },
    { 6, "Commercial IP security option" },
    { 7, "Record route" },
    { 8, "Stream identifier" },
    { 9, "Strict source route" },
    { 10, "Experimental Measurement" },
    { 11, "MTU probe" },
    { 12, "MTU Reply" },
    { 13, "Experimental Flow Control" },
    { 14, "Experimental Access Control" },
    { 15, "Ask Estrin" },
    { 16, "IMI Traffic Descriptor" },
    { 17, "Extended Internet Protocol" },
    { 18, "Traceroute" },
    { 19, "Address Extension" },
    { 20, "Router Alert" },
    { 21, "Selective Directed Broadcast" },
    { 22, "Unassigned" },
    { 23, "Dynamic Packet State" },
    { 24, "Upstream Multicast Packet" },
    { 25, "Quick-Start" },
    { 30, "RFC 3692-style experiment" },
    { 0, NULL },
};

static const PeelValueName ip_ra_names[] = {
    { 0, "Router shall examine packet" },
    { 0, NULL },
};

static const PeelValueName ip_ts_flag_names[] = {
    { 0, "Time stamps only" },
    { 1, "Time stamp and address" },
    { 3, "Time stamps for prespecified addresses" },
    { 0, NULL },
};

static const PeelValueName ip_qs_func_names[] = {
    { 0, "Rate request" },
    { 8, "Rate report" },
    { 0, NULL },
};

static const PeelValueName ip_qs_rate_names[] = {
    { 0, "0 bit/s" },
    { 1, "80 Kbit/s" },
    { 2, "160 Kbit/s" },
    { 3, "320 Kbit/s" },
    { 4, "640 Kbit/s" },
    { 5, "1.28 Mbit/s" },
    { 6, "2.56 Mbit/s" },
    { 7, "5.12 Mbit/s" },
    { 8, "10.24 Mbit/s" },
    { 9, "20.48 Mbit/s" },
    { 10, "40.96 Mbit/s" },
    { 11, "81.92 Mbit/s" },
    { 12, "163.84 Mbit/s" },
    { 13, "327.68 Mbit/s" },
    { 14, "655.36 Mbit/s" },
    { 15, "1.31072 Gbit/s" },
    { 0, NULL },
};

static const PeelValueName ip_sec_rfc791_names[] = {
    { 0x0000, "Unclassified" },
    { 0xf135, "Confidential" },
    { 0x789a, "EFTO" },
    { 0xbc4d, "MMMM" },
    { 0x5e26, "PROG" },
    { 0xaf13, "Restricted" },
    { 0xd788, "Secret" },
    { 0x6bc5, "Top secret" },
    { 0x35e2, "Reserved" },
    { 0x9af1, "Reserved" },
    { 0x4d78, "Reserved" },
    { 0x24bd, "Reserved" },
    { 0x135e, "Reserved" },
    { 0x89af, "Reserved" },
    { 0xc4d6, "Reserved" },
    { 0xe26b, "Reserved" },
    { 0, NULL },
};

static const PeelValueName ip_sec_cl_names[] = {
    { 0x01, "Reserved 4" },
    { 0x3d, "Top secret" },
    { 0x5a, "Secret" },
    { 0x96, "Confidential" },
    { 0x66, "Reserved 3" },
    { 0xcc, "Reserved 2" },
    { 0xab, "Unclassified" },
    { 0xf1, "Reserved 1" },
    { 0, NULL },
};

static const PeelValueName ip_sec_prot_names[] = {
    { 0, "Datagram not protected in accordance with its rules" },
    { 1, "Datagram protected in accordance with its rules" },
    { 0, NULL },
};

static const PeelValueName ip_sec_fti_names[] = {
    { 0, "Final octet" },
    { 1, "Additional octet present" },
    { 0, NULL },
};

static const PeelValueName ip_cipso_tag_names[] = {
    { 0, "Padding" },
    { 1, "Restrictive Category Bitmap" },
    { 2, "Enumerated Categories" },
    { 5, "Ranged Categories" },
    { 6, "Permissive Categories" },
    { 7, "Free Form" },
    { 0, NULL },
};

#define B8(mask) 0, mask, 1 /* names, mask, width of a one-byte bit field */

static const PeelFieldDef ip_fields[N_F] = {
    [F_VERSION] = { "ip.version", "Version", PEEL_FT_U8, PEEL_SHOW_DEC, NULL, 0xf0, 1 },
    [F_HDR_LEN] = { "ip.hdr_len", "Header Length", PEEL_FT_U8, PEEL_SHOW_DEC },
    [F_DSFIELD] = { "ip.dsfield", "Differentiated Services Field", PEEL_FT_U8, PEEL_SHOW_HEX },
    [F_DSCP] = { "ip.dsfield.dscp", "Differentiated Services Codepoint", PEEL_FT_U8, PEEL_SHOW_DEC,
            ip_dscp_names, 0xfc, 1 },
    [F_ECN] = { "ip.dsfield.ecn", "Explicit Congestion Notification", PEEL_FT_U8, PEEL_SHOW_DEC,
            ip_ecn_names, 0x03, 1 },
    [F_LEN] = { "ip.len", "Total Length", PEEL_FT_U16, PEEL_SHOW_DEC },
    [F_ID] = { "ip.id", "Identification", PEEL_FT_U16, PEEL_SHOW_HEX_DEC },
    [F_FLAGS] = { "ip.flags", "Flags", PEEL_FT_U8, PEEL_SHOW_HEX, NULL, 0xe0, 1 },
    [F_FLAGS_RB] = { "ip.flags.rb", "Reserved bit", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE, B8(0x80) },
    [F_FLAGS_DF] = { "ip.flags.df", "Don't fragment", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE, B8(0x40) },
    [F_FLAGS_MF] = { "ip.flags.mf", "More fragments", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE, B8(0x20) },
    [F_FRAG_OFFSET] = { "ip.frag_offset", "Fragment Offset", PEEL_FT_U16, PEEL_SHOW_DEC, NULL,
            0x1fff, 2 },
    [F_TTL] = { "ip.ttl", "Time to Live", PEEL_FT_U8, PEEL_SHOW_DEC },
    [F_PROTO] = { "ip.proto", "Protocol", PEEL_FT_U8, PEEL_SHOW_DEC, peel_ip_proto_names },
    [F_CHECKSUM] = { "ip.checksum", "Header Checksum", PEEL_FT_U16, PEEL_SHOW_HEX },
    [F_CHECKSUM_CALC] = { "ip.checksum_calculated", "Calculated Checksum", PEEL_FT_U16,
            PEEL_SHOW_HEX },
    [F_CHECKSUM_STATUS] = { "ip.checksum.status", "Header checksum status", PEEL_FT_U8,
            PEEL_SHOW_NONE, ip_checksum_status_names },
    [F_SRC] = { "ip.src", "Source Address", PEEL_FT_IPV4 },
    [F_ADDR] = { "ip.addr", "Source or Destination Address", PEEL_FT_IPV4 },
    [F_SRC_HOST] = { "ip.src_host", "Source Host", PEEL_FT_STRING },
    [F_HOST] = { "ip.host", "Source or Destination Host", PEEL_FT_STRING },
    [F_DST] = { "ip.dst", "Destination Address", PEEL_FT_IPV4 },
    [F_DST_HOST] = { "ip.dst_host", "Destination Host", PEEL_FT_STRING },
    [F_CUR_RT] = { "ip.cur_rt", "Current Route", PEEL_FT_IPV4 },
    [F_CUR_RT_HOST] = { "ip.cur_rt_host", "Current Route Host", PEEL_FT_STRING },
    /* Wireshark shows this subtree as a text item without a field name. */
    [F_OPTIONS] = { "ip.options", "Options", PEEL_FT_NONE },
    /* Wireshark registers the options as byte-valued protocols: fields output prints the
     * option's bytes. */
    [F_OPT_EOL] = { "ip.options.eol", "IP Option - End of Options List (EOL)", PEEL_FT_BYTES },
    [F_OPT_NOP] = { "ip.options.nop", "IP Option - No-Operation (NOP)", PEEL_FT_BYTES },
    [F_OPT_SECURITY] = { "ip.options.security", "IP Option - Security", PEEL_FT_BYTES },
    [F_OPT_LSR] = { "ip.options.route", "IP Option - Loose Source Route", PEEL_FT_BYTES },
    [F_OPT_TIMESTAMP] = { "ip.options.timestamp", "IP Option - Time Stamp", PEEL_FT_BYTES },
    [F_OPT_EXT_SECURITY] = { "ip.options.ext_security", "IP Option - Extended Security",
            PEEL_FT_BYTES },
    [F_OPT_CIPSO] = { "ip.options.cipso", "IP Option - Commercial Security", PEEL_FT_BYTES },
    [F_OPT_RR] = { "ip.options.record_route", "IP Option - Record Route", PEEL_FT_BYTES },
    [F_OPT_SID] = { "ip.options.sid", "IP Option - Stream ID", PEEL_FT_BYTES },
    [F_OPT_SSR] = { "ip.options.source_route", "IP Option - Strict Source Route", PEEL_FT_BYTES },
    [F_OPT_MTU_PROBE] = { "ip.options.mtu_probe", "IP Option - MTU Probe", PEEL_FT_BYTES },
    [F_OPT_MTU_REPLY] = { "ip.options.mtu_reply", "IP Option - MTU Reply", PEEL_FT_BYTES },
    [F_OPT_TRACEROUTE] = { "ip.options.traceroute", "IP Option - Traceroute", PEEL_FT_BYTES },
    [F_OPT_RA] = { "ip.options.routeralert", "IP Option - Router Alert", PEEL_FT_BYTES },
    [F_OPT_SDB] = { "ip.options.sdb", "IP Option - Selective Directed Broadcast", PEEL_FT_BYTES },
    [F_OPT_QS] = { "ip.options.qs", "IP Option - Quick-Start", PEEL_FT_BYTES },
    /* peel-only: Wireshark labels unknown options without a field */
    [F_OPT_UNKNOWN] = { "ip.opt.unknown", "Unknown option", PEEL_FT_NONE },
    [F_OPT_DATA] = { "ip.opt.data", "Option data", PEEL_FT_BYTES },
    [F_OPT_LEN_INVALID] = { "ip.opt.len.invalid", "Invalid length for option", PEEL_FT_NONE },
    [F_OPT_TYPE] = { "ip.opt.type", "Type", PEEL_FT_U8, PEEL_SHOW_DEC },
    [F_OPT_TYPE_COPY] = { "ip.opt.type.copy", "Copy on fragmentation", PEEL_FT_BOOLEAN,
            PEEL_SHOW_NONE, ip_yes_no, 0x80, 1 },
    [F_OPT_TYPE_CLASS] = { "ip.opt.type.class", "Class", PEEL_FT_U8, PEEL_SHOW_DEC,
            ip_opt_class_names, 0x60, 1 },
    [F_OPT_TYPE_NUMBER] = { "ip.opt.type.number", "Number", PEEL_FT_U8, PEEL_SHOW_DEC,
            ip_opt_number_names, 0x1f, 1 },
    [F_OPT_LEN] = { "ip.opt.len", "Length", PEEL_FT_U8, PEEL_SHOW_DEC },
    [F_OPT_PTR] = { "ip.opt.ptr", "Pointer", PEEL_FT_U8, PEEL_SHOW_DEC },
    [F_OPT_SID_VALUE] = { "ip.opt.sid", "Stream Identifier", PEEL_FT_U16, PEEL_SHOW_DEC },
    [F_OPT_MTU] = { "ip.opt.mtu", "MTU", PEEL_FT_U16, PEEL_SHOW_DEC },
    [F_OPT_ID_NUMBER] = { "ip.opt.id_number", "ID Number", PEEL_FT_U16, PEEL_SHOW_DEC },
    [F_OPT_OHC] = { "ip.opt.ohc", "Outbound Hop Count", PEEL_FT_U16, PEEL_SHOW_DEC },
    [F_OPT_RHC] = { "ip.opt.rhc", "Return Hop Count", PEEL_FT_U16, PEEL_SHOW_DEC },
    [F_OPT_ORIGINATOR] = { "ip.opt.originator", "Originator IP Address", PEEL_FT_IPV4 },
    [F_OPT_RA_VALUE] = { "ip.opt.ra", "Router Alert", PEEL_FT_U16, PEEL_SHOW_DEC, ip_ra_names },
    [F_OPT_ADDR] = { "ip.opt.addr", "IP Address", PEEL_FT_IPV4 },
    [F_OPT_PADDING] = { "ip.opt.padding", "Padding", PEEL_FT_BYTES },
    [F_OPT_QS_FUNC] = { "ip.opt.qs_func", "Function", PEEL_FT_U8, PEEL_SHOW_DEC, ip_qs_func_names,
            0xf0, 1 },
    [F_OPT_QS_RATE] = { "ip.opt.qs_rate", "Rate", PEEL_FT_U8, PEEL_SHOW_DEC, ip_qs_rate_names, 0x0f,
            1 },
    [F_OPT_QS_TTL] = { "ip.opt.qs_ttl", "QS TTL", PEEL_FT_U8, PEEL_SHOW_DEC },
    [F_OPT_QS_TTL_DIFF] = { "ip.opt.qs_ttl_diff", "TTL Diff", PEEL_FT_U8, PEEL_SHOW_DEC },
    [F_OPT_QS_UNUSED] = { "ip.opt.qs_unused", "Not Used", PEEL_FT_U8, PEEL_SHOW_DEC },
    [F_OPT_QS_NONCE] = { "ip.opt.qs_nonce", "QS Nonce", PEEL_FT_U32, PEEL_SHOW_HEX, NULL,
            0xfffffffc, 4 },
    [F_OPT_QS_RESERVED] = { "ip.opt.qs_reserved", "Reserved", PEEL_FT_U32, PEEL_SHOW_HEX, NULL, 0x3,
            4 },
    [F_OPT_SEC_RFC791_SEC] = { "ip.opt.sec_rfc791_sec", "Security", PEEL_FT_U16, PEEL_SHOW_HEX,
            ip_sec_rfc791_names },
    [F_OPT_SEC_RFC791_COMP] = { "ip.opt.sec_rfc791_comp", "Compartments", PEEL_FT_U16,
            PEEL_SHOW_DEC },
    [F_OPT_SEC_RFC791_HR] = { "ip.opt.sec_rfc791_hr", "Handling Restrictions", PEEL_FT_STRING },
    [F_OPT_SEC_RFC791_TCC] = { "ip.opt.sec_rfc791_tcc", "Transmission Control Code",
            PEEL_FT_STRING },
    [F_OPT_SEC_CL] = { "ip.opt.sec_cl", "Classification Level", PEEL_FT_U8, PEEL_SHOW_HEX,
            ip_sec_cl_names },
    [F_OPT_SEC_FLAGS] = { "ip.opt.sec_prot_auth_flags", "Protection Authority Flags", PEEL_FT_U8,
            PEEL_SHOW_HEX },
    [F_OPT_SEC_GENSER] = { "ip.opt.sec_prot_auth_genser", "GENSER", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE,
            ip_sec_prot_names, 0x80, 1 },
    [F_OPT_SEC_SIOP_ESI] = { "ip.opt.sec_prot_auth_siop_esi", "SIOP-ESI", PEEL_FT_BOOLEAN,
            PEEL_SHOW_NONE, ip_sec_prot_names, 0x40, 1 },
    [F_OPT_SEC_SCI] = { "ip.opt.sec_prot_auth_sci", "SCI", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE,
            ip_sec_prot_names, 0x20, 1 },
    [F_OPT_SEC_NSA] = { "ip.opt.sec_prot_auth_nsa", "NSA", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE,
            ip_sec_prot_names, 0x10, 1 },
    [F_OPT_SEC_DOE] = { "ip.opt.sec_prot_auth_doe", "DOE", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE,
            ip_sec_prot_names, 0x08, 1 },
    [F_OPT_SEC_UNASSIGNED] = { "ip.opt.sec_prot_auth_unassigned", "Unassigned", PEEL_FT_U8,
            PEEL_SHOW_HEX, NULL, 0x06, 1 },
    [F_OPT_SEC_UNASSIGNED2] = { "ip.opt.sec_prot_auth_unassigned2", "Unassigned", PEEL_FT_U8,
            PEEL_SHOW_HEX, NULL, 0xfe, 1 },
    [F_OPT_SEC_FTI] = { "ip.opt.sec_prot_auth_fti", "Field Termination Indicator", PEEL_FT_BOOLEAN,
            PEEL_SHOW_NONE, ip_sec_fti_names, 0x01, 1 },
    [F_OPT_ESEC_FORMAT] = { "ip.opt.ext_sec_add_sec_info_format_code",
            "Additional Security Info Format Code", PEEL_FT_U8, PEEL_SHOW_HEX },
    [F_OPT_ESEC_INFO] = { "ip.opt.ext_sec_add_sec_info", "Additional Security Info",
            PEEL_FT_BYTES },
    [F_REC_RT] = { "ip.rec_rt", "Recorded Route", PEEL_FT_IPV4 },
    [F_REC_RT_HOST] = { "ip.rec_rt_host", "Recorded Route Host", PEEL_FT_STRING },
    [F_SRC_RT] = { "ip.src_rt", "Source Route", PEEL_FT_IPV4 },
    [F_SRC_RT_HOST] = { "ip.src_rt_host", "Source Route Host", PEEL_FT_STRING },
    [F_EMPTY_RT] = { "ip.empty_rt", "Empty Route", PEEL_FT_IPV4 },
    [F_EMPTY_RT_HOST] = { "ip.empty_rt_host", "Empty Route Host", PEEL_FT_STRING },
    [F_CIPSO_DOI] = { "ip.cipso.doi", "DOI", PEEL_FT_U32, PEEL_SHOW_DEC },
    [F_CIPSO_TAG_TYPE] = { "ip.cipso.tag_type", "Tag Type", PEEL_FT_U8, PEEL_SHOW_DEC,
            ip_cipso_tag_names },
    [F_OPT_OVERFLOW] = { "ip.opt.overflow", "Overflow", PEEL_FT_U8, PEEL_SHOW_DEC, NULL, 0xf0, 1 },
    [F_OPT_FLAG] = { "ip.opt.flag", "Flag", PEEL_FT_U8, PEEL_SHOW_HEX, ip_ts_flag_names, 0x0f, 1 },
    [F_OPT_TIME_STAMP] = { "ip.opt.time_stamp", "Time stamp", PEEL_FT_U32, PEEL_SHOW_DEC },
    [F_OPT_TIME_STAMP_ADDR] = { "ip.opt.time_stamp_addr", "Address", PEEL_FT_IPV4 },
    [F_SUBOPT_TOO_LONG] = { "ip.subopt_too_long", "Suboption would go past end of option",
            PEEL_FT_NONE },
    /* Wireshark 4.0 makes the list a bytes item over the datagram (fields output prints
     * it whole); IPv6's is a label. */
    [F_FRAGMENTS] = { "ip.fragments", "IPv4 Fragments", PEEL_FT_BYTES },
    [F_FRAGMENT] = { "ip.fragment", "IPv4 Fragment", PEEL_FT_FRAMENUM },
    [F_FRAGMENT_OVERLAP] = { "ip.fragment.overlap", "Fragment overlap", PEEL_FT_BOOLEAN },
    [F_FRAGMENT_CONFLICT] = { "ip.fragment.overlap.conflict",
            "Conflicting data in fragment overlap", PEEL_FT_BOOLEAN },
    [F_FRAGMENT_MULTIPLE_TAILS] = { "ip.fragment.multipletails", "Multiple tail fragments found",
            PEEL_FT_BOOLEAN },
    [F_FRAGMENT_TOO_LONG] = { "ip.fragment.toolongfragment", "Fragment too long", PEEL_FT_BOOLEAN },
    [F_FRAGMENT_ERROR] = { "ip.fragment.error", "Defragmentation error", PEEL_FT_FRAMENUM },
    [F_FRAGMENT_COUNT] = { "ip.fragment.count", "Fragment count", PEEL_FT_U32, PEEL_SHOW_DEC },
    [F_REASSEMBLED_IN] = { "ip.reassembled_in", "Reassembled IPv4 in frame", PEEL_FT_FRAMENUM },
    [F_REASSEMBLED_LENGTH] = { "ip.reassembled.length", "Reassembled IPv4 length", PEEL_FT_U32,
            PEEL_SHOW_DEC },
    [F_REASSEMBLED_DATA] = { "ip.reassembled.data", "Reassembled IPv4 data", PEEL_FT_BYTES },
};

static const PeelDefragFields ip_frag_fields = {
    .fragments = F_FRAGMENTS,
    .fragment = F_FRAGMENT,
    .overlap = F_FRAGMENT_OVERLAP,
    .conflict = F_FRAGMENT_CONFLICT,
    .multiple_tails = F_FRAGMENT_MULTIPLE_TAILS,
    .too_long = F_FRAGMENT_TOO_LONG,
    .error = F_FRAGMENT_ERROR,
    .count = F_FRAGMENT_COUNT,
    .length = F_REASSEMBLED_LENGTH,
    .data = F_REASSEMBLED_DATA,
    .reassembled_in = F_REASSEMBLED_IN,
};

#define IP_MIN_HDR 20
#define IP_OPT_MAX 40

/* ---- helpers over the field list ---- */

/* Index of the field added since `before`, or -1. */
static int32_t
ip_added(const PeelPacket *pkt, uint32_t before)
{
    return pkt->n_fields > before ? (int32_t)pkt->n_fields - 1 : -1;
}

/* Replaces the value of a field read from the packet (a header length stored in bytes
 * while the wire holds words). */
static void
ip_set_uint(PeelPacket *pkt, int32_t idx, uint64_t v)
{
    if (idx >= 0 && (uint32_t)idx < pkt->n_fields && (pkt->fields[idx].flags & PEEL_FF_HAS_VALUE))
        pkt->fields[idx].v.u = v;
}

/* Adds the n bytes at rd as field f without advancing rd and opens it as a subtree. */
static bool
ip_open_bytes(PeelPacket *pkt, const PeelReader *rd, uint32_t f, uint32_t n)
{
    PeelReader peek = *rd;
    uint32_t before = pkt->n_fields;
    peel_add_bytes(pkt, &peek, f, n);
    return peel_open_last(pkt, before);
}

/* A labelled item without a value over n bytes at rd (Wireshark's text items). */
static int32_t
ip_add_label(PeelPacket *pkt, const PeelReader *rd, uint32_t f, uint32_t n, const char *text)
{
    int32_t idx = peel_open(pkt, rd, f, n);
    if (idx >= 0 && pkt->parent == idx)
        peel_close(pkt, NULL);
    peel_set_text(pkt, idx, "%s", text);
    return idx;
}

/* A hidden host-name string; with name resolution off (tshark -n) it is the address. */
static void
ip_add_host(PeelPacket *pkt, uint32_t f, const uint8_t *a)
{
    if (a != NULL)
        peel_hide(pkt, peel_add_addr_text(pkt, f, a, 4));
}

/* An address with its hidden ip.addr copy and host strings, as Wireshark adds ip.src and
 * ip.dst. */
static uint32_t
ip_add_endpoint(PeelPacket *pkt, PeelReader *rd, uint32_t f, uint32_t f_host)
{
    uint32_t got = 0;
    const uint8_t *bytes = peel_reader_peek_bytes(rd, 0, 4, &got);
    uint32_t a = peel_add_ipv4(pkt, rd, f);
    int32_t idx = peel_last(pkt);
    if (!peel_reader_ok(rd) || got < 4)
        return a;
    peel_add_hidden(pkt, F_ADDR, idx);
    ip_add_host(pkt, f_host, bytes);
    ip_add_host(pkt, F_HOST, bytes);
    return a;
}

/* The Internet checksum of n bytes folded to 16 bits, not complemented. */
static uint32_t
ip_sum(const uint8_t *p, uint32_t n)
{
    return peel_inet_fold(peel_inet_sum(0, p, n));
}

/* The checksum field value that would make the header sum to zero (RFC 1624). */
static uint16_t
ip_cksum_shouldbe(uint16_t field, uint16_t computed)
{
    uint32_t v = (uint32_t)field + computed;
    v = (v & 0xffff) + (v >> 16);
    v = (v & 0xffff) + (v >> 16);
    return (uint16_t)v;
}

/* Wireshark draws transport layers beside IP, not inside it: hand-offs go to the level of
 * this protocol's own item. */
typedef struct {
    int32_t parent;
    uint16_t depth;
} IpLevel;

static IpLevel
ip_enter_sibling(PeelPacket *pkt, int32_t self)
{
    IpLevel saved = { pkt->parent, pkt->depth };
    if (self >= 0 && (uint32_t)self < pkt->n_fields && pkt->fields[self].id == pkt->field_base) {
        pkt->parent = pkt->fields[self].parent;
        pkt->depth = pkt->fields[self].depth;
    }
    return saved;
}

static void
ip_leave_sibling(PeelPacket *pkt, IpLevel saved)
{
    pkt->parent = saved.parent;
    pkt->depth = saved.depth;
}

static const char *
ip_plural(uint32_t n)
{
    return n == 1 ? "" : "s";
}

/* ---- options (RFC 791 section 3.1 and the IANA registry) ---- */

typedef struct {
    uint8_t type;
    uint8_t field;
    uint8_t fixed; /* required length, 0 for variable */
    const char *short_name;
} IpOptInfo;

static const IpOptInfo ip_opts[] = {
    { 130, F_OPT_SECURITY, 0, "Security" },
    { 131, F_OPT_LSR, 0, "Loose Source Route" },
    { 68, F_OPT_TIMESTAMP, 0, "Time Stamp" },
    { 133, F_OPT_EXT_SECURITY, 0, "Extended Security" },
    { 134, F_OPT_CIPSO, 0, "Commercial Security" },
    { 7, F_OPT_RR, 0, "Record Route" },
    { 136, F_OPT_SID, 4, "Stream ID" },
    { 137, F_OPT_SSR, 0, "Strict Source Route" },
    { 11, F_OPT_MTU_PROBE, 4, "MTU Probe" },
    { 12, F_OPT_MTU_REPLY, 4, "MTU Reply" },
    { 82, F_OPT_TRACEROUTE, 12, "Traceroute" },
    { 148, F_OPT_RA, 4, "Router Alert" },
    { 149, F_OPT_SDB, 0, "Selective Directed Broadcast" },
    { 25, F_OPT_QS, 8, "Quick-Start" },
};

static const IpOptInfo *
ip_opt_info(uint8_t type)
{
    for (size_t i = 0; i < sizeof ip_opts / sizeof ip_opts[0]; i++)
        if (ip_opts[i].type == type)
            return &ip_opts[i];
    return NULL;
}

/* The type octet: copy flag, class and number (advances one byte). */
static void
ipopt_type(PeelPacket *pkt, PeelReader *o)
{
    uint32_t before = pkt->n_fields;
    peel_add_bits(pkt, o, F_OPT_TYPE);
    bool open = peel_open_last(pkt, before);
    peel_add_bits(pkt, o, F_OPT_TYPE_COPY);
    peel_add_bits(pkt, o, F_OPT_TYPE_CLASS);
    peel_add_bits(pkt, o, F_OPT_TYPE_NUMBER);
    peel_close_if(pkt, open);
    peel_reader_skip(o, 1);
}

/* The option's item, type and length. Returns the item's index; *open says whether it
 * was opened as a subtree. */
static int32_t
ipopt_header(PeelPacket *pkt, PeelReader *o, const IpOptInfo *info, uint32_t len, bool *open)
{
    uint32_t before = pkt->n_fields;
    *open = ip_open_bytes(pkt, o, info->field, len);
    int32_t item = ip_added(pkt, before);
    peel_set_text(pkt, item, "%s (%u bytes)", ip_fields[info->field].title,
            info->fixed ? info->fixed : len);
    ipopt_type(pkt, o);
    peel_add_u8(pkt, o, F_OPT_LEN);
    int32_t len_idx = peel_last(pkt);
    if (info->fixed && len != info->fixed)
        peel_expert(pkt, len_idx, PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL,
                "%s (with option length = %u byte%s; should be %u)", info->short_name, len,
                ip_plural(len), info->fixed);
    else if (!info->fixed && len > IP_OPT_MAX)
        peel_expert(pkt, len_idx, PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL, "Invalid length for option");
    return item;
}

/* One address of a route option, with its hidden host string. */
static void
ipopt_route_entry(PeelPacket *pkt, PeelReader *o, uint32_t f, uint32_t f_host, bool next)
{
    uint32_t got = 0;
    const uint8_t *bytes = peel_reader_peek_bytes(o, 0, 4, &got);
    uint32_t a = peel_add_ipv4(pkt, o, f);
    int32_t idx = peel_last(pkt);
    if (!peel_reader_ok(o) || got < 4)
        return;
    if (next)
        peel_set_text(pkt, idx, "%s: %u.%u.%u.%u <- (next)", ip_fields[f].title, a >> 24,
                (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff);
    ip_add_host(pkt, f_host, bytes);
}

/* Loose/strict source route and record route: the pointer names the next slot; slots
 * before it are recorded, the last one of a source route is the final destination. */
static void
ipopt_route(PeelPacket *pkt, PeelReader *o, uint32_t len, bool record)
{
    uint8_t ptr = peel_reader_peek_u8(o, 0);
    peel_add_u8(pkt, o, F_OPT_PTR);
    int32_t ptr_idx = peel_last(pkt);
    if (!peel_reader_ok(o))
        return;
    if (ptr < 4 || (ptr & 3)) {
        peel_expert(pkt, ptr_idx, PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL,
                ptr < 4 ? "Pointer points before first address"
                        : "Pointer points to middle of address");
        return;
    }
    uint32_t f_next = record ? F_EMPTY_RT : F_SRC_RT;
    uint32_t f_next_host = record ? F_EMPTY_RT_HOST : F_SRC_RT_HOST;
    for (uint32_t off = 3; off < len && peel_reader_ok(o); off += 4) {
        if (len - off < 4) {
            peel_expert(pkt, ptr_idx, PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL,
                    "Suboption would go past end of option");
            break;
        }
        if (ptr > len) {
            ipopt_route_entry(pkt, o, F_REC_RT, F_REC_RT_HOST, false);
        } else if (!record && off == len - 4) {
            uint32_t a = ip_add_endpoint(pkt, o, F_DST, F_DST_HOST);
            (void)a;
        } else if (off + 1 < ptr) {
            ipopt_route_entry(pkt, o, F_REC_RT, F_REC_RT_HOST, false);
        } else {
            ipopt_route_entry(pkt, o, f_next, f_next_host, off + 1 == ptr);
        }
    }
}

static void
ipopt_timestamp(PeelPacket *pkt, PeelReader *o, uint32_t len)
{
    uint8_t ptr = peel_reader_peek_u8(o, 0);
    peel_add_u8(pkt, o, F_OPT_PTR);
    peel_set_text(pkt, peel_last(pkt), "Pointer: %u%s", ptr,
            ptr == 1          ? " (header is full)"
            : ptr < 5         ? " (points before first address)"
            : ((ptr - 1) & 3) ? " (points to middle of field)"
                              : "");
    uint8_t flag = peel_reader_peek_u8(o, 0) & 0x0f;
    peel_add_bits(pkt, o, F_OPT_OVERFLOW);
    peel_add_bits(pkt, o, F_OPT_FLAG);
    peel_reader_skip(o, 1);
    bool with_addr = flag == 1 || flag == 3;
    uint32_t step = with_addr ? 8 : 4;
    for (uint32_t left = len > 4 ? len - 4 : 0; left > 0 && peel_reader_ok(o); left -= step) {
        if (left < step) {
            int32_t idx = ip_add_label(
                    pkt, o, F_SUBOPT_TOO_LONG, left, "Suboption would go past end of option");
            peel_expert(pkt, idx, PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL,
                    "Suboption would go past end of option");
            break;
        }
        if (with_addr) {
            uint32_t a = peel_add_ipv4(pkt, o, F_OPT_TIME_STAMP_ADDR);
            if (a == 0 && peel_reader_ok(o))
                peel_set_text(pkt, peel_last(pkt), "Address: -");
        }
        peel_add_u32(pkt, o, F_OPT_TIME_STAMP);
    }
}

/* RFC 791 security (11 bytes with a known level) or RFC 1108 basic security. */
static void
ipopt_security(PeelPacket *pkt, PeelReader *o, uint32_t len, int32_t item)
{
    uint16_t level = peel_reader_peek_u16be(o, 0);
    if (len == 11 && peel_value_name(ip_sec_rfc791_names, level) != NULL) {
        peel_add_u16(pkt, o, F_OPT_SEC_RFC791_SEC);
        peel_add_u16(pkt, o, F_OPT_SEC_RFC791_COMP);
        peel_add_string(pkt, o, F_OPT_SEC_RFC791_HR, 2);
        peel_add_string(pkt, o, F_OPT_SEC_RFC791_TCC, 3);
        return;
    }
    peel_add_u8(pkt, o, F_OPT_SEC_CL);
    static const struct {
        uint8_t field;
        uint8_t mask;
    } bits[] = { { F_OPT_SEC_GENSER, 0x80 }, { F_OPT_SEC_SIOP_ESI, 0x40 }, { F_OPT_SEC_SCI, 0x20 },
        { F_OPT_SEC_NSA, 0x10 }, { F_OPT_SEC_DOE, 0x08 } };
    /* Protection authority octets follow while the termination bit is set; each octet
     * consumes one byte of the option, so this ends with it. */
    bool first = true;
    uint8_t val = 0x01;
    while ((val & 0x01) && peel_reader_ok(o)) {
        if (peel_reader_remaining(o) == 0) {
            if (!first)
                peel_expert(pkt, item, PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL,
                        "Field Termination Indicator set to 1 for last byte of option");
            return;
        }
        val = peel_reader_peek_u8(o, 0);
        uint32_t before = pkt->n_fields;
        peel_add_bits(pkt, o, F_OPT_SEC_FLAGS);
        int32_t flags_idx = ip_added(pkt, before);
        char text[160];
        int n = peel_snprintf(text, sizeof text, "Protection Authority Flags: 0x%02x", val);
        bool open = peel_open_last(pkt, before);
        if (first) {
            for (size_t i = 0; i < sizeof bits / sizeof bits[0]; i++) {
                peel_add_bits(pkt, o, bits[i].field);
                if ((val & bits[i].mask) && n > 0 && (size_t)n < sizeof text)
                    n += peel_snprintf(text + n, sizeof text - (size_t)n, ", %s",
                            ip_fields[bits[i].field].title);
            }
            peel_add_bits(pkt, o, F_OPT_SEC_UNASSIGNED);
        } else {
            peel_add_bits(pkt, o, F_OPT_SEC_UNASSIGNED2);
        }
        peel_add_bits(pkt, o, F_OPT_SEC_FTI);
        if ((val & 0x01) && n > 0 && (size_t)n < sizeof text)
            peel_snprintf(text + n, sizeof text - (size_t)n, ", Field Termination Indicator");
        peel_close_if(pkt, open);
        peel_set_text(pkt, flags_idx, "%s", text);
        peel_reader_skip(o, 1);
        if ((val & 0x01) && peel_reader_remaining(o) == 0) {
            peel_expert(pkt, item, PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL,
                    "Field Termination Indicator set to 1 for last byte of option");
            return;
        }
        first = false;
    }
}

static void
ipopt_qs(PeelPacket *pkt, PeelReader *o, int32_t item, uint8_t ttl)
{
    uint8_t command = peel_reader_peek_u8(o, 0);
    uint8_t func = command >> 4, rate = command & 0x0f;
    const char *fname = peel_value_name(ip_qs_func_names, func);
    const char *rname = peel_value_name(ip_qs_rate_names, rate);
    peel_add_bits(pkt, o, F_OPT_QS_FUNC);
    if (func == 0) {
        peel_add_bits(pkt, o, F_OPT_QS_RATE);
        peel_reader_skip(o, 1);
        uint8_t qs_ttl = peel_add_u8(pkt, o, F_OPT_QS_TTL);
        uint8_t diff = (uint8_t)(ttl - qs_ttl);
        peel_add_uint_value(pkt, F_OPT_QS_TTL_DIFF, diff);
        peel_set_text(pkt, item,
                "IP Option - Quick-Start (8 bytes): %s (%u), %s, QS TTL %u, "
                "QS TTL diff %u",
                fname, func, rname, qs_ttl, diff);
    } else if (func == 8) {
        peel_add_bits(pkt, o, F_OPT_QS_RATE);
        peel_reader_skip(o, 1);
        peel_add_u8(pkt, o, F_OPT_QS_UNUSED);
        peel_set_text(
                pkt, item, "IP Option - Quick-Start (8 bytes): %s (%u), %s", fname, func, rname);
        (void)rname;
    } else {
        peel_set_text(pkt, item, "IP Option - Quick-Start (8 bytes): Unknown (%u)", func);
        return;
    }
    peel_add_bits(pkt, o, F_OPT_QS_NONCE);
    peel_add_bits(pkt, o, F_OPT_QS_RESERVED);
    peel_reader_skip(o, 4);
}

/* One option with a length octet; o claims exactly its len bytes. */
static void
ipopt_dissect(PeelPacket *pkt, PeelReader *o, const IpOptInfo *info, uint32_t len, uint8_t ttl)
{
    bool open;
    int32_t item = ipopt_header(pkt, o, info, len, &open);
    switch (info->field) {
    case F_OPT_SECURITY:
        ipopt_security(pkt, o, len, item);
        break;
    case F_OPT_LSR:
    case F_OPT_SSR:
        ipopt_route(pkt, o, len, false);
        break;
    case F_OPT_RR:
        ipopt_route(pkt, o, len, true);
        break;
    case F_OPT_TIMESTAMP:
        ipopt_timestamp(pkt, o, len);
        break;
    case F_OPT_EXT_SECURITY:
        peel_add_u8(pkt, o, F_OPT_ESEC_FORMAT);
        if (peel_reader_remaining(o) > 0)
            peel_add_bytes(pkt, o, F_OPT_ESEC_INFO, peel_reader_remaining(o));
        break;
    case F_OPT_CIPSO:
        /* The DOI and the first tag's type; tag contents are not decoded. */
        peel_add_u32(pkt, o, F_CIPSO_DOI);
        while (peel_reader_remaining(o) > 0 && peel_reader_ok(o)) {
            uint8_t tag = peel_add_u8(pkt, o, F_CIPSO_TAG_TYPE);
            if (tag != 0)
                break;
        }
        break;
    case F_OPT_SID:
        peel_add_u16(pkt, o, F_OPT_SID_VALUE);
        break;
    case F_OPT_MTU_PROBE:
    case F_OPT_MTU_REPLY:
        peel_add_u16(pkt, o, F_OPT_MTU);
        break;
    case F_OPT_TRACEROUTE:
        peel_add_u16(pkt, o, F_OPT_ID_NUMBER);
        peel_add_u16(pkt, o, F_OPT_OHC);
        peel_add_u16(pkt, o, F_OPT_RHC);
        peel_add_ipv4(pkt, o, F_OPT_ORIGINATOR);
        break;
    case F_OPT_RA: {
        uint16_t v = peel_add_u16(pkt, o, F_OPT_RA_VALUE);
        const char *name = v == 0 ? "Router shall examine packet" : "Reserved";
        if (peel_reader_ok(o)) {
            peel_set_text(pkt, peel_last(pkt), "Router Alert: %s (%u)", name, v);
            peel_set_text(pkt, item, "IP Option - Router Alert (4 bytes): %s (%u)", name, v);
        }
        break;
    }
    case F_OPT_SDB:
        while (peel_reader_remaining(o) >= 4 && peel_reader_ok(o))
            peel_add_ipv4(pkt, o, F_OPT_ADDR);
        if (peel_reader_remaining(o) > 0 && peel_reader_ok(o))
            peel_add_bytes(pkt, o, F_OPT_PADDING, peel_reader_remaining(o));
        break;
    case F_OPT_QS:
        ipopt_qs(pkt, o, item, ttl);
        break;
    default:
        break;
    }
    peel_close_if(pkt, open);
}

/* The options area (at most 40 bytes): every pass consumes at least one byte or stops. */
static void
ip_options(PeelPacket *pkt, PeelReader *opts, uint32_t optlen, uint8_t ttl)
{
    int32_t item = peel_open(pkt, opts, F_OPTIONS, optlen);
    bool open = item >= 0 && pkt->parent == item;
    char label[256];
    int n = peel_snprintf(label, sizeof label, "Options: (%u bytes)", optlen);
    unsigned nops = 0;
    uint32_t first = opts->pos;
    while (peel_reader_remaining(opts) > 0 && peel_reader_ok(opts)) {
        uint32_t at = opts->pos - first;
        if (peel_reader_captured(opts) == 0) {
            peel_add_u8(pkt, opts, F_OPT_TYPE); /* flags where the capture ends */
            break;
        }
        uint8_t type = peel_reader_peek_u8(opts, 0);
        if (type == 0 || type == 1) {
            uint32_t f = type == 0 ? F_OPT_EOL : F_OPT_NOP;
            uint32_t before = pkt->n_fields;
            bool o = ip_open_bytes(pkt, opts, f, 1);
            peel_set_text(pkt, ip_added(pkt, before), "%s", ip_fields[f].title);
            ipopt_type(pkt, opts);
            peel_close_if(pkt, o);
            if (type == 0)
                break;
            /* Four NOPs within one 32-bit word suggest a middlebox removed options. */
            if (nops == 0 || (IP_MIN_HDR + at) % 4) {
                if (++nops == 4)
                    peel_expert(pkt, item, PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL,
                            "4 NOP in a row - a router may have removed some options");
            } else {
                nops = 0;
            }
            continue;
        }
        const IpOptInfo *info = ip_opt_info(type);
        char name[32];
        if (info != NULL)
            peel_snprintf(name, sizeof name, "%s", info->short_name);
        else
            peel_snprintf(name, sizeof name, "Unknown (0x%02x)", type);
        uint32_t left = peel_reader_remaining(opts);
        char text[128];
        if (left < 2) {
            peel_snprintf(text, sizeof text, "%s (length byte past end of options)", name);
            int32_t idx = ip_add_label(pkt, opts, F_OPT_LEN_INVALID, 1, text);
            peel_expert(pkt, idx, PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL, "%s", text);
            break;
        }
        if (peel_reader_captured(opts) < 2) {
            peel_add_bytes(pkt, opts, F_OPT_DATA, 2); /* flags the truncation */
            break;
        }
        uint8_t len = peel_reader_peek_u8(opts, 1);
        if (len < 2 || len > left) {
            if (len < 2)
                peel_snprintf(text, sizeof text, "%s (with too-short option length = %u byte%s)", name,
                        len, ip_plural(len));
            else
                peel_snprintf(text, sizeof text,
                        "%s (option length = %u byte%s says option goes past end of options)", name,
                        len, ip_plural(len));
            int32_t idx = ip_add_label(pkt, opts, F_OPT_LEN_INVALID, len < 2 ? 2 : left, text);
            peel_expert(pkt, idx, PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL, "%s", text);
            break;
        }
        PeelReader o = peel_reader_take(opts, len);
        if (info == NULL) {
            peel_snprintf(text, sizeof text, "%s (%u byte%s)", name, len, ip_plural(len));
            int32_t idx = peel_open(pkt, &o, F_OPT_UNKNOWN, len);
            bool uo = idx >= 0 && pkt->parent == idx;
            peel_set_text(pkt, idx, "%s", text);
            peel_reader_skip(&o, 2);
            if (len > 2)
                peel_add_bytes(pkt, &o, F_OPT_DATA, len - 2u);
            peel_close_if(pkt, uo);
        } else {
            ipopt_dissect(pkt, &o, info, len, ttl);
            if (n > 0 && (size_t)n < sizeof label)
                n += peel_snprintf(label + n, sizeof label - (size_t)n, ", %s", name);
        }
    }
    peel_set_text(pkt, item, "%s", label);
    peel_close_if(pkt, open);
}

/* Offset from the start of the IP header of the final destination named by a loose or
 * strict source route whose pointer is still inside the route, or 0 (Wireshark's rule). */
static uint32_t
ip_route_dst_offset(const PeelReader *hdr, uint32_t hlen)
{
    uint32_t off = IP_MIN_HDR;
    while (off < hlen) {
        uint8_t type = peel_reader_peek_u8(hdr, off);
        if (type == 0)
            return 0;
        if (type == 1) {
            off++;
            continue;
        }
        if (hlen - off < 2)
            return 0;
        uint8_t len = peel_reader_peek_u8(hdr, off + 1);
        if (len < 2 || len > hlen - off)
            return 0;
        if (type == 131 || type == 137) {
            uint8_t ptr = len > 2 ? peel_reader_peek_u8(hdr, off + 2) : 0;
            if (len < 7 || ptr < 4 || (ptr & 3) || ptr > len)
                return 0;
            return off + len - 4u;
        }
        off += len;
    }
    return 0;
}

/* RFC 3171: the local network control block is never routed (TTL 1, some protocols 255);
 * elsewhere a TTL under 5 is worth a note. */
static void
ip_check_ttl(PeelPacket *pkt, int32_t idx, uint8_t ttl, uint32_t dst, uint8_t proto)
{
    if ((dst & 0xffffff00u) == 0xe0000000u) {
        unsigned valid = 1;
        if (dst == 0xe00000fcu) /* LLMNR: any */
            return;
        if (proto != 2 && (dst == 0xe0000012u || dst == 0xe0000066u || dst == 0xe00000fbu))
            valid = 255; /* VRRP, GLBP, mDNS */
        if (ttl != valid)
            peel_expert(pkt, idx, PEEL_SEV_NOTE, PEEL_GROUP_SEQUENCE,
                    "\"Time To Live\" != %u for a packet sent to the Local Network Control "
                    "Block (see RFC 3171)",
                    valid);
    } else if (ttl < 5 && (dst & 0xf0000000u) != 0xe0000000u && proto != 103 && proto != 89) {
        peel_expert(pkt, idx, PEEL_SEV_NOTE, PEEL_GROUP_SEQUENCE, "\"Time To Live\" only %u", ttl);
    }
}

static void
ip_set_addr(PeelAddr *a, uint32_t v)
{
    memset(a, 0, sizeof *a);
    a->type = PEEL_AT_IPV4;
    a->bytes[0] = (uint8_t)(v >> 24);
    a->bytes[1] = (uint8_t)(v >> 16);
    a->bytes[2] = (uint8_t)(v >> 8);
    a->bytes[3] = (uint8_t)v;
}

static void
ip_hand_off(PeelPacket *pkt, int32_t self, PeelReader *rd, const PeelProto *proto, bool data,
        uint8_t ip_proto)
{
    IpLevel saved = ip_enter_sibling(pkt, self);
    if (proto != NULL)
        peel_next_proto(pkt, rd, proto);
    else if (data)
        peel_next_data(pkt, rd);
    else
        peel_next(pkt, rd, PEEL_TABLE_IP_PROTO, ip_proto);
    ip_leave_sibling(pkt, saved);
}

/* The checksum and its verdict; returns false when it is known to be bad. */
static bool
ip_checksum(PeelPacket *pkt, PeelReader *rd, const PeelReader *hdr, uint32_t hlen)
{
    uint16_t field = peel_add_u16(pkt, rd, F_CHECKSUM);
    int32_t idx = peel_last(pkt);
    if (!peel_reader_ok(rd))
        return true;
    if (!pkt->prefs->ip_check_checksum) {
        peel_set_text(pkt, idx, "Header Checksum: 0x%04x [validation disabled]", field);
        int32_t s = peel_add_uint_value(pkt, F_CHECKSUM_STATUS, 2);
        peel_set_text(pkt, s, "Header checksum status: Unverified");
        return true;
    }
    uint32_t got = 0;
    const uint8_t *p = peel_reader_peek_bytes(hdr, 0, hlen, &got);
    if (p == NULL || got < hlen) {
        peel_set_text(pkt, idx, "Header Checksum: 0x%04x [not all data available]", field);
        int32_t s = peel_add_uint_value(pkt, F_CHECKSUM_STATUS, 2);
        peel_set_text(pkt, s, "Header checksum status: Unverified");
        return true;
    }
    uint16_t computed = (uint16_t)~ip_sum(p, hlen);
    if (computed == 0) {
        peel_set_text(pkt, idx, "Header Checksum: 0x%04x [correct]", field);
        int32_t s = peel_add_uint_value(pkt, F_CHECKSUM_STATUS, 1);
        peel_set_text(pkt, s, "Header checksum status: Good");
        peel_add_uint_value(pkt, F_CHECKSUM_CALC, field);
        return true;
    }
    uint16_t good = ip_cksum_shouldbe(field, computed);
    peel_set_text(pkt, idx,
            "Header Checksum: 0x%04x incorrect, should be 0x%04x(may be caused by \"IP "
            "checksum offload\"?)",
            field, good);
    peel_expert(
            pkt, idx, PEEL_SEV_ERROR, PEEL_GROUP_CHECKSUM, "Bad checksum [should be 0x%04x]", good);
    int32_t s = peel_add_uint_value(pkt, F_CHECKSUM_STATUS, 0);
    peel_set_text(pkt, s, "Header checksum status: Bad");
    peel_add_uint_value(pkt, F_CHECKSUM_CALC, good);
    return false;
}

static void
ip_set_self_text(PeelPacket *pkt, int32_t self, uint32_t src, uint32_t dst, bool via, uint32_t cur)
{
    if (self < 0 || (uint32_t)self >= pkt->n_fields || pkt->fields[self].id != pkt->field_base)
        return;
    if (via)
        peel_set_text(pkt, self,
                "Internet Protocol Version 4, Src: %u.%u.%u.%u, Dst: %u.%u.%u.%u, "
                "Via: %u.%u.%u.%u",
                src >> 24, (src >> 16) & 0xff, (src >> 8) & 0xff, src & 0xff, dst >> 24,
                (dst >> 16) & 0xff, (dst >> 8) & 0xff, dst & 0xff, cur >> 24, (cur >> 16) & 0xff,
                (cur >> 8) & 0xff, cur & 0xff);
    else
        peel_set_text(pkt, self, "Internet Protocol Version 4, Src: %u.%u.%u.%u, Dst: %u.%u.%u.%u",
                src >> 24, (src >> 16) & 0xff, (src >> 8) & 0xff, src & 0xff, dst >> 24,
                (dst >> 16) & 0xff, (dst >> 8) & 0xff, dst & 0xff);
}

/* The flags octet as Wireshark labels it: the 3-bit value, then the names of set flags. */
static void
ip_flags_text(PeelPacket *pkt, int32_t idx, uint8_t flags)
{
    peel_set_text(pkt, idx, "Flags: 0x%x%s%s%s", flags >> 5, flags & 0x80 ? ", Reserved bit" : "",
            flags & 0x40 ? ", Don't fragment" : "", flags & 0x20 ? ", More fragments" : "");
}

/* The common datagram when nothing of it is kept or shown (summary lines): a 20-byte
 * header, all captured, a good checksum, not a fragment, a length that fits, a TTL that
 * earns no note. It does what the full path below does for such a datagram, without the
 * fields; anything else returns false before changing anything, for the full path. */
static bool
ip_dissect_plain(PeelReader *rd, PeelPacket *pkt)
{
    uint32_t got = 0;
    const uint8_t *h = peel_reader_peek_bytes(rd, 0, IP_MIN_HDR, &got);
    if (h == NULL || got < IP_MIN_HDR || h[0] != 0x45)
        return false;
    uint32_t reported = peel_reader_remaining(rd);
    uint32_t ip_len = (uint32_t)h[2] << 8 | h[3];
    uint16_t off_word = (uint16_t)(h[6] << 8 | h[7]);
    uint8_t ttl = h[8], proto = h[9];
    uint32_t src = (uint32_t)h[12] << 24 | (uint32_t)h[13] << 16 | (uint32_t)h[14] << 8 | h[15];
    uint32_t dst = (uint32_t)h[16] << 24 | (uint32_t)h[17] << 16 | (uint32_t)h[18] << 8 | h[19];
    if (ip_len < IP_MIN_HDR || ip_len > reported || (off_word & 0x3fffu) != 0 ||
            (dst & 0xf0000000u) == 0xe0000000u || ttl < 5)
        return false;
    if (pkt->prefs->ip_check_checksum && (uint16_t)~ip_sum(h, IP_MIN_HDR) != 0)
        return false;
    peel_reader_limit(rd, ip_len); /* drop link-layer padding */
    peel_reader_skip(rd, IP_MIN_HDR);
    ip_set_addr(&pkt->net_src, src);
    ip_set_addr(&pkt->net_dst, dst);
    peel_set_addrs(pkt, &pkt->net_src, &pkt->net_dst);
    pkt->ip_ttl = ttl;
    pkt->ip_fragment = false;
    pkt->ip_proto = proto;
    PeelReader payload = peel_reader_rest(rd);
    if (peel_reader_remaining(&payload) == 0)
        return true;
    uint32_t writes = pkt->info_writes;
    ip_hand_off(pkt, pkt->parent, &payload, NULL, false, proto);
    if (pkt->info_writes == writes) { /* no dissector took it */
        const char *pname = peel_value_name(peel_ip_proto_names, proto);
        peel_info_set(pkt, "%s (%u)", pname != NULL ? pname : "Unknown", proto);
    }
    return true;
}

/*
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |Type of Service|          Total Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Identification        |Flags|      Fragment Offset    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Source Address                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Destination Address                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options (IHL > 5)                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Inside an ICMP error (pkt->in_error) the quoted header is dissected the same way but
 * leaves the columns, addresses and info to the outer packet.
 */
static void
ip_dissect(PeelReader *rd, PeelPacket *pkt)
{
    int32_t self = pkt->parent;
    bool quoted = pkt->in_error;
    const PeelReader hdr = *rd; /* the header from its first byte */
    uint32_t start = rd->pos;

    if (!quoted)
        peel_info_clear(pkt);
    if (!quoted && peel_shallow(pkt) && ip_dissect_plain(rd, pkt))
        return;
    uint8_t vhl = peel_reader_peek_u8(rd, 0);
    uint8_t version = (uint8_t)peel_add_bits(pkt, rd, F_VERSION);
    if (!peel_reader_ok(rd))
        return;
    if (version != 4) {
        if (!quoted)
            peel_info_set(pkt, "Bogus IPv4 version (%u, must be 4)", version);
        peel_expert(pkt, peel_last(pkt), PEEL_SEV_ERROR, PEEL_GROUP_PROTOCOL, "Bogus IPv4 version");
        if (version == 6) { /* seen in Linux cooked captures with ethertype IPv4 */
            PeelReader whole = hdr;
            ip_hand_off(pkt, self, &whole, &peel_proto_ipv6, false, 0);
        }
        return;
    }

    uint32_t hlen = (vhl & 0x0fu) * 4u;
    uint32_t before = pkt->n_fields;
    peel_add_bits(pkt, rd, F_HDR_LEN);
    int32_t hl_idx = ip_added(pkt, before);
    ip_set_uint(pkt, hl_idx, hlen); /* Wireshark's value is in bytes */
    peel_set_text(pkt, hl_idx, ".... %u%u%u%u = Header Length: %u bytes (%u)", (vhl >> 3) & 1,
            (vhl >> 2) & 1, (vhl >> 1) & 1, vhl & 1, hlen, hlen / 4);
    if (hlen < IP_MIN_HDR) {
        if (!quoted)
            peel_info_set(
                    pkt, "Bogus IP header length (%u, must be at least %u)", hlen, IP_MIN_HDR);
        peel_expert(pkt, hl_idx, PEEL_SEV_ERROR, PEEL_GROUP_PROTOCOL,
                "Bogus IP header length (%u, must be at least %u)", hlen, IP_MIN_HDR);
        return;
    }
    if (self >= 0 && (uint32_t)self < pkt->n_fields && pkt->fields[self].id == pkt->field_base) {
        uint32_t have = peel_reader_captured(&hdr);
        peel_set_length(pkt, self, hlen < have ? hlen : have);
    }
    peel_reader_skip(rd, 1);

    uint8_t tos = peel_reader_peek_u8(rd, 0);
    before = pkt->n_fields;
    peel_add_bits(pkt, rd, F_DSFIELD);
    int32_t ds_idx = ip_added(pkt, before);
    if (!peel_reader_ok(rd))
        return;
    bool open = peel_open_last(pkt, before);
    peel_add_bits(pkt, rd, F_DSCP);
    peel_add_bits(pkt, rd, F_ECN);
    peel_close_if(pkt, open);
    peel_reader_skip(rd, 1);
    if (!peel_reader_ok(rd))
        return;
    const char *dscp = peel_value_name(ip_dscp_short, tos >> 2);
    peel_set_text(pkt, ds_idx, "Differentiated Services Field: 0x%02x (DSCP: %s, ECN: %s)", tos,
            dscp ? dscp : "Unknown", peel_value_name(ip_ecn_short, tos & 3));

    uint32_t reported = peel_reader_remaining(&hdr);
    uint32_t ip_len = peel_reader_peek_u16be(rd, 0);
    if (peel_reader_captured(rd) < 2) {
        peel_add_u16(pkt, rd, F_LEN); /* flags the truncation */
        return;
    }
    if (ip_len < hlen && ip_len == 0) {
        /* Zero is what TCP segmentation offload leaves: take the frame's length. */
        ip_len = reported;
        peel_reader_skip(rd, 2);
        int32_t i = peel_add_uint_value(pkt, F_LEN, ip_len);
        peel_set_text(pkt, i,
                "Total Length: %u bytes (reported as 0, presumed to be because of \"TCP "
                "segmentation offload\" (TSO))",
                ip_len);
    } else if (ip_len < hlen) {
        peel_add_u16(pkt, rd, F_LEN);
        int32_t i = peel_last(pkt);
        peel_set_text(
                pkt, i, "Total Length: %u bytes (bogus, less than header length %u)", ip_len, hlen);
        peel_expert(pkt, i, PEEL_SEV_ERROR, PEEL_GROUP_PROTOCOL, "Bogus IP length");
        if (!quoted)
            peel_info_set(pkt, "Bogus IP length (%u, less than header length %u)", ip_len, hlen);
        return;
    } else {
        peel_add_u16(pkt, rd, F_LEN);
        if (ip_len > reported) {
            /* A quoted header in an ICMP error normally claims more than was quoted. */
            if (!quoted)
                peel_expert(pkt, peel_last(pkt), PEEL_SEV_ERROR, PEEL_GROUP_PROTOCOL,
                        "IPv4 total length exceeds packet length (%u bytes)", reported);
        } else {
            peel_reader_limit(rd, ip_len - (rd->pos - start)); /* drop link-layer padding */
        }
    }

    uint16_t id = peel_add_u16(pkt, rd, F_ID);
    uint16_t off_word = peel_reader_peek_u16be(rd, 0);
    before = pkt->n_fields;
    if (peel_reader_ok(rd))
        peel_add_bits(pkt, rd, F_FLAGS);
    int32_t flags_idx = ip_added(pkt, before);
    if (!peel_reader_ok(rd))
        return;
    open = peel_open_last(pkt, before);
    peel_add_bits(pkt, rd, F_FLAGS_RB);
    peel_add_bits(pkt, rd, F_FLAGS_DF);
    peel_add_bits(pkt, rd, F_FLAGS_MF);
    peel_close_if(pkt, open);
    before = pkt->n_fields;
    peel_add_bits(pkt, rd, F_FRAG_OFFSET); /* fields output: the raw 13-bit value */
    int32_t frag_idx = ip_added(pkt, before);
    peel_reader_skip(rd, 2);
    if (!peel_reader_ok(rd))
        return;
    ip_flags_text(pkt, flags_idx, (uint8_t)(off_word >> 8));
    peel_set_text(pkt, frag_idx, "Fragment Offset: %u", (off_word & 0x1fffu) * 8);

    uint8_t ttl = peel_add_u8(pkt, rd, F_TTL);
    int32_t ttl_idx = peel_last(pkt);
    uint8_t proto = peel_add_u8(pkt, rd, F_PROTO);
    if (!peel_reader_ok(rd))
        return;
    bool csum_ok = ip_checksum(pkt, rd, &hdr, hlen);
    uint32_t src = ip_add_endpoint(pkt, rd, F_SRC, F_SRC_HOST);
    if (!peel_reader_ok(rd))
        return;

    if (hlen > IP_MIN_HDR && peel_reader_captured(&hdr) < hlen) {
        /* Wireshark stops here too: it reads the options for a source route before it
         * adds the destination. */
        if (self >= 0 && (uint32_t)self < pkt->n_fields && pkt->fields[self].id == pkt->field_base)
            peel_set_text(pkt, self, "Internet Protocol Version 4, Src: %u.%u.%u.%u", src >> 24,
                    (src >> 16) & 0xff, (src >> 8) & 0xff, src & 0xff);
        if (!quoted) {
            ip_set_addr(&pkt->net_src, src);
            peel_set_addrs(pkt, &pkt->net_src, NULL);
        }
        peel_reader_skip(rd, 4);
        PeelReader opts = peel_reader_take(rd, hlen - IP_MIN_HDR);
        ip_options(pkt, &opts, hlen - IP_MIN_HDR, ttl);
        if (peel_reader_remaining(&hdr) < hlen)
            peel_mark_malformed(pkt, "malformed: ip.hdr_len %u exceeds the %u bytes left", hlen,
                    peel_reader_remaining(&hdr));
        return;
    }

    /* A source route still in progress names the final destination in its last slot;
     * the header's destination is then only the current hop. */
    uint32_t route_off = hlen > IP_MIN_HDR ? ip_route_dst_offset(&hdr, hlen) : 0;
    uint32_t dst;
    uint32_t cur = peel_reader_peek_u32be(rd, 0);
    if (route_off != 0) {
        dst = peel_reader_peek_u32be(&hdr, route_off);
        uint32_t got = 0;
        const uint8_t *cur_bytes = peel_reader_peek_bytes(rd, 0, 4, &got);
        peel_add_ipv4(pkt, rd, F_CUR_RT);
        if (peel_reader_ok(rd) && got == 4)
            ip_add_host(pkt, F_CUR_RT_HOST, cur_bytes);
    } else {
        dst = ip_add_endpoint(pkt, rd, F_DST, F_DST_HOST);
    }
    if (!peel_reader_ok(rd))
        return;
    ip_check_ttl(pkt, ttl_idx, ttl, dst, proto);
    ip_set_self_text(pkt, self, src, dst, route_off != 0, cur);
    if (!quoted) {
        ip_set_addr(&pkt->net_src, src);
        ip_set_addr(&pkt->net_dst, dst);
        peel_set_addrs(pkt, &pkt->net_src, &pkt->net_dst);
        pkt->ip_ttl = ttl;
    }

    if (hlen > IP_MIN_HDR) {
        PeelReader opts = peel_reader_take(rd, hlen - IP_MIN_HDR);
        ip_options(pkt, &opts, hlen - IP_MIN_HDR, ttl);
    }
    if (peel_reader_captured(&hdr) < hlen || !peel_reader_ok(rd))
        return; /* the header itself is cut short */

    PeelReader payload = peel_reader_rest(rd);
    bool mf = (off_word & 0x2000) != 0;
    uint32_t frag = off_word & 0x1fffu;
    pkt->ip_fragment = mf || frag != 0;
    pkt->ip_proto = proto;
    const char *pname = peel_value_name(peel_ip_proto_names, proto);
    if (pname == NULL)
        pname = "Unknown";
    /* As Wireshark: a fragment held whole with a good checksum goes to reassembly; the
     * frame that completes its datagram dissects it, the others show their bytes as data.
     * Any other fragment is data, but a first one is dissected as far as it goes. */
    bool whole = ip_len > hlen && peel_reader_captured(&payload) >= ip_len - hlen;
    if (pkt->ip_fragment && !whole && ip_len > hlen && ip_len <= reported && !quoted)
        peel_expert(pkt, self, PEEL_SEV_NOTE, PEEL_GROUP_REASSEMBLE,
                "fragment cut short by the capture (%u of %u bytes): its datagram cannot be "
                "reassembled",
                peel_reader_captured(&payload), ip_len - hlen);
    uint32_t reassembled_in = 0;
    if (pkt->ip_fragment && whole && csum_ok && !quoted) {
        PeelDefragFragment f = {
            .offset = frag * 8, .more = mf, .family = "IPv4", .fields = &ip_frag_fields
        };
        memset(&f.key, 0, sizeof f.key);
        f.key.family = 4;
        f.key.proto = proto;
        f.key.id = id;
        memcpy(f.key.src, pkt->net_src.bytes, 4);
        memcpy(f.key.dst, pkt->net_dst.bytes, 4);
        PeelReader datagram;
        if (peel_defrag_packet(pkt, &payload, &f, &datagram, &reassembled_in)) {
            pkt->ip_fragment = false;
            uint32_t writes = pkt->info_writes;
            ip_hand_off(pkt, self, &datagram, NULL, false, proto);
            if (pkt->info_writes == writes) /* no dissector took it */
                peel_info_set(pkt, "%s (%u)", pname, proto);
            return;
        }
    }
    if (frag != 0 || (mf && whole && csum_ok)) {
        if (!quoted)
            peel_info_set(pkt, "Fragmented IP protocol (proto=%s %u, off=%u, ID=%04x)", pname,
                    proto, frag * 8, id);
        if (reassembled_in != 0)
            peel_info_append(pkt, " [Reassembled in #%u]", reassembled_in);
        ip_hand_off(pkt, self, &payload, NULL, true, 0);
        return;
    }
    if (peel_reader_remaining(&payload) == 0)
        return;
    uint32_t writes = pkt->info_writes;
    ip_hand_off(pkt, self, &payload, NULL, false, proto);
    if (!quoted && pkt->info_writes == writes) /* no dissector took it */
        peel_info_set(pkt, "%s (%u)", pname, proto);
}

static const PeelFieldNeed ip_needs[] = {
    { F_ADDR, F_SRC }, { F_ADDR, F_DST },
    PEEL_DEFRAG_FIELD_NEEDS,
};

const PeelProto peel_proto_ip = {
    .field_needs = ip_needs,
    .n_field_needs = G_N_ELEMENTS(ip_needs),
    .name = "ip",
    .title = "Internet Protocol Version 4",
    .short_name = "IPv4",
    .fields = ip_fields,
    .n_fields = N_F,
    .dissect = ip_dissect,
    .handoffs = { { PEEL_TABLE_ETHERTYPE, 0x0800 }, { PEEL_TABLE_IP_PROTO, 4 },
            { PEEL_TABLE_PPP, 0x0021 } },
};
