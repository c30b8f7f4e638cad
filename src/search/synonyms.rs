//! The query's words as typed (`lex`) and the finance synonym table: the curated
//! `synonyms.txt`, optionally with a user's file on top (`--synonyms`), matched longest
//! first.

use std::path::Path;

use crate::error::{Error, io_reason};

/// The query's words and numbers, lowercased: `$481.1` gives `481.1`, a number kept
/// whole so that it matches as a phrase of its parts.
pub fn lex(q: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let chars: Vec<char> = q.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let inner_point = (c == '.' || c == ',')
            && word.chars().last().is_some_and(|p| p.is_ascii_digit())
            && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
        let fuzzy_mark = c == '~' && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
        let marker = !word.is_empty() && (c == '*' || fuzzy_mark);
        if c.is_alphanumeric() && word.ends_with('~') && word.len() > 1 {
            word.push(c);
            out.push(std::mem::take(&mut word));
        } else if marker {
            word.push(c);
            if c == '*' {
                out.push(std::mem::take(&mut word));
            }
        } else if c.is_alphanumeric() || inner_point || (c == '&' && !word.is_empty()) {
            word.extend(c.to_lowercase());
        } else if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// Synonym groups, each a list of alternatives, each a list of words: the curated table
/// (`synonyms.txt`), a user's file on top of it, or nothing.
#[derive(Debug, Clone, Default)]
pub struct SynonymTable {
    groups: Vec<Vec<Vec<String>>>,
}

impl SynonymTable {
    /// The curated table shipped in the binary.
    pub fn builtin() -> Self {
        let groups = parse(include_str!("synonyms.txt"))
            .map(|(_, g)| g)
            .collect();
        SynonymTable { groups }
    }

    /// No synonyms (`--no-synonyms`).
    pub fn none() -> Self {
        SynonymTable::default()
    }

    /// The curated table with a user's groups, which win where both have an alternative
    /// of the same length.
    pub fn with_file(path: &Path) -> Result<Self, Error> {
        let shown = path.display();
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::Input(format!("cannot read {shown}: {}", io_reason(&e))))?;
        let mut groups = Vec::new();
        for (line, group) in parse(&text) {
            if group.len() < 2 {
                return Err(Error::Input(format!(
                    "{shown} line {line}: expected alternatives separated by \" = \""
                )));
            }
            groups.push(group);
        }
        groups.extend(SynonymTable::builtin().groups);
        Ok(SynonymTable { groups })
    }

    /// The longest alternative starting at `words[at..]`: its group and length.
    pub fn at<'a>(&'a self, words: &[String], at: usize) -> Option<(&'a [Vec<String>], usize)> {
        let mut best: Option<(&[Vec<String>], usize)> = None;
        for group in &self.groups {
            for alt in group {
                let fits = words.len() >= at + alt.len() && words[at..at + alt.len()] == alt[..];
                if fits && best.is_none_or(|(_, n)| alt.len() > n) {
                    best = Some((group, alt.len()));
                }
            }
        }
        best
    }
}

/// The groups of a synonym file with their line numbers: one group per line,
/// alternatives separated by ` = `, `#` comments and blank lines skipped.
fn parse(text: &str) -> impl Iterator<Item = (usize, Vec<Vec<String>>)> + '_ {
    (text.lines().enumerate())
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
        .map(|(i, l)| {
            (
                i,
                l.split(" = ").map(lex).filter(|a| !a.is_empty()).collect(),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        lex(s)
    }

    #[test]
    fn the_longest_alternative_wins() {
        let table = SynonymTable::builtin();
        let (group, len) = table.at(&words("earnings per share rose"), 0).unwrap();
        assert_eq!(len, 3);
        assert!(group.contains(&words("eps")));
        assert!(SynonymTable::none().at(&words("eps"), 0).is_none());
    }

    #[test]
    fn a_user_file_adds_groups_and_names_its_bad_lines() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("mine.txt");
        std::fs::write(&good, "# ours\nbacklog = order book = rpo\n").unwrap();
        let table = SynonymTable::with_file(&good).unwrap();
        assert!(table.at(&words("order book"), 0).is_some());
        assert!(table.at(&words("eps"), 0).is_some(), "builtin kept");
        let bad = dir.path().join("bad.txt");
        std::fs::write(&bad, "backlog\n").unwrap();
        let err = SynonymTable::with_file(&bad).unwrap_err().to_string();
        assert!(err.contains("bad.txt line 1"), "{err}");
    }
}
