//! JUnit XML, as GitLab, Jenkins and Azure Pipelines read it: one
//! `<testsuite>` per policy (and one for the configuration when it has
//! findings); in each, a test case for the policy's diagnostics and lints,
//! one per scenario and one per proposed action. A case fails when its
//! finding is at or above the fail level; the failure names the decision
//! and the deciding clause with its place. The scenarios and proposals of
//! a policy that was not run are skipped cases.
//!
//! Only the elements and attributes of the Jenkins JUnit schema are used
//! (no `file`/`line` attributes, which some readers reject): places are in
//! the failure text.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::json::Region;
use super::paths::Paths;
use super::{DecisionEntry, EmitOptions, Emitter, NotRun, ScenarioResult, Summary, count};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceMap;

/// How a test case ended.
enum Status {
    Passed,
    /// `<failure>`: message, type (the code), text.
    Failed(String, String, String),
    /// `<skipped>`: message.
    Skipped(String),
}

struct Case {
    classname: String,
    name: String,
    status: Status,
    /// Notes that do not fail the case (findings below the fail level).
    output: String,
    /// The severity of a decision's finding: below the fail level, the
    /// case passes with the finding as its output.
    finding: Option<Severity>,
}

struct Suite {
    name: String,
    cases: Vec<Case>,
    diagnostics: Vec<(Severity, String)>,
}

impl Suite {
    fn new(name: &str) -> Suite {
        Suite {
            name: name.to_string(),
            cases: Vec::new(),
            diagnostics: Vec::new(),
        }
    }
}

pub struct JunitEmitter<'w> {
    command: super::Command,
    out: &'w mut dyn Write,
    paths: Paths,
    suites: Vec<Suite>,
    /// Findings of no policy (the configuration, the walk).
    outside: Suite,
    /// `(suite, proposal title)` → actions seen, to number them.
    numbers: std::collections::HashMap<(usize, String), usize>,
}

impl<'w> JunitEmitter<'w> {
    pub fn new(options: &EmitOptions, out: &'w mut dyn Write) -> JunitEmitter<'w> {
        JunitEmitter {
            command: options.command,
            out,
            paths: options.paths.clone(),
            suites: Vec::new(),
            outside: Suite::new("ipcheck"),
            numbers: std::collections::HashMap::new(),
        }
    }

    fn suite(&mut self) -> &mut Suite {
        match self.suites.last_mut() {
            Some(s) => s,
            None => &mut self.outside,
        }
    }

    /// A finding as text: `file:line:col: severity[code]: message`, with
    /// its help and related places.
    fn text(&self, diag: &Diagnostic, sources: &SourceMap) -> String {
        let mut text = format!(
            "{}{}[{}]: {}",
            self.place(diag.location, sources),
            diag.severity.as_str(),
            diag.code,
            diag.message
        );
        if let Some(help) = &diag.help {
            let _ = write!(text, "\nhelp: {help}");
        }
        for r in &diag.related {
            let _ = write!(text, "\n{}{}", self.place(r.location, sources), r.message);
        }
        text
    }

    fn place(&self, location: crate::span::Location, sources: &SourceMap) -> String {
        if !super::is_real_file(location, sources) {
            return String::new();
        }
        let r = Region::of(location, sources);
        let file = sources
            .get(location.file)
            .map_or(r.file.clone(), |f| self.paths.name(f));
        format!("{file}:{}:{}: ", r.line, r.column)
    }
}

/// Escapes text for XML content and attribute values; characters XML 1.0
/// cannot hold are replaced.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// An attribute value: as content, with line breaks kept as references.
fn attr(text: &str) -> String {
    xml(text).replace('\n', "&#10;").replace('\r', "&#13;")
}

impl Emitter for JunitEmitter<'_> {
    fn policy(&mut self, name: &str, _sources: &SourceMap) -> io::Result<()> {
        self.suites.push(Suite::new(name));
        Ok(())
    }

    fn diagnostic(&mut self, diag: &Diagnostic, sources: &SourceMap) -> io::Result<()> {
        let text = self.text(diag, sources);
        self.suite().diagnostics.push((diag.severity, text));
        Ok(())
    }

    fn scenario(&mut self, result: &ScenarioResult, sources: &SourceMap) -> io::Result<()> {
        let status = match &result.failure {
            None => Status::Passed,
            Some(f) => Status::Failed(
                format!(
                    "expected {}, got {}",
                    result.expected(),
                    super::decision::verdict(result.record)
                ),
                f.code.to_string(),
                self.text(f, sources),
            ),
        };
        let suite = self.suite();
        let classname = format!("{}.scenarios", suite.name);
        suite.cases.push(Case {
            classname,
            name: result.title.to_string(),
            status,
            output: String::new(),
            finding: None,
        });
        Ok(())
    }

    fn decision(&mut self, entry: &DecisionEntry, sources: &SourceMap) -> io::Result<()> {
        let index = self.suites.len();
        let n = self
            .numbers
            .entry((index, entry.origin.clone()))
            .or_insert(0);
        *n += 1;
        let number = *n;
        let record = entry.record;
        let verdict = super::decision::verdict(record);
        let deciding = match (&record.decided_by, record.decided_by_location) {
            (Some(by), Some(l)) => format!("decided by {by} at {}", self.place(l, sources)),
            (Some(by), None) => format!("decided by {by}"),
            (None, _) => "no clause permits it (default deny)".to_string(),
        };
        let deciding = deciding.trim_end_matches([' ', ':']).to_string();
        let mut output = format!("{verdict}; {deciding}");
        if let Some(p) = entry.proposal {
            let byline = p.byline();
            if !byline.is_empty() {
                let _ = write!(output, "\nproposal: {} ({byline})", p.title);
            }
        }
        let status = match &entry.finding {
            // Decided at the end, against the fail level.
            Some(f) => Status::Failed(
                format!("{verdict}; {deciding}"),
                f.code.to_string(),
                self.text(f, sources),
            ),
            None => Status::Passed,
        };
        let finding = entry.finding.as_ref().map(|f| f.severity);
        let suite = self.suite();
        let classname = format!("{}.proposals", suite.name);
        suite.cases.push(Case {
            classname,
            name: format!("{} #{number}: {}", entry.origin, entry.action),
            status,
            output,
            finding,
        });
        Ok(())
    }

    fn not_run(&mut self, not_run: &NotRun) -> io::Result<()> {
        let message = format!("not run: the policy has {}", not_run.reason);
        let suite = self.suite();
        for title in &not_run.scenarios {
            suite.cases.push(Case {
                classname: format!("{}.scenarios", suite.name),
                name: title.clone(),
                status: Status::Skipped(message.clone()),
                output: String::new(),
                finding: None,
            });
        }
        for file in &not_run.proposals {
            suite.cases.push(Case {
                classname: format!("{}.proposals", suite.name),
                name: format!("proposal {file}"),
                status: Status::Skipped(message.clone()),
                output: String::new(),
                finding: None,
            });
        }
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        let threshold = if summary.fail_on == "warning" {
            Severity::Warning
        } else {
            Severity::Error
        };
        let mut suites = Vec::new();
        if !self.outside.diagnostics.is_empty() || !self.outside.cases.is_empty() {
            suites.push(std::mem::replace(&mut self.outside, Suite::new("ipcheck")));
        }
        suites.append(&mut self.suites);
        let mut doc = String::new();
        let mut totals = (0usize, 0usize, 0usize);
        let mut body = String::new();
        for mut suite in suites {
            // The suite's diagnostics and lints as one case first.
            let failing: Vec<&(Severity, String)> = suite
                .diagnostics
                .iter()
                .filter(|(s, _)| *s >= threshold)
                .collect();
            let all: Vec<String> = suite.diagnostics.iter().map(|(_, t)| t.clone()).collect();
            let errors = suite
                .diagnostics
                .iter()
                .filter(|(s, _)| *s == Severity::Error)
                .count();
            let warnings = suite
                .diagnostics
                .iter()
                .filter(|(s, _)| *s == Severity::Warning)
                .count();
            let status = if failing.is_empty() {
                Status::Passed
            } else {
                Status::Failed(
                    format!(
                        "{}, {}",
                        count(errors, "error", "errors"),
                        count(warnings, "warning", "warnings")
                    ),
                    "ipcheck".to_string(),
                    all.join("\n\n"),
                )
            };
            let output = if failing.is_empty() {
                all.join("\n\n")
            } else {
                String::new()
            };
            suite.cases.insert(
                0,
                Case {
                    classname: suite.name.clone(),
                    name: if self.command == super::Command::Check {
                        "diagnostics and lints".to_string()
                    } else {
                        "diagnostics".to_string()
                    },
                    status,
                    output,
                    finding: None,
                },
            );
            let mut failures = 0;
            let mut skipped = 0;
            let mut cases = String::new();
            for case in &mut suite.cases {
                // A decision's finding below the fail level passes.
                if case.finding.is_some_and(|s| s < threshold)
                    && let Status::Failed(_, _, detail) = &case.status
                {
                    case.output = format!("{}\n{detail}", case.output);
                    case.status = Status::Passed;
                }
                let _ = write!(
                    cases,
                    "    <testcase name=\"{}\" classname=\"{}\" time=\"0\"",
                    attr(&case.name),
                    attr(&case.classname)
                );
                let out = if case.output.is_empty() {
                    String::new()
                } else {
                    format!("      <system-out>{}</system-out>\n", xml(&case.output))
                };
                match &case.status {
                    Status::Passed if out.is_empty() => cases.push_str("/>\n"),
                    Status::Passed => {
                        let _ = write!(cases, ">\n{out}    </testcase>\n");
                    }
                    Status::Failed(message, kind, text) => {
                        failures += 1;
                        let _ = write!(
                            cases,
                            ">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n{out}    </testcase>\n",
                            attr(message),
                            attr(kind),
                            xml(text)
                        );
                    }
                    Status::Skipped(message) => {
                        skipped += 1;
                        let _ = write!(
                            cases,
                            ">\n      <skipped message=\"{}\"/>\n{out}    </testcase>\n",
                            attr(message)
                        );
                    }
                }
            }
            totals.0 += suite.cases.len();
            totals.1 += failures;
            totals.2 += skipped;
            let _ = write!(
                body,
                "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\" time=\"0\">\n{cases}  </testsuite>\n",
                attr(&suite.name),
                suite.cases.len()
            );
        }
        // A run that could not finish is an error of the whole report.
        let errors = usize::from(summary.could_not_run);
        let _ = write!(
            doc,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"ipcheck {}\" tests=\"{}\" failures=\"{}\" errors=\"{errors}\" time=\"0\">\n{body}</testsuites>\n",
            self.command.as_str(),
            totals.0,
            totals.1,
        );
        self.out.write_all(doc.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escaping() {
        assert_eq!(
            xml("a<b & \"c\" 'd'>"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;"
        );
        assert_eq!(xml("bell\u{7}"), "bell\u{FFFD}");
        assert_eq!(attr("two\nlines"), "two&#10;lines");
    }
}
