//! Proposed actions from outside a policy: the action syntax on the command
//! line, and files of actions (JSON array, NDJSON or TOML `[[action]]`),
//! turned into action syntax ready for name resolution.

// A diagnostic is the error of every function here; it is moved once per
// bad record, never on the path of a good one.
#![allow(clippy::result_large_err)]

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::diagnostic::{Code, Diagnostic};
use crate::span::{FileId, Span};
use crate::syntax::ast::{
    ActionSyntax, Duration, DurationUnit, Ident, Money, NoticeGiven, Spanned,
};
use crate::syntax::{parse_date, parse_hundredths};

/// One action as a JSON object or TOML table (LANGUAGE.md §3).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionRecord {
    pub actor: String,
    pub verb: String,
    pub asset: String,
    pub to: Option<String>,
    pub field: Option<String>,
    pub territory: Option<String>,
    #[serde(deserialize_with = "date_text")]
    pub date: String,
    #[serde(default, deserialize_with = "optional_date_text")]
    pub until: Option<String>,
    pub exclusive: Option<bool>,
    pub sublicensable: Option<bool>,
    pub royalty: Option<Royalty>,
    pub notice: Option<BTreeMap<String, String>>,
    pub consents: Option<Vec<String>>,
    #[serde(default)]
    pub consents_pending: Vec<String>,
    pub objections: Option<Objections>,
    #[serde(default)]
    pub objections_pending: Vec<String>,
    /// `{"needed": true, "published": false}`
    pub facts: Option<BTreeMap<String, bool>>,
    /// `{"request": "2028-06-01"}`
    pub events: Option<BTreeMap<String, String>>,
    /// `"250000 EUR"`
    pub income: Option<String>,
    /// Only in proposals: the decision the author expects.
    pub expect: Option<String>,
}

/// Objections: a list of parties, or each party with the day it objected
/// (`null` when not known).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Objections {
    List(Vec<String>),
    Dated(BTreeMap<String, Option<String>>),
}

impl Objections {
    fn entries(&self) -> Vec<(&str, Option<&str>)> {
        match self {
            Objections::List(l) => l.iter().map(|p| (p.as_str(), None)).collect(),
            Objections::Dated(m) => m.iter().map(|(p, d)| (p.as_str(), d.as_deref())).collect(),
        }
    }
}

/// A date as a string, or (in TOML) as a date literal: `2026-06-01`.
#[derive(Deserialize)]
#[serde(untagged)]
enum DateText {
    Text(String),
    Toml(toml::value::Datetime),
}

fn date_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match DateText::deserialize(d)? {
        DateText::Text(t) => t,
        DateText::Toml(dt) => dt.to_string(),
    })
}

fn optional_date_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    date_text(d).map(Some)
}

/// `"3%"` or `3`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Royalty {
    Text(String),
    Number(f64),
}

impl ActionRecord {
    /// The action in the action syntax, on one line, for tables and
    /// headlines.
    pub fn to_text(&self) -> String {
        let r = self;
        let mut parts = vec![r.actor.clone(), r.verb.clone(), r.asset.clone()];
        let optional = [
            ("to", &r.to),
            ("field", &r.field),
            ("territory", &r.territory),
            ("on", &Some(r.date.clone())),
            ("until", &r.until),
        ];
        for (word, value) in optional {
            if let Some(v) = value {
                parts.push(format!("{word} {v}"));
            }
        }
        if let Some(x) = r.exclusive {
            parts.push(if x { "exclusive" } else { "non_exclusive" }.to_string());
        }
        if let Some(s) = r.sublicensable {
            parts.push(
                if s {
                    "sublicensable"
                } else {
                    "non_sublicensable"
                }
                .to_string(),
            );
        }
        match &r.royalty {
            Some(Royalty::Text(t)) => parts.push(format!("royalty {t}")),
            Some(Royalty::Number(n)) => parts.push(format!("royalty {n}%")),
            None => {}
        }
        if let Some(notice) = &r.notice {
            let list: Vec<String> = notice
                .iter()
                .map(|(p, d)| match parse_date(d) {
                    // A day of receipt reads `bmw on 2026-03-01`.
                    Some(_) => format!("{p} on {d}"),
                    None => format!("{p} {d}"),
                })
                .collect();
            parts.push(format!("notice {}", list.join(", ")));
        }
        let pending = |list: &[String]| {
            if list.is_empty() {
                String::new()
            } else {
                format!(" pending {}", list.join(", "))
            }
        };
        if let Some(list) = &r.consents {
            let shown = if list.is_empty() {
                "none".to_string()
            } else {
                list.join(", ")
            };
            parts.push(format!("consent {shown}{}", pending(&r.consents_pending)));
        }
        if let Some(objections) = &r.objections {
            let entries = objections.entries();
            let shown = if entries.is_empty() {
                "none".to_string()
            } else {
                entries
                    .iter()
                    .map(|(p, d)| match d {
                        Some(d) => format!("{p} on {d}"),
                        None => p.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            parts.push(format!(
                "objection {shown}{}",
                pending(&r.objections_pending)
            ));
        }
        if let Some(facts) = &r.facts
            && !facts.is_empty()
        {
            let list: Vec<String> = facts
                .iter()
                .map(|(f, v)| if *v { f.clone() } else { format!("not {f}") })
                .collect();
            parts.push(format!("given {}", list.join(", ")));
        }
        for (event, day) in r.events.iter().flatten() {
            parts.push(format!("{event} on {day}"));
        }
        if let Some(income) = &r.income {
            parts.push(format!("income {income}"));
        }
        parts.join(" ")
    }

    /// The record as action syntax; every name gets `span` (the record's
    /// place in its file), since JSON has no finer positions.
    pub fn to_syntax(&self, file: FileId, span: Span) -> Result<ActionSyntax, Diagnostic> {
        let ident = |name: &str| Ident {
            name: name.to_string(),
            span,
        };
        let bad = |what: &str, value: &str, help: &str| {
            Diagnostic::new(
                Code::BadActionValue,
                file,
                span,
                format!("`{value}` is not a valid {what}"),
            )
            .with_label(format!("invalid {what}"))
            .with_help(help.to_string())
        };
        let date = |text: &str| match parse_date(text) {
            Some(d) if is_date_form(text) => Ok(Spanned {
                value: Some(d),
                span,
            }),
            _ => Err(bad("date", text, "write a calendar date as YYYY-MM-DD")),
        };
        let royalty = match &self.royalty {
            None => None,
            Some(Royalty::Number(n)) if n.is_finite() && *n >= 0.0 && *n <= 100.0 => {
                Some(Spanned {
                    value: (n * 100.0).round() as u32,
                    span,
                })
            }
            Some(Royalty::Text(t)) if is_percent(t) => Some(Spanned {
                value: parse_hundredths(t.trim_end_matches('%')),
                span,
            }),
            Some(other) => {
                let shown = match other {
                    Royalty::Text(t) => t.clone(),
                    Royalty::Number(n) => n.to_string(),
                };
                return Err(bad(
                    "royalty",
                    &shown,
                    "write a percentage between 0% and 100%, e.g. \"3%\"",
                ));
            }
        };
        let notice = match &self.notice {
            None => None,
            Some(map) => Some(
                map.iter()
                    .map(|(party, text)| match parse_duration(text, span) {
                        Some(d) => Ok((ident(party), NoticeGiven::Ahead(d))),
                        None => match date(text) {
                            Ok(d) => Ok((ident(party), NoticeGiven::On(d.value))),
                            Err(_) => Err(bad(
                                "notice",
                                text,
                                "write a duration such as \"45 days\" or the day it was received, \"2026-03-01\"",
                            )),
                        },
                    })
                    .collect::<Result<Vec<_>, _>>()?,
            ),
        };
        Ok(ActionSyntax {
            actor: Some(ident(&self.actor)),
            verb: Some(ident(&self.verb)),
            asset: Some(ident(&self.asset)),
            to: self.to.as_deref().map(ident),
            field: self.field.as_deref().map(ident),
            territory: self.territory.as_deref().map(ident),
            date: Some(date(&self.date)?),
            until: self.until.as_deref().map(date).transpose()?,
            exclusive: self.exclusive.map(|value| Spanned { value, span }),
            sublicensable: self.sublicensable.map(|value| Spanned { value, span }),
            royalty,
            notice,
            consents: self
                .consents
                .as_ref()
                .map(|c| c.iter().map(|n| ident(n)).collect()),
            consents_pending: self.consents_pending.iter().map(|n| ident(n)).collect(),
            objections: match &self.objections {
                None => None,
                Some(o) => Some(
                    o.entries()
                        .into_iter()
                        .map(|(p, d)| Ok((ident(p), d.map(date).transpose()?)))
                        .collect::<Result<Vec<_>, Diagnostic>>()?,
                ),
            },
            objections_pending: self.objections_pending.iter().map(|n| ident(n)).collect(),
            facts: self
                .facts
                .as_ref()
                .map(|f| f.iter().map(|(n, v)| (ident(n), *v)).collect()),
            events: self
                .events
                .iter()
                .flatten()
                .map(|(e, d)| Ok((ident(e), date(d)?)))
                .collect::<Result<Vec<_>, Diagnostic>>()?,
            income: match &self.income {
                None => None,
                Some(text) => Some(Spanned {
                    value: parse_money(text).ok_or_else(|| {
                        bad(
                            "income",
                            text,
                            "write an amount and a currency, e.g. \"250000 EUR\"",
                        )
                    })?,
                    span,
                }),
            },
            span,
        })
    }
}

/// `YYYY-MM-DD` exactly, as the action syntax writes a date: four digits,
/// a dash, two digits, a dash, two digits (not `2026x06y01`, not
/// `-001-01-01`).
fn is_date_form(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
}

/// The checks every action gets, whatever it was written as (`--action`,
/// a JSON, NDJSON or TOML record): a real calendar date from the year 1
/// on, a royalty of at most 100%, an `until` not before `on`. The codes
/// are those of the same checks on a scenario's action. `text` is the
/// action's source text, to quote what was written.
pub fn validate(action: &ActionSyntax, file: FileId, text: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for date in action.date.iter().chain(&action.until) {
        let written = text.get(date.span.range()).filter(|t| t.len() <= 10);
        match date.value {
            None => out.push(crate::check::invalid_date_at(written, file, date.span)),
            Some(d) if d.year() < 1 => out.push(
                Diagnostic::new(
                    Code::InvalidDate,
                    file,
                    date.span,
                    format!(
                        "`{}` is not a calendar date",
                        written.unwrap_or("0000-01-01")
                    ),
                )
                .with_label("there is no year 0000")
                .with_help("years run from 0001: write the date as YYYY-MM-DD"),
            ),
            Some(_) => {}
        }
    }
    if let Some(royalty) = &action.royalty
        && royalty.value > 10_000
    {
        let written = text
            .get(royalty.span.range())
            .filter(|t| t.len() <= 40)
            .map_or_else(
                || crate::syntax::ast::percent_text(royalty.value),
                str::to_string,
            );
        out.push(
            Diagnostic::new(
                Code::PercentOutOfRange,
                file,
                royalty.span,
                format!("`{written}` is over 100%"),
            )
            .with_label("a royalty is at most 100%")
            .with_help("write a percentage from 0% to 100%"),
        );
    }
    if out.is_empty() {
        out.extend(crate::check::action_until_before_on(action, file));
    }
    out
}

fn is_percent(text: &str) -> bool {
    let Some(number) = text.strip_suffix('%') else {
        return false;
    };
    let (whole, frac) = number.split_once('.').unwrap_or((number, "0"));
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && !frac.is_empty()
        && frac.bytes().all(|b| b.is_ascii_digit())
        && parse_hundredths(number) <= 10_000
}

/// `"250000 EUR"`, `"99.50 USD"`.
pub fn parse_money(text: &str) -> Option<Money> {
    let mut words = text.split_whitespace();
    let amount = words.next()?;
    let currency = words.next()?;
    let (whole, frac) = amount.split_once('.').unwrap_or((amount, "0"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let valid = digits(whole)
        && digits(frac)
        && currency.len() == 3
        && currency.bytes().all(|b| b.is_ascii_uppercase())
        && words.next().is_none();
    valid.then(|| Money {
        cents: crate::syntax::parse_cents(amount),
        currency: currency.to_string(),
    })
}

/// `"45 days"`, `"10 working days"`, `"2 weeks"`, `"6 months"`, `"1 year"`.
pub fn parse_duration(text: &str, span: Span) -> Option<Duration> {
    let mut words = text.split_whitespace().peekable();
    let count: u32 = words.next()?.parse().ok()?;
    let kind = match words.peek() {
        Some(&"working") | Some(&"calendar") => words.next(),
        _ => None,
    };
    let unit = match (kind, words.next()?) {
        (Some("working"), "day" | "days") => DurationUnit::WorkingDays,
        (Some(_), "day" | "days") => DurationUnit::CalendarDays,
        (Some(_), _) => return None,
        (None, "day" | "days") => DurationUnit::Days,
        (None, "week" | "weeks") => DurationUnit::Weeks,
        (None, "month" | "months") => DurationUnit::Months,
        (None, "year" | "years") => DurationUnit::Years,
        _ => return None,
    };
    words
        .next()
        .is_none()
        .then_some(Duration { count, unit, span })
}

/// The layout of a file of actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionFileKind {
    JsonArray,
    Ndjson,
    Toml,
}

/// Guesses the layout from the extension and the first character.
pub fn detect_kind(path: &std::path::Path, text_start: &str) -> ActionFileKind {
    if path.extension().is_some_and(|e| e == "toml") {
        return ActionFileKind::Toml;
    }
    match text_start
        .trim_start_matches('\u{FEFF}')
        .trim_start()
        .chars()
        .next()
    {
        Some('[') if !text_start.trim_start().starts_with("[[") => ActionFileKind::JsonArray,
        Some('{') => ActionFileKind::Ndjson,
        _ => ActionFileKind::Toml,
    }
}

/// A TOML file of `[[action]]` tables.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TomlActions {
    #[serde(default)]
    pub action: Vec<ActionRecord>,
    // A proposal file (docs/cli.md) is a file of actions too: its
    // description is accepted and not used here.
    #[allow(dead_code)]
    title: Option<String>,
    #[allow(dead_code)]
    author: Option<String>,
    #[allow(dead_code)]
    reference: Option<String>,
    #[allow(dead_code)]
    date: Option<toml::Value>,
}

/// Parses every action of a JSON array or TOML file held in memory; each
/// result carries the byte span of its record.
pub fn parse_whole(
    kind: ActionFileKind,
    text: &str,
    file: FileId,
) -> Result<Vec<(ActionRecord, Span)>, Diagnostic> {
    match kind {
        ActionFileKind::JsonArray => {
            let records: Vec<serde_json::Value> =
                serde_json::from_str(text).map_err(|e| json_error(&e, text, file))?;
            let spans = json_array_spans(text);
            records
                .into_iter()
                .enumerate()
                .map(|(i, value)| {
                    let span = spans.get(i).copied().unwrap_or_default();
                    serde_json::from_value(value)
                        .map(|r| (r, span))
                        .map_err(|e| record_error(&e.to_string(), file, span))
                })
                .collect()
        }
        ActionFileKind::Toml => {
            let doc: TomlActions = toml::from_str(text).map_err(|e| {
                let span = e
                    .span()
                    .map_or(Span::default(), |r| Span::new(r.start, r.end));
                record_error(e.message(), file, span)
            })?;
            let spans = toml_table_spans(text);
            Ok(doc
                .action
                .into_iter()
                .enumerate()
                .map(|(i, r)| (r, spans.get(i).copied().unwrap_or_default()))
                .collect())
        }
        ActionFileKind::Ndjson => text
            .split_inclusive('\n')
            .scan(0usize, |offset, line| {
                let start = *offset;
                *offset += line.len();
                Some((start, line))
            })
            .filter(|(_, line)| !line.trim().is_empty())
            .map(|(start, line)| parse_ndjson_line(line, start, file))
            .collect(),
    }
}

/// One NDJSON line starting at byte `start`.
pub fn parse_ndjson_line(
    line: &str,
    start: usize,
    file: FileId,
) -> Result<(ActionRecord, Span), Diagnostic> {
    let trimmed = line.trim_end_matches(['\r', '\n']);
    let span = Span::new(start, start + trimmed.len());
    serde_json::from_str::<ActionRecord>(trimmed)
        .map(|r| (r, span))
        .map_err(|e| record_error(&e.to_string(), file, span))
}

fn record_error(message: &str, file: FileId, span: Span) -> Diagnostic {
    Diagnostic::new(Code::BadActionRecord, file, span, format!("invalid action: {message}"))
        .with_label("this action")
        .with_help("an action has `actor`, `verb`, `asset` and `date`, and optionally `to`, `field`, `territory`, `until`, `exclusive`, `sublicensable`, `royalty`, `notice`, `consents`, `objections`")
}

fn json_error(e: &serde_json::Error, text: &str, file: FileId) -> Diagnostic {
    let offset = line_col_offset(text, e.line(), e.column());
    record_error(&e.to_string(), file, Span::new(offset, offset))
}

fn line_col_offset(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (start + column.saturating_sub(1)).min(text.len())
}

/// The byte spans of the top-level objects of a JSON array.
fn json_array_spans(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let (mut depth, mut start, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for (i, b) in text.bytes().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' => {
                if depth == 1 {
                    start = i;
                }
                depth += 1;
            }
            b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if depth == 1 && b == b'}' {
                    spans.push(Span::new(start, i + 1));
                }
            }
            _ => {}
        }
    }
    spans
}

/// The byte spans of each `[[action]]` table: from its header to the next.
fn toml_table_spans(text: &str) -> Vec<Span> {
    let mut starts = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with("[[action]]") {
            starts.push(offset + (line.len() - line.trim_start().len()));
        }
        offset += line.len();
    }
    starts
        .iter()
        .enumerate()
        .map(|(i, &s)| {
            let end = starts.get(i + 1).copied().unwrap_or(text.len());
            Span::new(s, s + text[s..end].trim_end().len())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_toml_and_ndjson_give_the_same_action() {
        let json = r#"[{"actor":"catl","verb":"license","asset":"p","to":"acme","date":"2026-06-01","royalty":"3%","notice":{"bmw":"60 days"},"consents":["bmw"]}]"#;
        let toml = "[[action]]\nactor = \"catl\"\nverb = \"license\"\nasset = \"p\"\nto = \"acme\"\ndate = \"2026-06-01\"\nroyalty = 3\nnotice = { bmw = \"60 days\" }\nconsents = [\"bmw\"]\n";
        let ndjson = format!("{}\n", &json[1..json.len() - 1]);
        let a = parse_whole(ActionFileKind::JsonArray, json, FileId(0)).unwrap();
        let b = parse_whole(ActionFileKind::Toml, toml, FileId(0)).unwrap();
        let c = parse_whole(ActionFileKind::Ndjson, &ndjson, FileId(0)).unwrap();
        let syntax = |r: &(ActionRecord, Span)| {
            let mut s = r.0.to_syntax(FileId(0), Span::default()).unwrap();
            s.span = Span::default();
            format!("{s:?}")
        };
        assert_eq!(syntax(&a[0]), syntax(&b[0]));
        assert_eq!(syntax(&a[0]), syntax(&c[0]));
        assert_eq!(a[0].1, Span::new(1, json.len() - 1));
    }

    #[test]
    fn bad_values_are_errors() {
        let bad_date = r#"{"actor":"a","verb":"use","asset":"x","date":"2026-02-30"}"#;
        let (record, span) = parse_ndjson_line(bad_date, 0, FileId(0)).unwrap();
        assert_eq!(
            record.to_syntax(FileId(0), span).unwrap_err().code,
            Code::BadActionValue
        );
        let unknown_key =
            r#"{"actor":"a","verb":"use","asset":"x","date":"2026-02-01","colour":"red"}"#;
        assert!(parse_ndjson_line(unknown_key, 0, FileId(0)).is_err());
        let bad_royalty =
            r#"{"actor":"a","verb":"use","asset":"x","date":"2026-02-01","royalty":"150%"}"#;
        let (record, span) = parse_ndjson_line(bad_royalty, 0, FileId(0)).unwrap();
        assert!(record.to_syntax(FileId(0), span).is_err());
    }
}
