//! Proposals: one TOML file per proposed deal (a title, optional author,
//! reference and date, and `[[action]]` tables with an optional `expect`),
//! decided against a policy. Each decision that is not a permit, or not the
//! one expected, becomes a finding at its `[[action]]` line, with the
//! clause that decided it as a related place.

use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::action_files::ActionRecord;
use crate::decide::{DecisionRecord, Engine};
use crate::diagnostic::{Code, Diagnostic};
use crate::names::{Model, resolve_action};
use crate::span::{FileId, Location, Span};
use crate::syntax::ast::ActionSyntax;
use crate::terms::Decision;

/// The file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProposalFile {
    title: String,
    author: Option<String>,
    reference: Option<String>,
    #[allow(dead_code)] // validated by `date_value` with its span
    date: Option<toml::Value>,
    #[serde(default)]
    action: Vec<ActionRecord>,
}

/// A parsed proposal.
#[derive(Debug, Clone)]
pub struct Proposal {
    pub file: FileId,
    pub title: String,
    pub author: Option<String>,
    pub reference: Option<String>,
    pub date: Option<jiff::civil::Date>,
    pub actions: Vec<ProposedAction>,
}

/// One `[[action]]` table.
#[derive(Debug, Clone)]
pub struct ProposedAction {
    /// 1-based, in file order.
    pub number: usize,
    pub record: ActionRecord,
    /// The `[[action]]` header line.
    pub header: Span,
    pub expect: Option<Decision>,
}

/// A decided action and the finding it gives rise to.
#[derive(Debug)]
pub struct Decided {
    pub number: usize,
    pub text: String,
    pub location: Location,
    pub expect: Option<Decision>,
    pub record: DecisionRecord,
    pub finding: Option<Diagnostic>,
}

fn span_of<T>(s: &Spanned<T>) -> Span {
    Span::new(s.span().start, s.span().end)
}

fn invalid(file: FileId, span: Span, message: impl Into<String>, help: &str) -> Diagnostic {
    Diagnostic::new(Code::ProposalInvalid, file, span, message)
        .with_label("here")
        .with_help(help.to_string())
}

const HELP: &str = "a proposal has `title`, optional `author`, `reference` and `date`, and `[[action]]` tables with `actor`, `verb`, `asset`, `date`, the optional attributes of an action and an optional `expect`";

/// Parses a proposal file; every problem is a diagnostic in `file`.
pub fn parse(text: &str, file: FileId) -> Result<Proposal, Vec<Diagnostic>> {
    let doc: ProposalFile = toml::from_str(text).map_err(|e| {
        let d = crate::config::toml_error(Code::ProposalInvalid, &e, file);
        vec![d.with_help(HELP)]
    })?;
    // The same text as a spanned tree, for the places of keys and values.
    let tree = DeTable::parse(text)
        .map_err(|e| vec![crate::config::toml_error(Code::ProposalInvalid, &e, file)])?;
    let tree = tree.get_ref();
    let mut diags = Vec::new();
    let date = match tree.get("date") {
        None => None,
        Some(value) => match crate::config::date_value(value) {
            Some(d) => Some(d),
            None => {
                diags.push(invalid(
                    file,
                    span_of(value),
                    "`date` must be a date",
                    "write `date = 2026-06-01`",
                ));
                None
            }
        },
    };
    if doc.action.is_empty() {
        diags.push(invalid(
            file,
            tree.get("title").map_or(Span::default(), span_of),
            format!("proposal `{}` proposes no action", doc.title),
            "add one or more `[[action]]` tables",
        ));
    }
    let tables: Vec<&Spanned<DeValue>> = tree
        .get("action")
        .and_then(|a| a.get_ref().as_array())
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let headers = header_lines(text);
    let mut actions = Vec::new();
    for (i, record) in doc.action.into_iter().enumerate() {
        let table = tables.get(i).and_then(|t| t.get_ref().as_table());
        let header = headers.get(i).copied().unwrap_or_default();
        let expect = match (&record.expect, table.and_then(|t| t.get("expect"))) {
            (None, _) => None,
            (Some(text), at) => match text.as_str() {
                "permit" => Some(Decision::Permit),
                "conditional" => Some(Decision::Conditional),
                "deny" => Some(Decision::Deny),
                other => {
                    diags.push(invalid(
                        file,
                        at.map_or(header, span_of),
                        format!("`{other}` is not a decision"),
                        "write `expect = \"permit\"`, `\"conditional\"` or `\"deny\"`",
                    ));
                    None
                }
            },
        };
        actions.push(ProposedAction {
            number: i + 1,
            record,
            header,
            expect,
        });
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    Ok(Proposal {
        file,
        title: doc.title,
        author: doc.author,
        reference: doc.reference,
        date,
        actions,
    })
}

/// The spans of the `[[action]]` header lines, in order.
fn header_lines(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\r', '\n']);
        let trimmed = body.trim_start();
        let compact: String = trimmed
            .split('#')
            .next()
            .unwrap_or("")
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if compact == "[[action]]" {
            let start = offset + (body.len() - trimmed.len());
            spans.push(Span::new(start, offset + body.trim_end().len()));
        }
        offset += line.len();
    }
    spans
}

/// The action's names placed at their values in the file, for precise
/// diagnostics (the record only knows its table).
fn place_names(syntax: &mut ActionSyntax, table: &DeTable) {
    let at = |key: &str| table.get(key).map(span_of);
    let set = |ident: &mut Option<crate::syntax::ast::Ident>, key: &str| {
        if let (Some(i), Some(span)) = (ident.as_mut(), at(key)) {
            i.span = span;
        }
    };
    set(&mut syntax.actor, "actor");
    set(&mut syntax.verb, "verb");
    set(&mut syntax.asset, "asset");
    set(&mut syntax.to, "to");
    set(&mut syntax.field, "field");
    set(&mut syntax.territory, "territory");
    let items = |key: &str| table.get(key).and_then(|v| v.get_ref().as_array());
    if let (Some(list), Some(items)) = (syntax.consents.as_mut(), items("consents")) {
        for (ident, item) in list.iter_mut().zip(items.iter()) {
            ident.span = span_of(item);
        }
    }
    if let (Some(list), Some(items)) = (syntax.objections.as_mut(), items("objections")) {
        for ((ident, _), item) in list.iter_mut().zip(items.iter()) {
            ident.span = span_of(item);
        }
    }
    let notice = table.get("notice").and_then(|v| v.get_ref().as_table());
    if let (Some(list), Some(notice)) = (syntax.notice.as_mut(), notice) {
        for (party, duration) in list.iter_mut() {
            if let Some((key, value)) = notice
                .iter()
                .find(|(k, _)| k.get_ref().as_ref() == party.name)
            {
                party.span = span_of(key);
                if let crate::syntax::ast::NoticeGiven::Ahead(d) = duration {
                    d.span = span_of(value);
                }
            }
        }
    }
}

/// Decides every action of a proposal. Actions whose names do not resolve
/// give their diagnostics instead.
pub fn decide(
    proposal: &Proposal,
    text: &str,
    model: &Model,
    engine: &Engine,
) -> Vec<Result<Decided, Vec<Diagnostic>>> {
    let tree = DeTable::parse(text).ok();
    let tables: Vec<Option<&DeTable>> = tree
        .as_ref()
        .and_then(|t| t.get_ref().get("action"))
        .and_then(|a| a.get_ref().as_array())
        .map(|a| a.iter().map(|t| t.get_ref().as_table()).collect())
        .unwrap_or_default();
    proposal
        .actions
        .iter()
        .map(|action| {
            let file = proposal.file;
            let mut syntax = action
                .record
                .to_syntax(file, action.header)
                .map_err(|d| vec![d])?;
            if let Some(Some(table)) = tables.get(action.number - 1) {
                place_names(&mut syntax, table);
            }
            let resolved = resolve_action(model, &syntax, file)?;
            let record = engine.decide(&resolved);
            let location = Location {
                file,
                span: action.header,
            };
            let text = action.record.to_text();
            let finding = finding(proposal, action, &text, location, &record);
            Ok(Decided {
                number: action.number,
                text,
                location,
                expect: action.expect,
                record,
                finding,
            })
        })
        .collect()
}

/// The finding for a decision: a deny is an error, a conditional a
/// warning naming what must still hold, and a decision other than the
/// one expected an error.
fn finding(
    proposal: &Proposal,
    action: &ProposedAction,
    text: &str,
    location: Location,
    record: &DecisionRecord,
) -> Option<Diagnostic> {
    let verdict = crate::report::decision::verdict(record);
    let what = format!(
        "action {} of `{}` (`{text}`)",
        action.number, proposal.title
    );
    let diag = match action.expect {
        Some(expected) if expected == record.decision => return None,
        Some(expected) => Diagnostic::new(
            Code::ProposalUnexpectedDecision,
            location.file,
            location.span,
            format!("{what}: expected {}, got {verdict}", expected.as_str()),
        )
        .with_label(format!("got {verdict}")),
        None => match record.decision {
            Decision::Permit => return None,
            Decision::Conditional => Diagnostic::new(
                Code::ProposalConditional,
                location.file,
                location.span,
                format!(
                    "{what} is permitted by clause {} only on the conditions below",
                    record.decided_by.as_deref().unwrap_or("?")
                ),
            )
            .with_label(verdict),
            Decision::Deny => Diagnostic::new(
                Code::ProposalDenied,
                location.file,
                location.span,
                format!("{what} is denied: {}", record.summary),
            )
            .with_label(verdict),
        },
    };
    let reasons = crate::report::decision::text_reasons(record);
    let mut diag = if reasons.is_empty() {
        diag
    } else {
        diag.with_help(reasons.join("\n"))
    };
    if let (Some(l), Some(by)) = (record.decided_by_location, &record.decided_by) {
        diag = diag.with_related(l, format!("{} by {by}", record.decision.as_str()));
    }
    for m in &record.near_misses {
        diag = diag.with_related(m.location, format!("near miss: clause {}", m.label));
    }
    Some(diag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_and_fields_are_placed() {
        let text = "title = \"Deal\"\ndate = 2026-05-01\n\n[[action]]\nactor = \"catl\"\nverb = \"license\"\nasset = \"p\"\ndate = \"2026-06-01\"\nexpect = \"permit\"\n\n  [[ action ]] # second\nactor = \"bmw\"\nverb = \"use\"\nasset = \"p\"\ndate = 2026-06-02\n";
        let p = parse(text, FileId(0)).expect("valid");
        assert_eq!(p.actions.len(), 2);
        assert_eq!(&text[p.actions[0].header.range()], "[[action]]");
        assert_eq!(&text[p.actions[1].header.range()], "[[ action ]] # second");
        assert_eq!(p.actions[0].expect, Some(Decision::Permit));
        assert_eq!(p.actions[1].record.date, "2026-06-02");
        assert_eq!(p.date, jiff::civil::Date::new(2026, 5, 1).ok());
    }

    #[test]
    fn bad_proposals_are_diagnosed() {
        let codes = |text: &str| {
            parse(text, FileId(0))
                .err()
                .unwrap_or_default()
                .iter()
                .map(|d| d.code)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            codes("title = \"x\"\ncolour = 1\n"),
            [Code::ProposalInvalid]
        );
        assert_eq!(codes("title = \"x\"\n"), [Code::ProposalInvalid]);
        assert_eq!(
            codes(
                "title = \"x\"\n[[action]]\nactor = \"a\"\nverb = \"use\"\nasset = \"p\"\ndate = \"2026-01-01\"\nexpect = \"maybe\"\n"
            ),
            [Code::ProposalInvalid]
        );
    }
}
