//! The one walker: every file under the inputs, sorted, with the entries that could
//! not be walked (symlink loops, unreadable folders) named, for `index` and `report`.

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
}

/// Walk every input (a file or a folder), following symlinks.
pub fn walk(inputs: &[PathBuf]) -> Result<Walk, Error> {
    let mut files = BTreeSet::new();
    let mut errors = Vec::new();
    for input in inputs {
        if !input.exists() {
            return Err(Error::Input(format!(
                "{}: no such file or folder",
                input.display()
            )));
        }
        for entry in walkdir::WalkDir::new(input)
            .follow_links(true)
            .sort_by_file_name()
        {
            match entry {
                Ok(e) if e.file_type().is_file() => {
                    files.insert(e.into_path());
                }
                Ok(_) => {}
                Err(err) => errors.push((error_path(&err, input), reason(&err))),
            }
        }
    }
    Ok(Walk {
        files: files.into_iter().collect(),
        errors,
    })
}

fn error_path(err: &walkdir::Error, input: &Path) -> String {
    path_string(err.path().unwrap_or(input))
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
