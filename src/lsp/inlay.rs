//! Inlay hints: the dates the engine computes and a reader cannot see.
//!
//! - after an agreement's `term 7 years`: the day the term ends;
//! - after a time written from `effective` or `expires` (`expires + 12
//!   months`): the day it falls on;
//! - in a scenario, after an event's day (`request on 2026-05-01`): the day
//!   each time the clauses write from that event (`request + 90 days`)
//!   falls on;
//! - in a scenario, after `notice bmw 60 days`: the day the notice was
//!   given; and at the `expect` line, the last day to give each notice the
//!   decision still requires.
//!
//! Dates come from the same calendar arithmetic as the engine
//! (`crate::dates`) and from the decision records.

use std::collections::BTreeMap;

use jiff::civil::Date;
use lsp_types::{InlayHint, InlayHintLabel, Range};

use super::convert;
use super::workspace::Analysis;
use crate::dates;
use crate::span::FileId;
use crate::syntax::ast::{self, ExprKind, ItemKind, LineKind, NoticeGiven, Time, TimeBase};

pub fn hints(analysis: &Analysis, file: FileId, range: Range) -> Vec<InlayHint> {
    let (Some(source), Some(tree)) = (analysis.source(file), analysis.syntax(file)) else {
        return Vec::new();
    };
    let model = analysis.model();
    let effective = model.agreement.as_ref().and_then(|a| a.effective);
    let expires = model.agreement.as_ref().and_then(|a| a.expires);
    let mut out: Vec<(usize, String)> = Vec::new();
    // Times written from an event, anywhere in the policy, by event name.
    let mut from_events: BTreeMap<String, Vec<(String, String, Time)>> = BTreeMap::new();
    for (other_file, other) in &analysis.policy.syntax {
        let Some(other_text) = analysis.source(*other_file).map(|f| f.text.clone()) else {
            continue;
        };
        for item in &other.items {
            if let ItemKind::Clause(c) = &item.kind {
                for t in clause_times(c) {
                    if let TimeBase::Event(e) = &t.base
                        && !t.offsets.is_empty()
                    {
                        let written = other_text.get(t.span.range()).unwrap_or_default();
                        let written = written.split_whitespace().collect::<Vec<_>>().join(" ");
                        from_events.entry(e.name.clone()).or_default().push((
                            c.label.name.clone(),
                            written,
                            t.clone(),
                        ));
                    }
                }
            }
        }
    }
    for item in &tree.items {
        match &item.kind {
            ItemKind::Agreement(a) => {
                if let ([term], Some(ends)) = (a.term.as_slice(), expires) {
                    out.push((term.span.end as usize, format!("ends {ends}")));
                }
            }
            ItemKind::Clause(c) => {
                for t in clause_times(c) {
                    let base = match t.base {
                        TimeBase::Effective => effective,
                        TimeBase::Expires => expires,
                        TimeBase::Date(d) if !t.offsets.is_empty() => d,
                        _ => None,
                    };
                    if let Some(day) = base.and_then(|b| apply(b, t)) {
                        out.push((t.span.end as usize, format!("= {day}")));
                    }
                }
            }
            ItemKind::Scenario(s) => {
                let on = s.action.date.as_ref().and_then(|d| d.value);
                for (_, given) in s.action.notice.iter().flatten() {
                    if let (NoticeGiven::Ahead(d), Some(on)) = (given, on)
                        && let Some(day) = dates::sub(on, *d)
                    {
                        out.push((d.span.end as usize, format!("given {day}")));
                    }
                }
                for (event, day) in &s.action.events {
                    let Some(day_value) = day.value else {
                        continue;
                    };
                    let mut seen = Vec::new();
                    for (label, written, t) in from_events.get(&event.name).into_iter().flatten() {
                        let Some(at) = apply(day_value, t) else {
                            continue;
                        };
                        let hint = format!("{written} = {at} ({label})");
                        if !seen.contains(&hint) {
                            seen.push(hint.clone());
                            out.push((day.span.end as usize, hint));
                        }
                    }
                }
                out.extend(deadlines(analysis, item.span, s));
            }
            _ => {}
        }
    }
    let mut hints: Vec<InlayHint> = out
        .into_iter()
        .map(|(offset, label)| InlayHint {
            position: convert::position(source, offset),
            label: InlayHintLabel::String(label),
            kind: None,
            text_edits: None,
            tooltip: None,
            padding_left: Some(true),
            padding_right: None,
            data: None,
        })
        .filter(|h| h.position >= range.start && h.position <= range.end)
        .collect();
    hints.sort_by_key(|h| (h.position.line, h.position.character));
    hints
}

/// A time's base day with its offsets applied, as the engine does.
fn apply(base: Date, t: &Time) -> Option<Date> {
    t.offsets
        .iter()
        .try_fold(base, |day, o| dates::shift(day, o.minus, o.duration))
}

/// Every time written in a clause's lines and conditions.
fn clause_times(c: &ast::Clause) -> Vec<&Time> {
    let mut out = Vec::new();
    let mut exprs = Vec::new();
    for line in &c.lines {
        match &line.kind {
            LineKind::From(t) | LineKind::Until(t) => out.push(t),
            LineKind::When(e) | LineKind::Unless(e) => exprs.push(e),
            _ => {}
        }
    }
    while let Some(e) = exprs.pop() {
        match &e.kind {
            ExprKind::Or(parts) | ExprKind::And(parts) => exprs.extend(parts),
            ExprKind::Not(inner) => exprs.push(inner),
            ExprKind::Until(_, t) => out.push(t),
            ExprKind::TimeCmp(l, _, r) => out.extend([l, r]),
            _ => {}
        }
    }
    out
}

/// The notice deadlines of a scenario's decision, at the end of its
/// `expect` line (none while the policy has errors).
fn deadlines(
    analysis: &Analysis,
    item: crate::span::Span,
    s: &ast::Scenario,
) -> Vec<(usize, String)> {
    if analysis.policy.has_errors() {
        return Vec::new();
    }
    let model = analysis.model();
    let Some(index) = model.scenarios.iter().position(|m| m.location.span == item) else {
        return Vec::new();
    };
    let Some(Some(record)) = analysis.decisions().get(index) else {
        return Vec::new();
    };
    let end = s
        .expect_by
        .as_ref()
        .map_or(s.expect.span.end, |by| by.span.end) as usize;
    record
        .open_preconditions
        .iter()
        .chain(&record.obligations)
        .filter_map(|d| Some((end, format!("{} by {}", d.duty, d.deadline?))))
        .collect()
}
