//! What typed and pasted text means: content words, all words first then most, finance
//! synonyms, lenient reading of punctuation, prefixes and typos, on the bundled corpus.

use crate::common;

use common::*;
use serde_json::Value;

fn summary(run: &Run) -> Value {
    run.of_type("summary").remove(0)
}

fn lower_texts(hits: &[Value]) -> Vec<String> {
    hits.iter()
        .map(|h| h["text"].as_str().unwrap().to_lowercase())
        .collect()
}

#[test]
fn a_pasted_question_finds_passages_with_its_content_words() {
    let run = query_json(
        "What are you seeing in terms of pricing in China?",
        &["-n", "20"],
    );
    let hits = run.hits();
    for text in lower_texts(&hits) {
        assert!(text.contains("pric") && text.contains("china"), "{text}");
    }
    assert_eq!(summary(&run)["matched"], "all words", "{}", run.describe());
}

#[test]
fn plain_words_rank_passages_with_all_words_first_then_most() {
    let run = query_json("broadband stimulus orders shipping", &["-n", "40"]);
    let hits = run.hits();
    let s = summary(&run);
    assert_eq!(s["matched"], "at least 2 of 4 words", "{s}");
    let all = |t: &String| {
        ["broadband", "stimulus", "order", "shipping"]
            .iter()
            .all(|w| t.contains(w))
    };
    let texts = lower_texts(&hits);
    let first_partial = texts.iter().position(|t| !all(t)).unwrap_or(texts.len());
    assert!(first_partial > 0, "no passage holds all four words");
    assert!(
        texts[first_partial..].iter().all(|t| !all(t)),
        "all-words passage after a partial one"
    );
    let strict = query_json(
        "broadband stimulus orders shipping",
        &["--all-words", "-n", "0"],
    );
    assert!(strict.total() < run.total(), "{}", strict.describe());
    assert_eq!(summary(&strict)["matched"], "all words");
}

#[test]
fn punctuation_typed_or_pasted_is_never_a_syntax_error() {
    for q in [
        "Apple's services",
        "$125.2 billion - $126.4 billion",
        "outlook: strong demand",
        "revenue (up 5%",
        "don't",
        "GROSS MARGIN AND REVENUE",
    ] {
        let run = query_json(q, &[]);
        run.check(
            run.code != 2 && run.stderr.is_empty(),
            "pasted text gave an error",
        );
    }
}

#[test]
fn a_query_starting_with_a_dash_excludes_the_word() {
    let run = callsearch(&[
        "query",
        "-broadband",
        "--index",
        corpus_index(),
        "--json",
        "-n",
        "50",
    ]);
    let hits = run.hits();
    assert!(lower_texts(&hits).iter().all(|t| !t.contains("broadband")));
}

#[test]
fn finance_abbreviations_match_their_spelled_out_forms_and_say_so() {
    let run = query_json("eps", &["-n", "50"]);
    let hits = run.hits();
    let s = summary(&run);
    assert_eq!(
        s["also_matched"],
        serde_json::json!(["earnings per share"]),
        "{s}"
    );
    for text in lower_texts(&hits) {
        assert!(
            text.contains("eps") || text.contains("earnings per share"),
            "{text}"
        );
    }
    let texts = lower_texts(&hits);
    assert!(
        texts.iter().any(|t| t.contains("earnings per share")),
        "synonym unused"
    );
    assert!(texts.iter().any(|t| t.contains("eps")), "typed word unused");
}

#[test]
fn curly_quotes_are_phrase_quotes() {
    let curly = query_json("“gross margin”", &["-n", "0"]);
    let straight = query_json("\"gross margin\"", &["-n", "0"]);
    assert!(straight.total() > 0);
    assert_eq!(curly.total(), straight.total(), "{}", curly.describe());
}

#[test]
fn a_prefix_and_a_typo_find_the_word() {
    let margin = query_json("margin", &["-n", "0"]).total();
    let prefix = query_json("marg*", &["-n", "30"]);
    assert!(prefix.total() >= margin, "{}", prefix.describe());
    assert!(
        lower_texts(&prefix.hits())
            .iter()
            .all(|t| t.contains("marg"))
    );
    let typo = query_json("margni~1", &["-n", "30"]);
    assert!(typo.total() >= margin, "{}", typo.describe());
    assert!(
        lower_texts(&typo.hits())
            .iter()
            .all(|t| t.contains("margin"))
    );
}

#[test]
fn a_figure_typed_finds_the_passage_that_holds_it() {
    // Of three content words only the figure is in the passage: still counted.
    let run = query_json("giraffe unicorn 46.7", &["-n", "5"]);
    let hits = run.hits();
    assert!(
        lower_texts(&hits).iter().all(|t| t.contains("46.7")),
        "{}",
        run.describe()
    );
    let s = summary(&run);
    assert_eq!(s["matched"], "at least 2 of 3 words, or a number", "{s}");
}

#[test]
fn a_word_no_passage_holds_gets_a_suggestion_never_a_silent_zero() {
    let run = query_json("margni", &[]);
    run.no_hits();
    let s = summary(&run);
    assert_eq!(
        s["did_you_mean"],
        serde_json::json!([{"typed": "margni", "suggestion": "margin"}]),
        "{s}"
    );
    let human = callsearch(&[
        "query",
        "iphnoe sales",
        "--index",
        corpus_index(),
        "-n",
        "1",
    ]);
    human.success();
    human.check(
        human
            .stdout
            .contains("no passage holds \"iphnoe\": did you mean iphone?"),
        "suggestion line missing",
    );
}

#[test]
fn accents_and_percent_signs_match_their_plain_forms() {
    let accented = query_json("crédit suisse", &["-n", "0"]);
    let plain = query_json("credit suisse", &["-n", "0"]);
    assert!(plain.total() > 0);
    assert_eq!(accented.total(), plain.total(), "{}", accented.describe());
    let percent = query_json("percent", &["-n", "200"]);
    let texts = lower_texts(&percent.hits());
    assert!(
        texts
            .iter()
            .any(|t| t.contains('%') && !t.contains("percent")),
        "no hit holds only the % sign"
    );
}

#[test]
fn a_fragment_does_not_outrank_substance() {
    let fragment = "So George, I'll let you answer the second half.";
    let raw = query_json("second half", &["--no-demote", "-n", "1"]).hits();
    assert_eq!(
        raw[0]["text"], fragment,
        "the fragment no longer tops raw BM25"
    );
    let ranked = query_json("second half", &["-n", "5"]).hits();
    assert!(ranked.iter().all(|h| h["text"] != fragment), "{ranked:?}");
    assert!(
        ranked[0]["text"]
            .as_str()
            .unwrap()
            .split_whitespace()
            .count()
            > 25
    );
}

#[test]
fn a_filter_value_that_matches_nothing_gets_a_suggestion() {
    let run = query_json("*", &["--firm", "jefries", "-n", "0"]);
    run.no_hits();
    let s = summary(&run);
    assert_eq!(
        s["did_you_mean"],
        serde_json::json!([{"typed": "--firm jefries", "suggestion": "Jefferies"}]),
        "{s}"
    );
    let found = query_json("*", &["--firm", "jefferies", "-n", "0"]);
    assert!(found.total() > 0);
    assert_eq!(summary(&found)["did_you_mean"], serde_json::json!([]));
}

#[test]
fn fy_matches_full_year_and_fiscal_year() {
    let run = query_json("fy guidance", &["-n", "20"]);
    let hits = run.hits();
    let s = summary(&run);
    let also = s["also_matched"].to_string();
    assert!(
        also.contains("full year") && also.contains("fiscal year"),
        "{s}"
    );
    assert!(
        lower_texts(&hits)
            .iter()
            .any(|t| t.contains("full year") || t.contains("fiscal year")),
        "no hit spells out the year"
    );
}

/// The highlighted words of each hit, lowercased.
fn highlighted(hits: &[Value]) -> Vec<Vec<String>> {
    hits.iter()
        .map(|h| {
            let snippet = h["snippet"].as_str().unwrap();
            (h["highlights"].as_array().unwrap().iter())
                .map(|r| {
                    let (a, b) = (r[0].as_u64().unwrap(), r[1].as_u64().unwrap());
                    snippet[a as usize..b as usize].to_lowercase()
                })
                .collect()
        })
        .collect()
}

#[test]
fn snippets_highlight_what_prefixes_typos_and_synonyms_matched() {
    let prefix = query_json("marg*", &["-n", "10"]);
    let words = highlighted(&prefix.hits());
    assert!(words.iter().all(|w| !w.is_empty()), "{words:?}");
    assert!(
        words.iter().flatten().all(|w| w.starts_with("marg")),
        "{words:?}"
    );
    let typo = query_json("margni~1", &["-n", "10"]);
    let words = highlighted(&typo.hits());
    assert!(words.iter().all(|w| !w.is_empty()), "{words:?}");
    assert!(
        words.iter().flatten().all(|w| w.starts_with("margin")),
        "{words:?}"
    );
    let synonym = query_json("eps", &["-n", "50"]);
    let words: Vec<String> = highlighted(&synonym.hits()).concat();
    assert!(words.iter().any(|w| w == "earnings"), "{words:?}");
}

#[test]
fn query_words_close_together_rank_above_scattered_ones() {
    let run = query_json("interest rates", &["-n", "1"]);
    let top = lower_texts(&run.hits()).remove(0);
    assert!(
        top.contains("interest rate"),
        "top hit holds the words apart: {top}"
    );
}

#[test]
fn first_quarter_and_q1_are_one_term() {
    let spelled = query_json("first quarter", &["-n", "0"]);
    let short = query_json("q1", &["-n", "0"]);
    let vendor = query_json("1q", &["-n", "0"]);
    assert!(spelled.total() > 0, "{}", spelled.describe());
    assert_eq!(spelled.total(), short.total(), "{}", short.describe());
    assert_eq!(vendor.total(), short.total(), "{}", vendor.describe());
    let also = summary(&short)["also_matched"].to_string();
    assert!(also.contains("first quarter"), "{also}");
}

#[test]
fn a_user_synonym_file_adds_groups_and_no_synonyms_turns_them_off() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ours.txt");
    std::fs::write(&file, "# our words\nstimulus = broadband\n").unwrap();
    let path = file.to_str().unwrap();
    let run = query_json("stimulus", &["--synonyms", path, "-n", "50"]);
    let texts = lower_texts(&run.hits());
    assert_eq!(
        summary(&run)["also_matched"],
        serde_json::json!(["broadband"])
    );
    assert!(
        texts
            .iter()
            .any(|t| t.contains("broadband") && !t.contains("stimulus"))
    );
    let plain = query_json("stimulus", &["-n", "0"]);
    assert!(run.total() > plain.total(), "{}", run.describe());
    let off = query_json("eps", &["--no-synonyms", "-n", "0"]);
    assert_eq!(summary(&off)["also_matched"], serde_json::json!([]));
    assert!(off.total() < query_json("eps", &["-n", "0"]).total());
    std::fs::write(&file, "stimulus\n").unwrap();
    let bad = callsearch(&[
        "query",
        "stimulus",
        "--index",
        corpus_index(),
        "--synonyms",
        path,
    ]);
    bad.assert_code(2);
    bad.check(bad.stdout.is_empty(), "printed hits");
    bad.check(bad.stderr.contains("ours.txt line 1"), "no line named");
}
