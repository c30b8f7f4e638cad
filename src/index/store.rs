//! The index folder: create, open, guard, lock, commit. Refuses to touch folders
//! that are not callsearch indexes.

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};
use tantivy::directory::MmapDirectory;
use tantivy::{Index, IndexWriter, TantivyDocument, TantivyError};

use crate::error::Error;
use crate::index::fields::{F, Fields, SCHEMA_VERSION};
use crate::index::manifest::{MANIFEST_FILE, Manifest};

/// Marks a folder as a callsearch index and records the schema version that wrote it.
pub const MARKER_FILE: &str = "callsearch.json";

#[derive(Serialize, Deserialize)]
struct Marker {
    tool: String,
    schema_version: u32,
}

/// Open the index for writing, creating it in an empty or missing folder.
/// With `rebuild`, an existing callsearch index is emptied first.
pub fn open_for_writing(dir: &Path, rebuild: bool) -> Result<Index, Error> {
    let shown = dir.display();
    if is_ours(dir) {
        if rebuild || creation_interrupted(dir) {
            clear(dir)?;
        } else {
            check_intact(dir)?;
            check_version(dir)?;
            return opened(Index::open(mmap(dir)?).map_err(|e| damaged(dir, &e.to_string()))?);
        }
    } else if !is_empty_dir(dir) {
        return Err(Error::Index(format!(
            "{shown} is not a callsearch index and is not empty: refusing to write there (choose an empty or new folder)"
        )));
    }
    std::fs::create_dir_all(dir).map_err(|e| io_error(dir, &e))?;
    // The marker goes first, so a run killed while creating leaves a folder we own.
    let marker = Marker {
        tool: "callsearch".to_string(),
        schema_version: SCHEMA_VERSION,
    };
    let json = serde_json::to_vec_pretty(&marker).expect("marker serialises");
    std::fs::write(dir.join(MARKER_FILE), json).map_err(|e| io_error(dir, &e))?;
    let (schema, _) = Fields::build();
    opened(Index::create(
        mmap(dir)?,
        schema,
        tantivy::IndexSettings::default(),
    )?)
}

/// An index with our analyzers registered (tantivy keeps only their names).
fn opened(index: Index) -> Result<Index, Error> {
    crate::index::tokenizer::register(&index);
    Ok(index)
}

/// Our marker but no `meta.json` and no segment: a first run was killed before its
/// index existed, so there is nothing to lose by creating it now.
fn creation_interrupted(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    matches!(read_marker(dir), Ok(Some(_)))
        && !dir.join("meta.json").exists()
        && entries
            .filter_map(Result::ok)
            .all(|e| !is_segment_file(&e.file_name().to_string_lossy()))
}

/// Open an existing index for queries.
pub fn open_for_reading(dir: &Path) -> Result<Index, Error> {
    if !is_ours(dir) && !dir.join("meta.json").exists() {
        return Err(Error::Index(format!(
            "no index at {}: run callsearch index first",
            display_dir(dir)
        )));
    }
    check_intact(dir)?;
    check_version(dir)?;
    opened(Index::open(mmap(dir)?).map_err(|e| damaged(dir, &e.to_string()))?)
}

/// The message for an index that cannot be read as it is.
pub fn damaged(dir: &Path, why: &str) -> Error {
    Error::Index(format!(
        "the index at {} is damaged ({}): run callsearch index --rebuild",
        display_dir(dir),
        crate::error::lowercase_first(why.lines().next().unwrap_or_default())
    ))
}

fn check_intact(dir: &Path) -> Result<(), Error> {
    if dir.join("meta.json").exists() {
        Ok(())
    } else {
        Err(damaged(dir, "meta.json is missing"))
    }
}

/// A searcher over the last commit. Manual reload: a command reads one commit, and
/// the default policy would start a file watcher thread on every query.
pub fn searcher(index: &Index) -> Result<tantivy::Searcher, Error> {
    let reader = index
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::Manual)
        .try_into()?;
    Ok(reader.searcher())
}

/// `index/` with a trailing slash, as users type it.
pub fn display_dir(dir: &Path) -> String {
    let s = dir.display().to_string();
    if s.ends_with('/') { s } else { format!("{s}/") }
}

/// A folder callsearch created: it holds our marker (its tantivy files may be damaged).
fn is_ours(dir: &Path) -> bool {
    dir.join(MARKER_FILE).exists()
}

fn is_empty_dir(dir: &Path) -> bool {
    match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .all(|e| e.file_name() == ".gitkeep"),
        Err(_) => !dir.exists(),
    }
}

/// Our marker: `None` when there is none; a garbled or unreadable one names the index
/// as damaged (it is never rewritten without `--rebuild`).
fn read_marker(dir: &Path) -> Result<Option<Marker>, Error> {
    let path = dir.join(MARKER_FILE);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(damaged(
                dir,
                &format!("cannot read {MARKER_FILE}: {}", crate::error::io_reason(&e)),
            ));
        }
    };
    match serde_json::from_slice::<Marker>(&bytes) {
        Ok(m) if m.tool == "callsearch" => Ok(Some(m)),
        _ => Err(damaged(dir, &format!("{MARKER_FILE} is garbled"))),
    }
}

fn check_version(dir: &Path) -> Result<(), Error> {
    match read_marker(dir)? {
        Some(m) if m.schema_version == SCHEMA_VERSION => Ok(()),
        Some(m) => Err(Error::Index(format!(
            "{} was written by schema version {}, this callsearch uses version {SCHEMA_VERSION}: run callsearch index --rebuild",
            display_dir(dir),
            m.schema_version
        ))),
        None => Err(Error::Index(format!(
            "{} is not a callsearch index (no {MARKER_FILE}): point --index at a callsearch index",
            display_dir(dir)
        ))),
    }
}

/// Remove an index's own files, leaving anything else in the folder alone.
fn clear(dir: &Path) -> Result<(), Error> {
    let entries = std::fs::read_dir(dir).map_err(|e| io_error(dir, &e))?;
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = name == "meta.json"
            || name == MARKER_FILE
            || name.starts_with(MANIFEST_FILE)
            || name.starts_with(".tantivy")
            || name.starts_with(".managed")
            || is_segment_file(&name);
        if ours && !name.contains("writer.lock") {
            std::fs::remove_file(entry.path()).map_err(|e| io_error(&entry.path(), &e))?;
        }
    }
    Ok(())
}

/// tantivy segment files: 32 hex digits, a dot, an extension.
fn is_segment_file(name: &str) -> bool {
    name.split_once('.')
        .is_some_and(|(stem, _)| stem.len() == 32 && stem.chars().all(|c| c.is_ascii_hexdigit()))
}

fn mmap(dir: &Path) -> Result<MmapDirectory, Error> {
    MmapDirectory::open(dir).map_err(|e| Error::Index(format!("{}: {e}", dir.display())))
}

fn io_error(path: &Path, e: &std::io::Error) -> Error {
    Error::Index(format!(
        "{}: {}",
        path.display(),
        crate::error::io_reason(e)
    ))
}

/// A writer, or a clear message when another process holds the index.
pub fn writer(
    index: &Index,
    dir: &Path,
    threads: usize,
    memory: usize,
) -> Result<IndexWriter<TantivyDocument>, Error> {
    let threads = threads.clamp(1, 8);
    let floor = 15_000_000 * threads;
    match index.writer_with_num_threads(threads, memory.max(floor)) {
        Ok(w) => {
            // No merges while indexing: see `small_segment_merges`.
            w.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
            Ok(w)
        }
        Err(TantivyError::LockFailure(..)) => Err(Error::Index(format!(
            "{} is being written by another callsearch process",
            display_dir(dir)
        ))),
        Err(e) => Err(e.into()),
    }
}

/// The opstamp of the last commit (0 for a new index).
pub fn last_opstamp(index: &Index) -> Result<u64, Error> {
    Ok(index.load_metas()?.opstamp)
}

/// Every `source` path that has passages in the index.
pub fn indexed_sources(index: &Index, fields: &Fields) -> Result<BTreeSet<String>, Error> {
    let searcher = searcher(index)?;
    let mut out = BTreeSet::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(fields[F::Source])?;
        let mut terms = inverted
            .terms()
            .stream()
            .map_err(|e| Error::Index(format!("cannot read the index: {e}")))?;
        while terms.advance() {
            out.insert(String::from_utf8_lossy(terms.key()).into_owned());
        }
    }
    Ok(out)
}

/// Commit the run, then record the manifest under the commit's opstamp.
/// Commit the run, record the manifest under the commit's opstamp, and let the merges
/// of small segments finish. A crash at any point leaves the last commit readable.
pub fn commit(
    mut writer: IndexWriter<TantivyDocument>,
    manifest: &mut Manifest,
    dir: &Path,
) -> Result<(), Error> {
    writer.set_merge_policy(Box::new(small_segment_merges()));
    let opstamp = writer.commit().map_err(|e| write_failed(dir, &e))?;
    manifest.opstamp = opstamp;
    manifest.schema_version = SCHEMA_VERSION;
    manifest.save(dir).map_err(|e| io_error(dir, &e))?;
    writer
        .wait_merging_threads()
        .map_err(|e| write_failed(dir, &e))
}

/// Merging while indexing doubled the time and tripled peak memory on a 1 GB archive,
/// so runs index with no merges ([`writer`]) and merge once, at the commit, only the
/// small segments that incremental runs leave behind (eight at a time); the large
/// segments of a full build are left as they are.
fn small_segment_merges() -> tantivy::indexer::LogMergePolicy {
    let mut policy = tantivy::indexer::LogMergePolicy::default();
    policy.set_min_num_segments(8);
    policy.set_max_docs_before_merge(50_000);
    policy
}

/// A failed write: the previous commit is still what readers see.
pub fn write_failed(dir: &Path, e: &TantivyError) -> Error {
    Error::Index(format!(
        "cannot write the index at {} ({}): the last commit is intact",
        display_dir(dir),
        crate::error::lowercase_first(e.to_string().lines().next().unwrap_or_default())
    ))
}
