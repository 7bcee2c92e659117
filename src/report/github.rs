//! GitHub Actions: one workflow command per finding
//! (`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`),
//! escaped as the runner expects, and the Markdown report appended to the
//! job summary (the file `GITHUB_STEP_SUMMARY` names) when there is one.

use std::io::{self, Write};
use std::path::PathBuf;

use super::json::Region;
use super::markdown::MarkdownEmitter;
use super::{Command, DecisionEntry, Emitter, ScenarioResult, Summary};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceMap;

pub struct GithubEmitter<'w> {
    out: &'w mut dyn Write,
    /// The job summary file, and the Markdown report gathered for it.
    summary: Option<(PathBuf, MarkdownEmitter<'static>)>,
}

impl<'w> GithubEmitter<'w> {
    pub fn new(
        command: Command,
        out: &'w mut dyn Write,
        step_summary: Option<PathBuf>,
    ) -> GithubEmitter<'w> {
        GithubEmitter {
            out,
            summary: step_summary.map(|path| (path, MarkdownEmitter::buffered(command))),
        }
    }

    fn annotate(&mut self, diag: &Diagnostic, sources: &SourceMap) -> io::Result<()> {
        writeln!(self.out, "{}", command_line(diag, sources))
    }
}

/// The workflow command for one finding.
pub fn command_line(diag: &Diagnostic, sources: &SourceMap) -> String {
    let kind = match diag.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let mut properties = Vec::new();
    if super::is_real_file(diag.location, sources) {
        let r = Region::of(diag.location, sources);
        properties.push(format!("file={}", escape_property(&r.file)));
        properties.push(format!("line={}", r.line));
        properties.push(format!("endLine={}", r.end_line));
        // Columns only mean something on one line; GitHub's end column
        // is inclusive.
        if r.line == r.end_line {
            properties.push(format!("col={}", r.column));
            properties.push(format!("endColumn={}", (r.end_column - 1).max(r.column)));
        }
    }
    properties.push(format!("title={}", escape_property(diag.code)));
    let mut message = diag.message.clone();
    if let Some(help) = &diag.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    for related in &diag.related {
        let r = Region::of(related.location, sources);
        message.push_str(&format!(
            "\nnote: {}:{}:{}: {}",
            r.file, r.line, r.column, related.message
        ));
    }
    format!(
        "::{kind} {}::{}",
        properties.join(","),
        escape_data(&message)
    )
}

/// Escapes a command's message: `%`, carriage return and line feed.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: as a message, plus `:` and `,`.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

impl Emitter for GithubEmitter<'_> {
    fn policy(&mut self, name: &str, sources: &SourceMap) -> io::Result<()> {
        match &mut self.summary {
            Some((_, md)) => md.policy(name, sources),
            None => Ok(()),
        }
    }

    fn diagnostic(&mut self, diag: &Diagnostic, sources: &SourceMap) -> io::Result<()> {
        if let Some((_, md)) = &mut self.summary {
            md.diagnostic(diag, sources)?;
        }
        self.annotate(diag, sources)
    }

    fn scenario(&mut self, result: &ScenarioResult, sources: &SourceMap) -> io::Result<()> {
        if let Some((_, md)) = &mut self.summary {
            md.scenario(result, sources)?;
        }
        match &result.failure {
            Some(failure) => self.annotate(failure, sources),
            None => Ok(()),
        }
    }

    fn decision(&mut self, entry: &DecisionEntry, sources: &SourceMap) -> io::Result<()> {
        if let Some((_, md)) = &mut self.summary {
            md.decision(entry, sources)?;
        }
        match &entry.finding {
            Some(finding) => self.annotate(finding, sources),
            None => Ok(()),
        }
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        let s = summary;
        writeln!(
            self.out,
            "::notice title=ipcheck::{}",
            escape_data(&super::markdown::headline(s))
        )?;
        if let Some((path, md)) = &mut self.summary {
            md.finish(summary)?;
            crate::write::append_atomic(path, md.buffer())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(
            escape_property("ipl::names::x, y%"),
            "ipl%3A%3Anames%3A%3Ax%2C y%25"
        );
    }
}
