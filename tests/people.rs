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

#[test]
fn report_applies_a_people_file_as_index_does() {
    let dir = folder_with(&[
        ("calls/2016-10-20-AMD.txt", &read(root().join(AMD_2016))),
        ("calls/2019-04-30-AMD.txt", &read(root().join(AMD_2019))),
        ("people.txt", "Lisa Su != Lisa T. Su\n".as_bytes()),
        ("bad.txt", "Lisa Su\n".as_bytes()),
    ]);
    let calls = dir.path().join("calls");
    let lisa_merged = |run: &common::Run| {
        let report: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| run.fail(e));
        let people = report["merges"]["people"].as_array().cloned();
        let people = people.unwrap_or_else(|| run.fail("no people merges"));
        people.iter().any(|m| m["name"] == "Lisa Su")
    };
    let plain = callsearch(&["report", s(&calls), "--json"]);
    plain.success();
    assert!(lisa_merged(&plain), "{}", plain.stdout);
    let rules = dir.path().join("people.txt");
    let apart = callsearch(&["report", s(&calls), "--json", "--people", s(&rules)]);
    apart.success();
    assert!(!lisa_merged(&apart), "{}", apart.stdout);
    let bad = callsearch(&[
        "report",
        s(&calls),
        "--people",
        s(&dir.path().join("bad.txt")),
    ]);
    bad.assert_code(2);
    assert!(bad.stderr.contains("bad.txt: line 1:"), "{}", bad.stderr);
    let missing = callsearch(&["report", s(&calls), "--people", "no-such-people.txt"]);
    missing.assert_code(2);
    assert!(
        missing.stderr.contains("no-such-people.txt"),
        "{}",
        missing.stderr
    );
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

const DATED_2024: &str = "tests/fixtures/streetevents-text/2024-08-01-AAPL-q-and-a.txt";
const UNDATED_Q3_2022: &str =
    "tests/fixtures/streetevents-pdf/Q3 2022 Equity Commonwealth Earnings Call.txt";
const UNDATED_Q3_2021: &str = "tests/fixtures/motley-fool-json/GME_q3_2021.txt";
const DATED_2021: &str = "tests/fixtures/streetevents-text/2021-07-22-INTC-mojibake.txt";

/// Two dated calls (2024-08-01, 2021-07-22) and two without a date (a StreetEvents PDF
/// text of Q3 2022, a Motley Fool JSON file of Q3 2021), indexed.
fn dated_and_undated() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = folder_with(&[
        ("calls/2024-08-01-AAPL.txt", &read(root().join(DATED_2024))),
        (
            "calls/Q3 2022 Equity Commonwealth Earnings Call.txt",
            &read(root().join(UNDATED_Q3_2022)),
        ),
        ("calls/GME_q3_2021.txt", &read(root().join(UNDATED_Q3_2021))),
        ("calls/2021-07-22-INTC.txt", &read(root().join(DATED_2021))),
    ]);
    let (calls, idx) = (dir.path().join("calls"), dir.path().join("idx"));
    let run = index(&calls, &idx);
    assert_eq!(run["indexed"], 4, "{run}");
    (dir, idx)
}

fn file_name(p: &Value) -> String {
    let source = p["source"].as_str().unwrap();
    source.rsplit('/').next().unwrap().to_string()
}

/// The files of `lines` in order of first appearance.
fn files_in_order(lines: &[Value]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in lines.iter().map(file_name) {
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// Passages and distinct calls without a date among `lines` (read back from the stored
/// passages: the independent count the summary's cheap one must equal).
fn undated_among(lines: &[Value]) -> (u64, u64) {
    let undated: Vec<&Value> = lines.iter().filter(|p| p["date"].is_null()).collect();
    let calls: BTreeSet<&str> = undated
        .iter()
        .map(|p| p["call_id"].as_str().unwrap())
        .collect();
    (calls.len() as u64, undated.len() as u64)
}

#[test]
fn newest_first_places_undated_calls_by_their_fiscal_period() {
    let (_dir, idx) = dated_and_undated();
    let expected = [
        "2024-08-01-AAPL.txt",
        "Q3 2022 Equity Commonwealth Earnings Call.txt",
        "GME_q3_2021.txt",
        "2021-07-22-INTC.txt",
    ];
    let export = callsearch(&["export", "*", "--index", s(&idx)]);
    export.success();
    let lines = export.json_lines();
    export.check(!lines.is_empty(), "export printed no passage");
    assert_eq!(files_in_order(&lines), expected);
    let all = callsearch(&["query", "*", "--index", s(&idx), "--json", "-n", "100000"]);
    let hits = all.hits();
    assert_eq!(files_in_order(&hits), expected);
    // Each call is still one block, in speaking order.
    let gme: Vec<(u64, u64)> = (hits.iter())
        .filter(|h| file_name(h) == "GME_q3_2021.txt")
        .map(|h| {
            (
                h["turn"].as_u64().unwrap(),
                h["paragraph"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut sorted = gme.clone();
    sorted.sort();
    assert_eq!(gme, sorted);
}

#[test]
fn a_date_filter_says_how_many_undated_calls_it_left_out() {
    let (_dir, idx) = dated_and_undated();
    let every = callsearch(&["export", "*", "--index", s(&idx)]);
    every.success();
    let (calls, passages) = undated_among(&every.json_lines());
    assert_eq!(calls, 2);

    let since = query_on(&idx, &["*", "--since", "2021-01-01"]);
    assert_eq!(since.total(), every.json_lines().len() as u64 - passages);
    let summary = &since.of_type("summary")[0];
    assert_eq!(summary["undated_left_out"]["calls"], 2, "{summary}");
    assert_eq!(
        summary["undated_left_out"]["passages"], passages,
        "{summary}"
    );
    // The last day a user can type still leaves them out.
    let until = query_on(&idx, &["*", "--until", "9999-12-31"]);
    assert_eq!(until.total(), every.json_lines().len() as u64 - passages);
    let note = format!("note: --since left out 2 undated calls ({passages} passages)");
    since.check(
        since.stderr.contains(&note),
        format!("stderr lacks {note:?}"),
    );

    // The rest of the query holds: words and other filters narrow the count too.
    let margin = callsearch(&["export", "margin", "--index", s(&idx)]);
    margin.success();
    let (m_calls, m_passages) = undated_among(&margin.json_lines());
    assert!(
        m_calls >= 1 && m_passages < passages,
        "{m_calls} {m_passages}"
    );
    let q = query_on(&idx, &["margin", "--until", "2030-12-31"]);
    let summary = &q.of_type("summary")[0];
    assert_eq!(summary["undated_left_out"]["calls"], m_calls, "{summary}");
    assert_eq!(
        summary["undated_left_out"]["passages"], m_passages,
        "{summary}"
    );
    let gme = query_on(&idx, &["*", "--since", "2021-01-01", "--company", "gme"]);
    assert_eq!(gme.total(), 0);
    let summary = &gme.of_type("summary")[0];
    assert_eq!(summary["undated_left_out"]["calls"], 1, "{summary}");

    // trend and export say it too; without a date filter nothing is said.
    let trend = callsearch(&[
        "trend",
        "*",
        "--index",
        s(&idx),
        "--since",
        "2021-01-01",
        "--json",
    ]);
    trend.success();
    let summary = &trend.of_type("summary")[0];
    assert_eq!(summary["undated_left_out"]["calls"], 2, "{summary}");
    trend.check(trend.stderr.contains(&note), "trend: no note on stderr");
    let out = idx.parent().unwrap().join("since.ndjson");
    let export = callsearch(&[
        "export",
        "*",
        "--index",
        s(&idx),
        "--since",
        "2021-01-01",
        "--out",
        s(&out),
    ]);
    export.success();
    export.check(export.stderr.contains(&note), "export: no note on stderr");
    let plain = query_on(&idx, &["*"]);
    assert!(plain.of_type("summary")[0]["undated_left_out"].is_null());
    plain.check(
        !plain.stderr.contains("undated"),
        "a note without a date filter",
    );
}

fn query_on(idx: &Path, args: &[&str]) -> common::Run {
    let mut all = vec!["query"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--index", s(idx), "--json", "-n", "0"]);
    let run = callsearch(&all);
    run.check(run.code <= 1, "query failed");
    run
}

/// `report` over the four real calls of tests/cases/people: AMD's CEO under two
/// spellings, Microsoft's Q2 FY18 call from two publishers, the analysts' firms.
#[test]
fn report_shows_the_merges_a_user_can_check() {
    let folder = root().join("tests/cases/people");
    let run = callsearch(&["report", s(&folder), "--json"]);
    run.success();
    let report: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| run.fail(e));
    let merges = &report["merges"];
    let people = merges["people"].as_array().unwrap();
    let lisa = (people.iter()).find(|m| m["name"] == "Lisa Su");
    let lisa = lisa.unwrap_or_else(|| run.fail("no merge for Lisa Su"));
    assert_eq!(lisa["scope"], "AMD", "{lisa}");
    assert_eq!(
        lisa["spellings"],
        serde_json::json!(["Lisa Su", "Lisa T. Su"])
    );

    let dups = merges["duplicates"].as_array().unwrap();
    assert_eq!(dups.len(), 1, "{merges}");
    let name = |k: &str| {
        dups[0][k]
            .as_str()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
            .to_string()
    };
    let pair = BTreeSet::from([name("dropped"), name("kept")]);
    let msft = ["sa-MSFT-2018-01-31.txt", "se-MSFT-2018-01-31.txt"].map(String::from);
    assert_eq!(pair, BTreeSet::from(msft));
    let why = dups[0]["why"].as_str().unwrap();
    assert!(why.starts_with("same company, date and content"), "{why}");
    // The layout figures count the dropped copy as a duplicate, as `index` does.
    let layouts = report["layouts"].as_object().unwrap();
    let counted: u64 = layouts
        .values()
        .map(|l| l["duplicates"].as_u64().unwrap())
        .sum();
    assert_eq!(counted, 1, "{layouts:?}");

    let brokers = merges["brokers"].as_array().unwrap();
    let firms: Vec<&str> = brokers
        .iter()
        .map(|b| b["firm"].as_str().unwrap())
        .collect();
    let distinct: BTreeSet<&str> = firms.iter().copied().collect();
    assert_eq!(distinct.len(), firms.len(), "one line per firm: {firms:?}");
    for b in brokers {
        let sum: u64 = (b["spellings"].as_array().unwrap().iter())
            .map(|s| s["passages"].as_u64().unwrap())
            .sum();
        assert_eq!(b["passages"], sum, "{b}");
    }

    let human = callsearch(&["report", s(&folder)]);
    human.success();
    human.check(
        human.stdout.contains("  AMD: Lisa Su <- Lisa T. Su"),
        "no people line",
    );
    human.check(
        human.stdout.contains("duplicate calls: 1 files left out"),
        "no duplicates",
    );
}

/// A CSV dataset with one row per call (`ticker,date,transcript`), each row's text a
/// real transcript file as it is, quoted as CSV quotes it.
fn dataset_of(ticker: &str, date: &str, transcripts: &[&str]) -> Vec<u8> {
    let mut out = String::from("ticker,date,transcript\n");
    for path in transcripts {
        let text = String::from_utf8(read(root().join(path))).unwrap();
        out.push_str(&format!(
            "{ticker},{date},\"{}\"\n",
            text.replace('"', "\"\"")
        ));
    }
    out.into_bytes()
}

/// Passages of `--company` in an index.
fn company_total(idx: &Path, company: &str) -> u64 {
    let run = query_on(idx, &["*", "--company", company]);
    let total = run.total();
    run.check(total > 0, format!("no passage of {company}"));
    total
}

/// Passages of a folder holding only `files`, indexed alone.
fn alone(files: &[(&str, &[u8])], company: &str) -> u64 {
    let dir = folder_with(files);
    let (calls, idx) = (dir.path().join("calls"), dir.path().join("idx"));
    let run = index(&calls, &idx);
    assert_eq!(run["duplicates"].as_array().unwrap().len(), 0, "{run}");
    company_total(&idx, company)
}

/// The one duplicate a summary names, as (dropped, kept) file names (a row keeps its
/// `#row=N`).
fn one_duplicate(run: &Value) -> (String, String) {
    let dups = run["duplicates"].as_array().unwrap();
    assert_eq!(dups.len(), 1, "{run}");
    let name = |k: &str| {
        let full = dups[0][k].as_str().unwrap();
        full.rsplit('/').next().unwrap().to_string()
    };
    (name("path"), name("duplicate_of"))
}

/// Microsoft's Q2 FY2018 call as a StreetEvents text in a CSV row and as a Seeking
/// Alpha file: one call, indexed once (the Seeking Alpha copy has more words, 9128 vs
/// 8827, and both list firms and roles for all 13 people); when the file goes, the
/// row's copy comes back; when it returns, the row is dropped again.
#[test]
fn a_dataset_row_holding_a_files_call_is_indexed_once() {
    let sa = read(root().join(MSFT_SA));
    let csv = dataset_of("MSFT", "2018-01-31", &[MSFT_SE]);
    let text_alone = alone(&[("calls/CT_MSFT_2018_q2.txt", &sa)], "msft");
    let row_alone = alone(&[("calls/calls.csv", &csv)], "msft");
    assert_ne!(
        text_alone, row_alone,
        "the two copies split their turns alike"
    );

    let dir = folder_with(&[
        ("calls/CT_MSFT_2018_q2.txt", &sa),
        ("calls/calls.csv", &csv),
    ]);
    let (calls, idx) = (dir.path().join("calls"), dir.path().join("idx"));
    let first = index(&calls, &idx);
    assert_eq!(first["indexed"], 1, "{first}");
    let pair = (
        "calls.csv#row=1".to_string(),
        "CT_MSFT_2018_q2.txt".to_string(),
    );
    assert_eq!(one_duplicate(&first), pair);
    assert_eq!(company_total(&idx, "msft"), text_alone);
    assert_eq!(company_total(&idx, "microsoft"), text_alone);
    let human = callsearch(&["index", s(&calls), "--index", s(&idx), "--rebuild"]);
    human.success();
    human.check(
        human.stdout.contains("calls.csv#row=1: same call as ")
            && human.stdout.contains("1 duplicates"),
        "the summary does not name the dropped row",
    );

    // The kept copy goes: the row's call is indexed, and only it.
    std::fs::remove_file(calls.join("CT_MSFT_2018_q2.txt")).unwrap();
    let second = index(&calls, &idx);
    assert_eq!(second["removed"].as_array().unwrap().len(), 1, "{second}");
    assert_eq!(
        second["duplicates"].as_array().unwrap().len(),
        0,
        "{second}"
    );
    assert_eq!(company_total(&idx, "msft"), row_alone);
    let run = callsearch(&["query", "azure", "--index", s(&idx), "-n", "100", "--json"]);
    for h in run.hits() {
        let source = h["source"].as_str().unwrap_or_default();
        run.check(
            source.ends_with("calls.csv#row=1"),
            format!("hit from {source}"),
        );
    }
    let third = index(&calls, &idx);
    assert_eq!(
        third["indexed"], 0,
        "a no-change run indexes nothing: {third}"
    );
    assert_eq!(company_total(&idx, "msft"), row_alone);

    // The richer copy is back: the row is dropped again, its passages gone.
    std::fs::write(calls.join("CT_MSFT_2018_q2.txt"), &sa).unwrap();
    let fourth = index(&calls, &idx);
    assert_eq!(one_duplicate(&fourth), pair);
    assert_eq!(
        fourth["renamed"], 1,
        "the dataset is written again: {fourth}"
    );
    assert_eq!(company_total(&idx, "msft"), text_alone);
    let fifth = index(&calls, &idx);
    assert_eq!(fifth["indexed"], 0, "{fifth}");
    assert_eq!(fifth["unchanged"], 2, "{fifth}");
    assert_eq!(company_total(&idx, "msft"), text_alone);

    // `report` names the same pair, with the reason.
    let run = callsearch(&["report", s(&calls), "--json"]);
    run.success();
    let report: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| run.fail(e));
    let dups = report["merges"]["duplicates"].as_array().unwrap();
    assert_eq!(dups.len(), 1, "{report}");
    assert!(
        dups[0]["dropped"]
            .as_str()
            .unwrap()
            .ends_with("calls.csv#row=1")
    );
    assert!(
        dups[0]["kept"]
            .as_str()
            .unwrap()
            .ends_with("CT_MSFT_2018_q2.txt")
    );
}

/// The same call in two rows of one dataset: the row with the fuller text is kept.
#[test]
fn two_rows_of_one_dataset_holding_one_call_are_indexed_once() {
    let csv = dataset_of("MSFT", "2018-01-31", &[MSFT_SE, MSFT_SA]);
    let sa_alone = alone(
        &[(
            "calls/sa.csv",
            &dataset_of("MSFT", "2018-01-31", &[MSFT_SA]),
        )],
        "msft",
    );
    let dir = folder_with(&[("calls/calls.csv", &csv)]);
    let (calls, idx) = (dir.path().join("calls"), dir.path().join("idx"));
    let run = index(&calls, &idx);
    assert_eq!(run["indexed"], 1, "{run}");
    let pair = ("calls.csv#row=1".to_string(), "calls.csv#row=2".to_string());
    assert_eq!(one_duplicate(&run), pair);
    assert_eq!(company_total(&idx, "msft"), sa_alone);
    let again = index(&calls, &idx);
    assert_eq!(again["indexed"], 0, "{again}");
    assert_eq!(again["duplicates"].as_array().unwrap().len(), 0, "{again}");
}

/// AMD's CEO is `Lisa Su` in the 2016 call (43 passages), here a dataset row, and `Lisa
/// T. Su` in the 2019 file (30): adding the dataset renames her in the file's passages,
/// as adding the 2016 file does (the dataset's spellings count like a file's).
#[test]
fn a_dataset_speakers_spelling_counts_toward_the_canonical_name() {
    let dir = folder_with(&[("calls/2019-04-30-AMD.txt", &read(root().join(AMD_2019)))]);
    let (calls, idx) = (dir.path().join("calls"), dir.path().join("idx"));
    let first = index(&calls, &idx);
    assert_eq!(first["indexed"], 1, "{first}");
    assert_eq!(names(&lisa(&idx)), BTreeSet::from(["Lisa T. Su"]));

    let csv = dataset_of("AMD", "2016-10-20", &[AMD_2016]);
    std::fs::write(calls.join("amd.csv"), csv).unwrap();
    let second = index(&calls, &idx);
    assert_eq!(
        second["indexed"], 2,
        "the dataset and the renamed file: {second}"
    );
    assert_eq!(second["renamed"], 1, "{second}");
    let rows = lisa(&idx);
    assert_eq!(names(&rows), BTreeSet::from(["Lisa Su"]), "{rows:?}");
    let from = |file: &str, raw: &str| {
        (rows.iter())
            .filter(|(_, r, f)| f == file && r == raw)
            .count()
    };
    assert_eq!(from("2019-04-30-AMD.txt", "Lisa T. Su"), 30, "{rows:?}");
    assert_eq!(from("amd.csv#row=1", "Lisa Su"), 43, "{rows:?}");
    let third = index(&calls, &idx);
    assert_eq!(third["indexed"], 0, "{third}");

    std::fs::remove_file(calls.join("amd.csv")).unwrap();
    let fourth = index(&calls, &idx);
    assert_eq!(fourth["renamed"], 1, "{fourth}");
    assert_eq!(names(&lisa(&idx)), BTreeSet::from(["Lisa T. Su"]));
}
