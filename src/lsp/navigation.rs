//! Go to definition, find references and document highlights, over every
//! file of the policy.

use lsp_types::{DocumentHighlight, DocumentHighlightKind, GotoDefinitionResponse, Location};

use super::convert;
use super::workspace::Analysis;
use crate::span::FileId;
use crate::syntax::refs::{self, Occurrence};

/// Every occurrence of the name under the cursor (same namespace).
fn same<'a>(
    analysis: &'a Analysis,
    target: &'a Occurrence,
) -> impl Iterator<Item = &'a Occurrence> {
    analysis
        .occurrences
        .iter()
        .filter(move |o| o.kind == target.kind && o.name == target.name)
}

pub fn definition(
    analysis: &Analysis,
    file: FileId,
    offset: usize,
) -> Option<GotoDefinitionResponse> {
    let target = refs::at(&analysis.occurrences, file, offset)?;
    let mut found: Vec<Location> = same(analysis, target)
        .filter(|o| o.decl)
        .filter_map(|o| analysis.location(o.file, o.span))
        .collect();
    match found.len() {
        0 => None,
        1 => found.pop().map(GotoDefinitionResponse::Scalar),
        _ => Some(GotoDefinitionResponse::Array(found)),
    }
}

pub fn references(
    analysis: &Analysis,
    file: FileId,
    offset: usize,
    include_declaration: bool,
) -> Vec<Location> {
    let Some(target) = refs::at(&analysis.occurrences, file, offset) else {
        return Vec::new();
    };
    same(analysis, target)
        .filter(|o| include_declaration || !o.decl)
        .filter_map(|o| analysis.location(o.file, o.span))
        .collect()
}

pub fn highlights(analysis: &Analysis, file: FileId, offset: usize) -> Vec<DocumentHighlight> {
    let (Some(target), Some(source)) = (
        refs::at(&analysis.occurrences, file, offset),
        analysis.source(file),
    ) else {
        return Vec::new();
    };
    same(analysis, target)
        .filter(|o| o.file == file)
        .map(|o| DocumentHighlight {
            range: convert::range(source, o.span),
            kind: Some(if o.decl {
                DocumentHighlightKind::WRITE
            } else {
                DocumentHighlightKind::READ
            }),
        })
        .collect()
}
