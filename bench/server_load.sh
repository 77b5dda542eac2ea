#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Load on the HTTP API: starts `clinsearch serve` on the MedQuAD
# index (corpus/ + ../shared/seed + MedQuAD, kept in build/server-load/index)
# on 127.0.0.1, then drives it with wrk (Debian package wrk) for
# DURATION seconds at each concurrency: short queries (the lay-query sets,
# 2-5 words), each request a full search with highlighting, top 10.
# With -r R, each concurrency is run R times, interleaved (1 8 32 1 8 32 ...),
# and the median and range are printed: this VM's speed drifts by 10-30%
# from minute to minute, so one run says little.
# Prints requests/s, p50 and p99 latency and errors per concurrency.
# SERVER=PROGRAM serves with another build's clinsearch (copied aside
# before rebuilding), for a side-by-side run; the index is still built by
# this checkout's.
# usage: [SERVER=PROGRAM] [SERVE_ARGS="--searchers N"] bench/server_load.sh [-r R] [DURATION] [CONCURRENCY...]   (default: -r 1 10 1 8 32)
set -euo pipefail
repeats=1
if [ "${1:-}" = "-r" ]; then repeats=$2; shift 2; fi
cd "$(dirname "$0")/.."
duration=${1:-10}
shift || true
levels=("${@:-1 8 32}")
[ ${#levels[@]} -eq 1 ] && read -r -a levels <<<"${levels[0]}"
source bench/common.sh
require_medquad
command -v wrk >/dev/null || { echo "SKIP: wrk not installed (apt-get install wrk)"; exit 0; }
work=build/server-load
ensure_bench_index
db=$bench_db
port=$((20000 + RANDOM % 20000))
"${SERVER:-./build/clinsearch}" --log-level warn serve --db "$db" --port "$port" ${SERVE_ARGS:-} >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT
wait_for_server "$port"
# Warm up: every query once.
QUERIES=$work/queries.txt wrk -t1 -c1 -d3s -s bench/server_load.lua "http://127.0.0.1:$port" >/dev/null
for r in $(seq "$repeats"); do
  for c in "${levels[@]}"; do
    threads=$((c < 2 ? 1 : 2))
    QUERIES=$work/queries.txt wrk -t"$threads" -c"$c" -d"${duration}s" --latency -s bench/server_load.lua \
      "http://127.0.0.1:$port" >"$work/wrk-$c-$r.txt"
  done
done
python3 - "$work" "$repeats" "${levels[@]}" <<'PY'
import re, statistics, sys
work, repeats, levels = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
def parse(path):
    text = open(path).read()
    def ms(label):
        m = re.search(r"^\s*%s%%\s+([\d.]+)(us|ms|s)\s*$" % label, text, re.M)
        if not m: return float("nan")
        v, unit = float(m.group(1)), m.group(2)
        return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    errors = (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, sock.groups())) if sock else 0)
    return rps, ms("50"), ms("99"), errors
if repeats == 1:
    print("| concurrency | requests/s | p50 | p99 | errors |")
    print("|---|---|---|---|---|")
    for c in levels:
        rps, p50, p99, errors = parse(f"{work}/wrk-{c}-1.txt")
        print(f"| {c} | {rps:,.0f} | {p50:.2f} ms | {p99:.2f} ms | {errors} |")
else:
    print(f"| concurrency | requests/s, median of {repeats} (range) | p50, median | p99, median (range) | errors, total |")
    print("|---|---|---|---|---|")
    for c in levels:
        runs = [parse(f"{work}/wrk-{c}-{r}.txt") for r in range(1, repeats + 1)]
        rps = [x[0] for x in runs]; p50 = [x[1] for x in runs]; p99 = [x[2] for x in runs]
        errors = sum(x[3] for x in runs)
        print(f"| {c} | {statistics.median(rps):,.0f} ({min(rps):,.0f}-{max(rps):,.0f}) | "
              f"{statistics.median(p50):.2f} ms | {statistics.median(p99):.2f} ms "
              f"({min(p99):.2f}-{max(p99):.2f}) | {errors} |")
PY
