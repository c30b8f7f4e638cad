//! Filters, facets, questions behind answers, context and demotion, on the bundled corpus.

use crate::common;

use std::collections::{BTreeMap, HashMap, HashSet};

use callsearch::transcript::model::Passage;
use common::*;
use serde_json::Value;

/// The hits of a run: exit code 0 and at least one hit, or the test fails showing the run.
fn hits(run: &Run) -> Vec<Value> {
    run.hits()
}

fn total(run: &Run) -> u64 {
    run.total()
}

/// Every passage of the bundled corpus, parsed directly (duplicates dropped as the
/// indexer does: first path wins).
/// Every call's passages once, with the archive's canonical names applied as `index`
/// applies them.
fn corpus_passages() -> Vec<Passage> {
    use callsearch::transcript::identity::{Identities, UserRules, survey};
    let files = corpus_files();
    let mut seen = HashSet::new();
    let mut calls = Vec::new();
    for f in files {
        if let Ok(t) = callsearch::transcript::parse_file(&f) {
            let ps = callsearch::transcript::passages::passages(&t, &f.display().to_string());
            if ps.first().is_some_and(|p| seen.insert(p.call_id.clone())) {
                calls.push((survey(&t), ps));
            }
        }
    }
    let ids = Identities::build(calls.iter().map(|(c, _)| c), &UserRules::default());
    let mut out = Vec::new();
    for (_, mut ps) in calls {
        ids.apply(&mut ps);
        out.extend(ps);
    }
    out
}

fn facet(run: &Run, field: &str) -> BTreeMap<String, u64> {
    run.success();
    let f = run
        .of_type("facet")
        .into_iter()
        .find(|f| f["field"] == field)
        .unwrap_or_else(|| run.fail(format!("no facet {field}")));
    f["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["value"].as_str().unwrap().to_string(),
                c["count"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn brute(values: impl Iterator<Item = String>) -> BTreeMap<String, u64> {
    let mut counts = HashMap::new();
    for v in values {
        *counts.entry(v).or_insert(0) += 1;
    }
    callsearch::search::facets::merge_spellings(counts)
        .into_iter()
        .collect()
}

#[test]
fn facet_counts_equal_a_brute_force_count() {
    let passages = corpus_passages();
    let run = query_json(
        "*",
        &[
            "--facet",
            "speaker",
            "--facet",
            "firm",
            "--facet",
            "section",
            "--facet",
            "period",
            "--facet",
            "year",
            "--facet",
            "role",
            "--facet-limit",
            "10000",
            "-n",
            "0",
        ],
    );
    run.success();
    assert!(passages.len() > 500, "{}", passages.len());
    assert_eq!(total(&run), passages.len() as u64);
    assert_eq!(
        facet(&run, "speaker"),
        brute(passages.iter().map(|p| p.speaker.clone()))
    );
    let firms = passages
        .iter()
        .filter_map(|p| p.firm_norm.clone().or(p.firm.clone()));
    assert_eq!(facet(&run, "firm"), brute(firms));
    let sections = passages.iter().map(|p| p.section.as_str().to_string());
    assert_eq!(facet(&run, "section"), brute(sections));
    let periods = passages.iter().filter_map(|p| p.fiscal_period.clone());
    assert_eq!(facet(&run, "period"), brute(periods));
    let years = passages
        .iter()
        .filter_map(|p| p.date.as_ref().map(|d| d[..4].to_string()));
    assert_eq!(facet(&run, "year"), brute(years));
    let roles = passages.iter().flat_map(|p| {
        let mut v = vec![p.role_class.as_str().to_string()];
        v.extend(
            p.titles
                .iter()
                .filter(|t| *t != p.role_class.as_str())
                .cloned(),
        );
        v
    });
    assert_eq!(facet(&run, "role"), brute(roles));
}

#[test]
fn facets_count_the_filtered_result_set_largest_first() {
    let passages = corpus_passages();
    let run = query_json(
        "*",
        &[
            "--section",
            "qa",
            "--role",
            "analyst",
            "--facet",
            "firm",
            "-n",
            "0",
        ],
    );
    let expected = brute(
        passages
            .iter()
            .filter(|p| p.section.as_str() == "qa" && p.role_class.as_str() == "analyst")
            .filter_map(|p| p.firm_norm.clone()),
    );
    run.success();
    assert!(!expected.is_empty());
    let f = &run.of_type("facet")[0];
    let counts: Vec<u64> = f["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["count"].as_u64().unwrap())
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    assert!(counts.len() <= 20);
    assert_eq!(f["distinct"].as_u64().unwrap(), expected.len() as u64);
    let top = f["counts"][0]["value"].as_str().unwrap();
    assert_eq!(expected[top], counts[0]);
    assert_eq!(expected.values().max().copied(), Some(counts[0]));
}

#[test]
fn speaker_filter_is_case_and_part_insensitive() {
    let run = query_json("margin", &["--speaker", "russo"]);
    let hs = hits(&run);
    assert!(!hs.is_empty());
    assert!(hs.iter().all(|h| h["speaker"] == "Carl Russo"));
    let same = query_json(r#"speaker:"carl russo" margin"#, &[]);
    assert_eq!(total(&run), total(&same));
}

#[test]
fn firm_filter_matches_every_spelling_of_the_firm() {
    let run = query_json("*", &["--firm", "jefferies", "-n", "100"]);
    let hs = hits(&run);
    assert!(!hs.is_empty());
    for h in &hs {
        assert_eq!(h["firm_norm"], "Jefferies", "{h}");
    }
    assert!(hs.iter().any(|h| h["firm_raw"] == "Jefferies and Co."));
    assert!(hs.iter().all(|h| h["firm"] == "Jefferies"));
    let raw = query_json("*", &["--firm", "Jefferies & Co.", "-n", "0"]);
    assert_eq!(total(&run), total(&raw));
}

#[test]
fn company_filter_takes_a_name_or_a_ticker() {
    let by_ticker = query_json("revenue", &["--company", "axp", "-n", "50"]);
    let by_name = query_json("revenue", &["--company", "american express", "-n", "50"]);
    assert!(total(&by_ticker) > 0);
    assert_eq!(total(&by_ticker), total(&by_name));
    assert!(hits(&by_ticker).iter().all(|h| h["ticker"] == "AXP"));
}

#[test]
fn role_filter_takes_a_class_or_a_title() {
    let cfo = query_json("margin", &["--role", "cfo", "-n", "100"]);
    let hs = hits(&cfo);
    assert!(!hs.is_empty());
    assert!(hs.iter().all(|h| {
        h["titles"]
            .as_array()
            .unwrap()
            .contains(&Value::from("cfo"))
    }));
    let analysts = query_json("margin", &["--role", "analyst", "-n", "100"]);
    assert!(hits(&analysts).iter().all(|h| h["role_class"] == "analyst"));
}

#[test]
fn section_date_and_period_filters() {
    let qa = query_json("*", &["--section", "qa", "-n", "100"]);
    assert!(hits(&qa).iter().all(|h| h["section"] == "qa"));
    let window = query_json(
        "*",
        &[
            "--since",
            "2011-01-01",
            "--until",
            "2011-12-31",
            "-n",
            "100",
        ],
    );
    let hs = hits(&window);
    assert!(!hs.is_empty());
    assert!(
        hs.iter()
            .all(|h| h["date"].as_str().unwrap().starts_with("2011-"))
    );
    let period = query_json("*", &["--period", "Q2 2011", "-n", "0"]);
    assert_eq!(
        total(&period),
        total(&window),
        "the only 2011 call is CALX Q2 2011"
    );
    let year = query_json("*", &["--period", "2011", "-n", "0"]);
    assert_eq!(total(&year), total(&period));
    let bad = query_json("*", &["--since", "last year"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("--since last year: expected a date"),
        "{}",
        bad.stderr
    );
}

#[test]
fn answers_carry_the_question_that_prompted_them() {
    let run = query_json(
        "broadband stimulus",
        &["--section", "qa", "--role", "executive", "--with-question"],
    );
    let hs = hits(&run);
    assert!(!hs.is_empty());
    for h in &hs {
        let q = &h["question"];
        assert!(q.is_object(), "{h}");
        assert!(q["turn"].as_u64().unwrap() < h["turn"].as_u64().unwrap());
    }
    // Carl Russo's answer in turn 8 answers George Notter's question in turn 7.
    let russo = hs.iter().find(|h| h["turn"] == 8).expect("turn 8 answer");
    assert_eq!(russo["question"]["speaker"], "George Notter");
    assert_eq!(russo["question"]["firm"], "Jefferies");
    assert_eq!(russo["question"]["turn"], 7);
    assert!(
        russo["question"]["text"]
            .as_str()
            .unwrap()
            .contains("broadband stimulus")
    );
}

#[test]
fn questions_know_who_answered_them() {
    let run = query_json("stimulus", &["--speaker", "notter", "-n", "20"]);
    let hs = hits(&run);
    let turn7 = hs
        .iter()
        .find(|h| h["turn"] == 7)
        .expect("Notter's first question");
    assert_eq!(
        turn7["answered_by"],
        serde_json::json!(["Carl Russo", "Michael Ashby"])
    );
    let answers = query_json(
        "*",
        &["--asked-by", "notter", "-n", "200", "--with-question"],
    );
    let to_turn7: Vec<Value> = hits(&answers)
        .into_iter()
        .filter(|a| a["question"]["turn"] == 7 && a["call_id"] == turn7["call_id"])
        .collect();
    answers.check(!to_turn7.is_empty(), "no answer to turn 7");
    for a in &to_turn7 {
        answers.check(
            ["Carl Russo", "Michael Ashby"].contains(&a["speaker"].as_str().unwrap_or_default()),
            format!("turn 7 answered by someone else: {a}"),
        );
    }
}

#[test]
fn asked_by_keeps_answers_to_one_questioner() {
    let run = query_json("*", &["--asked-by", "george notter", "-n", "100"]);
    let hs = hits(&run);
    assert!(!hs.is_empty());
    assert!(
        hs.iter()
            .all(|h| h["speaker"] == "Carl Russo" || h["speaker"] == "Michael Ashby")
    );
    let by_firm = query_json(
        "*",
        &[
            "--asked-by-firm",
            "Jefferies & Co",
            "-n",
            "100",
            "--with-question",
        ],
    );
    assert!(
        total(&by_firm) >= total(&run),
        "Notter is one of the Jefferies analysts"
    );
    assert!(
        hits(&by_firm)
            .iter()
            .all(|h| h["question"]["firm"] == "Jefferies")
    );
    let human = callsearch(&[
        "query",
        "stimulus",
        "--index",
        corpus_index(),
        "--asked-by",
        "notter",
        "--with-question",
        "-n",
        "1",
    ]);
    assert!(
        human.stdout.contains("Q (George Notter, Jefferies):"),
        "{}",
        human.stdout
    );
}

#[test]
fn context_prints_neighbouring_paragraphs_of_the_same_call() {
    let run = query_json(
        r#""unified access architecture""#,
        &["--context", "1", "-n", "1"],
    );
    let h = &hits(&run)[0];
    let ctx = h["context"].as_array().unwrap();
    assert_eq!(ctx.len(), 3, "{h}");
    assert_eq!(ctx[1]["turn"], h["turn"]);
    assert_eq!(ctx[1]["paragraph"], h["paragraph"]);
    let human = callsearch(&[
        "query",
        r#""unified access architecture""#,
        "--index",
        corpus_index(),
        "-C",
        "1",
        "-n",
        "1",
    ]);
    assert!(
        human
            .stdout
            .lines()
            .any(|l| l.trim_start().starts_with("> ")),
        "{}",
        human.stdout
    );
}

#[test]
fn snippets_highlight_every_query_term_including_phrases() {
    // A phrase and a word that occur together (no passage has both "gross margin" and
    // "stimulus", so that query found nothing and this test checked nothing).
    let run = query_json(r#""gross margin" services"#, &["-n", "5"]);
    let mut services = 0;
    for h in hits(&run) {
        let snippet = h["snippet"].as_str().unwrap();
        let marked: Vec<String> = h["highlights"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let (a, b) = (
                    r[0].as_u64().unwrap() as usize,
                    r[1].as_u64().unwrap() as usize,
                );
                snippet
                    .chars()
                    .skip(a)
                    .take(b - a)
                    .collect::<String>()
                    .to_lowercase()
            })
            .collect();
        assert!(marked.iter().any(|m| m.starts_with("margin")), "{marked:?}");
        assert!(marked.iter().any(|m| m == "gross"), "{marked:?}");
        services += marked.iter().filter(|m| *m == "services").count();
    }
    run.check(services > 0, "the word is never highlighted");
}

#[test]
fn operator_and_boilerplate_rank_below_substance() {
    let run = query_json("gross margin", &["-n", "5"]);
    for h in hits(&run) {
        assert_ne!(h["role_class"], "operator");
        assert_eq!(h["boilerplate"], false, "{h}");
    }
    let safe_harbor = query_json(r#""forward-looking statements""#, &["-n", "1"]);
    assert_eq!(hits(&safe_harbor)[0]["boilerplate"], true);
    let plain = query_json("call", &["-n", "20", "--no-demote"]);
    let demoted = query_json("call", &["-n", "20"]);
    let boiler = |r: &Run| hits(r).iter().filter(|h| h["boilerplate"] == true).count();
    assert!(
        boiler(&plain) > boiler(&demoted),
        "{} {}",
        boiler(&plain),
        boiler(&demoted)
    );
}

#[test]
fn the_top_ten_are_the_first_ten_of_the_full_ranking() {
    for q in [
        "margin",
        "call",
        "thank you",
        r#""gross margin""#,
        "revenue OR growth",
        "*",
    ] {
        for demote in [&[][..], &["--no-demote"][..]] {
            let ids = |n: &str| {
                let mut args = vec!["-n", n];
                args.extend_from_slice(demote);
                hits(&query_json(q, &args))
                    .iter()
                    .map(|h| h["passage_id"].as_str().unwrap().to_string())
                    .collect::<Vec<_>>()
            };
            let all = ids("100000");
            let top = ids("10");
            assert_eq!(top, all[..top.len()], "{q} {demote:?}");
        }
    }
}

#[test]
fn star_lists_newest_calls_first_each_in_speaking_order() {
    let hs = hits(&query_json("*", &["-n", "100000"]));
    assert_eq!(hs.len() as u64, total(&query_json("*", &["-n", "0"])));
    let date = browse_day;
    for pair in hs.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        assert!(date(a) >= date(b), "{} before {}", date(a), date(b));
        if a["call_id"] == b["call_id"] {
            let pos = |h: &Value| {
                (
                    h["turn"].as_u64().unwrap(),
                    h["paragraph"].as_u64().unwrap(),
                )
            };
            assert!(pos(a) < pos(b), "{a} before {b}");
        }
    }
    let russo = hits(&query_json("*", &["--speaker", "carl russo", "-n", "3"]));
    assert_eq!(russo[0]["turn"], 3, "his first passage opens the listing");
    assert_eq!(russo[0]["paragraph"], 1);
}
