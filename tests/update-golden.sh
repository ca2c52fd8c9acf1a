#!/usr/bin/env bash
# Rewrites tests/golden/ from the current build after an intended output change.
# Review `git diff tests/golden` before committing.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p tests/golden
meson compile -C "${BUILD:-build}"
PEEL_UPDATE_GOLDEN=1 meson test -C "${BUILD:-build}" test-golden --print-errorlogs
