//! `callsearch report`: parse every file under folders and print per-layout figures
//! (nothing is indexed). Walks with the index's walker, so walk errors are counted.

use std::io::Write;
use std::path::Path;

use rayon::prelude::*;

use crate::commands::EXIT_OK;
use crate::config::ReportPlan;
use crate::error::{Error, output};
use crate::index::walk::walk;
use crate::output::printer;
use crate::transcript::audit::{Parsed, tally};
use crate::transcript::layouts::{self, ParseError};

pub fn run(plan: &ReportPlan, out: &mut dyn Write) -> Result<u8, Error> {
    let found = walk(&plan.inputs)?;
    let (max, forced) = (plan.max_file_bytes, plan.layout);
    let mut results: Vec<Parsed> = (found.files.par_iter())
        .map(|p| parse_one(p, forced, max))
        .collect();
    for (path, reason) in found.errors {
        results.push((path, None, Err(ParseError::Unreadable(reason))));
    }
    for (path, reason) in found.skipped {
        results.push((path, None, Err(ParseError::LeftOut(reason))));
    }
    let stats = tally(&results);
    printer(plan.output, out)
        .layout_report(&stats)
        .map_err(output)?;
    Ok(EXIT_OK)
}

/// The layout that claims a file, and the file's parse.
fn parse_one(path: &Path, forced: Option<&'static dyn layouts::Layout>, max: u64) -> Parsed {
    let (layout, outcome) = match layouts::read_limited(path, max) {
        Ok(bytes) => layouts::parse_as(&bytes, path, forced, max),
        Err(e) => (None, Err(e)),
    };
    (crate::names::escaped(path), layout, outcome)
}
