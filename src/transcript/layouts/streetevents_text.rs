//! `streetevents-text`: the Thomson Reuters / Refinitiv / LSEG StreetEvents TEXT export.
//! Blocks ruled with `====`, turn headers between `----` rules ending in `[n]`,
//! one paragraph per line; Event Briefs are summaries and are refused.

use std::path::Path;

use super::{Layout, ParseError};
use crate::transcript::model::{Participant, Section, Side, Transcript, Turn};
use crate::transcript::text::{
    clean, company_from_title, fiscal_period, parse_date, split_firm_role, ticker_from_path,
};

pub struct StreetEventsText;

impl Layout for StreetEventsText {
    fn name(&self) -> &'static str {
        "streetevents-text"
    }

    fn description(&self) -> &'static str {
        "Thomson Reuters / Refinitiv / LSEG StreetEvents TEXT export: ==== blocks, `Name, Firm - Role [n]` turns"
    }

    fn detect(&self, text: &str) -> bool {
        let head = super::head(text, 2000);
        head.contains("StreetEvents Event") && head.contains("=====")
    }

    fn parse(&self, text: &str, path: &Path) -> Result<Transcript, ParseError> {
        let lines: Vec<&str> = text.lines().collect();
        if lines
            .iter()
            .take(10)
            .any(|l| l.contains("StreetEvents Event Brief"))
        {
            return Err(ParseError::Brief);
        }
        let mut t = Transcript::new(self.name());
        parse_header(&lines, path, &mut t);
        let mut block = Block::Header;
        let mut turn: Option<Turn> = None;
        let mut i = 0;
        while i < lines.len() {
            let line = lines[i].trim();
            if is_rule(line, '=')
                && let Some(next) = lines.get(i + 1).and_then(|l| Block::from_heading(l.trim()))
            {
                flush(&mut turn, &mut t);
                block = next;
                i += 2;
                continue;
            }
            if is_rule(line, '-') && i + 2 < lines.len() && is_rule(lines[i + 2].trim(), '-') {
                let header = lines[i + 1].trim();
                if let Some(next) = Block::from_heading(header) {
                    flush(&mut turn, &mut t);
                    block = next;
                    i += 3;
                    continue;
                }
                if let Block::Speech(section) = block
                    && let Some(new_turn) = turn_header(header, section)
                {
                    flush(&mut turn, &mut t);
                    turn = Some(new_turn);
                    i += 3;
                    continue;
                }
            }
            match block {
                Block::Participants(side) => push_participant(&mut t, side, lines[i]),
                Block::Speech(_) => push_paragraph(&mut turn, line),
                Block::Header | Block::End => {}
            }
            i += 1;
        }
        flush(&mut turn, &mut t);
        Ok(t)
    }
}

#[derive(Clone, Copy)]
enum Block {
    Header,
    Participants(Side),
    Speech(Section),
    End,
}

impl Block {
    fn from_heading(line: &str) -> Option<Block> {
        Some(match line.to_ascii_lowercase().as_str() {
            "corporate participants" => Block::Participants(Side::Corporate),
            "conference call participiants" | "conference call participants" => {
                Block::Participants(Side::Analyst)
            }
            "presentation" => Block::Speech(Section::Presentation),
            "questions and answers" | "q-and-a" | "question and answer" => {
                Block::Speech(Section::Qa)
            }
            "definitions" | "disclaimer" => Block::End,
            _ => return None,
        })
    }
}

fn is_rule(line: &str, c: char) -> bool {
    line.len() >= 10 && line.chars().all(|x| x == c)
}

/// Title and date are the first two lines after `E D I T E D   V E R S I O N`
/// (or the vendor line when that is missing).
fn parse_header(lines: &[&str], path: &Path, t: &mut Transcript) {
    let head: Vec<&str> = lines
        .iter()
        .map(|l| l.trim())
        .take_while(|l| !l.starts_with("====="))
        .filter(|l| !l.is_empty())
        .collect();
    let start = head
        .iter()
        .position(|l| l.contains("StreetEvents Event"))
        .map_or(0, |p| p + 1);
    let rest: Vec<&str> = head[start.min(head.len())..]
        .iter()
        .copied()
        .filter(|l| !is_spaced_caps(l))
        .collect();
    if let Some(title) = rest.first() {
        let title = clean(title);
        t.fiscal_period = fiscal_period(&title).map(|(p, _)| p);
        t.company = company_from_title(&title);
        t.event = Some(title);
    }
    t.date = rest.iter().find_map(|l| parse_date(l));
    t.ticker = ticker_from_path(path);
}

/// `E D I T E D   V E R S I O N`
fn is_spaced_caps(line: &str) -> bool {
    let letters: Vec<char> = line.chars().filter(|c| !c.is_whitespace()).collect();
    letters.len() >= 4
        && letters.iter().all(|c| c.is_ascii_uppercase())
        && line.matches(' ').count() >= letters.len() - 1
}

fn push_participant(t: &mut Transcript, side: Side, raw: &str) {
    let line = raw.trim();
    if let Some(name) = line.strip_prefix("* ").or_else(|| line.strip_prefix('*')) {
        let name = clean(name);
        let (name, role) = match name.split_once(';') {
            Some((name, title)) => (name.trim().to_string(), Some(title.trim().to_string())),
            None => (name, None),
        };
        t.participants.push(Participant {
            name,
            firm: None,
            role,
            side,
        });
    } else if !line.is_empty()
        && let Some(last) = t
            .participants
            .last_mut()
            .filter(|p| p.firm.is_none() && p.role.is_none())
    {
        let (firm, role) = split_firm_role(&clean(line));
        last.firm = firm;
        last.role = role;
    }
}

/// `Nancy Paxton,  Apple Inc. - Senior Director IR    [2]` or `Operator    [1]`.
fn turn_header(header: &str, section: Section) -> Option<Turn> {
    let without_number = strip_turn_number(header)?;
    let cleaned = clean(without_number);
    let cleaned = cleaned.trim_end_matches(',').trim();
    if cleaned.is_empty() {
        return None;
    }
    let (speaker, firm, role) = match cleaned.split_once(';') {
        Some((name, rest)) => semicolon_header(name, rest),
        None => match split_name_comma(cleaned) {
            Some((name, rest)) => {
                let (firm, role) = split_firm_role(rest.trim());
                (name.trim().to_string(), firm, role)
            }
            None => (cleaned.to_string(), None, None),
        },
    };
    let mut turn = Turn::new(&speaker, firm, role);
    turn.section = section;
    Some(turn)
}

/// `Name, Firm - Role` at the first comma that does not start a name suffix
/// (`Vincent J. Delie, Jr., F.N.B. Corporation - CEO`).
fn split_name_comma(header: &str) -> Option<(&str, &str)> {
    let mut from = 0;
    while let Some(i) = header[from..].find(',').map(|i| i + from) {
        let next = header[i + 1..].trim_start();
        let word = next.split([',', ' ']).next().unwrap_or_default();
        let suffix = matches!(
            word.trim_end_matches('.').to_ascii_lowercase().as_str(),
            "jr" | "sr" | "ii" | "iii" | "iv"
        );
        if !suffix {
            return Some((&header[..i], &header[i + 1..]));
        }
        from = i + 1;
    }
    None
}

/// Another vendor's header, `Name;Title, Firm - Role` with firm and role often empty
/// (`Jim Friedland;Director of Investor Relations,   -`), and titles that hold commas
/// (`Name;Co-Founder, CEO, President & Director,  -`): the title runs to the last comma.
fn semicolon_header(name: &str, rest: &str) -> (String, Option<String>, Option<String>) {
    let (title, firm_role) = match rest.rsplit_once(',') {
        Some((title, tail))
            if tail.trim().is_empty() || tail.contains(" - ") || tail.trim() == "-" =>
        {
            (title, tail)
        }
        _ => (rest, ""),
    };
    let (firm, role) = split_firm_role(firm_role.trim());
    let dash = |v: Option<String>| v.filter(|x| !x.trim_matches(['-', ' ']).is_empty());
    let title = title.trim();
    let role = dash(role).or_else(|| (!title.is_empty()).then(|| title.to_string()));
    (name.trim().to_string(), dash(firm), role)
}

/// The header without its trailing `[n]`; `None` when there is no turn number.
fn strip_turn_number(header: &str) -> Option<&str> {
    let body = header.trim_end().strip_suffix(']')?;
    let open = body.rfind('[')?;
    body[open + 1..]
        .chars()
        .all(|c| c.is_ascii_digit())
        .then(|| body[..open].trim_end())
}

fn push_paragraph(turn: &mut Option<Turn>, line: &str) {
    let para = clean(line);
    if para.is_empty() || is_rule(&para, '-') || is_rule(&para, '=') {
        return;
    }
    if let Some(current) = turn.as_mut() {
        current.paragraphs.push(para);
    }
}

fn flush(turn: &mut Option<Turn>, t: &mut Transcript) {
    if let Some(done) = turn.take() {
        t.turns.push(done);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semicolon_headers_split_name_and_title() {
        let turn = |h: &str| {
            let t = turn_header(h, Section::Presentation).unwrap();
            (t.speaker, t.firm, t.role)
        };
        assert_eq!(
            turn("Jim Friedland;Director of Investor Relations,   -     [2]"),
            (
                "Jim Friedland".into(),
                None,
                Some("Director of Investor Relations".into())
            )
        );
        assert_eq!(
            turn("Mary Smith;Co-Founder, CEO, President & Director,   -  [3]"),
            (
                "Mary Smith".into(),
                None,
                Some("Co-Founder, CEO, President & Director".into())
            )
        );
        assert_eq!(
            turn("Nancy Paxton,  Apple Inc. - Senior Director IR    [2]"),
            (
                "Nancy Paxton".into(),
                Some("Apple Inc.".into()),
                Some("Senior Director IR".into())
            )
        );
    }
}

#[cfg(test)]
mod variant_tests {
    use super::*;

    /// Built from the real FNB participant line `Vincent J. Delie, Jr.--Chairman,
    /// President and Chief Executive Officer` (motley-fool-json/FNB_q3_2020.txt) as a
    /// StreetEvents header: the suffix comma stays in the name.
    #[test]
    fn a_name_with_a_suffix_comma_keeps_its_suffix() {
        let h = "Vincent J. Delie, Jr., F.N.B. Corporation - Chairman, President & CEO    [3]";
        let turn = turn_header(h, Section::Presentation).unwrap();
        assert_eq!(turn.speaker, "Vincent J. Delie, Jr.");
        assert_eq!(turn.firm.as_deref(), Some("F.N.B. Corporation"));
        assert_eq!(turn.role.as_deref(), Some("Chairman, President & CEO"));
        let h = "Edmund (\"Eddie\") Ingle, Jefferies LLC - Analyst    [7]";
        let turn = turn_header(h, Section::Qa).unwrap();
        assert_eq!(turn.speaker, "Edmund (\"Eddie\") Ingle");
        assert_eq!(turn.firm.as_deref(), Some("Jefferies LLC"));
    }
}
