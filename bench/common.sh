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
