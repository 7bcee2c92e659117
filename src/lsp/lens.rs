//! Code lenses: each scenario's actual decision above it, and above each
//! clause how many scenarios it decides.
//!
//! While the policy has errors nothing can be decided; the lenses of the
//! scenarios and clauses that did not change then show the last decision
//! of the policy without errors, marked `last decided:`.

use lsp_types::{CodeLens, Command, Range};

use super::convert;
use super::workspace::Analysis;
use crate::decide::{DeciderKind, DecisionRecord};
use crate::names::{Model, ScenarioInfo};
use crate::span::{FileId, Location};
use crate::terms::Decision;

/// Shown after a stale lens.
const STALE: &str = " (the policy has errors)";

pub fn lenses(analysis: &Analysis, file: FileId) -> Vec<CodeLens> {
    let Some(source) = analysis.source(file) else {
        return Vec::new();
    };
    let model = analysis.model();
    let errors = analysis.policy.has_errors();
    let mut out: Vec<(usize, String)> = Vec::new();
    if errors {
        // The last decisions, at the unchanged items' new places.
        let mut covered: Vec<Location> = Vec::new();
        if let Some(stale) = &analysis.stale {
            let previous = &stale.previous;
            let old = previous.model();
            let decisions = previous.decisions();
            for (i, s) in old.scenarios.iter().enumerate() {
                let Some(at) = stale.location(analysis, s.location) else {
                    continue;
                };
                covered.push(at);
                if at.file == file {
                    let title = scenario_title(old, s, decisions.get(i).and_then(Option::as_ref));
                    out.push((
                        at.span.start as usize,
                        format!("last decided: {title}{STALE}"),
                    ));
                }
            }
            for c in &old.clauses {
                let Some(at) = stale.location(analysis, c.location) else {
                    continue;
                };
                if at.file == file {
                    let title = clause_title(decisions, &c.label);
                    out.push((
                        at.span.start as usize,
                        format!("last decided: {title}{STALE}"),
                    ));
                }
            }
        }
        for s in model.scenarios.iter().filter(|s| s.location.file == file) {
            if !covered.contains(&s.location) {
                let title = "⚠ not decided: the policy has errors".to_string();
                out.push((s.location.span.start as usize, title));
            }
        }
    } else {
        let decisions = analysis.decisions();
        for (i, s) in model.scenarios.iter().enumerate() {
            if s.location.file == file {
                let title = scenario_title(model, s, decisions.get(i).and_then(Option::as_ref));
                out.push((s.location.span.start as usize, title));
            }
        }
        for c in model.clauses.iter().filter(|c| c.location.file == file) {
            let title = clause_title(decisions, &c.label);
            out.push((c.location.span.start as usize, title));
        }
    }
    let mut lenses: Vec<CodeLens> = out
        .into_iter()
        .map(|(offset, title)| lens(convert::position(source, offset), title))
        .collect();
    lenses.sort_by_key(|l| (l.range.start.line, l.range.start.character));
    lenses
}

/// `✓ permit by 8.2.3`, `✗ expected deny, got permit by 8.1`.
fn scenario_title(model: &Model, s: &ScenarioInfo, record: Option<&DecisionRecord>) -> String {
    let Some(record) = record else {
        return "⚠ not decided: the action does not resolve".to_string();
    };
    let got = outcome(record.decision, record.decided_by.as_deref());
    let check = crate::decide::scenario::check(model, s, record);
    if check.passes() {
        format!("✓ {got}")
    } else if check.decision_ok {
        format!("✗ {got}, but an `owes` line is not owed")
    } else {
        let wanted = outcome(s.expect, s.expect_by.as_deref());
        format!("✗ expected {wanted}, got {got}")
    }
}

/// How many scenarios a clause decides.
fn clause_title(decisions: &[Option<DecisionRecord>], label: &str) -> String {
    let count = decisions
        .iter()
        .flatten()
        .filter(|r| {
            r.decided_by_kind == Some(DeciderKind::Clause) && r.decided_by.as_deref() == Some(label)
        })
        .count();
    match count {
        0 => "decides no scenario".to_string(),
        1 => "decides 1 scenario".to_string(),
        n => format!("decides {n} scenarios"),
    }
}

fn outcome(decision: Decision, by: Option<&str>) -> String {
    match by {
        Some(label) => format!("{} by {label}", decision.as_str()),
        None => decision.as_str().to_string(),
    }
}

fn lens(at: lsp_types::Position, title: String) -> CodeLens {
    CodeLens {
        range: Range::new(at, at),
        // An empty command id: the lens is shown, clicking it does nothing.
        command: Some(Command {
            title,
            command: String::new(),
            arguments: None,
        }),
        data: None,
    }
}
