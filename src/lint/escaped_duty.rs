//! ## What it does
//! Finds a duty written on a permit that another permit escapes: the
//! other permit covers some of the same actions without the duty (nor one
//! at least as strong), and no `oblige` clause imposes it there. Only
//! duties written on permits can be escaped: an `oblige` clause's duties
//! bind every permit that does not waive them (`notwithstanding` the
//! oblige, LANGUAGE.md §7.6).
//!
//! ## Why is this bad?
//! A duty on a permit binds only the actions that permit decides. Where
//! another permit allows the same action without it, the actor can rely on
//! that one, and the decision does: the notice, consent or payment binds
//! nobody there. The drafter usually meant the duty for every such action.
//!
//! ## Example
//! ```ipl
//! agreement "Consortium" { effective 2025-01-01 expires 2028-12-31 }
//! party catl "CATL"
//! party bmw "BMW"
//! territories { world { eu } }
//! asset cell "Cell patent" { class foreground owners catl 60%, bmw 40% }
//!
//! clause 8.2 "Joint owners license, with notice" {
//!   permit license of foreground
//!   by owners
//!   duty notify co_owners 30 days before
//! }
//! clause 8.3 "Licences in Europe" {
//!   permit license of foreground
//!   by owners
//!   territory eu
//! }
//! ```
//!
//! ## Use instead
//! ```ipl
//! agreement "Consortium" { effective 2025-01-01 expires 2028-12-31 }
//! party catl "CATL"
//! party bmw "BMW"
//! territories { world { eu, cn } }
//! asset cell "Cell patent" { class foreground owners catl 60%, bmw 40% }
//!
//! clause 8.1 "Notice of every licence" {
//!   oblige license of foreground
//!   duty notify co_owners 30 days before
//! }
//! clause 8.2 "Joint owners license" {
//!   permit license of foreground
//!   by owners
//!   territory cn
//! }
//! clause 8.3 "Licences in Europe" {
//!   permit license of foreground
//!   by owners
//!   territory eu
//! }
//! ```

use std::sync::Arc;

use crate::decide::duties::{DutyStatus, Owed, any_precondition, outcomes};
use crate::decide::eval::Ctx;
use crate::decide::logic::Tri;
use crate::diagnostic::{Code, Diagnostic};
use crate::names::{Action, ClauseId, Duty, Located};
use crate::partition::{Question, Search, Verdict};
use crate::terms::ClauseKind;

use super::context::LintCtx;

pub const CODE: Code = Code::EscapedDuty;

pub(crate) fn run(cx: &LintCtx, out: &mut Vec<Diagnostic>) {
    for (id, clause) in cx.clauses() {
        if clause.kind != ClauseKind::Permit || clause.duties.is_empty() {
            continue;
        }
        let related = cx.regions.related(id);
        for duty in &clause.duties {
            let found = related.iter().copied().find_map(|other| {
                let o = cx.clause(other);
                if other == id
                    || o.kind != ClauseKind::Permit
                    || o.label == clause.label
                    || !cx.in_force_together(id, other)
                    || o.duties.iter().any(|e| e.value == duty.value)
                {
                    return None;
                }
                escape(cx, id, duty, other, &related).map(|w| (other, w))
            });
            if let Some((other, witness)) = found {
                out.push(report(cx, id, duty, other, &witness));
            }
        }
    }
}

/// An action both permits apply to, `other` unblocked, where the duty is
/// owed to someone and neither `other` nor an oblige that binds it owes
/// as much.
fn escape(
    cx: &LintCtx,
    id: ClauseId,
    duty: &Located<Duty>,
    other: ClauseId,
    related: &[ClauseId],
) -> Option<Action> {
    let forbids: Vec<ClauseId> = related
        .iter()
        .copied()
        .filter(|&f| cx.clause(f).kind == ClauseKind::Forbid && !cx.regions.prevails(other, f))
        .collect();
    let obliges: Vec<ClauseId> = related
        .iter()
        .copied()
        .filter(|&o| {
            cx.clause(o).kind == ClauseKind::Oblige
                && !cx.waives(other, o)
                && cx.clause(o).duties.iter().any(|e| {
                    std::mem::discriminant(&e.value) == std::mem::discriminant(&duty.value)
                })
        })
        .collect();
    let others: Vec<ClauseId> = std::iter::once(other)
        .chain(forbids.iter().copied())
        .chain(obliges.iter().copied())
        .collect();
    let base = [id];
    let question = Question {
        base: &base,
        others: &others,
        duties: true,
        asset: None,
    };
    let n = forbids.len();
    // Only what is owed is compared, never which clause owes it.
    let unlabelled: &Arc<str> = &Arc::from("");
    let search = cx.regions.witness(&question, &mut |ctx, t| {
        let (permit, escaper, f, o) = (t[0], t[1], &t[2..2 + n], &t[2 + n..]);
        if permit == Tri::False || escaper == Tri::False || f.contains(&Tri::True) {
            return Verdict::Prune;
        }
        if t.contains(&Tri::Unknown) {
            return Verdict::Continue;
        }
        let wanted: Vec<Owed> = owed(ctx, id, duty, unlabelled);
        if wanted.is_empty() || violated(ctx, cx, other) {
            return Verdict::Prune;
        }
        let binding: Vec<ClauseId> = std::iter::once(other)
            .chain(
                obliges
                    .iter()
                    .zip(o)
                    .filter(|(_, v)| **v == Tri::True)
                    .map(|(&c, _)| c),
            )
            .collect();
        let carried: Vec<Owed> = binding
            .iter()
            .flat_map(|&c| {
                cx.clause(c)
                    .duties
                    .iter()
                    .flat_map(move |e| owed(ctx, c, e, unlabelled))
            })
            .collect();
        if wanted
            .iter()
            .all(|w| carried.iter().any(|c| at_least(c, w)))
        {
            Verdict::Prune
        } else {
            Verdict::Found
        }
    });
    match search {
        Search::Found(w) => Some(*w),
        _ => None,
    }
}

/// What a duty owes on an action, per party.
fn owed(ctx: &Ctx, id: ClauseId, duty: &Located<Duty>, label: &Arc<str>) -> Vec<Owed> {
    outcomes(ctx, id, label, duty)
        .into_iter()
        .map(|o| o.owed)
        .collect()
}

/// Does one of the permit's own preconditions fail on the action (then
/// it cannot be the one used)?
fn violated(ctx: &Ctx, cx: &LintCtx, id: ClauseId) -> bool {
    cx.clause(id)
        .duties
        .iter()
        .any(|d| any_precondition(ctx, d, |s| s == DutyStatus::Violated))
}

/// Does `carried` owe at least what `wanted` does (the same party, a
/// notice due no later, a share no smaller)?
fn at_least(carried: &Owed, wanted: &Owed) -> bool {
    match (carried, wanted) {
        (
            Owed::Notify {
                party: a,
                deadline: x,
            },
            Owed::Notify {
                party: b,
                deadline: y,
            },
        ) => {
            a == b
                && match (x, y) {
                    (None, _) => true,
                    (Some(_), None) => false,
                    (Some(x), Some(y)) => x <= y,
                }
        }
        (
            Owed::Pay {
                party: a,
                hundredths: x,
                ..
            },
            Owed::Pay {
                party: b,
                hundredths: y,
                ..
            },
        ) => a == b && x >= y,
        (a, b) => a == b,
    }
}

fn report(
    cx: &LintCtx,
    id: ClauseId,
    duty: &Located<Duty>,
    other: ClauseId,
    witness: &Action,
) -> Diagnostic {
    let at = cx.trim(duty.location);
    let written = cx.text(at);
    let written = written.strip_prefix("duty ").unwrap_or(written).trim();
    Diagnostic::new(
        CODE,
        at.file,
        at.span,
        format!(
            "duty `{written}` of {} binds nobody on some of its actions: {} permits them without it",
            cx.name(id),
            cx.name(other)
        ),
    )
    .with_label(format!("escaped through {}", cx.name(other)))
    .with_related(
        cx.head(other),
        format!(
            "{} permits some of the same actions without this duty",
            cx.name(other)
        ),
    )
    .with_help(format!(
        "a duty on a permit binds only the actions that permit decides; write a duty that binds every such action as an `oblige` clause (`oblige` with `duty {written}` over the actions of {} and {}), or add the duty to {}\n{}",
        cx.name(id),
        cx.name(other),
        cx.name(other),
        cx.witness(
            witness,
            &format!("is permitted by {} without `{written}`", cx.name(other))
        )
    ))
}
