//! The commands behind the CLI, writing to any output so that tests can
//! call them; `main.rs` only parses arguments and maps outcomes to exit codes.

use std::io::Write;
use std::path::PathBuf;

use crate::lint::{self, LintOptions};
use crate::policy::{self, Policy};
use crate::report::human::{self, Style};
use crate::report::json::{DiagnosticRecord, SCHEMA_VERSION};
use crate::source::LoadError;

/// The exit-code contract, the same for every command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Outcome {
    /// Nothing at or above the fail level.
    Clean = 0,
    /// Findings: errors, failed scenarios, denied actions.
    Findings = 1,
    /// The command could not run: bad arguments, unreadable input.
    CouldNotRun = 2,
}

/// Why a command could not run.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error("cannot write output: {0}")]
    Output(#[from] std::io::Error),
    #[error("{0}")]
    Usage(String),
}

/// Loads every policy under the given paths.
pub fn load_all(paths: &[PathBuf]) -> Result<Vec<Policy>, LoadError> {
    let mut policies = Vec::new();
    for path in paths {
        policies.extend(policy::load_path(path)?);
    }
    Ok(policies)
}

/// `ipcheck lint`: prints every diagnostic; findings when any is an error.
pub fn lint(
    paths: &[PathBuf],
    json: bool,
    style: Style,
    out: &mut dyn Write,
) -> Result<Outcome, CliError> {
    let mut policies = load_all(paths)?;
    let options = LintOptions { today: jiff::Zoned::now().date() };
    for policy in &mut policies {
        let findings = lint::lint(policy, &options);
        policy.diagnostics.extend(findings);
        crate::policy::sort_diagnostics(&mut policy.diagnostics);
    }
    let errors = policies.iter().any(Policy::has_errors);
    if json {
        let records: Vec<DiagnosticRecord> = policies
            .iter()
            .flat_map(|p| {
                p.diagnostics
                    .iter()
                    .map(|d| DiagnosticRecord::of(d, &p.sources))
            })
            .collect();
        let doc = serde_json::json!({ "version": SCHEMA_VERSION, "diagnostics": records });
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&doc).unwrap_or_default()
        )?;
    } else {
        let mut counts = (0usize, 0usize);
        for policy in &policies {
            for diag in &policy.diagnostics {
                write!(out, "{}\n", human::render(diag, &policy.sources, style))?;
                if diag.is_error() {
                    counts.0 += 1;
                } else {
                    counts.1 += 1;
                }
            }
        }
        let files: usize = policies.iter().map(|p| p.sources.files.len()).sum();
        writeln!(
            out,
            "{} error(s), {} warning(s) in {files} file(s)",
            counts.0, counts.1
        )?;
    }
    Ok(if errors {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}
