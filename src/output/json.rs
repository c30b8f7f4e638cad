//! The JSON printer: JSON Lines of wire messages for queries, one object otherwise.

use std::collections::BTreeMap;
use std::io::Write;

use crate::config::HitView;
use crate::error::{Error, output};
use crate::index::IndexReport;
use crate::output::Printer;
use crate::output::wire::{FacetOut, HitOut, IndexOut, Message, ReportOut, SummaryOut};
use crate::search::{HitStream, SearchResult};
use crate::transcript::audit::LayoutStats;
use crate::transcript::merges::Merges;
use crate::transcript::model::Transcript;

/// Writes JSON to `out`.
pub struct Json<'a> {
    pub out: &'a mut dyn Write,
}

impl Json<'_> {
    fn line(&mut self, m: &Message) -> std::io::Result<()> {
        serde_json::to_writer(&mut *self.out, m)?;
        writeln!(self.out)
    }

    fn pretty<T: serde::Serialize>(&mut self, value: &T) -> std::io::Result<()> {
        serde_json::to_writer_pretty(&mut *self.out, value)?;
        writeln!(self.out)
    }
}

impl Printer for Json<'_> {
    /// One `hit` object per hit, written as soon as it is loaded, one `facet` object per
    /// facet, then a `summary`.
    fn search_stream(
        &mut self,
        r: &SearchResult,
        hits: &mut HitStream,
        view: HitView,
    ) -> Result<(), Error> {
        let mut returned = 0;
        for hit in hits {
            let hit = hit?;
            let out = HitOut::new(&hit, view.with_question, view.with_context);
            self.line(&Message::Hit(out)).map_err(output)?;
            returned += 1;
        }
        self.tail(r, returned).map_err(output)
    }

    fn index_report(&mut self, r: &IndexReport) -> std::io::Result<()> {
        self.line(&Message::Index(IndexOut::new(r)))
    }

    /// JSON Lines: one compact object per call (a dataset file holds many).
    fn transcript(&mut self, t: &Transcript) -> std::io::Result<()> {
        serde_json::to_writer(&mut *self.out, t)?;
        writeln!(self.out)
    }

    fn layout_report(
        &mut self,
        stats: &BTreeMap<String, LayoutStats>,
        merges: &Merges,
    ) -> std::io::Result<()> {
        self.pretty(&ReportOut {
            layouts: stats,
            merges,
        })
    }
}

impl Json<'_> {
    /// After the hits: one `facet` object per facet, then the `summary`.
    fn tail(&mut self, r: &SearchResult, returned: usize) -> std::io::Result<()> {
        for f in &r.facets {
            self.line(&Message::Facet(FacetOut::new(f)))?;
        }
        self.line(&Message::Summary(SummaryOut::new(r, returned)))
    }
}
