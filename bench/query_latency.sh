#!/usr/bin/env bash
# Query latency on the MedQuAD index (corpus/ + ../shared/seed + MedQuAD):
# builds the index in build/lay-index when missing, then runs the benchmark.
# usage: bench/query_latency.sh [benchmark flags]
set -euo pipefail
cd "$(dirname "$0")/.."
medquad=../shared/corpus/medquad.jsonl
if [ ! -f "$medquad" ]; then echo "SKIP: $medquad not found (needs ../shared)"; exit 0; fi
db=build/lay-index
if [ ! -d "$db" ]; then
  ./build/clinsearch --log-level error index --db "$db" corpus ../shared/seed "$medquad"
fi
./build/bench/query_latency_benchmark --db "$db" "$@"
