#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Writes a JSONL corpus N times over to stdout, ids of copy k suffixed "~k",
for the scaling benches (bench/index_compare.sh, bench/shards.sh).

usage: bench/medquad_copies.py CORPUS.jsonl N > OUT.jsonl
"""
import json
import sys

lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
for copy in range(int(sys.argv[2])):
    for line in lines:
        d = json.loads(line)
        if copy:
            d["id"] = f'{d["id"]}~{copy}'
        print(json.dumps(d))
