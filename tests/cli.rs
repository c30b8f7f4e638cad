//! End-to-end: index the bundled corpus, query it, parse files, and every error case.

use crate::common;

use common::*;

#[test]
fn seed_parses_to_the_documented_figures() {
    let run = callsearch(&["parse", SEED, "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let t: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let turns = t["turns"].as_array().unwrap();
    let count = |f: &dyn Fn(&serde_json::Value) -> bool| turns.iter().filter(|x| f(x)).count();
    assert_eq!(turns.len(), 143);
    assert_eq!(count(&|x| x["section"] == "presentation"), 5);
    assert_eq!(count(&|x| x["section"] == "qa"), 138);
    assert_eq!(count(&|x| x["role_class"] == "operator"), 14);
    assert_eq!(count(&|x| x["speaker"] == "Sanjiv Wadhwani"), 4);
    let people: std::collections::BTreeSet<&str> = turns
        .iter()
        .filter(|x| x["role_class"] != "operator")
        .map(|x| x["speaker"].as_str().unwrap())
        .collect();
    assert_eq!(people.len(), 11, "{people:?}");
    assert_eq!(t["ticker"], "CALX");
    assert_eq!(t["fiscal_period"], "Q2 2011");
    assert_eq!(t["date"], "2011-07-21");
    for para in turns
        .iter()
        .flat_map(|x| x["paragraphs"].as_array().unwrap())
    {
        let p = para.as_str().unwrap();
        assert!(!p.contains("CALX - Q2 2011 Calix"), "page header in {p}");
        assert!(!p.contains("\\$") && !p.contains('*'), "markdown in {p}");
        assert!(!p.contains("Thomson Reuters reserves"), "disclaimer in {p}");
    }
}

#[test]
fn query_ranks_the_passages_about_broadband_stimulus() {
    let run = query_json("broadband stimulus", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let hits = run.of_type("hit");
    assert_eq!(hits.len(), 10);
    assert!(hits.iter().all(|h| h["ticker"] == "CALX"));
    assert!(hits.iter().all(|h| {
        let text = h["text"].as_str().unwrap().to_lowercase();
        text.contains("broadband") && text.contains("stimulus")
    }));
    let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    let summary = &run.of_type("summary")[0];
    assert!(summary["total_hits"].as_u64().unwrap() > 10);
}

#[test]
fn hits_carry_every_documented_json_field() {
    let run = query_json("margin", &["--limit", "3"]);
    let hits = run.hits();
    run.check(hits.len() == 3, "expected 3 hits");
    for hit in hits {
        for field in [
            "type",
            "score",
            "ticker",
            "company",
            "event",
            "date",
            "fiscal_period",
            "section",
            "speaker",
            "firm",
            "role",
            "role_class",
            "turn",
            "paragraph",
            "text",
            "snippet",
            "source",
        ] {
            run.check(
                hit.get(field).is_some(),
                format!("missing {field} in {hit}"),
            );
        }
        let date = hit["date"].as_str().unwrap_or_default();
        run.check(date.len() == 10, format!("bad date {date:?} in {hit}"));
    }
    let summary = run.of_type("summary");
    run.check(summary.len() == 1, "expected one summary");
    run.check(
        summary[0]["elapsed_ms"].as_f64().is_some(),
        "summary without elapsed_ms",
    );
}

#[test]
fn field_queries_find_one_speaker() {
    let run = query_json(r#"speaker:"Carl Russo" AND margin"#, &[]);
    let hits = run.hits();
    run.check(
        hits.iter().all(|h| {
            h["speaker"] == "Carl Russo" && h["firm"] == "Calix" && h["firm_raw"] == "Calix Inc."
        }),
        "a hit by someone else",
    );
}

#[test]
fn star_matches_every_passage() {
    let all = query_json("*", &["--limit", "1"]);
    all.hits();
    let total = all.total();
    let some = query_json("margin", &["--limit", "1"]);
    some.hits();
    let part = some.total();
    assert!(total > 500 && part > 0 && part < total, "{total} {part}");
    let every = query_json("*", &["--limit", "100000"]);
    every.check(
        every.hits().len() as u64 == total,
        format!("`*` with no limit should list all {total} passages"),
    );
}

#[test]
fn phrase_and_boolean_queries() {
    let text = |h: &serde_json::Value| h["text"].as_str().unwrap_or_default().to_lowercase();
    let phrase = query_json(r#""gross margin""#, &["--limit", "50"]);
    for h in phrase.hits() {
        phrase.check(
            text(&h).contains("gross margin"),
            format!("no phrase in {h}"),
        );
    }
    let not = query_json("stimulus NOT broadband", &["--limit", "50"]);
    for h in not.hits() {
        let t = text(&h);
        not.check(
            t.contains("stimulus") && !t.contains("broadband"),
            format!("{h}"),
        );
    }
    let or = query_json("xylophonequasar OR stimulus", &["--limit", "0"]);
    let stimulus = query_json("stimulus", &["--limit", "0"]);
    assert_eq!(or.total(), stimulus.total());
    stimulus.check(stimulus.total() > 0, "stimulus should match");
}

#[test]
fn output_is_identical_across_runs() {
    let a = query_json("thank you", &["--limit", "30"]);
    let b = query_json("thank you", &["--limit", "30"]);
    let strip = |r: &Run| {
        r.hits()
            .iter()
            .map(|h| h["passage_id"].to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(&a), strip(&b));
}

#[test]
fn no_hits_exits_1() {
    query_json("xylophonequasar", &[]).no_hits();
}

#[test]
fn malformed_query_is_a_one_line_error() {
    let run = query_json("speaker:(", &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with("error: invalid query"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.trim().lines().count(), 1);
}

#[test]
fn a_colon_that_names_no_field_is_read_as_words() {
    let hits = query_json("margin: gross", &["-n", "50"]).hits();
    for h in &hits {
        let text = h["text"].as_str().unwrap().to_lowercase();
        assert!(text.contains("margin") && text.contains("gross"), "{h}");
    }
}

#[test]
fn missing_index_says_to_run_index_first() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("index");
    let run = callsearch(&["query", "margin", "--index", missing.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no index at") && run.stderr.contains("run callsearch index first"),
        "{}",
        run.stderr
    );
}

#[test]
fn human_output_marks_matches_when_piped() {
    let run = callsearch(&[
        "query",
        "broadband stimulus",
        "--index",
        corpus_index(),
        "-n",
        "2",
    ]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("[stimulus]") || run.stdout.contains("[Stimulus]"));
    assert!(!run.stdout.contains('\x1b'), "colour when piped");
    assert!(
        run.stdout
            .contains("CALX · Q2 2011 Calix Inc Earnings Conference Call · 2011-07-21")
    );
}

#[test]
fn indexing_reports_skips_failures_and_duplicates_and_goes_on() {
    let seed = read(SEED);
    let dir = folder_with(&[
        ("a/calx.txt", &seed),
        ("b/calx-copy.txt", &seed),
        ("notes.txt", b"just some notes, not a transcript\n"),
        ("empty.txt", b""),
        ("binary.bin", &[0u8, 1, 2, 3, 0, 0, 7]),
    ]);
    let index = dir.path().join("idx");
    let run = callsearch(&[
        "index",
        dir.path().to_str().unwrap(),
        "--index",
        index.to_str().unwrap(),
        "--json",
    ]);
    let report = &run.report(0);
    assert_eq!(report["indexed"], 1);
    assert_eq!(report["duplicates"].as_array().unwrap().len(), 1);
    let skipped = report["skipped"].to_string();
    assert!(skipped.contains("notes.txt") && skipped.contains("not a transcript"));
    assert!(skipped.contains("empty.txt") && skipped.contains("empty file"));
    assert!(skipped.contains("binary.bin") && skipped.contains("binary"));
    let again = callsearch(&[
        "index",
        dir.path().to_str().unwrap(),
        "--index",
        index.to_str().unwrap(),
        "--json",
    ]);
    let second = again.report(0);
    again.check(second["indexed"] == 0, "nothing changed, nothing to index");
    again.check(second["passages"] == 0, "no new passages");
}

#[test]
fn empty_corpus_folder_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("corpus")).unwrap();
    let index = dir.path().join("idx");
    let run = callsearch(&[
        "index",
        dir.path().join("corpus").to_str().unwrap(),
        "--index",
        index.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no transcripts found"),
        "{}",
        run.stderr
    );
}

#[test]
fn missing_input_folder_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let run = callsearch(&[
        "index",
        "no/such/folder",
        "--index",
        dir.path().join("i").to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("no/such/folder: no such file or folder"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_reported_and_indexing_goes_on() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path, m| {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap()
    };
    let seed = read(SEED);
    let dir = folder_with(&[
        ("ok.txt", &seed),
        ("locked.txt", &seed[..2000]),
        ("shut/inner.txt", &seed[..3000]),
    ]);
    // The index goes in a world-writable folder of its own, so an unprivileged user can
    // write it and the walk does not see it.
    let home = tempfile::tempdir().unwrap();
    mode(dir.path(), 0o777);
    mode(home.path(), 0o777);
    mode(&dir.path().join("ok.txt"), 0o644);
    let locked = dir.path().join("locked.txt");
    mode(&locked, 0o000);
    // An unreadable folder is a failure too, like an unreadable file (it was a skip).
    mode(&dir.path().join("shut"), 0o000);
    let index = home.path().join("idx");
    let args = [
        "index",
        dir.path().to_str().unwrap(),
        "--index",
        index.to_str().unwrap(),
    ];
    let run = if std::fs::read(&locked).is_err() {
        callsearch(&args)
    } else {
        // Root reads anything: run the binary as nobody, to whom the file is unreadable.
        match callsearch_as_nobody(&args) {
            Some(run) => run,
            None => {
                eprintln!(
                    "SKIPPED unreadable_file_is_reported_and_indexing_goes_on: running as root \
                     and setpriv is not installed, so no user finds the file unreadable"
                );
                return;
            }
        }
    };
    run.assert_code(1)
        .check(
            run.stdout.lines().any(|l| {
                l.starts_with("failed")
                    && l.contains("locked.txt: ")
                    && l.ends_with("permission denied")
            }),
            "the unreadable file is not reported as failed: permission denied",
        )
        .check(
            run.stdout.lines().any(|l| {
                l.starts_with("failed") && l.contains("shut: ") && l.ends_with("permission denied")
            }),
            "the unreadable folder is not reported as failed: permission denied",
        )
        .check(
            run.stdout.contains("indexed 1 files"),
            "the readable file is not indexed",
        );
    let found = callsearch(&[
        "query",
        "broadband stimulus",
        "--index",
        index.to_str().unwrap(),
        "--json",
    ]);
    found.hits();
}

#[test]
fn parse_of_a_non_transcript_names_the_file() {
    let dir = folder_with(&[("x.txt", b"hello\n")]);
    let path = dir.path().join("x.txt");
    let run = callsearch(&["parse", path.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("x.txt: not a transcript"),
        "{}",
        run.stderr
    );
}

#[test]
fn formats_lists_every_layout() {
    let run = callsearch(&["formats"]);
    assert_eq!(run.code, 0);
    for name in [
        "streetevents-md",
        "streetevents-text",
        "streetevents-pdf",
        "seekingalpha",
        "motley-fool-json",
        "motley-fool-html",
    ] {
        assert!(run.stdout.contains(name), "{}", run.stdout);
    }
}

#[cfg(unix)]
#[test]
fn bad_inputs_are_each_reported_and_the_run_goes_on() {
    let seed = read(SEED);
    let header_only: Vec<u8> =
        seed[..seed.windows(12).position(|w| w == b"PRESENTATION").unwrap()].to_vec();
    let mut latin1 = read("corpus/streetevents-text/2017-07-27-AMZN.txt");
    latin1.extend_from_slice(b"\r\n\xff\xfe caf\xe9\r\n");
    let dir = folder_with(&[
        ("good/calx.txt", &seed),
        ("bad/header-only.txt", &header_only),
        ("bad/invalid-utf8.txt", &latin1),
        ("bad/cut-off.txt", &seed[..seed.len() / 2]),
    ]);
    let huge = std::fs::File::create(dir.path().join("bad/huge.txt")).unwrap();
    huge.set_len(100 << 20).unwrap();
    std::os::unix::fs::symlink(dir.path(), dir.path().join("bad/loop")).unwrap();
    let index = tempfile::tempdir().unwrap();
    let run = callsearch(&[
        "index",
        dir.path().to_str().unwrap(),
        "--index",
        index.path().join("i").to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(run.code, 1, "files failed, so exit 1: {}", run.stderr);
    let r = &run.json_lines()[0];
    let failed = r["failed"].to_string();
    assert!(
        failed.contains("header-only.txt") && failed.contains("no speaker turns"),
        "{failed}"
    );
    assert!(
        failed.contains("huge.txt") && failed.contains("file too large"),
        "{failed}"
    );
    assert!(
        r["skipped"].to_string().contains("symlink loop"),
        "{}",
        r["skipped"]
    );
    // Invalid UTF-8 is decoded as Windows-1252 and indexed; a cut-off copy of a call
    // another file holds whole is that call (same company, date and speech): indexed
    // once, the whole copy kept.
    assert_eq!(r["indexed"], 2, "{r}");
    let dups = r["duplicates"].as_array().unwrap();
    assert_eq!(dups.len(), 1, "{r}");
    assert!(
        dups[0]["path"].as_str().unwrap().ends_with("cut-off.txt"),
        "{r}"
    );
    assert!(
        dups[0]["duplicate_of"]
            .as_str()
            .unwrap()
            .ends_with("calx.txt"),
        "{r}"
    );
}

#[cfg(unix)]
#[test]
fn report_counts_what_the_walk_could_not_read_as_index_does() {
    let dir = folder_with(&[("calls/calx.txt", &read(SEED))]);
    std::os::unix::fs::symlink(dir.path(), dir.path().join("calls/loop")).unwrap();
    let folder = dir.path().to_str().unwrap();
    let run = callsearch(&["report", folder, "--json"]);
    run.success();
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let stats = &report["layouts"];
    assert_eq!(stats["streetevents-md"]["parsed"], 1, "{}", run.describe());
    assert_eq!(stats["(none)"]["skipped"]["symlink loop"], 1, "{stats}");
    let index = dir.path().join("idx");
    let indexed = callsearch(&[
        "index",
        folder,
        "--index",
        index.to_str().unwrap(),
        "--json",
    ]);
    let skipped = indexed.report(0)["skipped"].to_string();
    assert!(
        skipped.contains("loop") && skipped.contains("symlink loop"),
        "{skipped}"
    );
}

#[test]
fn gzip_and_utf16_files_are_read_by_content_whatever_their_name() {
    let seed = read(SEED);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, &seed).unwrap();
    let text = String::from_utf8_lossy(&seed).into_owned();
    let mut utf16 = vec![0xff, 0xfe];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let dir = folder_with(&[
        ("calx-no-extension", &gz.finish().unwrap()),
        ("calx-utf16.txt", &utf16),
    ]);
    let packed = dir.path().join("calx-no-extension");
    let run = callsearch(&["parse", packed.to_str().unwrap(), "--json"]);
    run.success();
    let t: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        (t["container"].as_str(), t["turns"].as_array().map(Vec::len)),
        (Some("gzip"), Some(143))
    );
    let wide = dir.path().join("calx-utf16.txt");
    let run = callsearch(&["parse", wide.to_str().unwrap(), "--json"]);
    run.success();
    let t: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        t["turns"].as_array().map(Vec::len),
        Some(143),
        "{}",
        run.describe()
    );
}

#[test]
fn seeking_alpha_lists_headed_in_other_words_parse_the_same() {
    let fixture = "tests/fixtures/seekingalpha/orcl-2019-q1-windows1252-executives-analysts.txt";
    let original = String::from_utf8_lossy(&read(fixture)).into_owned();
    let renamed = original
        .replacen("\nExecutives", "\nCompany Representatives", 1)
        .replacen("\nAnalysts", "\nConference Call Participants", 1);
    assert_ne!(original, renamed, "the fixture's headings changed");
    let dir = folder_with(&[
        ("a.txt", original.as_bytes()),
        ("b.txt", renamed.as_bytes()),
    ]);
    let turns = |name: &str| {
        let run = callsearch(&["parse", dir.path().join(name).to_str().unwrap(), "--json"]);
        run.success();
        let t: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let roles: Vec<(String, String)> = t["turns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| (x["speaker"].to_string(), x["role_class"].to_string()))
            .collect();
        roles
    };
    let (a, b) = (turns("a.txt"), turns("b.txt"));
    assert!(a.len() > 20);
    assert_eq!(a, b);
}
