//! The same call from two layouts or publishers: found by company, date and content
//! similarity (a bottom-k sketch of word triples), never by bytes, so a Seeking Alpha
//! page and a StreetEvents export of one call are one call.

use std::collections::{BTreeMap, BTreeSet};

use crate::transcript::model::Transcript;

/// Hashes kept per call: the smallest of its word triples' hashes.
const SKETCH: usize = 64;

/// Share of the sketches' union two calls must hold in common to be one call.
const SAME: f64 = 0.3;

/// The `SKETCH` smallest hashes of a call's word triples (lowercase letters and digits).
pub fn sketch(t: &Transcript) -> Vec<u64> {
    // Every folded word in one buffer, each followed by a space: a triple is then one
    // slice of it, hashed as it always was, with no string per word.
    let mut folded: Vec<u8> = Vec::new();
    let mut starts: Vec<usize> = Vec::new();
    for p in t.turns.iter().flat_map(|turn| &turn.paragraphs) {
        fold_words(p, &mut folded, &mut starts);
    }
    starts.push(folded.len());
    let mut smallest = Smallest::default();
    for i in 0..starts.len().saturating_sub(3) {
        smallest.offer(fnv(&folded[starts[i]..starts[i + 3]]));
    }
    smallest.0
}

/// The words of `text` as `fold_alnum` folds them, each followed by a space and its
/// start noted; words that fold to nothing are left out. ASCII text is folded a byte
/// at a time (whitespace as `split_whitespace` sees it in ASCII).
fn fold_words(text: &str, folded: &mut Vec<u8>, starts: &mut Vec<usize>) {
    if !text.is_ascii() {
        let mut word = String::new();
        for w in text.split_whitespace() {
            word.clear();
            crate::transcript::text::fold_alnum(w, &mut word);
            if !word.is_empty() {
                starts.push(folded.len());
                folded.extend_from_slice(word.as_bytes());
                folded.push(b' ');
            }
        }
        return;
    }
    let mut open = false;
    for &b in text.as_bytes() {
        if matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) {
            if open {
                folded.push(b' ');
                open = false;
            }
        } else if b.is_ascii_alphanumeric() {
            if !open {
                starts.push(folded.len());
                open = true;
            }
            folded.push(b.to_ascii_lowercase());
        }
    }
    if open {
        folded.push(b' ');
    }
}

/// The `SKETCH` smallest distinct values offered, ascending. Most values are above the
/// largest kept once it is full, and are turned away by one comparison.
#[derive(Default)]
struct Smallest(Vec<u64>);

impl Smallest {
    fn offer(&mut self, h: u64) {
        let full = self.0.len() >= SKETCH;
        if full && self.0.last().is_some_and(|&max| h >= max) {
            return;
        }
        if let Err(at) = self.0.binary_search(&h) {
            self.0.insert(at, h);
            if self.0.len() > SKETCH {
                self.0.pop();
            }
        }
    }
}

/// FNV-1a over the words, each followed by a space: stable across runs and builds
/// (sketches live in the manifest).
fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The estimated share of word triples two calls have in common.
pub fn similarity(a: &[u64], b: &[u64]) -> f64 {
    let union: BTreeSet<u64> = a.iter().chain(b).copied().collect();
    let union: Vec<u64> = union.into_iter().take(SKETCH).collect();
    if union.is_empty() {
        return 0.0;
    }
    let (sa, sb): (BTreeSet<&u64>, BTreeSet<&u64>) = (a.iter().collect(), b.iter().collect());
    let both = union
        .iter()
        .filter(|h| sa.contains(h) && sb.contains(h))
        .count();
    both as f64 / union.len() as f64
}

/// One call as the duplicate check sees it.
pub struct Candidate<'a> {
    pub path: &'a str,
    pub group: &'a str,
    pub date: &'a str,
    pub sketch: &'a [u64],
    /// Participants listed with a firm or a role: the richer attribution is kept.
    pub attribution: u32,
    /// Words: of two copies equally attributed, the fuller is kept.
    pub words: u64,
}

impl<'a> Candidate<'a> {
    /// The call a file's survey describes.
    pub fn of(path: &'a str, c: &'a crate::transcript::identity::CallPeople) -> Self {
        Candidate {
            path,
            group: c.group.as_deref().unwrap_or(""),
            date: c.date.as_deref().unwrap_or(""),
            sketch: &c.sketch,
            attribution: c.attribution,
            words: c.words,
        }
    }
}

/// For each call that another file also holds: the file kept (the richer attribution,
/// then the fuller text, then the first path in sorted order). Only calls of one company on one date compare.
pub fn duplicates(calls: &[Candidate]) -> BTreeMap<String, String> {
    let mut by_day: BTreeMap<(&str, &str), Vec<&Candidate>> = BTreeMap::new();
    for c in calls
        .iter()
        .filter(|c| !c.group.is_empty() && !c.date.is_empty())
    {
        by_day.entry((c.group, c.date)).or_default().push(c);
    }
    let mut out = BTreeMap::new();
    for mut same_day in by_day.into_values().filter(|v| v.len() > 1) {
        same_day.sort_by(|a, b| {
            (b.attribution.cmp(&a.attribution))
                .then(b.words.cmp(&a.words))
                .then(a.path.cmp(b.path))
        });
        let mut kept: Vec<&Candidate> = Vec::new();
        for c in same_day {
            match kept.iter().find(|k| similarity(k.sketch, c.sketch) >= SAME) {
                Some(k) => {
                    out.insert(c.path.to_string(), k.path.to_string());
                }
                None => kept.push(c),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::model::Turn;

    fn call(paragraphs: &[&str]) -> Transcript {
        let mut t = Transcript::new("test");
        let mut turn = Turn::new("A", None, None);
        turn.paragraphs = paragraphs.iter().map(|p| p.to_string()).collect();
        t.turns.push(turn);
        t
    }

    /// The sketch as first written (a string per word): manifests hold its hashes, so
    /// the faster one must give the very same.
    fn sketch_as_first_written(t: &Transcript) -> Vec<u64> {
        let words: Vec<String> = (t.turns.iter())
            .flat_map(|turn| &turn.paragraphs)
            .flat_map(|p| p.split_whitespace())
            .map(|w| {
                (w.chars().filter(|c| c.is_alphanumeric()))
                    .flat_map(char::to_lowercase)
                    .collect::<String>()
            })
            .filter(|w| !w.is_empty())
            .collect();
        let mut all: Vec<u64> = (words.windows(3))
            .map(|t| fnv(format!("{} {} {} ", t[0], t[1], t[2]).as_bytes()))
            .collect();
        all.sort_unstable();
        all.dedup();
        all.truncate(SKETCH);
        all
    }

    #[test]
    fn sketches_keep_the_hashes_manifests_hold() {
        let text = std::fs::read_to_string(
            "tests/fixtures/seekingalpha/psx-2018-q4-junk-first-line-company-participants.txt",
        );
        let text = text.unwrap_or_default();
        let paragraphs: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        assert!(paragraphs.len() > 50, "fixture missing");
        let mut odd = paragraphs.clone();
        odd.extend([
            "Crédit Suisse — ÉTATS-UNIS ... 12.5%",
            "a b",
            "- -- ---",
            "x",
            "tab\tvertical\x0btab\r\nform\x0cfeed -.- end.",
        ]);
        for t in [call(&paragraphs), call(&odd), call(&["one two"]), call(&[])] {
            assert_eq!(sketch(&t), sketch_as_first_written(&t));
        }
    }

    #[test]
    fn one_call_in_two_layouts_is_one_call() {
        let a = call(&[
            "Thank you, operator. Good afternoon, everyone, and welcome to our fourth quarter call. Revenue grew 12% to $4.2 billion, driven by strong demand in cloud and services, and operating margin expanded by 150 basis points.",
        ]);
        let b = call(&[
            "Thank you operator. Good afternoon everyone and welcome to our fourth-quarter call. Revenue grew 12 percent to $4.2 billion, driven by strong demand in cloud and services and operating margin expanded by 150 basis points.",
        ]);
        let other = call(&[
            "Hello and welcome. Today we will discuss our results for the second quarter, including the impact of currency on our international segment and the outlook for next year's capital spending.",
        ]);
        let (sa, sb, so) = (sketch(&a), sketch(&b), sketch(&other));
        assert!(similarity(&sa, &sb) >= SAME, "{}", similarity(&sa, &sb));
        assert!(similarity(&sa, &so) < SAME);
        let calls = [
            Candidate {
                path: "sa/x.txt",
                group: "MSFT",
                date: "2018-01-31",
                sketch: &sa,
                attribution: 3,
                words: 1,
            },
            Candidate {
                path: "se/x.txt",
                group: "MSFT",
                date: "2018-01-31",
                sketch: &sb,
                attribution: 9,
                words: 1,
            },
            Candidate {
                path: "se/y.txt",
                group: "MSFT",
                date: "2018-01-31",
                sketch: &so,
                attribution: 9,
                words: 1,
            },
            Candidate {
                path: "se/z.txt",
                group: "AAPL",
                date: "2018-01-31",
                sketch: &sa,
                attribution: 9,
                words: 1,
            },
        ];
        let d = duplicates(&calls);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d["sa/x.txt"], "se/x.txt");
    }
}
