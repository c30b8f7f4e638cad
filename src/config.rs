//! Arguments turned into plans: resolved paths, parsed dates, validated values.

use std::io::IsTerminal;
use std::path::PathBuf;

use crate::cli::{
    ColorArg, ExportArgs, ExportFormatArg, FacetArg, IndexArgs, ParseArgs, QueryArgs, ReportArgs,
    SectionArg,
};
use crate::error::Error;
use crate::index::fields::F;
use crate::transcript::Layout;
use crate::transcript::model::Section;

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
    pub progress: bool,
    /// How to print the summary; `None` with `--quiet`.
    pub output: Option<OutputFormat>,
    /// `--layout`: read every file as this layout.
    pub layout: Option<&'static dyn Layout>,
}

impl IndexPlan {
    pub fn from_args(a: &IndexArgs) -> Result<Self, Error> {
        if a.memory < 16 {
            return Err(Error::Input(format!(
                "--memory {}: at least 16 MB is needed",
                a.memory
            )));
        }
        if a.threads == Some(0) {
            return Err(Error::Input(
                "--threads 0: at least one thread is needed".into(),
            ));
        }
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Ok(IndexPlan {
            inputs: a.paths.clone(),
            index_dir: a.index.clone(),
            threads: a.threads.unwrap_or(cores),
            memory_bytes: a.memory << 20,
            rebuild: a.rebuild,
            progress: !a.quiet && !a.json && std::io::stderr().is_terminal(),
            output: (a.json || !a.quiet).then(|| OutputFormat::from_flag(a.json)),
            layout: forced_layout(&a.layout)?,
        })
    }
}

/// Restrictions on which passages a query may return.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub speaker: Option<String>,
    pub firm: Option<String>,
    pub company: Option<String>,
    pub role: Option<String>,
    pub section: Option<Section>,
    /// Inclusive day bounds, `YYYY-MM-DD`.
    pub since: Option<String>,
    pub until: Option<String>,
    pub period: Option<String>,
    pub asked_by: Option<String>,
    pub asked_by_firm: Option<String>,
}

impl Filters {
    /// True when any filter is set.
    pub fn any(&self) -> bool {
        let texts = [
            &self.speaker,
            &self.firm,
            &self.company,
            &self.role,
            &self.since,
            &self.until,
            &self.period,
            &self.asked_by,
            &self.asked_by_firm,
        ];
        self.section.is_some() || texts.iter().any(|t| t.is_some())
    }
}

/// What a query looks for: the part of a query plan that search reads.
#[derive(Debug, Clone)]
pub struct SearchPlan {
    pub index_dir: PathBuf,
    pub query: String,
    pub limit: usize,
    pub filters: Filters,
    /// Facet columns to count, in the order asked.
    pub facets: Vec<F>,
    pub facet_limit: usize,
    /// Paragraphs of context before and after each hit.
    pub context: usize,
    pub demote: bool,
    /// Every word must match, stopwords included (no "most words" set).
    pub all_words: bool,
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
        let filters = Filters {
            speaker: non_empty("--speaker", &a.speaker)?,
            firm: non_empty("--firm", &a.firm)?,
            company: non_empty("--company", &a.company)?,
            role: non_empty("--role", &a.role)?,
            section: a.section.map(|s| match s {
                SectionArg::Presentation => Section::Presentation,
                SectionArg::Qa => Section::Qa,
            }),
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
        let mut facets: Vec<F> = a.facet.iter().map(|f| facet_field(*f)).collect();
        facets.dedup();
        let search = SearchPlan {
            index_dir: a.index.clone(),
            query: a.query.trim().to_string(),
            limit: a.limit,
            filters,
            facets,
            facet_limit: a.facet_limit,
            context: a.context,
            demote: !a.no_demote,
            all_words: a.all_words,
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

/// The column a `--facet` counts.
fn facet_field(f: FacetArg) -> F {
    match f {
        FacetArg::Speaker => F::SpeakerFacet,
        FacetArg::Firm => F::FirmFacet,
        FacetArg::Company => F::CompanyFacet,
        FacetArg::Role => F::RoleFacet,
        FacetArg::Period => F::PeriodFacet,
        FacetArg::Year => F::Year,
        FacetArg::Section => F::Section,
    }
}

/// What `callsearch parse` will do.
#[derive(Debug, Clone)]
pub struct ParsePlan {
    pub file: PathBuf,
    pub output: OutputFormat,
    /// `--layout`: read the file as this layout.
    pub layout: Option<&'static dyn Layout>,
}

impl ParsePlan {
    pub fn from_args(a: &ParseArgs) -> Result<Self, Error> {
        Ok(ParsePlan {
            file: a.file.clone(),
            output: OutputFormat::from_flag(a.json),
            layout: forced_layout(&a.layout)?,
        })
    }
}

/// What `callsearch report` will do.
#[derive(Debug, Clone)]
pub struct ReportPlan {
    pub inputs: Vec<PathBuf>,
    pub output: OutputFormat,
    /// `--layout`: read every file as this layout.
    pub layout: Option<&'static dyn Layout>,
}

impl ReportPlan {
    pub fn from_args(a: &ReportArgs) -> Result<Self, Error> {
        Ok(ReportPlan {
            inputs: a.paths.clone(),
            output: OutputFormat::from_flag(a.json),
            layout: forced_layout(&a.layout)?,
        })
    }
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
}

/// What `callsearch export` will do.
#[derive(Debug, Clone)]
pub struct ExportPlan {
    pub index_dir: PathBuf,
    pub format: ExportFormat,
    /// A file to write instead of stdout.
    pub out: Option<PathBuf>,
}

impl ExportPlan {
    pub fn from_args(a: &ExportArgs) -> Self {
        ExportPlan {
            index_dir: a.index.clone(),
            format: match a.format {
                ExportFormatArg::Ndjson => ExportFormat::Ndjson,
                ExportFormatArg::OpensearchBulk => ExportFormat::OpensearchBulk,
            },
            out: a.out.clone(),
        }
    }
}

fn non_empty(flag: &str, v: &Option<String>) -> Result<Option<String>, Error> {
    match v.as_deref().map(str::trim) {
        Some("") => Err(Error::Input(format!("{flag}: empty value"))),
        Some(s) => Ok(Some(s.to_string())),
        None => Ok(None),
    }
}

/// Validate a `YYYY-MM-DD` date argument.
fn day(flag: &str, v: &Option<String>) -> Result<Option<String>, Error> {
    let Some(s) = v.as_deref().map(str::trim) else {
        return Ok(None);
    };
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(s, &format)
        .map(|_| Some(s.to_string()))
        .map_err(|_| Error::Input(format!("{flag} {s}: expected a date as YYYY-MM-DD")))
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
