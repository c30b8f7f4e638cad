//! Firm names: one spelling per broker or company, for filters and facets.

use crate::transcript::people::{edit_distance_at_most_one, key};

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

/// The broker and bank alias table, shipped as data: `Canonical | alias | alias *`.
const BROKERS: &str = include_str!("brokers.txt");

/// The alias table read once: exact aliases by key, and prefix aliases (`susquehanna *`)
/// as word lists, longest first so the most specific wins.
struct Aliases {
    exact: std::collections::HashMap<String, &'static str>,
    prefixes: Vec<(Vec<String>, &'static str)>,
}

fn aliases() -> &'static Aliases {
    static TABLE: std::sync::OnceLock<Aliases> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut exact = std::collections::HashMap::new();
        let mut prefixes = Vec::new();
        for line in BROKERS.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut names = line.split('|').map(str::trim);
            let canonical = names.next().unwrap_or_default();
            exact.entry(key(canonical)).or_insert(canonical);
            for alias in names.filter(|a| !a.is_empty()) {
                match alias.strip_suffix('*') {
                    Some(stem) => {
                        let words: Vec<String> = key(stem).split(' ').map(str::to_string).collect();
                        prefixes.push((words, canonical));
                    }
                    None => {
                        exact.entry(key(alias)).or_insert(canonical);
                    }
                }
            }
        }
        prefixes.sort_by_key(|p| std::cmp::Reverse(p.0.len()));
        Aliases { exact, prefixes }
    })
}

/// The canonical firm for a key, when the alias table knows it.
fn alias_of(k: &str) -> Option<&'static str> {
    let table = aliases();
    if let Some(c) = table.exact.get(k) {
        return Some(c);
    }
    let words: Vec<&str> = k.split(' ').collect();
    (table.prefixes.iter())
        .find(|(stem, _)| stem.len() <= words.len() && stem.iter().zip(&words).all(|(a, b)| a == b))
        .map(|(_, c)| *c)
        .or_else(|| typo_of(k))
}

/// A long name one character away from exactly one known firm (`Well Fargo`,
/// `Vertcal Research`): OCR and typing damage in vendors' participant lists.
fn typo_of(k: &str) -> Option<&'static str> {
    if k.len() < 8 {
        return None;
    }
    let mut found: Option<&'static str> = None;
    for (alias, canonical) in &aliases().exact {
        if alias.len() >= 8 && edit_distance_at_most_one(alias, k) {
            match found {
                Some(c) if c != *canonical => return None,
                _ => found = Some(canonical),
            }
        }
    }
    found
}

/// A firm name for faceting: `Jefferies and Co.`, `Jefferies & Company` and
/// `Jefferies LLC, Research Division` all become `Jefferies`; a name the broker table
/// knows, at any step of the tail stripping, becomes its canonical name
/// (`Cross Research LLC` -> `Cross Research`, `B of A/Merrill Lynch` -> `BofA`).
pub fn normalize_firm(raw: &str) -> String {
    thread_local! {
        // Facets and every passage ask for the same few hundred names again and again.
        static SEEN: std::cell::RefCell<rustc_hash::FxHashMap<String, String>> =
            std::cell::RefCell::new(rustc_hash::FxHashMap::default());
    }
    if let Some(hit) = SEEN.with(|m| m.borrow().get(raw).cloned()) {
        return hit;
    }
    let name = normalize_uncached(raw);
    SEEN.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= 8192 {
            m.clear();
        }
        m.insert(raw.to_string(), name.clone());
    });
    name
}

fn normalize_uncached(raw: &str) -> String {
    let no_parens = strip_parentheticals(raw).replace('’', "'");
    let mut words: Vec<&str> = no_parens
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty() && *w != "-")
        .collect();
    loop {
        if let Some(canonical) = alias_of(&key(&words.join(" "))) {
            return canonical.to_string();
        }
        match tail_to_strip(&words) {
            Some(n) => words.truncate(words.len() - n),
            None => break,
        }
    }
    let name = words.join(" ");
    name.trim_end_matches(['.', ',', '-', ' ', '&', '/'])
        .to_string()
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

    /// Spellings of the brokers, as the shared corpus prints them.
    #[test]
    fn each_broker_is_one_firm() {
        let groups: &[(&str, &[&str])] = &[
            (
                "BofA",
                &[
                    "BofA",
                    "Banc of America",
                    "Banc of America Securities",
                    "B of A/Merrill Lynch",
                    "BofA Merrill Lynch International",
                    "Bank of America Merrill Lynch",
                    "Bank of America / Merrill Lynch",
                    "BofA Securities, Research Division",
                    "BofA Global Research",
                    "Merrill Lynch",
                    "Bank of America",
                ],
            ),
            (
                "RBC",
                &[
                    "RBC",
                    "RBC Capital Markets",
                    "RBC Capital Markets, LLC, Research Division",
                    "Royal Bank of Canada",
                    "RBC Capital",
                ],
            ),
            (
                "BMO",
                &[
                    "BMO",
                    "BMO Capital Markets",
                    "BMO Capital Markets Equity Research",
                    "Bank of Montreal",
                    "BMO Capital",
                ],
            ),
            (
                "Susquehanna",
                &[
                    "Susquehanna",
                    "Susquehanna Financial Group",
                    "Susquehanna Financial Group, LLLP, Research Division",
                    "Susquehanna International Group",
                    "Susquehanna Financial Group / SIG",
                    "Susquehanna Financial Group/SIG",
                ],
            ),
            (
                "Cross Research",
                &["Cross Research", "Cross Research LLC", "Cross"],
            ),
            (
                "Bernstein",
                &[
                    "Sanford C. Bernstein & Co., LLC., Research Division",
                    "Bernstein Research",
                    "Sanford Bernstein",
                    "Bernstein",
                ],
            ),
            (
                "Evercore ISI",
                &[
                    "Evercore ISI Institutional Equities, Research Division",
                    "Evercore Partners",
                    "ISI Group",
                ],
            ),
        ];
        for (canonical, spellings) in groups {
            for raw in *spellings {
                assert_eq!(normalize_firm(raw), *canonical, "{raw}");
            }
        }
        // Names the table does not know keep today's suffix stripping.
        assert_eq!(normalize_firm("Intel Corporation"), "Intel");
        assert_eq!(normalize_firm("Crossroads Capital"), "Crossroads");
        // One character of damage in a long name still finds the firm.
        assert_eq!(normalize_firm("Well Fargo Securities"), "Wells Fargo");
        assert_eq!(
            normalize_firm("Vertcal Research Partners"),
            "Vertical Research Partners"
        );
    }

    #[test]
    fn broker_table_lines_are_well_formed() {
        for line in BROKERS
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        {
            let names: Vec<&str> = line.split('|').map(str::trim).collect();
            assert!(names.len() >= 2, "{line}");
            assert!(names.iter().all(|n| !n.is_empty()), "{line}");
        }
        assert!(BROKERS.lines().filter(|l| l.contains('|')).count() >= 200);
    }
}
