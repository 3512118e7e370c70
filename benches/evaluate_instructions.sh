#!/usr/bin/env bash
# Instructions `evaluate` executes for each case-library scenario, counted by callgrind.
# Unlike wall-clock time on a shared machine, the count repeats exactly from run to run, so
# it shows what a change to the engine saves. Needs valgrind.
#
#   bash benches/evaluate_instructions.sh            # every case in scenarios/
#   bash benches/evaluate_instructions.sh FILE...    # chosen scenario files
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 2; }
target=${CARGO_TARGET_DIR:-target}/callgrind
CARGO_PROFILE_RELEASE_DEBUG=true cargo build --quiet --release --target-dir "$target"
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(scenarios/*.ron)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf '%-28s %14s\n' case instructions
for f in "${files[@]}"; do
    valgrind --tool=callgrind --callgrind-out-file="$out/cg" \
        --toggle-collect='llmcap::engine::evaluate::evaluate' \
        "$target/release/llmcap" eval "$f" --format json >/dev/null 2>"$out/log"
    count=$(awk '/Collected :/ {print $4}' "$out/log")
    printf '%-28s %14s\n' "$(basename "$f" .ron)" "$count"
done
