//! Two-word phrases answered from the `text_pairs` field (`index/pairs.rs`): one
//! posting list of the pair instead of both words' lists and their positions, scored
//! exactly as tantivy scores the phrase (BM25 over the text field's statistics and
//! norms, the pair's frequency as the phrase's).

use std::fmt;

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{
    Bm25Weight, BooleanQuery, EmptyScorer, EnableScoring, Explanation, PhraseQuery, Query,
    QueryClone, Scorer, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term};

use crate::index::pairs::pair;

/// `"first second"` on the text field, matched through the pairs field.
#[derive(Clone)]
pub struct PairPhraseQuery {
    /// The phrase's words on the text field: statistics, norms and highlighting.
    words: [Term; 2],
    /// `first second` on the pairs field: what is matched.
    pair: Term,
}

impl fmt::Debug for PairPhraseQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PairPhraseQuery({:?})", self.pair)
    }
}

impl PairPhraseQuery {
    /// The phrase of two text terms, or `None` when a term is not text or the pair is
    /// not indexed (a word that is not common).
    pub fn new(first: &Term, second: &Term, pairs: Field) -> Option<PairPhraseQuery> {
        let text = pair(first.value().as_str()?, second.value().as_str()?)?;
        Some(PairPhraseQuery {
            words: [first.clone(), second.clone()],
            pair: Term::from_field_text(pairs, &text),
        })
    }
}

/// A phrase of the text field: through the pairs field when it is two adjacent words
/// and the index has one, else tantivy's phrase query.
pub fn phrase(terms: &[tantivy::Term], pairs: Option<Field>) -> Box<dyn Query> {
    if let ([first, second], Some(pairs)) = (terms, pairs)
        && let Some(query) = PairPhraseQuery::new(first, second, pairs)
    {
        return Box::new(query);
    }
    Box::new(PhraseQuery::new(terms.to_vec()))
}

/// A phrase the query parser built, as a pair query when it is two words at adjacent
/// offsets with no slop. tantivy shows a phrase's offsets and slop only in its
/// `Debug` form; if that form ever changes, the phrase is kept as it is (slower, the
/// same hits), and a test says so.
pub fn from_parsed(phrase: &PhraseQuery, pairs: Field) -> Option<PairPhraseQuery> {
    let terms = phrase.phrase_terms();
    let [first, second] = terms.as_slice() else {
        return None;
    };
    let shown = format!("{phrase:?}");
    let plain = shown.contains("phrase_terms: [(0, ")
        && shown.contains("), (1, ")
        && shown.ends_with("], slop: 0 }");
    plain.then(|| PairPhraseQuery::new(first, second, pairs))?
}

/// The parser's query with each plain two-word phrase as a pair query, looking
/// through boolean clauses (a boosted phrase is left as it is).
pub fn in_parsed(query: Box<dyn Query>, pairs: Field) -> Box<dyn Query> {
    if let Some(phrase) = query.downcast_ref::<PhraseQuery>() {
        return match from_parsed(phrase, pairs) {
            Some(pair) => Box::new(pair),
            None => query,
        };
    }
    let Some(boolean) = query.downcast_ref::<BooleanQuery>() else {
        return query;
    };
    let clauses = (boolean.clauses().iter())
        .map(|(occur, q)| (*occur, in_parsed(q.box_clone(), pairs)))
        .collect();
    let mut rebuilt = BooleanQuery::new(clauses);
    rebuilt.set_minimum_number_should_match(boolean.get_minimum_number_should_match());
    Box::new(rebuilt)
}

impl Query for PairPhraseQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let bm25 = match scoring {
            EnableScoring::Enabled {
                statistics_provider,
                ..
            } => Some(Bm25Weight::for_terms(statistics_provider, &self.words)?),
            EnableScoring::Disabled { .. } => None,
        };
        Ok(Box::new(PairWeight {
            pair: self.pair.clone(),
            text: self.words[0].field(),
            bm25,
        }))
    }

    /// The words, not the pair: snippets highlight them in the text.
    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for word in &self.words {
            visitor(word, true);
        }
    }
}

struct PairWeight {
    pair: Term,
    text: Field,
    bm25: Option<Bm25Weight>,
}

impl PairWeight {
    fn pair_scorer(
        &self,
        reader: &SegmentReader,
        boost: Score,
    ) -> tantivy::Result<Option<PairScorer>> {
        let inverted = reader.inverted_index(self.pair.field())?;
        let Some(postings) = inverted.read_postings(&self.pair, IndexRecordOption::WithFreqs)?
        else {
            return Ok(None);
        };
        let norms = match &self.bm25 {
            Some(_) => reader.get_fieldnorms_reader(self.text)?,
            None => FieldNormReader::constant(reader.max_doc(), 1),
        };
        Ok(Some(PairScorer {
            postings,
            norms,
            bm25: self.bm25.as_ref().map(|w| w.boost_by(boost)),
        }))
    }
}

impl Weight for PairWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.pair_scorer(reader, boost)? {
            Some(scorer) => Box::new(scorer),
            None => Box::new(EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        if let Some(mut scorer) = self.pair_scorer(reader, 1.0)?
            && scorer.seek(doc) == doc
        {
            return Ok(Explanation::new(
                "phrase through its word pair",
                scorer.score(),
            ));
        }
        Err(tantivy::TantivyError::InvalidArgument(format!(
            "document {doc} does not match"
        )))
    }
}

struct PairScorer {
    postings: SegmentPostings,
    norms: FieldNormReader,
    bm25: Option<Bm25Weight>,
}

impl DocSet for PairScorer {
    fn advance(&mut self) -> DocId {
        self.postings.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.postings.seek(target)
    }

    fn doc(&self) -> DocId {
        self.postings.doc()
    }

    fn size_hint(&self) -> u32 {
        self.postings.size_hint()
    }
}

impl Scorer for PairScorer {
    fn score(&mut self) -> Score {
        let Some(bm25) = &self.bm25 else {
            return 1.0;
        };
        let norm = self.norms.fieldnorm_id(self.doc());
        bm25.score(norm, self.postings.term_freq())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::pairs::PAIRS_ANALYZER;
    use crate::index::tokenizer::TEXT_ANALYZER;
    use tantivy::collector::{Count, TopDocs};
    use tantivy::schema::{Schema, TextFieldIndexing, TextOptions};
    use tantivy::{Index, IndexWriter, TantivyDocument, doc};

    /// Lines of real calls: the phrase, a near miss, figures and a repeated phrase.
    const LINES: &[&str] = &[
        "Gross margin was 42.1%, up 80 basis points; gross margins improved in every region.",
        "Our gross profit grew, and margin expanded. Gross, not net.",
        "Revenue rose 11.1 percent to $481.1 million in the first quarter.",
        "Gross margin, gross margin, gross margin: that is what investors asked about.",
        "In the first quarter, revenue was $2.3 billion; first quarter margin was steady.",
    ];

    fn index() -> (Index, Field, Field) {
        let mut schema = Schema::builder();
        let options = |analyzer: &str, option| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(analyzer)
                    .set_index_option(option),
            )
        };
        let text = schema.add_text_field(
            "text",
            options(TEXT_ANALYZER, IndexRecordOption::WithFreqsAndPositions),
        );
        let pairs = schema.add_text_field(
            "text_pairs",
            options(PAIRS_ANALYZER, IndexRecordOption::WithFreqs).clone(),
        );
        let index = Index::create_in_ram(schema.build());
        crate::index::tokenizer::register(&index);
        let mut writer: IndexWriter<TantivyDocument> = index.writer(15_000_000).unwrap();
        for line in LINES {
            writer
                .add_document(doc!(text => *line, pairs => *line))
                .unwrap();
        }
        writer.commit().unwrap();
        (index, text, pairs)
    }

    fn terms(index: &Index, text: Field, phrase: &str) -> Vec<Term> {
        let mut analyzer = index.tokenizer_for_field(text).unwrap();
        let mut stream = analyzer.token_stream(phrase);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push(Term::from_field_text(text, &t.text));
        }
        out
    }

    fn top(index: &Index, query: &dyn Query) -> (usize, Vec<(u32, String)>) {
        let searcher = index.reader().unwrap().searcher();
        let (hits, count) = searcher
            .search(query, &(TopDocs::with_limit(10).order_by_score(), Count))
            .unwrap();
        let hits = hits.into_iter().map(|(s, a)| (a.doc_id, format!("{s:.6}")));
        (count, hits.collect())
    }

    #[test]
    fn a_pair_finds_and_scores_what_the_phrase_does() {
        let (index, text, pairs) = index();
        for phrase in [
            "gross margin",
            "margins improved",
            "margin expanded",
            "quarter margin",
        ] {
            let words = terms(&index, text, phrase);
            assert_eq!(words.len(), 2, "{phrase}");
            let pair = PairPhraseQuery::new(&words[0], &words[1], pairs).unwrap();
            let want = top(&index, &PhraseQuery::new(words.clone()));
            assert!(want.0 > 0, "{phrase} matches nothing");
            assert_eq!(top(&index, &pair), want, "{phrase} {words:?}");
        }
    }

    #[test]
    fn a_phrase_with_a_rare_word_stays_a_phrase() {
        let (index, text, pairs) = index();
        let words = terms(&index, text, "revenue rose");
        assert!(PairPhraseQuery::new(&words[0], &words[1], pairs).is_none());
        let query = phrase(&words, Some(pairs));
        assert!(query.is::<PhraseQuery>());
        assert_eq!(top(&index, query.as_ref()).0, 1);
    }

    #[test]
    fn parsed_phrases_become_pairs_only_when_plain_two_word_phrases() {
        let (index, text, pairs) = index();
        let two = PhraseQuery::new(terms(&index, text, "gross margin"));
        assert!(
            from_parsed(&two, pairs).is_some(),
            "tantivy's Debug form changed"
        );
        let mut sloppy = two.clone();
        sloppy.set_slop(2);
        assert!(from_parsed(&sloppy, pairs).is_none());
        let gap = PhraseQuery::new_with_offset(
            terms(&index, text, "gross margin")
                .into_iter()
                .zip([0, 2])
                .map(|(t, o)| (o, t))
                .collect(),
        );
        assert!(from_parsed(&gap, pairs).is_none());
        let three = PhraseQuery::new(terms(&index, text, "gross margin was"));
        assert!(from_parsed(&three, pairs).is_none());
        let nested = in_parsed(
            Box::new(BooleanQuery::intersection(vec![Box::new(two)])),
            pairs,
        );
        assert_eq!(top(&index, nested.as_ref()).0, 2);
    }
}
