//! Exclusive grants: a licence overlapping another licensee's exclusive
//! grant in field, territory and period is denied; one that may overlap is
//! at best conditional.

use super::eval::Ctx;
use super::index::Index;
use super::logic::Tri;
use crate::names::{GrantId, GrantInfo, Hierarchy, NodeId};

/// What the exclusive grants say about an action.
#[derive(Debug, Default)]
pub struct GrantCheck {
    /// The first grant (source order) the action certainly conflicts with.
    pub definite: Option<GrantId>,
    /// Conditions under which the action stays clear of grants it may
    /// conflict with.
    pub possible: Vec<String>,
}

pub fn check(ctx: &Ctx, index: &Index) -> GrantCheck {
    let mut result = GrantCheck::default();
    let model = ctx.model;
    let action = ctx.action;
    let grants_licences = ["license", "sublicense"]
        .iter()
        .filter_map(|v| model.verbs.get(v))
        .any(|v| model.verbs.covers(v, action.verb));
    if !grants_licences {
        return result;
    }
    for &g in index.exclusive_grants(action.asset.index()) {
        let grant = &model.grants[g.index()];
        if grant.licensee == Some(action.actor) {
            continue;
        }
        let field = dimension(&model.fields, &grant.field, action.field);
        let territory = dimension(&model.territories, &grant.territory, action.territory);
        let period = Tri::from(overlaps_period(grant, action.date, action.until));
        match field.and(territory).and(period) {
            Tri::True => {
                result.definite.get_or_insert(g);
            }
            Tri::Unknown => {
                let mut outside = Vec::new();
                if field == Tri::Unknown {
                    outside.push(format!("field {}", names(&model.fields, &grant.field)));
                }
                if territory == Tri::Unknown {
                    outside.push(format!(
                        "territory {}",
                        names(&model.territories, &grant.territory)
                    ));
                }
                result.possible.push(format!(
                    "the licence stays outside exclusive grant {}'s {}",
                    grant.label,
                    outside.join(" and ")
                ));
            }
            Tri::False => {}
        }
    }
    result
}

/// A grant with no field (territory) line covers every field; an action
/// that does not state one may overlap.
fn dimension(tree: &Hierarchy, granted: &[NodeId], actual: Option<NodeId>) -> Tri {
    if granted.is_empty() {
        return Tri::True;
    }
    match actual {
        None => Tri::Unknown,
        Some(node) => granted.iter().any(|&g| tree.overlaps(g, node)).into(),
    }
}

/// `[date, until]` against the grant's `[from, until]`, inclusive; a
/// missing `until` runs open-ended.
fn overlaps_period(
    grant: &GrantInfo,
    date: jiff::civil::Date,
    until: Option<jiff::civil::Date>,
) -> bool {
    let starts_before_grant_ends = grant.until.is_none_or(|end| date <= end);
    let ends_after_grant_starts = match (until, grant.from) {
        (Some(u), Some(from)) => u >= from,
        _ => true,
    };
    starts_before_grant_ends && ends_after_grant_starts
}

fn names(tree: &Hierarchy, nodes: &[NodeId]) -> String {
    nodes
        .iter()
        .map(|n| format!("`{}`", tree.name(*n)))
        .collect::<Vec<_>>()
        .join(", ")
}
