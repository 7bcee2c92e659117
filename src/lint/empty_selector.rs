//! ## What it does
//! Finds selectors that select nothing: a party line no party satisfies
//! (`by members except members`), an asset filter no declared asset
//! matches, and clauses whose lines, each satisfiable, exclude every
//! action together (`field ev` with `when field in recycling`). Time lines
//! with no date in common, such as `during term` with a `from` after the
//! term, are an error of their own (`ipl::check::empty_window`).
//!
//! ## Why is this bad?
//! A clause with an empty selector never applies: a permit grants nothing,
//! a forbid protects nothing. It is almost always a typo (a wrong tag, a
//! class and type that no asset has) or a clause that a later amendment
//! left behind.
//!
//! ## Example
//! ```ipl
//! agreement "Consortium" { effective 2025-01-01 expires 2028-12-31 }
//! party catl "CATL"
//! party bmw "BMW"
//! group members = catl, bmw
//! asset cell "Cell patent" { class foreground type patent owner catl }
//!
//! clause 1 "Access for research" {
//!   permit research of foreground software
//!   by members
//! }
//! clause 2 "Exploitation by the others" {
//!   permit exploit of foreground
//!   by members except members
//! }
//! ```
//!
//! ## Use instead
//! ```ipl
//! agreement "Consortium" { effective 2025-01-01 expires 2028-12-31 }
//! party catl "CATL"
//! party bmw "BMW"
//! group members = catl, bmw
//! asset cell "Cell patent" { class foreground type patent owner catl }
//!
//! clause 1 "Access for research" {
//!   permit research of foreground patent
//!   by members
//! }
//! clause 2 "Exploitation by the others" {
//!   permit exploit of foreground
//!   by members except owners
//! }
//! ```

use crate::diagnostic::{Code, Diagnostic};
use crate::names::{ClauseId, ClauseInfo, Located, PartyRef, PartySet};
use crate::partition::Question;
use crate::syntax::ast;

use super::context::LintCtx;

pub const CODE: Code = Code::EmptySelector;

pub(crate) fn run(cx: &LintCtx, out: &mut Vec<Diagnostic>) {
    for (id, clause) in cx.clauses() {
        let before = out.len();
        party_lines(cx, id, clause, out);
        asset_filters(cx, clause, out);
        if out.len() == before && cx.regions.satisfiable(id).is_impossible() {
            out.push(
                Diagnostic::new(
                    CODE,
                    cx.head(id).file,
                    cx.head(id).span,
                    format!(
                        "no action satisfies every line of clause `{}` together",
                        clause.label
                    ),
                )
                .with_label("never applies")
                .with_help(
                    "each line narrows the clause, and together they exclude every action; check the verb, field, territory, party and condition lines against each other",
                ),
            );
        }
    }
}

/// `by` and `to` lines that no party satisfies, for any asset and actor
/// the clause can concern.
fn party_lines(cx: &LintCtx, id: ClauseId, clause: &ClauseInfo, out: &mut Vec<Diagnostic>) {
    if clause.by.is_empty() && clause.to.is_empty() {
        return;
    }
    let base = [id];
    let question = Question::about(&base, &[]);
    let all_axes: Vec<_> = cx
        .regions
        .pairs(&question)
        .into_iter()
        .map(|(asset, verb)| cx.regions.axes(&question, asset, verb))
        .collect();
    let selects_someone = |line: &Located<PartySet>, as_actor: bool| {
        all_axes.iter().any(|axes| {
            // Membership changes with the date (`parties`, `former_parties`):
            // every representative date counts.
            axes.actors.iter().any(|&actor| {
                axes.dates.iter().any(|&date| {
                    let action = crate::names::Action {
                        date,
                        ..axes.blank(actor)
                    };
                    let ctx = crate::decide::eval::Ctx::new(cx.model, &action);
                    if as_actor {
                        ctx.party_in(&line.value, &PartyRef::Known(actor))
                    } else {
                        axes.counterparties
                            .iter()
                            .flatten()
                            .any(|to| ctx.party_in(&line.value, to))
                    }
                })
            })
        })
    };
    let lines = clause
        .by
        .iter()
        .map(|l| (l, true))
        .chain(clause.to.iter().map(|l| (l, false)));
    for (line, as_actor) in lines {
        if all_axes.is_empty() || selects_someone(line, as_actor) {
            continue;
        }
        out.push(
            Diagnostic::new(
                CODE,
                cx.trim(line.location).file,
                cx.trim(line.location).span,
                format!(
                    "`{}` selects no party, so clause `{}` never applies",
                    cx.text(line.location),
                    clause.label
                ),
            )
            .with_label("selects nobody")
            .with_help(
                "no declared party (nor an outsider) is in this set for any asset the clause covers; check the `except` list and the groups it names",
            ),
        );
    }
}

/// Asset filters that no declared asset matches.
fn asset_filters(cx: &LintCtx, clause: &ClauseInfo, out: &mut Vec<Diagnostic>) {
    let Some((file, syntax)) = cx.clause_syntax(&clause.label) else {
        return;
    };
    let Some(head) = syntax.head() else {
        return;
    };
    let compiled = clause.assets.iter().flatten();
    for (written, selector) in head.assets.iter().zip(compiled) {
        let (ast::AssetSelector::Filter(f), crate::names::AssetSelector::Filter(filter)) =
            (written, selector)
        else {
            continue;
        };
        if cx.model.assets.iter().any(|a| filter.matches(a)) {
            continue;
        }
        let location = crate::span::Location { file, span: f.span };
        out.push(
            Diagnostic::new(
                CODE,
                file,
                f.span,
                format!("no asset is `{}`", cx.text(location)),
            )
            .with_label("matches no declared asset")
            .with_help(
                "an asset matches a filter when its class, type, ownership and tag all do; fix the filter, or declare the asset it is meant for",
            ),
        );
    }
}
