//! Passages read back from the index: one by address, the paragraphs around a hit,
//! and every live passage in a stable order (for export).

use tantivy::query::{BooleanQuery, Occur, RangeQuery};
use tantivy::schema::Value;
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use crate::error::Error;
use crate::index::fields::{F, Fields};
use crate::search::query::term;
use crate::transcript::model::Passage;

/// Read a stored passage back.
pub fn load_passage(
    searcher: &Searcher,
    fields: &Fields,
    addr: DocAddress,
) -> Result<Passage, Error> {
    let doc: TantivyDocument = searcher.doc(addr)?;
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

/// Every live passage of an index, in a stable order: by call, turn, paragraph.
pub struct Scan {
    searcher: Searcher,
    fields: Fields,
    order: Vec<DocAddress>,
}

impl Scan {
    /// Open the index at `dir` and order its passages.
    pub fn open(dir: &std::path::Path) -> Result<Scan, Error> {
        let index = crate::index::store::open_for_reading(dir)?;
        let fields = Fields::from_schema(&index.schema())?;
        let searcher = crate::index::store::searcher(&index)?;
        let order = every_passage(&searcher)?;
        Ok(Scan {
            searcher,
            fields,
            order,
        })
    }

    /// How many passages the scan yields.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// True for an index without passages.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// The passages, read one at a time (memory stays flat).
    pub fn passages(&self) -> impl Iterator<Item = Result<Passage, Error>> + '_ {
        (self.order.iter()).map(|addr| load_passage(&self.searcher, &self.fields, *addr))
    }
}

fn every_passage(searcher: &Searcher) -> Result<Vec<DocAddress>, Error> {
    let mut order: Vec<(String, u64, u64, DocAddress)> = Vec::new();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let ff = segment.fast_fields();
        let call = ff.str(F::CallId.name())?;
        let turn = ff.u64(F::Turn.name())?.first_or_default_col(0);
        let para = ff.u64(F::Paragraph.name())?.first_or_default_col(0);
        let mut buf = String::new();
        for doc in segment.doc_ids_alive() {
            buf.clear();
            if let Some(c) = &call
                && let Some(o) = c.term_ords(doc).next()
            {
                let _ = c.ord_to_str(o, &mut buf);
            }
            let addr = DocAddress::new(ord as u32, doc);
            order.push((buf.clone(), turn.get_val(doc), para.get_val(doc), addr));
        }
    }
    order.sort_by(|a, b| (&a.0, a.1, a.2).cmp(&(&b.0, b.1, b.2)));
    Ok(order.into_iter().map(|(_, _, _, addr)| addr).collect())
}
