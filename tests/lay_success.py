#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""success@3 of the lay-query set (tests/lay_queries.tsv) over corpus/ plus
../shared/seed plus ../shared/corpus/medquad.jsonl.

A query succeeds when one of its top 3 passages (text, title or section
heading) contains one of its MUST alternatives, case-insensitively. See
tests/LAY_QUERIES.md.

usage: tests/lay_success.py [--clinsearch build/clinsearch] [--db DIR]
                            [--queries tests/lay_queries.tsv] [--k 3]
                            [--corpus-only] [--failures] [--reindex]
The index is built in DIR (default build/lay-index) when missing or with
--reindex. With --corpus-only the index holds corpus/ and the seed only.
Exits 0 always when ../shared is present; prints a clear message and exits
0 when it is absent (nothing to measure).
"""
import argparse, collections, json, os, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared")


def load_queries(path):
    queries = []
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3:
            sys.exit(f"{path}:{n}: expected QUERY<TAB>KIND<TAB>MUST")
        q, kind, must = parts
        queries.append((q, kind, [m.strip().lower() for m in must.split("|") if m.strip()]))
    return queries


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--clinsearch", default=os.path.join(ROOT, "build", "clinsearch"))
    ap.add_argument("--db", default=None)
    ap.add_argument("--queries", default=os.path.join(ROOT, "tests", "lay_queries.tsv"))
    ap.add_argument("--k", type=int, default=3)
    ap.add_argument("--corpus-only", action="store_true")
    ap.add_argument("--failures", action="store_true", help="list failed queries")
    ap.add_argument("--reindex", action="store_true")
    ap.add_argument("--plain", action="store_true",
                    help="measure the plain xapian-core baseline (build/bench/plain_xapian) instead")
    ap.add_argument("--search-args", default="",
                    help="extra arguments for 'clinsearch search', e.g. '--title-boost 0.5'")
    ap.add_argument("--min", type=float, default=None, help="exit 1 when success is below this")
    args = ap.parse_args()

    seed = os.path.join(SHARED, "seed")
    medquad = os.path.join(SHARED, "corpus", "medquad.jsonl")
    inputs = [os.path.join(ROOT, "corpus")]
    if os.path.isdir(seed):
        inputs.append(seed)
    if not args.corpus_only:
        if not os.path.exists(medquad):
            print(f"SKIP: {medquad} not found; the lay-query benchmark needs ../shared")
            return 0
        inputs.append(medquad)
    name = ("plain-" if args.plain else "") + ("lay-index-corpus" if args.corpus_only else "lay-index")
    db = args.db or os.path.join(ROOT, "build", name)
    plain = os.path.join(os.path.dirname(args.clinsearch), "bench", "plain_xapian")
    if args.reindex or not os.path.isdir(db):
        subprocess.run(["rm", "-rf", db], check=True)
        if args.plain:
            subprocess.run([plain, "index", db] + inputs, check=True, stderr=subprocess.DEVNULL)
        else:
            subprocess.run([args.clinsearch, "--log-level", "error", "index", "--db", db] + inputs, check=True)

    queries = load_queries(args.queries)
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False, encoding="utf-8") as f:
        for i, (q, _, _) in enumerate(queries):
            f.write(f"{i}\t{q}\n")
        batch = f.name
    if args.plain:
        cmd = [plain, "search", db, "--limit", str(args.k), "--batch", batch]
    else:
        cmd = [args.clinsearch, "--log-level", "error", "search", "--db", db, "--json",
               "--limit", str(args.k), "--batch", batch] + args.search_args.split()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    os.unlink(batch)
    results = {}
    for line in out.splitlines():
        j = json.loads(line)
        results[int(j["id"])] = j
    per_kind = collections.defaultdict(lambda: [0, 0])
    failures = []
    for i, (q, kind, must) in enumerate(queries):
        hits = results.get(i, {}).get("results", [])[: args.k]
        ok = any(any(m in (h["passage"] + "\n" + h["title"] + "\n" + h["section"]).lower() for m in must)
                 for h in hits)
        per_kind[kind][0] += ok
        per_kind[kind][1] += 1
        if not ok:
            top = hits[0]["title"] + " / " + hits[0]["section"] if hits else "(no results)"
            failures.append(f"  [{kind}] {q!r} -> want {'|'.join(must)}; top: {top}"
                            + (f"; corrected: {results[i]['corrected']}" if results.get(i, {}).get("corrected") else ""))
    total_ok = sum(v[0] for v in per_kind.values())
    total = sum(v[1] for v in per_kind.values())
    engine = "plain xapian-core" if args.plain else "clinsearch"
    print(f"{engine} lay-query success@{args.k}: {total_ok}/{total} = {100.0 * total_ok / total:.1f}%"
          f"  (index: {' + '.join(os.path.relpath(p, ROOT) for p in inputs)})")
    for kind in sorted(per_kind):
        ok, n = per_kind[kind]
        print(f"  {kind:12s} {ok}/{n} = {100.0 * ok / n:.1f}%")
    if args.failures and failures:
        print("failures:")
        print("\n".join(failures))
    if args.min is not None and total_ok < args.min * total:
        return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # output cut short by a pager or `head`
        sys.exit(0)
