#!/usr/bin/env python3
"""Generate a large, realistic, deterministic archive of earnings-call transcripts.

Usage:
    python3 scripts/gen_corpus.py --out DIR [--calls 10000] [--seed 42]
        [--min-bytes 1000000000] [--source ../shared/corpus] [--callsearch PATH]
        [--jobs N] [--force] [--verbose] [--manifest FILE.tsv]

    python3 scripts/gen_corpus.py --out /work/bench-data/archive        # 10,000 calls, >= 1 GB
    python3 scripts/gen_corpus.py --out /tmp/small --calls 300 --min-bytes 30000000

Every generated call is built from a real transcript of the source corpus
(`seed/`, `streetevents-text/`, `streetevents-pdf/`, `seekingalpha/`; Event Briefs,
`streetevents-text-dup/` and non-transcripts are skipped) and written to
`DIR/<layout>/<TICKER>/<file>`, with a file name in the style of its layout:

    streetevents-text   2014-03-05-XYZQ.txt
    streetevents-pdf    Q3 2019 Qorvant Commercial Realty Corp Earnings Call.txt
    seekingalpha        CT_XYZQ_2019_q2.txt
    seed                000_<16 hex>.txt

Renaming. Calls are grouped into invented companies. Each company is modelled on one
real company of one layout (a StreetEvents ticker, a Seeking Alpha ticker, or a single
PDF/seed file) and takes a run of that company's real calls. The company gets a new
brand (`Apple Inc.` -> `Qorvant Inc.`, `ACRES Commercial Realty Corp.` ->
`QORVANT Commercial Realty Corp.`: industry words and legal suffixes are kept; an
acronym brand such as `KKR` becomes the new ticker), a new ticker, and a whole-year date
shift (the same for all its calls, weekday kept), which moves the call date, the fiscal
year of the title/file name, and the file name. Dates and years inside speech are not
touched. Executives get new names per company (the same real executive is the same
invented person in every call of that company); analysts get new names across the
whole archive (the same real analyst is always the same invented analyst, at the same
real broker); every invented person's first + last name is unique in the archive.
A name is replaced everywhere it appears as text: participant list, turn headers
(whose spelling may differ from the list: OCR damage, middle names, nicknames, lost
spaces; header spellings are found by aligning the layout's turn headers with the
turns of `callsearch parse FILE --json`), and speech (full names, first+last, nickname,
`Mr. Last`, and a lone first/last name or brand word when that word is unambiguous in
the call and never used as an ordinary lowercase word in the file). Everything else is
kept byte for byte: rules, headers, line endings, encoding (Windows-1252 files are
written back as Windows-1252).

Lengthening. Real calls average ~63 KB; to reach --min-bytes on average, Q&A exchanges
(an operator hand-over, the analyst's question and the answers, up to the next operator
turn) of the same source file are repeated, inserted at random exchange boundaries of
the Q&A (StreetEvents turn numbers `[n]` are renumbered). Each call gets its own share
(source size x global factor x random jitter), so sizes vary like real ones, and its own
random choice of repeated exchanges, so two calls built from one source differ in speech.
Every paragraph is real text.

Determinism: the same arguments give the same bytes (random.Random(seed), sorted inputs,
no time or hash-order dependence; parallel workers only render precomputed plans).
The source files are parsed with the project binary (`callsearch parse --json`, once per
file per run); by default `target/release/callsearch` of this repository.

Prints one summary line: files, total MB, seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import multiprocessing
import os
import random
import re
import shutil
import subprocess
import sys
import time
import unicodedata

LAYOUTS = ("seed", "seekingalpha", "streetevents-pdf", "streetevents-text")
FORMAT_OF = {
    "seed": "streetevents-md",
    "seekingalpha": "seekingalpha",
    "streetevents-pdf": "streetevents-pdf",
    "streetevents-text": "streetevents-text",
}
YEAR_MIN, YEAR_MAX = 2002, 2025

# ------------------------------------------------------------------------------------
# Name pools (invented people). First names carry a nickname the parser understands
# (a prefix of the name, or one of speakers.rs' nickname pairs), or none.

MALE = """Aaron Adam Adrian Alan Albert Alexander:Alex Andre Andrew:Andy Anthony:Tony Arjun
Arthur Benjamin:Ben Bradley:Brad Brandon Brian Bruce Calvin Cameron Carl Carlos Charles:Chuck
Christopher:Chris Clayton Colin Craig Curtis Daniel:Dan David:Dave Dennis Derek Diego
Dominic:Dom Donald:Don Douglas:Doug Dylan Edward:Ed Elliot Eric Ethan Evan Felix Frederick:Fred
Gabriel:Gabe Gary Geoffrey:Geoff Gordon Graham Gregory:Greg Harold Henry:Hank Howard Hugo Ian
Isaac Ivan Jacob James:Jim Jason Jeffrey:Jeff Jeremy Joel John:Jack Jonathan:Jon Joseph Joshua:Josh
Julian Justin Karim Keith Kenji Kenneth:Ken Kevin Kyle Lawrence:Larry Leonard:Leo Lucas Luis
Malcolm Marcus Martin Matthew:Matt Maxwell:Max Michael:Mike Miguel Mitchell:Mitch Nathan:Nate
Neil Nicholas:Nick Noah Oliver Omar Oscar Owen Patrick:Pat Paul Peter:Pete Philip:Phil
Rafael Rajesh Raymond:Ray Reginald:Reg Richard:Rick Robert:Bob Roger Ronald:Ron Russell:Russ
Ryan Samuel:Sam Sanjay Scott Sean Sebastian Simon Stanley:Stan Stephen:Steve Steven:Steve
Stuart Terrence:Terry Theodore:Theo Thomas:Tom Timothy:Tim Todd Travis Trevor Tyler Victor:Vic
Vikram Vincent:Vince Walter:Walt Warren Wayne Wesley:Wes William:Bill Zachary:Zach"""

FEMALE = """Abigail:Abby Adriana Alexandra:Alex Alison Amanda Amelia Andrea Angela Anita Anna
Audrey Barbara:Barb Caroline:Carol Catherine:Cath Charlotte Christina:Chris Claire Claudia
Danielle:Dani Deborah:Deb Diana Eleanor Elena Elizabeth:Liz Emily Erica Fiona Gabriela:Gabi
Grace Hannah Heather Helen Ingrid Irene Isabel Jacqueline:Jackie Janet Jennifer:Jen
Jessica:Jess Joanna:Jo Julia Karen Katherine:Kat Kimberly:Kim Laura Lauren Leah Linda Lisa
Lucy Madeline:Maddie Margaret:Peggy Maria Melissa:Mel Michelle Monica Natalie:Nat Nicole
Nina Olivia:Liv Pamela:Pam Patricia:Pat Priya Rachel Rebecca:Becca Renee Rosa Ruth
Samantha:Sam Sandra Sarah Sofia Sonia Stephanie:Steph Susan Tara Teresa Valerie:Val
Vanessa Victoria:Vic Wendy Yvonne"""

LAST = """Abbott Acosta Adler Aguilar Albrecht Alvarez Ames Andersen Archer Arnold Ashford
Atwood Avery Bachmann Barlow Barnett Barros Bauer Beaumont Beckett Bennett Bergman Bianchi
Bishop Blackwell Blair Bowman Bradford Brennan Brooks Burke Caldwell Callahan Calloway
Carlson Carver Cassidy Castillo Chandler Chang Chen Christensen Clarke Coleman Conway
Corbett Costa Crawford Cummings Dalton Davenport Delgado Dempsey Desai Dimitrov Donovan
Dorsey Doyle Drummond Duncan Dunn Eaton Ebert Ellison Emerson Engel Erikson Falk Farley
Farrell Fenwick Ferguson Fischer Fitzgerald Fleming Fletcher Fontaine Forbes Foster Fowler
Franklin Gaines Gallagher Galloway Garrison Gibson Gilbert Goodwin Gordon Graves Griffin
Gupta Hadley Hale Halloran Hamilton Hammond Hancock Harding Harlow Harper Hartley Hastings
Hayes Henderson Hendricks Hirsch Hoffman Holloway Hopkins Horton Howell Hughes Hutchins
Ibarra Ingram Ivanov Iyer Jacobs Jansen Jarvis Jennings Jovanovic Kaplan Kearney Keller
Kendall Kessler Kirby Klein Knox Kowalski Kramer Kruger Lambert Landry Larsen Lawson
Leblanc Lindgren Lindqvist Lowell Lucero Lyons Maddox Malone Mancini Maxwell McAllister
McBride McCarthy McKenna Mehta Mercer Merritt Meyer Molina Monroe Moreno Moretti Morrison
Mueller Murphy Nakamura Nash Navarro Nguyen Nielsen Nolan Nordstrom Norris Novak Oakley
Okafor Olsen Ortega Osborne Owens Pacheco Palmer Parekh Patel Patterson Pearson Pennington
Perkins Petersen Pham Porter Prescott Pruitt Quinn Quintero Radcliffe Ramirez Randall Rao
Reyes Reynolds Richter Riley Rivera Rosen Rossi Sandoval Sato Saunders Schaefer Schultz
Schwartz Shah Sheldon Sherman Sinclair Singh Sloan Sorensen Soto Spencer Stafford Sullivan
Sutton Talbot Tanaka Thakur Thornton Torres Townsend Tran Tucker Ueda Ulrich Underwood
Valdez Vance Varga Vargas Vaughn Vogel Voss Wagner Walsh Warren Watkins Webb Weber Wexler
Whitaker Whitfield Whitmore Wilcox Winslow Wong Xu Yamamoto Yates Yilmaz Yoder Zamora Zeller
Zhang Zimmerman"""


def _pool(spec):
    out = []
    for item in spec.split():
        name, _, nick = item.partition(":")
        out.append((name, nick or name))
    return out


MALE_POOL = _pool(MALE)
FEMALE_POOL = _pool(FEMALE)
LAST_POOL = LAST.split()

# Source first names read as female (to keep `Ms.`/`she` plausible after renaming).
FEMALE_FIRST = set(
    n.lower()
    for n, _ in FEMALE_POOL
) | set(
    """mary linda susan nancy betty donna carol sharon laura kimberly deborah shirley
cynthia brenda amy anne ann kathleen pamela martha debra carolyn christine marie janet
frances joyce diane alice julie heather teresa doris gloria evelyn jean cheryl joan ashley
judith rose janice kelly judy kathy theresa beverly denise tammy jane lori marilyn kathryn
louise sara julia tina phyllis norma paula diana tiffany carmen cindy wendy kim sherry
sylvia shannon sheila ellen elaine suzanne gail jill erin lauren cathy joann lorraine
lynn sally regina audrey yvonne samantha stacy renee holly brittany melanie laurie katie
kristen vanessa beth jeanne vicki carla tara eileen lucy stacey gina kristin natalie
colleen allison tamara joy heidi courtney nora nina leah naomi jenny becky kristina
katrina claire lindsay lindsey kara suhasini deirdre kate katy toni anastasia
lorraine dana jackie sue betsy liz peggy jen jess deb steph meredith madeline molly
tracy traci trish karin kristine krista amber anjali aparna shweta neha
""".split()
)

# Nicknames seen in transcripts, by full first name (for recognising source spellings).
NICKS = {
    "robert": ["bob", "rob", "robbie", "bobby"],
    "william": ["bill", "will", "billy"],
    "richard": ["rick", "dick", "rich", "ricky"],
    "james": ["jim", "jimmy", "jamie"],
    "michael": ["mike", "mikey"],
    "david": ["dave"],
    "stephen": ["steve"],
    "steven": ["steve"],
    "charles": ["chuck", "charlie"],
    "lawrence": ["larry"],
    "edward": ["ed", "ted", "eddie"],
    "john": ["jack", "johnny"],
    "henry": ["hank"],
    "margaret": ["peggy", "maggie"],
    "elizabeth": ["liz", "betsy", "beth", "betty"],
    "andrew": ["andy", "drew"],
    "anthony": ["tony"],
    "alexander": ["alex", "sandy"],
    "matthew": ["matt"],
    "christopher": ["chris"],
    "daniel": ["dan", "danny"],
    "timothy": ["tim"],
    "jeffrey": ["jeff"],
    "jeffery": ["jeff"],
    "gregory": ["greg"],
    "kenneth": ["ken", "kenny"],
    "nicholas": ["nick"],
    "samuel": ["sam"],
    "benjamin": ["ben"],
    "jonathan": ["jon"],
    "thomas": ["tom", "tommy"],
    "patrick": ["pat"],
    "ronald": ["ron"],
    "donald": ["don"],
    "douglas": ["doug"],
    "joseph": ["joe"],
    "joshua": ["josh"],
    "zachary": ["zach"],
    "frederick": ["fred"],
    "raymond": ["ray"],
    "russell": ["russ"],
    "vincent": ["vince"],
    "walter": ["walt"],
    "phillip": ["phil"],
    "philip": ["phil"],
    "peter": ["pete"],
    "gerald": ["gerry", "jerry"],
    "jennifer": ["jen", "jenny"],
    "jessica": ["jess"],
    "katherine": ["kate", "kathy", "katie"],
    "catherine": ["cathy", "kate"],
    "kathleen": ["kathy"],
    "deborah": ["deb", "debbie"],
    "patricia": ["pat", "trish"],
    "susan": ["sue"],
    "rebecca": ["becky"],
    "kimberly": ["kim"],
    "stephanie": ["steph"],
    "victoria": ["vicky", "tori"],
    "christine": ["chris"],
    "christina": ["chris"],
    "samantha": ["sam"],
    "alexandra": ["alex"],
    "nathaniel": ["nate", "nat"],
    "nathan": ["nate"],
    "bradley": ["brad"],
    "mitchell": ["mitch"],
    "abraham": ["abe"],
    "leonard": ["len", "lenny"],
    "maxwell": ["max"],
    "suhasini": ["suhasini"],
}

# Words never replaced on their own (names of persons or brands that are also
# common words, places, or generic company words).
GENERIC = set(
    """the and of for with from inc corp co company corporation group holdings trust
american first national general united public global international federal real estate
equity capital advanced central western eastern southern northern pacific atlantic
digital micro express street state city park sun star summit gold silver green blue
black white red new old great north south east west home life health energy power data
net systems technologies technology devices communications financial commercial
residential industrial investment investments realty properties property partners
services resources bank bancorp brands foods stores wholesale laboratories motors
airlines insurance entertainment networks software semiconductor medical healthcare
hotels hotel hospitality office storage logistics mortgage finance lending income
growth value point land centers center tower towers lease apartment apartments lodging
retail ventures boston houston texas york chicago washington alexandria hudson kennedy
walt operator analyst president chief officer vice director manager thank thanks
good morning afternoon evening yes no okay sure great january february march april may
june july august september october november december monday tuesday wednesday thursday
friday saturday sunday q&a one two three four five six seven eight nine ten extra space
iron mountain crown castle host dream empire corners corner hills hill grocery investors
affiliates community corporate computer postal quarter slate solutions impact allied
belgium sprl reit great york green howard hughes douglas johnson mid america agree
anywhere gaming information
com""".split()
)

DESCRIPTORS = set(
    """Realty Properties Property Real Estate Investment Investments Trust REIT Commercial
Residential Industrial Logistics Mortgage Finance Financial Capital Holdings Group
Communities Hotels Hotel Hospitality Office Storage Healthcare Health Apartment Apartments
Lodging Retail Income Equities Equity Partners Systems Technologies Technology Devices
Micro Wholesale Laboratories Communications Energy Resources Services Bancorp Bank Brands
Foods Networks Software Semiconductor Entertainment Medical Pharmaceuticals Motors Airlines
Insurance Ventures Lending Land Centers Towers Tower Net Lease Growth Value Point Stores
Opportunity Fund Infrastructure Homes Asset Assets Management Office Industries Life
Sciences Products Residences Exchange Cities Shopping Malls Rental Rentals Senior Living
Care Housing Workspace Multifamily Data Digital Hospitals Timber Farmland Gaming Leisure
Resorts Restaurants""".split()
)

SUFFIX_RE = re.compile(
    r"(?:,?\s+(?:&\s+)?(?:Inc\.?|Incorporated|Corp\.?|Corporation|Co\.?|Company|Ltd\.?|"
    r"Limited|plc|PLC|LLC|L\.L\.C\.|L\.P\.|LP|N\.V\.|S\.A\.|AG|SE|Cl\s+[A-C]|"
    r"Class\s+[A-C]))+\s*$"
)
SUFFIX_TOKENS = {"jr", "sr", "ii", "iii", "iv", "phd", "cpa", "cfa", "md", "esq"}
MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
]
MONTH_NUM = {m.lower(): i + 1 for i, m in enumerate(MONTHS)}
MONTH_NUM.update({m[:3].lower(): i + 1 for i, m in enumerate(MONTHS)})
MONTH_NUM["sept"] = 9
DATE_RE = re.compile(
    r"\b(?P<mon>[A-Za-z]{3,9})(?P<dot>\.?)(?P<sp1>\s+)(?P<day>\d{1,2})(?P<sep>[.,])"
    r"(?P<sp2>\s+)(?P<year>\d{4})\b"
)
PERIOD_RE = re.compile(r"\b(Q[1-4]|H[12]|FY)(\s*)((?:19|20)\d\d)\b")
YEAR_RE = re.compile(r"\b(19[89]\d|20[0-4]\d)\b")


# ------------------------------------------------------------------------------------
# Small text helpers.

def split_lines(text):
    """Lines with their endings, split on LF only (as the project's parsers do)."""
    parts = text.split("\n")
    out = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        out.append(parts[-1])
    return out


def name_key(s):
    """Rough port of speakers::key: fold case, diacritics and punctuation."""
    s = s.replace("ı", "i").replace("İ", "I")
    s = unicodedata.normalize("NFKD", s)
    out = []
    for c in s:
        if unicodedata.combining(c) or c in "’'.":
            continue
        if c.isascii() and c.isalnum():
            out.append(c.lower())
        elif c.isspace() or c in "-/,&":
            out.append(" ")
    return " ".join("".join(out).split())


_NON_ALNUM = re.compile(r"[^A-Za-z0-9]+")


def alnum(s):
    return _NON_ALNUM.sub("", s).lower()


def is_rule(line, ch):
    s = line.strip()
    return len(s) >= 10 and all(c == ch for c in s)


def is_operator(name):
    return name_key(name) in ("operator", "conference operator")


UNIDENTIFIED_KINDS = set(
    "analyst speaker participant company corporate representative executive caller male "
    "female audience member".split()
)


def is_unidentified(name):
    k = name_key(name).split()
    return (
        bool(k)
        and k[0] in ("unidentified", "unknown")
        and len(k) <= 4
        and all(w in UNIDENTIFIED_KINDS for w in k[1:])
    )


def is_initial(tok):
    return re.fullmatch(r"[A-Z]\.?", tok) is not None


def same_name(raw, canon):
    """Does a header spelling name the parser's (canonical) speaker?"""
    if is_operator(canon):
        return is_operator(raw)
    kr, kc = name_key(raw), name_key(canon)
    if not kr or not kc:
        return False
    if kr == kc or kr.replace(" ", "") == kc.replace(" ", ""):
        return True
    tr, tc = kr.split(), kc.split()
    if len(tr) >= 2 and len(tc) >= 2:
        lr, lc = tr[-1], tc[-1]
        last_ok = lr == lc or (len(lr) >= 5 and edit1(lr, lc))
        if last_ok:
            fr, fc = tr[0], tc[0]
            if fr == fc or fr[0] == fc[0] or fr in NICKS.get(fc, ()) or fc in NICKS.get(fr, ()):
                return True
    return len(kr) >= 8 and len(kc) >= 8 and edit1(kr, kc)


def edit1(a, b):
    if abs(len(a) - len(b)) > 1:
        return False
    p = 0
    while p < min(len(a), len(b)) and a[p] == b[p]:
        p += 1
    s = 0
    while s < min(len(a), len(b)) - p and a[len(a) - 1 - s] == b[len(b) - 1 - s]:
        s += 1
    return max(len(a), len(b)) - p - s <= 1


def ident(name):
    """Identity of a real person across calls: first initial + folded last name."""
    toks = [t for t in name_key(name).split() if t not in SUFFIX_TOKENS]
    if not toks:
        return name_key(name)
    if len(toks) == 1:
        return toks[0]
    return toks[0][0] + " " + toks[-1]


# ------------------------------------------------------------------------------------
# Source analysis.

class Source:
    """Everything the generator needs to know about one real transcript."""

    __slots__ = (
        "layout", "path", "rel", "enc", "size", "meta", "template", "segments",
        "seq_numbers", "turn_sections", "exchanges", "boundaries", "persons",
        "company_variants", "brand_tokens", "tickers", "exch_tickers", "title",
        "date_strings", "period", "fy", "quarter", "year", "problem",
        "title_years",
    )


def decode(raw):
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252", "surrogateescape"), "cp1252"


def run_parse(callsearch, path):
    proc = subprocess.run(
        [callsearch, "parse", path, "--json"], capture_output=True, timeout=120
    )
    if proc.returncode != 0:
        return None, proc.stderr.decode("utf-8", "replace").strip()
    try:
        # JSON Lines: one object per call; a transcript file holds one.
        return json.loads(proc.stdout.splitlines()[0]), None
    except json.JSONDecodeError as e:
        return None, f"bad json: {e}"


def candidates(layout, lines, meta):
    """Possible turn headers: (start line of the turn's span, raw speaker name)."""
    out = []
    n = len(lines)
    stripped = [l.strip() for l in lines]
    if layout == "streetevents-text":
        for i in range(1, n - 1):
            if is_rule(lines[i - 1], "-") and is_rule(lines[i + 1], "-"):
                m = re.match(r"^(.*?)\s*\[\d+\]$", stripped[i])
                if not m:
                    continue
                body = m.group(1).strip().rstrip(",").strip()
                name = body.split(",", 1)[0].strip() if "," in body else body
                if name:
                    out.append((i - 1, name))
    elif layout == "seed":
        start = next((i for i, s in enumerate(stripped) if s == "PRESENTATION"), n)
        for i in range(start + 1, n):
            s = stripped[i]
            plain = s.replace("*", "")
            if is_operator(plain):
                out.append((i, s))
            elif " - " in plain and len(plain) <= 200:
                name = plain.split(" - ", 1)[0].strip()
                if 1 <= len(name.split()) <= 6:
                    out.append((i, name))
    elif layout == "streetevents-pdf":
        start = next((i for i, s in enumerate(stripped) if s == "PRESENTATION"), n)
        headings = {"PRESENTATION", "QUESTIONS AND ANSWERS", "QUESTION AND ANSWER"}
        prev_blank = True
        for i in range(start + 1, n):
            s = stripped[i]
            if not s or s in headings:
                prev_blank = True
                continue
            if prev_blank:
                out.append((i, s.split(";", 1)[0].strip()))
            prev_blank = False
    elif layout == "seekingalpha":
        turns = meta["turns"]
        first_par = next((t["paragraphs"][0] for t in turns if t["paragraphs"]), None)
        start = 0
        if first_par is not None:
            target = alnum(first_par)
            for i, s in enumerate(stripped):
                if s and alnum(s) == target:
                    start = i
                    break
            # back up to the first turn's header (over a section marker)
            j = start - 1
            while j > 0 and not stripped[j]:
                j -= 1
            if j > 0 and stripped[j].lower().rstrip(":.") in (
                "presentation", "prepared remarks", "question-and-answer session",
            ):
                j -= 1
                while j > 0 and not stripped[j]:
                    j -= 1
            start = max(j, 0)
        for i in range(start, n):
            s = stripped[i]
            if not s or len(s) > 120:
                continue
            label = s.rstrip("\\").strip()
            if label.startswith("[") and label.endswith("]"):
                label = label[1:-1].strip()
                first, _, rest = label.partition(" ")
                if rest and any(c.isdigit() for c in first):
                    label = rest.strip()
            for prefix in ("Q – ", "A – ", "Q - ", "A - ", "Q: ", "A: "):
                if label.startswith(prefix):
                    label = label[len(prefix):].strip()
            for sep in (" - ", " – ", " — "):
                if sep in label:
                    label = label.split(sep, 1)[0].strip()
            if label and len(label.split()) <= 6:
                out.append((i, label))
    return out


def analyze(args):
    """Read, parse and segment one source file. Returns a Source (problem set if unusable)."""
    layout, path, rel, callsearch = args
    src = Source()
    src.layout, src.path, src.rel = layout, path, rel
    src.problem = None
    raw = open(path, "rb").read()
    text, enc = decode(raw)
    src.enc = enc
    src.size = len(raw)
    if text.encode(enc, "surrogateescape") != raw:
        src.problem = "does not round-trip through its encoding"
        return src
    if "StreetEvents Event Brief" in text:
        src.problem = "event brief"
        return src
    meta, err = run_parse(callsearch, path)
    if meta is None:
        src.problem = f"parse failed: {err}"
        return src
    if meta.get("kind") != "call" or not meta.get("turns"):
        src.problem = f"not a call ({meta.get('kind')})"
        return src
    if meta.get("format") != FORMAT_OF[layout]:
        src.problem = f"parsed as {meta.get('format')}"
        return src
    src.meta = {k: meta.get(k) for k in ("ticker", "company", "event", "fiscal_period", "date")}
    turns = meta["turns"]
    lines = split_lines(text)

    # Align the layout's header candidates with the parser's turns.
    cands = candidates(layout, lines, meta)
    starts, raws = [], []
    k = 0
    for start, name in cands:
        if k == len(turns):
            break
        if same_name(name, turns[k]["speaker"]):
            starts.append(start)
            raws.append(name)
            k += 1
    aligned = k == len(turns)
    if aligned:
        # Check: each turn's first paragraph lies in its span.
        for i, t in enumerate(turns):
            if not t["paragraphs"]:
                continue
            end = starts[i + 1] if i + 1 < len(starts) else len(lines)
            span = alnum("".join(lines[starts[i]:end]))
            if alnum(t["paragraphs"][0])[:60] not in span:
                aligned = False
                break
    if not aligned:
        starts, raws = [], []
    src.turn_sections = [t["section"] for t in turns] if aligned else []

    # Segments: prefix, then one per turn (the last one runs to the end of the file).
    if aligned:
        bounds = starts + [len(lines)]
        src.segments = ["".join(lines[: starts[0]])] + [
            "".join(lines[bounds[i]: bounds[i + 1]]) for i in range(len(starts))
        ]
    else:
        src.segments = [text]

    # StreetEvents turn numbers: restart at 1 in every section block.
    src.seq_numbers = False
    if aligned and layout == "streetevents-text":
        expect, nums, prev = [], [], None
        for i, seg in enumerate(src.segments[1:]):
            sec = turns[i]["section"]
            c = 1 if sec != prev else expect[-1] + 1
            expect.append(c)
            prev = sec
            m = re.search(r"\[(\d+)\]", split_lines(seg)[1])
            nums.append(int(m.group(1)) if m else -1)
        src.seq_numbers = nums == expect

    # Q&A exchanges (turn index ranges) and insertion points.
    src.exchanges, src.boundaries = [], []
    if aligned:
        qa = [t["section"] == "qa" for t in turns]
        ops = [i for i, t in enumerate(turns) if qa[i] and t["role_class"] == "operator"]
        if ops:
            bnds = ops
        else:
            bnds = [
                i for i, t in enumerate(turns)
                if qa[i] and t["role_class"] == "analyst"
                and (i == 0 or not qa[i - 1] or turns[i - 1]["role_class"] != "analyst")
            ]
        for a, b in zip(bnds, bnds[1:]):
            if not all(qa[a: b + 1]):
                continue
            classes = [turns[i]["role_class"] for i in range(a, b)]
            if "analyst" in classes and any(c not in ("analyst", "operator") for c in classes):
                size = sum(
                    len(src.segments[1 + i].encode(enc, "surrogateescape")) for i in range(a, b)
                )
                src.exchanges.append((a, b, size))
        src.boundaries = sorted({b for b in bnds if qa[b]})

    # People: participants, plus turn speakers the list lacks; header spellings.
    persons = []
    by_canon = {}
    for p in meta.get("participants") or []:
        name = (p.get("name") or "").strip()
        if not name or is_operator(name) or is_unidentified(name) or name in by_canon:
            continue
        person = {"canon": name, "side": p.get("side") or "analyst", "variants": {name},
                  "firm": p.get("firm") or ""}
        by_canon[name] = person
        persons.append(person)
    for i, t in enumerate(turns):
        sp = (t.get("speaker") or "").strip()
        if not sp or is_operator(sp) or is_unidentified(sp):
            continue
        if sp not in by_canon:
            side = "corporate" if t.get("role_class") == "executive" else "analyst"
            person = {"canon": sp, "side": side, "variants": {sp}, "firm": t.get("firm") or ""}
            by_canon[sp] = person
            persons.append(person)
        if aligned and not is_operator(raws[i]) and not is_unidentified(raws[i]):
            by_canon[sp]["variants"].add(raws[i])

    # Lowercase words (URLs and e-mail addresses aside): a name that is also an
    # ordinary word is never replaced on its own.
    plain = re.sub(
        r"\b(?:https?://|www\.)\S+|\S+@\S+\.\w+|\b[\w.-]+\.(?:com|net|org)\b", " ", text
    )
    lower_words = set(re.findall(r"\b[a-z][a-z'’-]*\b", plain))

    company = meta.get("company") or ""
    corp_firms = [p["firm"] for p in persons if p["side"] == "corporate" and p["firm"]]
    counts = {}
    for f in corp_firms:
        counts[f] = counts.get(f, 0) + 1
    variants = set()
    ckey = brand_key(company)
    # The parsed company (from the title or file name), unless the title misled the
    # parser (`Apple® FY 10 Second Quarter Results` gives `Quarter`).
    if ckey and (not corp_firms or any(
        brand_key(f).split()[:1] == ckey.split()[:1] for f in corp_firms
    )):
        variants.add(company)
    for f in sorted(counts):
        fk = brand_key(f)
        if (ckey and fk and (fk == ckey or fk.split()[0] == ckey.split()[0])) or (
            counts[f] * 2 >= len(corp_firms) and counts[f] >= 2
        ):
            variants.add(f)
    # Company names inside the title (`Q1 2010 Apple Inc. Earnings ...`) are the parsed
    # company already; the Seeking Alpha list may name it as a title too.
    src.company_variants = []
    brand_words = set()
    for v in sorted(variants, key=lambda s: (-len(s), s)):
        split = split_company(v)
        if split is None:
            continue
        src.company_variants.append((v,) + split)
        brand_words.add(split[1])
        for w in re.split(r"[\s.-]+", split[1]):
            brand_words.add(w)
    other_firm_words = set()
    for p in persons:
        if p["firm"] and p["firm"] not in variants:
            other_firm_words.update(w.lower() for w in re.findall(r"[A-Za-z]+", p["firm"]))
    # First names and nicknames of the call's people never stand for the company; a
    # last name that is also the brand (`John Kilroy` of Kilroy Realty) is read as
    # the brand when alone (the full name is replaced as a person).
    person_words = set()
    for p in persons:
        for v in p["variants"]:
            toks = re.findall(r"[A-Za-z]+", v)
            person_words.update(w.lower() for w in toks[:-1])
    def rare_lowercase(w):
        # `Intel` stays a brand though the file once says `market intel`.
        if w.lower() not in lower_words:
            return True
        low = len(re.findall(r"(?<![\w-])" + re.escape(w.lower()) + r"(?![\w-])", plain))
        cap = len(re.findall(r"(?<![\w-])" + re.escape(w) + r"(?![\w-])", plain))
        return low * 5 < cap

    def brand_ok(w):
        words = [x.lower() for x in re.findall(r"[A-Za-z]+", w)]
        return (
            (len(w) >= 4 or (len(w) == 3 and w.isupper()))
            and w[0].isalpha() and any(c.isupper() for c in w)
            and re.fullmatch(r"[A-Za-z][A-Za-z'’.&-]*[A-Za-z'’]", w) is not None
            and w.lower() not in GENERIC and rare_lowercase(w)
            and not any(x in other_firm_words or x in person_words for x in words)
            and not all(x in GENERIC or len(x) < 3 for x in words)
        )

    src.brand_tokens = sorted(w for w in brand_words if brand_ok(w))

    # Per person: which lone words may be replaced.
    firm_words = set()
    for p in persons:
        if p["firm"]:
            firm_words.update(w.lower() for w in re.findall(r"[A-Za-z]+", p["firm"]))
    for v, *_ in src.company_variants:
        firm_words.update(w.lower() for w in re.findall(r"[A-Za-z]+", v))
    token_owner = {}
    for idx, p in enumerate(persons):
        toks = [t for t in p["canon"].split() if name_key(t) not in SUFFIX_TOKENS]
        p["first"] = toks[0] if toks else p["canon"]
        p["last"] = toks[-1] if toks else p["canon"]
        p["female"] = name_key(p["first"]) in FEMALE_FIRST
        nicks = set()
        for v in p["variants"]:
            vt = [t for t in v.split() if name_key(t) not in SUFFIX_TOKENS]
            if len(vt) >= 2 and name_key(vt[0]) != name_key(p["first"]) and not is_initial(vt[0]):
                nicks.add(vt[0])
        for nk in NICKS.get(name_key(p["first"]), ()):
            nicks.add(nk.capitalize())
        # Short forms used in the text before the last name (`Subra Viswanathan` for
        # `Subramaniam Viswanathan`, `Vic Falvo` for `Victor Falvo`).
        fk = name_key(p["first"])
        if len(p["last"]) >= 3 and not is_initial(p["first"]):
            for m in re.finditer(r"\b([A-Z][a-z]+)[ \t\u00a0\r\n]+" + re.escape(p["last"]) + r"\b", text):
                w = m.group(1)
                wk = name_key(w)
                if wk != fk and len(wk) >= 3 and fk.startswith(wk):
                    nicks.add(w)
        p["nicks"] = sorted(nicks)
        for w in {p["first"], p["last"], *p["nicks"]}:
            token_owner.setdefault(name_key(w), set()).add(idx)

    def lone_ok(word, idx):
        k = name_key(word)
        return (
            len(k) >= 3 and word[:1].isupper() and token_owner.get(k) == {idx}
            and k not in GENERIC and k not in lower_words and k not in firm_words
            and re.fullmatch(r"[A-Za-z][A-Za-z'’-]*", word) is not None
        )

    for idx, p in enumerate(persons):
        p["lone"] = sorted(w for w in {p["first"], p["last"], *p["nicks"]} if lone_ok(w, idx))
        p["ident"] = ident(p["canon"])
        p["variants"] = sorted(p["variants"])
    src.persons = persons

    # Tickers.
    tickers = set()
    if meta.get("ticker"):
        tickers.add(meta["ticker"])
    if layout in ("streetevents-text", "seekingalpha"):  # file names that hold tickers
        for part in re.split(r"[-_ /.]", rel):
            if part and part.isupper() and part.isalpha() and 1 <= len(part) <= 5 and part not in (
                "CT", "Q", "FY", "TXT"
            ):
                tickers.add(part)
    src.tickers = sorted(tickers)
    head = "".join(lines[:8])
    src.exch_tickers = sorted(set(re.findall(r"\(([A-Z]{2,10}):([A-Z][A-Z0-9.\-]{0,7})\)", head)))

    # Title line (holding the fiscal period) and the header's date strings.
    period = meta.get("fiscal_period")
    src.period = period
    src.fy, src.quarter = None, None
    if period:
        m = re.search(r"(?:Q([1-4])\s+)?((?:19|20)\d\d)", period)
        if m:
            src.quarter = int(m.group(1)) if m.group(1) else None
            src.fy = int(m.group(2))
    prefix_lines = split_lines(src.segments[0]) if aligned else lines[:40]
    src.title, src.title_years = None, False
    if period:
        for l in prefix_lines[:40]:
            if period in l:
                src.title = l.strip()
                break
    event = meta.get("event") or ""
    if src.title is None and event and layout != "streetevents-pdf":
        # `Q4 and Full Year 2013 ...`, `Apple® FY 10 Second Quarter ...`: shift its years.
        for l in prefix_lines[:40]:
            if l.strip() and (l.strip() == event or event in l):
                src.title, src.title_years = l.strip(), True
                break
    src.date_strings = []
    date = meta.get("date")
    src.year = None
    if date:
        src.year = int(date[:4])
        for l in prefix_lines[:40]:
            for m in DATE_RE.finditer(l):
                mon = MONTH_NUM.get(m.group("mon").lower())
                if mon and f"{int(m.group('year')):04d}-{mon:02d}-{int(m.group('day')):02d}" == date:
                    if m.group(0) not in [d for d, _ in src.date_strings]:
                        src.date_strings.append((m.group(0), m.groupdict()))
    elif src.fy:
        src.year = src.fy

    # Template company: the real company whose calls a generated company takes.
    base = os.path.basename(path)
    if layout == "streetevents-text":
        src.template = os.path.basename(os.path.dirname(path))
    elif layout == "seekingalpha":
        m = re.match(r"CT_([A-Z.]+)_", base)
        src.template = m.group(1) if m else base
    else:
        src.template = base
    if not aligned:
        src.problem = "turn headers not aligned (renamed, not lengthened)"
    return src


def brand_key(s):
    sp = split_company(s) if s else None
    return name_key(sp[1]) if sp else ""


def split_company(v):
    """`The Walt Disney Co.` -> ('The ', 'Walt Disney', '', ' Co.'): prefix, brand, tail, suffix."""
    s = v.strip()
    if not s:
        return None
    prefix = ""
    if s.startswith("The "):
        prefix, s = "The ", s[4:]
    m = SUFFIX_RE.search(s)
    core, suffix = (s[: m.start()], s[m.start():]) if m and m.start() > 0 else (s, "")
    core = core.rstrip()
    if core.endswith("&"):
        suffix = " &" + suffix if not suffix.startswith(" &") else suffix
        core = core[:-1].rstrip()
    words = core.split()
    tail = []
    while len(words) > 1 and (
        words[-1].strip(",") in DESCRIPTORS
        or (words[-1] in ("&", "and") and tail and len(words) > 2 and words[-2] in DESCRIPTORS)
    ):
        tail.insert(0, words.pop())
    if not words:
        return None
    brand = " ".join(words)
    return prefix, brand, (" " + " ".join(tail) if tail else ""), suffix


# ------------------------------------------------------------------------------------
# Planning (main process, sequential, deterministic).

BRAND_HEADS = """Al Am Ar Ast Bel Bren Cal Cor Cren Dal Dex Dor El Em Fal Fen Gal Hal Ist Jor
Kal Kor Lan Lum Mar Mer Nov Nor Or Pal Par Quan Ral Sol Sen Tal Tor Ul Val Ven Ver Vor Zen
Zor Bra Cre Dra Fre Gra Pra Tre Ste Cla Pla Tav Ker Lor Mal Nev Ren Sar Tel Vel Wes Xan Yor
Hel Ard Bex Cad Dun Eth Fin Gar Hav""".split()
BRAND_MIDS = ["", "", "", "a", "e", "i", "o", "an", "en", "er", "ar", "il", "ol", "ri", "ra",
              "ve", "vi", "ta", "ti", "ne", "no", "me", "la", "lo"]
BRAND_ENDS = """ix ex ia ora on ant ent ium is us ara ova yn el ar io os era ica ion ix ent
iant ent ade ane ea ona ex ium ant""".split()


def make_brand(rng, used):
    tries = 0
    while True:
        tries += 1
        if tries > 1000:
            # The one-word space (some 20,000 brands) is used up past ~20,000 companies
            # (a 100,000-call archive): two syllable pairs then, still pronounceable.
            w = (rng.choice(BRAND_HEADS) + rng.choice(BRAND_ENDS)
                 + rng.choice(BRAND_HEADS).lower() + rng.choice(BRAND_ENDS))
            if w.lower() not in used and not re.search(r"[aeiouy]{3}", w.lower()):
                used.add(w.lower())
                return w.capitalize()
            continue
        w = rng.choice(BRAND_HEADS) + rng.choice(BRAND_MIDS) + rng.choice(BRAND_ENDS)
        w = re.sub(r"([aeiouy])[aeiouy]+(?=[aeiouy])", r"\1", w.lower())
        w = re.sub(r"(.)\1\1", r"\1\1", w)
        if not 4 <= len(w) <= 10 or re.search(r"[aeiouy]{3}", w):
            continue
        if any(p not in ("ia", "io", "ea") for p in re.findall(r"(?=([aeiouy]{2}))", w)):
            continue
        if re.search(r"([^aeiouy])\1|[^aeiouy]{3}", w):
            continue
        w = w.capitalize()
        if w.lower() not in used:
            used.add(w.lower())
            return w


def make_ticker(rng, brand, used):
    letters = [c for c in brand.upper() if c.isalpha()]
    cons = [c for c in letters[1:] if c not in "AEIOU"]
    tries = 0
    while True:
        if tries < 3 and len(cons) >= 2:
            n = rng.choice((3, 4, 4))
            pick = sorted(rng.sample(range(len(cons)), min(n - 1, len(cons))))
            t = letters[0] + "".join(cons[i] for i in pick)
        else:
            t = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(rng.choice((3, 4))))
        tries += 1
        if t not in used and t not in ("CT", "FY") and 2 <= len(t) <= 5:
            used.add(t)
            return t


def make_person(rng, female, taken_full, taken_last=None):
    pool = FEMALE_POOL if female else MALE_POOL
    for attempt in range(600):
        first, nick = rng.choice(pool)
        last = rng.choice(LAST_POOL)
        # Unique first + last name (relaxed only if the pools run dry on huge archives),
        # and no two people of one company share a last name.
        if (first, last) in taken_full and attempt < 400:
            continue
        if taken_last is not None and last in taken_last and attempt < 500:
            continue
        break
    mids = [rng.choice(pool)[0] for _ in range(3)]
    taken_full.add((first, last))
    if taken_last is not None:
        taken_last.add(last)
    return {"first": first, "nick": nick, "mids": mids, "last": last}


def shift_date(iso, delta):
    """Same month and day `delta` years later, moved to the same weekday (+-3 days)."""
    d = dt.date.fromisoformat(iso)
    y = d.year + delta
    day = min(d.day, 28) if d.month == 2 and d.day == 29 else d.day
    n = dt.date(y, d.month, day)
    diff = (d.weekday() - n.weekday()) % 7
    if diff > 3:
        diff -= 7
    return n + dt.timedelta(days=diff)


def plan(sources, args):
    rng = random.Random(args.seed)
    by_layout = {l: [s for s in sources if s.layout == l] for l in LAYOUTS}
    total_src = sum(len(v) for v in by_layout.values())
    # Calls per layout, proportional to usable sources (largest remainder).
    quotas = {l: args.calls * len(by_layout[l]) / total_src for l in LAYOUTS}
    alloc = {l: int(q) for l, q in quotas.items()}
    rest = args.calls - sum(alloc.values())
    for l in sorted(LAYOUTS, key=lambda l: (-(quotas[l] - alloc[l]), l))[:rest]:
        alloc[l] += 1

    templates = {}
    for l in LAYOUTS:
        groups = {}
        for s in by_layout[l]:
            groups.setdefault(s.template, []).append(s)
        for t in groups:
            groups[t].sort(key=lambda s: (s.meta.get("date") or "", s.rel))
        templates[l] = groups

    used_brands, used_tickers = set(), set()
    for s in sources:
        used_tickers.update(s.tickers)
        for v in s.company_variants:
            used_brands.add(v[2].lower())
    usage = {s.rel: 0 for s in sources}
    tmpl_usage = {(l, t): 0 for l in LAYOUTS for t in templates[l]}

    # Analysts: one invented person per real analyst, across the archive.
    analyst_ids = {}
    for s in sources:
        for p in s.persons:
            if p["side"] != "corporate":
                analyst_ids.setdefault(p["ident"], p["female"])
    arng = random.Random(f"{args.seed}:analysts")
    taken = set()
    analysts = {}
    for key in sorted(analyst_ids):
        analysts[key] = make_person(arng, analyst_ids[key], taken)

    companies, calls = [], []
    for layout in LAYOUTS:
        remaining = alloc[layout]
        groups = templates[layout]
        names = sorted(groups)
        while remaining > 0 and names:
            # The template whose calls have been used least so far, per call it holds.
            load = {t: tmpl_usage[(layout, t)] / len(groups[t]) for t in names}
            low = min(load.values())
            tname = rng.choice([t for t in names if load[t] == low])
            files = groups[tname]
            if layout == "streetevents-text":
                k = rng.randint(3, 12)
            elif layout == "seekingalpha":
                k = rng.randint(2, 5)
            else:
                k = 1
            k = max(1, min(k, len(files), remaining))
            # The least-used run of k consecutive calls.
            scores = [sum(usage[f.rel] for f in files[i:i + k]) for i in range(len(files) - k + 1)]
            best = min(scores)
            start = rng.choice([i for i, sc in enumerate(scores) if sc == best])
            chosen = files[start:start + k]
            for f in chosen:
                usage[f.rel] += 1
            tmpl_usage[(layout, tname)] += k
            remaining -= k

            years = [f.year for f in chosen if f.year] + [f.fy for f in chosen if f.fy]
            lo, hi = (YEAR_MIN - min(years), YEAR_MAX - max(years)) if years else (0, 0)
            options = [d for d in range(lo, hi + 1) if d != 0] or [rng.choice((-1, 1))]
            delta = rng.choice(options)
            brand = make_brand(rng, used_brands)
            ticker = make_ticker(rng, brand, used_tickers)
            # Invented people are unique across the archive (first + last name).
            roster, taken_full, taken_last = {}, taken, set()
            for f in chosen:
                for p in f.persons:
                    if p["side"] == "corporate" and p["ident"] not in roster:
                        roster[p["ident"]] = None
            crng = random.Random(f"{args.seed}:company:{len(companies)}")
            for key in roster:
                female = next(
                    p["female"] for f in chosen for p in f.persons
                    if p["side"] == "corporate" and p["ident"] == key
                )
                roster[key] = make_person(crng, female, taken_full, taken_last)
            cid = len(companies)
            companies.append({"brand": brand, "ticker": ticker, "delta": delta,
                              "roster": roster, "layout": layout})
            for f in chosen:
                calls.append({"company": cid, "src": f.rel, "seed": rng.getrandbits(64)})

    # Lengthening targets.
    src_by_rel = {s.rel: s for s in sources}
    base = sum(src_by_rel[c["src"]].size for c in calls)
    need = max(0, int(args.min_bytes * 1.004) - base)
    if need > 0:
        want = []
        for c in calls:
            s = src_by_rel[c["src"]]
            want.append(s.size * rng.uniform(0.5, 1.5) if s.exchanges else 0.0)
        cap_of = [
            sum(e[2] for e in src_by_rel[c["src"]].exchanges) * 4.0 for c in calls
        ]
        extra = [0.0] * len(calls)
        left = float(need)
        active = [i for i in range(len(calls)) if want[i] > 0 and cap_of[i] > 0]
        for _ in range(20):
            if left <= 1 or not active:
                break
            wsum = sum(want[i] for i in active)
            nxt = []
            spill = 0.0
            for i in active:
                add = left * want[i] / wsum
                room = cap_of[i] - extra[i]
                if add >= room:
                    extra[i] += room
                    spill += add - room
                else:
                    extra[i] += add
                    nxt.append(i)
            left = spill
            active = nxt
        for c, e in zip(calls, extra):
            c["extra"] = int(e)
    else:
        for c in calls:
            c["extra"] = 0

    # Exchanges to repeat and where.
    for c in calls:
        s = src_by_rel[c["src"]]
        crng = random.Random(c["seed"])
        inserts = []
        if c["extra"] > 0 and s.exchanges:
            copies = {}
            got = 0
            order = list(range(len(s.exchanges)))
            while got < c["extra"]:
                crng.shuffle(order)
                progressed = False
                for e in order:
                    if got >= c["extra"]:
                        break
                    if copies.get(e, 0) >= 4:
                        continue
                    copies[e] = copies.get(e, 0) + 1
                    got += s.exchanges[e][2]
                    inserts.append((crng.choice(s.boundaries), e))
                    progressed = True
                if not progressed:
                    break
        c["inserts"] = sorted(inserts)
    return companies, calls, analysts


# ------------------------------------------------------------------------------------
# Rendering (worker processes; everything here depends only on the plan).

G = {}  # filled before the pool forks: sources, companies, analysts, out


def render_variant(v, p, fake):
    toks = v.split()
    suffix = []
    while len(toks) > 1 and name_key(toks[-1]) in SUFFIX_TOKENS:
        suffix.insert(0, toks.pop())
    first_key = name_key(p["first"])
    if len(toks) == 1:
        k = name_key(toks[0])
        if k == first_key:
            return fake["first"]
        if k == name_key(p["last"]):
            return fake["last"]
        if any(k == name_key(n) for n in p["nicks"]):
            return fake["nick"]
        if k.replace(" ", "") == name_key(p["canon"]).replace(" ", ""):
            return fake["first"] + fake["last"]
        return fake["last"]
    f = toks[0]
    if is_initial(f):
        nf = fake["first"][0] + ("." if f.endswith(".") else "")
    elif name_key(f) == first_key:
        nf = fake["first"]
    else:
        nf = fake["nick"]
    mids = []
    for i, m in enumerate(toks[1:-1]):
        mid = fake["mids"][i % len(fake["mids"])]
        mids.append(mid[0] + ("." if m.endswith(".") else "") if is_initial(m) else mid)
    return " ".join([nf] + mids + [fake["last"]] + suffix)


def call_mapping(src, comp):
    """old string -> new string for one call."""
    mp = {}
    brand = comp["brand"]

    def styled(old):
        if old.isupper() and len(old.replace(" ", "")) <= 4:
            return comp["ticker"]  # an acronym (`KKR`, `VICI`, `AMD`): the new ticker
        if old.endswith(("'s", "’s")):  # `Macy's`, `McDonald’s`
            return brand + old[-2:]
        return brand.upper() if old.isupper() and len(old) > 1 else brand

    for v, prefix, old_brand, tail, suffix in src.company_variants:
        mp[v] = prefix + styled(old_brand) + tail + suffix
        if tail:
            mp.setdefault(old_brand + tail, styled(old_brand) + tail)
        if len(old_brand.split()) >= 2:
            mp.setdefault(old_brand, styled(old_brand))
    for w in src.brand_tokens:
        mp.setdefault(w, styled(w))
    for t in src.tickers:
        if len(t) >= 3:
            mp[t] = comp["ticker"]
    for exch, t in src.exch_tickers:
        mp[f"{exch}:{t}"] = f"{exch}:{comp['ticker']}"

    people = {}
    for p in src.persons:
        fake = (comp["roster"] if p["side"] == "corporate" else G["analysts"]).get(p["ident"])
        if fake is None:
            continue
        people[p["canon"]] = (p, fake)
        forms = set(p["variants"])
        forms.add(f"{p['first']} {p['last']}")
        for n in p["nicks"]:
            forms.add(f"{n} {p['last']}")
        for form in forms:
            if len(form) >= 3:
                mp.setdefault(form, render_variant(form, p, fake))
        for title in ("Mr.", "Ms.", "Mrs.", "Dr.", "Mr", "Ms", "Mrs", "Dr"):
            mp.setdefault(f"{title} {p['last']}", f"{title} {fake['last']}")
        for w in p["lone"]:
            mp.setdefault(w, render_variant(w, p, fake))
    return mp


WS = r"[ \t\u00a0\r\n]+"


_PATTERNS = {}


def compile_mapping(mp, cache_key=None):
    keys = sorted(mp, key=lambda k: (-len(k), k))
    pattern = _PATTERNS.get((cache_key, tuple(keys))) if cache_key else None
    if pattern is None:
        alts = [WS.join(re.escape(part) for part in k.split()) for k in keys if k.strip()]
        if not alts:
            return None
        pattern = re.compile("(?:" + "|".join(alts) + r")(?![\w])")
        if cache_key:
            _PATTERNS.clear() if len(_PATTERNS) > 2000 else None
            _PATTERNS[(cache_key, tuple(keys))] = pattern
    norm = {" ".join(k.split()): v for k, v in mp.items()}

    def repl(m):
        s = m.group(0)
        start = m.start()
        if start > 0:
            prev = m.string[start - 1]
            if prev.isalnum() or prev == "_":
                return s
        new = norm.get(" ".join(s.split()))
        if new is None:
            return s
        if "\n" in s:
            # Keep a wrapped name wrapped (PDF lines): break at the same word.
            seps = re.findall(WS, s)
            words = new.split(" ")
            for i, sep in enumerate(seps):
                if "\n" in sep and i < len(words) - 1:
                    return " ".join(words[: i + 1]) + sep + " ".join(words[i + 1:])
        return new

    return pattern, repl


def render_date(groups, d, layout):
    mon = groups["mon"]
    name = MONTHS[d.month - 1]
    if groups["dot"] or (len(mon) <= 4 and mon.lower() not in ("may", "june", "july")):
        name = "Sept" if mon.lower() == "sept" and d.month == 9 else name[:3]
    if mon.isupper():
        name = name.upper()
    dayold = groups["day"]
    if dayold.startswith("0") or layout == "streetevents-text":
        day = f"{d.day:02d}"
        sp1 = groups["sp1"]
    elif layout == "seekingalpha" and (len(dayold) == 2 or len(groups["sp1"]) == 2):
        day = str(d.day)
        sp1 = " " if d.day >= 10 else "  "
    else:
        day = str(d.day)
        sp1 = groups["sp1"]
    return f"{name}{groups['dot']}{sp1}{day}{groups['sep']}{groups['sp2']}{d.year}"


def build_call(i):
    call = G["calls"][i]
    comp = G["companies"][call["company"]]
    src = G["sources"][call["src"]]
    delta = comp["delta"]
    ren = renamer(src, comp)

    segs = [ren(s) for s in src.segments]
    pieces = [segs[0]]
    if len(segs) > 1:
        ins = {}
        for b, e in call["inserts"]:
            ins.setdefault(b, []).append(e)
        order = []
        for k in range(len(segs) - 1):
            for e in ins.get(k, ()):
                a, bb, _ = src.exchanges[e]
                order.extend(range(a, bb))
            order.append(k)
        prev, count = None, 0
        for k in order:
            seg = segs[1 + k]
            if src.seq_numbers:
                sec = src.turn_sections[k]
                count = 1 if sec != prev else count + 1
                prev = sec
                nl = seg.index("\n") + 1
                nl2 = seg.index("\n", nl) + 1
                head = re.sub(r"\[\d+\](\s*)$", lambda m: f"[{count}]" + m.group(1), seg[nl:nl2])
                seg = seg[:nl] + head + seg[nl2:]
            pieces.append(seg)
    text = "".join(pieces)

    # Date, fiscal period and title.
    new_date = shift_date(src.meta["date"], delta) if src.meta.get("date") else None
    new_period = new_period_of(src, delta)
    if src.title:
        t_old = ren(src.title)
        if src.title_years:
            t_new = shift_years(t_old, delta)
        elif src.period and src.period in t_old:
            t_new = t_old.replace(src.period, new_period, 1)
        else:
            t_new = t_old
        if t_new != t_old:
            text = text.replace(t_old, t_new)
    if new_date:
        for old, groups in src.date_strings:
            text = text.replace(old, render_date(groups, new_date, src.layout))

    return src.layout, text.encode(src.enc, "surrogateescape")


def renamer(src, comp):
    compiled = compile_mapping(call_mapping(src, comp), src.rel)
    if compiled is None:
        return lambda s: s
    return lambda s: compiled[0].sub(compiled[1], s)


def new_period_of(src, delta):
    if not src.period:
        return None
    p = PERIOD_RE.sub(lambda m: m.group(1) + m.group(2) + str(int(m.group(3)) + delta), src.period)
    if p == src.period:
        p = re.sub(r"(?:19|20)\d\d", lambda m: str(int(m.group(0)) + delta), src.period)
    return p


def shift_years(s, delta):
    """Shift 4-digit years and `FY 10`-style 2-digit fiscal years by `delta`."""
    s = YEAR_RE.sub(lambda m: str(int(m.group(1)) + delta), s)
    return re.sub(
        r"\b(FY\s?'?)(\d\d)\b", lambda m: m.group(1) + f"{(int(m.group(2)) + delta) % 100:02d}", s
    )


def file_name(i, ren=None):
    """`<layout>/<TICKER>/<file>` for call i, in the style of its layout."""
    call = G["calls"][i]
    comp = G["companies"][call["company"]]
    src = G["sources"][call["src"]]
    delta, ticker, layout = comp["delta"], comp["ticker"], src.layout
    new_date = shift_date(src.meta["date"], delta) if src.meta.get("date") else None
    fy = (src.fy + delta) if src.fy else (new_date.year if new_date else 2000 + delta)
    q = src.quarter or (((new_date.month - 1) // 3 + 1) if new_date else 1)
    if layout == "streetevents-text":
        stamp = new_date.isoformat() if new_date else f"{fy}-01-01"
        name = f"{stamp}-{ticker}.txt"
    elif layout == "seekingalpha":
        name = f"CT_{ticker}_{fy}_q{q}.txt"
    elif layout == "streetevents-pdf":
        ren = ren or renamer(src, comp)
        stem = ren(os.path.basename(src.path)[:-4])
        if src.period:
            stem = stem.replace(src.period, new_period_of(src, delta), 1)
        name = stem.replace("/", " ") + ".txt"
    else:
        h = hashlib.sha256(f"{G['seed']}:{i}".encode()).hexdigest()[:16]
        name = f"{call['company'] % 1000:03d}_{h}.txt"
    return os.path.join(layout, ticker, name)


def write_call(i):
    _, data = build_call(i)
    rel = G["names"][i]
    path = os.path.join(G["out"], rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    return rel, len(data)


# ------------------------------------------------------------------------------------

def discover(source_root):
    out = []
    for layout in LAYOUTS:
        root = os.path.join(source_root, layout)
        if not os.path.isdir(root):
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for fn in sorted(filenames):
                if fn.lower().endswith(".txt"):
                    path = os.path.join(dirpath, fn)
                    out.append((layout, path, os.path.relpath(path, source_root)))
    out.sort(key=lambda x: x[2])
    return out


def main():
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--out", required=True, help="output folder (created; must be empty unless --force)")
    ap.add_argument("--calls", type=int, default=10000, help="number of calls (default 10000)")
    ap.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    ap.add_argument("--min-bytes", type=int, default=1_000_000_000,
                    help="lengthen calls until the archive holds at least this many bytes "
                         "(default 1000000000)")
    ap.add_argument("--source", default=os.path.join(repo, "..", "shared", "corpus"),
                    help="real corpus (default ../shared/corpus from the repository root)")
    ap.add_argument("--callsearch", default=None,
                    help="callsearch binary (default target/release/callsearch, then PATH)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    ap.add_argument("--force", action="store_true",
                    help="empty the layout folders of a non-empty --out first")
    ap.add_argument("--verbose", "-v", action="store_true", help="report skipped sources")
    ap.add_argument("--manifest", default=None,
                    help="also write a TSV (output file, source file, company, ticker, "
                         "date shift in years, repeated exchanges) to this path")
    args = ap.parse_args()
    t0 = time.monotonic()

    cs = args.callsearch
    if cs is None:
        cand = os.path.join(repo, "target", "release", "callsearch")
        cs = cand if os.access(cand, os.X_OK) else shutil.which("callsearch")
    if not cs or not os.access(cs, os.X_OK):
        sys.exit("gen_corpus: no callsearch binary (build it or pass --callsearch PATH)")
    if not os.path.isdir(args.source):
        sys.exit(f"gen_corpus: {args.source}: no such folder")
    if args.calls < 1:
        sys.exit("gen_corpus: --calls must be at least 1")

    out = args.out
    if os.path.isdir(out) and os.listdir(out):
        if not args.force:
            sys.exit(f"gen_corpus: {out} is not empty (use --force to replace its layout folders)")
        for layout in LAYOUTS:
            p = os.path.join(out, layout)
            if os.path.isdir(p):
                shutil.rmtree(p)
    os.makedirs(out, exist_ok=True)

    files = discover(args.source)
    ctx = multiprocessing.get_context("fork")
    jobs = max(1, args.jobs)
    with ctx.Pool(jobs) as pool:
        analysed = pool.map(analyze, [(l, p, r, cs) for l, p, r in files], chunksize=4)
    usable = [s for s in analysed if s.problem is None or s.problem.startswith("turn headers")]
    # Same speech in two files (one call under two names): keep the first.
    seen = set()
    sources = []
    for s in usable:
        fp = hashlib.sha256("\n".join(alnum(x) for x in s.segments[1:] or s.segments).encode()).hexdigest()
        if fp in seen:
            s.problem = "same call as another source"
            continue
        seen.add(fp)
        sources.append(s)
    if args.verbose:
        for s in analysed:
            if s.problem:
                print(f"source {s.rel}: {s.problem}", file=sys.stderr)
    if not sources:
        sys.exit("gen_corpus: no usable source transcripts")

    if args.verbose:
        print(f"analysed {len(files)} sources ({len(sources)} usable) in "
              f"{time.monotonic() - t0:.1f} s", file=sys.stderr)
    companies, calls, analysts = plan(sources, args)
    if args.verbose:
        print(f"planned {len(calls)} calls at {time.monotonic() - t0:.1f} s", file=sys.stderr)
    G.update(
        sources={s.rel: s for s in sources}, companies=companies, calls=calls,
        analysts=analysts, out=out, seed=args.seed,
    )

    # Unique file names (decided sequentially, before writing).
    with ctx.Pool(jobs) as pool:
        names = pool.map(file_name, range(len(calls)), chunksize=64)
    seen_names = set()
    for i, n in enumerate(names):
        base, ext = os.path.splitext(n)
        k = 2
        while n.lower() in seen_names:
            n = f"{base}-{k}{ext}" if "streetevents-text" in base or "seed" in base else f"{base} ({k}){ext}"
            k += 1
        seen_names.add(n.lower())
        names[i] = n
    G["names"] = names

    total = 0
    with ctx.Pool(jobs) as pool:
        for rel, size in pool.imap_unordered(write_call, range(len(calls)), chunksize=16):
            total += size
    if args.manifest:
        with open(args.manifest, "w", encoding="utf-8") as f:
            f.write("file\tsource\tbrand\tticker\tyears_shift\trepeated_exchanges\n")
            for c, n in zip(calls, names):
                comp = companies[c["company"]]
                f.write(f"{n}\t{c['src']}\t{comp['brand']}\t{comp['ticker']}\t"
                        f"{comp['delta']}\t{len(c['inserts'])}\n")
    secs = time.monotonic() - t0
    per = {}
    for c in calls:
        l = G["sources"][c["src"]].layout
        per[l] = per.get(l, 0) + 1
    layouts = ", ".join(f"{l} {per[l]}" for l in sorted(per))
    short = "" if total >= args.min_bytes else f" (below --min-bytes {args.min_bytes})"
    print(
        f"gen_corpus: wrote {len(calls)} files ({len(companies)} companies; {layouts}), "
        f"{total / 1e6:.1f} MB{short}, in {secs:.1f} s to {out}"
    )


if __name__ == "__main__":
    main()
