//! The `callsearch` binary: parse arguments, run, map errors to exit codes.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = callsearch::cli::Cli::parse();
    match callsearch::app::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(callsearch::error::Error::Io(msg)) if msg.contains("broken pipe") => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(callsearch::app::EXIT_ERROR)
        }
    }
}
