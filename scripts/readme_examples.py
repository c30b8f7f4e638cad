#!/usr/bin/env python3
"""Refresh the README's "Examples on the bundled corpus" section with real output.

usage: python3 scripts/readme_examples.py   (after `cargo build --release`)

Indexes corpus/ into a temporary folder, runs each example, and rewrites the text
between the `<!-- examples:start -->` and `<!-- examples:end -->` markers.
"""
import os
import re
import shlex
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "callsearch")

EXAMPLES = [
    ("A pasted question: content words only, stopwords never required",
     "'What are you seeing in terms of pricing in China?' -n 2"),
    ("A finance abbreviation also matches its spelled-out form", "eps -n 2"),
    ("Most words: all words first, then at least half, or a figure typed",
     "'iphone revenue grew 40% to record levels' -n 3"),
    ("A typo gets a suggestion", "'iphnoe sales' -n 1"),
    ("Filter by speaker (any part of the name, any case)", "margin --speaker russo -n 2"),
    ("Filter by firm: every spelling of Jefferies", "'*' --firm jefferies -n 2"),
    ("Filter by company name or ticker", "revenue --company axp -n 1"),
    ("Filter by title", "margin --role cfo -n 2"),
    ("Section and dates", "pricing --section qa --since 2018-01-01 --until 2021-12-31 -n 2"),
    ("Fiscal period, facet by speaker", "'*' --period 'Q2 2011' --facet speaker --facet-limit 5 -n 0"),
    ("Which brokers asked the most questions", "'*' --section qa --role analyst --facet firm --facet-limit 5 -n 0"),
    ("Facets on a query", "margin --facet company --facet role --facet-limit 4 -n 0"),
    ("Period, year and section facets", "'*' --facet period --facet year --facet section --facet-limit 3 -n 0"),
    ("The question behind the answer, and who answered a question", "stimulus --with-question --speaker 'carl russo' --section qa -n 1"),
    ("Answers to one broker's questions", "pricing --asked-by-firm ubs --with-question -n 1"),
    ("Context around a hit", "'\"unified access architecture\"' --context 1 -n 1"),
    ("Boilerplate is demoted, yet the safe harbor is found when asked for", "'\"forward-looking statements\"' -n 1"),
    ("One speaker across quarters: `*` lists newest calls first, in speaking order", "'*' --speaker 'luca maestri' -n 2"),
]


def run(args, index):
    cmd = [BIN, "query", *shlex.split(args), "--index", index]
    env = dict(os.environ, NO_COLOR="1")
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    text = out.stdout + out.stderr
    text = re.sub(r"in [0-9.]+ ms", "in N ms", text)
    return text.rstrip()


def main():
    with tempfile.TemporaryDirectory() as tmp:
        index = os.path.join(tmp, "index")
        subprocess.run([BIN, "index", "corpus", "--index", index, "--quiet"], check=True, cwd=ROOT)
        parts = []
        for title, args in EXAMPLES:
            parts.append(f"**{title}**\n\n```\n$ callsearch query {args}\n{run(args, index)}\n```\n")
    body = "\n".join(parts)
    path = os.path.join(ROOT, "README.md")
    with open(path) as f:
        readme = f.read()
    start, end = "<!-- examples:start -->", "<!-- examples:end -->"
    before, rest = readme.split(start)
    _, after = rest.split(end)
    with open(path, "w") as f:
        f.write(f"{before}{start}\n{body}\n{end}{after}")


if __name__ == "__main__":
    main()
