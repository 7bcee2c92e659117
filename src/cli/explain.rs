//! `ipcheck explain CODE`: the documentation of a diagnostic code, as
//! `rustc --explain` prints it.

use std::io::Write;

use super::{CliError, Outcome};

/// Prints the section of docs/diagnostics.md or docs/lints.md whose
/// heading is `code`; an unknown code cannot run (exit 2), with the
/// nearest code suggested.
pub fn explain(code: &str, out: &mut dyn Write, err: &mut dyn Write) -> Result<Outcome, CliError> {
    let code = code.trim();
    if let Some(section) = crate::docs::section(code) {
        writeln!(out, "# {}\n\n{}", section.code, section.body.trim())?;
        return Ok(Outcome::Clean);
    }
    write!(err, "error: no diagnostic code `{code}`")?;
    match crate::docs::suggest(code) {
        Some(s) => writeln!(err, "; did you mean `{s}`?")?,
        None => writeln!(err, "; codes look like `ipl::names::unknown_party`")?,
    }
    Ok(Outcome::CouldNotRun)
}
