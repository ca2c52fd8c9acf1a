/* proto-data.c: bytes no dissector claimed. */
#include "dissect.h"

enum { F_DATA, F_LEN, N_F };

static const PeelFieldDef data_fields[N_F] = {
    [F_DATA] = { "data.data", "Data", PEEL_FT_BYTES },
    [F_LEN] = { "data.len", "Length", PEEL_FT_U32, PEEL_SHOW_DEC },
};

static void
data_dissect(PeelReader *rd, PeelPacket *pkt)
{
    uint32_t n = peel_reader_captured(rd);
    uint32_t claimed = peel_reader_remaining(rd);
    peel_set_text(pkt, pkt->parent, "Data (%u bytes)", claimed);
    peel_add_bytes(pkt, rd, F_DATA, n);
    peel_add_uint_value(pkt, F_LEN, claimed);
}

const PeelProto peel_proto_data = {
    .name = "data",
    .title = "Data",
    .fields = data_fields,
    .n_fields = N_F,
    .dissect = data_dissect,
};
