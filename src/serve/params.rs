//! URL parameters -> the CLI's own argument structs -> the CLI's plans, so a request
//! is validated exactly as the command line is and bad values get the CLI's messages.
//! The URL holds the whole state of a search (`/?q=margin&company=AXP&page=2`).

use std::path::Path;
use std::sync::Arc;

use clap::ValueEnum;

use crate::cli::{
    ColorArg, FacetArg, FilterArgs, QueryArgs, SortArg, TrendArgs, TrendByArg, TrendSplitArg,
};
use crate::config::{QueryPlan, TrendPlan};
use crate::error::Error;
use crate::search::synonyms::SynonymTable;
use crate::serve::limits::{MAX_FACET_LIMIT, MAX_LIMIT, MAX_OFFSET, MAX_QUERY_CHARS};

/// The filter parameters, named as the CLI's flags (`asked_by` for `--asked-by`).
pub const FILTERS: &[&str] = &[
    "speaker",
    "firm",
    "company",
    "role",
    "section",
    "since",
    "until",
    "period",
    "asked_by",
    "asked_by_firm",
    "all_words",
    "no_synonyms",
];

/// Parameters of `/api/search` besides the filters.
pub const SEARCH: &[&str] = &[
    "q",
    "sort",
    "limit",
    "offset",
    "facet",
    "facet_limit",
    "with_question",
    "context",
    "no_demote",
];

/// Parameters of `/api/trend` besides the filters.
pub const TREND: &[&str] = &["q", "by", "split", "split_limit"];

/// Parameters of the search page besides the filters.
pub const PAGE: &[&str] = &["q", "sort", "page"];

/// A request's parameters in order; a repeated name means either value, as a repeated
/// flag does.
#[derive(Debug, Clone, Default)]
pub struct Params {
    pub pairs: Vec<(String, String)>,
}

impl Params {
    pub fn parse(raw: Option<&str>) -> Params {
        let pairs = form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        Params { pairs }
    }

    /// The last value of `name`, as the last flag wins on the command line.
    pub fn get(&self, name: &str) -> Option<&str> {
        (self.pairs.iter().rev())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every non-empty value of `name` (an empty form field means "not set").
    pub fn all(&self, name: &str) -> Vec<String> {
        (self.pairs.iter())
            .filter(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// A non-empty value of `name`.
    fn one(&self, name: &str) -> Option<String> {
        self.get(name)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    }

    /// Refuse a name no handler reads: a typo must not silently search everything.
    pub fn only(&self, known: &[&[&str]]) -> Result<(), Error> {
        for (k, _) in &self.pairs {
            if !known.iter().any(|set| set.contains(&k.as_str())) {
                return Err(Error::Input(format!("unknown parameter {k:?}")));
            }
        }
        Ok(())
    }

    /// The query text: required, at most [`MAX_QUERY_CHARS`].
    pub fn query(&self) -> Result<String, Error> {
        let q = self.get("q").map(str::trim).unwrap_or_default();
        if q.is_empty() {
            return Err(Error::Input(
                "q: the query is missing (`*` matches every passage)".into(),
            ));
        }
        let n = q.chars().count();
        if n > MAX_QUERY_CHARS {
            return Err(Error::Input(format!(
                "q: the query is {n} characters long, the limit is {MAX_QUERY_CHARS}"
            )));
        }
        Ok(q.to_string())
    }

    fn flag(&self, name: &str) -> Result<bool, Error> {
        match self.get(name) {
            None | Some("0" | "false" | "off" | "") => Ok(false),
            Some("1" | "true" | "on" | "yes") => Ok(true),
            Some(v) => Err(Error::Input(format!(
                "invalid value {v:?} for --{}: expected true or false",
                flag_name(name)
            ))),
        }
    }

    fn number(&self, name: &str, default: usize, max: usize) -> Result<usize, Error> {
        let Some(v) = self.one(name) else {
            return Ok(default);
        };
        let n: usize = v.parse().map_err(|_| {
            Error::Input(format!(
                "invalid value {v:?} for --{}: expected a whole number",
                flag_name(name)
            ))
        })?;
        if n > max {
            return Err(Error::Input(format!(
                "--{} {n}: the server's limit is {max}",
                flag_name(name)
            )));
        }
        Ok(n)
    }

    fn choice<T: ValueEnum>(&self, name: &str) -> Result<Option<T>, Error> {
        self.one(name).map(|v| choose(name, &v)).transpose()
    }

    fn choices<T: ValueEnum>(&self, name: &str) -> Result<Vec<T>, Error> {
        self.all(name).iter().map(|v| choose(name, v)).collect()
    }

    /// The filter flags, as clap would have parsed them.
    pub fn filters(&self) -> Result<FilterArgs, Error> {
        Ok(FilterArgs {
            speaker: self.all("speaker"),
            firm: self.all("firm"),
            company: self.all("company"),
            role: self.all("role"),
            section: self.choices("section")?,
            since: self.one("since"),
            until: self.one("until"),
            period: self.all("period"),
            asked_by: self.all("asked_by"),
            asked_by_firm: self.all("asked_by_firm"),
            all_words: self.flag("all_words")?,
            synonyms: None,
            no_synonyms: self.flag("no_synonyms")?,
        })
    }

    /// `query` as the CLI would run it, with the server's synonym table.
    pub fn query_plan(
        &self,
        index: &Path,
        synonyms: &Arc<SynonymTable>,
        default_limit: usize,
    ) -> Result<QueryPlan, Error> {
        let args = QueryArgs {
            query: self.query()?,
            index: index.to_path_buf(),
            limit: self.number("limit", default_limit, MAX_LIMIT)?,
            offset: self.number("offset", 0, MAX_OFFSET)?,
            json: true,
            filters: self.filters()?,
            sort: self.choice("sort")?.unwrap_or(SortArg::Relevance),
            facet: self.choices::<FacetArg>("facet")?,
            facet_limit: self.number("facet_limit", 20, MAX_FACET_LIMIT)?,
            with_question: self.flag("with_question")?,
            context: self.number("context", 0, 10)?,
            no_demote: self.flag("no_demote")?,
            color: ColorArg::Never,
        };
        QueryPlan::with_synonyms(&args, table(&args.filters, synonyms))
    }

    /// `trend` as the CLI would run it, with the server's synonym table.
    pub fn trend_plan(
        &self,
        index: &Path,
        synonyms: &Arc<SynonymTable>,
    ) -> Result<TrendPlan, Error> {
        let args = TrendArgs {
            query: self.query()?,
            index: index.to_path_buf(),
            by: self.choice("by")?.unwrap_or(TrendByArg::Quarter),
            split: self.choice::<TrendSplitArg>("split")?,
            split_limit: self.number("split_limit", 5, 50)?,
            filters: self.filters()?,
            json: true,
            csv: false,
        };
        TrendPlan::with_synonyms(&args, table(&args.filters, synonyms))
    }

    /// These parameters with `name=value` added (a facet link), paging reset.
    pub fn with(&self, name: &str, value: &str) -> Params {
        let mut pairs: Vec<(String, String)> = (self.pairs.iter())
            .filter(|(k, v)| k != "page" && !(k == name && v == value))
            .cloned()
            .collect();
        pairs.push((name.to_string(), value.to_string()));
        Params { pairs }
    }

    /// These parameters with `name` set to `value` alone.
    pub fn set(&self, name: &str, value: &str) -> Params {
        let mut pairs: Vec<(String, String)> = (self.pairs.iter())
            .filter(|(k, _)| k != name)
            .cloned()
            .collect();
        pairs.push((name.to_string(), value.to_string()));
        Params { pairs }
    }

    /// These parameters without `name`.
    pub fn without(&self, name: &str) -> Params {
        let pairs = self
            .pairs
            .iter()
            .filter(|(k, _)| k != name)
            .cloned()
            .collect();
        Params { pairs }
    }

    /// The parameters as a query string (empty values dropped).
    pub fn encode(&self) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        for (k, v) in self.pairs.iter().filter(|(_, v)| !v.trim().is_empty()) {
            out.append_pair(k, v);
        }
        out.finish()
    }
}

/// `--no-synonyms` turns the server's table off; nothing else changes it per request.
fn table(f: &FilterArgs, synonyms: &Arc<SynonymTable>) -> Arc<SynonymTable> {
    match f.no_synonyms {
        true => Arc::new(SynonymTable::none()),
        false => synonyms.clone(),
    }
}

/// The CLI's flag for a parameter (`asked_by` -> `asked-by`).
fn flag_name(name: &str) -> String {
    name.replace('_', "-")
}

/// One of a clap value enum's names, with the CLI's list of possible values.
fn choose<T: ValueEnum>(name: &str, v: &str) -> Result<T, Error> {
    T::from_str(v.trim(), true).map_err(|_| {
        let names: Vec<String> = (T::value_variants().iter())
            .filter_map(|x| x.to_possible_value())
            .map(|p| p.get_name().to_string())
            .collect();
        Error::Input(format!(
            "invalid value {v:?} for --{}: possible values: {}",
            flag_name(name),
            names.join(", ")
        ))
    })
}
