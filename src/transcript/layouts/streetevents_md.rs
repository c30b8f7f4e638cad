//! `streetevents-md`: Thomson StreetEvents PDF transcripts converted to markdown-ish text
//! (the project's seed file). Traps: page headers inside turns, `\$` escapes, `*italic*`
//! firm/role markers, a DISCLAIMER that is not speech.

use std::path::Path;

use super::{Layout, ParseError};
use crate::transcript::model::{Participant, Section, Side, Transcript, Turn};
use crate::transcript::people;
use crate::transcript::text::{
    clean, company_from_title, fiscal_period, parse_date, split_firm_role,
};

pub struct StreetEventsMd;

impl Layout for StreetEventsMd {
    fn name(&self) -> &'static str {
        "streetevents-md"
    }

    fn description(&self) -> &'static str {
        "Thomson StreetEvents transcript from PDF as markdown text: `Name - Firm - Role` turn lines, page headers"
    }

    fn detect(&self, text: &str) -> bool {
        let head = super::head(text, 4000);
        let has_line = |f: &dyn Fn(&str) -> bool| head.lines().any(|l| f(l.trim()));
        has_line(&|l| l.starts_with("Event Date/Time:"))
            && has_line(&|l| l == "CORPORATE PARTICIPANTS")
    }

    fn parse(&self, text: &str, _path: &Path) -> Result<Transcript, ParseError> {
        let lines: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let mut t = Transcript::new(self.name());
        let title = parse_header(&lines, &mut t);
        let mut section = Block::Header;
        let mut turn: Option<Turn> = None;
        for line in &lines {
            if let Some(next) = Block::from_heading(line) {
                flush(&mut turn, &mut t);
                section = next;
                continue;
            }
            if title.as_deref().is_some_and(|ti| is_page_header(line, ti)) {
                continue;
            }
            match section {
                Block::Header | Block::Disclaimer => {}
                Block::Participants(side) => push_participant(&mut t, side, line),
                Block::Speech(sec) => {
                    if let Some(mut new_turn) = turn_header(line, &t.participants) {
                        flush(&mut turn, &mut t);
                        new_turn.section = sec;
                        turn = Some(new_turn);
                    } else if let Some(current) = turn.as_mut() {
                        let para = clean(&unescape_markdown(line));
                        if !para.is_empty() {
                            current.paragraphs.push(para);
                        }
                    }
                }
            }
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
    Disclaimer,
}

impl Block {
    fn from_heading(line: &str) -> Option<Block> {
        Some(match line {
            "CORPORATE PARTICIPANTS" => Block::Participants(Side::Corporate),
            "CONFERENCE CALL PARTICIPANTS" => Block::Participants(Side::Analyst),
            "PRESENTATION" => Block::Speech(Section::Presentation),
            "QUESTIONS AND ANSWERS" | "QUESTION AND ANSWER" => Block::Speech(Section::Qa),
            "DISCLAIMER" | "DEFINITIONS" => Block::Disclaimer,
            _ => return None,
        })
    }
}

/// Fill event metadata from the header; returns the title used by page headers.
fn parse_header(lines: &[&str], t: &mut Transcript) -> Option<String> {
    let header: Vec<&str> = lines
        .iter()
        .take_while(|l| **l != "CORPORATE PARTICIPANTS")
        .copied()
        .collect();
    if let Some(date_line) = header.iter().find(|l| l.starts_with("Event Date/Time:")) {
        t.date = parse_date(date_line);
    }
    let title_line = header
        .iter()
        .find(|l| l.contains(" - ") && fiscal_period(l).is_some())?;
    let (ticker, title) = title_line.split_once(" - ")?;
    let title = title.trim();
    t.ticker = Some(ticker.trim().to_string());
    t.event = Some(title.to_string());
    t.fiscal_period = fiscal_period(title).map(|(p, _)| p);
    t.company = company_from_title(title);
    Some(title_line.trim().to_string())
}

/// `Jul. 21. 2011 / 8:30PM, CALX - Q2 2011 Calix Inc Earnings Conference Call`
fn is_page_header(line: &str, title: &str) -> bool {
    line.len() > title.len() && line.ends_with(title) && parse_date(line).is_some()
}

fn push_participant(t: &mut Transcript, side: Side, line: &str) {
    let line = clean(&unescape_markdown(line));
    let expecting_firm = t
        .participants
        .last()
        .is_some_and(|p| p.side == side && p.firm.is_none() && p.role.is_none());
    if expecting_firm && line.contains(" - ") {
        let last = t.participants.last_mut().expect("checked above");
        let (firm, role) = split_firm_role(&line);
        last.firm = firm;
        last.role = role;
    } else {
        t.participants.push(Participant {
            name: line,
            firm: None,
            role: None,
            side,
        });
    }
}

/// A turn starts with `Operator` alone or `Name - Firm - Role` naming a listed person.
fn turn_header(line: &str, participants: &[Participant]) -> Option<Turn> {
    let plain = clean(&line.replace('*', ""));
    if people::is_operator(&plain) {
        return Some(Turn::new("Operator", None, None));
    }
    let (name, rest) = plain.split_once(" - ")?;
    if name.split_whitespace().count() > 6 || plain.len() > 200 {
        return None;
    }
    let known = people::find_participant(participants, name).is_some();
    let unidentified = name.starts_with("Unidentified") || name.starts_with("Unknown");
    if !known && !unidentified {
        return None;
    }
    let (firm, role) = split_firm_role(rest);
    Some(Turn::new(name.trim(), firm, role))
}

fn flush(turn: &mut Option<Turn>, t: &mut Transcript) {
    if let Some(done) = turn.take() {
        t.turns.push(done);
    }
}

/// Remove markdown escapes (`\$`) and emphasis markers (`*x*`, `_x_` stays as text).
fn unescape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek().is_some_and(|n| n.is_ascii_punctuation()) => {
                out.push(chars.next().expect("peeked"));
            }
            '*' => {}
            c => out.push(c),
        }
    }
    out
}
