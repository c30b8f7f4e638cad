//! Finance forms folded at index and query time: `first quarter`, `1Q` and `Q1` all
//! carry the token `q1`; `full year` / `fiscal year` / `FY21` carry `fy`; `y/y` and
//! `year-over-year` carry `yoy`; `basis points` carries `bps`; `pct` is `percent`;
//! `$4.2bn` reads as `4.2 billion`.
//!
//! The canonical token is added (the words themselves stay) at the position of a form's
//! last word, so `q1 revenue` also matches `first quarter revenue` as a phrase. Doing it
//! in the analyzer turns the costly phrase synonym `first quarter` into one posting list.

use std::collections::VecDeque;
use std::sync::OnceLock;

use rustc_hash::FxHashSet;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Multi-word forms (lowercase, accent-folded words) and the token each carries.
const FORMS: &[(&[&str], &str)] = &[
    (&["first", "quarter"], "q1"),
    (&["1st", "quarter"], "q1"),
    (&["second", "quarter"], "q2"),
    (&["2nd", "quarter"], "q2"),
    (&["third", "quarter"], "q3"),
    (&["3rd", "quarter"], "q3"),
    (&["fourth", "quarter"], "q4"),
    (&["4th", "quarter"], "q4"),
    (&["first", "half"], "h1"),
    (&["1st", "half"], "h1"),
    (&["second", "half"], "h2"),
    (&["2nd", "half"], "h2"),
    (&["full", "year"], "fy"),
    (&["fiscal", "year"], "fy"),
    (&["year", "over", "year"], "yoy"),
    (&["year", "on", "year"], "yoy"),
    (&["y", "y"], "yoy"),
    (&["quarter", "over", "quarter"], "qoq"),
    (&["quarter", "on", "quarter"], "qoq"),
    (&["q", "q"], "qoq"),
    (&["basis", "points"], "bps"),
    (&["basis", "point"], "bps"),
    (&["per", "cent"], "percent"),
];

/// One-word forms and the token each carries.
const WORD_FORMS: &[(&str, &str)] = &[
    ("1q", "q1"),
    ("2q", "q2"),
    ("3q", "q3"),
    ("4q", "q4"),
    ("1h", "h1"),
    ("2h", "h2"),
    ("pct", "percent"),
    ("bp", "bps"),
];

/// Unit suffixes glued to a figure (`4.2bn`, `500mm`) and the word each stands for.
const UNITS: &[(&str, &str)] = &[
    ("bn", "billion"),
    ("b", "billion"),
    ("mn", "million"),
    ("mln", "million"),
    ("mm", "million"),
    ("m", "million"),
];

const LONGEST_FORM: usize = 3;

/// The form starting at `words[at]`: its canonical token and its length in words.
pub fn form_at<S: AsRef<str>>(words: &[S], at: usize) -> Option<(&'static str, usize)> {
    let fits = |form: &[&str]| {
        words.len() >= at + form.len()
            && form.iter().zip(&words[at..]).all(|(f, w)| *f == w.as_ref())
    };
    let longest = FORMS
        .iter()
        .filter(|(form, _)| fits(form))
        .max_by_key(|(form, _)| form.len());
    if let Some((form, canonical)) = longest {
        return Some((canonical, form.len()));
    }
    word_form(words.get(at)?.as_ref()).map(|c| (c, 1))
}

/// Every spelling that carries `canonical`, for telling the user what matched.
pub fn spellings(canonical: &str) -> Vec<String> {
    let many = (FORMS.iter())
        .filter(|(_, c)| *c == canonical)
        .map(|(f, _)| f.join(" "));
    let one = (WORD_FORMS.iter())
        .filter(|(_, c)| *c == canonical)
        .map(|(w, _)| w.to_string());
    many.chain(one)
        .filter(|s| s != "y y" && s != "q q")
        .collect()
}

fn word_form(word: &str) -> Option<&'static str> {
    if let Some((_, c)) = WORD_FORMS.iter().find(|(w, _)| *w == word) {
        return Some(c);
    }
    // The canonical tokens name themselves (so a typed `q1` lists what it matched).
    if let Some((_, c)) = FORMS.iter().find(|(_, c)| *c == word) {
        return Some(c);
    }
    // `fy21`, `fy2021`: the fiscal year named.
    let digits = word.strip_prefix("fy")?;
    let is_year = matches!(digits.len(), 2 | 4) && digits.bytes().all(|b| b.is_ascii_digit());
    is_year.then_some("fy")
}

/// `4bn` -> (`4`, `billion`).
fn split_unit(word: &str) -> Option<(&str, &'static str)> {
    let split = word.find(|c: char| !c.is_ascii_digit())?;
    let (digits, suffix) = word.split_at(split);
    if digits.is_empty() {
        return None;
    }
    let unit = UNITS.iter().find(|(u, _)| *u == suffix)?;
    Some((digits, unit.1))
}

/// Could a form start with this word? (The fast path lets every other word through.)
fn may_start_form(word: &str) -> bool {
    // Asked of every word of every passage: one set look-up, not a scan of the tables.
    static STARTS: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    let starts = STARTS.get_or_init(|| {
        let firsts = FORMS.iter().map(|(form, canonical)| [form[0], canonical]);
        let words = WORD_FORMS.iter().map(|(w, _)| *w);
        firsts.flatten().chain(words).collect()
    });
    let first = word.as_bytes().first().copied().unwrap_or_default();
    starts.contains(word)
        || (word.starts_with("fy") && word_form(word).is_some())
        || (first.is_ascii_digit() && split_unit(word).is_some())
}

/// The token filter adding the canonical tokens.
#[derive(Clone, Copy, Default)]
pub struct FinanceForms;

impl TokenFilter for FinanceForms {
    type Tokenizer<T: Tokenizer> = FinanceFormsFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> FinanceFormsFilter<T> {
        FinanceFormsFilter { inner: tokenizer }
    }
}

#[derive(Clone)]
pub struct FinanceFormsFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for FinanceFormsFilter<T> {
    type TokenStream<'a> = FinanceFormsStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        FinanceFormsStream {
            tail: self.inner.token_stream(text),
            ahead: VecDeque::new(),
            out: VecDeque::new(),
            current: Token::default(),
            from_tail: false,
            shift: 0,
            tail_done: false,
        }
    }
}

pub struct FinanceFormsStream<T> {
    tail: T,
    /// Tokens read from the tail, not yet matched against the forms.
    ahead: VecDeque<Token>,
    /// Tokens ready to hand out.
    out: VecDeque<Token>,
    current: Token,
    /// The current token is the tail's own (the fast path: nothing copied).
    from_tail: bool,
    /// Positions added so far by split units.
    shift: usize,
    tail_done: bool,
}

impl<T: TokenStream> FinanceFormsStream<T> {
    fn pull(&mut self) -> bool {
        if self.tail_done || !self.tail.advance() {
            self.tail_done = true;
            return false;
        }
        true
    }

    /// Reads ahead until `LONGEST_FORM` tokens wait (or the text ends).
    fn fill(&mut self) {
        while self.ahead.len() < LONGEST_FORM && self.pull() {
            self.ahead.push_back(self.tail.token().clone());
        }
    }

    /// Moves the next word (or form) from `ahead` to `out`.
    fn emit_next(&mut self) {
        let words: Vec<&str> = self.ahead.iter().map(|t| t.text.as_str()).collect();
        let form = form_at(&words, 0);
        let len = form.map_or(1, |(_, n)| n);
        let first = self.ahead.front().map_or(0, |t| t.offset_from);
        let mut last = None;
        for _ in 0..len {
            let mut token = self.ahead.pop_front().expect("form within ahead");
            self.push_word(&mut token);
            last = Some(token);
        }
        if let (Some((canonical, _)), Some(last)) = (form, last)
            && last.text != canonical
        {
            self.out.push_back(Token {
                offset_from: first,
                text: canonical.to_string(),
                ..last
            });
        }
    }

    /// One word to `out`, split when it is a figure with a unit (`4bn`).
    fn push_word(&mut self, token: &mut Token) {
        token.position += self.shift;
        if let Some((digits, unit)) = split_unit(&token.text) {
            let digits_end = token.offset_from + digits.len();
            let unit_token = Token {
                offset_from: digits_end,
                position: token.position + 1,
                text: unit.to_string(),
                ..token.clone()
            };
            token.text.truncate(digits.len());
            token.offset_to = digits_end;
            self.out.push_back(token.clone());
            self.out.push_back(unit_token);
            self.shift += 1;
            return;
        }
        self.out.push_back(token.clone());
    }
}

impl<T: TokenStream> TokenStream for FinanceFormsStream<T> {
    fn advance(&mut self) -> bool {
        loop {
            if let Some(token) = self.out.pop_front() {
                self.current = token;
                self.from_tail = false;
                return true;
            }
            if self.ahead.is_empty() {
                if !self.pull() {
                    return false;
                }
                if !may_start_form(&self.tail.token().text) {
                    self.tail.token_mut().position += self.shift;
                    self.from_tail = true;
                    return true;
                }
                self.ahead.push_back(self.tail.token().clone());
            }
            self.fill();
            self.emit_next();
        }
    }

    fn token(&self) -> &Token {
        if self.from_tail {
            self.tail.token()
        } else {
            &self.current
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        if self.from_tail {
            self.tail.token_mut()
        } else {
            &mut self.current
        }
    }
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::{LowerCaser, SimpleTokenizer, TextAnalyzer};

    use super::*;

    fn tokens(text: &str) -> Vec<(String, usize)> {
        let mut analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(FinanceForms)
            .build();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push((t.text.clone(), t.position));
        }
        out
    }

    fn words(list: &[(&str, usize)]) -> Vec<(String, usize)> {
        list.iter().map(|(w, p)| (w.to_string(), *p)).collect()
    }

    #[test]
    fn the_fast_start_check_agrees_with_the_tables() {
        let slow = |w: &str| {
            FORMS.iter().any(|(form, _)| form[0] == w)
                || word_form(w).is_some()
                || split_unit(w).is_some()
        };
        let table_words = FORMS
            .iter()
            .flat_map(|(f, c)| f.iter().copied().chain([*c]));
        let others = [
            "", "fy", "fy21", "fy2021", "fy202", "fyi", "4bn", "500mm", "12m", "2021", "bn", "m",
            "q", "y", "revenue", "1q", "pct", "bp", "bps", "4th", "10x", "crédit",
        ];
        for w in table_words
            .chain(WORD_FORMS.iter().map(|(w, _)| *w))
            .chain(others)
        {
            assert_eq!(may_start_form(w), slow(w), "{w:?}");
        }
    }

    #[test]
    fn quarter_forms_carry_one_token_at_the_last_word() {
        assert_eq!(
            tokens("First Quarter revenue"),
            words(&[("first", 0), ("quarter", 1), ("q1", 1), ("revenue", 2)])
        );
        assert_eq!(
            tokens("3Q sales"),
            words(&[("3q", 0), ("q3", 0), ("sales", 1)])
        );
        assert_eq!(
            tokens("Q3 FY21"),
            words(&[("q3", 0), ("fy21", 1), ("fy", 1)])
        );
    }

    #[test]
    fn year_over_year_and_basis_points() {
        assert_eq!(
            tokens("up 5% y/y, 20 basis points"),
            words(&[
                ("up", 0),
                ("5", 1),
                ("y", 2),
                ("y", 3),
                ("yoy", 3),
                ("20", 4),
                ("basis", 5),
                ("points", 6),
                ("bps", 6),
            ])
        );
        assert_eq!(tokens("year-over-year").last().unwrap().0, "yoy");
    }

    #[test]
    fn figures_with_units_read_as_words_and_shift_what_follows() {
        assert_eq!(
            tokens("$4.2bn in sales"),
            words(&[("4", 0), ("2", 1), ("billion", 2), ("in", 3), ("sales", 4)])
        );
        assert_eq!(
            tokens("4.2 billion"),
            words(&[("4", 0), ("2", 1), ("billion", 2)])
        );
    }

    #[test]
    fn other_words_pass_unchanged() {
        let text = "the quarter was strong, first of all; q q1 fiscal";
        let plain: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        let got: Vec<String> = tokens(text).into_iter().map(|(w, _)| w).collect();
        assert_eq!(got, plain);
    }

    #[test]
    fn spellings_name_each_form() {
        assert!(spellings("q1").contains(&"first quarter".to_string()));
        assert!(spellings("q1").contains(&"1q".to_string()));
        assert!(!spellings("yoy").contains(&"y y".to_string()));
    }
}
