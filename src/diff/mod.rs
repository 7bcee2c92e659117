//! Diff: what a change to a policy does, in effect (`ipcheck diff`, `check --base`).
//!
//! Two policies have different name tables, so the action space compared
//! is built over the cut points of *both*: for each (asset, verb) pair
//! that a changed clause or grant can concern, every dimension is cut at
//! what either side's clauses mention (parties, tree nodes, dates,
//! percentages, notice periods, facts, events), and each region's action
//! is written in each policy's own names ([`walk`]). A region is decided
//! on both sides with the engine itself; the regions that differ are
//! merged into [`Change`]s, one per (kind, outcome on each side), each
//! with a witness action that `ipcheck eval` decides the same way.
//!
//! Exact, not sampled: a subtree of the walk is left only when every
//! changed clause is false on both sides (unchanged clauses decide alike)
//! or when every clause is known and nothing left to choose bears on a
//! decision. Clauses are compared structurally (no spans, comments or
//! order, [`canon`]): identical canonical policies have no change at all.
//! Names declared on one side only (an asset, a field, a fact) cannot be
//! stated in an action the other side reads; they are listed in the
//! summary instead.

pub mod canon;
pub mod codes;
pub mod coverage;
pub mod git;
mod outcome;
mod walk;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde::Serialize;
use serde_json::{Map, Value};

pub use outcome::{Outcome, Owed};

use crate::names::{Action, Model, NodeId, PartyRef};
use crate::policy::Policy;
use crate::span::Location;
use walk::{Leaf, Side, Walker};

/// Clause evaluations one diff may spend before it stops and says it is
/// incomplete.
pub const DIFF_BUDGET: usize = 50_000_000;

/// The kinds of change, in report order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// More permissive: deny or conditional → permit, deny → conditional.
    Widened,
    /// Less permissive.
    Narrowed,
    /// Same decision, another deciding clause.
    Reattributed,
    /// Same decision and clause, other obligations or open preconditions.
    Obligations,
}

impl Kind {
    pub const ALL: [Kind; 4] = [
        Kind::Widened,
        Kind::Narrowed,
        Kind::Reattributed,
        Kind::Obligations,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Widened => "widened",
            Kind::Narrowed => "narrowed",
            Kind::Reattributed => "reattributed",
            Kind::Obligations => "obligations",
        }
    }

    pub fn parse(text: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    fn of(old: &Outcome, new: &Outcome) -> Kind {
        let (a, b) = (outcome::rank(old.decision), outcome::rank(new.decision));
        if b > a {
            Kind::Widened
        } else if b < a {
            Kind::Narrowed
        } else if old.by != new.by {
            Kind::Reattributed
        } else {
            Kind::Obligations
        }
    }
}

/// One change in effect: regions where the two sides decide differently
/// in the same way.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub kind: Kind,
    /// The decision before (the witness's, as `ipcheck eval` gives it).
    pub base: Outcome,
    pub head: Outcome,
    /// How many regions of the joint action space it covers.
    pub regions: usize,
    /// The regions in words: verbs, assets, parties, fields, territories, dates.
    pub region: String,
    /// One action of the change in the action syntax.
    pub witness: String,
    /// The witness as action JSON (`ipcheck eval --actions`).
    pub witness_action: Value,
    /// The changed clauses that apply (or may) in these regions.
    pub clauses: Vec<String>,
    /// Where to point at the change in the new policy: the first changed
    /// clause there, else the clause that decides there.
    #[serde(skip)]
    pub head_location: Option<Location>,
    /// The same in the old policy.
    #[serde(skip)]
    pub base_location: Option<Location>,
}

/// Counts and what the diff could not compare.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub changes: usize,
    pub widened: usize,
    pub narrowed: usize,
    pub reattributed: usize,
    pub obligations: usize,
    /// Regions that differ, over every change.
    pub regions: usize,
    /// Regions decided on both sides, changed or not.
    pub regions_examined: usize,
    /// (asset, verb) pairs walked.
    pub pairs: usize,
    /// Clause and grant labels whose text differs (or that are new or gone).
    pub changed_clauses: Vec<String>,
    pub changed_grants: Vec<String>,
    /// Parties, trees, assets or other declarations differ.
    pub declarations_changed: bool,
    /// Names declared on one side only, by kind: "asset x (added)".
    pub only_one_side: Vec<String>,
    /// False when the walk stopped at its budget: changes may be missing.
    pub complete: bool,
}

/// The diff of two policies.
#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    pub changes: Vec<Change>,
    pub summary: Summary,
}

impl Default for Diff {
    /// No change, complete.
    fn default() -> Self {
        Diff {
            changes: Vec::new(),
            summary: Summary {
                complete: true,
                ..Summary::default()
            },
        }
    }
}

/// Compares two analysed policies (both free of errors).
pub fn diff(old: &Policy, new: &Policy) -> Diff {
    diff_with_budget(old, new, DIFF_BUDGET)
}

pub fn diff_with_budget(old: &Policy, new: &Policy, budget: usize) -> Diff {
    let changed = canon::changed(old, new);
    let mut summary = Summary {
        complete: true,
        changed_clauses: changed.clauses.iter().cloned().collect(),
        changed_grants: changed.grants.iter().cloned().collect(),
        declarations_changed: changed.environment,
        ..Summary::default()
    };
    if changed.is_empty() {
        return Diff {
            changes: Vec::new(),
            summary,
        };
    }
    let (mo, mn) = (&old.model, &new.model);
    summary.only_one_side = one_sided(mo, mn);
    let side = |m: &'_ Model| {
        let clauses = m
            .clauses
            .iter()
            .map(|c| changed.environment || changed.clauses.contains(&c.label))
            .collect();
        let mut assets = vec![false; m.assets.len()];
        for g in &m.grants {
            if (changed.environment || changed.grants.contains(&g.label))
                && let Some(a) = g.asset
                && let Some(slot) = assets.get_mut(a.index())
            {
                *slot = true;
            }
        }
        (clauses, assets)
    };
    let (c_o, g_o) = side(mo);
    let (c_n, g_n) = side(mn);
    // A grant changed on one side marks its asset on both.
    let (mut g_o, mut g_n) = (g_o, g_n);
    let (from_o, from_n) = (g_o.clone(), g_n.clone());
    for (from, fm, to, tm) in [(from_o, mo, &mut g_n, mn), (from_n, mn, &mut g_o, mo)] {
        for (i, flag) in from.iter().enumerate() {
            if *flag
                && let Some(a) = fm.assets.get(i)
                && let Some(&b) = tm.asset_ids.get(&a.name)
                && let Some(slot) = to.get_mut(b.index())
            {
                *slot = true;
            }
        }
    }
    let old_side = Side::new(mo, c_o, g_o, changed.environment);
    let new_side = Side::new(mn, c_n, g_n, changed.environment);
    let outsider = outsider_name(mo, mn);

    let mut budget = budget;
    let mut leaves: Vec<Leaf> = Vec::new();
    // The (asset, verb) pairs a changed clause or grant can concern, in
    // the old policy's order: from the changed clauses alone, unless the
    // declarations changed (then every pair is looked at).
    let pairs: Vec<(usize, usize)> = if changed.environment {
        (0..mo.assets.len())
            .flat_map(|a| (0..mo.verbs.nodes.len()).map(move |v| (a, v)))
            .collect()
    } else {
        let mut set: BTreeSet<(usize, usize)> = BTreeSet::new();
        candidate_pairs(&old_side, mo, mo, &mut set);
        candidate_pairs(&new_side, mn, mo, &mut set);
        set.into_iter().collect()
    };
    'pairs: for (ai, vi) in pairs {
        let (Some(asset), Some(verb)) = (mo.assets.get(ai), mo.verbs.nodes.get(vi)) else {
            continue;
        };
        let Some(&an) = mn.asset_ids.get(&asset.name) else {
            continue;
        };
        let ao = crate::names::AssetId(ai as u32);
        {
            let Some(vn) = mn.verbs.get(&verb.name) else {
                continue;
            };
            let vo = NodeId(vi as u32);
            if !relevant(&old_side, ao, vo) && !relevant(&new_side, an, vn) {
                continue;
            }
            let mut walker = Walker::new(
                &old_side,
                &new_side,
                (ao, vo),
                (an, vn),
                changed.environment,
                &outsider,
                &mut budget,
            );
            if !walker.touched() {
                continue;
            }
            summary.pairs += 1;
            walker.run((ao, vo), (an, vn));
            summary.regions_examined += walker.regions;
            let gave_up = walker.gave_up;
            leaves.append(&mut walker.leaves);
            if gave_up {
                summary.complete = false;
                break 'pairs;
            }
        }
    }
    let changes = merge(leaves, &old_side, &new_side);
    for c in &changes {
        summary.regions += c.regions;
        match c.kind {
            Kind::Widened => summary.widened += 1,
            Kind::Narrowed => summary.narrowed += 1,
            Kind::Reattributed => summary.reattributed += 1,
            Kind::Obligations => summary.obligations += 1,
        }
    }
    summary.changes = changes.len();
    Diff { changes, summary }
}

/// The pairs (as indices in `target`, the old policy) that the changed
/// clauses and grants of one side can concern.
fn candidate_pairs(side: &Side, model: &Model, target: &Model, out: &mut BTreeSet<(usize, usize)>) {
    let verbs: Vec<(NodeId, Option<usize>)> = model
        .verbs
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            (
                NodeId(i as u32),
                target.verbs.get(&n.name).map(NodeId::index),
            )
        })
        .collect();
    let asset_in_target = |a: usize| {
        model
            .assets
            .get(a)
            .and_then(|x| target.asset_ids.get(&x.name))
            .map(|id| id.index())
    };
    for (a, flag) in side.grants_changed.iter().enumerate() {
        if *flag && let Some(ta) = asset_in_target(a) {
            out.extend(verbs.iter().filter_map(|(_, tv)| tv.map(|v| (ta, v))));
        }
    }
    for (c, flag) in side.changed.iter().enumerate() {
        if !*flag {
            continue;
        }
        let clause = crate::names::ClauseId(c as u32);
        for a in 0..model.assets.len() {
            let asset = crate::names::AssetId(a as u32);
            if !side.regions.selects(clause, asset) {
                continue;
            }
            let Some(ta) = asset_in_target(a) else {
                continue;
            };
            for (v, tv) in &verbs {
                if let Some(tv) = tv
                    && side.regions.concerns(clause, asset, *v)
                {
                    out.insert((ta, *tv));
                }
            }
        }
    }
}

/// Can a changed clause or grant of this side concern the pair?
fn relevant(side: &Side, asset: crate::names::AssetId, verb: NodeId) -> bool {
    side.grants_changed.get(asset.index()).copied() == Some(true)
        || side
            .pair_clauses(asset, verb)
            .iter()
            .any(|c| side.changed[c.index()])
}

/// An undeclared name on both sides, for the outsider.
fn outsider_name(a: &Model, b: &Model) -> String {
    let mut name = "outsider".to_string();
    let mut n = 2;
    while a.names.contains_key(&name) || b.names.contains_key(&name) {
        name = format!("outsider{n}");
        n += 1;
    }
    name
}

/// Assets, parties, fields, territories, verbs, facts and events declared
/// on one side only.
fn one_sided(old: &Model, new: &Model) -> Vec<String> {
    fn nodes(v: &[crate::names::HierarchyNode]) -> Vec<&str> {
        v.iter().map(|n| n.name.as_str()).collect()
    }
    type Names = fn(&Model) -> Vec<&str>;
    let kinds: [(&str, Names); 7] = [
        ("asset", |m| {
            m.assets.iter().map(|a| a.name.as_str()).collect()
        }),
        ("party", |m| {
            m.parties.iter().map(|p| p.name.as_str()).collect()
        }),
        ("verb", |m| nodes(&m.verbs.nodes)),
        ("field", |m| nodes(&m.fields.nodes)),
        ("territory", |m| nodes(&m.territories.nodes)),
        ("fact", |m| {
            m.facts.iter().map(|f| f.name.as_str()).collect()
        }),
        ("event", |m| {
            m.events.iter().map(|e| e.name.as_str()).collect()
        }),
    ];
    let mut out = Vec::new();
    for (noun, names) in kinds {
        let a: BTreeSet<&str> = names(old).into_iter().collect();
        let b: BTreeSet<&str> = names(new).into_iter().collect();
        out.extend(b.difference(&a).map(|n| format!("{noun} {n} (added)")));
        out.extend(a.difference(&b).map(|n| format!("{noun} {n} (removed)")));
    }
    out
}

/// Regions merged into changes: one per (kind, decision and deciding
/// clause on each side, and for obligation changes the duties).
fn merge(leaves: Vec<Leaf>, old: &Side, new: &Side) -> Vec<Change> {
    type Key = (Kind, String, String);
    let mut groups: BTreeMap<Key, Vec<Leaf>> = BTreeMap::new();
    let mut order: Vec<Key> = Vec::new();
    for leaf in leaves {
        let kind = Kind::of(&leaf.old, &leaf.new);
        let side_key = |o: &Outcome| {
            if kind == Kind::Obligations {
                serde_json::to_string(o).unwrap_or_default()
            } else {
                serde_json::json!([o.decision, o.by]).to_string()
            }
        };
        let key = (kind, side_key(&leaf.old), side_key(&leaf.new));
        if !groups.contains_key(&key) {
            order.push(key.clone());
        }
        groups.entry(key).or_default().push(leaf);
    }
    let mut changes: Vec<Change> = Vec::new();
    for key in order {
        let Some(group) = groups.remove(&key) else {
            continue;
        };
        let Some(first) = group.first() else {
            continue;
        };
        let mut clauses: Vec<String> = group.iter().flat_map(|l| l.clauses.clone()).collect();
        clauses.sort();
        clauses.dedup();
        let locate = |side: &Side, by: &Option<Arc<str>>| -> Option<Location> {
            clauses
                .iter()
                .map(String::as_str)
                .chain(by.as_deref())
                .find_map(|label| label_location(side.model, label))
        };
        changes.push(Change {
            kind: key.0,
            base: first.old.clone(),
            head: first.new.clone(),
            regions: group.len(),
            region: describe(old.model, &group),
            witness: crate::partition::action_syntax(old.model, &first.point.old),
            witness_action: action_json(old.model, &first.point.old),
            head_location: locate(new, &first.new.by),
            base_location: locate(old, &first.old.by),
            clauses,
        });
    }
    changes.sort_by_key(|c| c.kind);
    changes
}

/// Where a clause or grant is declared.
fn label_location(model: &Model, label: &str) -> Option<Location> {
    match model.labels.get(label)? {
        crate::names::LabelRef::Clause(c) => model.clauses.get(c.index()).map(|c| c.label_location),
        crate::names::LabelRef::Grant(g) => model.grants.get(g.index()).map(|g| g.label_location),
    }
}

/// The regions of a change in words: each dimension's values, dates as a range.
fn describe(model: &Model, leaves: &[Leaf]) -> String {
    let mut verbs = BTreeSet::new();
    let mut assets = BTreeSet::new();
    let mut actors = BTreeSet::new();
    let mut to = BTreeSet::new();
    let mut fields = BTreeSet::new();
    let mut territories = BTreeSet::new();
    let mut from: Option<Option<jiff::civil::Date>> = None;
    let mut until: Option<Option<jiff::civil::Date>> = None;
    for leaf in leaves {
        let (f, u) = leaf.days;
        from = Some(match from {
            None => f,
            Some(prev) => prev.zip(f).map(|(a, b)| a.min(b)),
        });
        until = Some(match until {
            None => u,
            Some(prev) => prev.zip(u).map(|(a, b)| a.max(b)),
        });
        let a = &leaf.point.old;
        verbs.insert(model.verbs.name(a.verb).to_string());
        assets.insert(
            model
                .assets
                .get(a.asset.index())
                .map_or("?", |x| x.name.as_str())
                .to_string(),
        );
        actors.insert(
            model
                .parties
                .get(a.actor.index())
                .map_or("?", |x| x.name.as_str())
                .to_string(),
        );
        if let Some(p) = &a.to {
            to.insert(model.party_name(p).to_string());
        }
        if let Some(f) = a.field {
            fields.insert(model.fields.name(f).to_string());
        }
        if let Some(t) = a.territory {
            territories.insert(model.territories.name(t).to_string());
        }
    }
    let list = |s: &BTreeSet<String>| s.iter().cloned().collect::<Vec<_>>().join(", ");
    let mut parts = vec![
        format!("{} of {}", list(&verbs), list(&assets)),
        format!("by {}", list(&actors)),
    ];
    if !to.is_empty() {
        parts.push(format!("to {}", list(&to)));
    }
    if !fields.is_empty() {
        parts.push(format!("field {}", list(&fields)));
    }
    if !territories.is_empty() {
        parts.push(format!("territory {}", list(&territories)));
    }
    match (from.flatten(), until.flatten()) {
        (Some(a), Some(b)) if a == b => parts.push(format!("on {a}")),
        (Some(a), Some(b)) => parts.push(format!("from {a} to {b}")),
        (Some(a), None) => parts.push(format!("from {a}")),
        (None, Some(b)) => parts.push(format!("up to {b}")),
        (None, None) => parts.push("any date".to_string()),
    }
    parts.join("; ")
}

/// An action as the JSON `ipcheck eval --actions` reads.
pub fn action_json(model: &Model, action: &Action) -> Value {
    let party = |p: &PartyRef| Value::String(model.party_name(p).to_string());
    let mut m = Map::new();
    m.insert(
        "actor".into(),
        model
            .parties
            .get(action.actor.index())
            .map_or(Value::Null, |p| Value::String(p.name.clone())),
    );
    m.insert(
        "verb".into(),
        Value::String(model.verbs.name(action.verb).to_string()),
    );
    m.insert(
        "asset".into(),
        model
            .assets
            .get(action.asset.index())
            .map_or(Value::Null, |a| Value::String(a.name.clone())),
    );
    if let Some(to) = &action.to {
        m.insert("to".into(), party(to));
    }
    if let Some(f) = action.field {
        m.insert("field".into(), Value::String(model.fields.name(f).into()));
    }
    if let Some(t) = action.territory {
        m.insert(
            "territory".into(),
            Value::String(model.territories.name(t).into()),
        );
    }
    m.insert("date".into(), Value::String(action.date.to_string()));
    if let Some(u) = action.until {
        m.insert("until".into(), Value::String(u.to_string()));
    }
    if let Some(x) = action.exclusive {
        m.insert("exclusive".into(), Value::Bool(x));
    }
    if let Some(x) = action.sublicensable {
        m.insert("sublicensable".into(), Value::Bool(x));
    }
    if let Some(r) = action.royalty {
        m.insert(
            "royalty".into(),
            Value::String(crate::syntax::ast::percent_text(r)),
        );
    }
    if !action.notice.is_empty() {
        let notice: Map<String, Value> = action
            .notice
            .iter()
            .map(|(p, d)| {
                (
                    model.party_name(p).to_string(),
                    Value::String(d.to_string()),
                )
            })
            .collect();
        m.insert("notice".into(), Value::Object(notice));
    }
    if let Some(c) = &action.consents {
        m.insert(
            "consents".into(),
            Value::Array(c.iter().map(party).collect()),
        );
    }
    if let Some(o) = &action.objections {
        let dated: Map<String, Value> = o
            .iter()
            .map(|(p, d)| {
                (
                    model.party_name(p).to_string(),
                    d.map_or(Value::Null, |d| Value::String(d.to_string())),
                )
            })
            .collect();
        m.insert("objections".into(), Value::Object(dated));
    }
    if !action.facts.is_empty() {
        let facts: Map<String, Value> = action
            .facts
            .iter()
            .filter_map(|(f, v)| Some((model.facts.get(f.index())?.name.clone(), Value::Bool(*v))))
            .collect();
        m.insert("facts".into(), Value::Object(facts));
    }
    if !action.events.is_empty() {
        let events: Map<String, Value> = action
            .events
            .iter()
            .filter_map(|(e, d)| {
                Some((
                    model.events.get(e.index())?.name.clone(),
                    Value::String(d.to_string()),
                ))
            })
            .collect();
        m.insert("events".into(), Value::Object(events));
    }
    Value::Object(m)
}

/// Decides action JSON on a policy as `ipcheck eval --actions` does: the
/// outcome, or the diagnostics that refuse the action.
pub fn decide_json(model: &Model, action: &Value) -> Result<Outcome, String> {
    let record: crate::action_files::ActionRecord =
        serde_json::from_value(action.clone()).map_err(|e| e.to_string())?;
    let syntax = record
        .to_syntax(crate::span::FileId(0), crate::span::Span::default())
        .map_err(|d| d.message.clone())?;
    decide_syntax(model, &syntax)
}

/// Decides an action in the action syntax on a policy.
pub fn decide_text(model: &Model, text: &str) -> Result<Outcome, String> {
    let syntax =
        crate::syntax::parse_action(text, crate::span::FileId(0)).map_err(|d| messages(&d))?;
    decide_syntax(model, &syntax)
}

fn decide_syntax(
    model: &Model,
    syntax: &crate::syntax::ast::ActionSyntax,
) -> Result<Outcome, String> {
    let action = crate::names::resolve_action(model, syntax, crate::span::FileId(0))
        .map_err(|d| messages(&d))?;
    Ok(Outcome::of(
        &crate::decide::Engine::new(model).decide(&action),
    ))
}

/// Why an action was refused, on one line.
fn messages(diags: &[crate::diagnostic::Diagnostic]) -> String {
    diags
        .iter()
        .map(|d| d.message.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

/// One policy's diff, as `diff --base` and `check --base` report it.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyDiff {
    /// As shown in reports (the working tree's name).
    pub policy: String,
    pub status: PolicyStatus,
    pub diff: Diff,
}

/// What became of a policy between the two revisions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyStatus {
    /// Compared: `diff.changes` says what changed in effect (maybe nothing).
    Compared,
    /// New since the base revision: everything it decides is new.
    Added,
    /// Gone since the base revision.
    Removed,
    /// One side has errors: not compared.
    NotCompared,
}

impl PolicyDiff {
    /// The change diagnostics: one per change, at the changed clause in
    /// the new policy (`file` when the change has no place there), with
    /// `severity` (the configuration may re-level each code).
    pub fn diagnostics(
        &self,
        file: crate::span::FileId,
        severity: crate::diagnostic::Severity,
    ) -> Vec<crate::diagnostic::Diagnostic> {
        let mut out = Vec::new();
        for change in &self.diff.changes {
            let location = change.head_location.unwrap_or(Location {
                file,
                span: crate::span::Span::default(),
            });
            let mut d = crate::diagnostic::Diagnostic::new(
                codes::of_kind(change.kind),
                location.file,
                location.span,
                format!(
                    "this change {}: `{}` was {}, is now {}",
                    match change.kind {
                        Kind::Widened => "widens what is permitted",
                        Kind::Narrowed => "narrows what is permitted",
                        Kind::Reattributed => "moves a decision to another clause",
                        Kind::Obligations => "alters the duties of a decision",
                    },
                    change.witness,
                    change.base.words(),
                    change.head.words()
                ),
            )
            .with_label(format!(
                "{} in {}",
                change.kind.as_str(),
                count_regions(change.regions)
            ))
            .with_help(format!(
                "where: {}; confirm with `ipcheck eval --action \"{}\"` on both revisions",
                change.region, change.witness
            ));
            d.severity = severity;
            out.push(d);
        }
        if !self.diff.summary.complete {
            let mut d = crate::diagnostic::Diagnostic::new(
                codes::INCOMPLETE,
                file,
                crate::span::Span::default(),
                "the diff stopped at its budget: some changes in effect may be missing",
            )
            .with_label("incomplete diff")
            .with_help("split the change into smaller commits, or compare fewer clauses at a time");
            d.severity = crate::diagnostic::Severity::Warning;
            out.push(d);
        }
        out
    }
}

/// `1 region`, `3 regions`.
pub fn count_regions(n: usize) -> String {
    crate::report::count(n, "region", "regions")
}
