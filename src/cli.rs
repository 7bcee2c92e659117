//! The commands behind the CLI, writing to any output so that tests can
//! call them; `main.rs` only parses arguments and maps outcomes to exit
//! codes. One module per command under `cli/`.

mod check;
mod diff;
mod eval;
mod explain;
mod grants;
mod lint;
pub(crate) mod test;

use std::io::Write;
use std::path::{Path, PathBuf};

pub use check::{CheckOptions, check};
pub use diff::{DiffOptions, diff_command as diff};
pub use eval::{EvalOptions, eval};
pub use explain::explain;
pub use grants::{GrantsOptions, grants};
pub use lint::{FixOptions, lint};
pub use test::{test, test_with};

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
    /// The run ended without a report, and the earlier report at the
    /// output path was removed so that it is not taken for this run's.
    #[error("{error}\nnote: removed the earlier report `{}`, which this run did not replace", crate::source::display(.removed))]
    NoReport {
        error: Box<CliError>,
        removed: PathBuf,
    },
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
    /// The repository root platform formats name files against; `None`:
    /// the git top level of the working directory, else the working
    /// directory (`check` sets it from its configuration).
    pub root: Option<PathBuf>,
    /// Links to files at the commit checked, for Markdown.
    pub links: Option<crate::report::paths::Links>,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            format: Format::Human,
            style: Style::PLAIN,
            fail_on: None,
            step_summary: None,
            root: None,
            links: None,
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
        let root = self
            .root
            .clone()
            .or_else(|| crate::report::paths::git_root(Path::new(".")))
            .unwrap_or_else(|| PathBuf::from("."));
        let options = EmitOptions {
            command,
            style: self.style,
            explain,
            step_summary: self.step_summary.clone(),
            paths: crate::report::paths::Paths::new(Some(&root)),
            links: self.links.clone(),
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

/// Runs a command writing to `output` when given, else to `stdout`.
///
/// With `whole`, the report is rendered into memory and written only when
/// the command has finished: standard output gets a whole report or none.
/// A file is always written that way, atomically (it appears whole or not
/// at all), with the umask's mode when new; when the command fails
/// without a report, an earlier report at that path is removed, so that
/// it cannot pass for this run's.
pub fn with_output(
    output: Option<&Path>,
    whole: bool,
    stdout: &mut dyn Write,
    run: impl FnOnce(&mut dyn Write) -> Result<Outcome, CliError>,
) -> Result<Outcome, CliError> {
    match output {
        None if !whole => run(stdout),
        None => {
            let mut buffer = Vec::new();
            let outcome = run(&mut buffer)?;
            stdout.write_all(&buffer)?;
            Ok(outcome)
        }
        Some(path) => {
            let mut buffer = Vec::new();
            let result = run(&mut buffer).and_then(|outcome| {
                crate::report::output::write_report(path, &buffer)?;
                Ok(outcome)
            });
            match result {
                Ok(outcome) => Ok(outcome),
                Err(error) => match crate::report::output::remove_stale(path) {
                    Ok(true) => Err(CliError::NoReport {
                        error: Box::new(error),
                        removed: path.to_path_buf(),
                    }),
                    _ => Err(error),
                },
            }
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
