#!/usr/bin/env bash
# Benchmark callsearch against tantivy-cli and ripgrep, and write BENCHMARKS.md.
#
# usage: scripts/bench.sh [ARCHIVE] [SMALL_CORPUS]
#   ARCHIVE       large generated archive (default /work/bench-data/archive; made with
#                 `python3 scripts/gen_corpus.py --out ARCHIVE` when missing)
#   SMALL_CORPUS  the real corpus (default ../shared/corpus)
# env: RUNS (full-index runs, default 5), QUERY_RUNS (per query, default 20),
#      BENCH_WORK (scratch folder, default /tmp/callsearch-bench), TANTIVY (tantivy-cli binary)
# needs: hyperfine, ripgrep, GNU time (/usr/bin/time), python3, tantivy-cli
#   (apt-get install hyperfine ripgrep time; cargo install tantivy-cli)
set -euo pipefail
cd "$(dirname "$0")/.."
ARCHIVE=${1:-/work/bench-data/archive}
SMALL=${2:-../shared/corpus}
WORK=${BENCH_WORK:-/tmp/callsearch-bench}
RUNS=${RUNS:-5}
QUERY_RUNS=${QUERY_RUNS:-20}
TANTIVY=${TANTIVY:-$(command -v tantivy || echo "$HOME/.cargo/bin/tantivy")}
BIN=$PWD/target/release/callsearch
mkdir -p "$WORK"
RESULTS=$WORK/results
rm -rf "$RESULTS" && mkdir -p "$RESULTS"

say() { printf '== %s\n' "$*" >&2; }

cargo build --release --quiet
[[ -d $ARCHIVE ]] || python3 scripts/gen_corpus.py --out "$ARCHIVE"

machine() {
  {
    echo "cpu: $(lscpu | sed -n 's/^Model name:\s*//p' | head -1)"
    echo "cores: $(nproc)"
    echo "memory: $(free -g | awk '/Mem:/ {print $2}') GB"
    echo "kernel: $(uname -r)"
    echo "rustc: $(rustc --version)"
    echo "tantivy-cli: $($TANTIVY --version 2>/dev/null || echo unknown)"
    echo "hyperfine: $(hyperfine --version)"
    echo "ripgrep: $(rg --version | head -1)"
  } > "$RESULTS/machine.txt"
}

# full_index NAME CORPUS: median time, peak RSS, index size, passages, bytes.
full_index() {
  local name=$1 corpus=$2 idx=$WORK/$1-index
  say "full index of $corpus ($RUNS runs)"
  hyperfine --runs "$RUNS" --prepare "rm -rf $idx" \
    --export-json "$RESULTS/$name-index.json" \
    "$BIN index $corpus --index $idx --quiet" >&2
  rm -rf "$idx"
  /usr/bin/time -v "$BIN" index "$corpus" --index "$idx" --json \
    > "$RESULTS/$name-summary.json" 2> "$RESULTS/$name-time.txt"
  du -sb "$idx" | cut -f1 > "$RESULTS/$name-index-bytes.txt"
  du -sb --apparent-size "$corpus" | cut -f1 > "$RESULTS/$name-corpus-bytes.txt"
}

# tantivy_cli NAME: the same passages, exported, indexed by tantivy-cli with 2 threads.
tantivy_cli() {
  local name=$1 idx=$WORK/$1-index dir=$WORK/$1-tantivy
  say "tantivy-cli on the $name export"
  rm -rf "$dir" && mkdir -p "$dir"
  "$BIN" export --index "$idx" --out "$dir/export.ndjson"
  python3 scripts/tantivy_cli_prep.py "$dir/export.ndjson" "$dir/docs.ndjson" "$dir/empty"
  hyperfine --runs "$RUNS" --prepare "rm -rf $dir/idx && cp -r $dir/empty $dir/idx" \
    --export-json "$RESULTS/$name-tantivy.json" \
    "$TANTIVY index -i $dir/idx -f $dir/docs.ndjson -t 2" >&2
  rm -rf "$dir/idx" && cp -r "$dir/empty" "$dir/idx"
  /usr/bin/time -v "$TANTIVY" index -i "$dir/idx" -f "$dir/docs.ndjson" -t 2 \
    > /dev/null 2> "$RESULTS/$name-tantivy-time.txt"
  stat -c %s "$dir/docs.ndjson" > "$RESULTS/$name-tantivy-json-bytes.txt"
}

# The fixed query set: name | callsearch arguments | words for rg.
QUERIES=(
  "term margin|margin|margin"
  "term guidance|guidance|guidance"
  "term inventory|inventory|inventory"
  "term tariffs|tariffs|tariffs"
  "term headwinds|headwinds|headwinds"
  "phrase gross margin|'\"gross margin\"'|gross margin"
  "phrase supply chain|'\"supply chain\"'|supply chain"
  "phrase free cash flow|'\"free cash flow\"'|free cash flow"
  "phrase share repurchase|'\"share repurchase\"'|share repurchase"
  "bool pricing AND competition|'pricing AND competition'|competition"
  "bool cloud OR datacenter|'cloud OR datacenter'|datacenter"
  "bool inventory NOT channel|'inventory NOT channel'|inventory"
  "filter cfo margin|margin --role cfo|margin"
  "filter qa pricing|pricing --section qa|pricing"
  "filter goldman guidance|guidance --asked-by-firm goldman|guidance"
  "filter 2015-2018 revenue|revenue --since 2015-01-01 --until 2018-12-31|revenue"
  "facet qa firms|'*' --section qa --facet firm|analyst"
  "facet margin companies|margin --facet company|margin"
  "facet guidance speakers|guidance --facet speaker --facet period|guidance"
  "facet demand roles|demand --facet role --facet year|demand"
  "pasted fact|'q1 revenue rose 11.1 percent to \$481.1 million.'|481.1"
  "pasted question|'What are you seeing in terms of pricing in China?'|pricing"
  "pasted guidance|'sees fy 2021 adjusted earnings per share \$3.81 to \$3.93.'|3.81"
)

queries() {
  local idx=$WORK/large-index
  say "query latency ($QUERY_RUNS runs per query) and rg"
  : > "$RESULTS/queries.tsv"
  for q in "${QUERIES[@]}"; do
    IFS='|' read -r name args words <<<"$q"
    local slug=${name// /-}
    hyperfine -N -i --warmup 3 --runs "$QUERY_RUNS" --export-json "$RESULTS/q-$slug.json" \
      "$BIN query $args --index $idx --json" > /dev/null 2>&1 || true
    hyperfine --warmup 1 --runs 5 -i --export-json "$RESULTS/rg-$slug.json" \
      "rg -c -i -F '$words' $ARCHIVE" > /dev/null 2>&1 || true
    # shellcheck disable=SC2086
    inner=$(eval "$BIN query $args --index $idx --json" | tail -1) || true
    printf '%s\t%s\t%s\n' "$name" "$args" "$inner" >> "$RESULTS/queries.tsv"
  done
}

# `trend` over common words (target: <= 100 ms whole-process): name | trend arguments.
TRENDS=(
  "trend margin|margin"
  "trend guidance by year|guidance --by year"
  "trend pricing split company|pricing --split company"
  "trend tariffs qa by period|tariffs --section qa --by period"
)

trends() {
  local idx=$WORK/large-index
  say "trend latency ($QUERY_RUNS runs each)"
  : > "$RESULTS/trends.tsv"
  for t in "${TRENDS[@]}"; do
    IFS='|' read -r name args <<<"$t"
    local slug=${name// /-}
    hyperfine -N -i --warmup 3 --runs "$QUERY_RUNS" --export-json "$RESULTS/t-$slug.json" \
      "$BIN trend $args --index $idx --json" > /dev/null 2>&1 || true
    # shellcheck disable=SC2086
    inner=$("$BIN" trend $args --index "$idx" --json | tail -1) || true
    printf '%s\t%s\t%s\n' "$name" "$args" "$inner" >> "$RESULTS/trends.tsv"
  done
}

incremental() {
  local idx=$WORK/large-index toggle=$WORK/toggle.sh f
  say "incremental: no change, then 10 changed files"
  hyperfine --runs "$RUNS" --export-json "$RESULTS/nochange.json" \
    "$BIN index $ARCHIVE --index $idx --quiet" >&2
  mapfile -t changed < <(find "$ARCHIVE" -type f -name '*.txt' | sort | awk 'NR % 997 == 1' | head -10)
  # Before each run, flip the 10 files between their original bytes and the original plus
  # one newline: their content hash changes every run, so they are re-parsed and re-written.
  echo '#!/usr/bin/env bash' > "$toggle"
  for f in "${changed[@]}"; do
    printf 'f=%q; n=%s\n' "$f" "$(stat -c %s "$f")" >> "$toggle"
    echo 'if [ "$(stat -c %s "$f")" = "$n" ]; then echo >> "$f"; else truncate -s "$n" "$f"; fi' >> "$toggle"
  done
  hyperfine --runs "$RUNS" --prepare "bash $toggle" \
    --export-json "$RESULTS/ten-changed.json" \
    "$BIN index $ARCHIVE --index $idx --quiet" >&2
  # Put the original bytes back.
  sed 's/^if .*/truncate -s "$n" "$f"/' "$toggle" | bash
  "$BIN" index "$ARCHIVE" --index "$idx" --quiet
}

machine
full_index small "$SMALL"
tantivy_cli small
full_index large "$ARCHIVE"
tantivy_cli large
queries
trends
incremental
python3 scripts/bench_report.py "$RESULTS" > BENCHMARKS.md
say "wrote BENCHMARKS.md"
