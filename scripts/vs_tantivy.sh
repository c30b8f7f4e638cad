#!/usr/bin/env bash
# Index time of callsearch (raw files, parsing included) against tantivy-cli (the same
# passages as JSON, the export's fields: scripts/tantivy_cli_prep.py), alternating the two
# in one run, a fresh index each time. Prints each pair, the medians, peak RSS and the
# ratio tantivy-cli time / callsearch time per pair with its min-max (above 1: callsearch
# is faster).
#   scripts/vs_tantivy.sh CORPUS [RUNS]
#   scripts/vs_tantivy.sh ../shared/corpus 7
# With ../shared/corpus, only its text layouts are indexed (PDF files are timed apart by
# scripts/bench_pdf.sh). env: BIN (callsearch, default target/release/callsearch),
# TANTIVY (tantivy-cli), THREADS (tantivy-cli indexing threads, default 2).
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=$1 runs=${2:-7}
BIN=${BIN:-$PWD/target/release/callsearch}
TANTIVY=${TANTIVY:-$(command -v tantivy || echo "$HOME/.cargo/bin/tantivy")}
THREADS=${THREADS:-2}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The text layouts of a corpus: every top folder but PDF-only ones, as symlinks.
text_layouts() {
  mkdir -p "$tmp/corpus"
  for d in "$1"/*/; do
    d=${d%/}
    if find "$d" -type f -iname '*.pdf' -print -quit | grep -q .; then
      echo "skipping $d (PDF files: timed apart)" >&2
      continue
    fi
    ln -s "$(realpath "$d")" "$tmp/corpus/$(basename "$d")"
  done
  echo "$tmp/corpus"
}

[[ -x $TANTIVY ]] || { echo "error: tantivy-cli not found (cargo install tantivy-cli)" >&2; exit 2; }
src=$(text_layouts "$corpus")
"$BIN" index "$src" --index "$tmp/cs" --quiet
"$BIN" export --index "$tmp/cs" --out "$tmp/export.ndjson"
python3 scripts/tantivy_cli_prep.py "$tmp/export.ndjson" "$tmp/docs.ndjson" "$tmp/empty"
echo "passages: $(wc -l < "$tmp/docs.ndjson"), JSON for tantivy-cli: $(du -h "$tmp/docs.ndjson" | cut -f1)"

# One fresh run: prints wall seconds and peak RSS in MB.
run_cs() {
  rm -rf "$tmp/cs"
  /usr/bin/time -f "%e %M" -o "$tmp/t" "$BIN" index "$src" --index "$tmp/cs" --quiet >/dev/null 2>&1
  awk '{ printf "%s %.0f\n", $1, $2 / 1024 }' "$tmp/t"
}
run_tantivy() {
  rm -rf "$tmp/tv" && cp -r "$tmp/empty" "$tmp/tv"
  /usr/bin/time -f "%e %M" -o "$tmp/t" "$TANTIVY" index -i "$tmp/tv" -f "$tmp/docs.ndjson" \
    -t "$THREADS" >/dev/null 2>&1
  awk '{ printf "%s %.0f\n", $1, $2 / 1024 }' "$tmp/t"
}

run_cs >/dev/null; run_tantivy >/dev/null   # warm the page cache
: > "$tmp/a"; : > "$tmp/b"
for i in $(seq "$runs"); do
  # Alternate which goes first, so neither always follows the other's cache state.
  if (( i % 2 )); then c=$(run_cs); t=$(run_tantivy); else t=$(run_tantivy); c=$(run_cs); fi
  echo "$c" >> "$tmp/a"; echo "$t" >> "$tmp/b"
  echo "run $i  callsearch ${c% *} s (${c#* } MB)  tantivy-cli ${t% *} s (${t#* } MB)"
done
python3 - "$tmp/a" "$tmp/b" <<'PY'
import statistics, sys
rows = lambda f: [[float(v) for v in line.split()] for line in open(f)]
cs, tv = rows(sys.argv[1]), rows(sys.argv[2])
ratio = [t[0] / c[0] for c, t in zip(cs, tv)]
med = lambda rs, i: statistics.median(r[i] for r in rs)
print(f"callsearch median {med(cs, 0):.2f} s, peak RSS median {med(cs, 1):.0f} MB")
print(f"tantivy-cli median {med(tv, 0):.2f} s, peak RSS median {med(tv, 1):.0f} MB")
print(f"tantivy-cli time / callsearch time per pair: median {statistics.median(ratio):.2f}x "
      f"(min {min(ratio):.2f}, max {max(ratio):.2f})")
PY
