//! The commands behind the CLI, writing to any output so that tests can
//! call them; `main.rs` only parses arguments and maps outcomes to exit
//! codes. One module per command under `cli/`.

mod check;
mod eval;
mod explain;
mod lint;
mod test;

use std::io::Write;
use std::path::{Path, PathBuf};

pub use check::{CheckOptions, check};
pub use eval::{EvalOptions, eval};
pub use explain::explain;
pub use lint::lint;
pub use test::test;

use crate::policy::{self, Policy};
pub use crate::report::Outcome;
use crate::report::human::Style;
use crate::report::{Command, EmitOptions, FailOn, Format, Reporter};
use crate::source::LoadError;

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

/// How a command reports: the options every command shares.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    pub format: Format,
    pub style: Style,
    /// `--fail-on`; `None`: the configuration's, else `error`.
    pub fail_on: Option<FailOn>,
    /// The job summary file (`GITHUB_STEP_SUMMARY`) for `--format github`.
    pub step_summary: Option<PathBuf>,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            format: Format::Human,
            style: Style::PLAIN,
            fail_on: None,
            step_summary: None,
        }
    }
}

impl ReportOptions {
    /// A reporter for `command` writing to `out`.
    pub(crate) fn reporter<'w>(
        &self,
        command: Command,
        explain: bool,
        fail_on: FailOn,
        out: &'w mut dyn Write,
    ) -> Reporter<'w> {
        let options = EmitOptions {
            command,
            style: self.style,
            explain,
            step_summary: self.step_summary.clone(),
        };
        // Every finding in JSON; the first of each code elsewhere.
        let cap = (self.format != Format::Json).then_some(crate::report::cap::SHOWN_PER_CODE);
        Reporter::new(crate::report::emitter(self.format, options, out), fail_on).with_cap(cap)
    }
}

/// Loads every policy under the given paths.
pub fn load_all(paths: &[PathBuf]) -> Result<Vec<Policy>, LoadError> {
    let mut policies = Vec::new();
    for path in paths {
        policies.extend(policy::load_path(path)?);
    }
    Ok(policies)
}

/// A policy's name in reports: its directory, or its file when alone.
pub(crate) fn policy_name(policy: &Policy) -> String {
    let paths: Vec<&Path> = policy
        .sources
        .files
        .iter()
        .map(|f| f.path.as_path())
        .collect();
    match paths.as_slice() {
        [one] => crate::source::display(one),
        [first, ..] => first
            .parent()
            .map_or_else(|| crate::source::display(first), crate::source::display),
        [] => String::new(),
    }
}

/// Runs a command writing to `output` when given (atomically: the file
/// appears whole or not at all), else to `stdout`.
pub fn with_output(
    output: Option<&Path>,
    stdout: &mut dyn Write,
    run: impl FnOnce(&mut dyn Write) -> Result<Outcome, CliError>,
) -> Result<Outcome, CliError> {
    match output {
        None => run(stdout),
        Some(path) => {
            let mut buffer = Vec::new();
            let outcome = run(&mut buffer)?;
            crate::write::write_atomic(path, &buffer)?;
            Ok(outcome)
        }
    }
}

/// Today's date in the local time zone.
pub fn today() -> jiff::civil::Date {
    jiff::ZonedDateTime::now().date()
}

pub use crate::fmt::command::FmtOptions;

/// `ipcheck fmt`: rewrites files in the canonical layout, or with `--check`
/// prints a diff of what would change; standard input goes to `out`.
pub fn fmt(
    options: &FmtOptions,
    style: Style,
    input: &mut dyn std::io::Read,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, CliError> {
    use crate::fmt::command::{FmtStatus, run};
    Ok(match run(options, style, input, out, err)? {
        FmtStatus::Clean => Outcome::Clean,
        FmtStatus::Findings => Outcome::Findings,
        FmtStatus::CouldNotRun => Outcome::CouldNotRun,
    })
}
