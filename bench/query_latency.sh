#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Query latency on the MedQuAD index (corpus/ + ../shared/seed + MedQuAD):
# builds the index in build/lay-index when missing, then runs the benchmark.
# usage: bench/query_latency.sh [benchmark flags]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
require_medquad
db=build/lay-index
ensure_lay_index "$db"
./build/bench/query_latency_benchmark --db "$db" "$@"
