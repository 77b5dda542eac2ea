#!/usr/bin/env bash
# Command-line smoke tests: run the real clinsearch binary (and the embedding
# example) the way a user would.
#
# usage: cli_smoke_test.sh CASE BINARY SOURCE_DIR WORK_DIR
#   CASE        one of the cases below (each is one ctest test)
#   BINARY      the clinsearch CLI (or embed_search for CASE=example)
#   SOURCE_DIR  the project source tree (for corpus/)
#   WORK_DIR    scratch folder; WORK_DIR/index is the shared corpus index
#               that CASE=index builds (a ctest fixture for the others)
# Exit: 0 pass, 1 fail.
set -u

CASE=${1:?case}
BIN=${2:?binary}
SRC=${3:?source dir}
WORK=${4:?work dir}
DB="$WORK/index"
mkdir -p "$WORK"
TMP=$(mktemp -d "$WORK/tmp.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

fail() {
  echo "FAIL [$CASE]: $*"
  exit 1
}

# run CMD...: runs it, leaving stdout in $TMP/out, stderr in $TMP/err, exit code in $RC.
run() {
  "$@" >"$TMP/out" 2>"$TMP/err"
  RC=$?
}

show() {
  echo "--- stdout"
  head -c 4000 "$TMP/out"
  echo "--- stderr"
  head -c 4000 "$TMP/err"
}

need_index() {
  [ -d "$DB" ] || fail "no index at $DB (the cli_index test builds it)"
}

case "$CASE" in
  index)
    rm -rf "$DB"
    run "$BIN" index --db "$DB" "$SRC/corpus/"
    [ "$RC" -eq 0 ] || { show; fail "index exited $RC"; }
    n=$(find "$SRC/corpus" -type f \( -name '*.md' -o -name '*.txt' -o -name '*.html' \) | wc -l)
    grep -q "indexed $n documents" "$TMP/out" || { show; fail "expected 'indexed $n documents'"; }
    [ -d "$DB" ] || fail "no index folder created"
    # Not a terminal: progress comes as log lines, the last one per path.
    grep -q "corpus/: $n documents read in" "$TMP/err" || { show; fail "no progress summary line"; }
    ;;

  serve)
    # The server starts on a free port, answers, and stops cleanly on SIGTERM.
    need_index
    "$BIN" --log-level info serve --db "$DB" --port 0 2>"$TMP/err" &
    pid=$!
    port=""
    for _ in $(seq 100); do
      port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$TMP/err" | head -1)
      [ -n "$port" ] && break
      sleep 0.1
    done
    [ -n "$port" ] || { kill $pid; show; fail "server did not report its port"; }
    curl -sf "http://127.0.0.1:$port/search?q=freeze+tumor" >"$TMP/out" || { kill $pid; show; fail "search failed"; }
    grep -q "ryoablation" "$TMP/out" || { kill $pid; show; fail "no cryoablation in the answer"; }
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/search")
    [ "$code" = 400 ] || { kill $pid; fail "a search without q answered $code, not 400"; }
    kill -TERM $pid
    wait $pid
    RC=$?
    [ "$RC" -eq 0 ] || { show; fail "serve exited $RC after SIGTERM"; }
    grep -q "freeze" "$TMP/err" && { show; fail "query text in the log at info level"; }
    ;;

  progress_off)
    run "$BIN" index --db "$TMP/index" --progress off "$SRC/corpus/"
    [ "$RC" -eq 0 ] || { show; fail "index exited $RC"; }
    grep -q "documents read in" "$TMP/err" && { show; fail "progress shown despite --progress off"; }
    run "$BIN" index --db "$TMP/index" --progress sideways "$SRC/corpus/"
    [ "$RC" -ne 0 ] || { show; fail "an unknown --progress mode was accepted"; }
    ;;

  search_text)
    need_index
    run "$BIN" search --db "$DB" "freeze tumor"
    [ "$RC" -eq 0 ] || { show; fail "search exited $RC"; }
    grep -q "Cryoablation" "$TMP/out" || { show; fail "no 'Cryoablation' in the output"; }
    grep -q "lay term" "$TMP/out" || { show; fail "no 'lay term' explanation in the output"; }
    ;;

  search_json)
    need_index
    run "$BIN" search --db "$DB" --json --limit 5 "freeze tumor"
    [ "$RC" -eq 0 ] || { show; fail "search --json exited $RC"; }
    python3 - "$TMP/out" <<'EOF' || { show; fail "bad JSON output"; }
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
assert len(lines) == 1, f"expected one line, got {len(lines)}"
j = json.loads(lines[0])
assert "id" not in j, "no id for a single query"
assert j["query"] == "freeze tumor", j["query"]
assert isinstance(j["total"], int) and j["total"] > 0
assert isinstance(j["results"], list) and 1 <= len(j["results"]) <= 5
for n, r in enumerate(j["results"], 1):
    for key in ("rank", "score", "doc_id", "title", "section", "passage", "snippet", "matched"):
        assert key in r, f"result {n} has no {key}"
    assert r["rank"] == n, (r["rank"], n)
    assert isinstance(r["score"], (int, float))
    assert r["doc_id"] and r["passage"] and r["snippet"]
    assert isinstance(r["matched"], list)
top = j["results"][0]
assert "cryoablation" in top["passage"].lower(), top["passage"]
assert "<mark>" in top["snippet"], top["snippet"]
assert any("freeze" in m and "lay term" in m for m in top["matched"]), top["matched"]
EOF
    ;;

  batch_json)
    need_index
    printf 'q1\tfreeze tumor\njust a query\n\nq3\t\n' >"$TMP/batch.tsv"
    run "$BIN" search --db "$DB" --json --limit 2 --batch "$TMP/batch.tsv"
    [ "$RC" -eq 0 ] || { show; fail "search --batch exited $RC"; }
    python3 - "$TMP/out" <<'EOF' || { show; fail "bad batch output"; }
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
assert len(lines) == 3, f"expected 3 lines (one per non-empty input line), got {len(lines)}"
js = [json.loads(l) for l in lines]
# In input order; an id from "ID<TAB>", else the line number.
assert [j["id"] for j in js] == ["q1", "2", "q3"], [j.get("id") for j in js]
assert [j["query"] for j in js] == ["freeze tumor", "just a query", ""]
assert js[0]["results"] and len(js[0]["results"]) <= 2
assert "results" in js[1] and isinstance(js[1]["results"], list)
assert js[2]["error"], js[2]
assert js[2]["results"] == []
EOF
    # The same from stdin.
    "$BIN" search --db "$DB" --json --limit 2 --batch - <"$TMP/batch.tsv" >"$TMP/stdin.out" 2>/dev/null ||
      fail "--batch - exited non-zero"
    [ "$(wc -l <"$TMP/stdin.out")" -eq 3 ] || fail "--batch - gave $(wc -l <"$TMP/stdin.out") lines"
    ;;

  no_query)
    need_index
    run "$BIN" search --db "$DB"
    [ "$RC" -eq 2 ] || { show; fail "search without a query exited $RC, expected 2"; }
    [ -s "$TMP/err" ] || fail "no usage message on stderr"
    run "$BIN" search --db "$DB" "q" --batch "$TMP/x"
    [ "$RC" -eq 2 ] || { show; fail "query and --batch together exited $RC, expected 2"; }
    run "$BIN"
    [ "$RC" -ne 0 ] || fail "no subcommand exited 0"
    ;;

  bad_query)
    need_index
    run "$BIN" search --db "$DB" '?!...'
    [ "$RC" -eq 1 ] || { show; fail "a query without words exited $RC, expected 1"; }
    grep -qi "no searchable words" "$TMP/out" "$TMP/err" || { show; fail "no clear message"; }
    run "$BIN" search --db "$DB" '"freeze tumor'
    [ "$RC" -eq 0 ] || { show; fail "an unbalanced quote exited $RC"; }
    grep -q "Cryoablation" "$TMP/out" || { show; fail "an unbalanced quote found nothing"; }
    ;;

  missing_db)
    missing="$TMP/no-such-index"
    run "$BIN" search --db "$missing" "freeze tumor"
    [ "$RC" -eq 1 ] || { show; fail "missing --db folder exited $RC, expected 1"; }
    grep -qF "$missing" "$TMP/err" || { show; fail "the message does not name $missing"; }
    ;;

  log_privacy)
    # Queries may carry patient details: at info level the CLI logs none of
    # their text (single query, batch with an unsearchable line, eval).
    need_index
    secret="Jane Roe zzprivate 1971"
    run "$BIN" --log-level info search --db "$DB" "$secret cancer pain"
    [ "$RC" -eq 0 ] || { show; fail "search exited $RC"; }
    printf 'q1\t%s tumor\nq2\t!!! ???\n' "$secret" >"$TMP/batch.tsv"
    "$BIN" --log-level info search --db "$DB" --json --batch "$TMP/batch.tsv" >"$TMP/out" 2>>"$TMP/err"
    printf 'q1 0 nothing 1\n' >"$TMP/qrels"
    "$BIN" --log-level info eval --db "$DB" --queries "$TMP/batch.tsv" --qrels "$TMP/qrels" >/dev/null 2>>"$TMP/err"
    grep -E "Jane|Roe|zzprivate|1971" "$TMP/err" && { show; fail "query text in the log at info level"; }
    grep -q "batch.tsv:2" "$TMP/err" || { show; fail "the unsearchable batch line was not reported by file:line"; }
    ;;

  damaged_index)
    # A copy of the index with a table cut short: search and serve refuse it
    # with a message naming the index, exit 1, and do not crash; --no-check
    # opens it anyway (and may then fail at the first read, cleanly).
    need_index
    cp -r "$DB" "$TMP/damaged"
    gen=$(sed -n 's/^auto //p' "$TMP/damaged/XAPIANDB")
    table="$TMP/damaged/$gen/postlist.glass"
    truncate -s $(( $(stat -c %s "$table") / 2 )) "$table"
    run "$BIN" search --db "$TMP/damaged" "freeze tumor"
    [ "$RC" -eq 1 ] || { show; fail "search on a damaged index exited $RC, expected 1"; }
    grep -q "the index is damaged" "$TMP/err" || { show; fail "no 'the index is damaged' message"; }
    grep -qF "$TMP/damaged" "$TMP/err" || { show; fail "the message does not name the index"; }
    run timeout 20 "$BIN" serve --db "$TMP/damaged" --port 0
    [ "$RC" -eq 1 ] || { show; fail "serve on a damaged index exited $RC, expected 1"; }
    grep -q "the index is damaged" "$TMP/err" || { show; fail "serve: no 'the index is damaged' message"; }
    run "$BIN" search --no-check --db "$TMP/damaged" "freeze tumor"
    [ "$RC" -le 1 ] || { show; fail "search --no-check on a damaged index exited $RC (a crash?)"; }
    # (Sanitizer builds exit 1 on a memory error too: look for their reports.)
    grep -qE "AddressSanitizer|runtime error|LeakSanitizer" "$TMP/err" && { show; fail "sanitizer report"; }
    [ "$RC" -eq 0 ] || cat "$TMP/out" "$TMP/err" | grep -q "cannot be read\|damaged\|failed" ||
      { show; fail "exit 1 without a message"; }
    ;;

  index_missing_path)
    missing="$TMP/no-such-corpus"
    run "$BIN" index --db "$TMP/idx" "$missing"
    [ "$RC" -ne 0 ] || { show; fail "indexing a missing path exited 0"; }
    grep -qF "$missing" "$TMP/err" || { show; fail "the message does not name $missing"; }
    ;;

  synonyms_warning)
    printf '[zorblax therapy]\nthis line is broken\nsyn: florbix\n' >"$TMP/bad.syn"
    run "$BIN" index --db "$TMP/idx" --synonyms "$TMP/bad.syn" "$SRC/corpus/spinal-cord-compression.txt"
    [ "$RC" -eq 0 ] || { show; fail "index with a broken dictionary line exited $RC"; }
    grep -qF "$TMP/bad.syn:2:" "$TMP/err" || { show; fail "no warning naming $TMP/bad.syn:2"; }
    # At search time too (query first: --synonyms takes several values).
    run "$BIN" search --db "$TMP/idx" "spinal cord" --synonyms "$TMP/bad.syn"
    [ "$RC" -eq 0 ] || { show; fail "search with a broken dictionary line exited $RC"; }
    grep -qF "$TMP/bad.syn:2:" "$TMP/err" || { show; fail "no search-time warning naming $TMP/bad.syn:2"; }
    ;;

  search_synonyms_before_query)
    # The documented order, "search --db DB --synonyms FILE QUERY": --synonyms
    # takes several values and once swallowed the query as one of them.
    need_index
    printf '[zorblax therapy]\nsyn: florbix\n' >"$TMP/extra.syn"
    run "$BIN" search --db "$DB" --synonyms "$TMP/extra.syn" "freeze tumor"
    [ "$RC" -eq 0 ] || { show; fail "exited $RC"; }
    grep -q "Cryoablation" "$TMP/out" || { show; fail "no 'Cryoablation' in the output"; }
    ;;

  log_level_invalid)
    # An unknown --log-level is a usage error (exit 2), not silently accepted.
    need_index
    run "$BIN" --log-level bogus search --db "$DB" x
    [ "$RC" -eq 2 ] || { show; fail "--log-level bogus exited $RC, expected 2"; }
    [ -s "$TMP/err" ] || fail "no usage message on stderr"
    ;;

  empty_query)
    # An empty query is given (not missing): a clear error, exit 1, not a usage error.
    need_index
    run "$BIN" search --db "$DB" ""
    [ "$RC" -eq 1 ] || { show; fail "an empty query exited $RC, expected 1"; }
    grep -qi "no searchable words" "$TMP/out" "$TMP/err" || { show; fail "no clear message"; }
    if grep -qi "give a QUERY" "$TMP/out" "$TMP/err"; then show; fail "a usage message for a given query"; fi
    ;;

  limit_zero)
    # --limit takes 1-1000: 0 is a usage error.
    need_index
    run "$BIN" search --db "$DB" --limit 0 "freeze tumor"
    [ "$RC" -eq 2 ] || { show; fail "--limit 0 exited $RC, expected 2"; }
    [ -s "$TMP/err" ] || fail "no usage message on stderr"
    ;;

  example)
    # BIN is embed_search: it indexes one document into WORK_DIR and searches it.
    rm -rf "$WORK/example-index"
    run "$BIN" "$WORK/example-index" "freeze tumor"
    [ "$RC" -eq 0 ] || { show; fail "embed_search exited $RC"; }
    grep -qi "cryoablation" "$TMP/out" || { show; fail "no 'Cryoablation' in the output"; }
    ;;

  *)
    fail "unknown case"
    ;;
esac
echo "PASS [$CASE]"
exit 0
