//! Arguments turned into plans: resolved paths, parsed dates, validated values.

use std::io::IsTerminal;
use std::path::PathBuf;

use crate::cli::{ColorArg, FacetArg, IndexArgs, QueryArgs, SectionArg};
use crate::error::Error;
use crate::model::Section;

/// What `callsearch index` will do.
#[derive(Debug, Clone)]
pub struct IndexPlan {
    pub inputs: Vec<PathBuf>,
    pub index_dir: PathBuf,
    pub threads: usize,
    pub memory_bytes: usize,
    pub rebuild: bool,
    pub progress: bool,
    pub summary: bool,
    pub json: bool,
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
            summary: !a.quiet,
            json: a.json,
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

/// A field users can facet on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Facet {
    Speaker,
    Firm,
    Company,
    Role,
    Period,
    Year,
    Section,
}

impl Facet {
    pub fn name(self) -> &'static str {
        match self {
            Facet::Speaker => "speaker",
            Facet::Firm => "firm",
            Facet::Company => "company",
            Facet::Role => "role",
            Facet::Period => "period",
            Facet::Year => "year",
            Facet::Section => "section",
        }
    }
}

/// What `callsearch query` will do.
#[derive(Debug, Clone)]
pub struct QueryPlan {
    pub index_dir: PathBuf,
    pub query: String,
    pub limit: usize,
    pub json: bool,
    pub filters: Filters,
    pub facets: Vec<Facet>,
    pub facet_limit: usize,
    pub with_question: bool,
    pub context: usize,
    pub demote: bool,
    pub color: bool,
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
        let mut facets: Vec<Facet> = a.facet.iter().map(|f| facet(*f)).collect();
        facets.dedup();
        Ok(QueryPlan {
            index_dir: a.index.clone(),
            query: a.query.trim().to_string(),
            limit: a.limit,
            json: a.json,
            filters,
            facets,
            facet_limit: a.facet_limit,
            with_question: a.with_question,
            context: a.context,
            demote: !a.no_demote,
            color: use_color(a.color),
        })
    }
}

fn facet(f: FacetArg) -> Facet {
    match f {
        FacetArg::Speaker => Facet::Speaker,
        FacetArg::Firm => Facet::Firm,
        FacetArg::Company => Facet::Company,
        FacetArg::Role => Facet::Role,
        FacetArg::Period => Facet::Period,
        FacetArg::Year => Facet::Year,
        FacetArg::Section => Facet::Section,
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
