//! Golden files: every `tests/fixtures/<layout>/<name>.txt` parses to `<name>.expected.json`.
//! Refresh with `UPDATE_GOLDEN=1 cargo test --test golden` and review the diff.

use std::path::{Path, PathBuf};

fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&root)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
}

/// What the golden file holds for one fixture: the transcript, or the error it gives.
fn render(path: &Path) -> String {
    let value = match callsearch::transcript::parse_file(path) {
        Ok(t) => serde_json::to_value(&t).expect("transcript serialises"),
        Err(e) => serde_json::json!({ "error": e.to_string() }),
    };
    serde_json::to_string_pretty(&value).expect("json") + "\n"
}

#[test]
fn every_fixture_matches_its_golden_file() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let files = fixtures();
    assert!(files.len() >= 4, "fixtures missing");
    let mut mismatches = Vec::new();
    for file in &files {
        let golden = file.with_extension("expected.json");
        let actual = render(file);
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

#[test]
fn every_fixture_is_detected_as_the_layout_its_folder_names() {
    for file in fixtures() {
        let layout = file
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_str()
            .unwrap();
        if layout == "bad" {
            continue;
        }
        let bytes = std::fs::read(&file).unwrap();
        let text = callsearch::transcript::text::decode(&bytes).replace("\r\n", "\n");
        let detected = callsearch::transcript::detect(&text).map(|l| l.name());
        assert_eq!(detected, Some(layout), "{}", file.display());
    }
}
