//! Shared text helpers for layouts: decoding, clean-up, dates, fiscal periods.

/// Decode raw bytes: UTF-8 when valid, otherwise Windows-1252 (never fails).
pub fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            text.into_owned()
        }
    }
}

/// True when the bytes look like a binary file rather than text.
/// A few NUL bytes (a bad copy, a padded export) do not make text binary; more than
/// one in 200 bytes, or many other control bytes, do.
pub fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    let nuls = head.iter().filter(|&&b| b == 0).count();
    if nuls * 200 > head.len() {
        return true;
    }
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    control * 20 > head.len().max(1)
}

/// Clean one line of speech: repair mojibake, turn NBSP and tabs into spaces,
/// drop pilcrows, replacement characters and zero-width marks, collapse runs of spaces.
pub fn clean(line: &str) -> String {
    if is_plain(line) {
        return line.trim().to_string();
    }
    let repaired = repair_mojibake(line);
    let mut out = String::with_capacity(repaired.len());
    let mut last_space = true;
    for c in repaired.chars() {
        let c = match c {
            '\u{a0}' | '\t' | '\u{2007}' | '\u{202f}' | '\u{85}' => ' ',
            '¶' | '\u{fffd}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{feff}' => continue,
            c if c.is_control() => ' ',
            c => c,
        };
        if c == ' ' {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(c);
            last_space = false;
        }
    }
    while out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Printable ASCII with single spaces only: nothing for `clean` to do but trim.
fn is_plain(line: &str) -> bool {
    let bytes = line.trim().as_bytes();
    bytes.iter().all(|b| (0x20..0x7f).contains(b)) && !bytes.windows(2).any(|w| w == b"  ")
}

/// Undo UTF-8 that was decoded as Windows-1252 (`CrÃ©dit` -> `Crédit`), run by run,
/// only where the re-decoding yields valid UTF-8.
pub fn repair_mojibake(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(|c| matches!(c, 'Ã' | 'Â' | 'â' | 'Å' | 'Ä')) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut run = String::new();
    for c in s.chars() {
        if is_cp1252_high(c) {
            run.push(c);
        } else {
            flush_run(&mut run, &mut out);
            out.push(c);
        }
    }
    flush_run(&mut run, &mut out);
    std::borrow::Cow::Owned(out)
}

fn is_cp1252_high(c: char) -> bool {
    let mut buf = [0u8; 4];
    let (bytes, _, had_errors) = encoding_rs::WINDOWS_1252.encode(c.encode_utf8(&mut buf));
    !had_errors && bytes.len() == 1 && bytes[0] >= 0x80
}

fn flush_run(run: &mut String, out: &mut String) {
    if run.is_empty() {
        return;
    }
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(run);
    match std::str::from_utf8(&bytes) {
        Ok(fixed) if fixed.chars().count() < run.chars().count() => out.push_str(fixed),
        _ => out.push_str(run),
    }
    run.clear();
}

/// Parse dates such as `JANUARY 25, 2010`, `Jul. 21. 2011` or `April 18, 2018` into `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<String> {
    let words: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',' || c == '.' || c == '/')
        .filter(|w| !w.is_empty())
        .collect();
    for (i, w) in words.iter().enumerate() {
        let Some(month) = month_number(w) else {
            continue;
        };
        // A month-like word that is not followed by a day and year ("May") is skipped.
        let day: Option<u32> = words.get(i + 1).and_then(|w| w.parse().ok());
        let year: Option<i32> = words.get(i + 2).and_then(|w| w.parse().ok());
        if let (Some(day), Some(year)) = (day, year)
            && (1..=31).contains(&day)
            && (1900..=2100).contains(&year)
        {
            return Some(format!("{year:04}-{month:02}-{day:02}"));
        }
    }
    None
}

fn month_number(word: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let lower = word.to_ascii_lowercase();
    if lower.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(&lower))
        .map(|i| i as u32 + 1)
}

/// Find a fiscal period (`Q2 2011`, `FY 2011`, `H1 2019`) in an event title, also in
/// the forms `Q4 and Full Year 2013` and `FY 10 Second Quarter`.
/// Returns the period and the byte offset just after the words that gave it.
pub fn fiscal_period(title: &str) -> Option<(String, usize)> {
    let words = words_with_offsets(title);
    let year_at = |i: usize| year_word(&words, i);
    for (i, (start, w)) in words.iter().enumerate() {
        let Some(label) = quarter_label(w, words.get(i + 1).map(|n| n.1)) else {
            continue;
        };
        let forward = (i + 1..(i + 6).min(words.len())).find_map(year_at);
        let year = forward.or_else(|| (0..i).rev().find_map(year_at));
        if let Some((year, end)) = year {
            return Some((format!("{label} {year}"), end.max(start + w.len())));
        }
    }
    let fy = words
        .iter()
        .position(|(_, w)| w.eq_ignore_ascii_case("FY") || w.eq_ignore_ascii_case("year"))?;
    let (year, end) = year_at(fy + 1)?;
    Some((format!("FY {year}"), end))
}

/// `Q1`..`Q4`, `H1`, `H2`, or `First`..`Fourth` followed by `Quarter`.
fn quarter_label(word: &str, next: Option<&str>) -> Option<String> {
    let upper = word.to_ascii_uppercase();
    if matches!(upper.as_str(), "Q1" | "Q2" | "Q3" | "Q4" | "H1" | "H2") {
        return Some(upper);
    }
    let ordinal = ["FIRST", "SECOND", "THIRD", "FOURTH"]
        .iter()
        .position(|o| *o == upper)?;
    next?
        .eq_ignore_ascii_case("quarter")
        .then(|| format!("Q{}", ordinal + 1))
}

/// A year at word `i`: `2011`, `FY2011`, or a two-digit year right after `FY` (`FY 10`).
fn year_word(words: &[(usize, &str)], i: usize) -> Option<(String, usize)> {
    let (start, raw) = *words.get(i)?;
    let w = raw.trim_end_matches([',', ':']);
    let after_fy = i > 0 && words[i - 1].1.eq_ignore_ascii_case("FY");
    let digits = w.strip_prefix("FY").unwrap_or(w);
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    match digits.len() {
        4 if digits.starts_with("19") || digits.starts_with("20") => {
            Some((digits.to_string(), start + w.len()))
        }
        2 if after_fy || w.starts_with("FY") => Some((format!("20{digits}"), start + w.len())),
        _ => None,
    }
}

fn words_with_offsets(s: &str) -> Vec<(usize, &str)> {
    let mut offset = 0;
    s.split(' ')
        .map(|w| {
            let start = offset;
            offset += w.len() + 1;
            (start, w)
        })
        .filter(|(_, w)| !w.is_empty())
        .collect()
}

/// The company name in an event title: the words before the fiscal period when the
/// title opens with them (`Apple® FY 10 Second Quarter Results` -> `Apple`), else the
/// words after it and before `Earnings`, `Conference`, `Results`, `Call`, ...
/// (`Q1 2010 Apple Inc. Earnings Call` -> `Apple Inc.`). Never a word of the period.
pub fn company_from_title(title: &str) -> Option<String> {
    let before = period_start(title).map(|at| &title[..at]);
    if let Some(name) = before.and_then(company_words) {
        return Some(name);
    }
    let rest = match fiscal_period(title) {
        Some((_, end)) => &title[end.min(title.len())..],
        None => title,
    };
    company_words(rest)
}

/// The words of a company name at the start of `s`, up to the first title word.
fn company_words(s: &str) -> Option<String> {
    const STOP: &[&str] = &[
        "earnings",
        "conference",
        "results",
        "call",
        "financial",
        "sales",
        "preliminary",
    ];
    const PERIOD: &[&str] = &["quarter", "quarterly", "fiscal", "year", "full", "half"];
    let mut words = Vec::new();
    for w in s.split_whitespace() {
        let lower = w.to_ascii_lowercase();
        if STOP.contains(&lower.as_str()) {
            break;
        }
        if words.is_empty() && PERIOD.contains(&lower.as_str()) {
            continue;
        }
        words.push(w);
    }
    let name = words.join(" ").replace(['®', '™'], "");
    let name = name.trim_matches(|c: char| c == '-' || c == ',' || c.is_whitespace());
    let has_letters = name.chars().any(char::is_alphabetic);
    (has_letters && !name.is_empty()).then(|| name.to_string())
}

/// The company the operator welcomes callers to, for files that name none elsewhere:
/// `… welcome to the Aaron's Company First Quarter 2021 Earnings Conference Call` ->
/// `Aaron's Company`; the period may come first (`the Q1 2020 American Assets Trust
/// earnings call`). Only a sentence that names a call, and only a capitalised name of a
/// few words (`welcome to our call` names nobody).
pub fn company_from_welcome(text: &str) -> Option<String> {
    const CUES: &[&str] = &["welcome to ", "joining us for ", "joining us on "];
    let lower = text.to_ascii_lowercase();
    let at = CUES
        .iter()
        .find_map(|cue| Some(lower.find(cue)? + cue.len()))?;
    // Not cut at ". ": `J.M. Smucker`, `The Kroger Co. third quarter`.
    let line = text[at..].split(['\n', '!', '?']).next()?;
    let words: Vec<&str> = line.split_whitespace().take(16).collect();
    if !words.iter().any(|w| is_call_word(w)) {
        return None;
    }
    let mut at = usize::from(words.first().is_some_and(|w| w.eq_ignore_ascii_case("the")));
    while at < words.len() && is_period_word(&words, at) {
        at += 1;
    }
    let mut name = Vec::new();
    while at < words.len()
        && !is_period_word(&words, at)
        && !is_call_word(words[at])
        && !is_prose_word(words[at])
    {
        name.push(words[at]);
        at += 1;
    }
    let name = name.join(" ").replace(['®', '™'], "");
    let name = name.trim_end_matches([',', ' ', '-']);
    let name = (name.strip_suffix("'s").or_else(|| name.strip_suffix("’s"))).unwrap_or(name);
    let name = name.trim_end_matches(['\'', '’']);
    let capitalised = name
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    let count = name.split_whitespace().count();
    (capitalised && (1..=6).contains(&count)).then(|| name.to_string())
}

/// The letters and digits of `s`, lowercased, appended to `out`: what call
/// fingerprints and duplicate sketches compare, so punctuation and case never tell two
/// copies of a call apart.
pub fn fold_alnum(s: &str, out: &mut String) {
    // ASCII a byte at a time, also inside text with a few curly quotes or accents;
    // only the other characters are decoded.
    let bytes = s.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let b = bytes[at];
        if b.is_ascii() {
            if b.is_ascii_alphanumeric() {
                out.push(char::from(b.to_ascii_lowercase()));
            }
            at += 1;
            continue;
        }
        let Some(c) = s[at..].chars().next() else {
            break;
        };
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        }
        at += c.len_utf8();
    }
}

/// How many words `split_whitespace` finds in `s`, counted a byte at a time when `s`
/// is ASCII.
pub fn word_count(s: &str) -> usize {
    if !s.is_ascii() {
        return s.split_whitespace().count();
    }
    let mut count = 0;
    let mut in_word = false;
    for &b in s.as_bytes() {
        // `char::is_whitespace` in ASCII: tab, line feed, vertical tab, form feed,
        // carriage return, space.
        let space = matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ');
        count += usize::from(!space && !in_word);
        in_word = !space;
    }
    count
}

/// A lowercase word that is not a name's connector (`of`, `and`, `&`): a name ends
/// before it (`the Diebold Nixdorf hosted fourth-quarter call`, `Travelers' discussion
/// of our second quarter results`). `eBay` and `3M` are names.
fn is_prose_word(word: &str) -> bool {
    const CONNECTORS: &[&str] = &[
        "of", "and", "the", "de", "du", "des", "la", "le", "van", "von", "der", "y", "e", "et",
    ];
    let lowercase = word.chars().any(char::is_alphabetic)
        && !word.chars().any(|c| c.is_uppercase() || c.is_ascii_digit());
    lowercase && !CONNECTORS.contains(&word)
}

/// A word of a fiscal period: `Q1`, `3Q`, `FY21`, `2021`, `'21`, `quarter(ly)`, `fiscal`,
/// `full`, `year`, or an ordinal before `quarter` (`First Industrial` is a name).
fn is_period_word(words: &[&str], at: usize) -> bool {
    const WORDS: &[&str] = &[
        "quarter",
        "quarterly",
        "fiscal",
        "full",
        "year",
        "half",
        "annual",
    ];
    const ORDINALS: &[&str] = &[
        "first", "second", "third", "fourth", "1st", "2nd", "3rd", "4th",
    ];
    let bare = |w: &str| {
        w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'')
            .to_ascii_lowercase()
    };
    let w = bare(words[at]);
    let parts: Vec<&str> = w.split('-').collect();
    let next = words.get(at + 1).map(|n| bare(n)).unwrap_or_default();
    let coded = |p: &str| {
        let b = p.as_bytes();
        matches!(b, [b'q' | b'h', b'1'..=b'4'] | [b'1'..=b'4', b'q'])
            || (p.starts_with("fy") && p[2..].bytes().all(|c| c.is_ascii_digit()))
            || (p.len() == 4 && p.bytes().all(|c| c.is_ascii_digit()))
            || (p.len() == 3 && p.starts_with('\'') && p[1..].bytes().all(|c| c.is_ascii_digit()))
    };
    parts.iter().any(|p| WORDS.contains(p) || coded(p))
        || (ORDINALS.contains(&parts[0])
            && (parts.len() > 1 || WORDS.contains(&next.split('-').next().unwrap_or(""))))
}

/// A word that ends a company name in a call's title.
fn is_call_word(w: &str) -> bool {
    const STOP: &[&str] = &[
        "earnings",
        "earning",
        "conference",
        "teleconference",
        "call",
        "results",
        "financial",
        "webcast",
        "investor",
        "announces",
        "reports",
    ];
    let w = w
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_ascii_lowercase();
    STOP.contains(&w.as_str())
}

/// Where the fiscal period's words begin (`Q1`, `FY`, `Second`, a year), when the
/// title holds a period.
fn period_start(title: &str) -> Option<usize> {
    fiscal_period(title)?;
    let words = words_with_offsets(title);
    words.iter().enumerate().find_map(|(i, (start, w))| {
        let label = quarter_label(w, words.get(i + 1).map(|n| n.1)).is_some();
        let fy = w.eq_ignore_ascii_case("FY") || w.eq_ignore_ascii_case("fiscal");
        (label || fy || year_word(&words, i).is_some()).then_some(*start)
    })
}

/// A ticker taken from a file name such as `2010-01-25-AAPL.txt` or `CT_ABT_2018_q1.txt`.
pub fn ticker_from_path(path: &std::path::Path) -> Option<String> {
    let stem = path.file_stem()?.to_str()?;
    stem.split(['-', '_', ' '])
        .find(|w| {
            (1..=5).contains(&w.len())
                && w.chars().all(|c| c.is_ascii_uppercase())
                && !matches!(*w, "CT" | "Q" | "FY")
        })
        .map(str::to_string)
}

/// `Firm - Role`. Roles contain ` - ` more often than firms do (`Senior Director - IR`),
/// so split at the first one; `- Analyst` has no firm.
pub fn split_firm_role(s: &str) -> (Option<String>, Option<String>) {
    let non_empty = |x: &str| {
        let x = x.trim();
        (!x.is_empty()).then(|| x.to_string())
    };
    if let Some(role) = s.trim().strip_prefix("- ") {
        return (None, non_empty(role));
    }
    match s.split_once(" - ") {
        Some((firm, role)) => (non_empty(firm), non_empty(role)),
        None => (non_empty(s), None),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_operator_welcome_names_the_company() {
        let cases = [
            (
                "Thank you for standing by and welcome to the Aaron's Company First Quarter 2021 Earnings Conference Call. [Operator Instructions]",
                Some("Aaron's Company"),
            ),
            (
                "Good morning and welcome to the J.M. Smucker Company's fiscal 2021 fourth-quarter earnings conference call.",
                Some("J.M. Smucker Company"),
            ),
            (
                "Good morning, and welcome to The Kroger Co. third quarter 2021 earnings conference call.",
                Some("Kroger Co."),
            ),
            (
                "Good morning, everyone. Thank you for joining us for DuPont's first-quarter 2021 earnings conference call.",
                Some("DuPont"),
            ),
            (
                "Hello and welcome to the First Industrial 3Q '21 results conference call.",
                Some("First Industrial"),
            ),
            (
                "Welcome to the Q1 2020 American Assets Trust earnings call.",
                Some("American Assets Trust"),
            ),
            (
                "Good morning, everyone, and welcome to our earnings call.",
                None,
            ),
            ("Welcome to the team, Sarah. Revenue grew 12%.", None),
            (
                "Thank you for standing by and welcome to the Diebold Nixdorf hosted fourth-quarter 2019 earnings call.",
                Some("Diebold Nixdorf"),
            ),
            (
                "Good morning and welcome to Travelers' discussion of our second quarter 2021 results.",
                Some("Travelers"),
            ),
            (
                "Welcome to the Bank of the Ozarks fourth quarter earnings call.",
                Some("Bank of the Ozarks"),
            ),
        ];
        for (text, company) in cases {
            assert_eq!(company_from_welcome(text).as_deref(), company, "{text}");
        }
    }

    use super::*;

    #[test]
    fn folds_and_word_counts_equal_their_plain_char_by_char_forms() {
        let texts = [
            "Revenue rose 11.1% to $4.2 billion -- a record.",
            "Crédit Suisse’s “ÉTATS-UNIS” note\u{a0}at İstanbul, Straße 5",
            "tab\tvertical\u{b}tab\r\nform\u{c}feed\u{85}next\u{2009}thin",
            "",
            "  ",
            "日本 株式 2021年",
        ];
        for text in texts {
            let mut fast = String::new();
            fold_alnum(text, &mut fast);
            let plain: String = (text.chars())
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect();
            assert_eq!(fast, plain, "{text:?}");
            assert_eq!(
                word_count(text),
                text.split_whitespace().count(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn dates_in_vendor_formats() {
        assert_eq!(
            parse_date("JANUARY 25, 2010 / 10:00PM GMT").as_deref(),
            Some("2010-01-25")
        );
        assert_eq!(
            parse_date("Event Date/Time: Jul. 21. 2011 / 8:30PM GMT").as_deref(),
            Some("2011-07-21")
        );
        assert_eq!(
            parse_date("Call April 18, 2018  5:00 PM ET").as_deref(),
            Some("2018-04-18")
        );
        assert_eq!(parse_date("Sept 3, 2019").as_deref(), Some("2019-09-03"));
        assert_eq!(parse_date("no date here"), None);
        assert_eq!(
            parse_date("We may see. May 2, 2019").as_deref(),
            Some("2019-05-02")
        );
    }

    #[test]
    fn periods_and_companies_from_titles() {
        let title = "Q1 2010 Apple Inc. Earnings Conference Call";
        assert_eq!(fiscal_period(title).unwrap().0, "Q1 2010");
        let period = |t: &str| fiscal_period(t).map(|p| p.0);
        assert_eq!(
            period("Apple® FY 10 Second Quarter Results").as_deref(),
            Some("Q2 2010")
        );
        assert_eq!(
            period("Q4 and Full Year 2013 Cisco Systems Earnings").as_deref(),
            Some("Q4 2013")
        );
        assert_eq!(period("Full Year 2012 Results").as_deref(), Some("FY 2012"));
        assert_eq!(company_from_title(title).as_deref(), Some("Apple Inc."));
        assert_eq!(
            company_from_title("Apple® FY 10 Second Quarter Results Conference Call").as_deref(),
            Some("Apple")
        );
        assert_eq!(
            company_from_title("Q3 2022 AG Mortgage Investment Trust Inc Earnings Call").as_deref(),
            Some("AG Mortgage Investment Trust Inc")
        );
    }

    #[test]
    fn mojibake_and_junk_characters_are_cleaned() {
        assert_eq!(clean("CrÃ©dit Suisse"), "Crédit Suisse");
        assert_eq!(clean("a\u{a0}b\tc ¶ d\u{fffd}"), "a b c d");
        assert_eq!(clean("â€œquotedâ€\u{9d}"), "“quoted”");
        assert_eq!(clean("Ãx la carte"), "Ãx la carte");
    }

    #[test]
    fn windows_1252_is_decoded() {
        assert_eq!(decode(b"today\x92s \x93call\x94 \x85"), "today’s “call” …");
    }
}
