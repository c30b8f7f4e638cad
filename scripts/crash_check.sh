#!/usr/bin/env bash
# Crash and concurrency checks, end to end, on a generated archive.
#
# usage: scripts/crash_check.sh [ARCHIVE]
#   ARCHIVE defaults to /tmp/callsearch-crash/archive, generated (2,000 calls) when missing.
#
# What it verifies:
#   1. kill -9 early, mid-run, late, and right after the commit (while merges finish):
#      the index stays readable, and the next run finishes the job with exactly the
#      passages and hits of a clean build;
#   2. kill -9 during an update run: queries still answer from the previous commit;
#   3. a second `index` on the same index fails at once with exit 2 and changes nothing,
#      while `query` answers from the last commit.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${CRASH_WORK:-/tmp/callsearch-crash}
ARCHIVE=${1:-$WORK/archive}
BIN=$PWD/target/release/callsearch
QUERIES=("gross margin" '"supply chain"' "pricing AND competition" "guidance" "inventory NOT channel")
failures=0

say() { printf '%s\n' "$*"; }
calc() { python3 -c "print(round($1, 2))"; }
check() { # check DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@"; then say "  ok    $what"; else say "  FAIL  $what"; failures=$((failures + 1)); fi
}

cargo build --release --quiet
mkdir -p "$WORK"
[[ -d $ARCHIVE ]] || python3 scripts/gen_corpus.py --out "$ARCHIVE" --calls 2000 --min-bytes 150000000 >/dev/null

fingerprint() { "$BIN" export --index "$1" | sha256sum | cut -c1-16; }
answers() { # the hits of the query set, without timings
  local q
  for q in "${QUERIES[@]}"; do
    "$BIN" query "$q" --index "$1" --json -n 20 | grep -v '"type":"summary"' || true
  done | sha256sum | cut -c1-16
}
passages() { { "$BIN" query '*' --index "$1" --json -n 0 2>/dev/null || true; } | sed -n 's/.*"total_hits":\([0-9]*\).*/\1/p'; }

say "archive: $ARCHIVE ($(find "$ARCHIVE" -type f | wc -l) files, $(du -sh "$ARCHIVE" | cut -f1))"
rm -rf "$WORK/clean"
start=$(date +%s.%N)
"$BIN" index "$ARCHIVE" --index "$WORK/clean" --quiet
clean_secs=$(calc "$(date +%s.%N) - $start")
clean_fp=$(fingerprint "$WORK/clean")
clean_answers=$(answers "$WORK/clean")
say "clean build: $(passages "$WORK/clean") passages in $clean_secs s, export $clean_fp, answers $clean_answers"

# kill_at NAME DELAY|commit: start a fresh run, kill -9 it at the point, check, resume, compare.
kill_at() {
  local name=$1 when=$2 idx=$WORK/kill-$1
  rm -rf "$idx"
  "$BIN" index "$ARCHIVE" --index "$idx" --quiet &
  local pid=$!
  if [[ $when == commit ]]; then
    # Right after the manifest of the commit appears: merges are still running.
    while kill -0 "$pid" 2>/dev/null && [[ ! -e $idx/callsearch-manifest.json ]]; do sleep 0.005; done
  else
    sleep "$when"
  fi
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  say "kill -9 $name ($when):"
  local code=0
  "$BIN" query '*' --index "$idx" -n 0 >/dev/null 2>&1 || code=$?
  check "query after the kill answers from the last commit (exit $code, $(passages "$idx") passages)" test "$code" -le 1
  local resume
  resume=$("$BIN" index "$ARCHIVE" --index "$idx" --json | sed -n 's/.*"indexed":\([0-9]*\).*/\1/p')
  check "the next run finishes the job ($resume files indexed by the resume)" test -n "$resume"
  check "same passages as a clean build" test "$(fingerprint "$idx")" = "$clean_fp"
  check "same hits as a clean build for ${#QUERIES[@]} queries" test "$(answers "$idx")" = "$clean_answers"
}

kill_at early 0.3
kill_at mid "$(calc "$clean_secs / 2")"
kill_at late "$(calc "$clean_secs * 0.85")"
kill_at after-commit commit

say "kill -9 during an update run:"
half=$WORK/half && rm -rf "$half" "$WORK/update" && mkdir -p "$half"
first_layout=$(find "$ARCHIVE" -mindepth 1 -maxdepth 1 -type d | sort | head -1)
"$BIN" index "$first_layout" --index "$WORK/update" --quiet
before=$(passages "$WORK/update")
"$BIN" index "$ARCHIVE" --index "$WORK/update" --quiet &
pid=$!
sleep "$(calc "$clean_secs / 4")"
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
check "after the kill the index still holds the previous commit's $before passages" test "$(passages "$WORK/update")" = "$before"
"$BIN" index "$ARCHIVE" --index "$WORK/update" --quiet
check "the next run brings it to the clean build" test "$(fingerprint "$WORK/update")" = "$clean_fp"

say "two writers at once:"
rm -rf "$WORK/busy"
"$BIN" index "$first_layout" --index "$WORK/busy" --quiet
busy_before=$(fingerprint "$WORK/busy")
"$BIN" index "$ARCHIVE" --index "$WORK/busy" --quiet &
pid=$!
sleep 0.5
second_code=0
second_err=$("$BIN" index "$ARCHIVE" --index "$WORK/busy" 2>&1 >/dev/null) || second_code=$?
query_code=0
during=$("$BIN" query '*' --index "$WORK/busy" --json -n 0 2>&1 | tail -1) || query_code=$?
kill -0 "$pid" 2>/dev/null && still_running=yes || still_running=no
check "second index exits 2 at once: '$second_err' (first still running: $still_running)" test "$second_code" = 2
check "query during the run answers from the last commit (exit $query_code)" test "$query_code" -le 1
wait "$pid"
check "the first run completes to the clean build" test "$(fingerprint "$WORK/busy")" = "$clean_fp"
say "(before the runs the busy index held export $busy_before)"

if ((failures)); then say "$failures check(s) failed"; exit 1; fi
say "all checks passed"
