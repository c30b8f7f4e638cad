//! One set of tests per layout, from one macro: every `tests/fixtures/<layout>/<name>` (any file but a golden) is
//! detected as that layout and by no other, parses without panic when cut after any line,
//! and parses to `<name>.expected.json`.
//! Refresh the golden files with `UPDATE_GOLDEN=1 cargo test --release --test integration golden::` and review the diff.
//!
//! Adding a layout to `LAYOUTS` without a line in `layout_tests!` below fails
//! `every_layout_has_its_tests`; a fixture folder not named after a layout fails
//! `every_fixture_folder_names_a_layout`.

use std::path::{Path, PathBuf};

/// Every call into the library, in one place.
mod api {
    use std::panic::{AssertUnwindSafe, catch_unwind};
    use std::path::Path;

    use callsearch::transcript::{self, LAYOUTS, Layout};

    /// The names of `LAYOUTS`, in their order (most specific first).
    pub fn names() -> Vec<&'static str> {
        LAYOUTS.iter().map(|l| l.name()).collect()
    }

    fn layout(name: &str) -> &'static dyn Layout {
        LAYOUTS
            .iter()
            .copied()
            .find(|l| l.name() == name)
            .unwrap_or_else(|| panic!("no layout named {name} in LAYOUTS"))
    }

    /// Bytes as the layouts see them: unwrapped (gzip), decoded, one line ending.
    pub fn text(bytes: &[u8]) -> String {
        transcript::container::prepare(bytes)
            .map(|p| p.text)
            .unwrap_or_default()
    }

    /// The layout detection picks for `text`.
    pub fn detected(text: &str) -> Option<&'static str> {
        transcript::detect(text).map(|l| l.name())
    }

    /// Every layout whose `detect` is true for `text`, not only the first.
    pub fn claimants(text: &str) -> Vec<&'static str> {
        LAYOUTS
            .iter()
            .filter(|l| l.detect(text))
            .map(|l| l.name())
            .collect()
    }

    /// Parse `bytes` the way the indexer does (and make passages), and with layout `name`
    /// directly when detection picks another; `Err` with the panic message if anything panics.
    pub fn parse_catching_panics(name: &str, bytes: &[u8], path: &Path) -> Result<(), String> {
        catch_unwind(AssertUnwindSafe(|| {
            let text = text(bytes);
            let _ = claimants(&text);
            if detected(&text) != Some(name) {
                let _ = layout(name).parse(&text, path);
            }
            if let Ok(t) = transcript::parse_bytes(bytes, path) {
                let _ = callsearch::transcript::passages::passages(&t, &path.display().to_string());
            }
        }))
        .map_err(|e| {
            e.downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "panic".to_string())
        })
    }

    /// What the golden file holds for one fixture: the transcript, or the error it gives.
    pub fn render(path: &Path) -> String {
        let value = match transcript::parse_file(path) {
            Ok(t) => serde_json::to_value(&t).expect("transcript serialises"),
            Err(e) => serde_json::json!({ "error": e.to_string() }),
        };
        serde_json::to_string_pretty(&value).expect("json") + "\n"
    }
}

fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The fixtures of one layout (every file but the golden files), sorted.
fn fixtures(layout: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixtures_root().join(layout))
        .map(|dir| dir.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.is_file() && !p.to_string_lossy().ends_with(".expected.json"));
    files.sort();
    files
}

fn text_of(file: &Path) -> String {
    api::text(&std::fs::read(file).expect("fixture readable"))
}

fn has_fixtures(layout: &str) {
    let files = fixtures(layout);
    assert!(
        !files.is_empty(),
        "no fixtures in tests/fixtures/{layout}/: add at least one .txt and its .expected.json"
    );
}

fn detected_as(layout: &str) {
    for file in fixtures(layout) {
        let detected = api::detected(&text_of(&file));
        assert_eq!(detected, Some(layout), "{}", file.display());
    }
}

/// The layout that takes what no specific layout claims; it may claim their fixtures too.
const FALLBACK: &str = "generic";

fn claimed_by_no_other_layout(layout: &str) {
    for file in fixtures(layout) {
        let mut claimants = api::claimants(&text_of(&file));
        if layout != FALLBACK {
            claimants.retain(|l| *l != FALLBACK);
        }
        assert_eq!(
            claimants,
            [layout],
            "layouts whose detect() is true for {} (LAYOUTS order)",
            file.display()
        );
    }
}

/// Text fixtures are cut after every line; binary ones (PDF) at 16 offsets, since
/// each cut of a PDF runs the extraction child.
fn every_prefix_parses_without_panic(layout: &str) {
    for file in fixtures(layout) {
        let bytes = std::fs::read(&file).unwrap();
        let name = file.file_name().unwrap();
        for (i, end) in cut_points(&bytes).into_iter().enumerate() {
            if let Err(why) = api::parse_catching_panics(layout, &bytes[..end], Path::new(name)) {
                panic!(
                    "{} cut number {} ({end} bytes) panics: {why}",
                    file.display(),
                    i + 1
                );
            }
        }
    }
}

/// Where to cut a fixture: after each line of text, or at 16 spread offsets of a binary.
fn cut_points(bytes: &[u8]) -> Vec<usize> {
    if bytes.starts_with(b"%PDF") {
        return (1..=16).map(|k| bytes.len() * k / 17).collect();
    }
    let mut end = 0;
    (bytes.split_inclusive(|&b| b == b'\n'))
        .map(|line| {
            end += line.len();
            end
        })
        .collect()
}

fn matches_golden_files(layout: &str) {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut mismatches = Vec::new();
    for file in fixtures(layout) {
        let golden = file.with_extension("expected.json");
        let actual = api::render(&file);
        if update {
            std::fs::write(&golden, &actual).expect("write golden");
            continue;
        }
        let expected = std::fs::read_to_string(&golden).unwrap_or_default();
        if expected != actual {
            mismatches.push(file.display().to_string());
        }
    }
    assert!(
        mismatches.is_empty(),
        "golden mismatch (rerun with UPDATE_GOLDEN=1 and review the diff): {mismatches:#?}"
    );
}

/// `module: "layout-name"` for each layout: a module of tests for that layout, and
/// `TESTED`, the names covered.
macro_rules! layout_tests {
    ($($module:ident: $name:literal),* $(,)?) => {
        $(
            mod $module {
                #[test]
                fn has_fixtures() {
                    super::has_fixtures($name);
                }

                #[test]
                fn fixtures_are_detected_as_this_layout() {
                    super::detected_as($name);
                }

                #[test]
                fn no_other_layout_claims_the_fixtures() {
                    super::claimed_by_no_other_layout($name);
                }

                #[test]
                fn fixtures_cut_after_any_line_parse_without_panic() {
                    super::every_prefix_parses_without_panic($name);
                }

                #[test]
                fn fixtures_match_their_golden_files() {
                    super::matches_golden_files($name);
                }
            }
        )*

        const TESTED: &[&str] = &[$($name),*];
    };
}

layout_tests! {
    streetevents_md: "streetevents-md",
    streetevents_text: "streetevents-text",
    streetevents_pdf: "streetevents-pdf",
    seekingalpha: "seekingalpha",
    motley_fool_json: "motley-fool-json",
    motley_fool_html: "motley-fool-html",
    generic: "generic",
}

#[test]
fn every_layout_has_its_tests() {
    let mut layouts = api::names();
    let mut tested = TESTED.to_vec();
    layouts.sort();
    tested.sort();
    assert_eq!(
        tested, layouts,
        "add a line to layout_tests! in tests/golden.rs for each layout in LAYOUTS"
    );
}

/// Datasets (`tests/fixtures/tabular/`): CSV, JSON Lines and Parquet files holding many
/// calls. Not a layout (their calls are read by the layouts, or as Capital IQ
/// components), so they have their own tests here: goldens, and no panic on any cut.
mod datasets {
    use std::panic::{AssertUnwindSafe, catch_unwind};
    use std::path::{Path, PathBuf};

    use callsearch::transcript::layouts::{FileParse, MAX_FILE_BYTES, parse_path};
    use callsearch::transcript::tabular::Columns;

    pub const FOLDER: &str = "tabular";

    fn files() -> Vec<PathBuf> {
        super::fixtures(FOLDER)
    }

    /// The golden form of a file: its calls in order, each `{part, ...transcript}` or
    /// `{part, error}`, or `{error}` for a file that is not a readable dataset.
    fn render(path: &Path) -> String {
        let value = match parse_path(path, None, &Columns::default(), MAX_FILE_BYTES) {
            FileParse::Many(shape, Ok(calls)) => {
                let calls: Vec<serde_json::Value> = (calls.into_iter())
                    .map(|c| match c.outcome {
                        Ok(t) => serde_json::to_value(&t).unwrap(),
                        Err(e) => serde_json::json!({"part": c.part, "error": e.to_string()}),
                    })
                    .collect();
                serde_json::json!({"container": shape.container(), "calls": calls})
            }
            FileParse::Many(_, Err(e)) | FileParse::One(_, Err(e)) => {
                serde_json::json!({"error": e.to_string()})
            }
            FileParse::One(layout, Ok(_)) => {
                serde_json::json!({"error": format!("read as one call ({layout:?})")})
            }
        };
        serde_json::to_string_pretty(&value).unwrap() + "\n"
    }

    #[test]
    fn has_fixtures_of_each_container() {
        let names: Vec<String> = files().iter().map(|f| f.display().to_string()).collect();
        for ext in [".csv", ".jsonl", ".parquet"] {
            assert!(
                names.iter().any(|n| n.ends_with(ext)),
                "no {ext} fixture in {names:?}"
            );
        }
    }

    #[test]
    fn fixtures_match_their_golden_files() {
        let update = std::env::var_os("UPDATE_GOLDEN").is_some();
        let mut mismatches = Vec::new();
        for file in files() {
            // `components.parquet.expected.json`: the same name in two containers.
            let mut golden = file.clone().into_os_string();
            golden.push(".expected.json");
            let golden = PathBuf::from(golden);
            let actual = render(&file);
            if update {
                std::fs::write(&golden, &actual).unwrap();
            } else if std::fs::read_to_string(&golden).unwrap_or_default() != actual {
                mismatches.push(file.display().to_string());
            }
        }
        assert!(
            mismatches.is_empty(),
            "golden mismatch (UPDATE_GOLDEN=1): {mismatches:#?}"
        );
    }

    /// Text datasets cut after every line and at 16 offsets, Parquet at 16 offsets (each
    /// cut of a Parquet file runs the reading child): no panic, whatever the cut.
    #[test]
    fn fixtures_cut_anywhere_parse_without_panic() {
        let dir = tempfile::tempdir().unwrap();
        for file in files() {
            let bytes = std::fs::read(&file).unwrap();
            let mut cuts: Vec<usize> = (1..=16).map(|k| bytes.len() * k / 17).collect();
            if !bytes.starts_with(b"PAR1") {
                cuts.extend(super::cut_points(&bytes));
            }
            let cut_file = dir.path().join(file.file_name().unwrap());
            for end in cuts {
                std::fs::write(&cut_file, &bytes[..end]).unwrap();
                let outcome = catch_unwind(AssertUnwindSafe(|| {
                    let _ = render(&cut_file);
                }));
                assert!(
                    outcome.is_ok(),
                    "{} cut at {end} bytes panics",
                    file.display()
                );
            }
        }
    }
}

#[test]
fn every_fixture_folder_names_a_layout() {
    let mut layouts = api::names();
    layouts.push(datasets::FOLDER);
    for entry in std::fs::read_dir(fixtures_root()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        assert!(
            path.is_dir() && layouts.contains(&name.as_str()),
            "tests/fixtures/{name} is not a folder named after a layout in {layouts:?}"
        );
    }
}
