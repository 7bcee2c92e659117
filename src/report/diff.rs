//! The diff sections of reports: what a change does in effect, in words (human), Markdown (the PR comment) and JSON (the stable contract of docs/cli.md).

use std::io::{self, Write};

use serde_json::{Value, json};

use crate::diff::{Change, Kind, Outcome, PolicyDiff, PolicyStatus, count_regions};

/// `Widened`.
fn title(kind: Kind) -> &'static str {
    match kind {
        Kind::Widened => "Widened",
        Kind::Narrowed => "Narrowed",
        Kind::Reattributed => "Reattributed",
        Kind::Obligations => "Obligations changed",
    }
}

/// One line per duty that differs: `+ 12.3: pay 30% of income to `bmw``.
fn duty_lines(change: &Change) -> Vec<String> {
    let mut out = Vec::new();
    for (word, pick) in [
        (
            "obligation",
            (|o: &Outcome| &o.obligations) as fn(&Outcome) -> &Vec<_>,
        ),
        ("precondition", |o: &Outcome| &o.open),
    ] {
        let (a, b) = (pick(&change.base), pick(&change.head));
        for d in a.iter().filter(|d| !b.contains(d)) {
            out.push(format!("- {word} {}: {}", d.clause, d.duty));
        }
        for d in b.iter().filter(|d| !a.contains(d)) {
            out.push(format!("+ {word} {}: {}", d.clause, d.duty));
        }
    }
    out
}

/// One sentence for a policy with no change compared or that was not compared.
fn status_sentence(p: &PolicyDiff) -> Option<String> {
    match p.status {
        PolicyStatus::Added => Some(format!(
            "{}: new policy (not at the base revision); everything it decides is new",
            p.policy
        )),
        PolicyStatus::Removed => Some(format!(
            "{}: policy removed (only at the base revision)",
            p.policy
        )),
        PolicyStatus::NotCompared => {
            Some(format!("{}: not compared (one side has errors)", p.policy))
        }
        PolicyStatus::Compared if p.diff.changes.is_empty() => {
            Some(format!("{}: no change in effect", p.policy))
        }
        PolicyStatus::Compared => None,
    }
}

/// The human report of one policy's diff.
pub fn human(out: &mut dyn Write, p: &PolicyDiff) -> io::Result<()> {
    if let Some(s) = status_sentence(p) {
        writeln!(out, "{s}")?;
    } else {
        let s = &p.diff.summary;
        writeln!(
            out,
            "{}: {} in effect ({})",
            p.policy,
            crate::report::count(s.changes, "change", "changes"),
            count_regions(s.regions)
        )?;
    }
    for (i, c) in p.diff.changes.iter().enumerate() {
        writeln!(out)?;
        writeln!(
            out,
            "{}. {}: {} → {}",
            i + 1,
            c.kind.as_str(),
            c.base.words(),
            c.head.words()
        )?;
        writeln!(
            out,
            "   where:   {} ({})",
            c.region,
            count_regions(c.regions)
        )?;
        writeln!(out, "   witness: {}", c.witness)?;
        if !c.clauses.is_empty() {
            writeln!(out, "   clauses: {}", c.clauses.join(", "))?;
        }
        for line in duty_lines(c) {
            writeln!(out, "   {line}")?;
        }
    }
    notes(out, p)
}

fn notes(out: &mut dyn Write, p: &PolicyDiff) -> io::Result<()> {
    let s = &p.diff.summary;
    if !s.only_one_side.is_empty() {
        writeln!(
            out,
            "   declared on one side only (not compared): {}",
            s.only_one_side.join(", ")
        )?;
    }
    if !s.complete {
        writeln!(
            out,
            "   incomplete: the diff stopped at its budget, some changes may be missing"
        )?;
    }
    Ok(())
}

/// The Markdown section "What this change does" for one policy.
pub fn markdown(p: &PolicyDiff) -> String {
    let mut md = String::new();
    md.push_str(&format!("### What this change does: `{}`\n\n", p.policy));
    if let Some(s) = status_sentence(p) {
        md.push_str(&format!(
            "{}.\n\n",
            s.replacen(&format!("{}: ", p.policy), "", 1)
        ));
        return md;
    }
    let s = &p.diff.summary;
    md.push_str(&format!(
        "{} in effect, over {} of the action space (exact: every region where a changed clause or grant can apply was decided on both revisions).\n\n",
        crate::report::count(s.changes, "change", "changes"),
        count_regions(s.regions),
    ));
    md.push_str("| # | Change | Before | After | Regions |\n|---|---|---|---|---|\n");
    for (i, c) in p.diff.changes.iter().enumerate() {
        md.push_str(&format!(
            "| {} | **{}** | {} | {} | {} |\n",
            i + 1,
            title(c.kind),
            cell(&c.base.words()),
            cell(&c.head.words()),
            c.regions
        ));
    }
    md.push('\n');
    for (i, c) in p.diff.changes.iter().enumerate() {
        md.push_str(&format!(
            "**{}. {}** ({} → {})\n\n",
            i + 1,
            title(c.kind),
            c.base.words(),
            c.head.words()
        ));
        md.push_str(&format!("- Where: {}\n", c.region));
        md.push_str(&format!("- Witness: `{}`\n", c.witness));
        if !c.clauses.is_empty() {
            md.push_str(&format!("- Clauses changed: {}\n", c.clauses.join(", ")));
        }
        let duties = duty_lines(c);
        if !duties.is_empty() {
            md.push_str("- Duties:\n");
            for d in duties {
                // `+ …` / `- …`: in words, the duty text keeps its own code spans.
                let (sign, rest) = d.split_at(1);
                let word = if sign == "+" { "new" } else { "gone" };
                md.push_str(&format!("  - {word}: {}\n", rest.trim_start()));
            }
        }
        md.push('\n');
    }
    if !s.only_one_side.is_empty() {
        md.push_str(&format!(
            "Declared on one side only (not compared): {}.\n\n",
            s.only_one_side.join(", ")
        ));
    }
    if !s.complete {
        md.push_str(
            "**Incomplete**: the diff stopped at its budget; some changes may be missing.\n\n",
        );
    }
    md
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

/// A change as the JSON contract has it.
pub fn change_json(policy: &str, c: &Change) -> Value {
    json!({
        "policy": policy,
        "kind": c.kind,
        "base": c.base,
        "head": c.head,
        "regions": c.regions,
        "region": c.region,
        "witness": c.witness,
        "witness_action": c.witness_action,
        "clauses": c.clauses,
    })
}

/// The JSON document of `ipcheck diff` (docs/cli.md).
pub fn json(diffs: &[PolicyDiff]) -> Value {
    let changes: Vec<Value> = diffs
        .iter()
        .flat_map(|p| p.diff.changes.iter().map(|c| change_json(&p.policy, c)))
        .collect();
    let count = |k: Kind| {
        diffs
            .iter()
            .flat_map(|p| &p.diff.changes)
            .filter(|c| c.kind == k)
            .count()
    };
    let policies: Vec<Value> = diffs
        .iter()
        .map(|p| {
            json!({
                "policy": p.policy,
                "status": p.status,
                "summary": p.diff.summary,
            })
        })
        .collect();
    json!({
        "changes": changes,
        "summary": {
            "changes": changes.len(),
            "widened": count(Kind::Widened),
            "narrowed": count(Kind::Narrowed),
            "reattributed": count(Kind::Reattributed),
            "obligations": count(Kind::Obligations),
            "regions": diffs.iter().map(|p| p.diff.summary.regions).sum::<usize>(),
            "complete": diffs.iter().all(|p| p.diff.summary.complete),
            "policies": policies,
        },
    })
}
