//! Canonical forms of a policy's items (no spans, comments or order), to tell which clauses and grants a change touches.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::policy::Policy;
use crate::syntax::ast::ItemKind;

/// A policy's items in canonical form, grouped by what they declare.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Canon {
    /// Clause label → every version of it (with its document's header).
    pub clauses: BTreeMap<String, Vec<String>>,
    /// Grant label → every version of it.
    pub grants: BTreeMap<String, Vec<String>>,
    /// Every other declaration that bears on decisions (scenarios do not).
    pub environment: Vec<String>,
}

/// What differs between two canonical policies.
#[derive(Debug, Default)]
pub struct Changed {
    /// Labels of clauses that differ, are new or are gone.
    pub clauses: BTreeSet<String>,
    /// Labels of grants that differ, are new or are gone.
    pub grants: BTreeSet<String>,
    /// Parties, trees, assets, facts, the agreement… differ: every clause
    /// may decide differently.
    pub environment: bool,
}

impl Changed {
    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty() && self.grants.is_empty() && !self.environment
    }
}

impl Canon {
    pub fn of(policy: &Policy) -> Canon {
        let mut canon = Canon::default();
        for (_, file) in &policy.syntax {
            // A file's document header (instrument or amendment) is part
            // of what each of its clauses means.
            let header = file
                .items
                .iter()
                .find(|i| matches!(i.kind, ItemKind::Instrument(_) | ItemKind::Amendment(_)))
                .map(|i| text(&i.kind))
                .unwrap_or_default();
            for item in &file.items {
                match &item.kind {
                    ItemKind::Scenario(_) => {}
                    ItemKind::Clause(c) => canon
                        .clauses
                        .entry(c.label.name.clone())
                        .or_default()
                        .push(format!("{header}\n{}", text(&item.kind))),
                    ItemKind::Grant(g) => canon
                        .grants
                        .entry(g.label.name.clone())
                        .or_default()
                        .push(format!("{header}\n{}", text(&item.kind))),
                    kind => canon.environment.push(text(kind)),
                }
            }
        }
        for list in canon.clauses.values_mut().chain(canon.grants.values_mut()) {
            list.sort_unstable();
        }
        canon.environment.sort_unstable();
        canon
    }

    /// What differs from `other`.
    pub fn changed(&self, other: &Canon) -> Changed {
        let differing = |a: &BTreeMap<String, Vec<String>>, b: &BTreeMap<String, Vec<String>>| {
            a.keys()
                .chain(b.keys())
                .filter(|k| a.get(*k) != b.get(*k))
                .cloned()
                .collect()
        };
        Changed {
            clauses: differing(&self.clauses, &other.clauses),
            grants: differing(&self.grants, &other.grants),
            environment: self.environment != other.environment,
        }
    }
}

/// An item as JSON without spans: equal for two spellings of the same
/// declaration however they are laid out or commented.
fn text(kind: &ItemKind) -> String {
    let mut value = serde_json::to_value(kind).unwrap_or(Value::Null);
    strip(&mut value);
    value.to_string()
}

fn strip(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.len() == 2
                && map.get("start").is_some_and(Value::is_number)
                && map.get("end").is_some_and(Value::is_number)
            {
                // A span whose presence matters (`any_verb`): keep that it is there.
                *value = Value::Bool(true);
                return;
            }
            map.remove("span");
            map.remove("body");
            for v in map.values_mut() {
                strip(v);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(strip),
        _ => {}
    }
}
