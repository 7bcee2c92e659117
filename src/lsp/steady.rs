//! Steady results while a policy is being typed.
//!
//! Lints and scenario decisions need a policy without errors, and a policy
//! being edited has errors most of the time (every keystroke of a new
//! clause until its `}`). Rather than dropping every lint and lens until
//! the policy is valid again, the server keeps the last analysis without
//! errors and carries its results over to the items that did not change:
//! a lint (or a failing scenario) whose every place lies in an item whose
//! text is still in the file, moved to where that text now is.
//!
//! An item is unchanged when its text lies wholly before the first byte or
//! after the last byte that differ between the two texts of its file, or,
//! failing that, when its exact text is found in the changed middle (an
//! item moved, or edits on both sides of it).

use std::sync::Arc;

use super::workspace::{Analysis, Key};
use crate::diagnostic::{Code, Diagnostic, Family};
use crate::span::{FileId, Location, Span};

/// The codes whose results need a policy without errors and are carried
/// over: lints and failing scenarios.
pub fn carried_code(code: Code) -> bool {
    matches!(code.family(), Family::Lint | Family::Test)
}

/// How one file of the old analysis maps onto the new one.
#[derive(Debug, Clone)]
struct FileMap {
    new: FileId,
    /// Bytes `..prefix` are the same in both texts.
    prefix: usize,
    /// Bytes `old_suffix..` of the old text are the last bytes of the new.
    old_suffix: usize,
    /// New length minus old length.
    delta: i64,
    /// The spans of the old file's items, in order.
    items: Vec<Span>,
}

/// The last analysis without errors, and how its files map onto the
/// current texts.
pub struct Stale {
    pub previous: Arc<Analysis>,
    files: Vec<Option<FileMap>>,
}

impl Stale {
    /// Maps `previous` (without errors) onto `current`'s texts.
    pub fn new(previous: Arc<Analysis>, current: &Analysis) -> Stale {
        let mut files = Vec::new();
        for (i, uri) in previous.uris.iter().enumerate() {
            let old_id = FileId(i as u32);
            let key = Key::of(uri);
            let new_id = current
                .uris
                .iter()
                .position(|u| u == uri || Key::of(u) == key)
                .map(|i| FileId(i as u32));
            let map = match (new_id, previous.source(old_id)) {
                (Some(new), Some(old_file)) => current.source(new).map(|new_file| {
                    let (old, text) = (old_file.text.as_bytes(), new_file.text.as_bytes());
                    let prefix = old.iter().zip(text).take_while(|(a, b)| a == b).count();
                    let room = old.len().min(text.len()) - prefix;
                    let suffix = old
                        .iter()
                        .rev()
                        .zip(text.iter().rev())
                        .take(room)
                        .take_while(|(a, b)| a == b)
                        .count();
                    let mut items: Vec<Span> = previous
                        .syntax(old_id)
                        .map(|t| t.items.iter().map(|item| item.span).collect())
                        .unwrap_or_default();
                    items.sort_by_key(|s| (s.start, s.end));
                    FileMap {
                        new,
                        prefix,
                        old_suffix: old.len() - suffix,
                        delta: text.len() as i64 - old.len() as i64,
                        items,
                    }
                }),
                _ => None,
            };
            files.push(map);
        }
        Stale { previous, files }
    }

    /// Where an old place is now; `None` when its item changed or its
    /// file is gone.
    pub fn location(&self, current: &Analysis, loc: Location) -> Option<Location> {
        let map = self.files.get(loc.file.0 as usize)?.as_ref()?;
        let span = loc.span;
        // The item holding the place (the last one starting at or before
        // it that ends after it), else the place itself.
        let at = map.items.partition_point(|s| s.start <= span.start);
        let unit = map.items[..at]
            .iter()
            .rev()
            .find(|s| s.end >= span.end)
            .copied()
            .unwrap_or(span);
        let shift = self.shift(current, map, loc.file, unit)?;
        let moved = |o: u32| u32::try_from(i64::from(o) + shift).ok();
        Some(Location {
            file: map.new,
            span: Span {
                start: moved(span.start)?,
                end: moved(span.end)?,
            },
        })
    }

    /// How far an unchanged old span moved; `None` when its text changed.
    fn shift(&self, current: &Analysis, map: &FileMap, old: FileId, unit: Span) -> Option<i64> {
        let (start, end) = (unit.start as usize, unit.end as usize);
        if end <= map.prefix {
            return Some(0);
        }
        if start >= map.old_suffix {
            return Some(map.delta);
        }
        // It overlaps the changed middle: look for its exact text nearest
        // to where it was (an empty span cannot be found).
        if start >= end {
            return None;
        }
        let old_text = self.previous.source(old)?.text.get(start..end)?;
        let new_text = &current.source(map.new)?.text;
        new_text
            .match_indices(old_text)
            .map(|(i, _)| i as i64 - start as i64)
            .min_by_key(|d| d.abs())
    }

    /// An old diagnostic moved to the current texts, when every place of
    /// it is in an unchanged item.
    pub fn diagnostic(&self, current: &Analysis, diag: &Diagnostic) -> Option<Diagnostic> {
        let mut moved = diag.clone();
        moved.location = self.location(current, diag.location)?;
        for (r, old) in moved.related.iter_mut().zip(&diag.related) {
            r.location = self.location(current, old.location)?;
        }
        Some(moved)
    }

    /// The previous analysis's lints and failing scenarios that still hold
    /// for unchanged items, moved to the current texts.
    pub fn carried(&self, current: &Analysis) -> Vec<Diagnostic> {
        self.previous
            .policy
            .diagnostics
            .iter()
            .chain(self.previous.extra.iter())
            .filter(|d| carried_code(d.code))
            .filter_map(|d| self.diagnostic(current, d))
            .collect()
    }
}
