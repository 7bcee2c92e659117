//! The edits lints offer: a `notwithstanding` added to a clause that
//! should prevail, or removed where it decides nothing.

use super::context::LintCtx;
use crate::diagnostic::{Edit, Fix};
use crate::names::ClauseId;
use crate::span::{FileId, Location, Span};
use crate::syntax::ast::{self, ItemKind};

/// The syntax of one clause version: the clause item of its file whose
/// span holds its head line.
fn clause_syntax<'p>(cx: &LintCtx<'p>, id: ClauseId) -> Option<(FileId, &'p ast::Clause)> {
    let head = cx.clause(id).head;
    cx.policy
        .syntax
        .iter()
        .filter(|(file, _)| *file == head.file)
        .flat_map(|(file, tree)| tree.items.iter().map(move |item| (*file, item)))
        .find_map(|(file, item)| match &item.kind {
            ItemKind::Clause(c) if item.span.contains(head.span.start as usize) => Some((file, c)),
            _ => None,
        })
}

/// Gives `host` priority over `targets`: `notwithstanding A, B` after its
/// label (and title), or the labels appended to the list it has. Unsafe:
/// it changes which clause decides.
pub fn add_notwithstanding(cx: &LintCtx, host: ClauseId, targets: &[ClauseId]) -> Option<Fix> {
    let (file, clause) = clause_syntax(cx, host)?;
    let labels: Vec<&str> = targets
        .iter()
        .map(|&t| cx.clause(t).label.as_str())
        .filter(|l| !clause.notwithstanding.iter().any(|n| n.name == *l))
        .collect();
    if labels.is_empty() {
        return None;
    }
    let list = labels.join(", ");
    let edit = match clause.notwithstanding.last() {
        Some(last) => Edit::insert(file, last.span.end, format!(", {list}")),
        None => {
            let after = clause
                .title
                .as_ref()
                .map_or(clause.label.span.end, |t| t.span.end);
            Edit::insert(file, after, format!(" notwithstanding {list}"))
        }
    };
    Some(Fix::unsafe_(
        format!(
            "Add `notwithstanding {list}` to clause {}",
            clause.label.name
        ),
        vec![edit],
    ))
}

/// Removes the `notwithstanding` target written at `at` (with its comma,
/// or the whole `notwithstanding` when it is the only one). Safe: the
/// lint only offers it where the priority decides nothing.
pub fn remove_notwithstanding(cx: &LintCtx, at: Location) -> Option<Fix> {
    let clause = cx
        .policy
        .syntax
        .iter()
        .filter(|(file, _)| *file == at.file)
        .flat_map(|(_, tree)| tree.items.iter())
        .find_map(|item| match &item.kind {
            ItemKind::Clause(c) if c.notwithstanding.iter().any(|n| n.span == at.span) => Some(c),
            _ => None,
        })?;
    let list = &clause.notwithstanding;
    let index = list.iter().position(|n| n.span == at.span)?;
    let span = match (index.checked_sub(1), list.get(index + 1)) {
        // `notwithstanding a` alone: from the end of what precedes it.
        (None, None) => {
            let before = clause
                .title
                .as_ref()
                .map_or(clause.label.span.end, |t| t.span.end);
            Span::new(before as usize, at.span.end as usize)
        }
        // The first of several: up to the next one.
        (None, Some(next)) => Span::new(at.span.start as usize, next.span.start as usize),
        // A later one: from the end of the one before.
        (Some(previous), _) => Span::new(list[previous].span.end as usize, at.span.end as usize),
    };
    Some(Fix::safe(
        format!("Remove `notwithstanding {}`", list[index].name),
        vec![Edit::delete(at.file, span)],
    ))
}
