#!/usr/bin/env bash
# make-samples.sh - remake peel's sample captures with real programs over loopback.
#
# Usage:
#   samples/make-samples.sh            remake every sample
#   samples/make-samples.sh NAME...    remake only these (e.g. dns-udp http-curl)
#   samples/make-samples.sh --list     list the sample names
#
# Needs root (tcpdump, and a private network namespace) and: tcpdump, ping,
# curl, dig, dnsmasq, /usr/bin/python3, ip, ss, unshare and tshark
# (bash tests/setup-debian.sh installs them all).
#
# The script re-runs itself in a new network namespace (unshare --net) whose
# loopback carries nothing but our own traffic, with an MTU of 1500 and GSO
# off, so TCP data comes in Ethernet-sized segments as on a real network. No
# address other than 127.0.0.1 and ::1 is ever contacted.
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
# SAMPLES below and describe it in samples/README.md.
set -euo pipefail

SAMPLES=(icmp-ping ipv6-ping http-curl http-ipv6 dns-udp tcp-reset)
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
    for t in tcpdump ping curl dig dnsmasq ip ss unshare tshark "$PYTHON"; do
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

listening() { # tcp|udp PORT
    [ -n "$(ss -Hln --"$1" "sport = :$2")" ]
}

free_port() { # ADDR: a free high port, picked at random by the kernel
    "$PYTHON" -c 'import socket, sys
s = socket.socket(socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET)
s.bind((sys.argv[1], 0))
print(s.getsockname()[1])' "$1"
}

# --- capture -------------------------------------------------------------------

cap_name=""
cap_count=""

capture_start() { # NAME FILTER [COUNT]: tcpdump on lo until COUNT packets or capture_stop
    cap_name=$1
    cap_count=${3:-}
    # Not --immediate-mode: with the default 256 KiB snaplen its ring holds
    # only a few packets and drops bursts; packets then come within 1 s.
    local args=(-i lo -n -U -Z root -w "$tmp/$cap_name.pcap")
    [ -z "$cap_count" ] || args+=(-c "$cap_count")
    start_bg tcpdump tcpdump "${args[@]}" "$2"
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
    # 200 KiB of numbered lines, so the response spans many TCP segments
    "$PYTHON" -c 'import sys
line = "%06d the quick brown fox jumps over the lazy dog, peel sample body\n"
out = "".join(line % i for i in range(1, 200 * 1024 // len(line % 0) + 1))
sys.stdout.write(out)' >"$www/big.txt"
    touch -d '2024-01-01 00:00:00 UTC' "$www/hello.txt" "$www/big.txt"
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
