#!/usr/bin/env python3
"""Turn attribution of the dataset readers on real calls nobody tuned to.

The reference is the Motley Fool JSON itself (../shared/corpus/motley-fool-json): each
entry's `speaker` and `speech`, as the scrape wrote them (page furniture such as
`Duration: 49 minutes` or `Questions and Answers:` left out, the trailing
`Call participants:` list dropped). Every call is written out as one row of a dataset,
its text in a shape other vendors use, and parsed with `callsearch parse --json`:

  colon    `Name: first paragraph` then the turn's other paragraphs on their own lines
  typed    `[Presenter Speech] Name: ...`, `[Question] Name: ...`, `[Answer] Name: ...`
           (Q&A entries alternate question/answer by the side the JSON's list implies)

A reference paragraph counts as attributed when the parse holds the same paragraph
(whitespace-normalised) under the same speaker (case-blind); paragraphs the parse lost
or merged count against it.

    python3 scripts/attribution_tabular.py [BINARY] [CORPUS]
"""

import csv
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter

BIN = sys.argv[1] if len(sys.argv) > 1 else "target/release/callsearch"
CORPUS = sys.argv[2] if len(sys.argv) > 2 else "../shared/corpus"


def norm(s):
    return re.sub(r"\s+", " ", s).strip()


def furniture(speaker):
    s = speaker.strip().lower()
    return s.startswith("duration:") or s.endswith(":")


def reference(call):
    """[(speaker, section, [paragraphs])] from the raw JSON."""
    turns = []
    for section, key in (("presentation", "prepared_remarks"), ("qa", "q_and_a")):
        for e in call.get(key) or []:
            sp = norm(e.get("speaker") or "")
            if sp.lower() == "call participants:":
                return turns
            if not sp or furniture(sp):
                continue
            paras = [norm(p) for p in (e.get("speech") or "").split("\n") if norm(p)]
            if paras:
                turns.append((sp, section, paras))
    return turns


def analysts(call):
    out = set()
    for line in call.get("participants") or []:
        parts = [p.strip() for p in line.split("--")]
        if parts and parts[-1].lower() == "analyst":
            out.add(norm(parts[0]).lower())
    return out


def colon_text(turns, _call):
    lines = []
    for sp, _, paras in turns:
        lines.append(f"{sp}: {paras[0]}")
        lines.extend(paras[1:])
    return "\n".join(lines)


def typed_text(turns, call):
    side = analysts(call)
    lines = []
    for sp, section, paras in turns:
        if sp.lower() == "operator":
            kind = "Operator"
        elif section == "presentation":
            kind = "Presenter Speech"
        else:
            kind = "Question" if sp.lower() in side else "Answer"
        lines.append(f"[{kind}] {sp}: {paras[0]}")
        lines.extend(paras[1:])
    return "\n".join(lines)


def score(ref_turns, parsed):
    """(right, total) over reference paragraphs, matched in order."""
    got = []
    for t in parsed["turns"]:
        for p in t["paragraphs"]:
            got.append((norm(p), t["speaker"].lower()))
    right = total = 0
    at = 0
    for sp, _, paras in ref_turns:
        for p in paras:
            total += 1
            for j in range(at, min(at + 50, len(got))):
                if got[j][0] == p:
                    at = j + 1
                    right += got[j][1] == sp.lower()
                    break
    return right, total


def main():
    folder = os.path.join(CORPUS, "motley-fool-json")
    calls = []
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            call = json.load(f)
        calls.append((name, call, reference(call)))
    for shape, make in (("colon", colon_text), ("typed", typed_text)):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, f"motley-{shape}.csv")
            with open(path, "w", newline="", encoding="utf-8") as f:
                w = csv.writer(f)
                w.writerow(["file", "transcript"])
                for name, call, turns in calls:
                    w.writerow([name, make(turns, call)])
            proc = subprocess.run([BIN, "parse", "--json", path], capture_output=True, text=True)
            parsed = [json.loads(line) for line in proc.stdout.splitlines()]
            errors = Counter(line.split(": ", 1)[-1] for line in proc.stderr.splitlines())
        by_row = {p["part"]: p for p in parsed}
        right = total = lost_calls = 0
        for i, (_, _, turns) in enumerate(calls, 1):
            p = by_row.get(f"row={i}")
            n = sum(len(x[2]) for x in turns)
            if p is None:
                lost_calls += 1
                total += n
                continue
            r, t = score(turns, p)
            right += r
            total += t
        print(f"{shape}: {len(calls)} calls, {len(parsed)} parsed, {lost_calls} not read; "
              f"paragraphs attributed to the reference speaker: {right}/{total} = {100 * right / total:.2f} %")
        for reason, n in errors.most_common(3):
            print(f"  not read: {n} x {reason}")


if __name__ == "__main__":
    main()
