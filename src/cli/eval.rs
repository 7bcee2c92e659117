//! `ipcheck eval`: decides actions (from the command line or a file)
//! against one policy.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{CliError, Outcome, ReportOptions};
use crate::action_files::{self, ActionFileKind};
use crate::decide::{DecisionRecord, Engine};
use crate::diagnostic::{Code, Diagnostic};
use crate::names::resolve_action;
use crate::policy::{self, Policy};
use crate::report::human::{self, Style};
use crate::report::{Command, DecisionEntry, FailOn, Format, Reporter};
use crate::source::{LoadError, SourceMap};
use crate::span::{FileId, Location};
use crate::syntax::ast::ActionSyntax;
use crate::terms::Decision;

/// What `ipcheck eval` decides and how it reports.
#[derive(Debug, Clone, Default)]
pub struct EvalOptions {
    /// Actions in the action syntax, from `--action`.
    pub actions: Vec<String>,
    /// A file of actions, from `--actions`.
    pub actions_file: Option<PathBuf>,
    pub explain: bool,
    /// Count `conditional` as denied: the same as `--fail-on warning`.
    pub strict: bool,
}

/// Loads exactly one policy; errors in it stop the command (exit 2).
fn load_one(path: &Path, style: Style, err: &mut dyn Write) -> Result<Policy, CliError> {
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
            writeln!(err, "{}", human::render(d, &policy.sources, style))?;
        }
        return Err(CliError::Usage(format!(
            "the policy `{}` has errors; fix them first (ipcheck lint)",
            crate::source::display(path)
        )));
    }
    Ok(policy)
}

/// The finding an evaluated action gives rise to: a deny is an error, a
/// conditional a warning.
fn finding(record: &DecisionRecord, location: Location, action: &str) -> Option<Diagnostic> {
    let verdict = crate::report::decision::verdict(record);
    let diag = match record.decision {
        Decision::Permit => return None,
        Decision::Conditional => Diagnostic::new(
            Code::EvalConditional,
            location.file,
            location.span,
            format!(
                "`{action}` is permitted by clause {} only on conditions",
                record.decided_by.as_deref().unwrap_or("?")
            ),
        ),
        Decision::Deny => Diagnostic::new(
            Code::EvalDenied,
            location.file,
            location.span,
            format!("`{action}` is denied: {}", record.summary),
        ),
    };
    let reasons = crate::report::decision::text_reasons(record);
    let diag = if reasons.is_empty() {
        diag.with_label(verdict)
    } else {
        diag.with_label(verdict).with_help(reasons.join("\n"))
    };
    Some(match (record.decided_by_location, &record.decided_by) {
        (Some(l), Some(by)) => {
            diag.with_related(l, format!("{} by {by}", record.decision.as_str()))
        }
        _ => diag,
    })
}

/// One action to decide: its source, where it comes from, its text when
/// it was a record (the command line's is taken as written), its syntax.
struct Input {
    id: FileId,
    origin: String,
    text: Option<String>,
    syntax: Result<ActionSyntax, Vec<Diagnostic>>,
}

/// Decides one parsed action and reports it; an action that does not
/// resolve is reported as diagnostics and makes the run incomplete.
struct Decider<'p, 'e> {
    policy: &'p Policy,
    engine: Engine<'p>,
    /// Where human output puts what cannot be decided.
    human_errors: Option<(&'e mut dyn Write, Style)>,
}

impl Decider<'_, '_> {
    fn run(
        &mut self,
        Input {
            id,
            origin,
            text,
            syntax,
        }: Input,
        sources: &SourceMap,
        reporter: &mut Reporter,
    ) -> std::io::Result<()> {
        let source_text = sources.get(id).map(|f| f.text.clone()).unwrap_or_default();
        let resolved = syntax
            .and_then(|s| {
                // One validation for every form an action comes in.
                let invalid = action_files::validate(&s, id, &source_text);
                if invalid.is_empty() {
                    Ok(s)
                } else {
                    Err(invalid)
                }
            })
            .and_then(|s| resolve_action(&self.policy.model, &s, id).map(|a| (a, s.span)))
            .map_err(|diags| {
                if diags.is_empty() {
                    // Never an error without a word of why.
                    vec![
                        Diagnostic::new(
                            Code::Internal,
                            id,
                            crate::span::Span::new(0, source_text.len()),
                            "this action could not be decided, and no check said why",
                        )
                        .with_label("this action")
                        .with_help("please report it with the action and the policy"),
                    ]
                } else {
                    diags
                }
            });
        match resolved {
            Ok((action, span)) => {
                let record = self.engine.decide(&action);
                let location = first_line(sources, Location { file: id, span });
                let text = text.unwrap_or_else(|| action_text(sources, location));
                let entry = DecisionEntry {
                    origin,
                    proposal: None,
                    finding: finding(&record, location, &text),
                    action: text,
                    location: Some(location),
                    record: &record,
                    expect: None,
                };
                reporter.decision(&entry, sources)
            }
            // Like any error that stops a command, an action that cannot
            // be decided goes to standard error in human output.
            Err(diags) => match &mut self.human_errors {
                Some((err, style)) => {
                    reporter.could_not_run();
                    diags
                        .iter()
                        .try_for_each(|d| writeln!(err, "{}", human::render(d, sources, *style)))
                }
                None => reporter.invalid_action(&diags, sources),
            },
        }
    }
}

/// Decides actions against a policy.
pub fn eval(
    policy_path: &Path,
    options: &EvalOptions,
    report: &ReportOptions,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, CliError> {
    if options.actions.is_empty() && options.actions_file.is_none() {
        return Err(CliError::Usage(
            "give at least one `--action` or an `--actions` file".into(),
        ));
    }
    let mut policy = load_one(policy_path, report.style, err)?;
    // Command-line actions and whole files become sources of their own,
    // for snippets; they are parsed before any output.
    let mut inputs: Vec<Input> = Vec::new();
    for (i, text) in options.actions.iter().enumerate() {
        let name = format!("<action {}>", i + 1);
        let id = policy
            .sources
            .add(name.clone(), PathBuf::new(), text.as_str());
        inputs.push(Input {
            id,
            origin: name,
            text: None,
            syntax: crate::syntax::parse_action(text, id),
        });
    }
    let mut ndjson = None;
    if let Some(path) = &options.actions_file {
        // Only the first bytes tell the layout: an NDJSON file is streamed
        // and never held whole.
        let head = read_head(path)?;
        let kind = action_files::detect_kind(path, &head);
        if kind == ActionFileKind::Ndjson {
            ndjson = Some(path);
        } else {
            let bytes = crate::source::read_file(path)?;
            let name = crate::source::display(path);
            let (id, bad_utf8) = policy.sources.add_bytes(name.clone(), path.clone(), bytes);
            if let Some(d) = bad_utf8 {
                return Err(CliError::Usage(d.message));
            }
            let text = policy
                .sources
                .get(id)
                .map(|f| f.text.clone())
                .unwrap_or_default();
            match action_files::parse_whole(kind, &text, id) {
                Ok(records) => inputs.extend(records.into_iter().map(|(r, span)| Input {
                    id,
                    origin: name.clone(),
                    text: Some(r.to_text()),
                    syntax: r.to_syntax(id, span).map_err(|d| vec![d]),
                })),
                Err(d) => inputs.push(Input {
                    id,
                    origin: name.clone(),
                    text: None,
                    syntax: Err(vec![d]),
                }),
            }
        }
    }
    let fail_on = match (options.strict, report.fail_on) {
        (true, _) => FailOn::Warning,
        (false, given) => given.unwrap_or_default(),
    };
    let mut reporter = report.reporter(Command::Eval, options.explain, fail_on, out);
    let sources = policy.sources.clone();
    let mut decider = Decider {
        policy: &policy,
        engine: Engine::new(&policy.model),
        human_errors: (report.format == Format::Human).then_some((err, report.style)),
    };
    for input in inputs {
        decider.run(input, &sources, &mut reporter)?;
    }
    if let Some(path) = ndjson {
        stream_ndjson(path, &mut decider, &mut reporter)?;
    }
    Ok(reporter.finish()?)
}

/// Decides an NDJSON file line by line: one line in memory at a time, each
/// its own small source numbered from its line in the file.
fn stream_ndjson(
    path: &Path,
    decider: &mut Decider,
    reporter: &mut Reporter,
) -> Result<(), CliError> {
    use std::io::BufRead;
    let shown = crate::source::display(path);
    let io_error = |source| LoadError::Io {
        path: shown.clone(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io_error)?;
    let mut reader = std::io::BufReader::new(file);
    let mut bytes = Vec::new();
    let mut number = 0u32;
    // The policy's files and, after them, the current line: a decision
    // points into the policy, the action's diagnostics into its line.
    let mut sources = decider.policy.sources.clone();
    let policy_files = sources.files.len();
    loop {
        bytes.clear();
        if reader.read_until(b'\n', &mut bytes).map_err(io_error)? == 0 {
            break;
        }
        number += 1;
        // A byte order mark starts the file, not its first record.
        let body = if number == 1 {
            bytes.strip_prefix("\u{FEFF}".as_bytes()).unwrap_or(&bytes)
        } else {
            &bytes[..]
        };
        let body = body.strip_suffix(b"\n").unwrap_or(body);
        let body = body.strip_suffix(b"\r").unwrap_or(body);
        if body.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        sources.files.truncate(policy_files);
        let (line, bad_utf8) = match std::str::from_utf8(body) {
            Ok(line) => (line.to_string(), None),
            Err(e) => (
                String::from_utf8_lossy(body).into_owned(),
                Some(e.valid_up_to()),
            ),
        };
        let id = sources.add_at_line(shown.clone(), path.to_path_buf(), line, number - 1);
        let origin = format!("{shown}:{number}");
        let Some(text) = sources.get(id).map(|f| f.text.clone()) else {
            continue;
        };
        if let Some(at) = bad_utf8 {
            let diag = Diagnostic::new(
                Code::InvalidUtf8,
                id,
                crate::span::Span::new(at, at + 1),
                format!(
                    "line {number} of `{shown}` is not valid UTF-8: invalid byte at column {}",
                    at + 1
                ),
            )
            .with_label("invalid UTF-8 here")
            .with_help("save the file as UTF-8; the other lines are decided");
            let input = Input {
                id,
                origin,
                text: None,
                syntax: Err(vec![diag]),
            };
            decider.run(input, &sources, reporter)?;
            continue;
        }
        let parsed = action_files::parse_ndjson_line(&text, 0, id);
        let input = Input {
            id,
            origin,
            text: parsed.as_ref().ok().map(|(r, _)| r.to_text()),
            syntax: match parsed {
                Ok((record, span)) => record.to_syntax(id, span).map_err(|d| vec![d]),
                Err(d) => Err(vec![d]),
            },
        };
        decider.run(input, &sources, reporter)?;
    }
    Ok(())
}

/// The first bytes of a file, enough to tell its layout.
fn read_head(path: &Path) -> Result<String, CliError> {
    use std::io::Read;
    let shown = crate::source::display(path);
    let io_error = |source| LoadError::Io {
        path: shown.clone(),
        source,
    };
    let mut head = Vec::with_capacity(64);
    std::fs::File::open(path)
        .map_err(io_error)?
        .take(64)
        .read_to_end(&mut head)
        .map_err(io_error)?;
    Ok(String::from_utf8_lossy(&head).into_owned())
}

/// The first line of a location: the `[[action]]` header of a TOML table,
/// the opening line of a JSON object.
fn first_line(sources: &SourceMap, location: Location) -> Location {
    let Some(file) = sources.get(location.file) else {
        return location;
    };
    let start = location.span.start as usize;
    let end = location.span.end as usize;
    let line_end = file
        .text
        .get(start..end)
        .and_then(|t| t.find('\n'))
        .map_or(end, |i| start + i);
    let line = file.text.get(start..line_end).unwrap_or("").trim_end();
    Location {
        file: location.file,
        span: crate::span::Span::new(start, start + line.len()),
    }
}

/// The action as written, on one line.
fn action_text(sources: &SourceMap, location: Location) -> String {
    let text = sources
        .get(location.file)
        .map(|f| f.text.clone())
        .unwrap_or_default();
    let raw = text.get(location.span.range()).unwrap_or("");
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}
