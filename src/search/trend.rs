//! Mentions over time: a query's matching calls and passages per calendar quarter,
//! calendar year or fiscal period, optionally one series per company, speaker, firm or
//! role class. Counted from fast columns (call key, date, period, series), never by
//! reading stored passages.

use std::collections::HashMap;

use rustc_hash::FxHashMap;
use std::time::Instant;

use tantivy::columnar::{Column, StrColumn};
use tantivy::query::Query;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::config::{TrendBy, TrendPlan};
use crate::error::Error;
use crate::index::fields::F;
use crate::index::keys::{dated, day_quarter, quarter_label};
use crate::search::block_values::BlockValues;
use crate::search::plain::Matched;
use crate::search::{Matching, matching};

/// What a trend found, ready to print.
#[derive(Debug)]
pub struct TrendResult {
    pub query: String,
    pub matched: Matched,
    pub by: TrendBy,
    /// The split's name (`company`), `None` for one series.
    pub split: Option<&'static str>,
    /// Bucket labels in time order, from the first to the last with a match.
    pub buckets: Vec<String>,
    /// One series without a split; the top series by calls with one.
    pub series: Vec<Series>,
    /// Matching passages in all (the query's `total_hits`).
    pub total_hits: usize,
    /// Distinct calls with a match, in all.
    pub calls: usize,
    /// Series with a match before `--split-limit` was applied.
    pub distinct_series: usize,
    /// With a date filter: the calls it left out because they have no date.
    pub undated_left_out: Option<crate::search::undated::LeftOut>,
    pub elapsed_ms: f64,
}

/// One series: counts per bucket, in the order of [`TrendResult::buckets`].
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The company, speaker, firm or role class; `None` without a split.
    pub name: Option<String>,
    pub counts: Vec<BucketCount>,
    /// Matching calls without a date (under `--by quarter|year`) or without a fiscal
    /// period (under `--by period`).
    pub undated: BucketCount,
}

/// Counts for one bucket of one series.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct BucketCount {
    /// Distinct calls with a matching passage.
    pub calls: u64,
    /// Matching passages.
    pub passages: u64,
    /// Calls in the bucket under the same filters and series, whatever their text.
    pub calls_total: u64,
}

impl BucketCount {
    /// calls / calls_total, `None` when the bucket has no calls at all.
    pub fn share(&self) -> Option<f64> {
        (self.calls_total > 0).then(|| self.calls as f64 / self.calls_total as f64)
    }
}

/// A bucket's identity, ordered in time.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Bucket {
    /// A calendar quarter (year, 1..=4), a calendar year (year, 0), or a fiscal period
    /// that reads as `Qn YYYY` (year, n) or `FY YYYY` (year, 5).
    Time(i32, u8),
    /// A fiscal period of another form: after the rest, by name.
    Other(String),
    Undated,
}

/// Run the plan: the matching set as `query` counts it, then the calls per bucket.
pub fn trend(plan: &TrendPlan) -> Result<TrendResult, Error> {
    let start = Instant::now();
    trend_of(plan, matching(&plan.search)?, start)
}

/// [`trend`] over an index already open (the server's shared searcher).
pub fn trend_on(o: &crate::search::Opened, plan: &TrendPlan) -> Result<TrendResult, Error> {
    let start = Instant::now();
    trend_of(plan, crate::search::matching_on(o, &plan.search)?, start)
}

fn trend_of(plan: &TrendPlan, m: Matching, start: Instant) -> Result<TrendResult, Error> {
    let series_column = plan.split.map(|s| s.column());
    let counter = CallCounter {
        by: plan.by,
        series: series_column,
    };
    let hits = search(&m, &*m.counted, &counter, plan)?;
    let totals = search(&m, &*m.filtered, &counter, plan)?;
    let calls = {
        let mut all: Vec<u64> = hits.values().flat_map(|c| c.keys().copied()).collect();
        all.sort_unstable();
        all.dedup();
        all.len()
    };
    let hits = merge_series(hits);
    let totals = merge_series(totals);
    let mut ranked = rank_series(&hits);
    let distinct_series = ranked.len();
    if plan.split.is_some() {
        ranked.truncate(plan.split_limit);
    } else {
        ranked = vec![String::new()];
    }
    let buckets = bucket_range(&hits, &ranked, plan.by);
    let labels = buckets.iter().map(|b| label(b, plan.by)).collect();
    let series = (ranked.iter())
        .map(|name| Series {
            name: plan.split.is_some().then(|| name.clone()),
            counts: (buckets.iter())
                .map(|b| count(&hits, &totals, b, name))
                .collect(),
            undated: count(&hits, &totals, &Bucket::Undated, name),
        })
        .collect();
    Ok(TrendResult {
        query: plan.search.query.clone(),
        matched: m.matched,
        by: plan.by,
        split: series_column.map(|c| match c {
            F::RoleClass => "role",
            c => crate::search::facets::facet_name(c),
        }),
        buckets: labels,
        series,
        total_hits: m.total,
        calls,
        distinct_series,
        undated_left_out: m.undated_left_out,
        elapsed_ms: start.elapsed().as_secs_f64() * 1000.0,
    })
}

/// Passages per call, per (bucket, series).
// Fx, not SipHash: keys are call keys and buckets of the user's own index, hashed once
// per run of a call's passages (SipHash was 10 % of `trend margin`).
type CallCounts = FxHashMap<(Bucket, String), FxHashMap<u64, u64>>;

fn search(
    m: &Matching,
    query: &dyn Query,
    counter: &CallCounter,
    plan: &TrendPlan,
) -> Result<CallCounts, Error> {
    m.searcher
        .search(query, counter)
        .map_err(|e| crate::index::store::damaged(&plan.search.index_dir, &e.to_string()))
}

/// Series that differ only in case, accents or punctuation are one, under the
/// spelling with the most passages (as facets do).
fn merge_series(counts: CallCounts) -> CallCounts {
    let mut passages: HashMap<String, HashMap<String, u64>> = HashMap::new();
    for ((_, name), calls) in &counts {
        let n: u64 = calls.values().sum();
        *passages
            .entry(series_key(name))
            .or_default()
            .entry(name.clone())
            .or_insert(0) += n;
    }
    let shown: HashMap<String, String> = (passages.into_iter())
        .map(|(key, spellings)| {
            let best = (spellings.into_iter())
                .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
                .map(|(s, _)| s)
                .unwrap_or_default();
            (key, best)
        })
        .collect();
    let mut out = CallCounts::default();
    for ((bucket, name), calls) in counts {
        let name = shown[&series_key(&name)].clone();
        let into = out.entry((bucket, name)).or_default();
        for (call, n) in calls {
            *into.entry(call).or_insert(0) += n;
        }
    }
    out
}

fn series_key(name: &str) -> String {
    crate::transcript::people::key(name)
}

/// Series names by distinct matching calls, most first, ties by name.
fn rank_series(hits: &CallCounts) -> Vec<String> {
    let mut calls: HashMap<&str, Vec<u64>> = HashMap::new();
    for ((_, name), c) in hits {
        calls.entry(name).or_default().extend(c.keys());
    }
    let mut ranked: Vec<(String, usize)> = (calls.into_iter())
        .map(|(name, mut c)| {
            c.sort_unstable();
            c.dedup();
            (name.to_string(), c.len())
        })
        .collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked.into_iter().map(|(name, _)| name).collect()
}

/// Every bucket from the first to the last with a match in a shown series.
fn bucket_range(hits: &CallCounts, series: &[String], by: TrendBy) -> Vec<Bucket> {
    let mut seen: Vec<&Bucket> = (hits.keys())
        .filter(|(b, name)| *b != Bucket::Undated && series.contains(name))
        .map(|(b, _)| b)
        .collect();
    seen.sort();
    seen.dedup();
    let times: Vec<(i32, u8)> = (seen.iter())
        .filter_map(|b| match b {
            Bucket::Time(y, q) => Some((*y, *q)),
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    if let (Some(&first), Some(&last)) = (times.first(), times.last()) {
        let mut at = first;
        while at <= last {
            out.push(Bucket::Time(at.0, at.1));
            at = next(at, by, &times);
        }
    }
    out.extend(
        seen.into_iter()
            .filter(|b| matches!(b, Bucket::Other(_)))
            .cloned(),
    );
    out
}

/// The bucket after `at`: the next quarter or year; for fiscal periods the next quarter,
/// with a fiscal year's `FY` bucket after its Q4 only when some call has one.
fn next(at: (i32, u8), by: TrendBy, seen: &[(i32, u8)]) -> (i32, u8) {
    match (by, at.1) {
        (TrendBy::Year, _) => (at.0 + 1, 0),
        (TrendBy::Period, 4) if seen.contains(&(at.0, 5)) => (at.0, 5),
        (_, q) if q >= 4 => (at.0 + 1, 1),
        (_, q) => (at.0, q + 1),
    }
}

fn label(b: &Bucket, by: TrendBy) -> String {
    match (b, by) {
        (Bucket::Time(y, q), TrendBy::Quarter) => quarter_label((*y, *q)),
        (Bucket::Time(y, _), TrendBy::Year) => y.to_string(),
        (Bucket::Time(y, 5), TrendBy::Period) => format!("FY {y}"),
        (Bucket::Time(y, q), TrendBy::Period) => format!("Q{q} {y}"),
        (Bucket::Other(s), _) => s.clone(),
        (Bucket::Undated, _) => "undated".to_string(),
    }
}

fn count(hits: &CallCounts, totals: &CallCounts, b: &Bucket, series: &str) -> BucketCount {
    let key = (b.clone(), series.to_string());
    let hit = hits.get(&key);
    BucketCount {
        calls: hit.map_or(0, |c| c.len() as u64),
        passages: hit.map_or(0, |c| c.values().sum()),
        calls_total: totals.get(&key).map_or(0, |c| c.len() as u64),
    }
}

/// A fiscal period as a time bucket: `Q2 2011` is (2011, 2), `FY 2011` (2011, 5).
fn period_bucket(period: &str) -> Bucket {
    let words: Vec<&str> = period.split_whitespace().collect();
    let year = words.iter().rev().find_map(|w| {
        (w.len() == 4)
            .then(|| w.parse::<i32>().ok())
            .flatten()
            .filter(|y| (1900..=2200).contains(y))
    });
    let part = words.first().map(|w| w.to_ascii_uppercase());
    match (part.as_deref(), year) {
        (Some("Q1"), Some(y)) => Bucket::Time(y, 1),
        (Some("Q2"), Some(y)) => Bucket::Time(y, 2),
        (Some("Q3"), Some(y)) => Bucket::Time(y, 3),
        (Some("Q4"), Some(y)) => Bucket::Time(y, 4),
        (Some("FY"), Some(y)) => Bucket::Time(y, 5),
        _ => Bucket::Other(period.to_string()),
    }
}

/// Counts passages per call per (bucket, series) over the matching documents, from
/// fast columns.
struct CallCounter {
    by: TrendBy,
    series: Option<F>,
}

/// Within a segment: bucket and series as column values (ordinals, days), resolved to
/// names once at harvest.
struct SegmentCalls {
    by: TrendBy,
    call: Option<Column<u64>>,
    date: Option<Column<tantivy::DateTime>>,
    period: Option<StrColumn>,
    series: Option<StrColumn>,
    /// The run of consecutive documents of one call (a call's passages are adjacent):
    /// its key, raw bucket, series ordinal and passages so far.
    run: Option<(u64, u64, u64, u64)>,
    counts: FxHashMap<(u64, u64), FxHashMap<u64, u64>>,
    block: BlockValues,
}

/// A raw bucket for "no date" or "no period", and a raw series for "no value".
const NONE: u64 = u64::MAX;

impl tantivy::collector::Collector for CallCounter {
    type Fruit = CallCounts;
    type Child = SegmentCalls;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let ff = reader.fast_fields();
        Ok(SegmentCalls {
            by: self.by,
            call: ff.u64(F::CallKey.name()).ok(),
            date: ff.date(F::Date.name()).ok(),
            period: ff.str(F::PeriodFacet.name())?,
            series: match self.series {
                Some(f) => ff.str(f.name())?,
                None => None,
            },
            run: None,
            counts: FxHashMap::default(),
            block: BlockValues::default(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<CallCounts>) -> tantivy::Result<CallCounts> {
        let mut total = CallCounts::default();
        for fruit in fruits {
            for (key, calls) in fruit {
                let into = total.entry(key).or_default();
                for (call, n) in calls {
                    *into.entry(call).or_insert(0) += n;
                }
            }
        }
        Ok(total)
    }
}

impl SegmentCalls {
    fn raw_bucket(&self, doc: DocId) -> u64 {
        match self.by {
            TrendBy::Period => (self.period.as_ref())
                .and_then(|c| c.term_ords(doc).next())
                .unwrap_or(NONE),
            TrendBy::Quarter | TrendBy::Year => (self.date.as_ref())
                .and_then(|c| c.first(doc))
                .and_then(dated)
                .map_or(NONE, |d| d.into_timestamp_secs().div_euclid(86_400) as u64),
        }
    }

    fn raw_series(&self, doc: DocId) -> u64 {
        (self.series.as_ref())
            .and_then(|c| c.term_ords(doc).next())
            .unwrap_or(NONE)
    }

    fn flush(&mut self) {
        if let Some((call, bucket, series, n)) = self.run.take() {
            *self
                .counts
                .entry((bucket, series))
                .or_default()
                .entry(call)
                .or_insert(0) += n;
        }
    }

    fn bucket(&self, raw: u64) -> Bucket {
        if raw == NONE {
            return Bucket::Undated;
        }
        match self.by {
            TrendBy::Period => {
                let mut s = String::new();
                match self.period.as_ref().map(|c| c.ord_to_str(raw, &mut s)) {
                    Some(Ok(true)) => period_bucket(&s),
                    _ => Bucket::Undated,
                }
            }
            TrendBy::Quarter => {
                let (y, q) = day_quarter(raw as i64 * 86_400);
                Bucket::Time(y, q)
            }
            TrendBy::Year => Bucket::Time(day_quarter(raw as i64 * 86_400).0, 0),
        }
    }

    fn series_name(&self, raw: u64) -> String {
        let Some(column) = &self.series else {
            return String::new();
        };
        let mut s = String::new();
        match raw != NONE && matches!(column.ord_to_str(raw, &mut s), Ok(true)) {
            true => s,
            false => "(none)".to_string(),
        }
    }
}

impl tantivy::collector::SegmentCollector for SegmentCalls {
    type Fruit = CallCounts;

    fn collect(&mut self, doc: DocId, _: Score) {
        let call = self.call.as_ref().and_then(|c| c.first(doc)).unwrap_or(0);
        self.add(doc, call);
    }

    /// Unscored matches come in blocks: their call keys are read in one batch.
    fn collect_block(&mut self, docs: &[DocId]) {
        let mut block = std::mem::take(&mut self.block);
        match self.call.as_ref().and_then(|c| block.read(c, docs)) {
            Some(calls) => (docs.iter().zip(calls)).for_each(|(&doc, &call)| self.add(doc, call)),
            // Some matches have no call key: one at a time.
            None => docs.iter().for_each(|&doc| self.collect(doc, 0.0)),
        }
        self.block = block;
    }

    fn harvest(mut self) -> CallCounts {
        self.flush();
        let mut out = CallCounts::default();
        let counts = std::mem::take(&mut self.counts);
        for ((bucket, series), calls) in counts {
            let key = (self.bucket(bucket), self.series_name(series));
            let into = out.entry(key).or_default();
            for (call, n) in calls {
                *into.entry(call).or_insert(0) += n;
            }
        }
        out
    }
}

impl SegmentCalls {
    /// One match of call `call`: it extends the current run or starts the next.
    fn add(&mut self, doc: DocId, call: u64) {
        let series = self.raw_series(doc);
        if let Some((c, _, s, n)) = &mut self.run
            && *c == call
            && *s == series
        {
            *n += 1;
            return;
        }
        self.flush();
        self.run = Some((call, self.raw_bucket(doc), series, 1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fiscal_periods_order_by_year_then_quarter() {
        let mut b = [
            period_bucket("Q1 2020"),
            period_bucket("FY 2019"),
            period_bucket("Q4 2019"),
            period_bucket("Q2 2011"),
            period_bucket("H1 2020"),
        ];
        b.sort();
        let labels: Vec<String> = b.iter().map(|b| label(b, TrendBy::Period)).collect();
        assert_eq!(
            labels,
            ["Q2 2011", "Q4 2019", "FY 2019", "Q1 2020", "H1 2020"]
        );
    }

    #[test]
    fn quarters_fill_the_gaps_between_matches() {
        let seen = [(2019, 3), (2020, 2)];
        let mut at = seen[0];
        let mut out = vec![];
        while at <= seen[1] {
            out.push(quarter_label(at));
            at = next(at, TrendBy::Quarter, &seen);
        }
        assert_eq!(out, ["2019-Q3", "2019-Q4", "2020-Q1", "2020-Q2"]);
    }
}
