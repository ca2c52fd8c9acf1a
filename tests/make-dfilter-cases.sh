#!/bin/bash
# make-dfilter-cases.sh: writes tests/dfilter-cases.tsv, the display-filter cases of
# tests/test-dfilter.c, from tshark 4.0's answers on the captures.
#
# Each case below is CAPTURE<TAB>FILTER[<TAB>TSHARK-FILTER[<TAB>NEEDS[<TAB>DECODE-AS]]]. CAPTURE is
# samples/NAME.pcap or shared:PATH (a capture of ../shared/captures/public, whose cases
# are skipped when that folder is absent). TSHARK-FILTER, when given and not "=", is what
# tshark is asked instead: an equivalent for syntax tshark 4.0 lacks (xor, ^^). NEEDS
# names a protocol peel must have for the case to run (cases for dissectors still being
# written are skipped until the protocol is registered). DECODE-AS is a -d rule both tshark
# and peel apply (tcp.port==8080,http2). The frames are what
#   tshark -r CAPTURE [-d DECODE-AS] -Y TSHARK-FILTER -T fields -e frame.number
# prints, joined with commas ("-" for none), written once and committed as data:
#   bash tests/make-dfilter-cases.sh            (needs tshark 4.0.x)
# Cases already in the table keep their answer (tshark takes a second a case); --all asks
# tshark again for every case.
set -euo pipefail
cd "$(dirname "$0")/.."
out=tests/dfilter-cases.tsv
shared=${PEEL_SHARED_DIR:-../shared}/captures/public

tshark -v 2>/dev/null | head -1 | grep -q 'TShark (Wireshark) 4\.0\.' ||
    echo "warning: the cases were made with tshark 4.0.x; this is $(tshark -v | head -1)" >&2

S=samples
cases() {
    cat <<'EOF'
# ---- frame: numbers, lengths, times, protocols, bytes
samples/dns-udp.pcap	frame.number == 2
samples/dns-udp.pcap	frame.number != 2
samples/dns-udp.pcap	frame.number eq 3
samples/dns-udp.pcap	frame.number ne 3
samples/dns-udp.pcap	frame.number > 2
samples/dns-udp.pcap	frame.number gt 2
samples/dns-udp.pcap	frame.number < 2
samples/dns-udp.pcap	frame.number lt 3
samples/dns-udp.pcap	frame.number >= 3
samples/dns-udp.pcap	frame.number ge 3
samples/dns-udp.pcap	frame.number <= 2
samples/dns-udp.pcap	frame.number le 2
samples/dns-udp.pcap	frame.number in {1, 3}
samples/dns-udp.pcap	frame.number in {2..3}
samples/dns-udp.pcap	frame.number in {1..2, 4}
samples/dns-udp.pcap	frame.number not in {1, 4}
samples/dns-udp.pcap	frame.len == 99
samples/dns-udp.pcap	frame.len in {95, 111}
samples/dns-udp.pcap	frame.cap_len > 96 && frame.cap_len < 100
samples/dns-udp.pcap	frame.len == 0x5f
samples/dns-udp.pcap	frame.len == 0137
samples/dns-udp.pcap	frame.len == 0b1011111
samples/dns-udp.pcap	frame.time_delta == 0
samples/dns-udp.pcap	frame.time_delta > 0.0001
samples/dns-udp.pcap	frame.time_relative > 0.01
samples/dns-udp.pcap	frame.time_relative <= 0.000282
samples/dns-udp.pcap	frame.time > "Nov 23, 2026 11:32:08.720000"
samples/dns-udp.pcap	frame.time < "2026-11-23 11:32:08.72"
samples/dns-udp.pcap	frame.time >= "2026-11-23T11:32:08.730954Z"
samples/dns-udp.pcap	frame.time_epoch > 1795001528.72
samples/dns-udp.pcap	frame.protocols == "eth:ethertype:ip:udp:data"	frame.protocols == "eth:ethertype:ip:udp:dns"
samples/icmp-ping.pcap	frame.protocols == "eth:ethertype:ip:icmp:data"
samples/icmp-ping.pcap	frame.protocols contains "icmp"
samples/icmp-ping.pcap	frame.protocols matches "^eth:.*:icmp"
samples/icmp-ping.pcap	frame.protocols matches "ICMP"
samples/icmp-ping.pcap	frame.protocols matches "(?-i)ICMP"
samples/icmp-ping.pcap	frame.protocols[0:3] == "eth"
samples/icmp-ping.pcap	frame.protocols[0:3] == 65:74:68
samples/icmp-ping.pcap	frame.protocols[-4:] == "data"
samples/icmp-ping.pcap	frame.protocols[1-2] == "th"
samples/icmp-ping.pcap	frame.protocols[:3] == "eth"
samples/icmp-ping.pcap	frame.protocols[0] == 'e'
samples/icmp-ping.pcap	upper(frame.protocols) contains "ICMP"
samples/icmp-ping.pcap	lower(frame.protocols) == "eth:ethertype:ip:icmp:data"
samples/icmp-ping.pcap	len(frame.protocols) == 26
samples/icmp-ping.pcap	frame.encap_type == 1
samples/icmp-ping.pcap	frame.encap_type > -1
samples/icmp-ping.pcap	frame
samples/icmp-ping.pcap	frame contains "!\"#$%&"
samples/icmp-ping.pcap	frame contains 21:22:23
samples/icmp-ping.pcap	frame[0:6] == 00:00:00:00:00:00
samples/icmp-ping.pcap	frame[12:2] == 08:00
samples/icmp-ping.pcap	frame[23] == 01
samples/icmp-ping.pcap	frame[14:1,23:1] == 45:01
samples/icmp-ping.pcap	frame matches "\x08\x00"
samples/tcp-multi.pcap	frame.len > 100
samples/tcp-multi.pcap	frame.len >= 74 and frame.len <= 101
samples/tcp-multi.pcap	frame.number in {10..12, 40..45, 48}
samples/tcp-multi.pcap	!(frame.number > 3) || frame.number == 48
samples/tcp-multi.pcap	not frame.number > 3 or frame.number == 48
samples/tcp-multi.pcap	frame.number == 1 or frame.number == 2 and frame.len == 74
samples/tcp-multi.pcap	(frame.number == 1 or frame.number == 2) and frame.len == 74
samples/tcp-multi.pcap	!frame.number == 1 and !frame.number == 2 and frame.number < 5
samples/tcp-multi.pcap	frame.number < 4 xor frame.number < 2	(frame.number < 4 && !(frame.number < 2)) || (!(frame.number < 4) && frame.number < 2)
samples/tcp-multi.pcap	frame.number < 4 ^^ frame.len == 74	(frame.number < 4 && !(frame.len == 74)) || (!(frame.number < 4) && frame.len == 74)
samples/tcp-multi.pcap	tcp.flags.syn == 1 xor tcp.flags.ack == 1	(tcp.flags.syn == 1 && !(tcp.flags.ack == 1)) || (!(tcp.flags.syn == 1) && tcp.flags.ack == 1)
samples/tcp-multi.pcap	count(tcp.options.nop) == 3
samples/tcp-multi.pcap	count(tcp.options.sack_perm) == 0
# ---- eth
samples/tcp-lossy.pcap	eth.src == 00:00:00:00:00:00
samples/tcp-lossy.pcap	eth.addr == ff:ff:ff:ff:ff:ff
samples/tcp-lossy.pcap	eth.type == 0x0800
samples/tcp-lossy.pcap	eth.type == 2048 && frame.number < 4
samples/tcp-lossy.pcap	eth
samples/tcp-lossy.pcap	eth.dst.ig == 0 && frame.number == 1
samples/tcp-lossy.pcap	eth.src[0] & 1
samples/tcp-lossy.pcap	eth.dst[0:3] == 00:00:00 && frame.number < 3
samples/tcp-lossy.pcap	eth.src == 00-00-00-00-00-00 && frame.number == 2
samples/tcp-lossy.pcap	eth.src == 0000.0000.0000 && frame.number == 3
samples/tcp-lossy.pcap	len(eth.src) == 6 && frame.number < 3
samples/tcp-lossy.pcap	eth.src == eth.dst && frame.number < 3
shared:zeek/http-vlan-0.pcap	eth.src == 00:09:b7:df:1b:0e
shared:zeek/http-vlan-0.pcap	eth.addr == 00:0e:83:0a:2b:76
shared:zeek/http-vlan-0.pcap	eth.dst[0:3] == 00:09:b7
shared:zeek/http-vlan-0.pcap	eth.src != 00:09:b7:df:1b:0e
shared:zeek/http-vlan-0.pcap	eth.addr != 00:09:b7:df:1b:0e
shared:zeek/http-vlan-0.pcap	eth.addr ~= 00:09:b7:df:1b:0e
# ---- vlan, 802.1ad
shared:zeek/vlan-pcp-dei.pcapng	vlan
shared:zeek/vlan-pcp-dei.pcapng	vlan.priority == 5
shared:zeek/vlan-pcp-dei.pcapng	vlan.dei == 1
shared:zeek/vlan-pcp-dei.pcapng	vlan.id == 10
shared:zeek/vlan-pcp-dei.pcapng	vlan.id in {10, 20}
shared:zeek/vlan-pcp-dei.pcapng	vlan.etype == 0x0800
shared:zeek/vlan-qinqinq.pcap	vlan.id == 100
shared:zeek/vlan-qinqinq.pcap	all vlan.id > 0
shared:zeek/vlan-qinqinq.pcap	count(vlan) == 3
shared:tcpdump/802.1ad_QinQ.pcap	ieee8021ad.id == 200
shared:tcpdump/802.1ad_QinQ.pcap	ieee8021ad && vlan
# ---- sll, sll2
shared:zeek/linuxsll-arp.pcap	sll.pkttype == 1
shared:zeek/linuxsll-arp.pcap	sll.pkttype == 4
shared:zeek/linuxsll-arp.pcap	sll.ltype == 0x0806
shared:zeek/linuxsll-arp.pcap	sll.src.eth == 00:0c:29:8b:cf:fa
shared:zeek/linuxsll-arp.pcap	sll.halen == 6 && sll.hatype == 1
shared:zeek/linux_dlt_sll2.pcap	sll.ifindex == 1
shared:zeek/linux_dlt_sll2.pcap	sll.etype == 0x86dd
# ---- arp
shared:zeek/linuxsll-arp.pcap	arp
shared:zeek/linuxsll-arp.pcap	arp.opcode == 1
shared:zeek/linuxsll-arp.pcap	arp.opcode == 2
shared:zeek/linuxsll-arp.pcap	arp.src.proto_ipv4 == 10.1.10.100
shared:zeek/linuxsll-arp.pcap	arp.dst.proto_ipv4 == 192.168.22.0/24
shared:zeek/linuxsll-arp.pcap	arp.src.hw_mac == 00:0c:29:8b:cf:fa
shared:zeek/linuxsll-arp.pcap	arp.isannouncement
shared:zeek/linuxsll-arp.pcap	arp.isgratuitous == 1
shared:tcpdump/802.1ad_QinQ.pcap	arp.opcode == 1 && eth.dst == ff:ff:ff:ff:ff:ff
shared:tcpdump/802.1ad_QinQ.pcap	arp.dst.hw_mac == 00:80:ea:5a:fb:3f
# ---- ip
samples/tcp-lossy.pcap	ip.src == 10.99.0.2 && tcp.len > 1000 && frame.number < 20
samples/tcp-lossy.pcap	ip.dst == 10.99.0.2 && frame.number < 12
samples/tcp-lossy.pcap	ip.addr == 10.99.0.1 && frame.number < 5
samples/tcp-lossy.pcap	ip.addr == 10.0.0.0/8 && frame.number < 5
samples/tcp-lossy.pcap	ip.addr == 10.99.0.0/16 && frame.number > 415
samples/tcp-lossy.pcap	ip.src == 10.99.0.2/32 && frame.number > 415
samples/tcp-lossy.pcap	ip.src != 10.99.0.2 && frame.number < 12
samples/tcp-lossy.pcap	ip.addr != 10.99.0.2
samples/tcp-lossy.pcap	ip.addr ~= 10.99.0.2 && frame.number < 4
samples/tcp-lossy.pcap	ip.addr !== 10.99.0.2 && frame.number < 4
samples/tcp-lossy.pcap	ip.addr === 10.99.0.2
samples/tcp-lossy.pcap	all ip.addr == 10.99.0.2
samples/tcp-lossy.pcap	any ip.addr == 10.99.0.1 && frame.number < 3
samples/tcp-lossy.pcap	ip.src in {10.99.0.1, 192.168.0.0/16} && frame.number < 10
samples/tcp-lossy.pcap	ip.src > 10.99.0.1 && frame.number < 10
samples/tcp-lossy.pcap	ip.src[3] == 02 && frame.number < 10
samples/tcp-lossy.pcap	ip.src[0:2] == 0a:63 && frame.number < 3
samples/tcp-lossy.pcap	ip.src == ip.dst
samples/tcp-lossy.pcap	ip.src_host == "10.99.0.2" && frame.number < 10
samples/tcp-lossy.pcap	ip.host contains ".0.1" && frame.number < 3
samples/tcp-lossy.pcap	ip.ttl == 64 && frame.number < 5
samples/tcp-lossy.pcap	ip.proto == 6 && frame.number < 3
samples/tcp-lossy.pcap	ip.proto == TCP && frame.number < 3
samples/tcp-lossy.pcap	ip.proto == "tcp" && frame.number < 3
samples/tcp-lossy.pcap	ip.flags.df == True && frame.number < 4
samples/tcp-lossy.pcap	ip.flags.df == TRUE && frame.number < 4
samples/tcp-lossy.pcap	ip.flags.df == False
samples/tcp-lossy.pcap	ip.flags.df == 0
samples/tcp-lossy.pcap	ip.flags & 0x02 && frame.number < 3
samples/tcp-lossy.pcap	ip.len > 1400 && frame.number < 20
samples/tcp-lossy.pcap	ip.hdr_len == 20 && frame.number == 7
samples/tcp-lossy.pcap	ip.dsfield == 0 && frame.number < 3
samples/tcp-lossy.pcap	ip.id == 0x0000
samples/tcp-lossy.pcap	ip.id >= 0xfff0
samples/icmp-ping.pcap	ip.id & 0x8000
samples/icmp-ping.pcap	ip
samples/icmp-ping.pcap	!ip
samples/ipv4-frag-udp.pcap	ip.flags.mf == 1
samples/ipv4-frag-udp.pcap	ip.frag_offset > 0
samples/ipv4-frag-udp.pcap	ip.frag_offset == 0 && ip.flags.mf == 0
samples/ipv4-frag-udp.pcap	ip.reassembled_in
samples/ipv4-frag-udp.pcap	ip.fragment == 1
samples/ipv4-frag-udp.pcap	ip.fragment.count == 3
samples/ipv4-frag-udp.pcap	ip.reassembled.length > 3000
samples/ipv4-frag-udp.pcap	udp
samples/ipv4-frag-udp.pcap	icmp
samples/ipv4-frag-udp.pcap	data
samples/ipv4-frag-udp.pcap	data.len > 1000
# ---- ipv6
samples/ipv6-ping.pcap	ipv6
samples/ipv6-ping.pcap	ipv6.addr == ::1
samples/ipv6-ping.pcap	ipv6.src == ::1/128
samples/ipv6-ping.pcap	ipv6.src == ::/64
samples/ipv6-ping.pcap	ipv6.dst == 0:0:0:0:0:0:0:1
samples/ipv6-ping.pcap	ipv6.addr == fe80::/10
samples/ipv6-ping.pcap	ipv6.addr != ::1
samples/ipv6-ping.pcap	ipv6.src == ipv6.dst
samples/ipv6-ping.pcap	ipv6.nxt == 58
samples/ipv6-ping.pcap	ipv6.nxt == "ICMPv6"
samples/ipv6-ping.pcap	ipv6.hlim == 64
samples/ipv6-ping.pcap	ipv6.plen == 64
samples/ipv6-ping.pcap	ipv6.flow > 0
samples/ipv6-ping.pcap	ipv6.src_host == "::1"
samples/ipv6-ping.pcap	ipv6.src[15] == 01
samples/ipv6-ping.pcap	ipv6.src[0:15] == 00:00:00:00:00:00:00:00:00:00:00:00:00:00:00
samples/ipv6-frag-udp.pcap	ipv6.fraghdr
samples/ipv6-frag-udp.pcap	ipv6.fraghdr.more == 1
samples/ipv6-frag-udp.pcap	ipv6.fraghdr.offset > 0
samples/ipv6-frag-udp.pcap	ipv6.fraghdr.ident == 0x477d042f
samples/ipv6-frag-udp.pcap	ipv6.fraghdr.nxt == 58
samples/ipv6-frag-udp.pcap	ipv6.reassembled.in
samples/ipv6-frag-udp.pcap	ipv6.fragment.count == 3
samples/ipv6-frag-udp.pcap	icmpv6 || udp
shared:zeek/linux_dlt_sll2.pcap	ipv6.addr == fe80::8c36:6ff:fe44:acaf
shared:zeek/linux_dlt_sll2.pcap	ipv6.src == fe80::/64
shared:zeek/linux_dlt_sll2.pcap	ipv6.src == fe80::/10 && icmpv6.type == 129
# ---- icmp, icmpv6
samples/icmp-ping.pcap	icmp.type == 8
samples/icmp-ping.pcap	icmp.type == 0
samples/icmp-ping.pcap	icmp.type in {0, 8}
samples/icmp-ping.pcap	icmp.code == 0
samples/icmp-ping.pcap	icmp.seq == 2
samples/icmp-ping.pcap	icmp.seq >= 3
samples/icmp-ping.pcap	icmp.ident == 0x17c7
samples/icmp-ping.pcap	icmp.resp_to
samples/icmp-ping.pcap	icmp.resp_to == 3
samples/icmp-ping.pcap	icmp.checksum > 0x8000
samples/icmp-ping.pcap	icmp.data_time
samples/icmp-ping.pcap	data.data contains "0123"
samples/icmp-ping.pcap	data.data[0:4] == 10:11:12:13
samples/icmp-ping.pcap	len(data.data) == 48
samples/icmp-ping.pcap	data.len == 48
samples/ipv6-ping.pcap	icmpv6.type == 128
samples/ipv6-ping.pcap	icmpv6.type == 129
samples/ipv6-ping.pcap	icmpv6.echo.sequence_number == 2
samples/ipv6-ping.pcap	icmpv6.echo.identifier > 0
samples/ipv6-ping.pcap	icmpv6.resp_to == 1
samples/ipv6-ping.pcap	icmpv6.code == 0 && icmpv6.type != 128
samples/ipv4-frag-udp.pcap	icmp.type == 8
# ---- tcp
samples/tcp-multi.pcap	tcp.port == 38667 && frame.number < 4
samples/tcp-multi.pcap	tcp.srcport == 38667
samples/tcp-multi.pcap	tcp.dstport == 38667 && tcp.flags.syn == 1
samples/tcp-multi.pcap	tcp.port != 38667
samples/tcp-multi.pcap	tcp.port in {44465, 42506}
samples/tcp-multi.pcap	tcp.port in {40000..43000}
samples/tcp-multi.pcap	tcp.port not in {44465}
samples/tcp-multi.pcap	tcp.srcport > tcp.dstport
samples/tcp-multi.pcap	tcp.srcport == tcp.dstport
samples/tcp-multi.pcap	tcp.flags.syn == 1
samples/tcp-multi.pcap	tcp.flags.syn == 1 and tcp.flags.ack == 0
samples/tcp-multi.pcap	tcp.flags.fin == 1
samples/tcp-multi.pcap	tcp.flags.push == 1
samples/tcp-multi.pcap	tcp.flags == 0x012
samples/tcp-multi.pcap	tcp.flags == 0x0011
samples/tcp-multi.pcap	tcp.flags & 0x02
samples/tcp-multi.pcap	tcp.flags & 0x12 == 0x12
samples/tcp-multi.pcap	tcp.flags & 0x01 != 0
samples/tcp-multi.pcap	tcp.flags.str contains "F"
samples/tcp-multi.pcap	tcp.flags.str == "·······A···F"
samples/tcp-multi.pcap	tcp.flags.str matches "S$"
samples/tcp-multi.pcap	tcp.seq == 1 && tcp.ack == 1
samples/tcp-multi.pcap	tcp.ack == 108
samples/tcp-multi.pcap	tcp.seq > 200
samples/tcp-multi.pcap	tcp.nxtseq == 222
samples/tcp-multi.pcap	tcp.len > 0
samples/tcp-multi.pcap	tcp.len == 0 && tcp.flags.fin == 0
samples/tcp-multi.pcap	tcp.stream == 1
samples/tcp-multi.pcap	tcp.stream in {0, 3}
samples/tcp-multi.pcap	tcp.window_size_value > 65000
samples/tcp-multi.pcap	tcp.window_size >= 65536
samples/tcp-multi.pcap	tcp.hdr_len == 40
samples/tcp-multi.pcap	tcp.options.mss_val == 1460
samples/tcp-multi.pcap	tcp.options.wscale.shift == 10
samples/tcp-multi.pcap	tcp.options.timestamp.tsval > 3000000000
samples/tcp-multi.pcap	tcp.option_kind == 4
samples/tcp-multi.pcap	tcp.payload contains "GET"
samples/tcp-multi.pcap	tcp.payload contains 47:45:54:20
samples/tcp-multi.pcap	tcp.payload[0:4] == "HTTP"
samples/tcp-multi.pcap	tcp.payload matches "^get /hello"
samples/tcp-multi.pcap	tcp.payload matches "(?-i)^get /hello"
samples/tcp-multi.pcap	len(tcp.payload) > 100
samples/tcp-multi.pcap	tcp contains "hello"
samples/tcp-multi.pcap	tcp[13] == 12
samples/tcp-multi.pcap	tcp[0:2] == 97:0b
samples/tcp-multi.pcap	tcp.checksum.status == 2 && frame.number < 3
samples/tcp-multi.pcap	tcp.segment	=	http
samples/tcp-multi.pcap	tcp.reassembled_in
samples/tcp-multi.pcap	tcp.reassembled.length == 221	=	http
samples/tcp-multi.pcap	tcp.analysis.acks_frame == 4
samples/tcp-multi.pcap	tcp.analysis.ack_rtt > 0.005
samples/tcp-multi.pcap	tcp.analysis.initial_rtt
samples/tcp-multi.pcap	tcp.analysis.bytes_in_flight > 100
samples/tcp-reset.pcap	tcp.flags.reset == 1
samples/tcp-reset.pcap	tcp.flags.reset == True
samples/tcp-reset.pcap	tcp.flags.str contains "R"
samples/tcp-lossy.pcap	tcp.analysis.retransmission
samples/tcp-lossy.pcap	tcp.analysis.fast_retransmission
samples/tcp-lossy.pcap	tcp.analysis.spurious_retransmission
samples/tcp-lossy.pcap	tcp.analysis.out_of_order
samples/tcp-lossy.pcap	tcp.analysis.lost_segment
samples/tcp-lossy.pcap	tcp.analysis.ack_lost_segment
samples/tcp-lossy.pcap	tcp.analysis.duplicate_ack
samples/tcp-lossy.pcap	tcp.analysis.duplicate_ack_num == 2
samples/tcp-lossy.pcap	tcp.analysis.duplicate_ack_frame == 33
samples/tcp-lossy.pcap	tcp.analysis.window_update
samples/tcp-lossy.pcap	tcp.analysis.window_full
samples/tcp-lossy.pcap	tcp.analysis.zero_window
samples/tcp-lossy.pcap	tcp.analysis.keep_alive
samples/tcp-lossy.pcap	tcp.analysis.flags && !tcp.analysis.window_update
samples/tcp-lossy.pcap	tcp.analysis.retransmission || tcp.analysis.fast_retransmission
samples/tcp-lossy.pcap	tcp.options.sack_le > 0 && frame.number < 40
samples/tcp-lossy.pcap	tcp.options.sack.count == 2
samples/tcp-lossy.pcap	tcp.len == 1448 && !tcp.analysis
samples/http-ipv6.pcap	tcp.port == 53257 && ipv6.src == ::1 && frame.number < 6
samples/http-ipv6.pcap	tcp.flags.syn == 1 || tcp.flags.fin == 1
samples/http-ipv6.pcap	tcp.payload contains "200 OK"
shared:zeek/vlan-pcp-dei.pcapng	tcp.analysis.retransmission
shared:zeek/vlan-pcp-dei.pcapng	tcp.flags.syn == 1 && vlan.priority == 5
# ---- udp
samples/dns-udp.pcap	udp
samples/dns-udp.pcap	udp.port == 53
samples/dns-udp.pcap	udp.port != 53
samples/dns-udp.pcap	udp.port ~= 53
samples/dns-udp.pcap	udp.port === 53
samples/dns-udp.pcap	udp.port all_eq 53
samples/dns-udp.pcap	udp.port any_ne 53
samples/dns-udp.pcap	udp.srcport == 53
samples/dns-udp.pcap	udp.dstport > 1024
samples/dns-udp.pcap	udp.length > 70
samples/dns-udp.pcap	udp.length & 0x40
samples/dns-udp.pcap	{udp.length & 0x40} == 0x40
samples/dns-udp.pcap	udp.stream == 1
samples/dns-udp.pcap	udp.checksum.status == "Unverified"
samples/dns-udp.pcap	udp.payload contains "example"
samples/dns-udp.pcap	udp.payload contains "\x07example\x04test"
samples/dns-udp.pcap	udp.payload contains "\007example\004test"
samples/dns-udp.pcap	udp.payload[0:2] == 72:1c
samples/dns-udp.pcap	udp.payload[0:2] == 721c
samples/dns-udp.pcap	udp.payload[0:2] == 72.1c
samples/dns-udp.pcap	udp.payload[0:2] == 72-1c
samples/dns-udp.pcap	udp.payload[0:2] == "\x72\x1c"
samples/dns-udp.pcap	udp.payload[2:1] == 81
samples/dns-udp.pcap	udp.payload[0:2,3:1] == ec:ba:20
samples/dns-udp.pcap	udp.payload[40:1000] == 00
samples/dns-udp.pcap	udp.payload > 80
samples/dns-udp.pcap	udp.payload[0:2] > 73
samples/dns-udp.pcap	udp.payload[0:2] < 00:00:00
samples/dns-udp.pcap	udp.payload matches "ex.mple"
samples/dns-udp.pcap	udp matches "ex.mple"
samples/dns-udp.pcap	udp[0:2] == 00:35
samples/dns-udp.pcap	len(udp.payload) > 60
samples/dns-udp.pcap	len(udp.port) == 2
samples/dns-udp.pcap	count(udp.port) == 2
samples/dns-udp.pcap	string(udp.srcport) == "53"
samples/dns-udp.pcap	string(udp.srcport) matches "^4"
samples/dns-udp.pcap	udp.srcport == 'e'
samples/dns-udp.pcap	tcp.port != 80
samples/dns-udp.pcap	!(tcp.port == 80)
samples/dns-udp.pcap	tcp.port not in {80}
samples/dns-udp.pcap	!tcp
samples/dns-udp.pcap	udp and not tcp and ip
samples/dns-udp.pcap	udp && ip.ttl == 64
samples/ipv6-frag-udp.pcap	udp.length == 4008
samples/ipv6-frag-udp.pcap	udp.srcport == 37443 || icmpv6
samples/ipv4-frag-udp.pcap	udp.port == udp.srcport
# ---- more operators and literal forms
samples/icmp-ping.pcap	frame.protocols ~ "icmp:data$"
samples/icmp-ping.pcap	icmp.seq any_eq 4
samples/icmp-ping.pcap	icmp.seq all_ne 4
samples/icmp-ping.pcap	icmp.type eq 8 and icmp.seq lt 3
samples/icmp-ping.pcap	frame.protocols == r"eth:ethertype:ip:icmp:data"
samples/icmp-ping.pcap	data.data contains "\x21\x22"
samples/icmp-ping.pcap	icmp.resptime > 0.01
samples/icmp-ping.pcap	icmp.resptime < 1
samples/icmp-ping.pcap	icmp.data_time_relative > 0
samples/icmp-ping.pcap	frame.time_epoch >= 1795001528
samples/icmp-ping.pcap	ip.src_host matches "^127\\."
samples/icmp-ping.pcap	ip.dst == 127.0.0.0/8 and not ip.src == 10.0.0.0/8
samples/ipv6-ping.pcap	ipv6.host == "::1"
samples/ipv6-ping.pcap	ipv6.src in {::1, fe80::/10}
samples/ipv6-ping.pcap	ipv6.addr > ::
samples/tcp-multi.pcap	tcp.window_size_scalefactor == 1024
samples/tcp-multi.pcap	tcp.flags.ack == 0 || tcp.flags.syn == 0 && frame.number < 3
samples/tcp-multi.pcap	tcp.stream == 0 && tcp.len > 0 && tcp.srcport == 38667
samples/tcp-multi.pcap	lower(tcp.flags.str) contains "s"
samples/tcp-multi.pcap	upper(tcp.flags.str) == "·······A···F"
samples/tcp-multi.pcap	string(tcp.stream) == "1" || string(tcp.stream) == "3"
samples/tcp-multi.pcap	len(tcp.options) == 20
samples/tcp-multi.pcap	tcp.options.timestamp.tsval == tcp.options.timestamp.tsecr
samples/tcp-lossy.pcap	tcp.analysis.ack_rtt >= 0.001
samples/tcp-lossy.pcap	count(tcp.options.sack_le) >= 2
samples/dns-udp.pcap	udp.payload[-2:] == 00:00
samples/dns-udp.pcap	udp.payload[-1] == 08
samples/dns-udp.pcap	udp.payload[12:] contains "example"
samples/dns-udp.pcap	udp.payload[4-5] == 00:01
samples/dns-udp.pcap	udp.length in {60..80}
samples/dns-udp.pcap	!(udp.srcport in {53}) && !(udp.srcport == 43010)

# ---- HTTP and later protocols: skipped until peel registers them
samples/tcp-multi.pcap	http	=	http
samples/tcp-multi.pcap	http.request	=	http
samples/tcp-multi.pcap	http.request.method == "GET"	=	http
samples/tcp-multi.pcap	http.response.code == 200	=	http
samples/tcp-multi.pcap	http.request.method == "POST" || tcp.analysis.retransmission	=	http
samples/tcp-lossy.pcap	http.request.method == "POST" || tcp.analysis.retransmission	=	http
samples/http-curl.pcap	http.host contains "127.0.0.1"	=	http
samples/http-nginx.pcap	http.request.method == "GET" && http.request.uri contains "page"	=	http
samples/http-nginx.pcap	http.response.code >= 400	=	http
samples/http-nginx.pcap	http.response.code in {200, 304}	=	http
samples/http-nginx.pcap	http.content_type contains "html"	=	http
samples/http-nginx.pcap	http.server matches "^nginx"	=	http
samples/http-nginx.pcap	lower(http.request.method) == "get"	=	http
samples/http-nginx.pcap	http.request.uri.path == "/hello.txt"	=	http
samples/http-nginx.pcap	http.content_length > 100	=	http
samples/http-nginx.pcap	http.user_agent && !http.referer	=	http
samples/http-nginx.pcap	http.response_in	=	http
samples/http-nginx.pcap	http.request_in == 4	=	http
samples/http-nginx.pcap	http.time > 0.001	=	http
samples/http-pipeline.pcap	http.request.method == "HEAD"	=	http
samples/http-pipeline.pcap	count(http.request.method) == 3	=	http
samples/http-pipeline.pcap	http.response.code == 404	=	http
samples/http-pipeline.pcap	http.request.version == "HTTP/1.1" && ipv6.addr == ::1	=	http
samples/http-10.pcap	http.request.version == "HTTP/1.0"	=	http
samples/http-10.pcap	http.file_data contains "html"	=	http
samples/http-big.pcap	http.response && tcp.reassembled.length > 100000	=	http
samples/http-big.pcap	tcp.segment	=	http
samples/http-big.pcap	tcp.reassembled_in	=	http
samples/websocket-plain.pcap	websocket	=	websocket
samples/websocket-plain.pcap	websocket.opcode == 1	=	websocket
samples/websocket-plain.pcap	websocket.opcode in {8, 9, 10}	=	websocket
samples/websocket-plain.pcap	websocket.mask == 1 && websocket.fin == True	=	websocket
samples/websocket-plain.pcap	websocket.payload_length > 100	=	websocket
samples/websocket-plain.pcap	http.upgrade == "websocket"	=	websocket
samples/websocket-plain.pcap	http.response.code == 101	=	websocket
samples/websocket-deflate.pcap	websocket.rsv == 4	=	websocket
samples/websocket-drop.pcap	websocket.opcode == 8	=	websocket
samples/stun-turn-udp.pcap	stun	=	stun
samples/stun-turn-udp.pcap	stun.type == 0x0001	=	stun
samples/stun-turn-udp.pcap	stun.type.class == 2	=	stun
samples/stun-turn-udp.pcap	stun.att.error == 1	=	stun
samples/stun-turn-udp.pcap	stun.att.realm == "peel.test"	=	stun
samples/stun-turn-udp.pcap	stun.att.lifetime > 0	=	stun
samples/stun-turn-udp.pcap	stun.att.ipv4-xord == 5e:12:a4:43	=	stun
samples/stun-turn-udp.pcap	stun.att.ipv4 == 127.0.0.1	=	stun
samples/stun-turn-udp.pcap	stun.att.port-xord > 1024 && stun.type.method == 0x001	=	stun
samples/stun-turn-udp.pcap	stun.response-to	=	stun
samples/stun-turn-tcp.pcap	stun.type.method == 0x003	=	stun
samples/stun-turn-send.pcap	stun.att.software contains "peel"	=	stun
samples/amqp-rabbitmq.pcap	amqp	=	amqp
samples/amqp-rabbitmq.pcap	amqp.type == 1	=	amqp
samples/amqp-rabbitmq.pcap	amqp.method.class == 60	=	amqp
samples/amqp-rabbitmq.pcap	amqp.method.arguments.routing_key contains "peel"	=	amqp
samples/amqp-rabbitmq.pcap	amqp.method.arguments.exchange == ""	=	amqp
samples/http2-nghttp.pcap	http2	=	http2	tcp.port==8080,http2
samples/http2-nghttp.pcap	http2.type == 1	=	http2	tcp.port==8080,http2
samples/http2-nghttp.pcap	http2.headers.path == "/big.txt"	=	http2	tcp.port==8080,http2
samples/http2-nghttp.pcap	http2.headers.status == 200	=	http2	tcp.port==8080,http2
samples/http2-nghttp.pcap	http2.type == 8 && http2.window_update.window_size_increment > 65535	=	http2	tcp.port==8080,http2
samples/http2-nghttp.pcap	http2.streamid == 3 && http2.flags.end_stream == 1	=	http2	tcp.port==8080,http2
samples/grpc-calls.pcap	grpc	=	grpc	tcp.port==50051,http2
samples/grpc-calls.pcap	grpc.message_length > 10	=	grpc	tcp.port==50051,http2
samples/grpc-calls.pcap	http2.headers.path contains "SayHello"	=	grpc	tcp.port==50051,http2
EOF
}

resolve() {
    case "$1" in
    shared:*) echo "$shared/${1#shared:}" ;;
    *) echo "$1" ;;
    esac
}

declare -A known=()
if [[ "${1:-}" != "--all" && -f "$out" ]]; then
    while IFS=$'\t' read -r cap filter frames _; do
        [[ -z "$cap" || "$cap" == \#* ]] && continue
        known["$cap"$'\t'"$filter"]=$frames
    done <"$out"
fi

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
{
    echo "# Display-filter cases: capture, filter, frames tshark 4.0 keeps (- for none), and"
    echo "# optionally the protocol peel needs for the case. Made by tests/make-dfilter-cases.sh;"
    echo "# do not edit by hand."
    n=0
    while IFS=$'\t' read -r cap filter tfilter needs decode; do
        [[ -z "$cap" || "$cap" == \#* ]] && continue
        [[ -z "${tfilter:-}" || "$tfilter" == "=" ]] && tfilter=$filter
        key="$cap"$'\t'"$filter"
        if [[ -n "${known[$key]:-}" ]]; then
            printf '%s\t%s\t%s\t%s\t%s\n' "$cap" "$filter" "${known[$key]}" "${needs:-}" \
                "${decode:-}"
            n=$((n + 1))
            continue
        fi
        path=$(resolve "$cap")
        if [[ ! -f "$path" ]]; then
            echo "make-dfilter-cases: $path is missing" >&2
            exit 1
        fi
        dargs=()
        [[ -n "${decode:-}" ]] && dargs=(-d "$decode")
        frames=$(tshark -r "$path" "${dargs[@]}" -Y "$tfilter" -T fields -e frame.number \
            2>"$tmp" | paste -sd, -) || true
        if grep -qv "Running as user" "$tmp"; then
            echo "make-dfilter-cases: tshark rejects '$tfilter' on $cap:" >&2
            grep -v "Running as user" "$tmp" >&2
            exit 1
        fi
        printf '%s\t%s\t%s\t%s\t%s\n' "$cap" "$filter" "${frames:--}" "${needs:-}" "${decode:-}"
        n=$((n + 1))
    done < <(cases)
    echo "made $n cases" >&2
} >"$out.new"
mv "$out.new" "$out"
