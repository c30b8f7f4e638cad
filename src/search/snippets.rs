//! Snippets: the best fragment of a passage for the query, with the matched terms.

use tantivy::Searcher;
use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::snippet::SnippetGenerator;

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

/// Makes the snippets of one query's hits.
pub struct Snippets {
    generator: SnippetGenerator,
}

impl Snippets {
    pub fn new(searcher: &Searcher, query: &dyn Query, text: Field) -> Result<Self, Error> {
        let mut generator = SnippetGenerator::create(searcher, query, text)?;
        generator.set_max_num_chars(SNIPPET_CHARS);
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
