//! ## What it does
//! Finds a `group` that lists a party that leaves the agreement (`left
//! DATE`) while a clause uses the group: in `by` or `to`, in a condition
//! or in a duty, directly or through a group that contains it.
//!
//! ## Why is this bad?
//! Groups are fixed lists (LANGUAGE.md §7.5): a clause over the group
//! keeps naming the party after it has left. A permit `by members` still
//! lets it act, `duty notify members …` still waits for its answer, and
//! nobody reading the clause sees that the party is gone. `parties`
//! follows membership; a group does not.
//!
//! ## Example
//! ```ipl
//! agreement "Consortium" { effective 2025-01-01 expires 2028-12-31 }
//! party catl "CATL"
//! party sme "Smallco" left 2026-06-30
//! group members = catl, sme
//! asset cell "Cell patent" { class foreground owner catl }
//!
//! clause 9.1 "Members research with the results" {
//!   permit research of foreground
//!   by members
//! }
//! ```
//!
//! ## Use instead
//! ```ipl
//! agreement "Consortium" { effective 2025-01-01 expires 2028-12-31 }
//! party catl "CATL"
//! party sme "Smallco" left 2026-06-30
//! asset cell "Cell patent" { class foreground owner catl }
//!
//! clause 9.1 "Members research with the results" {
//!   permit research of foreground
//!   by parties
//! }
//! clause 9.2 "Smallco keeps research access" {
//!   permit research of foreground
//!   by sme
//! }
//! ```

use std::collections::HashMap;

use crate::diagnostic::{Code, Diagnostic};
use crate::names::NameRef;
use crate::span::{FileId, Location};
use crate::syntax::ast::{self, ItemKind};
use crate::syntax::refs::{SymKind, occurrences};

use super::context::LintCtx;

pub const CODE: Code = Code::DepartedGroupMember;

pub(crate) fn run(cx: &LintCtx, out: &mut Vec<Diagnostic>) {
    let mut groups: Vec<(FileId, &ast::Group)> = Vec::new();
    let mut parties: HashMap<&str, (FileId, &ast::Party)> = HashMap::new();
    let mut clause_spans: Vec<(FileId, crate::span::Span)> = Vec::new();
    for (file, tree) in &cx.policy.syntax {
        for item in &tree.items {
            match &item.kind {
                ItemKind::Group(g) => groups.push((*file, g)),
                ItemKind::Party(p) => {
                    parties.entry(p.id.name.as_str()).or_insert((*file, p));
                }
                ItemKind::Clause(_) => clause_spans.push((*file, item.span)),
                _ => {}
            }
        }
    }
    // The first use of each name inside a clause (clauses do not nest:
    // the one starting last before a name is the only one it can be in).
    clause_spans.sort_unstable_by_key(|(f, s)| (*f, s.start));
    let mut used: HashMap<&str, Location> = HashMap::new();
    let all = occurrences(&cx.policy.syntax);
    for o in &all {
        let at = clause_spans.partition_point(|(f, s)| (*f, s.start) <= (o.file, o.span.start));
        let in_clause = at
            .checked_sub(1)
            .and_then(|i| clause_spans.get(i))
            .is_some_and(|(f, s)| *f == o.file && s.start <= o.span.start && o.span.end <= s.end);
        if o.kind == SymKind::Name && !o.decl && in_clause {
            used.entry(o.name.as_str()).or_insert(Location {
                file: o.file,
                span: o.span,
            });
        }
    }
    let uses = group_uses(&groups, &used);
    for &(file, group) in &groups {
        let Some(&use_at) = uses.get(group.id.name.as_str()) else {
            continue;
        };
        for member in &group.members {
            let Some(NameRef::Party(id)) = cx.model.names.get(&member.name) else {
                continue;
            };
            let party = cx.model.party(*id);
            let Some(left) = party.left else {
                continue;
            };
            let mut diag = Diagnostic::new(
                CODE,
                file,
                member.span,
                format!(
                    "group `{}` lists `{}`, which leaves the agreement on {left}, and a clause uses the group",
                    group.id.name, member.name
                ),
            )
            .with_label(format!("leaves on {left}"))
            .with_related(use_at, format!("uses `{}` after `{}` has left", use_at_name(cx, use_at), member.name));
            if let Some((pfile, p)) = parties.get(member.name.as_str())
                && let Some(date) = &p.left
            {
                diag = diag.with_related(
                    Location {
                        file: *pfile,
                        span: date.span,
                    },
                    format!("`{}` leaves here", member.name),
                );
            }
            out.push(diag.with_help(format!(
                "a group is a fixed list: clauses over `{}` still name `{}` after it has left; use `parties` (the members on the action's date), or remove `{}` from the group",
                group.id.name, member.name, member.name
            )));
        }
    }
}

/// Where a clause uses each group, directly or through a group that
/// lists it (the first such group in source order): computed once for
/// all groups, without recursion (nested groups may be deep), so that
/// the cost follows the number of memberships.
fn group_uses<'g>(
    groups: &[(FileId, &'g ast::Group)],
    used: &HashMap<&str, Location>,
) -> HashMap<&'g str, Location> {
    // The groups that list each name, in source order.
    let mut listed_in: HashMap<&str, Vec<&'g str>> = HashMap::new();
    for (_, g) in groups {
        for m in &g.members {
            listed_in
                .entry(m.name.as_str())
                .or_default()
                .push(g.id.name.as_str());
        }
    }
    let mut memo: HashMap<&'g str, Option<Location>> = HashMap::new();
    let mut on_path: std::collections::HashSet<&'g str> = std::collections::HashSet::new();
    for (_, g) in groups {
        let mut stack: Vec<(&'g str, usize)> = vec![(g.id.name.as_str(), 0)];
        while let Some(&(name, next)) = stack.last() {
            if memo.contains_key(name) {
                stack.pop();
                on_path.remove(name);
                continue;
            }
            if let Some(at) = used.get(name) {
                memo.insert(name, Some(*at));
                continue;
            }
            on_path.insert(name);
            let outer = listed_in.get(name).and_then(|l| l.get(next)).copied();
            let Some(outer) = outer else {
                memo.insert(name, None);
                continue;
            };
            match memo.get(outer) {
                Some(Some(at)) => {
                    let at = *at;
                    memo.insert(name, Some(at));
                }
                Some(None) => {
                    if let Some(top) = stack.last_mut() {
                        top.1 += 1;
                    }
                }
                None if on_path.contains(outer) => {
                    if let Some(top) = stack.last_mut() {
                        top.1 += 1;
                    }
                }
                None => stack.push((outer, 0)),
            }
        }
    }
    memo.into_iter()
        .filter_map(|(name, at)| at.map(|at| (name, at)))
        .collect()
}

/// The name written at a use.
fn use_at_name<'p>(cx: &LintCtx<'p>, at: Location) -> &'p str {
    cx.text(at)
}
