//! The decision record: what was decided, by which clause or grant, and
//! every reason, serialisable for reports.

use std::sync::Arc;

use serde::Serialize;

use super::duties::DutyOutcome;
use super::eval::Part;
use crate::span::Location;
use crate::terms::{ClauseKind, Decision};

/// A decision with its explanation.
#[derive(Debug, Clone, Serialize)]
pub struct DecisionRecord {
    pub decision: Decision,
    /// The clause or grant label that decided it; `None` for a default deny.
    pub decided_by: Option<Arc<str>>,
    pub decided_by_kind: Option<DeciderKind>,
    #[serde(skip)]
    pub decided_by_location: Option<Location>,
    /// The amendment whose version of the clause or grant decided it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_by_version: Option<String>,
    /// One sentence: why.
    pub summary: String,
    /// Other permits that would also allow the action, with their outcome.
    pub alternatives: Vec<Alternative>,
    /// What must hold for a conditional decision to be a permit.
    pub residual_conditions: Vec<String>,
    /// Preconditions not yet shown to be met, with deadlines.
    pub open_preconditions: Vec<DutyOutcome>,
    /// Preconditions the facts show are met.
    pub met_preconditions: Vec<DutyOutcome>,
    /// Preconditions the facts contradict (of the permit a deny names).
    pub violated_preconditions: Vec<DutyOutcome>,
    /// Obligations the action incurs if taken.
    pub obligations: Vec<DutyOutcome>,
    /// For a deny with nothing applicable: permits that fail on one line.
    pub near_misses: Vec<NearMiss>,
    /// Every clause consulted and how it bears on the action.
    pub consulted: Vec<ClauseStatus>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeciderKind {
    Clause,
    Grant,
}

#[derive(Debug, Clone, Serialize)]
pub struct Alternative {
    pub label: Arc<str>,
    pub decision: Decision,
}

#[derive(Debug, Clone, Serialize)]
pub struct NearMiss {
    pub label: Arc<str>,
    pub part: Part,
    /// The line that failed, in IPL syntax.
    pub line: String,
    #[serde(skip)]
    pub location: Location,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClauseStatus {
    /// Shared with the engine: listing every clause consulted allocates
    /// nothing per clause.
    pub label: Arc<str>,
    pub title: Option<Arc<str>>,
    pub kind: ClauseKind,
    pub status: Status,
    /// For an amended clause: which version was used and why ("as amended
    /// by A1, in force from 2027-07-01").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip)]
    pub location: Location,
}

/// How one clause bears on an action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Status {
    /// It applies (a permit: it is the one used or an alternative).
    Applied,
    /// It applies only if unknown facts turn out so.
    MayApply,
    /// A permit blocked by a forbid without priority over it.
    BlockedBy { label: Arc<str> },
    /// A permit whose precondition the facts contradict.
    Violated,
    /// It does not apply: these lines fail (the first one or two).
    FailedOn { parts: Parts },
}

/// The parts of a clause that failed, inline (at most two are recorded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Parts([Option<Part>; 2]);

impl Parts {
    pub fn iter(&self) -> impl Iterator<Item = Part> + '_ {
        self.0.iter().flatten().copied()
    }
}

impl FromIterator<Part> for Parts {
    fn from_iter<I: IntoIterator<Item = Part>>(iter: I) -> Parts {
        let mut parts = Parts::default();
        for (slot, part) in parts.0.iter_mut().zip(iter) {
            *slot = Some(part);
        }
        parts
    }
}

impl Serialize for Parts {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}
