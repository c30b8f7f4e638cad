//! Every layout parser survives random and mutated input: no panic, whatever the bytes;
//! and the binary bounds what it is given: queries too deep or too long, inputs that are
//! not regular files or too large, thread counts, file names of any bytes.
//! The budget is small so `cargo test` stays fast; raise `PROPTEST_CASES` to run longer.

use crate::common;

use std::path::Path;

use callsearch::transcript::{self, LAYOUTS};
use proptest::prelude::*;

/// Real fixtures, one or more per layout, as mutation seeds: the text ones, and the
/// gzip ones (the fool.com pages) unpacked, so their HTML is mutated too.
fn seeds() -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
        let entry = entry.unwrap();
        let ext = entry.path().extension().and_then(|e| e.to_str());
        let bytes = || std::fs::read(entry.path()).unwrap();
        match ext {
            Some("txt") => out.push(bytes()),
            Some("gz") => {
                let mut html = Vec::new();
                std::io::Read::read_to_end(
                    &mut flate2::read::GzDecoder::new(&bytes()[..]),
                    &mut html,
                )
                .unwrap();
                out.push(html);
            }
            _ => {}
        }
    }
    out
}

/// Run every layout's parser directly (not only the detected one), then the full pipeline.
fn parse_everywhere(bytes: &[u8]) {
    let text = transcript::text::decode(bytes).replace("\r\n", "\n");
    for layout in LAYOUTS {
        let _ = layout.detect(&text);
        let _ = layout.parse(&text, Path::new("Q3 2022 Fuzz Corp Earnings Call.txt"));
    }
    if let Ok(t) = transcript::parse_bytes(bytes, Path::new("fuzz.txt")) {
        let _ = callsearch::transcript::passages::passages(&t, "fuzz.txt");
    }
}

/// A mutation of a real transcript: cut, splice, duplicate or corrupt lines.
#[derive(Debug, Clone)]
enum Mutation {
    Truncate(usize),
    DropLines(usize, usize),
    RepeatLines(usize, usize),
    FlipBytes(Vec<(usize, u8)>),
    InsertLine(usize, String),
}

fn mutate(seed: &[u8], m: &Mutation) -> Vec<u8> {
    let lines: Vec<&[u8]> = seed.split(|&b| b == b'\n').collect();
    let n = lines.len().max(1);
    let join = |ls: Vec<&[u8]>| ls.join(&b'\n');
    match m {
        Mutation::Truncate(at) => seed[..at % (seed.len() + 1)].to_vec(),
        Mutation::DropLines(from, len) => {
            let from = from % n;
            let to = (from + len).min(lines.len());
            join(lines[..from].iter().chain(&lines[to..]).copied().collect())
        }
        Mutation::RepeatLines(from, len) => {
            let from = from % n;
            let to = (from + len).min(lines.len());
            let mut out = lines.clone();
            out.splice(to..to, lines[from..to].iter().copied());
            join(out)
        }
        Mutation::FlipBytes(flips) => {
            let mut out = seed.to_vec();
            for (at, byte) in flips {
                if !out.is_empty() {
                    let i = at % out.len();
                    out[i] = *byte;
                }
            }
            out
        }
        Mutation::InsertLine(at, line) => {
            let mut out = lines.clone();
            out.insert(at % (lines.len() + 1), line.as_bytes());
            join(out)
        }
    }
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let header_like = prop_oneof![
        Just("Operator".to_string()),
        Just("QUESTIONS AND ANSWERS".to_string()),
        Just(
            "--------------------------------------------------------------------------------"
                .to_string()
        ),
        Just(
            "================================================================================"
                .to_string()
        ),
        Just("Questions and Answers".to_string()),
        Just("Question-and-Answer Session".to_string()),
        Just(" * ".to_string()),
        Just(" ".to_string()),
        Just("DISCLAIMER".to_string()),
        "[A-Za-z ,.\\-\\[\\]0-9]{0,80}",
    ];
    prop_oneof![
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), 1..200usize).prop_map(|(a, b)| Mutation::DropLines(a, b)),
        (any::<usize>(), 1..50usize).prop_map(|(a, b)| Mutation::RepeatLines(a, b)),
        prop::collection::vec((any::<usize>(), any::<u8>()), 1..40).prop_map(Mutation::FlipBytes),
        (any::<usize>(), header_like).prop_map(|(a, l)| Mutation::InsertLine(a, l)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        parse_everywhere(&bytes);
    }

    #[test]
    fn random_bytes_behind_gzip_and_utf16_marks_never_panic(
        bytes in prop::collection::vec(any::<u8>(), 0..4096),
        mark in prop_oneof![Just(vec![0x1f, 0x8b, 8, 0]), Just(vec![0xff, 0xfe]), Just(vec![0xfe, 0xff])],
    ) {
        let mut marked = mark;
        marked.extend(bytes);
        parse_everywhere(&marked);
    }

    #[test]
    fn gzipped_transcripts_cut_anywhere_never_panic(which in any::<usize>(), cut in any::<usize>()) {
        let seeds = seeds();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, &seeds[which % seeds.len()]).unwrap();
        let packed = gz.finish().unwrap();
        parse_everywhere(&packed[..cut % (packed.len() + 1)]);
    }

    #[test]
    fn random_text_never_panics(text in "(\\PC{0,60}\n){0,60}") {
        parse_everywhere(text.as_bytes());
    }

    #[test]
    fn mutated_transcripts_never_panic(which in any::<usize>(), m in mutation()) {
        let seeds = seeds();
        let seed = &seeds[which % seeds.len()];
        parse_everywhere(&mutate(seed, &m));
    }
}

#[test]
fn every_fixture_cut_at_every_line_parses_without_panic() {
    for seed in seeds() {
        let mut end = 0;
        for (i, line) in seed.split_inclusive(|&b| b == b'\n').enumerate() {
            end += line.len();
            if i % 7 == 0 {
                parse_everywhere(&seed[..end]);
            }
        }
    }
}

/// A query beyond a bound: exit 2 and one line naming the bound, said once.
#[track_caller]
fn refused(q: &str, says: &str) {
    let run = common::query_json(q, &["-n", "1"]);
    run.assert_code(2);
    run.check(run.stdout.is_empty(), "nothing on stdout");
    run.check(
        run.stderr.trim().lines().count() == 1 && run.stderr.contains(says),
        format!("expected one line saying {says:?}"),
    );
    run.check(
        run.stderr.matches("invalid query").count() == 1,
        "`invalid query` said once",
    );
}

#[test]
fn brackets_nested_beyond_64_are_refused_not_a_stack_overflow() {
    let nest = |n: usize| format!("{}margin{}", "(".repeat(n), ")".repeat(n));
    refused(&nest(9000), "brackets nested 9000 deep, the limit is 64");
    refused(&nest(65), "brackets nested 65 deep, the limit is 64");
    // Unbalanced brackets count as opened.
    refused(&"(".repeat(10_000), "brackets nested 10000 deep");
    let at_limit = common::query_json(&nest(64), &["-n", "1"]);
    at_limit.hits();
    at_limit.check(at_limit.total() > 0, "64 levels still search");
}

#[test]
fn huge_phrases_and_not_chains_are_refused_by_the_word_limit() {
    let phrase = format!("\"{}\"", vec!["a"; 15_000].join(" "));
    refused(&phrase, "15000 words, the limit is 1000");
    let nots = format!("{} margin", vec!["NOT"; 20_000].join(" "));
    refused(&nots, "20001 words, the limit is 1000");
    let parts = vec!["q"; 5000].join(",");
    refused(
        &format!("\"{parts}\""),
        "5000 terms in 1 words, the limit is 2000 terms",
    );
    refused(&"x".repeat(100_000), "98 KB, the limit is 64 KB");
    // The longest NOT chain allowed answers, and says what it counted.
    let allowed = format!("margin {}", vec!["NOT x"; 499].join(" "));
    let run = common::query_json(&allowed, &["-n", "1"]);
    run.hits();
}

#[test]
fn a_pasted_paragraph_of_1000_words_is_searched() {
    let text = String::from_utf8_lossy(&common::read(common::SEED)).into_owned();
    let words: Vec<&str> = text.split_whitespace().skip(400).take(1000).collect();
    assert_eq!(words.len(), 1000);
    let run = common::query_json(&words.join(" "), &["-n", "3"]);
    let hits = run.hits();
    run.check(
        hits[0]["source"].as_str().unwrap().ends_with(common::SEED),
        "the paragraph's own call ranks first",
    );
}

#[test]
fn a_query_that_only_excludes_says_so_once() {
    let run = common::callsearch(&[
        "query",
        "--index",
        common::corpus_index(),
        "--",
        "-section:qa",
    ]);
    run.assert_code(2);
    run.check(
        run.stderr.trim() == "error: invalid query: it only excludes (`-word`, `NOT word`): add a word to search for",
        "one clear line",
    );
}

/// A run that must answer within `secs` (a blocked read or a runaway would not).
#[track_caller]
fn within(secs: u64, args: &[&str]) -> common::Run {
    let (tx, rx) = std::sync::mpsc::channel();
    let owned: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    std::thread::spawn(move || {
        let args: Vec<&str> = owned.iter().map(String::as_str).collect();
        let _ = tx.send(common::callsearch(&args));
    });
    rx.recv_timeout(std::time::Duration::from_secs(secs))
        .unwrap_or_else(|_| panic!("callsearch {args:?} did not answer within {secs} s"))
}

#[cfg(unix)]
fn fifo(path: &Path) {
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
}

#[cfg(unix)]
#[test]
fn parse_refuses_devices_and_fifos_at_once() {
    let run = within(10, &["parse", "/dev/zero"]);
    run.assert_code(2).check(
        run.stderr.trim() == "error: /dev/zero: not a regular file (a device)",
        "device",
    );
    let dir = tempfile::tempdir().unwrap();
    let pipe = dir.path().join("call.txt");
    fifo(&pipe);
    let run = within(10, &["parse", pipe.to_str().unwrap()]);
    run.assert_code(2).check(
        run.stderr
            .trim()
            .ends_with("call.txt: not a regular file (a FIFO)"),
        "fifo",
    );
}

#[cfg(unix)]
#[test]
fn index_and_report_skip_fifos_and_index_folders_with_a_reason() {
    let seed = common::read(common::SEED);
    let dir = common::folder_with(&[("calls/a.txt", &seed)]);
    fifo(&dir.path().join("calls/pipe.txt"));
    // An index inside the corpus: its files are not transcripts and are not walked.
    let inner = dir.path().join("calls/old-index");
    common::index_corpus(&inner, &[]).success();
    let work = tempfile::tempdir().unwrap();
    let index = work.path().join("idx");
    let calls = dir.path().join("calls");
    let run = within(
        60,
        &[
            "index",
            calls.to_str().unwrap(),
            "--index",
            index.to_str().unwrap(),
        ],
    );
    run.success()
        .check(
            run.stdout.contains("pipe.txt: not a regular file (a FIFO)"),
            "fifo named",
        )
        .check(
            run.stdout
                .contains("old-index: an index folder, not walked"),
            "index folder named",
        )
        .check(
            !run.stdout.contains("binary file"),
            "no index file read as a transcript",
        )
        .check(
            run.stdout.contains("indexed 1 files"),
            "the call is indexed",
        );
    let report = within(60, &["report", calls.to_str().unwrap()]);
    report.success().check(
        report.stdout.contains("not a regular file (a FIFO)"),
        "report names the fifo",
    );
}

#[test]
fn files_over_the_size_limit_are_named_and_not_counted() {
    let seed = common::read(common::SEED);
    // 2.5 MB of text, and a gzip member that inflates to 3 MB from a few KB.
    let big = seed.repeat((5 << 19) / seed.len() + 1);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut gz, &vec![b'a'; 3 << 20]).unwrap();
    let bomb = gz.finish().unwrap();
    let dir = common::folder_with(&[("a.txt", &seed), ("big.txt", &big), ("bomb.txt.gz", &bomb)]);
    let work = tempfile::tempdir().unwrap();
    let index = work.path().join("idx");
    let folder = dir.path().to_str().unwrap();
    let idx = index.to_str().unwrap();
    let run = common::callsearch(&[
        "index",
        folder,
        "--index",
        idx,
        "--max-file-size",
        "1",
        "--json",
    ]);
    let summary = run.report(1);
    run.check(summary["indexed"] == 1, "the small call is indexed");
    run.check(
        summary["bytes"] == seed.len() as u64,
        "only the indexed file's bytes count",
    );
    let failed = summary["failed"].to_string();
    run.check(
        failed.contains("big.txt")
            && failed.contains("file too large (2.5 MB, the limit is 1 MB: see --max-file-size)"),
        "the large file is named with the limit",
    );
    run.check(
        failed.contains("bomb.txt.gz") && failed.contains("decompresses to more than 1 MB"),
        "the gzip bomb is named",
    );
    // The default limit, 32 MB, takes both.
    let again = common::callsearch(&["index", folder, "--index", &format!("{idx}2"), "--json"]);
    let r = again.report(0);
    again.check(
        r["failed"].as_array().unwrap().is_empty(),
        "nothing over 32 MB",
    );
    let parse = common::callsearch(&[
        "parse",
        dir.path().join("big.txt").to_str().unwrap(),
        "--max-file-size",
        "1",
    ]);
    parse.assert_code(2).check(
        parse.stderr.contains("file too large"),
        "parse applies the limit",
    );
    let only_big = common::folder_with(&[("big.txt", &big)]);
    let none = common::callsearch(&[
        "index",
        only_big.path().to_str().unwrap(),
        "--index",
        &format!("{idx}3"),
        "--max-file-size",
        "1",
    ]);
    none.assert_code(2).check(
        none.stderr.contains(": 1 failed (see the failed lines)"),
        "not `no transcripts found`",
    );
    let bad = common::callsearch(&["parse", "x", "--max-file-size", "0"]);
    bad.assert_code(2).check(
        bad.stderr
            .contains("--max-file-size 0: the range is 1 to 2048 MB"),
        "range",
    );
}

#[test]
fn thread_counts_and_memory_beyond_reason_get_our_message() {
    let work = tempfile::tempdir().unwrap();
    let idx = work.path().join("idx");
    let run = within(
        120,
        &[
            "index",
            "corpus",
            "--index",
            idx.to_str().unwrap(),
            "--quiet",
            "--threads",
            "100000",
        ],
    );
    run.success().check(
        run.stderr
            .contains("--threads 100000 is more than this machine can use: using "),
        "capped with a note",
    );
    let run = common::callsearch(&[
        "index",
        "corpus",
        "--index",
        idx.to_str().unwrap(),
        "--memory",
        "100000000",
    ]);
    run.assert_code(2).check(
        run.stderr.trim() == "error: --memory 100000000: the range is 16 to 4000 MB",
        "memory range",
    );
}

#[test]
fn impossible_dates_say_the_day_does_not_exist() {
    for (date, says) in [
        (
            "2019-02-30",
            "there is no day 30 in February 2019 (it has 28 days)",
        ),
        (
            "2020-02-30",
            "there is no day 30 in February 2020 (it has 29 days)",
        ),
        ("2019-13-01", "there is no month 13 (months are 01 to 12)"),
        ("2019-2-3", "expected a date as YYYY-MM-DD"),
    ] {
        let run = common::query_json("margin", &["--since", date]);
        run.assert_code(2).check(
            run.stderr.trim() == format!("error: --since {date}: {says}"),
            says,
        );
    }
}

#[test]
fn a_garbled_marker_is_reported_as_garbled_and_left_as_it_was() {
    let work = tempfile::tempdir().unwrap();
    let index = work.path().join("idx");
    common::index_corpus(&index, &[]).success();
    let marker = index.join("callsearch.json");
    std::fs::write(&marker, b"{\"tool\":\"callse").unwrap();
    let idx = index.to_str().unwrap();
    for args in [
        vec!["query", "margin", "--index", idx],
        vec!["index", "corpus", "--index", idx],
    ] {
        let run = common::callsearch(&args);
        run.assert_code(2).check(
            run.stderr.contains(
                "is damaged (callsearch.json is garbled): run callsearch index --rebuild",
            ),
            "garbled, not missing",
        );
        run.check(
            std::fs::read(&marker).unwrap() == b"{\"tool\":\"callse",
            "left as it was",
        );
    }
    common::index_corpus(&index, &["--rebuild"]).success();
    common::callsearch(&["query", "margin", "--index", idx]).success();
}

#[cfg(unix)]
#[test]
fn file_names_of_any_bytes_are_read_and_printed_on_one_line() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let name = |b: &[u8]| dir.path().join(std::ffi::OsStr::from_bytes(b));
    std::fs::copy(common::root().join(common::SEED), name(b"caf\xe9.txt")).unwrap();
    std::fs::copy(
        common::root().join("corpus/seekingalpha/CT_AXP_2018_q1.txt"),
        name(b"two\nlines.txt"),
    )
    .unwrap();
    std::fs::write(
        name(b"note\n\xff.txt"),
        b"not a call, just a note about lunch",
    )
    .unwrap();
    let work = tempfile::tempdir().unwrap();
    let idx = work.path().join("idx");
    let run = common::callsearch(&[
        "index",
        dir.path().to_str().unwrap(),
        "--index",
        idx.to_str().unwrap(),
    ]);
    run.success()
        .check(
            run.stdout.contains("indexed 2 files"),
            "both calls are read",
        )
        .check(
            !run.stdout.contains("cannot read"),
            "a name that is not UTF-8 is found",
        )
        .check(
            run.stdout.lines().any(|l| {
                l.starts_with("skipped ")
                    && l.ends_with("note\\n\\xFF.txt: not a transcript: no known layout matches")
            }),
            "the skipped name is escaped on its one line",
        );
    let idx = idx.to_str().unwrap();
    let hits = common::callsearch(&[
        "query",
        "broadband stimulus",
        "--index",
        idx,
        "--json",
        "-n",
        "1",
    ])
    .hits();
    assert_eq!(
        hits[0]["source_bytes"].as_str().unwrap(),
        hex(name(b"caf\xe9.txt").as_os_str().as_bytes())
    );
    assert!(
        hits[0]["source"]
            .as_str()
            .unwrap()
            .ends_with("caf\u{FFFD}.txt")
    );
    let axp = common::callsearch(&[
        "query",
        "*",
        "--company",
        "american express",
        "--index",
        idx,
        "--json",
        "-n",
        "1",
    ])
    .hits();
    assert!(
        axp[0]["source"]
            .as_str()
            .unwrap()
            .ends_with("two\nlines.txt")
    );
    assert!(
        axp[0].get("source_bytes").is_none(),
        "a UTF-8 name has no source_bytes"
    );
    // A second run finds every file unchanged: the keys are stable.
    let again = common::callsearch(&[
        "index",
        dir.path().to_str().unwrap(),
        "--index",
        idx,
        "--json",
    ]);
    again.check(again.report(0)["unchanged"] == 3, "all three unchanged");
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn every_passage_with_context_and_questions_streams_out_whatever_the_limit() {
    let run = common::query_json("*", &["-n", "100000000", "-C", "3", "--with-question"]);
    let hits = run.hits();
    let summary = &run.of_type("summary")[0];
    run.check(
        hits.len() == 955 && summary["returned"] == 955,
        "all 955 passages",
    );
    run.check(run.total() == 955, "total");
    run.check(
        hits.iter()
            .all(|h| !h["context"].as_array().unwrap().is_empty()),
        "context on each",
    );
    // The summary comes after every hit, as the README says.
    let last = run.json_lines().pop().unwrap();
    run.check(last["type"] == "summary", "summary last");
    let human = common::callsearch(&[
        "query",
        "*",
        "--index",
        common::corpus_index(),
        "-n",
        "100000000",
    ]);
    human.success().check(
        human.stdout.trim_end().ends_with("")
            && human.stdout.contains("955 of 955 matching passages"),
        "human count",
    );
}
