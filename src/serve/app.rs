//! The router and what wraps every request: the access-log line on stderr, the
//! security headers (Content-Security-Policy and friends), 404 for any other path.
//! Only GET (and HEAD) routes exist: the server is read-only.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::config::ServePlan;
use crate::search::synonyms::SynonymTable;
use crate::serve::limits::Limits;
use crate::serve::reload::Shared;
use crate::serve::{api, pages};

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub index: Arc<Shared>,
    pub index_dir: PathBuf,
    pub synonyms: Arc<SynonymTable>,
    pub limits: Limits,
}

impl AppState {
    pub fn new(plan: &ServePlan, shared: Shared) -> AppState {
        AppState {
            index: Arc::new(shared),
            index_dir: plan.index_dir.clone(),
            synonyms: plan.synonyms.clone(),
            limits: Limits::new(plan.max_searches),
        }
    }
}

/// Scripts and styles only from this server, no plugins, no framing, forms only here.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

pub const STYLE: &str = include_str!("assets/style.css");
pub const SCRIPT: &str = include_str!("assets/app.js");

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(pages::search))
        .route("/call/{call_id}", get(pages::call))
        .route("/export.csv", get(api::export_csv))
        .route("/api/search", get(api::search))
        .route("/api/trend", get(api::trend))
        .route("/api/call/{call_id}", get(api::call))
        .route(
            "/assets/style.css",
            get(|| async { asset("text/css; charset=utf-8", STYLE) }),
        )
        .route(
            "/assets/app.js",
            get(|| async { asset("text/javascript; charset=utf-8", SCRIPT) }),
        )
        .fallback(not_found)
        .with_state(state)
        .layer(middleware::from_fn(log_and_guard))
}

fn asset(kind: &'static str, body: &'static str) -> Response {
    let mut r = body.into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("max-age=3600"),
    );
    r
}

async fn not_found(req: Request) -> Response {
    let wants_json = req.uri().path().starts_with("/api/");
    let message = "no such page".to_string();
    match wants_json {
        true => api::error_json(StatusCode::NOT_FOUND, &message),
        false => pages::error_page(StatusCode::NOT_FOUND, &message),
    }
}

/// One access-log line per request (method, path and query, status, time) and the
/// security headers on every response.
async fn log_and_guard(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().clone();
    let target = req
        .uri()
        .path_and_query()
        .map_or_else(|| req.uri().path().to_string(), |p| p.as_str().to_string());
    let mut response = next.run(req).await;
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    eprintln!(
        "{method} {target} {} {:.1}ms",
        response.status().as_u16(),
        start.elapsed().as_secs_f64() * 1000.0
    );
    response
}
