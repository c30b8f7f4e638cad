//! `streetevents-pdf`: Refinitiv StreetEvents PDF transcripts turned into plain text.
//! Traps: no title or date header (the file name holds the event), `Name` / `Firm - Role`
//! headers whose role line may wrap, speech wrapped mid-sentence at the page width,
//! stray page numbers, and a DISCLAIMER that is not speech.

use std::path::Path;

use super::seed::split_firm_role;
use super::text::{clean, company_from_title, fiscal_period, parse_date};
use super::{Layout, ParseError};
use crate::model::{Participant, RoleClass, Section, Side, Transcript, Turn};
use crate::speakers;

pub struct StreetEventsPdf;

impl Layout for StreetEventsPdf {
    fn name(&self) -> &'static str {
        "streetevents-pdf"
    }

    fn description(&self) -> &'static str {
        "Refinitiv StreetEvents PDF as plain text: `Name` / `Firm - Role` header lines, speech wrapped at the page width"
    }

    fn detect(&self, text: &str) -> bool {
        let head = super::head(text, 4000);
        // The seed and TEXT layouts share the headings; their headers give them away.
        if head.contains("Event Date/Time:") || head.contains("StreetEvents Event") {
            return false;
        }
        let first = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !is_page_number(l));
        first == Some("CORPORATE PARTICIPANTS") && text.lines().any(|l| l.trim() == "PRESENTATION")
    }

    fn parse(&self, text: &str, path: &Path) -> Result<Transcript, ParseError> {
        let mut t = Transcript::new(self.name());
        event_from_path(&mut t, path);
        let mut part = Part::Header;
        let mut block: Vec<&str> = Vec::new();
        let mut turns: Vec<RawTurn> = Vec::new();
        for line in text.lines() {
            // `trim` also drops NBSP, so the ` ` separators and NBSP-only lines are blank.
            let line = line.trim();
            if is_page_number(line) {
                continue;
            }
            let next =
                Part::from_heading(line).or_else(|| is_disclaimer(line).then_some(Part::End));
            if line.is_empty() || next.is_some() {
                finish_block(part, &block, &mut t, &mut turns);
                block.clear();
                // Nothing after the disclaimer is part of the call.
                if let Some(next) = next.filter(|_| !matches!(part, Part::End)) {
                    part = next;
                }
                continue;
            }
            block.push(line);
        }
        finish_block(part, &block, &mut t, &mut turns);
        let width = page_width(
            turns
                .iter()
                .flat_map(|r| r.chunks.iter().flatten().copied()),
        );
        for raw in turns {
            let mut turn = raw.turn;
            turn.paragraphs = raw
                .chunks
                .iter()
                .flat_map(|chunk| join_wrapped(chunk, width))
                .collect();
            if !turn.paragraphs.is_empty() {
                t.turns.push(turn);
            }
        }
        Ok(t)
    }
}

#[derive(Clone, Copy)]
enum Part {
    Header,
    Participants(Side),
    Speech(Section),
    End,
}

impl Part {
    fn from_heading(line: &str) -> Option<Part> {
        Some(match line {
            "CORPORATE PARTICIPANTS" => Part::Participants(Side::Corporate),
            "CONFERENCE CALL PARTICIPANTS" => Part::Participants(Side::Analyst),
            "PRESENTATION" => Part::Speech(Section::Presentation),
            "QUESTIONS AND ANSWERS" | "QUESTION AND ANSWER" => Part::Speech(Section::Qa),
            "DISCLAIMER" | "DEFINITIONS" => Part::End,
            _ => return None,
        })
    }
}

/// A turn whose speech is still in wrapped lines; chunks were separated by blank lines.
struct RawTurn<'a> {
    turn: Turn,
    chunks: Vec<Vec<&'a str>>,
}

/// The event is the file name: `Q3 2022 Acres Commercial Realty Corp Earnings Call.txt`.
fn event_from_path(t: &mut Transcript, path: &Path) {
    let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
        return;
    };
    // `q3-2022-equity-commonwealth-earnings-call` names the same thing without spaces.
    let title = if stem.contains(' ') {
        clean(stem)
    } else {
        clean(&stem.replace(['-', '_'], " "))
    };
    if title.is_empty() {
        return;
    }
    t.fiscal_period = fiscal_period(&title).map(|(p, _)| p);
    t.company = company_from_title(&title);
    t.event = Some(title);
}

fn finish_block<'a>(
    part: Part,
    block: &[&'a str],
    t: &mut Transcript,
    turns: &mut Vec<RawTurn<'a>>,
) {
    if block.is_empty() {
        return;
    }
    match part {
        Part::Header => {
            if t.date.is_none() {
                t.date = block.iter().find_map(|l| parse_date(l));
            }
        }
        Part::Participants(side) => push_participant(t, side, block),
        Part::Speech(section) => push_speech(section, block, &t.participants, turns),
        Part::End => {}
    }
}

/// A line of only a few digits is a page number, never speech.
fn is_page_number(line: &str) -> bool {
    (1..=3).contains(&line.len()) && line.bytes().all(|b| b.is_ascii_digit())
}

/// Disclaimer lines, for files where the `DISCLAIMER` heading went missing.
fn is_disclaimer(line: &str) -> bool {
    line.starts_with('©')
        || line.starts_with("THE INFORMATION CONTAINED IN EVENT")
        || line.starts_with("Refinitiv reserves the right")
        || line.starts_with("Thomson Reuters reserves the right")
        || line.contains("Refinitiv. All Rights Reserved")
}

/// `Name` then `Firm - Role` (which may wrap onto a second line), or `Name;Firm;Role`.
fn push_participant(t: &mut Transcript, side: Side, block: &[&str]) {
    let Some((first, rest)) = block.split_first() else {
        return;
    };
    let first = clean(first);
    let (name, firm, role) = if rest.is_empty() && first.contains(';') {
        semicolon_fields(&first)
    } else {
        let (firm, role) = split_firm_role(&clean(&rest.join(" ")));
        (first, firm, role)
    };
    if !name.is_empty() {
        t.participants.push(Participant {
            name,
            firm,
            role,
            side,
        });
    }
}

/// `Kaili Wang;Citigroup Inc., Research Division;Senior Research Associate` or
/// `Craig Benigno;Senior Analyst Investor Relations`.
fn semicolon_fields(line: &str) -> (String, Option<String>, Option<String>) {
    let fields: Vec<&str> = line
        .split(';')
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .collect();
    let owned = |s: &str| Some(s.to_string());
    match fields.as_slice() {
        [] => (String::new(), None, None),
        [name] => (name.to_string(), None, None),
        [name, one] if looks_like_role(one) => (name.to_string(), None, owned(one)),
        [name, one] => {
            let (firm, role) = split_firm_role(one);
            (name.to_string(), firm, role)
        }
        [name, middle @ .., role] => (name.to_string(), owned(&middle.join("; ")), owned(role)),
    }
}

fn looks_like_role(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "analyst",
        "president",
        "officer",
        "director",
        "relations",
        "vp",
        "ceo",
        "cfo",
        "coo",
        "manager",
        "chairman",
        "head",
        "associate",
        "partner",
        "treasurer",
        "counsel",
        "md",
    ];
    speakers::key(s).split(' ').any(|w| WORDS.contains(&w))
}

/// A block of the call: a turn header and its speech, or more speech of the last turn.
fn push_speech<'a>(
    section: Section,
    block: &[&'a str],
    participants: &[Participant],
    turns: &mut Vec<RawTurn<'a>>,
) {
    match turn_header(block, participants) {
        Some((mut turn, used)) => {
            turn.section = section;
            let speech = block.get(used..).unwrap_or_default().to_vec();
            turns.push(RawTurn {
                turn,
                chunks: vec![speech],
            });
        }
        None => {
            if let Some(last) = turns.last_mut() {
                last.chunks.push(block.to_vec());
            }
        }
    }
}

/// The turn a block opens and how many of its lines the header takes:
/// `Operator` alone, a listed name with its `Firm - Role` lines, or an unidentified speaker.
fn turn_header(block: &[&str], participants: &[Participant]) -> Option<(Turn, usize)> {
    let (first, rest) = block.split_first()?;
    let name = clean(first);
    if speakers::is_operator(&name) {
        return Some((new_turn("Operator", None, None), 1));
    }
    // `Kaili Wang;Citigroup Inc., Research Division;Senior Research Associate`, as listed.
    if name.contains(';') {
        let (name, firm, role) = semicolon_fields(&name);
        let known = speakers::find_participant(participants, &name).is_some();
        return (known || is_unidentified(&name)).then(|| (new_turn(&name, firm, role), 1));
    }
    if !looks_like_name(&name) {
        return None;
    }
    let role_lines = if let Some(p) = speakers::find_participant(participants, &name) {
        listed_role_lines(rest, &listed_firm_role(p))
    } else {
        let has_role = rest.first().is_some_and(|l| looks_like_firm_role(l));
        if !has_role && !is_unidentified(&name) {
            return None;
        }
        usize::from(has_role)
    };
    let header = clean(&rest.get(..role_lines).unwrap_or_default().join(" "));
    let (firm, role) = split_firm_role(&header);
    Some((new_turn(&name, firm, role), 1 + role_lines))
}

/// How many lines after the name hold the participant's `Firm - Role`: a long role wraps,
/// and not always where it wrapped in the participant list.
fn listed_role_lines(lines: &[&str], expected: &str) -> usize {
    let expected = speakers::key(expected);
    let mut seen = String::new();
    let mut used = 0;
    for line in lines.iter().take(3) {
        let candidate = speakers::key(&format!("{seen} {line}"));
        let fits = !expected.is_empty()
            && (candidate == expected || expected.starts_with(&format!("{candidate} ")));
        if !fits {
            break;
        }
        seen = candidate;
        used += 1;
        if seen == expected {
            break;
        }
    }
    if used == 0 && lines.first().is_some_and(|l| looks_like_firm_role(l)) {
        used = 1;
    }
    used
}

fn listed_firm_role(p: &Participant) -> String {
    match (&p.firm, &p.role) {
        (Some(firm), Some(role)) => format!("{firm} - {role}"),
        (Some(one), None) | (None, Some(one)) => one.clone(),
        (None, None) => String::new(),
    }
}

fn is_unidentified(name: &str) -> bool {
    let k = speakers::key(name);
    k.starts_with("unidentified") || k.starts_with("unknown")
}

/// A short run of capitalised words without sentence punctuation or digits.
fn looks_like_name(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    (1..=8).contains(&words.len())
        && !s.ends_with(['.', '?', '!', ':', ','])
        && !s.chars().any(|c| c.is_ascii_digit())
        && words
            .first()
            .and_then(|w| w.chars().next())
            .is_some_and(char::is_uppercase)
}

/// `JMP Securities LLC, Research Division - MD`: a dash-separated line, not a sentence.
fn looks_like_firm_role(line: &str) -> bool {
    line.contains(" - ")
        && !line.contains(" -- ")
        && !line.ends_with(['.', '?', '!'])
        && line.split_whitespace().count() <= 25
        && !line.starts_with(char::is_lowercase)
}

fn new_turn(speaker: &str, firm: Option<String>, role: Option<String>) -> Turn {
    Turn {
        speaker: speaker.to_string(),
        firm,
        firm_norm: None,
        role,
        role_class: RoleClass::Other,
        titles: Vec::new(),
        section: Section::Presentation,
        paragraphs: Vec::new(),
    }
}

/// The usual page width in [`text_width`] units, for files too short to measure it.
const DEFAULT_WIDTH: u32 = 61_000;

/// The width speech wraps at: the widest speech line, when there are enough to tell.
fn page_width<'a>(lines: impl Iterator<Item = &'a str>) -> u32 {
    let (count, widest) = lines.fold((0, 0), |(n, w), l| (n + 1, w.max(text_width(l))));
    if count < 30 {
        widest.max(DEFAULT_WIDTH)
    } else {
        widest
    }
}

/// Rejoin lines the PDF wrapped; a paragraph ends where a line was broken on purpose.
fn join_wrapped(lines: &[&str], width: u32) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    for (i, line) in lines.iter().enumerate() {
        let cleaned = clean(line);
        if cleaned.is_empty() {
            continue;
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(&cleaned);
        let last = i + 1 == lines.len();
        if last
            || lines
                .get(i + 1)
                .is_some_and(|next| breaks_after(line, next, width))
        {
            paragraphs.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    paragraphs
}

/// A line was broken on purpose when it ends a sentence, the next line starts a new one,
/// and the next line's first word would have fitted (with a margin for font metrics).
fn breaks_after(line: &str, next: &str, width: u32) -> bool {
    let line = line.trim_end_matches([' ', '\u{a0}']);
    if !ends_sentence(line) || next.starts_with(char::is_lowercase) {
        return false;
    }
    let first_word = next.split_whitespace().next().unwrap_or("");
    let needed = text_width(line) + char_width(' ') + text_width(first_word);
    needed + width / 40 <= width
}

fn ends_sentence(line: &str) -> bool {
    let core = line.trim_end_matches(['"', '”', '’', '\'', ')', ']']);
    core.ends_with(['.', '?', '!', ':', '…']) || line.ends_with(')')
}

/// Width of a line in the PDF's font (Helvetica metrics, 1/1000 em): the page wraps by
/// width, not by character count.
fn text_width(s: &str) -> u32 {
    s.chars().map(char_width).sum()
}

fn char_width(c: char) -> u32 {
    const ASCII: [u16; 95] = [
        278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278,
        278, // ' '../
        556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // 0..9
        278, 278, 584, 584, 584, 556, 1015, // :..@
        667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, // A..M
        722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, // N..Z
        278, 278, 278, 469, 556, 333, // [..`
        556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, // a..m
        556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, // n..z
        334, 260, 334, 584, // {..~
    ];
    match c {
        ' '..='~' => ASCII
            .get(c as usize - ' ' as usize)
            .map_or(556, |&w| u32::from(w)),
        '\u{a0}' => 278,
        '‘' | '’' => 222,
        '“' | '”' => 333,
        '—' | '…' => 1000,
        c if c.is_uppercase() => 667,
        _ => 556,
    }
}
