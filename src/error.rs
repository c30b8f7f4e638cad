//! Errors users see: one lowercase line each, mapped to exit code 2.

/// A failure that stops a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A bad argument or input path.
    #[error("{0}")]
    Input(String),
    /// The index folder is missing, locked, damaged or of another version.
    #[error("{0}")]
    Index(String),
    /// The query string does not parse.
    #[error("invalid query: {0}")]
    Query(String),
    /// Ctrl-C during `index`: the run stopped before its commit (exit 130).
    #[error("{0}")]
    Interrupted(String),
    /// tantivy failed while reading or writing the index.
    #[error("index error: {}", lowercase_first(&.0.to_string()))]
    Engine(#[from] tantivy::TantivyError),
    /// Output could not be written (`what` is `output` or `export`).
    #[error("cannot write {what}: {}", io_reason(.source))]
    Write {
        what: &'static str,
        source: std::io::Error,
    },
    /// A file named by the user could not be written (`export --out`).
    #[error("cannot write {path}: {}", io_reason(.source))]
    WriteFile {
        path: String,
        source: std::io::Error,
    },
}

impl From<tantivy::directory::error::OpenReadError> for Error {
    fn from(e: tantivy::directory::error::OpenReadError) -> Self {
        Error::Engine(e.into())
    }
}

impl Error {
    /// Stdout was written to a reader that went away (`callsearch query x | head`).
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Write { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

/// A failed write to stdout.
pub fn output(source: std::io::Error) -> Error {
    Error::Write {
        what: "output",
        source,
    }
}

/// Lowercase the first letter and drop a trailing period, per our message style.
pub fn lowercase_first(s: &str) -> String {
    let s = s.trim().trim_end_matches('.');
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// An io error as a short lowercase reason.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        _ => {
            let s = e.to_string();
            let s = s.split(" (os error").next().unwrap_or(&s);
            s.to_lowercase()
        }
    }
}
