//! Rename: every occurrence of a declared name (party, group, asset, tag,
//! tree node, fact, event, instrument, clause or grant label) across the
//! files of the policy, from the same walk as find-references.

use std::collections::HashMap;

use lsp_types::{PrepareRenameResponse, TextEdit, Uri, WorkspaceEdit};

use super::convert;
use super::hover::word_at;
use super::keywords;
use super::workspace::Analysis;
use crate::names::Model;
use crate::span::FileId;
use crate::syntax::refs::{self, Occurrence, SymKind};

/// The range of the name under the cursor, or why it cannot be renamed.
pub fn prepare(
    analysis: &Analysis,
    file: FileId,
    offset: usize,
) -> Result<PrepareRenameResponse, String> {
    let occ = target(analysis, file, offset)?;
    let source = analysis
        .source(file)
        .ok_or_else(|| "this document is not part of the policy".to_string())?;
    Ok(PrepareRenameResponse::RangeWithPlaceholder {
        range: convert::range(source, occ.span),
        placeholder: occ.name.clone(),
    })
}

/// The edits renaming the name under the cursor to `new_name` everywhere.
pub fn rename(
    analysis: &Analysis,
    file: FileId,
    offset: usize,
    new_name: &str,
) -> Result<WorkspaceEdit, String> {
    let occ = target(analysis, file, offset)?;
    let new_name = new_name.trim();
    check_new_name(analysis.model(), occ, new_name)?;
    // `Uri` caches its parse inside, which clippy reads as a mutable key;
    // `lsp_types::WorkspaceEdit` needs this map all the same.
    #[allow(clippy::mutable_key_type)]
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    if new_name != occ.name {
        for o in analysis
            .occurrences
            .iter()
            .filter(|o| o.kind == occ.kind && o.name == occ.name)
        {
            if let Some(location) = analysis.location(o.file, o.span) {
                changes
                    .entry(location.uri)
                    .or_default()
                    .push(TextEdit::new(location.range, new_name.to_string()));
            }
        }
    }
    Ok(WorkspaceEdit {
        changes: Some(changes),
        ..WorkspaceEdit::default()
    })
}

/// The declared name under the cursor.
fn target(analysis: &Analysis, file: FileId, offset: usize) -> Result<&Occurrence, String> {
    let Some(occ) = refs::at(&analysis.occurrences, file, offset) else {
        let word = analysis
            .source(file)
            .and_then(|s| word_at(&s.text, offset).and_then(|span| s.text.get(span.range())));
        return Err(match word {
            Some(w) if keywords::doc(w).is_some() => {
                format!("`{w}` is a keyword of IPL; only declared names can be renamed")
            }
            _ => "there is no declared name here to rename".to_string(),
        });
    };
    let declared = analysis
        .occurrences
        .iter()
        .any(|o| o.decl && o.kind == occ.kind && o.name == occ.name);
    if !declared {
        return Err(match occ.kind {
            SymKind::Verb => format!("`{}` is a built-in verb and cannot be renamed", occ.name),
            _ => format!(
                "`{}` is not declared in this policy, so there is nothing to rename",
                occ.name
            ),
        });
    }
    Ok(occ)
}

fn check_new_name(model: &Model, occ: &Occurrence, new: &str) -> Result<(), String> {
    let label = occ.kind == SymKind::Label;
    let valid = if label {
        new.starts_with(|c: char| c.is_ascii_alphanumeric())
            && new
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._()-".contains(c))
    } else {
        new.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && new.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    if !valid {
        return Err(if label {
            format!("`{new}` is not a label (letters, digits, `.`, `-`, `(` and `)`)")
        } else {
            format!("`{new}` is not a name (a letter or `_`, then letters, digits or `_`)")
        });
    }
    if new == occ.name {
        return Ok(());
    }
    if !label && keywords::doc(new).is_some() {
        return Err(format!("`{new}` is a reserved word of IPL"));
    }
    let taken = match occ.kind {
        SymKind::Name => model.names.contains_key(new).then_some("a party or group"),
        SymKind::Asset => model.asset_ids.contains_key(new).then_some("an asset"),
        SymKind::Field => model.fields.get(new).is_some().then_some("a field"),
        SymKind::Territory => model
            .territories
            .get(new)
            .is_some()
            .then_some("a territory"),
        SymKind::Verb => model.verbs.get(new).is_some().then_some("a verb"),
        SymKind::Label => model
            .labels
            .contains_key(new)
            .then_some("a clause or grant"),
        SymKind::Tag => model
            .assets
            .iter()
            .any(|a| a.tags.iter().any(|t| t == new))
            .then_some("a tag"),
        // A fact and an event of one name would read alike in a condition.
        SymKind::Fact | SymKind::Event => {
            if model.fact_ids.contains_key(new) {
                Some("a fact")
            } else if model.event_ids.contains_key(new) {
                Some("an event")
            } else {
                None
            }
        }
        SymKind::Instrument => model
            .instrument_ids
            .contains_key(new)
            .then_some("an instrument"),
    };
    match taken {
        Some(what) => Err(format!("`{new}` is already {what} of this policy")),
        None => Ok(()),
    }
}
