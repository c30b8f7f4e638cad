//! Arguments turned into plans: resolved paths, parsed dates, validated values.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;

use crate::cli::{
    ColorArg, ExportArgs, ExportFormatArg, FacetArg, FilterArgs, IndexArgs, ParseArgs, QueryArgs,
    ReportArgs, SectionArg, ServeArgs, SortArg, TrendArgs, TrendByArg, TrendSplitArg,
};
use crate::error::Error;
use crate::index::fields::F;
use crate::search::synonyms::SynonymTable;
use crate::transcript::Layout;
use crate::transcript::identity::UserRules;
use crate::transcript::model::Section;
use crate::transcript::tabular::Columns;

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// For people: tables and grouped hits, ANSI colour when `color`.
    Human { color: bool },
    /// For programs: JSON (Lines, for queries).
    Json,
}

impl OutputFormat {
    fn from_flag(json: bool) -> Self {
        if json {
            OutputFormat::Json
        } else {
            OutputFormat::Human { color: false }
        }
    }
}

/// What `callsearch index` will do.
#[derive(Debug, Clone)]
pub struct IndexPlan {
    pub inputs: Vec<PathBuf>,
    pub index_dir: PathBuf,
    pub threads: usize,
    pub memory_bytes: usize,
    pub rebuild: bool,
    /// Files and decompressed data larger than this are not read (bytes).
    pub max_file_bytes: u64,
    pub progress: bool,
    /// How to print the summary; `None` with `--quiet`.
    pub output: Option<OutputFormat>,
    /// `--layout`: read every file as this layout.
    pub layout: Option<&'static dyn Layout>,
    /// `--columns`: dataset columns named by the user.
    pub columns: Columns,
}

impl IndexPlan {
    pub fn from_args(a: &IndexArgs) -> Result<Self, Error> {
        if !(MIN_MEMORY_MB..=MAX_MEMORY_MB).contains(&a.memory) {
            return Err(Error::Input(format!(
                "--memory {}: the range is {MIN_MEMORY_MB} to {MAX_MEMORY_MB} MB",
                a.memory
            )));
        }
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Ok(IndexPlan {
            inputs: a.paths.clone(),
            index_dir: a.index.clone(),
            threads: threads(a.threads, cores)?,
            memory_bytes: a.memory << 20,
            rebuild: a.rebuild,
            max_file_bytes: max_file_bytes(a.max_file_size)?,
            progress: !a.quiet && !a.json && std::io::stderr().is_terminal(),
            output: (a.json || !a.quiet).then(|| OutputFormat::from_flag(a.json)),
            layout: forced_layout(&a.layout)?,
            columns: dataset_columns(&a.columns)?,
        })
    }
}

/// `--memory` bounds, in MB: tantivy needs about 15 MB per thread and takes at most
/// 4 GB per thread.
pub const MIN_MEMORY_MB: usize = 16;
pub const MAX_MEMORY_MB: usize = 4000;

/// More threads than this many per core only add memory and switching, never speed.
pub const THREADS_PER_CORE: usize = 4;
/// The most threads a run uses, whatever the machine.
pub const MAX_THREADS: usize = 256;

/// `--threads`, capped at [`THREADS_PER_CORE`] per core and [`MAX_THREADS`] (a
/// message says so); the machine's cores by default.
fn threads(asked: Option<usize>, cores: usize) -> Result<usize, Error> {
    let cap = (cores * THREADS_PER_CORE).min(MAX_THREADS);
    match asked {
        None => Ok(cores.min(cap)),
        Some(0) => Err(Error::Input(
            "--threads 0: at least one thread is needed".into(),
        )),
        Some(n) if n > cap => {
            eprintln!(
                "note: --threads {n} is more than this machine can use: using {cap} ({THREADS_PER_CORE} per core, at most {MAX_THREADS})"
            );
            Ok(cap)
        }
        Some(n) => Ok(n),
    }
}

/// `--max-file-size` bounds, in MB: a file is read whole, once per thread at a time.
pub const MAX_FILE_MB: u64 = 2048;

fn max_file_bytes(mb: u64) -> Result<u64, Error> {
    if !(1..=MAX_FILE_MB).contains(&mb) {
        return Err(Error::Input(format!(
            "--max-file-size {mb}: the range is 1 to {MAX_FILE_MB} MB"
        )));
    }
    Ok(mb << 20)
}

/// Restrictions on which passages a query may return. Each list means "any of these"
/// (a repeated flag); different filters must all hold.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub speaker: Vec<String>,
    pub firm: Vec<String>,
    pub company: Vec<String>,
    pub role: Vec<String>,
    pub section: Vec<Section>,
    /// Inclusive day bounds, `YYYY-MM-DD`.
    pub since: Option<String>,
    pub until: Option<String>,
    pub period: Vec<String>,
    pub asked_by: Vec<String>,
    pub asked_by_firm: Vec<String>,
}

impl Filters {
    /// True when any filter is set.
    pub fn any(&self) -> bool {
        let lists = [
            &self.speaker,
            &self.firm,
            &self.company,
            &self.role,
            &self.period,
            &self.asked_by,
            &self.asked_by_firm,
        ];
        !self.section.is_empty()
            || self.since.is_some()
            || self.until.is_some()
            || lists.iter().any(|l| !l.is_empty())
    }

    /// The filter flags, validated.
    pub fn from_args(a: &FilterArgs) -> Result<Self, Error> {
        let filters = Filters {
            speaker: non_empty("--speaker", &a.speaker)?,
            firm: non_empty("--firm", &a.firm)?,
            company: non_empty("--company", &a.company)?,
            role: non_empty("--role", &a.role)?,
            section: a
                .section
                .iter()
                .map(|s| match s {
                    SectionArg::Presentation => Section::Presentation,
                    SectionArg::Qa => Section::Qa,
                })
                .collect(),
            since: day("--since", &a.since)?,
            until: day("--until", &a.until)?,
            period: non_empty("--period", &a.period)?,
            asked_by: non_empty("--asked-by", &a.asked_by)?,
            asked_by_firm: non_empty("--asked-by-firm", &a.asked_by_firm)?,
        };
        if let (Some(s), Some(u)) = (&filters.since, &filters.until)
            && s > u
        {
            return Err(Error::Input(format!("--since {s} is after --until {u}")));
        }
        Ok(filters)
    }
}

/// The order of a query's passages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// By score; `*` (nothing to score) in date order.
    #[default]
    Relevance,
    /// Newest call first, each call in speaking order.
    Date,
}

impl Sort {
    fn from_arg(a: SortArg) -> Self {
        match a {
            SortArg::Relevance => Sort::Relevance,
            SortArg::Date => Sort::Date,
        }
    }
}

/// What a query looks for: the part of a query plan that search reads.
#[derive(Debug, Clone)]
pub struct SearchPlan {
    pub index_dir: PathBuf,
    pub query: String,
    pub limit: usize,
    /// Ranked passages skipped before the `limit` returned (paging).
    pub offset: usize,
    pub filters: Filters,
    /// Facet columns to count, in the order asked.
    pub facets: Vec<F>,
    pub facet_limit: usize,
    /// Paragraphs of context before and after each hit.
    pub context: usize,
    pub demote: bool,
    /// Every word must match, stopwords included (no "most words" set).
    pub all_words: bool,
    /// Finance synonyms searched besides the words typed.
    pub synonyms: Arc<SynonymTable>,
    pub sort: Sort,
}

/// What each printed hit shows beyond the passage.
#[derive(Debug, Clone, Copy, Default)]
pub struct HitView {
    pub with_question: bool,
    pub with_context: bool,
}

/// What `callsearch query` will do.
#[derive(Debug, Clone)]
pub struct QueryPlan {
    pub search: SearchPlan,
    pub view: HitView,
    pub output: OutputFormat,
}

impl QueryPlan {
    pub fn from_args(a: &QueryArgs) -> Result<Self, Error> {
        Self::with_synonyms(a, synonym_table(&a.filters)?)
    }

    /// [`QueryPlan::from_args`] with a synonym table loaded before (the server loads
    /// its table once, so no request reads a file).
    pub fn with_synonyms(a: &QueryArgs, synonyms: Arc<SynonymTable>) -> Result<Self, Error> {
        let filters = Filters::from_args(&a.filters)?;
        let mut facets: Vec<F> = a.facet.iter().map(|f| facet_field(*f)).collect();
        facets.dedup();
        let search = SearchPlan {
            index_dir: a.index.clone(),
            query: a.query.trim().to_string(),
            limit: a.limit,
            offset: a.offset,
            filters,
            facets,
            facet_limit: a.facet_limit,
            context: a.context,
            demote: !a.no_demote,
            all_words: a.filters.all_words,
            synonyms,
            sort: Sort::from_arg(a.sort),
        };
        let output = if a.json {
            OutputFormat::Json
        } else {
            OutputFormat::Human {
                color: use_color(a.color),
            }
        };
        Ok(QueryPlan {
            search,
            view: HitView {
                with_question: a.with_question,
                with_context: a.context > 0,
            },
            output,
        })
    }
}

/// `--no-synonyms`, `--synonyms FILE` (or `CALLSEARCH_SYNONYMS`), else the curated table.
pub fn synonym_table(a: &FilterArgs) -> Result<Arc<SynonymTable>, Error> {
    let from_env = std::env::var_os("CALLSEARCH_SYNONYMS").map(PathBuf::from);
    let table = match a.synonyms.clone().or(from_env) {
        _ if a.no_synonyms => Ok(SynonymTable::none()),
        Some(path) => SynonymTable::with_file(&path).map_err(|e| match e {
            Error::Input(m) => Error::Input(format!("--synonyms: {m}")),
            e => e,
        }),
        None => Ok(SynonymTable::builtin()),
    };
    table.map(Arc::new)
}

/// The column a `--facet` counts.
fn facet_field(f: FacetArg) -> F {
    match f {
        FacetArg::Speaker => F::SpeakerFacet,
        FacetArg::Firm => F::FirmFacet,
        FacetArg::Company => F::CompanyFacet,
        FacetArg::Role => F::RoleFacet,
        FacetArg::Period => F::PeriodFacet,
        FacetArg::Year => F::Year,
        FacetArg::Quarter => F::QuarterFacet,
        FacetArg::Section => F::Section,
    }
}

/// What `callsearch parse` will do.
#[derive(Debug, Clone)]
pub struct ParsePlan {
    pub file: PathBuf,
    pub max_file_bytes: u64,
    pub output: OutputFormat,
    /// `--layout`: read the file as this layout.
    pub layout: Option<&'static dyn Layout>,
    /// `--columns`: dataset columns named by the user.
    pub columns: Columns,
}

impl ParsePlan {
    pub fn from_args(a: &ParseArgs) -> Result<Self, Error> {
        Ok(ParsePlan {
            file: a.file.clone(),
            max_file_bytes: max_file_bytes(a.max_file_size)?,
            output: OutputFormat::from_flag(a.json),
            layout: forced_layout(&a.layout)?,
            columns: dataset_columns(&a.columns)?,
        })
    }
}

/// What `callsearch report` will do.
#[derive(Debug, Clone)]
pub struct ReportPlan {
    pub inputs: Vec<PathBuf>,
    pub max_file_bytes: u64,
    pub output: OutputFormat,
    /// `--layout`: read every file as this layout.
    pub layout: Option<&'static dyn Layout>,
    /// `--columns`: dataset columns named by the user.
    pub columns: Columns,
    /// `--people FILE`: the user's merge rules, as `index` reads `people.txt`.
    pub people: UserRules,
}

impl ReportPlan {
    pub fn from_args(a: &ReportArgs) -> Result<Self, Error> {
        Ok(ReportPlan {
            inputs: a.paths.clone(),
            max_file_bytes: max_file_bytes(a.max_file_size)?,
            output: OutputFormat::from_flag(a.json),
            layout: forced_layout(&a.layout)?,
            columns: dataset_columns(&a.columns)?,
            people: match &a.people {
                Some(path) => UserRules::read(path)?,
                None => UserRules::default(),
            },
        })
    }
}

/// `--columns FIELD=COLUMN,...` checked against the known fields.
fn dataset_columns(spec: &Option<String>) -> Result<Columns, Error> {
    Columns::parse(spec.as_deref().unwrap_or_default()).map_err(Error::Input)
}

/// `--layout NAME` checked against the registry.
fn forced_layout(name: &Option<String>) -> Result<Option<&'static dyn Layout>, Error> {
    crate::transcript::layouts::layout_arg(name.as_deref()).map_err(Error::Input)
}

/// How `export` writes passages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// One passage object per line.
    Ndjson,
    /// An OpenSearch `_bulk` body: an action line before each passage.
    OpensearchBulk,
    /// A header row, then one row per passage (lists joined with `; `).
    Csv,
    /// An Apache Parquet file (lists as lists, the date as a date).
    Parquet,
}

/// What `callsearch export` will do.
#[derive(Debug, Clone)]
pub struct ExportPlan {
    /// Which passages, in which order (`limit` is unused: all of them).
    pub search: SearchPlan,
    pub format: ExportFormat,
    /// A file to write instead of stdout.
    pub out: Option<PathBuf>,
}

impl ExportPlan {
    pub fn from_args(a: &ExportArgs) -> Result<Self, Error> {
        let format = match a.format {
            ExportFormatArg::Ndjson => ExportFormat::Ndjson,
            ExportFormatArg::OpensearchBulk => ExportFormat::OpensearchBulk,
            ExportFormatArg::Csv => ExportFormat::Csv,
            ExportFormatArg::Parquet => ExportFormat::Parquet,
        };
        if format == ExportFormat::Parquet && a.out.is_none() && std::io::stdout().is_terminal() {
            return Err(Error::Input(
                "--format parquet: not writing binary to a terminal; use --out FILE".into(),
            ));
        }
        Ok(ExportPlan {
            search: matching_plan(
                &a.index,
                &a.query,
                &a.filters,
                Sort::from_arg(a.sort),
                synonym_table(&a.filters)?,
            )?,
            format,
            out: a.out.clone(),
        })
    }
}

/// What `callsearch trend` will do.
#[derive(Debug, Clone)]
pub struct TrendPlan {
    /// The matching set (the query's own) and its filters.
    pub search: SearchPlan,
    pub by: TrendBy,
    pub split: Option<TrendSplit>,
    pub split_limit: usize,
    pub output: TrendOutput,
}

/// The buckets of a trend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrendBy {
    /// Calendar quarter of the call date: `2019-Q1`.
    Quarter,
    /// Calendar year of the call date: `2019`.
    Year,
    /// Fiscal period as the call states it: `Q1 2019`.
    Period,
}

/// What one series of a split trend is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrendSplit {
    Company,
    Speaker,
    Firm,
    Role,
}

impl TrendSplit {
    /// The fast column a series is read from.
    pub fn column(self) -> F {
        match self {
            TrendSplit::Company => F::CompanyFacet,
            TrendSplit::Speaker => F::SpeakerFacet,
            TrendSplit::Firm => F::FirmFacet,
            TrendSplit::Role => F::RoleClass,
        }
    }
}

/// How a trend is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrendOutput {
    Human,
    Json,
    Csv,
}

impl TrendPlan {
    pub fn from_args(a: &TrendArgs) -> Result<Self, Error> {
        Self::with_synonyms(a, synonym_table(&a.filters)?)
    }

    /// [`TrendPlan::from_args`] with a synonym table loaded before (see
    /// [`QueryPlan::with_synonyms`]).
    pub fn with_synonyms(a: &TrendArgs, synonyms: Arc<SynonymTable>) -> Result<Self, Error> {
        if a.split_limit == 0 {
            return Err(Error::Input(
                "--split-limit 0: at least one series is needed".into(),
            ));
        }
        Ok(TrendPlan {
            search: matching_plan(&a.index, &a.query, &a.filters, Sort::Relevance, synonyms)?,
            by: match a.by {
                TrendByArg::Quarter => TrendBy::Quarter,
                TrendByArg::Year => TrendBy::Year,
                TrendByArg::Period => TrendBy::Period,
            },
            split: a.split.map(|s| match s {
                TrendSplitArg::Company => TrendSplit::Company,
                TrendSplitArg::Speaker => TrendSplit::Speaker,
                TrendSplitArg::Firm => TrendSplit::Firm,
                TrendSplitArg::Role => TrendSplit::Role,
            }),
            split_limit: a.split_limit,
            output: match (a.json, a.csv) {
                (true, _) => TrendOutput::Json,
                (_, true) => TrendOutput::Csv,
                _ => TrendOutput::Human,
            },
        })
    }
}

/// A search plan for the whole matching set of a query (no hits printed, no facets).
fn matching_plan(
    index: &std::path::Path,
    query: &str,
    filters: &FilterArgs,
    sort: Sort,
    synonyms: Arc<SynonymTable>,
) -> Result<SearchPlan, Error> {
    Ok(SearchPlan {
        index_dir: index.to_path_buf(),
        query: query.trim().to_string(),
        limit: 0,
        offset: 0,
        filters: Filters::from_args(filters)?,
        facets: Vec::new(),
        facet_limit: 0,
        context: 0,
        demote: true,
        all_words: filters.all_words,
        synonyms,
        sort,
    })
}

fn non_empty(flag: &str, values: &[String]) -> Result<Vec<String>, Error> {
    let mut out: Vec<String> = Vec::with_capacity(values.len());
    for v in values.iter().map(|v| v.trim()) {
        if v.is_empty() {
            return Err(Error::Input(format!("{flag}: empty value")));
        }
        if !out.iter().any(|o| o == v) {
            out.push(v.to_string());
        }
    }
    Ok(out)
}

/// Validate a `YYYY-MM-DD` date argument.
fn day(flag: &str, v: &Option<String>) -> Result<Option<String>, Error> {
    let Some(s) = v.as_deref().map(str::trim) else {
        return Ok(None);
    };
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(s, &format)
        .map(|_| Some(s.to_string()))
        .map_err(|_| Error::Input(format!("{flag} {s}: {}", bad_day(s))))
}

/// Why `s` is not a day: a month or day that does not exist, or not `YYYY-MM-DD`.
fn bad_day(s: &str) -> String {
    let parts: Vec<&str> = s.split('-').collect();
    let numbers: Option<Vec<u32>> = parts.iter().map(|p| p.parse().ok()).collect();
    let shaped = parts.len() == 3 && [4, 2, 2] == [parts[0].len(), parts[1].len(), parts[2].len()];
    match numbers.as_deref() {
        Some(&[year, month, day]) if shaped => match time::Month::try_from(month as u8) {
            Ok(m) if month <= 12 => {
                let days = m.length(year as i32);
                format!("there is no day {day} in {m} {year} (it has {days} days)")
            }
            _ => format!("there is no month {month} (months are 01 to 12)"),
        },
        _ => "expected a date as YYYY-MM-DD".to_string(),
    }
}

/// Colour only on a terminal, never with `NO_COLOR` set, unless forced.
fn use_color(arg: ColorArg) -> bool {
    match arg {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

/// What `callsearch serve` will do.
#[derive(Debug, Clone)]
pub struct ServePlan {
    pub index_dir: PathBuf,
    pub addr: std::net::SocketAddr,
    /// Loaded once at start: no request reads a file.
    pub synonyms: Arc<SynonymTable>,
    pub max_searches: usize,
}

/// The most searches `serve` runs at once.
pub const MAX_SEARCHES: usize = 256;

impl ServePlan {
    pub fn from_args(a: &ServeArgs) -> Result<Self, Error> {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let max_searches = match a.max_searches {
            None => (2 * cores).min(MAX_SEARCHES),
            Some(n) if (1..=MAX_SEARCHES).contains(&n) => n,
            Some(n) => {
                return Err(Error::Input(format!(
                    "--max-searches {n}: the range is 1 to {MAX_SEARCHES}"
                )));
            }
        };
        let filters = FilterArgs {
            synonyms: a.synonyms.clone(),
            ..FilterArgs::default()
        };
        Ok(ServePlan {
            index_dir: a.index.clone(),
            addr: std::net::SocketAddr::new(a.bind, a.port),
            synonyms: synonym_table(&filters)?,
            max_searches,
        })
    }
}
