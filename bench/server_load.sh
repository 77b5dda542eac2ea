#!/usr/bin/env bash
# Load on the HTTP API (issue 5): starts `clinsearch serve` on the MedQuAD
# index (corpus/ + ../shared/seed + MedQuAD, built in build/lay-index when
# missing) on 127.0.0.1, then drives it with wrk (Debian package wrk) for
# DURATION seconds at each concurrency: short queries (the lay-query sets,
# 2-5 words), each request a full search with highlighting, top 10.
# Prints requests/s, p50 and p99 latency and errors per concurrency.
# usage: [SERVE_ARGS="--searchers N"] bench/server_load.sh [DURATION] [CONCURRENCY...]   (default: 10 1 8 32)
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
shift || true
levels=("${@:-1 8 32}")
[ ${#levels[@]} -eq 1 ] && read -r -a levels <<<"${levels[0]}"
medquad=../shared/corpus/medquad.jsonl
if [ ! -f "$medquad" ]; then echo "SKIP: $medquad not found (needs ../shared)"; exit 0; fi
command -v wrk >/dev/null || { echo "SKIP: wrk not installed (apt-get install wrk)"; exit 0; }
db=build/lay-index
if [ ! -d "$db" ]; then
  ./build/clinsearch --log-level error index --progress off --db "$db" corpus ../shared/seed "$medquad"
fi
work=build/server-load
mkdir -p "$work"
cut -f1 tests/lay_queries.tsv tests/lay_queries_holdout.tsv | grep -v '^#' | grep . >"$work/queries.txt"
port=$((20000 + RANDOM % 20000))
./build/clinsearch --log-level warn serve --db "$db" --port "$port" ${SERVE_ARGS:-} >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
  sleep 0.1
done
# Warm up: every query once.
QUERIES=$work/queries.txt wrk -t1 -c1 -d3s -s bench/server_load.lua "http://127.0.0.1:$port" >/dev/null
echo "| concurrency | requests/s | p50 | p99 | errors |"
echo "|---|---|---|---|---|"
for c in "${levels[@]}"; do
  threads=$((c < 2 ? 1 : 2))
  QUERIES=$work/queries.txt wrk -t"$threads" -c"$c" -d"${duration}s" --latency -s bench/server_load.lua \
    "http://127.0.0.1:$port" >"$work/wrk-$c.txt"
  python3 - "$work/wrk-$c.txt" "$c" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def ms(label):
    m = re.search(r"^\s*%s%%\s+([\d.]+)(us|ms|s)\s*$" % label, text, re.M)
    if not m: return float("nan")
    v, unit = float(m.group(1)), m.group(2)
    return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
errors = (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, sock.groups())) if sock else 0)
print(f"| {sys.argv[2]} | {rps:,.0f} | {ms('50'):.2f} ms | {ms('99'):.2f} ms | {errors} |")
PY
done
