//! `ipcheck fmt`: the canonical layout of IPL source, every comment kept (docs/formatting.md).
//!
//! The formatter reads the pest parse tree of each top-level item, in which
//! comments are tokens of their own ([`tokens`] attaches each one to the
//! code it belongs to), builds a layout document for it ([`layout`]) and
//! prints that in 100 columns ([`doc`]). Before a result is returned it is
//! parsed again and compared with the original ([`verify`]): a formatter
//! bug yields an error, never a changed policy or a lost comment.

pub mod command;
mod doc;
pub mod files;
mod layout;
mod tokens;
pub mod verify;

use pest::Parser as _;

use crate::diagnostic::{Code, Diagnostic, Family};
use crate::span::{FileId, Span};
use crate::syntax::{self, IplParser, Rule, split};

pub use doc::{INDENT, MAX_WIDTH};

/// The canonical form of `text`, or the syntax errors that prevent
/// formatting it (nothing is formatted then).
pub fn format_source(text: &str) -> Result<String, Vec<Diagnostic>> {
    let (tree, diags) = syntax::parse_file(text, FileId(0));
    let errors: Vec<Diagnostic> = diags
        .into_iter()
        .filter(|d| d.code.family() == Family::Syntax)
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let formatted = layout_text(text).map_err(|why| vec![internal_error(text, &why)])?;
    // Unchanged text needs no check: it is the original.
    if formatted != text {
        verify::check_tree(tree, text, &formatted)
            .map_err(|why| vec![internal_error(text, &why)])?;
    }
    Ok(formatted)
}

/// Formats a text already known to parse.
fn layout_text(text: &str) -> Result<String, String> {
    let mut parsed = Vec::new();
    for chunk in split::split_items(text) {
        let pairs = IplParser::parse(Rule::item_alone, &text[chunk.start..chunk.end])
            .map_err(|err| format!("an item does not parse: {err}"))?;
        parsed.push((chunk.start, pairs));
    }
    let mut tokens = tokens::Tokens::collect(text, &parsed).map_err(|m| m.0)?;
    let items: Vec<layout::ItemTree<'_>> = parsed
        .iter()
        .filter_map(|(offset, pairs)| {
            pairs
                .clone()
                .find(|p| !matches!(p.as_rule(), Rule::COMMENT | Rule::EOI))
                .map(|p| (*offset, p))
        })
        .collect();
    let (document, firsts) = layout::file(&tokens, &items).map_err(|m| m.0)?;
    // The document prints the comments before each item itself.
    for first in firsts {
        if let Some(tok) = tokens.toks.get_mut(first) {
            tok.leading.clear();
        }
    }
    Ok(doc::print(&document, &tokens))
}

fn internal_error(text: &str, why: &str) -> Diagnostic {
    Diagnostic::new(
        Code::FmtInternalError,
        FileId(0),
        Span::new(0, text.len().min(1)),
        format!("ipcheck fmt cannot format this file safely: {why}"),
    )
    .with_label("the file is left as it is")
    .with_help("this is a bug in ipcheck fmt; please report it with the file")
}

#[cfg(test)]
mod tests;
