//! Scenario coverage: the clauses and grants that decide no scenario (`test --coverage`, `check`, `check --base`).

use std::collections::BTreeSet;

use crate::decide::Engine;
use crate::diagnostic::{Diagnostic, Severity};
use crate::names::Model;
use crate::span::Location;

/// The labels of the clauses and grants that decide at least one scenario.
pub fn covered(model: &Model) -> BTreeSet<String> {
    let engine = Engine::new(model);
    model
        .scenarios
        .iter()
        .filter_map(|s| s.action.as_ref())
        .filter_map(|a| engine.decide(a).decided_by.map(|by| by.to_string()))
        .collect()
}

/// A clause or grant no scenario is decided by.
#[derive(Debug, Clone)]
pub struct Uncovered {
    pub label: String,
    /// `clause` or `grant`.
    pub noun: &'static str,
    pub location: Location,
}

/// Every clause and grant (each label once, in source order) that decides
/// no scenario.
pub fn uncovered(model: &Model) -> Vec<Uncovered> {
    let covered = covered(model);
    let mut seen = BTreeSet::new();
    let mut out: Vec<(u32, Uncovered)> = Vec::new();
    for c in &model.clauses {
        if !covered.contains(&c.label) && seen.insert(c.label.clone()) {
            out.push((
                c.order,
                Uncovered {
                    label: c.label.clone(),
                    noun: "clause",
                    location: c.label_location,
                },
            ));
        }
    }
    for g in &model.grants {
        if !covered.contains(&g.label) && seen.insert(g.label.clone()) {
            out.push((
                u32::MAX,
                Uncovered {
                    label: g.label.clone(),
                    noun: "grant",
                    location: g.label_location,
                },
            ));
        }
    }
    out.sort_by_key(|(order, u)| (*order, u.location.file.0, u.location.span.start));
    out.into_iter().map(|(_, u)| u).collect()
}

/// One `ipl::coverage::not_covered` note per clause or grant no scenario covers.
pub fn diagnostics(model: &Model) -> Vec<Diagnostic> {
    uncovered(model)
        .into_iter()
        .map(|u| {
            let mut d = Diagnostic::new(
                super::codes::NOT_COVERED,
                u.location.file,
                u.location.span,
                format!("{} {} decides no scenario", u.noun, u.label),
            )
            .with_label("not covered by a scenario")
            .with_help(format!(
                "add a scenario whose action {} {} decides, with `expect … by {}`",
                u.noun, u.label, u.label
            ));
            d.severity = Severity::Info;
            d
        })
        .collect()
}
