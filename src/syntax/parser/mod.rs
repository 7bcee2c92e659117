//! Text to the typed syntax tree: pest parses an item or an action, the
//! builder turns the parse tree into the tree, errors become diagnostics.

mod build;
mod clauses;
mod declarations;
mod errors;
mod scenarios;

use jiff::civil::Date;
use pest::Parser as _;

use super::ast::*;
use crate::diagnostic::Diagnostic;
use crate::span::{FileId, Span};
use build::Builder;
use errors::syntax_error;

#[cfg(test)]
pub(super) use build::is_keyword;
pub use errors::{nesting_too_deep, rule_name};

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/ipl.pest"]
pub struct IplParser;

/// Longest chain of `not`s or `affiliates of` accepted in one place.
const MAX_CHAIN: usize = 64;

/// Parses one chunk of `text` holding one item. `offset` is where the chunk
/// starts in the file, so spans stay file-relative.
pub fn parse_item(
    text: &str,
    offset: usize,
    file: FileId,
    diags: &mut Vec<Diagnostic>,
) -> Option<(ItemKind, Span)> {
    match IplParser::parse(Rule::item_alone, text) {
        Ok(mut pairs) => {
            let pair = pairs.find(|p| p.as_rule() != Rule::COMMENT)?;
            let mut builder = Builder::new(offset, file);
            let span = builder.span(&pair);
            let item = builder.item(pair);
            diags.append(&mut builder.diags.into_inner());
            Some((item, span))
        }
        Err(err) => {
            diags.push(syntax_error(&err, text, offset, file, "the item"));
            None
        }
    }
}

/// Parses an action in the action syntax (command line, scenario).
pub fn parse_action(text: &str, file: FileId) -> Result<ActionSyntax, Vec<Diagnostic>> {
    match IplParser::parse(Rule::action_alone, text) {
        Ok(mut pairs) => {
            let mut builder = Builder::new(0, file);
            let action = pairs
                .next()
                .map(|pair| builder.action(pair))
                .unwrap_or_default();
            let diags = builder.diags.into_inner();
            if diags.is_empty() {
                Ok(action)
            } else {
                Err(diags)
            }
        }
        Err(err) => Err(vec![syntax_error(&err, text, 0, file, "the action")]),
    }
}

/// `250000` or `99.5` → hundredths; saturates like [`parse_hundredths`].
pub fn parse_cents(text: &str) -> u64 {
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    let whole: u64 = if whole.len() > 15 {
        u64::MAX / 1000
    } else {
        whole.parse().unwrap_or(u64::MAX / 1000)
    };
    let mut digits = frac.chars().chain(std::iter::repeat('0')).take(2);
    let tens = digits.next().and_then(|c| c.to_digit(10)).unwrap_or(0) as u64;
    let ones = digits.next().and_then(|c| c.to_digit(10)).unwrap_or(0) as u64;
    whole.saturating_mul(100).saturating_add(tens * 10 + ones)
}

/// `2026-02-30` is not a date: `None`.
pub fn parse_date(text: &str) -> Option<Date> {
    let year: i16 = text.get(0..4)?.parse().ok()?;
    let month: i8 = text.get(5..7)?.parse().ok()?;
    let day: i8 = text.get(8..10)?.parse().ok()?;
    Date::new(year, month, day).ok()
}

/// `12.5` → 1250 hundredths; saturates rather than overflowing, so that a
/// huge number is still reported as over 100%.
pub fn parse_hundredths(text: &str) -> u32 {
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    let whole: u64 = if whole.len() > 9 {
        u64::MAX
    } else {
        whole.parse().unwrap_or(u64::MAX)
    };
    let mut frac_digits = frac.chars().chain(std::iter::repeat('0')).take(2);
    let tens = frac_digits.next().and_then(|c| c.to_digit(10)).unwrap_or(0) as u64;
    let ones = frac_digits.next().and_then(|c| c.to_digit(10)).unwrap_or(0) as u64;
    let value = whole.saturating_mul(100).saturating_add(tens * 10 + ones);
    u32::try_from(value).unwrap_or(u32::MAX)
}
