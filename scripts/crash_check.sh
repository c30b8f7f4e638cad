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
#      while `query` answers from the last commit;
#   4. `--rebuild` killed with -9 at five points: during the rebuild and after each kill
#      the previous index answers with its full count;
#   5. a full disk, on a small tmpfs (when mounting is allowed): a first build and an
#      update say "no space left on device" and whether a commit exists, leave no files
#      of the failed run, and the next run after freeing space succeeds; a rebuild that
#      cannot fit a second copy is refused up front.
#
# CRASH_SECTIONS=rebuild,diskfull runs only those sections (default: all).
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
    while kill -0 "$pid" 2>/dev/null && ! grep -qs '"generation"' "$idx/callsearch.json"; do sleep 0.005; done
  else
    sleep "$when"
  fi
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  say "kill -9 $name ($when):"
  local code=0 err
  err=$("$BIN" query '*' --index "$idx" -n 0 2>&1 >/dev/null) || code=$?
  # A first build killed before its commit has none: the query says so (exit 2).
  check "query after the kill answers from the last commit (exit $code, $(passages "$idx") passages${err:+, '$err'})" \
    test "$code" -le 1 -o -n "$(grep -F "has no commit yet (its first run did not finish)" <<<"$err")"
  local resume
  resume=$("$BIN" index "$ARCHIVE" --index "$idx" --json | sed -n 's/.*"indexed":\([0-9]*\).*/\1/p')
  check "the next run finishes the job ($resume files indexed by the resume)" test -n "$resume"
  check "same passages as a clean build" test "$(fingerprint "$idx")" = "$clean_fp"
  check "same hits as a clean build for ${#QUERIES[@]} queries" test "$(answers "$idx")" = "$clean_answers"
}

want() { [[ ${CRASH_SECTIONS:-all} == all || ,$CRASH_SECTIONS, == *,$1,* ]]; }

if want kills; then
kill_at early 0.3
kill_at mid "$(calc "$clean_secs / 2")"
kill_at late "$(calc "$clean_secs * 0.85")"
kill_at after-commit commit

say "kill -9 during an update run:"
half=$WORK/half && rm -rf "$half" "$WORK/update" && mkdir -p "$half"
# The first top-level folder that holds calls.
for first_layout in $(find "$ARCHIVE" -mindepth 1 -maxdepth 1 -type d | sort); do
  rm -rf "$WORK/update"
  "$BIN" index "$first_layout" --index "$WORK/update" --quiet 2>/dev/null && break
done
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

fi

if want rebuild; then
  say "kill -9 during --rebuild, at five points:"
  reb=$WORK/rebuild && rm -rf "$reb"
  "$BIN" index "$ARCHIVE" --index "$reb" --quiet
  full=$(passages "$reb")
  for when in 0.3 "$(calc "$clean_secs * 0.25")" "$(calc "$clean_secs * 0.5")" "$(calc "$clean_secs * 0.8")" "$(calc "$clean_secs * 0.97")"; do
    "$BIN" index "$ARCHIVE" --index "$reb" --quiet --rebuild &
    pid=$!
    sleep "$when"
    during=$(passages "$reb")
    kill -0 "$pid" 2>/dev/null && running=yes || running=no
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    after=$(passages "$reb")
    check "at $when s (rebuild still running: $running): $during passages during, $after after the kill, of $full" \
      test "$during" = "$full" -a "$after" = "$full"
  done
  "$BIN" index "$ARCHIVE" --index "$reb" --quiet
  check "the next run leaves one generation ($(ls -d "$reb"/gen-* | wc -l)) and the clean build" \
    test "$(ls -d "$reb"/gen-* | wc -l)" = 1 -a "$(fingerprint "$reb")" = "$clean_fp"
fi

if want diskfull; then
  say "a full disk (tmpfs of 20 MB):"
  disk=$WORK/disk && mkdir -p "$disk"
  if mount -t tmpfs -o size=20m callsearch-full "$disk" 2>/dev/null; then
    trap 'umount "$disk" 2>/dev/null || true' EXIT
    code=0
    err=$("$BIN" index "$ARCHIVE" --index "$disk/idx" --quiet 2>&1) || code=$?
    check "a first build that does not fit: exit $code, '$err'" \
      test "$code" = 2 -a -n "$(grep -F "no space left on device" <<<"$err" | grep -F "$disk/idx/" | grep -F "nothing was committed yet")"
    check "no files of the failed run are left ($(du -sk "$disk" | cut -f1) KB used)" test -z "$(ls -d "$disk"/idx/gen-* 2>/dev/null)"
    small=corpus
    "$BIN" index "$small" --index "$disk/idx" --quiet
    committed=$(passages "$disk/idx")
    check "the next run, on what fits, succeeds ($committed passages)" test "${committed:-0}" -gt 0
    code=0
    err=$("$BIN" index "$ARCHIVE" --index "$disk/idx" --quiet 2>&1) || code=$?
    check "an update that does not fit: exit $code, '$err'" \
      test "$code" = 2 -a -n "$(grep -F "no space left on device" <<<"$err" | grep -F "the last commit is intact")"
    check "the last commit still answers ($(passages "$disk/idx") passages)" test "$(passages "$disk/idx")" = "$committed"
    used=$(du -sk "$disk" | cut -f1)
    check "the failed update's segment files are removed ($used KB used)" test "$used" -lt 8192
    "$BIN" index "$small" --index "$disk/idx" --quiet
    check "the next run succeeds" test "$(passages "$disk/idx")" = "$committed"
    # Leave less free space than the index takes: a rebuild is refused up front.
    size_kb=$(du -sk "$disk/idx" | cut -f1)
    free_kb=$(df -k --output=avail "$disk" | tail -1)
    dd if=/dev/zero of="$disk/filler" bs=1k count=$((free_kb - size_kb / 2)) status=none 2>/dev/null || true
    code=0
    err=$("$BIN" index "$small" --index "$disk/idx" --quiet --rebuild 2>&1) || code=$?
    check "a rebuild without room for two copies: exit $code, '$err'" \
      test "$code" = 2 -a -n "$(grep -F "not enough free space" <<<"$err")"
    check "and the index still answers" test "$(passages "$disk/idx")" = "$committed"
    rm -f "$disk/filler"
    umount "$disk" && trap - EXIT
  else
    say "  skip  mounting a tmpfs is not allowed here (the ENOSPC Directory test in tests/durability.rs covers the messages)"
  fi
fi

if ((failures)); then say "$failures check(s) failed"; exit 1; fi
say "all checks passed"
