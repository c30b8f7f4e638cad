//! `callsearch export`: write exactly the passages a query matches, all of them, in a
//! stable order, as NDJSON, an OpenSearch bulk body, CSV or Parquet, for notebooks and for
//! engines that take over when one machine is not enough.
//!
//! A file target is written beside itself and renamed at the end, so a failure leaves
//! an existing file untouched; a target that is not a regular file (`/dev/stdout`, a
//! pipe) is written directly.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::commands::EXIT_OK;
use crate::config::{ExportFormat, ExportPlan};
use crate::error::Error;
use crate::index::store::MARKER_FILE;
use crate::output::csv;
use crate::output::parquet::ParquetOut;
use crate::output::wire::{BulkAction, BulkTarget, ColumnType, PASSAGE_COLUMNS, PassageOut};
use crate::search::stored::Scan;

/// Index name used in OpenSearch bulk action lines.
pub const OPENSEARCH_INDEX: &str = "callsearch";

/// How list members are joined in a CSV cell.
pub const CSV_LIST_SEPARATOR: &str = "; ";

pub fn run(plan: &ExportPlan, stdout: &mut dyn Write) -> Result<u8, Error> {
    if let Some(path) = &plan.out {
        refuse_inside_index(path)?;
    }
    // Open the index and match before touching the target: a bad index or query
    // leaves it as it was.
    let matching = crate::search::matching(&plan.search)?;
    let left_out = matching.undated_left_out;
    let scan = Scan::of(matching, plan.search.sort)?;
    let n = match &plan.out {
        Some(path) => write_file(plan, &scan, path)?,
        None if plan.format == ExportFormat::Parquet => {
            // The parquet writer needs a sink it owns (`Send`): stdout itself.
            let _ = stdout.flush();
            let out = BufWriter::new(std::io::stdout());
            write_parquet(&scan, out).map_err(|e| e.into_error(None))?
        }
        None => write_all(plan.format, &scan, stdout).map_err(|e| e.into_error(None))?,
    };
    if plan.out.is_some() {
        eprintln!("exported {n} passages");
    }
    super::note_undated(left_out, &plan.search.filters);
    Ok(EXIT_OK)
}

/// A failure while exporting: reading the index, or writing the output.
enum Failure {
    Read(Error),
    Write(std::io::Error),
}

impl Failure {
    fn into_error(self, path: Option<&Path>) -> Error {
        match (self, path) {
            (Failure::Read(e), _) => e,
            (Failure::Write(source), Some(p)) => Error::WriteFile {
                path: p.display().to_string(),
                source,
            },
            (Failure::Write(source), None) => Error::Write {
                what: "export",
                source,
            },
        }
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure::Write(e)
    }
}

/// Write to `path`: through a temporary file and a rename for a regular file (or a new
/// one), directly for anything else (a device, a pipe).
fn write_file(plan: &ExportPlan, scan: &Scan, path: &Path) -> Result<u64, Error> {
    let fail = |e: std::io::Error| Error::WriteFile {
        path: path.display().to_string(),
        source: e,
    };
    let regular = std::fs::metadata(path).map_or(true, |m| m.is_file());
    if !regular {
        let file = File::options().write(true).open(path).map_err(fail)?;
        return write_to(plan.format, scan, BufWriter::new(file))
            .map(|(n, _)| n)
            .map_err(|e| e.into_error(Some(path)));
    }
    let temp = temp_beside(path);
    let result = (|| {
        let file = File::create(&temp).map_err(Failure::Write)?;
        let (n, out) = write_to(plan.format, scan, BufWriter::new(file))?;
        let file = out
            .into_inner()
            .map_err(|e| Failure::Write(e.into_error()))?;
        file.sync_all()?;
        std::fs::rename(&temp, path)?;
        Ok(n)
    })();
    result.map_err(|e: Failure| {
        let _ = std::fs::remove_file(&temp);
        e.into_error(Some(path))
    })
}

/// `.NAME.tmp-PID` in the target's folder, so the rename stays on one file system.
fn temp_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or("export".into(), |n| n.to_string_lossy());
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

/// Writing into an index folder could clobber the index: refuse.
fn refuse_inside_index(path: &Path) -> Result<(), Error> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let Ok(parent) = parent.canonicalize() else {
        return Ok(()); // a missing folder fails with its own message when written
    };
    match parent
        .ancestors()
        .find(|dir| dir.join(MARKER_FILE).is_file())
    {
        Some(index) => Err(Error::Input(format!(
            "--out {}: inside the index folder {}; write the export elsewhere",
            path.display(),
            index.display()
        ))),
        None => Ok(()),
    }
}

/// Write the scan to a buffered file in any format; returns the count and the writer.
fn write_to(
    format: ExportFormat,
    scan: &Scan,
    mut out: BufWriter<File>,
) -> Result<(u64, BufWriter<File>), Failure> {
    let n = match format {
        ExportFormat::Parquet => write_parquet(scan, &mut out)?,
        _ => write_all(format, scan, &mut out)?,
    };
    Ok((n, out))
}

/// Parquet to a sink the writer owns.
fn write_parquet<W: Write + Send>(scan: &Scan, out: W) -> Result<u64, Failure> {
    let mut n = 0;
    let mut parquet = ParquetOut::new(out)?;
    for p in scan.passages() {
        parquet.push(&PassageOut::new(&p.map_err(Failure::Read)?))?;
        n += 1;
    }
    parquet.finish()?.flush()?;
    Ok(n)
}

/// Write every passage of the scan in a text `format`; returns how many were written.
fn write_all(format: ExportFormat, scan: &Scan, out: &mut dyn Write) -> Result<u64, Failure> {
    if format == ExportFormat::Csv {
        let names: Vec<&str> = PASSAGE_COLUMNS.iter().map(|(n, _)| *n).collect();
        csv::row(out, &names)?;
    }
    let mut n = 0;
    for p in scan.passages() {
        let p = p.map_err(Failure::Read)?;
        let passage = PassageOut::new(&p);
        match format {
            ExportFormat::Ndjson => line(out, &passage)?,
            ExportFormat::OpensearchBulk => {
                let target = BulkTarget {
                    _index: OPENSEARCH_INDEX,
                    _id: &p.passage_id,
                };
                line(out, &BulkAction { index: target })?;
                line(out, &passage)?;
            }
            ExportFormat::Csv => csv::row(out, &csv_cells(&passage))?,
            // Parquet needs a sink it owns (see write_parquet); never routed here.
            ExportFormat::Parquet => {
                return Err(Failure::Write(std::io::Error::other(
                    "parquet is written by its own writer",
                )));
            }
        }
        n += 1;
    }
    out.flush()?;
    Ok(n)
}

fn line<T: serde::Serialize>(out: &mut dyn Write, value: &T) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    writeln!(out)
}

/// A passage's CSV cells, in [`PASSAGE_COLUMNS`] order: null is empty, lists are
/// joined with `; `.
fn csv_cells(p: &PassageOut) -> Vec<String> {
    let value = serde_json::to_value(p).unwrap_or_default();
    PASSAGE_COLUMNS
        .iter()
        .map(|(name, kind)| match (&value[*name], kind) {
            (serde_json::Value::Null, _) => String::new(),
            (serde_json::Value::String(s), _) => s.clone(),
            (serde_json::Value::Array(items), ColumnType::List) => items
                .iter()
                .filter_map(|i| i.as_str())
                .collect::<Vec<_>>()
                .join(CSV_LIST_SEPARATOR),
            (v, _) => v.to_string(),
        })
        .collect()
}

/// The scan as CSV, exactly as `export --format csv` writes it (the web app's download).
pub fn csv_to(scan: &Scan, out: &mut dyn Write) -> Result<u64, Error> {
    write_all(ExportFormat::Csv, scan, out).map_err(|e| e.into_error(None))
}
