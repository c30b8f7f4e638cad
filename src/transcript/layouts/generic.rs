//! The generic speaker-labelled layout: any text no specific layout claims (bank and
//! vendor PDFs, other exports) whose turns open with a recognisable speaker label.
//!
//! Label forms: `NAME: text`, `Name: text`, `Name, Title: text`, `[Type] Name: text`,
//! `Name - Firm - Role` on its own line, a name alone on its line (optionally followed
//! by a `Title, Firm` line), and a name in a left column (`Name   text`). A form seen
//! once could be prose, so a label counts when it is strong on its own (capitals, a
//! title, a listed name), recurs, or has the form the document's strong labels have.

use std::collections::HashMap;
use std::path::Path;

use crate::transcript::layouts::{Layout, ParseError};
use crate::transcript::model::{Participant, Section, Side, Transcript, Turn};
use crate::transcript::people::{self, find_participant, is_operator, key};
use crate::transcript::text;

pub struct Generic;

/// The fewest labelled turns that make a text a transcript.
const MIN_TURNS: usize = 3;

impl Layout for Generic {
    fn name(&self) -> &'static str {
        "generic"
    }

    fn description(&self) -> &'static str {
        "any other speaker-labelled text (bank and vendor PDFs): `NAME:`, `Name, Title:`, `Name - Firm - Role`, a name on its own line"
    }

    fn detect(&self, text: &str) -> bool {
        let lines: Vec<&str> = text.lines().collect();
        let (participants, list_end) = participant_list(&lines);
        let labels = accepted_labels(&lines, &participants, list_end);
        let mut speakers: Vec<String> = labels.values().map(|l| key(&l.name)).collect();
        speakers.sort();
        speakers.dedup();
        labels.len() >= MIN_TURNS && speakers.len() >= 2
    }

    fn parse(&self, text: &str, path: &Path) -> Result<Transcript, ParseError> {
        let lines: Vec<&str> = text.lines().collect();
        let mut t = Transcript::new(self.name());
        let (participants, list_end) = participant_list(&lines);
        t.participants = participants;
        let labels = accepted_labels(&lines, &t.participants, list_end);
        let first_label = labels.keys().min().copied().unwrap_or(lines.len());
        read_metadata(&lines[..first_label.max(list_end)], path, &mut t);
        read_turns(&lines, &labels, list_end, &mut t);
        name_announced_speakers(&mut t);
        list_unlisted_speakers(&mut t);
        if t.company.is_none() {
            t.company = corporate_firm(&t);
        }
        Ok(t)
    }
}

// ---------------------------------------------------------------------------------------
// Names and labels.

/// Words that make a capitalised phrase a heading, not a person.
const NOT_NAME_WORDS: &[&str] = &[
    "section",
    "discussion",
    "question",
    "questions",
    "answer",
    "answers",
    "presentation",
    "results",
    "remarks",
    "transcript",
    "call",
    "conference",
    "earnings",
    "quarter",
    "management",
    "disclaimer",
    "slide",
    "page",
    "financial",
    "speakers",
    "participants",
    "information",
    "forward",
    "statements",
    "and",
    "the",
    "of",
    "for",
    "to",
    "in",
    "on",
    "with",
    "our",
    "we",
    "thank",
    "thanks",
    "you",
    "annual",
    "report",
    "highlights",
    "outlook",
    "summary",
    "overview",
    "agenda",
    "appendix",
    "notes",
    "contents",
    "introduction",
    "closing",
    "opening",
    "group",
    "bank",
    "inc",
    "corp",
    "ltd",
    "plc",
    "llc",
    "copyright",
    "source",
    "note",
    "total",
    "net",
    "income",
    "revenue",
    "revenues",
    "capital",
    "today",
    "good",
    "morning",
    "afternoon",
    "hello",
    "hi",
    "yes",
    "okay",
    "so",
    "well",
    "i",
    "it",
    "this",
    "that",
    "my",
    "a",
    "an",
    "is",
    "are",
    "all",
    "rights",
    "reserved",
    "webcast",
    "replay",
    "session",
    "instructions",
];

/// Particles and suffixes that may be lower case or short inside a name.
const NAME_PARTICLES: &[&str] = &[
    "von", "van", "de", "der", "den", "da", "di", "du", "la", "le", "del", "bin", "al", "y", "e",
    "dos", "das", "ter", "ten", "st.",
];

/// Titles that make a line a role (`Chief Financial Officer, JPMorgan Chase & Co.`).
const TITLE_WORDS: &[&str] = &[
    "officer",
    "analyst",
    "president",
    "director",
    "head",
    "chairman",
    "chairwoman",
    "chair",
    "ceo",
    "cfo",
    "coo",
    "cro",
    "cto",
    "manager",
    "treasurer",
    "relations",
    "vice",
    "partner",
    "founder",
    "secretary",
    "controller",
    "counsel",
    "strategist",
    "economist",
    "executive",
    "member",
    "principal",
    "associate",
    "evp",
    "svp",
    "md",
    "investor",
    "chief",
];

/// A person's name: one to six words, each capitalised (or a particle, an initial,
/// `Jr.`), of letters and name punctuation (`.`, `'`, `-`, quotes, brackets), not a
/// heading's words. Accents, CJK and emoji pass; digits never do.
pub fn is_name(s: &str) -> bool {
    let s = s.trim();
    // `Unknown speaker`, `Unidentified participant`: a speaker, whatever the case.
    if crate::transcript::people::is_unidentified(s) {
        return true;
    }
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.is_empty() || words.len() > 6 || s.chars().count() > 60 {
        return false;
    }
    let allowed = |c: char| {
        c.is_alphabetic()
            || matches!(
                c,
                ' ' | '.' | '\'' | '’' | '-' | '"' | '“' | '”' | '(' | ')' | ','
            )
            || is_symbol(c)
    };
    if !s.chars().all(allowed) || !s.chars().any(char::is_alphabetic) {
        return false;
    }
    words.iter().all(|w| {
        let bare = w.trim_matches(|c: char| !c.is_alphanumeric() && !is_symbol(c));
        let lower = bare.to_lowercase();
        // `A.` in `David A. Helfand` is an initial, not the article.
        let initial = w.ends_with('.') && bare.chars().count() == 1;
        if NOT_NAME_WORDS.contains(&lower.as_str()) && !initial {
            return false;
        }
        NAME_PARTICLES.contains(&lower.as_str())
            || matches!(lower.as_str(), "jr" | "sr" | "ii" | "iii" | "iv")
            || bare.chars().next().is_some_and(|c| !c.is_lowercase())
    })
}

/// Emoji and other pictographs, which some names carry.
fn is_symbol(c: char) -> bool {
    matches!(c as u32, 0x2600..=0x27BF | 0x1F000..=0x1FAFF | 0xFE0F | 0x200D)
}

/// Every cased letter is a capital, and there are at least two words.
fn is_capitals(s: &str) -> bool {
    s.split_whitespace().count() >= 2
        && s.chars().any(char::is_uppercase)
        && !s.chars().any(char::is_lowercase)
}

/// A line naming a role: short, no sentence, with a title word.
fn is_role(s: &str) -> bool {
    let words: Vec<String> = s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    !words.is_empty()
        && words.len() <= 16
        && !ends_sentence(s)
        && words.iter().any(|w| TITLE_WORDS.contains(&w.as_str()))
}

/// Ends like a sentence: `?`, `!`, or a period after a word longer than `Co.`/`Corp.`.
fn ends_sentence(s: &str) -> bool {
    let s = s.trim_end();
    let last = s.rsplit(' ').next().unwrap_or_default();
    s.ends_with(['?', '!']) || s.ends_with('.') && last.chars().count() > 5
}

/// How a label is written: documents keep to one or two forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Form {
    /// `Name: text`
    Colon,
    /// `Name - Firm - Role` on its own line
    Dashed,
    /// a name alone on its line
    Alone,
    /// `Name   text`, the name in a left column
    Column,
}

/// A line read as a speaker label.
#[derive(Debug, Clone)]
struct Label {
    name: String,
    firm: Option<String>,
    role: Option<String>,
    form: Form,
    /// Strong on its own: capitals, a title or firm, a bracketed type, the operator.
    strong: bool,
    /// Speech on the label's own line (`NAME: text`).
    rest: Option<String>,
    /// Lines after the label that belong to it (a role line).
    consumed: usize,
    /// The section a `[Question]`-style type names.
    section: Option<Section>,
    /// `[Answer]` or `[Presenter Speech]`: the company's side.
    answers: bool,
}

/// A separator between name, firm and role on a label line.
const DASHES: &[&str] = &[" – ", " — ", " - ", " | "];

fn split_dashes(s: &str) -> Vec<&str> {
    let mut parts = vec![s];
    for d in DASHES {
        parts = parts.iter().flat_map(|p| p.split(d)).collect();
    }
    parts.into_iter().map(str::trim).collect()
}

/// Name plus firm and role from `Name, Title`, `Name (Firm)`, `Name - Firm - Role`.
fn name_parts(s: &str) -> Option<(String, Option<String>, Option<String>)> {
    let s = s.trim();
    let dashed = split_dashes(s);
    let part_ok = |p: &&str| {
        !p.is_empty()
            && p.split_whitespace().count() <= 10
            && !p.starts_with(|c: char| c.is_lowercase())
    };
    if dashed.len() >= 2 && dashed.len() <= 3 && is_name(dashed[0]) {
        if !dashed.iter().all(part_ok) {
            return None;
        }
        return Some(match dashed.as_slice() {
            [n, a] if is_role(a) => (n.to_string(), None, Some(a.to_string())),
            [n, a] => (n.to_string(), Some(a.to_string()), None),
            [n, f, r] => (n.to_string(), Some(f.to_string()), Some(r.to_string())),
            _ => return None,
        });
    }
    if let Some((n, rest)) = s.split_once(" (")
        && let Some(firm) = rest.strip_suffix(')')
        && is_name(n)
        && !is_name_nickname(firm)
    {
        return Some((n.to_string(), Some(firm.to_string()), None));
    }
    if is_name(s) && !s.contains(',') || is_name(s) && is_suffix_comma(s) {
        return Some((s.to_string(), None, None));
    }
    let (n, tail) = s.split_once(", ")?;
    if is_suffix_comma(s) {
        return Some((s.to_string(), None, None));
    }
    if !is_name(n) || tail.is_empty() || tail.split_whitespace().count() > 10 {
        return None;
    }
    if is_role(tail) {
        return Some((n.to_string(), None, Some(tail.to_string())));
    }
    let firm_like = tail.split_whitespace().count() <= 6 && !tail.ends_with('.');
    firm_like.then(|| (n.to_string(), Some(tail.to_string()), None))
}

/// `Edmund ("Eddie") Ingle`: brackets holding a nickname are part of the name.
fn is_name_nickname(inner: &str) -> bool {
    inner.starts_with(['"', '“', '\''])
}

/// `Vincent J. Delie, Jr.`: a comma before a suffix is part of the name.
fn is_suffix_comma(s: &str) -> bool {
    let Some((_, tail)) = s.rsplit_once(", ") else {
        return false;
    };
    let tail = tail.trim_end_matches('.').to_lowercase();
    matches!(
        tail.as_str(),
        "jr" | "sr" | "ii" | "iii" | "iv" | "phd" | "cfa"
    )
}

/// The bracketed type of a label line, lowercased (`[Answer] ...` -> `[answer]`).
fn lower_prefix(line: &str) -> String {
    line.split(']').next().unwrap_or_default().to_lowercase()
}

/// `[Answer] Tim Cook` -> the section it names and the rest.
fn bracketed_type(s: &str) -> (Option<Option<Section>>, &str) {
    let Some(rest) = s.strip_prefix('[') else {
        return (None, s);
    };
    let Some((kind, after)) = rest.split_once(']') else {
        return (None, s);
    };
    let kind = kind.to_lowercase();
    let section = if kind.contains("question") || kind.contains("answer") {
        Some(Section::Qa)
    } else if kind.contains("presenter") || kind.contains("presentation") {
        Some(Section::Presentation)
    } else {
        None
    };
    (Some(section), after.trim_start())
}

/// Read line `i` as a label, if it has a label's shape.
fn label_at(lines: &[&str], i: usize) -> Option<Label> {
    let raw = lines[i];
    let line = raw.trim();
    if line.is_empty() {
        return None;
    }
    if let Some(label) = colon_label(line) {
        return Some(label);
    }
    if line.len() > 200 {
        return None;
    }
    alone_label(lines, i, line).or_else(|| column_label(lines, i, line))
}

fn colon_label(line: &str) -> Option<Label> {
    let (typed, body) = bracketed_type(line);
    let colon = body.find(':')?;
    let (prefix, rest) = (&body[..colon], body[colon + 1..].trim());
    if prefix.len() > 90 || prefix.trim().is_empty() || body[colon + 1..].starts_with("//") {
        return None;
    }
    let (name, firm, role) = name_parts(prefix)?;
    let operator = is_operator(&name);
    if name.split_whitespace().count() < 2 && !operator && typed.is_none() {
        return None;
    }
    let strong = operator
        || typed.is_some()
        || is_capitals(&name)
        || firm.is_some()
        || role.as_deref().is_some_and(is_role);
    Some(Label {
        name,
        firm,
        role,
        form: Form::Colon,
        strong,
        rest: (!rest.is_empty()).then(|| rest.to_string()),
        consumed: 0,
        section: typed.flatten(),
        answers: typed.is_some() && !lower_prefix(line).contains("question"),
    })
}

/// A name alone on its line, or `Name - Firm - Role`; a role line may follow.
fn alone_label(lines: &[&str], i: usize, line: &str) -> Option<Label> {
    if line.ends_with(['.', '?', '!', ':', ';']) && !is_suffix_comma(line) {
        return None;
    }
    let (name, firm, role) = name_parts(line)?;
    let operator = is_operator(&name);
    if name.split_whitespace().count() < 2 && !operator {
        return None;
    }
    let dashed = split_dashes(line).len() >= 2;
    let mut label = Label {
        strong: operator || dashed && (firm.is_some() || role.is_some()),
        name,
        firm,
        role,
        form: if dashed { Form::Dashed } else { Form::Alone },
        rest: None,
        consumed: 0,
        section: None,
        answers: false,
    };
    if let Some((next, role_line)) = next_filled(lines, i)
        && label.role.is_none()
        && is_role_line(role_line)
    {
        let (role, firm) = role_and_firm(strip_qa_marker(role_line));
        label.role = Some(role);
        label.firm = label.firm.or(firm);
        label.consumed = next - i;
        label.strong = true;
    }
    Some(label)
}

/// A line under a name that gives the role: `Firm - Role` or `Title, Firm`.
fn is_role_line(line: &str) -> bool {
    is_role(strip_qa_marker(line))
}

/// `Title, Firm   Q` -> `Title, Firm` (FactSet marks questions and answers so).
fn strip_qa_marker(line: &str) -> &str {
    let t = line.trim_end();
    for m in [" Q", " A"] {
        // `Inc  Q`, `Co. A`: the mark stands apart from the firm.
        if let Some(s) = t.strip_suffix(m)
            && (s.ends_with(' ') || s.ends_with(['.', ')']))
        {
            return s.trim_end();
        }
    }
    t.trim()
}

/// `Chief Financial Officer, JPMorgan Chase & Co.` or `Firm - Role`.
fn role_and_firm(line: &str) -> (String, Option<String>) {
    if let Some((a, b)) = line.split_once(" - ").or_else(|| line.split_once(" – ")) {
        return if is_role(b) {
            (b.trim().to_string(), Some(a.trim().to_string()))
        } else {
            (a.trim().to_string(), Some(b.trim().to_string()))
        };
    }
    match line.split_once(", ") {
        Some((role, firm)) if is_role(role) => (role.to_string(), Some(firm.to_string())),
        _ => (line.trim().to_string(), None),
    }
}

/// `Chris Hallam  Thank you.` with `(Goldman Sachs)  presentation ...` below it.
fn column_label(lines: &[&str], i: usize, line: &str) -> Option<Label> {
    let (name, rest) = line.split_once("  ")?;
    if name.split_whitespace().count() < 2 || !is_name(name) || name.contains(',') {
        return None;
    }
    let mut firm = None;
    let mut strong = false;
    if let Some(next) = lines.get(i + 1).map(|l| l.trim())
        && let Some(inner) = next.strip_prefix('(')
        && let Some((f, _)) = inner.split_once(')')
    {
        firm = Some(f.trim().to_string());
        strong = true;
    }
    Some(Label {
        name: name.trim().to_string(),
        firm,
        role: None,
        form: Form::Column,
        strong,
        rest: Some(rest.trim().to_string()),
        consumed: 0,
        section: None,
        answers: false,
    })
}

/// The next non-blank line after `i` (index and text), within three lines.
fn next_filled<'a>(lines: &[&'a str], i: usize) -> Option<(usize, &'a str)> {
    (i + 1..(i + 4).min(lines.len())).find_map(|j| {
        let l = lines[j].trim();
        (!l.is_empty()).then_some((j, l))
    })
}

/// Labels that count, by line: strong ones, listed names, names that recur as
/// labels, and weak ones written the way the document's counted labels are.
fn accepted_labels(
    lines: &[&str],
    participants: &[Participant],
    list_end: usize,
) -> HashMap<usize, Label> {
    let candidates: Vec<(usize, Label)> = (list_end..lines.len())
        .filter(|&i| !is_section_marker(lines[i].trim()))
        .filter_map(|i| label_at(lines, i).map(|l| (i, l)))
        .collect();
    let mut recurs: HashMap<String, usize> = HashMap::new();
    for (_, l) in &candidates {
        *recurs.entry(key(&l.name)).or_insert(0) += 1;
    }
    let listed = |l: &Label| find_participant(participants, &l.name).is_some();
    let mut accepted: HashMap<usize, Label> = HashMap::new();
    let mut forms: HashMap<(Form, bool), usize> = HashMap::new();
    for (i, l) in &candidates {
        let repeated = recurs[&key(&l.name)] >= 2 && l.form != Form::Column;
        if l.strong || listed(l) || repeated {
            *forms.entry((l.form, is_capitals(&l.name))).or_insert(0) += 1;
            accepted.insert(*i, l.clone());
        }
    }
    for (i, l) in candidates {
        let usual = forms.get(&(l.form, is_capitals(&l.name))).copied() >= Some(3);
        if !accepted.contains_key(&i) && usual && l.form != Form::Column {
            accepted.insert(i, l);
        }
    }
    drop_consumed(accepted)
}

/// A role line consumed by the label above it is not a label itself.
fn drop_consumed(mut labels: HashMap<usize, Label>) -> HashMap<usize, Label> {
    let consumed: Vec<usize> = labels
        .iter()
        .flat_map(|(&i, l)| (i + 1)..=(i + l.consumed))
        .collect();
    for i in consumed {
        labels.remove(&i);
    }
    labels
}

// ---------------------------------------------------------------------------------------
// Participant lists, sections, metadata.

/// Words that end a participant-list heading (`Corporate Participants`, `Speakers:`,
/// `Host`, `Conference Call Participants`, `Executives`, `Company Representatives`).
const LIST_WORDS: &[&str] = &[
    "participants",
    "participant",
    "speakers",
    "speaker",
    "executives",
    "analysts",
    "host",
    "hosts",
    "presenters",
    "attendees",
    "management",
    "representatives",
    "panelists",
    "panellists",
];

/// The side a list heading names, when `line` is one.
fn list_heading(line: &str) -> Option<Side> {
    let words: Vec<String> = line
        .trim()
        .trim_end_matches(':')
        .split_whitespace()
        .map(|w| w.to_lowercase())
        .collect();
    if words.is_empty() || words.len() > 4 || !LIST_WORDS.contains(&words.last()?.as_str()) {
        return None;
    }
    let analyst = words.iter().any(|w| w.contains("analyst"))
        || words
            .windows(2)
            .any(|w| w[0] == "conference" && w[1] == "call");
    Some(if analyst {
        Side::Analyst
    } else {
        Side::Corporate
    })
}

/// Every participant list near the top, and the line after the last one.
fn participant_list(lines: &[&str]) -> (Vec<Participant>, usize) {
    let mut participants: Vec<Participant> = Vec::new();
    let mut end = 0;
    let mut i = 0;
    let top = lines.len().min(400);
    while i < top {
        let Some(side) = list_heading(lines[i]) else {
            i += 1;
            continue;
        };
        i += 1;
        while i < top {
            let line = lines[i].trim();
            if line.is_empty() {
                if lines.get(i + 1).is_some_and(|l| l.trim().is_empty()) {
                    break;
                }
                i += 1;
                continue;
            }
            if list_heading(line).is_some() {
                break;
            }
            if let Some(last) = participants.last_mut().filter(|p| p.role.is_none())
                && end == i
                && is_role_line(line)
            {
                let (role, firm) = role_and_firm(line);
                last.role = Some(role);
                last.firm = last.firm.take().or(firm);
                i += 1;
                end = i;
                continue;
            }
            let Some((name, firm, role)) = name_parts(line) else {
                break;
            };
            if name.split_whitespace().count() < 2 {
                break;
            }
            let analyst = role
                .as_deref()
                .is_some_and(|r| r.to_lowercase().contains("analyst"));
            participants.push(Participant {
                name,
                firm,
                role,
                side: if analyst { Side::Analyst } else { side },
            });
            i += 1;
            end = i;
        }
    }
    (participants, end)
}

/// A line that opens a section; `Some(None)` for one that ends the call.
fn section_marker(line: &str) -> Option<Option<Section>> {
    let l = line.trim().trim_end_matches([':', '.']).to_lowercase();
    // A heading starts with a capital; `presentation.` is a wrapped sentence's end.
    let heading = line
        .trim()
        .starts_with(|c: char| c.is_uppercase() || c == '[');
    if l.split_whitespace().count() > 7 || l.is_empty() || !heading {
        return None;
    }
    let qa = l.contains("q&a")
        || l.contains("q & a")
        || (l.contains("question") && (l.contains("answer") || l.contains("session")));
    if qa && !l.contains("operator") {
        return Some(Some(Section::Qa));
    }
    if matches!(
        l.as_str(),
        "presentation" | "prepared remarks" | "management discussion section" | "remarks"
    ) {
        return Some(Some(Section::Presentation));
    }
    if matches!(
        l.as_str(),
        "disclaimer" | "legal notice" | "important notice"
    ) {
        return Some(None);
    }
    None
}

fn is_section_marker(line: &str) -> bool {
    section_marker(line).is_some()
}

/// Company, event, period and date from the first lines, then the file name.
fn read_metadata(lines: &[&str], path: &Path, t: &mut Transcript) {
    let head: Vec<String> = (lines.iter().take(80))
        .map(|l| text::clean(l))
        .filter(|l| !l.is_empty())
        .take(40)
        .collect();
    for line in &head {
        if t.date.is_none() {
            t.date = text::parse_date(line).or_else(|| day_month_year(line));
        }
        if t.event.is_none() && is_title(line) {
            t.event = Some(line.clone());
            t.fiscal_period = text::fiscal_period(line).map(|p| p.0);
            t.company = text::company_from_title(line)
                .map(|c| {
                    c.trim_end_matches([' ', '–', '—', '-', '|', ','])
                        .to_string()
                })
                .filter(|c| !c.is_empty());
        }
    }
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    if t.fiscal_period.is_none() {
        t.fiscal_period = period_from_name(stem);
    }
    if t.ticker.is_none() {
        t.ticker = text::ticker_from_path(path);
    }
}

/// An event title: short, names a call or results, and a fiscal period.
fn is_title(line: &str) -> bool {
    let l = line.to_lowercase();
    line.split_whitespace().count() <= 20
        && !line.ends_with('.')
        && !line.contains(": ")
        && ["call", "results", "earnings", "conference"]
            .iter()
            .any(|w| l.contains(w))
        && text::fiscal_period(line).is_some()
}

/// `14 August 2024`, `Wednesday 24th July 2024`.
fn day_month_year(line: &str) -> Option<String> {
    let words: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || c == ',' || c == '|')
        .filter(|w| !w.is_empty())
        .collect();
    words.windows(3).find_map(|w| {
        let day = w[0].trim_end_matches(|c: char| c.is_alphabetic());
        let day: u32 = day.parse().ok().filter(|d| (1..=31).contains(d))?;
        let probe = format!("{} {day}, {}", w[1], w[2]);
        text::parse_date(&probe)
    })
}

/// `qec_ctg_2024_3Q` or `acme-q3-2024` -> `Q3 2024`.
fn period_from_name(stem: &str) -> Option<String> {
    let words: Vec<String> = stem
        .split(|c: char| !c.is_alphanumeric())
        .map(str::to_uppercase)
        .collect();
    let year = words
        .iter()
        .find(|w| w.len() == 4 && w.starts_with("20") && w.chars().all(|c| c.is_ascii_digit()))?;
    let quarter = words.iter().find_map(|w| match w.as_bytes() {
        [b'Q', d @ b'1'..=b'4'] | [d @ b'1'..=b'4', b'Q'] => Some(*d as char),
        _ => None,
    })?;
    Some(format!("Q{quarter} {year}"))
}

// ---------------------------------------------------------------------------------------
// Turns.

/// A line that carries no speech: rules, page furniture, slide titles.
fn is_furniture(line: &str) -> bool {
    let l = line.trim();
    l.chars().all(|c| !c.is_alphanumeric())
        || l.chars().all(|c| c.is_ascii_digit() || c.is_whitespace())
        || (l.starts_with("Slide ") || l.starts_with("Page "))
            && l.split_whitespace()
                .nth(1)
                .is_some_and(|w| w.starts_with(|c: char| c.is_ascii_digit()))
            && l.split_whitespace().count() <= 16
}

/// Walk the lines: labels open turns, markers set sections, the rest is speech.
fn read_turns(lines: &[&str], labels: &HashMap<usize, Label>, list_end: usize, t: &mut Transcript) {
    let mut section = Section::Presentation;
    let mut turn: Option<Turn> = None;
    let mut para: Vec<String> = Vec::new();
    let mut leading: Vec<String> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim();
        if let Some(label) = labels.get(&i) {
            flush_para(&mut para, turn.as_mut(), &mut leading, i > list_end);
            flush_turn(&mut turn, t);
            if let Some(s) = label.section {
                section = s;
            }
            let name = label.name.split_whitespace().collect::<Vec<_>>().join(" ");
            if label.answers
                && !is_operator(&name)
                && find_participant(&t.participants, &name).is_none()
            {
                t.participants.push(Participant {
                    name: name.clone(),
                    firm: label.firm.clone(),
                    role: label.role.clone(),
                    side: Side::Corporate,
                });
            }
            let mut next = Turn::new(&name, label.firm.clone(), label.role.clone());
            next.section = section;
            turn = Some(next);
            para.extend(
                label
                    .rest
                    .as_deref()
                    .map(|r| strip_firm_column(r).to_string()),
            );
            i += 1 + label.consumed;
            continue;
        }
        match section_marker(line) {
            Some(Some(Section::Qa)) if turn.is_none() && t.turns.is_empty() => {}
            Some(Some(s)) => {
                flush_para(&mut para, turn.as_mut(), &mut leading, i > list_end);
                section = s;
                if let Some(open) = turn.as_mut()
                    && open.paragraphs.is_empty()
                {
                    open.section = s;
                }
            }
            Some(None) if turn.is_some() || !t.turns.is_empty() => break,
            _ if line.is_empty() => {
                flush_para(&mut para, turn.as_mut(), &mut leading, i > list_end)
            }
            _ if is_furniture(line) => {}
            _ if is_bullet(line) => {
                flush_para(&mut para, turn.as_mut(), &mut leading, i > list_end);
                para.push(strip_bullet(line).to_string());
            }
            _ => para.push(strip_firm_column(line).to_string()),
        }
        i += 1;
    }
    flush_para(&mut para, turn.as_mut(), &mut leading, true);
    flush_turn(&mut turn, t);
    attribute_leading(leading, t);
    qa_from_first_question(t);
    merge_repeated_speakers(t);
}

/// Without a Q&A heading, the Q&A starts where the operator calls the first question.
fn qa_from_first_question(t: &mut Transcript) {
    if t.turns.iter().any(|x| x.section == Section::Qa) {
        return;
    }
    let calls_question = |x: &Turn| {
        let said = x.paragraphs.join(" ").to_lowercase();
        said.contains("our first question")
            || is_operator(&x.speaker) && said.contains("first question")
    };
    if let Some(start) = t.turns.iter().position(calls_question) {
        for x in &mut t.turns[start..] {
            x.section = Section::Qa;
        }
    }
}

/// `(Goldman Sachs)  presentation and the remarks.` -> the speech after the firm.
fn strip_firm_column(line: &str) -> &str {
    if let Some(inner) = line.strip_prefix('(')
        && let Some((_, after)) = inner.split_once(")  ")
    {
        return after.trim_start();
    }
    line
}

fn is_bullet(line: &str) -> bool {
    ["- ", "• ", "– ", "▪ ", "* "]
        .iter()
        .any(|b| line.starts_with(b))
}

fn strip_bullet(line: &str) -> &str {
    line.get(2..).map_or(line, str::trim_start)
}

/// End a paragraph: into the open turn, or kept as leading speech before any label.
fn flush_para(
    para: &mut Vec<String>,
    turn: Option<&mut Turn>,
    leading: &mut Vec<String>,
    after_list: bool,
) {
    if para.is_empty() {
        return;
    }
    let joined = text::clean(&para.join(" "));
    para.clear();
    if joined.is_empty() || is_boilerplate_caps(&joined) {
        return;
    }
    match turn {
        Some(turn) => turn.paragraphs.push(joined),
        None if after_list => leading.push(joined),
        None => {}
    }
}

/// A long paragraph in capitals: a disclaimer, not speech.
fn is_boilerplate_caps(p: &str) -> bool {
    p.split_whitespace().count() >= 12 && !p.chars().any(char::is_lowercase)
}

fn flush_turn(turn: &mut Option<Turn>, t: &mut Transcript) {
    if let Some(turn) = turn.take()
        && !turn.paragraphs.is_empty()
    {
        t.turns.push(turn);
    }
}

/// Speech before the first label, after a participant list, is the first listed
/// corporate speaker's opening (whom it does not thank by name).
fn attribute_leading(leading: Vec<String>, t: &mut Transcript) {
    let speech: Vec<String> = leading
        .into_iter()
        .filter(|p| p.split_whitespace().count() >= 8)
        .collect();
    if speech.is_empty() {
        return;
    }
    let opening = speech[0].to_lowercase();
    let first_name = |p: &Participant| {
        p.name
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_lowercase()
    };
    let Some(p) = t
        .participants
        .iter()
        .filter(|p| p.side == Side::Corporate)
        .find(|p| !opening.contains(&first_name(p)))
    else {
        return;
    };
    let mut turn = Turn::new(&p.name, p.firm.clone(), p.role.clone());
    turn.paragraphs = speech;
    t.turns.insert(0, turn);
}

/// A label repeated at the top of a page continues its turn.
fn merge_repeated_speakers(t: &mut Transcript) {
    let mut merged: Vec<Turn> = Vec::with_capacity(t.turns.len());
    for turn in std::mem::take(&mut t.turns) {
        match merged.last_mut() {
            Some(last)
                if key(&last.speaker) == key(&turn.speaker) && last.section == turn.section =>
            {
                last.paragraphs.extend(turn.paragraphs);
            }
            _ => merged.push(turn),
        }
    }
    t.turns = merged;
}

/// A speaker without a firm whom the operator has just announced (`Your first question
/// comes from Glenn Schorr with Evercore ISI`) gets that firm, and the operator's spelling
/// when the label is in capitals (`GLENN SCHORR` -> `Glenn Schorr`).
fn name_announced_speakers(t: &mut Transcript) {
    for i in 1..t.turns.len() {
        let (before, rest) = t.turns.split_at_mut(i);
        let turn = &mut rest[0];
        let Some(operator) = before.last().filter(|x| is_operator(&x.speaker)) else {
            continue;
        };
        if turn.firm.is_some() || is_operator(&turn.speaker) {
            continue;
        }
        let said = operator.paragraphs.join(" ");
        let Some(at) = said.to_lowercase().find(&turn.speaker.to_lowercase()) else {
            continue;
        };
        let Some(spelled) = said.get(at..at + turn.speaker.len()) else {
            continue;
        };
        if let Some(firm) = people::announced_firm(&said, spelled) {
            turn.firm = firm;
        }
        if is_capitals(&turn.speaker) {
            turn.speaker = spelled.to_string();
        }
    }
    // The same label elsewhere in the call takes the same identity.
    let known: Vec<(String, String, Option<String>)> = (t.turns.iter())
        .filter(|x| x.firm.is_some())
        .map(|x| (key(&x.speaker), x.speaker.clone(), x.firm.clone()))
        .collect();
    for turn in &mut t.turns {
        if let Some((_, name, firm)) = known.iter().find(|(k, _, _)| *k == key(&turn.speaker)) {
            turn.speaker.clone_from(name);
            if turn.firm.is_none() {
                turn.firm.clone_from(firm);
            }
        }
    }
}

/// Speakers the list does not name: those who first speak in the Q&A are analysts
/// (with the firm their label gave), the others the company's.
fn list_unlisted_speakers(t: &mut Transcript) {
    let mut added: Vec<Participant> = Vec::new();
    for turn in &t.turns {
        if is_operator(&turn.speaker)
            || people::is_unidentified(&turn.speaker)
            || find_participant(&t.participants, &turn.speaker).is_some()
            || find_participant(&added, &turn.speaker).is_some()
        {
            continue;
        }
        let analyst = unlisted_is_analyst(turn, &t.participants, &t.turns);
        added.push(Participant {
            name: turn.speaker.clone(),
            firm: turn.firm.clone(),
            role: turn.role.clone(),
            side: if analyst {
                Side::Analyst
            } else {
                Side::Corporate
            },
        });
    }
    t.participants.extend(added);
}

/// The firm the company's speakers most often name (`JPMorgan Chase & Co.`).
fn corporate_firm(t: &Transcript) -> Option<String> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for p in t.participants.iter().filter(|p| p.side == Side::Corporate) {
        if let Some(f) = p.firm.as_deref() {
            *counts.entry(f).or_insert(0) += 1;
        }
    }
    let best = counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))?;
    Some(best.0.to_string())
}

/// An unlisted speaker is an analyst when the role says so; one with another title or
/// a corporate speaker's firm is the company's; else whoever first speaks in the Q&A.
fn unlisted_is_analyst(turn: &Turn, participants: &[Participant], turns: &[Turn]) -> bool {
    let role = turn.role.as_deref().unwrap_or("").to_lowercase();
    if role.contains("analyst") {
        return true;
    }
    if !role.is_empty() && is_role(&role) {
        return false;
    }
    let firm = turn.firm.as_deref().map(crate::transcript::firms::firm_key);
    let corporate_firm = |f: &String| {
        let listed = participants.iter().filter(|p| p.side == Side::Corporate);
        let presenters = turns.iter().filter(|x| x.section == Section::Presentation);
        (listed.filter_map(|p| p.firm.as_deref()))
            .chain(presenters.filter_map(|x| x.firm.as_deref()))
            .any(|g| crate::transcript::firms::firm_key(g) == *f)
    };
    if firm.as_ref().is_some_and(corporate_firm) {
        return false;
    }
    turn.section == Section::Qa
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Transcript {
        let mut t = Generic.parse(text, Path::new("x.txt")).unwrap();
        crate::transcript::roles::resolve(&mut t);
        t
    }

    #[test]
    fn names_with_punctuation_accents_cjk_and_emoji_are_names() {
        for name in [
            "Vincent J. Delie, Jr.",
            "David A. Helfand",
            "Unknown speaker",
            "Edmund (\"Eddie\") Ingle",
            "James von Moltke",
            "José Viñals",
            "王 建林",
            "Jane Doe 🚀",
            "JANE FRASER",
        ] {
            assert!(is_name(name), "{name}");
        }
        for heading in [
            "Questions and Answers",
            "Slide 3",
            "Page 2 of 17",
            "Thank you",
        ] {
            assert!(!is_name(heading), "{heading}");
        }
    }

    #[test]
    fn colon_labels_in_capitals_open_turns_and_qa_markers_switch_sections() {
        let text = "Host\nJennifer Landis, Head of Investor Relations\n\nPRESENTATION\n\n\
            OPERATOR: Hello and welcome.\n\nJENNIFER LANDIS: Thank you, operator. Good morning.\n\n\
            QUESTION AND ANSWER\n\nOPERATOR: Your first question comes from Glenn Schorr with Evercore ISI.\n\n\
            GLENN SCHORR: Hi. How are deposits?\n\nJENNIFER LANDIS: Stable.\n";
        let t = parse(text);
        let outline: Vec<_> = t
            .turns
            .iter()
            .map(|x| (x.speaker.as_str(), x.section))
            .collect();
        assert_eq!(
            outline,
            [
                ("Operator", Section::Presentation),
                ("Jennifer Landis", Section::Presentation),
                ("Operator", Section::Qa),
                ("Glenn Schorr", Section::Qa),
                ("Jennifer Landis", Section::Qa),
            ]
        );
        assert_eq!(
            t.turns[3].role_class,
            crate::transcript::model::RoleClass::Analyst
        );
    }

    #[test]
    fn names_alone_with_role_lines_and_dashed_labels_open_turns() {
        let text = "Jeremy Barnum\nChief Financial Officer, JPMorgan Chase & Co.\n\nThank you.\n\n\
            QUESTION AND ANSWER SECTION\n\nSteven Chubak\nAnalyst, Wolfe Research LLC   Q\n\nHi, Jeremy.\n\n\
            Doug Young – Desjardins Capital Markets – Analyst\n\nOn capital.\n\n\
            Jeremy Barnum\nChief Financial Officer, JPMorgan Chase & Co.   A\n\nGood morning.\n";
        let t = parse(text);
        let outline: Vec<_> = t
            .turns
            .iter()
            .map(|x| (x.speaker.as_str(), x.firm.as_deref()))
            .collect();
        assert_eq!(
            outline,
            [
                ("Jeremy Barnum", Some("JPMorgan Chase & Co.")),
                ("Steven Chubak", Some("Wolfe Research LLC")),
                ("Doug Young", Some("Desjardins Capital Markets")),
                ("Jeremy Barnum", Some("JPMorgan Chase & Co.")),
            ]
        );
    }

    #[test]
    fn prose_without_labels_is_not_claimed() {
        let text = "Our results were strong.\nNet Interest Income: up 5%.\nThe outlook is good.\n";
        assert!(!Generic.detect(text));
    }
}
