//! `callsearch report`: parse every file under folders and print per-layout figures,
//! so attribution problems show up on a whole archive, not one file.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use crate::error::Error;
use crate::model::{RoleClass, Transcript};
use crate::parse::{self, ParseError};
use crate::speakers;

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

/// Parse everything under `paths` and print the per-layout table (or JSON).
pub fn run(paths: &[PathBuf], as_json: bool, out: &mut dyn Write) -> Result<u8, Error> {
    let files = collect(paths)?;
    let results: Vec<(String, Option<&'static str>, Result<Transcript, ParseError>)> = files
        .par_iter()
        .map(|p| {
            let (layout, outcome) = parse_one(p);
            (p.display().to_string(), layout, outcome)
        })
        .collect();
    let stats = tally(&results);
    let io = |e: std::io::Error| Error::Io(format!("cannot write output: {e}"));
    if as_json {
        let s = serde_json::to_string_pretty(&stats).expect("stats serialise");
        writeln!(out, "{s}").map_err(io)?;
    } else {
        print_table(out, &stats).map_err(io)?;
    }
    Ok(0)
}

fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut files = Vec::new();
    for root in paths {
        if !root.exists() {
            return Err(Error::Input(format!(
                "{}: no such file or folder",
                root.display()
            )));
        }
        let walk = walkdir::WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name();
        files.extend(
            walk.into_iter()
                .flatten()
                .filter(|e| e.file_type().is_file())
                .map(|e| e.into_path()),
        );
    }
    Ok(files)
}

fn parse_one(path: &Path) -> (Option<&'static str>, Result<Transcript, ParseError>) {
    let layout = std::fs::read(path).ok().and_then(|b| {
        let text = parse::text::decode(&b)
            .replace("\r\n", "\n")
            .replace('\r', "\n");
        parse::detect(&text).map(|l| l.name())
    });
    (layout, parse::parse_file(path))
}

type Parsed = (String, Option<&'static str>, Result<Transcript, ParseError>);

fn tally(results: &[Parsed]) -> BTreeMap<String, LayoutStats> {
    let mut stats: BTreeMap<String, LayoutStats> = BTreeMap::new();
    let mut seen_calls: HashMap<String, String> = HashMap::new();
    for (path, layout, outcome) in results {
        let s = stats
            .entry(layout.unwrap_or("(none)").to_string())
            .or_default();
        s.files += 1;
        match outcome {
            Err(e) => *s.skipped.entry(e.to_string()).or_insert(0) += 1,
            Ok(t) => {
                let call = crate::passages::call_fingerprint(t);
                if seen_calls.insert(call, path.clone()).is_some() {
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
        if turn.role_class == RoleClass::Operator || speakers::is_unidentified(&turn.speaker) {
            continue;
        }
        if speakers::find_participant(&t.participants, &turn.speaker).is_none() {
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
        || name.ends_with('.') && words > 3
        || name.to_lowercase().contains("disclaimer")
        || name.to_lowercase().contains("reserved")
}

fn print_table(out: &mut dyn Write, stats: &BTreeMap<String, LayoutStats>) -> std::io::Result<()> {
    writeln!(
        out,
        "{:<18} {:>6} {:>7} {:>8} {:>5} {:>7} {:>9} {:>9} {:>10}",
        "layout",
        "files",
        "parsed",
        "skipped",
        "dups",
        "turns",
        "passages",
        "unlisted",
        "suspicious"
    )?;
    for (name, s) in stats {
        let skipped: usize = s.skipped.values().sum();
        writeln!(
            out,
            "{:<18} {:>6} {:>7} {:>8} {:>5} {:>7} {:>9} {:>9} {:>10}",
            name,
            s.files,
            s.parsed,
            skipped,
            s.duplicates,
            s.turns,
            s.passages,
            s.speakers_not_listed,
            s.suspicious_speakers.len()
        )?;
    }
    for (name, s) in stats {
        for (reason, n) in &s.skipped {
            writeln!(out, "{name}: skipped {n}: {reason}")?;
        }
        for ex in &s.unlisted_examples {
            writeln!(out, "{name}: speaker not in participant list: {ex}")?;
        }
        for ex in &s.suspicious_speakers {
            writeln!(out, "{name}: suspicious speaker name: {ex}")?;
        }
    }
    Ok(())
}
