#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# What one /search request costs the server's CPU, in instructions: every
# query of the lay-query sets (tests/lay_queries*.tsv) once, as the HTTP
# API runs it (one passage per document, the server's time limit, JSON),
# counted by valgrind's callgrind on the MedQuAD index. A count, not a time:
# it does not drift with this VM's speed, so two builds compare exactly
# (build the other one, then pass its benchmark program). Kernel time (the
# index's block reads) is not in it.
# usage: bench/served_cost.sh [QUERY_LATENCY_BENCHMARK]   (default: this build's)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
require_medquad
command -v valgrind >/dev/null || { echo "SKIP: valgrind not installed (apt-get install valgrind)"; exit 0; }
program=${1:-./build/bench/query_latency_benchmark}
ensure_bench_index
work=build/served-cost
mkdir -p "$work"
queries=$(wc -l <"$bench_queries")
valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" \
  --toggle-collect='*ServeAll*' "$program" --db "$bench_db" --queries "$bench_queries" \
  --benchmark_filter=BM_ServedQueryList >"$work/run.log" 2>&1
collected=$(grep -o 'Collected : [0-9]*' "$work/run.log" | tail -1 | awk '{print $3}')
echo "$queries queries: $((collected / queries)) instructions per request (callgrind: $work/callgrind.out)"
