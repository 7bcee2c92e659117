//! Code actions: each diagnostic's `Fix`, as a quick fix. Nothing here
//! reads the help text: the analysis that reported the diagnostic says
//! what to change.

use std::collections::HashMap;

use lsp_types::{CodeAction, CodeActionKind, CodeActionOrCommand, TextEdit, Uri, WorkspaceEdit};

use super::convert;
use super::workspace::Analysis;
use crate::diagnostic::{Diagnostic, Fix};
use crate::span::FileId;

/// The quick fixes for the diagnostics a client sends back: each is found
/// in the analysis by code and range, and its fix converted.
pub fn actions(
    analysis: &Analysis,
    file: FileId,
    diagnostics: &[lsp_types::Diagnostic],
) -> Vec<CodeActionOrCommand> {
    let Some(source) = analysis.source(file) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for sent in diagnostics {
        let code = match &sent.code {
            Some(lsp_types::NumberOrString::String(code)) => code.as_str(),
            _ => continue,
        };
        let ours = analysis.policy.diagnostics.iter().find(|d: &&Diagnostic| {
            d.location.file == file
                && d.code.as_str() == code
                && convert::range(source, d.location.span) == sent.range
        });
        if let Some(action) = ours
            .and_then(|d| d.fix.as_ref())
            .and_then(|fix| action(analysis, fix, sent))
        {
            out.push(action);
        }
    }
    out
}

/// One fix as a code action; `None` when an edit lies in a file the
/// analysis does not hold.
fn action(
    analysis: &Analysis,
    fix: &Fix,
    diagnostic: &lsp_types::Diagnostic,
) -> Option<CodeActionOrCommand> {
    // `Uri` caches its parse; its hash and equality are those of the text.
    #[allow(clippy::mutable_key_type)]
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for edit in &fix.edits {
        let file = edit.location.file;
        let range = convert::range(analysis.source(file)?, edit.location.span);
        changes
            .entry(analysis.uri(file)?.clone())
            .or_default()
            .push(TextEdit::new(range, edit.replacement.clone()));
    }
    Some(CodeActionOrCommand::CodeAction(CodeAction {
        title: fix.title.clone(),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic.clone()]),
        edit: Some(WorkspaceEdit::new(changes)),
        is_preferred: Some(true),
        ..CodeAction::default()
    }))
}
