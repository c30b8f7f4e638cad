//! `trend` counts equal a brute-force count over `query --json`; `--facet quarter` and
//! `--sort date` agree with the same dates; repeated filters mean either.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;
use serde_json::Value;

/// (bucket, series) -> (distinct calls, passages), counted from hits.
type Brute = BTreeMap<(String, String), (BTreeSet<String>, u64)>;

/// Every hit of `query` with `extra` filters (all of them, not just the first ten).
fn all_hits(query: &str, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["-n", "100000"];
    args.extend_from_slice(extra);
    let run = query_json(query, &args);
    let hits = run.hits();
    run.check(
        hits.len() as u64 == run.total(),
        "-n 100000 returned every hit",
    );
    hits
}

/// `2019-Q1` or `2019` from a hit's `YYYY-MM-DD`, `undated` without one.
fn bucket_of(hit: &Value, by: &str) -> String {
    let Some(date) = hit["date"].as_str() else {
        return "undated".into();
    };
    let (year, month): (&str, u32) = (&date[..4], date[5..7].parse().unwrap());
    match by {
        "year" => year.to_string(),
        _ => format!("{year}-Q{}", (month - 1) / 3 + 1),
    }
}

fn brute(hits: &[Value], by: &str, split: Option<&str>) -> Brute {
    let mut out = Brute::new();
    for h in hits {
        let series = split.map_or(String::new(), |f| {
            let v = h[f].as_str().unwrap();
            // The company series is the company without legal suffixes, as facets show it.
            match f {
                "company" => callsearch::transcript::firms::normalize_firm(v),
                _ => v.to_string(),
            }
        });
        let e = out.entry((bucket_of(h, by), series)).or_default();
        e.0.insert(h["call_id"].as_str().unwrap().to_string());
        e.1 += 1;
    }
    out
}

fn trend(query: &str, extra: &[&str]) -> Run {
    let mut args = vec!["trend", query, "--index", corpus_index(), "--json"];
    args.extend_from_slice(extra);
    callsearch(&args)
}

/// Check every bucket line of a trend against the brute-force counts of the query's
/// hits (calls, passages) and of `*` under the same filters (calls_total).
fn check_against_brute(query: &str, by: &str, split: Option<(&str, &str)>, filters: &[&str]) {
    let mut extra = vec!["--by", by];
    if let Some((flag, _)) = split {
        extra.extend(["--split", flag, "--split-limit", "100"]);
    }
    extra.extend_from_slice(filters);
    let run = trend(query, &extra);
    run.success();
    let field = split.map(|(_, f)| f);
    let hits = brute(&all_hits(query, filters), by, field);
    let totals = brute(&all_hits("*", filters), by, field);
    let buckets = run.of_type("bucket");
    run.check(!buckets.is_empty(), "expected buckets");
    let mut seen_calls = 0;
    for b in &buckets {
        let key = (
            b["bucket"].as_str().unwrap().to_string(),
            b["series"].as_str().unwrap_or("").to_string(),
        );
        let (calls, passages) = hits.get(&key).map_or((0, 0), |(c, n)| (c.len() as u64, *n));
        let total = totals.get(&key).map_or(0, |(c, _)| c.len() as u64);
        run.check(
            b["calls"] == calls && b["passages"] == passages && b["calls_total"] == total,
            format!("{key:?}: expected {calls} calls, {passages} passages, {total} in all: {b}"),
        );
        match total {
            0 => run.check(b["share"].is_null(), format!("share of empty {b}")),
            t => run.check(
                (b["share"].as_f64().unwrap() - calls as f64 / t as f64).abs() < 0.001,
                format!("share {b}"),
            ),
        };
        seen_calls += calls;
    }
    // Every dated (bucket, series) the hits have is shown.
    for (key, (calls, _)) in &hits {
        if key.0 == "undated" {
            continue;
        }
        let shown = buckets
            .iter()
            .any(|b| b["bucket"] == key.0 && b["series"].as_str().unwrap_or("") == key.1);
        run.check(
            shown,
            format!("bucket {key:?} with {} calls missing", calls.len()),
        );
    }
    run.check(seen_calls > 0, "some bucket has calls");
    for u in run.of_type("undated") {
        let key = (
            "undated".to_string(),
            u["series"].as_str().unwrap_or("").to_string(),
        );
        let (calls, passages) = hits.get(&key).map_or((0, 0), |(c, n)| (c.len() as u64, *n));
        run.check(
            u["calls"] == calls && u["passages"] == passages,
            format!("undated {u}"),
        );
    }
    let summary = &run.of_type("summary")[0];
    run.check(
        summary["total_hits"] == hits.values().map(|(_, n)| n).sum::<u64>(),
        "summary total_hits",
    );
}

#[test]
fn trend_by_year_equals_a_brute_force_count() {
    check_against_brute("margin", "year", None, &[]);
}

#[test]
fn trend_by_quarter_equals_a_brute_force_count() {
    check_against_brute("revenue growth", "quarter", None, &["--section", "qa"]);
}

#[test]
fn trend_split_by_role_equals_a_brute_force_count() {
    check_against_brute("margin", "year", Some(("role", "role_class")), &[]);
}

#[test]
fn repeated_filters_mean_either() {
    let apple = all_hits("revenue", &["--company", "aapl"]).len();
    let amazon = all_hits("revenue", &["--company", "amzn"]).len();
    let both = all_hits("revenue", &["--company", "aapl", "--company", "amzn"]).len();
    assert!(apple > 0 && amazon > 0, "{apple} {amazon}");
    assert_eq!(both, apple + amazon);
    check_against_brute(
        "revenue",
        "year",
        Some(("company", "company")),
        &["--company", "aapl", "--company", "amzn"],
    );
}

#[test]
fn buckets_run_from_first_to_last_match_with_zeros_between() {
    let run = trend("margin", &["--by", "year"]);
    run.success();
    let years: Vec<u64> = (run.of_type("bucket").iter())
        .map(|b| b["bucket"].as_str().unwrap().parse().unwrap())
        .collect();
    let dated: BTreeSet<u64> = (all_hits("margin", &[]).iter())
        .filter_map(|h| h["date"].as_str().map(|d| d[..4].parse().unwrap()))
        .collect();
    let (first, last) = (*dated.first().unwrap(), *dated.last().unwrap());
    assert_eq!(years, (first..=last).collect::<Vec<_>>());
    assert!(years.len() > dated.len(), "some empty years are shown");
}

#[test]
fn trend_reports_the_matched_rule_of_the_query() {
    let q = "iphone revenue grew 40% to record levels";
    let query = query_json(q, &["-n", "0"]);
    let run = trend(q, &[]);
    run.success();
    let (ts, qs) = (&run.of_type("summary")[0], &query.of_type("summary")[0]);
    assert_eq!(ts["matched"], qs["matched"]);
    assert_eq!(ts["total_hits"], qs["total_hits"]);
    assert_ne!(ts["matched"], "all words", "{ts}");
}

#[test]
fn trend_by_fiscal_period_orders_by_fiscal_year_then_quarter() {
    let run = trend("*", &["--by", "period"]);
    run.success();
    let labels: Vec<String> = (run.of_type("bucket").iter())
        .map(|b| b["bucket"].as_str().unwrap().to_string())
        .collect();
    let key = |l: &str| {
        let (q, y) = l.split_once(' ').unwrap();
        (y.to_string(), q.to_string())
    };
    let mut sorted = labels.clone();
    sorted.sort_by_key(|l| key(l));
    assert_eq!(labels, sorted);
    assert!(labels.contains(&"Q2 2011".to_string()), "{labels:?}");
}

#[test]
fn trend_csv_and_human_show_the_same_counts() {
    let json = trend("margin", &["--by", "year"]);
    let csv = callsearch(&[
        "trend",
        "margin",
        "--by",
        "year",
        "--csv",
        "--index",
        corpus_index(),
    ]);
    csv.success();
    let mut lines = csv.stdout.lines();
    assert_eq!(
        lines.next(),
        Some("bucket,series,calls,passages,calls_total,share")
    );
    for (row, b) in lines.zip(json.of_type("bucket")) {
        let cells: Vec<&str> = row.split(',').collect();
        assert_eq!(cells[0], b["bucket"]);
        assert_eq!(cells[2], b["calls"].to_string());
        assert_eq!(cells[3], b["passages"].to_string());
    }
    let human = callsearch(&["trend", "margin", "--by", "year", "--index", corpus_index()]);
    human.success();
    human.check(human.stdout.contains('█'), "a bar per bucket");
    human.check(
        human
            .stdout
            .contains("54 matching passages in 7 calls (all words) by year"),
        "summary line",
    );
}

#[test]
fn facet_quarter_uses_the_trend_buckets() {
    let hits = all_hits("*", &[]);
    let run = query_json(
        "*",
        &["--facet", "quarter", "-n", "0", "--facet-limit", "100"],
    );
    run.success();
    let facet = &run.of_type("facet")[0];
    assert_eq!(facet["field"], "quarter");
    let mut brute: BTreeMap<String, u64> = BTreeMap::new();
    for h in hits.iter().filter(|h| h["date"].is_string()) {
        *brute.entry(bucket_of(h, "quarter")).or_insert(0) += 1;
        assert_eq!(h["quarter"], bucket_of(h, "quarter").as_str());
    }
    let counted: BTreeMap<String, u64> = (facet["counts"].as_array().unwrap().iter())
        .map(|c| {
            (
                c["value"].as_str().unwrap().to_string(),
                c["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(counted, brute);
    let trend_buckets: BTreeSet<String> = (trend("*", &[]).of_type("bucket").iter())
        .filter(|b| b["calls"].as_u64() > Some(0))
        .map(|b| b["bucket"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(trend_buckets, counted.keys().cloned().collect());
}

#[test]
fn sort_date_lists_newest_call_first_in_speaking_order() {
    let relevance = all_hits("margin", &[]);
    let by_date = all_hits("margin", &["--sort", "date"]);
    assert_eq!(relevance.len(), by_date.len());
    let key = |h: &Value| {
        (
            std::cmp::Reverse(browse_day(h)),
            h["call_id"].as_str().unwrap().to_string(),
            h["turn"].as_u64().unwrap(),
            h["paragraph"].as_u64().unwrap(),
        )
    };
    let shown: Vec<_> = by_date.iter().map(key).collect();
    // Calls of one day may come in either order, but each call in speaking order.
    for w in shown.windows(2) {
        assert!(w[0].0 <= w[1].0, "newest first: {w:?}");
        if w[0].1 == w[1].1 {
            assert!((w[0].2, w[0].3) < (w[1].2, w[1].3), "speaking order: {w:?}");
        }
    }
    assert_ne!(
        relevance.iter().map(key).collect::<Vec<_>>(),
        shown,
        "relevance order differs from date order"
    );
}
