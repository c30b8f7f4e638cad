//! Wire types: every object callsearch prints as JSON, defined once and shared by
//! `query --json`, `index --json`, `export` and the web API.
//!
//! A passage has one shape, [`PassageOut`]; the two places that differ on purpose are
//! named adapters on it: [`PassageOut::for_engines`] (RFC 3339 date, no `answered_by`)
//! and [`ExportOut`] (the question flattened, the year added).

use std::borrow::Cow;

use serde::Serialize;

use crate::index::IndexReport;
use crate::search::Hit;
use crate::search::facets::FacetCounts;
use crate::transcript::model::{Passage, QuestionRef, RoleClass, Section};

/// One line of JSON Lines output, tagged by `type`.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Message<'a> {
    Hit(HitOut<'a>),
    Facet(FacetOut<'a>),
    Summary(SummaryOut<'a>),
    Index(IndexOut<'a>),
}

/// A passage and its call, as every output shows it.
#[derive(Serialize)]
pub struct PassageOut<'a> {
    pub passage_id: &'a str,
    pub call_id: &'a str,
    pub ticker: &'a Option<String>,
    pub company: &'a Option<String>,
    pub event: &'a Option<String>,
    /// `YYYY-MM-DD` (`YYYY-MM-DDT00:00:00Z` for engines).
    pub date: Option<Cow<'a, str>>,
    pub fiscal_period: &'a Option<String>,
    pub section: Section,
    pub speaker: &'a str,
    pub firm: &'a Option<String>,
    pub firm_norm: &'a Option<String>,
    pub role: &'a Option<String>,
    pub role_class: RoleClass,
    pub titles: &'a [String],
    pub turn: u64,
    pub paragraph: u64,
    pub text: &'a str,
    pub boilerplate: bool,
    /// For a question: who answered it (left out for engines).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answered_by: Option<&'a [String]>,
    pub source: &'a str,
    pub format: &'a str,
    /// `pdf`, `gzip` (later `csv`, `jsonl`, `parquet`), or null.
    pub container: &'a Option<String>,
}

impl<'a> PassageOut<'a> {
    pub fn new(p: &'a Passage) -> Self {
        PassageOut {
            passage_id: &p.passage_id,
            call_id: &p.call_id,
            ticker: &p.ticker,
            company: &p.company,
            event: &p.event,
            date: p.date.as_deref().map(Cow::Borrowed),
            fiscal_period: &p.fiscal_period,
            section: p.section,
            speaker: &p.speaker,
            firm: &p.firm,
            firm_norm: &p.firm_norm,
            role: &p.role,
            role_class: p.role_class,
            titles: &p.titles,
            turn: p.turn,
            paragraph: p.paragraph,
            text: &p.text,
            boilerplate: p.boilerplate,
            answered_by: Some(&p.answered_by),
            source: &p.source,
            format: &p.format,
            container: &p.container,
        }
    }

    /// Adapter for search engines: a full RFC 3339 date, and no `answered_by`.
    pub fn for_engines(mut self) -> Self {
        self.date = self.date.map(|d| Cow::Owned(format!("{d}T00:00:00Z")));
        self.answered_by = None;
        self
    }
}

/// A ranked passage from `query --json`.
#[derive(Serialize)]
pub struct HitOut<'a> {
    /// Rounded to three decimals.
    pub score: f64,
    #[serde(flatten)]
    pub passage: PassageOut<'a>,
    pub snippet: &'a str,
    /// Character (not byte) ranges of matched terms in `snippet`.
    pub highlights: Vec<[usize; 2]>,
    /// With `--with-question`: the question answered (`null` when none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub question: Option<Option<&'a QuestionRef>>,
    /// With `--context`: the paragraphs around the hit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<Vec<ContextOut<'a>>>,
}

impl<'a> HitOut<'a> {
    pub fn new(hit: &'a Hit, with_question: bool, with_context: bool) -> Self {
        let snippet = &hit.snippet.text;
        let chars = |byte: usize| snippet.get(..byte).map_or(0, |s| s.chars().count());
        HitOut {
            score: round3(f64::from(hit.score)),
            passage: PassageOut::new(&hit.passage),
            snippet,
            highlights: (hit.snippet.highlights.iter())
                .map(|r| [chars(r.start), chars(r.end)])
                .collect(),
            question: with_question.then_some(hit.passage.question.as_ref()),
            context: with_context.then(|| hit.context.iter().map(ContextOut::new).collect()),
        }
    }
}

/// A paragraph around a hit.
#[derive(Serialize)]
pub struct ContextOut<'a> {
    pub turn: u64,
    pub paragraph: u64,
    pub speaker: &'a str,
    pub text: &'a str,
}

impl<'a> ContextOut<'a> {
    fn new(p: &'a Passage) -> Self {
        ContextOut {
            turn: p.turn,
            paragraph: p.paragraph,
            speaker: &p.speaker,
            text: &p.text,
        }
    }
}

/// Counts for one facet, largest first.
#[derive(Serialize)]
pub struct FacetOut<'a> {
    pub field: &'a str,
    pub distinct: usize,
    pub counts: Vec<FacetValue<'a>>,
}

#[derive(Serialize)]
pub struct FacetValue<'a> {
    pub value: &'a str,
    pub count: u64,
}

impl<'a> FacetOut<'a> {
    pub fn new(f: &'a FacetCounts) -> Self {
        FacetOut {
            field: f.field,
            distinct: f.distinct,
            counts: (f.counts.iter())
                .map(|(value, count)| FacetValue {
                    value,
                    count: *count,
                })
                .collect(),
        }
    }
}

/// The last line of `query --json`.
#[derive(Serialize)]
pub struct SummaryOut<'a> {
    pub query: &'a str,
    /// The set `total_hits` and the facets count: `all words`, `at least 4 of 7 words`,
    /// `query syntax` or `every passage`.
    pub matched: String,
    /// Synonyms searched besides the words typed.
    pub also_matched: &'a [String],
    /// Typed words no passage holds, with the closest indexed word.
    pub did_you_mean: Vec<Suggestion<'a>>,
    pub total_hits: usize,
    pub returned: usize,
    pub elapsed_ms: f64,
}

/// A word no passage holds and the indexed word closest to it.
#[derive(Serialize)]
pub struct Suggestion<'a> {
    pub typed: &'a str,
    pub suggestion: &'a str,
}

impl<'a> Suggestion<'a> {
    pub fn all(pairs: &'a [(String, String)]) -> Vec<Suggestion<'a>> {
        (pairs.iter())
            .map(|(typed, suggestion)| Suggestion { typed, suggestion })
            .collect()
    }
}

/// The summary of an index run.
#[derive(Serialize)]
pub struct IndexOut<'a> {
    pub indexed: usize,
    pub unchanged: usize,
    pub removed: &'a [String],
    pub skipped: Vec<PathReason<'a>>,
    pub failed: Vec<PathReason<'a>>,
    pub duplicates: Vec<Duplicate<'a>>,
    pub passages: u64,
    pub bytes: u64,
    pub elapsed_ms: u64,
}

#[derive(Serialize)]
pub struct PathReason<'a> {
    pub path: &'a str,
    pub reason: &'a str,
}

#[derive(Serialize)]
pub struct Duplicate<'a> {
    pub path: &'a str,
    pub duplicate_of: &'a str,
}

impl<'a> IndexOut<'a> {
    pub fn new(r: &'a IndexReport) -> Self {
        let reasons = |v: &'a [(String, String)]| {
            v.iter()
                .map(|(path, reason)| PathReason { path, reason })
                .collect()
        };
        IndexOut {
            indexed: r.indexed,
            unchanged: r.unchanged,
            removed: &r.removed,
            skipped: reasons(&r.skipped),
            failed: reasons(&r.failed),
            duplicates: (r.duplicates.iter())
                .map(|(path, of)| Duplicate {
                    path,
                    duplicate_of: of,
                })
                .collect(),
            passages: r.passages,
            bytes: r.bytes,
            elapsed_ms: r.elapsed.as_millis() as u64,
        }
    }
}

/// One exported passage: the passage for engines, its question flattened, the year.
#[derive(Serialize)]
pub struct ExportOut<'a> {
    #[serde(flatten)]
    pub passage: PassageOut<'a>,
    pub year: Option<u64>,
    pub asked_by: Option<&'a str>,
    pub asked_by_firm: Option<&'a str>,
    pub question_turn: Option<u64>,
}

impl<'a> ExportOut<'a> {
    pub fn new(p: &'a Passage) -> Self {
        let q = p.question.as_ref();
        ExportOut {
            passage: PassageOut::new(p).for_engines(),
            year: (p.date.as_deref())
                .and_then(|d| d.get(..4))
                .and_then(|y| y.parse().ok()),
            asked_by: q.map(|q| q.speaker.as_str()),
            asked_by_firm: q.and_then(|q| q.firm.as_deref()),
            question_turn: q.map(|q| q.turn),
        }
    }
}

/// The action line before each passage of an OpenSearch `_bulk` body.
#[derive(Serialize)]
pub struct BulkAction<'a> {
    pub index: BulkTarget<'a>,
}

#[derive(Serialize)]
pub struct BulkTarget<'a> {
    pub _index: &'a str,
    pub _id: &'a str,
}

/// Scores and timings are printed to three decimals.
pub fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
