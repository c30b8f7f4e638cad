//! One file per subcommand: each takes its own plan, runs it and prints through a
//! printer. Here: the dispatch from arguments to plans, and the exit codes.

pub mod export;
pub mod formats;
pub mod index;
pub mod parse;
pub mod query;
pub mod report;
pub mod serve;
pub mod trend;

use std::io::Write;

use crate::cli::{Cli, Command};
use crate::config::{
    ExportPlan, IndexPlan, ParsePlan, QueryPlan, ReportPlan, ServePlan, TrendPlan,
};
use crate::error::{Error, output};

/// Exit code for success with results.
pub const EXIT_OK: u8 = 0;
/// Exit code for a query with no hits, or an index run where some files failed.
pub const EXIT_NONE: u8 = 1;
/// Exit code for errors.
pub const EXIT_ERROR: u8 = 2;

/// Run a command, writing results to stdout and progress to stderr.
pub fn run(cli: Cli) -> Result<u8, Error> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let code = match cli.command {
        Command::Index(a) => index::run(&IndexPlan::from_args(&a)?, &mut out)?,
        Command::Query(a) => query::run(&QueryPlan::from_args(&a)?, &mut out)?,
        Command::Parse(a) => parse::run(&ParsePlan::from_args(&a)?, &mut out)?,
        Command::Formats => formats::run(&mut out)?,
        Command::Report(a) => report::run(&ReportPlan::from_args(&a)?, &mut out)?,
        Command::Export(a) => export::run(&ExportPlan::from_args(&a)?, &mut out)?,
        Command::Trend(a) => trend::run(&TrendPlan::from_args(&a)?, &mut out)?,
        Command::Serve(a) => serve::run(&ServePlan::from_args(&a)?)?,
        Command::Extract(a) => {
            let done = match &a.parquet {
                Some(file) => crate::transcript::parquet_rows::worker(file, &mut out),
                None => crate::transcript::pdf::worker(a.repair, &mut out),
            };
            done.map_err(output)?;
            EXIT_OK
        }
    };
    out.flush().map_err(output)?;
    Ok(code)
}

/// One line on stderr when a date filter left out calls that have no date, so a
/// `--since` never drops them without a word.
fn note_undated(
    left_out: Option<crate::search::undated::LeftOut>,
    filters: &crate::config::Filters,
) {
    if let Some(line) = left_out.and_then(|l| l.note(filters)) {
        eprintln!("{line}");
    }
}
