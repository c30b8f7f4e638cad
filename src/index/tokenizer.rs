//! `en_finance`, the passage text's analyzer: words as tantivy's `en_stem` makes them,
//! accents folded (`crédit` = `credit`), `%` read as the word `percent` (so `percent`,
//! `pct` and `%` meet), a figure also as one token (`481.1`), finance forms folded (`first quarter` carries `q1`), and the
//! English stemmer behind a per-thread memo (calls repeat
//! their vocabulary; Snowball stemming was 13% of indexing time).

use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::cell::RefCell;

use crate::index::finance_forms::FinanceForms;
use tantivy::Index;
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, TextAnalyzer, TextAnalyzerBuilder, Token,
    TokenFilter, TokenStream, Tokenizer,
};

/// Words remembered per thread before the memo starts over (bounds memory).
const MEMO_WORDS: usize = 200_000;

thread_local! {
    // Fx, not SipHash: the memo is looked up once per indexed word, and hashing short
    // words dominated it (the words are the user's own files, not an adversary's).
    static MEMO: RefCell<FxHashMap<String, String>> = RefCell::new(FxHashMap::default());
}

/// The analyzer's name in the schema.
pub const TEXT_ANALYZER: &str = "en_finance";

/// Register `en_finance` and `en_pairs` on an index (at every open: tantivy does not
/// store analyzers).
pub fn register(index: &Index) {
    index.tokenizers().register(TEXT_ANALYZER, analyzer());
    (index.tokenizers()).register(
        crate::index::pairs::PAIRS_ANALYZER,
        crate::index::pairs::analyzer(),
    );
}

/// Words and `%`, capped at 40 bytes, lowercased, folded to ASCII, finance forms
/// (`first quarter` = `q1`, see `finance_forms`), stemmed; recorded for `en_pairs`
/// (`replay.rs`).
pub fn analyzer() -> TextAnalyzer {
    words().filter(crate::index::replay::Record).build()
}

/// The chain of [`analyzer`], for analyzers that add a step (`pairs.rs`).
pub fn words() -> TextAnalyzerBuilder<impl Tokenizer> {
    TextAnalyzer::builder(WordsAndPercent)
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(FinanceForms)
        .filter(MemoStemmer)
}

/// Runs of letters and digits, as tantivy's `SimpleTokenizer` cuts them, plus a
/// `percent` token for each `%`.
#[derive(Clone, Copy, Default)]
pub struct WordsAndPercent;

pub struct WordsAndPercentStream<'a> {
    text: &'a str,
    /// The byte where reading goes on.
    at: usize,
    token: Token,
    /// Where the figure being read began (`481` of `481.1`), while it goes on.
    figure_start: Option<usize>,
    /// A whole figure (`481.1`) to emit next, at the position of its last part.
    figure: Option<(usize, usize)>,
}

impl Tokenizer for WordsAndPercent {
    type TokenStream<'a> = WordsAndPercentStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordsAndPercentStream<'a> {
        WordsAndPercentStream {
            text,
            at: 0,
            token: Token {
                position: usize::MAX,
                ..Token::default()
            },
            figure_start: None,
            figure: None,
        }
    }
}

impl TokenStream for WordsAndPercentStream<'_> {
    fn advance(&mut self) -> bool {
        self.token.text.clear();
        if let Some((from, to)) = self.figure.take() {
            // The whole figure, at its last part's position, thousands commas dropped.
            let whole: String = self.text[from..to].chars().filter(|c| *c != ',').collect();
            self.set(from, to, &whole);
            return true;
        }
        self.token.position = self.token.position.wrapping_add(1);
        while let Some(c) = char_at(self.text, self.at) {
            let at = self.at;
            self.at += c.len_utf8();
            if c == '%' {
                self.set(at, at + 1, "percent");
                return true;
            }
            if c.is_alphanumeric() {
                while let Some(next) = char_at(self.text, self.at) {
                    if !next.is_alphanumeric() {
                        break;
                    }
                    self.at += next.len_utf8();
                }
                let (word, end) = (self.text, self.at);
                self.note_figure(at, end);
                self.set(at, end, &word[at..end]);
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// The character at byte `at` of `text` (a character boundary), without decoding ASCII.
fn char_at(text: &str, at: usize) -> Option<char> {
    match *text.as_bytes().get(at)? {
        b if b.is_ascii() => Some(b as char),
        _ => text[at..].chars().next(),
    }
}

impl WordsAndPercentStream<'_> {
    /// Digits followed by `.` or `,` and more digits go on a figure; its last part
    /// queues the whole figure (`481.1`, `1,234.5` as `1234.5`) as one more token.
    fn note_figure(&mut self, at: usize, end: usize) {
        if !self.text[at..end].bytes().all(|b| b.is_ascii_digit()) {
            self.figure_start = None;
            return;
        }
        let rest = &self.text.as_bytes()[end..];
        let goes_on = matches!(rest, [b'.' | b',', d, ..] if d.is_ascii_digit());
        if goes_on {
            self.figure_start.get_or_insert(at);
        } else if let Some(start) = self.figure_start.take() {
            self.figure = Some((start, end));
        }
    }

    fn set(&mut self, from: usize, to: usize, text: &str) {
        self.token.offset_from = from;
        self.token.offset_to = to;
        self.token.text.push_str(text);
    }
}

/// The English Snowball stemmer behind a per-thread memo.
#[derive(Clone, Copy)]
pub struct MemoStemmer;

impl TokenFilter for MemoStemmer {
    type Tokenizer<T: Tokenizer> = MemoStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> MemoStemmerFilter<T> {
        MemoStemmerFilter { inner: tokenizer }
    }
}

#[derive(Clone)]
pub struct MemoStemmerFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for MemoStemmerFilter<T> {
    type TokenStream<'a> = MemoStemmerStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MemoStemmerStream {
            tail: self.inner.token_stream(text),
            stemmer: frostem::Stemmer::new(frostem::Algorithm::English),
            // Taken out of the thread's slot for the whole text (one look-up per text,
            // not per word), put back when the stream is dropped.
            memo: MEMO.with(|memo| std::mem::take(&mut *memo.borrow_mut())),
        }
    }
}

pub struct MemoStemmerStream<T> {
    tail: T,
    stemmer: frostem::Stemmer,
    memo: FxHashMap<String, String>,
}

impl<T> Drop for MemoStemmerStream<T> {
    fn drop(&mut self) {
        let memo = std::mem::take(&mut self.memo);
        let _ = MEMO.try_with(|slot| *slot.borrow_mut() = memo);
    }
}

/// Words the English stemmer leaves as they are, known without asking it or the memo:
/// two characters or fewer (Snowball stems nothing shorter than three) and figures
/// (its rules are all about letters). A third of a passage's words are such.
fn stems_to_itself(word: &str) -> bool {
    word.len() <= 2 || word.bytes().all(|b| b.is_ascii_digit())
}

impl<T: TokenStream> TokenStream for MemoStemmerStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if stems_to_itself(&token.text) {
            return true;
        }
        let memo = &mut self.memo;
        if let Some(stem) = memo.get(&token.text) {
            token.text.clone_from(stem);
            return true;
        }
        let stem = match self.stemmer.stem(&token.text) {
            Cow::Owned(s) => s,
            Cow::Borrowed(s) => s.to_string(),
        };
        if memo.len() >= MEMO_WORDS {
            memo.clear();
        }
        memo.insert(std::mem::replace(&mut token.text, stem.clone()), stem);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::TokenizerManager;

    use super::*;

    fn tokens(mut analyzer: TextAnalyzer, text: &str) -> Vec<String> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push(t.text.clone());
        }
        out
    }

    #[test]
    fn words_as_tantivys_en_stem_cuts_and_stems_them() {
        let text = "Margins, margins and MARGIN: pricing priced prices; running ran runs \
                    broadband stimulus stimuli generously generous";
        let theirs = TokenizerManager::default().get("en_stem").unwrap();
        for _ in 0..2 {
            assert_eq!(tokens(analyzer(), text), tokens(theirs.clone(), text));
        }
    }

    #[test]
    fn words_skipped_by_the_memo_are_those_the_stemmer_leaves_alone() {
        let stemmer = frostem::Stemmer::new(frostem::Algorithm::English);
        let letters = ('a'..='z').chain('0'..='9').map(String::from);
        let short: Vec<String> = letters.clone().collect();
        let pairs = short
            .iter()
            .flat_map(|a| short.iter().map(move |b| format!("{a}{b}")));
        let figures = (0..20_000u32).map(|n| n.to_string()).chain(["0001".into()]);
        for w in letters
            .chain(pairs)
            .chain(figures)
            .chain(["é".into(), "ß".into()])
        {
            assert!(stems_to_itself(&w), "{w}");
            assert_eq!(stemmer.stem(&w), w.as_str(), "{w}");
        }
        assert!(!stems_to_itself("ies") && !stems_to_itself("10s"));
    }

    #[test]
    fn percent_signs_are_words_and_accents_fold() {
        assert_eq!(
            tokens(analyzer(), "up 11.1% at Crédit Suisse"),
            ["up", "11", "1", "11.1", "percent", "at", "credit", "suiss"]
        );
        let mut a = analyzer();
        let mut stream = a.token_stream("x 5% y");
        let mut spans = Vec::new();
        while let Some(t) = stream.next() {
            spans.push((t.offset_from, t.offset_to, t.position));
        }
        assert_eq!(spans, [(0, 1, 0), (2, 3, 1), (3, 4, 2), (5, 6, 3)]);
    }

    #[test]
    fn a_figure_is_also_one_token_at_its_last_part() {
        let mut a = analyzer();
        let mut stream = a.token_stream("$1,234.5 and 481.1. Then 7");
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push((t.text.clone(), t.position));
        }
        let expected = [
            ("1", 0),
            ("234", 1),
            ("5", 2),
            ("1234.5", 2),
            ("and", 3),
            ("481", 4),
            ("1", 5),
            ("481.1", 5),
            ("then", 6),
            ("7", 7),
        ];
        let expected: Vec<(String, usize)> =
            expected.iter().map(|(w, p)| (w.to_string(), *p)).collect();
        assert_eq!(out, expected);
    }
}
