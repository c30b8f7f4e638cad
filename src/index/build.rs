//! Build or update an index: walk, parse in parallel, skip duplicates, write, commit once.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, UNIX_EPOCH};

use rayon::prelude::*;
use tantivy::{Index, IndexWriter, TantivyDocument, Term};

use crate::config::IndexPlan;
use crate::error::{Error, io_reason};
use crate::index::fields::{F, Fields};
use crate::index::manifest::{FileEntry, Manifest};
use crate::index::store;
use crate::index::walk::path_string;
use crate::names::{escape_str, escaped};
use crate::transcript::identity::{CallPeople, Identities, UserRules, survey};
use crate::transcript::layouts::{self, FileParse, Layout, ParseError};
use crate::transcript::model::Transcript;
use crate::transcript::passages::passages;
use crate::transcript::same_call::{Candidate, duplicates};
use crate::transcript::tabular::{Columns, Reading};

/// Files parsed together before their documents go to the writer: bounds memory.
const CHUNK: usize = 32;

/// What an index run did.
#[derive(Debug, Default)]
pub struct IndexReport {
    pub indexed: usize,
    pub unchanged: usize,
    pub removed: Vec<String>,
    pub skipped: Vec<(String, String)>,
    pub failed: Vec<(String, String)>,
    pub duplicates: Vec<(String, String)>,
    /// Unchanged files written again because a canonical name in them changed.
    pub renamed: usize,
    pub passages: u64,
    pub bytes: u64,
    pub elapsed: Duration,
}

/// A file found by the walk: its key (the manifest's and the passages' `source`, lossy
/// UTF-8), the path itself (any bytes), and its metadata.
type Found = (String, PathBuf, std::fs::Metadata);

/// One candidate file after reading, parsing and building its documents.
struct Loaded {
    path: String,
    /// The name as printed (escaped).
    shown: String,
    entry: FileEntry,
    outcome: Result<Vec<TantivyDocument>, ParseError>,
    /// A dataset's calls that could not be read: (`#row=12` suffix, why).
    bad_parts: Vec<(String, ParseError)>,
}

/// How far a run is: bytes and files done, out of the totals to parse.
#[derive(Debug, Clone, Copy, Default)]
pub struct Progress {
    pub bytes: u64,
    pub total_bytes: u64,
    pub files: u64,
    pub total_files: u64,
}

/// Run an index plan: the whole pipeline from folders to a committed index. A new
/// generation that does not reach its commit (an error, Ctrl-C) is removed.
pub fn run(plan: &IndexPlan, progress: &dyn Fn(Progress)) -> Result<IndexReport, Error> {
    let start = Instant::now();
    let mut report = IndexReport::default();
    let files = walk(&plan.inputs, &mut report)?;
    let target = store::open_for_writing(&plan.index_dir, plan.rebuild)?;
    let built = build(plan, &target, &files, &mut report, progress);
    if built.is_err() {
        // The failed run's files go, so the next run (after freeing space) succeeds.
        match &target.new_generation {
            Some(generation) => {
                let _ = std::fs::remove_dir_all(plan.index_dir.join(generation));
            }
            None => store::remove_uncommitted(&target.files),
        }
    }
    built?;
    report.elapsed = start.elapsed();
    Ok(report)
}

/// Write what changed into the target and commit.
fn build(
    plan: &IndexPlan,
    target: &store::Target,
    files: &[Found],
    report: &mut IndexReport,
    progress: &dyn Fn(Progress),
) -> Result<(), Error> {
    let index = &target.index;
    let max = plan.max_file_bytes;
    let fields = Fields::from_schema(&index.schema())?;
    let opstamp = store::last_opstamp(index)?;
    let mut manifest = Manifest::load(&target.files, opstamp);
    let writer = store::writer(
        index,
        &plan.index_dir,
        plan.threads,
        plan.memory_bytes,
        target.has_commit,
    )?;
    let stale = manifest.files.is_empty() && opstamp > 0;
    let gone = Gone {
        index,
        fields: &fields,
        writer: &writer,
        stale,
    };
    gone.remove(&mut manifest, files, report)?;
    let mut todo = changed_files(files, &mut manifest, report);
    let calls = survey_calls(plan, &todo, &manifest)?;
    let similar = same_calls(&calls);
    let rules = user_rules(&plan.index_dir)?;
    let kept = calls.iter().filter(|(p, _)| !similar.contains_key(p));
    let identities = Identities::build(kept.map(|(_, c)| c), &rules);
    renamed_files(files, &manifest, &identities, &similar, &mut todo, report);
    let total_bytes = todo.iter().map(|(_, size)| size).sum();
    let mut sink = Sink {
        identities: &identities,
        similar: &similar,
        layout: plan.layout,
        columns: &plan.columns,
        writer: &writer,
        fields: &fields,
        dir: &plan.index_dir,
        has_commit: target.has_commit,
        holders: holders(&manifest),
        manifest: &mut manifest,
        report,
    };
    sink.feed(&todo, total_bytes, plan.threads, max, progress)?;
    store::commit(writer, &mut manifest, &plan.index_dir, target, plan.threads)
}

/// The user's merge rules: `people.txt` in the index folder, when there is one.
pub const PEOPLE_FILE: &str = "people.txt";

fn user_rules(dir: &Path) -> Result<UserRules, Error> {
    let path = dir.join(PEOPLE_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            UserRules::parse(&text).map_err(|e| Error::Input(format!("{}: {e}", escaped(&path))))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(UserRules::default()),
        Err(e) => Err(Error::Input(format!(
            "{}: {}",
            escaped(&path),
            io_reason(&e)
        ))),
    }
}

/// What every call says about its people, company, date and content: the manifest's
/// record for files left as they are, and a survey (a parse that keeps only that) of
/// the files to be parsed, so a new file that changes a name or copies a call is known
/// before anything is written.
fn survey_calls(
    plan: &IndexPlan,
    todo: &[(PathBuf, u64)],
    manifest: &Manifest,
) -> Result<Vec<(String, CallPeople)>, Error> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(plan.threads)
        .build()
        .map_err(|e| Error::Input(format!("--threads {}: {e}", plan.threads)))?;
    let (max, layout) = (plan.max_file_bytes, plan.layout);
    let surveyed: Vec<(String, CallPeople)> = pool.install(|| {
        todo.par_iter()
            .filter_map(|(p, _)| {
                let bytes = layouts::read_limited(p, max).ok()?;
                let t = layouts::parse_as(&bytes, p, layout, max).1.ok()?;
                Some((path_string(p), survey(&t)))
            })
            .collect()
    });
    let fresh: BTreeSet<&str> = surveyed.iter().map(|(p, _)| p.as_str()).collect();
    let mut calls: Vec<(String, CallPeople)> = (manifest.files.iter())
        .filter(|(p, e)| !fresh.contains(p.as_str()) && e.skipped.is_none())
        .filter_map(|(p, e)| Some((p.clone(), e.people.clone()?)))
        .collect();
    calls.extend(surveyed);
    calls.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(calls)
}

/// Files holding a call another file holds too (same company, date and content).
fn same_calls(calls: &[(String, CallPeople)]) -> BTreeMap<String, String> {
    let candidates: Vec<Candidate> = (calls.iter())
        .map(|(path, c)| Candidate::of(path, c))
        .collect();
    duplicates(&candidates)
}

/// Unchanged files whose canonical names changed (a new file renamed a person, a
/// user's rule): written again so old and new passages agree.
fn renamed_files(
    files: &[Found],
    manifest: &Manifest,
    identities: &Identities,
    similar: &BTreeMap<String, String>,
    todo: &mut Vec<(PathBuf, u64)>,
    report: &mut IndexReport,
) {
    let queued: BTreeSet<PathBuf> = todo.iter().map(|(p, _)| p.clone()).collect();
    for (key, path, meta) in files {
        let Some(entry) = manifest.files.get(key) else {
            continue;
        };
        let held = entry.duplicate_of.is_none() && entry.passages > 0;
        let renamed = entry.people.as_ref().map(|c| identities.fingerprint(c)) != entry.identity;
        // A held call now copied by a richer file, or a copy whose holder changed.
        let moved = match (&entry.duplicate_of, similar.get(key)) {
            (None, Some(_)) => held,
            (Some(was), Some(now)) => was != now,
            _ => false,
        };
        let stale = (held && renamed) || moved;
        if stale && !queued.contains(path) {
            todo.push((path.clone(), meta.len()));
            report.unchanged = report.unchanged.saturating_sub(1);
            report.renamed += 1;
        }
    }
}

/// Which indexed file holds each call, so a copy of it elsewhere is a duplicate.
fn holders(manifest: &Manifest) -> HashMap<String, String> {
    manifest
        .files
        .iter()
        .filter(|(_, e)| e.duplicate_of.is_none() && e.passages > 0)
        .filter_map(|(p, e)| Some((e.call_id.clone()?, p.clone())))
        .collect()
}

/// Where parsed files go: the writer, the manifest and the report.
struct Sink<'a> {
    identities: &'a Identities,
    /// Files whose call another file holds: path -> the holder.
    similar: &'a BTreeMap<String, String>,
    /// `--layout`: every file is read as this layout.
    layout: Option<&'static dyn Layout>,
    /// `--columns`: dataset columns named by the user.
    columns: &'a Columns,
    writer: &'a IndexWriter<TantivyDocument>,
    fields: &'a Fields,
    dir: &'a Path,
    has_commit: bool,
    holders: HashMap<String, String>,
    manifest: &'a mut Manifest,
    report: &'a mut IndexReport,
}

impl Sink<'_> {
    /// Parse `todo` on a pool of `threads` while this thread feeds the writer: chunk k+1
    /// is parsed while chunk k is written, and the channel holds at most two chunks, so
    /// memory stays flat whatever the archive's size.
    fn feed(
        &mut self,
        todo: &[(PathBuf, u64)],
        total_bytes: u64,
        threads: usize,
        max: u64,
        progress: &dyn Fn(Progress),
    ) -> Result<(), Error> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| Error::Input(format!("--threads {threads}: {e}")))?;
        let mut done = Progress {
            total_bytes,
            total_files: todo.len() as u64,
            ..Progress::default()
        };
        let fields = self.fields.clone();
        let how = Reading {
            layout: self.layout,
            columns: self.columns,
            max,
        };
        let identities = self.identities;
        std::thread::scope(|scope| {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Loaded>>(1);
            scope.spawn(move || {
                for chunk in todo.chunks(CHUNK) {
                    let loaded = pool.install(|| {
                        chunk
                            .par_iter()
                            .map(|(p, _)| load(p, &fields, &how, identities))
                            .collect()
                    });
                    if tx.send(loaded).is_err() {
                        return;
                    }
                }
            });
            for item in rx.iter().flatten() {
                if crate::index::interrupt::requested() {
                    return Err(interrupted(self.has_commit));
                }
                done.bytes += item.entry.size;
                done.files += 1;
                self.write(item)?;
                progress(done);
            }
            Ok(())
        })
    }

    fn write(&mut self, item: Loaded) -> Result<(), Error> {
        let old_parts = (self.manifest.files.get(&item.path)).map(|e| e.parts.clone());
        let (path, docs) = accept(
            item,
            self.manifest,
            &mut self.holders,
            self.similar,
            self.report,
        );
        delete_source(self.writer, self.fields, &path);
        for part in old_parts.unwrap_or_default() {
            delete_source(self.writer, self.fields, &part);
        }
        for doc in docs {
            self.writer
                .add_document(doc)
                .map_err(|e| store::write_failed(self.dir, &e, self.has_commit))?;
        }
        Ok(())
    }
}

/// Every file under the inputs with its metadata; walk errors are reported as skips.
fn walk(inputs: &[PathBuf], report: &mut IndexReport) -> Result<Vec<Found>, Error> {
    let found = crate::index::walk::walk(inputs)?;
    // An unreadable folder fails like an unreadable file; left-out entries are skips.
    report.failed.extend(found.errors);
    report.skipped.extend(found.skipped);
    let mut out = Vec::with_capacity(found.files.len());
    for path in found.files {
        match std::fs::metadata(&path) {
            Ok(meta) => out.push((path_string(&path), path, meta)),
            Err(e) => report.failed.push((escaped(&path), io_reason(&e))),
        }
    }
    Ok(out)
}

/// What is needed to drop the passages of files that are gone.
struct Gone<'a> {
    index: &'a Index,
    fields: &'a Fields,
    writer: &'a IndexWriter<TantivyDocument>,
    /// The manifest did not match the last commit: ask the index what it holds.
    stale: bool,
}

impl Gone<'_> {
    /// Drop the passages of files that no longer exist on disk.
    fn remove(
        &self,
        manifest: &mut Manifest,
        files: &[Found],
        report: &mut IndexReport,
    ) -> Result<(), Error> {
        let present: BTreeSet<&str> = files.iter().map(|(p, ..)| p.as_str()).collect();
        let mut known: BTreeSet<String> = manifest.files.keys().cloned().collect();
        if self.stale {
            known.extend(store::indexed_sources(self.index, self.fields)?);
        }
        for path in known {
            if present.contains(path.as_str()) || Path::new(&path).exists() {
                continue;
            }
            let old = manifest.files.remove(&path);
            let had = old.as_ref().is_none_or(|e| e.passages > 0);
            delete_source(self.writer, self.fields, &path);
            for part in old.map(|e| e.parts).unwrap_or_default() {
                delete_source(self.writer, self.fields, &part);
            }
            if had {
                report.removed.push(escape_str(&path));
            }
        }
        Ok(())
    }
}

/// Files that are new or whose content changed; unchanged ones are counted and left.
fn changed_files(
    files: &[Found],
    manifest: &mut Manifest,
    report: &mut IndexReport,
) -> Vec<(PathBuf, u64)> {
    let orphaned: BTreeSet<String> = manifest
        .files
        .values()
        .filter_map(|e| e.duplicate_of.clone())
        .filter(|holder| !manifest.files.contains_key(holder))
        .collect();
    let mut todo = Vec::new();
    for (key, path, meta) in files {
        let same = manifest.files.get(key).is_some_and(|e| {
            e.size == meta.len()
                && e.mtime_ns == mtime_ns(meta)
                && !e
                    .duplicate_of
                    .as_ref()
                    .is_some_and(|h| orphaned.contains(h))
        });
        if same {
            report.unchanged += 1;
        } else {
            todo.push((path.clone(), meta.len()));
        }
    }
    todo
}

fn mtime_ns(meta: &std::fs::Metadata) -> u128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

/// Read and parse one file and build its documents (runs on the rayon pool).
fn load(p: &Path, fields: &Fields, how: &Reading, identities: &Identities) -> Loaded {
    let path = path_string(p);
    let path = path.as_str();
    let meta = std::fs::metadata(p);
    let mut entry = FileEntry {
        size: meta.as_ref().map_or(0, |m| m.len()),
        mtime_ns: meta.as_ref().map_or(0, mtime_ns),
        hash: String::new(),
        call_id: None,
        passages: 0,
        duplicate_of: None,
        skipped: None,
        parts: Vec::new(),
        people: None,
        identity: None,
    };
    let bytes_name = crate::names::hex_unless_utf8(p);
    // One call's documents, the call's record on its first, and its id.
    let documents = |t: &Transcript, source: &str| {
        let mut ps = passages(t, source);
        identities.apply(&mut ps);
        for x in ps.iter_mut().filter(|_| bytes_name.is_some()) {
            x.source_bytes = bytes_name.clone();
        }
        let mut docs: Vec<TantivyDocument> = ps.iter().map(|x| fields.document(x)).collect();
        if let Some(first) = docs.first_mut() {
            fields.add_call_record(first, t);
        }
        (docs, ps.first().map(|x| x.call_id.clone()))
    };
    let mut bad_parts = Vec::new();
    let outcome = match layouts::parse_path(p, how.layout, how.columns, how.max) {
        FileParse::One(_, outcome) => outcome.map(|t| {
            let (docs, call_id) = documents(&t, path);
            let people = survey(&t);
            entry.identity = Some(identities.fingerprint(&people));
            entry.people = Some(people);
            entry.call_id = call_id;
            docs
        }),
        FileParse::Many(_, outcome) => outcome.map(|calls| {
            // Calls of a dataset are not checked for copies in other files, and their
            // people only take the archive's names (they do not give names).
            let mut all = Vec::new();
            for call in calls {
                match call.outcome {
                    Ok(t) => {
                        let source = format!("{path}#{}", call.part);
                        all.extend(documents(&t, &source).0);
                        entry.parts.push(source);
                    }
                    Err(e) => bad_parts.push((format!("#{}", call.part), e)),
                }
            }
            all
        }),
    }
    .inspect(|docs| entry.passages = docs.len() as u64);
    entry.hash = file_hash(p);
    Loaded {
        path: path.to_string(),
        shown: escaped(p),
        entry,
        outcome,
        bad_parts,
    }
}

/// blake3 of the file's bytes, 16 hex digits, read as a stream (datasets can be large).
fn file_hash(p: &Path) -> String {
    let mut hasher = blake3::Hasher::new();
    match std::fs::File::open(p).and_then(|f| hasher.update_reader(f).map(|_| ())) {
        Ok(()) => hasher.finalize().to_hex()[..16].to_string(),
        Err(_) => String::new(),
    }
}

/// Record a loaded file in the manifest and the report; return its documents unless
/// the file failed or holds a call that another file already holds.
fn accept(
    item: Loaded,
    manifest: &mut Manifest,
    holders: &mut HashMap<String, String>,
    similar: &BTreeMap<String, String>,
    report: &mut IndexReport,
) -> (String, Vec<TantivyDocument>) {
    let Loaded {
        path,
        shown,
        mut entry,
        outcome,
        bad_parts,
    } = item;
    for (part, e) in bad_parts {
        let list = if e.is_failure() {
            &mut report.failed
        } else {
            &mut report.skipped
        };
        list.push((format!("{shown}{part}"), e.to_string()));
    }
    let docs = match outcome {
        Err(e) => {
            let list = if e.is_failure() {
                &mut report.failed
            } else {
                &mut report.skipped
            };
            list.push((shown, e.to_string()));
            entry.skipped = Some(e.to_string());
            entry.passages = 0;
            Vec::new()
        }
        Ok(docs) => {
            let holder = similar.get(&path).cloned().or_else(|| {
                (entry.call_id.as_ref())
                    .and_then(|c| holders.get(c).filter(|h| **h != path).cloned())
            });
            match holder {
                Some(holder) => {
                    report.duplicates.push((shown, escape_str(&holder)));
                    entry.duplicate_of = Some(holder);
                    entry.passages = 0;
                    Vec::new()
                }
                None => {
                    if let Some(c) = &entry.call_id {
                        holders.insert(c.clone(), path.clone());
                    }
                    report.indexed += 1;
                    report.passages += entry.passages;
                    report.bytes += entry.size;
                    docs
                }
            }
        }
    };
    manifest.files.insert(path.clone(), entry);
    (path, docs)
}

fn delete_source(writer: &IndexWriter<TantivyDocument>, fields: &Fields, path: &str) {
    writer.delete_term(Term::from_field_text(fields[F::Source], path));
}

/// Ctrl-C: nothing of this run is committed; readers keep what they had.
fn interrupted(has_commit: bool) -> Error {
    Error::Interrupted(if has_commit {
        "interrupted: nothing of this run was committed, the index is as of its last commit"
            .to_string()
    } else {
        "interrupted: the first build was stopped before its commit, so there is no index yet"
            .to_string()
    })
}
