//! ## What it does
//! Finds a permit and a forbid with the same scope (the same verbs,
//! assets, parties, fields, territories, time lines and conditions, in any
//! order) and no `notwithstanding` between them. This is an error. One
//! finding per permit: it names the first ten such forbids, counts the
//! rest and gives one witness.
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
    for c in cx.contradictions() {
        let (permit, forbids) = (c.permit, c.forbids.as_slice());
        let Some(&forbid) = forbids.first() else {
            continue;
        };
        let p = cx.clause(permit);
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
        let labels: Vec<&str> = forbids
            .iter()
            .map(|&f| cx.clause(f).label.as_str())
            .collect();
        let more = c.count - forbids.len();
        let message = if c.count == 1 {
            format!(
                "permit `{}` and forbid `{forbid_label}` cover exactly the same actions",
                p.label,
                forbid_label = cx.clause(forbid).label
            )
        } else {
            format!(
                "permit `{}` and {} forbids cover exactly the same actions: {}{}",
                p.label,
                c.count,
                labels
                    .iter()
                    .map(|l| format!("`{l}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            )
        };
        let mut diag = Diagnostic::new(CODE, cx.head(permit).file, cx.head(permit).span, message)
            .with_label("permits these actions");
        for &f in forbids {
            diag = diag.with_related(
                cx.head(f),
                format!("{} forbids the same actions", cx.name(f)),
            );
        }
        let advice = if more > 0 {
            format!(
                "decide which clauses hold: give {} priority over the {} forbids (`notwithstanding {}, …`) if it is an exception, or remove the copies",
                cx.name(permit),
                c.count,
                labels.join(", ")
            )
        } else if c.count > 1 {
            format!(
                "decide which clauses hold: add `notwithstanding {}` to {} if it is an exception, or remove the copies",
                labels.join(", "),
                cx.name(permit)
            )
        } else {
            format!(
                "decide which clause holds: add `notwithstanding {}` to {} if it is an exception, or remove one of them",
                labels.join(", "),
                cx.name(permit)
            )
        };
        // The fix names every forbid, so only when the finding does.
        if more == 0
            && let Some(fix) = super::fixes::add_notwithstanding(cx, permit, forbids)
        {
            diag = diag.with_fix(fix);
        }
        out.push(diag.with_help(format!("{advice}{witness}")));
    }
}
