//! `ipcheck check`: the pre-merge check of a repository of policies. For
//! each policy the configuration names: its diagnostics and lints, its
//! scenarios, and the decisions on its proposals; one report, one exit
//! code.

use std::io::Write;
use std::path::Path;

use super::{CliError, Outcome, ReportOptions};
use crate::config::{self, Config, ConfigError, PlanError, PlannedPolicy};
use crate::decide::Engine;
use crate::lint::{self, LintOptions};
use crate::policy::{self, Policy};
use crate::proposal;
use crate::report::{Command, DecisionEntry, FailOn, Reporter};
use crate::source::{self, SourceMap};

/// What `ipcheck check` is asked beyond its directory.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// `--today`: overrides the configuration's `today`.
    pub today: Option<jiff::civil::Date>,
}

/// Checks the repository holding `dir`.
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
    let config = match config::load(dir) {
        Ok(config) => config,
        Err(ConfigError::Load(err)) => return Err(err.into()),
        Err(ConfigError::Invalid {
            sources,
            diagnostics,
        }) => {
            let fail_on = report.fail_on.unwrap_or_default();
            return could_not_run(report, fail_on, &sources, &diagnostics, out);
        }
    };
    let fail_on = report.fail_on.or(config.fail_on).unwrap_or_default();
    let (planned, warnings) = match config.plan() {
        Ok(plan) => plan,
        Err(PlanError::Load(err)) => return Err(err.into()),
        Err(PlanError::Invalid(diagnostics)) => {
            return could_not_run(report, fail_on, &config.sources, &diagnostics, out);
        }
    };
    let mut reporter = report.reporter(Command::Check, false, fail_on, out);
    reporter.add_files(config.sources.files.len());
    for diag in config.warnings.iter().chain(&warnings) {
        reporter.diagnostic(diag, &config.sources)?;
    }
    let lint_options = LintOptions {
        today: options.today.or(config.today).unwrap_or_else(super::today),
    };
    for plan in &planned {
        let policy = policy::load_files(&plan.files)?;
        check_policy(policy, plan, &config, &lint_options, &mut reporter)?;
    }
    Ok(reporter.finish()?)
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
    reporter: &mut Reporter,
) -> Result<(), CliError> {
    reporter.policy(&super::policy_name(&policy), &policy.sources)?;
    reporter.add_files(plan.proposals.len());
    // Proposals join the policy's sources so that a finding can show the
    // proposal and the clause that decided it side by side.
    let mut proposals = Vec::new();
    for path in &plan.proposals {
        let bytes = source::read_file(path)?;
        let (id, bad_utf8) = policy
            .sources
            .add_bytes(source::display(path), path.clone(), bytes);
        proposals.push((id, bad_utf8));
    }
    let sources = policy.sources.clone();
    let broken = policy.has_errors();
    let mut findings = std::mem::take(&mut policy.diagnostics);
    if !broken {
        findings.extend(lint::lint(&policy, lint_options));
    }
    policy::sort_diagnostics(&mut findings);
    for diag in findings.into_iter().filter_map(|d| config.levels.apply(d)) {
        reporter.diagnostic(&diag, &sources)?;
    }
    if broken {
        // A broken policy cannot decide anything meaningfully.
        return Ok(());
    }
    super::test::run_scenarios(&policy, reporter)?;
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
        for decided in proposal::decide(&parsed, &text, &policy.model, &engine) {
            match decided {
                Ok(d) => {
                    let entry = DecisionEntry {
                        origin: parsed.title.clone(),
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
