//! The best `k` matches by score times the passage's prior, equal scores by ascending
//! rank key: the order `rank::exact` keeps, collected in one pass over every match; and
//! the first `k` in browse order (`FirstByKey`), read a block of matches at a time.
//!
//! tantivy's `TopDocs::tweak_score` computes the whole sort key of every match, so the
//! rank-key column (a hash per passage, spread over the whole column) was read for all
//! of them: on the 1 GB archive that was a quarter of a filtered query's time, much of
//! it page faults of a fresh process. Here the key is read only for a match that can
//! still enter the best `k`, which is the same selection: a match scoring below the
//! `k`-th best cannot enter whatever its key.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::index::fields::F;
use crate::search::block_values::BlockValues;
use crate::search::rank::Ranked;

/// In the heap, the worst candidate is the greatest (it is the one pushed out).
struct Worst(Ranked);

impl PartialEq for Worst {
    fn eq(&self, other: &Worst) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Worst {}

impl PartialOrd for Worst {
    fn partial_cmp(&self, other: &Worst) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Worst {
    fn cmp(&self, other: &Worst) -> Ordering {
        self.0.order(&other.0)
    }
}

/// Collects the best `k` by score times the `weight` column (when `demote`), then the
/// `rank_key` column.
pub struct TopDemoted {
    pub k: usize,
    pub demote: bool,
}

pub struct TopDemotedSegment {
    k: usize,
    segment: SegmentOrdinal,
    weights: Option<Column<u64>>,
    keys: Option<Column<u64>>,
    heap: BinaryHeap<Worst>,
}

impl Collector for TopDemoted {
    type Fruit = Vec<Ranked>;
    type Child = TopDemotedSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<TopDemotedSegment> {
        let columns = reader.fast_fields();
        let weights = self
            .demote
            .then(|| columns.u64(F::Weight.name()).ok())
            .flatten();
        Ok(TopDemotedSegment {
            k: self.k,
            segment,
            weights,
            keys: columns.u64(F::RankKey.name()).ok(),
            heap: BinaryHeap::with_capacity(self.k + 1),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<Ranked>>) -> tantivy::Result<Vec<Ranked>> {
        let mut all: Vec<Ranked> = fruits.into_iter().flatten().collect();
        all.sort_by(Ranked::order);
        all.truncate(self.k);
        Ok(all)
    }
}

impl SegmentCollector for TopDemotedSegment {
    type Fruit = Vec<Ranked>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if self.k == 0 {
            return;
        }
        let score = score * prior(self.weights.as_ref(), doc);
        let full = self.heap.len() >= self.k;
        if full && self.heap.peek().is_some_and(|w| score < w.0.score) {
            return;
        }
        let key = (self.keys.as_ref()).and_then(|c| c.first(doc)).unwrap_or(0);
        let addr = DocAddress::new(self.segment, doc);
        let candidate = Ranked { score, key, addr };
        if !full {
            self.heap.push(Worst(candidate));
        } else if let Some(mut worst) = self.heap.peek_mut()
            && candidate.order(&worst.0) == Ordering::Less
        {
            *worst = Worst(candidate);
        }
    }

    fn harvest(self) -> Vec<Ranked> {
        let mut out: Vec<Ranked> = self.heap.into_iter().map(|w| w.0).collect();
        out.sort_by(Ranked::order);
        out
    }
}

/// Collects the `k` matches with the smallest values of a u64 column (ties: the lower
/// address), as tantivy's `order_by_u64_field` ascending does; unscored matches come in
/// blocks and their values are read in one batch, where tantivy reads one per match
/// (a quarter of `'*' --section qa --facet firm` on the 1 GB archive).
pub struct FirstByKey {
    pub k: usize,
    pub column: &'static str,
}

pub struct FirstByKeySegment {
    k: usize,
    segment: SegmentOrdinal,
    column: Option<Column<u64>>,
    /// The kept matches, the last in order on top.
    heap: BinaryHeap<(u64, DocAddress)>,
    block: BlockValues,
}

impl Collector for FirstByKey {
    type Fruit = Vec<(u64, DocAddress)>;
    type Child = FirstByKeySegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<FirstByKeySegment> {
        Ok(FirstByKeySegment {
            k: self.k,
            segment,
            column: reader.fast_fields().u64(self.column).ok(),
            heap: BinaryHeap::with_capacity(self.k + 1),
            block: BlockValues::default(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<Vec<(u64, DocAddress)>>,
    ) -> tantivy::Result<Vec<(u64, DocAddress)>> {
        let mut all: Vec<(u64, DocAddress)> = fruits.into_iter().flatten().collect();
        all.sort();
        all.truncate(self.k);
        Ok(all)
    }
}

impl FirstByKeySegment {
    /// Docs of one segment arrive in increasing order, so a value equal to the last
    /// kept one loses to it.
    fn offer(&mut self, value: u64, doc: DocId) {
        let full = self.heap.len() >= self.k;
        if full && self.heap.peek().is_none_or(|&(last, _)| value >= last) {
            return;
        }
        if full {
            self.heap.pop();
        }
        self.heap.push((value, DocAddress::new(self.segment, doc)));
    }
}

impl SegmentCollector for FirstByKeySegment {
    type Fruit = Vec<(u64, DocAddress)>;

    fn collect(&mut self, doc: DocId, _: Score) {
        if self.k == 0 {
            return;
        }
        let value = (self.column.as_ref()).and_then(|c| c.first(doc));
        self.offer(value.unwrap_or(u64::MAX), doc);
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        let mut block = std::mem::take(&mut self.block);
        let values =
            (self.column.as_ref().filter(|_| self.k > 0)).and_then(|c| block.read(c, docs));
        match values {
            Some(values) => (docs.iter().zip(values)).for_each(|(&doc, &v)| self.offer(v, doc)),
            // Some matches have no value (sorted last): one at a time.
            None => docs.iter().for_each(|&doc| self.collect(doc, 0.0)),
        }
        self.block = block;
    }

    fn harvest(self) -> Vec<(u64, DocAddress)> {
        self.heap.into_sorted_vec()
    }
}

/// A passage's prior as a score multiplier (1 where the column is missing).
pub fn prior(column: Option<&Column<u64>>, doc: DocId) -> f32 {
    column
        .and_then(|c| c.first(doc))
        .map_or(1.0, |w| w as f32 / 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::TopDocs;
    use tantivy::query::TermQuery;
    use tantivy::schema::{FAST, IndexRecordOption, Schema, TEXT};
    use tantivy::{Index, IndexWriter, TantivyDocument, Term, doc};

    /// Every match scored and sorted: what the collector must agree with.
    fn by_full_sort(index: &Index, query: &TermQuery, demote: bool) -> Vec<(u64, DocAddress)> {
        let searcher = index.reader().unwrap().searcher();
        let all = searcher.search(query, &TopDocs::with_limit(10_000).order_by_score());
        let mut scored: Vec<Ranked> = (all.unwrap().into_iter())
            .map(|(score, addr)| {
                let columns = searcher.segment_reader(addr.segment_ord).fast_fields();
                let weights = columns.u64(F::Weight.name()).ok().filter(|_| demote);
                let keys = columns.u64(F::RankKey.name()).unwrap();
                let score = score * prior(weights.as_ref(), addr.doc_id);
                let key = keys.first(addr.doc_id).unwrap();
                Ranked { score, key, addr }
            })
            .collect();
        scored.sort_by(Ranked::order);
        scored.into_iter().map(|s| (s.key, s.addr)).collect()
    }

    #[test]
    fn first_by_key_picks_what_tantivys_field_order_picks() {
        let mut schema = Schema::builder();
        let body = schema.add_text_field("body", TEXT);
        let browse = schema.add_u64_field("browse", FAST);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter<TantivyDocument> = index.writer(15_000_000).unwrap();
        for n in 0..3000u64 {
            // Many equal values (ties go to the lower address), several segments, and
            // blocks of matches (more than tantivy's 64 per block).
            let text = if n % 7 == 0 { "margin other" } else { "margin" };
            writer
                .add_document(doc!(body => text, browse => (n * 31) % 97))
                .unwrap();
            if n % 1100 == 1099 {
                writer.commit().unwrap();
            }
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        assert!(searcher.segment_readers().len() > 1, "several segments");
        for word in ["margin", "other"] {
            let term = Term::from_field_text(body, word);
            let query = TermQuery::new(term, IndexRecordOption::Basic);
            for k in [0, 1, 10, 31, 500, 5000] {
                let theirs =
                    TopDocs::with_limit(k.max(1)).order_by_u64_field("browse", tantivy::Order::Asc);
                let theirs = searcher.search(&query, &theirs).unwrap();
                let want: Vec<(u64, DocAddress)> = (theirs.into_iter())
                    .map(|(v, a)| (v.unwrap(), a))
                    .take(k)
                    .collect();
                let ours = FirstByKey {
                    k,
                    column: "browse",
                };
                assert_eq!(searcher.search(&query, &ours).unwrap(), want, "{word} {k}");
            }
        }
    }

    #[test]
    fn picks_what_a_full_sort_picks_ties_by_key() {
        let mut schema = Schema::builder();
        let body = schema.add_text_field("body", TEXT);
        let weight = schema.add_u64_field(F::Weight.name(), FAST);
        let key = schema.add_u64_field(F::RankKey.name(), FAST);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter<TantivyDocument> = index.writer(15_000_000).unwrap();
        for n in 0..600u64 {
            // Three texts, so many scores tie exactly; weights tie too; keys do not.
            let text = ["margin", "margin margin", "margin and more words"][n as usize % 3];
            let key_value = (n * 7_919) % 1_009;
            let weight_value: u64 = [1000, 300, 1000, 700][n as usize % 4];
            writer
                .add_document(doc!(body => text, weight => weight_value, key => key_value))
                .unwrap();
            if n % 250 == 249 {
                writer.commit().unwrap();
            }
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        assert!(searcher.segment_readers().len() > 1, "several segments");
        let term = Term::from_field_text(body, "margin");
        let query = TermQuery::new(term, IndexRecordOption::WithFreqs);
        for demote in [true, false] {
            let expected = by_full_sort(&index, &query, demote);
            assert_eq!(expected.len(), 600);
            for k in [0, 1, 10, 57, 600, 1000] {
                let top = searcher.search(&query, &TopDemoted { k, demote }).unwrap();
                let got: Vec<(u64, DocAddress)> = top.iter().map(|s| (s.key, s.addr)).collect();
                let want: Vec<(u64, DocAddress)> = expected.iter().take(k).copied().collect();
                assert_eq!(got, want, "k {k}, demote {demote}");
            }
        }
    }
}
