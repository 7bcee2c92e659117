//! Fixes: the text edits that resolve a diagnostic, carried with it so
//! that `ipcheck lint --fix` and the language server's quick fixes apply
//! the same change without reading the help text.

use serde::Serialize;

use crate::span::{FileId, Location, Span};

/// Whether a fix may be applied without a person reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Applicability {
    /// Keeps what the policy means (a missing comma, a line break between
    /// two items, a `notwithstanding` that decides nothing): `lint --fix`
    /// applies it.
    Safe,
    /// Changes what the policy means or guesses what was meant (a
    /// did-you-mean name, a new priority): offered as a quick fix, applied
    /// by `lint --fix --unsafe-fixes` only.
    Unsafe,
}

/// One replacement: the text at `location` becomes `replacement` (an
/// insertion when the span is empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub location: Location,
    pub replacement: String,
}

impl Edit {
    pub fn replace(file: FileId, span: Span, replacement: impl Into<String>) -> Edit {
        Edit {
            location: Location { file, span },
            replacement: replacement.into(),
        }
    }

    pub fn insert(file: FileId, at: u32, text: impl Into<String>) -> Edit {
        Edit::replace(file, Span::new(at as usize, at as usize), text)
    }

    pub fn delete(file: FileId, span: Span) -> Edit {
        Edit::replace(file, span, "")
    }
}

/// What to do about a diagnostic, as edits: one title, one or more edits
/// (possibly in several files) that are applied together or not at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// Imperative, for a quick-fix menu: "Replace with `bmw`".
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            title: title.into(),
            applicability: Applicability::Safe,
            edits,
        }
    }

    pub fn unsafe_(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            title: title.into(),
            applicability: Applicability::Unsafe,
            edits,
        }
    }
}

/// `text` with `edits` applied (edits of one file). Edits that overlap an
/// earlier one are skipped and returned, so that a caller can run again
/// after re-analysing, as rustfix and ruff do.
pub fn apply(text: &str, edits: &[&Edit]) -> (String, usize) {
    let mut sorted: Vec<&&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.location.span.start, e.location.span.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0usize;
    let mut skipped = 0;
    for edit in sorted {
        let (start, end) = (
            edit.location.span.start as usize,
            edit.location.span.end as usize,
        );
        let in_bounds = start <= end
            && end <= text.len()
            && text.is_char_boundary(start)
            && text.is_char_boundary(end);
        if start < at || !in_bounds {
            skipped += 1;
            continue;
        }
        out.push_str(&text[at..start]);
        out.push_str(&edit.replacement);
        at = end;
    }
    out.push_str(&text[at..]);
    (out, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applies_edits_in_order_and_skips_overlaps() {
        let text = "party a \"A\"\nparty b \"B\"";
        let f = FileId(0);
        let insert = Edit::insert(f, 0, "// x\n");
        let replace = Edit::replace(f, Span::new(6, 7), "ab");
        let overlapping = Edit::replace(f, Span::new(6, 8), "zz");
        let (out, skipped) = apply(text, &[&replace, &insert, &overlapping]);
        assert_eq!(out, "// x\nparty ab \"A\"\nparty b \"B\"");
        assert_eq!(skipped, 1);
        let outside = Edit::replace(f, Span::new(40, 41), "?");
        assert_eq!(apply(text, &[&outside]), (text.to_string(), 1));
    }
}
