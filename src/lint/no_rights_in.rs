//! ## What it does
//! Checks each grant's chain of title (LANGUAGE.md §7.8): the licensor
//! must own the asset, or hold a `sublicensable` grant of it that is in
//! force on the grant's start date and covers its field, territory, period
//! and rights. A grant whose title holds is then decided as the action it
//! records (the licensor licenses the asset to the licensee with the
//! grant's field, territory, dates and exclusivity, on its start date;
//! `sublicense` when the licensor is a licensee) by the policy without the
//! grant itself; it is a finding when the policy denies it. One finding per
//! grant: without title, the denial is not looked for.
//!
//! ## Why is this bad?
//! A grant records a licence as given, and the engine trusts it: it
//! permits the licensee and blocks others. A licence from a party with no
//! rights in the asset conveys nothing, and one the policy's own clauses
//! deny was given in breach of them; either way the register and the
//! agreement disagree, and decisions built on the grant are wrong.
//!
//! ## Example
//! ```ipl
//! agreement "Consortium" { effective 2025-01-01 expires 2028-12-31 }
//! party fraunhofer "Fraunhofer"
//! party bmw "BMW"
//! asset model "Cell model" { class foreground type software owner fraunhofer }
//!
//! grant L-1 {
//!   license of model from bmw to fraunhofer
//!   from 2026-01-01 until 2027-12-31
//! }
//! clause 9.8 "Owners license their results" {
//!   permit license of foreground
//!   by owners
//! }
//! ```
//!
//! ## Use instead
//! ```ipl
//! agreement "Consortium" { effective 2025-01-01 expires 2028-12-31 }
//! party fraunhofer "Fraunhofer"
//! party bmw "BMW"
//! asset model "Cell model" { class foreground type software owner fraunhofer }
//!
//! grant L-1 {
//!   license of model from fraunhofer to bmw
//!   from 2026-01-01 until 2027-12-31
//! }
//! clause 9.8 "Owners license their results" {
//!   permit license of foreground
//!   by owners
//! }
//! ```

use std::collections::HashSet;

use jiff::civil::Date;

use crate::decide::{DecisionRecord, Engine};
use crate::diagnostic::{Code, Diagnostic};
use crate::names::{
    Action, AssetId, GrantId, GrantInfo, Hierarchy, InForce, Model, NodeId, PartyId, PartyRef,
};
use crate::span::Location;
use crate::terms::Decision;

use super::context::LintCtx;

pub const CODE: Code = Code::NoRightsIn;

pub(crate) fn run(cx: &LintCtx, out: &mut Vec<Diagnostic>) {
    let effective = cx.model.agreement.as_ref().and_then(|a| a.effective);
    // Findings already made for an earlier version of the same label.
    let mut reported: HashSet<(String, String)> = HashSet::new();
    for (i, grant) in cx.model.grants.iter().enumerate() {
        let (Some(asset), Some(licensor), Some(_)) = (grant.asset, grant.licensor, grant.licensee)
        else {
            continue;
        };
        let Some(date) = start(grant, effective) else {
            continue;
        };
        let owner = cx.model.asset(asset).is_owner(licensor);
        if !owner {
            let holds = cx
                .model
                .grants
                .iter()
                .enumerate()
                .filter(|(j, h)| {
                    *j != i
                        && h.label != grant.label
                        && h.licensee == Some(licensor)
                        && h.asset == Some(asset)
                })
                .map(|(_, h)| h)
                .collect::<Vec<_>>();
            if holds
                .iter()
                .all(|h| gap(cx.model, h, grant, date, effective).is_some())
            {
                if reported.insert((grant.label.clone(), "title".into())) {
                    let title = Title {
                        asset,
                        licensor,
                        holds,
                        date,
                        effective,
                    };
                    out.push(no_title(cx, grant, &title));
                }
                continue;
            }
        }
        if let Some((diag, key)) = denied(cx, GrantId(i as u32), date, owner)
            && reported.insert((grant.label.clone(), key))
        {
            out.push(diag);
        }
    }
}

/// The day a grant version starts to convey its licence: its `from` (or
/// the agreement's start), or the day the version comes in force if later;
/// `None` when the version is never in force while the licence runs.
fn start(grant: &GrantInfo, effective: Option<Date>) -> Option<Date> {
    let from = grant.from.or(effective)?;
    let date = match grant.in_force.from {
        Some(f) if f > from => f,
        _ => from,
    };
    if grant.in_force.ends.is_some_and(|e| e <= date) || grant.until.is_some_and(|u| u < date) {
        return None;
    }
    Some(date)
}

/// Why `held` does not give its licensee title for `grant`, or `None`
/// when it does.
fn gap(
    model: &Model,
    held: &GrantInfo,
    grant: &GrantInfo,
    date: Date,
    effective: Option<Date>,
) -> Option<String> {
    if !held.sublicensable {
        return Some("it is not sublicensable".into());
    }
    if !held.in_force.on(date) {
        return Some(format!("it is not in force on {date}"));
    }
    let starts = held.from.or(effective).is_none_or(|f| f <= date);
    let ends = match (held.until, grant.until) {
        (None, _) => true,
        (Some(h), Some(g)) => g <= h,
        (Some(_), None) => false,
    };
    if !starts || !ends {
        return Some("its period does not cover the licence's".into());
    }
    if !covers(&model.fields, &held.field, &grant.field) {
        return Some("its field does not cover the licence's".into());
    }
    if !covers(&model.territories, &held.territory, &grant.territory) {
        return Some("its territory does not cover the licence's".into());
    }
    let rights = grant
        .rights
        .iter()
        .all(|&r| held.rights.iter().any(|&h| model.verbs.covers(h, r)));
    if !rights {
        return Some("its rights do not cover the licence's".into());
    }
    None
}

/// Does a grant's scope `outer` (empty: everything) cover `inner`?
fn covers(tree: &Hierarchy, outer: &[NodeId], inner: &[NodeId]) -> bool {
    if outer.is_empty() {
        return true;
    }
    let inner = nodes_or_roots(tree, inner);
    inner.iter().all(|i| match i {
        Some(i) => outer.iter().any(|&o| tree.covers(o, *i)),
        None => false,
    })
}

pub(crate) fn nodes_or_roots(tree: &Hierarchy, nodes: &[NodeId]) -> Vec<Option<NodeId>> {
    if !nodes.is_empty() {
        return nodes.iter().map(|n| Some(*n)).collect();
    }
    let roots: Vec<Option<NodeId>> = tree
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.parent.is_none())
        .map(|(i, _)| Some(NodeId(i as u32)))
        .collect();
    if roots.is_empty() { vec![None] } else { roots }
}

/// ` (as amended by A1)` for a later version.
fn version(cx: &LintCtx, grant: &GrantInfo) -> String {
    cx.model
        .amendment_label(grant.version)
        .map(|v| format!(" (as amended by {v})"))
        .unwrap_or_default()
}

/// The title a grant lacks.
struct Title<'g> {
    asset: AssetId,
    licensor: PartyId,
    /// The grants of the asset its licensor holds.
    holds: Vec<&'g GrantInfo>,
    date: Date,
    effective: Option<Date>,
}

fn no_title(cx: &LintCtx, grant: &GrantInfo, title: &Title) -> Diagnostic {
    let Title {
        asset: asset_id,
        licensor,
        ref holds,
        date,
        effective,
    } = *title;
    let asset = cx.model.asset(asset_id);
    let licensor = &cx.model.party(licensor).name;
    let at = cx
        .grant_version_syntax(grant)
        .map_or(grant.label_location, |(file, g)| Location {
            file,
            span: g.licensor.span,
        });
    let owners: Vec<String> = asset
        .owners
        .iter()
        .map(|(p, _)| format!("`{}`", cx.model.party(*p).name))
        .collect();
    let mut diag = Diagnostic::new(
        CODE,
        at.file,
        at.span,
        format!(
            "grant `{}`{} is made by `{licensor}`, which neither owns `{}` nor holds a sublicensable grant of it that covers this licence",
            grant.label,
            version(cx, grant),
            asset.name
        ),
    )
    .with_label(format!("no rights in `{}`", asset.name))
    .with_related(
        cx.asset_syntax(&asset.name)
            .and_then(|(file, a)| {
                a.owner_lines.first().map(|l| Location {
                    file,
                    span: l.span,
                })
            })
            .unwrap_or(asset.location),
        format!("owned by {}", owners.join(", ")),
    );
    for held in holds {
        if let Some(why) = gap(cx.model, held, grant, date, effective) {
            diag = diag.with_related(
                held.label_location,
                format!(
                    "grant {} to `{licensor}` does not cover it: {why}",
                    held.label
                ),
            );
        }
    }
    diag.with_help(format!(
        "name an owner of `{}` as licensor, or record the licence `{licensor}` holds: a `sublicensable` grant of `{}` to `{licensor}` covering this field, territory, period and rights",
        asset.name, asset.name
    ))
}

/// The grant's licence decided as an action by the policy without this
/// grant version, on each field and territory it names (or each root):
/// the first denial, with a key that identifies its cause.
fn denied(cx: &LintCtx, id: GrantId, date: Date, owner: bool) -> Option<(Diagnostic, String)> {
    let grant = cx.model.grant(id);
    let (asset, licensor, licensee) = (grant.asset?, grant.licensor?, grant.licensee?);
    let verb = cx
        .model
        .verbs
        .get(if owner { "license" } else { "sublicense" })?;
    let mut without = copy(cx.model);
    if let Some(g) = without.grants.get_mut(id.index()) {
        // Never in force: the grant must not block or permit its own
        // licence.
        g.in_force = InForce {
            from: Some(Date::MAX),
            ends: Some(Date::MIN),
        };
    }
    let engine = Engine::new(&without);
    for field in nodes_or_roots(&cx.model.fields, &grant.field) {
        for territory in nodes_or_roots(&cx.model.territories, &grant.territory) {
            let action = Action {
                to: Some(PartyRef::Known(licensee)),
                field,
                territory,
                until: grant.until,
                exclusive: Some(grant.exclusive()),
                sublicensable: Some(grant.sublicensable),
                ..Action::new(licensor, verb, asset, date)
            };
            let record = engine.decide(&action);
            if record.decision == Decision::Deny {
                return Some(report_denied(cx, grant, &action, &record));
            }
        }
    }
    None
}

fn report_denied(
    cx: &LintCtx,
    grant: &GrantInfo,
    action: &Action,
    record: &DecisionRecord,
) -> (Diagnostic, String) {
    let by = match (&record.decided_by, &record.decided_by_kind) {
        (Some(label), Some(crate::decide::DeciderKind::Grant)) => format!("grant {label}"),
        (Some(label), _) => format!("clause {label}"),
        (None, _) => String::new(),
    };
    let (message, shows) = if by.is_empty() {
        (
            "no clause permits it".to_string(),
            "is denied: no clause permits it".to_string(),
        )
    } else {
        (format!("{by} denies it"), format!("is denied by {by}"))
    };
    let mut diag = Diagnostic::new(
        CODE,
        grant.label_location.file,
        grant.label_location.span,
        format!(
            "grant `{}`{} records a licence the policy would deny on {}: {message}",
            grant.label,
            version(cx, grant),
            action.date
        ),
    )
    .with_label("denied licence");
    if let Some(at) = record.decided_by_location {
        let at = cx
            .clauses()
            .find(|(_, c)| c.location == at)
            .map(|(c, _)| cx.head(c))
            .or_else(|| {
                cx.model
                    .grants
                    .iter()
                    .find(|g| g.location == at)
                    .map(|g| g.label_location)
            })
            .unwrap_or(at);
        diag = diag.with_related(at, format!("{by} denies it"));
    }
    let fix = match &record.decided_by_kind {
        None => "add a permit for this licence".to_string(),
        Some(crate::decide::DeciderKind::Grant) => {
            format!("narrow it or {by} so that they do not overlap")
        }
        Some(_) => format!("give a permit priority over {by}"),
    };
    let diag = diag.with_help(format!(
        "either the register or the clauses are wrong: fix the grant's parties, field, territory or dates, or {fix}\n{}",
        cx.witness(action, &shows)
    ));
    (diag, by)
}

/// A copy of what deciding reads from a model (scenarios left out).
fn copy(model: &Model) -> Model {
    Model {
        agreement: model.agreement.clone(),
        parties: model.parties.clone(),
        groups: model.groups.clone(),
        names: model.names.clone(),
        fields: model.fields.clone(),
        territories: model.territories.clone(),
        verbs: model.verbs.clone(),
        assets: model.assets.clone(),
        asset_ids: model.asset_ids.clone(),
        grants: model.grants.clone(),
        clauses: model.clauses.clone(),
        labels: model.labels.clone(),
        scenarios: Vec::new(),
        facts: model.facts.clone(),
        fact_ids: model.fact_ids.clone(),
        events: model.events.clone(),
        event_ids: model.event_ids.clone(),
        instruments: model.instruments.clone(),
        instrument_ids: model.instrument_ids.clone(),
        amendments: model.amendments.clone(),
    }
}
