//! Tabular datasets end to end: CSV, JSON Lines and Parquet files holding many calls
//! (one row per call, or Capital IQ style components), `--columns`, `source#row=N`,
//! rows removed on the next incremental run, and damaged or hostile datasets.

use crate::common;

use std::io::Write;
use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/tabular").join(name)
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// `parse --json FILE`: one JSON object per line, one per call.
fn parse_json(file: &Path, extra: &[&str]) -> (Run, Vec<Value>) {
    let mut args = vec!["parse", "--json", s(file)];
    args.extend_from_slice(extra);
    let run = callsearch(&args);
    let calls = run.json_lines();
    (run, calls)
}

fn speakers(call: &Value) -> Vec<String> {
    (call["turns"].as_array().unwrap().iter())
        .map(|t| t["speaker"].as_str().unwrap().to_string())
        .collect()
}

/// Every hit of `*` in the index (sorted by source, turn, paragraph).
fn all_hits(idx: &Path) -> Vec<Value> {
    let run = callsearch(&["query", "*", "--index", s(idx), "--json", "-n", "100000"]);
    run.success();
    run.hits()
}

fn sources(hits: &[Value]) -> std::collections::BTreeSet<String> {
    (hits.iter())
        .map(|h| {
            h["source"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn a_csv_with_one_row_per_call_gives_each_call_its_row() {
    let (run, calls) = parse_json(&fixture("calls.csv"), &[]);
    run.success();
    assert_eq!(calls.len(), 3, "{}", run.describe());
    let parts: Vec<&str> = calls.iter().map(|c| c["part"].as_str().unwrap()).collect();
    assert_eq!(parts, ["row=1", "row=2", "row=3"]);
    for c in &calls {
        assert_eq!(c["container"], "csv");
        assert_eq!(c["format"], "generic");
    }
    assert_eq!(calls[0]["ticker"], "IDT");
    assert_eq!(calls[1]["ticker"], "UTL");
    assert_eq!(calls[2]["company"], "Equity Commonwealth");
    // The participant lists and the `Name:` labels give every turn (as in the source).
    let idt = speakers(&calls[0]);
    assert_eq!(idt.len(), 25, "{idt:?}");
    assert_eq!(idt[..2], ["Operator", "Shmuel Jonas"]);
    assert_eq!(
        idt.iter().filter(|s| *s == "Unknown speaker").count(),
        9,
        "{idt:?}"
    );
    let eqc = speakers(&calls[2]);
    assert_eq!(eqc[1], "David A. Helfand", "{eqc:?}");
}

#[test]
fn columns_names_a_datasets_unusual_columns() {
    // Without --columns the file has no column a text could be in, and says so.
    let file = fixture("renamed.csv");
    let plain = callsearch(&["parse", "--json", s(&file)]);
    plain.assert_code(2);
    plain.check(
        plain.stderr.contains(
            "a table without a transcript text column (columns: sym, quarter_name, words)",
        ),
        "says why",
    );
    let (run, calls) = parse_json(
        &file,
        &["--columns", "text=words,period=quarter_name,ticker=sym"],
    );
    run.success();
    assert_eq!(calls.len(), 1);
    assert_eq!(
        (
            calls[0]["ticker"].as_str(),
            calls[0]["fiscal_period"].as_str()
        ),
        (Some("IDT"), Some("Q3 2021"))
    );
    assert_eq!(speakers(&calls[0]).len(), 25);
    let bad = callsearch(&["parse", s(&file), "--columns", "words=text"]);
    bad.assert_code(2);
    bad.check(
        bad.stderr
            .contains("--columns words=text: unknown field words"),
        "names the field",
    );
    let missing = callsearch(&["parse", s(&file), "--columns", "text=body"]);
    missing.assert_code(2);
    missing.check(
        missing
            .stderr
            .contains("--columns text=body: no such column (columns: sym, quarter_name, words)"),
        "names the columns",
    );
}

#[test]
fn typed_labels_in_a_text_cell_are_turns_on_the_right_side() {
    let (run, calls) = parse_json(&fixture("typed.jsonl"), &[]);
    run.success();
    assert_eq!(calls.len(), 2, "{}", run.describe());
    assert_eq!(calls[0]["part"], "transcript=9000");
    assert_eq!(calls[0]["container"], "jsonl");
    // PennyMac's call has no Q&A: six turns, all in the presentation, as in the source.
    let pmt = calls[0]["turns"].as_array().unwrap();
    assert_eq!(pmt.len(), 6);
    assert!(pmt.iter().all(|t| t["section"] == "presentation"));
    // `[Question]` opens the Q&A; its speakers are analysts, `[Answer]` ones executives.
    let turns = calls[1]["turns"].as_array().unwrap();
    assert_eq!(turns.len(), 19);
    let qa = turns.iter().filter(|t| t["section"] == "qa").count();
    assert!(qa > 0 && qa < turns.len(), "{qa} of {}", turns.len());
    let analysts = (turns.iter())
        .filter(|t| t["role_class"] == "analyst")
        .count();
    assert!(analysts > 0, "no analyst turns");
}

#[test]
fn capital_iq_components_make_calls_in_parquet_and_json_lines() {
    let (run, calls) = parse_json(&fixture("components.parquet"), &[]);
    run.success();
    assert_eq!(calls.len(), 2, "{}", run.describe());
    let amzn = &calls[0];
    assert_eq!(amzn["part"], "transcript=1234560");
    assert_eq!(
        (amzn["format"].as_str(), amzn["container"].as_str()),
        (Some("capital-iq"), Some("parquet"))
    );
    assert_eq!(amzn["date"], "2017-07-27");
    let (jrun, jcalls) = parse_json(&fixture("components.jsonl"), &[]);
    jrun.success();
    assert_eq!(jcalls.len(), 1);
    // The same call from both files: the same turns, speakers and sections.
    assert_eq!(jcalls[0]["turns"], amzn["turns"]);
    let turns = amzn["turns"].as_array().unwrap();
    let first_qa = turns.iter().position(|t| t["section"] == "qa").unwrap();
    assert!(first_qa > 1);
    let roles: Vec<&str> = turns
        .iter()
        .map(|t| t["role_class"].as_str().unwrap())
        .collect();
    assert!(
        roles.contains(&"executive") && roles.contains(&"analyst") && roles.contains(&"operator"),
        "{roles:?}"
    );
}

#[test]
fn passages_name_file_and_row_and_a_removed_row_leaves_the_index() {
    let csv = std::fs::read_to_string(fixture("calls.csv")).unwrap();
    let dir = folder_with(&[
        ("calls/calls.csv", csv.as_bytes()),
        ("calls/c.parquet", &read(fixture("components.parquet"))),
    ]);
    let (calls, idx) = (dir.path().join("calls"), dir.path().join("idx"));
    let first = callsearch(&["index", s(&calls), "--index", s(&idx), "--json"]).report(0);
    assert_eq!(first["indexed"], 2, "{first}");
    let hits = all_hits(&idx);
    let want: Vec<&str> = vec![
        "c.parquet#transcript=1234560",
        "c.parquet#transcript=1234561",
        "calls.csv#row=1",
        "calls.csv#row=2",
        "calls.csv#row=3",
    ];
    assert_eq!(sources(&hits).into_iter().collect::<Vec<_>>(), want);
    assert!(
        hits.iter()
            .all(|h| h["container"] == "csv" || h["container"] == "parquet")
    );
    // Drop the second data row (UTL): its passages go, the others stay (row 3 is now row 2).
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(&header).unwrap();
    out.write_record(&rows[0]).unwrap();
    out.write_record(&rows[2]).unwrap();
    std::fs::write(calls.join("calls.csv"), out.into_inner().unwrap()).unwrap();
    let second = callsearch(&["index", s(&calls), "--index", s(&idx), "--json"]).report(0);
    assert_eq!(
        (second["indexed"].as_u64(), second["unchanged"].as_u64()),
        (Some(1), Some(1)),
        "{second}"
    );
    let after = all_hits(&idx);
    let want: Vec<&str> = vec![
        "c.parquet#transcript=1234560",
        "c.parquet#transcript=1234561",
        "calls.csv#row=1",
        "calls.csv#row=2",
    ];
    assert_eq!(sources(&after).into_iter().collect::<Vec<_>>(), want);
    assert!(
        after.iter().all(|h| h["ticker"] != "UTL"),
        "UTL passages left behind"
    );
    let utl = hits.iter().filter(|h| h["ticker"] == "UTL").count();
    assert_eq!(after.len() + utl, hits.len());
    // Removing the file takes every call of it out.
    std::fs::remove_file(calls.join("calls.csv")).unwrap();
    callsearch(&["index", s(&calls), "--index", s(&idx), "--json"]).report(0);
    let last = all_hits(&idx);
    assert_eq!(sources(&last).len(), 2);
    assert!(last.iter().all(|h| h["container"] == "parquet"));
}

#[test]
fn report_counts_each_call_of_a_dataset_under_its_layout_and_container() {
    let run = callsearch(&[
        "report",
        s(&root().join("tests/fixtures/tabular")),
        "--json",
    ]);
    run.success();
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let stats = &report["layouts"];
    assert_eq!(stats["generic+csv"]["parsed"], 3, "{stats}");
    assert_eq!(stats["generic+jsonl"]["parsed"], 2, "{stats}");
    // The parquet file holds the JSON Lines file's call too: counted as a duplicate.
    let pq = &stats["capital-iq+parquet"];
    assert_eq!(
        (
            pq["files"].as_u64(),
            pq["parsed"].as_u64(),
            pq["duplicates"].as_u64()
        ),
        (Some(2), Some(1), Some(1)),
        "{stats}"
    );
    assert_eq!(stats["capital-iq+jsonl"]["parsed"], 1, "{stats}");
    // renamed.csv has no column a text could be in without --columns: it is not a dataset.
    let why = "a table without a transcript text column (columns: sym, quarter_name, words): \
               name it with --columns text=COLUMN";
    assert_eq!(stats["(none)"]["skipped"][why], 1, "{stats}");
}

/// A Parquet file cut in half, with flipped bytes, or random bytes behind its magic:
/// a reason, no panic, and the run goes on to the good file.
#[test]
fn damaged_parquet_is_reported_with_a_reason_and_the_run_goes_on() {
    let good = read(fixture("components.parquet"));
    let mut flipped = good.clone();
    for i in (8..good.len() - 8).step_by(97) {
        flipped[i] ^= 0x5a;
    }
    let mut junk = b"PAR1".to_vec();
    junk.extend((0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    junk.extend(b"PAR1");
    let dir = folder_with(&[
        ("d/good.parquet", &good),
        ("d/half.parquet", &good[..good.len() / 2]),
        ("d/flipped.parquet", &flipped),
        ("d/junk.parquet", &junk),
    ]);
    let idx = dir.path().join("idx");
    let run = callsearch(&[
        "index",
        s(&dir.path().join("d")),
        "--index",
        s(&idx),
        "--json",
    ]);
    let report = run.report(1);
    let failed = report["failed"].as_array().unwrap();
    let named = |name: &str| {
        failed.iter().find(|f| {
            f["file"].as_str().unwrap_or_default().contains(name) || f.to_string().contains(name)
        })
    };
    for name in ["half.parquet", "junk.parquet"] {
        let f = named(name).unwrap_or_else(|| panic!("{name} not reported: {report}"));
        assert!(f.to_string().contains("parquet"), "{f}");
    }
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_eq!(
        sources(&all_hits(&idx))
            .iter()
            .filter(|s| s.starts_with("good.parquet#"))
            .count(),
        2
    );
}

/// A gzip CSV that inflates past the cap is refused as a bomb, with the calls before it
/// kept; a row longer than --max-file-size fails alone.
#[test]
fn a_gzip_csv_bomb_and_an_overlong_row_are_refused_with_reasons() {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(b"ticker,transcript\nAAA,\"").unwrap();
    let zeros = vec![b'a'; 1 << 20];
    for _ in 0..400 {
        gz.write_all(&zeros).unwrap();
    }
    let bomb = gz.finish().unwrap();
    let dir = folder_with(&[("d/bomb.csv.gz", &bomb)]);
    let run = callsearch(&["parse", s(&dir.path().join("d/bomb.csv.gz"))]);
    run.assert_code(2);
    assert!(
        run.stderr.contains("bomb") || run.stderr.contains("over"),
        "{}",
        run.stderr
    );
    let csv = std::fs::read_to_string(fixture("calls.csv")).unwrap();
    let long = format!("{csv}XXX,,,\"{}\"\n", "word ".repeat(300_000));
    let dir = folder_with(&[("d/long.csv", long.as_bytes())]);
    let run = callsearch(&[
        "parse",
        "--json",
        s(&dir.path().join("d/long.csv")),
        "--max-file-size",
        "1",
    ]);
    run.assert_code(1);
    assert_eq!(run.json_lines().len(), 3);
    assert!(
        run.stderr
            .contains("long.csv#row=4: cannot read: a row over 1 MB"),
        "{}",
        run.stderr
    );
}

mod random {
    use super::*;
    use proptest::prelude::*;

    fn parse_file(name: &str, bytes: &[u8]) {
        let dir = folder_with(&[(name, bytes)]);
        let run = callsearch(&["parse", "--json", s(&dir.path().join(name))]);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        assert!([0, 1, 2].contains(&run.code), "{}", run.describe());
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

        #[test]
        fn random_bytes_behind_parquet_magic_never_panic(body in prop::collection::vec(any::<u8>(), 0..2048), tail in any::<bool>()) {
            let mut bytes = b"PAR1".to_vec();
            bytes.extend(body);
            if tail { bytes.extend(b"PAR1"); }
            parse_file("x.parquet", &bytes);
        }

        #[test]
        fn random_rows_under_a_dataset_header_never_panic(rows in "([\\PC\"\n,]{0,80}\n){0,20}", jsonl in any::<bool>()) {
            let bytes = if jsonl {
                format!("{{\"ticker\": \"A\", \"transcript\": {rows:?}}}\n{rows}")
            } else {
                format!("ticker,transcript\n{rows}")
            };
            parse_file("x.dat", bytes.as_bytes());
        }
    }
}
