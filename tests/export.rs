//! `export` streams every passage with the fields the Quickwit and OpenSearch configs name.

mod common;

use common::*;
use serde_json::Value;

/// Field names in `scripts/quickwit-index.yaml` (`- name: x` lines).
fn quickwit_fields() -> Vec<String> {
    let yaml = std::fs::read_to_string(root().join("scripts/quickwit-index.yaml")).unwrap();
    yaml.lines()
        .filter_map(|l| l.trim().strip_prefix("- name: "))
        .map(str::to_string)
        .collect()
}

fn opensearch_fields() -> Vec<String> {
    let text = std::fs::read_to_string(root().join("scripts/opensearch-mapping.json")).unwrap();
    let mapping: Value = serde_json::from_str(&text).unwrap();
    mapping["mappings"]["properties"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect()
}

#[test]
fn every_exported_line_carries_every_configured_field() {
    let run = callsearch(&["export", "--index", corpus_index()]);
    run.success();
    let lines = run.json_lines();
    let all = query_json("*", &["-n", "0"]).success().total();
    run.check(
        all > 500 && lines.len() as u64 == all,
        format!("expected {all} passages, got {}", lines.len()),
    );
    let fields = [quickwit_fields(), opensearch_fields()].concat();
    assert!(fields.len() >= 40, "{fields:?}");
    let mut ids = std::collections::HashSet::new();
    for line in &lines {
        for f in &fields {
            assert!(line.get(f).is_some(), "missing {f} in {line}");
        }
        assert!(
            ids.insert(line["passage_id"].as_str().unwrap().to_string()),
            "duplicate id"
        );
        if let Some(date) = line["date"].as_str() {
            assert!(date.len() == 10 && date.as_bytes()[4] == b'-', "{date}");
        } else {
            assert_eq!(
                line["format"], "streetevents-pdf",
                "only PDF exports lack dates"
            );
        }
    }
}

#[test]
fn opensearch_bulk_pairs_an_action_with_each_passage_and_is_stable() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bulk.ndjson");
    let run = callsearch(&[
        "export",
        "--index",
        corpus_index(),
        "--format",
        "opensearch-bulk",
        "--out",
        out.to_str().unwrap(),
    ]);
    run.success();
    let text = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(
        !lines.is_empty() && lines.len().is_multiple_of(2),
        "{}",
        lines.len()
    );
    for pair in lines.chunks(2) {
        assert_eq!(pair[0]["index"]["_id"], pair[1]["passage_id"]);
        assert_eq!(pair[0]["index"]["_index"], "callsearch");
    }
    let again = callsearch(&[
        "export",
        "--index",
        corpus_index(),
        "--format",
        "opensearch-bulk",
    ]);
    again.success();
    assert_eq!(again.stdout, text);
}
