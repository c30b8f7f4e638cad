#!/usr/bin/env python3
"""Write real transcripts from ../shared/corpus out as tabular datasets (the fixtures
in tests/fixtures/tabular/): CSV and JSON Lines with one row per call, and Capital IQ
style component tables (one row per turn) as Parquet (snappy, the pyarrow default) and
JSON Lines.

The calls are read with `callsearch parse --json` (the speaker, section, role class and
paragraphs of each turn), so the datasets hold exactly the real calls' words.

    python3 scripts/fixtures_tabular.py [BINARY] [CORPUS] [OUT]

Needs pyarrow (`pip install pyarrow`) for the Parquet file.
"""

import csv
import json
import os
import subprocess
import sys

BIN = sys.argv[1] if len(sys.argv) > 1 else "target/release/callsearch"
CORPUS = sys.argv[2] if len(sys.argv) > 2 else "../shared/corpus"
OUT = sys.argv[3] if len(sys.argv) > 3 else "tests/fixtures/tabular"

# Small real calls of several layouts.
ROW_CALLS = [
    "motley-fool-json/IDT_q3_2021.txt",
    "motley-fool-json/UTL_q2_2021.txt",
    "streetevents-pdf/Q3 2022 Equity Commonwealth Earnings Call.txt",
]
TYPED_CALLS = [
    "streetevents-pdf/Q3 2022 PennyMac Mortgage Investment Trust Earnings Call.txt",
    "motley-fool-json/RES_q1_2021.txt",
]
COMPONENT_CALLS = [
    "streetevents-text/AMZN/2017-07-27-AMZN.txt",
    "streetevents-pdf/Q3 2022 Morguard Real Estate Investment Trust Earnings Call.txt",
]


def parse(rel):
    out = subprocess.run(
        [BIN, "parse", "--json", os.path.join(CORPUS, rel)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.splitlines()[0])


def participant_lists(t):
    """`Corporate Participants` / `Conference Call Participants` lists of `Name - Role`."""
    lines = []
    for heading, side in (("Corporate Participants", "corporate"), ("Conference Call Participants", "analyst")):
        people = [p for p in t["participants"] if p["side"] == side]
        if people:
            lines.append(heading)
            lines.extend(
                " - ".join(x for x in (p["name"], p["firm"], p["role"]) if x) for p in people
            )
            lines.append("")
    return lines


def colon_text(t):
    """The participant lists, then `Name: first paragraph` and the turn's other
    paragraphs on their own lines; `Questions and Answers` where the Q&A starts."""
    lines = participant_lists(t)
    qa = False
    for turn in t["turns"]:
        if turn["section"] == "qa" and not qa:
            lines.append("Questions and Answers")
            qa = True
        first, *rest = turn["paragraphs"]
        lines.append(f"{turn['speaker']}: {first}")
        lines.extend(rest)
    return "\n".join(lines)


def component_type(turn):
    qa = turn["section"] == "qa"
    if turn["role_class"] == "operator":
        return "Question and Answer Operator Message" if qa else "Presentation Operator Message"
    if not qa:
        return "Presenter Speech"
    return "Question" if turn["role_class"] == "analyst" else "Answer"


def typed_text(t):
    """`[Presenter Speech] Name: ...`, `[Question] Name: ...` lines, as some exports print."""
    lines = []
    for turn in t["turns"]:
        kind = component_type(turn)
        kind = "Operator" if "Operator" in kind else kind
        first, *rest = turn["paragraphs"]
        lines.append(f"[{kind}] {turn['speaker']}: {first}")
        lines.extend(rest)
    return "\n".join(lines)


SPEAKER_TYPE = {"executive": "Executives", "analyst": "Analysts", "operator": "Operator"}


def components(t, transcript_id):
    rows = []
    for order, turn in enumerate(t["turns"], 1):
        rows.append(
            {
                "transcriptid": transcript_id,
                "headline": t["event"],
                "companyname": t["company"],
                "mostimportantdateutc": t["date"],
                "componentorder": order,
                "transcriptcomponenttypename": component_type(turn),
                "transcriptpersonname": "" if turn["role_class"] == "operator" else turn["speaker"],
                "speakertypename": SPEAKER_TYPE.get(turn["role_class"], "Attendees"),
                "componenttext": "\n".join(turn["paragraphs"]),
            }
        )
    return rows


def main():
    os.makedirs(OUT, exist_ok=True)
    calls = [parse(rel) for rel in ROW_CALLS]
    with open(os.path.join(OUT, "calls.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["symbol", "event_date", "title", "full_text"])
        for t in calls:
            w.writerow([t["ticker"] or "", t["date"] or "", t["event"] or "", colon_text(t)])
    # The same first call under names nobody guesses: read with --columns.
    with open(os.path.join(OUT, "renamed.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["sym", "quarter_name", "words"])
        w.writerow([calls[0]["ticker"], calls[0]["fiscal_period"], colon_text(calls[0])])
    with open(os.path.join(OUT, "typed.jsonl"), "w", encoding="utf-8") as f:
        for i, rel in enumerate(TYPED_CALLS):
            t = parse(rel)
            row = {"id": 9000 + i, "ticker": t["ticker"], "company": t["company"],
                   "event": t["event"], "transcript": typed_text(t)}
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    rows = []
    for i, rel in enumerate(COMPONENT_CALLS):
        rows.extend(components(parse(rel), 1_234_560 + i))
    with open(os.path.join(OUT, "components.jsonl"), "w", encoding="utf-8") as f:
        for row in rows[: len(components(parse(COMPONENT_CALLS[0]), 0))]:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist(rows)
    pq.write_table(table, os.path.join(OUT, "components.parquet"), row_group_size=64)
    for name in sorted(os.listdir(OUT)):
        print(name, os.path.getsize(os.path.join(OUT, name)))


if __name__ == "__main__":
    main()
