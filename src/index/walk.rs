//! The one walker: every regular file under the inputs, sorted, with the entries that
//! could not be walked (unreadable folders) and those left out on purpose (symlink
//! loops, FIFOs, devices, sockets, index folders) named, for `index` and `report`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::error::{Error, io_reason};

/// What a walk found.
#[derive(Debug, Default)]
pub struct Walk {
    /// Every file, sorted and without repeats.
    pub files: Vec<PathBuf>,
    /// Entries that could not be walked: path and reason.
    pub errors: Vec<(String, String)>,
    /// Entries left out on purpose: path and reason.
    pub skipped: Vec<(String, String)>,
}

/// Why a folder found while walking is not walked: it is an index (ours or tantivy's),
/// whose files are not transcripts.
fn index_folder(dir: &Path) -> Option<&'static str> {
    let has = |name: &str| dir.join(name).exists();
    (has(crate::index::store::MARKER_FILE)
        || has(crate::index::manifest::MANIFEST_FILE)
        || (has("meta.json") && has(".managed.json")))
    .then_some("an index folder, not walked")
}

/// Walk every input (a file or a folder), following symlinks.
pub fn walk(inputs: &[PathBuf]) -> Result<Walk, Error> {
    let mut files = BTreeSet::new();
    let (mut errors, mut skipped) = (Vec::new(), Vec::new());
    let mut index_dirs = Vec::new();
    for input in inputs {
        if !input.exists() {
            return Err(Error::Input(format!(
                "{}: no such file or folder",
                crate::names::escaped(input)
            )));
        }
        let entries = walkdir::WalkDir::new(input)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                let why = e
                    .file_type()
                    .is_dir()
                    .then(|| index_folder(e.path()))
                    .flatten();
                if let Some(why) = why {
                    index_dirs.push((crate::names::escaped(e.path()), why.to_string()));
                }
                why.is_none()
            });
        for entry in entries {
            match entry {
                Ok(e) if e.file_type().is_file() => {
                    files.insert(e.into_path());
                }
                Ok(e) if e.file_type().is_dir() => {}
                Ok(e) => {
                    let kind = crate::transcript::layouts::special_kind(&e.file_type());
                    let why = format!("not a regular file ({})", kind.unwrap_or("unknown"));
                    skipped.push((crate::names::escaped(e.path()), why));
                }
                Err(err) if err.loop_ancestor().is_some() => {
                    skipped.push((error_path(&err, input), reason(&err)))
                }
                Err(err) => errors.push((error_path(&err, input), reason(&err))),
            }
        }
        skipped.append(&mut index_dirs);
    }
    Ok(Walk {
        files: files.into_iter().collect(),
        errors,
        skipped,
    })
}

fn error_path(err: &walkdir::Error, input: &Path) -> String {
    crate::names::escaped(err.path().unwrap_or(input))
}

fn reason(err: &walkdir::Error) -> String {
    if err.loop_ancestor().is_some() {
        return "symlink loop".to_string();
    }
    match err.io_error() {
        Some(io) => io_reason(io),
        None => "cannot read".to_string(),
    }
}

/// A path as text: the key of the manifest and the `source` of its passages.
pub fn path_string(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}
