//! `callsearch query`: search, then print hits, facets and a summary.

use std::io::Write;

use crate::commands::{EXIT_NONE, EXIT_OK};
use crate::config::QueryPlan;
use crate::error::{Error, output};
use crate::output::printer;

pub fn run(plan: &QueryPlan, out: &mut dyn Write) -> Result<u8, Error> {
    let result = crate::search::search(&plan.search)?;
    printer(plan.output, out)
        .search(&result, plan.view)
        .map_err(output)?;
    Ok(if result.total_hits > 0 {
        EXIT_OK
    } else {
        EXIT_NONE
    })
}
