//! `callsearch serve`: the same search as a local web app and a JSON API, read-only,
//! on axum and tokio. One shared searcher follows the index's commits ([`reload`]);
//! searches run on the blocking pool under a cap ([`limits`]).

pub mod api;
pub mod app;
pub mod chart;
pub mod limits;
pub mod pages;
pub mod params;
pub mod reload;

use std::net::SocketAddr;

use crate::commands::EXIT_OK;
use crate::config::ServePlan;
use crate::error::Error;

/// Serve until Ctrl-C (or SIGTERM), then finish the requests in flight and return.
pub fn run(plan: &ServePlan) -> Result<u8, Error> {
    // Open before binding: a missing or damaged index is one error line, as for `query`.
    let shared = reload::Shared::open(&plan.index_dir)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(plan.max_searches + 2)
        .enable_all()
        .build()
        .map_err(|e| Error::Input(format!("cannot start the server: {e}")))?;
    runtime.block_on(serve(plan, shared))?;
    Ok(EXIT_OK)
}

async fn serve(plan: &ServePlan, shared: reload::Shared) -> Result<(), Error> {
    let listener = tokio::net::TcpListener::bind(plan.addr)
        .await
        .map_err(|e| {
            Error::Input(format!(
                "--bind {} --port {}: {e}",
                plan.addr.ip(),
                plan.addr.port()
            ))
        })?;
    let addr: SocketAddr = listener
        .local_addr()
        .map_err(|e| Error::Input(format!("cannot read the listening address: {e}")))?;
    if !plan.addr.ip().is_loopback() {
        eprintln!(
            "warning: listening on {addr}, reachable from other machines, with no authentication: put a reverse proxy with authentication in front"
        );
    }
    let state = app::AppState::new(plan, shared);
    tokio::spawn(reload::follow(state.clone()));
    eprintln!(
        "listening on http://{addr}/ (index {})",
        crate::names::escaped(&plan.index_dir)
    );
    axum::serve(listener, app::router(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| Error::Input(format!("the server stopped: {e}")))?;
    eprintln!("stopped");
    Ok(())
}

/// Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    eprintln!("shutting down: finishing the requests in flight");
}
