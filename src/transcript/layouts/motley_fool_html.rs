//! `motley-fool-html`: a fool.com transcript page as saved (often gzip-compressed, with no
//! extension), read with an HTML parser. Traps: navigation, ads and scripts around the
//! transcript; `<h2>` headings (`Prepared Remarks:`, `Questions and Answers:`,
//! `Call participants:`) mark the parts; a turn opens with
//! `<p><strong>Name</strong> -- <em>Title</em></p>` (analysts `Firm -- Analyst`); the date
//! is in `<span id="date">`, the company, ticker and quarter in the `<h1>`.

use std::path::Path;

use scraper::{ElementRef, Html, Selector};

use super::{Layout, ParseError};
use crate::transcript::model::{Participant, Section, Side, Transcript, Turn};
use crate::transcript::text::{clean, fiscal_period, parse_date};

pub struct MotleyFoolHtml;

impl Layout for MotleyFoolHtml {
    fn name(&self) -> &'static str {
        "motley-fool-html"
    }

    fn description(&self) -> &'static str {
        "fool.com transcript page (HTML, often gzip): `<h2>` parts, `<strong>Name</strong> -- <em>Title</em>` turns"
    }

    fn detect(&self, text: &str) -> bool {
        let lower_head = super::head(text, 2000).to_ascii_lowercase();
        (lower_head.contains("<!doctype html") || lower_head.contains("<html"))
            && text.contains("fool.com")
            && text.contains("Prepared Remarks:</h2>")
    }

    fn parse(&self, text: &str, _path: &Path) -> Result<Transcript, ParseError> {
        let page = Html::parse_document(text);
        let mut t = Transcript::new(self.name());
        read_title(&page, &mut t);
        t.date = first_text(&page, "#date").and_then(|d| parse_date(&d));
        let mut part = Part::Outside;
        let mut turn: Option<Turn> = None;
        for element in page.select(&selector("h2, p")) {
            if element.value().name() == "h2" {
                flush(&mut turn, &mut t);
                part = Part::from_heading(&text_of(element));
                continue;
            }
            match part {
                Part::Speech(section) => speech(element, section, &mut turn, &mut t),
                Part::Participants => push_participant(element, &mut t),
                Part::Outside => {}
            }
        }
        flush(&mut turn, &mut t);
        Ok(t)
    }
}

/// Which part of the page an element is in.
#[derive(Clone, Copy)]
enum Part {
    Outside,
    Speech(Section),
    Participants,
}

impl Part {
    fn from_heading(heading: &str) -> Part {
        match heading
            .trim()
            .trim_end_matches(':')
            .to_ascii_lowercase()
            .as_str()
        {
            "prepared remarks" => Part::Speech(Section::Presentation),
            "questions and answers" | "questions & answers" => Part::Speech(Section::Qa),
            "call participants" => Part::Participants,
            _ => Part::Outside,
        }
    }
}

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("fixed selectors parse")
}

fn text_of(element: ElementRef) -> String {
    clean(&element.text().collect::<String>())
}

fn first_text(page: &Html, css: &str) -> Option<String> {
    page.select(&selector(css)).next().map(text_of)
}

/// `Micro Focus Intl PLC (MFGP) Q2 2020 Earnings Call Transcript`.
fn read_title(page: &Html, t: &mut Transcript) {
    let Some(title) = first_text(page, "h1") else {
        return;
    };
    if let Some((company, rest)) = title.split_once(" (")
        && let Some((ticker, event)) = rest.split_once(')')
    {
        t.company = Some(company.trim().to_string());
        t.ticker = Some(
            ticker
                .rsplit(':')
                .next()
                .unwrap_or(ticker)
                .trim()
                .to_string(),
        );
        let event = event.trim().trim_end_matches("Transcript").trim();
        t.event = (!event.is_empty()).then(|| event.to_string());
    }
    t.fiscal_period = fiscal_period(&title).map(|(p, _)| p);
}

/// `<strong>Name</strong> -- <em>Title</em>`: name and the text after the dashes.
fn header(element: ElementRef) -> Option<(String, Option<String>)> {
    let strong = element.select(&selector("strong")).next()?;
    let name = text_of(strong);
    let all = text_of(element);
    let rest = all.strip_prefix(name.as_str())?.trim();
    let name_shaped =
        (1..=6).contains(&name.split_whitespace().count()) && !name.ends_with(['.', ':', '?', '!']);
    if !name_shaped || !(rest.is_empty() || rest.starts_with("--")) {
        return None;
    }
    let rest = rest.trim_start_matches('-').trim();
    Some((name, (!rest.is_empty()).then(|| rest.to_string())))
}

/// A title, or `Firm -- Analyst`, as firm and role; a bare `Analyst` (no firm given)
/// is an analyst too, as in the JSON layout.
fn firm_role(rest: Option<String>) -> (Option<String>, Option<String>, Side) {
    if rest
        .as_deref()
        .is_some_and(|r| r.trim().eq_ignore_ascii_case("analyst"))
    {
        return (None, Some("Analyst".to_string()), Side::Analyst);
    }
    match rest.as_deref().and_then(|r| r.rsplit_once("--")) {
        Some((firm, role)) if role.trim().eq_ignore_ascii_case("analyst") => (
            Some(firm.trim().to_string()),
            Some("Analyst".to_string()),
            Side::Analyst,
        ),
        _ => (None, rest, Side::Corporate),
    }
}

fn speech(element: ElementRef, section: Section, turn: &mut Option<Turn>, t: &mut Transcript) {
    if let Some((name, rest)) = header(element) {
        flush(turn, t);
        let (firm, role, _) = firm_role(rest);
        let mut next = Turn::new(&name, firm, role);
        next.section = section;
        *turn = Some(next);
        return;
    }
    let paragraph = text_of(element);
    if let (Some(current), false) = (turn.as_mut(), paragraph.is_empty()) {
        current.paragraphs.push(paragraph);
    }
}

fn push_participant(element: ElementRef, t: &mut Transcript) {
    if let Some((name, rest)) = header(element) {
        let (firm, role, side) = firm_role(rest);
        t.participants.push(Participant {
            name,
            firm,
            role,
            side,
        });
    }
}

fn flush(turn: &mut Option<Turn>, t: &mut Transcript) {
    if let Some(done) = turn.take().filter(|d| !d.paragraphs.is_empty()) {
        t.turns.push(done);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::model::RoleClass;

    #[test]
    fn a_participant_listed_as_a_bare_analyst_is_an_analyst() {
        // fool.com, Pure Cycle Q3 2020: `Greg Malachowski -- Analyst`, no firm.
        let (firm, role, side) = firm_role(Some("Analyst".to_string()));
        assert_eq!(
            (firm, role.as_deref(), side),
            (None, Some("Analyst"), Side::Analyst)
        );
        let (_, role, side) = firm_role(Some("Chief Financial Officer".to_string()));
        assert_eq!(
            (role.as_deref(), side),
            (Some("Chief Financial Officer"), Side::Corporate)
        );
    }

    const PAGE: &str = r#"<!DOCTYPE html><html><head><link href="https://www.fool.com/x"></head><body>
        <nav><p>Stocks</p></nav>
        <h1>Micro Focus Intl PLC (MFGP) Q2 2020 Earnings Call Transcript</h1>
        <span id="date">Jul 7, 2020</span>
        <h2>Prepared Remarks:</h2>
        <p><strong>Operator</strong></p><p>Welcome.</p>
        <p><strong>Stephen Murdoch</strong> -- <em>Chief Executive Officer</em></p>
        <p>Revenue was <strong>down</strong> 9%.</p>
        <h2>Questions and Answers:</h2>
        <p><strong>Michael Briest</strong> -- <em>UBS -- Analyst</em></p><p>On margins?</p>
        <p><strong>Stephen Murdoch</strong> -- <em>Chief Executive Officer</em></p><p>Stable.</p>
        <h2>Call participants:</h2>
        <p><strong>Stephen Murdoch</strong> -- <em>Chief Executive Officer</em></p>
        <p><strong>Michael Briest</strong> -- <em>UBS -- Analyst</em></p>
        <h2>Stocks</h2><p>Ad text</p></body></html>"#;

    #[test]
    fn the_page_gives_metadata_turns_and_participants() {
        let mut t = MotleyFoolHtml.parse(PAGE, Path::new("x")).unwrap();
        crate::transcript::roles::resolve(&mut t);
        assert_eq!(t.company.as_deref(), Some("Micro Focus Intl PLC"));
        assert_eq!(t.ticker.as_deref(), Some("MFGP"));
        assert_eq!(t.fiscal_period.as_deref(), Some("Q2 2020"));
        assert_eq!(t.date.as_deref(), Some("2020-07-07"));
        let turns = t.outline();
        assert_eq!(
            turns,
            [
                ("Operator", RoleClass::Operator, Section::Presentation, 1),
                (
                    "Stephen Murdoch",
                    RoleClass::Executive,
                    Section::Presentation,
                    1
                ),
                ("Michael Briest", RoleClass::Analyst, Section::Qa, 1),
                ("Stephen Murdoch", RoleClass::Executive, Section::Qa, 1),
            ]
        );
        assert_eq!(t.turns[1].paragraphs, ["Revenue was down 9%."]);
        assert_eq!(t.turns[2].firm_norm.as_deref(), Some("UBS"));
    }
}
