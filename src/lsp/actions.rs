//! Code actions: quick fixes for "did you mean" diagnostics and for those
//! whose help suggests a `notwithstanding`.

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Diagnostic, Position, Range, TextEdit, Uri,
    WorkspaceEdit,
};

use super::convert;
use super::diagnostics::Data;
use super::workspace::Analysis;
use crate::span::{FileId, Span};
use crate::syntax::ast::{self, ItemKind};

pub fn actions(
    analysis: &Analysis,
    file: FileId,
    diagnostics: &[Diagnostic],
) -> Vec<CodeActionOrCommand> {
    let Some(uri) = analysis.uri(file).cloned() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for diag in diagnostics {
        let data: Data = diag
            .data
            .clone()
            .and_then(|d| serde_json::from_value(d).ok())
            .unwrap_or_default();
        let label = data.label.as_deref().unwrap_or(&diag.message);
        if let Some(name) = did_you_mean(label) {
            out.push(fix(
                format!("Replace with `{name}`"),
                diag,
                uri.clone(),
                TextEdit::new(diag.range, name.to_string()),
            ));
        }
        let help = data
            .help
            .as_deref()
            .or_else(|| diag.message.split_once("help: ").map(|(_, h)| h));
        if let Some(action) = help.and_then(|h| notwithstanding(analysis, file, diag, h)) {
            out.push(action);
        }
    }
    out
}

fn fix(title: String, diag: &Diagnostic, uri: Uri, edit: TextEdit) -> CodeActionOrCommand {
    CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diag.clone()]),
        edit: Some(WorkspaceEdit::new(HashMap::from([(uri, vec![edit])]))),
        is_preferred: Some(true),
        ..CodeAction::default()
    })
}

/// The name in "did you mean `x`?".
pub fn did_you_mean(text: &str) -> Option<&str> {
    let (_, rest) = text.split_once("did you mean `")?;
    let (name, _) = rest.split_once('`')?;
    (!name.is_empty()).then_some(name)
}

/// The label after `notwithstanding` in a help text.
fn suggested_label(help: &str) -> Option<&str> {
    let (_, rest) = help.split_once("notwithstanding ")?;
    let label = label_at(rest);
    (!label.is_empty()).then_some(label)
}

/// The clause a help text names as the one to change ("to clause 12.3").
fn named_clause(help: &str) -> impl Iterator<Item = &str> {
    help.match_indices("clause ")
        .map(move |(i, m)| label_at(&help[i + m.len()..]))
        .filter(|l| !l.is_empty())
}

fn label_at(text: &str) -> &str {
    let text = text.trim_start_matches('`');
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        .unwrap_or(text.len());
    // A sentence's full stop is not part of the label.
    text[..end].trim_end_matches('.')
}

/// Adds `notwithstanding LABEL` to the clause the help names, else to the
/// clause the diagnostic lies in.
fn notwithstanding(
    analysis: &Analysis,
    file: FileId,
    diag: &Diagnostic,
    help: &str,
) -> Option<CodeActionOrCommand> {
    let target = suggested_label(help)?;
    let clauses: Vec<(FileId, &ast::Clause, Span)> = analysis
        .policy
        .syntax
        .iter()
        .flat_map(|(id, tree)| {
            tree.items.iter().filter_map(move |item| match &item.kind {
                ItemKind::Clause(c) => Some((*id, c, item.span)),
                _ => None,
            })
        })
        .collect();
    let named = named_clause(help)
        .filter(|l| *l != target)
        .find_map(|l| clauses.iter().find(|(_, c, _)| c.label.name == l));
    let at = convert::offset(analysis.source(file)?, diag.range.start);
    let host = named.or_else(|| {
        clauses
            .iter()
            .find(|(f, c, span)| *f == file && span.contains(at) && c.label.name != target)
    })?;
    let (host_file, clause, _) = *host;
    if clause.notwithstanding.iter().any(|n| n.name == target) {
        return None;
    }
    let (after, text) = match clause.notwithstanding.last() {
        Some(last) => (last.span.end, format!(", {target}")),
        None => (
            clause
                .title
                .as_ref()
                .map_or(clause.label.span.end, |t| t.span.end),
            format!(" notwithstanding {target}"),
        ),
    };
    let source = analysis.source(host_file)?;
    let pos: Position = convert::position(source, after as usize);
    Some(fix(
        format!(
            "Add `notwithstanding {target}` to clause {}",
            clause.label.name
        ),
        diag,
        analysis.uri(host_file)?.clone(),
        TextEdit::new(Range::new(pos, pos), text),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_help_texts() {
        assert_eq!(did_you_mean("did you mean `bmw`?"), Some("bmw"));
        assert_eq!(
            did_you_mean("not a built-in verb; did you mean `use`?"),
            Some("use")
        );
        assert_eq!(did_you_mean("no party of this name"), None);
        assert_eq!(
            suggested_label("add `notwithstanding 12.2` to clause 12.3."),
            Some("12.2")
        );
        assert_eq!(suggested_label("write notwithstanding L-1."), Some("L-1"));
        let named: Vec<&str> = named_clause("add `notwithstanding 12.2` to clause 12.3.").collect();
        assert_eq!(named, ["12.3"]);
    }
}
