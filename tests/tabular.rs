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

    fn parse_file(name: &str, bytes: &[u8]) -> Run {
        let dir = folder_with(&[(name, bytes)]);
        let run = callsearch(&["parse", "--json", s(&dir.path().join(name))]);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        assert!([0, 1, 2].contains(&run.code), "{}", run.describe());
        run
    }

    /// The run reached the dataset reader of `container`: calls from it, or errors
    /// naming a row of the file or the reader.
    fn reached(run: &Run, container: &str) {
        let calls = run.json_lines();
        let from_it = !calls.is_empty() && calls.iter().all(|c| c["container"] == container);
        let said = run.stderr.contains("#row=")
            || run.stderr.contains("#transcript=")
            || run.stderr.contains("a dataset with no rows")
            || run.stderr.contains(container);
        run.check(
            from_it || said,
            format!("the {container} reader was reached"),
        );
    }

    /// A real dataset fixture with `flips` bytes overwritten.
    fn flipped(name: &str, flips: &[(usize, u8)]) -> Vec<u8> {
        let mut bytes = read(fixture(name));
        let len = bytes.len();
        for (at, b) in flips {
            bytes[at % len] = *b;
        }
        bytes
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

        #[test]
        fn random_bytes_behind_parquet_magic_never_panic(body in prop::collection::vec(any::<u8>(), 0..2048), tail in any::<bool>()) {
            let mut bytes = b"PAR1".to_vec();
            bytes.extend(body);
            if tail { bytes.extend(b"PAR1"); }
            let run = parse_file("x.parquet", &bytes);
            run.assert_code(2);
            reached(&run, "parquet");
        }

        #[test]
        fn random_rows_under_a_dataset_header_never_panic(rows in "([\\PC\"\n,]{0,80}\n){0,20}", jsonl in any::<bool>()) {
            let bytes = if jsonl {
                format!("{{\"ticker\": \"A\", \"transcript\": {rows:?}}}\n{rows}")
            } else {
                format!("ticker,transcript\n{rows}")
            };
            let run = parse_file("x.dat", bytes.as_bytes());
            if run.code != 0 || !run.stdout.is_empty() {
                reached(&run, if jsonl { "jsonl" } else { "csv" });
            }
        }

        /// The real fixtures of each container with bytes overwritten anywhere (the
        /// Parquet one through the reading child).
        #[test]
        fn real_datasets_with_bytes_flipped_never_panic(
            which in 0..3usize,
            flips in prop::collection::vec((any::<usize>(), any::<u8>()), 1..20),
        ) {
            let name = ["calls.csv", "typed.jsonl", "components.parquet"][which];
            parse_file(name, &flipped(name, &flips));
        }
    }
}

/// Parquet files built at test time, byte by byte where the writer would refuse: a page
/// header (thrift compact protocol, written here since the crate keeps its own private)
/// and a footer from the crate's metadata builders, so each field can lie.
mod hostile {
    use std::io::Write;
    use std::sync::Arc;

    use parquet::basic::{Compression, GzipLevel, ZstdLevel};
    use parquet::file::metadata::{
        ColumnChunkMetaData, FileMetaData, ParquetMetaDataBuilder, ParquetMetaDataWriter,
        RowGroupMetaData,
    };
    use parquet::schema::types::SchemaDescriptor;

    /// One column, `transcript`, so the file is taken for a dataset of one row per call.
    fn schema() -> Arc<SchemaDescriptor> {
        let message = "message calls { required binary transcript (UTF8); }";
        let root = parquet::schema::parser::parse_message_type(message).unwrap();
        Arc::new(SchemaDescriptor::new(Arc::new(root)))
    }

    /// A thrift compact varint of a zigzagged i32.
    fn varint(out: &mut Vec<u8>, n: i32) {
        let mut z = ((n << 1) ^ (n >> 31)) as u32;
        while z >= 0x80 {
            out.push((z as u8) | 0x80);
            z >>= 7;
        }
        out.push(z as u8);
    }

    /// A v1 data page header: PLAIN values, RLE levels (none, the column is required).
    pub fn page_header(uncompressed: i32, compressed: i32, values: i32) -> Vec<u8> {
        let mut h = Vec::new();
        // Fields 1-3 (type DATA_PAGE, sizes), each an i32 one id after the last.
        for v in [0, uncompressed, compressed] {
            h.push(0x15);
            varint(&mut h, v);
        }
        h.push(0x2c); // field 5 (two ids on): the data page header struct
        for v in [values, 0, 3, 3] {
            h.push(0x15);
            varint(&mut h, v);
        }
        h.extend([0, 0]); // end of the inner and of the outer struct
        h
    }

    /// How each file lies.
    pub struct Lies {
        pub codec: Compression,
        /// The page header's uncompressed size; `None`: the body's true length.
        pub claimed: Option<i32>,
        pub values: i32,
        pub rows: i64,
        /// The column chunk points at the footer itself instead of the page.
        pub chunk_is_footer: bool,
    }

    impl Default for Lies {
        fn default() -> Self {
            Lies {
                codec: Compression::UNCOMPRESSED,
                claimed: None,
                values: 1,
                rows: 1,
                chunk_is_footer: false,
            }
        }
    }

    /// `PAR1`, one page of `body` (already compressed as `lies.codec` says, `plain` bytes
    /// before that), the footer, its length, `PAR1`.
    pub fn file(body: &[u8], plain: usize, lies: &Lies) -> Vec<u8> {
        let header = page_header(
            lies.claimed.unwrap_or(plain as i32),
            body.len() as i32,
            lies.values,
        );
        let mut out = b"PAR1".to_vec();
        out.extend(&header);
        out.extend(body);
        let page = (4i64, (header.len() + body.len()) as i64);
        // The footer's own place depends on its length: settle it in a few rounds.
        let mut chunk = page;
        let mut footer = Vec::new();
        for _ in 0..4 {
            footer = footer_bytes(chunk, lies);
            if !lies.chunk_is_footer {
                break;
            }
            chunk = (out.len() as i64, footer.len() as i64 - 8);
        }
        out.extend(footer);
        out
    }

    fn footer_bytes((offset, len): (i64, i64), lies: &Lies) -> Vec<u8> {
        let schema = schema();
        let column = ColumnChunkMetaData::builder(schema.column(0))
            .set_compression(lies.codec)
            .set_num_values(i64::from(lies.values))
            .set_data_page_offset(offset)
            .set_total_compressed_size(len)
            .set_total_uncompressed_size(len)
            .build()
            .unwrap();
        let group = RowGroupMetaData::builder(schema.clone())
            .set_num_rows(lies.rows)
            .set_total_byte_size(len)
            .set_column_metadata(vec![column])
            .build()
            .unwrap();
        let file = FileMetaData::new(1, lies.rows, None, None, schema, None);
        let metadata = ParquetMetaDataBuilder::new(file)
            .add_row_group(group)
            .build();
        let mut out = Vec::new();
        ParquetMetaDataWriter::new(&mut out, &metadata)
            .finish()
            .unwrap();
        out
    }

    /// One PLAIN byte-array value: its length, then its bytes.
    pub fn plain_value(text: &str) -> Vec<u8> {
        let mut v = (text.len() as u32).to_le_bytes().to_vec();
        v.extend(text.as_bytes());
        v
    }

    pub fn gzip(plain: &[u8]) -> Vec<u8> {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(plain).unwrap();
        gz.finish().unwrap()
    }

    /// A real call's text as one readable row (the base every lie starts from).
    pub fn call_text() -> String {
        "Operator: Good day and welcome to the Acme first quarter call.\n\
         Jane Roe: Thank you. Revenue grew and margins held.\n\
         Operator: Our first question comes from John Doe.\n\
         John Doe: How did margins hold?\n\
         Jane Roe: Pricing held and costs fell.\n"
            .to_string()
    }

    pub fn honest(codec: Compression) -> Vec<u8> {
        let plain = plain_value(&call_text());
        let body = match codec {
            Compression::GZIP(_) => gzip(&plain),
            _ => plain.clone(),
        };
        file(
            &body,
            plain.len(),
            &Lies {
                codec,
                ..Lies::default()
            },
        )
    }

    /// The hostile files, by name: each must be refused with a parquet reason.
    pub fn files() -> Vec<(&'static str, Vec<u8>)> {
        let gzip_codec = Compression::GZIP(GzipLevel::default());
        let plain = plain_value(&call_text());
        // 1.5 GB of zeros in a 1.5 MB gzip page that claims 64 bytes.
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..1536 {
            gz.write_all(&zeros).unwrap();
        }
        let bomb = gz.finish().unwrap();
        let small_gz = gzip(&plain);
        let whole = honest(Compression::UNCOMPRESSED);
        let mut footer_len_is_file = whole.clone();
        let n = whole.len();
        footer_len_is_file[n - 8..n - 4].copy_from_slice(&((n - 8) as u32).to_le_bytes());
        vec![
            (
                "bomb.parquet",
                file(
                    &bomb,
                    64,
                    &Lies {
                        codec: gzip_codec,
                        claimed: Some(64),
                        ..Lies::default()
                    },
                ),
            ),
            (
                "claims-2gb.parquet",
                file(
                    &small_gz,
                    plain.len(),
                    &Lies {
                        codec: gzip_codec,
                        claimed: Some(i32::MAX),
                        ..Lies::default()
                    },
                ),
            ),
            (
                "chunk-is-footer.parquet",
                file(
                    &plain,
                    plain.len(),
                    &Lies {
                        chunk_is_footer: true,
                        ..Lies::default()
                    },
                ),
            ),
            ("footer-is-file.parquet", footer_len_is_file),
            (
                "absurd-counts.parquet",
                file(
                    &plain,
                    plain.len(),
                    &Lies {
                        values: i32::MAX,
                        rows: i64::MAX,
                        ..Lies::default()
                    },
                ),
            ),
        ]
    }

    pub fn zstd() -> Vec<u8> {
        let plain = plain_value(&call_text());
        file(
            &plain,
            plain.len(),
            &Lies {
                codec: Compression::ZSTD(ZstdLevel::default()),
                ..Lies::default()
            },
        )
    }
}

/// The hand-built files are real Parquet when they do not lie: what the hostile ones
/// below are refused for is each lie, not the way they are made.
#[test]
fn hand_built_parquet_is_read_when_it_does_not_lie() {
    use parquet::basic::{Compression, GzipLevel};
    for codec in [
        Compression::UNCOMPRESSED,
        Compression::GZIP(GzipLevel::default()),
    ] {
        let dir = folder_with(&[("calls.parquet", &hostile::honest(codec))]);
        let (run, calls) = parse_json(&dir.path().join("calls.parquet"), &[]);
        run.success();
        assert_eq!(calls.len(), 1, "{}", run.describe());
        assert_eq!(calls[0]["container"], "parquet");
        assert_eq!(
            speakers(&calls[0]),
            ["Operator", "Jane Roe", "Operator", "John Doe", "Jane Roe"],
            "{codec:?}"
        );
    }
}

/// A compression bomb (1.5 GB of zeros in a 1.5 MB gzip page claiming 64 bytes), a page
/// claiming 2 GB, a column chunk that points at the footer, a footer length that claims
/// the whole file, absurd value and row counts: each is refused with a one-line parquet
/// reason naming the file, well within the limits, and a run over them indexes the good
/// file. `CALLSEARCH_HOSTILE_DIR=DIR` also writes them to DIR (to measure a run by hand).
#[test]
fn hostile_parquet_is_refused_with_a_reason_within_the_limits_and_the_run_goes_on() {
    let mut files = hostile::files();
    if let Some(out) = std::env::var_os("CALLSEARCH_HOSTILE_DIR") {
        for (name, bytes) in &files {
            std::fs::write(Path::new(&out).join(name), bytes).unwrap();
        }
    }
    for (name, bytes) in &files {
        let dir = folder_with(&[(name, bytes.as_slice())]);
        let started = std::time::Instant::now();
        let run = callsearch(&["parse", s(&dir.path().join(name))]);
        run.assert_code(2);
        let line = (run.stderr.lines())
            .find(|l| l.contains(name))
            .unwrap_or_else(|| run.fail(format!("no error line names {name}")));
        run.check(
            line.contains("parquet"),
            format!("{name}: a parquet reason"),
        );
        run.check(!run.stderr.contains("panicked"), "no panic");
        run.check(
            started.elapsed() < std::time::Duration::from_secs(120),
            format!("{name} refused within the limits"),
        );
    }
    let bomb_run = {
        let (name, bytes) = &files[0];
        let dir = folder_with(&[(name, bytes.as_slice())]);
        callsearch(&["parse", s(&dir.path().join(name))])
    };
    bomb_run.check(
        bomb_run.stderr.contains("memory") || bomb_run.stderr.contains("cpu"),
        "the bomb is stopped by the child's limits",
    );
    files.push(("good.parquet", read(fixture("components.parquet"))));
    let named: Vec<(String, &[u8])> = (files.iter())
        .map(|(n, b)| (format!("d/{n}"), b.as_slice()))
        .collect();
    let named: Vec<(&str, &[u8])> = named.iter().map(|(n, b)| (n.as_str(), *b)).collect();
    let dir = folder_with(&named);
    let idx = dir.path().join("idx");
    let run = callsearch(&[
        "index",
        s(&dir.path().join("d")),
        "--index",
        s(&idx),
        "--json",
    ]);
    let report = run.report(1);
    let failed = report["failed"].as_array().unwrap().len();
    assert_eq!(failed, files.len() - 1, "{report}");
    assert_eq!(
        sources(&all_hits(&idx))
            .iter()
            .filter(|s| s.starts_with("good.parquet#"))
            .count(),
        2
    );
}

/// Polars writes zstd by default; this build has no zstd: the file says which codec it
/// uses and which ones this build reads.
#[test]
fn zstd_parquet_names_its_codec_and_the_codecs_this_build_reads() {
    let dir = folder_with(&[("polars.parquet", &hostile::zstd())]);
    let run = callsearch(&["parse", s(&dir.path().join("polars.parquet"))]);
    run.assert_code(2);
    run.check(
        run.stderr.contains(
            "polars.parquet: parquet pages compressed with zstd, which this build does not read \
             (it reads snappy, gzip, lz4 or uncompressed pages",
        ),
        "names the codec and the ones read",
    );
    run.check(run.stderr.lines().count() == 1, "one line");
}

/// An index written before a dataset's calls were recorded one by one (its manifest
/// lists each dataset's `parts`, not their `calls`) re-reads its datasets once, with
/// the same passages, and is then up to date.
#[test]
fn an_index_from_before_dataset_calls_were_recorded_reads_its_datasets_once() {
    let dir = folder_with(&[
        ("calls/calls.csv", &read(fixture("calls.csv"))),
        ("calls/c.parquet", &read(fixture("components.parquet"))),
    ]);
    let (calls, idx) = (dir.path().join("calls"), dir.path().join("idx"));
    let first = callsearch(&["index", s(&calls), "--index", s(&idx), "--json"]).report(0);
    assert_eq!(first["indexed"], 2, "{first}");
    let before = all_hits(&idx);
    let manifest = current_files(&idx).join("callsearch-manifest.json");
    let mut old: Value = serde_json::from_slice(&read(&manifest)).unwrap();
    let entries = old["files"].as_object_mut().unwrap();
    for entry in entries.values_mut() {
        let calls = entry.as_object_mut().unwrap().remove("calls");
        assert!(
            calls.is_some_and(|c| c.as_array().unwrap().len() >= 2),
            "{entry}"
        );
    }
    std::fs::write(&manifest, serde_json::to_vec(&old).unwrap()).unwrap();
    let second = callsearch(&["index", s(&calls), "--index", s(&idx), "--json"]).report(0);
    assert_eq!(second["indexed"], 2, "{second}");
    assert_eq!(second["unchanged"], 0, "{second}");
    let ids = |hits: &[Value]| -> Vec<String> {
        (hits.iter())
            .map(|h| h["passage_id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&all_hits(&idx)), ids(&before));
    let third = callsearch(&["index", s(&calls), "--index", s(&idx), "--json"]).report(0);
    assert_eq!(third["indexed"], 0, "{third}");
    assert_eq!(third["unchanged"], 2, "{third}");
}
