//! Grants (§7.8): a grant permits its licensee the `rights` verbs in its
//! scope (and sublicences when sublicensable); exclusive and sole grants
//! block other licences that overlap them and other people's use in their
//! scope. Overlap on an unknown field or territory is conditional.

use jiff::civil::Date;

use super::eval::Ctx;
use super::index::Index;
use super::logic::Tri;
use crate::names::{GrantId, GrantInfo, Hierarchy, NodeId, PartyRef};
use crate::syntax::ast::Exclusivity;

/// What the blocking grants say about an action.
#[derive(Debug, Default)]
pub struct GrantCheck {
    /// The first grant (source order) the action certainly conflicts with.
    pub definite: Option<GrantId>,
    /// How it overlaps that grant, in words.
    pub overlap: String,
    /// Conditions under which the action stays clear of grants it may
    /// conflict with.
    pub possible: Vec<String>,
}

/// A grant's standing as a permit for one action.
pub struct GrantPermit {
    pub id: GrantId,
    /// What must hold for a conditional grant permit.
    pub residuals: Vec<String>,
}

fn licensing(ctx: &Ctx) -> bool {
    let model = ctx.model;
    ["license", "sublicense"]
        .iter()
        .filter_map(|v| model.verbs.get(v))
        .any(|v| model.verbs.covers(v, ctx.action.verb))
}

/// Grants the actor holds that permit this action, in source order.
pub fn permits(ctx: &Ctx, index: &Index) -> Vec<GrantPermit> {
    let model = ctx.model;
    let action = ctx.action;
    let held = index.grants(action.asset.index());
    if held.is_empty() {
        return Vec::new();
    }
    let sublicense = model.verbs.get("sublicense");
    let mut out = Vec::new();
    for &g in held {
        let grant = model.grant(g);
        if grant.licensee != Some(action.actor) || !grant.in_force.on(action.date) {
            continue;
        }
        let uses = grant
            .rights
            .iter()
            .any(|&r| model.verbs.covers(r, action.verb));
        let sublicences =
            grant.sublicensable && sublicense.is_some_and(|s| model.verbs.covers(s, action.verb));
        if !uses && !sublicences {
            continue;
        }
        let mut tri = Tri::from(in_period(grant, action.date));
        let mut residuals = Vec::new();
        for (tree, granted, actual, noun) in [
            (&model.fields, &grant.field, action.field, "field"),
            (
                &model.territories,
                &grant.territory,
                action.territory,
                "territory",
            ),
        ] {
            let inside = inside(tree, granted, actual);
            if inside == Tri::Unknown {
                residuals.push(format!(
                    "the {noun} lies inside grant {}'s {noun} {}",
                    grant.label,
                    names(tree, granted)
                ));
            }
            tri = tri.and(inside);
        }
        if !uses && sublicences {
            // A sublicence may not outlast the grant; without `until` it
            // runs open-ended.
            let within = match (action.until, grant.until) {
                (_, None) => true,
                (Some(u), Some(end)) => u <= end,
                (None, Some(_)) => false,
            };
            tri = tri.and(within.into());
        }
        if tri != Tri::False {
            if tri == Tri::Unknown && residuals.is_empty() {
                residuals.push(format!("grant {} covers the action", grant.label));
            }
            out.push(GrantPermit { id: g, residuals });
        }
    }
    out
}

/// The exclusive and sole grants an action conflicts with.
pub fn check(ctx: &Ctx, index: &Index) -> GrantCheck {
    let mut result = GrantCheck::default();
    let model = ctx.model;
    let action = ctx.action;
    let blocking = index.blocking_grants(action.asset.index());
    if blocking.is_empty() {
        return result;
    }
    let licensing = licensing(ctx);
    for &g in blocking {
        let grant = model.grant(g);
        if !grant.in_force.on(action.date) || grant.licensee == Some(action.actor) {
            continue;
        }
        let field = dimension(&model.fields, &grant.field, action.field);
        let territory = dimension(&model.territories, &grant.territory, action.territory);
        // (a) another licence of the asset overlapping the grant.
        let licence = if licensing {
            Tri::from(overlaps_period(grant, action.date, action.until))
        } else {
            Tri::False
        };
        // (b) a use of the granted rights inside the grant's scope.
        let uses = grant
            .rights
            .iter()
            .any(|&r| model.verbs.overlaps(r, action.verb));
        let exempt = (grant.exclusivity == Exclusivity::Sole
            && grant.licensor == Some(action.actor))
            || holds_grant_from(ctx, index, grant);
        let use_blocked = if uses && !exempt {
            Tri::from(in_period(grant, action.date))
        } else {
            Tri::False
        };
        match field.and(territory).and(licence.or(use_blocked)) {
            Tri::True => {
                if result.definite.is_none() {
                    result.definite = Some(g);
                    result.overlap = describe_scope(ctx, grant);
                }
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
                let what = if licence != Tri::False {
                    "licence"
                } else {
                    "use"
                };
                result.possible.push(format!(
                    "the {what} stays outside {} grant {}'s {}",
                    grant.exclusivity.as_str(),
                    grant.label,
                    outside.join(" and ")
                ));
            }
            Tri::False => {}
        }
    }
    result
}

/// Does the actor hold a grant of this asset from `grant`'s licensee, in
/// force on the action's date?
fn holds_grant_from(ctx: &Ctx, index: &Index, grant: &GrantInfo) -> bool {
    let action = ctx.action;
    index.grants(action.asset.index()).iter().any(|&h| {
        let held = ctx.model.grant(h);
        held.licensee == Some(action.actor)
            && held.licensor.is_some()
            && held.licensor == grant.licensee
            && held.in_force.on(action.date)
            && in_period(held, action.date)
    })
}

/// The scope of a grant, for explanations: "field `automotive`,
/// 2027-06-01 to 2032-05-31".
fn describe_scope(ctx: &Ctx, grant: &GrantInfo) -> String {
    let model = ctx.model;
    let mut parts = Vec::new();
    if !grant.field.is_empty() {
        parts.push(format!("field {}", names(&model.fields, &grant.field)));
    }
    if !grant.territory.is_empty() {
        parts.push(format!(
            "territory {}",
            names(&model.territories, &grant.territory)
        ));
    }
    parts.push(match (grant.from, grant.until) {
        (Some(f), Some(u)) => format!("{f} to {u}"),
        (Some(f), None) => format!("from {f}"),
        (None, Some(u)) => format!("until {u}"),
        (None, None) => "without end".to_string(),
    });
    let holder = grant
        .licensee
        .map(|p| model.party_name(&PartyRef::Known(p)).to_string())
        .unwrap_or_default();
    format!("licensed to `{holder}`: {}", parts.join(", "))
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

/// Is the action's node inside the grant's (a grant permits only inside
/// its scope, as a permit clause does)?
fn inside(tree: &Hierarchy, granted: &[NodeId], actual: Option<NodeId>) -> Tri {
    if granted.is_empty() {
        return Tri::True;
    }
    match actual {
        None => Tri::Unknown,
        Some(node) => granted.iter().any(|&g| tree.covers(g, node)).into(),
    }
}

fn in_period(grant: &GrantInfo, date: Date) -> bool {
    grant.from.is_none_or(|f| f <= date) && grant.until.is_none_or(|u| date <= u)
}

/// `[date, until]` against the grant's `[from, until]`, inclusive; a
/// missing `until` runs open-ended.
fn overlaps_period(grant: &GrantInfo, date: Date, until: Option<Date>) -> bool {
    let starts_before_grant_ends = grant.until.is_none_or(|end| date <= end);
    let ends_after_grant_starts = match (until, grant.from) {
        (Some(u), Some(from)) => u >= from,
        _ => true,
    };
    starts_before_grant_ends && ends_after_grant_starts
}

pub fn names(tree: &Hierarchy, nodes: &[NodeId]) -> String {
    nodes
        .iter()
        .map(|n| format!("`{}`", tree.name(*n)))
        .collect::<Vec<_>>()
        .join(", ")
}
