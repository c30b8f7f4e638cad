//! The index folder: create, open, guard, lock, commit, into generations (see
//! `generations.rs`). Refuses to touch folders that are not callsearch indexes.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::directory::MmapDirectory;
use tantivy::{Index, IndexWriter, TantivyDocument, TantivyError};

use crate::error::Error;
use crate::index::fields::{F, Fields, SCHEMA_VERSION};
use crate::index::manifest::{MANIFEST_FILE, Manifest};
use crate::index::{compact, generations};

/// Marks a folder as a callsearch index and records the schema version that wrote it.
pub const MARKER_FILE: &str = "callsearch.json";

#[derive(Serialize, Deserialize)]
struct Marker {
    tool: String,
    schema_version: u32,
    /// The current generation's folder; absent in indexes written before generations
    /// (tantivy's files at the top) and before a first commit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    generation: Option<String>,
}

/// Where an index folder's committed files are.
enum Layout {
    /// In a generation folder named by the marker.
    Generation(String),
    /// At the top of the folder (an index written before generations).
    Legacy,
    /// Nowhere yet: a first run has not committed.
    NoCommit,
}

fn layout(dir: &Path, marker: Option<&Marker>) -> Layout {
    match marker.and_then(|m| m.generation.clone()) {
        Some(g) => Layout::Generation(g),
        None if dir.join("meta.json").exists() || has_segment_files(dir) => Layout::Legacy,
        None => Layout::NoCommit,
    }
}

/// An index being written: where its files go and what its commit switches to.
pub struct Target {
    pub index: Index,
    /// The folder of the tantivy files and the manifest.
    pub files: PathBuf,
    /// The generation this run builds, made current at its commit (`None`: in place).
    pub new_generation: Option<String>,
    /// Readers have a commit while this run writes (not so in a first build).
    pub has_commit: bool,
    /// Held for the whole run: one writer per index folder.
    _lock: std::fs::File,
}

/// Open the index for writing, creating it in an empty or missing folder. A rebuild,
/// a first build and a build after a first run that never committed write a new
/// generation beside the current one; other runs update the current one in place.
pub fn open_for_writing(dir: &Path, rebuild: bool) -> Result<Target, Error> {
    if !is_ours(dir) {
        if !is_empty_dir(dir) {
            return Err(Error::Index(format!(
                "{} is not a callsearch index and is not empty: refusing to write there (choose an empty or new folder)",
                dir.display()
            )));
        }
        std::fs::create_dir_all(dir).map_err(|e| io_error(dir, &e))?;
        // The marker goes first, so a run killed while creating leaves a folder we own.
        write_marker(dir, None)?;
    }
    let lock = lock_writer(dir)?;
    let marker = match read_marker(dir) {
        Ok(m) => m,
        // A garbled marker is replaced only when a rebuild is asked for.
        Err(_) if rebuild => None,
        Err(e) => return Err(e),
    };
    if !rebuild && let Some(m) = &marker {
        check_version(dir, m)?;
    }
    let current = layout(dir, marker.as_ref());
    let keep = match &current {
        Layout::Generation(g) => Some(g.as_str()),
        _ => None,
    };
    // What killed runs left behind, and generations no query reads any more.
    generations::remove_unused(dir, keep);
    let in_place = match (&current, rebuild) {
        (Layout::Generation(g), false) => Some(dir.join(g)),
        (Layout::Legacy, false) => Some(dir.to_path_buf()),
        _ => None,
    };
    if let Some(files) = in_place {
        check_intact(dir, &files)?;
        let index = Index::open(mmap(&files)?).map_err(|e| damaged(dir, &e.to_string()))?;
        return Ok(Target {
            index: opened(index)?,
            files,
            new_generation: None,
            has_commit: true,
            _lock: lock,
        });
    }
    if rebuild {
        let old = match &current {
            Layout::Generation(g) => dir.join(g),
            _ => dir.to_path_buf(),
        };
        check_space_for_rebuild(dir, &old)?;
    }
    let generation = generations::next(dir);
    let files = generations::create(dir, &generation).map_err(|e| io_error(dir, &e))?;
    let (schema, _) = Fields::build();
    let index = Index::create(mmap(&files)?, schema, tantivy::IndexSettings::default())
        .map_err(|e| write_failed(dir, &e, false))?;
    Ok(Target {
        index: opened(index)?,
        files,
        new_generation: Some(generation),
        has_commit: !matches!(current, Layout::NoCommit),
        _lock: lock,
    })
}

fn lock_writer(dir: &Path) -> Result<std::fs::File, Error> {
    match generations::lock_writer(dir) {
        Ok(Some(lock)) => Ok(lock),
        Ok(None) => Err(Error::Index(format!(
            "{} is being written by another callsearch process",
            display_dir(dir)
        ))),
        Err(e) => Err(io_error(dir, &e)),
    }
}

/// A rebuild writes a second copy beside the first: refuse it up front when the disk
/// cannot hold both (the old copy keeps answering either way).
fn check_space_for_rebuild(dir: &Path, old: &Path) -> Result<(), Error> {
    let needed = generations::size_of(old);
    let Some(free) = generations::free_space(dir) else {
        return Ok(());
    };
    if free >= needed {
        return Ok(());
    }
    Err(Error::Index(format!(
        "not enough free space at {} for --rebuild: the index takes {} MB and a rebuild writes a new copy beside it, but {} MB are free (free some space, or remove the folder and run callsearch index)",
        display_dir(dir),
        needed.div_ceil(1 << 20),
        free >> 20
    )))
}

fn write_marker(dir: &Path, generation: Option<String>) -> Result<(), Error> {
    let marker = Marker {
        tool: "callsearch".to_string(),
        schema_version: SCHEMA_VERSION,
        generation,
    };
    let json = serde_json::to_vec_pretty(&marker).expect("marker serialises");
    generations::write_atomically(&dir.join(MARKER_FILE), &json).map_err(|e| io_error(dir, &e))
}

/// An index with our analyzers registered (tantivy keeps only their names).
fn opened(index: Index) -> Result<Index, Error> {
    crate::index::tokenizer::register(&index);
    Ok(index)
}

/// Open an existing index for queries: the current generation, held so that a rebuild
/// finishing meanwhile does not remove it.
pub fn open_for_reading(dir: &Path) -> Result<Index, Error> {
    open_for_reading_at(dir).map(|(index, _)| index)
}

/// [`open_for_reading`], also saying which folder holds the files opened (the
/// generation's, or `dir` for an index of the old layout).
pub fn open_for_reading_at(dir: &Path) -> Result<(Index, PathBuf), Error> {
    if !is_ours(dir) && !dir.join("meta.json").exists() {
        return Err(Error::Index(format!(
            "no index at {}: run callsearch index first",
            display_dir(dir)
        )));
    }
    // A rebuild may switch generations between reading the marker and holding one.
    for _ in 0..3 {
        let Some(marker) = read_marker(dir)? else {
            return Err(not_ours(dir));
        };
        check_version(dir, &marker)?;
        let files = match layout(dir, Some(&marker)) {
            Layout::Generation(g) => dir.join(g),
            Layout::Legacy => dir.to_path_buf(),
            Layout::NoCommit => return Err(no_commit_yet(dir)),
        };
        if files != dir && !generations::hold_for_reading(&files) {
            continue;
        }
        check_intact(dir, &files)?;
        let index = Index::open(mmap(&files)?).map_err(|e| damaged(dir, &e.to_string()))?;
        return Ok((opened(index)?, files));
    }
    Err(Error::Index(format!(
        "the index at {} changed three times while it was opened: try again",
        display_dir(dir)
    )))
}

/// The folder the marker names as current now (cheap: one small file read), to see
/// whether a rebuild switched generations; `None` when it cannot be read.
pub fn current_files(dir: &Path) -> Option<PathBuf> {
    let marker = read_marker(dir).ok()??;
    match layout(dir, Some(&marker)) {
        Layout::Generation(g) => Some(dir.join(g)),
        Layout::Legacy => Some(dir.to_path_buf()),
        Layout::NoCommit => None,
    }
}

/// A first run has not committed: it is running, or it was stopped.
fn no_commit_yet(dir: &Path) -> Error {
    if generations::writer_running(dir) {
        Error::Index(format!(
            "the index at {} is being built (its first run has not committed yet): query again when callsearch index has finished",
            display_dir(dir)
        ))
    } else {
        Error::Index(format!(
            "the index at {} has no commit yet (its first run did not finish): run callsearch index",
            display_dir(dir)
        ))
    }
}

/// The message for an index that cannot be read as it is.
pub fn damaged(dir: &Path, why: &str) -> Error {
    Error::Index(format!(
        "the index at {} is damaged ({}): run callsearch index --rebuild",
        display_dir(dir),
        crate::error::lowercase_first(why.lines().next().unwrap_or_default())
    ))
}

fn check_intact(dir: &Path, files: &Path) -> Result<(), Error> {
    if files.join("meta.json").exists() {
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
    // A run killed between writing the first marker's temporary file and renaming it
    // leaves only that file: the folder is still one we were creating.
    let marker_tmp = format!("{MARKER_FILE}.tmp");
    match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .all(|e| e.file_name() == ".gitkeep" || e.file_name() == marker_tmp.as_str()),
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
            let why = format!("cannot read {MARKER_FILE}: {}", crate::error::io_reason(&e));
            return Err(damaged(dir, &why));
        }
    };
    match serde_json::from_slice::<Marker>(&bytes) {
        Ok(m) if m.tool == "callsearch" => Ok(Some(m)),
        _ => Err(damaged(dir, &format!("{MARKER_FILE} is garbled"))),
    }
}

fn not_ours(dir: &Path) -> Error {
    Error::Index(format!(
        "{} is not a callsearch index (no {MARKER_FILE}): point --index at a callsearch index",
        display_dir(dir)
    ))
}

fn check_version(dir: &Path, m: &Marker) -> Result<(), Error> {
    if m.schema_version == SCHEMA_VERSION {
        return Ok(());
    }
    Err(Error::Index(format!(
        "{} was written by schema version {}, this callsearch uses version {SCHEMA_VERSION}: run callsearch index --rebuild",
        display_dir(dir),
        m.schema_version
    )))
}

/// Remove an index's own files, leaving anything else in the folder alone.
/// (Used once a generation replaces an index of the old single-folder layout.)
fn clear_legacy(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = name == "meta.json"
            || name.starts_with(MANIFEST_FILE)
            || name.starts_with(".tantivy")
            || name.starts_with(".managed")
            || is_segment_file(&name);
        if ours && entry.file_type().is_ok_and(|t| t.is_file()) {
            // What cannot be removed now is left; it is not read any more.
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// After a failed in-place run (a full disk): remove the segment files its commit never
/// referenced, so they cannot fill the disk or trouble the next run.
pub fn remove_uncommitted(files: &Path) {
    let Ok(index) = Index::open_in_dir(files) else {
        return;
    };
    let Ok(metas) = index.searchable_segment_metas() else {
        return;
    };
    let kept: BTreeSet<String> = metas.iter().map(|m| m.id().uuid_string()).collect();
    let Ok(entries) = std::fs::read_dir(files) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let stem = name.split('.').next().unwrap_or_default();
        if is_segment_file(&name) && !kept.contains(stem) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// tantivy segment files at the top of `dir` (an index of the old layout).
fn has_segment_files(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .filter_map(Result::ok)
            .any(|e| is_segment_file(&e.file_name().to_string_lossy()))
    })
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
    has_commit: bool,
) -> Result<IndexWriter<TantivyDocument>, Error> {
    let threads = threads.clamp(1, 8);
    let floor = 15_000_000 * threads;
    match index.writer_with_num_threads(threads, memory.max(floor)) {
        Ok(w) => {
            // No merges while indexing: see `small_segment_merges`.
            w.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
            Ok(w)
        }
        // tantivy creates its lock file first: on a full disk, that fails.
        Err(e @ TantivyError::LockFailure(..)) if is_no_space(&e) => {
            Err(write_failed(dir, &e, has_commit))
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

/// Commit the run, record the manifest under the commit's opstamp, switch to the new
/// generation if the run built one, merge the segments the run wrote into one per
/// thread (`compact.rs`), and let the merges of small segments finish. A crash at any
/// point leaves the last commit readable: a merge publishes its segment atomically.
pub fn commit(
    mut writer: IndexWriter<TantivyDocument>,
    manifest: &mut Manifest,
    dir: &Path,
    target: &Target,
    threads: usize,
    mut phases: crate::index::phases::Phases,
) -> Result<(), Error> {
    let written_before = compact::committed_segments(&target.index)?;
    let opstamp = (writer.commit()).map_err(|e| write_failed(dir, &e, target.has_commit))?;
    phases.mark("commit");
    manifest.opstamp = opstamp;
    manifest.schema_version = SCHEMA_VERSION;
    manifest
        .save(&target.files)
        .map_err(|e| io_error(dir, &e))?;
    if let Some(generation) = &target.new_generation {
        // The switch: one atomic rename of the marker. Before it, queries read the old
        // generation; after it, the new one.
        write_marker(dir, Some(generation.clone()))?;
        clear_legacy(dir);
        generations::remove_unused(dir, Some(generation));
    }
    compact::merge_new_segments(&mut writer, &written_before, threads.clamp(1, 8))
        .map_err(|e| write_failed(dir, &e, true))?;
    writer.set_merge_policy(Box::new(small_segment_merges()));
    let done = writer
        .wait_merging_threads()
        .map_err(|e| write_failed(dir, &e, true));
    phases.mark("switch and merge");
    done
}

/// Merging while indexing doubled the time and tripled peak memory on a 1 GB archive,
/// so runs index with no merges ([`writer`]); at the commit a run's own segments are
/// merged into one per thread (`compact.rs`), and this policy merges the small
/// segments that incremental runs leave behind (eight at a time).
fn small_segment_merges() -> tantivy::indexer::LogMergePolicy {
    let mut policy = tantivy::indexer::LogMergePolicy::default();
    policy.set_min_num_segments(8);
    policy.set_max_docs_before_merge(50_000);
    policy
}

/// A failed write: says when no space is left, names the index folder, and whether
/// readers still have a commit (`committed`: the folder has one).
pub fn write_failed(dir: &Path, e: &TantivyError, committed: bool) -> Error {
    let text = e.to_string();
    let why = if is_no_space(e) || generations::free_space(dir).is_some_and(|f| f < 1 << 20) {
        "no space left on device".to_string()
    } else {
        crate::error::lowercase_first(text.lines().next().unwrap_or_default())
    };
    let state = if committed {
        "the last commit is intact"
    } else {
        "nothing was committed yet"
    };
    Error::Index(format!(
        "cannot write the index at {} ({why}): {state}",
        display_dir(dir)
    ))
}

/// A full disk, however tantivy wrapped it (its writer threads report a killed writer).
fn is_no_space(e: &TantivyError) -> bool {
    let text = format!("{e:?}");
    text.contains("StorageFull") || text.contains("No space left") || text.contains("code: 28")
}
