#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""SQLite FTS5 (porter tokenizer) peer for the indexing benchmark: one row
per input document of a JSONL file (title, all section headings and texts).

usage: fts5_index.py DB.sqlite FILE.jsonl      build the table
       fts5_index.py latency DB.sqlite FILE    per-query time over QUERY lines
                                               (bm25 top 10 of the OR of the
                                               words): prints "p50_ms p99_ms"
"""
import json, re, sqlite3, sys, time


def build(db, path):
    con = sqlite3.connect(db)
    con.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, tokenize='porter')")
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            body = "\n".join(s.get("heading", "") + "\n" + s.get("text", "") for s in d.get("sections", []))
            rows.append((d["id"], d.get("title", ""), body))
            if len(rows) == 5000:
                con.executemany("INSERT INTO docs VALUES (?, ?, ?)", rows)
                rows.clear()
    con.executemany("INSERT INTO docs VALUES (?, ?, ?)", rows)
    con.commit()
    con.close()


def latency(db, path):
    con = sqlite3.connect(db)
    queries = []
    for line in open(path, encoding="utf-8"):
        words = re.findall(r"\w+", line.lower())
        if words:  # FTS5 syntax: the OR of the quoted words, as Xapian's default
            queries.append(" OR ".join('"%s"' % w for w in words))
    ms = []
    for p in range(6):  # one warm-up pass, then five timed ones
        for q in queries:
            t0 = time.perf_counter()
            con.execute("SELECT id, title, body FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 10",
                        (q,)).fetchall()
            if p:
                ms.append((time.perf_counter() - t0) * 1000)
    ms.sort()
    print(ms[len(ms) // 2], ms[min(len(ms) - 1, len(ms) * 99 // 100)])


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "latency":
        latency(sys.argv[2], sys.argv[3])
    else:
        build(sys.argv[1], sys.argv[2])
