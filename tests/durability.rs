//! The index survives kill -9, refuses concurrent writers, versions and damage, and
//! never touches folders that are not its own.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::*;

/// A corpus of `copies` distinct variants of every bundled transcript, so an index run
/// lasts long enough to be interrupted.
fn big_corpus(copies: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let files = corpus_files();
    for i in 0..copies {
        for f in &files {
            let text = String::from_utf8_lossy(&std::fs::read(f).unwrap()).into_owned();
            // Distinct speech per copy, so the copies are not one call: common words
            // changed per copy make most word triples differ (the same-call sketch).
            let mut varied = text.replace("quarter", &format!("quarter{i}"));
            for w in [
                "the", "we", "to", "our", "is", "that", "a", "of", "in", "you", "it", "this", "for",
            ] {
                varied = varied.replace(&format!(" {w} "), &format!(" {w}{i} "));
            }
            let name = format!("c{i:03}/{}", f.file_name().unwrap().to_string_lossy());
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, varied).unwrap();
        }
    }
    dir
}

fn index_args<'a>(corpus: &'a Path, index: &'a Path) -> Vec<&'a str> {
    vec![
        "index",
        corpus.to_str().unwrap(),
        "--index",
        index.to_str().unwrap(),
        "--quiet",
    ]
}

fn export(index: &Path) -> String {
    let run = callsearch(&["export", "--index", index.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
}

#[test]
fn kill_9_at_any_point_leaves_a_readable_index_and_the_next_run_finishes_the_job() {
    let corpus = big_corpus(40);
    let work = tempfile::tempdir().unwrap();
    let clean = work.path().join("clean");
    assert_eq!(callsearch(&index_args(corpus.path(), &clean)).code, 0);
    let expected = export(&clean);
    let mut interrupted = 0;
    for (n, delay_ms) in [5u64, 60, 250, 600, 1200].into_iter().enumerate() {
        let index = work.path().join(format!("killed{n}"));
        let mut child = Command::new(env!("CARGO_BIN_EXE_callsearch"))
            .args(index_args(corpus.path(), &index))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        if committed(&index) {
            let q = callsearch(&["query", "*", "--index", index.to_str().unwrap(), "-n", "1"]);
            assert!(q.code <= 1, "after kill at {delay_ms} ms: {}", q.stderr);
        }
        let mut args = index_args(corpus.path(), &index);
        args.push("--json");
        let resumed = callsearch(&args);
        assert_eq!(
            resumed.code, 0,
            "resume after kill at {delay_ms} ms: {}",
            resumed.stderr
        );
        if resumed.json_lines()[0]["indexed"].as_u64() > Some(0) {
            interrupted += 1;
        }
        assert!(
            export(&index) == expected,
            "kill at {delay_ms} ms: result differs from a clean build"
        );
        let hits = |i: &Path| {
            callsearch(&[
                "query",
                "gross margin",
                "--index",
                i.to_str().unwrap(),
                "--json",
            ])
            .stdout
        };
        let strip = |s: String| {
            s.lines()
                .filter(|l| !l.contains("elapsed_ms"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(strip(hits(&index)), strip(hits(&clean)));
    }
    assert!(
        interrupted >= 2,
        "only {interrupted} kills landed before the commit"
    );
}

#[test]
fn a_second_writer_is_refused_at_once_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("idx");
    let first = index_corpus(&index, &[]);
    assert_eq!(first.code, 0);
    let before = export(&index);
    // Hold the writer lock the way another callsearch process would.
    let held = tantivy::Index::open_in_dir(current_files(&index)).unwrap();
    let writer: tantivy::IndexWriter = held.writer(50_000_000).unwrap();
    let seed = read(SEED);
    let extra = folder_with(&[("new.txt", &seed)]);
    let second = callsearch(&[
        "index",
        extra.path().to_str().unwrap(),
        "--index",
        index.to_str().unwrap(),
    ]);
    assert_eq!(second.code, 2);
    assert!(
        second
            .stderr
            .contains("is being written by another callsearch process"),
        "{}",
        second.stderr
    );
    let during = callsearch(&[
        "query",
        "margin",
        "--index",
        index.to_str().unwrap(),
        "-n",
        "1",
    ]);
    assert_eq!(
        during.code, 0,
        "queries answer from the last commit while locked"
    );
    drop(writer);
    assert_eq!(export(&index), before);
}

#[test]
fn an_index_of_another_schema_version_says_which_and_how_to_fix_it() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("idx");
    assert_eq!(index_corpus(&index, &[]).code, 0);
    std::fs::write(
        index.join("callsearch.json"),
        r#"{"tool":"callsearch","schema_version":999}"#,
    )
    .unwrap();
    for args in [vec!["query", "margin"], vec!["index", "corpus"]] {
        let mut args = args.clone();
        args.extend(["--index", index.to_str().unwrap()]);
        let run = callsearch(&args);
        assert_eq!(run.code, 2);
        assert!(
            run.stderr.contains("schema version 999")
                && run.stderr.contains("callsearch index --rebuild"),
            "{}",
            run.stderr
        );
    }
    let rebuilt = index_corpus(&index, &["--rebuild"]);
    assert_eq!(rebuilt.code, 0, "{}", rebuilt.stderr);
    assert_eq!(
        callsearch(&["query", "margin", "--index", index.to_str().unwrap()]).code,
        0
    );
}

#[test]
fn damaged_indexes_give_one_line_errors_and_are_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let pristine = dir.path().join("pristine");
    assert_eq!(index_corpus(&pristine, &[]).code, 0);
    let damage: [(&str, Damage); 4] = [
        ("truncated segment", |i| truncate_first(i, "store")),
        ("corrupted terms", |i| scribble_first(i, "term")),
        ("missing meta.json", |i| {
            std::fs::remove_file(i.join("meta.json")).unwrap()
        }),
        ("garbled meta.json", |i| {
            std::fs::write(i.join("meta.json"), "{\"index_settings\":").unwrap()
        }),
    ];
    for (what, hurt) in damage {
        let index = dir.path().join(what.replace(' ', "-"));
        copy_dir(&pristine, &index);
        hurt(&current_files(&index));
        let run = callsearch(&[
            "query",
            "margin revenue",
            "--index",
            index.to_str().unwrap(),
        ]);
        assert_eq!(run.code, 2, "{what}: {}", run.stdout);
        assert!(
            run.stderr.contains("damaged") && run.stderr.contains("--rebuild"),
            "{what}: {}",
            run.stderr
        );
        assert_eq!(
            run.stderr.trim().lines().count(),
            1,
            "{what}: {}",
            run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "{what}");
        let fixed = index_corpus(&index, &["--rebuild"]);
        assert_eq!(fixed.code, 0, "{what}: {}", fixed.stderr);
        assert_eq!(export(&index), export(&pristine), "{what}");
    }
}

#[test]
fn a_folder_that_is_not_an_index_is_refused_never_wiped() {
    let dir = folder_with(&[("thesis.docx", b"precious"), ("notes/a.txt", b"more")]);
    for extra in [None, Some("--rebuild")] {
        let mut args = vec!["index", "corpus", "--index", dir.path().to_str().unwrap()];
        args.extend(extra);
        let run = callsearch(&args);
        assert_eq!(run.code, 2);
        assert!(
            run.stderr.contains("is not a callsearch index"),
            "{}",
            run.stderr
        );
    }
    assert_eq!(
        std::fs::read(dir.path().join("thesis.docx")).unwrap(),
        b"precious"
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[cfg(unix)]
#[test]
fn a_file_size_limit_mid_run_is_an_error_and_the_last_commit_stays() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("idx");
    assert_eq!(index_corpus(&index, &[]).code, 0);
    let before = export(&index);
    let corpus = big_corpus(20);
    let script = format!(
        "ulimit -f 256; exec '{}' index '{}' --index '{}' --quiet",
        env!("CARGO_BIN_EXE_callsearch"),
        corpus.path().display(),
        index.display()
    );
    let out = Command::new("sh").arg("-c").arg(script).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("cannot write the index") && stderr.contains("last commit is intact"),
        "{stderr}"
    );
    assert_eq!(export(&index), before);
}

/// A way to damage an index folder.
type Damage = fn(&Path);

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &to.join(entry.file_name()));
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

fn first_with_ext(index: &Path, ext: &str) -> PathBuf {
    let mut files: Vec<PathBuf> = std::fs::read_dir(index)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    files.remove(0)
}

fn truncate_first(index: &Path, ext: &str) {
    let f = first_with_ext(index, ext);
    let file = std::fs::OpenOptions::new().write(true).open(&f).unwrap();
    file.set_len(file.metadata().unwrap().len() / 2).unwrap();
}

fn scribble_first(index: &Path, ext: &str) {
    let f = first_with_ext(index, ext);
    let mut bytes = std::fs::read(&f).unwrap();
    for (i, b) in bytes.iter_mut().enumerate() {
        *b = (i as u8).wrapping_mul(31);
    }
    std::fs::write(&f, bytes).unwrap();
}

/// Passages the index answers `*` with (its full count).
fn full_count(index: &Path) -> u64 {
    callsearch(&[
        "query",
        "*",
        "--index",
        index.to_str().unwrap(),
        "-n",
        "0",
        "--json",
    ])
    .total()
}

#[test]
fn a_rebuild_answers_from_the_old_generation_until_its_commit_and_a_kill_leaves_it_whole() {
    let corpus = big_corpus(30);
    let work = tempfile::tempdir().unwrap();
    let index = work.path().join("idx");
    assert_eq!(callsearch(&index_args(corpus.path(), &index)).code, 0);
    let full = full_count(&index);
    assert!(full > 10_000, "{full}");
    let expected = export(&index);
    let mut answered_during = 0;
    for delay_ms in [30u64, 150, 400, 800, 1500] {
        let mut args = index_args(corpus.path(), &index);
        args.push("--rebuild");
        let mut child = Command::new(env!("CARGO_BIN_EXE_callsearch"))
            .args(&args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        // During the rebuild: the old generation, whole (it used to answer 0 of 0).
        let during = full_count(&index);
        assert_eq!(during, full, "during a rebuild, at {delay_ms} ms");
        if child.try_wait().unwrap().is_none() {
            answered_during += 1;
        }
        let _ = child.kill();
        let _ = child.wait();
        assert_eq!(full_count(&index), full, "after kill -9 at {delay_ms} ms");
    }
    assert!(
        answered_during >= 2,
        "only {answered_during} queries ran during a rebuild"
    );
    // The next run removes what killed runs left and keeps the one current generation.
    assert_eq!(callsearch(&index_args(corpus.path(), &index)).code, 0);
    assert_eq!(generations(&index).len(), 1, "{:?}", generations(&index));
    assert_eq!(export(&index), expected);
    // A finished rebuild switches, and the old generation is removed.
    let before = generations(&index);
    let mut args = index_args(corpus.path(), &index);
    args.push("--rebuild");
    assert_eq!(callsearch(&args).code, 0);
    let after = generations(&index);
    assert_eq!(after.len(), 1);
    assert_ne!(after, before, "a rebuild writes a new generation");
    assert_eq!(export(&index), expected);
}

#[cfg(unix)]
#[test]
fn ctrl_c_during_index_stops_before_the_commit_and_leaves_the_last_one() {
    let corpus = big_corpus(30);
    let work = tempfile::tempdir().unwrap();
    let index = work.path().join("idx");
    assert_eq!(callsearch(&index_args(corpus.path(), &index)).code, 0);
    let full = full_count(&index);
    let mut args = index_args(corpus.path(), &index);
    args.push("--rebuild");
    let child = Command::new(env!("CARGO_BIN_EXE_callsearch"))
        .args(&args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    // SAFETY: signalling our own child.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(
        stderr.trim()
            == "interrupted: nothing of this run was committed, the index is as of its last commit",
        "{stderr}"
    );
    assert_eq!(full_count(&index), full);
    assert_eq!(
        generations(&index).len(),
        1,
        "the stopped generation is removed"
    );
}

#[test]
fn an_index_of_the_single_folder_layout_still_opens_and_a_rebuild_converts_it() {
    let work = tempfile::tempdir().unwrap();
    let index = work.path().join("idx");
    index_corpus(&index, &[]).success();
    let expected = export(&index);
    // The layout before generations: tantivy's files at the top, no `generation`.
    let generation = current_files(&index);
    for entry in std::fs::read_dir(&generation).unwrap() {
        let entry = entry.unwrap();
        std::fs::rename(entry.path(), index.join(entry.file_name())).unwrap();
    }
    std::fs::remove_dir(&generation).unwrap();
    let marker = format!(
        r#"{{"tool":"callsearch","schema_version":{}}}"#,
        callsearch::index::fields::SCHEMA_VERSION
    );
    std::fs::write(index.join("callsearch.json"), marker).unwrap();
    assert_eq!(export(&index), expected, "read as it is");
    index_corpus(&index, &[]).success();
    assert_eq!(export(&index), expected, "updated in place");
    index_corpus(&index, &["--rebuild"]).success();
    assert_eq!(generations(&index).len(), 1);
    assert!(
        !index.join("meta.json").exists(),
        "the old layout's files are removed"
    );
    assert_eq!(export(&index), expected);
}

#[cfg(unix)]
#[test]
fn a_query_during_a_first_build_says_the_index_is_being_built() {
    use std::os::fd::AsRawFd;
    let work = tempfile::tempdir().unwrap();
    let index = work.path().join("idx");
    // What a first run looks like before its commit: our marker, no generation yet.
    std::fs::create_dir_all(&index).unwrap();
    let marker = format!(
        r#"{{"tool":"callsearch","schema_version":{}}}"#,
        callsearch::index::fields::SCHEMA_VERSION
    );
    std::fs::write(index.join("callsearch.json"), marker).unwrap();
    let lock = std::fs::File::create(index.join("callsearch.lock")).unwrap();
    // SAFETY: flock on a file we own, as a running `callsearch index` holds it.
    assert_eq!(unsafe { libc::flock(lock.as_raw_fd(), libc::LOCK_EX) }, 0);
    let q = callsearch(&["query", "margin", "--index", index.to_str().unwrap()]);
    q.assert_code(2).check(
        q.stderr
            .contains("is being built (its first run has not committed yet)"),
        "being built",
    );
    let second = callsearch(&["index", "corpus", "--index", index.to_str().unwrap()]);
    second.assert_code(2).check(
        second
            .stderr
            .contains("is being written by another callsearch process"),
        "one writer",
    );
    drop(lock);
    let q = callsearch(&["query", "margin", "--index", index.to_str().unwrap()]);
    q.assert_code(2).check(
        q.stderr
            .contains("has no commit yet (its first run did not finish): run callsearch index"),
        "stopped",
    );
    index_corpus(&index, &[]).success();
    callsearch(&["query", "margin", "--index", index.to_str().unwrap()]).success();
}

/// A directory whose disk is full: every write fails with ENOSPC, as on a full disk.
#[derive(Clone, Debug)]
struct FullDisk(tantivy::directory::MmapDirectory);

struct FullWriter;

impl std::io::Write for FullWriter {
    fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
        Err(std::io::Error::from_raw_os_error(libc::ENOSPC))
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Err(std::io::Error::from_raw_os_error(libc::ENOSPC))
    }
}

impl tantivy::directory::TerminatingWrite for FullWriter {
    fn terminate_ref(&mut self, _: tantivy::directory::AntiCallToken) -> std::io::Result<()> {
        Err(std::io::Error::from_raw_os_error(libc::ENOSPC))
    }
}

impl tantivy::Directory for FullDisk {
    fn get_file_handle(
        &self,
        path: &Path,
    ) -> Result<
        std::sync::Arc<dyn tantivy::directory::FileHandle>,
        tantivy::directory::error::OpenReadError,
    > {
        self.0.get_file_handle(path)
    }
    fn delete(&self, path: &Path) -> Result<(), tantivy::directory::error::DeleteError> {
        self.0.delete(path)
    }
    fn exists(&self, path: &Path) -> Result<bool, tantivy::directory::error::OpenReadError> {
        self.0.exists(path)
    }
    fn open_write(
        &self,
        path: &Path,
    ) -> Result<tantivy::directory::WritePtr, tantivy::directory::error::OpenWriteError> {
        // Lock files (empty) still open; every byte of data fails.
        if path.to_string_lossy().starts_with('.') {
            return self.0.open_write(path);
        }
        Ok(std::io::BufWriter::new(Box::new(FullWriter)))
    }
    fn atomic_read(
        &self,
        path: &Path,
    ) -> Result<Vec<u8>, tantivy::directory::error::OpenReadError> {
        self.0.atomic_read(path)
    }
    fn atomic_write(&self, _: &Path, _: &[u8]) -> std::io::Result<()> {
        Err(std::io::Error::from_raw_os_error(libc::ENOSPC))
    }
    fn sync_directory(&self) -> std::io::Result<()> {
        self.0.sync_directory()
    }
    fn acquire_lock(
        &self,
        lock: &tantivy::directory::Lock,
    ) -> Result<tantivy::directory::DirectoryLock, tantivy::directory::error::LockError> {
        self.0.acquire_lock(lock)
    }
    fn watch(
        &self,
        cb: tantivy::directory::WatchCallback,
    ) -> tantivy::Result<tantivy::directory::WatchHandle> {
        self.0.watch(cb)
    }
}

#[test]
fn a_full_disk_is_reported_as_no_space_left_naming_the_index_and_its_commit() {
    let dir = tempfile::tempdir().unwrap();
    // A committed index first, then the disk fills.
    let index = dir.path().join("idx");
    index_corpus(&index, &[]).success();
    let files = current_files(&index);
    let full = FullDisk(tantivy::directory::MmapDirectory::open(&files).unwrap());
    let opened = tantivy::Index::open(full).unwrap();
    callsearch::index::tokenizer::register(&opened);
    let fields = callsearch::index::Fields::from_schema(&opened.schema()).unwrap();
    let t = callsearch::transcript::parse_file(&root().join(SEED)).unwrap();
    let mut writer: tantivy::IndexWriter = opened.writer(50_000_000).unwrap();
    for p in callsearch::transcript::passages::passages(&t, "x.txt") {
        // Once a worker thread died of the full disk, adding fails without the cause;
        // the commit joins the workers and returns it.
        if writer.add_document(fields.document(&p)).is_err() {
            break;
        }
    }
    let e = writer.commit().expect_err("a full disk fails the commit");
    let msg = callsearch::index::store::write_failed(&index, &e, true).to_string();
    assert!(msg.contains("no space left on device"), "{msg}");
    assert!(
        msg.contains(&format!("{}/", index.display()))
            && msg.ends_with("the last commit is intact"),
        "{msg}"
    );
    let first = callsearch::index::store::write_failed(&index, &e, false).to_string();
    assert!(first.ends_with("nothing was committed yet"), "{first}");
    drop(writer);
    // The index still answers from its commit, and the next run succeeds.
    callsearch(&["query", "margin", "--index", index.to_str().unwrap()]).success();
    index_corpus(&index, &[]).success();
}
