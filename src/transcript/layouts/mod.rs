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
use crate::transcript::tabular::{self, Call, Columns, Reading, Shape};

/// Files larger than this are not transcripts (the largest real call is under 1 MB):
/// the default of `--max-file-size`, applied to the file and to its decompressed bytes.
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
    /// Size and limit in bytes.
    #[error("file too large ({} MB, the limit is {} MB: see --max-file-size)", mb(*.0), mb(*.1))]
    TooLarge(u64, u64),
    /// Compressed data that decompresses to more than the limit (bytes).
    #[error("decompresses to more than {} MB, the limit (see --max-file-size)", mb(*.0))]
    Inflated(u64),
    /// Left out by the walk on purpose (symlink loop, special file, index folder).
    #[error("{0}")]
    LeftOut(String),
    /// A FIFO, device or socket: reading it could block or never end.
    #[error("not a regular file ({0})")]
    NotRegular(&'static str),
    #[error("not a transcript: no known layout matches")]
    UnknownLayout,
    #[error("event brief: a summary, not a verbatim call")]
    Brief,
    #[error("no speaker turns found")]
    NoTurns,
    /// A PDF whose text could not be had: damaged, encrypted, image-only, too costly.
    #[error("{0}")]
    Pdf(String),
    /// A dataset (CSV, JSON Lines, Parquet) that could not be read, or one of its rows.
    #[error("{0}")]
    Dataset(String),
    /// A table with no column a transcript text can be in (a skip: not calls).
    #[error("{0}")]
    NotCalls(String),
}

impl ParseError {
    /// Skips are files that are not calls; failures are calls we could not read.
    pub fn is_failure(&self) -> bool {
        matches!(
            self,
            ParseError::Unreadable(_)
                | ParseError::NoTurns
                | ParseError::TooLarge(..)
                | ParseError::Inflated(_)
                | ParseError::Pdf(_)
                | ParseError::Dataset(_)
        )
    }
}

/// Bytes as MB for messages: whole when whole, else one decimal.
fn mb(bytes: u64) -> String {
    if bytes.is_multiple_of(1 << 20) {
        (bytes >> 20).to_string()
    } else {
        format!("{:.1}", bytes as f64 / (1 << 20) as f64)
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
    parse_file_capped(path, MAX_FILE_BYTES)
}

/// [`parse_file`] with a size cap other than the default (`--max-file-size`).
pub fn parse_file_capped(path: &Path, max: u64) -> Result<Transcript, ParseError> {
    let bytes = read_limited(path, max)?;
    parse_detected(&bytes, path, max).1
}

/// Parse bytes already in memory (`path` only supplies file-name metadata).
pub fn parse_bytes(bytes: &[u8], path: &Path) -> Result<Transcript, ParseError> {
    parse_detected(bytes, path, MAX_FILE_BYTES).1
}

/// Parse bytes, also saying which layout claimed them (for `report`); decompressed
/// bytes are capped at `max`.
pub fn parse_detected(
    bytes: &[u8],
    path: &Path,
    max: u64,
) -> (Option<&'static str>, Result<Transcript, ParseError>) {
    parse_as(bytes, path, None, max)
}

/// Parse bytes with `forced` (`--layout`), or the layout detection picks; decompressed
/// bytes are capped at `max`.
pub fn parse_as(
    bytes: &[u8],
    path: &Path,
    forced: Option<&'static dyn Layout>,
    max: u64,
) -> (Option<&'static str>, Result<Transcript, ParseError>) {
    let prepared = match crate::transcript::container::prepare_capped(bytes, max) {
        Ok(p) => p,
        Err(e) => return (None, Err(e)),
    };
    let Some(layout) = forced.or_else(|| detect(&prepared.text)) else {
        return (None, Err(ParseError::UnknownLayout));
    };
    (Some(layout.name()), parse_with(layout, &prepared, path))
}

/// What one file gave: one call (and the layout that claimed it), or a dataset's calls.
// One value per file, moved once: boxing the transcript would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum FileParse {
    One(Option<&'static str>, Result<Transcript, ParseError>),
    Many(Shape, Result<Vec<Call>, ParseError>),
}

/// Read and parse the file at `path`: a dataset (CSV, JSON Lines, Parquet, found by
/// content) is read as a stream, call by call; any other file whole, at most `max`
/// bytes, with `forced` (`--layout`) or the layout detection picks.
pub fn parse_path(
    path: &Path,
    forced: Option<&'static dyn Layout>,
    columns: &Columns,
    max: u64,
) -> FileParse {
    match dataset_shape(path, columns) {
        Ok(Some(shape)) => {
            let how = Reading {
                layout: forced,
                columns,
                max,
            };
            return FileParse::Many(shape, tabular::read(path, shape, &how));
        }
        Ok(None) => {}
        Err(e) => return FileParse::One(None, Err(e)),
    }
    match read_limited(path, max) {
        Ok(bytes) => {
            let (layout, outcome) = parse_as(&bytes, path, forced, max);
            FileParse::One(layout, outcome)
        }
        Err(e) => FileParse::One(None, Err(e)),
    }
}

/// The dataset shape of a regular file, from its first bytes (gunzipped when gzip);
/// an error for a table without a text column.
fn dataset_shape(path: &Path, columns: &Columns) -> Result<Option<Shape>, ParseError> {
    use std::io::Read;
    let Ok(meta) = std::fs::metadata(path) else {
        return Ok(None);
    };
    if special_kind(&meta.file_type()).is_some() {
        return Ok(None);
    }
    let mut head = Vec::new();
    let Ok(file) = open_without_blocking(path) else {
        return Ok(None);
    };
    if file.take(64 * 1024).read_to_end(&mut head).is_err() {
        return Ok(None);
    }
    if head.starts_with(&[0x1f, 0x8b]) {
        let mut inflated = Vec::new();
        let reader = flate2::read::MultiGzDecoder::new(head.as_slice());
        // A cut-off stream still gives its first bytes, which is all a sniff needs.
        let _ = reader.take(64 * 1024).read_to_end(&mut inflated);
        head = inflated;
    }
    if let Some(shape) = tabular::sniff(&head, columns) {
        return Ok(Some(shape));
    }
    match tabular::table_problem(&head, columns) {
        Some(reason) => Err(ParseError::NotCalls(reason)),
        None => Ok(None),
    }
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

/// A regular file's bytes, at most `max` of them: FIFOs, devices and sockets are
/// refused before they are opened (they could block or never end), and a file that
/// grows past `max` while it is read is refused too.
pub fn read_limited(path: &Path, max: u64) -> Result<Vec<u8>, ParseError> {
    use std::io::Read;
    let unreadable = |e: std::io::Error| ParseError::Unreadable(io_reason(&e));
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    if let Some(kind) = special_kind(&meta.file_type()) {
        return Err(ParseError::NotRegular(kind));
    }
    if meta.len() > max {
        return Err(ParseError::TooLarge(meta.len(), max));
    }
    let file = open_without_blocking(path).map_err(unreadable)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > max {
        return Err(ParseError::TooLarge(bytes.len() as u64, max));
    }
    Ok(bytes)
}

/// What a path that is not a regular file or a folder is, for the skip reason.
pub fn special_kind(t: &std::fs::FileType) -> Option<&'static str> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a FIFO");
        }
        if t.is_char_device() || t.is_block_device() {
            return Some("a device");
        }
        if t.is_socket() {
            return Some("a socket");
        }
    }
    (!t.is_file()).then_some(if t.is_dir() { "a folder" } else { "not a file" })
}

/// Open for reading; on Unix with `O_NONBLOCK`, so a FIFO swapped in after the check
/// cannot hang the run (it has no effect on regular files).
fn open_without_blocking(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    options.open(path)
}

/// The first `max` bytes of `text`, cut at a character boundary.
pub fn head(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}
