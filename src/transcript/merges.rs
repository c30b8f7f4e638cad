//! What `report` shows of the archive's merges, so a user can check them: the spellings
//! that became one person, firm (the broker list) and company, and the calls held by
//! two files (which copy is kept, which dropped, and why). Built as `index` builds its
//! names: duplicates first, then names from the calls kept.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::transcript::identity::{CallPeople, Identities, Merge, UserRules, survey};
use crate::transcript::model::{RoleClass, Transcript};
use crate::transcript::passages::call_fingerprint;
use crate::transcript::same_call::{Candidate, duplicates, similarity};

/// Every merge over one set of calls.
#[derive(Debug, Default, Serialize)]
pub struct Merges {
    /// Spellings of one person merged into one name: per company group, or `analysts`.
    pub people: Vec<Merge>,
    /// Names of one company merged into one, per company group.
    pub companies: Vec<Merge>,
    /// Every firm analysts speak for, most passages first, with the spellings merged.
    pub brokers: Vec<Broker>,
    /// Files whose call another file holds, in path order.
    pub duplicates: Vec<DuplicateCall>,
}

/// One firm as the firm facet shows it, and the spellings the calls list for it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Broker {
    pub firm: String,
    /// Analysts' passages under this firm.
    pub passages: u64,
    /// Each spelling as listed and its passages, most first.
    pub spellings: Vec<Spelling>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Spelling {
    pub spelling: String,
    pub passages: u64,
}

/// A call indexed once though two files hold it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DuplicateCall {
    /// The file left out.
    pub dropped: String,
    /// The file whose copy is indexed.
    pub kept: String,
    pub why: String,
}

/// The merges over `calls` (name as shown, parsed call), in path order, as `index`
/// makes them with the user's `rules` (an index folder's `people.txt`).
pub fn merges(calls: &[(&str, &Transcript)], rules: &UserRules) -> Merges {
    let surveyed: Vec<(&str, CallPeople)> =
        (calls.iter()).map(|(path, t)| (*path, survey(t))).collect();
    let mut dropped = same_calls(&surveyed);
    same_text(calls, &mut dropped);
    let kept: Vec<&CallPeople> = (surveyed.iter())
        .filter(|(p, _)| !dropped.contains_key(*p))
        .map(|(_, c)| c)
        .collect();
    let identities = Identities::build(kept, rules);
    let kept_calls = calls.iter().filter(|(p, _)| !dropped.contains_key(*p));
    Merges {
        people: identities.merges().to_vec(),
        companies: identities.company_merges().to_vec(),
        brokers: brokers(kept_calls.map(|(_, t)| *t)),
        duplicates: (dropped.into_iter())
            .map(|(dropped, (kept, why))| DuplicateCall {
                dropped: dropped.to_string(),
                kept: kept.to_string(),
                why,
            })
            .collect(),
    }
}

/// Dropped file -> (kept file, why).
type Dropped<'a> = BTreeMap<&'a str, (&'a str, String)>;

/// The same call in two layouts or from two publishers: company, date and content.
fn same_calls<'a>(surveyed: &[(&'a str, CallPeople)]) -> Dropped<'a> {
    let candidates: Vec<Candidate> = (surveyed.iter())
        .map(|(path, c)| Candidate::of(path, c))
        .collect();
    let by_path: HashMap<&str, &CallPeople> = surveyed.iter().map(|(p, c)| (*p, c)).collect();
    let mut out = Dropped::new();
    for (dropped, kept) in duplicates(&candidates) {
        let (Some((&d, dc)), Some((&k, kc))) = (
            by_path.get_key_value(dropped.as_str()),
            by_path.get_key_value(kept.as_str()),
        ) else {
            continue;
        };
        out.insert(d, (k, why_kept(dc, kc)));
    }
    out
}

/// Why the kept copy of one call won: as `same_call::duplicates` orders them.
fn why_kept(dropped: &CallPeople, kept: &CallPeople) -> String {
    let alike = (100.0 * similarity(&dropped.sketch, &kept.sketch)).round();
    let reason = if kept.attribution != dropped.attribution {
        format!(
            "richer participant list ({} firms and roles vs {})",
            kept.attribution, dropped.attribution
        )
    } else if kept.words != dropped.words {
        format!("fuller text ({} words vs {})", kept.words, dropped.words)
    } else {
        "first in path order".to_string()
    };
    format!("same company, date and content ({alike}% alike); kept: {reason}")
}

/// The same speech, word for word, in two files (an undated copy too): the first path
/// is kept.
fn same_text<'a>(calls: &[(&'a str, &Transcript)], dropped: &mut Dropped<'a>) {
    let mut first: HashMap<String, &'a str> = HashMap::new();
    for (path, t) in calls {
        if dropped.contains_key(path) {
            continue;
        }
        let kept = *first.entry(call_fingerprint(t)).or_insert(path);
        if kept != *path {
            let why = "the same speech word for word; kept: first in path order";
            dropped.insert(path, (kept, why.to_string()));
        }
    }
}

/// Analysts' firms: the canonical firm, its passages, and each spelling listed.
fn brokers<'a>(calls: impl Iterator<Item = &'a Transcript>) -> Vec<Broker> {
    let mut firms: BTreeMap<&str, BTreeMap<&str, u64>> = BTreeMap::new();
    for turn in calls
        .flat_map(|t| &t.turns)
        .filter(|turn| turn.role_class == RoleClass::Analyst)
    {
        let (Some(raw), Some(firm)) = (&turn.firm, turn.firm_norm.as_ref().or(turn.firm.as_ref()))
        else {
            continue;
        };
        *firms.entry(firm).or_default().entry(raw).or_insert(0) += turn.paragraphs.len() as u64;
    }
    let mut out: Vec<Broker> = (firms.into_iter())
        .map(|(firm, spellings)| {
            let mut spellings: Vec<Spelling> = (spellings.into_iter())
                .map(|(s, n)| Spelling {
                    spelling: s.to_string(),
                    passages: n,
                })
                .collect();
            spellings.sort_by(|a, b| {
                b.passages
                    .cmp(&a.passages)
                    .then(a.spelling.cmp(&b.spelling))
            });
            Broker {
                firm: firm.to_string(),
                passages: spellings.iter().map(|s| s.passages).sum(),
                spellings,
            }
        })
        .collect();
    out.sort_by(|a, b| b.passages.cmp(&a.passages).then(a.firm.cmp(&b.firm)));
    out
}
