//! Build or update an index: walk, parse in parallel, skip duplicates, write, commit once.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, UNIX_EPOCH};

use rayon::prelude::*;
use tantivy::{Index, IndexWriter, TantivyDocument, Term};

use crate::config::IndexPlan;
use crate::error::{Error, io_reason};
use crate::index::fields::{F, Fields};
use crate::index::manifest::{FileEntry, Manifest, PartEntry};
use crate::index::store;
use crate::index::walk::path_string;
use crate::names::{escape_str, escaped};
use crate::transcript::identity::{CallPeople, Identities, UserRules, survey};
use crate::transcript::layouts::{self, FileParse, Layout, ParseError};
use crate::transcript::model::Transcript;
use crate::transcript::passages::{call_fingerprint, passages_of_call};
use crate::transcript::same_call::{Candidate, duplicates};
use crate::transcript::tabular::{Columns, Reading};

/// Files parsed together before their documents go to the writer, per parsing
/// thread (at least 8): bounds memory while every thread has files to parse.
const CHUNK_PER_THREAD: usize = 4;

/// What an index run did.
#[derive(Debug, Default)]
pub struct IndexReport {
    pub indexed: usize,
    pub unchanged: usize,
    pub removed: Vec<String>,
    pub skipped: Vec<(String, String)>,
    pub failed: Vec<(String, String)>,
    pub duplicates: Vec<(String, String)>,
    /// Unchanged files written again because a canonical name in them, or which copy
    /// of a call they hold is kept, changed.
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
    /// The file's call, or a dataset's calls.
    outcome: Result<Vec<LoadedCall>, ParseError>,
    /// A dataset (its calls are recorded one by one), not a file holding one call.
    dataset: bool,
    /// A dataset's calls that could not be read: (`#row=12` suffix, why).
    bad_parts: Vec<(String, ParseError)>,
}

/// One call of a loaded file: its record and documents.
struct LoadedCall {
    record: PartEntry,
    /// What the printed name gets for this call: `#row=12`, or nothing for a file's call.
    suffix: String,
    docs: Vec<TantivyDocument>,
}

/// One call as the survey sees it, before anything is written.
struct Surveyed {
    /// The passages' `source`: the file's key, or `calls.csv#row=12` for a dataset's call.
    source: String,
    people: CallPeople,
    /// The speech fingerprint: the same speech word for word is one call.
    call_id: Option<String>,
    /// The file's size and modification time when this run surveyed it; `None` for
    /// the manifest's record of an earlier run.
    stamp: Option<(u64, u128)>,
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
    let mut phases = crate::index::phases::Phases::start();
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
    phases.mark("compare with the manifest");
    let calls = survey_calls(plan, &todo, &manifest)?;
    phases.mark("survey");
    let dropped = same_calls(&calls);
    phases.mark("same calls");
    let rules = user_rules(&plan.index_dir)?;
    let kept = calls.iter().filter(|c| !dropped.contains_key(&c.source));
    let identities = Identities::build(kept.map(|c| &c.people), &rules);
    renamed_files(files, &manifest, &identities, &dropped, &mut todo, report);
    phases.mark("names");
    let surveyed = reusable(calls);
    let total_bytes = todo.iter().map(|(_, size)| size).sum();
    let mut sink = Sink {
        identities: &identities,
        surveyed: &surveyed,
        dropped: &dropped,
        fresh: target.new_generation.is_some(),
        written: BTreeSet::new(),
        layout: plan.layout,
        columns: &plan.columns,
        writer: &writer,
        fields: &fields,
        dir: &plan.index_dir,
        has_commit: target.has_commit,
        manifest: &mut manifest,
        report,
    };
    sink.feed(&todo, total_bytes, plan.threads, max, progress)?;
    phases.mark("parse and write");
    store::commit(
        writer,
        &mut manifest,
        &plan.index_dir,
        target,
        plan.threads,
        phases,
    )
}

/// The user's merge rules: `people.txt` in the index folder, when there is one.
pub const PEOPLE_FILE: &str = "people.txt";

fn user_rules(dir: &Path) -> Result<UserRules, Error> {
    let path = dir.join(PEOPLE_FILE);
    match path.exists() {
        true => UserRules::read(&path),
        false => Ok(UserRules::default()),
    }
}

/// What every call says about its people, company, date and content: the manifest's
/// record for files left as they are, and a survey (a parse that keeps only that) of
/// the files to be parsed, so a new file that changes a name or copies a call is known
/// before anything is written. A dataset gives one per call, under its call's `source`.
fn survey_calls(
    plan: &IndexPlan,
    todo: &[(PathBuf, u64)],
    manifest: &Manifest,
) -> Result<Vec<Surveyed>, Error> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(plan.threads)
        .build()
        .map_err(|e| Error::Input(format!("--threads {}: {e}", plan.threads)))?;
    let surveyed: Vec<Surveyed> = pool.install(|| {
        todo.par_iter()
            .flat_map_iter(|(p, _)| survey_file(plan, p))
            .collect()
    });
    // A file parsed again is known by its new parse alone, also when that fails.
    let fresh: BTreeSet<String> = todo.iter().map(|(p, _)| path_string(p)).collect();
    let mut calls: Vec<Surveyed> = (manifest.files.iter())
        .filter(|(p, _)| !fresh.contains(p.as_str()))
        .flat_map(|(p, e)| e.call_views(p))
        .filter_map(|v| {
            Some(Surveyed {
                source: v.source.to_string(),
                people: v.people?.clone(),
                call_id: v.call_id.map(str::to_string),
                stamp: None,
            })
        })
        .collect();
    calls.extend(surveyed);
    calls.sort_by(|a, b| a.source.cmp(&b.source));
    Ok(calls)
}

/// The call's speech fingerprint; none for a call without passages.
fn fingerprint(t: &Transcript) -> Option<String> {
    (t.passage_count() > 0).then(|| call_fingerprint(t))
}

/// The calls this run surveyed, by source, so the write need not survey them again;
/// a source two files share (names alike once made UTF-8) is surveyed again instead.
fn reusable(calls: Vec<Surveyed>) -> HashMap<String, Surveyed> {
    let mut out: HashMap<String, Surveyed> = HashMap::new();
    let mut shared = BTreeSet::new();
    for call in calls.into_iter().filter(|c| c.stamp.is_some()) {
        if let Some(other) = out.insert(call.source.clone(), call) {
            shared.insert(other.source);
        }
    }
    out.retain(|source, _| !shared.contains(source));
    out
}

/// The survey of one file's call, or of each call of a dataset.
fn survey_file(plan: &IndexPlan, p: &Path) -> Vec<Surveyed> {
    let path = path_string(p);
    let stamp = std::fs::metadata(p).ok().map(|m| (m.len(), mtime_ns(&m)));
    let one = |source: String, t: &Transcript| Surveyed {
        source,
        people: survey(t),
        call_id: fingerprint(t),
        stamp,
    };
    match layouts::parse_path(p, plan.layout, &plan.columns, plan.max_file_bytes) {
        FileParse::One(_, Ok(t)) => vec![one(path, &t)],
        FileParse::Many(_, Ok(calls)) => (calls.into_iter())
            .filter_map(|call| Some(one(format!("{path}#{}", call.part), &call.outcome.ok()?)))
            .collect(),
        FileParse::One(_, Err(_)) | FileParse::Many(_, Err(_)) => Vec::new(),
    }
}

/// Calls another call also holds, by `source` -> the holder's: the same company, date
/// and content (`same_call`), or the same speech word for word (an undated copy too;
/// the first in sorted order is kept), as `report` finds them.
fn same_calls(calls: &[Surveyed]) -> BTreeMap<String, String> {
    let candidates: Vec<Candidate> = (calls.iter())
        .map(|c| Candidate::of(&c.source, &c.people))
        .collect();
    let mut dropped = duplicates(&candidates);
    let mut first: HashMap<&str, &str> = HashMap::new();
    for c in calls {
        let Some(id) = c
            .call_id
            .as_ref()
            .filter(|_| !dropped.contains_key(&c.source))
        else {
            continue;
        };
        let kept = *first.entry(id).or_insert(&c.source);
        if kept != c.source {
            dropped.insert(c.source.clone(), kept.to_string());
        }
    }
    dropped
}

/// Unchanged files to write again: a canonical name in a call they hold changed (a
/// new file renamed a person, a user's rule), or which copy of one of their calls is
/// kept changed (a richer copy arrived, or the kept copy went: the dropped one comes
/// back), so old and new passages agree.
fn renamed_files(
    files: &[Found],
    manifest: &Manifest,
    identities: &Identities,
    dropped: &BTreeMap<String, String>,
    todo: &mut Vec<(PathBuf, u64)>,
    report: &mut IndexReport,
) {
    let queued: BTreeSet<PathBuf> = todo.iter().map(|(p, _)| p.clone()).collect();
    for (key, path, meta) in files {
        let Some(entry) = manifest.files.get(key) else {
            continue;
        };
        let stale = entry.call_views(key).iter().any(|call| {
            let renamed =
                call.people.map(|c| identities.fingerprint(c)).as_deref() != call.identity;
            let moved = call.duplicate_of != dropped.get(call.source).map(String::as_str);
            (call.held() && renamed) || moved
        });
        if stale && !queued.contains(path) {
            todo.push((path.clone(), meta.len()));
            report.unchanged = report.unchanged.saturating_sub(1);
            report.renamed += 1;
        }
    }
}

/// Where parsed files go: the writer, the manifest and the report.
struct Sink<'a> {
    identities: &'a Identities,
    /// Each call as this run's survey found it, by `source`.
    surveyed: &'a HashMap<String, Surveyed>,
    /// Calls another call holds: `source` -> the holder's.
    dropped: &'a BTreeMap<String, String>,
    /// A new, empty index: there are no old passages to delete, but for a source
    /// written twice in this run (two names alike once made UTF-8).
    fresh: bool,
    written: BTreeSet<String>,
    /// `--layout`: every file is read as this layout.
    layout: Option<&'static dyn Layout>,
    /// `--columns`: dataset columns named by the user.
    columns: &'a Columns,
    writer: &'a IndexWriter<TantivyDocument>,
    fields: &'a Fields,
    dir: &'a Path,
    has_commit: bool,
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
        let known = Known {
            identities: self.identities,
            surveyed: self.surveyed,
            dropped: self.dropped,
        };
        std::thread::scope(|scope| {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Loaded>>(1);
            scope.spawn(move || {
                for chunk in todo.chunks((CHUNK_PER_THREAD * threads).max(8)) {
                    let loaded = pool.install(|| {
                        chunk
                            .par_iter()
                            .map(|(p, _)| load(p, &fields, &how, &known))
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
        let (path, docs) = accept(item, self.manifest, self.dropped, self.report);
        if !self.fresh || !self.written.insert(path.clone()) {
            delete_source(self.writer, self.fields, &path);
            for part in old_parts.unwrap_or_default() {
                delete_source(self.writer, self.fields, &part);
            }
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
    let mut todo = Vec::new();
    for (key, path, meta) in files {
        // A copy whose kept copy went is found by `renamed_files`.
        let same = manifest.files.get(key).is_some_and(|e| {
            e.size == meta.len() && e.mtime_ns == mtime_ns(meta) && !e.needs_calls()
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

/// What the write knows of every call before it parses one: canonical names, the
/// survey's findings and the copies left out.
struct Known<'a> {
    identities: &'a Identities,
    surveyed: &'a HashMap<String, Surveyed>,
    dropped: &'a BTreeMap<String, String>,
}

/// What one call of a loaded file needs to become its record and documents.
struct OneCall<'a> {
    known: &'a Known<'a>,
    fields: &'a Fields,
    /// The file's size and modification time as this load read them.
    stamp: (u64, u128),
    /// The file name's bytes in hex, when it is not UTF-8.
    bytes_name: Option<String>,
}

impl OneCall<'_> {
    /// The call's record and documents (the call's record on its first); none for a
    /// call that another call holds.
    fn load(&self, t: &Transcript, source: String, suffix: String) -> LoadedCall {
        let (people, call_id) = self.surveyed(t, &source);
        let identity = Some(self.known.identities.fingerprint(&people));
        let docs = match (&call_id, self.known.dropped.contains_key(&source)) {
            (Some(id), false) => self.documents(t, &source, id.clone()),
            _ => Vec::new(),
        };
        let record = PartEntry {
            source,
            call_id,
            passages: docs.len() as u64,
            duplicate_of: None,
            identity,
            people: Some(people),
        };
        LoadedCall {
            record,
            suffix,
            docs,
        }
    }

    /// The call's people and fingerprint: the survey's, when it read the file as it
    /// is now (same size and modification time), else surveyed again.
    fn surveyed(&self, t: &Transcript, source: &str) -> (CallPeople, Option<String>) {
        let seen = (self.known.surveyed.get(source)).filter(|s| s.stamp == Some(self.stamp));
        match seen {
            Some(s) => (s.people.clone(), s.call_id.clone()),
            None => (survey(t), fingerprint(t)),
        }
    }

    fn documents(&self, t: &Transcript, source: &str, call_id: String) -> Vec<TantivyDocument> {
        let mut ps = passages_of_call(t, source, call_id);
        self.known.identities.apply(&mut ps);
        for x in ps.iter_mut().filter(|_| self.bytes_name.is_some()) {
            x.source_bytes = self.bytes_name.clone();
        }
        let mut docs: Vec<TantivyDocument> = ps.iter().map(|x| self.fields.document(x)).collect();
        if let Some(first) = docs.first_mut() {
            self.fields.add_call_record(first, t);
        }
        docs
    }
}

/// Read and parse one file and build its documents (runs on the rayon pool).
fn load(p: &Path, fields: &Fields, how: &Reading, known: &Known) -> Loaded {
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
        calls: Vec::new(),
        people: None,
        identity: None,
    };
    let stamp = (entry.size, entry.mtime_ns);
    let one = OneCall {
        known,
        fields,
        stamp,
        bytes_name: crate::names::hex_unless_utf8(p),
    };
    let mut bad_parts = Vec::new();
    let mut dataset = false;
    let outcome = match layouts::parse_path(p, how.layout, how.columns, how.max) {
        FileParse::One(_, outcome) => {
            outcome.map(|t| vec![one.load(&t, path.to_string(), String::new())])
        }
        FileParse::Many(_, outcome) => {
            dataset = true;
            outcome.map(|calls| {
                let mut all = Vec::new();
                for call in calls {
                    let suffix = format!("#{}", call.part);
                    match call.outcome {
                        Ok(t) => all.push(one.load(&t, format!("{path}{suffix}"), suffix)),
                        Err(e) => bad_parts.push((suffix, e)),
                    }
                }
                all
            })
        }
    };
    entry.hash = file_hash(p);
    Loaded {
        path: path.to_string(),
        shown: escaped(p),
        entry,
        outcome,
        dataset,
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

/// Record a loaded file in the manifest and the report; return its documents, but
/// none of a failed file nor of a call that another call holds.
fn accept(
    item: Loaded,
    manifest: &mut Manifest,
    dropped: &BTreeMap<String, String>,
    report: &mut IndexReport,
) -> (String, Vec<TantivyDocument>) {
    let Loaded {
        path,
        shown,
        mut entry,
        outcome,
        dataset,
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
    let mut docs = Vec::new();
    match outcome {
        Err(e) => {
            let list = if e.is_failure() {
                &mut report.failed
            } else {
                &mut report.skipped
            };
            list.push((shown, e.to_string()));
            entry.skipped = Some(e.to_string());
        }
        Ok(calls) => {
            let mut records = Vec::with_capacity(calls.len());
            for call in calls {
                let mut record = call.record;
                match dropped.get(&record.source) {
                    Some(holder) => {
                        let name = format!("{shown}{}", call.suffix);
                        report.duplicates.push((name, escape_str(holder)));
                        record.duplicate_of = Some(holder.clone());
                        record.passages = 0;
                    }
                    None => docs.extend(call.docs),
                }
                records.push(record);
            }
            entry.passages = docs.len() as u64;
            // A file is indexed unless every call it holds is another's copy.
            let copies = !records.is_empty() && records.iter().all(|r| r.duplicate_of.is_some());
            if !copies {
                report.indexed += 1;
                report.passages += entry.passages;
                report.bytes += entry.size;
            }
            record_calls(&mut entry, records, dataset);
        }
    }
    manifest.files.insert(path.clone(), entry);
    (path, docs)
}

/// A dataset's calls go to `calls` (their sources to `parts`); a file's one call to the
/// entry's own fields.
fn record_calls(entry: &mut FileEntry, mut records: Vec<PartEntry>, dataset: bool) {
    if dataset {
        entry.parts = records.iter().map(|r| r.source.clone()).collect();
        entry.calls = records;
    } else if let Some(r) = records.pop() {
        entry.call_id = r.call_id;
        entry.duplicate_of = r.duplicate_of;
        entry.people = r.people;
        entry.identity = r.identity;
    }
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
