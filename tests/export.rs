//! `export` writes exactly the passages a query matches, with the same fields in every
//! format (NDJSON, OpenSearch bulk, CSV, Parquet), typed as the Quickwit and OpenSearch
//! configs declare them; a failed export leaves an existing file untouched.

use crate::common;

use std::collections::BTreeMap;

use common::*;
use serde_json::Value;

/// The names the wire type has, in order (the NDJSON keys of one passage).
fn wire_fields() -> Vec<String> {
    let run = callsearch(&["export", "margin", "--index", corpus_index()]);
    run.success();
    let first = run.json_lines().into_iter().next().unwrap();
    first.as_object().unwrap().keys().cloned().collect()
}

/// `name -> (type, input format)` from `scripts/quickwit-index.yaml`'s field mappings.
fn quickwit_fields() -> BTreeMap<String, (String, Option<String>)> {
    let yaml = std::fs::read_to_string(root().join("scripts/quickwit-index.yaml")).unwrap();
    let mut out = BTreeMap::new();
    let mut name: Option<String> = None;
    for line in yaml.lines().map(str::trim) {
        if let Some(n) = line.strip_prefix("- name: ") {
            name = Some(n.to_string());
        } else if let (Some(n), Some(t)) = (&name, line.strip_prefix("type: ")) {
            out.insert(n.clone(), (t.to_string(), None));
        } else if let (Some(n), Some(f)) = (&name, line.strip_prefix("input_formats: ")) {
            let f = f.trim_matches(|c| "[]\"' ".contains(c)).to_string();
            out.get_mut(n).unwrap().1 = Some(f);
        }
    }
    // Custom tokenizers are listed with `- name:` too; they have no `type: text`-like
    // field type, so keep only real field types.
    out.retain(|_, (t, _)| !matches!(t.as_str(), "simple" | "regex" | "ngram"));
    out
}

fn opensearch_fields() -> BTreeMap<String, Value> {
    let text = std::fs::read_to_string(root().join("scripts/opensearch-mapping.json")).unwrap();
    let mapping: Value = serde_json::from_str(&text).unwrap();
    let props = mapping["mappings"]["properties"].as_object().unwrap();
    props.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
}

fn is_day(s: &str) -> bool {
    let b = s.as_bytes();
    s.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && s.chars().filter(char::is_ascii_digit).count() == 8
}

/// A value fits a Quickwit field type (null fits any: every field is optional there).
fn fits_quickwit(v: &Value, ty: &str, format: Option<&str>) -> bool {
    match (v, ty) {
        (Value::Null, _) => true,
        (Value::String(s), "datetime") => format == Some("%Y-%m-%d") && is_day(s),
        (Value::String(_), "text") => true,
        (Value::Number(n), "u64") => n.is_u64(),
        (Value::Bool(_), "bool") => true,
        (Value::Array(items), "array<text>") => items.iter().all(Value::is_string),
        _ => false,
    }
}

/// A value fits an OpenSearch mapping (arrays hold values of the field's type).
fn fits_opensearch(v: &Value, mapping: &Value) -> bool {
    let ty = mapping["type"].as_str().unwrap();
    match (v, ty) {
        (Value::Null, _) => true,
        (Value::Array(items), _) => items.iter().all(|i| fits_opensearch(i, mapping)),
        (Value::String(s), "date") => {
            mapping["format"].as_str() == Some("strict_date") && is_day(s)
        }
        (Value::String(_), "text" | "keyword") => true,
        (Value::Number(n), "long" | "integer") => n.is_i64(),
        (Value::Bool(_), "boolean") => true,
        _ => false,
    }
}

#[test]
fn the_configs_name_exactly_the_exported_fields() {
    let wire = wire_fields();
    let mut sorted = wire.clone();
    sorted.sort();
    let qw: Vec<String> = quickwit_fields().into_keys().collect();
    let os: Vec<String> = opensearch_fields().into_keys().collect();
    assert_eq!(qw, sorted, "quickwit-index.yaml");
    assert_eq!(os, sorted, "opensearch-mapping.json");
}

#[test]
fn every_exported_value_fits_each_config() {
    let run = callsearch(&["export", "--index", corpus_index()]);
    run.success();
    let lines = run.json_lines();
    let all = query_json("*", &["-n", "0"]).success().total();
    run.check(
        all > 500 && lines.len() as u64 == all,
        format!("expected {all} passages, got {}", lines.len()),
    );
    let (qw, os) = (quickwit_fields(), opensearch_fields());
    let mut ids = std::collections::HashSet::new();
    let mut dated = 0;
    for line in &lines {
        for (name, (ty, format)) in &qw {
            let v = line
                .get(name)
                .unwrap_or_else(|| panic!("missing {name} in {line}"));
            assert!(
                fits_quickwit(v, ty, format.as_deref()),
                "quickwit {name}: {ty} {format:?} does not take {v}"
            );
        }
        for (name, mapping) in &os {
            let v = &line[name];
            assert!(
                fits_opensearch(v, mapping),
                "opensearch {name}: {mapping} does not take {v}"
            );
        }
        assert!(ids.insert(line["passage_id"].as_str().unwrap().to_string()));
        match line["date"].as_str() {
            Some(d) => {
                dated += 1;
                let quarter = format!(
                    "{}-Q{}",
                    &d[..4],
                    (d[5..7].parse::<u32>().unwrap() - 1) / 3 + 1
                );
                assert_eq!(line["quarter"], quarter.as_str());
                assert_eq!(line["year"], d[..4].parse::<u64>().unwrap());
            }
            None => assert_eq!(line["format"], "streetevents-pdf", "only PDFs lack dates"),
        }
    }
    assert!(dated > 500, "{dated}");
}

#[test]
fn query_json_and_export_carry_the_same_passage() {
    let hit = query_json(
        "margin",
        &["--company", "aapl", "-n", "1", "--sort", "date"],
    )
    .hits()[0]
        .clone();
    let run = callsearch(&[
        "export",
        "margin",
        "--company",
        "aapl",
        "--index",
        corpus_index(),
    ]);
    run.success();
    let exported = run.json_lines().into_iter().next().unwrap();
    for (k, v) in exported.as_object().unwrap() {
        assert_eq!(&hit[k], v, "{k}");
    }
}

/// A filtered query: its total, and its passage ids in date order.
fn filtered_ids(extra: &[&str]) -> (u64, Vec<String>) {
    let mut args = vec!["-n", "100000", "--sort", "date"];
    args.extend_from_slice(extra);
    let run = query_json("revenue", &args);
    let ids = (run.hits().iter())
        .map(|h| h["passage_id"].as_str().unwrap().to_string())
        .collect();
    (run.total(), ids)
}

const FILTERS: &[&str] = &["--section", "qa", "--company", "aapl", "--company", "intc"];

fn export(format: &str, out: Option<&std::path::Path>) -> Run {
    let mut args = vec![
        "export",
        "revenue",
        "--index",
        corpus_index(),
        "--format",
        format,
    ];
    args.extend_from_slice(FILTERS);
    let path;
    if let Some(p) = out {
        path = p.display().to_string();
        args.extend(["--out", &path]);
    }
    callsearch(&args)
}

#[test]
fn a_filtered_export_has_exactly_total_hits_records_in_every_format() {
    let (total, ids) = filtered_ids(FILTERS);
    assert!(total > 5 && ids.len() as u64 == total, "{total}");

    let ndjson = export("ndjson", None);
    ndjson.success();
    let lines = ndjson.json_lines();
    let got: Vec<&str> = lines
        .iter()
        .map(|l| l["passage_id"].as_str().unwrap())
        .collect();
    assert_eq!(got, ids, "same passages, date order");

    let bulk = export("opensearch-bulk", None);
    bulk.success();
    let pairs = bulk.json_lines();
    assert_eq!(pairs.len() as u64, 2 * total);
    for pair in pairs.chunks(2) {
        assert_eq!(pair[0]["index"]["_id"], pair[1]["passage_id"]);
        assert_eq!(pair[0]["index"]["_index"], "callsearch");
    }

    let csv = export("csv", None);
    csv.success();
    let rows = parse_csv(&csv.stdout);
    assert_eq!(
        rows[0],
        wire_fields(),
        "header row: the wire fields in order"
    );
    assert_eq!(rows.len() as u64 - 1, total);
    for (row, line) in rows[1..].iter().zip(&lines) {
        assert_eq!(row[0], line["passage_id"].as_str().unwrap());
        let titles: Vec<&str> = (line["titles"].as_array().unwrap().iter())
            .map(|t| t.as_str().unwrap())
            .collect();
        let at = rows[0].iter().position(|c| c == "titles").unwrap();
        assert_eq!(row[at], titles.join("; "), "lists joined with `; `");
    }
}

/// RFC 4180 rows (quoted fields may hold commas, quotes and line breaks).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut field) = (Vec::new(), Vec::new(), String::new());
    let (mut quoted, mut chars) = (false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => field.push(c),
        }
    }
    rows
}

#[test]
fn a_parquet_export_reads_back_with_the_same_rows_and_columns() {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("passages.parquet");
    export("parquet", Some(&out)).success();
    let lines = export("ndjson", None).json_lines();
    let reader = SerializedFileReader::new(std::fs::File::open(&out).unwrap()).unwrap();
    let schema = reader.metadata().file_metadata().schema_descr();
    let columns: Vec<String> = (schema.root_schema().get_fields().iter())
        .map(|f| f.name().to_string())
        .collect();
    assert_eq!(columns, wire_fields());
    let rows: Vec<_> = reader
        .get_row_iter(None)
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(rows.len(), lines.len());
    for (row, line) in rows.iter().zip(&lines) {
        let cells: BTreeMap<&str, &Field> = row
            .get_column_iter()
            .map(|(n, f)| (n.as_str(), f))
            .collect();
        assert_eq!(cells.len(), columns.len());
        for (name, field) in &cells {
            let expected = &line[*name];
            match (field, expected) {
                (Field::Null, Value::Null) => {}
                (Field::Str(s), Value::String(e)) => assert_eq!(s, e, "{name}"),
                (Field::Long(n), Value::Number(e)) => assert_eq!(Some(*n), e.as_i64(), "{name}"),
                (Field::Bool(b), Value::Bool(e)) => assert_eq!(b, e, "{name}"),
                (Field::Date(days), Value::String(e)) => {
                    let day = time::Date::from_julian_day(2_440_588 + days).unwrap();
                    assert_eq!(&day.to_string(), e, "{name}");
                }
                (Field::ListInternal(list), Value::Array(e)) => {
                    let got: Vec<String> = (list.elements().iter())
                        .map(|f| match f {
                            Field::Str(s) => s.clone(),
                            other => panic!("{name}: {other:?}"),
                        })
                        .collect();
                    let want: Vec<&str> = e.iter().map(|v| v.as_str().unwrap()).collect();
                    assert_eq!(got, want, "{name}");
                }
                (f, e) => panic!("{name}: parquet {f:?} vs json {e}"),
            }
        }
    }
}

#[test]
fn a_failed_export_leaves_the_existing_file_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("passages.ndjson");
    std::fs::write(&out, "keep me\n").unwrap();
    let target = out.display().to_string();
    let bad_index = callsearch(&["export", "--index", "/nonexistent/index", "--out", &target]);
    bad_index.assert_code(2);
    let bad_query = callsearch(&[
        "export",
        "speaker:(",
        "--index",
        corpus_index(),
        "--out",
        &target,
    ]);
    bad_query.assert_code(2);
    bad_query.check(
        bad_query.stderr.contains("invalid query"),
        "the query error",
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me\n");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left behind");
    // A good export replaces it whole.
    callsearch(&[
        "export",
        "margin",
        "--index",
        corpus_index(),
        "--out",
        &target,
    ])
    .success();
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text.lines().count(), 54);
}

#[test]
fn export_into_the_index_folder_is_refused() {
    let index = corpus_index();
    let inside = format!("{index}/passages.ndjson");
    let run = callsearch(&["export", "--index", index, "--out", &inside]);
    run.assert_code(2);
    run.check(
        run.stderr.contains("inside the index folder") && run.stderr.lines().count() == 1,
        "one-line refusal",
    );
    assert!(!std::path::Path::new(&inside).exists());
}

#[test]
fn export_to_a_full_disk_fails_clearly() {
    if !std::path::Path::new("/dev/full").exists() {
        return; // not Linux
    }
    for format in ["ndjson", "parquet"] {
        let run = callsearch(&[
            "export",
            "--index",
            corpus_index(),
            "--format",
            format,
            "--out",
            "/dev/full",
        ]);
        run.assert_code(2);
        run.check(
            run.stderr.trim() == "error: cannot write /dev/full: no space left on device",
            format!("{format}: the disk-full message"),
        );
    }
}

#[test]
fn export_to_a_device_writes_directly() {
    let run = callsearch(&[
        "export",
        "margin",
        "--index",
        corpus_index(),
        "--out",
        "/dev/stdout",
    ]);
    run.success();
    assert_eq!(run.json_lines().len(), 54);
}

#[test]
fn exports_are_stable() {
    let once = callsearch(&["export", "--index", corpus_index(), "--format", "csv"]);
    let again = callsearch(&["export", "--index", corpus_index(), "--format", "csv"]);
    once.success();
    again.success();
    assert_eq!(once.stdout, again.stdout);
}
