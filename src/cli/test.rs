//! `ipcheck test`: runs the scenarios of policies.

use std::io::Write;
use std::path::PathBuf;

use super::{CliError, Outcome, ReportOptions, load_all};
use crate::decide::Engine;
use crate::diagnostic::{Code, Diagnostic};
use crate::policy::Policy;
use crate::report::decision::verdict;
use crate::report::{Command, Reporter, ScenarioResult};

/// Runs every scenario of every policy under `paths`. A policy with
/// errors reports them instead.
pub fn test(
    paths: &[PathBuf],
    report: &ReportOptions,
    out: &mut dyn Write,
) -> Result<Outcome, CliError> {
    test_with(paths, false, report, out)
}

/// `ipcheck test`, with `--coverage`: also one `ipl::coverage::not_covered`
/// note per clause or grant that decides no scenario.
pub fn test_with(
    paths: &[PathBuf],
    coverage: bool,
    report: &ReportOptions,
    out: &mut dyn Write,
) -> Result<Outcome, CliError> {
    let policies = load_all(paths)?;
    let mut reporter = report.reporter(
        Command::Test,
        false,
        report.fail_on.unwrap_or_default(),
        out,
    );
    for policy in &policies {
        reporter.policy(&super::policy_name(policy), &policy.sources)?;
        if policy.has_errors() {
            let mut errors = 0;
            for d in policy.diagnostics.iter().filter(|d| d.is_error()) {
                reporter.diagnostic(d, &policy.sources)?;
                errors += 1;
            }
            let scenarios = policy
                .syntax
                .iter()
                .flat_map(|(_, file)| &file.items)
                .filter_map(|item| match &item.kind {
                    crate::syntax::ast::ItemKind::Scenario(s) => Some(s.title.value.clone()),
                    _ => None,
                })
                .collect();
            reporter.not_run(&crate::report::NotRun {
                policy: super::policy_name(policy),
                reason: crate::report::count(errors, "error", "errors"),
                scenarios,
                proposals: Vec::new(),
            })?;
            continue;
        }
        run_scenarios(policy, &mut reporter)?;
        if coverage {
            for d in crate::diff::coverage::diagnostics(&policy.model) {
                reporter.diagnostic(&d, &policy.sources)?;
            }
        }
    }
    Ok(reporter.finish()?)
}

/// Decides each scenario of a valid policy and reports the result; a
/// decision other than the expected one is an `ipl::test::scenario_failed`
/// error at the scenario's `expect` line.
pub(crate) fn run_scenarios(policy: &Policy, reporter: &mut Reporter) -> std::io::Result<()> {
    let engine = Engine::new(&policy.model);
    for scenario in &policy.model.scenarios {
        let Some(action) = &scenario.action else {
            continue;
        };
        let record = engine.decide(action);
        let result = ScenarioResult {
            title: &scenario.title,
            location: scenario.location,
            expect: scenario.expect,
            expect_by: scenario.expect_by.as_deref(),
            record: &record,
            failure: failure(&policy.model, scenario, &record),
        };
        reporter.scenario(&result, &policy.sources)?;
    }
    Ok(())
}

/// The `ipl::test::scenario_failed` error of a decided scenario, `None`
/// when it passes (the one rule of [`crate::decide::scenario::check`]): at
/// the `expect` line when the decision or its decider differ, else at the
/// first `owes` line the decision does not carry. `ipcheck test` reports
/// it, and the language server publishes it as a diagnostic.
pub fn failure(
    model: &crate::names::Model,
    scenario: &crate::names::ScenarioInfo,
    record: &crate::decide::DecisionRecord,
) -> Option<Diagnostic> {
    let expected = match &scenario.expect_by {
        Some(by) => format!("{} by {by}", scenario.expect.as_str()),
        None => scenario.expect.as_str().to_string(),
    };
    let check = crate::decide::scenario::check(model, scenario, record);
    if check.decision_ok && !check.passes() {
        let mut failure: Option<Diagnostic> = None;
        for (location, lacking) in &check.missing {
            let diag = failure.take().map_or_else(
                || {
                    Diagnostic::new(
                        Code::TestScenarioFailed,
                        location.file,
                        location.span,
                        format!(
                            "scenario `{}`: the decision does not carry {}",
                            scenario.title,
                            lacking.join(", ")
                        ),
                    )
                    .with_label("not owed by the decision")
                    .with_help(format!(
                        "{}; the decision owes: {}",
                        record.summary,
                        owed_list(record)
                    ))
                },
                |d| d.with_related(*location, "not owed either"),
            );
            failure = Some(diag);
        }
        return failure;
    }
    if !check.decision_ok {
        let got = verdict(record);
        let failure = Diagnostic::new(
            Code::TestScenarioFailed,
            scenario.expect_location.file,
            scenario.expect_location.span,
            format!(
                "scenario `{}`: expected {}, got {got}",
                scenario.title, expected
            ),
        )
        .with_label(format!("got {got}"))
        .with_help(format!(
            "{}; run `ipcheck eval` with `--explain` on this action for every clause consulted",
            record.summary
        ));
        return Some(match (record.decided_by_location, &record.decided_by) {
            (Some(l), Some(by)) => failure.with_related(l, format!("decided by {by}")),
            _ => failure,
        });
    }
    None
}

/// What a decision carries, for a failed `owes` line's help.
fn owed_list(record: &crate::decide::DecisionRecord) -> String {
    let all: Vec<&str> = record
        .obligations
        .iter()
        .chain(&record.open_preconditions)
        .chain(&record.met_preconditions)
        .map(|d| d.duty.as_str())
        .collect();
    if all.is_empty() {
        "nothing".to_string()
    } else {
        all.join("; ")
    }
}
