//! Duties: preconditions checked against the action's facts (satisfied,
//! violated or open) and obligations the action incurs.

use jiff::civil::Date;
use serde::Serialize;

use super::eval::Ctx;
use super::logic::Tri;
use crate::names::{ClauseId, Duty, Located, PartyRef};
use crate::span::Location;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DutyStatus {
    Satisfied,
    Violated,
    Open,
    /// An obligation: owed, never checkable.
    Incurred,
}

/// A duty as it bears on one action (per party for preconditions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DutyOutcome {
    pub clause: String,
    #[serde(skip)]
    pub clause_id: ClauseId,
    /// What is owed, in words: "notify `umicore` 45 days before".
    pub duty: String,
    pub status: DutyStatus,
    /// For an open notice: the last day to give it.
    pub deadline: Option<Date>,
    /// Why it is violated: "30 days' notice given, 45 due".
    pub detail: Option<String>,
    #[serde(skip)]
    pub location: Location,
}

/// Every outcome of one duty line. Duties owed to the actor are void and
/// yield nothing.
pub fn outcomes(
    ctx: &Ctx,
    clause_id: ClauseId,
    label: &str,
    duty: &Located<Duty>,
) -> Vec<DutyOutcome> {
    let model = ctx.model;
    let outcome = |duty_text: String, status, deadline, detail| DutyOutcome {
        clause: label.to_string(),
        clause_id,
        duty: duty_text,
        status,
        deadline,
        detail,
        location: duty.location,
    };
    match &duty.value {
        Duty::Notify(parties, due) => {
            let due_days = ctx.days_before(*due);
            ctx.members(parties)
                .iter()
                .map(|p| {
                    let name = model.party_name(p);
                    let text = format!("notify `{name}` {} before", due);
                    match ctx.notice_days(p) {
                        Some(given) if given >= due_days => {
                            outcome(text, DutyStatus::Satisfied, None, None)
                        }
                        Some(given) => outcome(
                            text,
                            DutyStatus::Violated,
                            None,
                            Some(format!("{given} days' notice given, {due_days} due")),
                        ),
                        None => outcome(text, DutyStatus::Open, ctx.deadline(*due), None),
                    }
                })
                .collect()
        }
        Duty::ObtainConsent(parties) => ctx
            .members(parties)
            .iter()
            .map(|p| {
                let text = format!("obtain the consent of `{}`", model.party_name(p));
                match ctx.consented(p) {
                    Tri::True => outcome(text, DutyStatus::Satisfied, None, None),
                    Tri::False => outcome(
                        text,
                        DutyStatus::Violated,
                        None,
                        Some("no consent given".to_string()),
                    ),
                    Tri::Unknown => outcome(text, DutyStatus::Open, None, None),
                }
            })
            .collect(),
        Duty::Pay(pct, parties) => {
            let owed = ctx.members(parties);
            if owed.is_empty() {
                return Vec::new();
            }
            let text = format!(
                "pay {} of income to {}",
                crate::syntax::ast::percent_text(*pct),
                names(ctx, &owed)
            );
            vec![outcome(text, DutyStatus::Incurred, None, None)]
        }
        Duty::Compensate(parties) => {
            let owed = ctx.members(parties);
            if owed.is_empty() {
                return Vec::new();
            }
            vec![outcome(
                format!("compensate {} fairly", names(ctx, &owed)),
                DutyStatus::Incurred,
                None,
                None,
            )]
        }
        Duty::Text(text) => vec![outcome(text.clone(), DutyStatus::Incurred, None, None)],
    }
}

fn names(ctx: &Ctx, parties: &[PartyRef]) -> String {
    let names: Vec<String> = parties
        .iter()
        .map(|p| format!("`{}`", ctx.model.party_name(p)))
        .collect();
    names.join(", ")
}
