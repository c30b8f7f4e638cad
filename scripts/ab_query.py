#!/usr/bin/env python3
"""Query latency of two callsearch builds on their own indexes of one archive, measured
in the same run, alternating A and B: per query the median of the `elapsed_ms` each
build reports (search time inside the process), then the median and p95 over queries
and the B/A ratio per query.

    python3 scripts/ab_query.py OLD_BIN OLD_INDEX NEW_BIN NEW_INDEX [--runs 11]

The query set is scripts/bench.sh's twenty plus pasted sentences.
"""
import argparse
import json
import shlex
import statistics
import subprocess

QUERIES = [
    "margin", "guidance", "inventory", "tariffs", "headwinds",
    '"gross margin"', '"supply chain"', '"free cash flow"', '"share repurchase"',
    "'pricing AND competition'", "'cloud OR datacenter'", "'inventory NOT channel'",
    "margin --role cfo", "pricing --section qa", "guidance --asked-by-firm goldman",
    "revenue --since 2015-01-01 --until 2018-12-31",
    "'*' --section qa --facet firm", "margin --facet company",
    "guidance --facet speaker --facet period", "demand --facet role --facet year",
    # pasted sentences
    "'q1 revenue rose 11.1 percent to $481.1 million.'",
    "'What are you seeing in terms of pricing in China?'",
    "'sees fy 2021 adjusted earnings per share $3.81 to $3.93.'",
    "'gross margin was down 130 basis points sequentially, primarily driven by mix'",
]


def elapsed(binary, index, query):
    args = [binary, "query", *shlex.split(query), "--index", index, "--json"]
    out = subprocess.run(args, capture_output=True, text=True).stdout.splitlines()
    summary = json.loads(out[-1]) if out else {}
    return summary.get("elapsed_ms", float("nan"))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("old_bin"), p.add_argument("old_index")
    p.add_argument("new_bin"), p.add_argument("new_index")
    p.add_argument("--runs", type=int, default=11)
    a = p.parse_args()
    rows = []
    for q in QUERIES:
        for _ in range(2):  # warm the page cache
            elapsed(a.old_bin, a.old_index, q), elapsed(a.new_bin, a.new_index, q)
        olds, news = [], []
        for _ in range(a.runs):
            olds.append(elapsed(a.old_bin, a.old_index, q))
            news.append(elapsed(a.new_bin, a.new_index, q))
        rows.append((q, statistics.median(olds), statistics.median(news)))
    print(f"{'query':<72} {'A ms':>8} {'B ms':>8} {'B/A':>6}")
    for q, o, n in rows:
        print(f"{q[:72]:<72} {o:>8.2f} {n:>8.2f} {n / o:>6.2f}")
    for label, part in (("all", rows), ("bench.sh twenty", rows[:20]), ("pasted", rows[20:])):
        o = sorted(r[1] for r in part)
        n = sorted(r[2] for r in part)
        ratio = statistics.median(r[2] / r[1] for r in part)
        p95 = lambda xs: xs[min(len(xs) - 1, int(len(xs) * 0.95))]
        print(f"{label}: median A {statistics.median(o):.2f} ms, B {statistics.median(n):.2f} ms; "
              f"p95 A {p95(o):.2f} ms, B {p95(n):.2f} ms; B/A per query median {ratio:.2f}")


if __name__ == "__main__":
    main()
