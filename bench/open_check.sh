#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Cost of the integrity check at open: wall time of one CLI search
# with the check and with --no-check, alternated, on each index given
# (default: the MedQuAD index build/lay-index, built when missing). Prints
# the median of RUNS (default 5) per mode and the index size.
# usage: bench/open_check.sh [-r RUNS] [DB...]
#   e.g. bench/open_check.sh build/lay-index build/index-compare/cs  (x1, x10)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
runs=5
if [ "${1:-}" = -r ]; then runs=$2; shift 2; fi
dbs=("$@")
if [ ${#dbs[@]} -eq 0 ]; then
  require_medquad
  ensure_lay_index build/lay-index
  dbs=(build/lay-index)
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
echo "| index | size | search with check | with --no-check |"
echo "|---|---|---|---|"
for db in "${dbs[@]}"; do
  # Warm the page cache first: the figures are for an index in memory.
  cat "$db"/*/*.glass >/dev/null 2>&1 || true
  : >"$tmp/on"; : >"$tmp/off"
  for _ in $(seq "$runs"); do
    /usr/bin/time -f %e -a -o "$tmp/on" ./build/clinsearch --log-level error search --db "$db" --limit 1 "freeze tumor" >/dev/null
    /usr/bin/time -f %e -a -o "$tmp/off" ./build/clinsearch --log-level error search --no-check --db "$db" --limit 1 "freeze tumor" >/dev/null
  done
  printf '| %s | %s | %s s | %s s |\n' "$db" "$(du -sh "$db" | cut -f1)" "$(median <"$tmp/on")" "$(median <"$tmp/off")"
done
