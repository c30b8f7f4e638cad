//! Command-line arguments (clap derive). They stop here: `config.rs` turns them into plans.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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
    /// Stream every passage as NDJSON or an OpenSearch bulk body.
    Export(ExportArgs),
    /// Internal: extract a PDF read from stdin, in the limited child process.
    #[command(name = "__extract", hide = true)]
    Extract(ExtractArgs),
}

#[derive(Args, Debug)]
pub struct ExtractArgs {
    /// Rebuild the file's cross-reference table before extracting.
    #[arg(long)]
    pub repair: bool,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// Index folder.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExportFormatArg::Ndjson)]
    pub format: ExportFormatArg,
    /// Write to this file instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormatArg {
    Ndjson,
    OpensearchBulk,
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
    /// Start over: empty the index before indexing.
    #[arg(long)]
    pub rebuild: bool,
    /// No progress bar and no summary.
    #[arg(long, short)]
    pub quiet: bool,
    /// Print the summary as one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Read every file as this layout instead of detecting it (see `callsearch formats`).
    #[arg(long)]
    pub layout: Option<String>,
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
    /// JSON Lines: one object per hit, per facet, then a summary.
    #[arg(long)]
    pub json: bool,
    /// Only passages by this speaker (any part of the name, case-insensitive).
    #[arg(long)]
    pub speaker: Option<String>,
    /// Only passages by speakers from this firm (`jefferies` matches `Jefferies and Co.`).
    #[arg(long)]
    pub firm: Option<String>,
    /// Only this company (name or ticker).
    #[arg(long)]
    pub company: Option<String>,
    /// Only this role class or title: executive, analyst, operator, other, ceo, cfo, coo, cto, president, chair, ir.
    #[arg(long)]
    pub role: Option<String>,
    /// Only this section.
    #[arg(long, value_enum)]
    pub section: Option<SectionArg>,
    /// Only calls on or after this date (YYYY-MM-DD).
    #[arg(long)]
    pub since: Option<String>,
    /// Only calls on or before this date (YYYY-MM-DD).
    #[arg(long)]
    pub until: Option<String>,
    /// Only this fiscal period (`Q2 2011`) or fiscal year (`2011`).
    #[arg(long)]
    pub period: Option<String>,
    /// Count matching passages per value of a field (repeatable).
    #[arg(long, value_enum)]
    pub facet: Vec<FacetArg>,
    /// Values shown per facet.
    #[arg(long, default_value_t = 20)]
    pub facet_limit: usize,
    /// Print, above each answer, the analyst question it answers.
    #[arg(long)]
    pub with_question: bool,
    /// Only answers to questions asked by this person.
    #[arg(long)]
    pub asked_by: Option<String>,
    /// Only answers to questions asked by someone from this firm.
    #[arg(long)]
    pub asked_by_firm: Option<String>,
    /// Paragraphs of the same call to print before and after each hit.
    #[arg(long, short = 'C', default_value_t = 0)]
    pub context: usize,
    /// Every word must match, stopwords included, instead of all words first, then most.
    #[arg(long)]
    pub all_words: bool,
    /// Do not rank operator lines and safe-harbor boilerplate lower.
    #[arg(long)]
    pub no_demote: bool,
    /// When to colour output.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
}

#[derive(Args, Debug)]
pub struct ParseArgs {
    /// A transcript file.
    pub file: PathBuf,
    /// Print the parse as one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Read the file as this layout instead of detecting it (see `callsearch formats`).
    #[arg(long)]
    pub layout: Option<String>,
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Files or folders to check.
    #[arg(default_value = "corpus")]
    pub paths: Vec<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Read every file as this layout instead of detecting it (see `callsearch formats`).
    #[arg(long)]
    pub layout: Option<String>,
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
