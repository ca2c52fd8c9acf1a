#!/usr/bin/env bash
# build-pgo.sh [DIR] - a release build of peel (link-time and profile-guided optimisation)
# in DIR (default build-release): compiled instrumented, trained on the repository's own
# samples (pgo-train.sh), then compiled again with the profile. The profile is made anew
# each time, so it always matches the sources. Prints the path of the binary.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
dir=${1:-$repo/build-release}
if [ ! -d "$dir" ]; then
    meson setup "$dir" "$repo" --buildtype=release -Db_lto=true -Dgui=disabled >/dev/null ||
        { echo "build-pgo.sh: meson setup $dir failed" >&2; exit 1; }
fi
find "$dir" -name '*.gcda' -delete
meson configure "$dir" -Db_pgo=generate >/dev/null
meson compile -C "$dir" cli/peel >/dev/null ||
    { echo "build-pgo.sh: building the instrumented peel failed" >&2; exit 1; }
"$here/pgo-train.sh" "$dir/cli/peel"
meson configure "$dir" -Db_pgo=use >/dev/null
meson compile -C "$dir" cli/peel >/dev/null ||
    { echo "build-pgo.sh: building peel with the profile failed" >&2; exit 1; }
echo "$dir/cli/peel"
