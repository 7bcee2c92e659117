//! Folding ranges: every item over more than one line, and every run of
//! two or more comment lines (`///` doc comments, `//` comments).
//!
//! Items come from the file's chunks (`split_items`), the same cut the
//! parser makes, so an item being typed (not parsed yet) folds too; its
//! range ends at its last line that is not blank or a comment.

use lsp_types::{FoldingRange, FoldingRangeKind};

use super::workspace::Analysis;
use crate::span::FileId;
use crate::syntax::split::split_items;

pub fn folding_ranges(analysis: &Analysis, file: FileId) -> Vec<FoldingRange> {
    let Some(source) = analysis.source(file) else {
        return Vec::new();
    };
    let text: &str = &source.text;
    let lines = &source.lines;
    let mut out = Vec::new();
    for chunk in split_items(text) {
        let body = &text[chunk.start..chunk.end];
        // The item starts at its first line that is not blank or comment
        // (the first chunk also holds the file's leading comments).
        let mut start = None;
        let mut end = None;
        let mut offset = chunk.start;
        for line in body.split_inclusive('\n') {
            let trimmed = line.trim();
            if !trimmed.is_empty() && !trimmed.starts_with("//") {
                start.get_or_insert(offset);
                end = Some(offset);
            }
            offset += line.len();
        }
        if let (Some(start), Some(end)) = (start, end) {
            let (first, last) = (lines.line_of(start), lines.line_of(end));
            if last > first {
                out.push(range(first, last, None));
            }
        }
    }
    // Runs of comment lines, doc comments apart from plain ones.
    let mut run: Option<(usize, usize, bool)> = None;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let kind = if trimmed.starts_with("///") {
            Some(true)
        } else if trimmed.starts_with("//") {
            Some(false)
        } else {
            None
        };
        match (run, kind) {
            (Some((start, _, doc)), Some(k)) if k == doc => run = Some((start, i, doc)),
            (_, k) => {
                if let Some((start, end, _)) = run
                    && end > start
                {
                    out.push(range(start, end, Some(FoldingRangeKind::Comment)));
                }
                run = k.map(|doc| (i, i, doc));
            }
        }
    }
    if let Some((start, end, _)) = run
        && end > start
    {
        out.push(range(start, end, Some(FoldingRangeKind::Comment)));
    }
    out.sort_by_key(|r| (r.start_line, r.end_line));
    out
}

fn range(start: usize, end: usize, kind: Option<FoldingRangeKind>) -> FoldingRange {
    FoldingRange {
        start_line: u32::try_from(start).unwrap_or(u32::MAX),
        end_line: u32::try_from(end).unwrap_or(u32::MAX),
        kind,
        ..FoldingRange::default()
    }
}
