#!/usr/bin/env bash
# Index time of two callsearch builds on the same corpus, alternating A and B in one run,
# fresh index each time; prints each run's wall and CPU seconds, the medians and the
# B/A ratio per pair.
#   scripts/ab_index.sh OLD_BIN NEW_BIN [CORPUS] [RUNS]
#   scripts/ab_index.sh /tmp/callsearch-main target/release/callsearch ../shared/corpus 7
set -euo pipefail
a=$1 b=$2 corpus=${3:-../shared/corpus} runs=${4:-7}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Prints wall seconds and CPU seconds (user + system) of one fresh index run.
time_one() {
  rm -rf "$tmp/idx"
  /usr/bin/time -f "%e %U %S" -o "$tmp/t" "$1" index "$corpus" --index "$tmp/idx" --quiet \
    >/dev/null 2>&1 || true
  awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$tmp/t"
}
time_one "$a" >/dev/null; time_one "$b" >/dev/null   # warm the page cache
: > "$tmp/a"; : > "$tmp/b"
for i in $(seq "$runs"); do
  ta=$(time_one "$a"); tb=$(time_one "$b")
  echo "$ta" >> "$tmp/a"; echo "$tb" >> "$tmp/b"
  echo "run $i  A wall/cpu $ta s  B wall/cpu $tb s"
done
python3 - "$tmp/a" "$tmp/b" <<'PY'
import statistics, sys
rows = lambda f: [[float(v) for v in line.split()] for line in open(f)]
a, b = rows(sys.argv[1]), rows(sys.argv[2])
for col, name in ((0, "wall"), (1, "cpu")):
    xa, xb = [r[col] for r in a], [r[col] for r in b]
    ratio = [y / x for x, y in zip(xa, xb)]
    print(f"{name}: median A {statistics.median(xa):.2f} s  B {statistics.median(xb):.2f} s  "
          f"B/A per pair median {statistics.median(ratio):.3f} "
          f"(min {min(ratio):.3f}, max {max(ratio):.3f})")
PY
