//! ## What it does
//! Finds clauses that add nothing: a permit whose every action is already
//! permitted by another permit with the same duties (and at least the same
//! priorities and waivers), and a forbid whose every action is already
//! forbidden by another forbid that nothing else overrides more easily.
//! (A permit whose duties the other permit lacks is `escaped_duty`'s
//! finding; two versions of one clause are never compared, they are not
//! in force together.)
//!
//! ## Why is this bad?
//! A redundant clause is a trap for the next amendment: someone narrows
//! the clause they see, and the other one keeps granting (or forbidding)
//! the very same actions. It also makes reports cite two clauses for one
//! rule.
//!
//! ## Example
//! ```ipl
//! agreement "Consortium" { effective 2025-01-01 expires 2028-12-31 }
//! party catl "CATL"
//! asset cell "Cell patent" { class foreground owner catl }
//! fields { batteries { ev, stationary } }
//!
//! clause 1 "Owners may exploit their results" {
//!   permit exploit of foreground
//!   by owners
//! }
//! clause 2 "CATL may make battery cells" {
//!   permit make of cell
//!   by catl
//!   field batteries
//! }
//! ```
//!
//! ## Use instead
//! ```ipl
//! agreement "Consortium" { effective 2025-01-01 expires 2028-12-31 }
//! party catl "CATL"
//! asset cell "Cell patent" { class foreground owner catl }
//!
//! clause 1 "Owners may exploit their results" {
//!   permit exploit of foreground
//!   by owners
//! }
//! ```

use crate::diagnostic::{Code, Diagnostic};
use crate::names::ClauseId;
use crate::partition::Search;
use crate::terms::ClauseKind;

use super::context::LintCtx;

pub const CODE: Code = Code::ShadowedClause;

pub(crate) fn run(cx: &LintCtx, out: &mut Vec<Diagnostic>) {
    for (id, clause) in cx.clauses() {
        if clause.kind == ClauseKind::Oblige {
            continue;
        }
        let related = cx.regions.related(id);
        let found = related
            .iter()
            .copied()
            .filter(|&other| cx.clause(other).kind == clause.kind)
            .find_map(|other| shadow(cx, id, other, &related).map(|w| (other, w)));
        if let Some((other, witness)) = found {
            out.push(report(cx, id, other, &witness));
        }
    }
}

/// An action both clauses apply to, if `outer` makes `inner` redundant.
fn shadow(
    cx: &LintCtx,
    inner: ClauseId,
    outer: ClauseId,
    related: &[ClauseId],
) -> Option<crate::names::Action> {
    if !cx.in_force_together(inner, outer)
        || !cx.regions.covers_pairs(outer, inner)
        || !no_more_duties(cx, outer, inner)
    {
        return None;
    }
    // A permit with duties the other lacks: escaped_duty reports it.
    if cx.clause(inner).kind == ClauseKind::Permit && !no_more_duties(cx, inner, outer) {
        return None;
    }
    if !cx.regions.escape(inner, outer).is_impossible() {
        return None;
    }
    if !same_priorities(cx, inner, outer, related) {
        return None;
    }
    // Two clauses with the same actions: report only the later one.
    if outer > inner
        && no_more_duties(cx, inner, outer)
        && cx.regions.escape(outer, inner).is_impossible()
    {
        return None;
    }
    match cx.regions.overlap(inner, outer) {
        Search::Found(witness) => Some(*witness),
        _ => None,
    }
}

/// Every duty of `outer` is also one of `inner`'s.
fn no_more_duties(cx: &LintCtx, outer: ClauseId, inner: ClauseId) -> bool {
    let theirs = &cx.clause(inner).duties;
    cx.clause(outer)
        .duties
        .iter()
        .all(|d| theirs.iter().any(|e| e.value == d.value))
}

/// Removing `inner` changes no priority: for permits, `outer` prevails
/// over every forbid `inner` prevails over and waives every oblige
/// `inner` waives (§7.6); for forbids, every clause that prevails over
/// `outer` prevails over `inner` too.
fn same_priorities(cx: &LintCtx, inner: ClauseId, outer: ClauseId, related: &[ClauseId]) -> bool {
    let prevails = |a, b| cx.regions.prevails(a, b);
    match cx.clause(inner).kind {
        ClauseKind::Permit => related.iter().all(|&c| match cx.clause(c).kind {
            ClauseKind::Forbid => !prevails(inner, c) || prevails(outer, c),
            ClauseKind::Oblige => !cx.waives(inner, c) || cx.waives(outer, c),
            ClauseKind::Permit => true,
        }),
        _ => related
            .iter()
            .all(|&p| !prevails(p, outer) || prevails(p, inner)),
    }
}

fn report(
    cx: &LintCtx,
    inner: ClauseId,
    outer: ClauseId,
    witness: &crate::names::Action,
) -> Diagnostic {
    let clause = cx.clause(inner);
    let (verb, what) = match clause.kind {
        ClauseKind::Permit => ("permitted", "permit"),
        _ => ("forbidden", "forbid"),
    };
    Diagnostic::new(
        CODE,
        cx.head(inner).file,
        cx.head(inner).span,
        format!(
            "{what} `{}` is shadowed by {}: every action it covers is already {verb} there",
            clause.label,
            cx.name(outer)
        ),
    )
    .with_label("adds nothing")
    .with_related(
        cx.head(outer),
        format!(
            "{} covers every action of `{}`",
            cx.name(outer),
            clause.label
        ),
    )
    .with_help(format!(
        "remove {}, or narrow {} if it should not cover these actions\n{}",
        cx.name(inner),
        cx.name(outer),
        cx.witness(witness, &format!("is {verb} by both"))
    ))
}
