//! The passage text analysed once for two fields: `en_finance` records the tokens it
//! made for the last text on each thread, and `en_pairs` replays them when it is
//! given the same text, instead of tokenizing, folding and stemming it again.
//!
//! tantivy indexes a document's fields one after the other on one thread, `text`
//! before `text_pairs` (schema order), so the pairs of a passage find its words
//! recorded. A text that is not the one just analysed to its end on this thread is
//! analysed afresh: the replay is only ever a copy of what the analyzer would make.
//! The record is keyed by its text alone, so only `en_finance`'s chain may end in
//! [`Record`] (it is crate-private for that reason).

use std::cell::RefCell;

use tantivy::tokenizer::{
    BoxTokenStream, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};

/// The last analysis on this thread: the text and the tokens made of it.
#[derive(Default)]
struct Recorded {
    text: String,
    tokens: Vec<Token>,
    /// Tokens filled in `tokens` (its further entries are spare buffers).
    len: usize,
    /// The analysis ran to its end, so `tokens[..len]` is all of it.
    complete: bool,
}

thread_local! {
    static LAST: RefCell<Recorded> = RefCell::new(Recorded::default());
}

/// Texts longer than this are not recorded (the buffers stay small).
const MAX_RECORDED: usize = 64 * 1024;

/// The filter that records what the analyzer before it makes, unchanged. Only the
/// end of `en_finance`'s chain: `en_pairs` replays the record as `en_finance`'s.
#[derive(Clone, Copy)]
pub(crate) struct Record;

impl TokenFilter for Record {
    type Tokenizer<T: Tokenizer> = RecordTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> RecordTokenizer<T> {
        RecordTokenizer(tokenizer)
    }
}

/// [`Record`] around a tokenizer.
#[derive(Clone)]
pub struct RecordTokenizer<T>(T);

impl<T: Tokenizer> Tokenizer for RecordTokenizer<T> {
    type TokenStream<'a> = RecordStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        // The record is taken out of the thread's slot for the whole analysis (one
        // look-up per text, not per token) and put back when the stream is dropped.
        let record = (text.len() <= MAX_RECORDED).then(|| {
            let mut record = LAST.with(|last| std::mem::take(&mut *last.borrow_mut()));
            record.text.clear();
            record.text.push_str(text);
            record.len = 0;
            record.complete = false;
            record
        });
        RecordStream {
            inner: self.0.token_stream(text),
            record,
        }
    }
}

/// The inner stream's tokens, copied into the record (taken from this thread's slot
/// for the analysis; `None` when the text is too long to record).
pub struct RecordStream<S> {
    inner: S,
    record: Option<Recorded>,
}

impl<S: TokenStream> TokenStream for RecordStream<S> {
    fn advance(&mut self) -> bool {
        let more = self.inner.advance();
        let Some(record) = &mut self.record else {
            return more;
        };
        if !more {
            record.complete = true;
            return false;
        }
        let token = self.inner.token();
        if record.len == record.tokens.len() {
            record.tokens.push(Token::default());
        }
        let slot = &mut record.tokens[record.len];
        slot.text.clone_from(&token.text);
        slot.offset_from = token.offset_from;
        slot.offset_to = token.offset_to;
        slot.position = token.position;
        slot.position_length = token.position_length;
        record.len += 1;
        true
    }

    fn token(&self) -> &Token {
        self.inner.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.inner.token_mut()
    }
}

impl<S> Drop for RecordStream<S> {
    fn drop(&mut self) {
        if let Some(record) = self.record.take() {
            // `try_with`: a stream dropped while the thread's locals are torn down.
            let _ = LAST.try_with(|last| *last.borrow_mut() = record);
        }
    }
}

/// A tokenizer that replays the recorded tokens of the same text, else runs `live`
/// (which must be `en_finance`'s chain without [`Record`]).
#[derive(Clone)]
pub struct Replay {
    pub live: TextAnalyzer,
}

impl Tokenizer for Replay {
    type TokenStream<'a> = ReplayStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ReplayStream<'a> {
        match take_recorded(text) {
            Some((tokens, len)) => ReplayStream::Recorded {
                tokens,
                len,
                next: 0,
                none: Token::default(),
            },
            None => ReplayStream::Live(self.live.token_stream(text)),
        }
    }
}

/// The recorded tokens of `text`, when the last analysis on this thread was of it and
/// ran to its end; they are handed back (`give_back`) when the replay is done.
fn take_recorded(text: &str) -> Option<(Vec<Token>, usize)> {
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        if !(last.complete && last.text == text) {
            return None;
        }
        last.complete = false;
        let len = last.len;
        Some((std::mem::take(&mut last.tokens), len))
    })
}

fn give_back(tokens: Vec<Token>) {
    let _ = LAST.try_with(|last| {
        let mut last = last.borrow_mut();
        if last.tokens.is_empty() {
            last.tokens = tokens;
            last.len = 0;
        }
    });
}

/// The recorded tokens handed out one by one, or a live analysis.
pub enum ReplayStream<'a> {
    Recorded {
        tokens: Vec<Token>,
        len: usize,
        /// One past the token handed out last.
        next: usize,
        /// What `token()` shows before the first `advance()`.
        none: Token,
    },
    Live(BoxTokenStream<'a>),
}

impl TokenStream for ReplayStream<'_> {
    fn advance(&mut self) -> bool {
        match self {
            ReplayStream::Recorded { len, next, .. } => {
                if *next < *len {
                    *next += 1;
                    true
                } else {
                    false
                }
            }
            ReplayStream::Live(s) => s.advance(),
        }
    }

    fn token(&self) -> &Token {
        match self {
            ReplayStream::Recorded { next: 0, none, .. } => none,
            ReplayStream::Recorded { tokens, next, .. } => &tokens[*next - 1],
            ReplayStream::Live(s) => s.token(),
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        match self {
            ReplayStream::Recorded { next: 0, none, .. } => none,
            ReplayStream::Recorded { tokens, next, .. } => &mut tokens[*next - 1],
            ReplayStream::Live(s) => s.token_mut(),
        }
    }
}

impl Drop for ReplayStream<'_> {
    fn drop(&mut self) {
        if let ReplayStream::Recorded { tokens, .. } = self {
            give_back(std::mem::take(tokens));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(mut stream: impl TokenStream) -> Vec<(String, usize, usize, usize)> {
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        }
        out
    }

    #[test]
    fn a_replay_gives_exactly_what_the_analyzer_gives() {
        let text = "First-quarter gross margins rose 11.1% to $4bn; Crédit Suisse asked.";
        let mut recording = crate::index::tokenizer::analyzer();
        let recorded = all(recording.token_stream(text));
        let mut replay = Replay {
            live: crate::index::tokenizer::analyzer(),
        };
        assert!(matches!(
            replay.token_stream(text),
            ReplayStream::Recorded { .. }
        ));
        // The recording was used up: the same text again is analysed live.
        let fresh = replay.token_stream(text);
        assert!(matches!(fresh, ReplayStream::Live(_)));
        assert_eq!(all(fresh), recorded);
        let _ = all(recording.token_stream(text));
        assert_eq!(all(replay.token_stream(text)), recorded);
    }

    #[test]
    fn another_text_or_an_unfinished_analysis_is_never_replayed() {
        let mut recording = crate::index::tokenizer::analyzer();
        let _ = all(recording.token_stream("margin rose"));
        let mut replay = Replay {
            live: crate::index::tokenizer::analyzer(),
        };
        assert!(matches!(
            replay.token_stream("margin fell"),
            ReplayStream::Live(_)
        ));
        let mut cut = recording.token_stream("pricing held");
        assert!(cut.advance());
        drop(cut);
        assert!(matches!(
            replay.token_stream("pricing held"),
            ReplayStream::Live(_)
        ));
    }
}
