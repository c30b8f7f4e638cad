//! `callsearch export`: stream every passage as NDJSON or an OpenSearch bulk body,
//! in a stable order, for engines that take over when one machine is not enough.

use std::io::Write;

use serde_json::{Value, json};
use tantivy::DocAddress;

use crate::error::Error;
use crate::model::Passage;
use crate::schema::Fields;
use crate::search::load_passage;
use crate::store;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Ndjson,
    OpensearchBulk,
}

/// Index name used in OpenSearch bulk action lines.
pub const OPENSEARCH_INDEX: &str = "callsearch";

/// Write every live passage of the index at `dir`, ordered by call, turn, paragraph.
/// Returns the number of passages written.
pub fn run(dir: &std::path::Path, format: ExportFormat, out: &mut dyn Write) -> Result<u64, Error> {
    let index = store::open_for_reading(dir)?;
    let fields = Fields::from_schema(&index.schema())?;
    let searcher = store::searcher(&index)?;
    let mut order: Vec<(String, u64, u64, DocAddress)> = Vec::new();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let ff = segment.fast_fields();
        let call = ff.str("call_id")?;
        let turn = ff.u64("turn")?.first_or_default_col(0);
        let para = ff.u64("paragraph")?.first_or_default_col(0);
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
    let io = |e: std::io::Error| {
        Error::Io(format!(
            "cannot write export: {}",
            crate::parse::io_reason(&e)
        ))
    };
    for (_, _, _, addr) in &order {
        let p = load_passage(&searcher, &fields, *addr)?;
        let doc = export_object(&p);
        if format == ExportFormat::OpensearchBulk {
            let action = json!({"index": {"_index": OPENSEARCH_INDEX, "_id": p.passage_id}});
            writeln!(out, "{action}").map_err(io)?;
        }
        writeln!(out, "{doc}").map_err(io)?;
    }
    out.flush().map_err(io)?;
    Ok(order.len() as u64)
}

/// A passage flattened for other engines: the JSON printer's fields, with an RFC 3339
/// date, the year, and the question's fields at top level instead of nested.
pub fn export_object(p: &Passage) -> Value {
    let mut obj = crate::output::json::passage_object(p);
    let map = obj.as_object_mut().expect("passage_object is an object");
    map.shift_remove("question");
    map.shift_remove("answered_by");
    let day = p.date.as_deref();
    map.insert("date".into(), json!(day.map(|d| format!("{d}T00:00:00Z"))));
    let year = day
        .and_then(|d| d.get(..4))
        .and_then(|y| y.parse::<u64>().ok());
    map.insert("year".into(), json!(year));
    let q = p.question.as_ref();
    map.insert("asked_by".into(), json!(q.map(|q| &q.speaker)));
    map.insert(
        "asked_by_firm".into(),
        json!(q.and_then(|q| q.firm.as_ref())),
    );
    map.insert("question_turn".into(), json!(q.map(|q| q.turn)));
    obj
}
