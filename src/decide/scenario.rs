//! Whether a scenario passes: the decision it expects (and the clause or
//! grant that decides it), and every `owes` line it lists. One rule for
//! `ipcheck test`, `check` and the language server's lenses.

use super::DecisionRecord;
use super::duties::missing_owed;
use super::eval::Ctx;
use crate::names::{Model, ScenarioInfo};
use crate::span::Location;

/// How a decided scenario compares with what it expects.
#[derive(Debug, Clone, Default)]
pub struct ScenarioCheck {
    /// The decision and its decider are the expected ones.
    pub decision_ok: bool,
    /// Each `owes` line the decision does not carry, with what is missing.
    pub missing: Vec<(Location, Vec<String>)>,
}

impl ScenarioCheck {
    pub fn passes(&self) -> bool {
        self.decision_ok && self.missing.is_empty()
    }
}

/// Compares a scenario's decision with its expectation.
pub fn check(model: &Model, scenario: &ScenarioInfo, record: &DecisionRecord) -> ScenarioCheck {
    let decision_ok = record.decision == scenario.expect
        && scenario
            .expect_by
            .as_ref()
            .is_none_or(|by| record.decided_by.as_deref() == Some(by.as_str()));
    let mut missing = Vec::new();
    if let Some(action) = &scenario.action {
        let ctx = Ctx::new(model, action);
        let carried = record
            .obligations
            .iter()
            .chain(&record.open_preconditions)
            .chain(&record.met_preconditions);
        for owes in &scenario.owes {
            let lacking = missing_owed(&ctx, owes, carried.clone());
            if !lacking.is_empty() {
                missing.push((owes.location, lacking));
            }
        }
    }
    ScenarioCheck {
        decision_ok,
        missing,
    }
}
