//! ## What it does
//! Finds permits that can never decide anything: every action the permit
//! covers is also covered by a forbid the permit has no priority over, so
//! the permit is blocked wherever it applies. A permit that an amendment
//! kills (a forbid that starts to apply on its date) is reported with that
//! date; two versions of one clause are never compared (they are not in
//! force together).
//!
//! ## Why is this bad?
//! A permit nobody can use reads as a right the parties have, but the
//! engine will deny every action it was written for. Usually the permit
//! was meant as an exception to the forbid and lacks `notwithstanding`, or
//! the forbid is broader than intended.
//!
//! ## Example
//! ```ipl
//! agreement "Consortium" { effective 2025-01-01 expires 2028-12-31 }
//! party catl "CATL"
//! territories { asia { cn, jp } }
//! asset cell "Cell patent" { class foreground owner catl }
//!
//! clause 1 "No licences in Asia" {
//!   forbid license of foreground
//!   territory asia
//! }
//! clause 2 "CATL may license in China" {
//!   permit license of cell
//!   by catl
//!   territory cn
//! }
//! ```
//!
//! ## Use instead
//! ```ipl
//! agreement "Consortium" { effective 2025-01-01 expires 2028-12-31 }
//! party catl "CATL"
//! territories { asia { cn, jp } }
//! asset cell "Cell patent" { class foreground owner catl }
//!
//! clause 1 "No licences in Asia" {
//!   forbid license of foreground
//!   territory asia
//! }
//! clause 2 "CATL may license in China" notwithstanding 1 {
//!   permit license of cell
//!   by catl
//!   territory cn
//! }
//! ```

use crate::decide::logic::Tri;
use crate::diagnostic::{Code, Diagnostic};
use crate::names::ClauseId;
use crate::partition::{Question, Search, settle};
use crate::terms::ClauseKind;

use super::context::LintCtx;

pub const CODE: Code = Code::DeadPermit;

pub(crate) fn run(cx: &LintCtx, out: &mut Vec<Diagnostic>) {
    for (id, clause) in cx.clauses() {
        if clause.kind != ClauseKind::Permit || cx.contradicted(id) {
            continue;
        }
        let blockers: Vec<ClauseId> = cx
            .regions
            .related_of_kind(id, ClauseKind::Forbid)
            .iter()
            .copied()
            .filter(|&f| f != id && !cx.regions.prevails(id, f))
            .collect();
        if blockers.is_empty() {
            continue;
        }
        if let Some(diag) = check(cx, id, &blockers) {
            out.push(diag);
        }
    }
}

fn check(cx: &LintCtx, id: ClauseId, blockers: &[ClauseId]) -> Option<Diagnostic> {
    // Dead from the start; else dead from an amendment's date on (the
    // first one after which it can never decide, while still in force).
    let mut dates: Vec<(jiff::civil::Date, &str)> = cx
        .model
        .amendments
        .iter()
        .filter_map(|a| a.effective.map(|d| (d, a.label.as_str())))
        .filter(|(d, _)| cx.clause(id).in_force.on(*d))
        .collect();
    dates.sort();
    let starts = std::iter::once(None).chain(dates.into_iter().map(Some));
    for since in starts {
        if let Some(diag) = check_since(cx, id, blockers, since) {
            return Some(diag);
        }
    }
    None
}

fn check_since(
    cx: &LintCtx,
    id: ClauseId,
    blockers: &[ClauseId],
    since: Option<(jiff::civil::Date, &str)>,
) -> Option<Diagnostic> {
    let base = [id];
    let question = Question::about(&base, blockers);
    let early = |ctx: &crate::decide::eval::Ctx| since.is_some_and(|(d, _)| ctx.action.date < d);
    // An action the permit applies to with every blocker out of the way?
    let alive = cx.regions.witness(&question, &mut |ctx, t| {
        let (permit, forbids) = (t[0], &t[1..]);
        if early(ctx) {
            return crate::partition::Verdict::Prune;
        }
        settle(
            permit == Tri::True && forbids.iter().all(|f| *f == Tri::False),
            permit == Tri::False || forbids.contains(&Tri::True),
        )
    });
    if !alive.is_impossible() {
        return None;
    }
    // Dead, unless it never applies at all (empty_selector's business).
    let blocked = cx.regions.witness(&question, &mut |ctx, t| {
        let (permit, forbids) = (t[0], &t[1..]);
        if early(ctx) {
            return crate::partition::Verdict::Prune;
        }
        settle(
            permit == Tri::True && forbids.contains(&Tri::True),
            permit == Tri::False || forbids.iter().all(|f| *f == Tri::False),
        )
    });
    let Search::Found(witness) = blocked else {
        return None;
    };
    let named: Vec<ClauseId> = blockers
        .iter()
        .copied()
        .filter(|&f| cx.regions.overlap(id, f).witness().is_some())
        .collect();
    let decider = blockers
        .iter()
        .copied()
        .find(|&f| cx.value(f, &witness) == Tri::True)?;
    let clause = cx.clause(id);
    let mut diag = Diagnostic::new(
        CODE,
        cx.head(id).file,
        cx.head(id).span,
        format!(
            "permit `{}` can never decide anything{}: every action it covers is forbidden by {}",
            clause.label,
            since
                .map(|(d, a)| format!(" from {d} (amendment {a})"))
                .unwrap_or_default(),
            cx.names(&named)
        ),
    )
    .with_label("blocked wherever it applies");
    for &f in &named {
        diag = diag.with_related(
            cx.head(f),
            format!("{} forbids actions of this permit", cx.name(f)),
        );
    }
    let labels: Vec<&str> = named.iter().map(|&f| cx.clause(f).label.as_str()).collect();
    if let Some(fix) = super::fixes::add_notwithstanding(cx, id, &named) {
        diag = diag.with_fix(fix);
    }
    Some(diag.with_help(format!(
        "if the permit is an exception, give it priority with `notwithstanding {}`; otherwise narrow the forbid or remove the permit\n{}",
        labels.join(", "),
        cx.witness(&witness, &format!("is denied by {}", cx.name(decider)))
    )))
}
