#!/usr/bin/env python3
"""SQLite FTS5 (porter tokenizer) peer for the indexing benchmark: one row
per input document of a JSONL file (title, all section headings and texts).
usage: fts5_index.py DB.sqlite FILE.jsonl"""
import json, sqlite3, sys

db, path = sys.argv[1], sys.argv[2]
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
