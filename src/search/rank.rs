//! Top passages: BM25 times each passage's prior (boilerplate and fragments lower, see
//! `index::keys::rank_weight`; scattered query words lower, see `proximity`), ties broken
//! by a stable key. Fast on large archives: ask tantivy for the best raw scores (it can skip
//! blocks), re-rank them, and widen the net only when the cut could be wrong.

use std::cmp::Ordering;
use std::collections::HashMap;

use tantivy::collector::{Collector, Count, TopDocs};
use tantivy::columnar::Column;
use tantivy::query::Query;
use tantivy::{DocAddress, Searcher};

use crate::error::Error;
use crate::index::fields::F;
use crate::search::proximity::Proximity;
use crate::search::top_k::{FirstByKey, TopDemoted, prior};

/// A ranked document: adjusted score, then the stable tie-break.
#[derive(Debug, Clone, Copy)]
pub struct Ranked {
    pub score: f32,
    pub key: u64,
    pub addr: DocAddress,
}

impl Ranked {
    /// Higher score first; equal scores by ascending key.
    pub(crate) fn order(&self, other: &Ranked) -> Ordering {
        other
            .score
            .total_cmp(&self.score)
            .then(self.key.cmp(&other.key))
    }
}

/// How a query's passages are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// By BM25, with demotion and the stable tie-break.
    Relevance { demote: bool },
    /// `*`: newest call first, each call in speaking order (nothing to score).
    Browse,
}

/// How to count the matches while ranking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counting {
    /// Count in a pass of its own: cheap for term queries (posting list lengths).
    Separately,
    /// Count in the ranking pass: phrases are costly to match, so match them once.
    Together,
}

/// The ranked documents, the number of matches, and what an extra collector gathered.
pub type Found<T> = Result<(Vec<Ranked>, usize, Option<T>), Error>;

/// The `limit` best documents for `query`, and the number of matches.
///
/// Demotion only lowers scores, so once the candidates (the best `k` raw scores) hold
/// `limit` documents whose adjusted score beats the lowest raw score among them, no
/// document outside can reach the top `limit`: the answer is exact. Otherwise `k` grows.
pub fn top(
    searcher: &Searcher,
    query: &dyn Query,
    limit: usize,
    order: Order,
    counting: Counting,
    near: &Proximity,
) -> Result<(Vec<Ranked>, usize), Error> {
    let (ranked, count, _) = top_and(searcher, query, limit, order, counting, near, None::<Count>)?;
    Ok((ranked, count))
}

/// [`top`], with `extra` (facet counts) collected over the same matches: in the ranking
/// pass when every match is visited anyway, else in the counting pass, never in a
/// match pass of its own (a phrase matched twice cost twice).
pub fn top_and<C: Collector>(
    searcher: &Searcher,
    query: &dyn Query,
    limit: usize,
    order: Order,
    counting: Counting,
    near: &Proximity,
    extra: Option<C>,
) -> Found<C::Fruit> {
    let demote = match order {
        Order::Browse => return browse(searcher, query, limit, extra),
        Order::Relevance { demote } => demote,
    };
    let prior = Prior { demote, near };
    if limit == 0 || counting == Counting::Separately {
        let (count, fruit) = count_and(searcher, query, extra)?;
        return Ok((ranked(searcher, query, limit, &prior)?, count, fruit));
    }
    // Every match is visited to count it anyway, so rank it exactly in the same pass:
    // a cut from raw scores can be wrong and cost whole extra passes.
    exact(searcher, query, limit, &prior, extra)
}

/// The number of matches, and `extra` over them in the same pass. Alone, the count is
/// the posting list's length for a term query: no pass at all.
fn count_and<C: Collector>(
    searcher: &Searcher,
    query: &dyn Query,
    extra: Option<C>,
) -> Result<(usize, Option<C::Fruit>), Error> {
    Ok(match extra {
        None => (searcher.search(query, &Count)?, None),
        Some(extra) => {
            let (count, fruit) = searcher.search(query, &(Count, extra))?;
            (count, Some(fruit))
        }
    })
}

/// What lowers a raw BM25 score: the passage's weight (when demoting) and proximity.
struct Prior<'a> {
    demote: bool,
    near: &'a Proximity,
}

/// The all-words passages first, then the rest of the counted set, `limit` in all.
/// `first` holds every all-words passage when it holds fewer than `limit`.
pub fn all_first(first: Vec<Ranked>, rest: Vec<Ranked>, limit: usize) -> Vec<Ranked> {
    let mut out = first;
    // A set, not a scan of `out`: with every passage asked for, a scan is quadratic.
    let mut seen: std::collections::HashSet<DocAddress> = out.iter().map(|x| x.addr).collect();
    for r in rest {
        if out.len() >= limit {
            break;
        }
        if seen.insert(r.addr) {
            out.push(r);
        }
    }
    out
}

fn first_k(limit: usize) -> usize {
    (limit * 4).max(50)
}

fn ranked(
    searcher: &Searcher,
    query: &dyn Query,
    limit: usize,
    prior: &Prior,
) -> Result<Vec<Ranked>, Error> {
    if limit == 0 {
        return Ok(Vec::new());
    }
    let mut columns = Columns::default();
    let mut k = first_k(limit);
    loop {
        let raw = searcher.search(query, &TopDocs::with_limit(k).order_by_score())?;
        let exhausted = raw.len() < k;
        let floor = raw.last().map_or(f32::MIN, |(s, _)| *s);
        let addrs: Vec<DocAddress> = raw.iter().map(|(_, a)| *a).collect();
        let near = prior.near.factors(searcher, &addrs)?;
        let mut ranked = Vec::with_capacity(raw.len());
        for ((score, addr), near) in raw.into_iter().zip(near) {
            let (weight, key) = columns.get(searcher, addr);
            let factor = if prior.demote { weight } else { 1.0 };
            ranked.push(Ranked {
                score: score * factor * near,
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
        if k >= first_k(limit) * 4 {
            // Scores tie across the cut (or demotion reaches deep): one exact pass.
            return Ok(exact(searcher, query, limit, prior, None::<Count>)?.0);
        }
        k *= 4;
    }
}

/// Score every match with demotion and tie-break, and count them: exact, and linear in
/// the matches. Proximity, read from positions, reorders the best `first_k` of them.
fn exact<C: Collector>(
    searcher: &Searcher,
    query: &dyn Query,
    limit: usize,
    prior: &Prior,
    extra: Option<C>,
) -> Found<C::Fruit> {
    if limit == 0 {
        let (count, fruit) = count_and(searcher, query, extra)?;
        return Ok((Vec::new(), count, fruit));
    }
    let top = TopDemoted {
        k: first_k(limit),
        demote: prior.demote,
    };
    let (mut ranked, count, fruit) = searcher.search(query, &(top, Count, extra))?;
    let addrs: Vec<DocAddress> = ranked.iter().map(|r| r.addr).collect();
    for (r, near) in ranked.iter_mut().zip(prior.near.factors(searcher, &addrs)?) {
        r.score *= near;
    }
    ranked.sort_by(Ranked::order);
    ranked.truncate(limit);
    Ok((ranked, count, fruit))
}

/// The first `limit` passages in browse order, the number of matches, and `extra`, in
/// one pass.
fn browse<C: Collector>(
    searcher: &Searcher,
    query: &dyn Query,
    limit: usize,
    extra: Option<C>,
) -> Found<C::Fruit> {
    if limit == 0 {
        let (count, fruit) = count_and(searcher, query, extra)?;
        return Ok((Vec::new(), count, fruit));
    }
    let top = FirstByKey {
        k: limit,
        column: F::BrowseKey.name(),
    };
    let (top, count, fruit) = searcher.search(query, &(top, Count, extra))?;
    let ranked = (top.into_iter())
        .map(|(key, addr)| Ranked {
            score: 0.0,
            key,
            addr,
        })
        .collect();
    Ok((ranked, count, fruit))
}

/// A segment's `weight` and `rank_key` columns.
type RankColumns = (Option<Column<u64>>, Option<Column<u64>>);

/// The fast columns that ranking reads, opened once per segment.
#[derive(Default)]
struct Columns {
    by_segment: HashMap<u32, RankColumns>,
}

impl Columns {
    fn get(&mut self, searcher: &Searcher, addr: DocAddress) -> (f32, u64) {
        let (weights, key) = self.by_segment.entry(addr.segment_ord).or_insert_with(|| {
            let ff = searcher.segment_reader(addr.segment_ord).fast_fields();
            (
                ff.u64(F::Weight.name()).ok(),
                ff.u64(F::RankKey.name()).ok(),
            )
        });
        let w = prior(weights.as_ref(), addr.doc_id);
        let key = key.as_ref().and_then(|c| c.first(addr.doc_id)).unwrap_or(0);
        (w, key)
    }
}
