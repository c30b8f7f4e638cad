#!/usr/bin/env python3
"""Turn the raw results of scripts/bench.sh into BENCHMARKS.md (printed to stdout).

usage: bench_report.py RESULTS_DIR
"""
import glob
import json
import os
import re
import statistics
import sys

R = sys.argv[1]


def load(name):
    with open(os.path.join(R, name)) as f:
        return json.load(f)


def text(name):
    with open(os.path.join(R, name)) as f:
        return f.read()


def median_s(name):
    return load(name)["results"][0]["median"]


def times(name):
    return load(name)["results"][0]["times"]


def peak_rss_mb(name):
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text(name))
    return int(m.group(1)) / 1024 if m else float("nan")


def pct(values, p):
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def index_rows(name, label):
    summary = json.loads(text(f"{name}-summary.json").strip().splitlines()[-1])
    ours = median_s(f"{name}-index.json")
    theirs = median_s(f"{name}-tantivy.json")
    raw = int(text(f"{name}-corpus-bytes.txt"))
    size = int(text(f"{name}-index-bytes.txt"))
    json_bytes = int(text(f"{name}-tantivy-json-bytes.txt"))
    passages = summary["passages"]
    return [
        f"### {label}",
        "",
        "| measure | callsearch (raw files, parsing included) | tantivy-cli (same passages as JSON) |",
        "|---|---|---|",
        f"| input | {raw / 1e6:.1f} MB raw, {summary['indexed']} calls indexed, "
        f"{len(summary['duplicates'])} duplicates, {len(summary['skipped'])} skipped | "
        f"{json_bytes / 1e6:.1f} MB JSON |",
        f"| passages | {passages:,} | {passages:,} |",
        f"| full index, median of {len(times(f'{name}-index.json'))} | **{ours:.3f} s** | {theirs:.3f} s |",
        f"| throughput | {raw / 1e6 / ours:.1f} MB/s raw, {passages / ours:,.0f} passages/s | "
        f"{json_bytes / 1e6 / theirs:.1f} MB/s JSON, {passages / theirs:,.0f} passages/s |",
        f"| peak RSS | {peak_rss_mb(f'{name}-time.txt'):.0f} MB | "
        f"{peak_rss_mb(f'{name}-tantivy-time.txt'):.0f} MB |",
        f"| index size | {size / 1e6:.0f} MB | |",
        f"| tantivy-cli time / ours | **{theirs / ours:.2f}×** | |",
        "",
    ]


def query_rows():
    rows = [
        "| query | callsearch args | median ms | p95 ms | in-process ms | rg median ms | hits |",
        "|---|---|---|---|---|---|---|",
    ]
    top10, faceted, slower_than_rg = [], [], []
    for line in text("queries.tsv").splitlines():
        name, args, summary = line.split("\t")
        slug = name.replace(" ", "-")
        runs = [t * 1000 for t in times(f"q-{slug}.json")]
        rg = median_s(f"rg-{slug}.json") * 1000
        inner = json.loads(summary)
        med, p95 = statistics.median(runs), pct(runs, 95)
        (faceted if "--facet" in args else top10).extend(runs)
        if med >= rg:
            slower_than_rg.append(name)
        rows.append(
            f"| {name} | `{args}` | {med:.1f} | {p95:.1f} | {inner['elapsed_ms']:.1f} | "
            f"{rg:.0f} | {inner['total_hits']:,} |"
        )
    rows += [
        "",
        f"Top-10 queries (16, all runs pooled): p50 {pct(top10, 50):.1f} ms, "
        f"p95 **{pct(top10, 95):.1f} ms**. Faceted queries (4): p50 {pct(faceted, 50):.1f} ms, "
        f"p95 **{pct(faceted, 95):.1f} ms**. Times are whole processes (start, open the "
        "index, search, print); 'in-process' is the search alone as the JSON summary reports it.",
        "",
        "Slower than rg: " + (", ".join(slower_than_rg) if slower_than_rg else "none") + ".",
        "",
    ]
    return rows


def incremental_rows():
    full = median_s("large-index.json")
    none = median_s("nochange.json")
    ten = median_s("ten-changed.json")
    return [
        "| run | median | share of a full index |",
        "|---|---|---|",
        f"| no change | **{none:.2f} s** | {100 * none / full:.1f} % |",
        f"| 10 changed files | **{ten:.2f} s** | {100 * ten / full:.1f} % |",
        f"| full index | {full:.2f} s | 100 % |",
        "",
    ]


def main():
    out = [
        "# Benchmarks",
        "",
        "Written by `scripts/bench.sh` (release build); rerun with",
        "",
        "```sh",
        "apt-get install hyperfine ripgrep time && cargo install tantivy-cli",
        "python3 scripts/gen_corpus.py --out /work/bench-data/archive   # 10,000 calls, > 1 GB",
        "scripts/bench.sh /work/bench-data/archive ../shared/corpus",
        "```",
        "",
        "## Machine",
        "",
        "```",
        text("machine.txt").strip(),
        "```",
        "",
        "## Full index",
        "",
    ]
    out += index_rows("small", "The real corpus (`../shared/corpus`)")
    out += index_rows("large", "The generated archive")
    out += ["## Query latency (generated archive)", ""]
    out += query_rows()
    out += ["## Incremental re-index (generated archive)", ""]
    out += incremental_rows()
    print("\n".join(out))


if __name__ == "__main__":
    main()
