//! Snapshots of the human output: each case runs the binary and compares the command line,
//! exit code, stdout and stderr with `tests/snapshots/<case>.txt`, after redacting timings
//! and temporary paths. Refresh with `UPDATE_GOLDEN=1 cargo test --release --test integration snapshots::`
//! and review `git diff tests/snapshots`.

use crate::common;

use std::path::PathBuf;

use common::*;

/// The command line, exit code and output of a run, with timings and temp paths redacted.
fn render(run: &Run) -> String {
    let text = format!(
        "$ {}\nexit code: {}\n--- stdout ---\n{}--- stderr ---\n{}",
        run.command_line(),
        run.code,
        run.stdout,
        run.stderr
    );
    redact_timings(&redact_temp_paths(&text))
}

/// `/tmp/.tmpAbC123` (what `tempfile` makes under the temp folder) becomes `[TMP]`.
fn redact_temp_paths(text: &str) -> String {
    let tmp = std::env::temp_dir().display().to_string();
    let prefix = format!("{}/.tmp", tmp.trim_end_matches('/'));
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(&prefix) {
        out.push_str(&rest[..at]);
        out.push_str("[TMP]");
        rest = &rest[at + prefix.len()..];
        rest = rest.trim_start_matches(|c: char| c.is_ascii_alphanumeric());
    }
    out.push_str(rest);
    out
}

/// `in 3.2 ms` becomes `in [ms] ms` and `in 0.52 s` becomes `in [s] s`.
fn redact_timings(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("in ") {
        out.push_str(&rest[..at + 3]);
        rest = &rest[at + 3..];
        let number = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let starts_word = out.len() == 3 || !out[..out.len() - 3].ends_with(char::is_alphanumeric);
        if number == 0 || !starts_word {
            continue;
        }
        for unit in [" ms", " s"] {
            let after = &rest[number..];
            let ends = after
                .strip_prefix(unit)
                .is_some_and(|tail| !tail.starts_with(char::is_alphanumeric));
            if ends {
                out.push_str(&format!("[{}]{unit}", unit.trim()));
                rest = &after[unit.len()..];
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

fn snapshot_path(case: &str) -> PathBuf {
    root().join("tests/snapshots").join(format!("{case}.txt"))
}

/// Compare `run` with the snapshot of `case` (or write it, with `UPDATE_GOLDEN` set).
fn assert_snapshot(case: &str, run: &Run) {
    let actual = render(run);
    let path = snapshot_path(case);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &actual).expect("write snapshot");
        return;
    }
    let refresh = "rerun with `UPDATE_GOLDEN=1 cargo test --release --test integration snapshots::` \
                   and review `git diff tests/snapshots`";
    let Ok(expected) = std::fs::read_to_string(&path) else {
        panic!(
            "no snapshot {} ({refresh}); output was:\n{actual}",
            path.display()
        );
    };
    if expected != actual {
        panic!(
            "snapshot {} differs ({refresh}):\n{}",
            path.display(),
            diff(&expected, &actual)
        );
    }
}

/// The first differing lines of two texts, `-` expected and `+` actual, with context.
fn diff(expected: &str, actual: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let first = (0..a.len().max(b.len()))
        .find(|&i| a.get(i) != b.get(i))
        .unwrap_or(a.len().min(b.len()));
    let max_common = a.len().min(b.len()) - first.min(a.len().min(b.len()));
    let same_tail = (0..max_common)
        .take_while(|&i| a[a.len() - 1 - i] == b[b.len() - 1 - i])
        .count();
    let from = first.saturating_sub(3);
    let mut out = format!("@@ line {} @@\n", first + 1);
    for line in &a[from.min(a.len())..first.min(a.len())] {
        out.push_str(&format!(" {line}\n"));
    }
    for line in a[first.min(a.len())..a.len() - same_tail].iter().take(12) {
        out.push_str(&format!("-{line}\n"));
    }
    for line in b[first.min(b.len())..b.len() - same_tail].iter().take(12) {
        out.push_str(&format!("+{line}\n"));
    }
    for line in a[a.len() - same_tail..].iter().take(3) {
        out.push_str(&format!(" {line}\n"));
    }
    if expected.ends_with('\n') != actual.ends_with('\n') {
        out.push_str("(the texts differ in their final newline)\n");
    }
    out
}

/// Run `query` against the corpus index (human output) and compare with the snapshot.
fn query_case(case: &str, query: &str, extra: &[&str]) {
    let mut args = vec!["query", query, "--index", corpus_index()];
    args.extend_from_slice(extra);
    assert_snapshot(case, &callsearch(&args));
}

#[test]
fn query_plain() {
    query_case("query_plain", "broadband stimulus", &["-n", "3"]);
}

#[test]
fn query_facets() {
    query_case(
        "query_facets",
        "margin",
        &["--facet", "speaker", "--facet", "firm", "-n", "2"],
    );
}

#[test]
fn query_with_question() {
    query_case(
        "query_with_question",
        "broadband stimulus",
        &["--section", "qa", "--with-question", "-n", "3"],
    );
}

#[test]
fn query_context() {
    query_case(
        "query_context",
        r#""unified access architecture""#,
        &["--context", "1", "-n", "1"],
    );
}

#[test]
fn query_role_cfo() {
    query_case("query_role_cfo", "margin", &["--role", "cfo", "-n", "3"]);
}

#[test]
fn query_asked_by() {
    query_case(
        "query_asked_by",
        "stimulus",
        &["--asked-by", "notter", "--with-question", "-n", "2"],
    );
}

#[test]
fn query_star_listing() {
    query_case("query_star_listing", "*", &["-n", "5"]);
}

#[test]
fn query_no_hits() {
    query_case("query_no_hits", "xylophonequasar", &[]);
}

#[test]
fn query_malformed() {
    query_case("query_malformed", "speaker:(", &[]);
}

#[test]
fn query_bad_date() {
    query_case("query_bad_date", "*", &["--since", "last year"]);
}

#[test]
fn query_missing_index() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("index");
    let run = callsearch(&["query", "margin", "--index", missing.to_str().unwrap()]);
    assert_snapshot("query_missing_index", &run);
}

#[test]
fn index_then_index_again() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let args = ["index", "corpus", "--index", index.to_str().unwrap()];
    assert_snapshot("index_summary", &callsearch(&args));
    assert_snapshot("index_summary_again", &callsearch(&args));
}

#[test]
fn report_corpus() {
    assert_snapshot("report_corpus", &callsearch(&["report", "corpus"]));
}

#[test]
fn parse_seed() {
    assert_snapshot("parse_seed", &callsearch(&["parse", SEED]));
}

#[test]
fn formats() {
    assert_snapshot("formats", &callsearch(&["formats"]));
}

#[test]
fn query_help() {
    assert_snapshot("query_help", &callsearch(&["query", "--help"]));
}

#[test]
fn redactions() {
    let tmp = std::env::temp_dir().display().to_string();
    let tmp = tmp.trim_end_matches('/');
    assert_eq!(
        redact_temp_paths(&format!("at {tmp}/.tmpAb12Cd/index: no\n{tmp}/.tmpX9")),
        "at [TMP]/index: no\n[TMP]"
    );
    assert_eq!(
        redact_timings("3 of 14 in 5.6 ms\n(0.5 MB) in 1.42 s; in 2 s\nbegin 3 s, in 4 sec"),
        "3 of 14 in [ms] ms\n(0.5 MB) in [s] s; in [s] s\nbegin 3 s, in 4 sec"
    );
}
