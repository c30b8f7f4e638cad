//! `en_stem` with a memo: the same output as tantivy's English stemmer, but each
//! indexing thread stems a word once (calls repeat their vocabulary; Snowball
//! stemming was 13% of indexing time).

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;

use tantivy::Index;
use tantivy::tokenizer::{
    LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token, TokenFilter, TokenStream,
    Tokenizer,
};

/// Words remembered per thread before the memo starts over (bounds memory).
const MEMO_WORDS: usize = 200_000;

thread_local! {
    static MEMO: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
}

/// Replace the index's `en_stem` analyzer with the memoised one (same tokens).
pub fn register(index: &Index) {
    let analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(MemoStemmer)
        .build();
    index.tokenizers().register("en_stem", analyzer);
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
        }
    }
}

pub struct MemoStemmerStream<T> {
    tail: T,
    stemmer: frostem::Stemmer,
}

impl<T: TokenStream> TokenStream for MemoStemmerStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        let stemmer = &self.stemmer;
        MEMO.with(|memo| {
            let mut memo = memo.borrow_mut();
            if let Some(stem) = memo.get(&token.text) {
                token.text.clone_from(stem);
                return;
            }
            let stem = match stemmer.stem(&token.text) {
                Cow::Owned(s) => s,
                Cow::Borrowed(s) => s.to_string(),
            };
            if memo.len() >= MEMO_WORDS {
                memo.clear();
            }
            memo.insert(std::mem::replace(&mut token.text, stem.clone()), stem);
        });
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
    fn same_tokens_as_tantivys_en_stem() {
        let text = "Margins, margins and MARGIN: pricing priced prices; running ran runs \
                    broadband stimulus stimuli generously generous généralement";
        let theirs = TokenizerManager::default().get("en_stem").unwrap();
        let ours = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(MemoStemmer)
            .build();
        for _ in 0..2 {
            assert_eq!(tokens(ours.clone(), text), tokens(theirs.clone(), text));
        }
    }
}
