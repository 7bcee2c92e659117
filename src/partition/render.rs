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
            .map(|(p, d)| match crate::dates::days_between(*d, action.date) {
                // Days before the action read best; a later day is a date.
                days if days >= 0 && *d != jiff::civil::Date::MIN => {
                    let unit = if days == 1 { "day" } else { "days" };
                    format!("{} {days} {unit}", party(p))
                }
                _ => format!("{} on {d}", party(p)),
            })
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
    parts.extend(
        set("consent", &action.consents)
            .map(|text| pending(text, &action.consents_pending, &party)),
    );
    if let Some(objections) = &action.objections {
        let text = if objections.is_empty() {
            "objection none".to_string()
        } else {
            let items: Vec<String> = objections
                .iter()
                .map(|(p, day)| match day {
                    Some(d) => format!("{} on {d}", party(p)),
                    None => party(p),
                })
                .collect();
            format!("objection {}", items.join(", "))
        };
        parts.push(pending(text, &action.objections_pending, &party));
    }
    if !action.facts.is_empty() {
        let facts: Vec<String> = action
            .facts
            .iter()
            .map(|(f, v)| {
                let name = model.facts.get(f.index()).map_or("?", |f| f.name.as_str());
                if *v {
                    name.to_string()
                } else {
                    format!("not {name}")
                }
            })
            .collect();
        parts.push(format!("given {}", facts.join(", ")));
    }
    for (e, d) in &action.events {
        let name = model.events.get(e.index()).map_or("?", |e| e.name.as_str());
        parts.push(format!("{name} on {d}"));
    }
    if let Some(income) = &action.income {
        parts.push(format!("income {income}"));
    }
    parts.join(" ")
}

fn pending(text: String, pending: &[PartyRef], party: &dyn Fn(&PartyRef) -> String) -> String {
    if pending.is_empty() {
        text
    } else {
        let names: Vec<String> = pending.iter().map(party).collect();
        format!("{text} pending {}", names.join(", "))
    }
}
