//! `callsearch query`: search, then print hits, facets and a summary.

use std::io::Write;

use crate::commands::{EXIT_NONE, EXIT_OK};
use crate::config::QueryPlan;
use crate::error::Error;
use crate::output::printer;

pub fn run(plan: &QueryPlan, out: &mut dyn Write) -> Result<u8, Error> {
    // Hits are printed as they are loaded: memory does not grow with --limit.
    let (result, mut hits) = crate::search::search_streamed(&plan.search)?;
    printer(plan.output, out)
        .search_stream(&result, &mut hits, plan.view)
        .map_err(|e| match e {
            // A passage that cannot be read back: the index is damaged.
            Error::Engine(e) => {
                crate::index::store::damaged(&plan.search.index_dir, &e.to_string())
            }
            e => e,
        })?;
    // The results first, then the note under them.
    let _ = out.flush();
    super::note_undated(result.undated_left_out, &plan.search.filters);
    Ok(if result.total_hits > 0 {
        EXIT_OK
    } else {
        EXIT_NONE
    })
}
