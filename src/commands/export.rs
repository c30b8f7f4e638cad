//! `callsearch export`: stream every passage as NDJSON or an OpenSearch bulk body,
//! in a stable order, for engines that take over when one machine is not enough.

use std::io::Write;

use crate::commands::EXIT_OK;
use crate::config::{ExportFormat, ExportPlan};
use crate::error::{Error, io_reason};
use crate::output::wire::{BulkAction, BulkTarget, ExportOut};
use crate::search::stored::Scan;

/// Index name used in OpenSearch bulk action lines.
pub const OPENSEARCH_INDEX: &str = "callsearch";

pub fn run(plan: &ExportPlan, stdout: &mut dyn Write) -> Result<u8, Error> {
    let n = match &plan.out {
        Some(path) => {
            let file = std::fs::File::create(path)
                .map_err(|e| Error::Input(format!("{}: {}", path.display(), io_reason(&e))))?;
            write_all(plan, &mut std::io::BufWriter::new(file))?
        }
        None => write_all(plan, stdout)?,
    };
    if plan.out.is_some() {
        eprintln!("exported {n} passages");
    }
    Ok(EXIT_OK)
}

/// Write every live passage of the index, ordered by call, turn, paragraph.
/// Returns the number of passages written.
fn write_all(plan: &ExportPlan, out: &mut dyn Write) -> Result<u64, Error> {
    let scan = Scan::open(&plan.index_dir)?;
    let fail = |source| Error::Write {
        what: "export",
        source,
    };
    for p in scan.passages() {
        let p = p?;
        if plan.format == ExportFormat::OpensearchBulk {
            let target = BulkTarget {
                _index: OPENSEARCH_INDEX,
                _id: &p.passage_id,
            };
            line(out, &BulkAction { index: target }).map_err(fail)?;
        }
        line(out, &ExportOut::new(&p)).map_err(fail)?;
    }
    out.flush().map_err(fail)?;
    Ok(scan.len() as u64)
}

fn line<T: serde::Serialize>(out: &mut dyn Write, value: &T) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    writeln!(out)
}
