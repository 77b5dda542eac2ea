#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Relevance regression on TREC LiveQA dev: runs `clinsearch eval`
with the defaults, checks nDCG@10 and avgScore against minimums, and checks
that ../shared/eval/score_qrels.py computes the same figures from the run.

usage: check_eval.py CLINSEARCH DB [--min-ndcg 0.40] [--min-avg 0.85]
Prints SKIP and exits 0 when ../shared/eval is absent.
"""
import argparse, os, re, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EVAL = os.path.join(os.path.dirname(ROOT), "shared", "eval")


def figures(text):
    return {k: float(v) for k, v in re.findall(r"(ndcg@10|mrr@10|p@5|avgscore@1)=([0-9.]+)", text)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("clinsearch")
    ap.add_argument("db")
    ap.add_argument("--min-ndcg", type=float, default=0.40)
    ap.add_argument("--min-avg", type=float, default=0.85)
    args = ap.parse_args()
    dev = os.path.join(EVAL, "liveqa-dev")
    if not os.path.isdir(dev):
        print(f"SKIP: {dev} not found")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        run = os.path.join(tmp, "run.jsonl")
        out = subprocess.run([args.clinsearch, "--log-level", "error", "eval", "--db", args.db,
                              "--queries", os.path.join(dev, "queries.tsv"),
                              "--qrels", os.path.join(dev, "qrels.txt"), "--run", run],
                             check=True, capture_output=True, text=True).stdout
        ref = subprocess.run([sys.executable, os.path.join(EVAL, "score_qrels.py"),
                              os.path.join(dev, "qrels.txt"), run],
                             check=True, capture_output=True, text=True).stdout
    ours, theirs = figures(out), figures(ref)
    print("clinsearch eval:", out.strip())
    print("score_qrels.py: ", ref.strip())
    ok = True
    for k in ("ndcg@10", "mrr@10", "p@5", "avgscore@1"):
        if abs(ours[k] - theirs[k]) > 0.0015:
            print(f"FAIL: {k} differs from the reference scorer: {ours[k]} vs {theirs[k]}")
            ok = False
    if ours["ndcg@10"] < args.min_ndcg:
        print(f"FAIL: nDCG@10 {ours['ndcg@10']} < {args.min_ndcg}")
        ok = False
    if ours["avgscore@1"] < args.min_avg:
        print(f"FAIL: avgScore {ours['avgscore@1']} < {args.min_avg}")
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
