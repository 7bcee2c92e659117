//! An action point in IPL action syntax, the form `ipcheck` reads on the
//! command line and in scenarios:
//! `catl license sulfide_electrolyte to acme field ev territory eu on 2026-06-01 exclusive`.
//! Unknown attributes are left out.

use crate::names::{Action, Model, PartyRef};

/// The action in action syntax; `parse_action` and `resolve_action` read
/// it back to the same action.
pub fn action_syntax(model: &Model, action: &Action) -> String {
    let mut parts: Vec<String> = Vec::new();
    let party = |p: &PartyRef| model.party_name(p).to_string();
    parts.push(
        model
            .parties
            .get(action.actor.index())
            .map_or_else(|| "?".to_string(), |p| p.name.clone()),
    );
    parts.push(model.verbs.name(action.verb).to_string());
    parts.push(
        model
            .assets
            .get(action.asset.index())
            .map_or_else(|| "?".to_string(), |a| a.name.clone()),
    );
    if let Some(to) = &action.to {
        parts.push(format!("to {}", party(to)));
    }
    if let Some(f) = action.field {
        parts.push(format!("field {}", model.fields.name(f)));
    }
    if let Some(t) = action.territory {
        parts.push(format!("territory {}", model.territories.name(t)));
    }
    parts.push(format!("on {}", action.date));
    if let Some(u) = action.until {
        parts.push(format!("until {u}"));
    }
    match action.exclusive {
        Some(true) => parts.push("exclusive".into()),
        Some(false) => parts.push("non_exclusive".into()),
        None => {}
    }
    match action.sublicensable {
        Some(true) => parts.push("sublicensable".into()),
        Some(false) => parts.push("non_sublicensable".into()),
        None => {}
    }
    if let Some(r) = action.royalty {
        parts.push(format!("royalty {}", crate::syntax::ast::percent_text(r)));
    }
    if !action.notice.is_empty() {
        let given: Vec<String> = action
            .notice
            .iter()
            .map(|(p, d)| format!("{} {}", party(p), d))
            .collect();
        parts.push(format!("notice {}", given.join(", ")));
    }
    let set = |keyword: &str, set: &Option<Vec<PartyRef>>| {
        set.as_ref().map(|ps| {
            if ps.is_empty() {
                format!("{keyword} none")
            } else {
                let names: Vec<String> = ps.iter().map(party).collect();
                format!("{keyword} {}", names.join(", "))
            }
        })
    };
    parts.extend(set("consent", &action.consents));
    parts.extend(set("objection", &action.objections));
    parts.join(" ")
}
