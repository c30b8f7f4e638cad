#!/usr/bin/env python3
"""Write real Motley Fool JSON calls out in other shapes, as test fixtures.

    python3 scripts/fixtures_from_motley.py

The text is the calls' own; only the wrapping changes: plain text with `Name: text`
labels and `[Question] Name: text` labels (tests/fixtures/generic/).
"""
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
SRC = ROOT / "tests/fixtures/motley-fool-json"
OUT = ROOT / "tests/fixtures/generic"


def load(name):
    return json.loads((SRC / f"{name}.txt").read_text())


def paragraphs(entry):
    return [p.strip() for p in entry["speech"].split("\n") if p.strip()]


def colon_labels(name, ticker, period):
    """`Name: text` turns, a `Call participants:` list, `Questions and Answers:`."""
    d = load(name)
    lines = [f"{ticker} {period} Earnings Call Transcript", "", "Call participants:"]
    lines += [p.replace("--", " - ") for p in d["participants"]]
    lines += ["", "Prepared Remarks:", ""]
    for section, entries in (("prepared", d["prepared_remarks"]), ("qa", d["q_and_a"])):
        if section == "qa":
            lines += ["Questions and Answers:", ""]
        for e in entries:
            paras = paragraphs(e)
            if not paras or e["speaker"].startswith("Duration"):
                continue
            lines.append(f"{e['speaker']}: {paras[0]}")
            lines += paras[1:]
            lines.append("")
    return "\n".join(lines) + "\n"


def typed_labels(name, ticker, period):
    """Capital IQ text cells: `[Presenter Speech] Name: text`, `[Question] ...`."""
    d = load(name)
    analysts = {p.split("--")[0].strip() for p in d["participants"] if "Analyst" in p}
    lines = [f"{ticker} {period} Earnings Conference Call", ""]
    for section, entries in (("prepared", d["prepared_remarks"]), ("qa", d["q_and_a"])):
        for e in entries:
            paras = paragraphs(e)
            if not paras or e["speaker"].startswith("Duration"):
                continue
            if e["speaker"] == "Operator":
                kind = "Operator Message"
            elif section == "prepared":
                kind = "Presenter Speech"
            else:
                kind = "Question" if e["speaker"] in analysts else "Answer"
            lines.append(f"[{kind}] {e['speaker']}: {paras[0]}")
            lines += paras[1:]
            lines.append("")
    return "\n".join(lines) + "\n"


OUT.mkdir(exist_ok=True)
(OUT / "mac-q4-2020-colon-labels.txt").write_text(colon_labels("MAC_q4_2020", "MAC", "Q4 2020"))
(OUT / "pb-q1-2021-typed-labels.txt").write_text(typed_labels("PB_q1_2021", "PB", "Q1 2021"))
