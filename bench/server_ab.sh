#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A/B load comparison for the HTTP API: two `clinsearch serve` processes
# side by side (A and B), driven in turn by wrk at concurrency 8 for
# SECONDS each, ROUNDS times (A B A B ...), with the lay queries of
# bench/server_load.sh; prints each side's mean and runs. This VM's speed
# drifts by 10-30% from minute to minute, more than most single changes
# are worth, so two builds or two indexes are only compared this way.
#
# A and B differ by index (DB_A, DB_B) and/or by build: BIN_A is another
# build's clinsearch program (the CLI links the library statically: copy
# the program aside before rebuilding); B is this checkout's build.
#
# usage: bench/server_ab.sh ROUNDS SECONDS DB_A DB_B [BIN_A]
#   e.g. bench/server_ab.sh 4 5 build/server-load/index build/server-load/index /tmp/old-clinsearch
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 4 ] || { sed -n 2,14p "$0"; exit 2; }
rounds=$1 secs=$2 db_a=$3 db_b=$4 bin_a=${5:-./build/clinsearch}
command -v wrk >/dev/null || { echo "SKIP: wrk not installed (apt-get install wrk)"; exit 0; }
work=build/server-ab
mkdir -p "$work"
cut -f1 tests/lay_queries.tsv tests/lay_queries_holdout.tsv | grep -v '^#' | grep . >"$work/queries.txt"
port_a=$((20000 + RANDOM % 20000))
port_b=$((port_a + 1))
"$bin_a" --log-level warn serve --db "$db_a" --port "$port_a" \
  >"$work/a.log" 2>&1 &
pid_a=$!
./build/clinsearch --log-level warn serve --db "$db_b" --port "$port_b" >"$work/b.log" 2>&1 &
pid_b=$!
trap 'kill $pid_a $pid_b 2>/dev/null; wait 2>/dev/null' EXIT
for port in "$port_a" "$port_b"; do
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
    sleep 0.1
  done
  QUERIES=$work/queries.txt wrk -t1 -c1 -d2s -s bench/server_load.lua "http://127.0.0.1:$port" >/dev/null
done
for _ in $(seq "$rounds"); do
  for side in A B; do
    port=$([ "$side" = A ] && echo "$port_a" || echo "$port_b")
    rps=$(QUERIES=$work/queries.txt wrk -t2 -c8 -d"${secs}s" -s bench/server_load.lua "http://127.0.0.1:$port" |
      awk '/^Requests\/sec/ {print $2}')
    echo "$side $rps"
  done
done | awk '{sum[$1] += $2; n[$1]++; runs[$1] = runs[$1] " " int($2)}
  END {for (s in sum) printf "%s: mean %.0f requests/s over %d runs:%s\n", s, sum[s] / n[s], n[s], runs[s]}' | sort
