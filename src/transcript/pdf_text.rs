//! A PDF's extracted pages turned into clean text for layout detection: running
//! headers and footers dropped, ligatures mapped, line-end hyphenation joined,
//! spaced-out headings (`T R A N S C R I P T`) closed up.

use std::collections::HashMap;

use crate::transcript::container::Prepared;
use crate::transcript::layouts::ParseError;

/// Extract (in the child process) and clean a PDF.
pub fn prepare(bytes: &[u8]) -> Result<Prepared, ParseError> {
    let extracted = crate::transcript::pdf::extract(bytes)?;
    let text = clean_pages(&extracted.pages);
    if text.trim().is_empty() {
        return Err(ParseError::Pdf("pdf holds no text".to_string()));
    }
    Ok(Prepared {
        text,
        container: Some("pdf"),
        extractor: Some(extracted.extractor),
    })
}

/// Lines this close to a page's top or bottom may be running headers or footers.
const EDGE_LINES: usize = 6;

/// The pages as one text, without their running headers and footers.
pub fn clean_pages(pages: &[String]) -> String {
    let pages: Vec<Vec<String>> = pages.iter().map(|p| page_lines(p)).collect();
    let running = running_lines(&pages);
    let mut lines: Vec<String> = Vec::new();
    for (number, page) in pages.iter().enumerate() {
        let edges = edge_positions(page);
        for (i, line) in page.iter().enumerate() {
            let key = furniture_key(line);
            // The first page keeps its header: it holds the title and the date.
            let at_edge = edges.contains(&i) && number > 0;
            if at_edge && (key.is_empty() && !line.trim().is_empty() || running.contains(&key)) {
                continue;
            }
            lines.push(line.clone());
        }
    }
    join_hyphenated(&lines)
}

/// A page's lines, ligatures mapped, spaced-out headings closed up, ends trimmed.
fn page_lines(page: &str) -> Vec<String> {
    page.lines()
        .map(|l| unspace(&map_ligatures(l.trim_end())))
        .collect()
}

/// Indexes of the first and last few non-blank lines of a page.
fn edge_positions(page: &[String]) -> Vec<usize> {
    let filled: Vec<usize> = (0..page.len())
        .filter(|&i| !page[i].trim().is_empty())
        .collect();
    let head = filled.iter().take(EDGE_LINES);
    let tail = filled.iter().rev().take(EDGE_LINES);
    head.chain(tail).copied().collect()
}

/// Keys of lines that recur at page edges on at least half the pages (and three).
fn running_lines(pages: &[Vec<String>]) -> std::collections::HashSet<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for page in pages {
        let mut seen = std::collections::HashSet::new();
        for i in edge_positions(page) {
            let key = furniture_key(&page[i]);
            if !key.is_empty() && seen.insert(key.clone()) {
                *counts.entry(key).or_insert(0) += 1;
            }
        }
    }
    let needed = (pages.len() / 2).max(3);
    counts
        .into_iter()
        .filter(|&(_, n)| n >= needed)
        .map(|(k, _)| k)
        .collect()
}

/// A line with digits and spacing ignored, lowercased: `Page 3 of 17` and `Page 4 of
/// 17` are one running footer. Lines of only digits and punctuation give "".
fn furniture_key(line: &str) -> String {
    let mut key = String::new();
    for c in line.chars() {
        if c.is_alphabetic() {
            key.extend(c.to_lowercase());
        } else if c.is_whitespace() && !key.ends_with(' ') && !key.is_empty() {
            key.push(' ');
        }
    }
    key.trim_end().to_string()
}

/// Typographic ligatures as letters.
pub fn map_ligatures(line: &str) -> String {
    if line.is_ascii() {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        match c {
            'ﬀ' => out.push_str("ff"),
            'ﬁ' => out.push_str("fi"),
            'ﬂ' => out.push_str("fl"),
            'ﬃ' => out.push_str("ffi"),
            'ﬄ' => out.push_str("ffl"),
            'ﬅ' | 'ﬆ' => out.push_str("st"),
            c => out.push(c),
        }
    }
    out
}

/// `T R A N S C R I P T` -> `TRANSCRIPT`, `Q U E S T I O N  A N D  A N S W E R` ->
/// `QUESTION AND ANSWER`: a line whose words are mostly single letters, with wider gaps
/// between the real words. Other lines are returned as they are.
pub fn unspace(line: &str) -> String {
    let tokens: Vec<&str> = line.split_whitespace().collect();
    let singles = tokens.iter().filter(|t| t.chars().count() == 1).count();
    let short = tokens.iter().all(|t| t.chars().count() <= 3);
    let trimmed = line.trim();
    let gapped = trimmed.contains("  ");
    let capitals = !trimmed.chars().any(char::is_lowercase);
    let spaced = singles == tokens.len() || (gapped || capitals) && singles * 2 >= tokens.len();
    if tokens.len() < 4 || !short || !spaced {
        return line.to_string();
    }
    let words: Vec<String> = if gapped {
        trimmed
            .split("  ")
            .map(|w| w.split_whitespace().collect::<String>())
            .filter(|w| !w.is_empty())
            .collect()
    } else {
        vec![tokens.concat()]
    };
    words.join(" ")
}

/// Join a word hyphenated across a line end (`busi-` + `ness`), when the next line
/// goes on in lower case.
fn join_hyphenated(lines: &[String]) -> String {
    let mut out = String::new();
    let mut carry = false;
    for (i, line) in lines.iter().enumerate() {
        let line = if carry { line.trim_start() } else { line };
        let next_lower = lines
            .get(i + 1)
            .and_then(|n| n.trim_start().chars().next())
            .is_some_and(char::is_lowercase);
        let trimmed = line.trim_end();
        let hyphenated = trimmed.len() > 2
            && trimmed.ends_with('-')
            && trimmed[..trimmed.len() - 1]
                .chars()
                .last()
                .is_some_and(char::is_lowercase);
        if hyphenated && next_lower {
            // `30-billion-` + `euro` keeps its hyphen; `busi-` + `ness` loses it.
            let word = trimmed.rsplit(' ').next().unwrap_or_default();
            let keep = word[..word.len() - 1].contains('-');
            out.push_str(if keep {
                trimmed
            } else {
                &trimmed[..trimmed.len() - 1]
            });
            carry = true;
        } else {
            out.push_str(line);
            out.push('\n');
            carry = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaced_out_headings_are_closed_up() {
        assert_eq!(unspace("T R A N S C R I P T "), "TRANSCRIPT");
        assert_eq!(
            unspace("Q U E S T I O N  A N D  A N S W E R "),
            "QUESTION AND ANSWER"
        );
        assert_eq!(unspace("I am a B and a C"), "I am a B and a C");
    }

    #[test]
    fn running_headers_footers_ligatures_and_hyphens_are_cleaned() {
        let page = |n: usize| {
            format!(
                "TD Bank Group – Q2 2024 Earnings Call Transcript  Page {n} of 17\n\
                 We saw a signiﬁcant improve-\nment this quarter.\n{n}\n"
            )
        };
        let pages: Vec<String> = (1..=4).map(page).collect();
        let text = clean_pages(&pages);
        assert_eq!(text.matches("Page").count(), 1, "{text}");
        assert!(text.contains("We saw a significant improvement this quarter."));
        assert!(!text.lines().any(|l| l.trim() == "3"));
    }
}
