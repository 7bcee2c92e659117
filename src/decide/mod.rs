//! Decide: the three-valued decision engine (LANGUAGE.md §5). Given a
//! resolved policy and an action, permit, conditional or deny, with reasons.

pub mod describe;
pub mod duties;
pub mod eval;
mod grants;
pub mod index;
pub mod logic;
mod priority;
pub mod record;
pub mod scenario;

use std::cell::OnceCell;
use std::fmt;
use std::sync::Arc;

use duties::{DutyOutcome, DutyStatus};
use eval::{ClauseEval, Ctx};
use logic::Tri;
pub use priority::Priority;
pub use record::*;

use crate::names::{Action, ClauseId, GrantId, Model};
use crate::span::Location;
use crate::terms::{ClauseKind, Decision};

/// A policy compiled for deciding: the model, its clause index and the
/// priority between clauses.
pub struct Engine<'m> {
    model: &'m Model,
    index: index::Index,
    priority: Priority,
    /// Clause labels and titles, shared by every decision record.
    labels: Vec<(Arc<str>, Option<Arc<str>>)>,
    /// Grant labels, shared likewise.
    grant_labels: Vec<Arc<str>>,
}

/// What permits an action: a permit clause, or a grant its actor holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PermitBy {
    Clause(ClauseId),
    Grant(GrantId),
}

/// A permit's standing for one action.
struct PermitOutcome {
    by: PermitBy,
    order: u32,
    decision: Decision,
    residuals: Vec<String>,
    open: Vec<DutyOutcome>,
    met: Vec<DutyOutcome>,
    obligations: Vec<DutyOutcome>,
}

/// A permit that applies or may apply, and why it did not decide.
struct LivePermit {
    by: PermitBy,
    order: u32,
    /// The applicable forbids that block it.
    blocked_by: Vec<ClauseId>,
    /// Its violated preconditions (its own and its obliges').
    violated: Vec<DutyOutcome>,
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
            priority: Priority::new(model),
            labels,
            grant_labels: model
                .grants
                .iter()
                .map(|g| Arc::from(g.label.as_str()))
                .collect(),
        }
    }

    pub fn model(&self) -> &'m Model {
        self.model
    }

    /// How one clause's scope and conditions bear on an action.
    pub fn evaluate(&self, clause: ClauseId, action: &Action) -> ClauseEval {
        Ctx::new(self.model, action).clause(self.model.clause(clause))
    }

    /// Decides one action.
    pub fn decide(&self, action: &Action) -> DecisionRecord {
        let model = self.model;
        let ctx = Ctx::new(model, action);
        let candidates = self
            .index
            .candidates(action.asset.index(), action.verb.index());
        let mut evals: Vec<(ClauseId, ClauseEval)> = Vec::with_capacity(candidates.size_hint().0);
        evals.extend(
            candidates
                .filter(|id| model.clause(*id).in_force.on(action.date))
                .map(|id| (id, ctx.clause(model.clause(id)))),
        );
        let of_kind = |kind: ClauseKind, tri: Tri| {
            evals
                .iter()
                .filter(move |(id, e)| model.clause(*id).kind == kind && e.tri() == tri)
                .map(|(id, _)| *id)
        };
        let forbids: Vec<ClauseId> = of_kind(ClauseKind::Forbid, Tri::True).collect();
        let maybe_forbids: Vec<ClauseId> = of_kind(ClauseKind::Forbid, Tri::Unknown).collect();
        // The duties of applicable obliges, put in words only once a
        // permit needs them.
        let oblige_duties: OnceCell<Vec<(ClauseId, Vec<DutyOutcome>)>> = OnceCell::new();
        let obliges = || -> &[(ClauseId, Vec<DutyOutcome>)] {
            oblige_duties.get_or_init(|| {
                of_kind(ClauseKind::Oblige, Tri::True)
                    .map(|o| (o, self.duties(&ctx, o)))
                    .collect()
            })
        };
        let maybe_obliges: Vec<ClauseId> = of_kind(ClauseKind::Oblige, Tri::Unknown)
            .filter(|&o| {
                model
                    .clause(o)
                    .duties
                    .iter()
                    .any(|d| duties::any_precondition(&ctx, d, |s| s != DutyStatus::Satisfied))
            })
            .collect();

        let mut consulted: Vec<ClauseStatus> = Vec::with_capacity(evals.len());
        let mut outcomes: Vec<PermitOutcome> = Vec::new();
        let mut live: Vec<LivePermit> = Vec::new();
        for (id, eval) in &evals {
            let clause = model.clause(*id);
            let status = match (clause.kind, eval.tri()) {
                (_, Tri::False) => Status::FailedOn {
                    parts: eval.failed.iter().map(|l| l.part).collect(),
                },
                (ClauseKind::Permit, tri) => {
                    let by = PermitBy::Clause(*id);
                    let blocked_by: Vec<ClauseId> = forbids
                        .iter()
                        .copied()
                        .filter(|&f| !self.prevails(*id, f))
                        .collect();
                    let status = if let Some(&f) = blocked_by.first() {
                        Status::BlockedBy {
                            label: self.labels[f.index()].0.clone(),
                        }
                    } else {
                        let mut residuals = Vec::new();
                        if tri == Tri::Unknown {
                            residuals.extend(
                                eval.unknown
                                    .iter()
                                    .map(|l| describe::line(model, clause, l.part, l.index)),
                            );
                        }
                        let own = self.duties(&ctx, *id);
                        match self.permit_outcome(
                            by,
                            clause.order,
                            residuals,
                            own,
                            &maybe_forbids,
                            &maybe_obliges,
                            obliges(),
                        ) {
                            Ok(o) => {
                                let status = if o.decision == Decision::Permit {
                                    Status::Applied
                                } else {
                                    Status::MayApply
                                };
                                outcomes.push(o);
                                status
                            }
                            Err(violated) => {
                                live.push(LivePermit {
                                    by,
                                    order: clause.order,
                                    blocked_by: Vec::new(),
                                    violated,
                                });
                                Status::Violated
                            }
                        }
                    };
                    if !blocked_by.is_empty() {
                        live.push(LivePermit {
                            by,
                            order: clause.order,
                            blocked_by,
                            violated: Vec::new(),
                        });
                    }
                    status
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
                version: self.version_text(*id),
                location: clause.location,
            });
        }
        // Grants held by the actor decide like permits without priority.
        for gp in grants::permits(&ctx, &self.index) {
            let grant = model.grant(gp.id);
            let by = PermitBy::Grant(gp.id);
            if !forbids.is_empty() {
                live.push(LivePermit {
                    by,
                    order: grant.order,
                    blocked_by: forbids.clone(),
                    violated: Vec::new(),
                });
                continue;
            }
            match self.permit_outcome(
                by,
                grant.order,
                gp.residuals,
                Vec::new(),
                &maybe_forbids,
                &maybe_obliges,
                obliges(),
            ) {
                Ok(o) => outcomes.push(o),
                Err(violated) => live.push(LivePermit {
                    by,
                    order: grant.order,
                    blocked_by: Vec::new(),
                    violated,
                }),
            }
        }

        let grant_check = grants::check(&ctx, &self.index);
        let mut record = DecisionRecord {
            decision: Decision::Deny,
            decided_by: None,
            decided_by_kind: None,
            decided_by_location: None,
            decided_by_version: None,
            summary: String::new(),
            alternatives: Vec::new(),
            residual_conditions: Vec::new(),
            open_preconditions: Vec::new(),
            met_preconditions: Vec::new(),
            violated_preconditions: Vec::new(),
            obligations: Vec::new(),
            near_misses: Vec::new(),
            consulted,
        };

        if outcomes.is_empty() || grant_check.definite.is_some() {
            live.extend(outcomes.iter().map(|o| LivePermit {
                by: o.by,
                order: o.order,
                blocked_by: Vec::new(),
                violated: Vec::new(),
            }));
            live.sort_by_key(|l| l.order);
            self.explain_deny(&mut record, &forbids, &live, &grant_check, &evals);
            return record;
        }
        // The best permit: permit before conditional, then fewer residual
        // conditions, then source order.
        for o in &mut outcomes {
            o.residuals.extend(grant_check.possible.iter().cloned());
            if !o.residuals.is_empty() || !o.open.is_empty() {
                o.decision = Decision::Conditional;
            }
        }
        outcomes.sort_by_key(|o| o.order);
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
        let chosen = outcomes.remove(best);
        let decider = self.decider(chosen.by);
        record.decision = chosen.decision;
        record.summary = match chosen.decision {
            Decision::Permit => format!("permitted by {decider}"),
            _ => format!(
                "permitted by {} provided the conditions below hold",
                decider
            ),
        };
        record.decided_by = Some(decider.label);
        record.decided_by_kind = Some(decider.kind);
        record.decided_by_location = Some(decider.location);
        record.decided_by_version = decider.version;
        record.residual_conditions = chosen.residuals;
        record.open_preconditions = chosen.open;
        record.met_preconditions = chosen.met;
        record.obligations = chosen.obligations;
        record.alternatives = outcomes
            .iter()
            .map(|o| Alternative {
                label: self.label(o.by).clone(),
                decision: o.decision,
            })
            .collect();
        record
    }

    /// A permit that is not blocked outright: its residual conditions and
    /// duties (its own and those of the obliges it does not waive), or the
    /// violated preconditions that rule it out.
    #[allow(clippy::too_many_arguments)]
    fn permit_outcome(
        &self,
        by: PermitBy,
        order: u32,
        mut residuals: Vec<String>,
        own: Vec<DutyOutcome>,
        maybe_forbids: &[ClauseId],
        maybe_obliges: &[ClauseId],
        obliges: &[(ClauseId, Vec<DutyOutcome>)],
    ) -> Result<PermitOutcome, Vec<DutyOutcome>> {
        let model = self.model;
        let clause = match by {
            PermitBy::Clause(c) => Some(c),
            PermitBy::Grant(_) => None,
        };
        for &f in maybe_forbids {
            if !clause.is_some_and(|c| self.prevails(c, f)) {
                residuals.push(format!(
                    "clause {} (forbid) does not apply",
                    model.clause(f).label
                ));
            }
        }
        for &o in maybe_obliges {
            if !clause.is_some_and(|c| self.priority.waives(c, o)) {
                residuals.push(format!(
                    "if clause {} applies, its duties are met",
                    model.clause(o).label
                ));
            }
        }
        let mut all = own;
        for (o, duties) in obliges {
            if !clause.is_some_and(|c| self.priority.waives(c, *o)) {
                all.extend(duties.iter().cloned());
            }
        }
        let violated: Vec<DutyOutcome> = all
            .iter()
            .filter(|d| d.status == DutyStatus::Violated)
            .cloned()
            .collect();
        if !violated.is_empty() {
            return Err(violated);
        }
        let mut open = Vec::new();
        let mut met = Vec::new();
        let mut obligations = Vec::new();
        for d in all {
            match d.status {
                DutyStatus::Open => open.push(d),
                DutyStatus::Satisfied => met.push(d),
                DutyStatus::Incurred => obligations.push(d),
                DutyStatus::Violated => {}
            }
        }
        let decision = if residuals.is_empty() && open.is_empty() {
            Decision::Permit
        } else {
            Decision::Conditional
        };
        Ok(PermitOutcome {
            by,
            order,
            decision,
            residuals,
            open,
            met,
            obligations,
        })
    }

    fn duties(&self, ctx: &Ctx, id: ClauseId) -> Vec<DutyOutcome> {
        let label = &self.labels[id.index()].0;
        self.model
            .clause(id)
            .duties
            .iter()
            .flat_map(|d| duties::outcomes(ctx, id, label, d))
            .collect()
    }

    /// The label of a clause or grant, shared with every record.
    fn label(&self, by: PermitBy) -> &Arc<str> {
        match by {
            PermitBy::Clause(c) => &self.labels[c.index()].0,
            PermitBy::Grant(g) => &self.grant_labels[g.index()],
        }
    }

    /// Does `winner` have priority over `loser`: through `notwithstanding`,
    /// directly or transitively, or through its instrument's precedence?
    pub fn prevails(&self, winner: ClauseId, loser: ClauseId) -> bool {
        self.priority.prevails(winner, loser)
    }

    /// Which version of an amended clause an action meets, and why: the
    /// days it is in force. `None` for a clause never amended.
    fn version_text(&self, id: ClauseId) -> Option<String> {
        let clause = self.model.clause(id);
        if clause.in_force.always() {
            return None;
        }
        let days = match (clause.in_force.from, clause.in_force.ends) {
            (Some(f), Some(e)) => format!("in force from {f} to the day before {e}"),
            (Some(f), None) => format!("in force from {f}"),
            (None, Some(e)) => format!("in force until the day before {e}"),
            (None, None) => String::new(),
        };
        Some(match self.model.amendment_label(clause.version) {
            Some(a) => format!("as amended by {a}, {days}"),
            None => format!("the original, {days}"),
        })
    }

    /// The clause or grant that decided, for the record.
    fn decider(&self, by: PermitBy) -> Decider {
        let model = self.model;
        let (kind, location, version) = match by {
            PermitBy::Clause(c) => {
                let clause = model.clause(c);
                (DeciderKind::Clause, clause.location, clause.version)
            }
            PermitBy::Grant(g) => {
                let grant = model.grant(g);
                (DeciderKind::Grant, grant.location, grant.version)
            }
        };
        Decider {
            label: self.label(by).clone(),
            kind,
            location,
            version: model.amendment_label(version).map(str::to_string),
        }
    }

    /// Names what denied the action (LANGUAGE.md §7.7).
    fn explain_deny(
        &self,
        record: &mut DecisionRecord,
        forbids: &[ClauseId],
        live: &[LivePermit],
        grant_check: &grants::GrantCheck,
        evals: &[(ClauseId, ClauseEval)],
    ) {
        let model = self.model;
        // The forbids that can name the deny: those blocking a live permit,
        // or, when no permit applies, every applicable forbid.
        let naming: Vec<ClauseId> = if live.is_empty() {
            forbids.to_vec()
        } else {
            forbids
                .iter()
                .copied()
                .filter(|f| live.iter().any(|l| l.blocked_by.contains(f)))
                .collect()
        };
        // The forbid of highest priority: one no other prevails over; ties
        // go to source order (forbids are in source order).
        let top = naming
            .iter()
            .copied()
            .find(|&f| !naming.iter().any(|&g| g != f && self.prevails(g, f)));
        let first_violation = live.iter().find_map(|l| {
            l.violated
                .iter()
                .min_by_key(|d| (d.location.file.0, d.location.span.start))
                .map(|d| (l, d))
        });
        record.violated_preconditions = first_violation
            .map(|(l, _)| l.violated.clone())
            .unwrap_or_default();
        let set = |record: &mut DecisionRecord, d: Decider, summary: String| {
            record.decided_by = Some(d.label);
            record.decided_by_kind = Some(d.kind);
            record.decided_by_location = Some(d.location);
            record.decided_by_version = d.version;
            record.summary = summary;
        };
        if let Some(f) = top {
            let d = self.decider(PermitBy::Clause(f));
            let summary = format!("forbidden by {d}");
            set(record, d, summary);
        } else if let Some(g) = grant_check.definite {
            let d = self.decider(PermitBy::Grant(g));
            let grant = model.grant(g);
            let summary = format!(
                "conflicts with {} {} ({})",
                grant.exclusivity.as_str(),
                d,
                grant_check.overlap
            );
            set(record, d, summary);
        } else if let Some((permit, duty)) = first_violation {
            let d = self.decider(PermitBy::Clause(duty.clause_id));
            let by = self.decider(permit.by);
            let summary = if by.label == d.label {
                format!("{by} applies, but a precondition is not met")
            } else {
                format!("{by} applies, but a precondition of {d} is not met")
            };
            set(record, d, summary);
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
                        label: self.labels[id.index()].0.clone(),
                        part: failed.part,
                        line: describe::line(model, clause, failed.part, failed.index),
                        location: failed.location,
                    })
                })
                .collect();
        }
    }
}

/// The clause or grant that decided; displayed as "clause 12.2 (as
/// amended by A1)".
struct Decider {
    label: Arc<str>,
    kind: DeciderKind,
    location: Location,
    version: Option<String>,
}

impl fmt::Display for Decider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let noun = match self.kind {
            DeciderKind::Clause => "clause",
            DeciderKind::Grant => "grant",
        };
        write!(f, "{noun} {}", self.label)?;
        match &self.version {
            Some(v) => write!(f, " (as amended by {v})"),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests;
