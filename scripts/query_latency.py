#!/usr/bin/env python3
"""Whole-process query latency of one build on one index: each query of ab_query.py's
set (and three trends) run RUNS times after a warm-up, the wall time of the process
(start, open, search, print) and the search time it reports (`elapsed_ms`); per query
the medians, then p50 and p95 over all runs of the top-10 queries and of the faceted
ones.

    python3 scripts/query_latency.py BIN INDEX [--runs 7]
"""
import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from ab_query import QUERIES  # noqa: E402

TRENDS = ["margin", '"supply chain" --by year', "tariffs --by quarter"]


def run(args):
    start = time.perf_counter()
    out = subprocess.run(args, capture_output=True, text=True)
    wall = (time.perf_counter() - start) * 1000
    lines = out.stdout.splitlines()
    summary = {}
    for line in reversed(lines):
        try:
            summary = json.loads(line)
            break
        except ValueError:
            continue
    return wall, summary.get("elapsed_ms", float("nan")), summary.get("total_hits")


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p * (len(values) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("index")
    ap.add_argument("--runs", type=int, default=7)
    a = ap.parse_args()
    groups = {"top-10": [], "facets": [], "trend": []}
    print(f"{'query':70} {'wall ms':>8} {'search ms':>9} {'hits':>10}")
    jobs = [("query", q) for q in QUERIES] + [("trend", t) for t in TRENDS]
    for kind, q in jobs:
        args = [a.binary, kind, *shlex.split(q), "--index", a.index, "--json"]
        run(args)
        walls, inner, hits = [], [], None
        for _ in range(a.runs):
            w, e, hits = run(args)
            walls.append(w)
            inner.append(e)
        group = "trend" if kind == "trend" else ("facets" if "--facet" in q else "top-10")
        groups[group].extend(walls)
        label = f"{kind} {q}"[:70]
        print(f"{label:70} {statistics.median(walls):8.1f} {statistics.median(inner):9.2f} "
              f"{hits if hits is not None else '-':>10}")
    for name, walls in groups.items():
        if walls:
            print(f"{name}: p50 {pct(walls, 0.5):.1f} ms, p95 {pct(walls, 0.95):.1f} ms "
                  f"({len(walls)} runs)")


if __name__ == "__main__":
    main()
