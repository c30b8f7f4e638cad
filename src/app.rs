//! Run one parsed command line: plans in, printers out, an exit code back.

use std::io::Write;

use crate::cli::{Cli, Command, ExportArgs, ExportFormatArg, ParseArgs};
use crate::config::{IndexPlan, QueryPlan};
use crate::error::Error;
use crate::export::ExportFormat;
use crate::output::{human, json};

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
        Command::Index(a) => index(&IndexPlan::from_args(&a)?, &mut out)?,
        Command::Query(a) => query(&QueryPlan::from_args(&a)?, &mut out)?,
        Command::Parse(a) => parse(&a, &mut out)?,
        Command::Formats => formats(&mut out)?,
        Command::Report(a) => crate::report::run(&a.paths, a.json, &mut out)?,
        Command::Export(a) => export(&a, &mut out)?,
    };
    out.flush().map_err(io)?;
    Ok(code)
}

fn io(e: std::io::Error) -> Error {
    Error::Io(format!(
        "cannot write output: {}",
        crate::parse::io_reason(&e)
    ))
}

fn index(plan: &IndexPlan, out: &mut dyn Write) -> Result<u8, Error> {
    let bar = crate::progress::Progress::new(plan.progress);
    let report = crate::index::run(plan, &|p| bar.update(p))?;
    bar.finish();
    if plan.json {
        json::index_report(out, &report).map_err(io)?;
    } else if plan.summary {
        human::index_report(out, &report).map_err(io)?;
    }
    if report.indexed == 0 && report.unchanged == 0 {
        return Err(Error::Input(format!(
            "no transcripts found in {}",
            plan.inputs
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    Ok(if report.failed.is_empty() {
        EXIT_OK
    } else {
        EXIT_NONE
    })
}

fn query(plan: &QueryPlan, out: &mut dyn Write) -> Result<u8, Error> {
    let result = crate::search::search(plan)?;
    if plan.json {
        json::query(out, plan, &result).map_err(io)?;
    } else {
        human::query(out, plan, &result).map_err(io)?;
    }
    Ok(if result.total_hits > 0 {
        EXIT_OK
    } else {
        EXIT_NONE
    })
}

fn parse(a: &ParseArgs, out: &mut dyn Write) -> Result<u8, Error> {
    let t = crate::parse::parse_file(&a.file)
        .map_err(|e| Error::Input(format!("{}: {e}", a.file.display())))?;
    if a.json {
        let s = serde_json::to_string_pretty(&t).expect("transcripts serialise");
        writeln!(out, "{s}").map_err(io)?;
    } else {
        human::transcript(out, &t).map_err(io)?;
    }
    Ok(EXIT_OK)
}

fn export(a: &ExportArgs, out: &mut dyn Write) -> Result<u8, Error> {
    let format = match a.format {
        ExportFormatArg::Ndjson => ExportFormat::Ndjson,
        ExportFormatArg::OpensearchBulk => ExportFormat::OpensearchBulk,
    };
    let n = match &a.out {
        Some(path) => {
            let file = std::fs::File::create(path).map_err(|e| {
                Error::Input(format!(
                    "{}: {}",
                    path.display(),
                    crate::parse::io_reason(&e)
                ))
            })?;
            let mut w = std::io::BufWriter::new(file);
            crate::export::run(&a.index, format, &mut w)?
        }
        None => crate::export::run(&a.index, format, out)?,
    };
    if a.out.is_some() {
        eprintln!("exported {n} passages");
    }
    Ok(EXIT_OK)
}

fn formats(out: &mut dyn Write) -> Result<u8, Error> {
    for layout in crate::parse::LAYOUTS {
        writeln!(out, "{:<18} {}", layout.name(), layout.description()).map_err(io)?;
    }
    Ok(EXIT_OK)
}
