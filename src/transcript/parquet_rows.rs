//! Parquet datasets, read in the limited child process PDF extraction uses (the binary
//! re-run as `callsearch __extract --parquet FILE`): the parquet reader can panic or
//! balloon on a corrupt file, so it runs under the same CPU, memory and wall-clock
//! limits, and streams its rows back as JSON Lines, one row at a time.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use serde::{Deserialize, Serialize};

use crate::transcript::layouts::ParseError;
use crate::transcript::pdf::{CPU_SECONDS, MEMORY_BYTES, WALL_SECONDS};
use crate::transcript::tabular::RowEvent;

/// One line of the child's answer.
#[derive(Debug, Serialize, Deserialize)]
enum Line {
    Header(Vec<String>),
    Row(Vec<Option<String>>),
    End,
    Failed(String),
}

/// Stream a Parquet file's rows through the child into `emit`. An error before any
/// row is the file's; a failure after some rows is one bad row, the rows before kept.
/// A row longer than `max` (as JSON) is one bad row; the rows after it are read.
pub fn rows(path: &Path, max: u64, emit: &mut dyn FnMut(RowEvent)) -> Result<(), ParseError> {
    let mut cmd = Command::new(crate::transcript::pdf::worker_exe().map_err(ParseError::Dataset)?);
    cmd.arg("__extract").arg("--parquet").arg(path);
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    crate::transcript::pdf::limit_child(&mut cmd);
    let mut child = cmd
        .spawn()
        .map_err(|e| ParseError::Dataset(format!("cannot start the parquet reader ({e})")))?;
    let stdout = child.stdout.take();
    let pid = child.id() as libc::pid_t;
    let done = AtomicBool::new(false);
    let timed_out = AtomicBool::new(false);
    let (read, status) = std::thread::scope(|s| {
        s.spawn(|| watchdog(pid, &done, &timed_out));
        let read = stdout.map_or(Ok(0), |out| read_lines(out, max, emit));
        let status = child.wait();
        done.store(true, Ordering::Relaxed);
        (read, status)
    });
    let rows = read?;
    let reason = match status {
        _ if timed_out.load(Ordering::Relaxed) => {
            Some(format!("parquet reading took longer than {WALL_SECONDS} s"))
        }
        Ok(status) if status.success() => None,
        Ok(status) => Some(killed_reason(&status)),
        Err(e) => Some(format!("parquet reader lost ({e})")),
    };
    match (reason, rows) {
        (None, _) => Ok(()),
        (Some(reason), 0) => Err(ParseError::Dataset(reason)),
        (Some(reason), n) => {
            emit(RowEvent::BadRow(n + 1, ParseError::Dataset(reason)));
            Ok(())
        }
    }
}

/// Kill the child at the wall-clock limit unless it is done first.
fn watchdog(pid: libc::pid_t, done: &AtomicBool, timed_out: &AtomicBool) {
    let deadline = Instant::now() + Duration::from_secs(WALL_SECONDS);
    while !done.load(Ordering::Relaxed) {
        if Instant::now() >= deadline {
            timed_out.store(true, Ordering::Relaxed);
            // SAFETY: a plain system call; the child has not been reaped (`done` unset).
            unsafe {
                libc::kill(pid, libc::SIGKILL);
            }
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Read the child's lines into `emit`; the count of data rows seen, or the child's
/// own failure when it reported one before any row.
fn read_lines(out: impl Read, max: u64, emit: &mut dyn FnMut(RowEvent)) -> Result<u64, ParseError> {
    let mut reader = BufReader::new(out);
    let mut line = Vec::new();
    let mut rows = 0u64;
    // JSON escapes can double a text's length.
    let cap = max.saturating_mul(2) + (1 << 20);
    loop {
        line.clear();
        let n = (&mut reader)
            .take(cap + 1)
            .read_until(b'\n', &mut line)
            .map_err(|e| ParseError::Dataset(format!("parquet reader: {e}")))?;
        if n == 0 {
            return Ok(rows);
        }
        if n as u64 > cap && line.last() != Some(&b'\n') {
            crate::transcript::tabular::skip_line(&mut reader)?;
            rows += 1;
            emit(RowEvent::BadRow(rows, ParseError::TooLarge(n as u64, max)));
            continue;
        }
        match serde_json::from_slice::<Line>(&line) {
            Ok(Line::Header(names)) => emit(RowEvent::Header(names)),
            Ok(Line::Row(cells)) => {
                rows += 1;
                emit(RowEvent::Row(rows, cells));
            }
            Ok(Line::End) => return Ok(rows),
            Ok(Line::Failed(reason)) if rows == 0 => return Err(ParseError::Dataset(reason)),
            Ok(Line::Failed(reason)) => {
                emit(RowEvent::BadRow(rows + 1, ParseError::Dataset(reason)));
                return Ok(rows);
            }
            // Cut off by a limit: the exit status says which.
            Err(_) => return Ok(rows),
        }
    }
}

fn killed_reason(status: &std::process::ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match status.signal() {
        Some(libc::SIGXCPU) | Some(libc::SIGKILL) => {
            format!("parquet reading used more than {CPU_SECONDS} s of cpu")
        }
        Some(_) => format!(
            "parquet reading ran out of memory or stack (limit {} MB)",
            MEMORY_BYTES >> 20
        ),
        None => format!(
            "parquet reading failed (exit code {})",
            status.code().unwrap_or(-1)
        ),
    }
}

/// The child's side: open the file, print its column names, then each row; panics and
/// errors become a `Failed` line.
pub fn worker(path: &Path, out: &mut dyn Write) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(out);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| stream(path, &mut out)));
    let last = match result {
        Ok(Ok(())) => Line::End,
        Ok(Err(reason)) => Line::Failed(reason),
        Err(payload) => Line::Failed(format!(
            "damaged parquet ({})",
            crate::transcript::pdf::panic_text(&payload)
        )),
    };
    write_line(&mut out, &last)?;
    out.flush()
}

fn stream(path: &Path, out: &mut dyn Write) -> Result<(), String> {
    let damaged = |e: parquet::errors::ParquetError| {
        let reason = crate::error::lowercase_first(&e.to_string());
        // The decompressor's allocation failed under the child's RLIMIT_AS.
        if reason.contains("out of memory") {
            return format!(
                "parquet page inflates past the {} MB memory limit (a compression bomb)",
                MEMORY_BYTES >> 20
            );
        }
        format!("damaged parquet ({reason})")
    };
    let file = std::fs::File::open(path).map_err(|e| crate::error::io_reason(&e))?;
    let reader = SerializedFileReader::new(file).map_err(damaged)?;
    if let Some(reason) = unreadable_codec(reader.metadata()) {
        return Err(reason);
    }
    let schema = reader.metadata().file_metadata().schema_descr_ptr();
    let header = (schema.root_schema().get_fields().iter())
        .map(|f| f.name().to_string())
        .collect();
    write_line(out, &Line::Header(header)).map_err(|e| e.to_string())?;
    for row in reader.get_row_iter(None).map_err(damaged)? {
        let row = row.map_err(damaged)?;
        let cells = row.get_column_iter().map(|(_, f)| cell(f)).collect();
        write_line(out, &Line::Row(cells)).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// The codecs this build decompresses (the parquet crate's `snap`, `flate2` and `lz4`
/// features; zstd is left out because its C build costs too much build time).
const CODECS_READ: &str = "snappy, gzip, lz4 or uncompressed";

/// A reason when a column chunk uses a codec this build lacks (polars writes zstd by
/// default), said before any row so the file fails with it, not with a page error.
fn unreadable_codec(metadata: &parquet::file::metadata::ParquetMetaData) -> Option<String> {
    use parquet::basic::Compression as C;
    let chunks = (metadata.row_groups().iter()).flat_map(|group| group.columns());
    let codec = chunks
        .map(|chunk| chunk.compression())
        .find_map(|codec| match codec {
            C::UNCOMPRESSED | C::SNAPPY | C::GZIP(_) | C::LZ4 | C::LZ4_RAW => None,
            C::ZSTD(_) => Some("zstd"),
            C::BROTLI(_) => Some("brotli"),
            C::LZO => Some("lzo"),
        })?;
    Some(format!(
        "parquet pages compressed with {codec}, which this build does not read \
         (it reads {CODECS_READ} pages: rewrite the file with compression=\"snappy\")"
    ))
}

fn write_line(out: &mut dyn Write, line: &Line) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, line)?;
    out.write_all(b"\n")
}

/// A Parquet value as a cell: text as it is, dates as `YYYY-MM-DD`, timestamps as
/// `YYYY-MM-DD HH:MM:SS` (UTC), numbers as written.
fn cell(f: &Field) -> Option<String> {
    let timestamp = |seconds: i64| {
        time::OffsetDateTime::from_unix_timestamp(seconds)
            .ok()
            .map(|t| {
                format!(
                    "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
                    t.year(),
                    t.month() as u8,
                    t.day(),
                    t.hour(),
                    t.minute(),
                    t.second()
                )
            })
    };
    match f {
        Field::Null => None,
        Field::Str(s) => Some(s.clone()),
        Field::Bytes(b) => Some(String::from_utf8_lossy(b.data()).into_owned()),
        Field::Date(days) => timestamp(i64::from(*days) * 86_400).map(|t| t[..10].to_string()),
        Field::TimestampMillis(ms) => timestamp(ms.div_euclid(1000)),
        Field::TimestampMicros(us) => timestamp(us.div_euclid(1_000_000)),
        other => Some(other.to_string()),
    }
}
