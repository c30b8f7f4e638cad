//! Layouts: the trait each transcript layout implements, the registry, detection and errors.
//!
//! Adding a layout is one new file in `src/transcript/layouts/` implementing [`Layout`],
//! one line in [`LAYOUTS`], a fixture folder `tests/fixtures/<layout>/` and one
//! `layout_tests!` line in `tests/layouts.rs`.

pub mod generic;
pub mod motley_fool_html;
pub mod motley_fool_json;
pub mod seekingalpha;
pub mod streetevents_md;
pub mod streetevents_pdf;
pub mod streetevents_text;

use std::path::Path;

use crate::error::io_reason;
use crate::transcript::model::Transcript;

/// Files larger than this are not transcripts (the largest real call is under 1 MB).
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// One transcript layout.
pub trait Layout: Sync {
    /// Short stable name, e.g. `streetevents-text`.
    fn name(&self) -> &'static str;
    /// One line for `callsearch formats`.
    fn description(&self) -> &'static str;
    /// True when `text` is in this layout. Looks at content only.
    fn detect(&self, text: &str) -> bool;
    /// Parse the text; `path` may supply metadata the text lacks (ticker, title).
    fn parse(&self, text: &str, path: &Path) -> Result<Transcript, ParseError>;
}

impl std::fmt::Debug for dyn Layout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Every supported layout, most specific first.
pub static LAYOUTS: &[&dyn Layout] = &[
    &motley_fool_json::MotleyFoolJson,
    &motley_fool_html::MotleyFoolHtml,
    &streetevents_md::StreetEventsMd,
    &streetevents_text::StreetEventsText,
    &streetevents_pdf::StreetEventsPdf,
    &seekingalpha::SeekingAlpha,
    // Last: it claims only what no specific layout claims.
    &generic::Generic,
];

/// Why a file could not be turned into a transcript.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    #[error("cannot read: {0}")]
    Unreadable(String),
    #[error("empty file")]
    Empty,
    #[error("binary file, not a transcript")]
    Binary,
    #[error("file too large ({0} MB, limit {limit} MB)", limit = MAX_FILE_BYTES >> 20)]
    TooLarge(u64),
    #[error("not a transcript: no known layout matches")]
    UnknownLayout,
    #[error("event brief: a summary, not a verbatim call")]
    Brief,
    #[error("no speaker turns found")]
    NoTurns,
    /// A PDF whose text could not be had: damaged, encrypted, image-only, too costly.
    #[error("{0}")]
    Pdf(String),
}

impl ParseError {
    /// Skips are files that are not calls; failures are calls we could not read.
    pub fn is_failure(&self) -> bool {
        matches!(
            self,
            ParseError::Unreadable(_)
                | ParseError::NoTurns
                | ParseError::TooLarge(_)
                | ParseError::Pdf(_)
        )
    }
}

/// The layout that claims `text`, if any.
pub fn detect(text: &str) -> Option<&'static dyn Layout> {
    LAYOUTS.iter().copied().find(|l| l.detect(text))
}

/// Find a layout by name.
pub fn layout_named(name: &str) -> Option<&'static dyn Layout> {
    LAYOUTS.iter().copied().find(|l| l.name() == name)
}

/// Read, decode, detect and parse one file, then resolve its speakers.
pub fn parse_file(path: &Path) -> Result<Transcript, ParseError> {
    let bytes = read_limited(path)?;
    parse_bytes(&bytes, path)
}

/// Parse bytes already in memory (`path` only supplies file-name metadata).
pub fn parse_bytes(bytes: &[u8], path: &Path) -> Result<Transcript, ParseError> {
    parse_detected(bytes, path).1
}

/// Parse bytes, also saying which layout claimed them (for `report`).
pub fn parse_detected(
    bytes: &[u8],
    path: &Path,
) -> (Option<&'static str>, Result<Transcript, ParseError>) {
    parse_as(bytes, path, None)
}

/// Parse bytes with `forced` (`--layout`), or the layout detection picks.
pub fn parse_as(
    bytes: &[u8],
    path: &Path,
    forced: Option<&'static dyn Layout>,
) -> (Option<&'static str>, Result<Transcript, ParseError>) {
    let prepared = match crate::transcript::container::prepare(bytes) {
        Ok(p) => p,
        Err(e) => return (None, Err(e)),
    };
    let Some(layout) = forced.or_else(|| detect(&prepared.text)) else {
        return (None, Err(ParseError::UnknownLayout));
    };
    (Some(layout.name()), parse_with(layout, &prepared, path))
}

/// The layout `--layout NAME` names, or an error listing the known names.
pub fn layout_arg(name: Option<&str>) -> Result<Option<&'static dyn Layout>, String> {
    let Some(name) = name else {
        return Ok(None);
    };
    layout_named(name).map(Some).ok_or_else(|| {
        let known: Vec<&str> = LAYOUTS.iter().map(|l| l.name()).collect();
        format!(
            "--layout {name}: unknown layout (known: {})",
            known.join(", ")
        )
    })
}

fn parse_with(
    layout: &dyn Layout,
    prepared: &crate::transcript::container::Prepared,
    path: &Path,
) -> Result<Transcript, ParseError> {
    let mut transcript = layout.parse(&prepared.text, path)?;
    transcript.container = prepared.container.map(str::to_string);
    transcript.extractor = prepared.extractor.clone();
    if transcript.turns.is_empty() {
        return Err(ParseError::NoTurns);
    }
    crate::transcript::roles::resolve(&mut transcript);
    Ok(transcript)
}

/// A file's bytes, refusing files over the size limit.
pub fn read_limited(path: &Path) -> Result<Vec<u8>, ParseError> {
    let meta = std::fs::metadata(path).map_err(|e| ParseError::Unreadable(io_reason(&e)))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(ParseError::TooLarge(meta.len() >> 20));
    }
    std::fs::read(path).map_err(|e| ParseError::Unreadable(io_reason(&e)))
}

/// The first `max` bytes of `text`, cut at a character boundary.
pub fn head(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}
