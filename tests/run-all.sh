#!/usr/bin/env bash
# run-all.sh - peel's single test entry point, for developers and CI.
#
# Usage: tests/run-all.sh [--no-asan] [--no-fuzz] [--fuzz-seconds N]
#
# 1. build/       meson setup --werror, compile, meson test
# 2. build-asan/  the same with AddressSanitizer and UBSan (leaks reported;
#                 tests/lsan.supp, if present, holds LeakSanitizer suppressions)
#    build-tsan/  ThreadSanitizer: peel and test-parallel only (peel --threads against
#                 one thread on every sample); skipped with --no-asan
# 3. build-fuzz/  with clang, if installed: -Dfuzzing=true, then every fuzz
#                 target build-fuzz/tests/fuzz/fuzz-* runs for N seconds
#                 (default 20) over its seeds, tests/fuzz/corpus/NAME/ for
#                 target fuzz-NAME (if any); each target counts as one test
#
# Existing build directories are reconfigured, not wiped. Totals come from
# meson's build*/meson-logs/testlog.json (one JSON object per test: OK and
# EXPECTEDFAIL pass, SKIP skips, anything else fails) plus the fuzz runs; a
# build step that fails counts as one failed test. The last line printed is
#   N passed, N failed, N skipped
# and the exit status is non-zero if anything failed.
set -uo pipefail

asan=1
fuzz=1
fuzz_seconds=20
while [ $# -gt 0 ]; do
    case "$1" in
    --no-asan) asan=0 ;;
    --no-fuzz) fuzz=0 ;;
    --fuzz-seconds)
        fuzz_seconds=${2:?--fuzz-seconds needs a number}
        shift
        ;;
    -h | --help)
        sed -n '2,/^set -uo/p' "$0" | sed -e '/^set -uo/d' -e 's/^# \{0,1\}//'
        exit 0
        ;;
    *)
        echo "run-all.sh: unknown option $1 (see --help)" >&2
        exit 2
        ;;
    esac
    shift
done

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
repo=$PWD

passed=0
failed=0
skipped=0
failures=()
stage_failed=0

say() { printf '\n=== run-all: %s\n' "$*"; }

fail() { # WHAT: count a failure that no test log records
    failed=$((failed + 1))
    failures+=("$1")
    echo "run-all: FAILED: $1"
}

setup() { # DIR ARGS...: configure DIR, or reconfigure it if it exists
    local dir=$1
    shift
    if [ -f "$dir/meson-private/coredata.dat" ]; then
        meson setup --reconfigure "$dir" "$@"
    else
        meson setup "$dir" "$@"
    fi
}

count_testlog() { # DIR: add DIR's meson test results to the totals
    local log=$1/meson-logs/testlog.json counts
    [ -f "$log" ] || return 1
    counts=$(python3 - "$log" <<'PY'
import json, sys
p = f = s = 0
names = []
with open(sys.argv[1], encoding="utf-8") as fh:
    for line in fh:
        line = line.strip()
        if not line:
            continue
        t = json.loads(line)
        r = t.get("result")
        if r in ("OK", "EXPECTEDFAIL"):
            p += 1
        elif r == "SKIP":
            s += 1
        else:
            f += 1
            names.append("%s (%s)" % (t.get("name", "?"), r))
print(p, f, s)
for n in names:
    print(n)
PY
    ) || return 1
    local p f s rest
    read -r p f s <<<"$(head -1 <<<"$counts")"
    rest=$(tail -n +2 <<<"$counts")
    stage_failed=$f
    passed=$((passed + p))
    failed=$((failed + f))
    skipped=$((skipped + s))
    if [ -n "$rest" ]; then
        while IFS= read -r n; do failures+=("$1: $n"); done <<<"$rest"
    fi
    echo "run-all: $1: $p passed, $f failed, $s skipped"
}

meson_stage() { # DIR SETUP-ARGS...: configure, build and test one build directory
    local dir=$1 rc=0
    shift
    say "$dir: setup"
    setup "$dir" "$@" || { fail "$dir: meson setup"; return; }
    say "$dir: compile"
    meson compile -C "$dir" || { fail "$dir: compile"; return; }
    say "$dir: test"
    rm -f "$dir/meson-logs/testlog.json" # never count an older run's results
    meson test -C "$dir" --print-errorlogs || rc=$?
    if ! count_testlog "$dir"; then
        [ $rc -eq 0 ] || fail "$dir: meson test (exit $rc, no test log)"
    elif [ $rc -ne 0 ] && [ "$stage_failed" -eq 0 ]; then
        fail "$dir: meson test (exit $rc)"
    fi
}

tsan_stage() { # the dissecting threads under ThreadSanitizer: a race fails test-parallel
    local dir=build-tsan rc=0
    say "$dir: setup"
    setup "$dir" -Dgui=disabled -Db_sanitize=thread -Db_lundef=false --werror ||
        { fail "$dir: meson setup"; return; }
    say "$dir: compile"
    meson compile -C "$dir" cli/peel tests/test-parallel || { fail "$dir: compile"; return; }
    say "$dir: test"
    rm -f "$dir/meson-logs/testlog.json"
    # GLib's own locks are invisible to the sanitizer: its slice allocator would look racy
    TSAN_OPTIONS=halt_on_error=1 G_SLICE=always-malloc \
        meson test -C "$dir" --no-rebuild --print-errorlogs test-parallel || rc=$?
    if ! count_testlog "$dir"; then
        [ $rc -eq 0 ] || fail "$dir: meson test (exit $rc, no test log)"
    elif [ $rc -ne 0 ] && [ "$stage_failed" -eq 0 ]; then
        fail "$dir: meson test (exit $rc)"
    fi
}

# 1. the normal build
meson_stage build --werror

# 2. sanitizers
if [ $asan -eq 1 ]; then
    export ASAN_OPTIONS=detect_leaks=1
    export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
    [ ! -f tests/lsan.supp ] || export LSAN_OPTIONS=suppressions=$repo/tests/lsan.supp:print_suppressions=0
    meson_stage build-asan -Db_sanitize=address,undefined -Db_lundef=false --werror
    unset ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS
    tsan_stage
fi

# 3. fuzz targets
fuzz_one() { # TARGET-PATH: run one libFuzzer target for a bounded time
    local bin=$1 name work seeds=() log rc=0
    name=$(basename "$bin")
    work=build-fuzz/fuzz-work/$name
    log=build-fuzz/meson-logs/$name.log
    rm -rf "$work"
    mkdir -p "$work/corpus" "$work/artifacts"
    # new inputs go to the work corpus; the committed seeds are only read
    [ ! -d "tests/fuzz/corpus/${name#fuzz-}" ] || seeds+=("tests/fuzz/corpus/${name#fuzz-}")
    echo "run-all: $name: ${fuzz_seconds}s over ${seeds[*]:-an empty corpus}"
    timeout $((fuzz_seconds + 120)) "$bin" -max_total_time="$fuzz_seconds" -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/artifacts/" \
        "$work/corpus" "${seeds[@]}" >"$log" 2>&1 || rc=$?
    if [ $rc -eq 0 ]; then
        passed=$((passed + 1))
        grep -E '^stat::number_of_executed_units' "$log" | sed "s/^/run-all: $name: /"
    else
        tail -n 40 "$log"
        fail "fuzz: $name (exit $rc; log $log; inputs in $work/artifacts/)"
    fi
}

if [ $fuzz -eq 1 ] && command -v clang >/dev/null; then
    say "build-fuzz: setup"
    # ASan and UBSan in the fuzzers too; their runtime also serves the coverage hooks of
    # the instrumented libraries in the build's other programs
    if CC=clang setup build-fuzz -Dfuzzing=true -Db_sanitize=address,undefined -Db_lundef=false; then
        say "build-fuzz: compile"
        if meson compile -C build-fuzz; then
            say "build-fuzz: run"
            # ask meson, not the directory, so a removed target's old binary is not run
            mapfile -t bins < <(meson introspect --targets build-fuzz | python3 -c '
import json, os, sys
want = os.path.realpath("build-fuzz/tests/fuzz")
for t in json.load(sys.stdin):
    for f in t["filename"] if t["type"] == "executable" else []:
        if os.path.dirname(os.path.realpath(f)) == want and os.path.basename(f).startswith("fuzz-"):
            print(os.path.relpath(f))')
            for bin in "${bins[@]}"; do fuzz_one "$bin"; done
            [ ${#bins[@]} -gt 0 ] || echo "run-all: no fuzz targets built"
        else
            fail "build-fuzz: compile"
        fi
    else
        fail "build-fuzz: meson setup"
    fi
elif [ $fuzz -eq 1 ]; then
    echo "run-all: clang not found: fuzz targets not built"
fi

say "summary"
if [ ${#failures[@]} -gt 0 ]; then
    printf 'failed: %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
