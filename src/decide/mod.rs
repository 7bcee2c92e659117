//! Decide: the three-valued decision engine (LANGUAGE.md §5). Given a
//! resolved policy and an action, permit, conditional or deny, with reasons.

pub mod describe;
pub mod duties;
pub mod eval;
mod grants;
mod index;
pub mod logic;
pub mod record;

use std::collections::HashSet;
use std::sync::Arc;

use duties::{DutyOutcome, DutyStatus};
use eval::{ClauseEval, Ctx};
use logic::Tri;
pub use record::*;

use crate::names::{Action, ClauseId, Model};
use crate::syntax::ast::{ClauseKind, Decision};

/// A policy compiled for deciding: the model plus its clause index.
pub struct Engine<'m> {
    model: &'m Model,
    index: index::Index,
    /// Clause labels and titles, shared by every decision record.
    labels: Vec<(Arc<str>, Option<Arc<str>>)>,
}

/// A permit's standing for one action.
struct PermitOutcome {
    id: ClauseId,
    decision: Decision,
    residuals: Vec<String>,
    open: Vec<DutyOutcome>,
    obligations: Vec<DutyOutcome>,
}

impl<'m> Engine<'m> {
    pub fn new(model: &'m Model) -> Engine<'m> {
        let labels = model
            .clauses
            .iter()
            .map(|c| {
                (
                    Arc::from(c.label.as_str()),
                    c.title.as_deref().map(Arc::from),
                )
            })
            .collect();
        Engine {
            model,
            index: index::Index::new(model),
            labels,
        }
    }

    pub fn model(&self) -> &'m Model {
        self.model
    }

    /// Decides one action.
    pub fn decide(&self, action: &Action) -> DecisionRecord {
        let model = self.model;
        let ctx = Ctx::new(model, action);
        let candidates = self
            .index
            .candidates(action.asset.index(), action.verb.index());
        let evals: Vec<(ClauseId, ClauseEval)> = candidates
            .into_iter()
            .map(|id| (id, ctx.clause(model.clause(id))))
            .collect();
        let of_kind = |kind: ClauseKind, tri: Tri| {
            evals
                .iter()
                .filter(move |(id, e)| model.clause(*id).kind == kind && e.tri() == tri)
                .map(|(id, _)| *id)
        };
        let forbids: Vec<ClauseId> = of_kind(ClauseKind::Forbid, Tri::True).collect();
        let maybe_forbids: Vec<ClauseId> = of_kind(ClauseKind::Forbid, Tri::Unknown).collect();
        let obliges: Vec<ClauseId> = of_kind(ClauseKind::Oblige, Tri::True).collect();
        let maybe_obliges: Vec<ClauseId> = of_kind(ClauseKind::Oblige, Tri::Unknown).collect();

        // Duties every permit carries along: those of applicable obliges.
        let oblige_duties: Vec<DutyOutcome> =
            obliges.iter().flat_map(|&o| self.duties(&ctx, o)).collect();
        let mut oblige_residuals = Vec::new();
        for &o in &maybe_obliges {
            let pending = self
                .duties(&ctx, o)
                .into_iter()
                .filter(|d| matches!(d.status, DutyStatus::Open | DutyStatus::Violated));
            if pending.count() > 0 {
                oblige_residuals.push(format!(
                    "if clause {} applies, its duties are met",
                    model.clause(o).label
                ));
            }
        }

        let mut consulted: Vec<ClauseStatus> = Vec::new();
        let mut outcomes: Vec<PermitOutcome> = Vec::new();
        let mut violated: Vec<DutyOutcome> = Vec::new();
        for (id, eval) in &evals {
            let clause = model.clause(*id);
            let status = match (clause.kind, eval.tri()) {
                (_, Tri::False) => Status::FailedOn {
                    parts: eval.failed.iter().map(|l| l.part).collect(),
                },
                (ClauseKind::Permit, tri) => {
                    if let Some(&f) = forbids.iter().find(|&&f| !self.prevails(*id, f)) {
                        Status::BlockedBy {
                            label: model.clause(f).label.clone(),
                        }
                    } else {
                        let outcome = self.permit_outcome(
                            &ctx,
                            *id,
                            eval,
                            tri,
                            &maybe_forbids,
                            &oblige_duties,
                        );
                        match outcome {
                            Ok(o) => {
                                let status = if o.decision == Decision::Permit {
                                    Status::Applied
                                } else {
                                    Status::MayApply
                                };
                                outcomes.push(o);
                                status
                            }
                            Err(v) => {
                                violated.extend(v);
                                Status::Violated
                            }
                        }
                    }
                }
                (_, Tri::True) => Status::Applied,
                (_, _) => Status::MayApply,
            };
            let (label, title) = &self.labels[id.index()];
            consulted.push(ClauseStatus {
                label: label.clone(),
                title: title.clone(),
                kind: clause.kind,
                status,
                location: clause.location,
            });
        }

        let grant_check = grants::check(&ctx, &self.index);
        let mut record = DecisionRecord {
            decision: Decision::Deny,
            decided_by: None,
            decided_by_kind: None,
            decided_by_location: None,
            summary: String::new(),
            alternatives: Vec::new(),
            residual_conditions: Vec::new(),
            open_preconditions: Vec::new(),
            violated_preconditions: violated,
            obligations: Vec::new(),
            near_misses: Vec::new(),
            consulted,
        };

        if outcomes.is_empty() || grant_check.definite.is_some() {
            self.explain_deny(&mut record, &forbids, &grant_check, &evals);
            return record;
        }
        // The best permit: permit before conditional, then fewer residual
        // conditions, then source order (outcomes are in source order).
        for o in &mut outcomes {
            o.residuals.extend(oblige_residuals.iter().cloned());
            o.residuals.extend(grant_check.possible.iter().cloned());
            if !o.residuals.is_empty() || !o.open.is_empty() {
                o.decision = Decision::Conditional;
            }
        }
        let best = outcomes
            .iter()
            .enumerate()
            .min_by_key(|(i, o)| {
                (
                    o.decision != Decision::Permit,
                    o.residuals.len() + o.open.len(),
                    *i,
                )
            })
            .map_or(0, |(i, _)| i);
        let chosen = outcomes.swap_remove(best);
        let clause = model.clause(chosen.id);
        record.decision = chosen.decision;
        record.decided_by = Some(clause.label.clone());
        record.decided_by_kind = Some(DeciderKind::Clause);
        record.decided_by_location = Some(clause.location);
        record.summary = match chosen.decision {
            Decision::Permit => format!("permitted by clause {}", clause.label),
            _ => format!(
                "permitted by clause {} provided the conditions below hold",
                clause.label
            ),
        };
        record.residual_conditions = chosen.residuals;
        record.open_preconditions = chosen.open;
        record.obligations = chosen.obligations;
        outcomes.sort_by_key(|o| o.id);
        record.alternatives = outcomes
            .iter()
            .map(|o| Alternative {
                label: model.clause(o.id).label.clone(),
                decision: o.decision,
            })
            .collect();
        record
    }

    /// A permit that is not blocked outright: its residual conditions and
    /// duties, or the violated preconditions that rule it out.
    fn permit_outcome(
        &self,
        ctx: &Ctx,
        id: ClauseId,
        eval: &ClauseEval,
        tri: Tri,
        maybe_forbids: &[ClauseId],
        oblige_duties: &[DutyOutcome],
    ) -> Result<PermitOutcome, Vec<DutyOutcome>> {
        let model = self.model;
        let clause = model.clause(id);
        let mut residuals: Vec<String> = Vec::new();
        if tri == Tri::Unknown {
            residuals.extend(
                eval.unknown
                    .iter()
                    .map(|l| describe::line(model, clause, l.part, l.index)),
            );
        }
        for &f in maybe_forbids {
            if !self.prevails(id, f) {
                residuals.push(format!(
                    "clause {} (forbid) does not apply",
                    model.clause(f).label
                ));
            }
        }
        let all: Vec<DutyOutcome> = self
            .duties(ctx, id)
            .into_iter()
            .chain(oblige_duties.iter().cloned())
            .collect();
        let violated: Vec<DutyOutcome> = all
            .iter()
            .filter(|d| d.status == DutyStatus::Violated)
            .cloned()
            .collect();
        if !violated.is_empty() {
            return Err(violated);
        }
        let open: Vec<DutyOutcome> = all
            .iter()
            .filter(|d| d.status == DutyStatus::Open)
            .cloned()
            .collect();
        let obligations = all
            .into_iter()
            .filter(|d| d.status == DutyStatus::Incurred)
            .collect();
        let decision = if residuals.is_empty() && open.is_empty() {
            Decision::Permit
        } else {
            Decision::Conditional
        };
        Ok(PermitOutcome {
            id,
            decision,
            residuals,
            open,
            obligations,
        })
    }

    fn duties(&self, ctx: &Ctx, id: ClauseId) -> Vec<DutyOutcome> {
        let clause = self.model.clause(id);
        clause
            .duties
            .iter()
            .flat_map(|d| duties::outcomes(ctx, id, &clause.label, d))
            .collect()
    }

    /// Does `winner` have priority over `loser` through `notwithstanding`,
    /// directly or transitively?
    pub fn prevails(&self, winner: ClauseId, loser: ClauseId) -> bool {
        let mut stack = vec![winner];
        let mut seen = HashSet::new();
        while let Some(c) = stack.pop() {
            for next in &self.model.clause(c).notwithstanding {
                if next.value == loser {
                    return true;
                }
                if seen.insert(next.value) {
                    stack.push(next.value);
                }
            }
        }
        false
    }

    fn explain_deny(
        &self,
        record: &mut DecisionRecord,
        forbids: &[ClauseId],
        grant_check: &grants::GrantCheck,
        evals: &[(ClauseId, ClauseEval)],
    ) {
        let model = self.model;
        // The forbid of highest priority: one no other applicable forbid
        // prevails over; ties go to source order.
        let top = forbids
            .iter()
            .copied()
            .find(|&f| !forbids.iter().any(|&g| g != f && self.prevails(g, f)));
        if let Some(f) = top {
            let clause = model.clause(f);
            record.decided_by = Some(clause.label.clone());
            record.decided_by_kind = Some(DeciderKind::Clause);
            record.decided_by_location = Some(clause.location);
            record.summary = format!("forbidden by clause {}", clause.label);
        } else if let Some(g) = grant_check.definite {
            let grant = &model.grants[g.index()];
            record.decided_by = Some(grant.label.clone());
            record.decided_by_kind = Some(DeciderKind::Grant);
            record.decided_by_location = Some(grant.location);
            record.summary = format!("conflicts with exclusive grant {}", grant.label);
        } else if !record.violated_preconditions.is_empty() {
            record.summary =
                "every permit that applies has a precondition the facts contradict".to_string();
        } else {
            record.summary = "no clause permits this action (default deny)".to_string();
        }
        if record.decided_by.is_none() {
            record.near_misses = evals
                .iter()
                .filter(|(id, e)| {
                    model.clause(*id).kind == ClauseKind::Permit && e.failed.len() == 1
                })
                .filter_map(|(id, e)| {
                    let clause = model.clause(*id);
                    let failed = e.failed.first()?;
                    Some(NearMiss {
                        label: clause.label.clone(),
                        part: failed.part,
                        line: describe::line(model, clause, failed.part, failed.index),
                        location: failed.location,
                    })
                })
                .collect();
        }
    }
}

#[cfg(test)]
mod tests;
