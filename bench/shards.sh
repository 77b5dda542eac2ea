#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Shards side by side: MedQuAD repeated N times (ids suffixed, as
# bench/index_compare.sh) indexed as one database and as 1, 2 and 4 shards;
# each shard served by xapian-tcpsrv on 127.0.0.1. For every layout: build
# time and peak memory, index size, and query latency (p50/p99/mean of the
# 227 queries of both lay sets and the LiveQA questions, five timed passes
# of build/bench/query_latency_benchmark), locally and over the remote
# shards, plus the searcher's and the busiest xapian-tcpsrv's peak memory.
#
# All processes share this machine's cores: remote figures show the
# protocol's cost, not the speed-up of shards on machines of their own.
#
# usage: bench/shards.sh [N...]   (default: 1 10; results in build/shards/)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
require_medquad
command -v xapian-tcpsrv >/dev/null || { echo "SKIP: xapian-tcpsrv not installed (xapian-tools)"; exit 0; }
[ -x build/bench/query_latency_benchmark ] || { echo "build first: ./scripts/build.sh" >&2; exit 1; }
work=build/shards
mkdir -p "$work"
cli=./build/clinsearch

queries=$work/queries.txt
{ cut -f1 tests/lay_queries.tsv tests/lay_queries_holdout.tsv | grep -v '^#'
  if [ -f ../shared/eval/liveqa-dev/queries.tsv ]; then cut -f2 ../shared/eval/liveqa-dev/queries.tsv; fi
} | grep . >"$queries"
nq=$(wc -l <"$queries")

servers=()
stop_servers() { [ ${#servers[@]} -eq 0 ] || kill "${servers[@]}" 2>/dev/null || true; servers=(); }
trap stop_servers EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# latency DB -> "p50 p99 mean peak_kib" (milliseconds per query; the benchmark process's peak RSS)
latency() {
  /usr/bin/time -f "%M" -o "$work/rss" ./build/bench/query_latency_benchmark --db "$1" --queries "$queries" \
    --benchmark_filter=BM_QueryPercentiles --benchmark_format=json >"$work/latency.json" 2>"$work/latency.err" ||
    { cat "$work/latency.err" >&2; exit 1; }
  python3 - "$work/latency.json" "$nq" "$(cat "$work/rss")" <<'PY'
import json, sys
b = [x for x in json.load(open(sys.argv[1]))["benchmarks"] if x["name"].startswith("BM_QueryPercentiles")][0]
print(f'{b["p50_ms"]:.2f} {b["p99_ms"]:.1f} {b["real_time"] / int(sys.argv[2]):.2f} {sys.argv[3]}')
PY
}

echo "| corpus | layout | build | build peak memory | index size | where | p50 ms | p99 ms | mean ms | searcher peak memory | largest xapian-tcpsrv |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
[ $# -gt 0 ] || set -- 1 10
for n in "$@"; do
  data=build/index-compare/medquad-x$n.jsonl
  if [ ! -f "$data" ]; then
    mkdir -p build/index-compare
    python3 bench/medquad_copies.py "$medquad" "$n" >"$data"
  fi
  for shards in 0 1 2 4; do
    db=$work/x$n-s$shards
    rm -rf "$db"
    flag=(); [ "$shards" -gt 0 ] && flag=(--shards "$shards")
    /usr/bin/time -f "%e %M" -o "$work/time" "$cli" --log-level error index --db "$db" "${flag[@]}" "$data" >/dev/null
    read -r secs kib <"$work/time"
    size=$(du -sb "$db" | cut -f1)
    layout=$([ "$shards" -eq 0 ] && echo "one database" || echo "$shards shards")
    build_cols=$(awk -v s="$secs" -v k="$kib" -v b="$size" 'BEGIN { printf "%.0f s | %d MiB | %.0f MB", s, k / 1024, b / 1e6 }')
    read -r p50 p99 mean rss < <(latency "$db")
    echo "| ×$n | $layout | $build_cols | local | $p50 | $p99 | $mean | $((rss / 1024)) MiB | |"
    [ "$shards" -eq 0 ] && continue
    # The same shards over xapian-tcpsrv: a client folder with remote lines and the lexicon.
    client=$work/x$n-s$shards-remote
    rm -rf "$client"; mkdir -p "$client"
    cp -r "$db/lexicon" "$client/lexicon"
    pids=()
    for ((k = 0; k < shards; k++)); do
      port=$(free_port)
      setsid xapian-tcpsrv --port "$port" --interface 127.0.0.1 --quiet "$db/shard-$k" 2>/dev/null &  # own session: it signals its process group
      servers+=($!); pids+=($!)
      echo "remote 127.0.0.1:$port" >>"$client/XAPIANDB"
      for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.05; done
    done
    # xapian-tcpsrv forks a child per connection: the largest resident set
    # among them, sampled while the queries run.
    (max=0; while true; do
       kib=$(ps -o rss= --ppid "$(IFS=,; echo "${pids[*]}")" 2>/dev/null | sort -n | tail -1 || true)
       [ -n "$kib" ] && [ "$kib" -gt "$max" ] && max=$kib && echo "$max" >"$work/server-rss"
       sleep 0.2
     done) &
    sampler=$!
    echo 0 >"$work/server-rss"
    read -r p50 p99 mean rss < <(latency "$client")
    kill "$sampler" 2>/dev/null || true
    wait "$sampler" 2>/dev/null || true
    echo "| ×$n | $layout | | | | 127.0.0.1 | $p50 | $p99 | $mean | $((rss / 1024)) MiB | $(($(cat "$work/server-rss") / 1024)) MiB |"
    stop_servers
  done
done
