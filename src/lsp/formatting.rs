//! Document formatting through `ipcheck fmt`: one edit replacing the whole
//! document when its canonical form differs.

use crate::diagnostic::Family;
use lsp_types::{Position, Range, TextEdit};

use crate::fmt;
use crate::syntax::lines::LineIndex;

/// The server offers formatting (the formatter is built in).
pub const AVAILABLE: bool = true;

/// The edits formatting `text`: none when it is already canonical, `None`
/// when it has syntax errors (the diagnostics show them), an error message
/// when the formatter cannot format it safely.
pub fn format(text: &str) -> Result<Option<Vec<TextEdit>>, String> {
    let formatted = match fmt::format_source(text) {
        Ok(formatted) => formatted,
        Err(diags) => {
            return if diags.iter().all(|d| d.code.family() == Family::Syntax) {
                Ok(None)
            } else {
                Err(diags
                    .first()
                    .map_or_else(|| "cannot format".to_string(), |d| d.message.clone()))
            };
        }
    };
    if formatted == text {
        return Ok(Some(Vec::new()));
    }
    let end = LineIndex::new(text).utf16_position(text, text.len());
    let range = Range::new(Position::new(0, 0), Position::new(end.line, end.col));
    Ok(Some(vec![TextEdit::new(range, formatted)]))
}
