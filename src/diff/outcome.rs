//! What a decision is, for comparing two policies: the decision, the deciding clause, the obligations and open preconditions.

use std::sync::Arc;

use serde::Serialize;

use crate::decide::DecisionRecord;
use crate::decide::duties::DutyOutcome;
use crate::terms::Decision;

/// A duty, by clause and in words (deadlines and amounts vary with the
/// action and are left out).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Owed {
    pub clause: Arc<str>,
    pub duty: String,
}

/// One side's decision on an action, as the diff compares it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Outcome {
    pub decision: Decision,
    /// The clause or grant label that decided; `None` for a default deny.
    pub by: Option<Arc<str>>,
    pub obligations: Vec<Owed>,
    pub open: Vec<Owed>,
}

impl Outcome {
    pub fn of(record: &DecisionRecord) -> Outcome {
        let owed = |list: &[DutyOutcome]| {
            let mut out: Vec<Owed> = list
                .iter()
                .map(|d| Owed {
                    clause: d.clause.clone(),
                    duty: d.duty.clone(),
                })
                .collect();
            out.sort();
            out.dedup();
            out
        };
        Outcome {
            decision: record.decision,
            by: record.decided_by.clone(),
            obligations: owed(&record.obligations),
            open: owed(&record.open_preconditions),
        }
    }

    /// "deny (12.2)", "permit (8.1)", "deny (no clause)".
    pub fn words(&self) -> String {
        match &self.by {
            Some(by) => format!("{} by {by}", self.decision.as_str()),
            None => format!("{} (no clause)", self.decision.as_str()),
        }
    }
}

/// How permissive a decision is.
pub fn rank(decision: Decision) -> u8 {
    match decision {
        Decision::Deny => 0,
        Decision::Conditional => 1,
        Decision::Permit => 2,
    }
}
