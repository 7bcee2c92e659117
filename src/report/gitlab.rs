//! GitLab Code Quality: a JSON array of issues for the merge-request
//! widget (`artifacts: reports: codequality:`). Each finding is an issue
//! with `description`, `check_name` (the code), `fingerprint` (unique, and
//! stable when lines move: the SARIF fingerprint with its occurrence),
//! `severity` (`info`, `minor`, `major`, `critical`) and `location` (the
//! path relative to the repository root, and the lines). A policy that
//! was not run is a `blocker` at its first file.

use std::collections::HashMap;
use std::io::{self, Write};

use serde::Serialize;

use super::json::Region;
use super::paths::Paths;
use super::{DecisionEntry, EmitOptions, Emitter, NotRun, ScenarioResult, Summary};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceMap;

#[derive(Serialize)]
struct Issue {
    #[serde(rename = "type")]
    kind: &'static str,
    description: String,
    check_name: String,
    fingerprint: String,
    severity: &'static str,
    location: IssueLocation,
}

#[derive(Serialize)]
struct IssueLocation {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
    end: u32,
}

pub struct GitlabEmitter<'w> {
    out: &'w mut dyn Write,
    paths: Paths,
    issues: Vec<Issue>,
    seen: HashMap<String, usize>,
    /// The first file of the current policy, for a policy not run.
    policy_file: Option<String>,
}

impl<'w> GitlabEmitter<'w> {
    pub fn new(options: &EmitOptions, out: &'w mut dyn Write) -> GitlabEmitter<'w> {
        GitlabEmitter {
            out,
            paths: options.paths.clone(),
            issues: Vec::new(),
            seen: HashMap::new(),
            policy_file: None,
        }
    }

    fn fingerprint(&mut self, base: String) -> String {
        let n = self.seen.entry(base.clone()).or_insert(0);
        *n += 1;
        format!("{base}:{n}")
    }

    fn add(&mut self, diag: &Diagnostic, sources: &SourceMap) {
        let (path, lines) = if super::is_real_file(diag.location, sources) {
            let r = Region::of(diag.location, sources);
            let path = sources
                .get(diag.location.file)
                .map_or(r.file.clone(), |f| self.paths.name(f));
            (
                path,
                Lines {
                    begin: r.line,
                    end: r.end_line.max(r.line),
                },
            )
        } else {
            // An action given on the command line: no file of its own.
            (
                self.policy_file.clone().unwrap_or_default(),
                Lines { begin: 1, end: 1 },
            )
        };
        let mut description = diag.message.clone();
        if let Some(help) = &diag.help {
            description.push_str(&format!(" (help: {})", help.replace('\n', "; ")));
        }
        let base = super::sarif::fingerprint(diag.code, diag.location, sources);
        let fingerprint = self.fingerprint(base);
        self.issues.push(Issue {
            kind: "issue",
            description,
            check_name: diag.code.to_string(),
            fingerprint,
            severity: match diag.severity {
                Severity::Error if super::relevance(diag.code) <= 3 => "critical",
                Severity::Error => "major",
                Severity::Warning => "minor",
                Severity::Info => "info",
            },
            location: IssueLocation { path, lines },
        });
    }
}

impl Emitter for GitlabEmitter<'_> {
    fn policy(&mut self, _name: &str, sources: &SourceMap) -> io::Result<()> {
        self.policy_file = sources.files.first().map(|f| self.paths.name(f));
        Ok(())
    }

    fn diagnostic(&mut self, diag: &Diagnostic, sources: &SourceMap) -> io::Result<()> {
        self.add(diag, sources);
        Ok(())
    }

    fn scenario(&mut self, result: &ScenarioResult, sources: &SourceMap) -> io::Result<()> {
        if let Some(failure) = &result.failure {
            self.add(failure, sources);
        }
        Ok(())
    }

    fn decision(&mut self, entry: &DecisionEntry, sources: &SourceMap) -> io::Result<()> {
        if let Some(finding) = &entry.finding {
            self.add(finding, sources);
        }
        Ok(())
    }

    fn not_run(&mut self, not_run: &NotRun) -> io::Result<()> {
        let path = self.policy_file.clone().unwrap_or_default();
        let fingerprint = self.fingerprint(format!("not-run:{}", not_run.policy));
        self.issues.push(Issue {
            kind: "issue",
            description: not_run.sentence(),
            check_name: "ipcheck::not_run".to_string(),
            fingerprint,
            severity: "blocker",
            location: IssueLocation {
                path,
                lines: Lines { begin: 1, end: 1 },
            },
        });
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        let text = serde_json::to_string_pretty(&self.issues).map_err(io::Error::other)?;
        writeln!(self.out, "{text}")
    }
}
