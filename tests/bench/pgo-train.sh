#!/usr/bin/env bash
# pgo-train.sh PEEL - the training run of a profile-guided build (bench.sh --pgo): runs an
# instrumented peel over the repository's own samples in each output mode, so the
# compiler learns which paths are hot. It trains on samples/ only, never on the
# benchmark's generated capture.
set -euo pipefail
peel=${1:?usage: pgo-train.sh PEEL}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
samples=$(cd "$here/../../samples" && pwd)
modes=(
    ""
    "-V"
    "-T ek"
    "-T json"
    "-T fields -e frame.number -e ip.src -e tcp.srcport -e http.request.method"
    "-Y http.request.method==\"POST\"||tcp.analysis.retransmission"
    "-q -z io,phs -z expert -z conv,tcp"
    "-2 -x"
)
for round in 1 2 3; do
    for f in "$samples"/*.pcap; do
        for m in "${modes[@]}"; do
            # shellcheck disable=SC2086 # a mode is several words
            "$peel" -r "$f" --threads 1 $m >/dev/null 2>&1 || true
        done
        "$peel" -r "$f" --threads 2 >/dev/null 2>&1 || true
    done
done
