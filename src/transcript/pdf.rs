//! PDF files: text extraction in a limited child process (the binary re-run with the
//! hidden `__extract` subcommand), falling back to a lopdf repair and then `pdftotext`.
//!
//! PDF libraries panic, overflow the stack and balloon on hostile files, so nothing
//! here parses a PDF in the calling process: the child runs under a CPU-time limit,
//! an address-space cap and a wall-clock timeout, and catches panics itself.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::transcript::layouts::ParseError;

/// CPU seconds one extraction may use (the bank PDFs take well under one).
pub const CPU_SECONDS: u64 = 30;
/// Wall-clock limit for one extraction: generous, because loaded cores stretch it.
pub const WALL_SECONDS: u64 = 180;
/// Address-space cap of the child process.
pub const MEMORY_BYTES: u64 = 1 << 30;
/// The most text one file may yield.
pub const MAX_TEXT_BYTES: usize = 16 << 20;

/// Environment variable naming the binary to run as the extraction child (tests).
pub const WORKER_ENV: &str = "CALLSEARCH_EXE";

/// True when the bytes are a PDF: `%PDF-` within the first KB (some files carry junk
/// before the header, which readers accept).
pub fn is_pdf(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    head.windows(5).any(|w| w == b"%PDF-")
}

/// A PDF's text, page by page, and the extractor that produced it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Extracted {
    pub extractor: String,
    pub pages: Vec<String>,
}

/// What the child prints: the text, or why there is none.
#[derive(Debug, Serialize, Deserialize)]
enum Reply {
    Text(Extracted),
    /// `retry` is false when another extractor cannot do better (encrypted, image-only).
    Failed {
        reason: String,
        retry: bool,
    },
}

/// Extract a PDF's text: pdf-extract, then pdf-extract on a repaired file, then
/// `pdftotext` when it is installed. The error names the first failure's reason.
pub fn extract(bytes: &[u8]) -> Result<Extracted, ParseError> {
    let first = match run_worker(bytes, false) {
        Ok(text) => return Ok(text),
        Err(failure) => failure,
    };
    if !first.1 {
        return Err(ParseError::Pdf(first.0));
    }
    if let Ok(text) = run_worker(bytes, true) {
        return Ok(text);
    }
    if let Some(Ok(text)) = pdftotext(bytes) {
        return Ok(text);
    }
    Err(ParseError::Pdf(first.0))
}

/// Run the extraction child on `bytes`; the error is (reason, worth retrying).
fn run_worker(bytes: &[u8], repair: bool) -> Result<Extracted, (String, bool)> {
    let exe = worker_exe().map_err(|e| (e, false))?;
    let mut cmd = Command::new(exe);
    cmd.arg("__extract");
    if repair {
        cmd.arg("--repair");
    }
    let out = run_limited(cmd, bytes)?;
    match serde_json::from_slice::<Reply>(&out) {
        Ok(Reply::Text(x)) => Ok(x),
        Ok(Reply::Failed { reason, retry }) => Err((reason, retry)),
        Err(_) => Err(("pdf extraction gave no answer".to_string(), true)),
    }
}

/// `pdftotext` on `PATH`, under the same limits; `None` when it is not installed.
fn pdftotext(bytes: &[u8]) -> Option<Result<Extracted, (String, bool)>> {
    let path = std::env::var_os("PATH")?;
    let exe = std::env::split_paths(&path)
        .map(|d| d.join("pdftotext"))
        .find(|p| p.is_file())?;
    let mut cmd = Command::new(exe);
    cmd.args(["-q", "-enc", "UTF-8", "-", "-"]);
    Some(run_limited(cmd, bytes).and_then(|out| {
        let text = String::from_utf8_lossy(&out);
        let pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
        if pages.iter().all(|p| p.trim().is_empty()) {
            return Err(("pdftotext found no text".to_string(), false));
        }
        Ok(Extracted {
            extractor: "pdftotext".to_string(),
            pages,
        })
    }))
}

/// The binary to re-run: `CALLSEARCH_EXE`, else this executable; a test harness in
/// `target/*/deps/` uses the `callsearch` binary beside its folder.
pub(crate) fn worker_exe() -> Result<PathBuf, String> {
    if let Some(exe) = std::env::var_os(WORKER_ENV) {
        return Ok(PathBuf::from(exe));
    }
    let exe = std::env::current_exe()
        .map_err(|e| format!("cannot find the callsearch binary for pdf extraction ({e})"))?;
    let parent = exe.parent();
    if parent
        .and_then(|p| p.file_name())
        .is_some_and(|n| n == "deps")
    {
        let sibling = parent
            .and_then(|p| p.parent())
            .map(|p| p.join("callsearch"));
        if let Some(s) = sibling.filter(|s| s.is_file()) {
            return Ok(s);
        }
    }
    Ok(exe)
}

/// Run `cmd` with `input` on stdin under the CPU, memory and wall-clock limits, and
/// return its stdout (capped). A child killed by a limit is an error with its reason.
fn run_limited(mut cmd: Command, input: &[u8]) -> Result<Vec<u8>, (String, bool)> {
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    limit_child(&mut cmd);
    let mut child = cmd
        .spawn()
        .map_err(|e| (format!("cannot start pdf extraction ({e})"), false))?;
    let mut stdin = child.stdin.take();
    let mut stdout = child.stdout.take();
    let started = Instant::now();
    let outcome = std::thread::scope(|s| {
        s.spawn(move || {
            if let Some(mut pipe) = stdin.take() {
                let _ = pipe.write_all(input);
            }
        });
        let reader = s.spawn(move || {
            let mut out = Vec::new();
            if let Some(pipe) = stdout.take() {
                let _ = pipe.take(MAX_TEXT_BYTES as u64 * 4).read_to_end(&mut out);
            }
            out
        });
        let status = wait_until(&mut child, started + Duration::from_secs(WALL_SECONDS));
        (status, reader.join().unwrap_or_default())
    });
    match outcome {
        (Some(status), out) if status.success() => Ok(out),
        (Some(status), _) => Err((killed_reason(&status), true)),
        (None, _) => Err((
            format!("pdf extraction took longer than {WALL_SECONDS} s"),
            true,
        )),
    }
}

/// Wait for the child until `deadline`; kill it then. `None` when it was killed.
fn wait_until(
    child: &mut std::process::Child,
    deadline: Instant,
) -> Option<std::process::ExitStatus> {
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(10)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
}

/// Why a child ended badly, from its exit status.
fn killed_reason(status: &std::process::ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match status.signal() {
        Some(libc::SIGXCPU) | Some(libc::SIGKILL) => {
            format!("pdf extraction used more than {CPU_SECONDS} s of cpu")
        }
        Some(libc::SIGABRT) | Some(libc::SIGSEGV) | Some(libc::SIGBUS) => format!(
            "pdf extraction ran out of memory or stack (limit {} MB)",
            MEMORY_BYTES >> 20
        ),
        Some(sig) => format!("pdf extraction stopped by signal {sig}"),
        None => format!(
            "pdf extraction failed (exit code {})",
            status.code().unwrap_or(-1)
        ),
    }
}

/// Set the child's CPU and address-space limits between fork and exec.
pub(crate) fn limit_child(cmd: &mut Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: setrlimit is async-signal-safe; the closure allocates nothing.
    unsafe {
        cmd.pre_exec(|| {
            set_limit(libc::RLIMIT_CPU, CPU_SECONDS, CPU_SECONDS + 5);
            set_limit(libc::RLIMIT_AS, MEMORY_BYTES, MEMORY_BYTES);
            Ok(())
        });
    }
}

fn set_limit(resource: libc::__rlimit_resource_t, soft: u64, hard: u64) {
    let limit = libc::rlimit {
        rlim_cur: soft as libc::rlim_t,
        rlim_max: hard as libc::rlim_t,
    };
    // SAFETY: a plain system call on a valid struct; a failure leaves the old limit.
    unsafe {
        libc::setrlimit(resource, &limit);
    }
}

/// The child's side (`callsearch __extract [--repair]`): read a PDF from stdin,
/// extract its text, print a [`Reply`] as JSON. Panics are caught and reported.
pub fn worker(repair: bool, out: &mut dyn Write) -> std::io::Result<()> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(crate::transcript::layouts::MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)?;
    let reply = match std::panic::catch_unwind(|| worker_extract(&bytes, repair)) {
        Ok(reply) => reply,
        Err(payload) => Reply::Failed {
            reason: format!("pdf extraction failed ({})", panic_text(&payload)),
            retry: true,
        },
    };
    serde_json::to_writer(&mut *out, &reply)?;
    out.flush()
}

pub(crate) fn panic_text(payload: &Box<dyn std::any::Any + Send>) -> String {
    let text = (payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown failure".to_string());
    crate::error::lowercase_first(text.lines().next().unwrap_or_default())
}

fn worker_extract(bytes: &[u8], repair: bool) -> Reply {
    let (doc, extractor) = if repair {
        match crate::transcript::pdf_repair::repaired(bytes) {
            Ok(doc) => (doc, "pdf-extract after lopdf repair"),
            Err(reason) => return failed(reason, false),
        }
    } else {
        match pdf_extract::Document::load_mem(bytes) {
            Ok(doc) => (doc, "pdf-extract"),
            Err(e) => return failed(format!("damaged pdf ({})", lower(&e)), true),
        }
    };
    let mut doc = doc;
    if !readable_encryption(&mut doc) {
        return failed("encrypted pdf: it needs a password".to_string(), false);
    }
    let pages = match page_texts(&doc, repair) {
        Ok(pages) => pages,
        Err(reason) => return failed(reason, true),
    };
    if pages.iter().all(|p| p.trim().is_empty()) {
        let reason = if has_images(&doc) {
            "image-only pdf: no text layer (scanned pages need ocr)"
        } else {
            "pdf holds no text"
        };
        return failed(reason.to_string(), false);
    }
    Reply::Text(Extracted {
        extractor: extractor.to_string(),
        pages,
    })
}

/// False for an encrypted document the empty user password does not open (the loader
/// decrypts what it can; an encryption it cannot set up leaves ciphertext).
fn readable_encryption(doc: &mut pdf_extract::Document) -> bool {
    if doc.trailer.get(b"Encrypt").is_err() || doc.was_encrypted() {
        return true;
    }
    doc.is_encrypted() && doc.decrypt("").is_ok()
}

fn failed(reason: String, retry: bool) -> Reply {
    Reply::Failed { reason, retry }
}

fn lower(e: &dyn std::fmt::Display) -> String {
    crate::error::lowercase_first(&e.to_string())
}

/// Each page's text. A page that fails or panics fails the whole file, unless
/// `tolerant` (after a repair), where it is left out.
fn page_texts(doc: &pdf_extract::Document, tolerant: bool) -> Result<Vec<String>, String> {
    let mut pages = Vec::new();
    let mut total = 0usize;
    for number in doc.get_pages().into_keys() {
        let page = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut text = String::new();
            let mut output = pdf_extract::PlainTextOutput::new(&mut text);
            pdf_extract::output_doc_page(doc, &mut output, number).map(|_| text)
        }));
        let text = match page {
            Ok(Ok(text)) => text,
            _ if tolerant => continue,
            Ok(Err(e)) => return Err(format!("damaged pdf page {number} ({})", lower(&e))),
            Err(p) => return Err(format!("damaged pdf page {number} ({})", panic_text(&p))),
        };
        total += text.len();
        if total > MAX_TEXT_BYTES {
            return Err(format!(
                "pdf text over {} MB: not a transcript",
                MAX_TEXT_BYTES >> 20
            ));
        }
        pages.push(text);
    }
    if pages.is_empty() {
        return Err("pdf has no readable pages".to_string());
    }
    Ok(pages)
}

/// True when the document holds image streams (a scan without a text layer).
fn has_images(doc: &pdf_extract::Document) -> bool {
    doc.objects.values().any(|o| {
        o.as_stream()
            .ok()
            .and_then(|s| s.dict.get(b"Subtype").ok())
            .and_then(|t| t.as_name().ok())
            == Some(b"Image".as_slice())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_is_found_by_content_even_after_junk() {
        assert!(is_pdf(b"%PDF-1.7\n..."));
        assert!(is_pdf(b"\xef\xbb\xbfjunk\n%PDF-1.4\n"));
        assert!(!is_pdf(b"Operator: welcome to the %PDF call"));
    }
}
