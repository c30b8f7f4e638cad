//! `seekingalpha`: Seeking Alpha plain-text transcripts (mostly Windows-1252). A title line
//! `Company (NYSE:TICK) Q1 2018 Earnings Call April 18, 2018 5:00 PM ET`, participant lists
//! of `Name - Title` / `Name - Firm`, then turns headed by the bare speaker name on its own line.

use std::path::Path;

use super::{Layout, ParseError};
use crate::transcript::model::{Participant, Section, Side, Transcript, Turn};
use crate::transcript::text::{clean, fiscal_period, parse_date, ticker_from_path};
use crate::transcript::{firms, people};

pub struct SeekingAlpha;

impl Layout for SeekingAlpha {
    fn name(&self) -> &'static str {
        "seekingalpha"
    }

    fn description(&self) -> &'static str {
        "Seeking Alpha plain text: `Company (NYSE:TICK) Q1 2018 ... Call` title, `Name - Title` lists, bare-name turn lines"
    }

    fn detect(&self, text: &str) -> bool {
        let head = super::head(text, 4000);
        // Never claim the StreetEvents layouts, whatever their titles hold.
        if head.contains("Event Date/Time:")
            || head.contains("StreetEvents")
            || head.contains("CORPORATE PARTICIPANTS")
        {
            return false;
        }
        let lines: Vec<&str> = head
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let titled = lines.iter().take(2).any(|l| exchange_ticker(l).is_some());
        let call = lines.iter().take(4).any(|l| is_call_title(l));
        let listed = lines
            .iter()
            .take(8)
            .any(|l| list_heading(l) == Some(Side::Corporate));
        titled && call && listed
    }

    fn parse(&self, text: &str, path: &Path) -> Result<Transcript, ParseError> {
        let lines: Vec<String> = text.lines().map(clean).filter(|l| !l.is_empty()).collect();
        let mut t = Transcript::new(self.name());
        let lists_at = parse_header(&lines, &mut t);
        if t.ticker.is_none() {
            t.ticker = ticker_from_path(path);
        }
        let body_at = parse_lists(&lines, lists_at, &mut t);
        parse_body(&lines[body_at.min(lines.len())..], &mut t);
        Ok(t)
    }
}

// ---------------------------------------------------------------------------------------
// Header: `Company (EXCH:TICK) <title> <date> <time>`, or the same spread over 3 lines.

/// The `(NYSE:AXP)` marker in a line: byte range of the parentheses and the ticker.
fn exchange_ticker(line: &str) -> Option<(usize, usize, &str)> {
    let mut from = 0;
    while let Some(rel) = line[from..].find('(') {
        let open = from + rel;
        let close = match line[open..].find(')') {
            Some(c) => open + c,
            None => return None,
        };
        if let Some((exchange, ticker)) = line[open + 1..close].split_once(':') {
            let exchange_ok = (2..=10).contains(&exchange.len())
                && exchange.chars().all(|c| c.is_ascii_uppercase());
            let ticker_ok = (1..=8).contains(&ticker.len())
                && ticker.starts_with(|c: char| c.is_ascii_uppercase())
                && ticker
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '.' || c == '-');
            if exchange_ok && ticker_ok {
                return Some((open, close, ticker));
            }
        }
        from = open + 1;
    }
    None
}

/// A line naming a call: a fiscal period, or an earnings/conference call word.
fn is_call_title(line: &str) -> bool {
    let lower = line.to_lowercase();
    fiscal_period(line).is_some()
        || ["earnings", "conference call", "results", "quarter"]
            .iter()
            .any(|w| lower.contains(w))
}

/// Fill company, ticker, event, period and date; returns the index where the lists begin.
fn parse_header(lines: &[String], t: &mut Transcript) -> usize {
    // A couple of files open with a junk `Call Start: ...` line before the title.
    let Some((at, (open, close, ticker))) = lines
        .iter()
        .take(3)
        .enumerate()
        .find_map(|(i, l)| exchange_ticker(l).map(|m| (i, m)))
    else {
        return 0;
    };
    let line = &lines[at];
    let company = line[..open].trim();
    if !company.is_empty() {
        t.company = Some(company.to_string());
    }
    t.ticker = Some(ticker.to_string());
    // The rest of the title line, then any lines before the first list heading.
    let mut rest = vec![line[close + 1..].trim()];
    let mut next = at + 1;
    while next < lines.len() && next < at + 5 && list_heading(&lines[next]).is_none() {
        rest.push(lines[next].as_str());
        next += 1;
    }
    if lines.get(next).is_none_or(|l| list_heading(l).is_none()) {
        rest.truncate(1);
        next = at + 1;
    }
    for part in rest.iter().filter(|p| !p.is_empty()) {
        let (title, date) = split_title_date(part);
        if t.date.is_none() {
            t.date = date;
        }
        if t.fiscal_period.is_none() && !title.is_empty() && is_call_title(title) {
            t.fiscal_period = fiscal_period(title).map(|(p, _)| p);
            t.event = Some(match company {
                "" => title.to_string(),
                c => format!("{c} {title}"),
            });
        }
    }
    next
}

/// `Q1 2018 Earnings Call April 18, 2018 5:00 PM ET` -> (`Q1 2018 Earnings Call`, `2018-04-18`).
/// The date starts at the last word from which a full date still parses.
fn split_title_date(s: &str) -> (&str, Option<String>) {
    let starts = s
        .char_indices()
        .filter(|&(i, c)| c != ' ' && (i == 0 || s[..i].ends_with(' ')))
        .map(|(i, _)| i);
    let mut found = None;
    for start in starts {
        if let Some(date) = parse_date(&s[start..]) {
            found = Some((start, date));
        }
    }
    match found {
        Some((start, date)) => (s[..start].trim(), Some(date)),
        None => (s.trim(), None),
    }
}

// ---------------------------------------------------------------------------------------
// Participant lists.

/// `Executives` / `Company Participants` open the corporate list, `Analysts` /
/// `Conference Call Participants` the analysts' one.
/// A participant-list heading, by a small grammar rather than a fixed list: up to four
/// words of a heading vocabulary, optionally ending in `:`. `Executives`, `Company
/// Participants`, `Company Representatives`, `Corporate Officers`, `Management` head the
/// company's list; `Analysts`, `Conference Call Participants`, `Other Participants` the
/// callers'.
fn list_heading(line: &str) -> Option<Side> {
    const CORPORATE: &[&str] = &[
        "executives",
        "executive",
        "company",
        "corporate",
        "management",
        "officers",
    ];
    const CALLERS: &[&str] = &["analysts", "analyst", "conference", "call", "other"];
    const FILLER: &[&str] = &["participants", "representatives", "speakers", "and"];
    let lower = line.trim().trim_end_matches(':').to_ascii_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let known = |w: &&str| CORPORATE.contains(w) || CALLERS.contains(w) || FILLER.contains(w);
    if words.is_empty() || words.len() > 4 || !words.iter().all(known) {
        return None;
    }
    if words.iter().any(|w| CALLERS.contains(w)) {
        Some(Side::Analyst)
    } else if words.iter().any(|w| CORPORATE.contains(w)) {
        Some(Side::Corporate)
    } else {
        None
    }
}

/// Read the lists from `at`; returns the index of the first line of the call itself.
fn parse_lists(lines: &[String], at: usize, t: &mut Transcript) -> usize {
    let company = t.company.clone();
    let mut side = None;
    let mut i = at;
    while let Some(line) = lines.get(i) {
        if let Some(s) = list_heading(line) {
            side = Some(s);
        } else if people::is_operator(line) || section_marker(line).is_some() {
            break;
        } else if let Some(side) = side {
            match list_entry(line, side, company.as_deref()) {
                Entry::Person(p) => push_unique(&mut t.participants, p),
                Entry::Junk => {}
                Entry::NotAList => break,
            }
        } else {
            break;
        }
        i += 1;
    }
    i
}

enum Entry {
    Person(Participant),
    /// A stray line inside a list (`[0JNPYG-E Michael Spencer]`): skipped.
    Junk,
    NotAList,
}

/// `Name - Title` (executives; `Name - Company` in some files) or `Name - Firm` (analysts).
fn list_entry(line: &str, side: Side, company: Option<&str>) -> Entry {
    let (name, rest) = match split_dash(line) {
        Some((name, rest)) if is_list_name(name) => (name, rest),
        Some(_) => return Entry::NotAList,
        None if line.starts_with('[') && line.ends_with(']') => return Entry::Junk,
        None if is_name_shaped(line) && line.split_whitespace().count() >= 2 => (line, ""),
        None => return Entry::NotAList,
    };
    let rest = (!rest.is_empty()).then(|| rest.to_string());
    let (firm, role) = match side {
        Side::Analyst => (rest, Some("Analyst".to_string())),
        Side::Corporate => {
            // A company name in place of the title is no role.
            let role = rest.filter(|r| company.is_none_or(|c| !same_company(r, c)));
            (company.map(str::to_string), role)
        }
    };
    Entry::Person(Participant {
        name: name.to_string(),
        firm,
        role,
        side,
    })
}

/// The name part of a list line: looser than a speaker line (parentheses, long names).
fn is_list_name(s: &str) -> bool {
    let words = s.split_whitespace().count();
    (1..=8).contains(&words)
        && s.len() <= 80
        && s.starts_with(|c: char| c.is_alphabetic() && !c.is_lowercase())
        && !s
            .chars()
            .any(|c| c.is_ascii_digit() || matches!(c, '?' | '!' | ';' | ':'))
}

/// `The Coca-Cola Co.` and `The Coca-Cola Company` are one company.
fn same_company(a: &str, b: &str) -> bool {
    let k = |s: &str| {
        let k = firms::firm_key(s);
        k.strip_prefix("the ").map(str::to_string).unwrap_or(k)
    };
    let (a, b) = (k(a), k(b));
    !a.is_empty() && a == b
}

/// Lists can name one person twice (even once per list): keep the first.
fn push_unique(participants: &mut Vec<Participant>, p: Participant) {
    let k = people::key(&p.name);
    if !participants.iter().any(|q| people::key(&q.name) == k) {
        participants.push(p);
    }
}

/// Split at the first ` - ` or en/em dash separator (not ` -- `: speech uses it).
fn split_dash(line: &str) -> Option<(&str, &str)> {
    [" - ", " – ", " — "]
        .iter()
        .filter_map(|sep| line.find(sep).map(|i| (i, sep.len())))
        .min()
        .map(|(i, len)| (line[..i].trim(), line[i + len..].trim()))
}

/// One to six words of letters (with `.`, `'`, `’`, `-`, a suffix comma, quoted or
/// bracketed nicknames, emoji), as person names are: `Vincent J. Delie, Jr.`,
/// `Edmund ("Eddie") Ingle`. Scripts without case (CJK) may open a name.
fn is_name_shaped(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    let name_mark = |c: char| {
        matches!(
            c,
            ' ' | '.' | '\'' | '’' | '-' | ',' | '"' | '“' | '”' | '(' | ')'
        ) || matches!(c as u32, 0x2600..=0x27BF | 0x1F000..=0x1FAFF | 0xFE0F | 0x200D)
    };
    !words.is_empty()
        && words.len() <= 6
        && s.len() <= 60
        && s.starts_with(|c: char| c.is_alphabetic() && !c.is_lowercase())
        && s.chars().all(|c| c.is_alphabetic() || name_mark(c))
}

// ---------------------------------------------------------------------------------------
// The call: section markers, speaker lines, one paragraph per line.

fn section_marker(line: &str) -> Option<Option<Section>> {
    let lower = line.to_ascii_lowercase();
    match lower.trim_end_matches([':', '.']) {
        "question-and-answer session"
        | "questions-and-answers session"
        | "question-and-answer"
        | "questions and answers"
        | "question and answer session" => Some(Some(Section::Qa)),
        "presentation" | "prepared remarks" => Some(Some(Section::Presentation)),
        // A vendor note (CT_AXP_2018_q1), not speech; the section stays.
        "end of q&a" => Some(None),
        _ => None,
    }
}

/// Vendor text after the call (not present in every file).
fn is_trailer(line: &str) -> bool {
    let lower = line.to_lowercase();
    lower.starts_with("copyright policy")
        || lower.starts_with("copyright ©")
        || lower.starts_with("copyright (c)")
        || lower.starts_with("the information contained here")
        || lower.contains("seeking alpha's disclaimer")
        || lower.contains("seeking alpha’s disclaimer")
}

fn parse_body(lines: &[String], t: &mut Transcript) {
    let mut section = Section::Presentation;
    let mut turn: Option<Turn> = None;
    let mut unlisted: Vec<(String, Option<String>)> = Vec::new();
    for line in lines {
        if is_trailer(line) {
            break;
        }
        if let Some(marker) = section_marker(line) {
            if let Some(s) = marker {
                section = s;
            }
            continue;
        }
        let header = speaker_line(line, &t.participants)
            .or_else(|| unlisted_speaker(line, &mut unlisted, t, turn.as_ref()));
        if let Some(mut next) = header {
            flush(&mut turn, t);
            next.section = section;
            turn = Some(next);
        } else if let Some(current) = turn.as_mut() {
            current.paragraphs.push(line.clone());
        }
    }
    flush(&mut turn, t);
}

/// A turn header: `Operator`, an unidentified label, or a listed participant's name,
/// bare or as `Name - Firm`, possibly with `Q – ` / `A – ` prefixes or bracket noise.
/// Anything else (a short speech line included) is not a speaker.
fn speaker_line(line: &str, participants: &[Participant]) -> Option<Turn> {
    if line.chars().count() > 120 {
        return None;
    }
    let label = strip_label_noise(line);
    let (name, rest) = match split_dash(label) {
        // `Name - Firm`: the tail is a firm or title, not a sentence.
        Some((_, rest)) if rest.len() > 100 || rest.ends_with(['?', '!']) => return None,
        Some((name, rest)) => (name, Some(rest)),
        None => (label, None),
    };
    if people::is_operator(name) && rest.is_none() {
        return Some(Turn::new("Operator", None, None));
    }
    if people::is_unidentified(name) {
        let firm = rest.filter(|r| !r.is_empty()).map(str::to_string);
        return Some(Turn::new(name, firm, None));
    }
    let p = find_listed(participants, name)?;
    Some(Turn::new(&p.name, p.firm.clone(), p.role.clone()))
}

/// Drop a trailing `\`, wrapping brackets, a leading OCR-ish id (`0JNPYG-E Michael Spencer`)
/// and `Q – ` / `A - ` prefixes.
fn strip_label_noise(line: &str) -> &str {
    let mut s = line.trim().trim_end_matches('\\').trim();
    if let Some(inner) = s.strip_prefix('[').and_then(|x| x.strip_suffix(']')) {
        s = inner.trim();
        if let Some((first, rest)) = s.split_once(' ')
            && first.chars().any(|c| c.is_ascii_digit())
        {
            s = rest.trim();
        }
    }
    for prefix in ["Q – ", "A – ", "Q - ", "A - ", "Q: ", "A: "] {
        if let Some(rest) = s.strip_prefix(prefix) {
            return rest.trim();
        }
    }
    s
}

/// The listed participant a name-shaped speaker line names.
fn find_listed<'a>(participants: &'a [Participant], name: &str) -> Option<&'a Participant> {
    if !is_name_shaped(name) {
        return None;
    }
    people::find_participant(participants, name)
}

/// A speaker missing from the lists (`Ali Dibadj`): a bare two-to-four-word name that the
/// operator has just announced (`Our next question comes from Ali Dibadj from Bernstein.`).
/// Once accepted, the name heads turns for the rest of the call.
fn unlisted_speaker(
    line: &str,
    known: &mut Vec<(String, Option<String>)>,
    t: &Transcript,
    current: Option<&Turn>,
) -> Option<Turn> {
    if let Some((name, firm)) = known.iter().find(|(n, _)| n == line) {
        return Some(Turn::new(name, firm.clone(), Some("Analyst".to_string())));
    }
    let words = line.split_whitespace().count();
    let capitalised = line
        .split_whitespace()
        .all(|w| w.starts_with(|c: char| c.is_uppercase()));
    if !(2..=4).contains(&words) || !capitalised || !is_name_shaped(line) {
        return None;
    }
    let recent = current.into_iter().chain(t.turns.iter().rev()).take(3);
    let firm = recent
        .filter(|turn| turn.speaker == "Operator")
        .flat_map(|turn| turn.paragraphs.iter().rev())
        .find_map(|p| people::announced_firm(p, line))?;
    known.push((line.to_string(), firm.clone()));
    // Announced by the operator as the next questioner: an analyst.
    Some(Turn::new(line, firm, Some("Analyst".to_string())))
}

/// A header followed straight by another header spoke no words: no turn.
fn flush(turn: &mut Option<Turn>, t: &mut Transcript) {
    if let Some(done) = turn.take().filter(|d| !d.paragraphs.is_empty()) {
        t.turns.push(done);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::model::RoleClass;
    use crate::transcript::parse_bytes;

    /// Parse through the public path (decode, detect, parse, resolve).
    fn parse(text: &str) -> Transcript {
        parse_bytes(text.as_bytes(), Path::new("x.txt")).expect("parses")
    }

    fn speakers_of(t: &Transcript) -> Vec<&str> {
        t.turns.iter().map(|x| x.speaker.as_str()).collect()
    }

    const AXP_2018: &str = "American Express Company (NYSE:AXP) Q1 2018 Earnings Conference Call April 18, 2018  5:00 PM ET
Executives
Toby Willard - Vice President, Investor Relations
Jeffrey Campbell - Executive Vice President and Chief Financial Officer
Analysts
Sanjay Sakhrani - Keefe, Bruyette & Woods, Inc.
Richard Shane - JPMorgan
Operator
Ladies and gentlemen, thank you for standing by and welcome to the American Express Q1 2018 Earnings Conference Call.
I would now like to turn the conference over to the Head of Investor Relations at American Express, Toby Willard. Please go ahead, sir.
Toby Willard
Thanks, David. Welcome.
Jeffrey Campbell
Well thanks, Toby, and good afternoon, everyone.
Question-and-Answer Session
Operator
Our first question comes from Sanjay Sakhrani with KBW.
Sanjay Sakhrani
Thanks. Good evening.
Jeff Campbell
Good evening, Sanjay.
Sanjay Sakhrani
Thank you
End of Q&A
Toby Willard
Great. Thanks Jeff.
";

    #[test]
    fn header_line_gives_company_ticker_event_period_and_date() {
        let t = parse(AXP_2018);
        assert_eq!(t.company.as_deref(), Some("American Express Company"));
        assert_eq!(t.ticker.as_deref(), Some("AXP"));
        assert_eq!(
            t.event.as_deref(),
            Some("American Express Company Q1 2018 Earnings Conference Call")
        );
        assert_eq!(t.fiscal_period.as_deref(), Some("Q1 2018"));
        assert_eq!(t.date.as_deref(), Some("2018-04-18"));
        // Double spaces around the title (CT_JNJ_2018_q2).
        let line = clean(
            "Johnson & Johnson (NYSE:JNJ)  Q2 2018 Earnings Conference Call  July 17, 2018  8:30 AM ET",
        );
        let mut t = Transcript::new("seekingalpha");
        parse_header(&[line], &mut t);
        assert_eq!(t.company.as_deref(), Some("Johnson & Johnson"));
        assert_eq!(
            t.event.as_deref(),
            Some("Johnson & Johnson Q2 2018 Earnings Conference Call")
        );
        assert_eq!(t.date.as_deref(), Some("2018-07-17"));
    }

    #[test]
    fn junk_first_line_and_title_spread_over_three_lines() {
        let text = "Call Start: 12:00 January  1, 0000 12:59 PM ET
Phillips 66 (NYSE:PSX)
Q4 2018 Earnings Conference Call
February 8, 2019 12:00 ET
Company Participants
Jeff Dietert - VP, IR
Conference Call Participants
Phil Gresh - JPMorgan
Operator
Welcome to the Fourth Quarter 2018 Phillips 66 Earnings Conference Call.
Jeff Dietert
Good morning.
";
        let t = parse(text);
        assert_eq!(t.company.as_deref(), Some("Phillips 66"));
        assert_eq!(t.ticker.as_deref(), Some("PSX"));
        assert_eq!(
            t.event.as_deref(),
            Some("Phillips 66 Q4 2018 Earnings Conference Call")
        );
        assert_eq!(t.fiscal_period.as_deref(), Some("Q4 2018"));
        assert_eq!(t.date.as_deref(), Some("2019-02-08"));
        assert_eq!(speakers_of(&t), ["Operator", "Jeff Dietert"]);
        assert_eq!(t.turns[1].paragraphs, ["Good morning."]);
    }

    #[test]
    fn older_lists_executives_and_analysts() {
        let t = parse(AXP_2018);
        let names: Vec<&str> = t.participants.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Toby Willard",
                "Jeffrey Campbell",
                "Sanjay Sakhrani",
                "Richard Shane"
            ]
        );
        let toby = &t.participants[0];
        assert_eq!(toby.side, Side::Corporate);
        assert_eq!(toby.firm.as_deref(), Some("American Express Company"));
        assert_eq!(
            toby.role.as_deref(),
            Some("Vice President, Investor Relations")
        );
        let sanjay = &t.participants[2];
        assert_eq!(sanjay.side, Side::Analyst);
        assert_eq!(
            sanjay.firm.as_deref(),
            Some("Keefe, Bruyette & Woods, Inc.")
        );
        assert_eq!(sanjay.role.as_deref(), Some("Analyst"));
    }

    #[test]
    fn newer_lists_and_company_in_place_of_title() {
        let text = "American Express Co (NYSE:AXP) Q1 2019 Earnings Conference Call April 18, 2019  5:00 PM ET
Company Participants
Edmund Reese - Head, IR
Stephen Squeri - Chairman & CEO
Conference Call Participants
Craig Maurer - Autonomous Research
Operator
Welcome to the American Express Q1 2019 Earnings Call.
Edmund Reese
Thank you, Allen.
";
        let t = parse(text);
        let sides: Vec<Side> = t.participants.iter().map(|p| p.side).collect();
        assert_eq!(sides, [Side::Corporate, Side::Corporate, Side::Analyst]);
        assert_eq!(t.participants[1].role.as_deref(), Some("Chairman & CEO"));
        assert_eq!(t.turns[1].role_class, RoleClass::Executive);
        assert_eq!(t.turns[1].titles, ["ir"]);

        // CT_KO_2018_q3: `Name - Company` with no title, and a name-and-firm turn header.
        let text = "The Coca-Cola Co. (NYSE:KO) Q3 2018 Earnings Call October 30, 2018  8:30 AM ET
Executives
James Quincey - The Coca-Cola Co.
Analysts
Bryan D. Spillane - Bank of America Merrill Lynch
Operator
At this time, I'd like to welcome everyone.
James Quincey - The Coca-Cola Co.
Thanks, Tim, and good morning, everyone.
Bryan D. Spillane - Bank of America Merrill Lynch
Hey. Good morning, everyone.
";
        let t = parse(text);
        assert_eq!(t.participants[0].role, None);
        assert_eq!(t.participants[0].firm.as_deref(), Some("The Coca-Cola Co."));
        assert_eq!(
            speakers_of(&t),
            ["Operator", "James Quincey", "Bryan D. Spillane"]
        );
    }

    #[test]
    fn en_dash_separators_trailing_spaces_and_repeated_names() {
        // CT_KO_2018_q1 lists the CEO a second time, among the analysts.
        let text = "The Coca-Cola Company (NYSE:KO) Q1 2018 Earnings Conference Call April 24, 2018  8:30 AM ET
Executives
Tim Leveridge – Vice President and Investor Relations Officer
James Quincey – Chief Executive Officer
Analysts
Rick Wise – Stifel 
James Quincey – Bernstein
Operator
Welcome.
";
        let t = parse(text);
        assert_eq!(t.participants.len(), 3);
        assert_eq!(
            t.participants[0].role.as_deref(),
            Some("Vice President and Investor Relations Officer")
        );
        assert_eq!(t.participants[1].side, Side::Corporate);
        assert_eq!(t.participants[2].name, "Rick Wise");
        assert_eq!(t.participants[2].firm.as_deref(), Some("Stifel"));
    }

    #[test]
    fn bare_name_turns_and_the_qa_marker() {
        let t = parse(AXP_2018);
        assert_eq!(
            speakers_of(&t),
            [
                "Operator",
                "Toby Willard",
                "Jeffrey Campbell",
                "Operator",
                "Sanjay Sakhrani",
                "Jeffrey Campbell",
                "Sanjay Sakhrani",
                "Toby Willard"
            ]
        );
        let sections: Vec<Section> = t.turns.iter().map(|x| x.section).collect();
        assert_eq!(sections[..3], [Section::Presentation; 3]);
        assert!(sections[3..].iter().all(|s| *s == Section::Qa));
        assert_eq!(t.turns[0].paragraphs.len(), 2);
        // `End of Q&A` is not speech.
        assert_eq!(t.turns[6].paragraphs, ["Thank you"]);
        assert_eq!(t.turns[4].role_class, RoleClass::Analyst);
    }

    #[test]
    fn short_speech_lines_are_not_speakers() {
        let people = [
            person("Doug Mitchelson", Side::Analyst),
            person("Robert Iger", Side::Corporate),
        ];
        for line in [
            "Thank you",
            "Good morning",
            "Morning…",
            "Okay…",
            "Go ahead, Doug",
            "[Operator instructions]",
            "Starbucks Delivers…",
            "Robert",
            "Iger",
            "Hey Richard…",
            "Unknown to us",
            "Robert Iger - did you see that?",
        ] {
            assert!(speaker_line(line, &people).is_none(), "{line}");
        }
        assert!(speaker_line("Robert Iger", &people).is_some());
    }

    fn person(name: &str, side: Side) -> Participant {
        Participant {
            name: name.to_string(),
            firm: None,
            role: None,
            side,
        }
    }

    #[test]
    fn speaker_lines_with_noise_prefixes_and_variant_spellings() {
        let people = [
            person("Michael Spencer", Side::Corporate),
            person("Eric Aboaf", Side::Corporate),
            person("Marty Mosby", Side::Analyst),
            person("Chris Pasquale", Side::Analyst),
            person("David Bronczek", Side::Corporate),
            person("Stephen Ju", Side::Analyst),
            person("Jeff Harte", Side::Analyst),
            person("Ronald O'Hanley", Side::Corporate),
            person("Amy E. Hood", Side::Corporate),
        ];
        let cases = [
            ("[0JNPYG-E Michael Spencer]", "Michael Spencer"),
            ("A – Eric Aboaf", "Eric Aboaf"),
            ("Q - Marty Mosby", "Marty Mosby"),
            ("ChrisPasquale", "Chris Pasquale"),
            ("David Bronczek\\", "David Bronczek"),
            ("Steve Ju", "Stephen Ju"),
            ("Jeffery Harte", "Jeff Harte"),
            ("Ron O’Hanley", "Ronald O'Hanley"),
            ("Amy Hood", "Amy E. Hood"),
            ("Michael Spencer - Microsoft Corp.", "Michael Spencer"),
        ];
        for (line, expected) in cases {
            let turn = speaker_line(line, &people).unwrap_or_else(|| panic!("{line}"));
            assert_eq!(turn.speaker, expected, "{line}");
        }
        for label in [
            "Unidentified Analyst",
            "Unidentified Company Representative",
            "Unknown Speaker",
        ] {
            assert_eq!(speaker_line(label, &people).unwrap().speaker, label);
        }
        // Surname and initial alone pick a person only when one fits.
        let one = [person("Stephen Smith", Side::Corporate)];
        assert_eq!(
            speaker_line("Sy Smith", &one).unwrap().speaker,
            "Stephen Smith"
        );
        let two = [
            person("Stuart Smith", Side::Analyst),
            person("Stephen Smith", Side::Corporate),
        ];
        assert!(speaker_line("Sy Smith", &two).is_none());
        assert_eq!(
            speaker_line("Steve Smith", &two).unwrap().speaker,
            "Stephen Smith"
        );
    }

    #[test]
    fn an_unlisted_speaker_announced_by_the_operator() {
        let text = "The Coca-Cola Company (NYSE:KO) Q1 2018 Earnings Conference Call April 24, 2018  8:30 AM ET
Executives
James Quincey – Chief Executive Officer
Analysts
Rick Wise – Stifel
Operator
Our next question comes from Ali Dibadj from Bernstein. Your line is now open.
James Quincey
Not, Ali? Hello?
Ali Dibadj
Can you here me?
James Quincey
Yes.
Ali Dibadj
Okay. So I'm still receiving lots of investor questions.
Rick Dibadj
Not announced, so speech.
";
        let t = parse(text);
        assert_eq!(
            speakers_of(&t),
            [
                "Operator",
                "James Quincey",
                "Ali Dibadj",
                "James Quincey",
                "Ali Dibadj"
            ]
        );
        assert_eq!(t.turns[2].firm.as_deref(), Some("Bernstein"));
        assert_eq!(t.turns[4].paragraphs.len(), 3);
    }

    #[test]
    fn windows_1252_quotes_survive() {
        let bytes = b"Oracle Corporation (NYSE:ORCL) Q1 2019 Results Earnings Conference Call September 17, 2018  5:00 PM ET\r\n\
Executives\r\nKen Bond - SVP\r\nAnalysts\r\nKirk Materne - Evercore ISI\r\nPresentation\r\nOperator\r\n\
Welcome to Oracle\x92s First Quarter 2019 Earnings Conference Call \x93today\x94\x85\r\n\
Ken Bond\r\nThank you, Victoria.\r\n";
        let t = parse_bytes(bytes, Path::new("x.txt")).expect("parses");
        assert_eq!(
            t.turns[0].paragraphs,
            ["Welcome to Oracle’s First Quarter 2019 Earnings Conference Call “today”…"]
        );
        assert_eq!(speakers_of(&t), ["Operator", "Ken Bond"]);
        assert_eq!(t.turns[0].section, Section::Presentation);
    }

    #[test]
    fn a_vendor_trailer_is_not_speech() {
        let text = format!(
            "{AXP_2018}Copyright policy: All transcripts on this site are the copyright of Seeking Alpha.\nMore text.\n"
        );
        let t = parse(&text);
        let last = t.turns.last().expect("turns");
        assert_eq!(last.paragraphs, ["Great. Thanks Jeff."]);
    }

    #[test]
    fn list_headings_are_read_by_a_grammar() {
        for corporate in [
            "Executives",
            "Company Participants",
            "Company Representatives:",
            "Management",
        ] {
            assert_eq!(
                list_heading(corporate),
                Some(Side::Corporate),
                "{corporate}"
            );
        }
        for callers in [
            "Analysts",
            "Conference Call Participants",
            "Other Participants:",
        ] {
            assert_eq!(list_heading(callers), Some(Side::Analyst), "{callers}");
        }
        for speech in ["Participants", "Thank you", "Company results were strong"] {
            assert_eq!(list_heading(speech), None, "{speech}");
        }
    }

    #[test]
    fn detection() {
        let sa = SeekingAlpha;
        assert!(sa.detect(AXP_2018));
        assert!(sa.detect(
            "Call Start: 12:00 January  1, 0000 12:59 PM ET\nPhillips 66 (NYSE:PSX)\nQ4 2018 Earnings Conference Call\nFebruary 8, 2019 12:00 ET\nCompany Participants\nJeff Dietert - VP, IR\n"
        ));
        // The other layouts' openings.
        let seed = "FINAL TRANSCRIPT\nThomson StreetEventsSM\nCALX - Q2 2011 Calix Inc Earnings Conference Call\nEvent Date/Time: Jul. 21. 2011 / 8:30PM GMT\nCORPORATE PARTICIPANTS\n";
        let text = "\n\nThomson Reuters StreetEvents Event Transcript\nE D I T E D   V E R S I O N\nQ1 2010 Apple Inc. Earnings Conference Call\nJANUARY 25, 2010 / 10:00PM GMT\n====\nCorporate Participants\n";
        let pdf = "CORPORATE PARTICIPANTS\nJohn Doe\nAcres Commercial Realty Corp - CEO\n";
        for other in [
            seed,
            text,
            pdf,
            "",
            "(",
            "Apple (NASDAQ:AAPL)\nExecutives\n",
        ] {
            assert!(!sa.detect(other), "{other}");
        }
        // A ticker marker without a participants heading is not enough.
        assert!(!sa.detect(
            "American Express Company (NYSE:AXP) Q1 2018 Earnings Conference Call April 18, 2018\nOperator\n"
        ));
    }

    #[test]
    fn odd_input_does_not_panic() {
        for text in [
            "",
            "(",
            "(NYSE:",
            "X (NYSE:AXP)",
            "X (NYSE:AXP) Q1 2018 Call é\nExecutives\n – \n - \nOperator\n",
            "X (:) (A:B) (NYSE:AXP) Q1 2018 Earnings Call May\nExecutives\nÉ - é\n[\n]\nOperator\nOperator\n",
            "é (NYSE:AXP) Q1 2018 Earnings Call April 18, 2018\nExecutives\nOperator\n[é]\nQ – \nA - \n\\\n",
        ] {
            let _ = SeekingAlpha.detect(text);
            let _ = SeekingAlpha.parse(text, Path::new(""));
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics(body in "[ -~éü’–…\n]{0,300}") {
            let text = format!("Acme Inc. (NYSE:ACME) Q1 2018 Earnings Call April 18, 2018\nExecutives\nJo Doe - CEO\nOperator\n{body}");
            let _ = SeekingAlpha.detect(&text);
            let _ = SeekingAlpha.parse(&text, Path::new(""));
        }
    }

    /// Speaker lines from real participant lines (motley-fool-json/FNB_q3_2020.txt:
    /// `Vincent J. Delie, Jr.--Chairman, President and Chief Executive Officer`, `Edmund
    /// ("Eddie") Ingle`), an accented, a CJK and an emoji name, written out the Seeking
    /// Alpha way: each is seen as its speaker, not credited to the previous one.
    #[test]
    fn speaker_lines_with_commas_quotes_accents_cjk_and_emoji_are_speakers() {
        let text = r#"F.N.B. Corporation (NYSE:FNB) Q3 2020 Earnings Conference Call October 20, 2020  8:30 AM ET
Company Participants
Vincent J. Delie, Jr. - Chairman, President and Chief Executive Officer
José Viñals - Chief Financial Officer
王建林 - Director
Jane Doe 🚀 - Head of Investor Relations
Conference Call Participants
Edmund ("Eddie") Ingle - Jefferies
Operator
Good morning and welcome.
Jane Doe 🚀
Thank you. Over to Vince.
Vincent J. Delie, Jr.
Thanks. Revenue rose.
José Viñals
Margins held.
王建林
Thank you.
Question-and-Answer Session
Operator
Our first question comes from Eddie Ingle with Jefferies.
Edmund ("Eddie") Ingle
On pricing?
Vincent J. Delie, Jr.
Stable.
"#;
        let t = parse(text);
        assert_eq!(
            speakers_of(&t),
            [
                "Operator",
                "Jane Doe 🚀",
                "Vincent J. Delie, Jr.",
                "José Viñals",
                "王建林",
                "Operator",
                "Edmund (\"Eddie\") Ingle",
                "Vincent J. Delie, Jr."
            ]
        );
        assert_eq!(t.turns[6].role_class, RoleClass::Analyst);
        assert_eq!(t.turns[7].paragraphs, ["Stable."]);
    }
}
