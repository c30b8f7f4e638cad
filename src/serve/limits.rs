//! The server's safety limits: searches in flight (a semaphore; others wait briefly,
//! then get 503), time per search, query length, `limit`, `offset` and download size.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::error::Error;

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 1000;
/// Most hits one request returns (`limit`).
pub const MAX_LIMIT: usize = 100;
/// Deepest page: hits skipped before the first returned (`offset`).
pub const MAX_OFFSET: usize = 10_000;
/// Most values per facet (`facet_limit`).
pub const MAX_FACET_LIMIT: usize = 100;
/// Most passages in one CSV download (more: use `callsearch export`).
pub const MAX_DOWNLOAD: usize = 50_000;
/// How long a request waits for a free search slot before a 503.
pub const QUEUE_WAIT: Duration = Duration::from_secs(2);
/// How long one search may take before the request answers 503.
pub const SEARCH_TIME: Duration = Duration::from_secs(10);

/// Why a search did not run or finish.
#[derive(Debug)]
pub enum Refusal {
    /// The search itself failed: a bad query (400) or an unreadable index (500).
    Failed(Error),
    /// Every search slot stayed taken for [`QUEUE_WAIT`] (503).
    Busy,
    /// The search ran past [`SEARCH_TIME`] (503).
    TooSlow,
}

impl From<Error> for Refusal {
    fn from(e: Error) -> Self {
        Refusal::Failed(e)
    }
}

/// The cap on searches in flight, shared by every request.
#[derive(Clone)]
pub struct Limits {
    searches: Arc<Semaphore>,
}

impl Limits {
    pub fn new(max_searches: usize) -> Limits {
        Limits {
            searches: Arc::new(Semaphore::new(max_searches.max(1))),
        }
    }

    /// Run `work` (tantivy is synchronous) on the blocking pool once a slot is free.
    /// The slot is held until `work` ends, even past the time limit, so the cap holds.
    pub async fn run<T, W>(&self, work: W) -> Result<T, Refusal>
    where
        T: Send + 'static,
        W: FnOnce() -> Result<T, Error> + Send + 'static,
    {
        let permit = tokio::time::timeout(QUEUE_WAIT, self.searches.clone().acquire_owned())
            .await
            .map_err(|_| Refusal::Busy)?
            .map_err(|_| Refusal::Busy)?;
        let task = tokio::task::spawn_blocking(move || {
            let _slot = permit;
            work()
        });
        match tokio::time::timeout(SEARCH_TIME, task).await {
            Err(_) => Err(Refusal::TooSlow),
            Ok(Err(join)) => Err(Refusal::Failed(Error::Input(format!(
                "the search failed unexpectedly ({join})"
            )))),
            Ok(Ok(result)) => result.map_err(Refusal::Failed),
        }
    }
}
