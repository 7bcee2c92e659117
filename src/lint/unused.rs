//! ## What it does
//! Reports declarations nothing refers to: parties and
//! groups no clause, group, asset, grant or scenario names; assets no
//! clause selects and no grant or scenario names; field, territory and
//! verb nodes named nowhere, nor any node above or below them; and asset
//! tags no `tagged` selector uses (except `excluded`, which marks excluded
//! background by itself).
//!
//! ## Why is this bad?
//! An unused declaration is either dead weight or a sign that a reference
//! went astray: a tag spelled differently in the selector, a party the
//! clauses were meant to name, a territory the drafters forgot to cover
//! (its actions are then decided only by clauses without a territory).
//!
//! ## Example
//! ```ipl
//! agreement "Consortium" { effective 2025-01-01 expires 2028-12-31 }
//! party catl "CATL"
//! party bmw "BMW"
//! asset cell "Cell patent" { class foreground owner catl tags core }
//!
//! clause 1 "Owners may exploit" {
//!   permit exploit of foreground
//!   by owners
//! }
//! ```
//!
//! ## Use instead
//! ```ipl
//! agreement "Consortium" { effective 2025-01-01 expires 2028-12-31 }
//! party catl "CATL"
//! party bmw "BMW"
//! asset cell "Cell patent" { class foreground owner catl tags core }
//!
//! clause 1 "Owners may exploit core results" {
//!   permit exploit of foreground tagged core
//!   by owners
//! }
//! clause 2 "BMW may research" {
//!   permit research of foreground
//!   by bmw
//! }
//! ```

use std::collections::HashSet;

use crate::diagnostic::{Code, Diagnostic};
use crate::names::{AssetSelector, Hierarchy, Model, NodeId};
use crate::syntax::ast::{self, ItemKind};
use crate::syntax::refs::{Occurrence, SymKind, occurrences};

use super::context::LintCtx;

pub const CODE: Code = Code::Unused;

/// Every name written where a declaration is referred to, per namespace.
#[derive(Default)]
struct References<'a> {
    parties: HashSet<&'a str>,
    assets: HashSet<&'a str>,
    fields: HashSet<&'a str>,
    territories: HashSet<&'a str>,
    verbs: HashSet<&'a str>,
    tags: HashSet<&'a str>,
    facts: HashSet<&'a str>,
    events: HashSet<&'a str>,
    /// A clause says `any` verb.
    any_verb: bool,
}

pub(crate) fn run(cx: &LintCtx, out: &mut Vec<Diagnostic>) {
    let occurrences = occurrences(&cx.policy.syntax);
    let refs = References::of(&occurrences, cx);
    let selected = selected_assets(cx.model);
    let mut reported_tags: HashSet<&str> = HashSet::new();
    for (file, tree) in &cx.policy.syntax {
        for item in &tree.items {
            let unused = |what: &str, id: &ast::Ident, help: &str| {
                Diagnostic::new(
                    CODE,
                    *file,
                    id.span,
                    format!("{what} `{}` is never referenced", id.name),
                )
                .with_label("declared here, used nowhere")
                .with_help(help.to_string())
            };
            match &item.kind {
                ItemKind::Party(p) if !refs.parties.contains(p.id.name.as_str()) => {
                    out.push(unused(
                        "party",
                        &p.id,
                        "remove the declaration, or name the party where it was meant to be",
                    ))
                }
                ItemKind::Group(g) if !refs.parties.contains(g.id.name.as_str()) => {
                    out.push(unused(
                        "group",
                        &g.id,
                        "remove the group, or use it in a `by`, `to` or duty line",
                    ))
                }
                ItemKind::Asset(a) => {
                    let known = cx.model.asset_ids.get(&a.id.name);
                    let chosen = known.is_some_and(|id| selected.contains(&id.index()));
                    if !chosen && !refs.assets.contains(a.id.name.as_str()) {
                        out.push(unused(
                            "asset",
                            &a.id,
                            "no clause selects it and no grant or scenario names it; check its class, type and tags against the clauses' selectors",
                        ));
                    }
                    for tag in &a.tags {
                        let name = tag.name.as_str();
                        // `excluded` means something without a selector:
                        // excluded_background_permitted reads it.
                        if name != "excluded"
                            && !refs.tags.contains(name)
                            && reported_tags.insert(name)
                        {
                            out.push(
                                Diagnostic::new(
                                    CODE,
                                    *file,
                                    tag.span,
                                    format!("tag `{name}` is never used by a `tagged` selector"),
                                )
                                .with_label("no selector reads this tag")
                                .with_help(
                                    "remove the tag, or select it with `of tagged TAG` where it was meant to matter",
                                ),
                            );
                        }
                    }
                }
                _ => {}
            }
        }
    }
    nodes(
        &cx.model.fields,
        "field",
        &refs.fields,
        false,
        "actions in this field are decided only by clauses without a `field` line; remove it if it is not needed",
        out,
    );
    nodes(
        &cx.model.territories,
        "territory",
        &refs.territories,
        false,
        "actions in this territory are decided only by clauses without a `territory` line; remove it if it is not needed",
        out,
    );
    nodes(
        &cx.model.verbs,
        "verb",
        &refs.verbs,
        refs.any_verb,
        "no clause covers actions with this verb (none is written on it, a verb above it or `any`); remove it, or name it in the clauses it was added for",
        out,
    );
}

/// The assets some clause's selectors choose (a clause without `of`
/// chooses them all).
fn selected_assets(model: &Model) -> HashSet<usize> {
    let mut out = HashSet::new();
    for clause in &model.clauses {
        let Some(selectors) = &clause.assets else {
            return (0..model.assets.len()).collect();
        };
        for s in selectors {
            match s {
                AssetSelector::Asset(a) => {
                    out.insert(a.index());
                }
                AssetSelector::Filter(f) => out.extend(
                    model
                        .assets
                        .iter()
                        .enumerate()
                        .filter(|(_, a)| f.matches(a))
                        .map(|(i, _)| i),
                ),
            }
        }
    }
    out
}

/// Unused tree nodes: neither they nor a node above or below them is
/// named. Only the topmost of an unused subtree is reported.
fn nodes(
    tree: &Hierarchy,
    noun: &str,
    named: &HashSet<&str>,
    all_used: bool,
    help: &str,
    out: &mut Vec<Diagnostic>,
) {
    if all_used {
        return;
    }
    // The pre-order intervals of the referenced nodes, by start, with
    // the furthest end so far: a node is used when a referenced node lies
    // in its interval or its start lies in a referenced one's (binary
    // searches, so a tree of N nodes costs N log N, not N²).
    let mut referenced: Vec<(u32, u32)> = named
        .iter()
        .filter_map(|n| tree.get(n))
        .filter_map(|r| tree.nodes.get(r.index()))
        .map(|r| (r.enter, r.exit))
        .collect();
    referenced.sort_unstable();
    let furthest: Vec<u32> = referenced
        .iter()
        .scan(0, |most, &(_, exit)| {
            *most = exit.max(*most);
            Some(*most)
        })
        .collect();
    let used = |n: NodeId| {
        let Some(node) = tree.nodes.get(n.index()) else {
            return false;
        };
        let after = referenced.partition_point(|&(enter, _)| enter < node.enter);
        let below = referenced
            .get(after)
            .is_some_and(|&(enter, _)| enter <= node.exit);
        let above = referenced.partition_point(|&(enter, _)| enter <= node.enter);
        below || (above > 0 && furthest[above - 1] >= node.enter)
    };
    for (i, node) in tree.nodes.iter().enumerate() {
        let id = NodeId(i as u32);
        let Some(location) = node.location else {
            continue; // built-in verbs
        };
        if used(id) || node.parent.is_some_and(|p| !used(p)) {
            continue;
        }
        let below = node.exit.saturating_sub(node.enter);
        let message = match below {
            0 => format!("{noun} `{}` is never referenced", node.name),
            n => format!(
                "{noun} `{}` is never referenced, nor any of the {n} nodes under it",
                node.name
            ),
        };
        out.push(
            Diagnostic::new(CODE, location.file, location.span, message)
                .with_label("named nowhere, nor any node above or below it")
                .with_help(help.to_string()),
        );
    }
}

impl<'a> References<'a> {
    /// Every name used (not declared) anywhere in the policy, from the
    /// walk the language server navigates with.
    fn of(occurrences: &'a [Occurrence], cx: &LintCtx) -> References<'a> {
        let mut refs = References {
            any_verb: cx.model.clauses.iter().any(|c| c.verbs.is_none()),
            ..References::default()
        };
        for o in occurrences.iter().filter(|o| !o.decl) {
            let set = match o.kind {
                SymKind::Name => &mut refs.parties,
                SymKind::Asset => &mut refs.assets,
                SymKind::Field => &mut refs.fields,
                SymKind::Territory => &mut refs.territories,
                SymKind::Verb => &mut refs.verbs,
                SymKind::Tag => &mut refs.tags,
                SymKind::Fact => &mut refs.facts,
                SymKind::Event => &mut refs.events,
                SymKind::Label | SymKind::Instrument => continue,
            };
            set.insert(o.name.as_str());
        }
        refs
    }
}
