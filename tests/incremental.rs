//! A second `index` run over a changed folder: removed files, edited files and duplicates
//! left without their original.

use crate::common;

use std::path::Path;

use common::*;
use serde_json::Value;

const AMZN: &str = "corpus/streetevents-text/2017-07-27-AMZN.txt";
const AXP: &str = "corpus/seekingalpha/CT_AXP_2018_q1.txt";

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// `index FOLDER --index IDX --json`: exit code 0 and the summary object.
fn index(folder: &Path, idx: &Path) -> Value {
    callsearch(&["index", s(folder), "--index", s(idx), "--json"]).report(0)
}

fn query(idx: &Path, q: &str, extra: &[&str]) -> Run {
    let mut args = vec!["query", q, "--index", s(idx), "--json"];
    args.extend_from_slice(extra);
    callsearch(&args)
}

/// Total matching passages, checking the exit code agrees (0 with hits, 1 without).
fn total(idx: &Path, q: &str, extra: &[&str]) -> u64 {
    let mut args = vec!["-n", "0"];
    args.extend_from_slice(extra);
    let run = query(idx, q, &args);
    let total = run.total();
    run.assert_code(if total > 0 { 0 } else { 1 });
    total
}

/// The strings of a JSON array of paths.
fn paths(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|p| p.as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn a_removed_files_passages_are_gone() {
    let dir = folder_with(&[
        ("calls/a/calx.txt", &read(SEED)),
        ("calls/b/amzn.txt", &read(AMZN)),
        ("calls/c/axp.txt", &read(AXP)),
    ]);
    let (calls, idx) = (dir.path().join("calls"), dir.path().join("idx"));
    let first = index(&calls, &idx);
    assert_eq!(first["indexed"], 3, "{first}");
    let all = total(&idx, "*", &[]);
    let calx = total(&idx, "*", &["--company", "calx"]);
    assert!(calx > 0 && calx < all, "{calx} of {all}");
    query(&idx, "broadband stimulus", &[]).hits();

    std::fs::remove_file(calls.join("a/calx.txt")).unwrap();
    let second = index(&calls, &idx);
    let removed = paths(&second["removed"]);
    assert!(
        removed.len() == 1 && removed[0].ends_with("a/calx.txt"),
        "{second}"
    );
    assert_eq!(second["indexed"], 0, "{second}");
    assert_eq!(second["unchanged"], 2, "{second}");
    assert_eq!(total(&idx, "*", &[]), all - calx);
    // Facets count around the removed file's deleted passages too.
    let run = query(&idx, "*", &["--facet", "company", "-n", "0"]);
    run.success();
    let counts = run.of_type("facet")[0]["counts"].clone();
    let counts = counts.as_array().cloned().unwrap_or_default();
    let sum: u64 = counts
        .iter()
        .map(|c| c["count"].as_u64().unwrap_or(0))
        .sum();
    let named = |c: &Value| c["value"].as_str().unwrap_or_default().to_lowercase();
    run.check(
        counts.len() == 2
            && sum == all - calx
            && !counts.iter().any(|c| named(c).contains("calix")),
        "company facet after removing a file: two companies, no Calix",
    );
    query(&idx, "broadband stimulus", &[]).no_hits();
    query(&idx, "*", &["--company", "calx"]).no_hits();
}

#[test]
fn an_edited_file_is_parsed_again() {
    let seed = String::from_utf8(read(SEED)).unwrap();
    let dir = folder_with(&[
        ("calls/calx.txt", seed.as_bytes()),
        ("calls/amzn.txt", &read(AMZN)),
    ]);
    let (calls, idx) = (dir.path().join("calls"), dir.path().join("idx"));
    assert_eq!(index(&calls, &idx)["indexed"], 2);
    let all = total(&idx, "*", &[]);
    let calx = total(&idx, "*", &["--company", "calx"]);
    assert_eq!(total(&idx, r#""unified access architecture""#, &[]), 1);
    assert_eq!(total(&idx, r#""still negligible""#, &[]), 1);

    // One paragraph replaced, a new word appended to another.
    let edited: String = seed
        .lines()
        .map(|l| {
            if l.contains("benefits of our Unified Access architecture") {
                "Our second quarter was a zanzibarquux quarter.".to_string()
            } else if l
                .starts_with("Broadband stimulus revenue in this quarter were still negligible")
            {
                format!("{l} Also quokkaflux.")
            } else {
                l.to_string()
            }
        })
        .map(|l| l + "\n")
        .collect();
    assert_eq!(
        edited.matches("zanzibarquux").count(),
        1,
        "paragraph not found"
    );
    assert_eq!(
        edited.matches("quokkaflux").count(),
        1,
        "paragraph not found"
    );
    std::fs::write(calls.join("calx.txt"), edited).unwrap();

    let second = index(&calls, &idx);
    assert_eq!(second["indexed"], 1, "{second}");
    assert_eq!(second["unchanged"], 1, "{second}");
    assert_eq!(paths(&second["removed"]), Vec::<String>::new(), "{second}");
    let replaced = query(&idx, "zanzibarquux", &[]);
    let hit = &replaced.hits()[0];
    replaced.check(
        replaced.total() == 1 && hit["source"].as_str().unwrap().ends_with("calx.txt"),
        "the replaced paragraph should be one hit from calx.txt",
    );
    let appended = query(&idx, "quokkaflux", &[]);
    let hit = &appended.hits()[0];
    appended.check(
        appended.total() == 1 && hit["text"].as_str().unwrap().contains("still negligible"),
        "the appended word should be found in its paragraph",
    );
    query(&idx, r#""unified access architecture""#, &[]).no_hits();
    assert_eq!(
        total(&idx, r#""still negligible""#, &[]),
        1,
        "old and new versions of the paragraph"
    );
    assert_eq!(total(&idx, "*", &["--company", "calx"]), calx);
    assert_eq!(total(&idx, "*", &[]), all);
}

#[test]
fn a_duplicate_is_indexed_once_its_original_is_gone() {
    let seed = read(SEED);
    let dir = folder_with(&[("calls/a/calx.txt", &seed), ("calls/b/copy.txt", &seed)]);
    let (calls, idx) = (dir.path().join("calls"), dir.path().join("idx"));
    let first = index(&calls, &idx);
    assert_eq!(first["indexed"], 1, "{first}");
    let dups = first["duplicates"].as_array().unwrap();
    assert_eq!(dups.len(), 1, "{first}");
    assert!(dups[0]["path"].as_str().unwrap().ends_with("b/copy.txt"));
    assert!(
        dups[0]["duplicate_of"]
            .as_str()
            .unwrap()
            .ends_with("a/calx.txt")
    );
    let single = total(&idx, "*", &[]);
    assert!(single > 0);

    std::fs::remove_file(calls.join("a/calx.txt")).unwrap();
    let second = index(&calls, &idx);
    let removed = paths(&second["removed"]);
    assert!(
        removed.len() == 1 && removed[0].ends_with("a/calx.txt"),
        "{second}"
    );
    assert_eq!(total(&idx, "*", &[]), single, "{second}");
    let run = query(&idx, "broadband stimulus", &["-n", "100"]);
    for h in run.hits() {
        run.check(
            h["source"]
                .as_str()
                .unwrap_or_default()
                .ends_with("b/copy.txt"),
            format!("hit from elsewhere than the copy: {h}"),
        );
    }
    let third = index(&calls, &idx);
    assert_eq!(third["indexed"], 0, "{third}");
    assert_eq!(third["unchanged"], 1, "{third}");
    assert_eq!(total(&idx, "*", &[]), single);
}
