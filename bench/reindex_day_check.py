#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Checker for bench/reindex_day.sh: while RUNNING_FILE exists, asks the
server every query of QUERIES that answered when the checker started, and
fetches /doc/ID for every id of IDS (documents in every export), over one
keep-alive connection. Prints one line: answers, 5xx, other non-200s and
empty answers (a 200 with no results or no passages), with up to three
examples of what failed.
usage: reindex_day_check.py URL QUERIES IDS RUNNING_FILE"""
import http.client
import json
import os
import sys
import urllib.parse


def main():
    url, queries_path, ids_path, running = sys.argv[1:5]
    host = urllib.parse.urlparse(url)
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)

    def get(path):
        nonlocal conn
        try:
            conn.request("GET", path)
            res = conn.getresponse()
            return res.status, res.read()
        except (OSError, http.client.HTTPException) as e:
            conn.close()
            conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
            return 0, str(e).encode()

    queries = [q for q in open(queries_path).read().splitlines() if q]
    paths = []
    for q in queries:
        path = "/search?limit=3&q=" + urllib.parse.quote(q)
        status, body = get(path)
        if status == 200 and json.loads(body)["results"]:
            paths.append(("search", path))
    for doc_id in open(ids_path).read().split():
        paths.append(("doc", "/doc/" + urllib.parse.quote(doc_id, safe="")))
    answers = errors_5xx = other = empty = 0
    examples = []
    while os.path.exists(running):
        for kind, path in paths:
            status, body = get(path)
            answers += 1
            if status >= 500:
                errors_5xx += 1
            elif status != 200:
                other += 1
            else:
                data = json.loads(body)
                if not data.get("results" if kind == "search" else "passages"):
                    empty += 1
                else:
                    continue
            if len(examples) < 3:
                examples.append(f"{status} {path[:60]} {body[:100]!r}")
    print(f"{answers:,} answers ({len(paths)} probes), {errors_5xx} 5xx, {other} other, "
          f"{empty} empty" + ("; e.g. " + " / ".join(examples) if examples else ""))


if __name__ == "__main__":
    main()
