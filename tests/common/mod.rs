//! A small harness for end-to-end tests: run the binary, read its output, share one
//! index of the bundled corpus between tests.
//!
//! Every [`Run`] remembers its command line, so a failed check can show what was run and
//! what came back: use [`Run::success`], [`Run::assert_code`], [`Run::no_hits`],
//! [`Run::hits`] and [`Run::check`] rather than bare `assert!`s on the fields.

#![allow(dead_code)]

use std::fmt::Display;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

/// How much of stdout and stderr a failure message shows.
const SHOW_BYTES: usize = 4096;

/// What one run of the binary printed and returned.
pub struct Run {
    /// The arguments after the program name.
    pub args: Vec<String>,
    /// What ran before the binary, if anything (e.g. `setpriv --reuid=65534 ...`).
    pub prefix: Vec<String>,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The command line, quoted so it can be pasted into a shell (run from the crate root).
    pub fn command_line(&self) -> String {
        self.prefix
            .iter()
            .map(String::as_str)
            .chain(std::iter::once("callsearch"))
            .chain(self.args.iter().map(String::as_str))
            .map(shell_quote)
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The command, its exit code, stdout and stderr (each cut to a few KB).
    pub fn describe(&self) -> String {
        format!(
            "command: {}\nexit code: {}\n--- stdout ---\n{}\n--- stderr ---\n{}\n--------------",
            self.command_line(),
            self.code,
            truncate(&self.stdout),
            truncate(&self.stderr)
        )
    }

    /// Panic with `why` and the description of this run.
    #[track_caller]
    pub fn fail(&self, why: impl Display) -> ! {
        panic!("{why}\n{}", self.describe())
    }

    /// Fail unless `ok`, saying `why`.
    #[track_caller]
    pub fn check(&self, ok: bool, why: impl Display) -> &Self {
        if !ok {
            self.fail(why);
        }
        self
    }

    /// Fail unless the exit code is `code`.
    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Self {
        self.check(
            self.code == code,
            format!("expected exit code {code}, got {}", self.code),
        )
    }

    /// Fail unless the exit code is 0.
    #[track_caller]
    pub fn success(&self) -> &Self {
        self.assert_code(0)
    }

    /// Fail unless the query found nothing: exit code 1, no `hit` objects, and (with
    /// `--json`) a summary of zero total hits.
    #[track_caller]
    pub fn no_hits(&self) -> &Self {
        self.assert_code(1);
        if self.stdout.trim_start().starts_with('{') {
            self.check(self.of_type("hit").is_empty(), "expected no hits");
            self.check(self.total() == 0, "expected total_hits 0");
        }
        self
    }

    /// The `hit` objects of a `--json` query, after checking that the exit code is 0 and
    /// at least one hit came back.
    #[track_caller]
    pub fn hits(&self) -> Vec<Value> {
        self.success();
        let hits = self.of_type("hit");
        self.check(!hits.is_empty(), "expected at least one hit");
        hits
    }

    /// `total_hits` from the summary of a `--json` query (exit code 0 or 1).
    #[track_caller]
    pub fn total(&self) -> u64 {
        self.check(self.code <= 1, format!("exit code {}", self.code));
        let summary = self.of_type("summary");
        self.check(summary.len() == 1, "expected one summary object");
        summary[0]["total_hits"]
            .as_u64()
            .unwrap_or_else(|| self.fail("summary without total_hits"))
    }

    /// The one JSON object `index --json` or `report --json` prints, after checking that
    /// the exit code is `code`.
    #[track_caller]
    pub fn report(&self, code: i32) -> Value {
        self.assert_code(code);
        let lines = self.json_lines();
        self.check(lines.len() == 1, "expected one JSON object");
        lines.into_iter().next().unwrap()
    }

    /// The JSON Lines of stdout, parsed.
    #[track_caller]
    pub fn json_lines(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|l| {
                serde_json::from_str(l).unwrap_or_else(|e| self.fail(format!("bad json {l}: {e}")))
            })
            .collect()
    }

    /// Objects of one `type` from JSON Lines output.
    #[track_caller]
    pub fn of_type(&self, kind: &str) -> Vec<Value> {
        self.json_lines()
            .into_iter()
            .filter(|v| v["type"] == kind)
            .collect()
    }
}

fn truncate(s: &str) -> String {
    if s.len() <= SHOW_BYTES {
        return s.to_string();
    }
    let mut end = SHOW_BYTES;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}\n[... {} more bytes]", &s[..end], s.len() - end)
}

fn shell_quote(s: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./=:,@%+".contains(c);
    if !s.is_empty() && s.chars().all(plain) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// Run `callsearch` with arguments, from the crate root.
pub fn callsearch(args: &[&str]) -> Run {
    run(Command::new(bin()), &[], args)
}

/// Run `callsearch` as user and group 65534 (nobody) with no supplementary groups, through
/// `setpriv`; `None` when `setpriv` is not installed.
pub fn callsearch_as_nobody(args: &[&str]) -> Option<Run> {
    let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"]
        .into_iter()
        .find(|p| Path::new(p).exists())?;
    let prefix = [
        setpriv,
        "--reuid=65534",
        "--regid=65534",
        "--clear-groups",
        "--",
    ];
    let mut cmd = Command::new(setpriv);
    cmd.args(&prefix[1..]).arg(bin_for_anyone());
    // The checkout may sit in a folder only root can enter.
    cmd.current_dir("/");
    Some(run(cmd, &prefix, args))
}

/// A copy of the binary that any user can run, wherever the checkout is.
fn bin_for_anyone() -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    static COPY: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = COPY.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let open = std::fs::Permissions::from_mode(0o755);
        std::fs::set_permissions(dir.path(), open.clone()).expect("chmod temp dir");
        let path = dir.path().join("callsearch");
        std::fs::copy(bin(), &path).expect("copy the binary");
        std::fs::set_permissions(&path, open).expect("chmod binary");
        (dir, path)
    });
    path.clone()
}

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_callsearch")
}

fn run(mut cmd: Command, prefix: &[&str], args: &[&str]) -> Run {
    let out = cmd
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .expect("binary runs");
    Run {
        args: args.iter().map(|a| a.to_string()).collect(),
        prefix: prefix.iter().map(|a| a.to_string()).collect(),
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
        callsearch(&["index", "corpus", "--index", &path, "--quiet"]).success();
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

/// The folder of an index's current generation (its tantivy files and manifest).
pub fn current_files(index: &Path) -> PathBuf {
    let marker: Value =
        serde_json::from_slice(&std::fs::read(index.join("callsearch.json")).unwrap()).unwrap();
    match marker["generation"].as_str() {
        Some(g) => index.join(g),
        None => index.to_path_buf(),
    }
}

/// True when the index has a commit readers can see.
pub fn committed(index: &Path) -> bool {
    index.join("callsearch.json").exists() && current_files(index).join("meta.json").exists()
}

/// The generation folders of an index.
pub fn generations(index: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(index)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("gen-"))
        .collect();
    out.sort();
    out
}

/// The day a hit sorts by in date order: its date, else where its fiscal period puts
/// it (four weeks after the period ends: `Q3 2022` as 2022-10-28, `FY 2022` as
/// 2023-01-28), else `0000` (last).
pub fn browse_day(h: &Value) -> String {
    match (h["date"].as_str(), h["fiscal_period"].as_str()) {
        (Some(d), _) => d.to_string(),
        (None, Some(p)) => {
            let (label, year) = p.split_once(' ').expect("a period is `LABEL YEAR`");
            let year: i32 = year.parse().expect("a period's year");
            match label {
                "Q1" => format!("{year}-04-28"),
                "Q2" | "H1" => format!("{year}-07-28"),
                "Q3" => format!("{year}-10-28"),
                _ => format!("{}-01-28", year + 1),
            }
        }
        (None, None) => "0000".to_string(),
    }
}
