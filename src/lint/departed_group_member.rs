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
    // The first use of each name inside a clause.
    let mut used: HashMap<&str, Location> = HashMap::new();
    let all = occurrences(&cx.policy.syntax);
    for o in &all {
        let in_clause = clause_spans
            .iter()
            .any(|(f, s)| *f == o.file && s.start <= o.span.start && o.span.end <= s.end);
        if o.kind == SymKind::Name && !o.decl && in_clause {
            used.entry(o.name.as_str()).or_insert(Location {
                file: o.file,
                span: o.span,
            });
        }
    }
    for &(file, group) in &groups {
        let Some(use_at) = use_of(&group.id.name, &groups, &used, &mut Vec::new()) else {
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

/// Where a clause uses the group, directly or through a group that lists
/// it.
fn use_of(
    name: &str,
    groups: &[(FileId, &ast::Group)],
    used: &HashMap<&str, Location>,
    seen: &mut Vec<String>,
) -> Option<Location> {
    if let Some(at) = used.get(name) {
        return Some(*at);
    }
    if seen.iter().any(|s| s == name) {
        return None;
    }
    seen.push(name.to_string());
    groups
        .iter()
        .filter(|(_, g)| g.members.iter().any(|m| m.name == name))
        .find_map(|(_, g)| use_of(&g.id.name, groups, used, seen))
}

/// The name written at a use.
fn use_at_name<'p>(cx: &LintCtx<'p>, at: Location) -> &'p str {
    cx.text(at)
}
