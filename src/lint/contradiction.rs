//! ## What it does
//! Finds a permit and a forbid with the same scope (the same verbs,
//! assets, parties, fields, territories, time lines and conditions, in any
//! order) and no `notwithstanding` between them. This is an error.
//!
//! ## Why is this bad?
//! The two clauses say opposite things about exactly the same actions.
//! The engine lets the forbid win, so the permit is dead; but nothing in
//! the text says which one the parties meant.
//!
//! ## Example
//! ```ipl
//! agreement "Consortium" { effective 2025-01-01 expires 2028-12-31 }
//! party catl "CATL"
//! party bmw "BMW"
//! asset cell "Cell patent" { class foreground owners catl 50%, bmw 50% }
//!
//! clause 1 "Joint owners may publish" {
//!   permit publish of foreground jointly_owned
//!   by owners
//! }
//! clause 2 "No publication of joint results" {
//!   forbid publish of foreground jointly_owned
//!   by owners
//! }
//! ```
//!
//! ## Use instead
//! ```ipl
//! agreement "Consortium" { effective 2025-01-01 expires 2028-12-31 }
//! party catl "CATL"
//! party bmw "BMW"
//! asset cell "Cell patent" { class foreground owners catl 50%, bmw 50% }
//!
//! clause 1 "Joint owners may publish, unless a co-owner objects" {
//!   permit publish of foreground jointly_owned
//!   by owners
//!   unless objection of co_owners
//! }
//! ```

use crate::diagnostic::{Code, Diagnostic};

use super::context::LintCtx;

pub const CODE: Code = Code::Contradiction;

pub(crate) fn run(cx: &LintCtx, out: &mut Vec<Diagnostic>) {
    for &(permit, forbid) in cx.contradictions() {
        let p = cx.clause(permit);
        let f = cx.clause(forbid);
        let witness = cx
            .regions
            .overlap(permit, forbid)
            .witness()
            .map(|w| {
                format!(
                    "\n{}",
                    cx.witness(
                        w,
                        &format!(
                            "is denied by {}, although {} permits it",
                            cx.name(forbid),
                            cx.name(permit)
                        )
                    )
                )
            })
            .unwrap_or_default();
        let mut diag = Diagnostic::new(
                CODE,
                cx.head(permit).file,
                cx.head(permit).span,
                format!(
                    "permit `{}` and forbid `{}` cover exactly the same actions",
                    p.label, f.label
                ),
            )
            .with_label("permits these actions")
            .with_related(cx.head(forbid), format!("{} forbids the same actions", cx.name(forbid)))
            .with_help(format!(
                "decide which clause holds: add `notwithstanding {}` to {} if it is an exception, or remove one of them{witness}",
                f.label,
                cx.name(permit)
            ));
        if let Some(fix) = super::fixes::add_notwithstanding(cx, permit, &[forbid]) {
            diag = diag.with_fix(fix);
        }
        out.push(diag);
    }
}
