#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
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
    # A second server on the same port must not start beside the first
    # (sharing it, the kernel would split the traffic between them).
    timeout 20 "$BIN" serve --db "$DB" --port "$port" >"$TMP/second" 2>&1
    second=$?
    [ "$second" -ne 0 ] && [ "$second" -ne 124 ] ||
      { kill $pid; cat "$TMP/second"; fail "a second serve on a taken port exited $second"; }
    grep -q "cannot listen on 127.0.0.1:$port" "$TMP/second" ||
      { kill $pid; cat "$TMP/second"; fail "no clear message for the taken port"; }
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

  version)
    # --version names the program and the version the build was made from.
    run "$BIN" --version
    [ "$RC" -eq 0 ] || { show; fail "--version exited $RC"; }
    want=$(sed -n 's/^project(clinsearch VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")
    [ -n "$want" ] || fail "no project version in CMakeLists.txt"
    grep -qx "clinsearch $want" "$TMP/out" || { show; fail "expected 'clinsearch $want'"; }
    ;;

  usage_hints)
    # A mistyped command or option is named, with the name meant.
    run "$BIN" searh --db "$TMP/none" "freeze tumor"
    [ "$RC" -eq 2 ] || { show; fail "a mistyped command exited $RC, expected 2"; }
    grep -qF "unknown command 'searh' (did you mean 'search'?)" "$TMP/err" || { show; fail "no hint for searh"; }
    run "$BIN" search --db "$TMP/none" --limt 5 "freeze tumor"
    [ "$RC" -eq 2 ] || { show; fail "a mistyped option exited $RC, expected 2"; }
    grep -qF "unknown option '--limt' (did you mean '--limit'?)" "$TMP/err" || { show; fail "no hint for --limt"; }
    run "$BIN" --log-level warn serve --db "$TMP/none" --pot=8080
    grep -qF "unknown option '--pot' (did you mean '--port'?)" "$TMP/err" || { show; fail "no hint for --pot"; }
    run "$BIN" index --db "$TMP/none" --frobnicate "$SRC/corpus"
    [ "$RC" -eq 2 ] || { show; fail "an unknown option exited $RC, expected 2"; }
    grep -qF "unknown option '--frobnicate'" "$TMP/err" || { show; fail "no message for --frobnicate"; }
    [ ! -e "$TMP/none" ] || fail "a bad command line created an index"
    ;;

  search_offset)
    # --offset pages: the second page starts where the first left off.
    need_index
    run "$BIN" search --db "$DB" --json --limit 4 "freeze tumor"
    [ "$RC" -eq 0 ] || { show; fail "search exited $RC"; }
    cp "$TMP/out" "$TMP/first"
    run "$BIN" search --db "$DB" --json --limit 2 --offset 2 "freeze tumor"
    [ "$RC" -eq 0 ] || { show; fail "--offset 2 exited $RC"; }
    python3 - "$TMP/first" "$TMP/out" <<'PY' || { show; fail "the offset page is not the first page's rest"; }
import json, sys
first = json.load(open(sys.argv[1]))["results"]
page = json.load(open(sys.argv[2]))["results"]
assert [r["rank"] for r in page] == [3, 4], page
assert [(r["doc_id"], r["passage"]) for r in page] == [(r["doc_id"], r["passage"]) for r in first[2:4]]
PY
    run "$BIN" search --db "$DB" --offset 10001 "freeze tumor"
    [ "$RC" -eq 2 ] || { show; fail "--offset 10001 exited $RC, expected 2"; }
    ;;

  index_rebuild_guards)
    # review #23: a rebuild with a mistyped path leaves the live index
    # byte for byte as it was; so does one from half the input.
    for i in $(seq 40); do echo "{\"id\":\"d$i\",\"title\":\"Wombat $i\",\"text\":\"Wombats dig burrows number $i.\"}"; done >"$TMP/full.jsonl"
    head -20 "$TMP/full.jsonl" >"$TMP/half.jsonl"
    run "$BIN" index --db "$TMP/idx" "$SRC/corpus/" "$TMP/full.jsonl"
    [ "$RC" -eq 0 ] || { show; fail "index exited $RC"; }
    "$BIN" search --db "$TMP/idx" --json wombat >"$TMP/before.json" 2>/dev/null
    run "$BIN" index --db "$TMP/idx" --rebuild "$SRC/corpus/" "$TMP/full.jsonlX"
    [ "$RC" -ne 0 ] || { show; fail "a rebuild with a mistyped path exited 0"; }
    grep -q "not switching: .*full.jsonlX" "$TMP/err" || { show; fail "no 'not switching' naming the path"; }
    run "$BIN" index --db "$TMP/idx" --rebuild "$SRC/corpus/" "$TMP/half.jsonl"
    [ "$RC" -ne 0 ] || { show; fail "a rebuild dropping 20 of 56 documents exited 0"; }
    grep -q "not switching: it would delete 20" "$TMP/err" || { show; fail "no mass-delete refusal"; }
    [ "$(cat "$TMP/idx/XAPIANDB")" = "auto gen-1" ] || fail "the live generation changed"
    [ ! -e "$TMP/idx/gen-2" ] || fail "the refused generation was left behind"
    "$BIN" search --db "$TMP/idx" --json wombat >"$TMP/after.json" 2>/dev/null
    cmp -s "$TMP/before.json" "$TMP/after.json" || fail "the index answers differently"
    run "$BIN" index --db "$TMP/idx" --rebuild --allow-mass-delete "$SRC/corpus/" "$TMP/half.jsonl"
    [ "$RC" -eq 0 ] || { show; fail "--allow-mass-delete rebuild exited $RC"; }
    ;;

  index_prune_guards)
    # Review §3.4's prune guard: an empty, truncated and half export are
    # refused, nothing written; --max-delete-fraction and --allow-mass-delete.
    for i in $(seq 40); do echo "{\"id\":\"d$i\",\"title\":\"Wombat $i\",\"text\":\"Wombats dig burrows number $i.\"}"; done >"$TMP/full.jsonl"
    run "$BIN" index --db "$TMP/idx" "$TMP/full.jsonl"
    [ "$RC" -eq 0 ] || { show; fail "index exited $RC"; }
    : >"$TMP/empty.jsonl"
    head -3 "$TMP/full.jsonl" >"$TMP/truncated.jsonl"
    head -20 "$TMP/full.jsonl" >"$TMP/half.jsonl"
    # A changed document in the half export must not be committed either.
    sed -i 's/number 1\./number one./' "$TMP/half.jsonl"
    cp -r "$TMP/idx" "$TMP/copy"
    for f in empty truncated half; do
      run "$BIN" index --db "$TMP/idx" --prune "$TMP/$f.jsonl"
      [ "$RC" -ne 0 ] || { show; fail "--prune of the $f export exited 0"; }
      grep -q "not pruning" "$TMP/err" || { show; fail "no 'not pruning' for the $f export"; }
    done
    diff -r -x clinsearch.lock "$TMP/idx" "$TMP/copy" >/dev/null || { diff -r "$TMP/idx" "$TMP/copy"; fail "a refused prune changed the index"; }
    run "$BIN" index --db "$TMP/idx" --prune --max-delete-fraction 0.6 "$TMP/half.jsonl"
    [ "$RC" -eq 0 ] || { show; fail "--max-delete-fraction 0.6 exited $RC"; }
    grep -q "20 deleted" "$TMP/out" || { show; fail "expected 20 deleted"; }
    run "$BIN" index --db "$TMP/idx" --prune --allow-mass-delete "$TMP/empty.jsonl"
    [ "$RC" -eq 0 ] || { show; fail "--allow-mass-delete exited $RC"; }
    ;;

  index_dry_run)
    # --dry-run prints counts and ids and writes nothing (review §3.4).
    for i in $(seq 30); do echo "{\"id\":\"d$i\",\"title\":\"W $i\",\"text\":\"Wombats dig burrows number $i.\"}"; done >"$TMP/full.jsonl"
    run "$BIN" index --db "$TMP/idx" "$TMP/full.jsonl"
    head -28 "$TMP/full.jsonl" | sed 's/number 5\./number five./' >"$TMP/next.jsonl"
    echo '{"id":"new","title":"New","text":"A numbat."}' >>"$TMP/next.jsonl"
    cp -r "$TMP/idx" "$TMP/copy"
    run "$BIN" index --db "$TMP/idx" --prune --dry-run "$TMP/next.jsonl"
    [ "$RC" -eq 0 ] || { show; fail "--dry-run exited $RC"; }
    grep -q "would add 1, replace 1 and delete 2 documents" "$TMP/out" || { show; fail "wrong counts"; }
    grep -qx "add	new" "$TMP/out" && grep -qx "replace	d5" "$TMP/out" && grep -qx "delete	d30" "$TMP/out" ||
      { show; fail "ids missing"; }
    diff -r "$TMP/idx" "$TMP/copy" >/dev/null || fail "--dry-run changed the index"
    run "$BIN" index --db "$TMP/never" --dry-run "$TMP/next.jsonl"
    [ ! -e "$TMP/never" ] || fail "--dry-run created the index folder"
    ;;

  index_unreadable_folder)
    # review #22: a folder that cannot be listed (as nobody: root reads mode
    # 000) is an error naming it, and --prune keeps its documents.
    mkdir -p "$TMP/in/locked"
    printf '# Open\n\nWombats dig burrows.\n' >"$TMP/in/open.md"
    printf '# Shut\n\nNumbats eat termites.\n' >"$TMP/in/locked/shut.md"
    as=()
    if [ "$(id -u)" -eq 0 ]; then
      chown -R nobody:nogroup "$TMP" && chmod 755 "$TMP"
      as=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
    fi
    run "${as[@]}" "$BIN" index --db "$TMP/idx" "$TMP/in"
    [ "$RC" -eq 0 ] || { show; fail "index exited $RC"; }
    chmod 000 "$TMP/in/locked"
    run "${as[@]}" "$BIN" index --db "$TMP/idx" --prune --allow-mass-delete "$TMP/in"
    chmod 755 "$TMP/in/locked"
    [ "$RC" -ne 0 ] || { show; fail "an unreadable folder exited 0"; }
    grep -q "$TMP/in/locked: cannot read folder" "$TMP/err" || { show; fail "the folder is not named"; }
    grep -q "not pruning" "$TMP/err" || { show; fail "the prune was not refused"; }
    "$BIN" search --db "$TMP/idx" termites | grep -q "Shut" || fail "its document was deleted"
    ;;

  index_empty_db)
    # review #24: --db "" is refused; nothing is written (into / or here).
    cd "$TMP" || fail "no $TMP"
    run "$BIN" index --db "" "$SRC/corpus/"
    [ "$RC" -ne 0 ] || { show; fail "--db \"\" exited 0"; }
    grep -q "db is empty" "$TMP/err" || { show; fail "no clear message"; }
    [ ! -e "$TMP/XAPIANDB" ] || fail "an index was written"
    ;;

  index_path_spellings)
    # review #27: corpus, ./corpus/ and $PWD/corpus give the same ids.
    cp -r "$SRC/corpus" "$TMP/corpus"
    cd "$TMP" || fail "no $TMP"
    for p in corpus ./corpus/ "$TMP/corpus"; do
      run "$BIN" index --db "$TMP/idx" "$p"
      [ "$RC" -eq 0 ] || { show; fail "index $p exited $RC"; }
    done
    grep -q "indexed 0 documents (0 added, 0 updated, 16 unchanged" "$TMP/out" || { show; fail "new ids for $TMP/corpus"; }
    "$BIN" search --db "$TMP/idx" --json --limit 50 "tumor" | grep -q '"doc_id":"corpus/' || fail "ids are not corpus/..."
    ;;

  index_disk_full)
    # review #18: a rebuild that runs out of space (a file-size limit, as a
    # disk-full stand-in) exits 1 without aborting, removes its generation,
    # leaves the live one as it was, and the next run succeeds.
    python3 -c '
import sys
for i in range(300):
    print("{\"id\":\"big%d\",\"title\":\"Big %d\",\"text\":\"%s\"}" % (i, i, " ".join("w%dx%d" % (i, j) for j in range(400))))
' >"$TMP/big.jsonl"
    run "$BIN" index --db "$TMP/idx" "$SRC/corpus/"
    cp "$TMP/idx/gen-1/postlist.glass" "$TMP/postlist.before"
    for limit in 300 1500; do  # kilobytes: fails in a periodic commit, then in the final one
      (trap '' XFSZ; ulimit -f $limit; exec "$BIN" index --db "$TMP/idx" --rebuild --commit-every 500 "$TMP/big.jsonl" "$SRC/corpus/") >"$TMP/out" 2>"$TMP/err"
      RC=$?
      [ "$RC" -eq 1 ] || { show; fail "exited $RC with a $limit KB limit, expected 1"; }
      [ "$(cat "$TMP/idx/XAPIANDB")" = "auto gen-1" ] || fail "the live generation changed"
      [ ! -e "$TMP/idx/gen-2" ] || fail "the partial generation was left behind"
      cmp -s "$TMP/idx/gen-1/postlist.glass" "$TMP/postlist.before" || fail "the live generation was written"
    done
    run "$BIN" index --db "$TMP/idx" --rebuild "$TMP/big.jsonl" "$SRC/corpus/"
    [ "$RC" -eq 0 ] || { show; fail "the run after the failure exited $RC"; }
    ;;

  index_unwritable)
    # review #20: an index or parent folder nobody may write gets a clear
    # message, not "locked by another writer" or "No such file or directory".
    run "$BIN" index --db "$TMP/idx" "$SRC/corpus/spinal-cord-compression.txt"
    mkdir -p "$TMP/closed" && chmod 755 "$TMP/closed" "$TMP"
    as=()
    if [ "$(id -u)" -eq 0 ]; then as=(setpriv --reuid=nobody --regid=nogroup --clear-groups); else chmod 555 "$TMP/idx" "$TMP/closed"; fi
    run "${as[@]}" "$BIN" index --db "$TMP/idx" "$SRC/corpus/spinal-cord-compression.txt"
    [ "$RC" -eq 1 ] || { show; fail "an unwritable index exited $RC"; }
    grep -q "cannot write to index folder $TMP/idx: Permission denied" "$TMP/err" || { show; fail "unclear message for an unwritable index"; }
    run "${as[@]}" "$BIN" index --db "$TMP/closed/new" "$SRC/corpus/spinal-cord-compression.txt"
    [ "$RC" -eq 1 ] || { show; fail "an unwritable parent exited $RC"; }
    grep -q "cannot create $TMP/closed/new: Permission denied" "$TMP/err" || { show; fail "unclear message for an unwritable parent"; }
    chmod -R u+w "$TMP"
    ;;

  index_concurrent)
    # review #14: an incremental run and a rebuild at once, either order:
    # the second is refused, never acknowledged and dropped.
    python3 -c '
for i in range(300):
    print("{\"id\":\"c%d\",\"title\":\"C %d\",\"text\":\"%s\"}" % (i, i, " ".join("v%dy%d" % (i, j) for j in range(300))))
' >"$TMP/many.jsonl"
    run "$BIN" index --db "$TMP/idx" "$SRC/corpus/"
    for order in incremental rebuild; do
      first=(); second=(--rebuild)
      [ "$order" = rebuild ] && { first=(--rebuild); second=(); }
      "$BIN" index --db "$TMP/idx" "${first[@]}" --threads 1 "$TMP/many.jsonl" "$SRC/corpus/" >/dev/null 2>&1 &
      pid=$!
      for _ in $(seq 50); do grep -qs . "$TMP/idx/clinsearch.lock" && [ -n "$(cat "$TMP/idx/clinsearch.lock")" ] && break; sleep 0.1; done
      sleep 0.3
      run "$BIN" index --db "$TMP/idx" "${second[@]}" "$SRC/corpus/"
      wait $pid || fail "the first run ($order) failed"
      [ "$RC" -ne 0 ] || { show; fail "the second run was not refused ($order first)"; }
      grep -q "index is locked by another writer (pid $pid)" "$TMP/err" || { show; fail "no lock message naming pid $pid"; }
    done
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
