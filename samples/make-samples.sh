#!/usr/bin/env bash
# make-samples.sh - remake peel's sample captures with real programs over loopback.
#
# Usage:
#   samples/make-samples.sh            remake every sample
#   samples/make-samples.sh NAME...    remake only these (e.g. dns-udp http-curl)
#   samples/make-samples.sh --list     list the sample names
#
# Needs root (tcpdump, and a private network namespace) and: tcpdump, ping,
# curl, dig, dnsmasq, /usr/bin/python3, ip, ss, unshare, nsenter and tshark
# (bash tests/setup-debian.sh installs them all).
#
# The script re-runs itself in a new network namespace (unshare --net) whose
# loopback carries nothing but our own traffic, with an MTU of 1500 and GSO
# off, so TCP data comes in Ethernet-sized segments as on a real network. No
# address other than 127.0.0.1 and ::1 is ever contacted, except in
# tcp-lossy: there a client and a server namespace, nested inside the
# script's, talk over 10.99.0.1 and 10.99.0.2 through samples/impair-bridge.py,
# a user-space wire between two TAP devices that drops, duplicates and
# reorders TCP frames.
#
# For each sample it starts the server, polls until it listens, starts
# tcpdump (pcap, filtered to the sample's ports), runs the client, stops
# tcpdump, then writes SAMPLE.pcap and expected/SAMPLE.tsv, tshark's
# reference decode made by shared/tools/oracle.sh (found as
# ${PEEL_SHARED_DIR:-REPO/../shared}; without it, the same tshark command
# line for the groups used here is run directly). Everything the script
# starts is stopped on exit, also on failure.
#
# To add a sample: write a function sample_NAME_WITH_UNDERSCORES, add NAME to
# SAMPLES (here or in the family's samples/samples-FAMILY.sh) and describe it in
# samples/README.md.
set -euo pipefail

SAMPLES=(icmp-ping ipv6-ping http-curl http-ipv6 dns-udp tcp-reset ipv4-frag-udp ipv6-frag-udp
    tcp-lossy tcp-multi)
# oracle.sh groups every reference gets; a sample may add more.
ORACLE_GROUPS=(-g tcp -g link -g ipfrag)
PYTHON=/usr/bin/python3 # Debian's, not a pyenv shim
export PATH="$PATH:/usr/sbin:/sbin"

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
shared=${PEEL_SHARED_DIR:-$repo/../shared}
expected=$here/expected

log() { printf 'make-samples: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'; }

# Each protocol family's samples live in samples/samples-FAMILY.sh: the file adds its
# names to SAMPLES (and tools to TOOLS) and defines their sample_NAME functions, which use
# the helpers below (start_bg, wait_for, capture_start, capture_stop, finish...).
TOOLS=(tcpdump ping curl dig dnsmasq ip ss unshare nsenter tshark "$PYTHON")
for f in "$here"/samples-*.sh; do
    [ -e "$f" ] || continue
    # shellcheck source=/dev/null
    . "$f"
done

# --- arguments --------------------------------------------------------------

names=()
for a in "$@"; do
    case "$a" in
    -h | --help) usage; exit 0 ;;
    --list) printf '%s\n' "${SAMPLES[@]}"; exit 0 ;;
    -*) die "unknown option $a (see --help)" ;;
    *) names+=("$a") ;;
    esac
done
[ ${#names[@]} -gt 0 ] || names=("${SAMPLES[@]}")
for n in "${names[@]}"; do
    printf '%s\n' "${SAMPLES[@]}" | grep -qx -- "$n" || die "no sample '$n' (try --list)"
done

# --- a private network namespace ---------------------------------------------

if [ -z "${PEEL_SAMPLES_IN_NETNS:-}" ]; then
    [ "$(id -u)" -eq 0 ] || die "run as root: tcpdump and the private network namespace need it"
    for t in "${TOOLS[@]}"; do
        command -v "$t" >/dev/null || die "$t not found (bash tests/setup-debian.sh installs it)"
    done
    PEEL_SAMPLES_IN_NETNS=$(readlink /proc/self/ns/net) exec unshare --net -- bash "$0" "${names[@]}"
fi
# never retune the host's own loopback
[ "$(readlink /proc/self/ns/net)" != "$PEEL_SAMPLES_IN_NETNS" ] ||
    die "not in a private network namespace; run the script without PEEL_SAMPLES_IN_NETNS"

ip link set dev lo up mtu 1500 gso_max_size 1500 gso_max_segs 1 ||
    die "cannot set up loopback in the new network namespace"

# --- processes we start, and their end --------------------------------------

tmp=$(mktemp -d "${TMPDIR:-/tmp}/peel-samples.XXXXXX")
declare -A bg_pid=() # role -> pid of everything still running

stop_bg() { # ROLE: stop one background process (TERM, then KILL after 3 s)
    local pid=${bg_pid[$1]:-}
    [ -n "$pid" ] || return 0
    unset "bg_pid[$1]"
    kill -TERM "$pid" 2>/dev/null || return 0
    for _ in $(seq 30); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local rc=$?
    for role in "${!bg_pid[@]}"; do stop_bg "$role"; done
    rm -rf "$tmp"
    [ $rc -eq 0 ] || log "failed (exit $rc); nothing half-made was kept"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_bg() { # ROLE CMD...: start CMD in the background, output to $tmp/ROLE.log
    local role=$1
    shift
    "$@" >"$tmp/$role.log" 2>&1 &
    bg_pid[$role]=$!
}

wait_for() { # WHAT CMD...: poll CMD every 0.1 s for at most 10 s
    local what=$1
    shift
    for _ in $(seq 100); do
        "$@" && return 0
        sleep 0.1
    done
    die "timed out waiting for $what"
}

listening() { # [-n NSROLE] tcp|udp PORT: something listens on PORT (in that namespace)
    local ns=()
    if [ "$1" = -n ]; then
        ns=(nsenter --net="$(ns_path "$2")" --)
        shift 2
    fi
    [ -n "$("${ns[@]}" ss -Hln --"$1" "sport = :$2")" ]
}

free_port() { # ADDR: a free high port, picked at random by the kernel
    "$PYTHON" -c 'import socket, sys
s = socket.socket(socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET)
s.bind((sys.argv[1], 0))
print(s.getsockname()[1])' "$1"
}

# --- nested network namespaces -------------------------------------------------
# A namespace is held by a background "sleep" started in it (role ns-NAME), so
# the trap removes it with everything else; nothing is mounted under /run/netns.

ns_start() { # NSROLE: a new network namespace, nested in the script's, lo up
    start_bg "$1" unshare --net sleep infinity
    wait_for "namespace $1" ns_differs "${bg_pid[$1]}" "$(readlink /proc/self/ns/net)"
    in_ns "$1" ip link set dev lo up
}

ns_differs() { # PID NS: process PID has left network namespace NS (unshare is done)
    local n
    n=$(readlink "/proc/$1/ns/net" 2>/dev/null) && [ "$n" != "$2" ]
}

ns_path() { # NSROLE: the namespace's file, for nsenter --net= and ip link ... netns
    [ -n "${bg_pid[$1]:-}" ] || die "no namespace $1"
    printf '/proc/%s/ns/net\n' "${bg_pid[$1]}"
}

in_ns() { # NSROLE CMD...: run CMD in the namespace (nsenter execs it: start_bg gets its pid)
    local path
    path=$(ns_path "$1")
    shift
    nsenter --net="$path" -- "$@"
}

# --- capture -------------------------------------------------------------------

cap_name=""
cap_count=""
cap_iface=""

# [-n NSROLE] [-i IFACE] NAME FILTER [COUNT]: tcpdump on IFACE (default lo, in
# the script's namespace) until COUNT packets or capture_stop
capture_start() {
    local ns=()
    cap_iface=lo
    while [ $# -gt 0 ]; do
        case "$1" in
        -n) ns=(nsenter --net="$(ns_path "$2")" --) ;;
        -i) cap_iface=$2 ;;
        *) break ;;
        esac
        shift 2
    done
    cap_name=$1
    cap_count=${3:-}
    # Not --immediate-mode: with the default 256 KiB snaplen its ring holds
    # only a few packets and drops bursts; packets then come within 1 s.
    local args=(-i "$cap_iface" -n -U -Z root -w "$tmp/$cap_name.pcap")
    [ -z "$cap_count" ] || args+=(-c "$cap_count")
    start_bg tcpdump "${ns[@]}" tcpdump "${args[@]}" "$2"
    wait_for "tcpdump to listen" grep -q 'listening on' "$tmp/tcpdump.log"
}

capture_stop() { # let the last packets in, stop tcpdump, check it missed none
    local pid=${bg_pid[tcpdump]} waited=0
    # a counted capture ends by itself; otherwise wait 1.5 s for the kernel
    # to hand over its last block of packets (tcpdump's 1 s buffer timeout)
    while kill -0 "$pid" 2>/dev/null && [ $waited -lt 50 ]; do
        [ -n "$cap_count" ] || [ $waited -lt 15 ] || break
        sleep 0.1
        waited=$((waited + 1))
    done
    kill -INT "$pid" 2>/dev/null || true
    wait "$pid" || true
    unset "bg_pid[tcpdump]"
    local log=$tmp/tcpdump.log got seen dropped
    got=$(sed -n 's/^\([0-9]*\) packets\{0,1\} captured$/\1/p' "$log")
    seen=$(sed -n 's/^\([0-9]*\) packets\{0,1\} received by filter$/\1/p' "$log")
    dropped=$(sed -n 's/^\([0-9]*\) packets\{0,1\} dropped by kernel$/\1/p' "$log")
    [ -n "$got" ] && [ -n "$seen" ] || die "$cap_name: tcpdump failed: $(cat "$log")"
    [ "$dropped" = 0 ] || die "$cap_name: the kernel dropped $dropped packets"
    if [ -n "$cap_count" ]; then
        [ "$got" = "$cap_count" ] || die "$cap_name: expected $cap_count packets, captured $got"
    elif [ "$cap_iface" != lo ]; then
        [ "$got" -eq "$seen" ] || die "$cap_name: tcpdump kept $got packets of the $seen that matched"
    else
        # The filter sees each loopback packet twice (out and in) and libpcap
        # keeps one copy, so fewer than half means tcpdump was stopped early.
        [ $((2 * got)) -eq "$seen" ] ||
            die "$cap_name: tcpdump kept $got packets of the $((seen / 2)) that matched"
    fi
    log "$cap_name: $got packets"
}

# --- tshark reference ---------------------------------------------------------

oracle_builtin() { # [-g GROUP]... CAPTURE: oracle.sh's command line, for our groups only
    local fields=(frame.number frame.len _ws.col.Protocol ip.src ip.dst ipv6.src ipv6.dst
        tcp.srcport tcp.dstport udp.srcport udp.dstport _ws.col.Info)
    while [ "$1" = -g ]; do
        case "$2" in
        tcp) fields+=(tcp.stream tcp.seq tcp.ack tcp.flags.str tcp.len tcp.window_size_value
            tcp.window_size tcp.analysis.retransmission tcp.analysis.fast_retransmission
            tcp.analysis.spurious_retransmission tcp.analysis.out_of_order
            tcp.analysis.lost_segment tcp.analysis.duplicate_ack tcp.analysis.zero_window
            tcp.analysis.zero_window_probe tcp.analysis.window_full tcp.analysis.window_update
            tcp.analysis.keep_alive) ;;
        ipfrag) fields+=(ip.id ip.flags.df ip.flags.mf ip.frag_offset ip.reassembled_in
            ipv6.fraghdr.ident ipv6.fraghdr.offset ipv6.fraghdr.more ipv6.reassembled.in) ;;
        link) fields+=(frame.encap_type frame.cap_len eth.src eth.dst eth.type vlan.id vlan.etype
            ieee8021ad.id sll.pkttype sll.ltype sll.ifindex null.family) ;;
        *) die "group '$2' needs shared/tools/oracle.sh (set PEEL_SHARED_DIR)" ;;
        esac
        shift 2
    done
    local args=(-n -r "$1" -T fields -E header=y -E separator=/t) f
    for f in "${fields[@]}"; do args+=(-e "$f"); done
    mkdir -p "$tmp/wsconf"
    WIRESHARK_CONFIG_DIR="$tmp/wsconf" tshark "${args[@]}" 2> >(grep -v 'Running as user "root"' >&2)
}

finish() { # NAME [ORACLE ARGS...]: keep the capture, write its reference
    local name=$1
    shift
    local ref=$tmp/$name.tsv
    if [ -f "$shared/tools/oracle.sh" ]; then
        bash "$shared/tools/oracle.sh" "${ORACLE_GROUPS[@]}" "$@" "$tmp/$name.pcap" >"$ref"
    else
        oracle_builtin "${ORACLE_GROUPS[@]}" "$@" "$tmp/$name.pcap" >"$ref"
    fi
    mkdir -p "$expected"
    mv "$tmp/$name.pcap" "$here/$name.pcap"
    mv "$ref" "$expected/$name.tsv"
    log "$name: wrote samples/$name.pcap ($(stat -c %s "$here/$name.pcap") bytes)" \
        "and samples/expected/$name.tsv"
}

# --- the samples ---------------------------------------------------------------

sample_icmp_ping() {
    capture_start icmp-ping 'icmp[icmptype] == icmp-echo or icmp[icmptype] == icmp-echoreply' 8
    ping -n -c 4 -i 0.2 127.0.0.1 >"$tmp/ping.log"
    capture_stop
    finish icmp-ping
}

sample_ipv6_ping() {
    capture_start ipv6-ping \
        'icmp6[icmp6type] == icmp6-echo or icmp6[icmp6type] == icmp6-echoreply' 6
    ping -6 -n -c 3 -i 0.2 ::1 >"$tmp/ping.log"
    capture_stop
    finish ipv6-ping
}

make_www() { # a small directory with fixed content and fixed modification times
    local www=$tmp/www
    [ -d "$www" ] && return 0
    mkdir -p "$www"
    printf 'Hello from the peel sample server.\n' >"$www/hello.txt"
    # about 200 and 300 KiB of numbered lines, so the response spans many TCP segments
    local kib
    for kib in big:200 lossy:300; do
        "$PYTHON" -c 'import sys
line = "%06d the quick brown fox jumps over the lazy dog, peel sample body\n"
out = "".join(line % i for i in range(1, int(sys.argv[1]) * 1024 // len(line % 0) + 1))
sys.stdout.write(out)' "${kib#*:}" >"$www/${kib%:*}.txt"
    done
    touch -d '2024-01-01 00:00:00 UTC' "$www/hello.txt" "$www/big.txt" "$www/lossy.txt"
}

http_sample() { # NAME ADDR URLHOST: two GETs on one HTTP/1.1 connection
    local name=$1 addr=$2 urlhost=$3 port
    make_www
    port=$(free_port "$addr")
    start_bg http-server "$PYTHON" -m http.server "$port" --bind "$addr" \
        --protocol HTTP/1.1 --directory "$tmp/www"
    wait_for "http.server on port $port" listening tcp "$port"
    capture_start "$name" "tcp port $port"
    local base="http://$urlhost:$port" out
    out=$(curl -q -sS --noproxy '*' --http1.1 --max-time 20 -w '%{http_code} %{num_connects}\n' \
        -o /dev/null "$base/hello.txt" -o /dev/null "$base/big.txt")
    capture_stop
    stop_bg http-server
    [ "$(tr '\n' ' ' <<<"$out")" = "200 1 200 0 " ] ||
        die "$name: expected two 200 responses on one connection, curl said: $out"
    finish "$name"
}

sample_http_curl() { http_sample http-curl 127.0.0.1 127.0.0.1; }
sample_http_ipv6() { http_sample http-ipv6 ::1 '[::1]'; }

sample_dns_udp() {
    # Port 53, which tshark (and peel) decode as DNS; the namespace has it free.
    start_bg dnsmasq dnsmasq --no-daemon --conf-file=/dev/null --pid-file --port=53 \
        --listen-address=127.0.0.1 --bind-interfaces --no-resolv --no-hosts \
        --user=nobody --group=nogroup --address=/example.test/127.0.0.2 \
        --address=/example.test/::2
    wait_for "dnsmasq on port 53" listening udp 53
    capture_start dns-udp 'udp port 53' 4
    local a aaaa
    a=$(dig @127.0.0.1 -p 53 +tries=1 +time=3 +short example.test A)
    aaaa=$(dig @127.0.0.1 -p 53 +tries=1 +time=3 +short example.test AAAA)
    capture_stop
    stop_bg dnsmasq
    [ "$a" = 127.0.0.2 ] && [ "$aaaa" = ::2 ] || die "dns-udp: unexpected answers '$a' '$aaaa'"
    finish dns-udp
}

sample_tcp_reset() {
    local port rc=0
    port=$(free_port 127.0.0.1) # free, and nobody listens on it
    capture_start tcp-reset "tcp port $port" 2
    curl -q -sS --noproxy '*' --max-time 5 -o /dev/null "http://127.0.0.1:$port/" \
        2>"$tmp/curl.log" || rc=$?
    capture_stop
    [ $rc -eq 7 ] || die "tcp-reset: curl should fail to connect (exit 7), exit was $rc"
    finish tcp-reset
}

# A UDP echo server (echo ADDR PORT) and client (send ADDR PORT SIZE): the
# client sends one datagram of SIZE bytes of numbered text lines and checks
# that the same comes back within 5 s.
UDP_TOOL='import socket, sys
mode, addr, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
s = socket.socket(socket.AF_INET6 if ":" in addr else socket.AF_INET, socket.SOCK_DGRAM)
if mode == "echo":
    s.bind((addr, port))
    while True:
        data, peer = s.recvfrom(65535)
        s.sendto(data, peer)
size = int(sys.argv[4])
line = "%05d peel sample datagram, fragmented by the sender\n"
data = "".join(line % i for i in range(size // len(line % 0) + 1)).encode()[:size]
s.settimeout(5)
s.sendto(data, (addr, port))
if s.recvfrom(65535)[0] != data:
    sys.exit("the echo differs from the datagram sent")'

frames_matching() { # CAPTURE FILTER: how many frames of CAPTURE tshark's FILTER matches
    mkdir -p "$tmp/wsconf"
    WIRESHARK_CONFIG_DIR="$tmp/wsconf" tshark -n -r "$1" -Y "$2" -T fields -e frame.number \
        2> >(grep -v 'Running as user "root"' >&2) | wc -l
}

# NAME ADDR: a 4000-byte UDP datagram to a UDP echo server on ADDR and back,
# then two 3000-byte pings: six datagrams, each sent in three fragments
# because the loopback's MTU is 1500.
frag_sample() {
    local name=$1 addr=$2 port n ping=(ping -n) filter='udp or icmp' more='ip.flags.mf == 1'
    if [[ $addr == *:* ]]; then
        ping=(ping -6 -n)
        filter='udp or icmp6' # libpcap looks past one fragment header
        more='ipv6.fraghdr.more == 1'
    fi
    port=$(free_port "$addr")
    start_bg udp-echo "$PYTHON" -c "$UDP_TOOL" echo "$addr" "$port"
    wait_for "UDP echo server on port $port" listening udp "$port"
    capture_start "$name" "$filter" 18
    "$PYTHON" -c "$UDP_TOOL" send "$addr" "$port" 4000 || die "$name: UDP echo failed"
    "${ping[@]}" -c 2 -i 0.2 -s 3000 "$addr" >"$tmp/ping.log" ||
        die "$name: ping failed: $(cat "$tmp/ping.log")"
    capture_stop
    stop_bg udp-echo
    n=$(frames_matching "$tmp/$name.pcap" "$more")
    [ "$n" -eq 12 ] ||
        die "$name: expected 12 fragments with more to follow ($more), the capture has $n"
    log "$name: $n frames match $more"
    finish "$name"
}

sample_ipv4_frag_udp() { frag_sample ipv4-frag-udp 127.0.0.1; }
sample_ipv6_frag_udp() { frag_sample ipv6-frag-udp ::1; }

LOSSY_SEED=20240101 # impair-bridge.py's random seed for tcp-lossy

lossy_side() { # NSROLE TAP MAC ADDR: move the bridge's TAP into the namespace, address it
    ip link set dev "$2" address "$3" netns "${bg_pid[$1]}"
    in_ns "$1" sysctl -qw "net.ipv6.conf.$2.disable_ipv6=1" # no neighbour discovery chatter
    in_ns "$1" ip addr add "$4/24" dev "$2"
    in_ns "$1" ip link set dev "$2" up
}

sample_tcp_lossy() {
    # client namespace: peel-c0 10.99.0.1 <- impair-bridge.py -> peel-s0 10.99.0.2: server
    local name=tcp-lossy port out want size n_re n_ooo n_dup n_all
    make_www
    size=$(stat -c %s "$tmp/www/lossy.txt")
    port=$(free_port 127.0.0.1)
    ns_start ns-client
    ns_start ns-server
    start_bg bridge "$PYTHON" "$here/impair-bridge.py" --seed "$LOSSY_SEED" \
        --drop 0.02 --delay 0.03 --dup 0.01 --hold 3 --hold-ms 20 peel-c0 peel-s0
    wait_for "impair-bridge.py" grep -qx ready "$tmp/bridge.log"
    lossy_side ns-client peel-c0 02:00:0a:63:00:01 10.99.0.1
    lossy_side ns-server peel-s0 02:00:0a:63:00:02 10.99.0.2
    start_bg http-server nsenter --net="$(ns_path ns-server)" -- "$PYTHON" -m http.server \
        "$port" --bind 10.99.0.2 --protocol HTTP/1.1 --directory "$tmp/www"
    wait_for "http.server on 10.99.0.2 port $port" listening -n ns-server tcp "$port"
    capture_start -n ns-client -i peel-c0 "$name" "tcp port $port"
    out=$(in_ns ns-client curl -q -sS --noproxy '*' --http1.1 --max-time 60 \
        -w '%{http_code} %{size_download}' -o "$tmp/lossy.out" "http://10.99.0.2:$port/lossy.txt")
    capture_stop
    stop_bg http-server
    stop_bg bridge
    log "$name: impair-bridge.py: $(tail -1 "$tmp/bridge.log")"
    stop_bg ns-client
    stop_bg ns-server
    [ "$out" = "200 $size" ] && cmp -s "$tmp/lossy.out" "$tmp/www/lossy.txt" ||
        die "$name: expected a 200 response of $size bytes, curl said: $out"
    want='tcp.analysis.retransmission || tcp.analysis.out_of_order || tcp.analysis.duplicate_ack'
    n_re=$(frames_matching "$tmp/$name.pcap" tcp.analysis.retransmission)
    n_ooo=$(frames_matching "$tmp/$name.pcap" tcp.analysis.out_of_order)
    n_dup=$(frames_matching "$tmp/$name.pcap" tcp.analysis.duplicate_ack)
    n_all=$(frames_matching "$tmp/$name.pcap" "$want")
    log "$name: tshark: $n_re retransmissions, $n_ooo out of order, $n_dup duplicate ACKs"
    [ "$n_re" -ge 1 ] && [ "$n_ooo" -ge 1 ] && [ "$n_dup" -ge 1 ] && [ "$n_all" -ge 5 ] ||
        die "$name: too few impaired frames in the capture ($want: $n_all)"
    [ "$(stat -c %s "$tmp/$name.pcap")" -lt 1000000 ] || die "$name: capture larger than 1 MB"
    finish "$name"
}

# ARGS...: one curl run that closes after the server: "Connection: close"
# makes the server close after its response, and --ignore-content-length
# makes curl read until then, so the server's FIN always comes first, the
# TIME_WAIT state is on the server's side and the client's port is free
# again at once. Prints "STATUS LOCALPORT ".
multi_get() {
    curl -q -sS --noproxy '*' --http1.1 --max-time 10 -H 'Connection: close' \
        --ignore-content-length -w '%{http_code} %{local_port} ' -o /dev/null "$@"
}

sample_tcp_multi() {
    local name=tcp-multi port cport base out
    make_www
    port=$(free_port 127.0.0.1)
    cport=$(free_port 127.0.0.1)
    [ "$cport" != "$port" ] || cport=$(free_port 127.0.0.1)
    start_bg http-server "$PYTHON" -m http.server "$port" --bind 127.0.0.1 \
        --protocol HTTP/1.1 --directory "$tmp/www"
    wait_for "http.server on port $port" listening tcp "$port"
    capture_start "$name" "tcp port $port"
    base=http://127.0.0.1:$port
    # four connections; the last reuses the first one's client port
    out=$(multi_get --local-port "$cport" "$base/hello.txt")
    out+=$(multi_get "$base/hello.txt")
    out+=$(multi_get "$base/missing.txt")
    [ -z "$(ss -Htan "sport = :$cport")" ] ||
        die "$name: client port $cport still in use: $(ss -Htan "sport = :$cport")"
    out+=$(multi_get --local-port "$cport" "$base/hello.txt")
    capture_stop
    stop_bg http-server
    [[ "$out" =~ ^"200 $cport 200 "[0-9]+" 404 "[0-9]+" 200 $cport "$ ]] ||
        die "$name: expected 200, 200, 404, 200 with port $cport first and last, curl said: $out"
    finish "$name"
}

# --- main ----------------------------------------------------------------------

log "tools: $(tcpdump --version 2>&1 | head -2 | tr '\n' ' ')"
log "tools: $(ping -V 2>&1 | head -1); $(curl --version | head -1 | cut -d' ' -f1-2);" \
    "$("$PYTHON" --version); $(dnsmasq --version | head -1 | cut -d' ' -f1-3);" \
    "DiG $(dig -v 2>&1 | cut -d' ' -f2); $(tshark --version 2>/dev/null | head -1)"
[ -f "$shared/tools/oracle.sh" ] || log "no $shared/tools/oracle.sh: running tshark directly"

for n in "${names[@]}"; do
    "sample_${n//-/_}"
done
log "done: ${names[*]}"
