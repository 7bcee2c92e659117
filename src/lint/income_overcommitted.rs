//! ## What it does
//! Adds up the `pay N% of income` duties that can fall on one action: the
//! duties of the permit used and of every `oblige` clause that applies. It
//! is an error when some action the permit allows owes more than 100% of
//! its income.
//!
//! ## Why is this bad?
//! Shares of income beyond 100% cannot all be honoured: the parties were
//! promised money that does not exist, and the first dispute will be about
//! which promise gives way. The total is rarely visible in one place,
//! because the shares come from different clauses.
//!
//! ## Example
//! ```ipl
//! agreement "Consortium" { effective 2025-01-01 expires 2028-12-31 }
//! party catl "CATL"
//! party bmw "BMW"
//! party umicore "Umicore"
//! asset cell "Cell patent" { class foreground owners catl 60%, bmw 40% }
//!
//! clause 1 "Licences of joint results" {
//!   permit license of foreground jointly_owned
//!   by owners
//!   duty pay 70% of income to co_owners
//! }
//! clause 2 "Royalty to the coordinator" {
//!   oblige license of foreground
//!   duty pay 40% of income to umicore
//! }
//! ```
//!
//! ## Use instead
//! ```ipl
//! agreement "Consortium" { effective 2025-01-01 expires 2028-12-31 }
//! party catl "CATL"
//! party bmw "BMW"
//! party umicore "Umicore"
//! asset cell "Cell patent" { class foreground owners catl 60%, bmw 40% }
//!
//! clause 1 "Licences of joint results" {
//!   permit license of foreground jointly_owned
//!   by owners
//!   duty pay 40% of income to co_owners
//! }
//! clause 2 "Royalty to the coordinator" {
//!   oblige license of foreground
//!   duty pay 10% of income to umicore
//! }
//! ```

use crate::decide::eval::Ctx;
use crate::decide::logic::Tri;
use crate::diagnostic::Diagnostic;
use crate::names::{ClauseId, Duty, Located};
use crate::partition::{Question, Search, Verdict};
use crate::syntax::ast::ClauseKind;

use super::context::LintCtx;

pub const CODE: &str = "ipl::lint::income_overcommitted";

/// 100%, in hundredths of a percent.
const ALL_INCOME: u32 = 10_000;

pub(crate) fn run(cx: &LintCtx, out: &mut Vec<Diagnostic>) {
    for (id, clause) in cx.clauses() {
        if clause.kind != ClauseKind::Permit {
            continue;
        }
        let related = cx.regions.related(id);
        let obliges: Vec<ClauseId> = related
            .iter()
            .copied()
            .filter(|&o| cx.clause(o).kind == ClauseKind::Oblige && written_pay(cx, o) > 0)
            .collect();
        let most = written_pay(cx, id) + obliges.iter().map(|&o| written_pay(cx, o)).sum::<u32>();
        if most <= ALL_INCOME {
            continue;
        }
        let forbids: Vec<ClauseId> = related
            .iter()
            .copied()
            .filter(|&f| cx.clause(f).kind == ClauseKind::Forbid && !cx.regions.prevails(id, f))
            .collect();
        if let Some(diag) = check(cx, id, &obliges, &forbids) {
            out.push(diag);
        }
    }
}

/// Every `pay` share a clause writes, whoever it is owed to.
fn written_pay(cx: &LintCtx, id: ClauseId) -> u32 {
    cx.clause(id)
        .duties
        .iter()
        .map(|d| match d.value {
            Duty::Pay(pct, _) => pct,
            _ => 0,
        })
        .sum()
}

/// The `pay` duties a clause incurs on an action: those owed to someone
/// other than the actor.
fn incurred<'c>(ctx: &Ctx, cx: &'c LintCtx, id: ClauseId) -> Vec<&'c Located<Duty>> {
    cx.clause(id)
        .duties
        .iter()
        .filter(|d| matches!(&d.value, Duty::Pay(_, set) if !ctx.members(set).is_empty()))
        .collect()
}

fn share(duty: &Located<Duty>) -> u32 {
    match duty.value {
        Duty::Pay(pct, _) => pct,
        _ => 0,
    }
}

fn check(
    cx: &LintCtx,
    id: ClauseId,
    obliges: &[ClauseId],
    forbids: &[ClauseId],
) -> Option<Diagnostic> {
    let others: Vec<ClauseId> = obliges.iter().chain(forbids).copied().collect();
    let question = Question {
        base: &[id],
        others: &others,
        duties: true,
        asset: None,
    };
    let n = obliges.len();
    let search = cx.regions.witness(&question, &mut |ctx, t| {
        let (permit, o, f) = (t[0], &t[1..=n], &t[n + 1..]);
        if permit == Tri::False || f.contains(&Tri::True) {
            return Verdict::Prune;
        }
        let bound = written_pay(cx, id)
            + obliges
                .iter()
                .zip(o)
                .filter(|(_, v)| **v != Tri::False)
                .map(|(&c, _)| written_pay(cx, c))
                .sum::<u32>();
        if bound <= ALL_INCOME {
            return Verdict::Prune;
        }
        if t.contains(&Tri::Unknown) {
            return Verdict::Continue;
        }
        let total: u32 = std::iter::once(id)
            .chain(
                obliges
                    .iter()
                    .zip(o)
                    .filter(|(_, v)| **v == Tri::True)
                    .map(|(&c, _)| c),
            )
            .flat_map(|c| incurred(ctx, cx, c))
            .map(share)
            .sum();
        if total > ALL_INCOME {
            Verdict::Found
        } else {
            Verdict::Prune
        }
    });
    let Search::Found(witness) = search else {
        return None;
    };
    let ctx = Ctx::new(cx.model, &witness);
    let paying: Vec<ClauseId> = std::iter::once(id)
        .chain(
            obliges
                .iter()
                .copied()
                .filter(|&o| cx.value(o, &witness) == Tri::True),
        )
        .collect();
    let mut total = 0;
    let mut shares = Vec::new();
    let mut diag = Diagnostic::error(CODE, cx.head(id).file, cx.head(id).span, String::new())
        .with_label("permits actions that owe too much");
    for &c in &paying {
        for duty in incurred(&ctx, cx, c) {
            let Duty::Pay(pct, set) = &duty.value else {
                continue;
            };
            total += pct;
            let payees: Vec<String> = ctx
                .members(set)
                .iter()
                .map(|p| format!("`{}`", cx.model.party_name(p)))
                .collect();
            shares.push(format!(
                "{} to {} ({})",
                crate::syntax::ast::percent_text(*pct),
                payees.join(", "),
                cx.name(c)
            ));
            diag = diag.with_related(
                cx.trim(duty.location),
                format!("{} of income", crate::syntax::ast::percent_text(*pct)),
            );
        }
    }
    diag.message = format!(
        "an action permitted by {} owes {} of its income",
        cx.name(id),
        crate::syntax::ast::percent_text(total)
    );
    Some(diag.with_help(format!(
        "shares of income can total at most 100%; lower them, or narrow the clauses so they do not fall on the same action\n{}",
        cx.witness(&witness, &format!("owes {}", shares.join(", ")))
    )))
}
