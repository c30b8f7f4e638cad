#!/usr/bin/env bash
# Dataset parsing throughput: MB/s and calls/s of `callsearch report` over one CSV, one
# JSON Lines and one Parquet file (components, snappy) made from the 1,079 real Motley
# Fool calls (written `Name: paragraph`, repeated COPIES times), best of three runs.
# Needs a quiet machine, and pyarrow for the Parquet file.
#   scripts/bench_tabular.sh [COPIES]
set -euo pipefail
cd "$(dirname "$0")/.."
copies=${1:-4}
cargo build --release --quiet
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp" "$copies" <<'PY'
import csv, json, os, sys
tmp, copies = sys.argv[1], int(sys.argv[2])
folder = "../shared/corpus/motley-fool-json"
rows, components = [], []
for n in range(copies):
    for i, name in enumerate(sorted(os.listdir(folder))):
        call = json.load(open(os.path.join(folder, name), encoding="utf-8"))
        lines, order = [], 0
        for section, key in (("presentation", "prepared_remarks"), ("qa", "q_and_a")):
            for e in call.get(key) or []:
                speech = (e.get("speech") or "").strip()
                if not speech or e["speaker"].strip().endswith(":"):
                    continue
                first, *rest = speech.split("\n")
                lines.append(f"{e['speaker']}: {first}")
                lines.extend(rest)
                order += 1
                kind = "Presenter Speech" if section == "presentation" else "Answer"
                components.append({"transcriptid": n * 10000 + i, "componentorder": order,
                                   "transcriptcomponenttypename": kind,
                                   "transcriptpersonname": e["speaker"], "speakertypename": "",
                                   "componenttext": speech, "companyname": name.split("_")[0]})
        rows.append({"ticker": name.split("_")[0], "transcript": "\n".join(lines)})
with open(os.path.join(tmp, "calls.csv"), "w", newline="", encoding="utf-8") as f:
    w = csv.DictWriter(f, ["ticker", "transcript"]); w.writeheader(); w.writerows(rows)
with open(os.path.join(tmp, "calls.jsonl"), "w", encoding="utf-8") as f:
    for r in rows:
        f.write(json.dumps(r) + "\n")
try:
    import pyarrow as pa, pyarrow.parquet as pq
    pq.write_table(pa.Table.from_pylist(components), os.path.join(tmp, "components.parquet"))
except ImportError:
    print("pyarrow missing: no parquet figure", file=sys.stderr)
PY
python3 - "$tmp" <<'PY'
import json, pathlib, subprocess, sys, time
for path in sorted(pathlib.Path(sys.argv[1]).iterdir()):
    size = path.stat().st_size / 1048576
    best, calls = None, 0
    for _ in range(3):
        start = time.perf_counter()
        out = subprocess.run(["target/release/callsearch", "report", str(path), "--json"],
                             check=True, capture_output=True, text=True).stdout
        took = time.perf_counter() - start
        best = took if best is None else min(best, took)
        calls = sum(v["parsed"] for v in json.loads(out)["layouts"].values())
    print(f"{path.name}: {size:.1f} MB, {calls} calls, best of 3: {best:.2f} s, "
          f"{size / best:.2f} MB/s, {calls / best:.1f} calls/s")
PY
