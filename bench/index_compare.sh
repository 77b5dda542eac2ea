#!/usr/bin/env bash
# Indexing cost side by side (issue 4): clinsearch (passages, ICU analysis,
# concept tagging, spelling, mining), the minimal xapian-core indexer
# (build/bench/plain_xapian: TermGenerator, English stemmer, one Xapian
# document per input document, default settings) and SQLite FTS5 (porter),
# on ../shared/corpus/medquad.jsonl repeated N times (ids suffixed).
# Prints a markdown table: wall time, peak memory (max RSS), index size.
# Also times a reindex with nothing changed.
# usage: bench/index_compare.sh [N...]   (default: 1)
set -euo pipefail
cd "$(dirname "$0")/.."
medquad=../shared/corpus/medquad.jsonl
if [ ! -f "$medquad" ]; then echo "SKIP: $medquad not found"; exit 0; fi
work=build/index-compare
mkdir -p "$work"
measure() {  # measure NAME DIR COMMAND... -> one table row
  local name=$1 dir=$2; shift 2
  rm -rf "$dir"
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err"; exit 1; }
  read -r secs kb <"$work/time"
  local size
  size=$(du -sk "$dir" | cut -f1)
  printf '| %s | %s | %.1f s | %d MiB | %d MiB |\n' "$name" "$n" "$secs" $((kb / 1024)) $((size / 1024))
}
echo "| system | corpus | wall time | peak memory | index size |"
echo "|---|---|---|---|---|"
for n in "${@:-1}"; do
  data=$work/medquad-x$n.jsonl
  if [ ! -f "$data" ]; then
    python3 - "$medquad" "$n" >"$data" <<'PY'
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
for copy in range(int(sys.argv[2])):
    for line in lines:
        d = json.loads(line)
        if copy:
            d["id"] = f'{d["id"]}~{copy}'
        print(json.dumps(d))
PY
  fi
  measure "clinsearch" "$work/cs" ./build/clinsearch --log-level error index --db "$work/cs" "$data"
  /usr/bin/time -f "%e %M" -o "$work/time" ./build/clinsearch --log-level error index --db "$work/cs" "$data" >/dev/null 2>&1
  read -r secs kb <"$work/time"
  printf '| clinsearch, reindex with nothing changed | %s | %.2f s | %d MiB | |\n' "$n" "$secs" $((kb / 1024))
  measure "minimal xapian-core" "$work/xap" ./build/bench/plain_xapian index "$work/xap" "$data"
  measure "SQLite FTS5 (porter)" "$work/fts.sqlite" python3 bench/fts5_index.py "$work/fts.sqlite" "$data"
done
