//! Calls a date filter (`--since`/`--until`) leaves out because they have no date: the
//! rest of the query over the passages without a date, counted from the call-key
//! column (a facet-like count, never a read of stored passages).

use std::collections::HashSet;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader, Term};

use crate::config::Filters;
use crate::error::Error;
use crate::index::fields::{F, Fields};
use crate::index::keys::undated_day;
use crate::search::query::with_filters;

/// What a date filter left out: matching calls without a date, and their passages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LeftOut {
    pub calls: u64,
    pub passages: u64,
}

impl LeftOut {
    /// The stderr line (`note: --since left out 99 undated calls (1204 passages)`), or
    /// `None` when nothing was left out.
    pub fn note(&self, filters: &Filters) -> Option<String> {
        if self.calls == 0 {
            return None;
        }
        let flags = match (&filters.since, &filters.until) {
            (Some(_), Some(_)) => "--since/--until",
            (Some(_), None) => "--since",
            _ => "--until",
        };
        let calls = plural(self.calls, "undated call", "undated calls");
        let passages = plural(self.passages, "passage", "passages");
        Some(format!("note: {flags} left out {calls} ({passages})"))
    }
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// With a date filter: the calls and passages that match `user` and every other filter
/// but have no date; `None` without a date filter.
pub fn left_out(
    index: &tantivy::Index,
    fields: &Fields,
    searcher: &tantivy::Searcher,
    user: &dyn Query,
    filters: &Filters,
) -> Result<Option<LeftOut>, Error> {
    if filters.since.is_none() && filters.until.is_none() {
        return Ok(None);
    }
    let without_dates = Filters {
        since: None,
        until: None,
        ..filters.clone()
    };
    let rest = with_filters(index, fields, user.box_clone(), &without_dates)?;
    let no_date = Term::from_field_date(fields[F::Date], undated_day());
    let no_date = TermQuery::new(no_date, IndexRecordOption::Basic);
    let undated = BooleanQuery::new(vec![(Occur::Must, rest), (Occur::Must, Box::new(no_date))]);
    let (calls, passages) = searcher.search(&undated, &DistinctCalls)?;
    Ok(Some(LeftOut {
        calls: calls.len() as u64,
        passages,
    }))
}

/// Distinct call keys of the matching passages, and the number of passages.
struct DistinctCalls;

struct SegmentCalls {
    column: Option<Column<u64>>,
    calls: HashSet<u64>,
    passages: u64,
}

impl Collector for DistinctCalls {
    type Fruit = (HashSet<u64>, u64);
    type Child = SegmentCalls;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        Ok(SegmentCalls {
            column: reader.fast_fields().u64(F::CallKey.name()).ok(),
            calls: HashSet::new(),
            passages: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        let mut all = (HashSet::new(), 0);
        for (calls, passages) in fruits {
            all.0.extend(calls);
            all.1 += passages;
        }
        Ok(all)
    }
}

impl SegmentCollector for SegmentCalls {
    type Fruit = (HashSet<u64>, u64);

    fn collect(&mut self, doc: DocId, _: Score) {
        self.passages += 1;
        if let Some(key) = self.column.as_ref().and_then(|c| c.first(doc)) {
            self.calls.insert(key);
        }
    }

    fn harvest(self) -> Self::Fruit {
        (self.calls, self.passages)
    }
}
