//! Decisions and scenario results for people: the decision in one line,
//! then the deciding clause and every reason as miette snippets.

use crate::decide::duties::DutyOutcome;
use crate::decide::{DecisionRecord, Status};
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::source::SourceMap;
use crate::span::Location;
use crate::terms::Decision;

use super::human::{self, Style};

/// The one-line verdict: `permit by 8.2.3`, `deny (default)`.
pub fn verdict(record: &DecisionRecord) -> String {
    match &record.decided_by {
        Some(by) => format!("{} by {by}", record.decision.as_str()),
        None => format!("{} (no deciding clause)", record.decision.as_str()),
    }
}

/// Renders a decision: a headline, a snippet of the deciding clause with
/// the reasons inside it, a small snippet for each reason elsewhere, and
/// (with `explain`) a line per clause consulted.
pub fn render(
    record: &DecisionRecord,
    action_text: &str,
    action_location: Option<Location>,
    sources: &SourceMap,
    style: Style,
    explain: bool,
) -> String {
    let mark = match record.decision {
        Decision::Permit => "✓",
        Decision::Conditional => "?",
        Decision::Deny => "✗",
    };
    let mut out = format!("{mark} {}: {action_text}\n", verdict(record));
    let notes = notes(record, action_location);
    if notes.is_empty() {
        out.push_str(&format!("  {}\n", record.summary));
        for line in text_reasons(record) {
            out.push_str(&format!("  {line}\n"));
        }
    }
    for note in &notes {
        out.push_str(&human::render(note, sources, style));
    }
    if explain {
        out.push_str("  clauses consulted:\n");
        for c in &record.consulted {
            match &c.version {
                Some(v) => out.push_str(&format!(
                    "    {} ({v}) {}\n",
                    c.label,
                    status_text(&c.status)
                )),
                None => out.push_str(&format!("    {} {}\n", c.label, status_text(&c.status))),
            }
        }
        if record.consulted.is_empty() {
            out.push_str("    none concerns this verb and asset\n");
        }
    }
    out
}

/// The reasons as plain lines, for when there is no source to point into
/// (and for the help of findings).
pub fn text_reasons(record: &DecisionRecord) -> Vec<String> {
    let mut lines = Vec::new();
    lines.extend(
        record
            .residual_conditions
            .iter()
            .map(|c| format!("provided: {c}")),
    );
    lines.extend(
        record
            .open_preconditions
            .iter()
            .map(|d| format!("open: {}", duty_text(d))),
    );
    lines.extend(
        record
            .violated_preconditions
            .iter()
            .map(|d| format!("violated: {}", duty_text(d))),
    );
    lines.extend(
        record
            .obligations
            .iter()
            .map(|d| format!("incurs: {}{} (clause {})", d.duty, amount(d), d.clause)),
    );
    lines.extend(
        record
            .near_misses
            .iter()
            .map(|m| format!("near miss: clause {} fails only on: {}", m.label, m.line)),
    );
    lines
}

/// `: 40000 EUR` for a payment on an action that states its income.
fn amount(d: &DutyOutcome) -> String {
    d.amount
        .as_ref()
        .map_or_else(String::new, |a| format!(": {a}"))
}

fn duty_text(d: &DutyOutcome) -> String {
    let mut text = format!("{} (clause {})", d.duty, d.clause);
    if let Some(deadline) = d.deadline {
        text.push_str(&format!(", by {deadline}"));
    }
    if let Some(detail) = &d.detail {
        text.push_str(&format!(": {detail}"));
    }
    text
}

fn status_text(status: &Status) -> String {
    match status {
        Status::Applied => "applies".to_string(),
        Status::MayApply => "may apply".to_string(),
        Status::BlockedBy { label } => format!("is blocked by clause {label}"),
        Status::Violated => "has a violated precondition".to_string(),
        Status::FailedOn { parts } => {
            let parts: Vec<&str> = parts.iter().map(|p| p.as_str()).collect();
            format!("does not apply ({})", parts.join(", "))
        }
    }
}

/// A note: an unnumbered diagnostic used only to draw a snippet.
fn note(location: Location, message: String, label: String) -> Diagnostic {
    Diagnostic {
        code: Code::Note,
        severity: Severity::Info,
        message,
        location,
        label: Some(label),
        related: Vec::new(),
        help: None,
        fix: None,
    }
}

/// The decision as snippets: one at the deciding clause (or the action)
/// labelling the reasons inside it, and one for each reason elsewhere,
/// since a snippet spanning distant lines would be unreadable.
fn notes(record: &DecisionRecord, action_location: Option<Location>) -> Vec<Diagnostic> {
    let primary = match (record.decided_by_location, &record.decided_by) {
        (Some(location), Some(by)) => Some((
            location,
            format!("decides: {} ({by})", record.decision.as_str()),
        )),
        _ => action_location.map(|l| (l, "no clause permits this".to_string())),
    };
    let Some((location, label)) = primary else {
        return Vec::new();
    };
    let mut main = note(location, record.summary.clone(), label);
    if !record.residual_conditions.is_empty() {
        main.help = Some(format!(
            "provided that: {}",
            record.residual_conditions.join("; ")
        ));
    }
    let mut reasons: Vec<(Location, String)> = Vec::new();
    reasons.extend(
        record
            .open_preconditions
            .iter()
            .map(|d| (d.location, format!("open: {}", duty_text(d)))),
    );
    reasons.extend(
        record
            .violated_preconditions
            .iter()
            .map(|d| (d.location, format!("violated: {}", duty_text(d)))),
    );
    reasons.extend(
        record
            .obligations
            .iter()
            .map(|d| (d.location, format!("incurs: {}{}", d.duty, amount(d)))),
    );
    reasons.extend(record.near_misses.iter().map(|m| {
        (
            m.location,
            format!("near miss: clause {} fails only on: {}", m.label, m.line),
        )
    }));
    let inside = |l: &Location| {
        l.file == location.file
            && location.span.start <= l.span.start
            && l.span.end <= location.span.end
    };
    let mut others = Vec::new();
    for (l, message) in reasons {
        if inside(&l) {
            main = main.with_related(l, message);
        } else {
            others.push(note(l, message.clone(), message));
        }
    }
    let mut all = vec![main];
    all.extend(others);
    all
}
