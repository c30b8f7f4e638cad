//! "At least M votes among these clauses": the query behind plain words, matched the way
//! Lucene's min-should-match scorer is. Only the rarest clauses drive the scan; the
//! common ones are checked by seeking, so the common words of a pasted sentence cost a
//! seek per candidate, not a walk of their whole posting lists.
//!
//! A clause can carry several votes: a figure typed carries all `M`, so a passage holding
//! it matches on its own. A clause is a word with its alternatives (synonyms, the words of
//! a phrase apart), each seeked on its own: a union scorer would score every passage in a
//! window on each seek, which made the common synonyms of a sentence the costly part.

use tantivy::query::{EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, Term};

/// One clause: any of its alternatives matches it; its score is theirs summed.
pub type Alternatives = Vec<Box<dyn Query>>;

/// Passages whose matching clauses hold at least `min` votes, scored by the sum of the
/// matching alternatives' scores.
#[derive(Debug)]
pub struct MinMatchQuery {
    clauses: Vec<(Alternatives, u32)>,
    min: u32,
}

impl MinMatchQuery {
    /// `clauses` are (alternatives, votes); `min` is at least 1.
    pub fn new(clauses: Vec<(Alternatives, u32)>, min: u32) -> Self {
        MinMatchQuery {
            clauses,
            min: min.max(1),
        }
    }
}

impl Clone for MinMatchQuery {
    fn clone(&self) -> Self {
        let clauses = (self.clauses.iter())
            .map(|(alts, v)| (alts.iter().map(|q| q.box_clone()).collect(), *v))
            .collect();
        MinMatchQuery {
            clauses,
            min: self.min,
        }
    }
}

impl Query for MinMatchQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let mut weights = Vec::with_capacity(self.clauses.len());
        for (alts, votes) in &self.clauses {
            let alts = (alts.iter())
                .map(|q| q.weight(scoring))
                .collect::<tantivy::Result<Vec<_>>>()?;
            weights.push((alts, *votes));
        }
        Ok(Box::new(MinMatchWeight {
            weights,
            min: self.min,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for q in self.clauses.iter().flat_map(|(alts, _)| alts) {
            q.query_terms(visitor);
        }
    }
}

struct MinMatchWeight {
    weights: Vec<(Vec<Box<dyn Weight>>, u32)>,
    min: u32,
}

impl Weight for MinMatchWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut clauses = Vec::with_capacity(self.weights.len());
        for (alts, votes) in &self.weights {
            let mut scorers = Vec::with_capacity(alts.len());
            for weight in alts {
                let scorer = weight.scorer(reader, boost)?;
                if scorer.doc() != TERMINATED {
                    scorers.push(scorer);
                }
            }
            if !scorers.is_empty() {
                clauses.push(Clause::new(scorers, *votes));
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

/// A clause's alternatives, positioned together: `doc` is the first of theirs.
struct Clause {
    alts: Vec<Box<dyn Scorer>>,
    votes: u32,
    doc: DocId,
    cost: u64,
}

impl Clause {
    fn new(mut alts: Vec<Box<dyn Scorer>>, votes: u32) -> Self {
        // Cheapest first: a word is checked before a phrase, whose positions cost.
        alts.sort_by_key(|a| a.cost());
        let cost = alts.iter().map(|a| a.cost()).sum();
        let mut clause = Clause {
            alts,
            votes,
            doc: 0,
            cost,
        };
        clause.settle();
        clause
    }

    fn settle(&mut self) {
        self.doc = self
            .alts
            .iter()
            .map(|a| a.doc())
            .min()
            .unwrap_or(TERMINATED);
    }

    fn seek(&mut self, target: DocId) {
        if self.doc >= target {
            return;
        }
        for a in self.alts.iter_mut().filter(|a| a.doc() < target) {
            a.seek(target);
        }
        self.settle();
    }

    /// Moves every alternative standing on `doc` (the clause's own) forward.
    fn advance_past(&mut self, doc: DocId) {
        for a in self.alts.iter_mut().filter(|a| a.doc() == doc) {
            a.advance();
        }
        self.settle();
    }

    /// Whether an alternative holds `doc`, seeking only until one does (the rest stay
    /// behind, which is fine: they are only ever sought forward). Not for the lead.
    fn matches(&mut self, doc: DocId) -> bool {
        for a in &mut self.alts {
            if a.doc() < doc {
                a.seek(doc);
            }
            if a.doc() == doc {
                return true;
            }
        }
        false
    }

    /// The summed score of the alternatives holding `doc`.
    fn score_at(&mut self, doc: DocId) -> Score {
        let mut score = 0.0;
        for a in &mut self.alts {
            if a.doc() < doc {
                a.seek(doc);
            }
            if a.doc() == doc {
                score += a.score();
            }
        }
        score
    }

    fn size_hint(&self) -> u64 {
        self.alts.iter().map(|a| a.size_hint() as u64).sum()
    }
}

struct MinMatchScorer {
    /// The cheapest clauses: every match holds at least one of them.
    lead: Vec<Clause>,
    /// The rest, cheapest first, checked by seeking.
    rest: Vec<Clause>,
    /// `rest_votes[i]`: the votes of `rest[i..]`.
    rest_votes: Vec<u32>,
    /// Which of `rest` hold the candidate being checked.
    rest_hit: Vec<bool>,
    min: u32,
    doc: DocId,
    score: Score,
}

impl MinMatchScorer {
    fn new(mut clauses: Vec<Clause>, min: u32) -> Self {
        clauses.sort_by_key(|c| c.cost);
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
            rest_hit: vec![false; rest.len()],
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
            let candidate = self.lead.iter().map(|c| c.doc).min();
            let candidate = candidate.unwrap_or(TERMINATED);
            if candidate == TERMINATED || self.check(candidate) {
                self.doc = candidate;
                return candidate;
            }
            self.step_lead_past(candidate);
        }
    }

    /// Counts the votes at `doc` and, when they reach `min`, sums the scores (most
    /// candidates fail, so nothing is scored until the votes are in).
    fn check(&mut self, doc: DocId) -> bool {
        let mut votes: u32 = (self.lead.iter())
            .filter(|c| c.doc == doc)
            .map(|c| c.votes)
            .sum();
        self.rest_hit.fill(false);
        for (i, c) in self.rest.iter_mut().enumerate() {
            if votes < self.min && votes + self.rest_votes[i] < self.min {
                return false;
            }
            if c.matches(doc) {
                self.rest_hit[i] = true;
                votes += c.votes;
            }
        }
        if votes < self.min {
            return false;
        }
        let lead = self.lead.iter_mut().filter(|c| c.doc == doc);
        let rest =
            (self.rest.iter_mut().zip(&self.rest_hit)).filter_map(|(c, hit)| hit.then_some(c));
        self.score = lead.chain(rest).map(|c| c.score_at(doc)).sum();
        true
    }

    fn step_lead_past(&mut self, doc: DocId) {
        for c in self.lead.iter_mut().filter(|c| c.doc == doc) {
            c.advance_past(doc);
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
        for c in &mut self.lead {
            c.seek(target);
        }
        self.find()
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        let sum: u64 = self.lead.iter().map(|c| c.size_hint()).sum();
        sum.min(u32::MAX as u64) as u32
    }

    fn cost(&self) -> u64 {
        self.lead.iter().map(|c| c.cost).sum()
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

    fn term(field: tantivy::schema::Field, word: &str) -> Box<dyn Query> {
        let term = Term::from_field_text(field, word);
        Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
    }

    fn clause(field: tantivy::schema::Field, word: &str, votes: u32) -> (Alternatives, u32) {
        (vec![term(field, word)], votes)
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

    #[test]
    fn a_clause_matches_on_any_alternative_and_scores_their_sum() {
        let texts = [
            "outlook raised",
            "guidance raised",
            "guidance outlook raised",
            "raised",
        ];
        let (index, f) = index(&texts);
        let searcher = index.reader().unwrap().searcher();
        let q = MinMatchQuery::new(
            vec![
                (vec![term(f, "guidance"), term(f, "outlook")], 1),
                clause(f, "raised", 1),
            ],
            2,
        );
        assert_eq!(searcher.search(&q, &Count).unwrap(), 3);
        let top = searcher
            .search(&q, &TopDocs::with_limit(10).order_by_score())
            .unwrap();
        // The passage holding both alternatives scores highest.
        assert_eq!(top[0].1.doc_id, 2);
    }
}
