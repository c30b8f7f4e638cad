#!/usr/bin/env bash
# Index a corpus with one callsearch binary and write the output of a fixed list of
# 20 queries (`query --json`, elapsed_ms removed) and of `export` into OUT, so two
# builds can be compared with `diff -r`. Usage:
#   scripts/same_output.sh BIN CORPUS OUT
#   scripts/same_output.sh /tmp/old ../shared/corpus /tmp/a
#   scripts/same_output.sh target/release/callsearch ../shared/corpus /tmp/b
#   diff -r /tmp/a /tmp/b
set -euo pipefail
bin=$1 corpus=$2 out=$3
rm -rf "$out" && mkdir -p "$out"
idx="$out/index"
"$bin" index "$corpus" --index "$idx" --json | sed -E 's/"elapsed_ms":[0-9]+/"elapsed_ms":0/' > "$out/index.json" || true
queries=(
  'margin'
  'broadband stimulus'
  '"gross margin"'
  'guidance AND china'
  'pricing OR tariffs'
  'revenue NOT guidance'
  'speaker:"tim cook" iphone'
  '*'
)
i=0
run() {
  i=$((i + 1))
  "$bin" query "$@" --index "$idx" --json \
    | sed -E 's/"elapsed_ms":[0-9.]+/"elapsed_ms":0/' > "$out/q$(printf %02d $i).jsonl" || true
}
for q in "${queries[@]}"; do run "$q" -n 25; done
run 'margin' --facet speaker --facet firm --facet company --facet role --facet period --facet year --facet section -n 5
run '*' --section qa --role analyst --facet firm -n 20
run 'guidance' --with-question -n 30
run 'demand' --context 2 -n 10
run 'capital' --role cfo --since 2015-01-01 --until 2020-12-31 -n 20
run 'growth' --firm "morgan stanley" -n 20
run 'margin' --asked-by-firm goldman --with-question -n 20
run 'dividend' --company aapl --period 2019 -n 20
run 'cloud' --asked-by "brian" -n 20
run 'thank you' --no-demote -n 20
run '*' --speaker cook --facet period -n 40
run 'inventory' --section presentation --role ceo --facet company -n 20
"$bin" export --index "$idx" > "$out/export.ndjson"
"$bin" export --index "$idx" --format opensearch-bulk > "$out/export-bulk.ndjson"
rm -rf "$idx"
wc -l "$out"/*.jsonl "$out"/export*.ndjson | tail -1
