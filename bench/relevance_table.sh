#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The ranking-steps table of bench/RESULTS.md: runs `clinsearch eval` on the
# LiveQA dev questions with each step switched on in turn, and prints one
# markdown row per step (with the command that reproduces the row).
# usage: bench/relevance_table.sh    (index: build/lay-index, built if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
eval_dir=../shared/eval/liveqa-dev
if [ ! -f "$medquad" ] || [ ! -d "$eval_dir" ]; then echo "SKIP: ../shared not found"; exit 0; fi
db=build/lay-index
ensure_lay_index "$db"
args="--db $db --queries $eval_dir/queries.tsv --qrels $eval_dir/qrels.txt"
row() {  # row NAME ARGS...
  local name=$1; shift
  local out
  out=$(./build/clinsearch --log-level error eval $args "$@" | tail -1)
  # queries=39 ndcg@10=0.447 mrr@10=... p@5=... recall@100=... avgscore@1=... (judged=51)
  read -r n nd mrr p5 rec avg _ <<<"$(sed 's/[a-z@0-9]*=//g; s/(//' <<<"$out")"
  echo "| $name | $nd | $mrr | $p5 | $rec | $avg | \`build/clinsearch eval $args $*\` |"
}
echo "| step | nDCG@10 | MRR@10 | P@5 | Recall@100 | avgScore | command |"
echo "|---|---|---|---|---|---|---|"
# The cumulative steps run on an index built without corpus mining, which
# comes last.
nomine=build/lay-index-no-mining
ensure_lay_index "$nomine" --no-mining
saved=$args
args="--db $nomine --queries $eval_dir/queries.tsv --qrels $eval_dir/qrels.txt"
off="--title-boost 0 --heading-boost 0 --keep-question-phrasing"
row "BM25 on passages, title/heading as context (k1 1.2, b 0.5)" --no-expand --no-spelling $off
row "+ clinical dictionary expansion" --no-spelling $off
row "+ spelling correction" $off
row "+ question-type cues on section headings (0.5)" --title-boost 0 --keep-question-phrasing
row "+ title field: the page is about what was asked (0.5)" --keep-question-phrasing
row "+ conversational words of long questions set aside"
args=$saved
row "+ abbreviations and 'also called' names mined from the corpus = defaults"
row "defaults without dictionary expansion" --no-expand
row "defaults without spelling correction" --no-spelling
row "defaults without question-type cues" --heading-boost 0
row "defaults without the title field" --title-boost 0
row "defaults, BM25 k1 0.9" --bm25-k1 0.9
row "defaults, BM25 k1 1.5" --bm25-k1 1.5
row "defaults, BM25 b 0.3" --bm25-b 0.3
row "defaults, BM25 b 0.75" --bm25-b 0.75
row "defaults, title boost 1.0" --title-boost 1
row "defaults + pseudo-relevance feedback (10 terms, 0.2)" --feedback-terms 10 --feedback-weight 0.2
row "defaults + pseudo-relevance feedback (5 terms, 0.2)" --feedback-terms 5 --feedback-weight 0.2
row "defaults, heading boost 1.0" --heading-boost 1
