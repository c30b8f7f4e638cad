//! Snippets: the best fragment of a passage for the query, with the matched terms.

use std::collections::{BTreeMap, BTreeSet};

use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::snippet::SnippetGenerator;
use tantivy::{Searcher, Term};

use crate::error::Error;
use crate::transcript::passages::shorten;

/// Longest snippet, in characters.
const SNIPPET_CHARS: usize = 240;

/// A fragment of a passage with the byte ranges of matched terms.
#[derive(Debug, Clone)]
pub struct Snippet {
    pub text: String,
    pub highlights: Vec<std::ops::Range<usize>>,
}

/// Rarer words weigh more in choosing the fragment (as tantivy's own generator does).
fn rarity(doc_freq: u64) -> f32 {
    1.0 / (1.0 + doc_freq as f32)
}

/// Makes the snippets of one query's hits.
pub struct Snippets {
    generator: SnippetGenerator,
}

impl Snippets {
    /// Highlights the query's terms (synonyms included) and `loose`, the indexed words
    /// its prefixes and typos matched, each with its passage count.
    pub fn new(
        searcher: &Searcher,
        query: &dyn Query,
        text: Field,
        loose: &[(String, u64)],
    ) -> Result<Self, Error> {
        let mut terms: BTreeMap<String, f32> = BTreeMap::new();
        let mut seen: BTreeSet<Term> = BTreeSet::new();
        query.query_terms(&mut |term, _| {
            if term.field() == text {
                seen.insert(term.clone());
            }
        });
        for term in seen {
            let Some(word) = term.value().as_str().map(str::to_string) else {
                continue;
            };
            let freq = searcher.doc_freq(&term)?;
            if freq > 0 {
                terms.insert(word, rarity(freq));
            }
        }
        for (word, freq) in loose {
            terms.insert(word.clone(), rarity(*freq));
        }
        let analyzer = searcher.index().tokenizer_for_field(text)?;
        let generator = SnippetGenerator::new(terms, analyzer, text, SNIPPET_CHARS);
        Ok(Snippets { generator })
    }

    /// The best fragment for the query; the passage's opening when no term is in it.
    pub fn of(&self, text: &str) -> Snippet {
        let snippet = self.generator.snippet(text);
        if !snippet.fragment().is_empty() {
            return Snippet {
                text: snippet.fragment().to_string(),
                highlights: snippet.highlighted().to_vec(),
            };
        }
        Snippet {
            text: shorten(text, SNIPPET_CHARS),
            highlights: Vec::new(),
        }
    }
}
