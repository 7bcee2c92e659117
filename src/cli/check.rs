//! `ipcheck check`: the pre-merge check of a repository of policies. For
//! each policy the configuration names: its diagnostics and lints, its
//! scenarios, and the decisions on its proposals; one report, one exit
//! code.
//!
//! Nothing is skipped silently: a policy with errors is reported as *not
//! run* with the scenarios and proposals it holds, a file that cannot be
//! read mid-run is a finding (`ipl::source::unreadable`, exit 2) in a
//! report that is still whole, and what the walk of the repository did
//! not follow is a warning.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{CliError, Outcome, ReportOptions};
use crate::config::{self, Config, ConfigError, PlanError, PlannedPolicy};
use crate::decide::Engine;
use crate::diagnostic::{Code, Diagnostic};
use crate::lint::{self, LintOptions};
use crate::policy::{self, Policy};
use crate::proposal;
use crate::report::{Command, DecisionEntry, FailOn, NotRun, ProposalMeta, Reporter, count};
use crate::source::{self, LoadError, SourceMap};
use crate::span::Span;
use crate::syntax::ast::ItemKind;

/// What `ipcheck check` is asked beyond its directory.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// `--today`: overrides the configuration's `today`.
    pub today: Option<jiff::civil::Date>,
    /// `--base REF`: adds what the change since REF does to each policy.
    pub base: Option<String>,
}

/// Checks the repository holding `dir`; when `dir` is a file, only the
/// policy it belongs to (a `.ipl` file of it, or one of its proposals).
pub fn check(
    dir: &Path,
    options: &CheckOptions,
    report: &ReportOptions,
    out: &mut dyn Write,
) -> Result<Outcome, CliError> {
    if !dir.exists() {
        return Err(CliError::Usage(format!(
            "`{}` does not exist",
            source::display(dir)
        )));
    }
    let file = dir.is_file().then(|| dir.to_path_buf());
    let search = match &file {
        Some(f) => f
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
        None => dir.to_path_buf(),
    };
    let mut config = match config::load(&search) {
        Ok(config) => config,
        Err(ConfigError::Load(err)) => return Err(err.into()),
        Err(ConfigError::Invalid {
            sources,
            diagnostics,
        }) => {
            let fail_on = report.fail_on.unwrap_or_default();
            let report = with_root(report, &search);
            return could_not_run(&report, fail_on, &sources, &diagnostics, out);
        }
    };
    let report = &with_root(report, &config.root);
    let fail_on = report.fail_on.or(config.fail_on).unwrap_or_default();
    let config_files = config.sources.files.len();
    let (mut planned, warnings) = match config.plan() {
        Ok(plan) => plan,
        Err(PlanError::Load(err)) => return Err(err.into()),
        Err(PlanError::Invalid(diagnostics)) => {
            return could_not_run(report, fail_on, &config.sources, &diagnostics, out);
        }
    };
    if let Some(file) = &file {
        planned = only_for(file, planned, &config)?;
    }
    let base = match &options.base {
        Some(rev) => Some(
            crate::diff::git::Base::open(&config.root, rev)
                .map_err(|e| CliError::Usage(e.to_string()))?,
        ),
        None => None,
    };
    let mut reporter = report.reporter(Command::Check, false, fail_on, out);
    reporter.add_files(config_files);
    for diag in config.warnings.iter().chain(&warnings) {
        reporter.diagnostic(diag, &config.sources)?;
    }
    let lint_options = LintOptions {
        today: options.today.or(config.today).unwrap_or_else(super::today),
    };
    for plan in &planned {
        match load_policy(plan, &config.root) {
            Ok(policy) => check_policy(
                policy,
                plan,
                &config,
                &lint_options,
                base.as_ref(),
                &mut reporter,
            )?,
            Err((sources, diags)) => {
                // A file that cannot be read: the run is incomplete, and
                // the report says so in full.
                reporter.policy(&name_of(&plan.files), &sources)?;
                for d in &diags {
                    reporter.diagnostic(d, &sources)?;
                }
                reporter.not_run(&NotRun {
                    policy: name_of(&plan.files),
                    reason: format!("{} could not be read", count(diags.len(), "file", "files")),
                    scenarios: Vec::new(),
                    proposals: plan.proposals.iter().map(|p| source::display(p)).collect(),
                })?;
                reporter.could_not_run();
            }
        }
    }
    if let Some(base) = &base {
        removed_policies(base, &config.root, &planned, &mut reporter)?;
    }
    Ok(reporter.finish()?)
}

/// The policies of the base revision that are gone from the working tree.
fn removed_policies(
    base: &crate::diff::git::Base,
    root: &Path,
    planned: &[PlannedPolicy],
    reporter: &mut Reporter,
) -> Result<(), CliError> {
    let rel = base.relative(root).unwrap_or_default();
    let olds = base
        .policy_files(&rel)
        .map_err(|e| CliError::Usage(e.to_string()))?;
    let now: Vec<String> = planned
        .iter()
        .filter_map(|p| p.files.first())
        .filter_map(|f| base.relative(f))
        .map(|r| {
            r.rsplit_once('/')
                .map_or(String::new(), |(d, _)| d.to_string())
        })
        .collect();
    for (dir, files) in olds {
        let gone = files.iter().all(|f| !base.top.join(f).exists());
        if now.contains(&dir) || !gone {
            continue;
        }
        let shown = super::diff::shown_top(root, &rel).join(&dir);
        reporter.diff(&crate::diff::PolicyDiff {
            policy: source::display(&shown),
            status: crate::diff::PolicyStatus::Removed,
            diff: crate::diff::Diff::default(),
        })?;
    }
    Ok(())
}

/// The report options with the repository root that platform formats
/// name files against: the git top level above `root`, else `root`.
fn with_root(report: &ReportOptions, root: &Path) -> ReportOptions {
    let mut report = report.clone();
    if report.root.is_none() {
        report.root =
            Some(crate::report::paths::git_root(root).unwrap_or_else(|| root.to_path_buf()));
    }
    report
}

/// The planned policies that `file` belongs to: the one holding it as a
/// `.ipl` file, or those deciding it as a proposal; the configuration
/// file itself means all of them. Anything else is an error (exit 2).
fn only_for(
    file: &Path,
    planned: Vec<PlannedPolicy>,
    config: &Config,
) -> Result<Vec<PlannedPolicy>, CliError> {
    let real = |p: &Path| std::fs::canonicalize(p).ok();
    let target = real(file);
    let is_config = config
        .file
        .and_then(|id| config.sources.get(id))
        .is_some_and(|f| real(&f.path) == target);
    if is_config {
        return Ok(planned);
    }
    let same = |p: &PathBuf| target.is_some() && real(p) == target;
    let mut selected = Vec::new();
    for mut plan in planned {
        if plan.files.iter().any(same) {
            selected.push(plan);
        } else if plan.proposals.iter().any(same) {
            plan.proposals.retain(same);
            selected.push(plan);
        }
    }
    if selected.is_empty() {
        return Err(CliError::Usage(format!(
            "`{}` is not a file ipcheck checks here: give a `.ipl` file of a policy, a proposal that ipcheck.toml names, or a directory (`ipcheck check` checks the whole repository)",
            source::display(file)
        )));
    }
    Ok(selected)
}

/// A policy's name from its files: its directory, or its file when alone.
fn name_of(files: &[PathBuf]) -> String {
    match files {
        [one] => source::display(one),
        [first, ..] => first
            .parent()
            .map_or_else(|| source::display(first), source::display),
        [] => String::new(),
    }
}

/// The sources of a file that could not be read: its name, no text, and
/// the finding at its start.
fn unreadable(sources: &mut SourceMap, path: &Path, err: &LoadError) -> Diagnostic {
    let id = sources.add(source::display(path), path.to_path_buf(), String::new());
    match err {
        LoadError::Outside { .. } => Diagnostic::new(
            Code::SourceOutsideRepo,
            id,
            Span::default(),
            err.to_string(),
        )
        .with_label("leads outside the repository")
        .with_help("ipcheck reads nothing outside the repository; replace the link by the file"),
        _ => Diagnostic::new(
            Code::SourceUnreadable,
            id,
            Span::default(),
            err.to_string(),
        )
        .with_label("could not be read")
        .with_help("check that the file exists and is readable by the user running ipcheck; the run is incomplete (exit 2)"),
    }
}

/// Reads a policy's files (each inside the repository) and analyses
/// them; `Err` with the findings when a file cannot be read.
fn load_policy(plan: &PlannedPolicy, root: &Path) -> Result<Policy, (SourceMap, Vec<Diagnostic>)> {
    let mut sources = SourceMap::default();
    let mut early = Vec::new();
    let mut failed = Vec::new();
    for path in &plan.files {
        match source::read_inside(path, root) {
            Ok(bytes) => {
                let (_, diag) = sources.add_bytes(source::display(path), path.clone(), bytes);
                early.extend(diag);
            }
            Err(err) => failed.push(unreadable(&mut sources, path, &err)),
        }
    }
    if failed.is_empty() {
        Ok(policy::analyze_with(sources, early))
    } else {
        Err((sources, failed))
    }
}

/// An invalid configuration: its diagnostics, and exit code 2.
fn could_not_run(
    report: &ReportOptions,
    fail_on: FailOn,
    sources: &SourceMap,
    diagnostics: &[crate::diagnostic::Diagnostic],
    out: &mut dyn Write,
) -> Result<Outcome, CliError> {
    let mut reporter = report.reporter(Command::Check, false, fail_on, out);
    reporter.add_files(sources.files.len());
    for diag in diagnostics {
        reporter.diagnostic(diag, sources)?;
    }
    reporter.could_not_run();
    Ok(reporter.finish()?)
}

fn check_policy(
    mut policy: Policy,
    plan: &PlannedPolicy,
    config: &Config,
    lint_options: &LintOptions,
    base: Option<&crate::diff::git::Base>,
    reporter: &mut Reporter,
) -> Result<(), CliError> {
    let name = super::policy_name(&policy);
    reporter.policy(&name, &policy.sources)?;
    let broken = policy.has_errors();
    let mut findings = std::mem::take(&mut policy.diagnostics);
    if !broken {
        findings.extend(lint::lint(&policy, lint_options));
    }
    policy::sort_diagnostics(&mut findings);
    let errors = findings.iter().filter(|d| d.is_error()).count();
    for diag in findings.into_iter().filter_map(|d| config.levels.apply(d)) {
        reporter.diagnostic(&diag, &policy.sources)?;
    }
    if broken {
        // A broken policy cannot decide anything meaningfully: say what
        // was not run, so that the counts do not look better for it.
        let scenarios = policy
            .syntax
            .iter()
            .flat_map(|(_, file)| &file.items)
            .filter_map(|item| match &item.kind {
                ItemKind::Scenario(s) => Some(s.title.value.clone()),
                _ => None,
            })
            .collect();
        reporter.not_run(&NotRun {
            policy: name,
            reason: count(errors, "error", "errors"),
            scenarios,
            proposals: plan.proposals.iter().map(|p| source::display(p)).collect(),
        })?;
        reporter.add_files(plan.proposals.len());
        return Ok(());
    }
    super::test::run_scenarios(&policy, reporter)?;
    if let Some(base) = base {
        // The coverage line comes with the diff, so that a plain `check`
        // reports as before.
        coverage_line(&policy, config, reporter)?;
        diff_policy(&policy, base, config, reporter)?;
    }
    // Proposals join the policy's sources so that a finding can show the
    // proposal and the clause that decided it side by side.
    reporter.add_files(plan.proposals.len());
    let mut proposals = Vec::new();
    for path in &plan.proposals {
        match source::read_inside(path, &config.root) {
            Ok(bytes) => {
                let (id, bad_utf8) =
                    policy
                        .sources
                        .add_bytes(source::display(path), path.clone(), bytes);
                proposals.push((id, bad_utf8));
            }
            Err(err) => {
                let diag = unreadable(&mut policy.sources, path, &err);
                reporter.diagnostic(&diag, &policy.sources)?;
                reporter.could_not_run();
            }
        }
    }
    let sources = policy.sources.clone();
    let engine = Engine::new(&policy.model);
    for (id, bad_utf8) in proposals {
        if let Some(diag) = bad_utf8 {
            reporter.diagnostic(&diag, &sources)?;
            continue;
        }
        let text = sources.get(id).map(|f| f.text.clone()).unwrap_or_default();
        let parsed = match proposal::parse(&text, id) {
            Ok(p) => p,
            Err(diags) => {
                for d in &diags {
                    reporter.diagnostic(d, &sources)?;
                }
                continue;
            }
        };
        let meta = ProposalMeta {
            title: parsed.title.clone(),
            author: parsed.author.clone(),
            reference: parsed.reference.clone(),
            date: parsed.date,
            file: sources.get(id).map(|f| f.name.clone()).unwrap_or_default(),
        };
        for decided in proposal::decide(&parsed, &text, &policy.model, &engine) {
            match decided {
                Ok(d) => {
                    let entry = DecisionEntry {
                        origin: parsed.title.clone(),
                        proposal: Some(&meta),
                        action: d.text,
                        location: Some(d.location),
                        record: &d.record,
                        expect: d.expect,
                        finding: d.finding.and_then(|f| config.levels.apply(f)),
                    };
                    reporter.decision(&entry, &sources)?;
                }
                Err(diags) => {
                    for d in &diags {
                        reporter.diagnostic(d, &sources)?;
                    }
                }
            }
        }
    }
    Ok(())
}

/// One note naming the clauses and grants that decide no scenario.
fn coverage_line(
    policy: &Policy,
    config: &Config,
    reporter: &mut Reporter,
) -> Result<(), CliError> {
    let uncovered = crate::diff::coverage::uncovered(&policy.model);
    let Some(first) = uncovered.first() else {
        return Ok(());
    };
    let total = {
        let mut labels: Vec<&str> = policy
            .model
            .clauses
            .iter()
            .map(|c| c.label.as_str())
            .collect();
        labels.extend(policy.model.grants.iter().map(|g| g.label.as_str()));
        labels.sort_unstable();
        labels.dedup();
        labels.len()
    };
    let names: Vec<String> = uncovered.iter().map(|u| u.label.clone()).collect();
    let mut d = Diagnostic::new(
        crate::diff::codes::NOT_COVERED,
        first.location.file,
        first.location.span,
        format!(
            "{} of {total} clauses and grants decide no scenario: {}",
            uncovered.len(),
            names.join(", ")
        ),
    )
    .with_label("the first not covered")
    .with_help("`ipcheck test --coverage` lists each; add scenarios that these clauses decide");
    d.severity = crate::diagnostic::Severity::Info;
    if let Some(d) = config.levels.apply(d) {
        reporter.diagnostic(&d, &policy.sources)?;
    }
    Ok(())
}

/// The policy against its files at the base revision: the change
/// findings (info unless `[diff]` levels them), a warning per changed
/// clause no scenario covers, and the diff section.
fn diff_policy(
    policy: &Policy,
    base: &crate::diff::git::Base,
    config: &Config,
    reporter: &mut Reporter,
) -> Result<(), CliError> {
    let Some(first) = policy.sources.files.first() else {
        return Ok(());
    };
    let Some(rel_file) = base.relative(&first.path) else {
        return Ok(());
    };
    let dir = rel_file
        .rsplit_once('/')
        .map_or(String::new(), |(d, _)| d.to_string());
    let shown_root = super::diff::shown_top(&first.path, &rel_file);
    let mut olds = base
        .policy_files(&dir)
        .map_err(|e| CliError::Usage(e.to_string()))?;
    let name = super::policy_name(policy);
    let mut broken = Vec::new();
    let pd = match olds.remove(&dir) {
        Some(files) => {
            let old = base
                .load(&files, &shown_root)
                .map_err(|e| CliError::Usage(e.to_string()))?;
            super::diff::compare(name, &old, policy, &mut broken)
        }
        None => crate::diff::PolicyDiff {
            policy: name,
            status: crate::diff::PolicyStatus::Added,
            diff: crate::diff::Diff::default(),
        },
    };
    let file = policy
        .sources
        .ids()
        .next()
        .unwrap_or(crate::span::FileId(0));
    for d in pd.diagnostics(file, crate::diagnostic::Severity::Info) {
        if let Some(d) = config.levels.apply(d) {
            reporter.diagnostic(&d, &policy.sources)?;
        }
    }
    let covered = crate::diff::coverage::covered(&policy.model);
    let mut warned: Vec<&str> = Vec::new();
    for change in &pd.diff.changes {
        for label in &change.clauses {
            if covered.contains(label) || warned.contains(&label.as_str()) {
                continue;
            }
            warned.push(label);
            let location = label_location(&policy.model, label)
                .or(change.head_location)
                .unwrap_or(crate::span::Location {
                    file,
                    span: Span::default(),
                });
            let d = Diagnostic::new(
                crate::diff::codes::UNCOVERED,
                location.file,
                location.span,
                format!(
                    "this change alters what clause {label} decides, and no scenario covers it"
                ),
            )
            .with_label("changed in effect, no scenario")
            .with_help(format!(
                "add a scenario for the change, e.g. `action {}` with the decision you intend",
                change.witness
            ));
            if let Some(d) = config.levels.apply(d) {
                reporter.diagnostic(&d, &policy.sources)?;
            }
        }
    }
    if !broken.is_empty() {
        reporter.could_not_run();
    }
    reporter.diff(&pd)?;
    Ok(())
}

fn label_location(model: &crate::names::Model, label: &str) -> Option<crate::span::Location> {
    match model.labels.get(label)? {
        crate::names::LabelRef::Clause(c) => model.clauses.get(c.index()).map(|c| c.label_location),
        crate::names::LabelRef::Grant(g) => model.grants.get(g.index()).map(|g| g.label_location),
    }
}
