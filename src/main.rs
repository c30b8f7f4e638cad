//! The `callsearch` binary: parse arguments, run, map errors to exit codes.

use std::process::ExitCode;
use std::sync::Mutex;

use callsearch::commands::{EXIT_ERROR, run};
use clap::Parser;

/// The message of the last panic, kept so it can be reported as one line.
static PANIC: Mutex<Option<String>> = Mutex::new(None);

fn main() -> ExitCode {
    ignore_file_size_signal();
    keep_freed_memory();
    let cli = callsearch::cli::Cli::parse();
    if matches!(
        cli.command,
        callsearch::cli::Command::Query(_) | callsearch::cli::Command::Trend(_)
    ) {
        no_huge_pages();
    }
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown failure".to_string());
        if let Ok(mut slot) = PANIC.lock() {
            *slot = Some(msg);
        }
    }));
    match std::panic::catch_unwind(|| run(cli)) {
        Ok(Ok(code)) => ExitCode::from(code),
        Ok(Err(e)) if e.is_broken_pipe() => ExitCode::SUCCESS,
        Ok(Err(e @ callsearch::error::Error::Interrupted(_))) => {
            eprintln!("{e}");
            ExitCode::from(callsearch::index::interrupt::EXIT_INTERRUPTED)
        }
        Ok(Err(e)) => fail(&e.to_string()),
        Err(_) => {
            let msg = PANIC
                .lock()
                .ok()
                .and_then(|m| m.clone())
                .unwrap_or_default();
            fail(&format!(
                "unexpected failure ({}): if the index is damaged, run callsearch index --rebuild",
                callsearch::error::lowercase_first(msg.lines().next().unwrap_or_default())
            ))
        }
    }
}

fn fail(msg: &str) -> ExitCode {
    eprintln!("error: {msg}");
    ExitCode::from(EXIT_ERROR)
}

/// mimalloc's option index for the purge delay (`mi_option_purge_delay` in mimalloc.h).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Indexing frees and reallocates memory across threads all the time; handing it back
/// to the OS and faulting it in again (2 MB huge pages, zeroed) cost 7% of the CPU.
/// A short-lived command keeps what it freed.
fn keep_freed_memory() {
    // SAFETY: sets a mimalloc option at start-up, before other threads exist.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
}

/// A query touches a few MB here and there: mimalloc asks for transparent huge pages,
/// and the kernel zeroing a fresh 2 MB page for each was 14% of a phrase query's
/// profile (1 GB archive). Indexing keeps them.
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: a process-wide flag read by the kernel at page faults; no memory is touched.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// A full disk or a file-size limit must end in an error message, not a signal.
fn ignore_file_size_signal() {
    #[cfg(unix)]
    // SAFETY: setting a signal to SIG_IGN at start-up, before any thread exists.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
