//! Build or update an index: walk, parse in parallel, skip duplicates, write, commit once.

use std::collections::{BTreeSet, HashMap};
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
use crate::transcript::layouts::{self, Layout, ParseError};
use crate::transcript::passages::passages;

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
    pub passages: u64,
    pub bytes: u64,
    pub elapsed: Duration,
}

/// One candidate file after reading, parsing and building its documents.
struct Loaded {
    path: String,
    entry: FileEntry,
    outcome: Result<Vec<TantivyDocument>, ParseError>,
}

/// How far a run is: bytes and files done, out of the totals to parse.
#[derive(Debug, Clone, Copy, Default)]
pub struct Progress {
    pub bytes: u64,
    pub total_bytes: u64,
    pub files: u64,
    pub total_files: u64,
}

/// Run an index plan: the whole pipeline from folders to a committed index.
pub fn run(plan: &IndexPlan, progress: &dyn Fn(Progress)) -> Result<IndexReport, Error> {
    let start = Instant::now();
    let mut report = IndexReport::default();
    let files = walk(&plan.inputs, &mut report)?;
    let index = store::open_for_writing(&plan.index_dir, plan.rebuild)?;
    let fields = Fields::from_schema(&index.schema())?;
    let opstamp = store::last_opstamp(&index)?;
    let mut manifest = Manifest::load(&plan.index_dir, opstamp);
    let writer = store::writer(&index, &plan.index_dir, plan.threads, plan.memory_bytes)?;
    let stale = manifest.files.is_empty() && opstamp > 0;
    let gone = Gone {
        index: &index,
        fields: &fields,
        writer: &writer,
        stale,
    };
    gone.remove(&mut manifest, &files, &mut report)?;
    let todo = changed_files(&files, &mut manifest, &mut report);
    report.bytes = todo.iter().map(|(_, size)| size).sum();
    let mut sink = Sink {
        layout: plan.layout,
        writer: &writer,
        fields: &fields,
        dir: &plan.index_dir,
        holders: holders(&manifest),
        manifest: &mut manifest,
        report: &mut report,
    };
    sink.feed(&todo, plan.threads, progress)?;
    store::commit(writer, &mut manifest, &plan.index_dir)?;
    report.elapsed = start.elapsed();
    Ok(report)
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
    /// `--layout`: every file is read as this layout.
    layout: Option<&'static dyn Layout>,
    writer: &'a IndexWriter<TantivyDocument>,
    fields: &'a Fields,
    dir: &'a Path,
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
        todo: &[(String, u64)],
        threads: usize,
        progress: &dyn Fn(Progress),
    ) -> Result<(), Error> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| Error::Input(format!("--threads {threads}: {e}")))?;
        let mut done = Progress {
            total_bytes: self.report.bytes,
            total_files: todo.len() as u64,
            ..Progress::default()
        };
        let fields = self.fields.clone();
        let layout = self.layout;
        std::thread::scope(|scope| {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Loaded>>(1);
            scope.spawn(move || {
                for chunk in todo.chunks(CHUNK) {
                    let loaded = pool.install(|| {
                        chunk
                            .par_iter()
                            .map(|(p, _)| load(p, &fields, layout))
                            .collect()
                    });
                    if tx.send(loaded).is_err() {
                        return;
                    }
                }
            });
            for item in rx.iter().flatten() {
                done.bytes += item.entry.size;
                done.files += 1;
                self.write(item)?;
                progress(done);
            }
            Ok(())
        })
    }

    fn write(&mut self, item: Loaded) -> Result<(), Error> {
        let (path, docs) = accept(item, self.manifest, &mut self.holders, self.report);
        delete_source(self.writer, self.fields, &path);
        for doc in docs {
            self.writer
                .add_document(doc)
                .map_err(|e| store::write_failed(self.dir, &e))?;
        }
        Ok(())
    }
}

/// Every file under the inputs with its metadata; walk errors are reported as skips.
fn walk(
    inputs: &[PathBuf],
    report: &mut IndexReport,
) -> Result<Vec<(String, std::fs::Metadata)>, Error> {
    let found = crate::index::walk::walk(inputs)?;
    report.skipped.extend(found.errors);
    let mut out = Vec::with_capacity(found.files.len());
    for path in found.files {
        let name = path_string(&path);
        match std::fs::metadata(&path) {
            Ok(meta) => out.push((name, meta)),
            Err(e) => report.failed.push((name, io_reason(&e))),
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
        files: &[(String, std::fs::Metadata)],
        report: &mut IndexReport,
    ) -> Result<(), Error> {
        let present: BTreeSet<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        let mut known: BTreeSet<String> = manifest.files.keys().cloned().collect();
        if self.stale {
            known.extend(store::indexed_sources(self.index, self.fields)?);
        }
        for path in known {
            if present.contains(path.as_str()) || Path::new(&path).exists() {
                continue;
            }
            let had = manifest.files.remove(&path).is_none_or(|e| e.passages > 0);
            delete_source(self.writer, self.fields, &path);
            if had {
                report.removed.push(path);
            }
        }
        Ok(())
    }
}

/// Files that are new or whose content changed; unchanged ones are counted and left.
fn changed_files(
    files: &[(String, std::fs::Metadata)],
    manifest: &mut Manifest,
    report: &mut IndexReport,
) -> Vec<(String, u64)> {
    let orphaned: BTreeSet<String> = manifest
        .files
        .values()
        .filter_map(|e| e.duplicate_of.clone())
        .filter(|holder| !manifest.files.contains_key(holder))
        .collect();
    let mut todo = Vec::new();
    for (path, meta) in files {
        let same = manifest.files.get(path).is_some_and(|e| {
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
fn load(path: &str, fields: &Fields, layout: Option<&'static dyn Layout>) -> Loaded {
    let p = Path::new(path);
    let meta = std::fs::metadata(p);
    let mut entry = FileEntry {
        size: meta.as_ref().map_or(0, |m| m.len()),
        mtime_ns: meta.as_ref().map_or(0, mtime_ns),
        hash: String::new(),
        call_id: None,
        passages: 0,
        duplicate_of: None,
        skipped: None,
    };
    let outcome = layouts::read_limited(p)
        .and_then(|bytes| {
            entry.hash = blake3::hash(&bytes).to_hex()[..16].to_string();
            layouts::parse_as(&bytes, p, layout).1
        })
        .map(|t| {
            let ps = passages(&t, path);
            entry.call_id = ps.first().map(|x| x.call_id.clone());
            entry.passages = ps.len() as u64;
            ps.iter().map(|x| fields.document(x)).collect()
        });
    Loaded {
        path: path.to_string(),
        entry,
        outcome,
    }
}

/// Record a loaded file in the manifest and the report; return its documents unless
/// the file failed or holds a call that another file already holds.
fn accept(
    item: Loaded,
    manifest: &mut Manifest,
    holders: &mut HashMap<String, String>,
    report: &mut IndexReport,
) -> (String, Vec<TantivyDocument>) {
    let Loaded {
        path,
        mut entry,
        outcome,
    } = item;
    let docs = match outcome {
        Err(e) => {
            let list = if e.is_failure() {
                &mut report.failed
            } else {
                &mut report.skipped
            };
            list.push((path.clone(), e.to_string()));
            entry.skipped = Some(e.to_string());
            entry.passages = 0;
            Vec::new()
        }
        Ok(docs) => {
            let holder = entry
                .call_id
                .as_ref()
                .and_then(|c| holders.get(c).filter(|h| **h != path).cloned());
            match holder {
                Some(holder) => {
                    report.duplicates.push((path.clone(), holder.clone()));
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
