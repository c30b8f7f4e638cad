//! `callsearch parse`: show what the parser makes of one file.

use std::io::Write;

use crate::commands::EXIT_OK;
use crate::config::ParsePlan;
use crate::error::{Error, output};
use crate::output::printer;

pub fn run(plan: &ParsePlan, out: &mut dyn Write) -> Result<u8, Error> {
    let t = crate::transcript::layouts::parse_file_capped(&plan.file, plan.max_file_bytes)
        .map_err(|e| Error::Input(format!("{}: {e}", crate::names::escaped(&plan.file))))?;
    printer(plan.output, out).transcript(&t).map_err(output)?;
    Ok(EXIT_OK)
}
