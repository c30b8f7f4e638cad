//! `callsearch parse`: show what the parser makes of one file.

use std::io::Write;

use crate::commands::EXIT_OK;
use crate::config::ParsePlan;
use crate::error::{Error, output};
use crate::output::printer;

pub fn run(plan: &ParsePlan, out: &mut dyn Write) -> Result<u8, Error> {
    let t = crate::transcript::layouts::read_limited(&plan.file, plan.max_file_bytes)
        .and_then(|bytes| {
            let max = plan.max_file_bytes;
            crate::transcript::layouts::parse_as(&bytes, &plan.file, plan.layout, max).1
        })
        .map_err(|e| Error::Input(format!("{}: {e}", crate::names::escaped(&plan.file))))?;
    printer(plan.output, out).transcript(&t).map_err(output)?;
    Ok(EXIT_OK)
}
