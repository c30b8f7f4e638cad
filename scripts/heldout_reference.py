#!/usr/bin/env python3
"""Builds a first-draft speaker reference for held-out transcripts, independently of
callsearch: one small reader per layout that looks only at that layout's speaker-label
lines. Every disagreement with callsearch is then checked by hand against the file and
the reference fixed where this reader was wrong (see tests/heldout/README.md).

Usage: scripts/heldout_reference.py HELDOUT_DIR [--force]
  writes <file>.ref.json next to each transcript (unless it exists, or --force):
  a list of {"turn": n, "speaker": name, "role_class": ..., "snippet": first words}
Layout = the first folder under HELDOUT_DIR: streetevents-text, streetevents-pdf,
seekingalpha, motley-fool-json.
"""
import json, os, re, sys

def snippet(text):
    return re.sub(r'[^a-z0-9]', '', text.lower())[:40]

def decode(raw):
    for enc in ('utf-8', 'cp1252', 'latin-1'):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            pass

def streetevents_text(text):
    lines = text.replace('\r\n', '\n').split('\n')
    out, section = [], None
    for i, line in enumerate(lines):
        s = line.strip()
        if s in ('Presentation', 'Questions and Answers') and i + 1 < len(lines) and lines[i + 1].startswith('===='):
            section = s
            continue
        if s in ('Definitions', 'Disclaimer') and i + 1 < len(lines) and lines[i + 1].startswith('----'):
            section = None
        if section is None:
            continue
        m = re.match(r'^(.*\S)\s+\[(\d+)\]$', s)
        if m and i > 0 and lines[i - 1].startswith('----'):
            head = m.group(1)
            name, _, rest = (head.partition(',  ') if ',  ' in head else head.partition(','))
            name = name.strip()
            role = 'operator' if name == 'Operator' else None
            body = ''
            for nxt in lines[i + 2:i + 8]:
                if nxt.strip() and not nxt.startswith('----'):
                    body = nxt
                    break
            out.append((name, role, body))
    return out

def streetevents_pdf(text):
    lines = [l.replace('\xa0', ' ') for l in text.split('\n')]
    out, on = [], False
    for i, line in enumerate(lines):
        s = line.strip()
        if s in ('PRESENTATION', 'QUESTIONS AND ANSWERS'):
            on = True
            continue
        if s == 'DISCLAIMER':
            on = False
        if not on or line != ' ' or i + 1 >= len(lines):
            continue
        name = lines[i + 1].strip()
        if name == 'Operator':
            out.append(('Operator', 'operator', lines[i + 2] if i + 2 < len(lines) else ''))
        elif i + 2 < len(lines) and ' - ' in lines[i + 2]:
            j = i + 3
            # a role wrapped onto a second line: a short line without sentence punctuation
            if j < len(lines) and len(lines[j].split()) <= 3 and not re.search(r'[.?!,]$', lines[j].strip()) and lines[j].strip() and lines[j].strip()[0].isupper() and lines[i + 2].rstrip().endswith(('&', 'Senior', 'and', 'of', 'Research', 'Head', 'VP,', 'Director,')):
                j += 1
            out.append((name, None, lines[j] if j < len(lines) else ''))
    return out

def key(name):
    return re.sub(r'\s+', ' ', name.replace('\u2019', "'").replace('\xa0', ' ')).strip().lower()

def seekingalpha(text):
    lines = [l.strip() for l in text.replace('\r\n', '\n').split('\n')]
    known, roles, mode, start = {}, {}, None, None
    for i, s in enumerate(lines[:200]):
        if s in ('Executives', 'Company Participants', 'Company Representatives', 'Corporate Participants'):
            mode = 'executive'; continue
        if s in ('Analysts', 'Conference Call Participants'):
            mode = 'analyst'; continue
        if s == 'Operator':
            start = i; break
        if mode and s:
            name = re.split(r' [-–—] ', s)[0].strip()
            known[key(name)] = mode
    out = []
    for i in range(start or 0, len(lines)):
        s = lines[i]
        name = re.split(r' [-–—] ', s)[0].strip() if ' - ' in s and len(s) < 120 else s
        if s == 'Operator' or key(name) in known or re.fullmatch(r'(Unidentified|Unknown) (Analyst|Speaker|Participant|Company Representative)', s):
            body = lines[i + 1] if i + 1 < len(lines) else ''
            if not body:
                continue  # a label with no speech under it (`Operator` then a blank line): no turn
            role = 'operator' if s == 'Operator' else known.get(key(name))
            out.append((name, role, body))
    return out

def motley_fool_json(text):
    d = json.loads(text)
    out = []
    for part in ('prepared_remarks', 'q_and_a'):
        for e in d.get(part) or []:
            sp, speech = e.get('speaker', ''), e.get('speech', '')
            if not speech.strip() and re.match(r'Duration:', sp):
                continue
            role = 'operator' if sp == 'Operator' else None
            out.append((sp, role, speech.split('\n')[0]))
    return out

READERS = {'streetevents-text': streetevents_text, 'streetevents-pdf': streetevents_pdf,
           'seekingalpha': seekingalpha, 'motley-fool-json': motley_fool_json}

def main():
    root, force = sys.argv[1], '--force' in sys.argv
    for layout, read in READERS.items():
        base = os.path.join(root, layout)
        for dirpath, _, names in os.walk(base):
            for n in sorted(names):
                if n.endswith('.ref.json'):
                    continue
                path = os.path.join(dirpath, n)
                ref = path + '.ref.json'
                if os.path.exists(ref) and not force:
                    continue
                turns = read(decode(open(path, 'rb').read()))
                json.dump([{'turn': k + 1, 'speaker': s, 'role_class': r, 'snippet': snippet(b)}
                           for k, (s, r, b) in enumerate(turns)], open(ref, 'w'), indent=1, ensure_ascii=False)
                print(ref, len(turns))

if __name__ == '__main__':
    main()
