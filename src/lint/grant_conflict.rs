//! ## What it does
//! Checks the licence register against the rest of the policy. It is an
//! error when an exclusive grant is made by a party that does not own the
//! asset, when an exclusive grant lies wholly outside the agreement's
//! term, or when a forbid in force on the grant's start date forbids the
//! licence the grant records (and no permit overrides it).
//!
//! ## Why is this bad?
//! Grants record licences already given; the engine trusts them to block
//! other licences. An exclusive grant by a non-owner, or one outside the
//! agreement, blocks licences on a right that was never validly granted.
//! A grant the policy's own clauses forbid means the register and the
//! rules disagree, and one of them is wrong.
//!
//! ## Example
//! ```ipl
//! agreement "Consortium" { effective 2025-01-01 expires 2028-12-31 }
//! party fraunhofer "Fraunhofer"
//! party bmw "BMW"
//! asset model "Cell model" { class foreground type software owner fraunhofer }
//!
//! grant L-1 {
//!   exclusive license of model from bmw to fraunhofer
//!   from 2026-01-01 until 2027-12-31
//! }
//! clause 9.8 "No sublicences of results" {
//!   forbid license, sublicense of foreground
//!   by anyone except owners
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
//!   exclusive license of model from fraunhofer to bmw
//!   from 2026-01-01 until 2027-12-31
//! }
//! clause 9.8 "No sublicences of results" {
//!   forbid license, sublicense of foreground
//!   by anyone except owners
//! }
//! ```

use crate::decide::logic::Tri;
use crate::diagnostic::Diagnostic;
use crate::names::{Action, GrantInfo, Hierarchy, NodeId, PartyRef};
use crate::span::Location;
use crate::syntax::ast::ClauseKind;

use super::context::LintCtx;

pub const CODE: &str = "ipl::lint::grant_conflict";

pub(crate) fn run(cx: &LintCtx, out: &mut Vec<Diagnostic>) {
    for grant in &cx.model.grants {
        if grant.exclusive() {
            not_an_owner(cx, grant, out);
            outside_term(cx, grant, out);
        }
        forbidden(cx, grant, out);
    }
}

fn not_an_owner(cx: &LintCtx, grant: &GrantInfo, out: &mut Vec<Diagnostic>) {
    let (Some(asset_id), Some(licensor)) = (grant.asset, grant.licensor) else {
        return;
    };
    let asset = cx.model.asset(asset_id);
    if asset.is_owner(licensor) {
        return;
    }
    let at = cx
        .grant_syntax(&grant.label)
        .map_or(grant.label_location, |(file, g)| Location {
            file,
            span: g.licensor.span,
        });
    let owners: Vec<String> = asset
        .owners
        .iter()
        .map(|(p, _)| format!("`{}`", cx.model.party(*p).name))
        .collect();
    out.push(
        Diagnostic::error(
            CODE,
            at.file,
            at.span,
            format!(
                "exclusive grant `{}` is made by `{}`, which does not own `{}`",
                grant.label,
                cx.model.party(licensor).name,
                asset.name
            ),
        )
        .with_label("not an owner")
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
        )
        .with_help(
            "only an owner can grant an exclusive licence; name the owner as licensor, or record the licence as non_exclusive",
        ),
    );
}

fn outside_term(cx: &LintCtx, grant: &GrantInfo, out: &mut Vec<Diagnostic>) {
    let Some(agreement) = &cx.model.agreement else {
        return;
    };
    let syntax = cx.grant_syntax(&grant.label);
    let (at, when) = match (
        grant.from,
        grant.until,
        agreement.effective,
        agreement.expires,
    ) {
        (Some(from), _, _, Some(expires)) if from > expires => (
            syntax.and_then(|(file, g)| g.from.first().map(|d| Location { file, span: d.span })),
            format!("it starts on {from}, after the agreement expires on {expires}"),
        ),
        (_, Some(until), Some(effective), _) if until < effective => (
            syntax.and_then(|(file, g)| g.until.first().map(|d| Location { file, span: d.span })),
            format!("it ends on {until}, before the agreement takes effect on {effective}"),
        ),
        _ => return,
    };
    let at = at.unwrap_or(grant.label_location);
    out.push(
        Diagnostic::error(
            CODE,
            at.file,
            at.span,
            format!(
                "exclusive grant `{}` lies outside the agreement's term: {when}",
                grant.label
            ),
        )
        .with_label("outside the term")
        .with_related(agreement.location, "the agreement's term")
        .with_help("check the grant's dates against the agreement's `effective` and `expires`"),
    );
}

/// The grant as actions (one per field and territory it names, or per
/// root node when it names none), checked against forbids in force.
fn forbidden(cx: &LintCtx, grant: &GrantInfo, out: &mut Vec<Diagnostic>) {
    let (Some(asset), Some(licensor), Some(licensee)) =
        (grant.asset, grant.licensor, grant.licensee)
    else {
        return;
    };
    let Some(verb) = cx.model.verbs.get("license") else {
        return;
    };
    let effective = cx.model.agreement.as_ref().and_then(|a| a.effective);
    let Some(date) = grant.from.or(effective) else {
        return;
    };
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
            if let Some(diag) = denied(cx, grant, &action) {
                out.push(diag);
                return;
            }
        }
    }
}

fn nodes_or_roots(tree: &Hierarchy, nodes: &[NodeId]) -> Vec<Option<NodeId>> {
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

/// A forbid that certainly applies and that no applicable permit prevails
/// over.
fn denied(cx: &LintCtx, grant: &GrantInfo, action: &Action) -> Option<Diagnostic> {
    let covering = cx.regions.clauses_covering(action);
    let forbid = covering.iter().find_map(|&(f, tri)| {
        let overridden = covering
            .iter()
            .any(|&(p, _)| cx.clause(p).kind == ClauseKind::Permit && cx.regions.prevails(p, f));
        (cx.clause(f).kind == ClauseKind::Forbid && tri == Tri::True && !overridden).then_some(f)
    })?;
    Some(
        Diagnostic::error(
            CODE,
            grant.label_location.file,
            grant.label_location.span,
            format!(
                "grant `{}` records a licence that {} forbids",
                grant.label,
                cx.name(forbid)
            ),
        )
        .with_label("forbidden licence")
        .with_related(cx.head(forbid), format!("{} forbids it", cx.name(forbid)))
        .with_help(format!(
            "either the register or the clause is wrong: fix the grant's parties, field, territory or dates, or give a permit priority over {}\n{}",
            cx.name(forbid),
            cx.witness(action, &format!("is denied by {}", cx.name(forbid)))
        )),
    )
}
