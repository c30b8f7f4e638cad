//! Roles: each turn gets its listed identity, a role class and normalised titles.

use crate::transcript::firms::{firm_key, normalize_firm};
use crate::transcript::model::{Participant, RoleClass, Side, Transcript, Turn};
use crate::transcript::people::{find_participant, is_operator, is_unidentified, key};

/// Give every turn the listed participant's name, firm and role, and fill in
/// role class, titles and normalised firm.
pub fn resolve(t: &mut Transcript) {
    let mut corporate_firms: Vec<String> = t
        .participants
        .iter()
        .filter(|p| p.side == Side::Corporate)
        .filter_map(|p| p.firm.as_deref().map(firm_key))
        .collect();
    // The company itself, by name and ticker: its people are corporate whichever list
    // the vendor put them in.
    corporate_firms.extend(t.company.as_deref().map(firm_key));
    corporate_firms.extend(t.ticker.as_deref().map(key));
    corporate_firms.retain(|f| !f.is_empty());
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
    // A list that gives a title where the firm belongs (`Chief Financial Officer`).
    let bare_role = turn.role.as_deref().is_none_or(|r| key(r) == "analyst");
    if bare_role && turn.firm.as_deref().is_some_and(is_corporate_title) {
        turn.role = turn.firm.take();
    }
    turn.role_class = role_class(turn, side, corporate_firms);
    turn.titles = titles(turn.role.as_deref().unwrap_or(""));
    if turn.role_class == RoleClass::Analyst && !turn.titles.iter().any(|t| t == "analyst") {
        turn.titles.push("analyst".to_string());
    }
    turn.firm_norm = turn.firm.as_deref().map(normalize_firm);
}

fn role_class(turn: &Turn, side: Option<Side>, corporate_firms: &[String]) -> RoleClass {
    let own_firm = turn
        .firm
        .as_deref()
        .is_some_and(|f| is_own_firm(f, corporate_firms));
    let corporate_role = turn.role.as_deref().is_some_and(is_corporate_title);
    // Evidence beats the list: the company's own people, and investor relations
    // (`Senior Director IR & Analyst Relations`), are corporate.
    if own_firm || (corporate_role && (turn.firm.is_none() || side != Some(Side::Analyst))) {
        return RoleClass::Executive;
    }
    match side {
        Some(Side::Corporate) => return RoleClass::Executive,
        Some(Side::Analyst) => return RoleClass::Analyst,
        None => {}
    }
    let speaker = key(&turn.speaker);
    let role = key(turn.role.as_deref().unwrap_or(""));
    if speaker.contains("analyst") || titles(&role).iter().any(|t| t == "analyst") {
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

/// A firm of the call's own company: the company's name or ticker, or a corporate
/// participant's firm; also when one is the other with words added (`Apple` /
/// `Apple Computer`).
fn is_own_firm(firm: &str, corporate_firms: &[String]) -> bool {
    let k = firm_key(firm);
    let starts = |long: &str, short: &str| {
        short.len() >= 4 && long.strip_prefix(short).is_some_and(|r| r.starts_with(' '))
    };
    !k.is_empty()
        && corporate_firms
            .iter()
            .any(|c| *c == k || starts(&k, c) || starts(c, &k))
}

/// A role only the company's side holds: chief officers, the chair, investor relations.
fn is_corporate_title(role: &str) -> bool {
    titles(role)
        .iter()
        .any(|t| matches!(t.as_str(), "ceo" | "cfo" | "coo" | "cto" | "chair" | "ir"))
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
        // `Analyst Relations` is investor relations' other name, not an analyst.
        (
            "analyst",
            r.replace(" analyst relations ", " ").contains("analyst"),
        ),
    ];
    checks
        .iter()
        .filter(|(_, yes)| *yes)
        .map(|(t, _)| t.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_from_roles() {
        assert_eq!(titles("President and CEO"), ["ceo", "president"]);
        assert_eq!(titles("Executive VP and Chief Financial Officer"), ["cfo"]);
        assert_eq!(titles("Senior Vice President, Investor Relations"), ["ir"]);
        assert_eq!(titles("Chairman of the Board"), ["chair"]);
        assert_eq!(titles("Senior Director IR"), ["ir"]);
        assert_eq!(titles("Senior Director IR & Analyst Relations"), ["ir"]);
        assert_eq!(titles("Analyst"), ["analyst"]);
    }

    fn call(company: &str, ticker: &str, listed: &[(&str, &str, &str, Side)]) -> Transcript {
        let mut t = Transcript::new("test");
        t.company = Some(company.to_string());
        t.ticker = Some(ticker.to_string());
        for (name, firm, role, side) in listed {
            t.participants.push(Participant {
                name: name.to_string(),
                firm: Some(firm.to_string()).filter(|f| !f.is_empty()),
                role: Some(role.to_string()).filter(|r| !r.is_empty()),
                side: *side,
            });
            t.turns.push(Turn::new(name, None, None));
        }
        resolve(&mut t);
        t
    }

    /// Real lines of the shared corpus: AMD's CEO and CFO listed among the conference
    /// call participants (streetevents-text AMD 2012-01-24), Cisco's IR head titled
    /// `Senior Director IR & Analyst Relations` (CSCO 2014-02-12), FTI's CFO listed as
    /// `Ajay Sabherwal--Chief Financial Officer -- Analyst` (motley-fool-json FCN).
    #[test]
    fn the_company_s_own_people_are_corporate_whatever_list() {
        let amd = call(
            "Advanced Micro Devices Inc",
            "AMD",
            &[
                ("Vivek Arya", "BofA Merrill Lynch", "Analyst", Side::Analyst),
                (
                    "Rory Read",
                    "Advanced Micro Devices, Inc.",
                    "President and CEO",
                    Side::Analyst,
                ),
                (
                    "Thomas Seifert",
                    "Advanced Micro Devices, Inc.",
                    "SVP and CFO",
                    Side::Analyst,
                ),
            ],
        );
        let classes: Vec<RoleClass> = amd.turns.iter().map(|x| x.role_class).collect();
        use RoleClass::*;
        assert_eq!(classes, [Analyst, Executive, Executive]);
        assert_eq!(amd.turns[1].titles, ["ceo", "president"]);
        assert_eq!(amd.turns[0].firm_norm.as_deref(), Some("BofA"));
        let csco = call(
            "Cisco Systems",
            "CSCO",
            &[(
                "Melissa Selcher",
                "Cisco Systems, Inc.",
                "Senior Director IR & Analyst Relations",
                Side::Corporate,
            )],
        );
        assert_eq!(csco.turns[0].role_class, Executive);
        assert_eq!(csco.turns[0].titles, ["ir"]);
        let fti = call(
            "FTI Consulting",
            "FCN",
            &[(
                "Ajay Sabherwal",
                "Chief Financial Officer",
                "Analyst",
                Side::Analyst,
            )],
        );
        assert_eq!(fti.turns[0].role_class, Executive);
        assert_eq!(fti.turns[0].titles, ["cfo"]);
        assert_eq!(fti.turns[0].firm, None);
    }
}
