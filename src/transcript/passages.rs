//! Flatten a transcript into passages: call identity, question links, boilerplate flags.

use crate::transcript::model::{Passage, QuestionRef, RoleClass, Section, Transcript, Turn};

/// A stable identity for a call's speech, equal for the same call from two publishers:
/// a hash of its paragraphs with case, punctuation and spacing removed.
pub fn call_fingerprint(t: &Transcript) -> String {
    let mut hasher = blake3::Hasher::new();
    let mut folded = String::new();
    for para in t.turns.iter().flat_map(|turn| &turn.paragraphs) {
        folded.clear();
        crate::transcript::text::fold_alnum(para, &mut folded);
        hasher.update(folded.as_bytes());
    }
    hasher.finalize().to_hex()[..16].to_string()
}

/// Every paragraph of every turn as a passage, numbered from 1.
pub fn passages(t: &Transcript, source: &str) -> Vec<Passage> {
    passages_of_call(t, source, call_fingerprint(t))
}

/// [`passages`] of a call whose fingerprint is known already.
pub fn passages_of_call(t: &Transcript, source: &str, call_id: String) -> Vec<Passage> {
    let questions = question_links(&t.turns);
    let answerers = answerers(&t.turns, &questions);
    let mut out = Vec::with_capacity(t.passage_count());
    for (ti, turn) in t.turns.iter().enumerate() {
        let question = questions[ti].map(|qi| question_ref(&t.turns[qi], qi));
        for (pi, text) in turn.paragraphs.iter().enumerate() {
            out.push(Passage {
                passage_id: format!("{call_id}-{}-{}", ti + 1, pi + 1),
                call_id: call_id.clone(),
                source: source.to_string(),
                source_bytes: None,
                format: t.format.clone(),
                container: t.container.clone(),
                ticker: t.ticker.clone(),
                company: t.company.clone(),
                event: t.event.clone(),
                fiscal_period: t.fiscal_period.clone(),
                date: t.date.clone(),
                section: turn.section,
                speaker: turn.speaker.clone(),
                speaker_raw: turn.speaker.clone(),
                company_raw: t.company.clone(),
                firm: turn.firm.clone(),
                firm_norm: turn.firm_norm.clone(),
                role: turn.role.clone(),
                role_class: turn.role_class,
                titles: turn.titles.clone(),
                turn: ti as u64 + 1,
                paragraph: pi as u64 + 1,
                text: text.clone(),
                boilerplate: is_boilerplate(turn, text),
                question: question.clone(),
                answered_by: answerers[ti].clone(),
            });
        }
    }
    out
}

/// The call as the index stores it beside its passages: everything but the paragraphs'
/// words, which its passages hold already (each paragraph is kept as an empty string,
/// so the turns keep their shape). Storing the text twice made the doc store most of
/// the index. [`fill_record`] puts the words back.
pub fn record_of_call(t: &Transcript) -> Transcript {
    let turns = (t.turns.iter())
        .map(|turn| Turn {
            speaker: turn.speaker.clone(),
            firm: turn.firm.clone(),
            firm_norm: turn.firm_norm.clone(),
            role: turn.role.clone(),
            role_class: turn.role_class,
            titles: turn.titles.clone(),
            section: turn.section,
            paragraphs: vec![String::new(); turn.paragraphs.len()],
        })
        .collect();
    Transcript {
        format: t.format.clone(),
        container: t.container.clone(),
        extractor: t.extractor.clone(),
        part: t.part.clone(),
        kind: t.kind,
        ticker: t.ticker.clone(),
        company: t.company.clone(),
        event: t.event.clone(),
        fiscal_period: t.fiscal_period.clone(),
        date: t.date.clone(),
        participants: t.participants.clone(),
        turns,
    }
}

/// Put each passage's words back in the stored call's empty paragraph it came from
/// (`turn` and `paragraph` count from 1). A paragraph with words (a record stored
/// whole) is left as it is.
pub fn fill_record(record: &mut Transcript, passages: Vec<Passage>) {
    for p in passages {
        let at = (p.turn as usize)
            .checked_sub(1)
            .zip((p.paragraph as usize).checked_sub(1));
        let slot = at.and_then(|(t, i)| record.turns.get_mut(t)?.paragraphs.get_mut(i));
        if let Some(slot) = slot.filter(|s| s.is_empty()) {
            *slot = p.text;
        }
    }
}

/// For each turn, the index of the question it answers: in the Q&A, the closest
/// preceding analyst turn, for every non-analyst, non-operator turn after it.
pub fn question_links(turns: &[Turn]) -> Vec<Option<usize>> {
    let mut last_question = None;
    turns
        .iter()
        .enumerate()
        .map(|(i, turn)| {
            if turn.section != Section::Qa {
                return None;
            }
            match turn.role_class {
                RoleClass::Analyst => {
                    last_question = Some(i);
                    None
                }
                RoleClass::Operator => None,
                _ => last_question,
            }
        })
        .collect()
}

/// For each question turn, the distinct speakers of the answers linked to it.
fn answerers(turns: &[Turn], questions: &[Option<usize>]) -> Vec<Vec<String>> {
    let mut out = vec![Vec::new(); turns.len()];
    for (answer, question) in questions.iter().enumerate() {
        if let Some(q) = *question {
            let who = &turns[answer].speaker;
            if !out[q].contains(who) {
                out[q].push(who.clone());
            }
        }
    }
    out
}

fn question_ref(turn: &Turn, index: usize) -> QuestionRef {
    QuestionRef {
        speaker: turn.speaker.clone(),
        firm: turn.firm_norm.clone().or_else(|| turn.firm.clone()),
        turn: index as u64 + 1,
        // The whole turn: a multi-part question is often several paragraphs.
        text: turn.paragraphs.join("\n\n"),
    }
}

/// Cut `s` at a word boundary to at most `max` characters, marking the cut with `…`.
pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max).collect();
    let end = cut.rfind(' ').unwrap_or(cut.len());
    format!("{}…", cut[..end].trim_end_matches([',', ';', ' ']))
}

/// Legal and housekeeping phrases that mark a paragraph as boilerplate wherever they occur.
const BOILERPLATE: &[&str] = &[
    "forward-looking statement",
    "forward looking statement",
    "safe harbor",
    "private securities litigation reform act",
    "undue reliance",
    "most directly comparable gaap",
    "actual results may differ",
    "actual results could differ",
    "this call is being recorded",
    "this conference is being recorded",
    "operator instructions",
    "listen-only mode",
];

/// Phrases that mark housekeeping only in a paragraph without figures: `reconciliation
/// of`, `risk factors` and `webcast` also occur in substance (`Turning to slide 5 of the
/// webcast, revenue grew 11% to $481 million`).
const HOUSEKEEPING: &[&str] = &["reconciliation of", "risk factors", "webcast"];

/// Operator lines and legal or housekeeping text: searchable, but not what users are after.
pub fn is_boilerplate(turn: &Turn, text: &str) -> bool {
    static LEGAL: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    static HOUSE: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    if turn.role_class == RoleClass::Operator {
        return true;
    }
    let matcher = |cell: &'static std::sync::OnceLock<aho_corasick::AhoCorasick>, words| {
        cell.get_or_init(|| {
            aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(words)
                .expect("fixed patterns build")
        })
    };
    matcher(&LEGAL, BOILERPLATE).is_match(text)
        || matcher(&HOUSE, HOUSEKEEPING).is_match(text) && !has_figures(text)
}

/// A reported figure: `11%`, `$481`, `481.1 million`, `3 billion`.
fn has_figures(text: &str) -> bool {
    let b = text.as_bytes();
    let digit_before = |i: usize| i > 0 && b[i - 1].is_ascii_digit();
    (0..b.len()).any(|i| match b[i] {
        b'%' => digit_before(i),
        b'$' => b.get(i + 1).is_some_and(u8::is_ascii_digit),
        _ => false,
    }) || [" million", " billion"]
        .iter()
        .any(|unit| text.match_indices(unit).any(|(i, _)| digit_before(i)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_record_filled_from_its_passages_is_the_call() {
        for fixture in [
            "tests/fixtures/seekingalpha/psx-2018-q4-junk-first-line-company-participants.txt",
            "tests/fixtures/streetevents-text/2024-08-01-AAPL-q-and-a.txt",
            "tests/fixtures/motley-fool-json/A_q3_2021.txt",
        ] {
            let parsed = crate::transcript::layouts::parse_path(
                std::path::Path::new(fixture),
                None,
                &Default::default(),
                1 << 30,
            );
            let crate::transcript::layouts::FileParse::One(_, Ok(t)) = parsed else {
                panic!("{fixture} did not parse");
            };
            assert!(t.passage_count() > 10, "{fixture}");
            let mut record = record_of_call(&t);
            assert!(
                record
                    .turns
                    .iter()
                    .flat_map(|x| &x.paragraphs)
                    .all(String::is_empty)
            );
            assert_eq!(record.passage_count(), t.passage_count());
            let mut passages = passages_of_call(&t, "x.txt", "id".into());
            passages.reverse();
            fill_record(&mut record, passages);
            assert_eq!(record, t, "{fixture}");
        }
    }

    #[test]
    fn housekeeping_words_in_substance_are_not_boilerplate() {
        let turn = Turn::new("Jane Doe", None, None);
        let slide = "Turning to slide 5 of the webcast, revenue grew 11% to $481.1 million.";
        assert!(!is_boilerplate(&turn, slide));
        let replay = "A replay of this call will be available as a webcast on our website.";
        assert!(is_boilerplate(&turn, replay));
        let legal = "Revenue grew 11%. These are forward-looking statements.";
        assert!(is_boilerplate(&turn, legal));
    }

    /// Real paragraphs (from the shared corpus's calls) that open like housekeeping or
    /// name a webcast or a reconciliation, yet are what an analyst searches for.
    const SUBSTANTIVE: &[&str] = &[
        "On slide 20, 30 day delinquency rate for retail motorcycle loan receivables on our yearend balance sheet was 4.12% or 9 basis points lower than Q4 2017.",
        "Let me now turn to cash management. Other income and expense was $357 million for the quarter. Realized gains on investments and interest income offset the continued impact of expenses from our FX-hedging program. For more details on OI& E please refer to the slides that accompany this call on our IR website.",
        "Now turning to our 3 big areas: cloud, YouTube and hardware. Last quarter, we shared some exciting metrics about the progress of Google Cloud, including that we passed $1 billion per quarter in 2017.",
        "Let me turn to headcount. Headcount for the consolidated business increased by roughly 300 people in Q4.",
        "Now let's turn to YouTube. I've talked before about our approach to making YouTube the best place to create, watch and monetize.",
        "AMD's Class A preferred share ownership of GlobalFoundries decreased from approximately 82% to approximately 79% as a result of additional capital calls that took place in the second quarter. [ATIC] participated in the cash calls and AMD did not. As a result, AMD's ownership on a fully diluted basis also decreased to approximately 28%. Reconciliation of all non-GAAP financial measures disclosed today are included in the financial tables that accompany our earnings press release, which are also available in the investor relations section of www.AMD.com.",
    ];

    /// Real housekeeping from the same calls.
    const HOUSEKEEPING_LINES: &[&str] = &[
        "This is a live call and will be replayed via webcast on AMD.com. There will also be a telephone replay. The number is 888-266-2081. Outside of the United States, the number is 703-925-2533.",
        "Thank you, Chris. A replay of today's call will be available for two weeks as a podcast on the iTunes store, webcast on www.Apple.com/investor, and via telephone, the numbers for the telephone replay are 888-203-1112, or 719-457-0820.",
    ];

    #[test]
    fn real_substantive_openings_are_not_demoted_and_real_housekeeping_is() {
        let turn = Turn::new("Jane Doe", None, None);
        for text in SUBSTANTIVE {
            assert!(!is_boilerplate(&turn, text), "demoted: {text}");
        }
        for text in HOUSEKEEPING_LINES {
            assert!(is_boilerplate(&turn, text), "not demoted: {text}");
        }
    }

    #[test]
    fn shorten_cuts_at_a_word() {
        assert_eq!(shorten("one two three", 9), "one two…");
        assert_eq!(shorten("short", 9), "short");
    }
}
