//! "At least M votes among these clauses": the query behind plain words, matched the way
//! Lucene's min-should-match scorer is. Only the rarest clauses drive the scan; the
//! common ones are checked by seeking, so the common words of a pasted sentence cost a
//! seek per candidate, not a walk of their whole posting lists.
//!
//! A clause can carry several votes: a figure typed carries all `M`, so a passage holding
//! it matches on its own.

use tantivy::query::{EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, Term};

/// Passages whose matching clauses hold at least `min` votes, scored by the sum of the
/// matching clauses' scores.
#[derive(Debug)]
pub struct MinMatchQuery {
    clauses: Vec<(Box<dyn Query>, u32)>,
    min: u32,
}

impl MinMatchQuery {
    /// `clauses` are (query, votes); `min` is at least 1.
    pub fn new(clauses: Vec<(Box<dyn Query>, u32)>, min: u32) -> Self {
        MinMatchQuery {
            clauses,
            min: min.max(1),
        }
    }
}

impl Clone for MinMatchQuery {
    fn clone(&self) -> Self {
        let clauses = (self.clauses.iter())
            .map(|(q, v)| (q.box_clone(), *v))
            .collect();
        MinMatchQuery {
            clauses,
            min: self.min,
        }
    }
}

impl Query for MinMatchQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let weights = (self.clauses.iter())
            .map(|(q, votes)| Ok((q.weight(scoring)?, *votes)))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(MinMatchWeight {
            weights,
            min: self.min,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for (q, _) in &self.clauses {
            q.query_terms(visitor);
        }
    }
}

struct MinMatchWeight {
    weights: Vec<(Box<dyn Weight>, u32)>,
    min: u32,
}

impl Weight for MinMatchWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut clauses = Vec::with_capacity(self.weights.len());
        for (weight, votes) in &self.weights {
            let scorer = weight.scorer(reader, boost)?;
            if scorer.doc() != TERMINATED {
                clauses.push(Clause {
                    scorer,
                    votes: *votes,
                });
            }
        }
        let total: u32 = clauses.iter().map(|c| c.votes).sum();
        if total < self.min {
            return Ok(Box::new(EmptyScorer));
        }
        Ok(Box::new(MinMatchScorer::new(clauses, self.min)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.doc() > doc || scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        Ok(Explanation::new("at least min votes", scorer.score()))
    }
}

struct Clause {
    scorer: Box<dyn Scorer>,
    votes: u32,
}

struct MinMatchScorer {
    /// The cheapest clauses: every match holds at least one of them.
    lead: Vec<Clause>,
    /// The rest, cheapest first, checked by seeking.
    rest: Vec<Clause>,
    /// `rest_votes[i]`: the votes of `rest[i..]`.
    rest_votes: Vec<u32>,
    min: u32,
    doc: DocId,
    score: Score,
}

impl MinMatchScorer {
    fn new(mut clauses: Vec<Clause>, min: u32) -> Self {
        clauses.sort_by_key(|c| c.scorer.cost());
        // Lead with the cheapest clauses until the others' votes cannot reach `min`.
        let mut outside: u32 = clauses.iter().map(|c| c.votes).sum();
        let mut lead_len = 0;
        while outside >= min {
            outside -= clauses[lead_len].votes;
            lead_len += 1;
        }
        let rest = clauses.split_off(lead_len);
        let mut rest_votes: Vec<u32> = rest.iter().rev().map(|c| c.votes).collect();
        for i in 1..rest_votes.len() {
            rest_votes[i] += rest_votes[i - 1];
        }
        rest_votes.reverse();
        let mut scorer = MinMatchScorer {
            lead: clauses,
            rest,
            rest_votes,
            min,
            doc: 0,
            score: 0.0,
        };
        scorer.find();
        scorer
    }

    /// Moves to the first candidate at or after the lead clauses' positions that matches.
    fn find(&mut self) -> DocId {
        loop {
            let candidate = self.lead.iter().map(|c| c.scorer.doc()).min();
            let candidate = candidate.unwrap_or(TERMINATED);
            if candidate == TERMINATED || self.check(candidate) {
                self.doc = candidate;
                return candidate;
            }
            self.step_lead_past(candidate);
        }
    }

    /// Counts the votes at `doc` and, when they reach `min`, sums the scores.
    fn check(&mut self, doc: DocId) -> bool {
        let mut votes = 0;
        let mut score = 0.0;
        for c in self.lead.iter_mut().filter(|c| c.scorer.doc() == doc) {
            votes += c.votes;
            score += c.scorer.score();
        }
        for (i, c) in self.rest.iter_mut().enumerate() {
            if votes < self.min && votes + self.rest_votes[i] < self.min {
                return false;
            }
            if c.scorer.doc() < doc {
                c.scorer.seek(doc);
            }
            if c.scorer.doc() == doc {
                votes += c.votes;
                score += c.scorer.score();
            }
        }
        self.score = score;
        votes >= self.min
    }

    fn step_lead_past(&mut self, doc: DocId) {
        for c in self.lead.iter_mut().filter(|c| c.scorer.doc() == doc) {
            c.scorer.advance();
        }
    }
}

impl DocSet for MinMatchScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        self.step_lead_past(self.doc);
        self.find()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        for c in self.lead.iter_mut().filter(|c| c.scorer.doc() < target) {
            c.scorer.seek(target);
        }
        self.find()
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        let sum: u64 = self.lead.iter().map(|c| c.scorer.size_hint() as u64).sum();
        sum.min(u32::MAX as u64) as u32
    }

    fn cost(&self) -> u64 {
        self.lead.iter().map(|c| c.scorer.cost()).sum()
    }
}

impl Scorer for MinMatchScorer {
    fn score(&mut self) -> Score {
        self.score
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::TermQuery;
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{Index, doc};

    fn index(texts: &[&str]) -> (Index, tantivy::schema::Field) {
        let mut schema = Schema::builder();
        let text = schema.add_text_field("text", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for t in texts {
            writer.add_document(doc!(text => *t)).unwrap();
        }
        writer.commit().unwrap();
        (index, text)
    }

    fn clause(field: tantivy::schema::Field, word: &str, votes: u32) -> (Box<dyn Query>, u32) {
        let term = Term::from_field_text(field, word);
        let q: Box<dyn Query> = Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
        (q, votes)
    }

    #[test]
    fn counts_exactly_the_passages_with_enough_votes() {
        let texts = [
            "revenue rose in china",
            "revenue fell",
            "china pricing",
            "pricing revenue china",
            "nothing here",
            "481 alone",
        ];
        let (index, f) = index(&texts);
        let searcher = index.reader().unwrap().searcher();
        let q = MinMatchQuery::new(
            vec![
                clause(f, "revenue", 1),
                clause(f, "china", 1),
                clause(f, "pricing", 1),
                clause(f, "481", 2),
            ],
            2,
        );
        assert_eq!(searcher.search(&q, &Count).unwrap(), 4);
        let top = searcher
            .search(&q, &TopDocs::with_limit(10).order_by_score())
            .unwrap();
        let mut docs: Vec<u32> = top.iter().map(|(_, a)| a.doc_id).collect();
        docs.sort();
        assert_eq!(docs, vec![0, 2, 3, 5]);
    }

    #[test]
    fn too_few_votes_in_the_segment_match_nothing() {
        let (index, f) = index(&["revenue", "china"]);
        let searcher = index.reader().unwrap().searcher();
        let q = MinMatchQuery::new(vec![clause(f, "revenue", 1), clause(f, "absent", 1)], 2);
        assert_eq!(searcher.search(&q, &Count).unwrap(), 0);
    }
}
