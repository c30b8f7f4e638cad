#!/usr/bin/env python3
"""Issue 12's done-when checks over an index (default: one built from ../shared/corpus).

Usage: python3 scripts/check_people.py [--bin target/release/callsearch] [--index DIR]
Prints one line per check (`ok` / `FAIL` with examples) and exits 1 when any fails.
"""
import argparse
import collections
import json
import re
import subprocess
import sys
import tempfile


def run(args, binary):
    out = subprocess.run([binary, *args], capture_output=True, text=True)
    if out.returncode not in (0, 1):
        sys.exit(f"{' '.join(args)}: exit {out.returncode}: {out.stderr.strip()}")
    return out.stdout


def export_all(binary, index):
    with tempfile.NamedTemporaryFile(suffix=".ndjson") as f:
        run(["export", "*", "--index", index, "--out", f.name], binary)
        with open(f.name) as r:
            return [json.loads(line) for line in r]


def first_last(name):
    words = re.sub(r"[^a-z ]", "", name.lower().replace("-", " ")).split()
    words = [w for w in words if w not in ("jr", "sr", "ii", "iii", "iv")]
    return (words[0], words[-1]) if len(words) >= 2 else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/callsearch")
    ap.add_argument("--index", default="index")
    a = ap.parse_args()
    passages = export_all(a.bin, a.index)
    failed = False

    def report(name, bad, total):
        nonlocal failed
        failed |= bool(bad)
        status = "ok" if not bad else "FAIL"
        print(f"{status:4}  {name}: {len(bad)} of {total}" + (f"  e.g. {bad[:5]}" if bad else ""))

    # 1. One speaker value per first+last name among a company's executives and analysts.
    names = collections.defaultdict(set)
    for p in passages:
        if p["role_class"] in ("executive", "analyst"):
            fl = first_last(p["speaker"])
            if fl:
                names[(p["company"] or p["ticker"], p["role_class"], fl)].add(p["speaker"])
    split = [sorted(v) for v in names.values() if len(v) > 1]
    report("people split under several spellings within a company", split, len(names))

    # 2. Each broker of the issue is one firm value.
    brokers = {
        "BofA": r"\bbofa\b|banc of america|bank of america|merrill|\bb of a\b",
        "RBC": r"\brbc\b|royal bank of canada",
        "BMO": r"\bbmo\b|bank of montreal",
        "Susquehanna": r"susquehanna",
        "Cross Research": r"^cross\b",
    }
    bad = []
    for canonical, pattern in brokers.items():
        values = {p["firm"] for p in passages if p["role_class"] == "analyst"
                  and p["firm_raw"] and re.search(pattern, p["firm_raw"].lower())}
        if values != {canonical}:
            bad.append((canonical, sorted(v or "" for v in values)))
    report("brokers shown under more than one firm value", bad, len(brokers))

    # 3. --company apple and --company aapl find the same passages.
    def ids(company):
        out = run(["export", "*", "--index", a.index, "--company", company], a.bin)
        return {json.loads(line)["passage_id"] for line in out.splitlines()}
    apple, aapl = ids("apple"), ids("aapl")
    report("passages in only one of --company apple / --company aapl",
           sorted(apple ^ aapl)[:5] if apple != aapl else [], len(apple | aapl))
    googl, goog = ids("googl"), ids("goog")
    report("passages in only one of --company googl / --company goog",
           sorted(googl ^ goog)[:5] if googl != goog else [], len(googl | goog))

    # 4. No company's own people are analysts.
    def key(s):
        return re.sub(r"[^a-z0-9]", "", (s or "").lower())
    own = sorted({(p["company"], p["speaker"], p["firm"]) for p in passages
                  if p["role_class"] == "analyst" and p["firm"] and p["company"]
                  and key(p["firm"]) == key(p["company"])})
    report("analysts whose firm is the company", own, len(passages))

    # 5. No call indexed twice: one call per company, date and first passage text.
    calls = collections.defaultdict(set)
    for p in passages:
        if p["date"] and p["turn"] == 2 and p["paragraph"] == 1:
            calls[(p["company"], p["date"])].add(p["call_id"])
    twice = sorted(k for k, v in calls.items() if len(v) > 1)
    report("company+date with more than one call indexed", twice, len(calls))

    # 6. Every question object is the whole question turn.
    turns = collections.defaultdict(list)
    for p in passages:
        turns[(p["call_id"], p["turn"])].append((p["paragraph"], p["text"]))
    out = run(["query", "guidance", "--index", a.index, "--with-question", "--json", "-n", "1000"], a.bin)
    cut, checked = [], 0
    for line in out.splitlines():
        h = json.loads(line)
        q = h.get("question")
        if h["type"] != "hit" or not q:
            continue
        checked += 1
        whole = "\n\n".join(t for _, t in sorted(turns[(h["call_id"], q["turn"])]))
        if q["text"] != whole:
            cut.append(h["passage_id"])
    report("answers whose question object is not the whole turn", cut, checked)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
