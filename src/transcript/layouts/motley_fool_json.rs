//! `motley-fool-json`: Motley Fool transcripts restructured as JSON (`header_texts`,
//! `prepared_remarks`, `q_and_a`, `participants`), whatever the file's extension.
//! Traps: no company, date or title (ticker and fiscal quarter come from the file name);
//! page furniture as turns (`Duration: 49 minutes`, `Questions and Answers:`,
//! `Call participants:` then a list of names); names with commas, quotes and brackets.

use std::path::Path;

use serde::Deserialize;

use super::{Layout, ParseError};
use crate::transcript::model::{Participant, Section, Side, Transcript, Turn};
use crate::transcript::people;
use crate::transcript::text::{clean, company_from_welcome, fiscal_period, ticker_from_path};

pub struct MotleyFoolJson;

/// The file as the scrape wrote it; unknown keys are ignored.
#[derive(Deserialize)]
struct Call {
    prepared_remarks: Vec<Entry>,
    #[serde(default)]
    q_and_a: Vec<Entry>,
    #[serde(default)]
    participants: Vec<String>,
}

#[derive(Deserialize)]
struct Entry {
    #[serde(default)]
    speaker: String,
    #[serde(default)]
    speech: String,
}

impl Layout for MotleyFoolJson {
    fn name(&self) -> &'static str {
        "motley-fool-json"
    }

    fn description(&self) -> &'static str {
        "Motley Fool transcript as JSON: `prepared_remarks` and `q_and_a` lists of {speaker, speech}, `Name--Title` participants"
    }

    fn detect(&self, text: &str) -> bool {
        text.trim_start().starts_with('{')
            && text.contains("\"prepared_remarks\"")
            && text.contains("\"speaker\"")
    }

    fn parse(&self, text: &str, path: &Path) -> Result<Transcript, ParseError> {
        let call: Call = serde_json::from_str(text).map_err(|_| ParseError::UnknownLayout)?;
        let mut t = Transcript::new(self.name());
        t.ticker = ticker_from_path(path);
        t.fiscal_period = period_from_path(path);
        t.event = (t.fiscal_period.as_ref()).map(|p| format!("{p} Earnings Call"));
        t.participants = participants(&call.participants);
        let mut section = Section::Presentation;
        let entries: Vec<(Section, &Entry)> = (call
            .prepared_remarks
            .iter()
            .map(|e| (Section::Presentation, e)))
        .chain(call.q_and_a.iter().map(|e| (Section::Qa, e)))
        .collect();
        for (at, &(listed_in, entry)) in entries.iter().enumerate() {
            section = section_after(section, listed_in);
            match furniture(&entry.speaker) {
                Some(Furniture::QaStarts) => section = Section::Qa,
                Some(Furniture::ParticipantsFollow) => {
                    if t.participants.is_empty() {
                        t.participants = name_list(&entries[at + 1..], &t.turns);
                    }
                    break;
                }
                Some(Furniture::Other) => {}
                None => push_turn(&mut t, entry, section),
            }
        }
        mark_announced_analysts(&mut t);
        t.company = welcomed_company(&t);
        Ok(t)
    }
}

/// The files name no company: the operator's welcome in the first turns does.
fn welcomed_company(t: &Transcript) -> Option<String> {
    (t.turns.iter().take(3)).find_map(|turn| company_from_welcome(&turn.paragraphs.join("\n")))
}

/// The Q&A list is the Q&A; inside the prepared remarks a marker can open it.
fn section_after(current: Section, listed_in: Section) -> Section {
    match listed_in {
        Section::Qa => Section::Qa,
        Section::Presentation => current,
    }
}

/// Entries that are page furniture, not speech.
enum Furniture {
    /// `Questions and Answers:` or `Questions & Answers:`: the Q&A starts.
    QaStarts,
    /// `Call participants:`: what follows is the list of names, then links.
    ParticipantsFollow,
    /// `Duration: 49 minutes`, `Contents:`, `Prepared Remarks:`.
    Other,
}

fn furniture(speaker: &str) -> Option<Furniture> {
    let s = speaker.trim().to_ascii_lowercase();
    if s.starts_with("duration:") {
        return Some(Furniture::Other);
    }
    let heading = s.strip_suffix(':')?;
    Some(match heading {
        "questions and answers" | "questions & answers" | "question-and-answer session" => {
            Furniture::QaStarts
        }
        "call participants" => Furniture::ParticipantsFollow,
        _ => Furniture::Other,
    })
}

/// One turn per entry with speech; its paragraphs are the lines of `speech`.
fn push_turn(t: &mut Transcript, entry: &Entry, section: Section) {
    let speaker = clean(&entry.speaker);
    if speaker.is_empty() {
        return;
    }
    let mut turn = Turn::new(&speaker, None, None);
    turn.section = section;
    turn.paragraphs = (entry.speech.lines())
        .map(clean)
        .filter(|p| !p.is_empty())
        .collect();
    if !turn.paragraphs.is_empty() {
        t.turns.push(turn);
    }
}

/// A Q&A speaker missing from the participants whom the operator has just announced
/// (`Our next question comes from Steve Sakwa with Evercore ISI.`) is an analyst.
fn mark_announced_analysts(t: &mut Transcript) {
    for i in 0..t.turns.len() {
        let turn = &t.turns[i];
        if turn.section != Section::Qa
            || people::is_operator(&turn.speaker)
            || people::find_participant(&t.participants, &turn.speaker).is_some()
        {
            continue;
        }
        let recent = t.turns[i.saturating_sub(2)..i].iter().rev();
        let announced = (recent.filter(|x| people::is_operator(&x.speaker)))
            .flat_map(|x| x.paragraphs.iter().rev())
            .find_map(|p| people::announced_firm(p, &turn.speaker));
        if let Some(firm) = announced {
            let turn = &mut t.turns[i];
            turn.firm = firm;
            turn.role = Some("Analyst".to_string());
        }
    }
}

/// `Name--Title` for the company's people, `Name--Firm -- Analyst` for analysts; a bare
/// name takes the side of the entry before it (lists put the company's people first).
fn participants(lines: &[String]) -> Vec<Participant> {
    let mut out: Vec<Participant> = Vec::new();
    for line in lines {
        let parts: Vec<String> = line.split("--").map(clean).collect();
        let name = without_stray_period(&parts[0]);
        if name.is_empty() || name.eq_ignore_ascii_case("analyst") {
            continue;
        }
        let rest = &parts[1..];
        let analyst = rest
            .last()
            .is_some_and(|r| r.eq_ignore_ascii_case("analyst"));
        let participant = if analyst {
            let firm = rest[..rest.len() - 1].join(" - ");
            Participant {
                name,
                firm: (!firm.is_empty()).then_some(firm),
                role: Some("Analyst".to_string()),
                side: Side::Analyst,
            }
        } else {
            let role = rest.join(", ");
            let side = match (rest.is_empty(), out.last()) {
                (true, Some(previous)) => previous.side,
                _ => Side::Corporate,
            };
            Participant {
                name,
                firm: None,
                role: (!role.is_empty()).then_some(role),
                side,
            }
        };
        out.push(participant);
    }
    out
}

/// `Joe Taylor.` -> `Joe Taylor`; `Jr.` and initials keep their period.
fn without_stray_period(name: &str) -> String {
    let last = name.rsplit(' ').next().unwrap_or_default();
    match last.strip_suffix('.') {
        Some(word) if word.chars().count() >= 3 => name[..name.len() - 1].to_string(),
        _ => name.to_string(),
    }
}

/// The names after `Call participants:` in files without a participant list (speech
/// empty; the last entry's speech is a link line). Whom the operator announced in the
/// Q&A is an analyst, with the firm the operator named; the others are the company's.
fn name_list(entries: &[(Section, &Entry)], turns: &[Turn]) -> Vec<Participant> {
    let operator_lines: Vec<&String> = (turns.iter())
        .filter(|t| t.section == Section::Qa && people::is_operator(&t.speaker))
        .flat_map(|t| &t.paragraphs)
        .collect();
    let mut out = Vec::new();
    for (_, entry) in entries {
        let name = clean(&entry.speaker);
        if name.is_empty() || furniture(&name).is_some() || people::is_unidentified(&name) {
            continue;
        }
        let announced = (operator_lines.iter()).find_map(|p| people::announced_firm(p, &name));
        out.push(Participant {
            side: if announced.is_some() {
                Side::Analyst
            } else {
                Side::Corporate
            },
            firm: announced.flatten(),
            role: None,
            name,
        });
    }
    out
}

/// `AAPL_q1_2021.txt` -> `Q1 2021`.
fn period_from_path(path: &Path) -> Option<String> {
    let stem = path.file_stem()?.to_str()?;
    fiscal_period(&stem.replace(['_', '-'], " ")).map(|(p, _)| p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::model::RoleClass;
    use crate::transcript::parse_bytes;

    fn parse(json: &str, name: &str) -> Transcript {
        parse_bytes(json.as_bytes(), Path::new(name)).expect("parses")
    }

    #[test]
    fn lists_give_sections_and_participants_give_roles() {
        let t = parse(
            r#"{"header_texts": ["Contents:"], "prepared_remarks": [
                {"speaker": "Operator", "speech": "Welcome. [Operator Instructions]"},
                {"speaker": "Vincent J. Delie, Jr.", "speech": "Thanks.\nRevenue rose 11.1%."}],
              "q_and_a": [
                {"speaker": "Edmund (\"Eddie\") Ingle", "speech": "On pricing?"},
                {"speaker": "Vincent J. Delie, Jr.", "speech": "Stable."},
                {"speaker": "Duration: 49 minutes", "speech": ""}],
              "participants": ["Vincent J. Delie, Jr.--Chairman, President and Chief Executive Officer",
                               "Edmund (\"Eddie\") Ingle--Jefferies -- Analyst"]}"#,
            "FNB_q1_2021.txt",
        );
        assert_eq!(t.ticker.as_deref(), Some("FNB"));
        assert_eq!(t.fiscal_period.as_deref(), Some("Q1 2021"));
        let turns = t.outline();
        assert_eq!(
            turns,
            [
                ("Operator", RoleClass::Operator, Section::Presentation, 1),
                (
                    "Vincent J. Delie, Jr.",
                    RoleClass::Executive,
                    Section::Presentation,
                    2
                ),
                (
                    "Edmund (\"Eddie\") Ingle",
                    RoleClass::Analyst,
                    Section::Qa,
                    1
                ),
                (
                    "Vincent J. Delie, Jr.",
                    RoleClass::Executive,
                    Section::Qa,
                    1
                ),
            ]
        );
        assert_eq!(t.turns[1].titles, ["ceo", "president", "chair"]);
        assert_eq!(t.turns[2].firm_norm.as_deref(), Some("Jefferies"));
    }

    #[test]
    fn a_qa_marker_in_the_prepared_remarks_opens_the_qa_and_the_name_list_is_dropped() {
        let t = parse(
            r#"{"prepared_remarks": [
                {"speaker": "Mike McMullen", "speech": "Our quarter."},
                {"speaker": "Questions and Answers:", "speech": ""},
                {"speaker": "Tycho Peterson", "speech": "A question."},
                {"speaker": "Call participants:", "speech": ""},
                {"speaker": "Mike McMullen", "speech": ""},
                {"speaker": "Dan Arias", "speech": "More A analysis\nAll earnings call transcripts"}],
              "q_and_a": [], "participants": []}"#,
            "A_q3_2021.txt",
        );
        let turns: Vec<(&str, Section)> = (t.turns.iter())
            .map(|x| (x.speaker.as_str(), x.section))
            .collect();
        assert_eq!(
            turns,
            [
                ("Mike McMullen", Section::Presentation),
                ("Tycho Peterson", Section::Qa)
            ]
        );
    }

    #[test]
    fn json_of_another_shape_is_not_this_layout() {
        assert!(!MotleyFoolJson.detect(r#"{"title": "x", "body": "y"}"#));
        let broken = parse_bytes(br#"{"prepared_remarks": [{"speaker": 1}"#, Path::new("x"));
        assert!(broken.is_err());
    }
}
