//! `ipcheck fmt PATH...`: rewriting files in place, `--check` diffs, standard input to standard output.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use super::files;
use crate::diagnostic::{Diagnostic, Family};
use crate::report::human::{self, Style};
use crate::source::{self, SourceMap};

/// What `ipcheck fmt` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct FmtOptions {
    /// Files, directories (every `.ipl` file below them) and `-` (standard
    /// input).
    pub paths: Vec<PathBuf>,
    /// Write nothing; print a unified diff of what would change.
    pub check: bool,
    /// Format standard input to standard output.
    pub stdin: bool,
}

/// How a run ended, worst first when several files disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FmtStatus {
    /// Every file is (now) formatted.
    Clean,
    /// With `--check`, a file needs formatting; or a file has syntax errors.
    Findings,
    /// A file could not be read or written, or the arguments make no sense.
    CouldNotRun,
}

/// Runs `ipcheck fmt`. Formatted standard input and `--check` diffs go to
/// `out`; diagnostics and errors go to `err`. An error is returned only
/// when `out` cannot be written.
pub fn run(
    options: &FmtOptions,
    style: Style,
    input: &mut dyn Read,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<FmtStatus> {
    let dash = Path::new("-");
    let stdin_count =
        usize::from(options.stdin) + options.paths.iter().filter(|p| *p == dash).count();
    if stdin_count > 1 || (options.stdin && !options.paths.is_empty()) {
        writeln!(
            err,
            "error: `--stdin` (or `-`) formats standard input alone"
        )?;
        return Ok(FmtStatus::CouldNotRun);
    }
    if stdin_count == 0 && options.paths.is_empty() {
        writeln!(
            err,
            "error: nothing to format: name files or directories, or `-` for standard input"
        )?;
        return Ok(FmtStatus::CouldNotRun);
    }
    if stdin_count == 1 {
        let mut bytes = Vec::new();
        if let Err(e) = input.read_to_end(&mut bytes) {
            writeln!(err, "error: cannot read standard input: {e}")?;
            return Ok(FmtStatus::CouldNotRun);
        }
        return format_one(
            Path::new("<stdin>"),
            bytes,
            Target::Stdout,
            options.check,
            style,
            out,
            err,
        );
    }
    let mut status = FmtStatus::Clean;
    for path in &options.paths {
        let files = match files::ipl_files(path) {
            Ok(files) => files,
            Err(e) => {
                writeln!(err, "error: {e}")?;
                status = status.max(FmtStatus::CouldNotRun);
                continue;
            }
        };
        for file in files {
            let one = match source::read_file(&file) {
                Ok(bytes) => {
                    format_one(&file, bytes, Target::File, options.check, style, out, err)?
                }
                Err(e) => {
                    writeln!(err, "error: {e}")?;
                    FmtStatus::CouldNotRun
                }
            };
            status = status.max(one);
        }
    }
    Ok(status)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    /// Rewrite the file.
    File,
    /// Print the result (standard input).
    Stdout,
}

fn format_one(
    path: &Path,
    bytes: Vec<u8>,
    target: Target,
    check: bool,
    style: Style,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<FmtStatus> {
    let name = source::display(path);
    let mut sources = SourceMap::default();
    let (_, bad_utf8) = sources.add_bytes(name.clone(), path.to_path_buf(), bytes);
    let text = sources
        .files
        .first()
        .map(|f| f.text.clone())
        .unwrap_or_default();
    let result = match bad_utf8 {
        Some(diag) => Err(vec![diag]),
        None => super::format_source(&text),
    };
    let formatted = match result {
        Ok(formatted) => formatted,
        Err(diags) => return report(&diags, &sources, style, err),
    };
    if check {
        if formatted == *text {
            return Ok(FmtStatus::Clean);
        }
        write!(
            out,
            "{}",
            files::unified_diff(&text, &formatted, &name, "formatted")
        )?;
        return Ok(FmtStatus::Findings);
    }
    match target {
        Target::Stdout => {
            out.write_all(formatted.as_bytes())?;
            Ok(FmtStatus::Clean)
        }
        Target::File if formatted == *text => Ok(FmtStatus::Clean),
        Target::File => match crate::write::write_atomic(path, formatted.as_bytes()) {
            Ok(()) => Ok(FmtStatus::Clean),
            Err(e) => {
                writeln!(err, "error: cannot write `{name}`: {e}")?;
                Ok(FmtStatus::CouldNotRun)
            }
        },
    }
}

/// Prints why a file was left as it is.
fn report(
    diags: &[Diagnostic],
    sources: &SourceMap,
    style: Style,
    err: &mut dyn Write,
) -> std::io::Result<FmtStatus> {
    for diag in diags {
        writeln!(err, "{}", human::render(diag, sources, style))?;
    }
    let internal = diags.iter().any(|d| d.code.family() == Family::Fmt);
    let name = sources.files.first().map_or("", |f| f.name.as_str());
    writeln!(err, "{name}: not formatted ({} error(s))", diags.len())?;
    Ok(if internal {
        FmtStatus::CouldNotRun
    } else {
        FmtStatus::Findings
    })
}
