//! Roles: each turn gets its listed identity, a role class and normalised titles.

use crate::transcript::firms::{firm_key, normalize_firm};
use crate::transcript::model::{Participant, RoleClass, Side, Transcript, Turn};
use crate::transcript::people::{find_participant, is_operator, is_unidentified, key};

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
    }
}
