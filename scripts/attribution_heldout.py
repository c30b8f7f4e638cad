#!/usr/bin/env python3
"""Turn attribution on held-out transcripts (issue 10): files of the four layouts that
nobody tuned callsearch to, each with a hand-checked reference `<file>.ref.json`
(see scripts/heldout_reference.py and tests/heldout/README.md).

Usage: scripts/attribution_heldout.py CALLSEARCH HELDOUT_DIR [--misses]

Runs `CALLSEARCH parse FILE --json`, aligns callsearch's turns to the reference by the
first words of each turn (so a turn given to the wrong speaker is a miss, not a shift),
and compares speaker names after normalising case, punctuation and middle initials.
A reference turn with no callsearch turn is a miss ("(no turn)"); a callsearch turn with
no reference turn is reported as extra, not counted in the percentage.
Prints per layout and in total: files, turns, right, %, and every miss.
"""
import difflib, json, os, re, subprocess, sys, unicodedata

def norm_name(s):
    s = unicodedata.normalize('NFKD', s or '').encode('ascii', 'ignore').decode().lower()
    s = re.sub(r"[^a-z0-9 ]", ' ', s.replace("'", ''))
    toks = [t for t in s.split() if len(t) > 1 and t not in ('jr', 'sr', 'ii', 'iii', 'mr', 'ms', 'mrs', 'dr')]
    return ' '.join(toks)

def same(a, b):
    a, b = norm_name(a), norm_name(b)
    if a == b:
        return True
    # a middle name spelled out on one side only: first and last tokens agree
    ta, tb = a.split(), b.split()
    return bool(ta and tb) and ta[0] == tb[0] and ta[-1] == tb[-1] and (set(ta) <= set(tb) or set(tb) <= set(ta))

def snippet(text):
    return re.sub(r'[^a-z0-9]', '', (text or '').lower())[:40]

def parse(exe, path):
    r = subprocess.run([exe, 'parse', '--json', path], capture_output=True, text=True)
    turns = []
    for line in r.stdout.splitlines():
        if line.strip():
            turns += json.loads(line).get('turns', [])
    return turns

def measure(exe, root):
    rows, misses, extras = {}, [], []
    for layout in sorted(os.listdir(root)):
        base = os.path.join(root, layout)
        if not os.path.isdir(base) or layout.startswith(('_', '.')):
            continue
        for dirpath, _, names in os.walk(base):
            for n in sorted(names):
                if not n.endswith('.ref.json'):
                    continue
                path = os.path.join(dirpath, n[:-len('.ref.json')])
                ref = json.load(open(os.path.join(dirpath, n)))
                got = parse(exe, path)
                rs = [r.get('snippet') or '' for r in ref]
                gs = [snippet(' '.join(t.get('paragraphs') or [])) for t in got]
                sm = difflib.SequenceMatcher(None, rs, gs, autojunk=False)
                pairs = {}
                for tag, i1, i2, j1, j2 in sm.get_opcodes():
                    if tag == 'equal' or (tag == 'replace' and i2 - i1 == j2 - j1):
                        for k in range(i2 - i1):
                            pairs[i1 + k] = j1 + k
                matched = set(pairs.values())
                full = [re.sub(r'[^a-z0-9]', '', ' '.join(t.get('paragraphs') or []).lower()) for t in got]
                row = rows.setdefault(layout, [0, 0, 0])
                row[0] += 1
                rel = os.path.relpath(path, root)
                for i, r in enumerate(ref):
                    row[1] += 1
                    j = pairs.get(i)
                    if j is not None and same(r['speaker'], got[j].get('speaker')):
                        row[2] += 1
                    elif j is None and r.get('snippet') and any(r['snippet'] in f and same(r['speaker'], g.get('speaker')) for f, g in zip(full, got)):
                        # the reference's consecutive turns of one speaker, merged into one callsearch turn
                        row[2] += 1
                    else:
                        misses.append((layout, rel, r['turn'], r['speaker'], got[j].get('speaker') if j is not None else '(no turn)'))
                for j, t in enumerate(got):
                    if j not in matched:
                        extras.append((layout, rel, j + 1, t.get('speaker')))
    return rows, misses, extras

def main():
    exe, root = sys.argv[1], sys.argv[2]
    rows, misses, extras = measure(exe, root)
    print(f"{'layout':20} {'files':>5} {'turns':>6} {'right':>6} {'%':>7}")
    tot = [0, 0, 0]
    for layout, (f, t, r) in sorted(rows.items()):
        tot = [tot[0] + f, tot[1] + t, tot[2] + r]
        print(f"{layout:20} {f:5} {t:6} {r:6} {100 * r / max(t, 1):7.2f}")
    print(f"{'total':20} {tot[0]:5} {tot[1]:6} {tot[2]:6} {100 * tot[2] / max(tot[1], 1):7.2f}")
    print(f"\nmisses ({len(misses)}):")
    for m in misses:
        print('  %s | %s | turn %s | expected %r | got %r' % m)
    print(f"\nextra callsearch turns with no reference turn ({len(extras)}):")
    for e in extras:
        print('  %s | %s | turn %s | %r' % e)

if __name__ == '__main__':
    main()
