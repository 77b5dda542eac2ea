#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Open vocabularies imported with --synonyms (../shared/vocab/, never copied
# into the repository): for each, an index of corpus/ + seed + MedQuAD built
# with it, scored on LiveQA dev and both lay-query sets. Prints markdown rows.
# usage: bench/vocab_table.sh   (about 30 s of indexing per row)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
vocab=../shared/vocab
eval_dir=../shared/eval/liveqa-dev
if [ ! -d "$vocab" ] || [ ! -f "$medquad" ]; then echo "SKIP: ../shared not found"; exit 0; fi
echo "| dictionary | nDCG@10 | avgScore | lay dev | lay holdout | index command |"
echo "|---|---|---|---|---|---|"
run() {  # run NAME [--synonyms FILE]...
  local name=$1; shift
  local db=build/vocab-index-$(echo "$name" | tr -c 'a-z0-9\n' '-')
  rm -rf "$db"
  ./build/clinsearch --log-level error index --db "$db" "$@" corpus ../shared/seed "$medquad" >/dev/null
  local ev dev hold
  ev=$(./build/clinsearch --log-level error eval --db "$db" --queries $eval_dir/queries.tsv --qrels $eval_dir/qrels.txt | tail -1)
  dev=$(python3 tests/lay_success.py --db "$db" | sed -n '1s/.*: \([0-9]*\/[0-9]*\) = \([0-9.]*%\).*/\2/p')
  hold=$(python3 tests/lay_success.py --db "$db" --queries tests/lay_queries_holdout.tsv |
         sed -n '1s/.*: \([0-9]*\/[0-9]*\) = \([0-9.]*%\).*/\2/p')
  local nd avg
  nd=$(sed 's/.*ndcg@10=\([0-9.]*\).*/\1/' <<<"$ev")
  avg=$(sed 's/.*avgscore@1=\([0-9.]*\).*/\1/' <<<"$ev")
  echo "| $name | $nd | $avg | $dev | $hold | \`clinsearch index --db DB $* corpus ../shared/seed $medquad\` |"
  rm -rf "$db"
}
run "bundled only (default)"
run "+ MedQuAD also-called names" --synonyms $vocab/medquad_focus_synonyms.tsv
run "+ Disease Ontology synonyms" --synonyms $vocab/doid2016_synonyms.tsv
run "+ DrugBank generic names" --synonyms $vocab/drugbank_vocabulary.csv
run "+ medical abbreviations (unambiguous)" --synonyms $vocab/medical-abbreviations.csv
run "+ all four" --synonyms $vocab/medquad_focus_synonyms.tsv --synonyms $vocab/doid2016_synonyms.tsv \
    --synonyms $vocab/drugbank_vocabulary.csv --synonyms $vocab/medical-abbreviations.csv
