#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Writes what a build answers for every query of the lay sets and LiveQA
# dev into one folder, so that a refactoring can be checked byte for byte:
#
#   bench/search_snapshot.sh build/clinsearch /tmp/before
#   (change, rebuild)
#   bench/search_snapshot.sh build/clinsearch /tmp/after
#   diff -r /tmp/before /tmp/after && echo identical
#
# The index (corpus/ + the seed + MedQuAD) is built by the same binary in
# OUT/index and then removed; the files kept are the JSON Lines search
# output (top 10, with spelling corrections and the why of each match) and
# LiveQA's eval run (collapsed per document) with its per-query scores.
# Prints SKIP and exits 0 when ../shared is absent.
set -euo pipefail
bin=$(realpath "$1"); out=$2
root=$(cd "$(dirname "$0")/.." && pwd)
shared=$root/../shared
if [ ! -f "$shared/corpus/medquad.jsonl" ]; then
  echo "SKIP: $shared/corpus/medquad.jsonl not found"; exit 0
fi
mkdir -p "$out"
out=$(realpath "$out")
db=$out/index
rm -rf "$db"
# Relative paths: file documents are named by the path given, so that two
# checkouts in different folders answer alike.
(cd "$root" && "$bin" --log-level error index --db "$db" corpus ../shared/seed \
  ../shared/corpus/medquad.jsonl)
lay_batch() {  # the QUERY column of a lay set as ID<TAB>QUERY
  grep -v '^#' "$1" | grep -v '^[[:space:]]*$' | cut -f1 | awk '{print NR "\t" $0}'
}
lay_batch "$root/tests/lay_queries.tsv" > "$out/lay.queries"
lay_batch "$root/tests/lay_queries_holdout.tsv" > "$out/holdout.queries"
cp "$shared/eval/liveqa-dev/queries.tsv" "$out/liveqa.queries"
for set in lay holdout liveqa; do
  "$bin" --log-level error search --db "$db" --json --limit 10 --batch "$out/$set.queries" \
    > "$out/$set.search.jsonl"
done
"$bin" --log-level error eval --db "$db" --queries "$shared/eval/liveqa-dev/queries.tsv" \
  --qrels "$shared/eval/liveqa-dev/qrels.txt" --per-query --run "$out/liveqa.eval.run.jsonl" \
  > "$out/liveqa.eval.txt"
rm -rf "$db"
echo "search_snapshot: $(cat "$out"/*.search.jsonl | wc -l) answers in $out"
