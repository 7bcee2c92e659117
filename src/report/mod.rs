//! Reports: one emitter per output format, fed the same events by every
//! command (diagnostics, scenario results, decisions), and a [`Reporter`]
//! that counts what it forwards into the exit code.

pub mod cap;
pub mod decision;
pub mod diff;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod output;
pub mod paths;
pub mod sarif;

use std::io::{self, Write};

use serde::Serialize;

use crate::decide::DecisionRecord;
use crate::diagnostic::{Code, Diagnostic, Family, Severity};
use crate::source::SourceMap;
use crate::span::Location;
use crate::terms::Decision;

/// The output formats of `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
    Markdown,
    /// JUnit XML: a test case per scenario and per proposed action.
    Junit,
    /// GitLab Code Quality JSON.
    Gitlab,
}

/// The command a report is for: it decides headings and what is listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Command {
    Lint,
    Test,
    Eval,
    Check,
}

impl Command {
    pub fn as_str(self) -> &'static str {
        match self {
            Command::Lint => "lint",
            Command::Test => "test",
            Command::Eval => "eval",
            Command::Check => "check",
        }
    }
}

/// The least severity that makes the exit code 1 (`--fail-on`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FailOn {
    #[default]
    Error,
    Warning,
}

impl FailOn {
    pub fn threshold(self) -> Severity {
        match self {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
        }
    }
}

/// The exit-code contract, the same for every command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum Outcome {
    /// Nothing at or above the fail level.
    Clean = 0,
    /// Findings at or above the fail level: errors, failed scenarios,
    /// denied actions (and warnings with `--fail-on warning`).
    Findings = 1,
    /// The command could not run: bad arguments or configuration,
    /// unreadable input.
    CouldNotRun = 2,
}

/// One scenario run.
#[derive(Debug)]
pub struct ScenarioResult<'a> {
    pub title: &'a str,
    pub location: Location,
    pub expect: Decision,
    pub expect_by: Option<&'a str>,
    pub record: &'a DecisionRecord,
    /// The `ipl::test::scenario_failed` error when the decision differs.
    pub failure: Option<Diagnostic>,
}

impl ScenarioResult<'_> {
    pub fn passed(&self) -> bool {
        self.failure.is_none()
    }

    /// `permit by 8.2.3`, `deny`.
    pub fn expected(&self) -> String {
        match self.expect_by {
            Some(by) => format!("{} by {by}", self.expect.as_str()),
            None => self.expect.as_str().to_string(),
        }
    }
}

/// Who proposed an action, from the proposal file.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct ProposalMeta {
    pub title: String,
    pub author: Option<String>,
    pub reference: Option<String>,
    pub date: Option<jiff::civil::Date>,
    /// The proposal file, as shown in reports.
    pub file: String,
}

impl ProposalMeta {
    /// `Legal, CATL · DEAL-2026-014 · 2026-04-20`: what is known beyond
    /// the title; empty when nothing is.
    pub fn byline(&self) -> String {
        let date = self.date.map(|d| d.to_string());
        [
            self.author.as_deref(),
            self.reference.as_deref(),
            date.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ")
    }
}

/// A policy that was not run: it has errors (or could not be read), so
/// its lints, scenarios and proposals were skipped. Listed in every
/// format, so that a broken policy never reads as fewer findings.
#[derive(Debug, Clone, Serialize)]
pub struct NotRun {
    pub policy: String,
    /// Why: `3 errors`, `a file could not be read`.
    pub reason: String,
    /// The titles of the scenarios skipped (as far as the files parsed).
    pub scenarios: Vec<String>,
    /// The proposal files skipped, as shown in reports.
    pub proposals: Vec<String>,
}

impl NotRun {
    /// `policies/x not run (2 errors): 5 scenarios, 1 proposal and the
    /// lints skipped`.
    pub fn sentence(&self) -> String {
        format!(
            "{} not run ({}): {}, {} and the lints skipped",
            self.policy,
            self.reason,
            count(self.scenarios.len(), "scenario", "scenarios"),
            count(self.proposals.len(), "proposal", "proposals"),
        )
    }
}

/// One decided action: from `eval`, or from a proposal under `check`.
#[derive(Debug)]
pub struct DecisionEntry<'a> {
    /// Where the action was proposed: the proposal's title, or the
    /// action's source name for `eval`.
    pub origin: String,
    /// The proposal it comes from (under `check`).
    pub proposal: Option<&'a ProposalMeta>,
    /// The action, one line, as written or rebuilt from its record.
    pub action: String,
    /// The action's place (an `[[action]]` table, a line of a file).
    pub location: Option<Location>,
    pub record: &'a DecisionRecord,
    /// The decision the proposal's author expects, if stated.
    pub expect: Option<Decision>,
    /// The finding it gives rise to: a deny, a conditional, an unmet
    /// expectation. `None` for a permit as expected.
    pub finding: Option<Diagnostic>,
}

/// What a run found, for the closing line and the exit code.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub files: usize,
    pub policies: usize,
    pub scenarios_passed: usize,
    pub scenarios_failed: usize,
    pub permit: usize,
    pub conditional: usize,
    pub deny: usize,
    /// Policies not run (errors, unreadable files) and what they held.
    pub policies_not_run: usize,
    pub scenarios_not_run: usize,
    pub proposals_not_run: usize,
    /// Set when part of the run could not be done.
    pub could_not_run: bool,
    pub fail_on: &'static str,
    pub outcome: Option<Outcome>,
}

impl Summary {
    pub fn decisions(&self) -> usize {
        self.permit + self.conditional + self.deny
    }

    /// `; not run: 1 policy (5 scenarios, 1 proposal skipped)`, or empty.
    pub fn not_run_clause(&self) -> String {
        if self.policies_not_run == 0 {
            return String::new();
        }
        format!(
            "; not run: {} ({}, {} skipped)",
            count(self.policies_not_run, "policy", "policies"),
            count(self.scenarios_not_run, "scenario", "scenarios"),
            count(self.proposals_not_run, "proposal", "proposals"),
        )
    }
}

/// Receives a report event by event. Emitters that can stream write as
/// they go; the others (SARIF, Markdown) keep what they need until
/// [`Emitter::finish`].
pub trait Emitter {
    /// A policy starts (under `check`): its name and files.
    fn policy(&mut self, _name: &str, _sources: &SourceMap) -> io::Result<()> {
        Ok(())
    }
    /// A finding of the front end, a lint, or the configuration.
    fn diagnostic(&mut self, diag: &Diagnostic, sources: &SourceMap) -> io::Result<()>;
    fn scenario(&mut self, result: &ScenarioResult, sources: &SourceMap) -> io::Result<()>;
    fn decision(&mut self, entry: &DecisionEntry, sources: &SourceMap) -> io::Result<()>;
    /// A policy that was not run (after its diagnostics).
    fn not_run(&mut self, _not_run: &NotRun) -> io::Result<()> {
        Ok(())
    }
    /// An action that cannot be decided (`eval`): its diagnostics.
    fn invalid_action(&mut self, diags: &[Diagnostic], sources: &SourceMap) -> io::Result<()> {
        diags.iter().try_for_each(|d| self.diagnostic(d, sources))
    }
    /// What a change does to a policy in effect (`check --base`), after
    /// its scenarios; the changes also come as `ipl::diff::*` findings.
    fn diff(&mut self, _diff: &crate::diff::PolicyDiff) -> io::Result<()> {
        Ok(())
    }
    /// The end of the report.
    fn finish(&mut self, summary: &Summary) -> io::Result<()>;
}

/// What the emitters need to know beyond the events.
#[derive(Debug, Clone)]
pub struct EmitOptions {
    pub command: Command,
    pub style: human::Style,
    /// `eval --explain`: every clause consulted.
    pub explain: bool,
    /// Where `github` appends its Markdown job summary.
    pub step_summary: Option<std::path::PathBuf>,
    /// The repository root that platform formats name files against.
    pub paths: paths::Paths,
    /// Links to the files at the commit checked (Markdown).
    pub links: Option<paths::Links>,
}

/// The emitter for a format, writing to `out`.
pub fn emitter<'w>(
    format: Format,
    options: EmitOptions,
    out: &'w mut dyn Write,
) -> Box<dyn Emitter + 'w> {
    match format {
        Format::Human => Box::new(human::HumanEmitter::new(options, out)),
        Format::Json => Box::new(json::JsonEmitter::new(options.command, out)),
        Format::Sarif => Box::new(sarif::SarifEmitter::new(&options, out)),
        Format::Github => Box::new(github::GithubEmitter::new(&options, out)),
        Format::Markdown => Box::new(markdown::MarkdownEmitter::new(
            &options,
            markdown::Budget::Chars(markdown::COMMENT_LIMIT),
            out,
        )),
        Format::Junit => Box::new(junit::JunitEmitter::new(&options, out)),
        Format::Gitlab => Box::new(gitlab::GitlabEmitter::new(&options, out)),
    }
}

/// Forwards events to an emitter and counts them into the exit code.
pub struct Reporter<'w> {
    emitter: Box<dyn Emitter + 'w>,
    summary: Summary,
    fail_on: FailOn,
    failing: bool,
    cap: Option<cap::Cap>,
}

impl<'w> Reporter<'w> {
    pub fn new(emitter: Box<dyn Emitter + 'w>, fail_on: FailOn) -> Reporter<'w> {
        Reporter {
            emitter,
            summary: Summary {
                fail_on: match fail_on {
                    FailOn::Error => "error",
                    FailOn::Warning => "warning",
                },
                ..Summary::default()
            },
            fail_on,
            failing: false,
            cap: None,
        }
    }

    /// Shows at most `limit` findings of one code per policy, then one
    /// [`cap::MORE_FINDINGS`] note with how many more there are (they are
    /// still counted). `None`: every finding.
    pub fn with_cap(mut self, limit: Option<usize>) -> Reporter<'w> {
        self.cap = limit.map(cap::Cap::new);
        self
    }

    /// Emits the notes of findings left out so far.
    fn flush_cap(&mut self) -> io::Result<()> {
        if let Some(cap) = &mut self.cap {
            cap.flush(&mut *self.emitter)?;
        }
        Ok(())
    }

    fn count(&mut self, diag: &Diagnostic) {
        match diag.severity {
            Severity::Error => self.summary.errors += 1,
            Severity::Warning => self.summary.warnings += 1,
            Severity::Info => {}
        }
        self.failing |= diag.severity >= self.fail_on.threshold();
    }

    pub fn policy(&mut self, name: &str, sources: &SourceMap) -> io::Result<()> {
        self.summary.policies += 1;
        self.summary.files += sources.files.len();
        self.flush_cap()?;
        if let Some(cap) = &mut self.cap {
            cap.next_policy();
        }
        self.emitter.policy(name, sources)
    }

    pub fn diagnostic(&mut self, diag: &Diagnostic, sources: &SourceMap) -> io::Result<()> {
        self.count(diag);
        if let Some(cap) = &mut self.cap
            && !cap.shows(diag, sources)
        {
            return Ok(());
        }
        self.emitter.diagnostic(diag, sources)
    }

    pub fn scenario(&mut self, result: &ScenarioResult, sources: &SourceMap) -> io::Result<()> {
        self.flush_cap()?;
        match &result.failure {
            Some(failure) => {
                self.summary.scenarios_failed += 1;
                self.count(failure);
            }
            None => self.summary.scenarios_passed += 1,
        }
        self.emitter.scenario(result, sources)
    }

    pub fn decision(&mut self, entry: &DecisionEntry, sources: &SourceMap) -> io::Result<()> {
        self.flush_cap()?;
        match entry.record.decision {
            Decision::Permit => self.summary.permit += 1,
            Decision::Conditional => self.summary.conditional += 1,
            Decision::Deny => self.summary.deny += 1,
        }
        if let Some(finding) = &entry.finding {
            self.count(finding);
        }
        self.emitter.decision(entry, sources)
    }

    /// A policy's diff against the base revision.
    pub fn diff(&mut self, diff: &crate::diff::PolicyDiff) -> io::Result<()> {
        self.flush_cap()?;
        self.emitter.diff(diff)
    }

    /// A policy that was not run, with what it held.
    pub fn not_run(&mut self, not_run: &NotRun) -> io::Result<()> {
        self.summary.policies_not_run += 1;
        self.summary.scenarios_not_run += not_run.scenarios.len();
        self.summary.proposals_not_run += not_run.proposals.len();
        self.emitter.not_run(not_run)
    }

    /// An action that cannot be decided: the run is incomplete (exit 2).
    pub fn invalid_action(&mut self, diags: &[Diagnostic], sources: &SourceMap) -> io::Result<()> {
        diags.iter().for_each(|d| self.count(d));
        self.summary.could_not_run = true;
        self.emitter.invalid_action(diags, sources)
    }

    /// Part of the run could not be done (exit 2), whatever else is found.
    pub fn could_not_run(&mut self) {
        self.summary.could_not_run = true;
    }

    /// Counts files read outside any policy (a configuration file).
    pub fn add_files(&mut self, files: usize) {
        self.summary.files += files;
    }

    /// Ends the report and gives the exit code.
    pub fn finish(mut self) -> io::Result<Outcome> {
        self.flush_cap()?;
        let outcome = if self.summary.could_not_run {
            Outcome::CouldNotRun
        } else if self.failing {
            Outcome::Findings
        } else {
            Outcome::Clean
        };
        self.summary.outcome = Some(outcome);
        self.emitter.finish(&self.summary)?;
        Ok(outcome)
    }
}

/// How relevant a finding is among those of its severity, most first:
/// what stops the run, then errors of the language, failed scenarios,
/// decisions, and lints last. Annotations and truncated reports keep the
/// most relevant.
pub fn relevance(code: Code) -> u8 {
    match code.family() {
        Family::Config | Family::Source | Family::Internal | Family::Fmt => 0,
        Family::Syntax => 1,
        Family::Names => 2,
        Family::Check => 3,
        Family::Test => 4,
        Family::Proposal | Family::Eval => 5,
        Family::Diff | Family::Coverage => 5,
        Family::Lint | Family::Report => 6,
    }
}

/// `1 policy`, `2 policies`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The text of the whole lines a location covers, as in the file (without
/// the last line break): the snippet of a SARIF region, and what its
/// fingerprint hashes.
pub fn flagged_text(location: Location, sources: &SourceMap) -> String {
    let Some(file) = sources.get(location.file) else {
        return String::new();
    };
    let first = file.lines.line_of(location.span.start as usize);
    let end_offset = if location.span.is_empty() {
        location.span.start
    } else {
        location.span.end - 1
    };
    let last = file.lines.line_of(end_offset as usize).max(first);
    let start = file.lines.line_start(first).unwrap_or(0);
    let end = file
        .lines
        .line_start(last + 1)
        .unwrap_or(file.text.len())
        .min(file.text.len());
    file.text
        .get(start..end)
        .unwrap_or("")
        .trim_end_matches(['\r', '\n'])
        .to_string()
}

/// Whether a location is in a real file (not a command-line action).
pub fn is_real_file(location: Location, sources: &SourceMap) -> bool {
    sources
        .get(location.file)
        .is_some_and(|f| !f.path.as_os_str().is_empty())
}
