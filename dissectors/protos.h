/* protos.h: the descriptor each protocol file exports (STYLE.md section 2). */
#pragma once

#include "dissect.h"

extern const PeelProto peel_proto_frame;
extern const PeelProto peel_proto_eth;
extern const PeelProto peel_proto_llc;
extern const PeelProto peel_proto_vlan;
extern const PeelProto peel_proto_ieee8021ad;
extern const PeelProto peel_proto_sll;
extern const PeelProto peel_proto_null;
extern const PeelProto peel_proto_raw;
extern const PeelProto peel_proto_arp;
extern const PeelProto peel_proto_ip;
extern const PeelProto peel_proto_ipv6;
extern const PeelProto peel_proto_icmp;
extern const PeelProto peel_proto_icmpv6;
extern const PeelProto peel_proto_tcp;
extern const PeelProto peel_proto_udp;
extern const PeelProto peel_proto_http;
extern const PeelProto peel_proto_websocket;
extern const PeelProto peel_proto_stun;
extern const PeelProto peel_proto_classicstun;
extern const PeelProto peel_proto_data;
extern const PeelProto peel_proto_amqp;
extern const PeelProto peel_proto_json;
extern const PeelProto peel_proto_http2;
extern const PeelProto peel_proto_grpc;
extern PeelProto peel_proto_protobuf; /* not const: pbf.* fields are added at start-up */
