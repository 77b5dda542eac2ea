#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Read replicas of a sharded index, over 127.0.0.1: a master index
# of corpus/ in 2 shards is served by xapian-replicate-server, and
# scripts/replica.sh copies it. The replica must answer every query as the
# master does after the first copy, after an incremental run on the master
# (sent as changesets) and after a rebuild (a new generation, copied whole).
#
# usage: tests/replication_test.sh CLINSEARCH SOURCE_DIR WORK_DIR
# Exit 77 (skipped) when xapian-tools is not installed.
set -euo pipefail
cli=$1 src=$2 work=$3
for tool in xapian-replicate-server xapian-replicate xapian-metadata; do
  command -v $tool >/dev/null || { echo "SKIP: $tool not installed (Debian xapian-tools)"; exit 77; }
done
rm -rf "$work"
mkdir -p "$work/master"
master=$work/master/library replica=$work/replica
export XAPIAN_MAX_CHANGESETS=10  # the master keeps changesets for replicas

server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT

# All of corpus/ but one document, which an incremental run adds later.
late=$src/corpus/cancer-pain-management.md
mkdir -p "$work/input"
find "$src/corpus" -maxdepth 1 -type f ! -name "$(basename "$late")" -exec cp {} "$work/input/" \;
"$cli" --log-level warn index --db "$master" --shards 2 "$work/input" >/dev/null

# The server, on a free port (a few tries: the port is picked before it binds).
for attempt in 1 2 3 4 5; do
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  # In a session of its own: on SIGTERM it signals its whole process group.
  setsid xapian-replicate-server --interface 127.0.0.1 --port "$port" "$work/master" >"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 50); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break 2; fi
    kill -0 "$server" 2>/dev/null || break
    sleep 0.1
  done
  kill "$server" 2>/dev/null || true
  server=""
done
[ -n "$server" ] || { echo "FAIL: xapian-replicate-server did not start"; cat "$work/server.log"; exit 1; }

queries=("freeze tumor" "bisfosfonates" "xgeva bone pain" "opioid constipation" "SRS" "nerve block for cancer pain")
same_answers() {  # same_answers STEP: the replica answers every query as the master
  local q
  for q in "${queries[@]}"; do
    "$cli" --log-level warn search --db "$master" --json --limit 10 "$q" >"$work/master.json"
    "$cli" --log-level warn search --db "$replica" --json --limit 10 "$q" >"$work/replica.json"
    if ! cmp -s "$work/master.json" "$work/replica.json"; then
      echo "FAIL ($1): replica answers '$q' unlike the master"
      diff <(head -c 600 "$work/master.json") <(head -c 600 "$work/replica.json") || true
      exit 1
    fi
  done
  echo "ok ($1): ${#queries[@]} queries answered alike"
}
hits() { "$cli" --log-level warn search --db "$1" --json --limit 10 "$2" | grep -o '"doc_id":"[^"]*"' || true; }

bash "$src/scripts/replica.sh" --once 127.0.0.1 "$port" library "$replica"
same_answers "first copy"
if hits "$replica" "nerve block for cancer pain" | grep -q cancer-pain-management; then
  echo "FAIL: the replica holds the late document before the master does"; exit 1
fi

# An incremental run on the master reaches the replica.
"$cli" --log-level warn index --db "$master" "$work/input" "$late" >/dev/null
bash "$src/scripts/replica.sh" --once 127.0.0.1 "$port" library "$replica"
hits "$replica" "nerve block for cancer pain" | grep -q cancer-pain-management ||
  { echo "FAIL: the incremental change did not reach the replica"; exit 1; }
same_answers "incremental"

# A rebuild (new generations of every shard) is copied whole.
"$cli" --log-level warn index --db "$master" --rebuild "$work/input" >/dev/null
bash "$src/scripts/replica.sh" --once 127.0.0.1 "$port" library "$replica"
if hits "$replica" "nerve block for cancer pain" | grep -q cancer-pain-management; then
  echo "FAIL: the rebuild (without the late document) did not reach the replica"; exit 1
fi
same_answers "rebuild"
echo "PASS"
