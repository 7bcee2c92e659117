//! Duties: preconditions checked against the action's facts (satisfied,
//! violated or open) and obligations the action incurs, one outcome per
//! party owed; and the `owes` lines of scenarios matched against them.

use std::sync::Arc;

use jiff::civil::Date;
use serde::Serialize;

use super::eval::Ctx;
use super::logic::Tri;
use crate::names::{ClauseId, Duty, Located, PartyRef};
use crate::span::Location;
use crate::syntax::ast::percent_text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DutyStatus {
    Satisfied,
    Violated,
    Open,
    /// An obligation: owed, never checkable.
    Incurred,
}

/// What one outcome owes, as data: the English is made from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Owed {
    /// Notice to `party`, received by `deadline` (`None`: no day is early
    /// enough).
    Notify {
        party: String,
        deadline: Option<Date>,
    },
    Consent {
        party: String,
    },
    /// A share of income in hundredths of a percent; `pro_rata` when it
    /// is the party's ownership share.
    Pay {
        party: String,
        hundredths: u32,
        pro_rata: bool,
    },
    Compensate {
        party: String,
    },
    Text {
        text: String,
    },
}

/// A duty as it bears on one action, for one party.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DutyOutcome {
    /// The clause's label, shared with the engine.
    pub clause: Arc<str>,
    #[serde(skip)]
    pub clause_id: ClauseId,
    /// What is owed, in words: "notify `umicore` 45 days before".
    pub duty: String,
    pub status: DutyStatus,
    /// For an open notice: the last day to give it.
    pub deadline: Option<Date>,
    /// Why it is violated: "notice received on 2026-04-18, due by 2026-04-17".
    pub detail: Option<String>,
    /// For a payment on an action that states its income: the amount.
    pub amount: Option<String>,
    #[serde(skip)]
    pub owed: Owed,
    #[serde(skip)]
    pub location: Location,
}

/// Every outcome of one duty line. Duties owed to the actor are void and
/// yield nothing.
pub fn outcomes(
    ctx: &Ctx,
    clause_id: ClauseId,
    label: &Arc<str>,
    duty: &Located<Duty>,
) -> Vec<DutyOutcome> {
    let model = ctx.model;
    let outcome = |duty_text: String, owed: Owed, status, deadline, detail| DutyOutcome {
        clause: label.clone(),
        clause_id,
        duty: duty_text,
        status,
        deadline,
        detail,
        amount: None,
        owed,
        location: duty.location,
    };
    let name = |p: &PartyRef| model.party_name(p).to_string();
    match &duty.value {
        Duty::Notify(parties, due) => {
            let deadline = ctx.deadline(*due);
            ctx.members(parties)
                .iter()
                .map(|p| {
                    let party = name(p);
                    let text = format!("notify `{party}` {due} before");
                    let owed = Owed::Notify { party, deadline };
                    let received = ctx.notice_received(p);
                    match (notice_status(received, deadline), received) {
                        (DutyStatus::Satisfied, _) => {
                            outcome(text, owed, DutyStatus::Satisfied, None, None)
                        }
                        (_, Some(received)) => {
                            let due_by = deadline.map_or_else(
                                || "no day is early enough".to_string(),
                                |d| format!("due by {d}"),
                            );
                            outcome(
                                text,
                                owed,
                                DutyStatus::Violated,
                                None,
                                Some(format!("notice received on {received}, {due_by}")),
                            )
                        }
                        (_, None) => outcome(text, owed, DutyStatus::Open, deadline, None),
                    }
                })
                .collect()
        }
        Duty::ObtainConsent(parties) => ctx
            .members(parties)
            .iter()
            .map(|p| {
                let party = name(p);
                let text = format!("obtain the consent of `{party}`");
                let owed = Owed::Consent { party };
                match consent_status(ctx.consented(p)) {
                    DutyStatus::Violated => outcome(
                        text,
                        owed,
                        DutyStatus::Violated,
                        None,
                        Some("no consent given".to_string()),
                    ),
                    status => outcome(text, owed, status, None, None),
                }
            })
            .collect(),
        Duty::Pay(pct, parties) => ctx
            .members(parties)
            .iter()
            .map(|p| payment(ctx, &outcome, name(p), *pct, false))
            .collect(),
        Duty::Share(parties) => ctx
            .members(parties)
            .iter()
            .filter_map(|p| {
                let share = ctx.asset.share_of(p)?;
                Some(payment(ctx, &outcome, name(p), share, true))
            })
            .collect(),
        Duty::Compensate(parties) => ctx
            .members(parties)
            .iter()
            .map(|p| {
                let party = name(p);
                outcome(
                    format!("compensate `{party}` fairly"),
                    Owed::Compensate { party },
                    DutyStatus::Incurred,
                    None,
                    None,
                )
            })
            .collect(),
        Duty::Text(text) => vec![outcome(
            text.clone(),
            Owed::Text { text: text.clone() },
            DutyStatus::Incurred,
            None,
            None,
        )],
    }
}

/// A notice received on `received` against the last day it may be
/// received: satisfied, violated (too late, or no day is early enough), or
/// open (not yet given).
fn notice_status(received: Option<Date>, deadline: Option<Date>) -> DutyStatus {
    match received {
        Some(r) if deadline.is_some_and(|d| r <= d) => DutyStatus::Satisfied,
        Some(_) => DutyStatus::Violated,
        None => DutyStatus::Open,
    }
}

/// A consent given, refused, or not yet known.
fn consent_status(consented: Tri) -> DutyStatus {
    match consented {
        Tri::True => DutyStatus::Satisfied,
        Tri::False => DutyStatus::Violated,
        Tri::Unknown => DutyStatus::Open,
    }
}

/// Does some party's precondition under this duty line (a notice or a
/// consent) have a status `wanted` accepts? The statuses `outcomes`
/// gives, without putting them in words; obligations have none to check.
pub fn any_precondition(
    ctx: &Ctx,
    duty: &Located<Duty>,
    wanted: impl Fn(DutyStatus) -> bool,
) -> bool {
    match &duty.value {
        Duty::Notify(parties, due) => {
            let deadline = ctx.deadline(*due);
            ctx.members(parties)
                .iter()
                .any(|p| wanted(notice_status(ctx.notice_received(p), deadline)))
        }
        Duty::ObtainConsent(parties) => ctx
            .members(parties)
            .iter()
            .any(|p| wanted(consent_status(ctx.consented(p)))),
        Duty::Pay(..) | Duty::Share(_) | Duty::Compensate(_) | Duty::Text(_) => false,
    }
}

fn payment(
    ctx: &Ctx,
    outcome: &dyn Fn(String, Owed, DutyStatus, Option<Date>, Option<String>) -> DutyOutcome,
    party: String,
    hundredths: u32,
    pro_rata: bool,
) -> DutyOutcome {
    let share = if pro_rata {
        " (its ownership share)"
    } else {
        ""
    };
    let text = format!(
        "pay {} of income to `{party}`{share}",
        percent_text(hundredths)
    );
    let mut o = outcome(
        text,
        Owed::Pay {
            party,
            hundredths,
            pro_rata,
        },
        DutyStatus::Incurred,
        None,
        None,
    );
    o.amount = ctx.action.income.as_ref().map(|income| {
        let cents = u128::from(income.cents) * u128::from(hundredths) / 10_000;
        crate::syntax::ast::Money {
            cents: u64::try_from(cents).unwrap_or(u64::MAX),
            currency: income.currency.clone(),
        }
        .to_string()
    });
    o
}

/// Does a decision carry what an `owes` line asks for? Every outcome the
/// line expands to (one per party) must match an obligation incurred or a
/// precondition met or open. Returns what is missing, in words.
pub fn missing_owed<'o>(
    ctx: &Ctx,
    owes: &Located<Duty>,
    carried: impl Iterator<Item = &'o DutyOutcome> + Clone,
) -> Vec<String> {
    let wanted = outcomes(ctx, ClauseId(0), &Arc::from(""), owes);
    if wanted.is_empty() {
        return vec!["a duty owed to nobody but the actor".to_string()];
    }
    wanted
        .into_iter()
        .filter(|w| !carried.clone().any(|c| owed_matches(&w.owed, &c.owed)))
        .map(|w| w.duty)
        .collect()
}

/// `share income with P pro_rata` counts as `pay S% of income to P`.
fn owed_matches(wanted: &Owed, carried: &Owed) -> bool {
    match (wanted, carried) {
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
        ) => a == b && x == y,
        (a, b) => a == b,
    }
}
