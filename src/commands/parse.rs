//! `callsearch parse`: show what the parser makes of one file.

use std::io::Write;

use crate::commands::EXIT_OK;
use crate::config::ParsePlan;
use crate::error::{Error, output};
use crate::output::printer;

pub fn run(plan: &ParsePlan, out: &mut dyn Write) -> Result<u8, Error> {
    let t = crate::transcript::layouts::read_limited(&plan.file)
        .and_then(|bytes| crate::transcript::layouts::parse_as(&bytes, &plan.file, plan.layout).1)
        .map_err(|e| Error::Input(format!("{}: {e}", plan.file.display())))?;
    printer(plan.output, out).transcript(&t).map_err(output)?;
    Ok(EXIT_OK)
}
