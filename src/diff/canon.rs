//! Canonical forms of a policy's items (no spans, comments or order), to tell which clauses and grants a change touches.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::policy::Policy;
use crate::syntax::ast::{Item, ItemKind};

/// What differs between two policies.
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

/// One item with the header of its document.
struct Entry<'p> {
    header: Option<&'p ItemKind>,
    item: &'p Item,
    /// Its source text with whitespace runs collapsed: equal texts are
    /// equal items, which saves the canonical form of most of them.
    quick: String,
}

impl Entry<'_> {
    fn canonical(&self) -> String {
        let header = self.header.map(text).unwrap_or_default();
        format!("{header}\n{}", text(&self.item.kind))
    }
}

/// A policy's items grouped by what they declare.
#[derive(Default)]
struct Items<'p> {
    clauses: BTreeMap<&'p str, Vec<Entry<'p>>>,
    grants: BTreeMap<&'p str, Vec<Entry<'p>>>,
    environment: Vec<Entry<'p>>,
}

fn items(policy: &Policy) -> Items<'_> {
    let mut out = Items::default();
    for (id, file) in &policy.syntax {
        let source = policy.sources.get(*id).map_or("", |f| &f.text);
        let slice = |item: &Item| {
            let text = source
                .get(item.span.start as usize..item.span.end as usize)
                .unwrap_or("");
            text.split_whitespace().collect::<Vec<_>>().join(" ")
        };
        // A file's document header (instrument or amendment) is part of
        // what each of its clauses means.
        let header = file
            .items
            .iter()
            .find(|i| matches!(i.kind, ItemKind::Instrument(_) | ItemKind::Amendment(_)));
        let header_quick = header.map(slice).unwrap_or_default();
        for item in &file.items {
            let entry = Entry {
                header: header.map(|h| &h.kind),
                item,
                quick: format!("{header_quick}\n{}", slice(item)),
            };
            match &item.kind {
                ItemKind::Scenario(_) => {}
                ItemKind::Clause(c) => out.clauses.entry(&c.label.name).or_default().push(entry),
                ItemKind::Grant(g) => out.grants.entry(&g.label.name).or_default().push(entry),
                _ => out.environment.push(Entry {
                    header: None,
                    quick: slice(item),
                    item,
                }),
            }
        }
    }
    out
}

/// Do two lists of versions say the same? Their texts first, then (when
/// the texts differ) their canonical forms, each as a sorted list.
fn same(a: &[Entry], b: &[Entry]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let sorted = |list: &[Entry], f: &dyn Fn(&Entry) -> String| {
        let mut v: Vec<String> = list.iter().map(f).collect();
        v.sort_unstable();
        v
    };
    let quick = |e: &Entry| e.quick.clone();
    sorted(a, &quick) == sorted(b, &quick) || {
        let canonical = |e: &Entry| e.canonical();
        sorted(a, &canonical) == sorted(b, &canonical)
    }
}

/// What differs between two policies, structurally: not spans, layout,
/// comments or the order of items.
pub fn changed(old: &Policy, new: &Policy) -> Changed {
    let (a, b) = (items(old), items(new));
    let differing = |x: &BTreeMap<&str, Vec<Entry>>, y: &BTreeMap<&str, Vec<Entry>>| {
        x.keys()
            .chain(y.keys())
            .filter(|k| match (x.get(*k), y.get(*k)) {
                (Some(p), Some(q)) => !same(p, q),
                _ => true,
            })
            .map(|k| k.to_string())
            .collect()
    };
    Changed {
        clauses: differing(&a.clauses, &b.clauses),
        grants: differing(&a.grants, &b.grants),
        environment: !same(&a.environment, &b.environment),
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
