//! Code lenses: each scenario's actual decision above it, and above each
//! clause how many scenarios it decides.

use lsp_types::{CodeLens, Command, Range};

use super::convert;
use super::workspace::Analysis;
use crate::decide::DeciderKind;
use crate::span::FileId;
use crate::syntax::ast::Decision;

pub fn lenses(analysis: &Analysis, file: FileId) -> Vec<CodeLens> {
    let Some(source) = analysis.source(file) else {
        return Vec::new();
    };
    let model = analysis.model();
    let errors = analysis.policy.has_errors();
    let decisions = analysis.decisions();
    let mut out = Vec::new();
    for (i, s) in model.scenarios.iter().enumerate() {
        if s.location.file != file {
            continue;
        }
        let title = match decisions.get(i).and_then(Option::as_ref) {
            _ if errors => "⚠ not decided: the policy has errors".to_string(),
            None => "⚠ not decided: the action does not resolve".to_string(),
            Some(record) => {
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
        };
        out.push(lens(
            convert::position(source, s.location.span.start as usize),
            title,
        ));
    }
    if !errors {
        for c in model.clauses.iter().filter(|c| c.location.file == file) {
            let count = decisions
                .iter()
                .flatten()
                .filter(|r| {
                    r.decided_by_kind == Some(DeciderKind::Clause)
                        && r.decided_by.as_deref() == Some(c.label.as_str())
                })
                .count();
            let title = match count {
                0 => "decides no scenario".to_string(),
                1 => "decides 1 scenario".to_string(),
                n => format!("decides {n} scenarios"),
            };
            out.push(lens(
                convert::position(source, c.location.span.start as usize),
                title,
            ));
        }
    }
    out.sort_by_key(|l| (l.range.start.line, l.range.start.character));
    out
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
