//! ## What it does
//! Finds clauses whose time window ended before today: an `until` line (or
//! `during term` of an agreement that has expired) whose last day is past.
//!
//! ## Why is this bad?
//! An expired clause can no longer apply to any new action. Keeping it
//! makes the policy read as if the right or restriction still held, and
//! hides the gap it leaves: what it used to permit is now denied by
//! default (or, for a forbid, now allowed).
//!
//! ## Example
//! ```ipl
//! agreement "Consortium" { effective 2020-01-01 expires 2030-12-31 }
//! party catl "CATL"
//! asset cell "Cell patent" { class foreground owner catl }
//!
//! clause 1 "Launch window" {
//!   permit sell of cell
//!   by catl
//!   until 2021-06-30
//! }
//! ```
//!
//! ## Use instead
//! ```ipl
//! agreement "Consortium" { effective 2020-01-01 expires 2030-12-31 }
//! party catl "CATL"
//! asset cell "Cell patent" { class foreground owner catl }
//!
//! clause 1 "Sales during the term" {
//!   permit sell of cell
//!   by catl
//!   during term
//! }
//! ```

use crate::diagnostic::{Code, Diagnostic};

use super::context::LintCtx;

pub const CODE: Code = Code::ExpiredClause;

pub(crate) fn run(cx: &LintCtx, out: &mut Vec<Diagnostic>) {
    for (_, clause) in cx.clauses() {
        let ended = clause
            .windows
            .iter()
            .filter_map(|w| w.value.until.map(|u| (u, w)))
            .min_by_key(|(u, _)| *u);
        let Some((until, line)) = ended else {
            continue;
        };
        if until >= cx.today {
            continue;
        }
        out.push(
            Diagnostic::new(
                CODE,
                cx.trim(line.location).file,
                cx.trim(line.location).span,
                format!(
                    "clause `{}` expired on {until}, before today ({})",
                    clause.label, cx.today
                ),
            )
            .with_label(format!("last day {until}"))
            .with_help(format!(
                "it applies to no action dated after {until}; remove the clause, or extend its window if it should still apply"
            )),
        );
    }
}
