//! The shared searcher and how it follows the index: an `index` run that commits in
//! place is picked up by reloading the reader; a rebuild that switches generations
//! (`callsearch.json` names the new one) by opening the new generation and letting go
//! of the old one's readers' lock, so the next run can remove it.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use tantivy::{IndexReader, ReloadPolicy};

use crate::error::Error;
use crate::index::{generations, store};
use crate::search::Opened;
use crate::serve::app::AppState;

/// How often the index folder is checked for a new commit.
pub const POLL: Duration = Duration::from_millis(500);

/// One commit of the index, searched by every request until the next one lands.
pub struct Shared {
    dir: PathBuf,
    current: RwLock<Current>,
}

struct Current {
    opened: Arc<Opened>,
    reader: IndexReader,
    /// The folder of the files opened (the generation's).
    files: PathBuf,
    opstamp: u64,
}

impl Current {
    fn open(dir: &Path) -> Result<Current, Error> {
        let (index, files) = store::open_for_reading_at(dir)?;
        let reader: IndexReader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let opstamp = store::last_opstamp(&index)?;
        let opened = Arc::new(Opened::new(index, reader.searcher())?);
        Ok(Current {
            opened,
            reader,
            files,
            opstamp,
        })
    }
}

impl Shared {
    pub fn open(dir: &Path) -> Result<Shared, Error> {
        Ok(Shared {
            dir: dir.to_path_buf(),
            current: RwLock::new(Current::open(dir)?),
        })
    }

    /// The searcher of the newest commit seen.
    pub fn current(&self) -> Arc<Opened> {
        let current = self.current.read().unwrap_or_else(|e| e.into_inner());
        current.opened.clone()
    }

    /// Take up a new commit or generation if there is one; `true` when it did.
    pub fn refresh(&self) -> Result<bool, Error> {
        let Some(files) = store::current_files(&self.dir) else {
            return Ok(false);
        };
        let (same_folder, opstamp) = {
            let current = self.current.read().unwrap_or_else(|e| e.into_inner());
            let same = current.files == files;
            let opstamp = match same {
                true => store::last_opstamp(&current.opened.index)?,
                false => 0,
            };
            (same.then_some(current.opstamp), opstamp)
        };
        match same_folder {
            Some(seen) if seen == opstamp => Ok(false),
            Some(_) => {
                let mut current = self.current.write().unwrap_or_else(|e| e.into_inner());
                current.reader.reload()?;
                let index = current.opened.index.clone();
                current.opened = Arc::new(Opened::new(index, current.reader.searcher())?);
                current.opstamp = opstamp;
                Ok(true)
            }
            None => {
                let fresh = Current::open(&self.dir)?;
                let mut current = self.current.write().unwrap_or_else(|e| e.into_inner());
                let old = std::mem::replace(&mut *current, fresh);
                // Searches still running keep their mapped files; the lock only tells
                // the next index run that this process no longer reads the folder.
                if old.files != current.files && old.files != self.dir {
                    generations::release(&old.files);
                }
                Ok(true)
            }
        }
    }
}

/// Check for a new commit every [`POLL`], for as long as the server runs.
pub async fn follow(state: AppState) {
    let mut tick = tokio::time::interval(POLL);
    let mut failing = false;
    loop {
        tick.tick().await;
        let shared = state.index.clone();
        let outcome = tokio::task::spawn_blocking(move || shared.refresh()).await;
        match outcome {
            Ok(Ok(true)) => {
                failing = false;
                eprintln!("reloaded: serving the index's latest commit");
            }
            Ok(Ok(false)) => failing = false,
            Ok(Err(e)) if !failing => {
                failing = true;
                eprintln!(
                    "warning: cannot reload the index, still serving the last commit read: {e}"
                );
            }
            _ => {}
        }
    }
}
