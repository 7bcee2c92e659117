//! ## What it does
//! Finds `notwithstanding X` where the clause and X never apply to the
//! same action (nor do the clauses the priority reaches through them).
//!
//! ## Why is this bad?
//! A priority only matters where two clauses meet. When they never meet,
//! `notwithstanding` decides nothing, and it usually means the clause was
//! meant to override a different one, or that one of the two scopes is
//! not what the drafter thinks (a territory or field that was narrowed
//! later, say).
//!
//! ## Example
//! ```ipl
//! agreement "Consortium" { effective 2025-01-01 expires 2028-12-31 }
//! party catl "CATL"
//! asset cell "Cell patent" { class foreground owner catl }
//! territories { world { cn, eu } }
//!
//! clause 1 "No licences in China" {
//!   forbid license of foreground
//!   territory cn
//! }
//! clause 2 "CATL may license in Europe" notwithstanding 1 {
//!   permit license of cell
//!   by catl
//!   territory eu
//! }
//! ```
//!
//! ## Use instead
//! ```ipl
//! agreement "Consortium" { effective 2025-01-01 expires 2028-12-31 }
//! party catl "CATL"
//! asset cell "Cell patent" { class foreground owner catl }
//! territories { world { cn, eu } }
//!
//! clause 1 "No licences in China" {
//!   forbid license of foreground
//!   territory cn
//! }
//! clause 2 "CATL may license in Europe" {
//!   permit license of cell
//!   by catl
//!   territory eu
//! }
//! ```

use crate::diagnostic::{Code, Diagnostic};
use crate::names::ClauseId;

use super::context::LintCtx;

pub const CODE: Code = Code::UselessNotwithstanding;

/// More clause pairs than this behind one priority and the lint does not
/// look: a long chain of priorities is deliberate.
const MAX_PAIRS: usize = 16;

pub(crate) fn run(cx: &LintCtx, out: &mut Vec<Diagnostic>) {
    let n = cx.model.clauses.len();
    let mut reverse: Vec<Vec<ClauseId>> = vec![Vec::new(); n];
    for (id, clause) in cx.clauses() {
        for target in &clause.notwithstanding {
            if let Some(list) = reverse.get_mut(target.value.index()) {
                list.push(id);
            }
        }
    }
    for (id, clause) in cx.clauses() {
        for target in &clause.notwithstanding {
            let other = target.value;
            // Removing this edge changes priorities between the clauses
            // that reach `id` and those `other` reaches: they must never
            // meet for the edge to be useless.
            let ups = reach(id, |c| reverse.get(c.index()).cloned().unwrap_or_default());
            let downs = reach(other, |c| {
                cx.clause(c)
                    .notwithstanding
                    .iter()
                    .map(|t| t.value)
                    .collect()
            });
            if ups.len() * downs.len() > MAX_PAIRS {
                continue;
            }
            let never_meet = ups.iter().all(|&u| {
                downs
                    .iter()
                    .all(|&d| u == d || cx.regions.overlap(u, d).is_impossible())
            });
            if !never_meet {
                continue;
            }
            let o = cx.clause(other);
            let mut diag = Diagnostic::new(
                    CODE,
                    target.location.file,
                    target.location.span,
                    format!(
                        "`notwithstanding {}` decides nothing: {} and {} never apply to the same action",
                        o.label,
                        cx.name(id),
                        cx.name(other)
                    ),
                )
                .with_label("no action meets both clauses")
                .with_related(cx.head(other), format!("{} covers other actions", cx.name(other)))
                .with_help(format!(
                    "remove `notwithstanding {}`, or check that it names the clause that clause {} should override",
                    o.label, clause.label
                ));
            if let Some(fix) = super::fixes::remove_notwithstanding(cx, target.location) {
                diag = diag.with_fix(fix);
            }
            out.push(diag);
        }
    }
}

/// `start` and every clause reachable from it along `next`.
fn reach(start: ClauseId, next: impl Fn(ClauseId) -> Vec<ClauseId>) -> Vec<ClauseId> {
    let mut seen = vec![start];
    let mut stack = vec![start];
    while let Some(c) = stack.pop() {
        for n in next(c) {
            if !seen.contains(&n) {
                seen.push(n);
                stack.push(n);
            }
            if seen.len() > MAX_PAIRS {
                return seen;
            }
        }
    }
    seen
}
