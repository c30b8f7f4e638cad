//! `callsearch serve`: run the web app and JSON API until Ctrl-C (see `src/serve/`).

use crate::config::ServePlan;
use crate::error::Error;

pub fn run(plan: &ServePlan) -> Result<u8, Error> {
    crate::serve::run(plan)
}
