#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Keeps a read replica of a sharded clinsearch index current with Xapian's
# own replication (xapian-replicate from Debian's xapian-tools). On the
# master host, serve the folder that holds the index:
#
#   xapian-replicate-server --port 7010 /srv/clinsearch     # holds ./library
#
# and on each replica host run:
#
#   scripts/replica.sh master.example 7010 library /srv/replica
#
# It copies the lexicon first, reads the shard count from it, then keeps
# REPLICA/lexicon and REPLICA/shard-K current (one xapian-replicate per
# database, polling every --interval seconds) and writes REPLICA/XAPIANDB
# listing the shards, so `clinsearch search --db REPLICA` (or serve) works.
# A first run copies each database whole; later runs apply the changesets
# the master kept (index with XAPIAN_MAX_CHANGESETS=N set, else each change
# is copied whole). A rebuild's new generation is copied whole. Each shard is
# updated on its own: for a moment a replica can hold a shard's new
# revision beside another's old one. See docs/scaling.md.
#
# usage: scripts/replica.sh [--once] [--interval SECONDS] HOST PORT NAME REPLICA_DIR
#   --once      replicate everything once and exit (0 when all succeeded)
set -euo pipefail
once=0
interval=60
while [ $# -gt 0 ]; do
  case $1 in
    --once) once=1; shift ;;
    --interval) interval=$2; shift 2 ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
    *) break ;;
  esac
done
if [ $# -ne 4 ]; then
  echo "usage: $0 [--once] [--interval SECONDS] HOST PORT NAME REPLICA_DIR" >&2
  exit 2
fi
host=$1 port=$2 name=$3 replica=$4
for tool in xapian-replicate xapian-metadata; do
  command -v "$tool" >/dev/null || { echo "replica: $tool not found (Debian package xapian-tools)" >&2; exit 1; }
done
mkdir -p "$replica"

replicate_once() {  # replicate_once DATABASE_NAME LOCAL_DIR
  xapian-replicate --one-shot --quiet --host "$host" --port "$port" --master "$name/$1" "$replica/$2"
}

replicate_once lexicon lexicon
shards=$(xapian-metadata get "$replica/lexicon" clinsearch.shards)
if ! [[ "$shards" =~ ^[1-9][0-9]*$ ]]; then
  echo "replica: $name/lexicon on $host:$port holds no shard count; is $name a sharded clinsearch index?" >&2
  exit 1
fi
for ((k = 0; k < shards; k++)); do replicate_once "shard-$k" "shard-$k"; done
stub=$replica/XAPIANDB
for ((k = 0; k < shards; k++)); do echo "auto shard-$k"; done >"$stub.tmp"
mv "$stub.tmp" "$stub"
echo "replica: $shards shards and the lexicon of $name copied from $host:$port into $replica"
[ $once = 1 ] && exit 0

pids=()
trap 'kill "${pids[@]}" 2>/dev/null; exit 0' INT TERM
for db in lexicon $(seq -f 'shard-%g' 0 $((shards - 1))); do
  xapian-replicate --quiet --interval "$interval" --host "$host" --port "$port" --master "$name/$db" \
    "$replica/$db" &
  pids+=($!)
done
# xapian-replicate keeps going through network errors; if one exits, its
# database would go stale unnoticed: stop them all and say so.
status=0
wait -n || status=$?
kill "${pids[@]}" 2>/dev/null || true
echo "replica: a xapian-replicate exited (status $status); stopping so a supervisor can restart the replica" >&2
exit 1
