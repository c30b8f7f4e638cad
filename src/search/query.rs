//! The user's query and the plan's filters as one tantivy query: the words rank,
//! the filters only restrict.

use tantivy::Index;
use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, QueryParser, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};

use crate::config::Filters;
use crate::error::Error;
use crate::index::fields::{F, Fields};
use crate::index::keys::{day_bound, undated_day};
use crate::transcript::firms::normalize_firm;

/// Role classes and normalised titles, matched exactly by `--role`.
const ROLE_KEYS: &[&str] = &[
    "executive",
    "analyst",
    "operator",
    "other",
    "ceo",
    "cfo",
    "coo",
    "cto",
    "president",
    "chair",
    "ir",
];

/// True for `*` (and an empty query): every passage, in browse order.
pub fn is_match_all(q: &str) -> bool {
    q.is_empty() || q == "*"
}

/// The user's query in tantivy syntax; all words must match unless OR says otherwise.
pub fn parse_user_query(index: &Index, fields: &Fields, q: &str) -> Result<Box<dyn Query>, Error> {
    if is_match_all(q) {
        return Ok(Box::new(AllQuery));
    }
    let mut parser = QueryParser::for_index(index, vec![fields[F::Text]]);
    parser.set_conjunction_by_default();
    let query = match parser.parse_query(q) {
        Ok(query) => query,
        // Stray characters in otherwise plain text (`$1.39.`, `Q3:`) are read leniently;
        // a known field used wrongly (`speaker:(`) is an error the user should see.
        Err(_) if !crate::search::plain::has_known_field(q) => parser.parse_query_lenient(q).0,
        Err(e) => return Err(Error::Query(syntax_message(&e))),
    };
    Ok(crate::search::pair_phrase::in_parsed(
        query,
        fields[F::TextPairs],
    ))
}

/// tantivy's parse error as our message: no second `invalid query:` prefix, and a hint
/// for a query that only excludes.
fn syntax_message(e: &tantivy::query::QueryParserError) -> String {
    use tantivy::query::QueryParserError as P;
    match e {
        P::SyntaxError(q) => format!("syntax error in {q} (check its quotes, brackets and fields)"),
        P::AllButQueryForbidden => {
            "it only excludes (`-word`, `NOT word`): add a word to search for".to_string()
        }
        e => {
            let text = crate::error::lowercase_first(&e.to_string());
            let text = text.strip_prefix("invalid query: ").unwrap_or(&text);
            text.to_string()
        }
    }
}

/// The user's query AND every filter.
pub fn with_filters(
    index: &Index,
    fields: &Fields,
    user: Box<dyn Query>,
    f: &Filters,
) -> Result<Box<dyn Query>, Error> {
    let mut clauses: Vec<Box<dyn Query>> = Vec::new();
    let firm: Vec<String> = f.firm.iter().map(|v| normalize_firm(v)).collect();
    let asked_firm: Vec<String> = f.asked_by_firm.iter().map(|v| normalize_firm(v)).collect();
    let words = [
        (F::Speaker, &f.speaker),
        (F::Firm, &firm),
        (F::Company, &f.company),
        (F::Period, &f.period),
        (F::AskedBy, &f.asked_by),
        (F::AskedByFirm, &asked_firm),
    ];
    for (field, values) in words {
        let each = values.iter().map(|v| all_words(index, fields[field], v));
        if let Some(q) = either(each.collect::<Result<_, _>>()?) {
            clauses.push(q);
        }
    }
    let roles = f.role.iter().map(|r| role_query(index, fields, r));
    if let Some(q) = either(roles.collect::<Result<_, _>>()?) {
        clauses.push(q);
    }
    let sections = f
        .section
        .iter()
        .map(|s| term(fields[F::Section], s.as_str()));
    if let Some(q) = either(sections.collect()) {
        clauses.push(q);
    }
    if f.since.is_some() || f.until.is_some() {
        clauses.push(date_range(fields[F::Date], f));
    }
    if clauses.is_empty() {
        return Ok(user);
    }
    // Filters restrict, they do not score: only the user's words rank passages.
    let mut all: Vec<(Occur, Box<dyn Query>)> = Vec::with_capacity(clauses.len() + 1);
    if !user.is::<AllQuery>() {
        all.push((Occur::Must, user));
    }
    for q in clauses {
        all.push((Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0))));
    }
    Ok(Box::new(BooleanQuery::new(all)))
}

/// Any of `queries` (a repeated filter flag); `None` when there are none.
fn either(mut queries: Vec<Box<dyn Query>>) -> Option<Box<dyn Query>> {
    match queries.len() {
        0 => None,
        1 => queries.pop(),
        _ => Some(Box::new(BooleanQuery::new(
            queries.into_iter().map(|q| (Occur::Should, q)).collect(),
        ))),
    }
}

/// A query for one exact term.
pub fn term(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

/// Every word of `value`, as the field's tokenizer splits it, must occur in the field.
fn all_words(index: &Index, field: Field, value: &str) -> Result<Box<dyn Query>, Error> {
    let mut tokenizer = index.tokenizer_for_field(field)?;
    let mut stream = tokenizer.token_stream(value);
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    while let Some(token) = stream.next() {
        clauses.push((Occur::Must, term(field, &token.text)));
    }
    if clauses.is_empty() {
        return Err(Error::Input(format!("filter value {value:?} has no words")));
    }
    Ok(Box::new(BooleanQuery::new(clauses)))
}

/// A role class or normalised title matches exactly; anything else matches role words.
fn role_query(index: &Index, fields: &Fields, role: &str) -> Result<Box<dyn Query>, Error> {
    let key = role.trim().to_lowercase();
    if ROLE_KEYS.contains(&key.as_str()) {
        return Ok(term(fields[F::RoleFacet], &key));
    }
    all_words(index, fields[F::Role], role)
}

fn date_range(field: Field, f: &Filters) -> Box<dyn Query> {
    use std::ops::Bound;
    let day = |d: &Option<String>| d.as_deref().and_then(day_bound);
    let since = match day(&f.since) {
        Some(day) => Bound::Included(Term::from_field_date(field, day)),
        None => Bound::Unbounded,
    };
    // Always below the undated passages' value, whatever `--until` says.
    let until = match day(&f.until) {
        Some(day) if day < undated_day() => Bound::Included(Term::from_field_date(field, day)),
        _ => Bound::Excluded(Term::from_field_date(field, undated_day())),
    };
    Box::new(RangeQuery::new(since, until))
}
