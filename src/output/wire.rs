//! Wire types: every object callsearch prints as JSON, defined once and shared by
//! `query --json`, `index --json`, `export` and the web API.
//!
//! A passage has one shape, [`PassageOut`], in `query --json` hits and in every
//! `export` format alike; [`PASSAGE_COLUMNS`] names its members and their types for the
//! tabular formats (CSV, Parquet) and the engine configs.

use serde::Serialize;

use crate::index::IndexReport;
use crate::index::keys::{parse_day, quarter_of, year_of};
use crate::search::Hit;
use crate::search::facets::FacetCounts;
use crate::search::trend::BucketCount;
use crate::transcript::model::{Passage, QuestionRef, RoleClass, Section};

/// One line of JSON Lines output, tagged by `type`. Built and written one at a time,
/// so the size difference between variants costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Message<'a> {
    Hit(HitOut<'a>),
    Facet(FacetOut<'a>),
    Summary(SummaryOut<'a>),
    Index(IndexOut<'a>),
    /// `trend`: one bucket of one series.
    Bucket(BucketOut<'a>),
    /// `trend`: the matching calls of one series without a date (or fiscal period).
    Undated(UndatedOut<'a>),
    /// `trend`: the last line.
    #[serde(rename = "summary")]
    TrendSummary(TrendSummaryOut<'a>),
}

/// A passage and its call, as every output shows it.
#[derive(Serialize)]
pub struct PassageOut<'a> {
    pub passage_id: &'a str,
    pub call_id: &'a str,
    pub ticker: &'a Option<String>,
    /// The archive's one name for the company; `company_raw` as this file names it.
    pub company: &'a Option<String>,
    pub company_raw: &'a Option<String>,
    pub event: &'a Option<String>,
    /// `YYYY-MM-DD`.
    pub date: &'a Option<String>,
    /// The calendar year and quarter of `date` (`2019`, `2019-Q1`).
    pub year: Option<u64>,
    pub quarter: Option<String>,
    pub fiscal_period: &'a Option<String>,
    pub section: Section,
    /// The person's canonical name; `speaker_raw` as this call lists it.
    pub speaker: &'a str,
    pub speaker_raw: &'a str,
    /// The canonical firm (broker table, suffixes stripped); `firm_raw` as listed.
    pub firm: Option<&'a str>,
    pub firm_raw: &'a Option<String>,
    /// The same as `firm` (kept for readers of schema 7 output).
    pub firm_norm: &'a Option<String>,
    pub role: &'a Option<String>,
    pub role_class: RoleClass,
    pub titles: &'a [String],
    pub turn: u64,
    pub paragraph: u64,
    pub text: &'a str,
    pub boilerplate: bool,
    /// For an answer in the Q&A: who asked the question it follows, their firm, and the
    /// question's turn (`null` otherwise).
    pub asked_by: Option<&'a str>,
    pub asked_by_firm: Option<&'a str>,
    pub question_turn: Option<u64>,
    /// For a question: who answered it, in order (`[]` otherwise).
    pub answered_by: &'a [String],
    pub source: &'a str,
    /// The file name's bytes in hex, only when the name is not UTF-8.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_bytes: Option<&'a str>,
    pub format: &'a str,
    /// `pdf`, `gzip` (later `csv`, `jsonl`, `parquet`), or null.
    pub container: &'a Option<String>,
}

/// How a [`PassageOut`] member is typed, for tabular formats and engine configs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// A string, never null.
    Text,
    /// A string or null.
    OptText,
    /// `YYYY-MM-DD` or null.
    OptDate,
    /// A whole number, never null.
    Int,
    /// A whole number or null.
    OptInt,
    Bool,
    /// A list of strings (`; `-joined in CSV).
    List,
}

/// Every member of [`PassageOut`], in order, with its type.
pub const PASSAGE_COLUMNS: &[(&str, ColumnType)] = {
    use ColumnType::*;
    &[
        ("passage_id", Text),
        ("call_id", Text),
        ("ticker", OptText),
        ("company", OptText),
        ("company_raw", OptText),
        ("event", OptText),
        ("date", OptDate),
        ("year", OptInt),
        ("quarter", OptText),
        ("fiscal_period", OptText),
        ("section", Text),
        ("speaker", Text),
        ("speaker_raw", Text),
        ("firm", OptText),
        ("firm_raw", OptText),
        ("firm_norm", OptText),
        ("role", OptText),
        ("role_class", Text),
        ("titles", List),
        ("turn", Int),
        ("paragraph", Int),
        ("text", Text),
        ("boilerplate", Bool),
        ("asked_by", OptText),
        ("asked_by_firm", OptText),
        ("question_turn", OptInt),
        ("answered_by", List),
        ("source", Text),
        ("format", Text),
        ("container", OptText),
    ]
};

impl<'a> PassageOut<'a> {
    pub fn new(p: &'a Passage) -> Self {
        let q = p.question.as_ref();
        let day = p.date.as_deref().and_then(parse_day);
        PassageOut {
            passage_id: &p.passage_id,
            call_id: &p.call_id,
            ticker: &p.ticker,
            company: &p.company,
            company_raw: &p.company_raw,
            event: &p.event,
            date: &p.date,
            year: day.map(|_| u64::from(year_of(p.date.as_deref()))),
            quarter: p.date.as_deref().and_then(quarter_of),
            fiscal_period: &p.fiscal_period,
            section: p.section,
            speaker: &p.speaker,
            speaker_raw: if p.speaker_raw.is_empty() {
                &p.speaker
            } else {
                &p.speaker_raw
            },
            firm: p.firm_norm.as_deref().or(p.firm.as_deref()),
            firm_raw: &p.firm,
            firm_norm: &p.firm_norm,
            role: &p.role,
            role_class: p.role_class,
            titles: &p.titles,
            turn: p.turn,
            paragraph: p.paragraph,
            text: &p.text,
            boilerplate: p.boilerplate,
            asked_by: q.map(|q| q.speaker.as_str()),
            asked_by_firm: q.and_then(|q| q.firm.as_deref()),
            question_turn: q.map(|q| q.turn),
            answered_by: &p.answered_by,
            source: &p.source,
            source_bytes: p.source_bytes.as_deref(),
            format: &p.format,
            container: &p.container,
        }
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
    /// Ranked passages skipped before the first hit returned (`--offset`, `page`).
    pub offset: usize,
    pub returned: usize,
    /// With `--since`/`--until`: the matching calls left out because they have no
    /// date (`null` without a date filter).
    pub undated_left_out: Option<LeftOutOut>,
    pub elapsed_ms: f64,
}

/// Calls a date filter left out because they have no date, and their passages.
#[derive(Serialize)]
pub struct LeftOutOut {
    pub calls: u64,
    pub passages: u64,
}

impl LeftOutOut {
    pub fn new(l: Option<crate::search::undated::LeftOut>) -> Option<Self> {
        l.map(|l| LeftOutOut {
            calls: l.calls,
            passages: l.passages,
        })
    }
}

impl<'a> SummaryOut<'a> {
    /// The summary of a search that returned `returned` hits.
    pub fn new(r: &'a crate::search::SearchResult, returned: usize) -> Self {
        SummaryOut {
            query: &r.query,
            matched: r.matched.describe(),
            also_matched: &r.also_matched,
            did_you_mean: Suggestion::all(&r.did_you_mean),
            total_hits: r.total_hits,
            offset: r.offset,
            returned,
            undated_left_out: LeftOutOut::new(r.undated_left_out),
            elapsed_ms: round3(r.elapsed_ms),
        }
    }
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
    /// Unchanged files written again because a canonical name in them, or which copy
    /// of a call they hold is kept, changed.
    pub renamed: usize,
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
            renamed: r.renamed,
            passages: r.passages,
            bytes: r.bytes,
            elapsed_ms: r.elapsed.as_millis() as u64,
        }
    }
}

/// `report --json`: the figures per layout, and the merges a user can check.
#[derive(Serialize)]
pub struct ReportOut<'a> {
    pub layouts: &'a std::collections::BTreeMap<String, crate::transcript::audit::LayoutStats>,
    pub merges: &'a crate::transcript::merges::Merges,
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

/// One bucket of a `trend` series.
#[derive(Serialize)]
pub struct BucketOut<'a> {
    pub bucket: &'a str,
    /// The company, speaker, firm or role class; `null` without `--split`.
    pub series: Option<&'a str>,
    pub calls: u64,
    pub passages: u64,
    pub calls_total: u64,
    /// calls / calls_total to three decimals; `null` when calls_total is 0.
    pub share: Option<f64>,
}

impl<'a> BucketOut<'a> {
    pub fn new(bucket: &'a str, series: Option<&'a str>, c: &BucketCount) -> Self {
        BucketOut {
            bucket,
            series,
            calls: c.calls,
            passages: c.passages,
            calls_total: c.calls_total,
            share: c.share().map(round3),
        }
    }
}

/// Matching calls of a `trend` series that have no date (no fiscal period under
/// `--by period`), so fall in no bucket.
#[derive(Serialize)]
pub struct UndatedOut<'a> {
    pub series: Option<&'a str>,
    pub calls: u64,
    pub passages: u64,
}

/// The last line of `trend --json`.
#[derive(Serialize)]
pub struct TrendSummaryOut<'a> {
    pub query: &'a str,
    /// The set counted, as in `query`'s summary (`all words`, `query syntax`, ...).
    pub matched: String,
    /// `quarter`, `year` or `period`.
    pub by: &'a str,
    /// `company`, `speaker`, `firm`, `role`, or `null`.
    pub split: Option<&'a str>,
    /// The series shown, in order (`[]` without `--split`).
    pub series: Vec<&'a str>,
    /// Series with a match before `--split-limit`.
    pub distinct_series: usize,
    pub buckets: usize,
    /// Matching passages (the query's `total_hits`) and distinct calls, in all.
    pub total_hits: usize,
    pub calls: usize,
    /// With `--since`/`--until`: the matching calls left out because they have no
    /// date (`null` without a date filter).
    pub undated_left_out: Option<LeftOutOut>,
    pub elapsed_ms: f64,
}

/// `GET /api/search`: the objects `query --json` prints, gathered into one.
#[derive(Serialize)]
pub struct ApiSearch<'a> {
    pub summary: Message<'a>,
    pub hits: Vec<Message<'a>>,
    pub facets: Vec<Message<'a>>,
}

/// `GET /api/trend`: the objects `trend --json` prints, gathered into one.
#[derive(Serialize)]
pub struct ApiTrend<'a> {
    pub summary: Message<'a>,
    pub buckets: Vec<Message<'a>>,
    pub undated: Vec<Message<'a>>,
}

/// A web API error: the CLI's message for the same mistake.
#[derive(Serialize)]
pub struct ApiError<'a> {
    pub error: &'a str,
}

/// Scores and timings are printed to three decimals.
pub fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passage_columns_name_every_member_in_order() {
        let p: Passage = serde_json::from_value(serde_json::json!({
            "passage_id": "a-1-1", "call_id": "a", "source": "s", "format": "f",
            "ticker": null, "company": null, "event": null, "fiscal_period": null,
            "date": "2019-02-03", "section": "qa", "speaker": "x", "firm": null,
            "firm_norm": null, "role": null, "role_class": "analyst", "titles": [],
            "turn": 1, "paragraph": 1, "text": "t", "boilerplate": false,
            "question": null, "answered_by": []
        }))
        .unwrap();
        let v = serde_json::to_value(PassageOut::new(&p)).unwrap();
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        let names: Vec<&str> = PASSAGE_COLUMNS.iter().map(|(n, _)| *n).collect();
        assert_eq!(keys, names);
        assert_eq!(v["quarter"], "2019-Q1");
        assert_eq!(v["year"], 2019);
    }
}
