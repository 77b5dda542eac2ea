#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A normal client's search latency while hostile clients are attached:
# starts `clinsearch serve` on the MedQuAD index (build/server-load/index,
# as bench/server_load.sh builds it), attaches SLOW connections that each
# send one header byte per second (slowloris; reconnecting when the server
# times them out) and one connection streaming header lines as fast as it
# can (reconnecting after each 431), and meanwhile a normal keep-alive
# client sends searches one after another for DURATION seconds.
# Prints the normal client's requests, failures, p50/p99/max latency and
# the server's peak resident memory (VmHWM).
# usage: [SERVE_ARGS=...] [CLINSEARCH=build/clinsearch] bench/slow_clients.sh [DURATION] [SLOW]   (default: 20 500)
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-20}
slow=${2:-500}
binary=${CLINSEARCH:-./build/clinsearch}
source bench/common.sh
require_medquad
work=build/server-load
ensure_bench_index
db=$bench_db
port=$((20000 + RANDOM % 20000))
ulimit -n "$(ulimit -Hn)"
"$binary" --log-level warn serve --db "$db" --port "$port" ${SERVE_ARGS:-} >"$work/slow-server.log" 2>&1 &
server=$!
helpers=()
cleanup() {
  for p in "${helpers[@]}"; do kill "$p" 2>/dev/null || true; done
  kill "$server" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT
wait_for_server "$port"
rss_before=$(awk '/VmRSS/ {print $2}' /proc/$server/status)
python3 bench/slow_clients.py probe "$port" 3 "$work/queries.txt" >/dev/null  # warm up
attack=$((duration + 5))
python3 bench/slow_clients.py slow "$port" "$slow" "$attack" &
helpers+=($!)
python3 bench/slow_clients.py flood "$port" "$attack" &
helpers+=($!)
sleep 3  # every slow connection attached, the flood running
# The server's open files half-way through: the slow connections it holds.
(sleep $((duration / 2)); ls /proc/$server/fd | wc -l >"$work/slow-fds.txt") &
helpers+=($!)
read -r requests failures p50 p99 max < <(python3 bench/slow_clients.py probe "$port" "$duration" "$work/queries.txt")
fds=$(cat "$work/slow-fds.txt")
hwm=$(awk '/VmHWM/ {print $2}' /proc/$server/status)
wait "${helpers[@]}" 2>/dev/null || true
helpers=()
echo "| slow connections | normal requests | failed | p50 | p99 | max | server fds, mid-run | server RSS before | server peak RSS (VmHWM) |"
echo "|---|---|---|---|---|---|---|---|---|"
echo "| $slow + 1 flood | $requests | $failures | $p50 ms | $p99 ms | $max ms | $fds | $((rss_before / 1024)) MB | $((hwm / 1024)) MB |"
