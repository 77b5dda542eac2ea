#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Incremental reindex cost: a full index of MedQuAD, a reindex
# with nothing changed, then a reindex after 1% of the documents (every
# 100th line, text edited) changed. Prints the three wall times.
# usage: bench/reindex_changed.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
require_medquad
work=build/reindex-changed
rm -rf "$work" && mkdir -p "$work"
awk '{ if (NR % 100 == 0) sub(/"text": "/, "\"text\": \"Revised. "); print }' "$medquad" >"$work/changed.jsonl"
run() {  # run LABEL INPUT
  /usr/bin/time -f "%e" -o "$work/t" ./build/clinsearch --log-level error index --db "$work/index" "$2" >"$work/out"
  printf '| %s | %s s | %s |\n' "$1" "$(cat "$work/t")" "$(sed 's/ in [0-9.]* s$//' "$work/out")"
}
echo "| run | wall time | summary |"
echo "|---|---|---|"
run "full index" "$medquad"
run "nothing changed" "$medquad"
run "1% changed" "$work/changed.jsonl"
