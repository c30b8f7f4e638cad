//! JSON printers: JSON Lines for queries, one object for parses and index summaries.

use std::io::Write;

use serde_json::{Value, json};

use crate::config::QueryPlan;
use crate::index::IndexReport;
use crate::model::Passage;
use crate::search::{Hit, SearchResult};

/// One `hit` object per hit, one `facet` object per facet, then a `summary`.
pub fn query(out: &mut dyn Write, plan: &QueryPlan, r: &SearchResult) -> std::io::Result<()> {
    for hit in &r.hits {
        writeln!(out, "{}", hit_object(hit, plan))?;
    }
    for f in &r.facets {
        let counts: Vec<Value> = f
            .counts
            .iter()
            .map(|(value, count)| json!({"value": value, "count": count}))
            .collect();
        let obj =
            json!({"type": "facet", "field": f.field, "distinct": f.distinct, "counts": counts});
        writeln!(out, "{obj}")?;
    }
    let summary = json!({
        "type": "summary",
        "query": plan.query,
        "total_hits": r.total_hits,
        "returned": r.hits.len(),
        "elapsed_ms": (r.elapsed_ms * 1000.0).round() / 1000.0,
    });
    writeln!(out, "{summary}")
}

fn hit_object(hit: &Hit, plan: &QueryPlan) -> Value {
    let mut map = serde_json::Map::new();
    map.insert("type".into(), json!("hit"));
    map.insert(
        "score".into(),
        json!((f64::from(hit.score) * 1000.0).round() / 1000.0),
    );
    if let Value::Object(fields) = passage_object(&hit.passage) {
        map.extend(fields.into_iter().filter(|(k, _)| k != "question"));
    }
    map.insert("snippet".into(), json!(hit.snippet.text));
    let highlights: Vec<[usize; 2]> = hit
        .snippet
        .highlights
        .iter()
        .map(|r| {
            [
                char_offset(&hit.snippet.text, r.start),
                char_offset(&hit.snippet.text, r.end),
            ]
        })
        .collect();
    map.insert("highlights".into(), json!(highlights));
    if plan.with_question {
        map.insert("question".into(), json!(hit.passage.question));
    }
    if plan.context > 0 {
        let ctx: Vec<Value> = hit
            .context
            .iter()
            .map(|p| json!({"turn": p.turn, "paragraph": p.paragraph, "speaker": p.speaker, "text": p.text}))
            .collect();
        map.insert("context".into(), json!(ctx));
    }
    Value::Object(map)
}

/// A passage's fields as a JSON object (hits and exports share it).
pub fn passage_object(p: &Passage) -> Value {
    json!({
        "passage_id": p.passage_id,
        "call_id": p.call_id,
        "ticker": p.ticker,
        "company": p.company,
        "event": p.event,
        "date": p.date,
        "fiscal_period": p.fiscal_period,
        "section": p.section.as_str(),
        "speaker": p.speaker,
        "firm": p.firm,
        "firm_norm": p.firm_norm,
        "role": p.role,
        "role_class": p.role_class.as_str(),
        "titles": p.titles,
        "turn": p.turn,
        "paragraph": p.paragraph,
        "text": p.text,
        "boilerplate": p.boilerplate,
        "question": p.question,
        "answered_by": p.answered_by,
        "source": p.source,
        "format": p.format,
    })
}

fn char_offset(s: &str, byte: usize) -> usize {
    s.get(..byte).map_or(0, |prefix| prefix.chars().count())
}

/// The index summary as one object.
pub fn index_report(out: &mut dyn Write, r: &IndexReport) -> std::io::Result<()> {
    let pairs = |v: &[(String, String)], key: &str| -> Vec<Value> {
        v.iter()
            .map(|(path, other)| json!({"path": path, key: other}))
            .collect()
    };
    let obj = json!({
        "type": "index",
        "indexed": r.indexed,
        "unchanged": r.unchanged,
        "removed": r.removed,
        "skipped": pairs(&r.skipped, "reason"),
        "failed": pairs(&r.failed, "reason"),
        "duplicates": pairs(&r.duplicates, "duplicate_of"),
        "passages": r.passages,
        "bytes": r.bytes,
        "elapsed_ms": r.elapsed.as_millis() as u64,
    });
    writeln!(out, "{obj}")
}
