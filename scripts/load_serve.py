#!/usr/bin/env python3
"""Load check for `callsearch serve`: 400 /api/search requests, 8 at a time, a fixed mix
of six queries, each the top 10 with one facet; prints errors and latency percentiles.

    callsearch serve --index INDEX --port 8080 &
    python3 scripts/load_serve.py http://127.0.0.1:8080

Exit code 1 when any request failed. Standard library only."""

import json
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

QUERIES = [
    ("margin", "company"),
    ('"gross margin"', "speaker"),
    ("revenue guidance", "firm"),
    ("pricing pressure", "role"),
    ("supply chain", "quarter"),
    ("share repurchase", "company"),
]
REQUESTS = 400
CONCURRENCY = 8


def one(base, i):
    q, facet = QUERIES[i % len(QUERIES)]
    url = f"{base}/api/search?" + urllib.parse.urlencode({"q": q, "limit": 10, "facet": facet})
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            body = json.load(r)
            ok = r.status == 200 and "summary" in body
    except Exception as e:  # noqa: BLE001 - every failure counts as an error
        return time.perf_counter() - start, f"{q}: {e}"
    return time.perf_counter() - start, None if ok else f"{q}: bad response"


def percentile(sorted_ms, p):
    return sorted_ms[min(len(sorted_ms) - 1, int(round(p / 100 * (len(sorted_ms) - 1))))]


def main():
    base = (sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080").rstrip("/")
    one(base, 0)  # warm the page cache
    start = time.perf_counter()
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        results = list(pool.map(lambda i: one(base, i), range(REQUESTS)))
    wall = time.perf_counter() - start
    errors = [e for _, e in results if e]
    ms = sorted(t * 1000 for t, _ in results)
    for e in errors[:10]:
        print("error:", e)
    print(
        f"{REQUESTS} requests, {CONCURRENCY} at a time: {len(errors)} errors, "
        f"p50 {percentile(ms, 50):.1f} ms, p95 {percentile(ms, 95):.1f} ms, "
        f"max {ms[-1]:.1f} ms, {REQUESTS / wall:.0f} requests/s"
    )
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
