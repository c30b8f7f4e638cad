//! `callsearch index`: build or update the index, then print what the run did.

use std::io::Write;

use crate::commands::{EXIT_NONE, EXIT_OK};
use crate::config::IndexPlan;
use crate::error::{Error, output};
use crate::output::printer;
use crate::output::progress::Progress;

pub fn run(plan: &IndexPlan, out: &mut dyn Write) -> Result<u8, Error> {
    crate::index::interrupt::install();
    let bar = Progress::new(plan.progress);
    let report = crate::index::run(plan, &|p| bar.update(p))?;
    bar.finish();
    if let Some(format) = plan.output {
        printer(format, out).index_report(&report).map_err(output)?;
    }
    if report.indexed == 0 && report.unchanged == 0 {
        let inputs: Vec<String> = plan
            .inputs
            .iter()
            .map(|p| crate::names::escaped(p))
            .collect();
        let inputs = inputs.join(", ");
        return Err(Error::Input(match report.failed.len() {
            0 => format!("no transcripts found in {inputs}"),
            n => format!("nothing indexed from {inputs}: {n} failed (see the failed lines)"),
        }));
    }
    Ok(if report.failed.is_empty() {
        EXIT_OK
    } else {
        EXIT_NONE
    })
}
