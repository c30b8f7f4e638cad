//! The HTML pages, from maud templates (every value escaped by default): the search
//! page (form, notes, trend chart, facet sidebar, hits grouped by call, paging, CSV
//! link) and the call page (the whole transcript with its participants, the hit
//! marked). The pages work without JavaScript; `app.js` only submits on a change.

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use maud::{DOCTYPE, Markup, html};

use crate::config::QueryPlan;
use crate::error::Error;
use crate::search::facets::FacetCounts;
use crate::search::stored::call_of;
use crate::search::trend::{TrendResult, trend_on};
use crate::search::{Hit, Opened, SearchResult, search_streamed_on};
use crate::serve::api::{no_call, status_of};
use crate::serve::app::AppState;
use crate::serve::chart;
use crate::serve::limits::{MAX_OFFSET, Refusal};
use crate::serve::params::{self, Params};
use crate::transcript::model::{Section, Side, Transcript};

/// Hits per page.
pub const PAGE_SIZE: usize = 20;
/// Values per facet in the sidebar.
const FACET_VALUES: usize = 10;
/// The sidebar's facets, in order.
const FACETS: &[&str] = &["speaker", "firm", "company", "role", "quarter"];

/// What the search page shows, gathered on the blocking pool.
struct Found {
    result: SearchResult,
    hits: Vec<Hit>,
    trend: Option<TrendResult>,
}

pub async fn search(State(st): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let params = Params::parse(raw.as_deref());
    if let Err(e) = params.only(&[params::PAGE, params::FILTERS]) {
        return refused(Refusal::Failed(e));
    }
    if params.get("q").is_none_or(|q| q.trim().is_empty()) {
        return Html(layout("callsearch", &params, html! { (help()) }).into_string())
            .into_response();
    }
    let page = match page_number(&params) {
        Ok(p) => p,
        Err(e) => return refused(Refusal::Failed(e)),
    };
    let plans = search_params(&params, page)
        .query_plan(&st.index_dir, &st.synonyms, PAGE_SIZE)
        .and_then(|q| {
            Ok((
                q,
                params
                    .without("sort")
                    .trend_plan(&st.index_dir, &st.synonyms)?,
            ))
        });
    let (plan, trend_plan) = match plans {
        Ok(p) => p,
        Err(e) => return refused(Refusal::Failed(e)),
    };
    let opened = st.index.current();
    let found = st
        .limits
        .run(move || {
            let (result, hits) = grouped_hits(&opened, &plan)?;
            let trend = match result.total_hits {
                0 => None,
                _ => Some(trend_on(&opened, &trend_plan)?),
            };
            Ok(Found {
                result,
                hits,
                trend,
            })
        })
        .await;
    match found {
        Ok(found) => {
            let title = format!("{} - callsearch", params.get("q").unwrap_or_default());
            Html(layout(&title, &params, results(&params, page, &found)).into_string())
                .into_response()
        }
        Err(r) => refused(r),
    }
}

/// The page's parameters as `/api/search` parameters: one page of hits, the sidebar's
/// facets, the question above each answer.
fn search_params(params: &Params, page: usize) -> Params {
    let mut p = params.without("page");
    p = p.set("limit", &PAGE_SIZE.to_string());
    p = p.set("offset", &((page - 1) * PAGE_SIZE).to_string());
    for f in FACETS {
        p.pairs.push(("facet".into(), f.to_string()));
    }
    p.set("facet_limit", &FACET_VALUES.to_string())
        .set("with_question", "true")
}

fn page_number(params: &Params) -> Result<usize, Error> {
    let Some(v) = params.get("page").filter(|v| !v.is_empty()) else {
        return Ok(1);
    };
    let last = MAX_OFFSET / PAGE_SIZE + 1;
    match v.parse::<usize>() {
        Ok(n) if (1..=last).contains(&n) => Ok(n),
        _ => Err(Error::Input(format!(
            "invalid value {v:?} for page: expected 1 to {last}"
        ))),
    }
}

/// The hits of the plan, one heading per call (calls in rank order of their best hit).
fn grouped_hits(o: &Opened, plan: &QueryPlan) -> Result<(SearchResult, Vec<Hit>), Error> {
    let (result, mut stream) = search_streamed_on(o, &plan.search)?;
    stream.group_by_call()?;
    let hits = stream.collect::<Result<Vec<_>, _>>()?;
    Ok((result, hits))
}

fn layout(title: &str, params: &Params, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                link rel="stylesheet" href="/assets/style.css";
                script src="/assets/app.js" defer {}
            }
            body {
                header { a class="home" href="/" { "callsearch" } (form(params)) }
                main { (body) }
            }
        }
    }
}

fn form(params: &Params) -> Markup {
    let v = |name: &str| params.get(name).unwrap_or_default().to_string();
    let sort = v("sort");
    let section = v("section");
    html! {
        form id="search" method="get" action="/" {
            input type="search" name="q" value=(v("q")) placeholder="gross margin guidance" autofocus;
            button type="submit" { "Search" }
            div class="filters" {
                @for (name, label) in [("company", "company"), ("speaker", "speaker"), ("firm", "firm"), ("role", "role")] {
                    label { (label) " " input type="text" name=(name) value=(v(name)); }
                }
                label { "section " select name="section" {
                    option value="" selected[section.is_empty()] { "any" }
                    option value="presentation" selected[section == "presentation"] { "presentation" }
                    option value="qa" selected[section == "qa"] { "Q&A" }
                } }
                label { "since " input type="date" name="since" value=(v("since")); }
                label { "until " input type="date" name="until" value=(v("until")); }
                label { "sort " select name="sort" class="autosubmit" {
                    option value="relevance" selected[sort != "date"] { "relevance" }
                    option value="date" selected[sort == "date"] { "date" }
                } }
            }
        }
    }
}

fn help() -> Markup {
    html! {
        section class="help" {
            h2 { "Search earnings calls" }
            p { "Plain words or a pasted sentence: passages with every word rank first, then those with most of them; finance synonyms (eps, earnings per share) match too." }
            p { "Strict syntax: " code { "\"gross margin\"" } ", " code { "AND / OR / NOT" } ", " code { "-word" } ", " code { "word*" } ", " code { "speaker:\"carl russo\"" } "; " code { "*" } " lists every passage." }
        }
    }
}

fn results(params: &Params, page: usize, f: &Found) -> Markup {
    let r = &f.result;
    let first = r.offset + 1;
    let last = r.offset + f.hits.len();
    html! {
        div class="results" {
            aside class="facets" { @for facet in &r.facets { (facet_box(params, facet)) } }
            section class="hits" {
                p class="summary" {
                    @if f.hits.is_empty() { "no passages " } @else { (first) "–" (last) " of " }
                    span class="total" { (r.total_hits) } " matching passages (" (r.matched.describe()) ") · "
                    a class="download" href=(format!("/export.csv?{}", params.without("page").encode())) { "download CSV" }
                }
                (notes(params, r))
                @if let Some(svg) = f.trend.as_ref().and_then(chart::svg) { figure class="chart" { (svg) } }
                (hit_list(params, &f.hits))
                (paging(params, page, r.total_hits))
            }
        }
    }
}

fn notes(params: &Params, r: &SearchResult) -> Markup {
    html! {
        @if !r.also_matched.is_empty() {
            p class="note also" { "also matched: " (r.also_matched.join(", ")) }
        }
        @if let Some(left) = r.undated_left_out.filter(|l| l.calls > 0) {
            p class="note undated" {
                "the date range left out " (left.calls) " calls without a date (" (left.passages) " passages)"
            }
        }
        @for (typed, suggestion) in &r.did_you_mean {
            p class="note didyoumean" {
                @if typed.starts_with("--") {
                    "no passage matches " (typed) ": did you mean " (suggestion) "?"
                } @else {
                    "no passage holds " (typed) ": did you mean "
                    a href=(format!("/?{}", params.set("q", &replace_word(params.get("q").unwrap_or_default(), typed, suggestion)).without("page").encode())) { (suggestion) }
                    "?"
                }
            }
        }
    }
}

/// `q` with the word `typed` replaced by `by` (case-insensitive, whole words).
fn replace_word(q: &str, typed: &str, by: &str) -> String {
    (q.split(' '))
        .map(|w| if w.eq_ignore_ascii_case(typed) { by } else { w })
        .collect::<Vec<_>>()
        .join(" ")
}

fn facet_box(params: &Params, f: &FacetCounts) -> Markup {
    html! {
        div class="facet" data-field=(f.field) {
            h3 { (f.field) span class="distinct" { " (" (f.distinct) ")" } }
            ul {
                @for (value, count) in &f.counts {
                    li { a href=(format!("/?{}", facet_link(params, f.field, value).encode())) {
                        span class="value" { (value) } " " span class="count" { (count) }
                    } }
                }
            }
        }
    }
}

/// The page's parameters with the facet value as a filter: a quarter becomes its
/// first and last day.
fn facet_link(params: &Params, field: &str, value: &str) -> Params {
    match field {
        "quarter" => match quarter_days(value) {
            Some((since, until)) => params
                .without("page")
                .set("since", &since)
                .set("until", &until),
            None => params.without("page"),
        },
        _ => params.with(field, value),
    }
}

/// `2019-Q1` -> (`2019-01-01`, `2019-03-31`).
fn quarter_days(label: &str) -> Option<(String, String)> {
    let (year, q) = label.split_once("-Q")?;
    let year: i32 = year.parse().ok()?;
    let (start, end) = match q {
        "1" => ("01-01", "03-31"),
        "2" => ("04-01", "06-30"),
        "3" => ("07-01", "09-30"),
        "4" => ("10-01", "12-31"),
        _ => return None,
    };
    Some((format!("{year:04}-{start}"), format!("{year:04}-{end}")))
}

fn hit_list(params: &Params, hits: &[Hit]) -> Markup {
    let mut calls: Vec<(&Hit, Vec<&Hit>)> = Vec::new();
    for h in hits {
        match calls.last_mut() {
            Some((first, group)) if first.passage.call_id == h.passage.call_id => group.push(h),
            _ => calls.push((h, vec![h])),
        }
    }
    let q = params.get("q").unwrap_or_default();
    html! {
        @for (first, group) in &calls {
            article class="call" {
                h2 { (call_heading(first)) }
                @for h in group { (hit(q, h)) }
            }
        }
    }
}

fn call_heading(h: &Hit) -> String {
    let p = &h.passage;
    let mut parts: Vec<&str> = Vec::new();
    parts.extend(p.ticker.as_deref());
    parts.push(
        p.event
            .as_deref()
            .or(p.company.as_deref())
            .unwrap_or("call"),
    );
    parts.extend(p.date.as_deref());
    parts.join(" · ")
}

fn hit(q: &str, h: &Hit) -> Markup {
    let p = &h.passage;
    let href = format!(
        "/call/{}?{}#{}",
        p.call_id,
        Params {
            pairs: vec![("hit".into(), p.passage_id.clone()), ("q".into(), q.into())]
        }
        .encode(),
        p.passage_id
    );
    html! {
        div class="hit" id=(format!("hit-{}", p.passage_id)) {
            @if let Some(question) = &p.question {
                blockquote class="question" {
                    span class="who" { (question.speaker) @if let Some(firm) = &question.firm { ", " (firm) } " asked: " }
                    (question.text)
                }
            }
            p class="speaker" {
                strong { (p.speaker) }
                @if let Some(firm) = &p.firm { ", " (firm) }
                @if let Some(role) = &p.role { " · " (role) }
                " · " (section_name(p.section)) " · "
                a class="open" href=(href) { "open in call" }
            }
            p class="snippet" { (highlighted(&h.snippet.text, &h.snippet.highlights)) }
            @if !p.answered_by.is_empty() {
                p class="answered" { "answered by " (p.answered_by.join(", ")) }
            }
        }
    }
}

/// The snippet with its matched terms in `<mark>` (each piece escaped).
fn highlighted(text: &str, ranges: &[std::ops::Range<usize>]) -> Markup {
    html! {
        @for (piece, matched) in pieces(text, ranges) {
            @if matched { mark { (piece) } } @else { (piece) }
        }
    }
}

/// `text` cut at the ranges: (piece, matched), in order; ranges out of order or off
/// a character boundary are ignored.
fn pieces<'a>(text: &'a str, ranges: &[std::ops::Range<usize>]) -> Vec<(&'a str, bool)> {
    let mut out = Vec::new();
    let mut at = 0;
    for r in ranges {
        let fits = r.start >= at && r.end <= text.len() && r.start < r.end;
        if fits && text.is_char_boundary(r.start) && text.is_char_boundary(r.end) {
            out.push((&text[at..r.start], false));
            out.push((&text[r.start..r.end], true));
            at = r.end;
        }
    }
    out.push((&text[at..], false));
    out
}

fn section_name(s: Section) -> &'static str {
    match s {
        Section::Presentation => "presentation",
        Section::Qa => "Q&A",
    }
}

fn paging(params: &Params, page: usize, total: usize) -> Markup {
    let pages = total.div_ceil(PAGE_SIZE).min(MAX_OFFSET / PAGE_SIZE + 1);
    let link = |n: usize| format!("/?{}", params.set("page", &n.to_string()).encode());
    html! {
        @if pages > 1 {
            nav class="paging" {
                @if page > 1 { a rel="prev" href=(link(page - 1)) { "← previous" } " " }
                "page " (page) " of " (pages)
                @if page < pages { " " a rel="next" href=(link(page + 1)) { "next →" } }
            }
        }
    }
}

pub async fn call(
    State(st): State<AppState>,
    Path(call_id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let params = Params::parse(raw.as_deref());
    if let Err(e) = params.only(&[&["hit", "q"]]) {
        return refused(Refusal::Failed(e));
    }
    let opened = st.index.current();
    let id = call_id.clone();
    let record = st
        .limits
        .run(move || call_of(&opened.searcher, &opened.fields, &id))
        .await;
    let t = match record {
        Ok(Some(t)) => t,
        Ok(None) => return error_page(StatusCode::NOT_FOUND, &no_call(&call_id)),
        Err(r) => return refused(r),
    };
    let title = t
        .event
        .clone()
        .or(t.company.clone())
        .unwrap_or_else(|| call_id.clone());
    let back = params.without("hit");
    Html(layout(&title, &back, call_page(&call_id, &t, params.get("hit"))).into_string())
        .into_response()
}

fn call_page(call_id: &str, t: &Transcript, hit: Option<&str>) -> Markup {
    // Each spoken turn with its number (as passage ids count them) and whether it opens
    // a section.
    let mut section: Option<Section> = None;
    let turns: Vec<(usize, &crate::transcript::model::Turn, bool)> = (t.turns.iter().enumerate())
        .filter(|(_, turn)| !turn.paragraphs.is_empty())
        .map(|(ti, turn)| {
            let opens = section != Some(turn.section);
            section = Some(turn.section);
            (ti, turn, opens)
        })
        .collect();
    html! {
        article class="transcript" data-call=(call_id) {
            h1 { @if let Some(ticker) = &t.ticker { (ticker) " · " } (t.event.as_deref().or(t.company.as_deref()).unwrap_or(call_id)) }
            p class="meta" {
                @if let Some(c) = &t.company { (c) }
                @if let Some(d) = &t.date { " · " (d) }
                @if let Some(fp) = &t.fiscal_period { " · " (fp) }
                " · " (t.format)
            }
            section class="participants" {
                h2 { "Participants" }
                @for side in [Side::Corporate, Side::Analyst] {
                    @let people: Vec<_> = t.participants.iter().filter(|p| p.side == side).collect();
                    @if !people.is_empty() {
                        h3 { @if side == Side::Corporate { "Company" } @else { "Analysts" } }
                        ul { @for p in people {
                            li class="participant" { strong { (p.name) }
                                @if let Some(f) = &p.firm { ", " (f) }
                                @if let Some(r) = &p.role { " · " (r) } }
                        } }
                    }
                }
            }
            @for (ti, turn, opens) in turns {
                @if opens {
                    h2 class="section" { (match turn.section { Section::Presentation => "Presentation", Section::Qa => "Questions and answers" }) }
                }
                div class="turn" {
                    p class="speaker" { strong { (turn.speaker) }
                        @if let Some(f) = &turn.firm { ", " (f) }
                        @if let Some(r) = &turn.role { " · " (r) } }
                    @for (pi, text) in turn.paragraphs.iter().enumerate() {
                        @let id = format!("{call_id}-{}-{}", ti + 1, pi + 1);
                        @if hit == Some(id.as_str()) {
                            p class="passage hit" id=(id) { mark { (text) } }
                        } @else {
                            p class="passage" id=(id) { (text) }
                        }
                    }
                }
            }
        }
    }
}

fn refused(r: Refusal) -> Response {
    let (status, message) = status_of(&r);
    error_page(status, &message)
}

pub fn error_page(status: StatusCode, message: &str) -> Response {
    let body = layout(
        "callsearch: error",
        &Params::default(),
        html! { p class="error" { "error: " (message) } },
    );
    (status, Html(body.into_string())).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_mark_the_ranges_and_skip_bad_ones() {
        let text = "gross margin and margins";
        let got = pieces(text, &[6..12, 3..5, 17..24, 30..40]);
        assert_eq!(
            got,
            vec![
                ("gross ", false),
                ("margin", true),
                (" and ", false),
                ("margins", true),
                ("", false)
            ]
        );
    }

    #[test]
    fn a_quarter_facet_is_its_first_and_last_day() {
        let q = |s| quarter_days(s);
        assert_eq!(
            q("2019-Q1"),
            Some(("2019-01-01".into(), "2019-03-31".into()))
        );
        assert_eq!(
            q("2024-Q4"),
            Some(("2024-10-01".into(), "2024-12-31".into()))
        );
        assert_eq!(q("2024-Q5"), None);
        assert_eq!(
            replace_word("gross margn now", "margn", "margin"),
            "gross margin now"
        );
    }
}
