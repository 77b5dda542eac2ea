#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Crash safety: kill -9 the indexer at random moments, 20 times,
# and check after every kill that the index opens and answers; then let a
# run finish and check the index holds every document exactly once.
# usage: kill_loop_test.sh CLINSEARCH SOURCE_DIR
set -u
bin=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
medquad=$src/../shared/corpus/medquad.jsonl
if [ -f "$medquad" ]; then
  # The first 3,000 documents with distinct ids (MedQuAD repeats a few ids,
  # and a repeated id is rightly re-indexed on every run).
  head -3000 "$medquad" | awk -F'"id": "' '{split($2, a, "\""); if (!seen[a[1]]++) print}' >"$tmp/docs.jsonl"
else  # a generated corpus when ../shared is absent
  for i in $(seq 1 3000); do
    printf '{"id":"d%d","title":"Document %d","sections":[{"heading":"About","text":"Tumor ablation note %d. Cryoablation freezes tumor cells; radiofrequency ablation heats them."}]}\n' "$i" "$i" "$i"
  done >"$tmp/docs.jsonl"
fi
want=$(grep -c . "$tmp/docs.jsonl")
# A changed export: every tenth document edited.
awk '{ if (NR % 10 == 0) sub(/"text": "/, "\"text\": \"Revised. "); print }' "$tmp/docs.jsonl" >"$tmp/changed.jsonl"
export XAPIAN_FLUSH_THRESHOLD=500  # commit often, so kills land between and inside commits
db=$tmp/index
kill_once() {  # kill_once ROUND INPUT MUST_ANSWER
  "$bin" --log-level off index --db "$db" "$2" >/dev/null 2>&1 &
  local pid=$!
  sleep "0.$((RANDOM % 10))$((RANDOM % 10))"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  [ -e "$db/XAPIANDB" ] || { [ "$3" = 0 ] && return 0; echo "round $1: index gone"; exit 1; }
  "$bin" --log-level error search --db "$db" --json --limit 1 "tumor" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  if [ $rc -ne 0 ]; then
    # Before the first commit there is nothing to answer from yet.
    if [ "$3" = 0 ] && grep -q "not a clinsearch index" "$tmp/err"; then return 0; fi
    echo "round $1: index unusable after kill -9 (exit $rc):"; cat "$tmp/err"; exit 1
  fi
  if [ "$3" = 1 ] && ! grep -q '"rank":1' "$tmp/out"; then
    echo "round $1: the complete index lost its passages after kill -9:"; cat "$tmp/out"; exit 1
  fi
}
# Rounds 1-10 kill the first build; rounds 11-20 kill a reindex of a changed
# export over a complete index, which must keep answering throughout.
for round in $(seq 1 10); do kill_once "$round" "$tmp/docs.jsonl" 0; done
"$bin" --log-level error index --db "$db" "$tmp/docs.jsonl" >"$tmp/full" 2>&1 || { cat "$tmp/full"; exit 1; }
for round in $(seq 11 20); do kill_once "$round" "$tmp/changed.jsonl" 1; done
# Rounds 21-25 kill full rebuilds: the live generation must answer throughout.
for round in $(seq 21 25); do
  "$bin" --log-level off index --rebuild --db "$db" "$tmp/changed.jsonl" >/dev/null 2>&1 &
  pid=$!
  sleep "0.$((RANDOM % 10))$((RANDOM % 10))"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  "$bin" --log-level error search --db "$db" --json --limit 1 "tumor" >"$tmp/out" 2>"$tmp/err" &&
    grep -q '"rank":1' "$tmp/out" || { echo "round $round: killed rebuild broke the live index"; cat "$tmp/err"; exit 1; }
done
# Recovery: a run to completion brings the index to the changed export.
"$bin" --log-level error index --db "$db" "$tmp/changed.jsonl" >"$tmp/last" 2>&1 || { cat "$tmp/last"; exit 1; }
"$bin" --log-level error index --db "$db" "$tmp/changed.jsonl" >"$tmp/again" 2>&1 || { cat "$tmp/again"; exit 1; }
grep -q "0 added, 0 updated, $want unchanged" "$tmp/again" || { echo "after recovery:"; cat "$tmp/last" "$tmp/again"; exit 1; }
# A complete rebuild through the CLI switches generations and leaves an
# index that the next incremental run finds up to date.
"$bin" --log-level error index --rebuild --db "$db" "$tmp/changed.jsonl" >"$tmp/rebuilt" 2>&1 || { cat "$tmp/rebuilt"; exit 1; }
"$bin" --log-level error index --db "$db" "$tmp/changed.jsonl" >"$tmp/after" 2>&1 || { cat "$tmp/after"; exit 1; }
grep -q "0 added, 0 updated, $want unchanged" "$tmp/after" || { echo "after rebuild:"; cat "$tmp/rebuilt" "$tmp/after"; exit 1; }
ls -d "$db"/gen-* | wc -l | grep -qx 2 || { echo "expected 2 generations:"; ls "$db"; exit 1; }
echo "25 kills survived; recovery brought all $want documents up to date; a rebuild switched generations"
