# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by the bench scripts, from the repository root (they cd there
# first): the MedQuAD inputs in ../shared and the index built from them.

medquad=../shared/corpus/medquad.jsonl

# require_medquad: prints SKIP and ends the script (exit 0) when ../shared's
# MedQuAD is missing: there is nothing to measure.
require_medquad() {
  if [ ! -f "$medquad" ]; then
    echo "SKIP: $medquad not found (needs ../shared)"
    exit 0
  fi
}

# ensure_lay_index DB [INDEX OPTION...]: indexes corpus/, ../shared/seed and
# MedQuAD into DB with ./build/clinsearch, unless DB exists. The index's
# summary goes to stderr, so a script's stdout holds its results only.
# build/lay-index is the one tests/lay_success.py builds and reuses.
ensure_lay_index() {
  local db=$1
  shift
  [ -d "$db" ] ||
    ./build/clinsearch --log-level error index "$@" --db "$db" corpus ../shared/seed "$medquad" >&2
}

# ensure_bench_index: brings build/server-load/index (corpus/, ../shared/seed
# and MedQuAD; incremental, a fraction of a second when nothing changed;
# --prune drops what is no longer given) up to date with ./build/clinsearch,
# and writes the lay queries to build/server-load/queries.txt. Sets
# bench_db and bench_queries.
ensure_bench_index() {
  mkdir -p build/server-load
  bench_db=build/server-load/index
  bench_queries=build/server-load/queries.txt
  ./build/clinsearch --log-level error index --progress off --prune --db "$bench_db" corpus ../shared/seed \
    "$medquad" >/dev/null
  cut -f1 tests/lay_queries.tsv tests/lay_queries_holdout.tsv | grep -v '^#' | grep . >"$bench_queries"
}

# wait_for_server PORT: waits up to 10 s for the server's /health to answer.
wait_for_server() {
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$1/health" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "the server on port $1 did not answer /health within 10 s" >&2
  return 1
}
