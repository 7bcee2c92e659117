//! ## What it does
//! Adds up the shares of income that can fall on one action: the
//! `pay N% of income` and `share income with PARTIES pro_rata` duties (each
//! party's ownership share of the asset) of the permit used and of every
//! `oblige` clause that applies and that the permit does not waive. It is
//! an error when some action the permit allows owes more than 100% of its
//! income.
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
use crate::diagnostic::{Code, Diagnostic};
use crate::names::{ClauseId, Duty, Located};
use crate::partition::{Question, Search, Verdict};
use crate::terms::ClauseKind;

use super::context::LintCtx;

pub const CODE: Code = Code::IncomeOvercommitted;

/// 100%, in hundredths of a percent.
const ALL_INCOME: u32 = 10_000;

pub(crate) fn run(cx: &LintCtx, out: &mut Vec<Diagnostic>) {
    for (id, clause) in cx.clauses() {
        if clause.kind != ClauseKind::Permit {
            continue;
        }
        let obliges: Vec<ClauseId> = cx
            .regions
            .related_of_kind(id, ClauseKind::Oblige)
            .iter()
            .copied()
            .filter(|&o| {
                o != id
                    && written_pay(cx, o) > 0
                    && !cx.waives(id, o)
                    && cx.in_force_together(id, o)
            })
            .collect();
        let most = obliges
            .iter()
            .map(|&o| written_pay(cx, o))
            .fold(written_pay(cx, id), u32::saturating_add);
        if most <= ALL_INCOME {
            continue;
        }
        let forbids: Vec<ClauseId> = cx
            .regions
            .related_of_kind(id, ClauseKind::Forbid)
            .iter()
            .copied()
            .filter(|&f| f != id && !cx.regions.prevails(id, f))
            .collect();
        if let Some(diag) = check(cx, id, &obliges, &forbids) {
            out.push(diag);
        }
    }
}

/// The most a clause's duties can owe on any action: each `pay` share
/// once per party it may be owed to, and all the income for a
/// `share … pro_rata` (the owners' shares total 100%).
fn written_pay(cx: &LintCtx, id: ClauseId) -> u32 {
    let payees = u32::try_from(cx.model.parties.len() + 1).unwrap_or(u32::MAX);
    cx.clause(id)
        .duties
        .iter()
        .map(|d| match d.value {
            Duty::Pay(pct, _) => pct.saturating_mul(payees),
            Duty::Share(_) => ALL_INCOME,
            _ => 0,
        })
        .fold(0, u32::saturating_add)
}

/// What a clause's duties owe on an action (the parties a duty is owed
/// to depend only on the actor, the asset and the date, which every
/// partial action of a search has).
fn owed(ctx: &Ctx, cx: &LintCtx, id: ClauseId) -> u32 {
    cx.clause(id).duties.iter().map(|d| share(ctx, d)).sum()
}

/// The payments a duty owes on an action: each party other than the
/// actor with its share (for `share … pro_rata`, the owners among them,
/// each with its ownership share of the asset).
fn payments(ctx: &Ctx, duty: &Duty) -> Vec<(crate::names::PartyRef, u32)> {
    match duty {
        Duty::Pay(pct, set) => ctx.members(set).into_iter().map(|p| (p, *pct)).collect(),
        Duty::Share(set) => ctx
            .members(set)
            .into_iter()
            .filter_map(|p| {
                let share = ctx.asset.share_of(&p)?;
                Some((p, share))
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The income duties a clause incurs on an action: those that owe
/// someone other than the actor.
fn incurred<'c>(ctx: &Ctx, cx: &'c LintCtx, id: ClauseId) -> Vec<&'c Located<Duty>> {
    cx.clause(id)
        .duties
        .iter()
        .filter(|d| !payments(ctx, &d.value).is_empty())
        .collect()
}

/// What a duty owes on an action, in hundredths of a percent.
fn share(ctx: &Ctx, duty: &Located<Duty>) -> u32 {
    payments(ctx, &duty.value).iter().map(|(_, s)| *s).sum()
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
        let bound = owed(ctx, cx, id)
            + obliges
                .iter()
                .zip(o)
                .filter(|(_, v)| **v != Tri::False)
                .map(|(&c, _)| owed(ctx, cx, c))
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
            .map(|d| share(ctx, d))
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
    let mut diag = Diagnostic::new(CODE, cx.head(id).file, cx.head(id).span, String::new())
        .with_label("permits actions that owe too much");
    for &c in &paying {
        for duty in incurred(&ctx, cx, c) {
            let owed = payments(&ctx, &duty.value);
            let sum: u32 = owed.iter().map(|(_, s)| *s).sum();
            total += sum;
            let text = match &duty.value {
                Duty::Share(_) => {
                    let payees: Vec<String> = owed
                        .iter()
                        .map(|(p, s)| {
                            format!(
                                "{} to `{}`",
                                crate::syntax::ast::percent_text(*s),
                                cx.model.party_name(p)
                            )
                        })
                        .collect();
                    format!("{} pro rata", payees.join(", "))
                }
                _ => {
                    let payees: Vec<String> = owed
                        .iter()
                        .map(|(p, _)| format!("`{}`", cx.model.party_name(p)))
                        .collect();
                    let pct = owed.first().map_or(0, |(_, s)| *s);
                    format!(
                        "{} to {}",
                        crate::syntax::ast::percent_text(pct),
                        payees.join(", ")
                    )
                }
            };
            shares.push(format!("{text} ({})", cx.name(c)));
            diag = diag.with_related(
                cx.trim(duty.location),
                format!("{} of income", crate::syntax::ast::percent_text(sum)),
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
