//! `streetevents-pdf`: Refinitiv StreetEvents PDF transcripts turned into plain text.
//! Traps: no title or date header (the file name holds the event), `Name` / `Firm - Role`
//! headers whose role line may wrap, speech wrapped mid-sentence at the page width,
//! stray page numbers, and a DISCLAIMER that is not speech.

use std::path::Path;

use super::{Layout, ParseError};
use crate::transcript::model::{Participant, Section, Side, Transcript, Turn};
use crate::transcript::people;
use crate::transcript::text::{
    clean, company_from_title, fiscal_period, parse_date, split_firm_role,
};

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
    people::key(s).split(' ').any(|w| WORDS.contains(&w))
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
    if people::is_operator(&name) {
        return Some((Turn::new("Operator", None, None), 1));
    }
    // `Kaili Wang;Citigroup Inc., Research Division;Senior Research Associate`, as listed.
    if name.contains(';') {
        let (name, firm, role) = semicolon_fields(&name);
        let known = people::find_participant(participants, &name).is_some();
        return (known || is_unidentified(&name)).then(|| (Turn::new(&name, firm, role), 1));
    }
    if !looks_like_name(&name) {
        return None;
    }
    let role_lines = if let Some(p) = people::find_participant(participants, &name) {
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
    Some((Turn::new(&name, firm, role), 1 + role_lines))
}

/// How many lines after the name hold the participant's `Firm - Role`: a long role wraps,
/// and not always where it wrapped in the participant list.
fn listed_role_lines(lines: &[&str], expected: &str) -> usize {
    let expected = people::key(expected);
    let mut seen = String::new();
    let mut used = 0;
    for line in lines.iter().take(3) {
        let candidate = people::key(&format!("{seen} {line}"));
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
    let k = people::key(name);
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

/// The usual page width in [`text_width`] units, for files too short to measure it.
const DEFAULT_WIDTH: u64 = 61_000;

/// The width speech wraps at: the widest speech line, when there are enough to tell.
fn page_width<'a>(lines: impl Iterator<Item = &'a str>) -> u64 {
    let (count, widest) = lines.fold((0, 0), |(n, w), l| (n + 1, w.max(text_width(l))));
    if count < 30 {
        widest.max(DEFAULT_WIDTH)
    } else {
        widest
    }
}

/// Rejoin lines the PDF wrapped; a paragraph ends where a line was broken on purpose.
fn join_wrapped(lines: &[&str], width: u64) -> Vec<String> {
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
fn breaks_after(line: &str, next: &str, width: u64) -> bool {
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
fn text_width(s: &str) -> u64 {
    s.chars().map(char_width).sum()
}

fn char_width(c: char) -> u64 {
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
            .map_or(556, |&w| u64::from(w)),
        '\u{a0}' => 278,
        '‘' | '’' => 222,
        '“' | '”' => 333,
        '—' | '…' => 1000,
        c if c.is_uppercase() => 667,
        _ => 556,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Block separator: a line holding one space.
    const SEP: &str = " ";

    fn doc(lines: &[&str]) -> String {
        lines.join("\n")
    }

    fn parse(lines: &[&str]) -> Transcript {
        let path = Path::new("Q3 2022 Equity Commonwealth Earnings Call.txt");
        StreetEventsPdf.parse(&doc(lines), path).expect("parses")
    }

    /// From `Q3 2022 Equity Commonwealth Earnings Call.txt`, shortened.
    const EQC: &[&str] = &[
        "CORPORATE PARTICIPANTS",
        SEP,
        "David A. Helfand",
        "Equity Commonwealth - President, CEO & Trustee",
        CONFERENCE,
        SEP,
        "Craig Allen Mailman",
        "Citigroup Inc., Research Division - Research Analyst",
        "PRESENTATION",
        SEP,
        "Operator",
        "Good morning, and thanks for joining this call to discuss Equity Commonwealth's results for the third quarter ending September 30,",
        "2022, and an update on the company. (Operator Instructions) As a reminder, this conference is being recorded.",
        "Please be advised that certain matters discussed during this conference call may constitute forward-looking statements within the",
        "meaning of federal securities laws. Please refer to the section titled Forward-Looking Statements in the press release issued yesterday as",
        "well as the section titled Risk Factors in the company's annual report on Form 10-K and quarterly reports on Form 10-Q for subsequent",
        "quarters for a discussion of factors that could cause the company's actual results to materially differ from any forward-looking",
        "statement.",
        "The company assumes no obligation to update or supplement any forward-looking statements made today.",
        SEP,
        "David A. Helfand",
        "Equity Commonwealth - President, CEO & Trustee",
        "Thank you. Thanks for joining us. This morning, I'll review the company's results for the quarter as well as provide a brief update on the",
        "capital markets, our dispositions and investment activities.",
        "QUESTIONS AND ANSWERS",
        SEP,
        "Operator",
        "(Operator Instructions) Our first question comes from Craig Mailman with Citi.",
        SEP,
        "Craig Allen Mailman",
        "Citigroup Inc., Research Division - Research Analyst",
        "I fully understand that private market hasn't moved as much. And so -- and there's just not as much in the market there. But clearly, the",
        "public market has moved more swiftly in repricing the equity here.",
        "DISCLAIMER",
        "Refinitiv reserves the right to make changes to documents, content, or other information on this web site without obligation to notify any person of such changes.",
        "THE INFORMATION CONTAINED IN EVENT BRIEFS REFLECTS REFINITIV'S SUBJECTIVE CONDENSED PARAPHRASE OF THE APPLICABLE COMPANY'S CONFERENCE CALL AND THERE MAY BE",
        "©2022 Refinitiv. All Rights Reserved.",
    ];
    const CONFERENCE: &str = "CONFERENCE CALL PARTICIPANTS";

    #[test]
    fn wrapped_lines_rejoin_into_paragraphs() {
        let t = parse(EQC);
        assert_eq!(
            t.turns[0].paragraphs,
            [
                "Good morning, and thanks for joining this call to discuss Equity Commonwealth's results for the third quarter ending September 30, 2022, and an update on the company. (Operator Instructions) As a reminder, this conference is being recorded.",
                "Please be advised that certain matters discussed during this conference call may constitute forward-looking statements within the meaning of federal securities laws. Please refer to the section titled Forward-Looking Statements in the press release issued yesterday as well as the section titled Risk Factors in the company's annual report on Form 10-K and quarterly reports on Form 10-Q for subsequent quarters for a discussion of factors that could cause the company's actual results to materially differ from any forward-looking statement.",
                "The company assumes no obligation to update or supplement any forward-looking statements made today.",
            ]
        );
    }

    #[test]
    fn operator_and_two_line_headers_open_turns_in_their_sections() {
        let t = parse(EQC);
        let who: Vec<(&str, Option<&str>, Option<&str>, Section)> = t
            .turns
            .iter()
            .map(|x| {
                (
                    x.speaker.as_str(),
                    x.firm.as_deref(),
                    x.role.as_deref(),
                    x.section,
                )
            })
            .collect();
        assert_eq!(
            who,
            [
                ("Operator", None, None, Section::Presentation),
                (
                    "David A. Helfand",
                    Some("Equity Commonwealth"),
                    Some("President, CEO & Trustee"),
                    Section::Presentation
                ),
                ("Operator", None, None, Section::Qa),
                (
                    "Craig Allen Mailman",
                    Some("Citigroup Inc., Research Division"),
                    Some("Research Analyst"),
                    Section::Qa
                ),
            ]
        );
        let sides: Vec<Side> = t.participants.iter().map(|p| p.side).collect();
        assert_eq!(sides, [Side::Corporate, Side::Analyst]);
    }

    #[test]
    fn metadata_comes_from_the_file_name() {
        let t = parse(EQC);
        assert_eq!(
            t.event.as_deref(),
            Some("Q3 2022 Equity Commonwealth Earnings Call")
        );
        assert_eq!(t.fiscal_period.as_deref(), Some("Q3 2022"));
        assert_eq!(t.company.as_deref(), Some("Equity Commonwealth"));
        assert_eq!((t.date, t.ticker), (None, None));
    }

    #[test]
    fn disclaimer_is_not_speech() {
        let t = parse(EQC);
        let all: Vec<&String> = t.turns.iter().flat_map(|x| &x.paragraphs).collect();
        assert!(
            all.iter()
                .all(|p| !p.contains("Refinitiv") && !p.contains("©"))
        );
        assert_eq!(
            all.last().map(|p| p.as_str()),
            Some(
                "I fully understand that private market hasn't moved as much. And so -- and there's just not as much in the market there. But clearly, the public market has moved more swiftly in repricing the equity here."
            )
        );
    }

    /// From `Q3 2022 Allied Properties Real Estate Investment Trust.txt`: page numbers.
    #[test]
    fn stray_page_numbers_are_dropped() {
        let t = parse(&[
            "2",
            "CORPORATE PARTICIPANTS",
            SEP,
            "Cecilia Catalina Williams",
            "Allied Properties Real Estate Investment Trust - Executive VP & CFO",
            "PRESENTATION",
            SEP,
            "Cecilia Catalina Williams",
            "Allied Properties Real Estate Investment Trust - Executive VP & CFO",
            "We're pleased with our progress on ESG. Our score rose to 86% in the 2022 GRESB assessment, up from 80 last year. This improvement",
            "is a result of huge effort across the Allied team. And we're already working on what we want to achieve in time to report in next year's",
            "ESG report. Across the country, we're focused on serving our users and completing upgrade and development work to propel operating",
            "3",
            "capabilities. Our operating platform has never been stronger.",
            "With that, I'll pass the call to Tom.",
        ]);
        assert_eq!(
            t.turns[0].paragraphs,
            [
                "We're pleased with our progress on ESG. Our score rose to 86% in the 2022 GRESB assessment, up from 80 last year. This improvement is a result of huge effort across the Allied team. And we're already working on what we want to achieve in time to report in next year's ESG report. Across the country, we're focused on serving our users and completing upgrade and development work to propel operating capabilities. Our operating platform has never been stronger.",
                "With that, I'll pass the call to Tom.",
            ]
        );
    }

    /// From `Q3 2022 Simon Property Group Inc Earnings Call.txt`: the role wraps, and not
    /// where it wrapped in the participant list.
    #[test]
    fn a_wrapped_role_line_stays_in_the_header() {
        let t = parse(&[
            "CORPORATE PARTICIPANTS",
            SEP,
            "David E. Simon",
            "Simon Property Group, Inc. - Chairman, CEO & President",
            CONFERENCE,
            SEP,
            "Michael Jason Bilerman",
            "Citigroup Inc., Research Division - MD, Head of the US Real Estate & Lodging Research and Senior Real Estate",
            "Analyst",
            "PRESENTATION",
            SEP,
            "Michael Jason Bilerman",
            "Citigroup Inc., Research Division - MD, Head of the US Real Estate & Lodging Research and Senior Real",
            "Estate Analyst",
            "Yes. Thank you. Yes.",
        ]);
        let turn = &t.turns[0];
        assert_eq!(turn.paragraphs, ["Yes. Thank you. Yes."]);
        assert_eq!(
            turn.role.as_deref(),
            Some(
                "MD, Head of the US Real Estate & Lodging Research and Senior Real Estate Analyst"
            )
        );
        assert_eq!(t.participants[1].role, turn.role);
    }

    /// From `Q3 2022 KKR Real Estate Finance Trust Inc Earnings Call.txt`.
    #[test]
    fn semicolon_participants_and_unidentified_speakers() {
        let t = parse(&[
            "CORPORATE PARTICIPANTS",
            SEP,
            "Matthew A. Salem",
            "KKR Real Estate Finance Trust Inc. - CEO & Director",
            CONFERENCE,
            SEP,
            "Kaili Wang;Citigroup Inc., Research Division;Senior Research Associate",
            "PRESENTATION",
            SEP,
            "Kaili Wang;Citigroup Inc., Research Division;Senior Research Associate",
            "Most of my questions have been asked and answered.",
            SEP,
            "Unidentified Analyst",
            "So why did the AFFO per unit decrease?",
        ]);
        let p = &t.participants[1];
        assert_eq!(
            (p.name.as_str(), p.firm.as_deref(), p.role.as_deref()),
            (
                "Kaili Wang",
                Some("Citigroup Inc., Research Division"),
                Some("Senior Research Associate")
            )
        );
        let speakers: Vec<&str> = t.turns.iter().map(|x| x.speaker.as_str()).collect();
        assert_eq!(speakers, ["Kaili Wang", "Unidentified Analyst"]);
        assert_eq!(
            t.turns[1].paragraphs,
            ["So why did the AFFO per unit decrease?"]
        );
    }

    /// From `Q3 2022 Blackstone Mortgage Trust Inc Earnings Call.txt`: NBSP.
    #[test]
    fn nbsp_becomes_a_space() {
        let t = parse(&[
            "CORPORATE PARTICIPANTS",
            "PRESENTATION",
            SEP,
            "Operator",
            "The following question comes from\u{a0}Eric Hagen\u{a0}from BTIG.",
            "\u{a0}",
            "Operator",
            "of our portfolio, continue to perform, pay interest, and, in most cases, show positive leasing and material recent sponsor cash",
            "commitments.\u{a0}",
            "But having evaluated each asset in our portfolio in detail, we felt downgrades were warranted in these specific cases, denoting a",
        ]);
        let all: Vec<&String> = t.turns.iter().flat_map(|x| &x.paragraphs).collect();
        assert!(all.iter().all(|p| !p.contains('\u{a0}')));
        assert_eq!(
            all[0],
            "The following question comes from Eric Hagen from BTIG."
        );
        assert_eq!(all.len(), 3);
        assert!(all[1].ends_with("sponsor cash commitments."));
    }

    /// From `Q3 2022 Brandywine Realty Trust Earnings Call.txt`, which stops mid-Q&A.
    #[test]
    fn a_cut_off_file_parses_as_far_as_it_goes() {
        let lines = [
            "CORPORATE PARTICIPANTS",
            SEP,
            "Stephen Thomas Sakwa",
            "Evercore ISI Institutional Equities, Research Division - Senior MD & Senior Equity Research Analyst",
            "QUESTIONS AND ANSWERS",
            SEP,
            "Operator",
            "Our next question comes from Steve Sakwa with Evercore ISI.",
            SEP,
            "Stephen Thomas Sakwa",
            "Evercore ISI Institutional Equities, Research Division - Senior MD & Senior Equity Research Analyst",
            "Jerry and Tom, I just wanted to circle back on some of the debt stuff. And I understand it's a little fluid in terms of whether you're going to",
            "go 5 or 10 years.",
        ];
        let text = doc(&lines);
        let t = parse(&lines);
        assert_eq!(t.turns.len(), 2);
        assert_eq!(t.turns[1].section, Section::Qa);
        // Cut anywhere, even inside a header or a character: no panic.
        for end in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            let _ = StreetEventsPdf.parse(&text[..end], Path::new(""));
        }
    }

    #[test]
    fn detects_only_this_layout() {
        let pdf = StreetEventsPdf;
        assert!(pdf.detect(&doc(EQC)));
        assert!(pdf.detect("2\nCORPORATE PARTICIPANTS\n \nA B\nF - R\nPRESENTATION\n"));
        let seed = "FINAL TRANSCRIPT\nThomson StreetEventsSM\nCALX - Q2 2011 Calix Inc Earnings Conference Call\nEvent Date/Time: Jul. 21. 2011 / 8:30PM GMT\nCORPORATE PARTICIPANTS\nPRESENTATION\n";
        let text = "\nThomson Reuters StreetEvents Event Transcript\n=====\nCorporate Participants\n=====\nPresentation\n";
        let sa = "American Express Company (NYSE:AXP) Q1 2018 Earnings Conference Call April 18, 2018  5:00 PM ET\nExecutives\n";
        for other in [seed, text, sa, "", "2\n", "CORPORATE PARTICIPANTS\n"] {
            assert!(!pdf.detect(other), "{other}");
        }
    }

    #[test]
    fn a_break_needs_sentence_end_capital_and_room_for_the_next_word() {
        let w = DEFAULT_WIDTH;
        assert!(breaks_after("The call is over.", "Next", w));
        assert!(breaks_after("(Operator Instructions)", "Our first", w));
        assert!(!breaks_after("The call is over.", "and then", w));
        assert!(!breaks_after("The call is", "Over", w));
        let full = "x".repeat(120) + ".";
        assert!(!breaks_after(&full, "Next", w));
    }
}
