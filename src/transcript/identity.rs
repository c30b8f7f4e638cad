//! Archive-wide identities: one canonical spelling per person and per company.
//!
//! Each call contributes a [`CallPeople`] (kept in the index's manifest); from all of
//! them [`Identities::build`] clusters the spellings of one person (middle names and
//! initials, nicknames, `Jr.`, one character of OCR damage), within a company for its
//! executives and across the archive for analysts, and picks the most frequent
//! spelling (ties: the fullest). Companies are grouped by ticker (share classes
//! together). Nothing here knows tantivy.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::transcript::firms::normalize_firm;
use crate::transcript::model::{Passage, RoleClass, Transcript};
use crate::transcript::people::{edit_distance_at_most_one, is_unidentified, key};

/// What one call says about its company and people: the input of [`Identities::build`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CallPeople {
    /// The company group: the primary ticker, else the company name's key.
    pub group: Option<String>,
    /// The company as this call names it, normalised (`Apple`).
    pub company: Option<String>,
    pub people: Vec<Seen>,
    /// The call's date and content sketch, to find the same call in another file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sketch: Vec<u64>,
    /// Firms and roles given in the participant list: of two copies, the richer is kept.
    #[serde(default)]
    pub attribution: u32,
    /// The call's words: of two copies equally attributed, the fuller is kept.
    #[serde(default)]
    pub words: u64,
}

/// One person as one call lists them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Seen {
    pub name: String,
    pub analyst: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub firm: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub titles: Vec<String>,
    pub passages: u64,
}

/// Tickers of one company's share classes: the first is the one shown.
const SHARE_CLASSES: &[&[&str]] = &[
    &["GOOGL", "GOOG"],
    &["BRK.B", "BRK.A", "BRK-B", "BRK-A", "BRKB", "BRKA"],
    &["FOXA", "FOX"],
    &["NWSA", "NWS"],
    &["UAA", "UA"],
    &["Z", "ZG"],
    &["LBTYA", "LBTYK", "LBTYB"],
    &["DISCA", "DISCK", "DISCB"],
    &["LSXMA", "LSXMK"],
    &["BF.B", "BF.A", "BF-B", "BF-A"],
    &["HEI", "HEI.A"],
    &["LEN", "LEN.B"],
    &["MOG.A", "MOG.B"],
    &["CMCSA", "CMCSK"],
    &["VIAC", "VIACA", "PARA", "PARAA"],
];

/// Every ticker of the share classes `ticker` belongs to (itself alone when none).
pub fn share_classes(ticker: &str) -> Vec<&str> {
    let up = ticker.trim().to_ascii_uppercase();
    SHARE_CLASSES
        .iter()
        .find(|c| c.contains(&up.as_str()))
        .map(|c| c.to_vec())
        .unwrap_or_default()
}

/// Company name keys of calls that give a ticker too, to that ticker's group; a name
/// given with two different tickers maps to none.
fn tickers_by_name(calls: &[&CallPeople]) -> HashMap<String, String> {
    let mut seen: HashMap<String, BTreeSet<String>> = HashMap::new();
    for call in calls {
        if let (Some(group), Some(company)) = (&call.group, &call.company) {
            let name = key(company);
            if !name.is_empty() && *group != name {
                seen.entry(name).or_default().insert(group.clone());
            }
        }
    }
    (seen.into_iter())
        .filter(|(_, groups)| groups.len() == 1)
        .filter_map(|(name, groups)| Some((name, groups.into_iter().next()?)))
        .collect()
}

/// A group made from a company name alone becomes the ticker group that name has.
fn resolve(named: &HashMap<String, String>, group: Option<String>) -> Option<String> {
    let group = group?;
    Some(named.get(&group).cloned().unwrap_or(group))
}

/// The company group of a call: its primary ticker, else its company name's key.
pub fn company_group(ticker: Option<&str>, company: Option<&str>) -> Option<String> {
    if let Some(t) = ticker.map(str::trim).filter(|t| !t.is_empty()) {
        let primary = share_classes(t).first().map(|s| s.to_string());
        return Some(primary.unwrap_or_else(|| t.to_ascii_uppercase()));
    }
    company
        .map(normalize_company)
        .map(|c| key(&c))
        .filter(|k| !k.is_empty())
}

/// A company name without `The`, share-class tails (`Cl C`, `Class A`), legal suffixes
/// and `Holding`: `The Home Depot, Inc.` -> `Home Depot`, `ASML Holding N.V.` -> `ASML`.
pub fn normalize_company(raw: &str) -> String {
    let mut words: Vec<&str> = raw.split_whitespace().collect();
    if words.len() > 1 && words[0].eq_ignore_ascii_case("the") {
        words.remove(0);
    }
    loop {
        let n = words.len();
        let last = words.last().map(|w| key(w)).unwrap_or_default();
        let before = if n >= 2 {
            key(words[n - 2])
        } else {
            String::new()
        };
        if n > 2 && matches!(before.as_str(), "cl" | "class") && last.len() == 1 {
            words.truncate(n - 2);
        } else if n > 1 && matches!(last.as_str(), "holding" | "nv" | "se") {
            words.truncate(n - 1);
        } else {
            break;
        }
    }
    normalize_firm(&words.join(" "))
}

/// What one call contributes: its company and each named, non-operator speaker.
pub fn survey(t: &Transcript) -> CallPeople {
    let mut people: BTreeMap<(String, bool), Seen> = BTreeMap::new();
    for turn in &t.turns {
        let skip = matches!(turn.role_class, RoleClass::Operator)
            || is_unidentified(&turn.speaker)
            || key(&turn.speaker).is_empty();
        if skip {
            continue;
        }
        let analyst = turn.role_class == RoleClass::Analyst;
        let seen = people
            .entry((turn.speaker.clone(), analyst))
            .or_insert_with(|| Seen {
                name: turn.speaker.clone(),
                analyst,
                ..Seen::default()
            });
        seen.passages += turn.paragraphs.len() as u64;
        if seen.firm.is_none() {
            seen.firm = turn.firm_norm.clone();
        }
        if seen.titles.is_empty() {
            seen.titles = own_titles(&turn.titles);
        }
    }
    CallPeople {
        group: company_group(t.ticker.as_deref(), t.company.as_deref()),
        company: t.company.as_deref().map(normalize_company),
        people: people.into_values().collect(),
        date: t.date.clone(),
        sketch: crate::transcript::same_call::sketch(t),
        attribution: (t.participants.iter())
            .map(|p| u32::from(p.firm.is_some()) + u32::from(p.role.is_some()))
            .sum(),
        words: (t.turns.iter())
            .flat_map(|turn| &turn.paragraphs)
            .map(|p| crate::transcript::text::word_count(p) as u64)
            .sum(),
    }
}

/// The company's people under its one name as their firm too: `AMD` and `Advanced
/// Micro Devices, Inc.` are both `Advanced Micro Devices` (after the company got its
/// canonical name).
fn own_firm_as_company(p: &mut Passage) {
    let (Some(company), Some(firm)) = (&p.company, &p.firm_norm) else {
        return;
    };
    let f = key(firm);
    let own = f == key(company)
        || p.ticker.as_deref().is_some_and(|t| key(t) == f)
        || (p.company_raw.as_deref()).is_some_and(|c| key(&normalize_company(c)) == f);
    if own {
        p.firm_norm = Some(company.clone());
    }
}

/// Titles that say something beyond the role class (`analyst` does not).
fn own_titles(titles: &[String]) -> Vec<String> {
    titles.iter().filter(|t| *t != "analyst").cloned().collect()
}

/// A user's merges and separations, from `people.txt` in the index folder: lines
/// `Canonical = Other Spelling = ...` merge, `Name != Name` keeps two apart.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserRules {
    pub merges: Vec<Vec<String>>,
    pub apart: BTreeSet<(String, String)>,
}

impl UserRules {
    /// Read a rules file (`people.txt`); an unreadable file or a bad line is an error
    /// naming the file.
    pub fn read(path: &std::path::Path) -> Result<UserRules, crate::error::Error> {
        let shown = crate::names::escaped(path);
        let text = std::fs::read_to_string(path).map_err(|e| {
            crate::error::Error::Input(format!("{shown}: {}", crate::error::io_reason(&e)))
        })?;
        UserRules::parse(&text).map_err(|e| crate::error::Error::Input(format!("{shown}: {e}")))
    }

    /// Parse the file's text; a line that is neither form is an error naming it.
    pub fn parse(text: &str) -> Result<UserRules, String> {
        let mut rules = UserRules::default();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some((a, b)) = line.split_once("!=") {
                let (a, b) = (key(a), key(b));
                if a.is_empty() || b.is_empty() {
                    return Err(format!("line {}: `{line}` needs two names", i + 1));
                }
                rules.apart.insert((a.clone().min(b.clone()), a.max(b)));
            } else if line.contains('=') {
                let names: Vec<String> = line.split('=').map(|n| n.trim().to_string()).collect();
                if names.len() < 2 || names.iter().any(|n| key(n).is_empty()) {
                    return Err(format!("line {}: `{line}` needs two names", i + 1));
                }
                rules.merges.push(names);
            } else {
                return Err(format!(
                    "line {}: `{line}` is neither `Name = Name` nor `Name != Name`",
                    i + 1
                ));
            }
        }
        Ok(rules)
    }

    fn kept_apart(&self, a: &str, b: &str) -> bool {
        let (a, b) = (a.to_string(), b.to_string());
        self.apart.contains(&(a.clone().min(b.clone()), a.max(b)))
    }
}

/// A person's canonical spelling and the titles known for them from any call.
#[derive(Debug, Clone, PartialEq)]
struct Person {
    name: String,
    titles: Vec<String>,
}

/// A set of spellings merged into one name, for `report`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Merge {
    /// The company group, or `analysts` for archive-wide analyst names.
    pub scope: String,
    pub name: String,
    pub spellings: Vec<String>,
}

/// The archive's canonical names, built from every call's [`CallPeople`].
#[derive(Debug, Default)]
pub struct Identities {
    /// (scope, name key) -> person; scope is the company group, or "" for analysts.
    people: HashMap<(String, String), Person>,
    /// company group -> canonical company name.
    companies: HashMap<String, String>,
    /// A company name's key -> the ticker group of the calls that give both, so a
    /// file that names the company without its ticker joins the same group.
    named: HashMap<String, String>,
    merges: Vec<Merge>,
    company_merges: Vec<Merge>,
}

/// How two spellings relate, from the strongest evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Match {
    /// A nickname, a short first name, or one character of damage: needs a shared
    /// firm for analysts, whose names are compared across the whole archive.
    Weak,
    /// The same first and last name; middle names or initials added, `Jr.` dropped.
    Strong,
}

/// A name's key split into first, middle and last words, with `Jr.`-like suffixes off.
fn parts(name: &str) -> Vec<String> {
    let k = key(name);
    let mut words: Vec<String> = k.split(' ').map(str::to_string).collect();
    while words.len() > 2
        && matches!(
            words.last().map(String::as_str),
            Some("jr" | "sr" | "ii" | "iii" | "iv" | "phd" | "md" | "cfa")
        )
    {
        words.pop();
    }
    words
}

/// Whether two spellings can be one person, and how strongly. Never on a shared
/// surname or a first initial alone: first names must be equal, a nickname or a
/// prefix of at least three letters, and middle names must not conflict.
fn relate(a: &[String], b: &[String]) -> Option<Match> {
    if a == b {
        return Some(Match::Strong);
    }
    if a.len() < 2 || b.len() < 2 {
        return None;
    }
    let (fa, fb, la, lb) = (&a[0], &b[0], &a[a.len() - 1], &b[b.len() - 1]);
    if fa.len() < 2 || fb.len() < 2 {
        return None;
    }
    let last_damaged = la != lb;
    if last_damaged && !(la.len() >= 6 && lb.len() >= 6 && edit_distance_at_most_one(la, lb)) {
        return None;
    }
    let first = if fa == fb {
        Match::Strong
    } else if nickname_or_prefix(fa, fb) {
        Match::Weak
    } else {
        return None;
    };
    if !middles_agree(&a[1..a.len() - 1], &b[1..b.len() - 1]) {
        return None;
    }
    Some(if last_damaged { Match::Weak } else { first })
}

fn nickname_or_prefix(a: &str, b: &str) -> bool {
    let prefix = |s: &str, l: &str| s.len() >= 3 && l.starts_with(s);
    prefix(a, b) || prefix(b, a) || crate::transcript::people::nickname_of(a, b)
}

/// Middle words agree when one side has none, or each of the shorter side's words is,
/// in order, a word or the initial of a word of the longer side.
fn middles_agree(a: &[String], b: &[String]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let mut rest = long.iter();
    short.iter().all(|s| {
        rest.any(|l| {
            l == s
                || (s.len() == 1 && l.starts_with(s.as_str()))
                || (l.len() == 1 && s.starts_with(l.as_str()))
        })
    })
}

/// One spelling within a scope, with what the calls say about it.
#[derive(Debug, Default)]
struct Spelling {
    name: String,
    parts: Vec<String>,
    passages: u64,
    firms: BTreeSet<String>,
    titles: BTreeMap<Vec<String>, u64>,
}

impl Identities {
    /// Cluster every scope's spellings and pick canonical names.
    pub fn build<'a>(calls: impl IntoIterator<Item = &'a CallPeople>, rules: &UserRules) -> Self {
        let calls: Vec<&CallPeople> = calls.into_iter().collect();
        let named = tickers_by_name(&calls);
        let mut scopes: BTreeMap<String, BTreeMap<String, Spelling>> = BTreeMap::new();
        let mut company_names: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
        for call in calls {
            let group = resolve(&named, call.group.clone()).unwrap_or_default();
            if let (Some(g), Some(c)) = (Some(&group).filter(|g| !g.is_empty()), &call.company) {
                *company_names
                    .entry(g.clone())
                    .or_default()
                    .entry(c.clone())
                    .or_insert(0) += 1;
            }
            for seen in &call.people {
                let scope = if seen.analyst {
                    String::new()
                } else {
                    group.clone()
                };
                let s = scopes
                    .entry(scope)
                    .or_default()
                    .entry(seen.name.clone())
                    .or_insert_with(|| Spelling {
                        name: seen.name.clone(),
                        parts: parts(&seen.name),
                        ..Spelling::default()
                    });
                s.passages += seen.passages;
                s.firms.extend(seen.firm.iter().map(|f| key(f)));
                if !seen.titles.is_empty() {
                    *s.titles.entry(seen.titles.clone()).or_insert(0) += seen.passages.max(1);
                }
            }
        }
        let mut out = Identities {
            named,
            ..Identities::default()
        };
        for (scope, spellings) in scopes {
            out.cluster_scope(&scope, spellings.into_values().collect(), rules);
        }
        for (group, names) in company_names {
            let mut names: Vec<(String, u64)> = names.into_iter().collect();
            names.sort_by(|a, b| {
                b.1.cmp(&a.1)
                    .then(b.0.len().cmp(&a.0.len()))
                    .then(a.0.cmp(&b.0))
            });
            if names.len() > 1 {
                out.company_merges.push(Merge {
                    scope: group.clone(),
                    name: names[0].0.clone(),
                    spellings: names.iter().map(|(n, _)| n.clone()).collect(),
                });
            }
            out.companies.insert(group, names[0].0.clone());
        }
        out.merges.sort();
        out
    }

    /// Greedy clustering, most frequent spelling first: a spelling joins the one
    /// cluster all of whose members it can be; with none or several, it starts its own.
    fn cluster_scope(&mut self, scope: &str, mut spellings: Vec<Spelling>, rules: &UserRules) {
        spellings.sort_by(|a, b| {
            (b.passages.cmp(&a.passages))
                .then(b.parts.len().cmp(&a.parts.len()))
                .then(b.name.len().cmp(&a.name.len()))
                .then(a.name.cmp(&b.name))
        });
        let analysts = scope.is_empty();
        let mut clusters: Vec<Vec<usize>> = Vec::new();
        let mut by_last: HashMap<String, Vec<usize>> = HashMap::new();
        // Surnames by their one-letter deletions, so the surnames one edit away are
        // looked up, not scanned: a scan made the archive-wide analyst pass quadratic.
        let mut near: HashMap<String, BTreeSet<String>> = HashMap::new();
        for (i, s) in spellings.iter().enumerate() {
            let last = s.parts.last().cloned().unwrap_or_default();
            let mut lasts: BTreeSet<&String> = BTreeSet::new();
            for variant in one_deletion_variants(&last) {
                lasts.extend(near.get(&variant).into_iter().flatten());
            }
            let candidates: BTreeSet<usize> = lasts
                .into_iter()
                .filter(|l| **l == last || (l.len() >= 6 && edit_distance_at_most_one(l, &last)))
                .filter_map(|l| by_last.get(l))
                .flatten()
                .copied()
                .collect();
            let fits: Vec<usize> = candidates
                .into_iter()
                .filter(|&c| {
                    // No member may conflict, and one must vouch: the same first and
                    // last name, or (for analysts) a weaker match at a shared firm.
                    let links: Option<Vec<bool>> = (clusters[c].iter())
                        .map(|&m| {
                            let other = &spellings[m];
                            if rules.kept_apart(&key(&s.name), &key(&other.name)) {
                                return None;
                            }
                            relate(&s.parts, &other.parts).map(|level| {
                                level == Match::Strong
                                    || !analysts
                                    || !s.firms.is_disjoint(&other.firms)
                            })
                        })
                        .collect();
                    links.is_some_and(|l| l.contains(&true))
                })
                .collect();
            let at = match fits.as_slice() {
                [one] => *one,
                _ => {
                    clusters.push(Vec::new());
                    for variant in one_deletion_variants(&last) {
                        near.entry(variant).or_default().insert(last.clone());
                    }
                    by_last.entry(last).or_default().push(clusters.len() - 1);
                    clusters.len() - 1
                }
            };
            clusters[at].push(i);
        }
        self.user_merges(scope, &spellings, &mut clusters, rules);
        for members in clusters.iter().filter(|m| !m.is_empty()) {
            self.name_cluster(scope, &spellings, members);
        }
    }

    /// A user's `A = B` lines join the clusters holding any of the names; the line's
    /// first name becomes the canonical one.
    fn user_merges(
        &mut self,
        _scope: &str,
        spellings: &[Spelling],
        clusters: &mut [Vec<usize>],
        rules: &UserRules,
    ) {
        for line in &rules.merges {
            let keys: BTreeSet<String> = line.iter().map(|n| key(n)).collect();
            let hit: Vec<usize> = (0..clusters.len())
                .filter(|&c| {
                    clusters[c]
                        .iter()
                        .any(|&m| keys.contains(&key(&spellings[m].name)))
                })
                .collect();
            let Some((&into, rest)) = hit.split_first() else {
                continue;
            };
            for &c in rest {
                let moved = std::mem::take(&mut clusters[c]);
                clusters[into].extend(moved);
            }
            // The user's spelling leads when the archive holds it.
            let lead = key(&line[0]);
            if let Some(pos) = clusters[into]
                .iter()
                .position(|&m| key(&spellings[m].name) == lead)
            {
                let m = clusters[into].remove(pos);
                clusters[into].insert(0, m);
            }
        }
    }

    fn name_cluster(&mut self, scope: &str, spellings: &[Spelling], members: &[usize]) {
        let lead = &spellings[members[0]];
        let mut titles: BTreeMap<&Vec<String>, u64> = BTreeMap::new();
        for &m in members {
            for (t, n) in &spellings[m].titles {
                *titles.entry(t).or_insert(0) += n;
            }
        }
        let titles = (titles.into_iter())
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
            .map(|(t, _)| t.clone())
            .unwrap_or_default();
        let person = Person {
            name: lead.name.clone(),
            titles,
        };
        for &m in members {
            let k = (scope.to_string(), key(&spellings[m].name));
            self.people.insert(k, person.clone());
        }
        if members.len() > 1 {
            let mut names: Vec<String> =
                members.iter().map(|&m| spellings[m].name.clone()).collect();
            names.sort();
            self.merges.push(Merge {
                scope: if scope.is_empty() {
                    "analysts".to_string()
                } else {
                    scope.to_string()
                },
                name: lead.name.clone(),
                spellings: names,
            });
        }
    }

    fn person(&self, scope: &str, name: &str, analyst: bool) -> Option<&Person> {
        let scope = if analyst { "" } else { scope };
        self.people.get(&(scope.to_string(), key(name)))
    }

    /// The canonical name of a company group, when any call names it.
    pub fn company(&self, group: &str) -> Option<&str> {
        self.companies.get(group).map(String::as_str)
    }

    /// Give a call's passages their canonical speaker, asker, answerers, company and
    /// known titles; the names as listed stay in `speaker_raw` and `company_raw`.
    pub fn apply(&self, passages: &mut [Passage]) {
        for p in passages {
            let own = company_group(p.ticker.as_deref(), p.company_raw.as_deref());
            let group = resolve(&self.named, own.clone()).unwrap_or_default();
            // Named without a ticker, but its name has one: `--company irm` finds it too.
            if p.ticker.is_none() && own.as_deref() != Some(group.as_str()) {
                p.ticker = Some(group.clone());
            }
            if let Some(c) = self.company(&group) {
                p.company = Some(c.to_string());
            } else if let Some(raw) = &p.company_raw {
                p.company = Some(normalize_company(raw));
            }
            let analyst = p.role_class == RoleClass::Analyst;
            if !analyst {
                own_firm_as_company(p);
            }
            if let Some(person) = self.person(&group, &p.speaker_raw, analyst) {
                p.speaker.clone_from(&person.name);
                if own_titles(&p.titles).is_empty() && !person.titles.is_empty() {
                    let had_analyst = p.titles.iter().any(|t| t == "analyst");
                    p.titles.clone_from(&person.titles);
                    if had_analyst {
                        p.titles.push("analyst".to_string());
                    }
                }
            }
            if let Some(q) = &mut p.question
                && let Some(person) = self.person(&group, &q.speaker, true)
            {
                q.speaker.clone_from(&person.name);
            }
            for who in &mut p.answered_by {
                if let Some(person) = self.person(&group, who, false) {
                    who.clone_from(&person.name);
                }
            }
        }
    }

    /// A fingerprint of what [`apply`](Self::apply) gives one call: when it changes,
    /// the call's passages are written again.
    pub fn fingerprint(&self, call: &CallPeople) -> String {
        let group = resolve(&self.named, call.group.clone()).unwrap_or_default();
        let mut h = blake3::Hasher::new();
        h.update(self.company(&group).unwrap_or("-").as_bytes());
        for seen in &call.people {
            if let Some(p) = self.person(&group, &seen.name, seen.analyst) {
                h.update(seen.name.as_bytes());
                h.update(b"\x00");
                h.update(p.name.as_bytes());
                h.update(p.titles.join(",").as_bytes());
                h.update(b"\x01");
            }
        }
        h.finalize().to_hex()[..16].to_string()
    }

    /// Spellings merged into one person's name, by scope then name.
    pub fn merges(&self) -> &[Merge] {
        &self.merges
    }

    /// Company names merged into one, by group.
    pub fn company_merges(&self) -> &[Merge] {
        &self.company_merges
    }
}

/// `word` and every spelling of it with one letter left out: two words within one edit
/// share one of these.
fn one_deletion_variants(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    let mut out = vec![word.to_string()];
    for skip in 0..chars.len() {
        let variant: String = (chars.iter().enumerate())
            .filter(|(i, _)| *i != skip)
            .map(|(_, c)| c)
            .collect();
        out.push(variant);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(name: &str, analyst: bool, firm: &str, titles: &[&str], passages: u64) -> Seen {
        Seen {
            name: name.to_string(),
            analyst,
            firm: Some(firm.to_string()).filter(|f| !f.is_empty()),
            titles: titles.iter().map(|t| t.to_string()).collect(),
            passages,
        }
    }

    fn call(ticker: &str, company: &str, people: Vec<Seen>) -> CallPeople {
        CallPeople {
            group: company_group(Some(ticker).filter(|t| !t.is_empty()), Some(company)),
            company: Some(normalize_company(company)).filter(|c| !c.is_empty()),
            people,
            ..CallPeople::default()
        }
    }

    fn name(ids: &Identities, group: &str, who: &str, analyst: bool) -> String {
        ids.person(group, who, analyst)
            .map(|p| p.name.clone())
            .unwrap_or_default()
    }

    /// Spellings of the shared corpus (AMD, MSFT streetevents-text and Motley Fool).
    #[test]
    fn one_person_many_spellings_become_the_most_frequent() {
        let calls = [
            call(
                "AMD",
                "Advanced Micro Devices Inc",
                vec![
                    seen("Lisa Su", false, "AMD", &["ceo", "president"], 1762),
                    seen("Stacy Rasgon", true, "Bernstein", &[], 112),
                    seen("David Wong", true, "Wells Fargo", &[], 79),
                ],
            ),
            call(
                "AMD",
                "Advanced Micro Devices, Inc.",
                vec![
                    seen("Lisa T. Su", false, "AMD", &[], 742),
                    seen("Stacy Aaron Rasgon", true, "Bernstein", &[], 93),
                    seen("David M. Wong", true, "Wells Fargo", &[], 20),
                    seen("David Michael Wong", true, "Wells Fargo", &[], 10),
                ],
            ),
            call(
                "MSFT",
                "Microsoft Corporation",
                vec![
                    seen("Amy Hood", false, "Microsoft", &["cfo"], 500),
                    seen("Amy E. Hood", false, "Microsoft", &["cfo"], 100),
                    seen("Mark Lipacis", true, "Jefferies", &[], 10),
                    seen("Mark John Lipacis", true, "Jefferies", &[], 30),
                    seen("Vincent J. Delie, Jr.", false, "", &[], 5),
                    seen("Vincent Delie", false, "", &[], 9),
                ],
            ),
        ];
        let ids = Identities::build(&calls, &UserRules::default());
        assert_eq!(name(&ids, "AMD", "Lisa T. Su", false), "Lisa Su");
        assert_eq!(
            name(&ids, "AMD", "Stacy Aaron Rasgon", true),
            "Stacy Rasgon"
        );
        assert_eq!(name(&ids, "AMD", "David Michael Wong", true), "David Wong");
        assert_eq!(name(&ids, "MSFT", "Amy E. Hood", false), "Amy Hood");
        assert_eq!(
            name(&ids, "MSFT", "Mark Lipacis", true),
            "Mark John Lipacis"
        );
        assert_eq!(
            name(&ids, "MSFT", "Vincent J. Delie, Jr.", false),
            "Vincent Delie"
        );
        // Titles known from one call fill a call whose list lacks them.
        let lisa = ids.person("AMD", "Lisa T. Su", false).unwrap();
        assert_eq!(lisa.titles, ["ceo", "president"]);
        assert!(
            ids.merges()
                .iter()
                .any(|m| m.name == "Lisa Su" && m.spellings.len() == 2)
        );
    }

    #[test]
    fn a_shared_surname_or_initial_alone_never_merges() {
        let calls = [call(
            "XYZ",
            "Xyz Corp",
            vec![
                seen("Michael Kim", false, "", &[], 10),
                seen("Michael Ashby", false, "", &[], 10),
                seen("John Smith", false, "", &[], 10),
                seen("Jane Smith", false, "", &[], 9),
                seen("J. Smith", false, "", &[], 8),
                seen("Smith", false, "", &[], 7),
                seen("David M. Wong", false, "", &[], 6),
                seen("David K. Wong", false, "", &[], 5),
            ],
        )];
        let ids = Identities::build(&calls, &UserRules::default());
        for who in [
            "Michael Ashby",
            "Jane Smith",
            "J. Smith",
            "Smith",
            "David K. Wong",
        ] {
            assert_eq!(name(&ids, "XYZ", who, false), who, "{who} kept apart");
        }
        assert!(ids.merges().is_empty(), "{:?}", ids.merges());
    }

    #[test]
    fn analysts_merge_across_the_archive_and_nicknames_need_a_shared_firm() {
        let calls = [
            call("AAA", "Aaa", vec![seen("Mike Lee", true, "UBS", &[], 10)]),
            call(
                "BBB",
                "Bbb",
                vec![seen("Michael Lee", true, "Nomura", &[], 20)],
            ),
            call(
                "CCC",
                "Ccc",
                vec![seen("Jeff Campbell", true, "Goldman Sachs", &[], 3)],
            ),
            call(
                "DDD",
                "Ddd",
                vec![seen("Jeffrey Campbell", true, "Goldman Sachs", &[], 5)],
            ),
            call(
                "EEE",
                "Eee",
                vec![seen("Sanjiv Wadhwani", true, "Stifel", &[], 5)],
            ),
            call(
                "FFF",
                "Fff",
                vec![seen("Sanjiv Wadhwan", true, "Stifel", &[], 1)],
            ),
        ];
        let ids = Identities::build(&calls, &UserRules::default());
        assert_eq!(name(&ids, "AAA", "Mike Lee", true), "Mike Lee");
        assert_eq!(name(&ids, "ZZZ", "Jeff Campbell", true), "Jeffrey Campbell");
        assert_eq!(name(&ids, "FFF", "Sanjiv Wadhwan", true), "Sanjiv Wadhwani");
    }

    /// Motley Fool FDX, UPS and WNC calls: one analyst as `Jeff Kauffman` and `Jeffrey
    /// Kauffman` at Vertical Research, `Jeffrey Asher Kauffman` at Aegis Capital.
    #[test]
    fn a_full_name_joins_a_cluster_a_nickname_is_already_in() {
        let calls = [
            call(
                "WNC",
                "Wabash",
                vec![seen(
                    "Jeffrey Kauffman",
                    true,
                    "Vertical Research Partners",
                    &[],
                    6,
                )],
            ),
            call(
                "UPS",
                "UPS",
                vec![seen(
                    "Jeff Kauffman",
                    true,
                    "Vertical Research Partners",
                    &[],
                    4,
                )],
            ),
            call(
                "WNC",
                "Wabash",
                vec![seen(
                    "Jeffrey Asher Kauffman",
                    true,
                    "Aegis Capital",
                    &[],
                    4,
                )],
            ),
        ];
        let ids = Identities::build(&calls, &UserRules::default());
        for who in ["Jeff Kauffman", "Jeffrey Asher Kauffman"] {
            assert_eq!(name(&ids, "X", who, true), "Jeffrey Kauffman", "{who}");
        }
    }

    #[test]
    fn user_rules_add_and_undo_merges() {
        let rules =
            UserRules::parse("# mine\nMike Lee = Michael Lee\nLisa Su != Lisa T. Su\n").unwrap();
        let calls = [
            call(
                "AAA",
                "Aaa",
                vec![
                    seen("Mike Lee", true, "UBS", &[], 10),
                    seen("Lisa Su", false, "", &[], 10),
                    seen("Lisa T. Su", false, "", &[], 5),
                ],
            ),
            call(
                "BBB",
                "Bbb",
                vec![seen("Michael Lee", true, "Nomura", &[], 20)],
            ),
        ];
        let ids = Identities::build(&calls, &rules);
        assert_eq!(name(&ids, "BBB", "Michael Lee", true), "Mike Lee");
        assert_eq!(name(&ids, "AAA", "Lisa T. Su", false), "Lisa T. Su");
        let bad = UserRules::parse("Mike Lee\n").unwrap_err();
        assert!(bad.starts_with("line 1:"), "{bad}");
    }

    #[test]
    fn one_name_per_company_and_share_classes_together() {
        assert_eq!(normalize_company("The Home Depot, Inc."), "Home Depot");
        assert_eq!(normalize_company("ASML Holding N.V."), "ASML");
        assert_eq!(normalize_company("Alphabet Inc. Cl C"), "Alphabet");
        assert_eq!(
            company_group(Some("GOOG"), None),
            company_group(Some("googl"), None)
        );
        let calls = [
            call("GOOG", "Alphabet Inc. Cl C", vec![]),
            call("GOOGL", "Alphabet Inc.", vec![]),
            call("GOOGL", "Alphabet", vec![]),
        ];
        let ids = Identities::build(&calls, &UserRules::default());
        assert_eq!(ids.company("GOOGL"), Some("Alphabet"));
    }

    /// Iron Mountain's CFO in the shared corpus: `Barry Hytinen` in the Motley Fool calls
    /// (ticker from the file name, company from the operator's welcome), `Barry A.
    /// Hytinen` in a file that names the company but gives no ticker.
    #[test]
    fn a_file_without_a_ticker_joins_the_company_its_name_belongs_to() {
        let cfo = |name: &str, n| seen(name, false, "Iron Mountain", &["cfo"], n);
        let calls = [
            call("IRM", "Iron Mountain", vec![cfo("Barry Hytinen", 60)]),
            call("IRM", "Iron Mountain", vec![cfo("Barry Hytinen", 35)]),
            call("", "Iron Mountain Inc", vec![cfo("Barry A. Hytinen", 36)]),
        ];
        let ids = Identities::build(&calls, &UserRules::default());
        assert_eq!(
            name(&ids, "IRM", "Barry A. Hytinen", false),
            "Barry Hytinen"
        );
        // The passages of the file without a ticker find the same group.
        let group = company_group(None, Some("Iron Mountain Inc"));
        assert_eq!(resolve(&ids.named, group).as_deref(), Some("IRM"));
        assert_eq!(ids.company("IRM"), Some("Iron Mountain"));
    }
}
