#!/usr/bin/env bash
# PDF parsing throughput: MB/s and calls/s of `callsearch report` over a folder of PDF
# files (default: the 35 bank PDFs), best of three runs. Needs a quiet machine.
#   scripts/bench_pdf.sh [FOLDER]
set -euo pipefail
cd "$(dirname "$0")/.."
folder=${1:-../shared/corpus/bank-pdf}
cargo build --release --quiet
python3 - "$folder" <<'PY'
import pathlib, subprocess, sys, time
folder = pathlib.Path(sys.argv[1])
pdfs = [p for p in folder.rglob("*.pdf") if p.is_file()]
size = sum(p.stat().st_size for p in pdfs) / 1048576
best = None
for _ in range(3):
    start = time.perf_counter()
    subprocess.run(["target/release/callsearch", "report", str(folder)], check=True,
                   stdout=subprocess.DEVNULL)
    took = time.perf_counter() - start
    best = took if best is None else min(best, took)
print(f"pdf files: {len(pdfs)}, {size:.1f} MB, best of 3: {best:.2f} s")
print(f"throughput: {size / best:.2f} MB/s, {len(pdfs) / best:.1f} calls/s")
PY
