//! Query + filters -> ranked hits with snippets, total count and facet counts.
//!
//! The only read path over an index: printers get [`SearchResult`]s of model passages,
//! never tantivy documents.

pub mod facets;
pub mod query;
pub mod rank;
pub mod snippets;
pub mod stored;

use std::time::Instant;

use crate::config::SearchPlan;
use crate::error::Error;
use crate::index::fields::{F, Fields};
use crate::index::store;
use crate::transcript::model::Passage;
use facets::{FacetCounts, count_facets};
use query::{is_match_all, parse_user_query, with_filters};
use rank::{Counting, Order};
use snippets::{Snippet, Snippets};
use stored::{context_of, load_passage};

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
    /// The query as searched.
    pub query: String,
    pub hits: Vec<Hit>,
    pub total_hits: usize,
    pub facets: Vec<FacetCounts>,
    pub elapsed_ms: f64,
}

/// Open the index and run the plan; read failures name the index as damaged.
pub fn search(plan: &SearchPlan) -> Result<SearchResult, Error> {
    run(plan).map_err(|e| match e {
        Error::Engine(e) => store::damaged(&plan.index_dir, &e.to_string()),
        e => e,
    })
}

fn run(plan: &SearchPlan) -> Result<SearchResult, Error> {
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
    let (top, total_hits) = rank::top(&searcher, &*query, plan.limit, order, counting)?;
    let facets = count_facets(&searcher, &query, &plan.facets, plan.facet_limit)?;
    let snippets = Snippets::new(&searcher, &*user_query, fields[F::Text])?;
    let mut hits = Vec::with_capacity(top.len());
    for rank::Ranked { score, addr, .. } in top {
        let passage = load_passage(&searcher, &fields, addr)?;
        hits.push(Hit {
            score,
            snippet: snippets.of(&passage.text),
            context: context_of(&searcher, &fields, &passage, plan.context)?,
            passage,
        });
    }
    Ok(SearchResult {
        query: plan.query.clone(),
        hits,
        total_hits,
        facets,
        elapsed_ms: start.elapsed().as_secs_f64() * 1000.0,
    })
}

fn matching_is_costly(plan: &SearchPlan) -> bool {
    plan.query.contains('"') || plan.filters.any()
}

fn heavy(plan: &SearchPlan) -> bool {
    matching_is_costly(plan) || !plan.facets.is_empty()
}
