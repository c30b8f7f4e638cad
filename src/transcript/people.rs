//! People: folding names to keys and matching a spoken name to a listed participant.

use crate::transcript::model::Participant;

/// Fold a name to a comparison key: lowercase ASCII letters and digits, single spaces.
/// Diacritics and OCR look-alikes (`ı`) fold to their base letter.
pub fn key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        // Most names are ASCII: only `'` and `.` fold (to nothing), so skip the table.
        if c.is_ascii() && !matches!(c, '\'' | '.') {
            push_key_char(&mut out, c);
            continue;
        }
        for f in fold_char(c).chars() {
            push_key_char(&mut out, f);
        }
    }
    out.trim().to_string()
}

fn push_key_char(out: &mut String, f: char) {
    if f.is_ascii_alphanumeric() {
        out.push(f.to_ascii_lowercase());
    } else if f.is_alphabetic() && !f.is_lowercase() && !f.is_uppercase() {
        // Scripts without case (CJK, Arabic, ...) are the name itself.
        out.push(f);
    } else if (f.is_whitespace() || matches!(f, '-' | '/' | ',' | '&')) && !out.ends_with(' ') {
        out.push(' ');
    }
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

pub(crate) fn edit_distance_at_most_one(a: &str, b: &str) -> bool {
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

/// Either name is the other's common nickname (`Bob` / `Robert`).
pub(crate) fn nickname_of(a: &str, b: &str) -> bool {
    nickname(a, b) || nickname(b, a)
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

/// `Some(firm)` when `paragraph` announces `name` (`... from Ali Dibadj from Bernstein.`).
pub fn announced_firm(paragraph: &str, name: &str) -> Option<Option<String>> {
    let at = paragraph.find(name)?;
    let after = &paragraph[at + name.len()..];
    if after.starts_with(|c: char| c.is_alphanumeric()) {
        return None;
    }
    let firm = [" from ", " with ", " of "].iter().find_map(|w| {
        let rest = after.strip_prefix(w)?;
        let end = rest.find(['.', ',', ';', '?']).unwrap_or(rest.len());
        let firm = rest[..end].trim();
        (!firm.is_empty() && firm.len() <= 60).then(|| firm.to_string())
    });
    Some(firm)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::model::Side;

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
}
