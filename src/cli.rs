//! Command-line arguments (clap derive). They stop here: `config.rs` turns them into plans.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// The default of `--max-file-size`, in MB.
pub const DEFAULT_MAX_FILE_MB: u64 = crate::transcript::layouts::MAX_FILE_BYTES >> 20;

#[derive(Parser, Debug)]
#[command(
    name = "callsearch",
    version,
    about = "Index earnings-call transcripts into per-speaker passages and search them",
    after_help = "Exit codes: 0 hits found / command succeeded, 1 no hits (query) or some files failed (index), 2 error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Walk folders of transcripts and build or update the index.
    Index(IndexArgs),
    /// Search the index: ranked passages, filters, facets.
    Query(Box<QueryArgs>),
    /// Show what the parser makes of one file.
    Parse(ParseArgs),
    /// List the supported transcript layouts.
    Formats,
    /// Parse every file under folders and print per-layout figures (nothing is indexed).
    Report(ReportArgs),
    /// Write exactly the passages a query matches (all of them) as NDJSON, an
    /// OpenSearch bulk body, CSV or Parquet.
    Export(ExportArgs),
    /// Count a query's matching calls and passages per quarter, year or fiscal period.
    Trend(TrendArgs),
    /// Serve the search as a local web app and JSON API (read-only; follows new commits).
    Serve(ServeArgs),
    /// Internal: extract a PDF read from stdin, in the limited child process.
    #[command(name = "__extract", hide = true)]
    Extract(ExtractArgs),
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Index folder.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
    /// TCP port (0: any free port; the address is printed at start).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Address to listen on. Anything but a loopback address is reachable from other
    /// machines, with no authentication: put a reverse proxy with authentication in front.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Also use the synonym groups in FILE, read once at start (default:
    /// $CALLSEARCH_SYNONYMS when set).
    #[arg(long, value_name = "FILE")]
    pub synonyms: Option<PathBuf>,
    /// Searches run at once; more wait up to 2 s for a turn, then get 503
    /// (default: twice the machine's cores).
    #[arg(long)]
    pub max_searches: Option<usize>,
}

#[derive(Args, Debug)]
pub struct ExtractArgs {
    /// Rebuild the file's cross-reference table before extracting.
    #[arg(long)]
    pub repair: bool,
    /// Read this Parquet dataset and print its rows instead (JSON Lines).
    #[arg(long, value_name = "FILE")]
    pub parquet: Option<std::path::PathBuf>,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// The query (default `*`: every passage).
    #[arg(allow_hyphen_values = true, default_value = "*")]
    pub query: String,
    /// Index folder.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExportFormatArg::Ndjson)]
    pub format: ExportFormatArg,
    /// Write to this file instead of stdout (written beside it, then renamed).
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Order of the passages: newest call first in speaking order, or by relevance.
    #[arg(long, value_enum, default_value_t = SortArg::Date)]
    pub sort: SortArg,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormatArg {
    Ndjson,
    OpensearchBulk,
    Csv,
    Parquet,
}

#[derive(Args, Debug)]
pub struct TrendArgs {
    /// The query (`*` for every passage).
    #[arg(allow_hyphen_values = true)]
    pub query: String,
    /// Index folder.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
    /// Bucket by calendar quarter of the call date, calendar year, or fiscal period.
    #[arg(long, value_enum, default_value_t = TrendByArg::Quarter)]
    pub by: TrendByArg,
    /// One series per company, speaker, firm or role class (the top --split-limit by calls).
    #[arg(long, value_enum)]
    pub split: Option<TrendSplitArg>,
    /// Series shown with --split.
    #[arg(long, default_value_t = 5)]
    pub split_limit: usize,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// JSON Lines: one object per bucket, the undated calls, then a summary.
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// CSV: the table with a header row.
    #[arg(long)]
    pub csv: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrendByArg {
    Quarter,
    Year,
    Period,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrendSplitArg {
    Company,
    Speaker,
    Firm,
    Role,
}

#[derive(Args, Debug)]
pub struct IndexArgs {
    /// Files or folders to index.
    #[arg(default_value = "corpus")]
    pub paths: Vec<PathBuf>,
    /// Index folder.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
    /// Parsing and indexing threads (default: the machine's cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Indexing memory budget in MB for tantivy's in-memory segments (peak RSS is about
    /// this plus 300 MB).
    #[arg(long, default_value_t = 160)]
    pub memory: usize,
    /// Start over: build a new index beside the old one, which answers queries until
    /// the new one is committed.
    #[arg(long)]
    pub rebuild: bool,
    /// Files (and decompressed data) larger than this many MB are not read.
    #[arg(long, value_name = "MB", default_value_t = DEFAULT_MAX_FILE_MB)]
    pub max_file_size: u64,
    /// No progress bar and no summary.
    #[arg(long, short)]
    pub quiet: bool,
    /// Print the summary as one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Read every file as this layout instead of detecting it (see `callsearch formats`).
    #[arg(long)]
    pub layout: Option<String>,
    /// Dataset columns by field, when a CSV, JSON Lines or Parquet file does not use the
    /// usual names: `text=full_text,date=event_date,ticker=symbol` (fields: text, id,
    /// order, type, speaker, speaker_type, role, firm, company, ticker, date, event, period).
    #[arg(long, value_name = "FIELD=COLUMN,...")]
    pub columns: Option<String>,
}

#[derive(Args, Debug)]
#[command(after_help = query_syntax_help())]
pub struct QueryArgs {
    /// The query (`*` for every passage).
    #[arg(allow_hyphen_values = true)]
    pub query: String,
    /// Index folder.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
    /// Number of passages to print.
    #[arg(long, short = 'n', default_value_t = 10)]
    pub limit: usize,
    /// Skip this many ranked passages first (the next page is `--offset` plus `--limit`).
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// JSON Lines: one object per hit, per facet, then a summary.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Order of the passages: by relevance, or newest call first in speaking order.
    #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
    pub sort: SortArg,
    /// Count matching passages per value of a field (repeatable).
    #[arg(long, value_enum)]
    pub facet: Vec<FacetArg>,
    /// Values shown per facet.
    #[arg(long, default_value_t = 20)]
    pub facet_limit: usize,
    /// Print, above each answer, the analyst question it answers.
    #[arg(long)]
    pub with_question: bool,
    /// Paragraphs of the same call to print before and after each hit.
    #[arg(long, short = 'C', default_value_t = 0)]
    pub context: usize,
    /// Do not rank operator lines and safe-harbor boilerplate lower.
    #[arg(long)]
    pub no_demote: bool,
    /// When to colour output.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
}

/// The filters a query, `trend` and `export` share. A repeated flag means either value.
#[derive(Args, Debug, Clone, Default)]
pub struct FilterArgs {
    /// Only passages by this speaker (any part of the name, case-insensitive; repeat for either).
    #[arg(long)]
    pub speaker: Vec<String>,
    /// Only passages by speakers from this firm (`jefferies` matches `Jefferies and Co.`).
    #[arg(long)]
    pub firm: Vec<String>,
    /// Only this company (name or ticker; repeat for either).
    #[arg(long)]
    pub company: Vec<String>,
    /// Only this role class or title: executive, analyst, operator, other, ceo, cfo, coo, cto, president, chair, ir.
    #[arg(long)]
    pub role: Vec<String>,
    /// Only this section.
    #[arg(long, value_enum)]
    pub section: Vec<SectionArg>,
    /// Only calls on or after this date (YYYY-MM-DD).
    #[arg(long)]
    pub since: Option<String>,
    /// Only calls on or before this date (YYYY-MM-DD).
    #[arg(long)]
    pub until: Option<String>,
    /// Only this fiscal period (`Q2 2011`) or fiscal year (`2011`).
    #[arg(long)]
    pub period: Vec<String>,
    /// Only answers to questions asked by this person.
    #[arg(long)]
    pub asked_by: Vec<String>,
    /// Only answers to questions asked by someone from this firm.
    #[arg(long)]
    pub asked_by_firm: Vec<String>,
    /// Every word must match, stopwords included, instead of all words first, then most.
    #[arg(long)]
    pub all_words: bool,
    /// Also use the synonym groups in FILE (one per line: `backlog = order book`);
    /// default: $CALLSEARCH_SYNONYMS when set.
    #[arg(long, value_name = "FILE")]
    pub synonyms: Option<PathBuf>,
    /// Search only the words typed, no finance synonyms.
    #[arg(long, conflicts_with = "synonyms")]
    pub no_synonyms: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortArg {
    // By score (BM25 with demotion).
    Relevance,
    // Newest call first, each call in speaking order.
    Date,
}

#[derive(Args, Debug)]
pub struct ParseArgs {
    /// A transcript file.
    pub file: PathBuf,
    /// Files (and decompressed data) larger than this many MB are not read.
    #[arg(long, value_name = "MB", default_value_t = DEFAULT_MAX_FILE_MB)]
    pub max_file_size: u64,
    /// Print the parse as JSON Lines: one compact object per call.
    #[arg(long)]
    pub json: bool,
    /// Read the file as this layout instead of detecting it (see `callsearch formats`).
    #[arg(long)]
    pub layout: Option<String>,
    /// Dataset columns by field, when a CSV, JSON Lines or Parquet file does not use the
    /// usual names: `text=full_text,date=event_date,ticker=symbol` (fields: text, id,
    /// order, type, speaker, speaker_type, role, firm, company, ticker, date, event, period).
    #[arg(long, value_name = "FIELD=COLUMN,...")]
    pub columns: Option<String>,
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Files or folders to check.
    #[arg(default_value = "corpus")]
    pub paths: Vec<PathBuf>,
    /// Files (and decompressed data) larger than this many MB are not read.
    #[arg(long, value_name = "MB", default_value_t = DEFAULT_MAX_FILE_MB)]
    pub max_file_size: u64,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Read every file as this layout instead of detecting it (see `callsearch formats`).
    #[arg(long)]
    pub layout: Option<String>,
    /// Dataset columns by field, when a CSV, JSON Lines or Parquet file does not use the
    /// usual names: `text=full_text,date=event_date,ticker=symbol` (fields: text, id,
    /// order, type, speaker, speaker_type, role, firm, company, ticker, date, event, period).
    #[arg(long, value_name = "FIELD=COLUMN,...")]
    pub columns: Option<String>,
    /// Merge rules to apply as `index` applies an index folder's `people.txt` (same
    /// format), e.g. `--people index/people.txt`.
    #[arg(long, value_name = "FILE")]
    pub people: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SectionArg {
    Presentation,
    Qa,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FacetArg {
    Speaker,
    Firm,
    Company,
    Role,
    Period,
    Year,
    Quarter,
    Section,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

/// The query syntax, with the `field:value` names from the field table.
fn query_syntax_help() -> String {
    let fields = crate::index::fields::query_field_names().join(", ");
    format!(
        "Plain words or a pasted sentence: passages holding every content word rank first, \
then those holding at least half of them or a figure typed (stopwords never count; finance \
synonyms such as eps / earnings per share also match; --all-words requires every word). \
Explicit syntax keeps its strict meaning (all terms must match): \"phrases\", AND / OR / NOT, \
-word, word*, word~1, field:value on {fields}; \
date:[2011-01-01T00:00:00Z TO 2012-01-01T00:00:00Z]; * matches every passage. \
Each filter flag can also be written inside the query (e.g. speaker:\"carl russo\")."
    )
}
