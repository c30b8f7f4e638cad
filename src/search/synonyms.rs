//! The query's words as typed (`lex`) and the curated finance synonym table
//! (`synonyms.txt`), matched longest first.

/// The query's words and numbers, lowercased: `$481.1` gives `481.1`, a number kept
/// whole so that it matches as a phrase of its parts.
pub fn lex(q: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let chars: Vec<char> = q.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let inner_point = (c == '.' || c == ',')
            && word.chars().last().is_some_and(|p| p.is_ascii_digit())
            && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
        let fuzzy_mark = c == '~' && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
        let marker = !word.is_empty() && (c == '*' || fuzzy_mark);
        if c.is_alphanumeric() && word.ends_with('~') && word.len() > 1 {
            word.push(c);
            out.push(std::mem::take(&mut word));
        } else if marker {
            word.push(c);
            if c == '*' {
                out.push(std::mem::take(&mut word));
            }
        } else if c.is_alphanumeric() || inner_point || (c == '&' && !word.is_empty()) {
            word.extend(c.to_lowercase());
        } else if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// The synonym groups, each a list of alternatives, each a list of words.
pub fn synonym_groups() -> &'static [Vec<Vec<String>>] {
    static GROUPS: std::sync::OnceLock<Vec<Vec<Vec<String>>>> = std::sync::OnceLock::new();
    GROUPS.get_or_init(|| {
        include_str!("synonyms.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| l.split(" = ").map(lex).filter(|a| !a.is_empty()).collect())
            .collect()
    })
}

/// The longest synonym alternative starting at `words[at..]`: its group and length.
pub fn synonym_at(words: &[String], at: usize) -> Option<(&'static [Vec<String>], usize)> {
    let mut best: Option<(&'static [Vec<String>], usize)> = None;
    for group in synonym_groups() {
        for alt in group {
            let fits = words.len() >= at + alt.len() && words[at..at + alt.len()] == alt[..];
            if fits && best.is_none_or(|(_, n)| alt.len() > n) {
                best = Some((group, alt.len()));
            }
        }
    }
    best
}
