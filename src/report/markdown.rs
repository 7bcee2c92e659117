//! Markdown for a pull-request comment or a job summary: a headline, the
//! policies, the findings, the scenarios and the decisions as tables.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::json::Region;
use super::{Command, DecisionEntry, Emitter, Outcome, ScenarioResult, Summary, count};
use crate::diagnostic::{Diagnostic, Severity, docs_url};
use crate::source::SourceMap;
use crate::span::Location;
use crate::syntax::ast::Decision;

/// Per-policy counts for the policies table.
#[derive(Default)]
struct PolicyRow {
    name: String,
    files: usize,
    errors: usize,
    warnings: usize,
    scenarios: (usize, usize),
    decisions: usize,
}

/// Gathers the tables and writes the document at the end (the headline
/// needs the totals).
pub struct MarkdownEmitter<'w> {
    command: Command,
    out: Option<&'w mut dyn Write>,
    policies: Vec<PolicyRow>,
    findings: Vec<String>,
    scenarios: Vec<String>,
    decisions: Vec<String>,
    document: String,
}

impl<'w> MarkdownEmitter<'w> {
    pub fn new(command: Command, out: &'w mut dyn Write) -> MarkdownEmitter<'w> {
        MarkdownEmitter {
            out: Some(out),
            ..MarkdownEmitter::buffered(command)
        }
    }

    /// An emitter that keeps the document for [`MarkdownEmitter::buffer`].
    pub fn buffered(command: Command) -> MarkdownEmitter<'w> {
        MarkdownEmitter {
            command,
            out: None,
            policies: Vec::new(),
            findings: Vec::new(),
            scenarios: Vec::new(),
            decisions: Vec::new(),
            document: String::new(),
        }
    }

    /// The document, once finished.
    pub fn buffer(&self) -> &[u8] {
        self.document.as_bytes()
    }

    fn finding(&mut self, diag: &Diagnostic, sources: &SourceMap) {
        if let Some(row) = self.policies.last_mut() {
            match diag.severity {
                Severity::Error => row.errors += 1,
                Severity::Warning => row.warnings += 1,
                Severity::Info => {}
            }
        }
        let mut message = cell(&diag.message);
        if let Some(help) = &diag.help {
            message.push_str(&format!("<br>help: {}", cell(help)));
        }
        for r in &diag.related {
            message.push_str(&format!(
                "<br>{}: {}",
                place(r.location, sources),
                cell(&r.message)
            ));
        }
        self.findings.push(format!(
            "| {} | [`{}`]({}) | {} | {} |",
            severity_mark(diag.severity),
            diag.code,
            docs_url(diag.code),
            place(diag.location, sources),
            message
        ));
    }
}

fn severity_mark(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "❌ error",
        Severity::Warning => "⚠️ warning",
        Severity::Info => "ℹ️ note",
    }
}

fn decision_mark(decision: Decision) -> &'static str {
    match decision {
        Decision::Permit => "✅",
        Decision::Conditional => "⚠️",
        Decision::Deny => "❌",
    }
}

/// Text made safe for a table cell: pipes escaped, line breaks as `<br>`,
/// angle brackets as entities.
pub fn cell(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('|', "\\|")
        .replace("\r\n", "<br>")
        .replace('\n', "<br>")
}

/// `file:line:column` in code style, or `—` for text without a file.
fn place(location: Location, sources: &SourceMap) -> String {
    if !super::is_real_file(location, sources) {
        return "—".to_string();
    }
    let r = Region::of(location, sources);
    format!(
        "`{}:{}:{}`",
        cell(&r.file).replace('`', "'"),
        r.line,
        r.column
    )
}

/// The one-line verdict of a run: what a job summary and the GitHub
/// notice open with.
pub fn headline(s: &Summary) -> String {
    let counts = format!(
        "{}, {}",
        count(s.errors, "error", "errors"),
        count(s.warnings, "warning", "warnings")
    );
    match s.outcome {
        Some(Outcome::Clean) if s.errors + s.warnings == 0 => "no findings".to_string(),
        Some(Outcome::Clean) => format!("{counts}, none at or above the fail level"),
        Some(Outcome::Findings) => counts,
        _ => format!("could not run; {counts}"),
    }
}

impl Emitter for MarkdownEmitter<'_> {
    fn policy(&mut self, name: &str, sources: &SourceMap) -> io::Result<()> {
        self.policies.push(PolicyRow {
            name: name.to_string(),
            files: sources.files.len(),
            ..PolicyRow::default()
        });
        Ok(())
    }

    fn diagnostic(&mut self, diag: &Diagnostic, sources: &SourceMap) -> io::Result<()> {
        self.finding(diag, sources);
        Ok(())
    }

    fn scenario(&mut self, result: &ScenarioResult, sources: &SourceMap) -> io::Result<()> {
        if let Some(row) = self.policies.last_mut() {
            row.scenarios.1 += 1;
            row.scenarios.0 += usize::from(result.passed());
        }
        if let Some(failure) = &result.failure {
            self.finding(failure, sources);
        }
        if result.passed() && self.command != Command::Test {
            return Ok(());
        }
        self.scenarios.push(format!(
            "| {} | {} | {} | {} | {} |",
            if result.passed() { "✅" } else { "❌" },
            cell(result.title),
            result.expected(),
            super::decision::verdict(result.record),
            place(result.location, sources)
        ));
        Ok(())
    }

    fn decision(&mut self, entry: &DecisionEntry, sources: &SourceMap) -> io::Result<()> {
        if let Some(row) = self.policies.last_mut() {
            row.decisions += 1;
        }
        if let Some(finding) = &entry.finding {
            self.finding(finding, sources);
        }
        let record = entry.record;
        let decided_by = match (&record.decided_by, record.decided_by_location) {
            (Some(by), Some(l)) => format!("{} ({})", cell(by), place(l, sources)),
            (Some(by), None) => cell(by),
            (None, _) => "default deny".to_string(),
        };
        let mut notes: Vec<String> = Vec::new();
        notes.extend(
            record
                .residual_conditions
                .iter()
                .map(|c| format!("provided {}", cell(c))),
        );
        notes.extend(record.open_preconditions.iter().map(|d| {
            let deadline = d.deadline.map(|d| format!(" by {d}")).unwrap_or_default();
            format!("open: {}{deadline} ({})", cell(&d.duty), cell(&d.clause))
        }));
        notes.extend(record.violated_preconditions.iter().map(|d| {
            let detail = d.detail.as_deref().map(cell).unwrap_or_default();
            format!("violated: {} ({}) {detail}", cell(&d.duty), cell(&d.clause))
        }));
        notes.extend(record.obligations.iter().map(|d| {
            let amount = d
                .amount
                .as_ref()
                .map_or_else(String::new, |a| format!(": {a}"));
            format!(
                "incurs: {}{} ({})",
                cell(&d.duty),
                cell(&amount),
                cell(&d.clause)
            )
        }));
        let as_expected = entry.expect == Some(record.decision);
        match entry.expect {
            Some(_) if as_expected => notes.push("as expected".to_string()),
            Some(expect) => notes.push(format!("expected {}", expect.as_str())),
            None => {}
        }
        let notes = if notes.is_empty() {
            "—".to_string()
        } else {
            notes.join("<br>")
        };
        self.decisions.push(format!(
            "| {} | {} | `{}` | **{}** | {} | {} |",
            if as_expected {
                "✅"
            } else {
                decision_mark(record.decision)
            },
            cell(&entry.origin),
            cell(&entry.action).replace('`', "'"),
            record.decision.as_str(),
            decided_by,
            notes
        ));
        Ok(())
    }

    fn finish(&mut self, s: &Summary) -> io::Result<()> {
        let mark = match s.outcome {
            Some(Outcome::Clean) if s.errors + s.warnings == 0 => "✅",
            Some(Outcome::Clean) => "⚠️",
            _ => "❌",
        };
        let mut doc = String::new();
        let _ = writeln!(
            doc,
            "## {mark} ipcheck {}: {}\n",
            self.command.as_str(),
            headline(s)
        );
        let mut facts = Vec::new();
        if s.policies > 0 {
            facts.push(format!(
                "{}, {}",
                count(s.policies, "policy", "policies"),
                count(s.files, "file", "files")
            ));
        }
        if s.scenarios_passed + s.scenarios_failed > 0 {
            facts.push(format!(
                "scenarios: {} passed, {} failed",
                s.scenarios_passed, s.scenarios_failed
            ));
        }
        if s.decisions() > 0 {
            facts.push(format!(
                "decisions: {} permit, {} conditional, {} deny",
                s.permit, s.conditional, s.deny
            ));
        }
        facts.push(format!("fails on: {}", s.fail_on));
        let _ = writeln!(doc, "{}\n", facts.join(" · "));
        if self.command == Command::Check && !self.policies.is_empty() {
            doc.push_str("### Policies\n\n| Policy | Files | Errors | Warnings | Scenarios passed | Decisions |\n|---|---:|---:|---:|---:|---:|\n");
            for p in &self.policies {
                let _ = writeln!(
                    doc,
                    "| `{}` | {} | {} | {} | {}/{} | {} |",
                    cell(&p.name),
                    p.files,
                    p.errors,
                    p.warnings,
                    p.scenarios.0,
                    p.scenarios.1,
                    p.decisions
                );
            }
            doc.push('\n');
        }
        let sections = [
            (
                "Findings",
                "| Severity | Code | Where | Message |\n|---|---|---|---|",
                &self.findings,
            ),
            (
                if self.command == Command::Test {
                    "Scenarios"
                } else {
                    "Failed scenarios"
                },
                "| | Scenario | Expected | Got | Where |\n|---|---|---|---|---|",
                &self.scenarios,
            ),
            (
                "Decisions",
                "| | Proposed by | Action | Decision | Decided by | Conditions and duties |\n|---|---|---|---|---|---|",
                &self.decisions,
            ),
        ];
        for (title, header, rows) in sections {
            if rows.is_empty() {
                continue;
            }
            let _ = writeln!(doc, "### {title}\n\n{header}");
            for row in rows {
                let _ = writeln!(doc, "{row}");
            }
            doc.push('\n');
        }
        self.document = doc;
        if let Some(out) = &mut self.out {
            out.write_all(self.document.as_bytes())?;
        }
        Ok(())
    }
}
