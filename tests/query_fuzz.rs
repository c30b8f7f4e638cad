//! The query path survives any query string and any filter values: results or a
//! one-line error, never a panic. Raise `PROPTEST_CASES` to run longer.

use crate::common;

use callsearch::config::{Filters, SearchPlan, Sort};
use callsearch::index::F;
use callsearch::search::limits;
use callsearch::search::synonyms::SynonymTable;
use callsearch::transcript::model::Section;
use proptest::prelude::*;

fn plan(query: String, filters: Filters, facets: Vec<F>, context: usize) -> SearchPlan {
    SearchPlan {
        index_dir: common::corpus_index().into(),
        query,
        limit: 5,
        offset: 0,
        filters,
        facets,
        facet_limit: 5,
        context,
        demote: true,
        all_words: false,
        synonyms: std::sync::Arc::new(SynonymTable::builtin()),
        sort: Sort::Relevance,
    }
}

fn query_text() -> impl Strategy<Value = String> {
    let atom = prop_oneof![
        "[a-z]{1,8}",
        Just("\"gross margin\"".to_string()),
        Just("*".to_string()),
        Just("AND".to_string()),
        Just("OR".to_string()),
        Just("NOT".to_string()),
        Just("-".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just("speaker:".to_string()),
        Just("date:[".to_string()),
        Just("turn:>3".to_string()),
        Just("firm:\"".to_string()),
        Just("~2".to_string()),
        Just("^3".to_string()),
        "\\PC{1,6}",
    ];
    prop::collection::vec(atom, 0..8).prop_map(|v| v.join(" "))
}

fn opt_text() -> impl Strategy<Value = Option<String>> {
    prop::option::of("\\PC{0,12}")
}

fn filters() -> impl Strategy<Value = Filters> {
    (
        opt_text(),
        opt_text(),
        opt_text(),
        opt_text(),
        opt_text(),
        opt_text(),
        any::<bool>(),
    )
        .prop_map(
            |(speaker, firm, company, role, period, asked_by, qa)| Filters {
                speaker: speaker.into_iter().collect(),
                firm: firm.into_iter().collect(),
                company: company.into_iter().collect(),
                role: role.into_iter().collect(),
                section: qa.then_some(Section::Qa).into_iter().collect(),
                since: Some("2010-01-01".into()),
                until: None,
                period: period.into_iter().collect(),
                asked_by: asked_by.into_iter().collect(),
                asked_by_firm: Vec::new(),
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn any_query_and_filters_give_hits_or_an_error(q in query_text(), f in filters(), ctx in 0..3usize) {
        let facets = vec![F::SpeakerFacet, F::FirmFacet, F::Year];
        match callsearch::search::search(&plan(q, f, facets, ctx)) {
            Ok(r) => prop_assert!(r.hits.len() <= 5 && r.total_hits >= r.hits.len()),
            Err(e) => prop_assert!(!e.to_string().contains('\n')),
        }
    }

    /// Deep nesting and huge inputs: within the bounds an answer, beyond them exactly
    /// the bound's message; never a stack overflow or a run of seconds.
    #[test]
    fn deep_and_huge_queries_are_bounded(
        depth in 0..20_000usize,
        atoms in prop::collection::vec(query_text(), 1..4),
        repeat in 1..600usize,
    ) {
        let body = atoms.join(" ");
        let inner = std::iter::repeat_n(body.as_str(), repeat).collect::<Vec<_>>().join(" ");
        let q = format!("{}{inner}{}", "(".repeat(depth), ")".repeat(depth));
        let words = q.split_whitespace().count();
        let over = words > limits::MAX_WORDS || q.len() > limits::MAX_BYTES;
        match callsearch::search::search(&plan(q.clone(), Filters::default(), vec![], 0)) {
            Ok(r) => {
                prop_assert!(!over && depth <= limits::MAX_DEPTH, "accepted beyond a bound");
                prop_assert!(r.hits.len() <= 5);
            }
            Err(e) => {
                let msg = e.to_string();
                prop_assert!(!msg.contains('\n'));
                if over || depth > limits::MAX_DEPTH {
                    prop_assert!(msg.contains("the limit is"), "{msg}");
                }
            }
        }
    }
}
