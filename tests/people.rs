//! Issue 12 end to end on real files: one name per person across calls (also after an
//! incremental run adds a file that renames them), a user's rules, and one call held
//! by two publishers indexed once.

use crate::common;

use std::collections::BTreeSet;
use std::path::Path;

use common::*;
use serde_json::Value;

const AMD_2016: &str = "tests/cases/people/2016-10-20-AMD.txt";
const AMD_2019: &str = "tests/cases/people/2019-04-30-AMD.txt";
const MSFT_SA: &str = "tests/cases/people/sa-MSFT-2018-01-31.txt";
const MSFT_SE: &str = "tests/cases/people/se-MSFT-2018-01-31.txt";

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn index(folder: &Path, idx: &Path) -> Value {
    callsearch(&["index", s(folder), "--index", s(idx), "--json"]).report(0)
}

/// Every passage by anyone called Lisa Su, as (speaker, speaker_raw, source file name).
fn lisa(idx: &Path) -> Vec<(String, String, String)> {
    let run = callsearch(&[
        "export",
        "*",
        "--index",
        s(idx),
        "--speaker",
        "su",
        "--company",
        "amd",
    ]);
    run.success();
    let lines = run.json_lines();
    run.check(!lines.is_empty(), "no passage by Lisa Su");
    (lines.iter())
        .filter(|p| {
            p["speaker_raw"]
                .as_str()
                .unwrap_or_default()
                .starts_with("Lisa")
        })
        .map(|p| {
            let file = p["source"].as_str().unwrap().rsplit('/').next().unwrap();
            let text = |k: &str| p[k].as_str().unwrap_or_default().to_string();
            (text("speaker"), text("speaker_raw"), file.to_string())
        })
        .collect()
}

fn names(rows: &[(String, String, String)]) -> BTreeSet<&str> {
    rows.iter().map(|(name, ..)| name.as_str()).collect()
}

/// AMD's CEO is `Lisa T. Su` in the 2019 call (30 passages) and `Lisa Su` in the 2016
/// one (43): adding the 2016 call renames her in the 2019 passages, removing it again
/// renames them back.
#[test]
fn a_new_file_that_renames_a_person_renames_the_old_passages_too() {
    let dir = folder_with(&[("calls/2019-04-30-AMD.txt", &read(root().join(AMD_2019)))]);
    let (calls, idx) = (dir.path().join("calls"), dir.path().join("idx"));
    let first = index(&calls, &idx);
    assert_eq!(first["indexed"], 1, "{first}");
    assert_eq!(names(&lisa(&idx)), BTreeSet::from(["Lisa T. Su"]));

    let old = read(root().join(AMD_2016));
    std::fs::write(calls.join("2016-10-20-AMD.txt"), old).unwrap();
    let second = index(&calls, &idx);
    assert_eq!(
        second["indexed"], 2,
        "the new file and the renamed one: {second}"
    );
    assert_eq!(second["renamed"], 1, "{second}");
    let rows = lisa(&idx);
    assert_eq!(names(&rows), BTreeSet::from(["Lisa Su"]), "{rows:?}");
    let renamed =
        (rows.iter()).filter(|(_, raw, f)| f == "2019-04-30-AMD.txt" && raw == "Lisa T. Su");
    assert_eq!(renamed.count(), 30, "{rows:?}");
    // The raw spelling stays searchable.
    let args = [
        "query",
        "*",
        "--index",
        s(&idx),
        "--speaker",
        "lisa t. su",
        "-n",
        "0",
        "--json",
    ];
    let by_raw = callsearch(&args);
    assert_eq!(by_raw.total(), 30, "{}", by_raw.describe());

    std::fs::remove_file(calls.join("2016-10-20-AMD.txt")).unwrap();
    let third = index(&calls, &idx);
    assert_eq!(third["renamed"], 1, "{third}");
    assert_eq!(names(&lisa(&idx)), BTreeSet::from(["Lisa T. Su"]));
}

#[test]
fn a_users_people_file_keeps_two_spellings_apart() {
    let dir = folder_with(&[
        ("calls/2016-10-20-AMD.txt", &read(root().join(AMD_2016))),
        ("calls/2019-04-30-AMD.txt", &read(root().join(AMD_2019))),
    ]);
    let (calls, idx) = (dir.path().join("calls"), dir.path().join("idx"));
    index(&calls, &idx);
    assert_eq!(names(&lisa(&idx)).len(), 1);
    std::fs::write(
        idx.join("people.txt"),
        "# not one person\nLisa Su != Lisa T. Su\n",
    )
    .unwrap();
    let again = index(&calls, &idx);
    assert_eq!(again["renamed"], 1, "{again}");
    assert_eq!(
        names(&lisa(&idx)),
        BTreeSet::from(["Lisa Su", "Lisa T. Su"])
    );
    std::fs::write(idx.join("people.txt"), "Lisa Su\n").unwrap();
    let bad = callsearch(&["index", s(&calls), "--index", s(&idx)]);
    bad.assert_code(2);
    assert!(bad.stderr.contains("people.txt: line 1:"), "{}", bad.stderr);
}

/// Microsoft's Q2 FY2018 call as Seeking Alpha and as StreetEvents publish it.
#[test]
fn one_call_from_two_publishers_is_indexed_once() {
    let dir = folder_with(&[
        ("calls/CT_MSFT_2018_q2.txt", &read(root().join(MSFT_SA))),
        ("calls/2018-Jan-31-MSFT.txt", &read(root().join(MSFT_SE))),
    ]);
    let (calls, idx) = (dir.path().join("calls"), dir.path().join("idx"));
    let run = index(&calls, &idx);
    assert_eq!(run["indexed"], 1, "{run}");
    // Both list a firm and a role for all 13 people: the copy with more words is kept.
    let dups = run["duplicates"].as_array().unwrap();
    assert_eq!(dups.len(), 1, "{run}");
    let shown: BTreeSet<&str> = [&dups[0]["path"], &dups[0]["duplicate_of"]]
        .iter()
        .map(|p| p.as_str().unwrap().rsplit('/').next().unwrap())
        .collect();
    assert_eq!(
        shown,
        BTreeSet::from(["CT_MSFT_2018_q2.txt", "2018-Jan-31-MSFT.txt"])
    );
    let all = callsearch(&[
        "query",
        "*",
        "--index",
        s(&idx),
        "--json",
        "-n",
        "0",
        "--facet",
        "company",
    ]);
    all.success();
    let facet = &all.of_type("facet")[0];
    assert_eq!(facet["distinct"], 1, "{facet}");
    assert_eq!(facet["counts"][0]["value"], "Microsoft", "{facet}");
}
