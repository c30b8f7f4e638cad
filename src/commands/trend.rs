//! `callsearch trend`: a query's matching calls and passages per quarter, year or
//! fiscal period, printed as a chart, JSON Lines or CSV.

use std::io::Write;

use crate::commands::{EXIT_NONE, EXIT_OK};
use crate::config::TrendPlan;
use crate::error::{Error, output};

pub fn run(plan: &TrendPlan, out: &mut dyn Write) -> Result<u8, Error> {
    let result = crate::search::trend::trend(plan)?;
    crate::output::trend::print(&result, plan.output, out).map_err(output)?;
    // The results first, then the note under them.
    let _ = out.flush();
    super::note_undated(result.undated_left_out, &plan.search.filters);
    Ok(if result.total_hits > 0 {
        EXIT_OK
    } else {
        EXIT_NONE
    })
}
