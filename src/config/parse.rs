//! Reading `ipcheck.toml`: every key and value validated, with a span into
//! the file and a did-you-mean for unknown keys and codes.

use jiff::civil::Date;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::*;
use crate::diagnostic::{Code, Diagnostic, Family};
use crate::names::did_you_mean;
use crate::report::FailOn;
use crate::span::{FileId, Location, Span};

pub(super) fn span_of<T>(spanned: &Spanned<T>) -> Span {
    let r = spanned.span();
    Span::new(r.start, r.end)
}

pub(super) fn config_error(
    code: Code,
    file: FileId,
    span: Span,
    message: impl Into<String>,
    label: &str,
    help: impl Into<String>,
) -> Diagnostic {
    Diagnostic::new(code, file, span, message)
        .with_label(label)
        .with_help(help)
}

/// A TOML syntax error as a diagnostic.
pub fn toml_error(code: Code, err: &toml::de::Error, file: FileId) -> Diagnostic {
    let span = err
        .span()
        .map_or(Span::default(), |r| Span::new(r.start, r.end));
    let message = err.message().trim().to_string();
    let first = message.lines().next().unwrap_or("invalid TOML").to_string();
    Diagnostic::new(code, file, span, format!("invalid TOML: {first}"))
        .with_label("here")
        .with_help("see https://toml.io for the syntax")
}

pub(super) const TOP_KEYS: [&str; 5] = ["today", "fail_on", "policy", "lints", "diff"];
pub(super) const POLICY_KEYS: [&str; 2] = ["path", "proposals"];

/// Parses and validates the text of a configuration file; problems go to
/// `diags`, and what is valid is kept.
pub fn parse(text: &str, file: FileId, diags: &mut Vec<Diagnostic>) -> Config {
    let mut config = Config::default();
    let (doc, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        diags.extend(
            errors
                .iter()
                .map(|e| toml_error(Code::ConfigSyntax, e, file)),
        );
        return config;
    }
    for (key, value) in doc.get_ref() {
        let at = |s: &Spanned<DeValue>| Location {
            file,
            span: span_of(s),
        };
        match key.get_ref().as_ref() {
            "today" => match date_value(value) {
                Some(date) => config.today = Some(date),
                None => diags.push(bad_value(
                    file,
                    span_of(value),
                    "`today` must be a date",
                    "write a date such as `today = 2026-06-01`",
                )),
            },
            "fail_on" => match value.get_ref().as_str() {
                Some("error") => config.fail_on = Some(FailOn::Error),
                Some("warning") => config.fail_on = Some(FailOn::Warning),
                _ => diags.push(bad_value(
                    file,
                    span_of(value),
                    "`fail_on` must be \"error\" or \"warning\"",
                    "write `fail_on = \"error\"` (the default) or `fail_on = \"warning\"`",
                )),
            },
            "policy" => {
                let tables = value
                    .get_ref()
                    .as_array()
                    .filter(|a| a.iter().all(|t| t.get_ref().is_table()));
                let Some(tables) = tables else {
                    diags.push(bad_value(
                        file,
                        span_of(value),
                        "`policy` must be a list of tables",
                        "write one `[[policy]]` table per policy, with `path = \"…\"`",
                    ));
                    continue;
                };
                for table in tables.iter() {
                    if let Some(entry) = policy_entry(table, at(table), file, diags) {
                        config.policies.push(entry);
                    }
                }
            }
            "lints" => match value.get_ref().as_table() {
                Some(table) => lint_levels(table, file, &mut config.levels, diags),
                None => diags.push(bad_value(
                    file,
                    span_of(value),
                    "`lints` must be a table",
                    "write a `[lints]` table of `\"code or family\" = \"error\" | \"warning\" | \"off\"`",
                )),
            },
            "diff" => match value.get_ref().as_table() {
                Some(table) => diff_levels(table, file, &mut config.levels, diags),
                None => diags.push(bad_value(
                    file,
                    span_of(value),
                    "`diff` must be a table",
                    "write a `[diff]` table of `KIND = \"error\" | \"warning\" | \"info\" | \"off\"`, KIND one of widened, narrowed, reattributed, obligations, uncovered",
                )),
            },
            other => diags.push(unknown_key(file, key, other, &TOP_KEYS)),
        }
    }
    config
}

/// The `[diff]` table: a level per kind of change in effect, stored as the
/// level of its code `ipl::diff::KIND` (docs/cli.md, `check --base`).
pub(super) fn diff_levels(
    table: &DeTable,
    file: FileId,
    levels: &mut Levels,
    diags: &mut Vec<Diagnostic>,
) {
    for (key, value) in table {
        let name = key.get_ref().as_ref();
        let Some(code) = crate::diff::codes::of_kind_name(name) else {
            diags.push(unknown_key(
                file,
                key,
                name,
                &crate::diff::codes::KIND_NAMES,
            ));
            continue;
        };
        let level = match value.get_ref().as_str() {
            Some("error") => Level::Error,
            Some("warning") => Level::Warning,
            Some("info") => Level::Info,
            Some("off") => Level::Off,
            _ => {
                diags.push(bad_value(
                    file,
                    span_of(value),
                    "a change level must be \"error\", \"warning\", \"info\" or \"off\"",
                    "write e.g. `widened = \"error\"` to fail the check when a change widens rights",
                ));
                continue;
            }
        };
        levels.set(code.as_str(), level);
    }
}

pub(super) fn bad_value(file: FileId, span: Span, message: &str, help: &str) -> Diagnostic {
    config_error(
        Code::ConfigBadValue,
        file,
        span,
        message,
        "invalid value",
        help,
    )
}

pub(super) fn unknown_key(
    file: FileId,
    key: &Spanned<std::borrow::Cow<str>>,
    name: &str,
    known: &[&str],
) -> Diagnostic {
    let list = known
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let (label, help) = match did_you_mean(name, known.iter().copied()) {
        Some(s) => (
            format!("did you mean `{s}`?"),
            format!("write `{s}`; the keys here are {list}"),
        ),
        None => (
            "unknown key".to_string(),
            format!("the keys here are {list}"),
        ),
    };
    config_error(
        Code::ConfigUnknownKey,
        file,
        span_of(key),
        format!("unknown key `{name}`"),
        &label,
        help,
    )
}

/// A TOML local date, or a string `YYYY-MM-DD`.
pub fn date_value(value: &Spanned<DeValue>) -> Option<Date> {
    match value.get_ref() {
        DeValue::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => {
            let d = dt.date?;
            Date::new(d.year as i16, d.month as i8, d.day as i8).ok()
        }
        DeValue::String(s) if s.len() == 10 => crate::syntax::parse_date(s),
        _ => None,
    }
}

pub(super) fn policy_entry(
    table: &Spanned<DeValue>,
    location: Location,
    file: FileId,
    diags: &mut Vec<Diagnostic>,
) -> Option<PolicyEntry> {
    let fields = table.get_ref().as_table()?;
    let pattern = |v: &Spanned<DeValue>| {
        v.get_ref().as_str().map(|s| Pattern {
            text: s.to_string(),
            location: Location {
                file,
                span: span_of(v),
            },
        })
    };
    let mut path = None;
    let mut proposals = Vec::new();
    for (key, value) in fields {
        match key.get_ref().as_ref() {
            "path" => match pattern(value) {
                Some(p) if !p.text.trim().is_empty() => path = Some(p),
                _ => diags.push(bad_value(
                    file,
                    span_of(value),
                    "`path` must be a non-empty string",
                    "write a policy directory, a `.ipl` file or a glob, relative to the directory of ipcheck.toml",
                )),
            },
            "proposals" => {
                let items: Vec<&Spanned<DeValue>> = match value.get_ref() {
                    DeValue::Array(a) => a.iter().collect(),
                    _ => vec![value],
                };
                for item in items {
                    match pattern(item) {
                        Some(p) if !p.text.trim().is_empty() => proposals.push(p),
                        _ => diags.push(bad_value(
                            file,
                            span_of(item),
                            "`proposals` must be a list of globs",
                            "write `proposals = [\"proposals/*.toml\"]`, relative to the directory of ipcheck.toml",
                        )),
                    }
                }
            }
            other => diags.push(unknown_key(file, key, other, &POLICY_KEYS)),
        }
    }
    match path {
        Some(path) => Some(PolicyEntry { path, proposals }),
        None => {
            diags.push(config_error(
                Code::ConfigBadValue,
                file,
                location.span,
                "a `[[policy]]` table needs a `path`",
                "no `path`",
                "add `path = \"…\"`: a policy directory, a `.ipl` file or a glob",
            ));
            None
        }
    }
}

pub(super) fn lint_levels(
    table: &DeTable,
    file: FileId,
    levels: &mut Levels,
    diags: &mut Vec<Diagnostic>,
) {
    for (key, value) in table {
        let name = key.get_ref().as_ref();
        let known = Code::parse(name).is_some() || Family::ALL.iter().any(|f| f.prefix() == name);
        if !known {
            let candidates = Code::ALL
                .iter()
                .map(|c| c.as_str())
                .chain(Family::ALL.iter().map(|f| f.prefix()));
            let (label, help) = match did_you_mean(name, candidates) {
                Some(s) => (
                    format!("did you mean `{s}`?"),
                    format!("write `{s}`; `ipcheck explain CODE` documents each code"),
                ),
                None => (
                    "no such code or family".to_string(),
                    "name a code such as `ipl::proposal::conditional`, or a family such as `ipl::proposal`".to_string(),
                ),
            };
            diags.push(config_error(
                Code::ConfigUnknownCode,
                file,
                span_of(key),
                format!("unknown diagnostic code or family `{name}`"),
                &label,
                help,
            ));
            continue;
        }
        if is_fixed(name) {
            diags.push(config_error(
                Code::ConfigFixedLevel,
                file,
                span_of(key),
                format!("`{name}` is an error of the language and cannot be re-levelled"),
                "its level is fixed",
                "only lints and proposal findings take a level; fix the policy instead",
            ));
            continue;
        }
        let level = match value.get_ref().as_str() {
            Some("error") => Level::Error,
            Some("warning") => Level::Warning,
            Some("off") => Level::Off,
            _ => {
                diags.push(bad_value(
                    file,
                    span_of(value),
                    "a level must be \"error\", \"warning\" or \"off\"",
                    "write `\"error\"`, `\"warning\"` or `\"off\"`",
                ));
                continue;
            }
        };
        levels.set(name, level);
    }
}
