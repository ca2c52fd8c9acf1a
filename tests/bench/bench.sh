#!/usr/bin/env bash
# bench.sh - time peel against tshark on the same large capture.
#
# Usage: tests/bench/bench.sh [--packets N] [--rounds N] [--modes LIST] [-d RULE]...
#                             [--peel-arg ARG]... [--disable LIST]
#
#   --packets N   size of the generated capture (default 1000000)
#   --rounds N    timed runs of each command (default 3)
#   --modes LIST  comma-separated modes to run (default summary,fields; all: every one)
#   -d RULE       decode-as rule given to both, e.g. -d tcp.port==50051,http2
#   --disable L   --disable-protocol L for both, e.g. the application protocols for an
#                 L2-L4 comparison: --disable http,websocket,http2,grpc,amqp,stun,classicstun
#   --peel-arg A  an argument for peel only, e.g. --peel-arg --threads=1 (peel uses one
#                 dissecting thread per core by default; tshark dissects on one)
#
# The capture is made once by ../shared/bench/gen-traffic.py (found as
# ${PEEL_SHARED_DIR:-REPO/../shared}) and cached in tests/bench/corpus/
# (git-ignored). The file is read once to warm the page cache; then each
# mode runs peel and tshark alternately (A B A B ...) under
# /usr/bin/time, output to /dev/null:
#   summary  peel -r F                  tshark -n -r F
#   fields   peel -r F -T fields -e frame.number -e ip.src -e tcp.srcport
#            tshark -n -r F -T fields (same fields)
#   verbose  -V (the whole tree of every packet)
#   filter   -Y 'http.request.method == "POST" || tcp.analysis.retransmission'
#   ek       -T ek (one JSON document per packet)
# (tshark's -V and -T ek run at 4-10 k packets/s: use --packets 100000 for them.)
# and prints, per mode and program, the median packets/s and the peak
# resident memory, and the median of the per-round speed ratios
# peel/tshark (above 1: peel is faster). peel is ${PEEL:-build-release/cli/peel}, built by
# build-pgo.sh;
# without it only tshark is measured. tshark runs with an empty
# configuration directory, like shared/tools/oracle.sh. A command that fails
# is reported, not run again in that mode, and makes the exit status 1.
set -euo pipefail

packets=1000000
rounds=3
modes=summary,fields
decode=()
peel_extra=()
while [ $# -gt 0 ]; do
    case "$1" in
    --packets) packets=${2:?--packets needs a number}; shift ;;
    --rounds) rounds=${2:?--rounds needs a number}; shift ;;
    --modes) modes=${2:?--modes needs a list}; shift ;;
    -d) decode+=(-d "${2:?-d needs a rule}"); shift ;;
    --peel-arg) peel_extra+=("${2:?--peel-arg needs an argument}"); shift ;;
    --disable) decode+=(--disable-protocol "${2:?--disable needs a list}"); shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
[[ "$packets" =~ ^[1-9][0-9]*$ && "$rounds" =~ ^[1-9][0-9]*$ ]] ||
    { echo "bench.sh: --packets and --rounds take positive numbers" >&2; exit 2; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
shared=${PEEL_SHARED_DIR:-$repo/../shared}
# Speed is measured on an optimised build of its own (release, link-time and
# profile-guided optimisation, trained on samples/ by build-pgo.sh), not on the
# debug-friendly build the tests use; PEEL=path overrides.
if [ -z "${PEEL:-}" ]; then
    echo "bench.sh: building $repo/build-release (profile-guided, about a minute)..."
    "$here/build-pgo.sh" "$repo/build-release" >/dev/null || exit 1
fi
peel=${PEEL:-$repo/build-release/cli/peel}
corpus=$here/corpus
file=$corpus/mix-$packets.pcap

for t in tshark /usr/bin/time python3; do
    command -v "$t" >/dev/null || { echo "bench.sh: $t not found (bash tests/setup-debian.sh)" >&2; exit 1; }
done

# --- the capture, made once -------------------------------------------------
if [ ! -s "$file" ]; then
    gen=$shared/bench/gen-traffic.py
    if [ ! -f "$gen" ]; then
        echo "bench.sh: skipped: no $file and no generator at $gen (set PEEL_SHARED_DIR)"
        exit 0
    fi
    mkdir -p "$corpus"
    echo "bench.sh: generating $file (once)..."
    python3 "$gen" --packets "$packets" --out "$file.tmp"
    mv "$file.tmp" "$file"
fi
if [ ! -s "$file.count" ]; then
    # records in a classic pcap: walk the 16-byte record headers
    python3 - "$file" >"$file.count" <<'PY'
import struct, sys
with open(sys.argv[1], "rb") as f:
    magic = f.read(24)[:4]
    order = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    n = 0
    while True:
        hdr = f.read(16)
        if len(hdr) < 16:
            break
        f.seek(struct.unpack(order + "IIII", hdr)[2], 1)
        n += 1
print(n)
PY
fi
count=$(cat "$file.count")

if [ -x "$peel" ]; then
    have_peel=1
else
    have_peel=0
    echo "bench.sh: no peel at $peel (build it, or set PEEL=...): measuring tshark only"
fi

cfg=$(mktemp -d "${TMPDIR:-/tmp}/peel-bench.XXXXXX")
trap 'rm -rf "$cfg"' EXIT

cat "$file" >/dev/null # warm the page cache

failed=0
run() { # LABEL CMD...: time CMD, append "seconds kib" to $cfg/LABEL; on failure mark LABEL
    local label=$1
    shift
    [ ! -e "$cfg/$label.failed" ] || return 0
    if ! WIRESHARK_CONFIG_DIR=$cfg /usr/bin/time -f '%e %M' -o "$cfg/last" "$@" >/dev/null \
        2>"$cfg/stderr"; then
        grep -v 'Running as user "root"' "$cfg/stderr" | tail -5 >&2
        echo "bench.sh: failed: $*" >&2
        touch "$cfg/$label.failed"
        failed=1
        return 0
    fi
    tail -1 "$cfg/last" >>"$cfg/$label"
}

[ "$modes" != all ] || modes=summary,fields,verbose,filter,ek
IFS=, read -r -a mode_list <<<"$modes"
for mode in "${mode_list[@]}"; do
    case "$mode" in
    summary | fields | verbose | filter | ek) ;;
    *) echo "bench.sh: unknown mode '$mode' (summary, fields, verbose, filter, ek)" >&2; exit 2 ;;
    esac
done
echo "bench.sh: $(basename "$file"): $count packets, $(du -m "$file" | cut -f1) MB, $rounds rounds," \
    "$(nproc) cores${peel_extra[*]:+, peel ${peel_extra[*]}}"
for mode in "${mode_list[@]}"; do
    case "$mode" in
    summary) extra=() ;;
    fields) extra=(-T fields -e frame.number -e ip.src -e tcp.srcport) ;;
    verbose) extra=(-V) ;;
    filter) extra=(-Y 'http.request.method == "POST" || tcp.analysis.retransmission') ;;
    ek) extra=(-T ek) ;;
    esac
    for r in $(seq "$rounds"); do
        [ $have_peel -eq 0 ] || run "$mode-peel" "$peel" -r "$file" "${decode[@]}" "${peel_extra[@]}" "${extra[@]}"
        run "$mode-tshark" tshark -n -r "$file" "${decode[@]}" "${extra[@]}"
        echo "bench.sh: $mode: round $r of $rounds done"
    done
done

# --- the report ----------------------------------------------------------------
python3 - "$cfg" "$count" "$have_peel" "${mode_list[@]}" <<'PY'
import os, statistics, sys
cfg, count, have_peel = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
modes = sys.argv[4:]
def load(label):
    if os.path.exists(f"{cfg}/{label}.failed"):
        return []
    with open(f"{cfg}/{label}") as f:
        return [(float(s), int(k)) for s, k in (line.split() for line in f if line.strip())]
print()
print(f"{'mode':<8} {'program':<7} {'packets/s':>11} {'median s':>9} {'peak MiB':>9}")
for mode in modes:
    runs = {p: load(f"{mode}-{p}") for p in (["peel"] if have_peel else []) + ["tshark"]}
    for prog, rs in runs.items():
        if not rs:
            print(f"{mode:<8} {prog:<7} {'failed':>11}")
            continue
        secs = statistics.median(s for s, _ in rs)
        pps = count / secs if secs > 0 else float("inf")
        mib = max(k for _, k in rs) / 1024
        print(f"{mode:<8} {prog:<7} {pps:>11,.0f} {secs:>9.2f} {mib:>9.1f}")
    if have_peel and runs["peel"] and runs["tshark"]:
        ratios = [t / p if p > 0 else float("inf")
                  for (p, _), (t, _) in zip(runs["peel"], runs["tshark"])]
        print(f"{mode:<8} peel/tshark speed: {statistics.median(ratios):.2f}x "
              f"(median of {len(ratios)} paired rounds)")
PY
exit $failed
