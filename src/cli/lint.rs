//! `ipcheck lint`: the front end's diagnostics and the lints, for policies
//! named on the command line; with `--fix`, the fixes they carry applied.

use std::io::Write;
use std::path::PathBuf;

use super::{CliError, Outcome, ReportOptions, load_all};
use crate::diagnostic::Applicability;
use crate::lint::{self, LintOptions};
use crate::report::Command;

/// What `--fix` does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FixOptions {
    /// Apply fixes (`--fix`).
    pub fix: bool,
    /// Print what the fixes would change as a unified diff and write
    /// nothing (`--fix --diff`).
    pub diff: bool,
    /// Apply the fixes that change what the policy means too
    /// (`--unsafe-fixes`: did-you-mean names, added priorities).
    pub unsafe_fixes: bool,
}

/// Reports every diagnostic of every policy under `paths`.
pub fn lint(
    paths: &[PathBuf],
    today: Option<jiff::civil::Date>,
    fixes: FixOptions,
    report: &ReportOptions,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, CliError> {
    let policies = load_all(paths)?;
    let options = LintOptions {
        today: today.unwrap_or_else(super::today),
    };
    if fixes.fix || fixes.diff {
        return fix(policies, &options, fixes, report, out, err);
    }
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

/// `--fix`: applies the fixes, writes each changed file atomically (or,
/// with `--diff`, prints the changes and writes nothing), then reports
/// what is left. With `--diff` the exit code says whether anything would
/// change (1) or not (0), as `fmt --check` does.
fn fix(
    policies: Vec<crate::policy::Policy>,
    options: &LintOptions,
    fixes: FixOptions,
    report: &ReportOptions,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, CliError> {
    let wanted = if fixes.unsafe_fixes {
        Applicability::Unsafe
    } else {
        Applicability::Safe
    };
    let mut fixed = Vec::new();
    let mut applied = 0;
    let mut files = 0;
    for policy in policies {
        let result = crate::autofix::fix(policy, options, wanted);
        applied += result.applied;
        files += result.changed.len();
        for (id, before, after) in &result.changed {
            let Some(file) = result.policy.sources.get(*id) else {
                continue;
            };
            if fixes.diff {
                let name = crate::source::display(&file.path);
                write!(
                    out,
                    "{}",
                    crate::fmt::files::unified_diff(before, after, &name, "fixed")
                )?;
            } else if let Err(e) = crate::write::write_atomic(&file.path, after.as_bytes()) {
                writeln!(
                    err,
                    "error: cannot write `{}`: {e}",
                    crate::source::display(&file.path)
                )?;
                return Ok(Outcome::CouldNotRun);
            }
        }
        fixed.push(result.policy);
    }
    let verb = if fixes.diff { "would fix" } else { "fixed" };
    writeln!(
        err,
        "{verb} {} in {}",
        crate::report::count(applied, "finding", "findings"),
        crate::report::count(files, "file", "files")
    )?;
    if fixes.diff {
        return Ok(if files == 0 {
            Outcome::Clean
        } else {
            Outcome::Findings
        });
    }
    let mut reporter = report.reporter(
        Command::Lint,
        false,
        report.fail_on.unwrap_or_default(),
        out,
    );
    for policy in &fixed {
        let name = super::policy_name(policy);
        reporter.policy(&name, &policy.sources)?;
        for diag in &policy.diagnostics {
            reporter.diagnostic(diag, &policy.sources)?;
        }
    }
    Ok(reporter.finish()?)
}
