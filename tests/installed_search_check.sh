#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# An installed clinsearch used as an operator would, away from the source
# tree: in FOLDER (a new folder outside the source and build trees) it
# indexes a copy of corpus/ with the dictionary it was installed with
# (CLINSEARCH_SYNONYMS_DIR unset) and must put a cryoablation passage first
# for "freeze tumor". Leaves FOLDER/docs and FOLDER/idx for further checks.
# Used by install_test.sh (a prefix) and deb_package_test.sh (/usr).
# usage: installed_search_check.sh PROGRAM SOURCE_DIR FOLDER
set -euo pipefail
program=$1 src=$2 folder=$3
mkdir -p "$folder" && cp -r "$src/corpus" "$folder/docs"
cd "$folder"
unset CLINSEARCH_SYNONYMS_DIR
"$program" --log-level warn index --db idx docs >index.log 2>&1 ||
  { cat index.log; echo "FAIL: $program could not index"; exit 1; }
"$program" search --db idx --json --limit 1 "freeze tumor" >top.json ||
  { echo "FAIL: $program could not search"; exit 1; }
python3 - top.json "$program" <<'PY'
import json, sys
top = json.load(open(sys.argv[1]))["results"][0]
if "cryoablation" not in top["passage"].lower():
    sys.exit(f"FAIL: {sys.argv[2]}: 'freeze tumor' does not put a cryoablation passage first: "
             + top["doc_id"])
PY
