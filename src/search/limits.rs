//! Bounds on what one query may ask for, checked before anything is parsed: explicit
//! brackets nested deeper than [`MAX_DEPTH`] would overflow the parser's stack, and a
//! phrase or a `NOT` chain of tens of thousands of words would take seconds. A pasted
//! paragraph of up to [`MAX_WORDS`] words always fits.

use crate::error::Error;
use crate::search::synonyms::lex;

/// Brackets `(` nested at most this deep (outside quotes).
pub const MAX_DEPTH: usize = 64;
/// Words between spaces, operators (`AND`, `NOT`, a lone `-`) included.
pub const MAX_WORDS: usize = 1000;
/// Terms as the query is read (`year-over-year` is three): twice the words, so prose
/// fits and a single "word" of thousands of comma-joined parts does not.
pub const MAX_TERMS: usize = 2 * MAX_WORDS;
/// Bytes of query text (a 1,000-word paragraph is about 7 KB).
pub const MAX_BYTES: usize = 64 * 1024;

/// Refuse a query beyond the bounds, with a message saying which bound and by how much.
pub fn check(q: &str) -> Result<(), Error> {
    let words = q.split_whitespace().count();
    if words > MAX_WORDS {
        return Err(too_long(format!("{words} words, the limit is {MAX_WORDS}")));
    }
    let terms = lex(q).len();
    if terms > MAX_TERMS {
        return Err(too_long(format!(
            "{terms} terms in {words} words, the limit is {MAX_TERMS} terms"
        )));
    }
    if q.len() > MAX_BYTES {
        return Err(too_long(format!(
            "{} KB, the limit is {} KB",
            q.len().div_ceil(1024),
            MAX_BYTES / 1024
        )));
    }
    let depth = bracket_depth(q);
    if depth > MAX_DEPTH {
        return Err(Error::Query(format!(
            "brackets nested {depth} deep, the limit is {MAX_DEPTH}"
        )));
    }
    Ok(())
}

fn too_long(what: String) -> Error {
    Error::Query(format!("query too long ({what}): search for fewer words"))
}

/// The deepest nesting of `(` outside double quotes (unbalanced ones count as opened).
fn bracket_depth(q: &str) -> usize {
    let (mut depth, mut deepest, mut quoted) = (0usize, 0usize, false);
    for c in q.chars() {
        match c {
            '"' => quoted = !quoted,
            '(' if !quoted => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            ')' if !quoted => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_counts_brackets_outside_quotes() {
        assert_eq!(bracket_depth("a AND (b OR (c))"), 2);
        assert_eq!(bracket_depth("\"((((\" x"), 0);
        assert_eq!(bracket_depth("))((("), 3);
    }

    #[test]
    fn each_bound_is_reported_by_name() {
        let deep = format!("{}x{}", "(".repeat(65), ")".repeat(65));
        assert!(
            check(&deep)
                .unwrap_err()
                .to_string()
                .contains("nested 65 deep")
        );
        assert!(check(&format!("{}x{}", "(".repeat(64), ")".repeat(64))).is_ok());
        let many = vec!["margin"; 1001].join(" ");
        assert!(check(&many).unwrap_err().to_string().contains("1001 words"));
        assert!(check(&vec!["margin"; 1000].join(" ")).is_ok());
        let joined = vec!["a"; 2001].join(",");
        assert!(
            check(&joined)
                .unwrap_err()
                .to_string()
                .contains("2001 terms")
        );
        let huge = "x".repeat(MAX_BYTES + 1);
        assert!(
            check(&huge)
                .unwrap_err()
                .to_string()
                .contains("the limit is 64 KB")
        );
    }
}
