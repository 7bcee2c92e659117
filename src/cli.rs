//! The commands behind the CLI, writing to any output so that tests can
//! call them; `main.rs` only parses arguments and maps outcomes to exit codes.

use std::io::Write;
use std::path::PathBuf;

use crate::diagnostic::Diagnostic;
use crate::lint::{self, LintOptions};
use crate::policy::{self, Policy};
use crate::report::human::{self, Style};
use crate::report::json::{DiagnosticRecord, SCHEMA_VERSION};
use crate::source::LoadError;
use crate::span::FileId;

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
    let options = LintOptions {
        today: jiff::ZonedDateTime::now().date(),
    };
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

/// What `ipcheck eval` decides and how it reports.
#[derive(Debug, Clone, Default)]
pub struct EvalOptions {
    /// Actions in the action syntax, from `--action`.
    pub actions: Vec<String>,
    /// A file of actions, from `--actions`.
    pub actions_file: Option<PathBuf>,
    pub json: bool,
    pub explain: bool,
    /// Count `conditional` as denied.
    pub strict: bool,
}

/// Loads exactly one policy; errors in it stop the command (exit 2).
fn load_one(path: &std::path::Path, style: Style, err: &mut dyn Write) -> Result<Policy, CliError> {
    let mut policies = policy::load_path(path)?;
    if policies.len() != 1 {
        return Err(CliError::Usage(format!(
            "`{}` holds {} policies; name one policy directory or file",
            crate::source::display(path),
            policies.len()
        )));
    }
    let policy = policies.remove(0);
    if policy.has_errors() {
        for d in policy.diagnostics.iter().filter(|d| d.is_error()) {
            write!(err, "{}\n", human::render(d, &policy.sources, style))?;
        }
        return Err(CliError::Usage(format!(
            "the policy `{}` has errors; fix them first (ipcheck lint)",
            crate::source::display(path)
        )));
    }
    Ok(policy)
}

/// Tallies decisions into the exit code.
#[derive(Default)]
struct Tally {
    denied: bool,
    invalid: bool,
}

impl Tally {
    fn outcome(&self) -> Outcome {
        if self.invalid {
            Outcome::CouldNotRun
        } else if self.denied {
            Outcome::Findings
        } else {
            Outcome::Clean
        }
    }
}

/// `ipcheck eval`: decides actions against a policy.
pub fn eval(
    policy_path: &std::path::Path,
    options: &EvalOptions,
    style: Style,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, CliError> {
    use crate::actions::{self, ActionFileKind};
    use crate::decide::Engine;
    use crate::names::resolve_action;

    let mut policy = load_one(policy_path, style, err)?;
    if options.actions.is_empty() && options.actions_file.is_none() {
        return Err(CliError::Usage(
            "give at least one `--action` or an `--actions` file".into(),
        ));
    }
    let mut tally = Tally::default();
    // Command-line actions become sources of their own, for error snippets.
    let mut inputs: Vec<(
        FileId,
        Result<crate::syntax::ast::ActionSyntax, Vec<Diagnostic>>,
    )> = Vec::new();
    for (i, text) in options.actions.iter().enumerate() {
        let id = policy
            .sources
            .add(format!("<action {}>", i + 1), PathBuf::new(), text.as_str());
        inputs.push((id, crate::syntax::parse_action(text, id)));
    }
    let mut kind = None;
    if let Some(path) = &options.actions_file {
        let bytes = crate::source::read_file(path)?;
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(64)]).into_owned();
        let detected = actions::detect_kind(path, &head);
        kind = Some(detected);
        if detected != ActionFileKind::Ndjson {
            let (id, bad_utf8) =
                policy
                    .sources
                    .add_bytes(crate::source::display(path), path.clone(), bytes);
            if let Some(d) = bad_utf8 {
                return Err(CliError::Usage(d.message));
            }
            let text = policy
                .sources
                .get(id)
                .map(|f| f.text.clone())
                .unwrap_or_default();
            match actions::parse_whole(detected, &text, id) {
                Ok(records) => inputs.extend(
                    records
                        .into_iter()
                        .map(|(r, span)| (id, r.to_syntax(id, span).map_err(|d| vec![d]))),
                ),
                Err(d) => inputs.push((id, Err(vec![d]))),
            }
        }
    }
    let engine = Engine::new(&policy.model);
    let mut report = |id: FileId,
                      syntax: Result<crate::syntax::ast::ActionSyntax, Vec<Diagnostic>>,
                      text: String,
                      out: &mut dyn Write,
                      err: &mut dyn Write,
                      sources: &crate::source::SourceMap|
     -> Result<(), CliError> {
        let resolved =
            syntax.and_then(|s| resolve_action(&policy.model, &s, id).map(|a| (a, s.span)));
        match resolved {
            Ok((action, span)) => {
                let record = engine.decide(&action);
                let denied = record.decision == crate::syntax::ast::Decision::Deny
                    || (options.strict
                        && record.decision == crate::syntax::ast::Decision::Conditional);
                tally.denied |= denied;
                if options.json {
                    let mut value = serde_json::to_value(&record).unwrap_or_default();
                    if let (Some(map), Some(location)) =
                        (value.as_object_mut(), record.decided_by_location)
                    {
                        let region = crate::report::json::Region::of(location, sources);
                        map.insert(
                            "decided_by_location".into(),
                            serde_json::to_value(region).unwrap_or_default(),
                        );
                    }
                    writeln!(out, "{}", serde_json::to_string(&value).unwrap_or_default())?;
                } else {
                    let location = crate::span::Location { file: id, span };
                    let text = action_text(&text, sources, location);
                    write!(
                        out,
                        "{}\n",
                        crate::report::decision::render(
                            &record,
                            &text,
                            Some(location),
                            sources,
                            style,
                            options.explain
                        )
                    )?;
                }
            }
            Err(diags) => {
                tally.invalid = true;
                if options.json {
                    let records: Vec<DiagnosticRecord> = diags
                        .iter()
                        .map(|d| DiagnosticRecord::of(d, sources))
                        .collect();
                    writeln!(out, "{}", serde_json::json!({ "error": records }))?;
                } else {
                    for d in &diags {
                        write!(err, "{}\n", human::render(d, sources, style))?;
                    }
                }
            }
        }
        Ok(())
    };
    let sources = policy.sources.clone();
    for (id, syntax) in inputs {
        report(id, syntax, String::new(), out, err, &sources)?;
    }
    if let (Some(ActionFileKind::Ndjson), Some(path)) = (kind, &options.actions_file) {
        // NDJSON streams: one line in memory at a time.
        use std::io::BufRead;
        let file = std::fs::File::open(path).map_err(|source| LoadError::Io {
            path: crate::source::display(path),
            source,
        })?;
        let mut reader = std::io::BufReader::new(file);
        let mut line = String::new();
        let mut number = 0usize;
        let mut one_line = crate::source::SourceMap::default();
        loop {
            line.clear();
            let read = reader
                .read_line(&mut line)
                .map_err(|source| LoadError::Io {
                    path: crate::source::display(path),
                    source,
                })?;
            if read == 0 {
                break;
            }
            number += 1;
            if line.trim().is_empty() {
                continue;
            }
            // Each line is its own small source, named by its line number.
            one_line.files.clear();
            let id = one_line.add(
                format!("{}:{number}", crate::source::display(path)),
                path.clone(),
                line.trim_end().to_string(),
            );
            let syntax = actions::parse_ndjson_line(&line, 0, id)
                .and_then(|(r, span)| r.to_syntax(id, span))
                .map_err(|d| vec![d]);
            report(id, syntax, String::new(), out, err, &one_line)?;
        }
    }
    Ok(tally.outcome())
}

/// The action as written, for the headline.
fn action_text(
    given: &str,
    sources: &crate::source::SourceMap,
    location: crate::span::Location,
) -> String {
    if !given.is_empty() {
        return given.to_string();
    }
    let text = sources
        .get(location.file)
        .map(|f| f.text.clone())
        .unwrap_or_default();
    let raw = text.get(location.span.range()).unwrap_or("");
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `ipcheck test`: runs every scenario of every policy.
pub fn test(
    paths: &[PathBuf],
    json: bool,
    style: Style,
    out: &mut dyn Write,
) -> Result<Outcome, CliError> {
    use crate::decide::Engine;
    let policies = load_all(paths)?;
    let (mut passed, mut failed) = (0usize, 0usize);
    let mut results = Vec::new();
    let mut broken = false;
    for policy in &policies {
        if policy.has_errors() {
            broken = true;
            if !json {
                for d in policy.diagnostics.iter().filter(|d| d.is_error()) {
                    write!(out, "{}\n", human::render(d, &policy.sources, style))?;
                }
            }
            failed += policy.model.scenarios.len();
            continue;
        }
        let engine = Engine::new(&policy.model);
        for scenario in &policy.model.scenarios {
            let Some(action) = &scenario.action else {
                failed += 1;
                continue;
            };
            let record = engine.decide(action);
            let ok = record.decision == scenario.expect
                && scenario
                    .expect_by
                    .as_ref()
                    .is_none_or(|by| record.decided_by.as_ref() == Some(by));
            if ok {
                passed += 1;
            } else {
                failed += 1;
            }
            let region = crate::report::json::Region::of(scenario.location, &policy.sources);
            if json {
                results.push(serde_json::json!({
                    "scenario": scenario.title,
                    "file": region.file,
                    "line": region.line,
                    "passed": ok,
                    "expected": scenario.expect.as_str(),
                    "expected_by": scenario.expect_by,
                    "decision": record.decision.as_str(),
                    "decided_by": record.decided_by,
                }));
            } else if ok {
                writeln!(
                    out,
                    "✓ {} ({})",
                    scenario.title,
                    crate::report::decision::verdict(&record)
                )?;
            } else {
                let expected = match &scenario.expect_by {
                    Some(by) => format!("{} by {by}", scenario.expect.as_str()),
                    None => scenario.expect.as_str().to_string(),
                };
                let failure = Diagnostic::error(
                    "ipl::test::scenario_failed",
                    scenario.expect_location.file,
                    scenario.expect_location.span,
                    format!("scenario `{}`: expected {expected}, got {}", scenario.title, crate::report::decision::verdict(&record)),
                )
                .with_label(format!("got {}", crate::report::decision::verdict(&record)))
                .with_help(format!("{}; run `ipcheck eval` with `--explain` on this action for every clause consulted", record.summary));
                let failure = match record.decided_by_location {
                    Some(l) => failure.with_related(
                        l,
                        format!(
                            "decided by {}",
                            record.decided_by.clone().unwrap_or_default()
                        ),
                    ),
                    None => failure,
                };
                write!(
                    out,
                    "✗ {}\n{}\n",
                    scenario.title,
                    human::render(&failure, &policy.sources, style)
                )?;
            }
        }
    }
    if json {
        let doc = serde_json::json!({ "version": SCHEMA_VERSION, "scenarios": results, "passed": passed, "failed": failed });
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&doc).unwrap_or_default()
        )?;
    } else {
        writeln!(out, "{passed} passed, {failed} failed")?;
    }
    Ok(if failed > 0 || broken {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}
