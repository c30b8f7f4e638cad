//! Passages as an Apache Parquet file (uncompressed, so the `parquet` crate needs no
//! codec features): one column per [`PASSAGE_COLUMNS`] member, typed (`date` as a DATE,
//! numbers as INT64, lists as LIST of STRING), written in row groups so memory stays
//! flat however many passages there are.

use std::io::Write;
use std::sync::Arc;

use parquet::basic::{Compression, LogicalType};
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, Int32Type, Int64Type};
use parquet::errors::ParquetError;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;
use serde_json::Value;

use crate::index::keys::parse_day;
use crate::output::wire::{ColumnType, PASSAGE_COLUMNS, PassageOut};

/// Passages per row group: about 20 MB of text buffered at a time.
const ROW_GROUP_ROWS: usize = 50_000;

/// Writes passages to `W` as Parquet; [`ParquetOut::finish`] writes the footer.
pub struct ParquetOut<W: Write + Send> {
    writer: SerializedFileWriter<W>,
    columns: Vec<Buffer>,
    rows: usize,
}

/// One column's values and levels for the row group being built.
#[derive(Default)]
struct Buffer {
    text: Vec<ByteArray>,
    ints: Vec<i64>,
    days: Vec<i32>,
    bools: Vec<bool>,
    defs: Vec<i16>,
    reps: Vec<i16>,
}

impl<W: Write + Send> ParquetOut<W> {
    pub fn new(out: W) -> std::io::Result<Self> {
        let props = WriterProperties::builder()
            .set_compression(Compression::UNCOMPRESSED)
            .set_created_by(format!("callsearch {}", env!("CARGO_PKG_VERSION")))
            .build();
        let writer = SerializedFileWriter::new(out, Arc::new(schema()), Arc::new(props))
            .map_err(io_error)?;
        Ok(ParquetOut {
            writer,
            columns: PASSAGE_COLUMNS.iter().map(|_| Buffer::default()).collect(),
            rows: 0,
        })
    }

    /// Add one passage; a full row group is written out.
    pub fn push(&mut self, p: &PassageOut) -> std::io::Result<()> {
        let value = serde_json::to_value(p).map_err(std::io::Error::other)?;
        for ((name, kind), buffer) in PASSAGE_COLUMNS.iter().zip(&mut self.columns) {
            buffer.push(*kind, &value[*name]);
        }
        self.rows += 1;
        if self.rows >= ROW_GROUP_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    /// Write what is buffered and the footer; returns the writer.
    pub fn finish(mut self) -> std::io::Result<W> {
        self.flush()?;
        self.writer.into_inner().map_err(io_error)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let mut group = self.writer.next_row_group().map_err(io_error)?;
        for ((_, kind), buffer) in PASSAGE_COLUMNS.iter().zip(&mut self.columns) {
            let Some(mut column) = group.next_column().map_err(io_error)? else {
                break;
            };
            let b = std::mem::take(buffer);
            let defs = (!b.defs.is_empty()).then_some(b.defs.as_slice());
            let reps = (!b.reps.is_empty()).then_some(b.reps.as_slice());
            let written = match kind {
                ColumnType::Text | ColumnType::OptText | ColumnType::List => column
                    .typed::<ByteArrayType>()
                    .write_batch(&b.text, defs, reps),
                ColumnType::Int | ColumnType::OptInt => {
                    column.typed::<Int64Type>().write_batch(&b.ints, defs, reps)
                }
                ColumnType::OptDate => column.typed::<Int32Type>().write_batch(&b.days, defs, reps),
                ColumnType::Bool => column.typed::<BoolType>().write_batch(&b.bools, defs, reps),
            };
            written.map_err(io_error)?;
            column.close().map_err(io_error)?;
        }
        group.close().map_err(io_error)?;
        self.rows = 0;
        Ok(())
    }
}

impl Buffer {
    /// Add one row's value: for optional columns a definition level (1 present,
    /// 0 null); for lists a level per element (repetition 0 starts a row).
    fn push(&mut self, kind: ColumnType, v: &Value) {
        match kind {
            ColumnType::Text => self.text.push(text(v)),
            ColumnType::OptText => self.optional(v.is_string(), |b| b.text.push(text(v))),
            ColumnType::Int => self.ints.push(v.as_i64().unwrap_or(0)),
            ColumnType::OptInt => {
                self.optional(v.is_number(), |b| b.ints.push(v.as_i64().unwrap_or(0)))
            }
            ColumnType::OptDate => {
                let day = v.as_str().and_then(parse_day);
                self.optional(day.is_some(), |b| {
                    let secs = day.map_or(0, |d| d.into_timestamp_secs());
                    b.days.push(secs.div_euclid(86_400) as i32)
                })
            }
            ColumnType::Bool => self.bools.push(v.as_bool().unwrap_or(false)),
            ColumnType::List => {
                let items: Vec<&str> = (v.as_array().into_iter().flatten())
                    .filter_map(Value::as_str)
                    .collect();
                if items.is_empty() {
                    self.defs.push(0);
                    self.reps.push(0);
                }
                for (i, item) in items.into_iter().enumerate() {
                    self.defs.push(1);
                    self.reps.push(i16::from(i > 0));
                    self.text.push(ByteArray::from(item));
                }
            }
        }
    }

    fn optional(&mut self, present: bool, push: impl FnOnce(&mut Self)) {
        self.defs.push(i16::from(present));
        if present {
            push(self);
        }
    }
}

fn text(v: &Value) -> ByteArray {
    ByteArray::from(v.as_str().unwrap_or_default())
}

/// The file's schema, from [`PASSAGE_COLUMNS`].
fn schema() -> Type {
    use parquet::basic::{Repetition, Type as Physical};
    let leaf = |name: &str, physical, logical: Option<LogicalType>, rep| {
        Type::primitive_type_builder(name, physical)
            .with_logical_type(logical)
            .with_repetition(rep)
            .build()
            .expect("a valid column")
    };
    let fields = PASSAGE_COLUMNS.iter().map(|(name, kind)| {
        let string = Some(LogicalType::String);
        let t = match kind {
            ColumnType::Text => leaf(name, Physical::BYTE_ARRAY, string, Repetition::REQUIRED),
            ColumnType::OptText => leaf(name, Physical::BYTE_ARRAY, string, Repetition::OPTIONAL),
            ColumnType::Int => leaf(name, Physical::INT64, None, Repetition::REQUIRED),
            ColumnType::OptInt => leaf(name, Physical::INT64, None, Repetition::OPTIONAL),
            ColumnType::OptDate => leaf(
                name,
                Physical::INT32,
                Some(LogicalType::Date),
                Repetition::OPTIONAL,
            ),
            ColumnType::Bool => leaf(name, Physical::BOOLEAN, None, Repetition::REQUIRED),
            // The standard three-level list: `name (LIST) { repeated list { element } }`.
            ColumnType::List => {
                let element = leaf(
                    "element",
                    Physical::BYTE_ARRAY,
                    string,
                    Repetition::REQUIRED,
                );
                let list = Type::group_type_builder("list")
                    .with_repetition(Repetition::REPEATED)
                    .with_fields(vec![Arc::new(element)])
                    .build()
                    .expect("a valid list");
                Type::group_type_builder(name)
                    .with_logical_type(Some(LogicalType::List))
                    .with_repetition(Repetition::REQUIRED)
                    .with_fields(vec![Arc::new(list)])
                    .build()
                    .expect("a valid list")
            }
        };
        Arc::new(t)
    });
    Type::group_type_builder("passage")
        .with_fields(fields.collect())
        .build()
        .expect("a valid schema")
}

/// A parquet error as the io error under it (a full disk stays "no space left").
fn io_error(e: ParquetError) -> std::io::Error {
    match e {
        ParquetError::External(inner) => match inner.downcast::<std::io::Error>() {
            Ok(io) => *io,
            Err(other) => std::io::Error::other(other.to_string()),
        },
        e => std::io::Error::other(e.to_string()),
    }
}
