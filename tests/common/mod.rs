//! A small harness for end-to-end tests: run the binary, read its output, share one
//! index of the bundled corpus between tests.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// What one run of the binary printed and returned.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The JSON Lines of stdout, parsed.
    pub fn json_lines(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad json {l}: {e}")))
            .collect()
    }

    /// Objects of one `type` from JSON Lines output.
    pub fn of_type(&self, kind: &str) -> Vec<serde_json::Value> {
        self.json_lines()
            .into_iter()
            .filter(|v| v["type"] == kind)
            .collect()
    }
}

/// Run `callsearch` with arguments, from the crate root.
pub fn callsearch(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_callsearch"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .expect("binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// An index of the bundled `corpus/`, built once per test binary.
pub fn corpus_index() -> &'static str {
    static INDEX: OnceLock<(tempfile::TempDir, String)> = OnceLock::new();
    let (_, path) = INDEX.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("index").display().to_string();
        let run = callsearch(&["index", "corpus", "--index", &path, "--quiet"]);
        assert_eq!(run.code, 0, "indexing the corpus: {}", run.stderr);
        (dir, path)
    });
    path
}

/// `query` against the corpus index with `--json`, plus extra arguments.
pub fn query_json(query: &str, extra: &[&str]) -> Run {
    let mut args = vec!["query", query, "--index", corpus_index(), "--json"];
    args.extend_from_slice(extra);
    callsearch(&args)
}

/// Copy files into a fresh folder, returning it.
pub fn folder_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, bytes) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    dir
}

pub fn read(path: impl AsRef<Path>) -> Vec<u8> {
    std::fs::read(root().join(path)).expect("fixture exists")
}

/// Every file of the bundled corpus, sorted.
pub fn corpus_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(root().join("corpus"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

/// Index the bundled corpus into `index`, quietly, and return the run.
pub fn index_corpus(index: &Path, extra: &[&str]) -> Run {
    let mut args = vec![
        "index",
        "corpus",
        "--index",
        index.to_str().unwrap(),
        "--quiet",
    ];
    args.extend_from_slice(extra);
    callsearch(&args)
}

pub const SEED: &str = "corpus/seed/000_212fd11c8d4eaa27.txt";
