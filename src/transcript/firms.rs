//! Firm names: one spelling per broker or company, for filters and facets.

use crate::transcript::people::key;

/// Comparison key of a firm: normalised name folded to lowercase ASCII.
pub fn firm_key(raw: &str) -> String {
    key(&normalize_firm(raw))
}

/// Tails that vary between spellings of one firm, as key words; removed repeatedly.
const FIRM_TAILS: &[&str] = &[
    "llc",
    "inc",
    "incorporated",
    "co",
    "company",
    "corp",
    "corporation",
    "ltd",
    "limited",
    "plc",
    "lp",
    "llp",
    "ag",
    "sa",
    "nv",
    "kg",
    "group",
    "securities",
    "associates",
    "capital",
    "markets",
    "capital markets",
    "institutional",
    "equities",
    "equity",
    "holdings",
    "research division",
    "division",
    "research",
    "global research",
    "global",
    "equity research",
    "equities research",
    "investment research",
    "research services",
    "partners",
    "services",
    "advisors",
    "north america",
    "usa",
    "us",
    "europe",
    "asia pacific",
    "and",
];

/// Well-known firms that publish under several names (keys after tail removal).
const FIRM_ALIASES: &[(&str, &str)] = &[
    ("jpmorgan chase", "JPMorgan"),
    ("jp morgan", "JPMorgan"),
    ("jp morgan chase", "JPMorgan"),
    ("bofa", "BofA"),
    ("bank of america", "BofA"),
    ("bank of america merrill lynch", "BofA"),
    ("banc of america merrill lynch", "BofA"),
    ("bofa merrill lynch", "BofA"),
    ("bas ml", "BofA"),
    ("merrill lynch", "BofA"),
    ("sanford bernstein", "Bernstein"),
    ("sanford c bernstein", "Bernstein"),
    ("ab bernstein", "Bernstein"),
    ("credit suisse", "Credit Suisse"),
    ("citi", "Citigroup"),
    ("citigroup global", "Citigroup"),
    ("ubs investment bank", "UBS"),
    ("deutsche", "Deutsche Bank"),
    ("jeffries", "Jefferies"),
    ("rbc", "RBC"),
    ("bmo", "BMO"),
    ("evercore isi", "Evercore ISI"),
    ("evercore", "Evercore ISI"),
    ("isi", "Evercore ISI"),
];

/// A firm name for faceting: `Jefferies and Co.`, `Jefferies & Company` and
/// `Jefferies LLC, Research Division` all become `Jefferies`.
pub fn normalize_firm(raw: &str) -> String {
    let no_parens = strip_parentheticals(raw).replace('’', "'");
    let mut words: Vec<&str> = no_parens
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty() && *w != "-")
        .collect();
    while let Some(n) = tail_to_strip(&words) {
        words.truncate(words.len() - n);
    }
    let name = words.join(" ");
    let name = name
        .trim_end_matches(['.', ',', '-', ' ', '&', '/'])
        .to_string();
    let k = key(&name);
    FIRM_ALIASES
        .iter()
        .find(|(alias, _)| *alias == k)
        .map(|(_, canonical)| canonical.to_string())
        .unwrap_or(name)
}

/// How many trailing words form a removable tail, keeping at least one word.
fn tail_to_strip(words: &[&str]) -> Option<usize> {
    let keys: Vec<String> = words.iter().map(|w| key(w)).collect();
    if keys.last().is_some_and(|k| k.is_empty()) && words.len() > 1 {
        return Some(1);
    }
    FIRM_TAILS
        .iter()
        .map(|tail| tail.split(' ').collect::<Vec<_>>())
        .filter(|tail| tail.len() < words.len())
        .find(|tail| {
            keys[keys.len() - tail.len()..]
                .iter()
                .zip(tail)
                .all(|(k, t)| k == t)
        })
        .map(|tail| tail.len())
}

fn strip_parentheticals(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn firms_normalise_to_one_name() {
        for raw in [
            "Jefferies and Co.",
            "Jefferies & Company",
            "Jefferies LLC, Research Division",
            "Jefferies & Co.",
        ] {
            assert_eq!(normalize_firm(raw), "Jefferies", "{raw}");
        }
        assert_eq!(
            normalize_firm("Keefe, Bruyette & Woods, Inc."),
            "Keefe Bruyette & Woods"
        );
        assert_eq!(
            normalize_firm("Goldman Sachs Group, Inc., Research Division"),
            "Goldman Sachs"
        );
        assert_eq!(
            normalize_firm("JPMorgan Chase & Co, Research Division"),
            "JPMorgan"
        );
        assert_eq!(normalize_firm("UBS"), "UBS");
        assert_eq!(normalize_firm("UBS Investment Bank"), "UBS");
        assert_eq!(normalize_firm("Deutsche Bank AG"), "Deutsche Bank");
        assert_eq!(normalize_firm("Macquarie Capital (USA)"), "Macquarie");
        assert_eq!(normalize_firm("BofA Global Research (US)"), "BofA");
        assert_eq!(normalize_firm("Bank of America Merrill Lynch"), "BofA");
        assert_eq!(
            normalize_firm("Credit Suisse Securities (NYSE:USA)"),
            "Credit Suisse"
        );
        assert_eq!(
            normalize_firm("Raymond James & Associates, Inc., Research Division"),
            "Raymond James"
        );
    }
}
