//! JSON output: diagnostics as records with file, 1-based line and column
//! ranges, code, severity, message, help and related places. Schema
//! version 1, documented in docs/cli.md.

use std::io::{self, Write};
use std::sync::Arc;

use serde::Serialize;

use crate::diagnostic::{Applicability, Code, Diagnostic};
use crate::source::SourceMap;
use crate::span::Location;

pub const SCHEMA_VERSION: u32 = 1;

/// A place in a file, 1-based, columns in characters; `end` is exclusive.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Region {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

impl Region {
    pub fn of(location: Location, sources: &SourceMap) -> Region {
        let Some(file) = sources.get(location.file) else {
            return Region {
                file: String::new(),
                line: 1,
                column: 1,
                end_line: 1,
                end_column: 1,
            };
        };
        let start = file
            .lines
            .char_position(&file.text, location.span.start as usize);
        let end = file
            .lines
            .char_position(&file.text, location.span.end as usize);
        Region {
            file: file.name.clone(),
            line: file.first_line + start.line + 1,
            column: start.col + 1,
            end_line: file.first_line + end.line + 1,
            end_column: end.col + 1,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct RelatedRecord {
    #[serde(flatten)]
    pub region: Region,
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DiagnosticRecord {
    pub code: Code,
    pub severity: &'static str,
    pub message: String,
    #[serde(flatten)]
    pub region: Region,
    pub label: Option<String>,
    pub help: Option<String>,
    pub related: Vec<RelatedRecord>,
    /// The fix the diagnostic carries, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<FixRecord>,
}

/// A fix: its title, whether `lint --fix` applies it (`safe`) or only
/// `--unsafe-fixes` does, and its edits.
#[derive(Debug, Clone, Serialize)]
pub struct FixRecord {
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<EditRecord>,
}

/// One edit: the region replaced (empty for an insertion) and the text
/// put there.
#[derive(Debug, Clone, Serialize)]
pub struct EditRecord {
    #[serde(flatten)]
    pub region: Region,
    pub replacement: String,
}

impl DiagnosticRecord {
    pub fn of(diag: &Diagnostic, sources: &SourceMap) -> DiagnosticRecord {
        DiagnosticRecord {
            code: diag.code,
            severity: diag.severity.as_str(),
            message: diag.message.clone(),
            region: Region::of(diag.location, sources),
            label: diag.label.clone(),
            help: diag.help.clone(),
            related: diag
                .related
                .iter()
                .map(|r| RelatedRecord {
                    region: Region::of(r.location, sources),
                    message: r.message.clone(),
                })
                .collect(),
            fix: diag.fix.as_ref().map(|f| FixRecord {
                title: f.title.clone(),
                applicability: f.applicability,
                edits: f
                    .edits
                    .iter()
                    .map(|e| EditRecord {
                        region: Region::of(e.location, sources),
                        replacement: e.replacement.clone(),
                    })
                    .collect(),
            }),
        }
    }
}

/// The JSON emitter (schema in docs/cli.md): one document, whose decisions
/// are written as they come; the diagnostics and scenarios follow them,
/// then the summary. `eval` writes JSON Lines instead, one object per
/// action in input order, so that a batch of actions streams through.
pub struct JsonEmitter<'w> {
    command: super::Command,
    out: &'w mut dyn Write,
    decisions_open: bool,
    /// The policy being reported (under `check`), named in its decisions
    /// and scenarios.
    policy: Option<String>,
    diagnostics: Vec<DiagnosticRecord>,
    scenarios: Vec<serde_json::Value>,
    not_run: Vec<super::NotRun>,
    /// Per policy, its diff against the base revision (`check --base`).
    diffs: Vec<crate::diff::PolicyDiff>,
}

impl<'w> JsonEmitter<'w> {
    pub fn new(command: super::Command, out: &'w mut dyn Write) -> JsonEmitter<'w> {
        JsonEmitter {
            command,
            out,
            decisions_open: false,
            policy: None,
            diagnostics: Vec::new(),
            scenarios: Vec::new(),
            not_run: Vec::new(),
            diffs: Vec::new(),
        }
    }

    /// The document's head and the opening of `decisions`, once.
    fn open(&mut self) -> io::Result<bool> {
        if self.decisions_open {
            return Ok(false);
        }
        self.decisions_open = true;
        write!(
            self.out,
            "{{\n  \"version\": {SCHEMA_VERSION},\n  \"tool\": {{ \"name\": \"ipcheck\", \"version\": \"{}\" }},\n  \"command\": \"{}\",\n  \"decisions\": [",
            env!("CARGO_PKG_VERSION"),
            self.command.as_str()
        )?;
        Ok(true)
    }
}

/// Pretty JSON indented to sit at `indent` spaces inside the document.
fn indented(value: &impl Serialize, indent: usize) -> String {
    let text = serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".into());
    text.replace('\n', &format!("\n{}", " ".repeat(indent)))
}

/// A decision as a JSON object: the decision record, the action and its
/// place, and every location as a region. Serialised straight to the
/// output (no intermediate `serde_json::Value`): `eval` streams one per
/// action. Fields are in alphabetical order.
#[derive(Serialize)]
pub struct DecisionJson<'a> {
    action: &'a str,
    alternatives: &'a [crate::decide::Alternative],
    consulted: &'a [crate::decide::ClauseStatus],
    decided_by: &'a Option<Arc<str>>,
    decided_by_kind: &'a Option<crate::decide::DeciderKind>,
    decided_by_location: Option<Region>,
    decision: crate::terms::Decision,
    expect: Option<&'static str>,
    location: Option<Region>,
    near_misses: &'a [crate::decide::NearMiss],
    obligations: Vec<DutyJson<'a>>,
    open_preconditions: Vec<DutyJson<'a>>,
    origin: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    policy: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    proposal: Option<&'a super::ProposalMeta>,
    residual_conditions: &'a [String],
    summary: &'a str,
    violated_preconditions: Vec<DutyJson<'a>>,
}

/// A duty with its place as a region.
#[derive(Serialize)]
struct DutyJson<'a> {
    clause: &'a str,
    deadline: Option<jiff::civil::Date>,
    detail: &'a Option<String>,
    duty: &'a str,
    location: Region,
    status: crate::decide::duties::DutyStatus,
}

impl<'a> DecisionJson<'a> {
    pub fn of(
        entry: &'a super::DecisionEntry,
        sources: &SourceMap,
        policy: Option<&'a str>,
    ) -> DecisionJson<'a> {
        let record = entry.record;
        let duties = |list: &'a [crate::decide::duties::DutyOutcome]| {
            list.iter()
                .map(|d| DutyJson {
                    clause: &d.clause,
                    deadline: d.deadline,
                    detail: &d.detail,
                    duty: &d.duty,
                    location: Region::of(d.location, sources),
                    status: d.status,
                })
                .collect()
        };
        DecisionJson {
            action: &entry.action,
            alternatives: &record.alternatives,
            consulted: &record.consulted,
            decided_by: &record.decided_by,
            decided_by_kind: &record.decided_by_kind,
            decided_by_location: record.decided_by_location.map(|l| Region::of(l, sources)),
            decision: record.decision,
            expect: entry.expect.map(|d| d.as_str()),
            location: entry.location.map(|l| Region::of(l, sources)),
            near_misses: &record.near_misses,
            obligations: duties(&record.obligations),
            open_preconditions: duties(&record.open_preconditions),
            origin: &entry.origin,
            policy,
            proposal: entry.proposal,
            residual_conditions: &record.residual_conditions,
            summary: &record.summary,
            violated_preconditions: duties(&record.violated_preconditions),
        }
    }
}

impl JsonEmitter<'_> {
    /// `eval`: one line per action.
    fn lines(&self) -> bool {
        self.command == super::Command::Eval
    }

    fn error_line(&mut self, diags: &[Diagnostic], sources: &SourceMap) -> io::Result<()> {
        let records: Vec<DiagnosticRecord> = diags
            .iter()
            .map(|d| DiagnosticRecord::of(d, sources))
            .collect();
        writeln!(self.out, "{}", serde_json::json!({ "error": records }))
    }
}

impl super::Emitter for JsonEmitter<'_> {
    fn policy(&mut self, name: &str, _sources: &SourceMap) -> io::Result<()> {
        self.policy = Some(name.to_string());
        Ok(())
    }

    fn diagnostic(&mut self, diag: &Diagnostic, sources: &SourceMap) -> io::Result<()> {
        if self.lines() {
            return self.error_line(std::slice::from_ref(diag), sources);
        }
        self.diagnostics.push(DiagnosticRecord::of(diag, sources));
        Ok(())
    }

    fn not_run(&mut self, not_run: &super::NotRun) -> io::Result<()> {
        self.not_run.push(not_run.clone());
        Ok(())
    }

    fn invalid_action(&mut self, diags: &[Diagnostic], sources: &SourceMap) -> io::Result<()> {
        if self.lines() {
            return self.error_line(diags, sources);
        }
        diags.iter().try_for_each(|d| self.diagnostic(d, sources))
    }

    fn scenario(&mut self, result: &super::ScenarioResult, sources: &SourceMap) -> io::Result<()> {
        let region = Region::of(result.location, sources);
        self.scenarios.push(serde_json::json!({
            "policy": self.policy,
            "title": result.title,
            "file": region.file,
            "line": region.line,
            "column": region.column,
            "end_line": region.end_line,
            "end_column": region.end_column,
            "passed": result.passed(),
            "expected": result.expect.as_str(),
            "expected_by": result.expect_by,
            "decision": result.record.decision.as_str(),
            "decided_by": result.record.decided_by,
        }));
        if let Some(failure) = &result.failure {
            self.diagnostics
                .push(DiagnosticRecord::of(failure, sources));
        }
        Ok(())
    }

    fn decision(&mut self, entry: &super::DecisionEntry, sources: &SourceMap) -> io::Result<()> {
        if self.lines() {
            serde_json::to_writer(&mut self.out, &DecisionJson::of(entry, sources, None))?;
            return writeln!(self.out);
        }
        let first = self.open()?;
        let value = DecisionJson::of(entry, sources, self.policy.as_deref());
        write!(
            self.out,
            "{}\n    {}",
            if first { "" } else { "," },
            indented(&value, 4)
        )?;
        if let Some(finding) = &entry.finding {
            self.diagnostics
                .push(DiagnosticRecord::of(finding, sources));
        }
        Ok(())
    }

    fn diff(&mut self, diff: &crate::diff::PolicyDiff) -> io::Result<()> {
        self.diffs.push(diff.clone());
        Ok(())
    }

    fn finish(&mut self, summary: &super::Summary) -> io::Result<()> {
        if self.lines() {
            return Ok(());
        }
        let empty = self.open()?;
        let close = if empty { "]" } else { "\n  ]" };
        let mut summary_value = serde_json::to_value(summary).unwrap_or_default();
        if let Some(map) = summary_value.as_object_mut() {
            map.insert(
                "exit_code".into(),
                summary.outcome.map_or(2, |o| o as u8).into(),
            );
        }
        // Only under `check --base`: other documents keep their shape.
        let diff = if self.diffs.is_empty() {
            String::new()
        } else {
            format!(
                "\n  \"diff\": {},",
                indented(&super::diff::json(&self.diffs), 2)
            )
        };
        writeln!(
            self.out,
            "{close},{diff}\n  \"diagnostics\": {},\n  \"scenarios\": {},\n  \"not_run\": {},\n  \"summary\": {}\n}}",
            indented(&self.diagnostics, 2),
            indented(&self.scenarios, 2),
            indented(&self.not_run, 2),
            indented(&summary_value, 2)
        )
    }
}
