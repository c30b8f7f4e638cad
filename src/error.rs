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
    #[error("index error: {0}")]
    Tantivy(String),
    #[error("{0}")]
    Io(String),
}

impl From<tantivy::TantivyError> for Error {
    fn from(e: tantivy::TantivyError) -> Self {
        Error::Tantivy(lowercase_first(&e.to_string()))
    }
}

impl From<tantivy::directory::error::OpenReadError> for Error {
    fn from(e: tantivy::directory::error::OpenReadError) -> Self {
        Error::Tantivy(lowercase_first(&e.to_string()))
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
