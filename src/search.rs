//! Query + filters -> ranked hits with snippets, total count and facet counts.

use std::time::Instant;

use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, QueryParser, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Index, Searcher, TantivyDocument, Term};

use crate::config::{Filters, QueryPlan};
use crate::error::Error;
use crate::facets::{FacetCounts, count_facets};
use crate::model::Passage;
use crate::rank::{Counting, Order};
use crate::schema::{Fields, parse_day};
use crate::store;

/// Longest snippet, in characters.
const SNIPPET_CHARS: usize = 240;

/// A fragment of a passage with the byte ranges of matched terms.
#[derive(Debug, Clone)]
pub struct Snippet {
    pub text: String,
    pub highlights: Vec<std::ops::Range<usize>>,
}

/// One ranked passage.
#[derive(Debug, Clone)]
pub struct Hit {
    pub score: f32,
    pub passage: Passage,
    pub snippet: Snippet,
    /// Paragraphs around the hit from the same call, in order, the hit included.
    pub context: Vec<Passage>,
}

/// Everything a query returns.
#[derive(Debug)]
pub struct SearchResult {
    pub hits: Vec<Hit>,
    pub total_hits: usize,
    pub facets: Vec<FacetCounts>,
    pub elapsed_ms: f64,
}

/// Open the index and run the plan; read failures name the index as damaged.
pub fn search(plan: &QueryPlan) -> Result<SearchResult, Error> {
    run(plan).map_err(|e| match e {
        Error::Tantivy(msg) => store::damaged(&plan.index_dir, &msg),
        e => e,
    })
}

fn run(plan: &QueryPlan) -> Result<SearchResult, Error> {
    let start = Instant::now();
    let mut index = store::open_for_reading(&plan.index_dir)?;
    if heavy(plan) {
        // Phrases, filters and facets visit every match: search segments in parallel.
        // (For plain words the thread pool costs more than it saves.)
        index.set_default_multithread_executor()?;
    }
    let fields = Fields::from_schema(&index.schema())?;
    let searcher = store::searcher(&index)?;
    let user_query = parse_user_query(&index, &fields, &plan.query)?;
    let query = with_filters(&index, &fields, user_query.box_clone(), &plan.filters)?;
    let order = if is_match_all(&plan.query) {
        Order::Browse
    } else {
        Order::Relevance {
            demote: plan.demote,
        }
    };
    // Phrases and filters make matching the costly part: match once, for rank and count.
    let counting = if matching_is_costly(plan) {
        Counting::Together
    } else {
        Counting::Separately
    };
    let (top, total_hits) = crate::rank::top(&searcher, &*query, plan.limit, order, counting)?;
    let facets = count_facets(&searcher, &query, &plan.facets, plan.facet_limit)?;
    let snippets = snippet_generator(&searcher, &*user_query, fields.text)?;
    let mut hits = Vec::with_capacity(top.len());
    for crate::rank::Ranked { score, addr, .. } in top {
        let passage = load_passage(&searcher, &fields, addr)?;
        let snippet = make_snippet(snippets.as_ref(), &passage.text);
        let context = context_of(&searcher, &fields, &passage, plan.context)?;
        hits.push(Hit {
            score,
            passage,
            snippet,
            context,
        });
    }
    Ok(SearchResult {
        hits,
        total_hits,
        facets,
        elapsed_ms: start.elapsed().as_secs_f64() * 1000.0,
    })
}

fn matching_is_costly(plan: &QueryPlan) -> bool {
    plan.query.contains('"') || plan.filters.any()
}

fn heavy(plan: &QueryPlan) -> bool {
    matching_is_costly(plan) || !plan.facets.is_empty()
}

fn is_match_all(q: &str) -> bool {
    q.is_empty() || q == "*"
}

/// The user's query in tantivy syntax; all words must match unless OR says otherwise.
fn parse_user_query(index: &Index, fields: &Fields, q: &str) -> Result<Box<dyn Query>, Error> {
    if is_match_all(q) {
        return Ok(Box::new(AllQuery));
    }
    let mut parser = QueryParser::for_index(index, vec![fields.text]);
    parser.set_conjunction_by_default();
    parser
        .parse_query(q)
        .map_err(|e| Error::Query(crate::error::lowercase_first(&e.to_string())))
}

/// The user's query AND every filter.
fn with_filters(
    index: &Index,
    fields: &Fields,
    user: Box<dyn Query>,
    f: &Filters,
) -> Result<Box<dyn Query>, Error> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, user)];
    let mut words = |field: Field, value: &Option<String>| -> Result<(), Error> {
        if let Some(v) = value {
            clauses.push((Occur::Must, all_words(index, field, v)?));
        }
        Ok(())
    };
    words(fields.speaker, &f.speaker)?;
    let firm = f.firm.as_deref().map(crate::speakers::normalize_firm);
    words(fields.firm, &firm)?;
    words(fields.company, &f.company)?;
    words(fields.period, &f.period)?;
    words(fields.asked_by, &f.asked_by)?;
    let asked_firm = f
        .asked_by_firm
        .as_deref()
        .map(crate::speakers::normalize_firm);
    words(fields.asked_by_firm, &asked_firm)?;
    if let Some(role) = &f.role {
        clauses.push((Occur::Must, role_query(index, fields, role)?));
    }
    if let Some(section) = f.section {
        clauses.push((Occur::Must, term(fields.section, section.as_str())));
    }
    if f.since.is_some() || f.until.is_some() {
        clauses.push((Occur::Must, date_range(fields.date, f)));
    }
    if clauses.len() == 1 {
        return Ok(clauses.remove(0).1);
    }
    // Filters restrict, they do not score: only the user's words rank passages.
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = clauses
        .into_iter()
        .enumerate()
        .map(|(i, (occur, q))| match i {
            0 => (occur, q),
            _ => (
                occur,
                Box::new(ConstScoreQuery::new(q, 0.0)) as Box<dyn Query>,
            ),
        })
        .collect();
    if clauses[0].1.is::<AllQuery>() {
        clauses.remove(0);
    }
    Ok(Box::new(BooleanQuery::new(clauses)))
}

fn term(field: Field, value: &str) -> Box<dyn Query> {
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
    const KNOWN: &[&str] = &[
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
    if KNOWN.contains(&key.as_str()) {
        return Ok(term(fields.role_facet, &key));
    }
    all_words(index, fields.role, role)
}

fn date_range(field: Field, f: &Filters) -> Box<dyn Query> {
    use std::ops::Bound;
    let bound = |d: &Option<String>| match d.as_deref().and_then(parse_day) {
        Some(day) => Bound::Included(Term::from_field_date(field, day)),
        None => Bound::Unbounded,
    };
    Box::new(RangeQuery::new(bound(&f.since), bound(&f.until)))
}

fn snippet_generator(
    searcher: &Searcher,
    query: &dyn Query,
    text: Field,
) -> Result<Option<SnippetGenerator>, Error> {
    let mut generator = SnippetGenerator::create(searcher, query, text)?;
    generator.set_max_num_chars(SNIPPET_CHARS);
    Ok(Some(generator))
}

/// The best fragment for the query; the passage's opening when no term is in it.
fn make_snippet(generator: Option<&SnippetGenerator>, text: &str) -> Snippet {
    if let Some(snippet) = generator.map(|g| g.snippet(text))
        && !snippet.fragment().is_empty()
    {
        return Snippet {
            text: snippet.fragment().to_string(),
            highlights: snippet.highlighted().to_vec(),
        };
    }
    Snippet {
        text: crate::passages::shorten(text, SNIPPET_CHARS),
        highlights: Vec::new(),
    }
}

/// Read a stored passage back.
pub fn load_passage(
    searcher: &Searcher,
    fields: &Fields,
    addr: DocAddress,
) -> Result<Passage, Error> {
    let doc: TantivyDocument = searcher.doc(addr)?;
    let json = doc
        .get_first(fields.payload)
        .and_then(|v| v.as_str())
        .ok_or_else(|| {
            Error::Index("a stored passage has no payload: run callsearch index --rebuild".into())
        })?;
    serde_json::from_str(json).map_err(|e| {
        Error::Index(format!(
            "a stored passage is damaged ({e}): run callsearch index --rebuild"
        ))
    })
}

/// The `n` paragraphs before and after `p` in the same call, `p` included, in order.
fn context_of(
    searcher: &Searcher,
    fields: &Fields,
    p: &Passage,
    n: usize,
) -> Result<Vec<Passage>, Error> {
    if n == 0 {
        return Ok(Vec::new());
    }
    let query = BooleanQuery::new(vec![
        (Occur::Must, term(fields.call_id, &p.call_id)),
        (
            Occur::Must,
            Box::new(RangeQuery::new(
                std::ops::Bound::Included(Term::from_field_u64(
                    fields.turn,
                    p.turn.saturating_sub(n as u64),
                )),
                std::ops::Bound::Included(Term::from_field_u64(fields.turn, p.turn + n as u64)),
            )),
        ),
    ]);
    let docs = searcher.search(&query, &tantivy::collector::DocSetCollector)?;
    let mut around = Vec::with_capacity(docs.len());
    for addr in docs {
        around.push(load_passage(searcher, fields, addr)?);
    }
    around.sort_by_key(|x| (x.turn, x.paragraph));
    let at = around
        .iter()
        .position(|x| x.turn == p.turn && x.paragraph == p.paragraph)
        .unwrap_or(0);
    let from = at.saturating_sub(n);
    let to = (at + n + 1).min(around.len());
    Ok(around[from..to].to_vec())
}
