#!/usr/bin/env bash
# Indexing cost side by side (issue 4): clinsearch (passages, ICU analysis,
# concept tagging, spelling, mining), the minimal xapian-core indexer
# (build/bench/plain_xapian: TermGenerator, English stemmer, one Xapian
# document per input document, default settings) and SQLite FTS5 (porter),
# on ../shared/corpus/medquad.jsonl repeated N times (ids suffixed).
# Prints a markdown table: wall time, peak memory (max RSS), index size.
# Also times a reindex with nothing changed, and a batch of queries (the
# lay-query sets and the LiveQA questions) against each index, best of 3.
# With several N, also draws build/index-compare/scaling.png (gnuplot, from
# Debian gnuplot-nox; skipped when not installed).
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
queries=$work/queries.tsv
{ cut -f1 tests/lay_queries.tsv tests/lay_queries_holdout.tsv | grep -v '^#'
  [ -f ../shared/eval/liveqa-dev/queries.tsv ] && cut -f2 ../shared/eval/liveqa-dev/queries.tsv
} | awk 'NF { print NR "\t" $0 }' >"$queries"
best_of_3() {  # best_of_3 COMMAND... -> seconds of the fastest of 3 runs
  local best=""
  for _ in 1 2 3; do
    /usr/bin/time -f "%e" -o "$work/qtime" "$@" >/dev/null 2>&1
    local t; t=$(cat "$work/qtime")
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
  done
  echo "$best"
}
: >"$work/scaling.dat"
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
  measure "clinsearch" "$work/cs" ./build/clinsearch --log-level error index --db "$work/cs" "$data" | tee "$work/row-cs"
  /usr/bin/time -f "%e %M" -o "$work/time" ./build/clinsearch --log-level error index --db "$work/cs" "$data" >/dev/null 2>&1
  read -r secs kb <"$work/time"
  printf '| clinsearch, reindex with nothing changed | %s | %.2f s | %d MiB | |\n' "$n" "$secs" $((kb / 1024))
  measure "minimal xapian-core" "$work/xap" ./build/bench/plain_xapian index "$work/xap" "$data" | tee "$work/row-xap"
  measure "SQLite FTS5 (porter)" "$work/fts.sqlite" python3 bench/fts5_index.py "$work/fts.sqlite" "$data" | tee "$work/row-fts"
  nq=$(wc -l <"$queries")
  qcs=$(best_of_3 ./build/clinsearch --log-level error search --db "$work/cs" --json --limit 10 --batch "$queries")
  qxap=$(best_of_3 ./build/bench/plain_xapian search "$work/xap" --limit 10 --batch "$queries")
  printf '| batch of %d queries, top 10: clinsearch | %s | %.2f s | | |\n' "$nq" "$n" "$qcs"
  printf '| batch of %d queries, top 10: minimal xapian-core | %s | %.2f s | | |\n' "$nq" "$n" "$qxap"
  # N, then seconds and MiB for clinsearch, xapian, fts5
  row() { awk -F'|' '{gsub(/[ sMiB]/, "", $4); gsub(/[ sMiB]/, "", $5); printf "%s %s ", $4, $5}' "$1"; }
  echo "$n $(row "$work/row-cs")$(row "$work/row-xap")$(row "$work/row-fts")" >>"$work/scaling.dat"
done
if [ $# -gt 1 ] && command -v gnuplot >/dev/null; then
  gnuplot <<GP
set terminal png size 1000,450
set output "$work/scaling.png"
set multiplot layout 1,2 title "Indexing MedQuAD x N (17,841 documents each)"
set xlabel "corpus size (x MedQuAD)"
set key left top
set ylabel "wall time (s)"
plot "$work/scaling.dat" using 1:2 with linespoints title "clinsearch", \
     "" using 1:4 with linespoints title "minimal xapian-core", \
     "" using 1:6 with linespoints title "SQLite FTS5"
set ylabel "peak memory (MiB)"
plot "$work/scaling.dat" using 1:3 with linespoints title "clinsearch", \
     "" using 1:5 with linespoints title "minimal xapian-core", \
     "" using 1:7 with linespoints title "SQLite FTS5"
unset multiplot
GP
  echo "plot: $work/scaling.png"
fi
