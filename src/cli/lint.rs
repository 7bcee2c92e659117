//! `ipcheck lint`: the front end's diagnostics and the lints, for policies
//! named on the command line.

use std::io::Write;
use std::path::PathBuf;

use super::{CliError, Outcome, ReportOptions, load_all};
use crate::lint::{self, LintOptions};
use crate::report::Command;

/// Reports every diagnostic of every policy under `paths`.
pub fn lint(
    paths: &[PathBuf],
    today: Option<jiff::civil::Date>,
    report: &ReportOptions,
    out: &mut dyn Write,
) -> Result<Outcome, CliError> {
    let policies = load_all(paths)?;
    let options = LintOptions {
        today: today.unwrap_or_else(super::today),
    };
    let mut reporter = report.reporter(
        Command::Lint,
        false,
        report.fail_on.unwrap_or_default(),
        out,
    );
    for mut policy in policies {
        let findings = lint::lint(&policy, &options);
        policy.diagnostics.extend(findings);
        crate::policy::sort_diagnostics(&mut policy.diagnostics);
        let name = super::policy_name(&policy);
        reporter.policy(&name, &policy.sources)?;
        for diag in &policy.diagnostics {
            reporter.diagnostic(diag, &policy.sources)?;
        }
    }
    Ok(reporter.finish()?)
}
