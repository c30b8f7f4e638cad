//! The JSON API (`/api/search`, `/api/trend`, `/api/call/<id>`) and the CSV download:
//! the CLI's own wire objects, built by the same code. Bad parameters answer 400 with
//! the CLI's message; a busy or slow server 503; an unreadable index 500.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::error::Error;
use crate::output::wire::{ApiError, ApiSearch, ApiTrend, FacetOut, HitOut, Message, SummaryOut};
use crate::search::stored::{Scan, call_record};
use crate::search::{Opened, matching_on, search_streamed_on};
use crate::serve::app::AppState;
use crate::serve::limits::{MAX_DOWNLOAD, Refusal};
use crate::serve::params::{self, Params};

pub async fn search(State(st): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let params = Params::parse(raw.as_deref());
    let plan = match (params.only(&[params::SEARCH, params::FILTERS]))
        .and_then(|_| params.query_plan(&st.index_dir, &st.synonyms, 10))
    {
        Ok(plan) => plan,
        Err(e) => return refused(Refusal::Failed(e)),
    };
    let opened = st.index.current();
    let body = st.limits.run(move || search_body(&opened, &plan)).await;
    json_or_error(body)
}

/// `/api/search`'s body: the hits, facets and summary `query --json` prints.
pub fn search_body(o: &Opened, plan: &crate::config::QueryPlan) -> Result<Vec<u8>, Error> {
    let (result, stream) = search_streamed_on(o, &plan.search)?;
    let hits = stream.collect::<Result<Vec<_>, _>>()?;
    let view = plan.view;
    let body = ApiSearch {
        summary: Message::Summary(SummaryOut::new(&result, hits.len())),
        hits: (hits.iter())
            .map(|h| Message::Hit(HitOut::new(h, view.with_question, view.with_context)))
            .collect(),
        facets: (result.facets.iter())
            .map(|f| Message::Facet(FacetOut::new(f)))
            .collect(),
    };
    Ok(serde_json::to_vec(&body).expect("wire objects serialise"))
}

pub async fn trend(State(st): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let params = Params::parse(raw.as_deref());
    let plan = match (params.only(&[params::TREND, params::FILTERS]))
        .and_then(|_| params.trend_plan(&st.index_dir, &st.synonyms))
    {
        Ok(plan) => plan,
        Err(e) => return refused(Refusal::Failed(e)),
    };
    let opened = st.index.current();
    let body = st.limits.run(move || {
        let r = crate::search::trend::trend_on(&opened, &plan)?;
        let (buckets, undated, summary) = crate::output::trend::messages(&r);
        let body = ApiTrend {
            summary,
            buckets,
            undated,
        };
        Ok(serde_json::to_vec(&body).expect("wire objects serialise"))
    });
    json_or_error(body.await)
}

pub async fn call(State(st): State<AppState>, Path(call_id): Path<String>) -> Response {
    let opened = st.index.current();
    let id = call_id.clone();
    let record = st
        .limits
        .run(move || call_record(&opened.searcher, &opened.fields, &id))
        .await;
    match record {
        Ok(Some(json)) => json_body(json.into_bytes()),
        Ok(None) => error_json(StatusCode::NOT_FOUND, &no_call(&call_id)),
        Err(r) => refused(r),
    }
}

/// The message for a call id the index does not hold.
pub fn no_call(call_id: &str) -> String {
    format!("no call {call_id:?} in the index")
}

/// `/export.csv`: the search's whole matching set as `export --format csv` writes it.
pub async fn export_csv(State(st): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let params = Params::parse(raw.as_deref());
    let plan = match (params.only(&[params::PAGE, params::FILTERS]))
        .and_then(|_| params.query_plan(&st.index_dir, &st.synonyms, 0))
    {
        Ok(plan) => plan,
        Err(e) => return refused(Refusal::Failed(e)),
    };
    let opened = st.index.current();
    let body = st
        .limits
        .run(move || {
            let scan = Scan::of(matching_on(&opened, &plan.search)?, plan.search.sort)?;
            if scan.len() > MAX_DOWNLOAD {
                return Err(Error::Input(format!(
                    "{} passages match: a download holds at most {MAX_DOWNLOAD}; use callsearch export",
                    scan.len()
                )));
            }
            let mut out = Vec::new();
            crate::commands::export::csv_to(&scan, &mut out)?;
            Ok(out)
        })
        .await;
    match body {
        Ok(bytes) => {
            let mut r = bytes.into_response();
            let h = r.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            );
            h.insert(
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"callsearch.csv\""),
            );
            r
        }
        Err(r) => refused(r),
    }
}

fn json_or_error(body: Result<Vec<u8>, Refusal>) -> Response {
    match body {
        Ok(bytes) => json_body(bytes),
        Err(r) => refused(r),
    }
}

fn json_body(bytes: Vec<u8>) -> Response {
    let mut r = bytes.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

/// The status and message of a refusal.
pub fn status_of(r: &Refusal) -> (StatusCode, String) {
    match r {
        Refusal::Busy => (
            StatusCode::SERVICE_UNAVAILABLE,
            "the server is busy: try again in a moment".to_string(),
        ),
        Refusal::TooSlow => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "the search took longer than {} s: narrow it",
                crate::serve::limits::SEARCH_TIME.as_secs()
            ),
        ),
        Refusal::Failed(e @ (Error::Input(_) | Error::Query(_))) => {
            (StatusCode::BAD_REQUEST, e.to_string())
        }
        Refusal::Failed(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

fn refused(r: Refusal) -> Response {
    let (status, message) = status_of(&r);
    error_json(status, &message)
}

pub fn error_json(status: StatusCode, message: &str) -> Response {
    let body = serde_json::to_vec(&ApiError { error: message }).expect("serialises");
    let mut r = json_body(body);
    *r.status_mut() = status;
    r
}
