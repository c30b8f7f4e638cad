//! `callsearch parse`: show what the parser makes of one file (each call of a dataset).

use std::io::Write;

use crate::commands::{EXIT_NONE, EXIT_OK};
use crate::config::ParsePlan;
use crate::error::{Error, output};
use crate::output::printer;
use crate::transcript::layouts::{self, FileParse};

pub fn run(plan: &ParsePlan, out: &mut dyn Write) -> Result<u8, Error> {
    let shown = crate::names::escaped(&plan.file);
    let (forced, max) = (plan.layout, plan.max_file_bytes);
    let parsed = layouts::parse_path(&plan.file, forced, &plan.columns, max);
    let mut printer = printer(plan.output, out);
    let calls = match parsed {
        FileParse::One(_, outcome) => {
            let t = outcome.map_err(|e| Error::Input(format!("{shown}: {e}")))?;
            printer.transcript(&t).map_err(output)?;
            return Ok(EXIT_OK);
        }
        FileParse::Many(_, outcome) => {
            outcome.map_err(|e| Error::Input(format!("{shown}: {e}")))?
        }
    };
    // A dataset: every call it holds; calls that cannot be read are named on stderr.
    let (mut good, mut bad) = (0usize, 0usize);
    for call in calls {
        match call.outcome {
            Ok(t) => {
                printer.transcript(&t).map_err(output)?;
                good += 1;
            }
            Err(e) => {
                eprintln!("{shown}#{}: {e}", call.part);
                bad += 1;
            }
        }
    }
    if good == 0 && bad == 0 {
        return Err(Error::Input(format!("{shown}: a dataset with no rows")));
    }
    if good == 0 {
        return Err(Error::Input(format!(
            "{shown}: no call could be read ({bad} tried)"
        )));
    }
    Ok(if bad == 0 { EXIT_OK } else { EXIT_NONE })
}
