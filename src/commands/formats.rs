//! `callsearch formats`: list the supported transcript layouts.

use std::io::Write;

use crate::commands::EXIT_OK;
use crate::error::{Error, output};

pub fn run(out: &mut dyn Write) -> Result<u8, Error> {
    crate::output::human::layouts(out).map_err(output)?;
    Ok(EXIT_OK)
}
