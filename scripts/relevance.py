#!/usr/bin/env python3
"""Relevance harness: does a query find the passage where the call said it?

For every judged fact of a split (../shared/relevance/{train,val}.jsonl) and each of the
four query styles (fact, or, keywords, number), run `callsearch query` scoped to the call
(--company TICKER --period PERIOD) and, in the same run, tantivy-py BM25 over the same
passages (callsearch's own export; `parse_query` over the text field, falling back to
`parse_query_lenient` when it raises). Prints, per engine and style: queries, queries with
hits, parse errors, Success@1, Success@10, MRR@10 and median / p95 latency.

    pip install tantivy
    python3 scripts/relevance.py --split train            # tune on this
    python3 scripts/relevance.py --split val              # report this
    python3 scripts/relevance.py --split val --limit 50   # a quick look

The callsearch index of ../shared/corpus/motley-fool-json is built once into --index
(default /tmp/callsearch-relevance) unless it exists; pass --rebuild after changing the
analysis.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared")
STYLES = ["fact", "or", "keywords", "number"]


def args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--split", default="train", choices=["train", "val"])
    p.add_argument("--bin", default=os.path.join(ROOT, "target/release/callsearch"))
    p.add_argument("--index", default="/tmp/callsearch-relevance")
    p.add_argument("--corpus", default=os.path.join(SHARED, "corpus/motley-fool-json"))
    p.add_argument("--rebuild", action="store_true")
    p.add_argument("--limit", type=int, default=0, help="only the first N facts")
    p.add_argument("--no-peer", action="store_true", help="skip tantivy-py")
    p.add_argument("--misses", type=int, default=0, help="print N misses per style")
    return p.parse_args()


def build_index(a):
    if a.rebuild or not os.path.exists(os.path.join(a.index, "meta.json")):
        cmd = [a.bin, "index", a.corpus, "--index", a.index, "--quiet"]
        if a.rebuild:
            cmd.append("--rebuild")
        subprocess.run(cmd, check=True)


def facts(a):
    path = os.path.join(SHARED, "relevance", f"{a.split}.jsonl")
    rows = [json.loads(line) for line in open(path)]
    return rows[: a.limit] if a.limit else rows


def callsearch(a, fact, query):
    cmd = [a.bin, "query", query, "--index", a.index, "--json", "-n", "10",
           "--company", fact["ticker"], "--period", fact["period"]]
    start = time.perf_counter()
    run = subprocess.run(cmd, capture_output=True, text=True)
    wall = (time.perf_counter() - start) * 1000
    if run.returncode == 2:
        return None, wall
    lines = [json.loads(x) for x in run.stdout.splitlines() if x.strip()]
    hits = [x["text"] for x in lines if x.get("type") == "hit"]
    summary = [x for x in lines if x.get("type") == "summary"]
    ms = summary[0]["elapsed_ms"] if summary else wall
    return hits, ms


class Peer:
    """tantivy-py BM25 over callsearch's export of the same index."""

    def __init__(self, a):
        import tantivy

        self.tantivy = tantivy
        b = tantivy.SchemaBuilder()
        b.add_text_field("text", stored=True, tokenizer_name="en_stem")
        b.add_text_field("ticker", stored=False, tokenizer_name="raw")
        b.add_text_field("period", stored=False, tokenizer_name="raw")
        self.schema = b.build()
        self.index = tantivy.Index(self.schema)
        writer = self.index.writer(heap_size=200_000_000)
        export = subprocess.run([a.bin, "export", "--index", a.index],
                                capture_output=True, text=True, check=True)
        for line in export.stdout.splitlines():
            p = json.loads(line)
            writer.add_document(tantivy.Document(
                text=p["text"], ticker=p["ticker"] or "", period=p["fiscal_period"] or ""))
        writer.commit()
        self.index.reload()
        self.searcher = self.index.searcher()

    def search(self, fact, query):
        t = self.tantivy
        start = time.perf_counter()
        try:
            q = self.index.parse_query(query, ["text"])
            error = False
        except ValueError:
            q, _ = self.index.parse_query_lenient(query, ["text"])
            error = True
        scope = t.Query.boolean_query([
            (t.Occur.Must, q),
            (t.Occur.Must, t.Query.term_query(self.schema, "ticker", fact["ticker"])),
            (t.Occur.Must, t.Query.term_query(self.schema, "period", fact["period"])),
        ])
        top = self.searcher.search(scope, 10).hits
        hits = [self.searcher.doc(addr)["text"][0] for _, addr in top]
        return hits, (time.perf_counter() - start) * 1000, error


def rank(hits, fact):
    relevant = {r["text"] for r in fact["relevant"]}
    for i, text in enumerate(hits or []):
        if text in relevant:
            return i + 1
    return None


def table(name, results):
    print(f"\n{name}")
    print(f"{'style':<10} {'queries':>7} {'with hits':>9} {'errors':>6} {'S@1':>6} {'S@10':>6} "
          f"{'MRR@10':>7} {'p50 ms':>7} {'p95 ms':>7}")
    for style in STYLES:
        rows = results[style]
        n = len(rows)
        ranks = [r for r, _, _, _ in rows]
        ms = sorted(m for _, m, _, _ in rows)
        s1 = sum(1 for r in ranks if r == 1) / n
        s10 = sum(1 for r in ranks if r) / n
        mrr = sum(1 / r for r in ranks if r) / n
        with_hits = sum(1 for _, _, h, _ in rows if h)
        errors = sum(1 for _, _, _, e in rows if e)
        p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
        print(f"{style:<10} {n:>7} {with_hits:>9} {errors:>6} {s1:>6.3f} {s10:>6.3f} "
              f"{mrr:>7.3f} {statistics.median(ms):>7.2f} {p95:>7.2f}")


def main():
    a = args()
    build_index(a)
    rows = facts(a)
    peer = None if a.no_peer else Peer(a)
    ours = {s: [] for s in STYLES}
    theirs = {s: [] for s in STYLES}
    misses = {s: [] for s in STYLES}
    for fact in rows:
        for style in STYLES:
            q = fact["queries"][style]
            hits, ms = callsearch(a, fact, q)
            r = rank(hits, fact)
            ours[style].append((r, ms, bool(hits), hits is None))
            if not r:
                misses[style].append((fact["id"], q, "error" if hits is None else len(hits)))
            if peer:
                phits, pms, perr = peer.search(fact, q)
                theirs[style].append((rank(phits, fact), pms, bool(phits), perr))
    print(f"split {a.split}: {len(rows)} facts, {len(set(f['call'] for f in rows))} calls")
    table("callsearch", ours)
    if peer:
        table("tantivy-py (parse_query, lenient on error)", theirs)
    for style in STYLES:
        for m in misses[style][: a.misses]:
            print("miss", style, *m, file=sys.stderr)


if __name__ == "__main__":
    main()
