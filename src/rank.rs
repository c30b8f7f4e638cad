//! Top passages: BM25, operator lines and boilerplate demoted, ties broken by a stable
//! key. Fast on large archives: ask tantivy for the best raw scores (it can skip
//! blocks), re-rank them, and widen the net only when the cut could be wrong.

use std::cmp::Ordering;
use std::collections::HashMap;

use tantivy::collector::{Count, TopDocs};
use tantivy::columnar::Column;
use tantivy::query::Query;
use tantivy::{DocAddress, Searcher};

use crate::error::Error;

/// Score multiplier for operator lines and boilerplate when demotion is on.
pub const DEMOTION: f32 = 0.25;

/// A ranked document: adjusted score, then the stable tie-break.
#[derive(Debug, Clone, Copy)]
pub struct Ranked {
    pub score: f32,
    pub key: u64,
    pub addr: DocAddress,
}

impl Ranked {
    /// Higher score first; equal scores by ascending key.
    fn order(&self, other: &Ranked) -> Ordering {
        other
            .score
            .total_cmp(&self.score)
            .then(self.key.cmp(&other.key))
    }
}

/// How to count the matches while ranking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counting {
    /// Count in a pass of its own: cheap for term queries (posting list lengths).
    Separately,
    /// Count in the ranking pass: phrases are costly to match, so match them once.
    Together,
}

/// The `limit` best documents for `query`, and the number of matches.
///
/// Demotion only lowers scores, so once the candidates (the best `k` raw scores) hold
/// `limit` documents whose adjusted score beats the lowest raw score among them, no
/// document outside can reach the top `limit`: the answer is exact. Otherwise `k` grows.
pub fn top(
    searcher: &Searcher,
    query: &dyn Query,
    limit: usize,
    demote: bool,
    counting: Counting,
) -> Result<(Vec<Ranked>, usize), Error> {
    if limit == 0 || counting == Counting::Separately {
        let count = searcher.search(query, &Count)?;
        return Ok((ranked(searcher, query, limit, demote, None)?, count));
    }
    let k = first_k(limit);
    let (raw, count) = searcher.search(query, &(TopDocs::with_limit(k).order_by_score(), Count))?;
    Ok((ranked(searcher, query, limit, demote, Some(raw))?, count))
}

fn first_k(limit: usize) -> usize {
    (limit * 4).max(50)
}

fn ranked(
    searcher: &Searcher,
    query: &dyn Query,
    limit: usize,
    demote: bool,
    mut first: Option<Vec<(f32, DocAddress)>>,
) -> Result<Vec<Ranked>, Error> {
    if limit == 0 {
        return Ok(Vec::new());
    }
    let mut columns = Columns::default();
    let mut k = first_k(limit);
    loop {
        let raw = match first.take() {
            Some(raw) => raw,
            None => searcher.search(query, &TopDocs::with_limit(k).order_by_score())?,
        };
        let exhausted = raw.len() < k;
        let floor = raw.last().map_or(f32::MIN, |(s, _)| *s);
        let mut ranked = Vec::with_capacity(raw.len());
        for (score, addr) in raw {
            let (boiler, key) = columns.get(searcher, addr);
            let factor = if demote && boiler { DEMOTION } else { 1.0 };
            ranked.push(Ranked {
                score: score * factor,
                key,
                addr,
            });
        }
        ranked.sort_by(Ranked::order);
        ranked.truncate(limit);
        let settled = ranked.len() == limit && ranked[limit - 1].score > floor;
        if exhausted || settled {
            return Ok(ranked);
        }
        k *= 4;
    }
}

/// A segment's `boilerplate` and `rank_key` columns.
type RankColumns = (Option<Column<u64>>, Option<Column<u64>>);

/// The fast columns that ranking reads, opened once per segment.
#[derive(Default)]
struct Columns {
    by_segment: HashMap<u32, RankColumns>,
}

impl Columns {
    fn get(&mut self, searcher: &Searcher, addr: DocAddress) -> (bool, u64) {
        let (boiler, key) = self.by_segment.entry(addr.segment_ord).or_insert_with(|| {
            let ff = searcher.segment_reader(addr.segment_ord).fast_fields();
            (ff.u64("boilerplate").ok(), ff.u64("rank_key").ok())
        });
        let boiler = boiler.as_ref().and_then(|c| c.first(addr.doc_id)) == Some(1);
        let key = key.as_ref().and_then(|c| c.first(addr.doc_id)).unwrap_or(0);
        (boiler, key)
    }
}
