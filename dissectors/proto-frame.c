/* proto-frame.c: the frame pseudo-protocol: number, times, lengths, then the link layer. */
#include <string.h>

#include "dissect.h"
#include "linktype.h"

enum {
    F_IFACE_ID,
    F_IFACE_NAME,
    F_ENCAP,
    F_TIME,
    F_TIME_EPOCH,
    F_TIME_DELTA,
    F_TIME_RELATIVE,
    F_NUMBER,
    F_LEN,
    F_CAP_LEN,
    F_PROTOCOLS,
    F_COMMENT,
    N_F
};

static const PeelFieldDef frame_fields[N_F] = {
    [F_IFACE_ID] = { "frame.interface_id", "Interface id", PEEL_FT_U32, PEEL_SHOW_DEC },
    [F_IFACE_NAME] = { "frame.interface_name", "Interface name", PEEL_FT_STRING },
    [F_ENCAP] = { "frame.encap_type", "Encapsulation type", PEEL_FT_I16, PEEL_SHOW_DEC },
    [F_TIME] = { "frame.time", "Arrival Time", PEEL_FT_ABS_TIME },
    [F_TIME_EPOCH] = { "frame.time_epoch", "Epoch Time", PEEL_FT_ABS_TIME, PEEL_SHOW_DEC },
    [F_TIME_DELTA] = { "frame.time_delta", "Time delta from previous captured frame",
        PEEL_FT_REL_TIME },
    [F_TIME_RELATIVE] = { "frame.time_relative", "Time since reference or first frame",
        PEEL_FT_REL_TIME },
    [F_NUMBER] = { "frame.number", "Frame Number", PEEL_FT_U32, PEEL_SHOW_DEC },
    [F_LEN] = { "frame.len", "Frame Length", PEEL_FT_U32, PEEL_SHOW_DEC },
    [F_CAP_LEN] = { "frame.cap_len", "Capture Length", PEEL_FT_U32, PEEL_SHOW_DEC },
    [F_PROTOCOLS] = { "frame.protocols", "Protocols in frame", PEEL_FT_STRING },
    [F_COMMENT] = { "frame.comment", "Comment", PEEL_FT_STRING },
};

static void
frame_dissect(PeelReader *rd, PeelPacket *pkt)
{
    const PeelFrameInfo *fr = pkt->frame;
    peel_set_text(pkt, pkt->parent,
            "Frame %u: %u bytes on wire (%u bits), %u bytes captured (%u bits)%s%s%s",
            fr->number, fr->len, fr->len * 8, fr->cap_len, fr->cap_len * 8,
            fr->iface_name ? " on interface " : "", fr->iface_name ? fr->iface_name : "",
            pkt->want_tree && fr->has_iface ? peel_arena_printf(pkt->arena, ", id %u", fr->iface) : "");
    if (fr->comment != NULL)
        peel_add_string_value(pkt, F_COMMENT, fr->comment, (uint32_t)strlen(fr->comment));
    if (fr->has_iface)
        peel_add_uint_value(pkt, F_IFACE_ID, fr->iface);
    if (fr->has_iface && fr->iface_name != NULL)
        peel_add_string_value(pkt, F_IFACE_NAME, fr->iface_name,
                (uint32_t)strlen(fr->iface_name));
    peel_add_int_value(pkt, F_ENCAP, peel_linktype_to_encap(fr->linktype));
    if (!fr->no_ts) {
        peel_add_time_value(pkt, F_TIME, fr->ts);
        peel_add_time_value(pkt, F_TIME_EPOCH, fr->ts);
        peel_add_time_value(pkt, F_TIME_DELTA, fr->delta);
        peel_add_time_value(pkt, F_TIME_RELATIVE, fr->rel);
    }
    peel_add_uint_value(pkt, F_NUMBER, fr->number);
    peel_add_uint_value(pkt, F_LEN, fr->len);
    peel_add_uint_value(pkt, F_CAP_LEN, fr->cap_len);
    /* Filled in once the layers below have named themselves. */
    int32_t protos = peel_add_string_value(pkt, F_PROTOCOLS, pkt->protocols, 0);
    for (int32_t i = 0; i <= peel_last(pkt); i++)
        pkt->fields[i].flags &= (uint8_t)~PEEL_FF_GENERATED; /* tshark shows these plain */

    pkt->col_protocol = NULL;
    int32_t saved = pkt->parent;
    pkt->parent = -1; /* link layers are top-level items, not children of the frame */
    pkt->depth = 0;
    peel_next(pkt, rd, PEEL_TABLE_LINKTYPE, (uint32_t)fr->linktype);
    pkt->parent = saved;
    if (protos >= 0)
        pkt->fields[protos].v.b.len = pkt->protocols_len;
    if (pkt->col_protocol == NULL)
        pkt->col_protocol = peel_linktype_column(fr->linktype);
}

const PeelProto peel_proto_frame = {
    .name = "frame",
    .title = "Frame",
    .fields = frame_fields,
    .n_fields = N_F,
    .dissect = frame_dissect,
};
