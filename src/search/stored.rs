//! Passages read back from the index: one by address, the paragraphs around a hit,
//! and every passage a query matches in a stable order (for export).

use tantivy::query::{BooleanQuery, Occur, Query, RangeQuery};
use tantivy::schema::Value;
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use crate::config::Sort;
use crate::error::Error;
use crate::index::fields::{F, Fields};
use crate::search::Matching;
use crate::search::query::term;
use crate::search::rank::{self, Counting, Order};
use crate::transcript::model::{Passage, Transcript};
use crate::transcript::passages::fill_record;

/// Read a stored passage back.
pub fn load_passage(
    searcher: &Searcher,
    fields: &Fields,
    addr: DocAddress,
) -> Result<Passage, Error> {
    passage_of(&searcher.doc(addr)?, fields)
}

/// The passage a stored document holds.
fn passage_of(doc: &TantivyDocument, fields: &Fields) -> Result<Passage, Error> {
    let json = doc
        .get_first(fields[F::Payload])
        .and_then(|v| v.as_str())
        .ok_or_else(|| {
            Error::Index("a stored passage has no payload: run callsearch index --rebuild".into())
        })?;
    serde_json::from_str(json).map_err(|e| {
        Error::Index(format!(
            "a stored passage is damaged ({e}): run callsearch index --rebuild"
        ))
    })
}

/// The `n` paragraphs before and after `p` in the same call, `p` included, in order.
pub fn context_of(
    searcher: &Searcher,
    fields: &Fields,
    p: &Passage,
    n: usize,
) -> Result<Vec<Passage>, Error> {
    if n == 0 {
        return Ok(Vec::new());
    }
    let turn = |t: u64| std::ops::Bound::Included(Term::from_field_u64(fields[F::Turn], t));
    let query = BooleanQuery::new(vec![
        (Occur::Must, term(fields[F::CallId], &p.call_id)),
        (
            Occur::Must,
            Box::new(RangeQuery::new(
                turn(p.turn.saturating_sub(n as u64)),
                turn(p.turn + n as u64),
            )),
        ),
    ]);
    let docs = searcher.search(&query, &tantivy::collector::DocSetCollector)?;
    let mut around = Vec::with_capacity(docs.len());
    for addr in docs {
        around.push(load_passage(searcher, fields, addr)?);
    }
    around.sort_by_key(|x| (x.turn, x.paragraph));
    let at = around
        .iter()
        .position(|x| x.turn == p.turn && x.paragraph == p.paragraph)
        .unwrap_or(0);
    let from = at.saturating_sub(n);
    let to = (at + n + 1).min(around.len());
    Ok(around[from..to].to_vec())
}

/// Every passage a query matches, in a stable order: by date (newest call first, each
/// call in speaking order) or by relevance (as `query` ranks them, all-words first).
pub struct Scan {
    searcher: Searcher,
    fields: Fields,
    order: Vec<DocAddress>,
}

impl Scan {
    /// Order the matching set's passages (from fast columns; nothing is read yet).
    pub fn of(m: Matching, sort: Sort) -> Result<Scan, Error> {
        let order = match sort {
            Sort::Date => by_date(&m.searcher, &*m.counted)?,
            Sort::Relevance => by_relevance(&m)?,
        };
        Ok(Scan {
            searcher: m.searcher,
            fields: m.fields,
            order,
        })
    }

    /// How many passages the scan yields.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// True when nothing matched.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// The passages, read one at a time (memory stays flat).
    pub fn passages(&self) -> impl Iterator<Item = Result<Passage, Error>> + '_ {
        (self.order.iter()).map(|addr| load_passage(&self.searcher, &self.fields, *addr))
    }
}

/// Browse order (`browse_key`), ties by the passage's stable `rank_key`.
fn by_date(searcher: &Searcher, query: &dyn Query) -> Result<Vec<DocAddress>, Error> {
    let docs = searcher.search(query, &tantivy::collector::DocSetCollector)?;
    let mut keyed: Vec<(u64, u64, DocAddress)> = Vec::with_capacity(docs.len());
    let mut columns = Vec::new();
    for segment in searcher.segment_readers() {
        let ff = segment.fast_fields();
        let browse = ff.u64(F::BrowseKey.name())?.first_or_default_col(u64::MAX);
        let rank = ff.u64(F::RankKey.name())?.first_or_default_col(0);
        columns.push((browse, rank));
    }
    for addr in docs {
        let (browse, rank) = &columns[addr.segment_ord as usize];
        keyed.push((browse.get_val(addr.doc_id), rank.get_val(addr.doc_id), addr));
    }
    keyed.sort_unstable_by_key(|&(b, r, a)| (b, r, a.segment_ord, a.doc_id));
    Ok(keyed.into_iter().map(|(_, _, addr)| addr).collect())
}

/// Every match ranked as `query` ranks it: score with demotion, stable tie-break,
/// all-words passages first for "most words".
fn by_relevance(m: &Matching) -> Result<Vec<DocAddress>, Error> {
    let order = Order::Relevance { demote: true };
    let (ranked, _) = rank::top(
        &m.searcher,
        &*m.counted,
        m.total,
        order,
        Counting::Together,
        &m.near,
    )?;
    let ranked = match &m.all {
        Some(all) => {
            let (first, _) = rank::top(
                &m.searcher,
                &**all,
                m.total,
                order,
                Counting::Together,
                &m.near,
            )?;
            rank::all_first(first, ranked, m.total)
        }
        None => ranked,
    };
    Ok(ranked.into_iter().map(|r| r.addr).collect())
}

/// The whole call (`parse --json`'s object) as JSON, for `/api/call/<id>`; `None` when
/// no passage of that call is in the index.
pub fn call_record(
    searcher: &Searcher,
    fields: &Fields,
    call_id: &str,
) -> Result<Option<String>, Error> {
    let call = call_of(searcher, fields, call_id)?;
    Ok(call.map(|t| serde_json::to_string(&t).expect("transcripts serialise")))
}

/// The whole call: the record stored with its first passage, its paragraphs' words
/// read back from its passages; `None` when no passage of that call is in the index.
pub fn call_of(
    searcher: &Searcher,
    fields: &Fields,
    call_id: &str,
) -> Result<Option<Transcript>, Error> {
    let query = term(fields[F::CallId], call_id);
    let mut docs: Vec<DocAddress> = (searcher
        .search(&*query, &tantivy::collector::DocSetCollector)?)
    .into_iter()
    .collect();
    // A call's passages are added in order: its first passage comes first.
    docs.sort();
    let mut record = None;
    let mut passages = Vec::with_capacity(docs.len());
    for addr in docs {
        let doc: TantivyDocument = searcher.doc(addr)?;
        if record.is_none() {
            record = doc
                .get_first(fields[F::CallRecord])
                .and_then(|v| v.as_str().map(str::to_string));
        }
        passages.push(passage_of(&doc, fields)?);
    }
    let Some(json) = record else {
        return Ok(None);
    };
    let mut call: Transcript = serde_json::from_str(&json).map_err(|e| {
        Error::Index(format!(
            "the stored call {call_id} is damaged ({e}): run callsearch index --rebuild"
        ))
    })?;
    fill_record(&mut call, passages);
    Ok(Some(call))
}
