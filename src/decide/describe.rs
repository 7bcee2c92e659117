//! Words for compiled conditions, scopes and duties, used in explanations
//! (residual conditions, near misses).

use crate::names::{ClauseInfo, Cond, Model, PartySelector, PartySet};
use crate::syntax::ast::percent_text;

use super::eval::Part;

pub fn party_set(model: &Model, set: &PartySet) -> String {
    let list = |items: &[PartySelector]| {
        items
            .iter()
            .map(|s| selector(model, s))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if set.except.is_empty() {
        list(&set.include)
    } else {
        format!("{} except {}", list(&set.include), list(&set.except))
    }
}

fn selector(model: &Model, s: &PartySelector) -> String {
    match s {
        PartySelector::Party(p) => model.party(*p).name.clone(),
        PartySelector::Group(g) => model.groups[g.index()].name.clone(),
        PartySelector::Anyone => "anyone".into(),
        PartySelector::Signatories => "parties".into(),
        PartySelector::ThirdParties => "third_parties".into(),
        PartySelector::Owners => "owners".into(),
        PartySelector::CoOwners => "co_owners".into(),
        PartySelector::FormerParties => "former_parties".into(),
        PartySelector::DefaultingParties => "defaulting_parties".into(),
        PartySelector::AffiliatesOf(inner) => format!("affiliates of {}", selector(model, inner)),
    }
}

/// What a condition line requires, in IPL syntax: "`exclusive` holds",
/// or for an `unless` line "`objection of parties` does not hold"; a
/// fact's description is quoted.
pub fn condition(model: &Model, cond: &Cond) -> String {
    let (inner, verb) = match cond {
        Cond::Not(inner) => (&**inner, "does not hold"),
        other => (other, "holds"),
    };
    let mut text = format!("`{}` {verb}", expr(model, inner, 0));
    let mut facts = Vec::new();
    facts_of(inner, &mut facts);
    facts.sort_unstable();
    facts.dedup();
    for f in facts {
        if let Some(info) = model.facts.get(f.index()) {
            text.push_str(&format!(" (`{}`: {})", info.name, info.description));
        }
    }
    text
}

fn facts_of(cond: &Cond, out: &mut Vec<crate::names::FactId>) {
    match cond {
        Cond::And(parts) | Cond::Or(parts) => parts.iter().for_each(|p| facts_of(p, out)),
        Cond::Not(inner) => facts_of(inner, out),
        Cond::Fact(f) => out.push(*f),
        _ => {}
    }
}

/// A point in time as written: `request + 90 days`, `created`.
pub fn time(model: &Model, t: &crate::names::TimeExpr) -> String {
    use crate::names::Anchor;
    let mut text = match t.anchor {
        Anchor::Date(d) => d.to_string(),
        Anchor::Created => "created".to_string(),
        Anchor::Event(e) => model
            .events
            .get(e.index())
            .map_or_else(String::new, |e| e.name.clone()),
        Anchor::ActionDate => "the action's date".to_string(),
        Anchor::ActionUntil => "until".to_string(),
    };
    for (minus, d) in &t.offsets {
        text.push_str(&format!(" {} {d}", if *minus { "-" } else { "+" }));
    }
    text
}

/// `precedence`: 0 top, 1 inside `or`, 2 inside `and`, 3 inside `not`.
fn expr(model: &Model, cond: &Cond, precedence: u8) -> String {
    let wrap = |text: String, own: u8| {
        if own < precedence {
            format!("({text})")
        } else {
            text
        }
    };
    match cond {
        Cond::Or(parts) => wrap(
            parts
                .iter()
                .map(|p| expr(model, p, 1))
                .collect::<Vec<_>>()
                .join(" or "),
            1,
        ),
        Cond::And(parts) => wrap(
            parts
                .iter()
                .map(|p| expr(model, p, 2))
                .collect::<Vec<_>>()
                .join(" and "),
            2,
        ),
        Cond::Not(inner) => format!("not {}", expr(model, inner, 3)),
        Cond::Bool(b) => b.to_string(),
        Cond::Exclusive => "exclusive".into(),
        Cond::Sublicensable => "sublicensable".into(),
        Cond::Royalty(cmp, pct) => format!("royalty {} {}", cmp.as_str(), percent_text(*pct)),
        Cond::Until(cmp, date) => format!("until {} {date}", cmp.as_str()),
        Cond::FieldIn(n) => format!("field in {}", model.fields.name(*n)),
        Cond::TerritoryIn(n) => format!("territory in {}", model.territories.name(*n)),
        Cond::ToIn(set) => format!("to in {}", party_set(model, set)),
        Cond::ConsentOf { any, parties } => {
            format!(
                "consent of {}{}",
                if *any { "any " } else { "" },
                party_set(model, parties)
            )
        }
        Cond::ObjectionOf {
            parties,
            after_notice,
            before,
        } => {
            let mut text = format!("objection of {}", party_set(model, parties));
            if let Some(d) = after_notice {
                text.push_str(&format!(" within {d} after notice"));
            }
            if let Some(d) = before {
                text.push_str(&format!(" within {d} before"));
            }
            text
        }
        Cond::Fact(f) => model
            .facts
            .get(f.index())
            .map_or_else(String::new, |f| f.name.clone()),
        Cond::TimeCmp(l, cmp, r) => {
            format!("{} {} {}", time(model, l), cmp.as_str(), time(model, r))
        }
        Cond::NoticeTo(set, cmp, d) => {
            format!("notice to {} {} {}", party_set(model, set), cmp.as_str(), d)
        }
    }
}

/// One scope line or condition of a clause, in IPL syntax.
pub fn line(model: &Model, clause: &ClauseInfo, part: Part, index: usize) -> String {
    let names = |tree: &crate::names::Hierarchy, nodes: &[crate::names::NodeId]| {
        nodes
            .iter()
            .map(|n| tree.name(*n).to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match part {
        Part::Verb => match &clause.verbs {
            Some(v) => format!("verb {}", names(&model.verbs, v)),
            None => "any verb".into(),
        },
        Part::Asset => "asset selector".into(),
        Part::By => clause.by.get(index).map_or_else(String::new, |l| {
            format!("by {}", party_set(model, &l.value))
        }),
        Part::To => clause.to.get(index).map_or_else(String::new, |l| {
            format!("to {}", party_set(model, &l.value))
        }),
        Part::Field => clause.field.get(index).map_or_else(String::new, |l| {
            format!("field {}", names(&model.fields, &l.value))
        }),
        Part::Territory => clause.territory.get(index).map_or_else(String::new, |l| {
            format!("territory {}", names(&model.territories, &l.value))
        }),
        Part::Time => match clause.windows.get(index) {
            Some(l) => match (l.value.from, l.value.until) {
                (Some(f), Some(u)) => format!("from {f} until {u}"),
                (Some(f), None) => format!("from {f}"),
                (None, Some(u)) => format!("until {u}"),
                (None, None) => "any time".into(),
            },
            None => clause
                .moving_windows
                .get(index - clause.windows.len())
                .map_or_else(String::new, |l| match &l.value {
                    Cond::TimeCmp(_, cmp, t) => format!(
                        "{} {}",
                        if *cmp == crate::terms::Cmp::Ge {
                            "from"
                        } else {
                            "until"
                        },
                        time(model, t)
                    ),
                    other => condition(model, other),
                }),
        },
        Part::Condition => clause
            .conditions
            .get(index)
            .map_or_else(String::new, |l| condition(model, &l.value)),
    }
}
