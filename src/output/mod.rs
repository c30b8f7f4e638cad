//! Printers, as siblings behind one interface: [`human`] for terminals and pipes,
//! [`json`] for programs. They see model passages and results, never the index.

pub mod csv;
pub mod human;
pub mod json;
pub mod parquet;
pub mod progress;
pub mod trend;
pub mod wire;

use std::collections::BTreeMap;
use std::io::Write;

use crate::config::{HitView, OutputFormat};
use crate::error::Error;
use crate::index::IndexReport;
use crate::search::{HitStream, SearchResult};
use crate::transcript::audit::LayoutStats;
use crate::transcript::merges::Merges;
use crate::transcript::model::Transcript;

/// What every output format can print.
pub trait Printer {
    /// A query's hits as they are loaded, then its facets and summary: what `query`
    /// prints, in memory that does not grow with the number of hits.
    fn search_stream(
        &mut self,
        r: &SearchResult,
        hits: &mut HitStream,
        view: HitView,
    ) -> Result<(), Error>;
    /// What an index run did.
    fn index_report(&mut self, r: &IndexReport) -> std::io::Result<()>;
    /// One parsed file.
    fn transcript(&mut self, t: &Transcript) -> std::io::Result<()>;
    /// Per-layout figures and the merges from `report`.
    fn layout_report(
        &mut self,
        stats: &BTreeMap<String, LayoutStats>,
        merges: &Merges,
    ) -> std::io::Result<()>;
}

/// The printer for a format, writing to `out`.
pub fn printer<'a>(format: OutputFormat, out: &'a mut dyn Write) -> Box<dyn Printer + 'a> {
    match format {
        OutputFormat::Human { color } => Box::new(human::Human::new(out, color)),
        OutputFormat::Json => Box::new(json::Json { out }),
    }
}
