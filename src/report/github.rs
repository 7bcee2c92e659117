//! GitHub Actions: one workflow command per finding
//! (`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`),
//! escaped as the runner expects, and the Markdown report appended to the
//! job summary (the file `GITHUB_STEP_SUMMARY` names) when there is one.
//!
//! GitHub keeps the first 10 error and 10 warning annotations of a step
//! (and 10 notices): the annotations are held until the end and written
//! errors first, then warnings, then notices, each by relevance (what
//! stopped the run, the language's errors, failed scenarios, decisions,
//! lints); those beyond the limit are written as plain log lines, and the
//! closing notice says how many were not annotated. Files are named
//! relative to the repository root, as GitHub expects.
use std::io::{self, Write};
use std::path::PathBuf;

use super::json::Region;
use super::markdown::{Budget, JOB_SUMMARY_LIMIT, MarkdownEmitter};
use super::paths::Paths;
use super::{DecisionEntry, EmitOptions, Emitter, NotRun, ScenarioResult, Summary, count};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceMap;

/// The annotations of each kind GitHub shows per step.
pub const ANNOTATION_LIMIT: usize = 10;

/// One finding, held until the end.
struct Annotation {
    severity: Severity,
    relevance: u8,
    command: String,
    plain: String,
}

pub struct GithubEmitter<'w> {
    out: &'w mut dyn Write,
    paths: Paths,
    annotations: Vec<Annotation>,
    not_run: Vec<String>,
    /// The job summary file, and the Markdown report gathered for it.
    summary: Option<(PathBuf, MarkdownEmitter<'static>)>,
}

impl<'w> GithubEmitter<'w> {
    pub fn new(options: &EmitOptions, out: &'w mut dyn Write) -> GithubEmitter<'w> {
        GithubEmitter {
            out,
            paths: options.paths.clone(),
            annotations: Vec::new(),
            not_run: Vec::new(),
            summary: options.step_summary.clone().map(|path| {
                (
                    path,
                    MarkdownEmitter::buffered(options, Budget::Bytes(JOB_SUMMARY_LIMIT)),
                )
            }),
        }
    }

    fn annotate(&mut self, diag: &Diagnostic, sources: &SourceMap) {
        self.annotations.push(Annotation {
            severity: diag.severity,
            relevance: super::relevance(diag.code),
            command: command_line_in(diag, sources, &self.paths),
            plain: plain_line(diag, sources, &self.paths),
        });
    }
}

/// The workflow command for one finding, files named as shown.
pub fn command_line(diag: &Diagnostic, sources: &SourceMap) -> String {
    command_line_in(diag, sources, &Paths::default())
}

/// The workflow command for one finding, files relative to the root.
pub fn command_line_in(diag: &Diagnostic, sources: &SourceMap, paths: &Paths) -> String {
    let kind = match diag.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let mut properties = Vec::new();
    if super::is_real_file(diag.location, sources) {
        let r = region(diag.location, sources, paths);
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
    properties.push(format!("title={}", escape_property(diag.code.as_str())));
    let mut message = diag.message.clone();
    if let Some(help) = &diag.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    for related in &diag.related {
        let r = region(related.location, sources, paths);
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

/// A finding that is not annotated, as one plain line of the log (no
/// workflow command: a line starting `::` would be one).
fn plain_line(diag: &Diagnostic, sources: &SourceMap, paths: &Paths) -> String {
    let place = if super::is_real_file(diag.location, sources) {
        let r = region(diag.location, sources, paths);
        format!("{}:{}:{}: ", r.file, r.line, r.column)
    } else {
        String::new()
    };
    let message = diag.message.replace(['\r', '\n'], " ");
    format!("{} {place}{}: {message}", diag.severity.as_str(), diag.code)
}

/// A region with its file relative to the repository root.
fn region(location: crate::span::Location, sources: &SourceMap, paths: &Paths) -> Region {
    let mut r = Region::of(location, sources);
    if let Some(file) = sources.get(location.file) {
        r.file = paths.name(file);
    }
    r
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
        self.annotate(diag, sources);
        Ok(())
    }

    fn not_run(&mut self, not_run: &NotRun) -> io::Result<()> {
        if let Some((_, md)) = &mut self.summary {
            md.not_run(not_run)?;
        }
        self.not_run.push(not_run.sentence());
        Ok(())
    }

    fn scenario(&mut self, result: &ScenarioResult, sources: &SourceMap) -> io::Result<()> {
        if let Some((_, md)) = &mut self.summary {
            md.scenario(result, sources)?;
        }
        if let Some(failure) = &result.failure {
            self.annotate(failure, sources);
        }
        Ok(())
    }

    fn decision(&mut self, entry: &DecisionEntry, sources: &SourceMap) -> io::Result<()> {
        if let Some((_, md)) = &mut self.summary {
            md.decision(entry, sources)?;
        }
        if let Some(finding) = &entry.finding {
            self.annotate(finding, sources);
        }
        Ok(())
    }

    fn diff(&mut self, diff: &crate::diff::PolicyDiff) -> io::Result<()> {
        match &mut self.summary {
            Some((_, md)) => md.diff(diff),
            None => Ok(()),
        }
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        // Errors, then warnings, then notices; by relevance, then in the
        // order found.
        let mut order: Vec<usize> = (0..self.annotations.len()).collect();
        order.sort_by_key(|&i| {
            let a = &self.annotations[i];
            (std::cmp::Reverse(a.severity), a.relevance, i)
        });
        let mut shown = [0usize; 3];
        let mut total = [0usize; 3];
        let mut plain = Vec::new();
        for i in order {
            let a = &self.annotations[i];
            let k = match a.severity {
                Severity::Error => 0,
                Severity::Warning => 1,
                Severity::Info => 2,
            };
            total[k] += 1;
            // One notice is kept for the closing line.
            let limit = if k == 2 {
                ANNOTATION_LIMIT - 1
            } else {
                ANNOTATION_LIMIT
            };
            if shown[k] < limit {
                shown[k] += 1;
                writeln!(self.out, "{}", a.command)?;
            } else {
                plain.push(&a.plain);
            }
        }
        if !plain.is_empty() {
            writeln!(
                self.out,
                "ipcheck: {} not annotated (GitHub shows {ANNOTATION_LIMIT} of each kind per step):",
                count(plain.len(), "finding", "findings")
            )?;
            for line in plain {
                writeln!(self.out, "  {line}")?;
            }
        }
        for sentence in &self.not_run {
            writeln!(self.out, "ipcheck: {sentence}")?;
        }
        let mut notice = super::markdown::headline(summary);
        let left: Vec<String> = [
            ("error", "errors"),
            ("warning", "warnings"),
            ("notice", "notices"),
        ]
        .iter()
        .enumerate()
        .filter(|(k, _)| total[*k] > shown[*k])
        .map(|(k, (one, many))| format!("{} of {}", shown[k], count(total[k], one, many)))
        .collect();
        if !left.is_empty() {
            notice.push_str(&format!(
                "; annotated {} (GitHub shows {ANNOTATION_LIMIT} of each kind per step); the log, the job summary and `--format json` have every finding",
                left.join(", ")
            ));
        }
        writeln!(self.out, "::notice title=ipcheck::{}", escape_data(&notice))?;
        if let Some((path, md)) = &mut self.summary {
            // The step's summary file may hold an earlier command's report.
            let existing = std::fs::metadata(&*path).map_or(0, |m| m.len() as usize);
            md.set_budget(Budget::Bytes(
                JOB_SUMMARY_LIMIT.saturating_sub(existing + 2),
            ));
            md.finish(summary)?;
            super::output::append_report(path, md.buffer())?;
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
