#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Indexing cost side by side: clinsearch (passages, ICU analysis,
# concept tagging, spelling, mining), the minimal xapian-core indexer
# (build/bench/plain_xapian: TermGenerator, English stemmer, one Xapian
# document per input document, default settings) and SQLite FTS5 (porter),
# on ../shared/corpus/medquad.jsonl repeated N times (ids suffixed).
#
# Each full index is built R times (default 3) per system, the systems
# interleaved and their order alternated, because wall times on a shared
# virtual machine drift by a third from one minute to the next: the table
# gives the median and the range, and the clinsearch / minimal xapian-core
# ratio of each interleaved pair. Then, per N: a reindex with nothing
# changed; query latency p50/p99 per system on the same 227 queries (both
# lay-query sets and the LiveQA questions; five timed passes after a
# warm-up); and a batch of those queries as one process (start, open,
# dictionary load, queries), best of 3.
# With several N, also draws build/index-compare/scaling.png (gnuplot, from
# Debian gnuplot-nox; skipped when not installed).
#
# usage: bench/index_compare.sh [-r R] [N...]   (default: -r 3 1)
set -euo pipefail
cd "$(dirname "$0")/.."
repeat=3
if [ "${1:-}" = "-r" ]; then repeat=$2; shift 2; fi
source bench/common.sh
require_medquad
work=build/index-compare
mkdir -p "$work"

# build SYSTEM DIR DATA -> "seconds KiB" of one fresh build
build() {
  local system=$1 dir=$2 data=$3
  rm -rf "$dir"
  case $system in
    cs) cmd=(./build/clinsearch --log-level error index --db "$dir" "$data") ;;
    xap) cmd=(./build/bench/plain_xapian index "$dir" "$data") ;;
    fts) cmd=(python3 bench/fts5_index.py "$dir" "$data") ;;
  esac
  /usr/bin/time -f "%e %M" -o "$work/time" "${cmd[@]}" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  cat "$work/time"
}
# stats "v1 v2 ..." -> "median min max"
stats() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{ v[NR] = $1 } END {
  m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print m, v[1], v[NR] }'; }
best_of_3() {  # best_of_3 COMMAND... -> seconds of the fastest of 3 runs
  local best=""
  for _ in 1 2 3; do
    /usr/bin/time -f "%e" -o "$work/qtime" "$@" >/dev/null 2>&1
    local t; t=$(cat "$work/qtime")
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
  done
  echo "$best"
}

queries=$work/queries.tsv
{ cut -f1 tests/lay_queries.tsv tests/lay_queries_holdout.tsv | grep -v '^#'
  [ -f ../shared/eval/liveqa-dev/queries.tsv ] && cut -f2 ../shared/eval/liveqa-dev/queries.tsv
} | awk 'NF { print NR "\t" $0 }' >"$queries"
cut -f2 "$queries" >"$work/query-lines.txt"
nq=$(wc -l <"$queries")

: >"$work/scaling.dat"
echo "| system | corpus | wall time, median of $repeat (range) | peak memory | index size |"
echo "|---|---|---|---|---|"
for n in "${@:-1}"; do
  data=$work/medquad-x$n.jsonl
  if [ ! -f "$data" ]; then
    python3 bench/medquad_copies.py "$medquad" "$n" >"$data"
  fi
  declare -A secs=() mem=()
  ratios=""
  for ((r = 1; r <= repeat; r++)); do
    if ((r % 2)); then order="cs xap fts"; else order="xap cs fts"; fi
    for s in $order; do
      read -r t kb < <(build "$s" "$work/$s" "$data")
      secs[$s]="${secs[$s]:-} $t"
      ((kb > ${mem[$s]:-0})) && mem[$s]=$kb
      eval "last_$s=$t"
    done
    ratios="$ratios $(awk "BEGIN { printf \"%.2f\", $last_cs / $last_xap }")"
  done
  dat="$n"
  for s in cs xap fts; do
    read -r med lo hi < <(stats "${secs[$s]}")
    case $s in cs) name="clinsearch" ;; xap) name="minimal xapian-core" ;; fts) name="SQLite FTS5 (porter)" ;; esac
    size=$(du -sk "$work/$s" | cut -f1)
    printf '| %s | %s | %.1f s (%.1f-%.1f) | %d MiB | %d MiB |\n' "$name" "$n" "$med" "$lo" "$hi" \
      $((mem[$s] / 1024)) $((size / 1024))
    dat="$dat $med $((mem[$s] / 1024))"
  done
  echo "$dat" >>"$work/scaling.dat"
  printf '| clinsearch / minimal xapian-core, each interleaved pair | %s | %s | | |\n' "$n" "${ratios# }"
  /usr/bin/time -f "%e %M" -o "$work/time" ./build/clinsearch --log-level error index --db "$work/cs" "$data" >/dev/null
  read -r t kb <"$work/time"
  printf '| clinsearch, reindex with nothing changed | %s | %.2f s | %d MiB | |\n' "$n" "$t" $((kb / 1024))
  lcs=$(./build/bench/query_latency_benchmark --db "$work/cs" --queries "$work/query-lines.txt" \
          --benchmark_filter=Percentiles --benchmark_format=json 2>/dev/null |
        python3 -c 'import json,sys; c=json.load(sys.stdin)["benchmarks"][0]; print(c["p50_ms"], c["p99_ms"])')
  lxap=$(./build/bench/plain_xapian latency "$work/xap" "$work/query-lines.txt")
  lfts=$(python3 bench/fts5_index.py latency "$work/fts" "$work/query-lines.txt")
  for pair in "clinsearch:$lcs" "minimal xapian-core:$lxap" "SQLite FTS5 (porter):$lfts"; do
    read -r p50 p99 <<<"${pair#*:}"
    printf '| query latency p50 / p99, %d queries: %s | %s | %.2f / %.1f ms | | |\n' "$nq" "${pair%%:*}" "$n" "$p50" "$p99"
  done
  qcs=$(best_of_3 ./build/clinsearch --log-level error search --db "$work/cs" --json --limit 10 --batch "$queries")
  qxap=$(best_of_3 ./build/bench/plain_xapian search "$work/xap" --limit 10 --batch "$queries")
  printf '| batch of %d queries as one process, top 10: clinsearch | %s | %.2f s | | |\n' "$nq" "$n" "$qcs"
  printf '| batch of %d queries as one process, top 10: minimal xapian-core | %s | %.2f s | | |\n' "$nq" "$n" "$qxap"
  unset secs mem
done
if [ $# -gt 1 ] && command -v gnuplot >/dev/null; then
  gnuplot <<GP
set terminal png size 1000,450
set output "$work/scaling.png"
set multiplot layout 1,2 title "Indexing MedQuAD x N (17,841 documents each), median of $repeat"
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
