//! Tabular datasets: CSV, JSON Lines and Parquet files that hold many calls, either one
//! row per call (a transcript text column) or one row per component in the Capital IQ
//! style (`transcriptid`, `componentorder`, `transcriptcomponenttypename`, ...).
//!
//! Found by content, never by extension. Files are read as a stream (CSV and JSON Lines
//! here, Parquet in the limited child of `pdf.rs`), so a large dataset is not refused:
//! `--max-file-size` applies to each call and each row instead, and compressed data may
//! not inflate past [`MAX_INFLATION`] times its size. Each call names its place in the
//! file (`row=12`, 1-based data row, or `transcript=123456`), which becomes the
//! passages' `source` suffix (`calls.csv#row=12`).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use crate::transcript::layouts::{self, Layout, ParseError};
use crate::transcript::model::{Participant, Section, Side, Transcript, Turn};
use crate::transcript::text;

/// Bytes of a file's head looked at to decide whether it is a dataset.
const SNIFF_BYTES: usize = 64 * 1024;
/// Longer strings are not column names: a sniff keeps no more of them.
const MAX_KEY_BYTES: usize = 256;
/// Compressed datasets may decompress to at most this many times their size (text
/// compresses 3 to 10 times; a compression bomb far more).
pub const MAX_INFLATION: u64 = 50;

/// The three dataset containers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Csv,
    Jsonl,
    Parquet,
}

impl Shape {
    /// The `container` value of its passages.
    pub fn container(self) -> &'static str {
        match self {
            Shape::Csv => "csv",
            Shape::Jsonl => "jsonl",
            Shape::Parquet => "parquet",
        }
    }
}

/// What a dataset column can give a call. The key is the name `--columns` uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Text,
    Id,
    Order,
    Type,
    Speaker,
    SpeakerType,
    SpeakerRole,
    Firm,
    Company,
    Ticker,
    Date,
    Event,
    Period,
}

/// Each role's `--columns` key and the column names it is found under (lower case,
/// letters and digits only), most specific first.
const ROLES: &[(Role, &str, &[&str])] = &[
    (
        Role::Text,
        "text",
        &[
            "componenttext",
            "transcripttext",
            "fulltext",
            "transcript",
            "text",
            "content",
            "body",
            "speech",
        ],
    ),
    (
        Role::Id,
        "id",
        &["transcriptid", "callid", "eventid", "documentid", "id"],
    ),
    (
        Role::Order,
        "order",
        &["componentorder", "order", "sequence", "seq"],
    ),
    (
        Role::Type,
        "type",
        &[
            "transcriptcomponenttypename",
            "componenttypename",
            "componenttype",
        ],
    ),
    (
        Role::Speaker,
        "speaker",
        &[
            "transcriptpersonname",
            "speakername",
            "personname",
            "speaker",
        ],
    ),
    (
        Role::SpeakerType,
        "speaker_type",
        &["speakertypename", "speakertype"],
    ),
    (
        Role::SpeakerRole,
        "role",
        &["speakertitle", "persontitle", "proftitle", "role"],
    ),
    (
        Role::Firm,
        "firm",
        &["personcompanyname", "speakercompany", "speakerfirm", "firm"],
    ),
    (
        Role::Company,
        "company",
        &["companyname", "company", "companyconame", "issuer"],
    ),
    (
        Role::Ticker,
        "ticker",
        &["ticker", "symbol", "tickersymbol", "tic"],
    ),
    (
        Role::Date,
        "date",
        &[
            "mostimportantdateutc",
            "eventdate",
            "calldate",
            "date",
            "datetime",
            "publishdate",
        ],
    ),
    (
        Role::Event,
        "event",
        &["headline", "eventtitle", "eventname", "title", "event"],
    ),
    (
        Role::Period,
        "period",
        &["fiscalperiod", "period", "fiscalquarter", "quarter"],
    ),
];

/// `--columns text=full_text,date=event_date,...`: columns named by the user, by role.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Columns {
    named: Vec<(Role, String)>,
}

impl Columns {
    /// Parse the flag's value; the error names the bad part and the known keys.
    pub fn parse(spec: &str) -> Result<Columns, String> {
        let mut named = Vec::new();
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((key, column)) = part.split_once('=') else {
                return Err(format!("--columns {part}: expected FIELD=COLUMN"));
            };
            let Some(role) = ROLES.iter().find(|r| r.1 == key.trim()).map(|r| r.0) else {
                let known: Vec<&str> = ROLES.iter().map(|r| r.1).collect();
                return Err(format!(
                    "--columns {part}: unknown field {} (known: {})",
                    key.trim(),
                    known.join(", ")
                ));
            };
            if column.trim().is_empty() {
                return Err(format!("--columns {part}: no column name"));
            }
            named.push((role, column.trim().to_string()));
        }
        Ok(Columns { named })
    }

    /// Which column gives each role in a file with these `header` names.
    fn resolve(&self, header: &[String]) -> Result<Mapping, String> {
        let norm: Vec<String> = header.iter().map(|h| normalise(h)).collect();
        let mut at = HashMap::new();
        for (role, column) in &self.named {
            let want = normalise(column);
            let Some(i) = norm.iter().position(|h| *h == want) else {
                return Err(format!(
                    "--columns {}={column}: no such column (columns: {})",
                    key_of(*role),
                    header.join(", ")
                ));
            };
            at.insert(*role, i);
        }
        for (role, _, names) in ROLES {
            if at.contains_key(role) {
                continue;
            }
            let taken: Vec<usize> = at.values().copied().collect();
            let found = (names.iter())
                .find_map(|n| (0..norm.len()).find(|i| norm[*i] == *n && !taken.contains(i)));
            if let Some(i) = found {
                at.insert(*role, i);
            }
        }
        Ok(Mapping { at })
    }
}

fn key_of(role: Role) -> &'static str {
    ROLES.iter().find(|r| r.0 == role).map_or("?", |r| r.1)
}

/// `Full Text`, `full_text`, `FULLTEXT` -> `fulltext`.
fn normalise(name: &str) -> String {
    (name.trim_start_matches('\u{feff}').chars())
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Column positions by role, for one file.
#[derive(Debug)]
struct Mapping {
    at: HashMap<Role, usize>,
}

impl Mapping {
    fn get<'r>(&self, row: &'r [Option<String>], role: Role) -> Option<&'r str> {
        let i = *self.at.get(&role)?;
        (row.get(i)?.as_deref()).filter(|v| !v.trim().is_empty())
    }

    fn has(&self, role: Role) -> bool {
        self.at.contains_key(&role)
    }

    /// Capital IQ style: one row per component, grouped by transcript.
    fn components(&self) -> bool {
        self.has(Role::Speaker) && self.has(Role::Id)
    }
}

/// One call of a dataset: where it is in the file and what it gave.
pub struct Call {
    /// `row=12` or `transcript=123456`.
    pub part: String,
    pub outcome: Result<Transcript, ParseError>,
}

/// The dataset shape of a file, from its head, or `None` when it is not a dataset.
/// `head` is the file's first bytes (decompressed when gzip).
pub fn sniff(head: &[u8], columns: &Columns) -> Option<Shape> {
    if head.starts_with(b"PAR1") {
        return Some(Shape::Parquet);
    }
    let head = sniffed(head);
    if head.starts_with(b"{") {
        let keys = top_level_keys(head);
        return (keys.len() >= 2 && columns.resolve(&keys).is_ok_and(|m| m.has(Role::Text)))
            .then_some(Shape::Jsonl);
    }
    let head = String::from_utf8_lossy(head);
    let header = csv_header(&head)?;
    (columns.resolve(&header).is_ok_and(|m| m.has(Role::Text))).then_some(Shape::Csv)
}

/// The part of a file's head a sniff reads: after a byte-order mark and blank space,
/// the first JSON object's opening (up to `SNIFF_BYTES`), else the first line only (a
/// CSV header), so a transcript is not decoded whole on every run.
fn sniffed(head: &[u8]) -> &[u8] {
    let head = &head[..head.len().min(SNIFF_BYTES)];
    let head = head.strip_prefix("\u{feff}".as_bytes()).unwrap_or(head);
    let start = (head.iter()).position(|b| !b.is_ascii_whitespace());
    let head = &head[start.unwrap_or(head.len())..];
    if head.starts_with(b"{") {
        return head;
    }
    let end = (head.iter())
        .position(|&b| b == b'\n')
        .unwrap_or(head.len());
    &head[..end]
}

/// Why a file that looks like a table is not a dataset this reader can use: a CSV
/// header of identifier-like names (`sym,quarter_name,words`) where no column holds a
/// text or a `--columns` name is missing.
pub fn table_problem(head: &[u8], columns: &Columns) -> Option<String> {
    let head = String::from_utf8_lossy(sniffed(head));
    let identifier =
        |n: &String| (n.chars()).all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c));
    // JSON is left to the layouts: a Motley Fool file is one object with list keys.
    let header = csv_header(&head).filter(|h| h.iter().all(identifier))?;
    match columns.resolve(&header) {
        // A name the user gave is missing: say so, on any table.
        Err(reason) => Some(reason),
        Ok(m) if !m.has(Role::Text) && header.len() >= 3 => Some(format!(
            "a table without a transcript text column (columns: {}): name it with --columns text=COLUMN",
            header.join(", ")
        )),
        Ok(_) => None,
    }
}

/// The header row of CSV text: at least two short names on the first line.
fn csv_header(head: &str) -> Option<Vec<String>> {
    let line = head.lines().next()?;
    if !line.contains(',') {
        // One field at most: not a header, and no CSV reader built for every transcript.
        return None;
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(line.as_bytes());
    let record = reader.records().next()?.ok()?;
    let names: Vec<String> = record.iter().map(str::to_string).collect();
    let name_like = |n: &String| {
        !n.trim().is_empty()
            && n.len() <= 64
            && (n.chars()).all(|c| c.is_alphanumeric() || " _-.".contains(c))
    };
    (names.len() >= 2 && names.iter().all(name_like)).then_some(names)
}

/// The keys of the first JSON object in `text`, read even when the object is cut off.
fn top_level_keys(text: &[u8]) -> Vec<String> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    // Bytes, not chars: JSON's structure is ASCII. A key is a short name: a long string
    // (a transcript held as a value) is not copied beyond `MAX_KEY_BYTES`, and a
    // character begun before the cap is kept whole.
    let mut current: Vec<u8> = Vec::new();
    let mut keeping = true;
    let mut last_string: Option<Vec<u8>> = None;
    let mut keys = Vec::new();
    // Outside strings: where the character being read ends.
    let mut char_end = 0;
    for (at, &b) in text.iter().enumerate() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => {
                    escaped = true;
                    continue;
                }
                (false, b'"') => {
                    in_string = false;
                    let string = std::mem::take(&mut current);
                    last_string = (depth == 1).then_some(string);
                    continue;
                }
                (false, _) => {}
            }
            if b & 0xc0 != 0x80 {
                keeping = current.len() < MAX_KEY_BYTES;
            }
            if depth == 1 && keeping {
                current.push(b);
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b':' if depth == 1 => keys.extend(
                last_string
                    .take()
                    .map(|k| String::from_utf8_lossy(&k).into_owned()),
            ),
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
            }
            _ if at < char_end => {}
            _ => {
                let (space, len) = char_at(text, at);
                char_end = at + len;
                if !space {
                    last_string = None;
                }
            }
        }
    }
    keys
}

/// The character at `at`: whether it is whitespace (`char::is_whitespace`) and its
/// length in bytes; a byte that begins no valid character is one character, not
/// whitespace (as a lossy decoding makes it U+FFFD).
fn char_at(text: &[u8], at: usize) -> (bool, usize) {
    let b = text[at];
    if b.is_ascii() {
        return (matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' '), 1);
    }
    let end = (at + 4).min(text.len());
    let c = (2..=end - at)
        .find_map(|n| std::str::from_utf8(&text[at..at + n]).ok())
        .and_then(|s| s.chars().next());
    c.map_or((false, 1), |c| (c.is_whitespace(), c.len_utf8()))
}

/// How a dataset is read: the forced layout for text cells, columns, the per-call cap.
pub struct Reading<'a> {
    pub layout: Option<&'static dyn Layout>,
    pub columns: &'a Columns,
    pub max: u64,
}

/// Read every call of the dataset at `path`. Errors that stop the whole file (no text
/// column, damaged data) come back as `Err`; a bad row or call is one failed [`Call`].
pub fn read(path: &Path, shape: Shape, how: &Reading) -> Result<Vec<Call>, ParseError> {
    let mut rows = Assembler::new(path, shape, how);
    match shape {
        Shape::Parquet => {
            crate::transcript::parquet_rows::rows(path, how.max, &mut |r| rows.push(r))?
        }
        Shape::Csv => csv_rows(open_stream(path)?, how.max, &mut |r| rows.push(r))?,
        Shape::Jsonl => jsonl_rows(open_stream(path)?, how.max, &mut |r| rows.push(r))?,
    }
    rows.finish()
}

/// What a reader hands over: the header once, then each data row (its 1-based number),
/// or a row that could not be read.
pub enum RowEvent {
    Header(Vec<String>),
    Row(u64, Vec<Option<String>>),
    BadRow(u64, ParseError),
}

/// The file as a byte stream: gunzipped when gzip, with the inflation cap.
fn open_stream(path: &Path) -> Result<Box<dyn Read>, ParseError> {
    let unreadable = |e: std::io::Error| ParseError::Unreadable(crate::error::io_reason(&e));
    let mut file = std::fs::File::open(path).map_err(unreadable)?;
    let size = file.metadata().map_err(unreadable)?.len();
    let mut magic = [0u8; 2];
    let gzip = file.read_exact(&mut magic).is_ok() && magic == [0x1f, 0x8b];
    let file = std::fs::File::open(path).map_err(unreadable)?;
    if !gzip {
        return Ok(Box::new(file));
    }
    let cap = size
        .saturating_mul(MAX_INFLATION)
        .max(layouts::MAX_FILE_BYTES);
    Ok(Box::new(Capped {
        inner: flate2::read::MultiGzDecoder::new(BufReader::new(file)),
        left: cap,
    }))
}

/// A reader that fails once more than `left` bytes came through it (a compression bomb).
struct Capped<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.left {
            return Err(std::io::Error::other(format!(
                "decompresses to more than {MAX_INFLATION} times its size: refused as a compression bomb"
            )));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// CSV rows, one record at a time. A record longer than `max` stops the file there
/// (CSV cannot be resynchronised inside a quoted field).
fn csv_rows(
    input: Box<dyn Read>,
    max: u64,
    emit: &mut dyn FnMut(RowEvent),
) -> Result<(), ParseError> {
    let counted = std::rc::Rc::new(std::cell::Cell::new(0u64));
    let guard = RecordGuard {
        inner: input,
        since_record: counted.clone(),
        max: max + SNIFF_BYTES as u64,
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(guard);
    let mut record = csv::ByteRecord::new();
    let mut number = 0u64;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {}
            Err(e) if number == 0 => return Err(ParseError::Unreadable(format!("csv: {e}"))),
            Err(e) => {
                let reason = match e.kind() {
                    csv::ErrorKind::Io(io) => io.to_string(),
                    _ => e.to_string(),
                };
                // `number` records were read (the header is record 0): this is data row `number`.
                emit(RowEvent::BadRow(
                    number,
                    ParseError::Unreadable(format!(
                        "{}; the rest of the file is not read",
                        crate::error::lowercase_first(&reason)
                    )),
                ));
                return Ok(());
            }
        }
        counted.set(0);
        let cells: Vec<Option<String>> = record.iter().map(|b| Some(text::decode(b))).collect();
        if number == 0 {
            emit(RowEvent::Header(cells.into_iter().flatten().collect()));
        } else {
            emit(RowEvent::Row(number, cells));
        }
        number += 1;
    }
}

/// Counts the bytes read since the last complete record and fails past `max`, so one
/// endless quoted field cannot grow memory without bound.
struct RecordGuard {
    inner: Box<dyn Read>,
    since_record: std::rc::Rc<std::cell::Cell<u64>>,
    max: u64,
}

impl Read for RecordGuard {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let total = self.since_record.get() + n as u64;
        self.since_record.set(total);
        if total > self.max {
            return Err(std::io::Error::other(format!(
                "a row over {} MB (the limit, see --max-file-size)",
                self.max >> 20
            )));
        }
        Ok(n)
    }
}

/// JSON Lines rows: each line one object; its keys make the header (the first line's
/// keys, then any new key seen later). A line over `max` is skipped, the rest read.
fn jsonl_rows(
    input: Box<dyn Read>,
    max: u64,
    emit: &mut dyn FnMut(RowEvent),
) -> Result<(), ParseError> {
    let mut reader = BufReader::new(input);
    let mut header: Vec<String> = Vec::new();
    let mut line = Vec::new();
    let mut number = 0u64;
    loop {
        line.clear();
        let n = (&mut reader)
            .take(max + 1)
            .read_until(b'\n', &mut line)
            .map_err(|e| ParseError::Unreadable(crate::error::io_reason(&e)))?;
        if n == 0 {
            return Ok(());
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        number += 1;
        if line.len() as u64 > max && line.last() != Some(&b'\n') {
            skip_line(&mut reader)?;
            emit(RowEvent::BadRow(
                number,
                ParseError::TooLarge(n as u64, max),
            ));
            continue;
        }
        let object =
            match serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(&line) {
                Ok(o) => o,
                Err(e) => {
                    let reason = format!("not a json object ({e})");
                    emit(RowEvent::BadRow(number, ParseError::Unreadable(reason)));
                    continue;
                }
            };
        let before = header.len();
        for key in object.keys() {
            if !header.contains(key) {
                header.push(key.clone());
            }
        }
        if header.len() != before {
            emit(RowEvent::Header(header.clone()));
        }
        let cells = header
            .iter()
            .map(|k| object.get(k).and_then(cell))
            .collect();
        emit(RowEvent::Row(number, cells));
    }
}

/// Discard the rest of an overlong line.
pub(crate) fn skip_line(reader: &mut impl BufRead) -> Result<(), ParseError> {
    loop {
        let buf = reader
            .fill_buf()
            .map_err(|e| ParseError::Unreadable(crate::error::io_reason(&e)))?;
        if buf.is_empty() {
            return Ok(());
        }
        if let Some(i) = buf.iter().position(|b| *b == b'\n') {
            reader.consume(i + 1);
            return Ok(());
        }
        let n = buf.len();
        reader.consume(n);
    }
}

/// A JSON value as a cell: strings as they are, numbers and booleans as written.
fn cell(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// Rows -> calls: a row per call is parsed at once; components are gathered by
/// transcript id and become calls at the end.
struct Assembler<'a> {
    path: &'a Path,
    shape: Shape,
    how: &'a Reading<'a>,
    mapping: Option<Result<Mapping, String>>,
    calls: Vec<Call>,
    /// Capital IQ components per transcript id, in order of first appearance.
    groups: Vec<(String, Group)>,
    group_at: HashMap<String, usize>,
}

/// One transcript's components so far.
#[derive(Default)]
struct Group {
    meta: Meta,
    components: Vec<Component>,
    bytes: u64,
}

/// A call's metadata from its columns.
#[derive(Default, Clone)]
struct Meta {
    company: Option<String>,
    ticker: Option<String>,
    date: Option<String>,
    event: Option<String>,
    period: Option<String>,
}

struct Component {
    order: f64,
    row: u64,
    kind: String,
    speaker: String,
    speaker_type: String,
    role: Option<String>,
    firm: Option<String>,
    text: String,
}

impl<'a> Assembler<'a> {
    fn new(path: &'a Path, shape: Shape, how: &'a Reading<'a>) -> Self {
        Assembler {
            path,
            shape,
            how,
            mapping: None,
            calls: Vec::new(),
            groups: Vec::new(),
            group_at: HashMap::new(),
        }
    }

    fn push(&mut self, event: RowEvent) {
        match event {
            RowEvent::Header(names) => {
                self.mapping = Some(self.how.columns.resolve(&names));
            }
            RowEvent::BadRow(number, error) => self.calls.push(Call {
                part: format!("row={number}"),
                outcome: Err(error),
            }),
            RowEvent::Row(number, cells) => self.row(number, &cells),
        }
    }

    fn row(&mut self, number: u64, cells: &[Option<String>]) {
        let Some(Ok(m)) = &self.mapping else {
            return;
        };
        if !m.has(Role::Text) {
            return;
        }
        let meta = Meta {
            company: m.get(cells, Role::Company).map(text::clean),
            ticker: m
                .get(cells, Role::Ticker)
                .map(|t| t.trim().to_ascii_uppercase()),
            date: m.get(cells, Role::Date).and_then(iso_date),
            event: m.get(cells, Role::Event).map(text::clean),
            period: m.get(cells, Role::Period).map(text::clean),
        };
        let id = m.get(cells, Role::Id).map(|s| s.trim().to_string());
        if !m.components() {
            let part = id.map_or(format!("row={number}"), |id| format!("transcript={id}"));
            let text = m.get(cells, Role::Text).unwrap_or_default();
            let outcome = self.row_call(text, &meta);
            self.calls.push(Call { part, outcome });
            return;
        }
        let Some(id) = id else {
            let error = ParseError::Unreadable("component row without a transcript id".into());
            self.calls.push(Call {
                part: format!("row={number}"),
                outcome: Err(error),
            });
            return;
        };
        let component = Component {
            order: m
                .get(cells, Role::Order)
                .and_then(|o| o.trim().parse().ok())
                .unwrap_or(f64::MAX),
            row: number,
            kind: m.get(cells, Role::Type).unwrap_or_default().to_string(),
            speaker: m
                .get(cells, Role::Speaker)
                .map(text::clean)
                .unwrap_or_default(),
            speaker_type: m
                .get(cells, Role::SpeakerType)
                .unwrap_or_default()
                .to_string(),
            role: m.get(cells, Role::SpeakerRole).map(text::clean),
            firm: m.get(cells, Role::Firm).map(text::clean),
            text: m.get(cells, Role::Text).unwrap_or_default().to_string(),
        };
        let at = *self.group_at.entry(id.clone()).or_insert_with(|| {
            self.groups.push((
                id,
                Group {
                    meta,
                    ..Group::default()
                },
            ));
            self.groups.len() - 1
        });
        let group = &mut self.groups[at].1;
        group.bytes += component.text.len() as u64;
        // Past the cap the call fails; its components are no longer kept.
        if group.bytes <= self.how.max {
            group.components.push(component);
        }
    }

    /// One row holding a whole call: its text read by the layout it is in.
    fn row_call(&self, cell: &str, meta: &Meta) -> Result<Transcript, ParseError> {
        if cell.len() as u64 > self.how.max {
            return Err(ParseError::TooLarge(cell.len() as u64, self.how.max));
        }
        let text = cell.replace("\r\n", "\n").replace('\r', "\n");
        let layout = (self.how.layout)
            .or_else(|| layouts::detect(&text))
            .ok_or(ParseError::UnknownLayout)?;
        // A cell is not wrapped at a page width: each of its lines is a paragraph, which
        // the generic layout (built for wrapped PDF text) wants as blank-line breaks.
        let text = if layout.name() == "generic" {
            text.replace('\n', "\n\n")
        } else {
            text
        };
        let mut t = layout.parse(&text, self.path)?;
        meta.apply(&mut t);
        self.finish_call(t)
    }

    fn finish_call(&self, mut t: Transcript) -> Result<Transcript, ParseError> {
        t.container = Some(self.shape.container().to_string());
        if t.turns.is_empty() {
            return Err(ParseError::NoTurns);
        }
        crate::transcript::roles::resolve(&mut t);
        Ok(t)
    }

    fn finish(mut self) -> Result<Vec<Call>, ParseError> {
        match self.mapping.take() {
            None if self.calls.is_empty() => return Err(ParseError::Empty),
            // No row had a header to read it by (every JSON line broken): each says why.
            None => return Ok(self.calls),
            Some(Err(reason)) => return Err(ParseError::Dataset(reason)),
            Some(Ok(m)) if !m.has(Role::Text) => {
                return Err(ParseError::NotCalls(
                    "a table without a transcript text column: name it with --columns text=COLUMN"
                        .into(),
                ));
            }
            Some(Ok(_)) => {}
        }
        for (id, group) in std::mem::take(&mut self.groups) {
            let outcome = if group.bytes > self.how.max {
                Err(ParseError::TooLarge(group.bytes, self.how.max))
            } else {
                self.finish_call(components_call(group))
            };
            self.calls.push(Call {
                part: format!("transcript={id}"),
                outcome,
            });
        }
        for call in &mut self.calls {
            if let Ok(t) = &mut call.outcome {
                t.part = Some(call.part.clone());
            }
        }
        Ok(self.calls)
    }
}

impl Meta {
    fn apply(&self, t: &mut Transcript) {
        let set = |slot: &mut Option<String>, v: &Option<String>| {
            if v.is_some() {
                slot.clone_from(v);
            }
        };
        set(&mut t.company, &self.company);
        set(&mut t.ticker, &self.ticker);
        set(&mut t.date, &self.date);
        set(&mut t.event, &self.event);
        let period = (self.period.as_deref())
            .and_then(|p| text::fiscal_period(p).map(|x| x.0))
            .or_else(|| (self.event.as_deref()).and_then(|e| text::fiscal_period(e).map(|x| x.0)));
        set(&mut t.fiscal_period, &period);
        if t.company.is_none() {
            t.company = (self.event.as_deref()).and_then(text::company_from_title);
        }
    }
}

/// `2021-01-27`, `2021-01-27 22:00:00`, `2021-01-27T22:00:00Z`, `1/27/2021`,
/// `January 27, 2021` -> `2021-01-27`.
fn iso_date(s: &str) -> Option<String> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' && s.is_char_boundary(10) {
        let (y, m, d) = (
            s[..4].parse::<u32>(),
            s[5..7].parse::<u32>(),
            s[8..10].parse::<u32>(),
        );
        if let (Ok(y), Ok(m @ 1..=12), Ok(d @ 1..=31)) = (y, m, d) {
            return Some(format!("{y:04}-{m:02}-{d:02}"));
        }
    }
    let parts: Vec<&str> = s.split(['/', ' ']).collect();
    if let [m, d, y, ..] = parts[..]
        && let (Ok(m @ 1..=12), Ok(d @ 1..=31), Ok(y @ 1900..=2100)) =
            (m.parse::<u32>(), d.parse::<u32>(), y.parse::<u32>())
    {
        return Some(format!("{y:04}-{m:02}-{d:02}"));
    }
    text::parse_date(s)
}

/// The format name of calls read from Capital IQ style components.
pub const COMPONENTS_FORMAT: &str = "capital-iq";

/// A transcript from its components in order: Presenter Speech in the presentation,
/// Question and Answer in the Q&A, operator messages where they fall; each distinct
/// person a participant, on the side their speaker type says.
fn components_call(mut group: Group) -> Transcript {
    group
        .components
        .sort_by(|a, b| a.order.total_cmp(&b.order).then(a.row.cmp(&b.row)));
    let mut t = Transcript::new(COMPONENTS_FORMAT);
    group.meta.apply(&mut t);
    let mut section = Section::Presentation;
    for c in &group.components {
        let kind = c.kind.to_ascii_lowercase();
        if kind.contains("question") || kind.contains("answer") {
            section = Section::Qa;
        }
        let operator = kind.contains("operator") || c.speaker_type.eq_ignore_ascii_case("operator");
        let speaker = match (c.speaker.is_empty(), operator) {
            (true, true) => "Operator".to_string(),
            (true, false) => continue,
            (false, _) => c.speaker.clone(),
        };
        let paragraphs: Vec<String> = (c.text.lines())
            .map(text::clean)
            .filter(|p| !p.is_empty())
            .collect();
        if paragraphs.is_empty() {
            continue;
        }
        if !operator {
            add_participant(&mut t, c, &speaker, &kind);
        }
        let mut turn = Turn::new(&speaker, c.firm.clone(), c.role.clone());
        turn.section = section;
        turn.paragraphs = paragraphs;
        t.turns.push(turn);
    }
    t
}

/// The speaker type (`Executives`, `Analysts`) or the component type (`Question`)
/// gives the side; the role, when no column gives it, is the speaker type's singular.
fn add_participant(t: &mut Transcript, c: &Component, speaker: &str, kind: &str) {
    if t.participants.iter().any(|p| p.name == speaker) {
        return;
    }
    let st = c.speaker_type.to_ascii_lowercase();
    let side = if st.starts_with("analyst") || (st.is_empty() && kind.contains("question")) {
        Side::Analyst
    } else if st.starts_with("executive") || st.is_empty() {
        Side::Corporate
    } else {
        // Shareholders, attendees, the press: not the company's people.
        Side::Analyst
    };
    let role = c.role.clone().or_else(|| match side {
        Side::Analyst if st.starts_with("analyst") => Some("Analyst".to_string()),
        Side::Corporate if st.starts_with("executive") => Some("Executive".to_string()),
        _ => None,
    });
    t.participants.push(Participant {
        name: speaker.to_string(),
        firm: c.firm.clone(),
        role,
        side,
    });
}

/// Per-shape reading order for report and parse: one outcome per call, in file order
/// (components: in order of their first row).
pub fn describe(shape: Shape) -> &'static str {
    match shape {
        Shape::Csv => {
            "CSV dataset: a header row, then one row per call (a text column) or one row per component (Capital IQ style)"
        }
        Shape::Jsonl => {
            "JSON Lines dataset: one object per line, a call or a component each (same columns as CSV)"
        }
        Shape::Parquet => {
            "Parquet dataset (snappy, gzip, lz4 or uncompressed): rows as in CSV, read in the limited child process"
        }
    }
}

/// Every shape, for `formats`.
pub const SHAPES: [Shape; 3] = [Shape::Csv, Shape::Jsonl, Shape::Parquet];

#[cfg(test)]
mod tests {
    use super::*;

    fn header(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn common_column_names_are_found_and_columns_override_them() {
        let h = header(&[
            "transcriptid",
            "componentorder",
            "transcriptcomponenttypename",
            "transcriptpersonname",
            "speakertypename",
            "componenttext",
            "companyname",
            "mostimportantdateutc",
        ]);
        let m = Columns::default().resolve(&h).unwrap();
        assert!(m.components());
        assert_eq!(m.at[&Role::Text], 5);
        assert_eq!(m.at[&Role::Date], 7);
        let h = header(&["symbol", "event_date", "full_text", "title"]);
        let m = Columns::default().resolve(&h).unwrap();
        assert!(!m.components());
        assert_eq!(
            (m.at[&Role::Text], m.at[&Role::Ticker], m.at[&Role::Event]),
            (2, 0, 3)
        );
        let cols = Columns::parse("text=body_x, date=when").unwrap();
        let m = cols.resolve(&header(&["when", "Body X"])).unwrap();
        assert_eq!((m.at[&Role::Text], m.at[&Role::Date]), (1, 0));
        let err = cols.resolve(&header(&["when"])).unwrap_err();
        assert_eq!(err, "--columns text=body_x: no such column (columns: when)");
        assert!(
            Columns::parse("nope=x")
                .unwrap_err()
                .contains("unknown field nope")
        );
    }

    /// The key scan as first written (over lossy-decoded chars): the byte scan must
    /// find the very same keys.
    fn keys_as_first_written(text: &str) -> Vec<String> {
        let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
        let mut current = String::new();
        let keep = |current: &mut String, c: char| {
            if current.len() < MAX_KEY_BYTES {
                current.push(c);
            }
        };
        let mut last_string: Option<String> = None;
        let mut keys = Vec::new();
        for c in text.chars() {
            if in_string {
                match (escaped, c) {
                    (true, _) => {
                        escaped = false;
                        keep(&mut current, c);
                    }
                    (false, '\\') => escaped = true,
                    (false, '"') => {
                        in_string = false;
                        let string = std::mem::take(&mut current);
                        last_string = (depth == 1).then_some(string);
                    }
                    (false, _) => keep(&mut current, c),
                }
                continue;
            }
            match c {
                '"' => in_string = true,
                ':' if depth == 1 => keys.extend(last_string.take()),
                '{' | '[' => depth += 1,
                '}' | ']' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        break;
                    }
                }
                c if !c.is_whitespace() => last_string = None,
                _ => {}
            }
        }
        keys
    }

    #[test]
    fn the_byte_key_scan_finds_what_the_char_scan_found() {
        let long = format!("{}é", "k".repeat(MAX_KEY_BYTES - 1));
        let inputs: Vec<Vec<u8>> = vec![
            br#"{"ticker": "AAPL", "text": "Tim Cook: hi", "nested": {"x": 1}}"#.to_vec(),
            "{\"id\"\u{a0}: 1, \"text\"\u{b}: \"x\", \"date\"\u{3000}:2}"
                .as_bytes()
                .to_vec(),
            format!("{{\"{long}\": 1, \"texte\u{301}\": \"\\\"q\\\"\"}}").into_bytes(),
            b"{\"a\"\xff: 1, \"b\"\x80: 2, \"c\"\xe2\x80: 3, \"text\": \"\xe9t\xe9\"}".to_vec(),
            br#"{"cut": "off before its end"#.to_vec(),
        ];
        for bytes in inputs {
            let text = String::from_utf8_lossy(&bytes);
            assert_eq!(
                top_level_keys(&bytes),
                keys_as_first_written(&text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn sniffing_finds_datasets_and_leaves_transcripts_alone() {
        let c = Columns::default();
        assert_eq!(
            sniff(
                b"ticker,date,transcript\nAAPL,2021-01-27,\"Operator: hi",
                &c
            ),
            Some(Shape::Csv)
        );
        assert_eq!(
            sniff(b"{\"symbol\": \"A\", \"content\": \"Tim Cook: ...", &c),
            Some(Shape::Jsonl)
        );
        assert_eq!(sniff(b"PAR1\x15\x04", &c), Some(Shape::Parquet));
        assert_eq!(
            sniff(b"Apple Inc., Q1 2021 Earnings Call\nOperator: hello", &c),
            None
        );
        assert_eq!(
            sniff(
                b"{\n  \"prepared_remarks\": [{\"speaker\": \"Operator\"",
                &c
            ),
            None
        );
        assert_eq!(sniff(b"a,b\n1,2\n", &c), None);
    }

    #[test]
    fn dates_in_dataset_forms() {
        assert_eq!(
            iso_date("2021-01-27 22:00:00").as_deref(),
            Some("2021-01-27")
        );
        assert_eq!(iso_date("1/27/2021").as_deref(), Some("2021-01-27"));
        assert_eq!(iso_date("January 27, 2021").as_deref(), Some("2021-01-27"));
        assert_eq!(iso_date("soon"), None);
    }
}
