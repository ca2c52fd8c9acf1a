/* proto-llc.c: IEEE 802.2 Logical Link Control with the SNAP extension (IEEE Std 802.2-1998,
 * IEEE Std 802-2014 clause 10), as Wireshark's llc and xdlc dissectors show it. */
#include "dissect.h"

#include <stdio.h>

#include "fmt.h"
#include "proto-link.h"
#include "protos.h"

enum {
    F_DSAP,
    F_DSAP_SAP,
    F_DSAP_IG,
    F_SSAP,
    F_SSAP_SAP,
    F_SSAP_CR,
    F_CONTROL,
    F_P,
    F_F,
    F_U_CMD,
    F_U_RESP,
    F_FTYPE_S_U,
    F_N_R,
    F_N_S,
    F_P_EXT,
    F_F_EXT,
    F_S_FTYPE,
    F_FTYPE_I,
    F_FTYPE_S_U_EXT,
    F_TYPE,
    F_OUI,
    F_PID,
    F_CISCO_PID,
    F_APPLE_ATALK_PID,
    F_EXTREME_PID,
    F_NORTEL_PID,
    F_FOUNDRY_PID,
    F_IANA_PID,
    F_HPTEAM_PID,
    F_BLUETOOTH_PID,
    F_FORCE10_PID,
    F_WLCCP_PID,
    N_F
};

/* SAP values with the group/response bit clear (Wireshark's sap_vals). */
static const PeelValueName llc_sap_names[] = {
    { 0x00, "NULL LSAP" },
    { 0x01, "NULL LSAP" },
    { 0x02, "LLC Sub-Layer Management" },
    { 0x04, "SNA Path Control" },
    { 0x06, "TCP/IP" },
    { 0x08, "SNA" },
    { 0x0c, "SNA" },
    { 0x0e, "PROWAY (IEC955) Network Management and Initialization" },
    { 0x10, "NetWare (unofficial?)" },
    { 0x14, "ISO Network Layer (OSLAN 1)" },
    { 0x18, "Texas Instruments" },
    { 0x20, "ISO Network Layer (unofficial?)" },
    { 0x34, "ISO Network Layer (unofficial?)" },
    { 0x42, "Spanning Tree BPDU" },
    { 0x4e, "EIA RS-511 Manufacturing Message Service" },
    { 0x54, "ISO Network Layer (OSLAN 2)" },
    { 0x7e, "ISO 8208 (X.25 over 802.2)" },
    { 0x7f, "ISO 802.2" },
    { 0x80, "XNS" },
    { 0x82, "BACnet" },
    { 0x86, "Nestar" },
    { 0x8e, "PROWAY (IEC955) Active Station List Maintenance" },
    { 0x98, "ARP" },
    { 0xaa, "SNAP" },
    { 0xb4, "HP JetDirect Printer" },
    { 0xba, "Banyan Vines" },
    { 0xbc, "Banyan Vines" },
    { 0xe0, "NetWare" },
    { 0xf0, "NetBIOS" },
    { 0xf4, "IBM Net Management" },
    { 0xf8, "HP Extended LLC" },
    { 0xfa, "Ungermann-Bass" },
    { 0xfc, "Remote Program Load" },
    { 0xfe, "ISO Network Layer" },
    { 0xff, "Global LSAP" },
    { 0, NULL },
};

/* The same names keyed by the 7-bit SAP number, for llc.dsap.sap and llc.ssap.sap. */
static const PeelValueName llc_sap7_names[] = {
    { 0x00, "NULL LSAP" },
    { 0x01, "LLC Sub-Layer Management" },
    { 0x02, "SNA Path Control" },
    { 0x03, "TCP/IP" },
    { 0x04, "SNA" },
    { 0x06, "SNA" },
    { 0x07, "PROWAY (IEC955) Network Management and Initialization" },
    { 0x08, "NetWare (unofficial?)" },
    { 0x0a, "ISO Network Layer (OSLAN 1)" },
    { 0x0c, "Texas Instruments" },
    { 0x10, "ISO Network Layer (unofficial?)" },
    { 0x1a, "ISO Network Layer (unofficial?)" },
    { 0x21, "Spanning Tree BPDU" },
    { 0x27, "EIA RS-511 Manufacturing Message Service" },
    { 0x2a, "ISO Network Layer (OSLAN 2)" },
    { 0x3f, "ISO 8208 (X.25 over 802.2)" },
    { 0x40, "XNS" },
    { 0x41, "BACnet" },
    { 0x43, "Nestar" },
    { 0x47, "PROWAY (IEC955) Active Station List Maintenance" },
    { 0x4c, "ARP" },
    { 0x55, "SNAP" },
    { 0x5a, "HP JetDirect Printer" },
    { 0x5d, "Banyan Vines" },
    { 0x5e, "Banyan Vines" },
    { 0x70, "NetWare" },
    { 0x78, "NetBIOS" },
    { 0x7a, "IBM Net Management" },
    { 0x7c, "HP Extended LLC" },
    { 0x7d, "Ungermann-Bass" },
    { 0x7e, "Remote Program Load" },
    { 0x7f, "ISO Network Layer" },
    { 0, NULL },
};

static const PeelValueName llc_ig_names[] = {
    { 1, "Group" },
    { 0, "Individual" },
    { 0, NULL },
};

static const PeelValueName llc_cr_names[] = {
    { 1, "Response" },
    { 0, "Command" },
    { 0, NULL },
};

static const PeelValueName llc_set_names[] = {
    { 1, "Set" },
    { 0, "Not set" },
    { 0, NULL },
};

static const PeelValueName llc_ftype_names[] = {
    { 0, "Information frame" },
    { 1, "Supervisory frame" },
    { 3, "Unnumbered frame" },
    { 0, NULL },
};

static const PeelValueName llc_stype_names[] = {
    { 0, "Receiver ready" },
    { 1, "Receiver not ready" },
    { 2, "Reject" },
    { 3, "Selective reject" },
    { 0, NULL },
};

/* Unnumbered-frame modifiers by (control & 0xec) >> 2. */
static const PeelValueName llc_u_cmd_names[] = {
    { 0x00, "Unnumbered Information" },
    { 0x01, "Set Initialization Mode" },
    { 0x03, "Set Asynchronous Response Mode" },
    { 0x08, "Unnumbered Poll" },
    { 0x0b, "Set Asynchronous Balanced Mode" },
    { 0x10, "Disconnect" },
    { 0x13, "Set Asynchronous Response Mode Extended" },
    { 0x18, "Unnumbered Acknowledge" },
    { 0x1b, "Set Asynchronous Balanced Mode Extended" },
    { 0x20, "Set Normal Response Mode" },
    { 0x21, "Frame reject" },
    { 0x23, "Reset" },
    { 0x2b, "Exchange identification" },
    { 0x31, "Configure" },
    { 0x33, "Set Normal Response Mode Extended" },
    { 0x38, "Test" },
    { 0x3b, "Beacon" },
    { 0, NULL },
};

static const PeelValueName llc_u_resp_names[] = {
    { 0x00, "Unnumbered Information" },
    { 0x01, "Request Initialization Mode" },
    { 0x03, "Disconnected mode" },
    { 0x08, "Unnumbered Poll" },
    { 0x0b, "Set Asynchronous Balanced Mode" },
    { 0x10, "Request Disconnect" },
    { 0x13, "Set Asynchronous Response Mode Extended" },
    { 0x18, "Unnumbered Acknowledge" },
    { 0x1b, "Set Asynchronous Balanced Mode Extended" },
    { 0x20, "Set Normal Response Mode" },
    { 0x21, "Frame reject" },
    { 0x23, "Reset" },
    { 0x2b, "Exchange identification" },
    { 0x31, "Configure" },
    { 0x33, "Set Normal Response Mode Extended" },
    { 0x38, "Test" },
    { 0x3b, "Beacon" },
    { 0, NULL },
};

/* The short forms the Info column uses, by control & 0xec. */
static const PeelValueName llc_u_cmd_short[] = {
    { 0x00, "UI" },
    { 0x04, "SIM" },
    { 0x0c, "SARM" },
    { 0x20, "UP" },
    { 0x2c, "SABM" },
    { 0x40, "DISC" },
    { 0x4c, "SARME" },
    { 0x60, "UA" },
    { 0x6c, "SABME" },
    { 0x80, "SNRM" },
    { 0x84, "FRMR" },
    { 0x8c, "RESET" },
    { 0xac, "XID" },
    { 0xc4, "CFGR" },
    { 0xcc, "SNRME" },
    { 0xe0, "TEST" },
    { 0xec, "BCN" },
    { 0, NULL },
};

static const PeelValueName llc_u_resp_short[] = {
    { 0x00, "UI" },
    { 0x04, "RIM" },
    { 0x0c, "DM" },
    { 0x20, "UP" },
    { 0x2c, "SABM" },
    { 0x40, "RD" },
    { 0x4c, "SARME" },
    { 0x60, "UA" },
    { 0x6c, "SABME" },
    { 0x80, "SNRM" },
    { 0x84, "FRMR" },
    { 0x8c, "RESET" },
    { 0xac, "XID" },
    { 0xc4, "CFGR" },
    { 0xcc, "SNRME" },
    { 0xe0, "TEST" },
    { 0xec, "BCN" },
    { 0, NULL },
};

static const PeelValueName llc_cisco_pid_names[] = {
    { 0x0102, "DRIP" },
    { 0x0104, "PAgP" },
    { 0x0105, "MLS Hello" },
    { 0x0108, "RLQ BPDUs (request)" },
    { 0x0109, "RLQ BPDUs (response)" },
    { 0x010b, "PVSTP+" },
    { 0x010c, "VLAN Bridge" },
    { 0x0111, "UDLD" },
    { 0x0139, "MCP" },
    { 0x2000, "CDP" },
    { 0x2001, "CGMP" },
    { 0x2003, "VTP" },
    { 0x2004, "DTP" },
    { 0x200a, "STP Uplink Fast" },
    { 0, NULL },
};

static const PeelValueName llc_apple_pid_names[] = { { 0x809b, "AppleTalk" }, { 0, NULL } };
static const PeelValueName llc_extreme_pid_names[] = { { 0x00bb, "EDP" }, { 0, NULL } };
static const PeelValueName llc_foundry_pid_names[] = { { 0x2000, "FDP" }, { 0, NULL } };
static const PeelValueName llc_force10_pid_names[] = { { 0x0111, "FEFD" }, { 0, NULL } };
static const PeelValueName llc_hpteam_pid_names[] = { { 0x0002, "HP Teaming heartbeat" },
    { 0, NULL } };
static const PeelValueName llc_wlccp_pid_names[] = { { 0x0000, "WLCCP" }, { 0, NULL } };

static const PeelValueName llc_nortel_pid_names[] = {
    { 0x01a1, "NDP flatnet hello" },
    { 0x01a2, "NDP segment hello" },
    { 0x01a3, "NDP bridge hello" },
    { 0, NULL },
};

static const PeelValueName llc_bluetooth_pid_names[] = {
    { 0x0001, "AMP_U L2CAP ACL data" },
    { 0x0002, "AMP-C Activity Report" },
    { 0x0003, "AMP-C Security frames" },
    { 0x0004, "AMP-C Link supervision request" },
    { 0x0005, "AMP-C Link supervision reply" },
    { 0, NULL },
};

static const PeelValueName llc_iana_pid_names[] = {
    { 0x0001, "MARS Data Messages (short form)" },
    { 0x0002, "Reserved for future NHRP use" },
    { 0x0003, "MARS/NHRP Control Messages" },
    { 0x0004, "MARS Data Messages (long form)" },
    { 0x0005, "SCSP" },
    { 0x0006, "VRID" },
    { 0x0007, "L2TP" },
    { 0x0008, "VPN ID" },
    { 0x0009, "MSDP-GRE-Protocol Type" },
    { 0, NULL },
};

static const PeelFieldDef llc_fields[N_F] = {
    [F_DSAP] = { "llc.dsap", "DSAP", PEEL_FT_U8, PEEL_SHOW_HEX, llc_sap_names },
    [F_DSAP_SAP] = { "llc.dsap.sap", "SAP", PEEL_FT_U8, PEEL_SHOW_DEC, llc_sap7_names, 0xfe },
    [F_DSAP_IG] = { "llc.dsap.ig", "IG Bit", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE, llc_ig_names, 0x01,
            1 },
    [F_SSAP] = { "llc.ssap", "SSAP", PEEL_FT_U8, PEEL_SHOW_HEX, llc_sap_names },
    [F_SSAP_SAP] = { "llc.ssap.sap", "SAP", PEEL_FT_U8, PEEL_SHOW_DEC, llc_sap7_names, 0xfe },
    [F_SSAP_CR] = { "llc.ssap.cr", "CR Bit", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE, llc_cr_names, 0x01,
            1 },
    [F_CONTROL] = { "llc.control", "Control", PEEL_FT_U16, PEEL_SHOW_HEX },
    [F_P] = { "llc.control.p", "Poll", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE, llc_set_names, 0x10, 1 },
    [F_F] = { "llc.control.f", "Final", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE, llc_set_names, 0x10, 1 },
    [F_U_CMD] = { "llc.control.u_modifier_cmd", "Command", PEEL_FT_U8, PEEL_SHOW_HEX,
            llc_u_cmd_names, 0xec },
    [F_U_RESP] = { "llc.control.u_modifier_resp", "Response", PEEL_FT_U8, PEEL_SHOW_HEX,
            llc_u_resp_names, 0xec },
    [F_FTYPE_S_U] = { "llc.control.ftype", "Frame type", PEEL_FT_U8, PEEL_SHOW_HEX, llc_ftype_names,
            0x03 },
    [F_N_R] = { "llc.control.n_r", "N(R)", PEEL_FT_U16, PEEL_SHOW_DEC, NULL, 0xfe00 },
    [F_N_S] = { "llc.control.n_s", "N(S)", PEEL_FT_U16, PEEL_SHOW_DEC, NULL, 0x00fe },
    [F_P_EXT] = { "llc.control.p", "Poll", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE, llc_set_names, 0x0100,
            2 },
    [F_F_EXT] = { "llc.control.f", "Final", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE, llc_set_names, 0x0100,
            2 },
    [F_S_FTYPE] = { "llc.control.s_ftype", "Supervisory frame type", PEEL_FT_U16, PEEL_SHOW_HEX,
            llc_stype_names, 0x000c },
    [F_FTYPE_I] = { "llc.control.ftype", "Frame type", PEEL_FT_U16, PEEL_SHOW_HEX, llc_ftype_names,
            0x0001 },
    [F_FTYPE_S_U_EXT] = { "llc.control.ftype", "Frame type", PEEL_FT_U16, PEEL_SHOW_HEX,
            llc_ftype_names, 0x0003 },
    [F_TYPE] = { "llc.type", "Type", PEEL_FT_U16, PEEL_SHOW_HEX, peel_link_etype_names },
    [F_OUI] = { "llc.oui", "Organization Code", PEEL_FT_U24, PEEL_SHOW_DEC },
    [F_PID] = { "llc.pid", "Protocol ID", PEEL_FT_U16, PEEL_SHOW_HEX },
    [F_CISCO_PID] = { "llc.cisco_pid", "PID", PEEL_FT_U16, PEEL_SHOW_HEX, llc_cisco_pid_names },
    [F_APPLE_ATALK_PID] = { "llc.apple_atalk_pid", "PID", PEEL_FT_U16, PEEL_SHOW_HEX,
            llc_apple_pid_names },
    [F_EXTREME_PID] = { "llc.extreme_pid", "PID", PEEL_FT_U16, PEEL_SHOW_HEX,
            llc_extreme_pid_names },
    [F_NORTEL_PID] = { "llc.nortel_pid", "PID", PEEL_FT_U16, PEEL_SHOW_HEX, llc_nortel_pid_names },
    [F_FOUNDRY_PID] = { "llc.foundry_pid", "PID", PEEL_FT_U16, PEEL_SHOW_HEX,
            llc_foundry_pid_names },
    [F_IANA_PID] = { "llc.iana_pid", "PID", PEEL_FT_U16, PEEL_SHOW_HEX, llc_iana_pid_names },
    [F_HPTEAM_PID] = { "llc.hpteam_pid", "PID", PEEL_FT_U16, PEEL_SHOW_HEX, llc_hpteam_pid_names },
    [F_BLUETOOTH_PID] = { "llc.bluetooth_pid", "PID", PEEL_FT_U16, PEEL_SHOW_HEX,
            llc_bluetooth_pid_names },
    [F_FORCE10_PID] = { "llc.force10_pid", "PID", PEEL_FT_U16, PEEL_SHOW_HEX,
            llc_force10_pid_names },
    [F_WLCCP_PID] = { "llc.wlccp_pid", "PID", PEEL_FT_U16, PEEL_SHOW_HEX, llc_wlccp_pid_names },
};

/* OUIs with PID fields of their own, and the manufacturer names the Info column uses. */
static const struct {
    uint32_t oui;
    uint32_t pid_f;
    const char *name;
} llc_ouis[] = {
    { 0x000000, F_TYPE, "Officially Xerox, but 0:0:0:0:0:0 is more common" },
    { 0x00000c, F_CISCO_PID, "Cisco Systems, Inc" },
    { 0x00005e, F_IANA_PID, "ICANN, IANA Department" },
    { 0x000081, F_NORTEL_PID, "Bay Networks" },
    { 0x0000f8, F_TYPE, "Digital Equipment Corporation" },
    { 0x0001e8, F_FORCE10_PID, "Force10 Networks, Inc." },
    { 0x001958, F_BLUETOOTH_PID, "Bluetooth SIG, Inc." },
    { 0x004096, F_WLCCP_PID, "Cisco Systems, Inc" },
    { 0x0080c2, F_PID, "IEEE" },
    { 0x00e02b, F_EXTREME_PID, "Extreme Networks Headquarters" },
    { 0x00e052, F_FOUNDRY_PID, "Brocade Communications Systems LLC" },
    { 0x080007, F_APPLE_ATALK_PID, "Apple, Inc." },
    { 0x080009, F_HPTEAM_PID, "Hewlett Packard" },
};

#define SAP_SNAP             0xaa
#define SAP_IP               0x06
#define OUI_ENCAP_ETHER      0x000000
#define OUI_CISCO_90         0x0000f8
#define OUI_IEEE_802_1       0x0080c2
#define BPID_ETH_WITH_FCS    0x0001
#define BPID_ETH_WITHOUT_FCS 0x0007
/* LLC-encapsulated bridged frames: two octets of padding before the MAC header. */
#define BRIDGE_PAD 2

#define XDLC_U               0x03
#define XDLC_S               0x01
#define XDLC_U_MODIFIER_MASK 0xec
#define XDLC_P_F             0x10
#define XDLC_P_F_EXT         0x0100

/* I frames and UI frames carry data for the layer above (Wireshark's XDLC_IS_INFORMATION). */
static bool
llc_is_information(uint16_t control)
{
    return (control & 0x01) == 0 || control == XDLC_U;
}

/* Adds a control sub-field: extended (I and S) control fields are little-endian, which the
 * bit-field readers do not decode, so the value is computed here and placed over the bytes. */
static void
llc_add_ctrl(PeelPacket *pkt, const PeelReader *at, uint32_t f, uint32_t len, uint16_t control)
{
    uint64_t mask = llc_fields[f].mask;
    uint64_t v = (control & mask) >> __builtin_ctzll(mask);
    if (llc_fields[f].type == PEEL_FT_BOOLEAN)
        v = v != 0;
    peel_link_add_value_at(pkt, at, f, len, v);
}

/* The control field (one octet for U frames, two little-endian octets for I and S frames in
 * LLC's extended mode) with its Info text. Returns false when it could not be read. */
static bool
llc_control(PeelPacket *pkt, PeelReader *rd, bool is_response, uint16_t *out)
{
    PeelReader at = *rd;
    uint32_t before = pkt->n_fields;
    bool is_u = (peel_reader_peek_u8(rd, 0) & 0x03) == XDLC_U;
    uint16_t control = is_u || peel_reader_captured(rd) == 0 ? peel_add_u8(pkt, rd, F_CONTROL)
                                                             : peel_add_u16le(pkt, rd, F_CONTROL);
    if (!peel_reader_ok(rd))
        return false;
    *out = control;
    uint32_t len = is_u ? 1 : 2;
    bool pf = is_u ? (control & XDLC_P_F) != 0 : (control & XDLC_P_F_EXT) != 0;
    const char *pf_text = pf ? (is_response ? " F" : " P") : "";
    static const char *const funcs[] = { "RR", "RNR", "REJ", "SREJ" };
    if (is_u) {
        const char *mod = peel_value_name(
                is_response ? llc_u_resp_short : llc_u_cmd_short, control & XDLC_U_MODIFIER_MASK);
        peel_info_set(pkt, "U%s, func=%s", pf_text, mod ? mod : "Unknown");
    } else if ((control & 0x03) == XDLC_S) {
        peel_info_set(pkt, "S%s, func=%s, N(R)=%u", pf_text, funcs[(control >> 2) & 3],
                (unsigned)(control >> 9));
    } else {
        peel_info_set(pkt, "I%s, N(R)=%u, N(S)=%u", pf ? " P" : "", (unsigned)(control >> 9),
                (unsigned)((control >> 1) & 0x7f));
    }
    if (pkt->n_fields <= before)
        return true; /* the field list is full */
    /* Wireshark labels the control field with its Info text. */
    peel_set_text(pkt, peel_last(pkt),
            is_u ? "Control field: %s (0x%02X)" : "Control field: %s (0x%04X)",
            pkt->info + pkt->info_fence, control);
    if (!peel_open_last(pkt, before))
        return true;
    if (is_u) {
        if (pf)
            llc_add_ctrl(pkt, &at, is_response ? F_F : F_P, len, control);
        llc_add_ctrl(pkt, &at, is_response ? F_U_RESP : F_U_CMD, len, control);
        llc_add_ctrl(pkt, &at, F_FTYPE_S_U, len, control);
    } else if ((control & 0x03) == XDLC_S) {
        llc_add_ctrl(pkt, &at, F_N_R, len, control);
        if (pf)
            llc_add_ctrl(pkt, &at, is_response ? F_F_EXT : F_P_EXT, len, control);
        llc_add_ctrl(pkt, &at, F_S_FTYPE, len, control);
        llc_add_ctrl(pkt, &at, F_FTYPE_S_U_EXT, len, control);
    } else {
        llc_add_ctrl(pkt, &at, F_N_R, len, control);
        llc_add_ctrl(pkt, &at, F_N_S, len, control);
        if (pf)
            llc_add_ctrl(pkt, &at, F_P_EXT, len, control);
        llc_add_ctrl(pkt, &at, F_FTYPE_I, len, control);
    }
    peel_close(pkt, NULL);
    return true;
}

/* A SAP octet with its 7-bit SAP number and its low (group or response) bit. */
static uint8_t
llc_sap(PeelPacket *pkt, PeelReader *rd, uint32_t f, uint32_t f_sap, uint32_t f_bit)
{
    PeelReader at = *rd;
    uint32_t before = pkt->n_fields;
    uint8_t v = peel_add_u8(pkt, rd, f);
    if (!peel_reader_ok(rd) || !peel_open_last(pkt, before))
        return v;
    peel_add_bits(pkt, &at, f_sap);
    peel_add_bits(pkt, &at, f_bit);
    peel_close(pkt, NULL);
    return v;
}

static void
llc_snap(PeelPacket *pkt, PeelReader *rd, uint16_t control)
{
    uint16_t pid = peel_reader_peek_u16be(rd, 3);
    bool have_pid = peel_reader_captured(rd) >= 5;
    uint32_t oui = peel_add_u24(pkt, rd, F_OUI);
    if (!peel_reader_ok(rd))
        return;
    uint32_t pid_f = F_PID;
    const char *name = NULL;
    for (size_t i = 0; i < sizeof llc_ouis / sizeof llc_ouis[0]; i++) {
        if (llc_ouis[i].oui == oui) {
            pid_f = llc_ouis[i].pid_f;
            name = llc_ouis[i].name;
        }
    }
    /* tshark's OUI label: the octets, then the manufacturer cut to 21 characters. */
    if (name != NULL)
        peel_set_text(pkt, peel_last(pkt), "Organization Code: %02x:%02x:%02x (%.21s)", oui >> 16,
                (oui >> 8) & 0xff, oui & 0xff, name);
    else
        peel_set_text(pkt, peel_last(pkt), "Organization Code: %02x:%02x:%02x", oui >> 16,
                (oui >> 8) & 0xff, oui & 0xff);
    if (have_pid)
        peel_info_append(
                pkt, "; SNAP, OUI 0x%06X (%s), PID 0x%04X", oui, name ? name : "Unknown", pid);

    if (oui == OUI_ENCAP_ETHER || oui == OUI_CISCO_90) {
        /* RFC 1042: the PID is an ethertype. Only data frames carry it as one. */
        if (!llc_is_information(control)) {
            peel_reader_skip(rd, 2);
            PeelReader rest = peel_reader_rest(rd);
            peel_link_next_proto(pkt, &rest, NULL);
            return;
        }
        peel_add_u16(pkt, rd, F_TYPE);
        if (!peel_reader_ok(rd))
            return;
        PeelReader rest = peel_reader_rest(rd);
        peel_link_next_etype(pkt, &rest, pid);
        return;
    }
    peel_add_u16(pkt, rd, pid_f);
    if (!peel_reader_ok(rd))
        return;
    if (oui == OUI_IEEE_802_1 && (pid == BPID_ETH_WITHOUT_FCS || pid == BPID_ETH_WITH_FCS)) {
        /* A bridged Ethernet frame (RFC 2684, RFC 2427) after two octets of padding. */
        PeelReader rest = peel_reader_rest(rd);
        if (peel_reader_remaining(&rest) >= BRIDGE_PAD) {
            peel_reader_skip(&rest, BRIDGE_PAD);
            PeelReader frame = peel_reader_rest(&rest);
            peel_link_next_proto(pkt, &frame, &peel_proto_eth);
        }
        return;
    }
    PeelReader rest = peel_reader_rest(rd);
    peel_link_next_proto(pkt, &rest, NULL);
}

/*
 * +--------+--------+----------------+-------------------------------------+
 * |  DSAP  |  SSAP  | Control (1-2)  | SNAP (DSAP = SSAP = 0xaa):          |
 * | addr|IG| addr|CR|                | OUI (3) | PID or ethertype (2) ...  |
 * +--------+--------+----------------+-------------------------------------+
 */
static void
llc_dissect(PeelReader *rd, PeelPacket *pkt)
{
    int32_t self = pkt->parent;
    uint32_t start = peel_reader_offset(rd);
    peel_info_clear(pkt);
    uint8_t dsap = llc_sap(pkt, rd, F_DSAP, F_DSAP_SAP, F_DSAP_IG);
    if (!peel_reader_ok(rd))
        return;
    uint8_t ssap = llc_sap(pkt, rd, F_SSAP, F_SSAP_SAP, F_SSAP_CR);
    if (!peel_reader_ok(rd))
        return;
    uint16_t control = 0;
    if (!llc_control(pkt, rd, (ssap & 0x01) != 0, &control))
        return;
    bool is_snap = dsap == SAP_SNAP && ssap == SAP_SNAP;
    uint32_t header = peel_reader_offset(rd) - start + (is_snap ? 5 : 0);
    peel_set_length(pkt, self, header);
    if (is_snap) {
        llc_snap(pkt, rd, control);
        return;
    }

    const char *dname = peel_value_name(llc_sap_names, dsap & 0xfe);
    const char *sname = peel_value_name(llc_sap_names, ssap & 0xfe);
    char dbuf[8], sbuf[8];
    if (dname == NULL) {
        peel_snprintf(dbuf, sizeof dbuf, "0x%02x", dsap & 0xfe);
        dname = dbuf;
    }
    if (sname == NULL) {
        peel_snprintf(sbuf, sizeof sbuf, "0x%02x", ssap & 0xfe);
        sname = sbuf;
    }
    peel_info_append(pkt, "; DSAP %s %s, SSAP %s %s", dname, (dsap & 0x01) ? "Group" : "Individual",
            sname, (ssap & 0x01) ? "Response" : "Command");

    PeelReader rest = peel_reader_rest(rd);
    if (peel_reader_remaining(&rest) == 0)
        return;
    if (llc_is_information(control) && dsap == SAP_IP)
        peel_link_next_proto(pkt, &rest, &peel_proto_ip);
    else
        peel_link_next_proto(pkt, &rest, NULL); /* STP, NetBIOS, IPX, XID...: not decoded by peel */
}

const PeelProto peel_proto_llc = {
    .name = "llc",
    .title = "Logical-Link Control",
    .short_name = "LLC",
    .fields = llc_fields,
    .n_fields = N_F,
    .dissect = llc_dissect,
    .handoffs = { { PEEL_TABLE_ETHERTYPE, 0x8870 } }, /* Jumbo LLC */
};
