//! Syntax: text to a typed syntax tree with spans, recovering at item level.

pub mod ast;
pub mod lines;
mod parser;
pub mod refs;
pub mod split;
pub mod words;

pub use parser::{IplParser, Rule, parse_cents, parse_date, parse_hundredths, rule_name};

use crate::diagnostic::{Code, Diagnostic, Edit, Fix};
use crate::span::{FileId, Span};
use ast::{ActionSyntax, File, Item};

/// Parses a whole file. Every item that parses is kept; each broken item
/// yields one diagnostic and is skipped.
pub fn parse_file(text: &str, file: FileId) -> (File, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut items = Vec::new();
    for chunk in split::split_items(text) {
        let chunk_text = &text[chunk.start..chunk.end];
        if let Some(at) = split::too_deep(chunk_text) {
            diags.push(parser::nesting_too_deep(
                file,
                Span::new(chunk.start + at, chunk.start + at + 1),
            ));
            continue;
        }
        let before = diags.len();
        if let Some((kind, span)) = parser::parse_item(chunk_text, chunk.start, file, &mut diags) {
            items.push(Item {
                doc: chunk.doc,
                kind,
                span,
            });
        } else if diags.len() == before + 1
            && let Some(diag) = diags.pop()
        {
            diags.push(explain_syntax_error(diag, text, &chunk, file));
        }
    }
    (File { items }, diags)
}

/// A clearer message for two common mistakes than pest's list of expected
/// words: an item whose `{` is never closed before the next item, and two
/// items on one line.
fn explain_syntax_error(
    diag: Diagnostic,
    text: &str,
    chunk: &split::Chunk,
    file: FileId,
) -> Diagnostic {
    let chunk_text = &text[chunk.start..chunk.end];
    let at = diag.location.span.start as usize;
    let found = text.get(diag.location.span.range()).unwrap_or("");
    let name = split::item_name(chunk_text).unwrap_or_else(|| "the item".to_string());
    // `} clause 1.2 {`: an item keyword where the item should have ended.
    if diag.code == Code::UnexpectedToken && split::is_item_keyword(found) {
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        if !text[line_start..at].trim().is_empty() {
            return Diagnostic::new(
                Code::ItemsOnOneLine,
                file,
                diag.location.span,
                format!("`{found}` starts a new item on the line of {name}"),
            )
            .with_label("a new item starts here")
            .with_help("each item starts on its own line: put a line break before it")
            .with_fix(Fix::safe(
                "Start the item on its own line",
                vec![Edit::replace(
                    file,
                    Span::new(text[..at].trim_end().len(), at),
                    "\n",
                )],
            ));
        }
    }
    // `clause 1.1 {` … and the next item begins: the `{` was never closed.
    if diag.code == Code::UnexpectedEnd
        && let Some(open) = split::unclosed_brace(chunk_text)
    {
        let open = chunk.start + open;
        let mut closed = Diagnostic::new(
            Code::UnclosedItem,
            file,
            Span::new(open, open + 1),
            format!("{name} is not closed"),
        )
        .with_label("this `{` has no `}`")
        .with_help("close it with `}` before the next item begins")
        .with_fix(Fix::unsafe_(
            format!("Close {name} before the next item"),
            vec![Edit::insert(
                file,
                (chunk.start + chunk_text.trim_end().len()) as u32,
                "\n}",
            )],
        ));
        let next = chunk.end;
        if next < text.len() {
            let word_end = text[next..]
                .find(|c: char| c.is_whitespace())
                .map_or(text.len(), |i| next + i);
            closed = closed.with_related(
                crate::span::Location {
                    file,
                    span: Span::new(next, word_end),
                },
                "the next item begins here",
            );
        }
        return closed;
    }
    diag
}

/// Parses one action in the action syntax.
pub fn parse_action(text: &str, file: FileId) -> Result<ActionSyntax, Vec<Diagnostic>> {
    if let Some(at) = split::too_deep(text) {
        return Err(vec![parser::nesting_too_deep(file, Span::new(at, at + 1))]);
    }
    parser::parse_action(text, file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::FileId;

    fn parse(text: &str) -> (File, Vec<Diagnostic>) {
        parse_file(text, FileId(0))
    }

    #[test]
    fn a_label_with_a_space_or_a_slash_is_one_finding_with_a_joined_label() {
        for (text, fixed) in [
            ("clause GA 30.1 {\n  permit use of x\n}\n", "GA-30.1"),
            ("clause 8.2/1 \"T\" {\n  permit use of x\n}\n", "8.2-1"),
            (
                "grant L 2026 / 1 {\n  license of x from a to b\n}\n",
                "L-2026-1",
            ),
        ] {
            let (_, diags) = parse(text);
            assert_eq!(diags.len(), 1, "{text}: {diags:#?}");
            assert_eq!(diags[0].code, Code::InvalidLabel);
            let fix = diags[0].fix.as_ref().expect("a fix");
            let edited: Vec<&crate::diagnostic::Edit> = fix.edits.iter().collect();
            let (out, _) = crate::diagnostic::apply(text, &edited);
            assert!(out.contains(&format!(" {fixed} ")), "{out}");
            assert!(parse(&out).1.is_empty(), "{out}");
        }
        // A title or `notwithstanding` after the label is no label error.
        let (_, diags) = parse("clause 1 notwithstanding 2 {\n  permit use of x\n}\n");
        assert!(
            diags.iter().all(|d| d.code != Code::InvalidLabel),
            "{diags:#?}"
        );
    }

    #[test]
    fn parses_the_acceptance_corpus() {
        for name in ["agreement.ipl", "scenarios.ipl"] {
            let path = format!(
                "{}/policies/ssb-consortium/{name}",
                env!("CARGO_MANIFEST_DIR")
            );
            let text = std::fs::read_to_string(path).unwrap();
            let (file, diags) = parse(&text);
            assert!(diags.is_empty(), "{name}: {diags:#?}");
            assert!(!file.items.is_empty());
        }
    }

    #[test]
    fn three_broken_items_give_three_errors_and_keep_the_rest() {
        let text = "party a \"A\" affiliate\nparty b \"B\"\nclause 1 { permit }\ngroup g = a b,\nparty c \"C\"\n";
        let (file, diags) = parse(text);
        assert_eq!(diags.len(), 3, "{diags:#?}");
        assert_eq!(file.items.len(), 2);
    }

    #[test]
    fn keywords_do_not_match_identifier_prefixes() {
        let (file, diags) = parse("group g = bypass, tomato, notary, income_x\n");
        assert!(diags.is_empty(), "{diags:#?}");
        let ast::ItemKind::Group(g) = &file.items[0].kind else {
            panic!()
        };
        let names: Vec<_> = g.members.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["bypass", "tomato", "notary", "income_x"]);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let parens = format!(
            "clause 1 {{ permit use when {}exclusive{} }}",
            "(".repeat(200_000),
            ")".repeat(200_000)
        );
        let (_, diags) = parse(&parens);
        assert_eq!(diags[0].code, Code::TooDeep);
        let nots = format!(
            "clause 1 {{ permit use when {} exclusive }}",
            "not ".repeat(200_000)
        );
        let (_, diags) = parse(&nots);
        assert_eq!(diags[0].code, Code::TooDeep);
        let affiliates = format!(
            "clause 1 {{ permit use by {} catl }}",
            "affiliates of ".repeat(200_000)
        );
        let (_, diags) = parse(&affiliates);
        assert_eq!(diags[0].code, Code::TooDeep);
    }
}
#[cfg(test)]
mod span_tests {
    use super::*;
    #[test]
    fn line_spans_end_at_their_last_token() {
        let text = "clause 1 {\n  permit use\n  by owners\n  unless exclusive\n}\n";
        let (file, _) = parse_file(text, FileId(0));
        let ast::ItemKind::Clause(c) = &file.items[0].kind else {
            panic!()
        };
        assert_eq!(&text[c.lines[0].span.range()], "by owners");
        assert_eq!(&text[c.heads[0].span.range()], "permit use");
        assert_eq!(&text[file.items[0].span.range()], text.trim_end());
    }
}
