//! "Did you mean": for a typed word the index has never seen, the indexed word within
//! two edits that most passages hold, so a typo never ends in a silent zero.

use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use crate::error::Error;
use crate::index::fields::{F, Fields};
use crate::search::stored::load_passage;

/// Longest word looked at: suggestions for pasted junk are not worth the time.
const MAX_WORD: usize = 30;

/// For each of `words` (as typed, and as indexed: lowercased, stemmed) that no passage
/// holds, the closest indexed word as a passage spells it: `(typed, suggestion)`.
pub fn did_you_mean(
    searcher: &Searcher,
    fields: &Fields,
    words: &[(String, String)],
) -> Result<Vec<(String, String)>, Error> {
    let field = fields[F::Text];
    let mut out = Vec::new();
    for (typed, word) in words {
        let term = Term::from_field_text(field, word);
        if word.len() > MAX_WORD || word.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        if searcher.doc_freq(&term)? > 0 {
            continue;
        }
        if let Some(best) = closest(searcher, field, word)? {
            out.push((typed.clone(), spelled(searcher, fields, &best)?));
        }
    }
    Ok(out)
}

/// The indexed word within two edits of `word` (same first letter) with the most
/// passages; ties by fewer edits, then alphabetically.
fn closest(searcher: &Searcher, field: Field, word: &str) -> Result<Option<String>, Error> {
    let Some(first) = word.chars().next() else {
        return Ok(None);
    };
    let (from, to) = (
        first.to_string(),
        char::from_u32(first as u32 + 1).map(String::from),
    );
    let mut best: Option<(u64, usize, String)> = None;
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let dict = inverted.terms();
        let range = dict.range().ge(from.as_bytes());
        let range = match &to {
            Some(to) => range.lt(to.as_bytes()),
            None => range,
        };
        let mut stream = range.into_stream().map_err(|e| Error::Engine(e.into()))?;
        while stream.advance() {
            let Ok(candidate) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            let Some(edits) = within_two(word, candidate) else {
                continue;
            };
            let freq = u64::from(stream.value().doc_freq);
            let better = match &best {
                None => true,
                Some((f, e, w)) => {
                    (freq, std::cmp::Reverse(edits), std::cmp::Reverse(candidate))
                        > (*f, std::cmp::Reverse(*e), std::cmp::Reverse(w.as_str()))
                }
            };
            if better {
                best = Some((freq, edits, candidate.to_string()));
            }
        }
    }
    Ok(best.map(|(_, _, w)| w))
}

/// How many indexed words a prefix or typo highlights at most (the most frequent).
const MAX_EXPANSION: usize = 64;

/// The indexed words a loose word matched, for highlighting: those starting with
/// `prefix`, or (`edits` = Some(n)) within n edits of it with the same first letter.
pub fn expand(
    searcher: &Searcher,
    field: Field,
    word: &str,
    edits: Option<u8>,
) -> Result<Vec<(String, u64)>, Error> {
    let start = match edits {
        None => word.to_string(),
        Some(_) => word.chars().next().map(String::from).unwrap_or_default(),
    };
    let mut found: std::collections::BTreeMap<String, u64> = Default::default();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let dict = inverted.terms();
        let mut stream = (dict.range().ge(start.as_bytes()).into_stream())
            .map_err(|e| Error::Engine(e.into()))?;
        while stream.advance() {
            if !stream.key().starts_with(start.as_bytes()) {
                break;
            }
            let Ok(candidate) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            let near = match edits {
                None => true,
                Some(n) => {
                    candidate == word
                        || within_two(word, candidate).is_some_and(|d| d <= n as usize)
                }
            };
            if near {
                *found.entry(candidate.to_string()).or_default() +=
                    u64::from(stream.value().doc_freq);
            }
        }
    }
    let mut words: Vec<(String, u64)> = found.into_iter().collect();
    words.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    words.truncate(MAX_EXPANSION);
    Ok(words)
}

/// For a filter that matched nothing (`--firm jeferies`), the closest value of its facet
/// column (`Jefferies`), compared as name keys within two edits.
pub fn closest_value(searcher: &Searcher, column: F, typed: &str) -> Result<Option<String>, Error> {
    let wanted = crate::transcript::people::key(typed);
    let mut best: Option<(usize, String)> = None;
    for segment in searcher.segment_readers() {
        let Some(values) = segment.fast_fields().str(column.name())? else {
            continue;
        };
        let mut stream = values
            .dictionary()
            .stream()
            .map_err(|e| Error::Engine(e.into()))?;
        while stream.advance() {
            let Ok(value) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            let key = crate::transcript::people::key(value);
            let edits = if key.contains(&wanted) {
                Some(0)
            } else {
                within_two(&wanted, &key)
            };
            if let Some(e) = edits
                && best
                    .as_ref()
                    .is_none_or(|(be, bv)| (e, value) < (*be, bv.as_str()))
            {
                best = Some((e, value.to_string()));
            }
        }
    }
    Ok(best.map(|(_, v)| v))
}

/// An indexed (stemmed) word as a passage holding it spells it (`iphon` -> `iphone`).
fn spelled(searcher: &Searcher, fields: &Fields, stem: &str) -> Result<String, Error> {
    let field = fields[F::Text];
    let query = TermQuery::new(Term::from_field_text(field, stem), IndexRecordOption::Basic);
    let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
    let Some((_, addr)) = top.first() else {
        return Ok(stem.to_string());
    };
    let passage = load_passage(searcher, fields, *addr)?;
    let mut analyzer = searcher.index().tokenizer_for_field(field)?;
    let mut stream = analyzer.token_stream(&passage.text);
    while let Some(token) = stream.next() {
        if token.text == stem {
            return Ok(passage.text[token.offset_from..token.offset_to].to_lowercase());
        }
    }
    Ok(stem.to_string())
}

/// The edit distance between `a` and `b` when it is 1 or 2 (transpositions count one).
fn within_two(a: &str, b: &str) -> Option<usize> {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a == b || a.len().abs_diff(b.len()) > 2 {
        return None;
    }
    let mut prev2: Vec<usize> = Vec::new();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut row = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            row[j] = (prev[j] + 1).min(row[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                row[j] = row[j].min(prev2[j - 2] + 1);
            }
        }
        prev2 = std::mem::replace(&mut prev, row);
    }
    let d = prev[b.len()];
    (d <= 2).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_swaps_once() {
        assert_eq!(within_two("margni", "margin"), Some(1));
        assert_eq!(within_two("marign", "margin"), Some(1));
        assert_eq!(within_two("brodband", "broadband"), Some(1));
        assert_eq!(within_two("margin", "margin"), None);
        assert_eq!(within_two("cat", "dogs"), None);
    }
}
