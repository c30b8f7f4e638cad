//! Who is speaking: matching turns to participants, role classes, titles and firm names.

use crate::model::{Participant, RoleClass, Side, Transcript, Turn};

/// Fold a name to a comparison key: lowercase ASCII letters and digits, single spaces.
/// Diacritics and OCR look-alikes (`ı`) fold to their base letter.
pub fn key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let folded = fold_char(c);
        for f in folded.chars() {
            if f.is_ascii_alphanumeric() {
                out.push(f.to_ascii_lowercase());
            } else if (f.is_whitespace() || matches!(f, '-' | '/' | ',' | '&'))
                && !out.ends_with(' ')
            {
                out.push(' ');
            }
        }
    }
    out.trim().to_string()
}

fn fold_char(c: char) -> std::borrow::Cow<'static, str> {
    let s = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => "a",
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => "A",
        'ç' | 'ć' | 'č' => "c",
        'Ç' | 'Č' => "C",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' => "e",
        'È' | 'É' | 'Ê' | 'Ë' => "E",
        'ì' | 'í' | 'î' | 'ï' | 'ı' | 'ī' => "i",
        'Ì' | 'Í' | 'Î' | 'Ï' | 'İ' => "I",
        'ñ' | 'ń' => "n",
        'Ñ' => "N",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => "o",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => "O",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' => "u",
        'Ù' | 'Ú' | 'Û' | 'Ü' => "U",
        'ý' | 'ÿ' => "y",
        'š' | 'ś' => "s",
        'Š' => "S",
        'ž' | 'ź' | 'ż' => "z",
        'Ž' => "Z",
        'ł' => "l",
        'ß' => "ss",
        '’' | '\'' | '.' => "",
        _ => return std::borrow::Cow::Owned(c.to_string()),
    };
    std::borrow::Cow::Borrowed(s)
}

/// True when two spellings name the same person: same key; same first and last name
/// with middle names or initials added (`Stephen Albert Laws` / `Stephen Laws`);
/// or one character of OCR damage in a long name.
pub fn same_person(a: &str, b: &str) -> bool {
    let (ka, kb) = (key(a), key(b));
    if ka.is_empty() || kb.is_empty() {
        return false;
    }
    if ka == kb {
        return true;
    }
    let ta: Vec<&str> = ka.split(' ').collect();
    let tb: Vec<&str> = kb.split(' ').collect();
    if ta.len() >= 2 && tb.len() >= 2 && ta[0] == tb[0] && ta.last() == tb.last() {
        let (short, long) = if ta.len() <= tb.len() {
            (&ta, &tb)
        } else {
            (&tb, &ta)
        };
        if is_subsequence(short, long) {
            return true;
        }
    }
    ka.len() >= 8 && kb.len() >= 8 && edit_distance_at_most_one(&ka, &kb)
}

fn is_subsequence(short: &[&str], long: &[&str]) -> bool {
    let mut it = long.iter();
    short
        .iter()
        .all(|s| it.any(|l| l == s || (s.len() == 1 && l.starts_with(s))))
}

fn edit_distance_at_most_one(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    a.len().max(b.len()) - prefix - suffix <= 1
}

/// The listed participant a speaker name refers to. Beyond [`same_person`]: a lost
/// space (`ChrisPasquale`) and short first names or nicknames (`Jeff Campbell` for
/// `Jeffrey Campbell`, `Steve Ju` for `Stephen Ju`), only when exactly one person fits.
pub fn find_participant<'a>(
    participants: &'a [Participant],
    name: &str,
) -> Option<&'a Participant> {
    let k = key(name);
    if let Some(p) = participants
        .iter()
        .find(|p| key(&p.name) == k)
        .or_else(|| participants.iter().find(|p| same_person(&p.name, name)))
    {
        return Some(p);
    }
    let squashed = key(name).replace(' ', "");
    if let Some(p) = participants
        .iter()
        .find(|p| key(&p.name).replace(' ', "") == squashed)
    {
        return Some(p);
    }
    let strong: Vec<&Participant> = participants
        .iter()
        .filter(|p| first_last_match(&p.name, name, false))
        .collect();
    if let [p] = strong.as_slice() {
        return Some(p);
    }
    let weak: Vec<&Participant> = participants
        .iter()
        .filter(|p| first_last_match(&p.name, name, true))
        .collect();
    match weak.as_slice() {
        [p] if strong.is_empty() => Some(p),
        _ => None,
    }
}

/// Same last name, and first names where one is the other's nickname or prefix
/// (`Matt`/`Matthew`), or, when `initial_only`, merely the same initial (`Steve`/`Stephen`).
fn first_last_match(listed: &str, spoken: &str, initial_only: bool) -> bool {
    let (kl, ks) = (key(listed), key(spoken));
    let (tl, ts): (Vec<&str>, Vec<&str>) = (kl.split(' ').collect(), ks.split(' ').collect());
    let (Some(fl), Some(fs), Some(ll), Some(ls)) = (tl.first(), ts.first(), tl.last(), ts.last())
    else {
        return false;
    };
    if tl.len() < 2 || ts.len() < 2 || ll != ls {
        return false;
    }
    if initial_only {
        return fl.chars().next() == fs.chars().next();
    }
    let prefix = |a: &str, b: &str| a.len() >= 3 && b.starts_with(a);
    prefix(fl, fs) || prefix(fs, fl) || nickname(fl, fs) || nickname(fs, fl)
}

/// Common English nicknames whose spelling shares no prefix with the full name.
fn nickname(short: &str, full: &str) -> bool {
    const PAIRS: &[(&str, &str)] = &[
        ("bob", "robert"),
        ("rob", "robert"),
        ("robbie", "robert"),
        ("bill", "william"),
        ("will", "william"),
        ("dick", "richard"),
        ("rick", "richard"),
        ("jim", "james"),
        ("mike", "michael"),
        ("dave", "david"),
        ("steve", "stephen"),
        ("steve", "steven"),
        ("chuck", "charles"),
        ("larry", "lawrence"),
        ("ted", "edward"),
        ("ed", "edward"),
        ("jack", "john"),
        ("hank", "henry"),
        ("peggy", "margaret"),
        ("betsy", "elizabeth"),
        ("liz", "elizabeth"),
        ("andy", "andrew"),
        ("tony", "anthony"),
        ("sandy", "alexander"),
    ];
    PAIRS.iter().any(|&(s, f)| s == short && f == full)
}

/// `Unidentified Analyst`, `Unidentified Company Representative`, `Unknown Speaker`.
/// The words after the first must name a kind of speaker, so `Unknown to us` is speech.
pub fn is_unidentified(name: &str) -> bool {
    const KINDS: &[&str] = &[
        "analyst",
        "speaker",
        "participant",
        "company",
        "corporate",
        "representative",
        "executive",
        "caller",
        "male",
        "female",
        "audience",
        "member",
    ];
    let k = key(name);
    let mut words = k.split(' ');
    matches!(words.next(), Some("unidentified" | "unknown"))
        && k.split(' ').count() <= 4
        && words.all(|w| KINDS.contains(&w))
}

/// True for speaker labels that stand for the call's operator.
pub fn is_operator(name: &str) -> bool {
    matches!(key(name).as_str(), "operator" | "conference operator")
}

/// Give every turn the listed participant's name, firm and role, and fill in
/// role class, titles and normalised firm.
pub fn resolve(t: &mut Transcript) {
    let corporate_firms: Vec<String> = t
        .participants
        .iter()
        .filter(|p| p.side == Side::Corporate)
        .filter_map(|p| p.firm.as_deref().map(firm_key))
        .collect();
    let participants = t.participants.clone();
    // One speaker label resolves the same way every time: resolve each label once.
    type Label = (String, Option<String>, Option<String>);
    let mut done: std::collections::HashMap<Label, Turn> = std::collections::HashMap::new();
    for turn in &mut t.turns {
        let label = (turn.speaker.clone(), turn.firm.clone(), turn.role.clone());
        if let Some(known) = done.get(&label) {
            copy_identity(known, turn);
            continue;
        }
        resolve_turn(turn, &participants, &corporate_firms);
        let mut identity = turn.clone();
        identity.paragraphs = Vec::new();
        done.insert(label, identity);
    }
}

fn copy_identity(from: &Turn, to: &mut Turn) {
    to.speaker.clone_from(&from.speaker);
    to.firm.clone_from(&from.firm);
    to.firm_norm.clone_from(&from.firm_norm);
    to.role.clone_from(&from.role);
    to.role_class = from.role_class;
    to.titles.clone_from(&from.titles);
}

fn resolve_turn(turn: &mut Turn, participants: &[Participant], corporate_firms: &[String]) {
    if is_operator(&turn.speaker) {
        turn.speaker = "Operator".to_string();
        turn.role_class = RoleClass::Operator;
        turn.firm = None;
        turn.role = None;
        turn.firm_norm = None;
        turn.titles.clear();
        return;
    }
    let side = match find_participant(participants, &turn.speaker) {
        Some(p) => {
            turn.speaker = p.name.clone();
            turn.firm = p.firm.clone().or(turn.firm.take());
            turn.role = p.role.clone().or(turn.role.take());
            Some(p.side)
        }
        None => None,
    };
    turn.role_class = role_class(turn, side, corporate_firms);
    turn.titles = titles(turn.role.as_deref().unwrap_or(""));
    if turn.role_class == RoleClass::Analyst && !turn.titles.iter().any(|t| t == "analyst") {
        turn.titles.push("analyst".to_string());
    }
    turn.firm_norm = turn.firm.as_deref().map(normalize_firm);
}

fn role_class(turn: &Turn, side: Option<Side>, corporate_firms: &[String]) -> RoleClass {
    match side {
        Some(Side::Corporate) => return RoleClass::Executive,
        Some(Side::Analyst) => return RoleClass::Analyst,
        None => {}
    }
    let speaker = key(&turn.speaker);
    let role = key(turn.role.as_deref().unwrap_or(""));
    if speaker.contains("analyst") || role.contains("analyst") {
        return RoleClass::Analyst;
    }
    let unidentified_company = is_unidentified(&turn.speaker)
        && (speaker.contains("company")
            || speaker.contains("corporate")
            || speaker.contains("executive"));
    let firm = turn.firm.as_deref().map(firm_key);
    if firm.is_some_and(|f| corporate_firms.contains(&f)) || unidentified_company {
        return RoleClass::Executive;
    }
    RoleClass::Other
}

/// Normalised titles named in a role string, in a fixed order.
pub fn titles(role: &str) -> Vec<String> {
    let r = format!(" {} ", key(role));
    let has = |needle: &str| r.contains(needle);
    let president = r
        .match_indices(" president ")
        .any(|(i, _)| !r[..i].ends_with(" vice") && !r[..i].ends_with(" vp"));
    let checks: [(&str, bool); 8] = [
        ("ceo", has(" ceo ") || has("chief executive")),
        ("cfo", has(" cfo ") || has("chief financial")),
        ("coo", has(" coo ") || has("chief operating")),
        ("cto", has(" cto ") || has("chief technology")),
        ("president", president),
        (
            "chair",
            has(" chairman ") || has(" chair ") || has(" chairwoman "),
        ),
        (
            "ir",
            has(" ir ") || has("investor relations") || has("investor relation "),
        ),
        ("analyst", has("analyst")),
    ];
    checks
        .iter()
        .filter(|(_, yes)| *yes)
        .map(|(t, _)| t.to_string())
        .collect()
}

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
    fn one_person_under_several_spellings() {
        assert!(same_person("Sanjiv Wadhwani", "Sanjiv Wadhwanı"));
        assert!(same_person("Stephen Albert Laws", "Stephen Laws"));
        assert!(same_person("Timothy D. Cook", "Timothy Cook"));
        assert!(same_person("CARL RUSSO", "Carl Russo"));
        assert!(!same_person("Michael Kim", "Michael Ashby"));
        assert!(!same_person("Simon Leopold", "Simona Jankowski"));
    }

    #[test]
    fn nicknames_and_lost_spaces_resolve_when_unambiguous() {
        let p = |name: &str| Participant {
            name: name.to_string(),
            firm: None,
            role: None,
            side: Side::Analyst,
        };
        let list = [
            p("Jeffrey Campbell"),
            p("Stephen Ju"),
            p("Chris Pasquale"),
            p("Mike Lee"),
        ];
        let find = |n: &str| find_participant(&list, n).map(|x| x.name.as_str());
        assert_eq!(find("Jeff Campbell"), Some("Jeffrey Campbell"));
        assert_eq!(find("Steve Ju"), Some("Stephen Ju"));
        assert_eq!(find("ChrisPasquale"), Some("Chris Pasquale"));
        assert_eq!(find("Michael Lee"), Some("Mike Lee"));
        assert_eq!(find("Carl Russo"), None);
        assert!(is_unidentified("Unidentified Company Representative"));
        assert!(!is_unidentified("Unknown to us"));
    }

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

    #[test]
    fn titles_from_roles() {
        assert_eq!(titles("President and CEO"), ["ceo", "president"]);
        assert_eq!(titles("Executive VP and Chief Financial Officer"), ["cfo"]);
        assert_eq!(titles("Senior Vice President, Investor Relations"), ["ir"]);
        assert_eq!(titles("Chairman of the Board"), ["chair"]);
        assert_eq!(titles("Senior Director IR"), ["ir"]);
    }
}
