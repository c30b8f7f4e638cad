//! Query + filters -> ranked hits with snippets, total count and facet counts.
//!
//! The only read path over an index: printers get [`SearchResult`]s of model passages,
//! never tantivy documents.

pub mod block_values;
pub mod facets;
pub mod limits;
pub mod min_match;
pub mod pair_phrase;
pub mod plain;
pub mod proximity;
pub mod query;
pub mod rank;
pub mod snippets;
pub mod stored;
pub mod suggest;
pub mod synonyms;
pub mod top_k;
pub mod trend;
pub mod undated;

use std::time::Instant;

use tantivy::query::Query;

use crate::config::{SearchPlan, Sort};
use crate::error::Error;
use crate::index::fields::{F, Fields};
use crate::index::store;
use crate::transcript::model::Passage;
use facets::FacetCounts;
use plain::{Matched, PlainWords};
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
    /// Ranked passages skipped before the hits (`--offset`).
    pub offset: usize,
    /// Which passages `total_hits` and the facets count.
    pub matched: Matched,
    /// Synonyms searched besides the words typed (`earnings per share` for `eps`).
    pub also_matched: Vec<String>,
    /// Typed words no passage holds, each with the closest indexed word.
    pub did_you_mean: Vec<(String, String)>,
    pub hits: Vec<Hit>,
    pub total_hits: usize,
    pub facets: Vec<FacetCounts>,
    /// With a date filter: the calls it left out because they have no date.
    pub undated_left_out: Option<undated::LeftOut>,
    pub elapsed_ms: f64,
}

/// Open the index and run the plan; read failures name the index as damaged.
pub fn search(plan: &SearchPlan) -> Result<SearchResult, Error> {
    let (mut result, stream) = search_streamed(plan)?;
    result.hits = stream
        .collect::<Result<_, _>>()
        .map_err(|e| on_index(plan, e))?;
    Ok(result)
}

/// [`search`] with the hits left to load: the result (totals, facets, suggestions;
/// `hits` empty) and the hits in rank order, read one at a time, so memory does not
/// grow with `--limit`.
pub fn search_streamed(plan: &SearchPlan) -> Result<(SearchResult, HitStream), Error> {
    run(plan).map_err(|e| on_index(plan, e))
}

fn on_index(plan: &SearchPlan, e: Error) -> Error {
    match e {
        Error::Engine(e) => store::damaged(&plan.index_dir, &e.to_string()),
        e => e,
    }
}

/// The ranked hits of one query, loaded (passage, snippet, context) as they are read.
pub struct HitStream {
    searcher: tantivy::Searcher,
    fields: Fields,
    snippets: Snippets,
    ranked: std::vec::IntoIter<rank::Ranked>,
    context: usize,
}

impl HitStream {
    /// Hits still to come.
    pub fn remaining(&self) -> usize {
        self.ranked.len()
    }

    /// Reorder the hits under one heading per call, calls in the rank order of their
    /// best hit, hits in rank order within a call (as the human printer shows them).
    pub fn group_by_call(&mut self) -> Result<(), Error> {
        let ranked: Vec<rank::Ranked> = std::mem::take(&mut self.ranked).collect();
        let mut group_of: std::collections::HashMap<Option<u64>, usize> = Default::default();
        let mut keyed = Vec::with_capacity(ranked.len());
        // The call key (a hash of the call id), its column opened once per segment:
        // opening the call-id text column for every hit was 13 % of `query margin`.
        let mut columns = std::collections::HashMap::new();
        for r in ranked {
            let column = columns.entry(r.addr.segment_ord).or_insert_with(|| {
                let segment = self.searcher.segment_reader(r.addr.segment_ord);
                segment.fast_fields().u64(F::CallKey.name()).ok()
            });
            let call = column.as_ref().and_then(|c| c.first(r.addr.doc_id));
            let next = group_of.len();
            keyed.push((*group_of.entry(call).or_insert(next), r));
        }
        // A stable sort keeps rank order within each call.
        keyed.sort_by_key(|(group, _)| *group);
        self.ranked = keyed
            .into_iter()
            .map(|(_, r)| r)
            .collect::<Vec<_>>()
            .into_iter();
        Ok(())
    }

    fn load(&self, r: rank::Ranked) -> Result<Hit, Error> {
        let passage = load_passage(&self.searcher, &self.fields, r.addr)?;
        Ok(Hit {
            score: r.score,
            snippet: self.snippets.of(&passage.text),
            context: context_of(&self.searcher, &self.fields, &passage, self.context)?,
            passage,
        })
    }
}

impl Iterator for HitStream {
    type Item = Result<Hit, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let r = self.ranked.next()?;
        Some(self.load(r))
    }
}

fn run(plan: &SearchPlan) -> Result<(SearchResult, HitStream), Error> {
    let start = Instant::now();
    let mut index = store::open_for_reading(&plan.index_dir)?;
    let fields = Fields::from_schema(&index.schema())?;
    let user = user_query(&index, &fields, plan)?;
    if heavy(plan) || user.most.is_some() {
        // Phrases, filters, facets and "most words" visit every match: search segments
        // in parallel. (For plain words the thread pool costs more than it saves.)
        index.set_default_multithread_executor()?;
    }
    let searcher = store::searcher(&index)?;
    run_with(&index, fields, searcher, plan, user, start)
}

/// An index opened once and searched many times (the server's shared searcher): its
/// fields and the searcher of one commit.
#[derive(Clone)]
pub struct Opened {
    pub index: tantivy::Index,
    pub fields: Fields,
    pub searcher: tantivy::Searcher,
}

impl Opened {
    /// The index, its fields and a searcher over `searcher`'s commit.
    pub fn new(index: tantivy::Index, searcher: tantivy::Searcher) -> Result<Opened, Error> {
        let fields = Fields::from_schema(&index.schema())?;
        Ok(Opened {
            index,
            fields,
            searcher,
        })
    }
}

/// [`search_streamed`] over an index already open: the same plan, the same result.
pub fn search_streamed_on(
    o: &Opened,
    plan: &SearchPlan,
) -> Result<(SearchResult, HitStream), Error> {
    let start = Instant::now();
    run_on(&o.index, o.fields.clone(), o.searcher.clone(), plan, start)
        .map_err(|e| on_index(plan, e))
}

fn run_on(
    index: &tantivy::Index,
    fields: Fields,
    searcher: tantivy::Searcher,
    plan: &SearchPlan,
    start: Instant,
) -> Result<(SearchResult, HitStream), Error> {
    let user = user_query(index, &fields, plan)?;
    run_with(index, fields, searcher, plan, user, start)
}

fn run_with(
    index: &tantivy::Index,
    fields: Fields,
    searcher: tantivy::Searcher,
    plan: &SearchPlan,
    mut user: PlainWords,
    start: Instant,
) -> Result<(SearchResult, HitStream), Error> {
    // A limit past the passages there are asks for them all (and must not size buffers).
    // A page past the first ranks the passages before it too, then skips them.
    let limit = (plan.offset.saturating_add(plan.limit)).min(searcher.num_docs() as usize);
    let filtered = |q: &dyn Query| with_filters(index, &fields, q.box_clone(), &plan.filters);
    let order = if is_match_all(&plan.query) || plan.sort == Sort::Date {
        Order::Browse
    } else {
        Order::Relevance {
            demote: plan.demote,
        }
    };
    // Phrases and filters make matching the costly part: match once, for rank, count and
    // facets. Otherwise block skipping finds the top, and facets ride on the count.
    let counting = if matching_is_costly(plan) || user.most.is_some() {
        Counting::Together
    } else {
        Counting::Separately
    };
    let near = match plan.demote {
        true => user.proximity(fields[F::Text]),
        false => proximity::Proximity::default(),
    };
    let counter = facets::counter(&plan.facets);
    let ranked =
        |q: &dyn Query| rank::top_and(&searcher, q, limit, order, counting, &near, counter.clone());
    let mut counted = filtered(user.counted())?;
    let (mut top, mut total_hits, mut counts) = ranked(&*counted)?;
    // Nothing holds that many of the words: require one fewer, down to one.
    while total_hits == 0
        && let Some(wider) = user.widened()
    {
        user = wider;
        counted = filtered(user.counted())?;
        (top, total_hits, counts) = ranked(&*counted)?;
    }
    if user.most.is_some() && order != Order::Browse {
        let all = filtered(&*user.all)?;
        let (first, _) = rank::top(&searcher, &*all, limit, order, counting, &near)?;
        top = rank::all_first(first, top, limit);
    }
    top.drain(..plan.offset.min(top.len()));
    let facets = facets::finish(&plan.facets, counts, plan.facet_limit);
    let undated_left_out =
        undated::left_out(index, &fields, &searcher, user.counted(), &plan.filters)?;
    let user_query = user.counted().box_clone();
    let loose = user.loose_matches(&searcher, fields[F::Text])?;
    let snippets = Snippets::new(&searcher, &*user_query, fields[F::Text], &loose)?;
    let result = SearchResult {
        query: plan.query.clone(),
        offset: plan.offset,
        also_matched: user.also_matched(),
        did_you_mean: suggestions(&searcher, &fields, plan, &user, total_hits)?,
        matched: user.matched,
        hits: Vec::new(),
        total_hits,
        facets,
        undated_left_out,
        elapsed_ms: start.elapsed().as_secs_f64() * 1000.0,
    };
    let stream = HitStream {
        searcher,
        fields,
        snippets,
        ranked: top.into_iter(),
        context: plan.context,
    };
    Ok((result, stream))
}

/// A query's whole matching set, ready to be counted or read: the set `total_hits`
/// counts (after the same widening), and the same filters over any text.
pub struct Matching {
    pub searcher: tantivy::Searcher,
    pub fields: Fields,
    /// The counted set, filters included.
    pub counted: Box<dyn Query>,
    /// For "most words": the all-words passages, which rank first.
    pub all: Option<Box<dyn Query>>,
    /// Every passage the filters allow, whatever its text.
    pub filtered: Box<dyn Query>,
    pub matched: Matched,
    pub total: usize,
    /// With a date filter: the calls it left out because they have no date.
    pub undated_left_out: Option<undated::LeftOut>,
    /// The proximity prior, as `search` ranks with it.
    pub near: proximity::Proximity,
}

/// Build the plan's matching set as `search` does, without ranking or reading passages.
pub fn matching(plan: &SearchPlan) -> Result<Matching, Error> {
    let run = || -> Result<Matching, Error> {
        let mut index = store::open_for_reading(&plan.index_dir)?;
        index.set_default_multithread_executor()?;
        let searcher = store::searcher(&index)?;
        matching_set(&Opened::new(index, searcher)?, plan)
    };
    run().map_err(|e| on_index(plan, e))
}

/// [`matching`] over an index already open.
pub fn matching_on(o: &Opened, plan: &SearchPlan) -> Result<Matching, Error> {
    matching_set(o, plan).map_err(|e| on_index(plan, e))
}

fn matching_set(o: &Opened, plan: &SearchPlan) -> Result<Matching, Error> {
    {
        let (index, fields, searcher) = (&o.index, o.fields.clone(), o.searcher.clone());
        let filtered = |q: &dyn Query| with_filters(index, &fields, q.box_clone(), &plan.filters);
        let mut user = user_query(index, &fields, plan)?;
        let mut counted = filtered(user.counted())?;
        let mut total = searcher.search(&*counted, &tantivy::collector::Count)?;
        while total == 0
            && let Some(wider) = user.widened()
        {
            user = wider;
            counted = filtered(user.counted())?;
            total = searcher.search(&*counted, &tantivy::collector::Count)?;
        }
        let all = match &user.most {
            Some(_) => Some(filtered(&*user.all)?),
            None => None,
        };
        let near = match plan.demote {
            true => user.proximity(fields[F::Text]),
            false => proximity::Proximity::default(),
        };
        let undated_left_out =
            undated::left_out(index, &fields, &searcher, user.counted(), &plan.filters)?;
        Ok(Matching {
            near,
            undated_left_out,
            filtered: filtered(&tantivy::query::AllQuery)?,
            searcher,
            fields,
            counted,
            all,
            matched: user.matched,
            total,
        })
    }
}

/// The user's words as queries: strict for explicit syntax (and `--all-words`), all
/// words first then most for plain words.
fn user_query(
    index: &tantivy::Index,
    fields: &Fields,
    plan: &SearchPlan,
) -> Result<PlainWords, Error> {
    let q = plain::normalize(&plan.query);
    limits::check(&q)?;
    let matched = if is_match_all(&q) {
        Some(Matched::Everything)
    } else if plain::is_explicit(&q) {
        Some(Matched::Syntax)
    } else {
        plan.all_words.then_some(Matched::AllWords)
    };
    if let Some(matched) = matched {
        let all = parse_user_query(index, fields, &q)?;
        return Ok(PlainWords::strict(all, matched));
    }
    plain::plain_words(index, fields[F::Text], &q, &plan.synonyms)
}

/// Typed words no passage holds and, when nothing matched, filter values no passage
/// has, each with the closest indexed word or value.
fn suggestions(
    searcher: &tantivy::Searcher,
    fields: &Fields,
    plan: &SearchPlan,
    user: &PlainWords,
    total_hits: usize,
) -> Result<Vec<(String, String)>, Error> {
    let mut out = suggest::did_you_mean(searcher, fields, &user.typed_words())?;
    if total_hits > 0 {
        return Ok(out);
    }
    let f = &plan.filters;
    let filters = [
        ("--speaker", &f.speaker, F::SpeakerFacet),
        ("--firm", &f.firm, F::FirmFacet),
        ("--company", &f.company, F::CompanyFacet),
    ];
    for (flag, values, column) in filters {
        for v in values {
            if let Some(best) = suggest::closest_value(searcher, column, v)?
                && !crate::transcript::people::key(&best)
                    .contains(&crate::transcript::people::key(v))
            {
                out.push((format!("{flag} {v}"), best));
            }
        }
    }
    Ok(out)
}

fn matching_is_costly(plan: &SearchPlan) -> bool {
    plan.query.contains('"') || plan.filters.any()
}

fn heavy(plan: &SearchPlan) -> bool {
    matching_is_costly(plan) || !plan.facets.is_empty()
}
