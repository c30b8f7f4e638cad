//! `callsearch report`: parse every file under folders and print per-layout figures and
//! the merges (spellings of one person, firm or company; calls two files hold), nothing
//! indexed. Walks with the index's walker, so walk errors are counted.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

use rayon::prelude::*;

use crate::commands::EXIT_OK;
use crate::config::ReportPlan;
use crate::error::{Error, output};
use crate::index::walk::walk;
use crate::output::printer;
use crate::transcript::audit::{Parsed, tally};
use crate::transcript::layouts::{self, FileParse, ParseError};
use crate::transcript::merges::merges;
use crate::transcript::model::Transcript;

pub fn run(plan: &ReportPlan, out: &mut dyn Write) -> Result<u8, Error> {
    let found = walk(&plan.inputs)?;
    let mut results: Vec<Parsed> = (found.files.par_iter())
        .flat_map_iter(|p| parse_one(p, plan))
        .collect();
    for (path, reason) in found.errors {
        results.push((path, None, Err(ParseError::Unreadable(reason))));
    }
    for (path, reason) in found.skipped {
        results.push((path, None, Err(ParseError::LeftOut(reason))));
    }
    let calls: Vec<(&str, &Transcript)> = (results.iter())
        .filter_map(|(path, _, outcome)| Some((path.as_str(), outcome.as_ref().ok()?)))
        .collect();
    let merges = merges(&calls, &plan.people);
    let dropped: BTreeSet<&str> = merges
        .duplicates
        .iter()
        .map(|d| d.dropped.as_str())
        .collect();
    let stats = tally(&results, &dropped);
    printer(plan.output, out)
        .layout_report(&stats, &merges)
        .map_err(output)?;
    Ok(EXIT_OK)
}

/// The layout that claims a file, and the file's parse; a dataset gives one outcome
/// per call, named `file#row=12`, under `layout+container` (`generic+csv`).
fn parse_one(path: &Path, plan: &ReportPlan) -> Vec<Parsed> {
    let shown = crate::names::escaped(path);
    let (forced, max) = (plan.layout, plan.max_file_bytes);
    match layouts::parse_path(path, forced, &plan.columns, max) {
        FileParse::One(layout, outcome) => vec![(shown, layout.map(str::to_string), outcome)],
        FileParse::Many(shape, Err(e)) => {
            vec![(shown, Some(shape.container().to_string()), Err(e))]
        }
        FileParse::Many(shape, Ok(calls)) => (calls.into_iter())
            .map(|call| {
                let layout = match &call.outcome {
                    Ok(t) => format!("{}+{}", t.format, shape.container()),
                    Err(_) => shape.container().to_string(),
                };
                (format!("{shown}#{}", call.part), Some(layout), call.outcome)
            })
            .collect(),
    }
}
