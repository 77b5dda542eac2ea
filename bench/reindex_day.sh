#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A content team's day under load: `clinsearch serve` on a copy of the
# MedQuAD bench index (corpus/ + ../shared/seed + MedQuAD) answers wrk's
# lay queries at concurrency C (default 8) while, one after the other,
#   1. an incremental run rewrites every MedQuAD document, committing every
#      20 passages (--commit-every 20: a portal pushing small updates);
#   2. a --rebuild of the full export;
#   3. a --prune run with an export 5% smaller (under the 10% guard).
# Meanwhile a checker (bench/reindex_day_check.py) asks, over and over, the
# lay queries that answered before the day and fetches documents that are
# in every export: every answer must be a 200 with at least one result.
# Prints, per phase, wrk's requests/s, p99 and non-2xx count, and the
# checker's 5xx, other failures and empty answers. The issue's target:
# zero 5xx and zero empty answers.
# usage: bench/reindex_day.sh [CONCURRENCY]
set -euo pipefail
cd "$(dirname "$0")/.."
conc=${1:-8}
source bench/common.sh
require_medquad
command -v wrk >/dev/null || { echo "SKIP: wrk not installed (apt-get install wrk)"; exit 0; }
bin=./build/clinsearch
work=build/reindex-day
rm -rf "$work"
mkdir -p "$work"
ensure_bench_index
cp -a "$bench_db" "$work/live"
cp "$bench_queries" "$work/queries.txt"

# The day's exports: every document revised (B), and B without 5% of the
# MedQuAD records (pruned).
python3 - "$medquad" "$work" <<'PY'
import json, sys
src, work = sys.argv[1], sys.argv[2]
with open(src) as f, open(f"{work}/revised.jsonl", "w") as b, open(f"{work}/pruned.jsonl", "w") as p:
    for i, line in enumerate(f):
        doc = json.loads(line)
        for section in doc.get("sections", []):
            section["text"] = section.get("text", "") + "\n\nReviewed by the content team."
        out = json.dumps(doc) + "\n"
        b.write(out)
        if i % 20 != 7:
            p.write(out)
PY

port=$((20000 + RANDOM % 20000))
"$bin" --log-level warn serve --db "$work/live" --port "$port" >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server $(jobs -p) 2>/dev/null; wait 2>/dev/null' EXIT
wait_for_server "$port"
url="http://127.0.0.1:$port"

# run_phase NAME INDEX-ARGS...: wrk in 10 s rounds and the checker while
# the index command runs; then their figures.
run_phase() {
  local name=$1
  shift
  touch "$work/$name.running"
  (
    r=0
    while [ -e "$work/$name.running" ]; do
      r=$((r + 1))
      QUERIES=$work/queries.txt wrk -t2 -c"$conc" -d10s --latency -s bench/server_load.lua "$url" \
        >"$work/$name-wrk-$r.txt"
    done
  ) &
  local load=$!
  python3 bench/reindex_day_check.py "$url" "$work/queries.txt" "$work/ids.txt" "$work/$name.running" \
    >"$work/$name-check.txt" &
  local check=$!
  local start=$SECONDS rc=0
  "$bin" --log-level warn index --progress off --db "$work/live" "$@" >"$work/$name-index.txt" 2>&1 || rc=$?
  local took=$((SECONDS - start))
  sleep 2 # answers just after the switch count too
  rm -f "$work/$name.running"
  wait "$load" "$check" || true
  python3 - "$work" "$name" "$took" "$rc" <<'PY'
import glob, re, sys
work, name, took, rc = sys.argv[1:]
reqs = non2xx = 0; secs = 0.0; p99 = []
for path in sorted(glob.glob(f"{work}/{name}-wrk-*.txt")):
    text = open(path).read()
    m = re.search(r"(\d+) requests in ([\d.]+)s", text)
    if not m: continue
    reqs += int(m.group(1)); secs += float(m.group(2))
    n = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    non2xx += int(n.group(1)) if n else 0
    q = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    if q:
        v, unit = float(q.group(1)), q.group(2)
        p99.append(v / 1000 if unit == "us" else v * 1000 if unit == "s" else v)
check = open(f"{work}/{name}-check.txt").read().strip()
rps = reqs / secs if secs else 0
print(f"| {name} | {took} s (rc {rc}) | {reqs:,} | {rps:,.0f} | {max(p99) if p99 else float('nan'):.1f} ms | {non2xx} | {check} |")
PY
}

# Documents in every export: corpus/ and MedQuAD records the prune keeps.
python3 - "$medquad" >"$work/ids.txt" <<'PY'
import json, sys
for i, line in enumerate(open(sys.argv[1])):
    if i % 97 == 3 and i % 20 != 7:
        print(json.loads(line)["id"])
PY
echo "| phase | index run | wrk requests | requests/s | worst p99 of 10 s rounds | wrk non-2xx | checker |"
echo "|---|---|---|---|---|---|---|"
run_phase incremental --commit-every 20 corpus ../shared/seed "$work/revised.jsonl"
run_phase rebuild --rebuild corpus ../shared/seed "$work/revised.jsonl"
run_phase prune --prune corpus ../shared/seed "$work/pruned.jsonl"
