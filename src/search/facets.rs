//! Facet counts: matching passages per value of a field, over the whole result set.

use rustc_hash::FxHashMap as HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::index::fields::{F, Kind};

/// Counts for one facet, largest first, ties by value.
#[derive(Debug, Clone, PartialEq)]
pub struct FacetCounts {
    pub field: &'static str,
    pub counts: Vec<(String, u64)>,
    /// Distinct values before the limit was applied.
    pub distinct: usize,
}

/// The collector of the requested facets, `None` when none is asked for; run it in the
/// pass that ranks or counts the matches (`rank::top_and`), then [`finish`] its counts.
pub fn counter(facets: &[F]) -> Option<ValueCounter> {
    (!facets.is_empty()).then(|| ValueCounter {
        columns: facets.to_vec(),
    })
}

/// Each requested facet's `limit` largest values from the counts [`counter`] collected.
pub fn finish(facets: &[F], counts: Option<Counts>, limit: usize) -> Vec<FacetCounts> {
    let Some(counts) = counts else {
        return Vec::new();
    };
    (facets.iter().zip(counts))
        .map(|(facet, counts)| top(facet_name(*facet), counts, limit))
        .collect()
}

/// The name a facet column is shown under (`speaker` for `speaker_facet`).
pub fn facet_name(column: F) -> &'static str {
    column.def().facet.unwrap_or(column.name())
}

fn top(field: &'static str, counts: HashMap<String, u64>, limit: usize) -> FacetCounts {
    let counts = merge_spellings(counts);
    let distinct = counts.len();
    let mut counts: Vec<(String, u64)> = counts.into_iter().collect();
    let order = |a: &(String, u64), b: &(String, u64)| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0));
    // The first `limit` of tens of thousands of speakers: select them, sort only those.
    if limit < counts.len() {
        counts.select_nth_unstable_by(limit, order);
        counts.truncate(limit);
    }
    counts.sort_by(order);
    FacetCounts {
        field,
        counts,
        distinct,
    }
}

/// Values that differ only in case, accents or punctuation (`Macy's` / `Macy’s`,
/// `Amazon.com` / `Amazon.Com`) are one value, shown in its most frequent spelling
/// (equal counts: the first in byte order).
pub fn merge_spellings(counts: impl IntoIterator<Item = (String, u64)>) -> HashMap<String, u64> {
    // Per spelling group: its shown spelling, that spelling's count, and the total.
    let mut groups: HashMap<String, (String, u64, u64)> = HashMap::default();
    for (value, n) in counts {
        let key = crate::transcript::people::key(&value);
        match groups.entry(key) {
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert((value, n, n));
            }
            std::collections::hash_map::Entry::Occupied(mut e) => {
                let (shown, shown_n, total) = e.get_mut();
                *total += n;
                if n > *shown_n || (n == *shown_n && value < *shown) {
                    (*shown, *shown_n) = (value, n);
                }
            }
        }
    }
    (groups.into_values())
        .map(|(shown, _, total)| (shown, total))
        .collect()
}

/// Counts the values of fast columns (text or u64) over matching documents, all
/// facets in one pass.
#[derive(Debug, Clone)]
pub struct ValueCounter {
    columns: Vec<F>,
}

enum SegmentColumn {
    Str(StrColumn),
    Num(Column<u64>),
    Missing,
}

/// Per-segment counts for one column: by term ordinal for text (a dense vector, no
/// hashing per document), by value for numbers (few distinct years).
struct ColumnCounter {
    column: SegmentColumn,
    tally: Tally,
}

struct Tally {
    by_ord: Vec<u32>,
    by_value: Vec<(u64, u64)>,
}

pub struct SegmentCounter {
    columns: Vec<ColumnCounter>,
    scratch: Scratch,
}

/// Buffers reused across blocks: the rows of a block's documents and their values.
#[derive(Default)]
struct Scratch {
    docs: Vec<DocId>,
    rows: Vec<u32>,
    values: Vec<u64>,
}

/// Per facet, matches by value.
pub type Counts = Vec<HashMap<String, u64>>;

impl Collector for ValueCounter {
    type Fruit = Counts;
    type Child = SegmentCounter;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentCounter> {
        let ff = reader.fast_fields();
        let mut columns = Vec::with_capacity(self.columns.len());
        for &field in &self.columns {
            let name = field.name();
            let column = if field.def().kind == Kind::Number {
                ff.u64(name)
                    .map_or(SegmentColumn::Missing, SegmentColumn::Num)
            } else {
                ff.str(name)?
                    .map_or(SegmentColumn::Missing, SegmentColumn::Str)
            };
            let terms = match &column {
                SegmentColumn::Str(c) => c.num_terms(),
                _ => 0,
            };
            columns.push(ColumnCounter {
                column,
                tally: Tally {
                    by_ord: vec![0; terms],
                    by_value: Vec::new(),
                },
            });
        }
        Ok(SegmentCounter {
            columns,
            scratch: Scratch::default(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Counts>) -> tantivy::Result<Counts> {
        let mut total: Counts = vec![HashMap::default(); self.columns.len()];
        for fruit in fruits {
            for (into, from) in total.iter_mut().zip(fruit) {
                for (value, n) in from {
                    *into.entry(value).or_insert(0) += n;
                }
            }
        }
        Ok(total)
    }
}

impl SegmentCollector for SegmentCounter {
    type Fruit = Counts;

    fn collect(&mut self, doc: DocId, _: Score) {
        for c in &mut self.columns {
            c.collect(doc);
        }
    }

    /// Matches come in blocks when nothing is scored: their values are read in one
    /// batch per column, not one look-up per passage.
    fn collect_block(&mut self, docs: &[DocId]) {
        for c in &mut self.columns {
            c.collect_block(docs, &mut self.scratch);
        }
    }

    fn harvest(self) -> Counts {
        self.columns
            .into_iter()
            .map(ColumnCounter::harvest)
            .collect()
    }
}

/// The column of values counted: term ordinals for text, the numbers themselves.
fn counted_values(column: &SegmentColumn) -> Option<&Column<u64>> {
    match column {
        SegmentColumn::Str(c) => Some(c.ords()),
        SegmentColumn::Num(c) => Some(c),
        SegmentColumn::Missing => None,
    }
}

impl Tally {
    /// Text counts by term ordinal (a dense vector); numbers by value (few years).
    fn add(&mut self, text: bool, v: u64) {
        if text {
            if let Some(n) = self.by_ord.get_mut(v as usize) {
                *n += 1;
            }
            return;
        }
        match self.by_value.iter_mut().find(|(value, _)| *value == v) {
            Some((_, n)) => *n += 1,
            None => self.by_value.push((v, 1)),
        }
    }
}

impl ColumnCounter {
    fn collect(&mut self, doc: DocId) {
        let text = matches!(self.column, SegmentColumn::Str(_));
        let Some(column) = counted_values(&self.column) else {
            return;
        };
        for v in column.values_for_doc(doc) {
            self.tally.add(text, v);
        }
    }

    fn collect_block(&mut self, docs: &[DocId], scratch: &mut Scratch) {
        let text = matches!(self.column, SegmentColumn::Str(_));
        let Some(column) = counted_values(&self.column) else {
            return;
        };
        scratch.docs.clear();
        scratch.rows.clear();
        column.row_ids_for_docs(docs, &mut scratch.docs, &mut scratch.rows);
        scratch.values.resize(scratch.rows.len(), 0);
        column.values.get_vals(&scratch.rows, &mut scratch.values);
        for &v in &scratch.values {
            self.tally.add(text, v);
        }
    }

    /// Counts by value; term ordinals are resolved in one sorted pass over the
    /// dictionary (one lookup per ordinal was most of a facet's time).
    fn harvest(self) -> HashMap<String, u64> {
        let mut out = HashMap::default();
        match &self.column {
            SegmentColumn::Str(c) => {
                let by_ord = &self.tally.by_ord;
                let ords: Vec<u64> = (0..by_ord.len() as u64)
                    .filter(|&o| by_ord[o as usize] > 0)
                    .collect();
                let mut counts = ords.iter().map(|&o| by_ord[o as usize]);
                let _ = c.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
                    let n = counts.next().unwrap_or(0);
                    let value = String::from_utf8_lossy(bytes).into_owned();
                    *out.entry(value).or_insert(0) += u64::from(n);
                });
            }
            SegmentColumn::Num(_) => {
                for &(value, n) in &self.tally.by_value {
                    *out.entry(value.to_string()).or_insert(0) += n;
                }
            }
            SegmentColumn::Missing => {}
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(list: &[(&str, u64)]) -> Vec<(String, u64)> {
        list.iter().map(|(v, n)| (v.to_string(), *n)).collect()
    }

    #[test]
    fn spellings_merge_under_the_most_frequent_then_the_first_in_byte_order() {
        let list = counts(&[
            ("Macy’s", 3),
            ("MACY'S", 1),
            ("Macy's", 3),
            ("Amazon.com", 2),
            ("Amazon.Com", 5),
            ("Jefferies", 4),
        ]);
        let want: HashMap<String, u64> =
            counts(&[("Macy's", 7), ("Amazon.Com", 7), ("Jefferies", 4)])
                .into_iter()
                .collect();
        for rotation in 0..list.len() {
            let mut input = list.clone();
            input.rotate_left(rotation);
            assert_eq!(merge_spellings(input.clone()), want, "{input:?}");
            input.reverse();
            assert_eq!(merge_spellings(input.clone()), want, "{input:?}");
        }
    }

    #[test]
    fn the_top_values_are_the_head_of_the_full_order() {
        let all: HashMap<String, u64> = (0..500u64)
            .map(|i| (format!("firm {i:03}"), (i * 37) % 11))
            .collect();
        let mut full: Vec<(String, u64)> = all.clone().into_iter().collect();
        full.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        for limit in [0, 1, 10, 45, 499, 500, 10_000] {
            let got = top("firm", all.clone(), limit);
            assert_eq!(got.distinct, 500);
            let want: Vec<(String, u64)> = full.iter().take(limit).cloned().collect();
            assert_eq!(got.counts, want, "limit {limit}");
        }
    }
}
