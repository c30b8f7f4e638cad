//! Per-layout figures over many parsed files: parsed, skipped, duplicated, and
//! speakers that look wrong, so attribution problems show on a whole archive.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::transcript::layouts::ParseError;
use crate::transcript::model::{RoleClass, Transcript};
use crate::transcript::people;

/// Figures for one layout.
#[derive(Debug, Default, Serialize)]
pub struct LayoutStats {
    pub files: usize,
    pub parsed: usize,
    pub skipped: BTreeMap<String, usize>,
    pub duplicates: usize,
    pub turns: usize,
    pub passages: usize,
    pub speakers_not_listed: usize,
    pub suspicious_speakers: Vec<String>,
    pub unlisted_examples: Vec<String>,
}

/// One file's (or dataset call's) outcome: its name, the layout that claimed it
/// (`capital-iq+parquet` for a dataset's call), and the parse.
pub type Parsed = (String, Option<String>, Result<Transcript, ParseError>);

/// Figures per layout over every file's outcome, in the given order; `dropped` are the
/// files whose call another file holds (see `merges`), counted as duplicates.
pub fn tally(results: &[Parsed], dropped: &BTreeSet<&str>) -> BTreeMap<String, LayoutStats> {
    let mut stats: BTreeMap<String, LayoutStats> = BTreeMap::new();
    for (path, layout, outcome) in results {
        let s = stats
            .entry(layout.as_deref().unwrap_or("(none)").to_string())
            .or_default();
        s.files += 1;
        match outcome {
            Err(e) => *s.skipped.entry(e.to_string()).or_insert(0) += 1,
            Ok(t) => {
                if dropped.contains(path.as_str()) {
                    s.duplicates += 1;
                    continue;
                }
                s.parsed += 1;
                s.turns += t.turns.len();
                s.passages += t.passage_count();
                check_speakers(t, path, s);
            }
        }
    }
    stats
}

/// Count turns whose named speaker is not in the participant list (operator and
/// `Unidentified Analyst`-style labels are expected there), and flag names that
/// look like page furniture (digits, rules, sentences, disclaimers).
fn check_speakers(t: &Transcript, path: &str, s: &mut LayoutStats) {
    for turn in &t.turns {
        if turn.role_class == RoleClass::Operator || people::is_unidentified(&turn.speaker) {
            continue;
        }
        if people::find_participant(&t.participants, &turn.speaker).is_none() {
            s.speakers_not_listed += 1;
            if s.unlisted_examples.len() < 12 {
                s.unlisted_examples
                    .push(format!("{} ({path})", turn.speaker));
            }
        }
        if looks_suspicious(&turn.speaker) && s.suspicious_speakers.len() < 20 {
            s.suspicious_speakers
                .push(format!("{} ({path})", turn.speaker));
        }
    }
}

fn looks_suspicious(name: &str) -> bool {
    let words = name.split_whitespace().count();
    name.chars().any(|c| c.is_ascii_digit())
        || name.contains("---")
        || name.contains("===")
        || words == 0
        || words > 6
        || name.ends_with('.') && words > 3 && !ends_with_suffix(name)
        || name.to_lowercase().contains("disclaimer")
        || name.to_lowercase().contains("reserved")
}

/// `Jr.`, `Sr.`: a name may end in a period.
fn ends_with_suffix(name: &str) -> bool {
    let last = name.rsplit(' ').next().unwrap_or_default();
    matches!(last.to_ascii_lowercase().as_str(), "jr." | "sr.")
}
