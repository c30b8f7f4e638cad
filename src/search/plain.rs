//! What the user typed, read the way they meant it: explicit syntax keeps its strict
//! meaning; plain words and pasted sentences become content words, matched "all words
//! first, then most".
//!
//! The rule for plain words, stated in every summary: of the N content words (stopwords
//! never count), a passage must hold at least M = N for N <= 2, else ceil(N / 2);
//! passages holding all N rank first (by BM25), then the rest (by BM25).

use tantivy::query::{
    BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, RegexQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Index, Term};

use crate::error::Error;
use crate::index::fields::{F, TABLE};
use crate::index::finance_forms::{form_at, spellings};
use crate::search::min_match::MinMatchQuery;
use crate::search::proximity::Proximity;
use crate::search::suggest::expand;
use crate::search::synonyms::{SynonymTable, lex};

/// Words that never need to match: English function words, minus those that carry
/// meaning in finance (`up`, `down`, `not`, `no`, `over`, `below`, `above`, ...).
pub const STOPWORDS: &[&str] = &[
    "a", "about", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at",
    "be", "because", "been", "being", "between", "both", "but", "by", "can", "could", "did", "do",
    "does", "doing", "during", "each", "few", "for", "from", "had", "has", "have", "having", "he",
    "her", "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "just",
    "me", "more", "most", "my", "of", "on", "once", "only", "or", "other", "our", "ours", "out",
    "own", "s", "same", "she", "should", "so", "some", "such", "t", "than", "that", "the", "their",
    "theirs", "them", "then", "there", "these", "they", "this", "those", "through", "to", "too",
    "us", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom",
    "why", "will", "with", "would", "you", "your", "yours", "d", "ll", "m", "re", "ve", "don",
    "terms", "seeing", "look", "looking", "think", "going", "get", "got", "let",
];

/// How the plain words were matched, for the summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Matched {
    /// `*`: every passage.
    Everything,
    /// Explicit syntax (AND / OR / NOT, quotes, `field:value`, `-word`, `word*`).
    Syntax,
    /// Every content word.
    AllWords,
    /// At least `min` of `of` content words, those with all of them first.
    MostWords {
        min: usize,
        of: usize,
        numbers: usize,
    },
}

impl Matched {
    /// The words of the summary's `matched` member.
    pub fn describe(&self) -> String {
        match self {
            Matched::Everything => "every passage".to_string(),
            Matched::Syntax => "query syntax".to_string(),
            Matched::AllWords => "all words".to_string(),
            Matched::MostWords {
                min,
                of,
                numbers: 0,
            } => format!("at least {min} of {of} words"),
            Matched::MostWords { min, of, .. } => {
                format!("at least {min} of {of} words, or a number")
            }
        }
    }
}

/// The user's words as two queries: all content words, and the wider set counted.
pub struct PlainWords {
    pub all: Box<dyn Query>,
    /// `None` when the counted set is the all-words set.
    pub most: Option<Box<dyn Query>>,
    pub matched: Matched,
    /// The content words, for widening.
    terms: Vec<Slot>,
}

impl PlainWords {
    /// Explicit syntax, `*` or `--all-words`: one query, counted as it is.
    pub fn strict(all: Box<dyn Query>, matched: Matched) -> Self {
        PlainWords {
            all,
            most: None,
            matched,
            terms: Vec::new(),
        }
    }

    /// The single words typed: as typed, and as indexed (for suggestions).
    pub fn typed_words(&self) -> Vec<(String, String)> {
        (self.terms.iter())
            .filter(|s| s.special.is_none() && !s.number && s.typed.len() == 1)
            .filter_map(|s| {
                let value = s.typed[0].value();
                let indexed = value.as_str()?.to_string();
                Some((s.raw.clone(), indexed))
            })
            .collect()
    }

    /// The synonyms that were searched too (`earnings per share` for `eps`).
    pub fn also_matched(&self) -> Vec<String> {
        self.terms.iter().flat_map(|s| s.shown.clone()).collect()
    }

    /// The content words in the order typed, for the proximity prior (a phrase or
    /// figure by its first word; prefixes and typos left out).
    pub fn proximity(&self, field: Field) -> Proximity {
        let terms = (self.terms.iter())
            .filter(|s| s.special.is_none())
            .filter_map(|s| s.typed.first().cloned())
            .collect();
        Proximity::new(field, terms)
    }

    /// The indexed words the prefixes (`marg*`) and typos (`margni~1`) matched, for
    /// highlighting.
    pub fn loose_matches(
        &self,
        searcher: &tantivy::Searcher,
        field: Field,
    ) -> Result<Vec<(String, u64)>, Error> {
        let mut out = Vec::new();
        for slot in &self.terms {
            let (word, edits) = match &slot.special {
                Some(Special::Prefix(_)) => (slot.raw.trim_end_matches('*').to_string(), None),
                Some(Special::Fuzzy(term, d)) => {
                    let word = term.value().as_str().unwrap_or_default().to_string();
                    (word, Some(*d))
                }
                None => continue,
            };
            out.extend(expand(searcher, field, &word, edits)?);
        }
        Ok(out)
    }

    /// The set `total_hits` and the facets count.
    pub fn counted(&self) -> &dyn Query {
        self.most.as_deref().unwrap_or(&*self.all)
    }

    /// When nothing holds `min` of the words: the same words with one fewer required.
    pub fn widened(&self) -> Option<PlainWords> {
        let min = match self.matched {
            Matched::AllWords if self.terms.len() > 1 => self.terms.len(),
            Matched::MostWords { min, .. } if min > 1 => min,
            _ => return None,
        };
        Some(with_min(self.terms.clone(), min - 1))
    }
}

/// Straight quotes for curly ones, so a pasted `“gross margin”` is a phrase.
pub fn normalize(q: &str) -> String {
    q.replace(['“', '”', '„', '«', '»'], "\"")
        .replace(['‘', '’'], "'")
        .trim()
        .to_string()
}

/// A pasted paragraph is searched by its first this-many content words (bounds the
/// query's size: a 1,000-word paste stays a query of milliseconds).
const MAX_SLOTS: usize = 40;

/// Up to this many words, `-word`, `word*` and `word~1` are read as syntax.
const SHORT_QUERY_WORDS: usize = 4;

/// True when the query uses explicit syntax that should keep its strict meaning: a
/// known field before a colon, or (with balanced quotes and brackets) quotes or
/// operators between words; in a short query also brackets or `-word` / `+word`.
pub fn is_explicit(q: &str) -> bool {
    if has_known_field(q) {
        return true;
    }
    let balanced = q.matches('"').count().is_multiple_of(2) && brackets_balanced(q);
    let structural = q.contains('"') || has_operator(q);
    // Brackets, `-word`, `word*`, `word~1` are syntax in a short query; in a pasted
    // sentence (`earnings per share (eps)`, `quarter -end`, `+6% to +8%`) punctuation.
    let short = q.split_whitespace().count() <= SHORT_QUERY_WORDS;
    let marked = q.split_whitespace().any(is_syntax_word) || q.contains('(');
    balanced && (structural || (marked && short))
}

/// `speaker:russo`, `(role:cfo`, `-section:qa`, `speaker:` alone: a field of the index.
pub fn has_known_field(q: &str) -> bool {
    q.split_whitespace().any(|w| {
        let w = w.trim_start_matches(['+', '-', '(']);
        w.split_once(':')
            .is_some_and(|(field, _)| TABLE.iter().any(|d| d.name == field))
    })
}

/// `AND`, `OR`, `NOT` between words, unless the whole query is in capitals (a pasted
/// headline, where they are words).
fn has_operator(q: &str) -> bool {
    if !q.chars().any(|c| c.is_lowercase()) {
        return false;
    }
    let words: Vec<&str> = q.split_whitespace().collect();
    words.iter().enumerate().any(|(i, w)| match *w {
        "AND" | "OR" => i > 0 && i + 1 < words.len(),
        "NOT" => i + 1 < words.len(),
        _ => false,
    })
}

/// `-word` / `+word` (`word*` and `word~1` are read by the plain-words path).
fn is_syntax_word(w: &str) -> bool {
    (w.starts_with('-') || w.starts_with('+')) && w[1..].starts_with(|c: char| c.is_alphanumeric())
}

fn brackets_balanced(q: &str) -> bool {
    let mut depth = 0i32;
    for c in q.chars() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            _ => {}
        }
        if depth < 0 {
            return false;
        }
    }
    depth == 0
}

/// One thing the query asks for: a word, a number, or a finance term with its synonyms.
#[derive(Clone)]
struct Slot {
    /// What was typed, as terms (a phrase when several).
    typed: Vec<Term>,
    /// What was typed, as text.
    raw: String,
    /// Typed words of a finance phrase (`earnings per share`) also match apart.
    loose: bool,
    /// A figure (`481.1`, `2021`): a passage holding it is always in the counted set.
    number: bool,
    /// `marg*` or `margni~1`: matched by prefix or edit distance instead.
    special: Option<Special>,
    /// Synonyms, each a term or a phrase, weighted below what was typed.
    synonyms: Vec<Vec<Term>>,
    /// The synonyms as text, for `also matched`.
    shown: Vec<String>,
    /// The index's word-pair field, for two-word phrases.
    pairs: Option<Field>,
}

impl Slot {
    /// The slot as one query: any of its alternatives, their scores summed.
    fn query(&self) -> Box<dyn Query> {
        let mut alternatives = self.alternatives();
        if alternatives.len() == 1 {
            return alternatives.remove(0);
        }
        let should = alternatives.into_iter().map(|q| (Occur::Should, q));
        Box::new(BooleanQuery::new(should.collect()))
    }

    /// What matches the slot: the words as typed (a figure weighted up), a finance
    /// phrase's words apart, and each synonym weighted below what was typed.
    fn alternatives(&self) -> Vec<Box<dyn Query>> {
        if let Some(special) = &self.special {
            return vec![special.query()];
        }
        let mut typed = phrase_or_term(&self.typed, self.pairs);
        if self.number {
            typed = Box::new(BoostQuery::new(typed, NUMBER_WEIGHT));
        }
        let mut out = vec![typed];
        if self.loose {
            let apart: Vec<(Occur, Box<dyn Query>)> = (self.typed.iter())
                .map(|t| (Occur::Must, phrase_or_term(std::slice::from_ref(t), None)))
                .collect();
            out.push(Box::new(BooleanQuery::new(apart)));
        }
        for s in &self.synonyms {
            let synonym = phrase_or_term(s, self.pairs);
            out.push(Box::new(BoostQuery::new(synonym, SYNONYM_WEIGHT)));
        }
        out
    }
}

/// A word matched loosely.
#[derive(Clone)]
enum Special {
    /// `marg*`: every indexed word starting with the prefix.
    Prefix(Box<RegexQuery>),
    /// `margni~1`: words within that many edits.
    Fuzzy(Term, u8),
}

impl Special {
    /// `word*` or `word~N` (N at most 2), as the user typed it (lowercase).
    fn parse(field: Field, word: &str) -> Option<Special> {
        if let Some(prefix) = word.strip_suffix('*') {
            let pattern = format!("{prefix}.*");
            let regex = RegexQuery::from_pattern(&pattern, field).ok()?;
            return Some(Special::Prefix(Box::new(regex)));
        }
        let (stem, n) = word.rsplit_once('~')?;
        let distance: u8 = n.parse().ok().filter(|d| *d <= 2)?;
        Some(Special::Fuzzy(Term::from_field_text(field, stem), distance))
    }

    fn query(&self) -> Box<dyn Query> {
        match self {
            Special::Prefix(regex) => Box::new((**regex).clone()),
            Special::Fuzzy(term, d) => Box::new(FuzzyTermQuery::new(term.clone(), *d, true)),
        }
    }
}

/// A figure typed decides more than a word: reported figures are what facts are about
/// (tuned on the train split: MRR@10 of pasted facts 0.957 at 1, 0.985 at 3).
const NUMBER_WEIGHT: f32 = 3.0;

/// Synonyms count for less than the words typed.
const SYNONYM_WEIGHT: f32 = 0.6;

/// Digits with inner points or commas (`481.1`, `1,234.5`): indexed whole too.
fn is_figure(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_digit())
        && word.contains(['.', ','])
        && word
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
}

fn phrase_or_term(terms: &[Term], pairs: Option<Field>) -> Box<dyn Query> {
    match terms {
        [one] => Box::new(TermQuery::new(one.clone(), IndexRecordOption::WithFreqs)),
        many => crate::search::pair_phrase::phrase(many, pairs),
    }
}

/// The slots of `q`: stopwords dropped (unless nothing else is left), synonyms grouped.
fn slots(index: &Index, field: Field, q: &str, table: &SynonymTable) -> Result<Vec<Slot>, Error> {
    let mut analyzer = index.tokenizer_for_field(field)?;
    let mut terms_of = |text: &str| -> Vec<Term> {
        let mut out = Vec::new();
        let mut stream = analyzer.token_stream(text);
        while let Some(t) = stream.next() {
            out.push(Term::from_field_text(field, &t.text));
        }
        out
    };
    let words = lex(q);
    let pairs = index.schema().get_field(F::TextPairs.name()).ok();
    let (mut content, mut every) = (Vec::new(), Vec::new());
    let mut at = 0;
    while at < words.len() {
        if let Some(special) = Special::parse(field, &words[at]) {
            content.push(Slot {
                typed: vec![Term::from_field_text(field, &words[at])],
                raw: words[at].clone(),
                loose: false,
                number: false,
                special: Some(special),
                synonyms: Vec::new(),
                shown: Vec::new(),
                pairs,
            });
            at += 1;
            continue;
        }
        // A finance form (`first quarter`) is searched as the token the analyzer gives
        // every spelling of it (`q1`); its synonyms are the canonical token's.
        let form = form_at(&words, at);
        let (canonical, form_len) = match form {
            Some((c, n)) => (vec![c.to_string()], n),
            None => (Vec::new(), 0),
        };
        let (key, key_at) = if form.is_some() {
            (&canonical[..], 0)
        } else {
            (&words[..], at)
        };
        let (typed_words, synonyms, len) = match table.at(key, key_at) {
            Some((group, len)) => {
                let typed = &key[key_at..key_at + len];
                let others: Vec<&Vec<String>> =
                    group.iter().filter(|a| a[..] != typed[..]).collect();
                (typed.join(" "), others, len)
            }
            None => (key[key_at].clone(), Vec::new(), 1),
        };
        let len = if form.is_some() { form_len } else { len };
        let mut typed = terms_of(&typed_words);
        // A figure (`481.1`, `1,234.5`) is one indexed token: its last.
        if is_figure(&typed_words) && typed.len() > 1 {
            typed = typed.split_off(typed.len() - 1);
        }
        if typed.is_empty() {
            at += len;
            continue;
        }
        let loose = len > 1 && form.is_none();
        let number = words[at].starts_with(|c: char| c.is_ascii_digit()) && form.is_none();
        let raw = words[at..at + len].join(" ");
        let mut slot = Slot {
            typed,
            raw: raw.clone(),
            loose,
            number,
            special: None,
            synonyms: Vec::new(),
            shown: Vec::new(),
            pairs,
        };
        if let Some((c, _)) = form {
            let others = std::iter::once(c.to_string()).chain(spellings(c));
            slot.shown = others.filter(|s| *s != raw).collect();
        }
        for alt in synonyms {
            let text = alt.join(" ");
            let terms = terms_of(&text);
            if !terms.is_empty() && terms != slot.typed && !slot.synonyms.contains(&terms) {
                slot.synonyms.push(terms);
                slot.shown.push(text);
            }
        }
        let stop = len == 1 && STOPWORDS.contains(&words[at].as_str());
        if !every.iter().any(|s: &Slot| s.typed == slot.typed) {
            every.push(slot.clone());
            if !stop {
                content.push(slot);
            }
        }
        at += len;
    }
    // A query of stopwords alone (`what is it`) still means its words.
    let mut slots = if content.is_empty() { every } else { content };
    slots.truncate(MAX_SLOTS);
    Ok(slots)
}

/// Plain words as queries over `field` (the passage text).
pub fn plain_words(
    index: &Index,
    field: Field,
    q: &str,
    table: &SynonymTable,
) -> Result<PlainWords, Error> {
    let slots = slots(index, field, q, table)?;
    let n = slots.len();
    if n == 0 {
        return Err(Error::Query(format!("{q:?} has no words to search for")));
    }
    let min = if n <= 2 { n } else { n.div_ceil(2) };
    Ok(with_min(slots, min))
}

/// Passages holding at least `min` of the slots or any number typed, scored by BM25
/// over the slots they hold: a figure carries all `min` votes.
fn most_words(slots: &[Slot], min: usize) -> Box<dyn Query> {
    most_words_votes(slots, min, |slot| if slot.number { min as u32 } else { 1 })
}

fn most_words_votes(slots: &[Slot], min: usize, votes: impl Fn(&Slot) -> u32) -> Box<dyn Query> {
    let clauses = slots.iter().map(|s| (s.alternatives(), votes(s))).collect();
    Box::new(MinMatchQuery::new(clauses, min as u32))
}

/// All of the slots first, then passages holding at least `min` of them.
fn with_min(terms: Vec<Slot>, min: usize) -> PlainWords {
    let n = terms.len();
    let all: Box<dyn Query> = match terms.as_slice() {
        // One slot is its own query: a boolean wrapper would cost block skipping.
        [one] => one.query(),
        // Ranked beside "most words", where every match is visited: seek alternatives
        // one by one rather than through union scorers.
        many if min < n => most_words_votes(many, n, |_| 1),
        many => Box::new(BooleanQuery::new(
            many.iter().map(|t| (Occur::Must, t.query())).collect(),
        )),
    };
    let (most, matched) = if min >= n {
        (None, Matched::AllWords)
    } else {
        let numbers = terms.iter().filter(|t| t.number).count();
        (
            Some(most_words(&terms, min)),
            Matched::MostWords {
                min,
                of: n,
                numbers,
            },
        )
    };
    PlainWords {
        all,
        most,
        matched,
        terms,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_syntax_is_told_from_pasted_text() {
        for q in [
            "stimulus NOT broadband",
            "\"gross margin\"",
            "speaker:russo margin",
            "speaker:(",
            "-broadband",
            "revenue AND (china OR india)",
        ] {
            assert!(is_explicit(q), "{q}");
        }
        for q in [
            "What are you seeing in terms of pricing in China?",
            "Apple's margin",
            "$125.2 billion - $126.4 billion",
            "outlook: strong",
            "revenue (up 5%",
            "nosuchfield:x",
            "FY REVENUE UP AND MARGINS DOWN",
            "q1 revenue rose 11.1 percent to $481.1 million.",
            "quarter -end inventory increased 3.7% over same period last year.",
            "organic net sales growth is expected in range of +6% to +8% in q3.",
            "qtrly organic revenues (non-gaap) grew 14%.",
            "margin*",
            "margni~1",
        ] {
            assert!(!is_explicit(q), "{q}");
        }
    }

    #[test]
    fn curly_quotes_are_phrase_quotes() {
        assert_eq!(normalize("“gross margin”"), "\"gross margin\"");
        assert!(is_explicit(&normalize("“gross margin”")));
    }
}
