//! Checks a formatted text against its original: the same syntax tree (spans aside) and the same comments.

use crate::diagnostic::Family;
use crate::span::FileId;
use crate::syntax::{self, ast};

/// Why a formatted text cannot replace its original (a formatter bug).
pub fn check(original: &str, formatted: &str) -> Result<(), String> {
    let (tree, _) = syntax::parse_file(original, FileId(0));
    check_tree(tree, original, formatted)
}

/// [`check`], with the original's syntax tree already parsed.
pub fn check_tree(tree: ast::File, original: &str, formatted: &str) -> Result<(), String> {
    let (after, diags) = syntax::parse_file(formatted, FileId(0));
    if let Some(diag) = diags.iter().find(|d| d.code.family() == Family::Syntax) {
        return Err(format!(
            "the formatted text does not parse: {}",
            diag.message
        ));
    }
    if fingerprint(tree) != fingerprint(after) {
        return Err("the formatted text parses to a different syntax tree".to_string());
    }
    if comment_texts(original) != comment_texts(formatted) {
        return Err("the formatted text does not hold the same comments".to_string());
    }
    Ok(())
}

/// A file's syntax tree as JSON text, every span replaced by `null` and
/// the trailing whitespace of doc comments removed (the formatter trims
/// it, like that of every comment): two layouts of one policy give the
/// same fingerprint.
pub fn fingerprint(mut file: ast::File) -> String {
    for item in &mut file.items {
        if let Some(doc) = &mut item.doc {
            *doc = doc
                .lines()
                .map(str::trim_end)
                .collect::<Vec<_>>()
                .join("\n");
        }
    }
    let json = serde_json::to_string(&file).unwrap_or_default();
    without_spans(&json)
}

/// Replaces every `{"start":N,"end":M}` of a JSON text by `null`. Inside a
/// JSON string a quote is escaped, so the pattern only matches objects.
fn without_spans(json: &str) -> String {
    const START: &str = "{\"start\":";
    const END: &str = ",\"end\":";
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let mut out = String::with_capacity(json.len() / 2);
    let mut copied = 0;
    for (at, _) in json.match_indices(START) {
        if at < copied {
            continue;
        }
        let after = &json[at + START.len()..];
        let n = digits(after);
        let Some(tail) = after[n..].strip_prefix(END) else {
            continue;
        };
        let m = digits(tail);
        if n == 0 || m == 0 || !tail[m..].starts_with('}') {
            continue;
        }
        out.push_str(&json[copied..at]);
        out.push_str("null");
        copied = json.len() - tail.len() + m + 1;
    }
    out.push_str(&json[copied..]);
    out
}

/// Every `//` comment of a text, in order, trailing whitespace removed:
/// a scan independent of the parser.
pub fn comment_texts(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && !matches!(bytes[i], b'"' | b'\n' | b'\r') {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let end = text[i..].find(['\r', '\n']).map_or(text.len(), |n| i + n);
                out.push(text[i..end].trim_end());
                i = end;
            }
            _ => i += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_become_null_and_nothing_else_changes() {
        assert_eq!(
            without_spans(
                r#"{"a":{"start":1,"end":22},"b":[{"start":3,"end":4}],"c":"{\"start\":1,\"end\":2}"}"#
            ),
            r#"{"a":null,"b":[null],"c":"{\"start\":1,\"end\":2}"}"#
        );
        assert_eq!(
            without_spans(r#"{"start":1,"end":2,"x":3}"#),
            r#"{"start":1,"end":2,"x":3}"#
        );
    }

    #[test]
    fn comments_inside_strings_are_not_comments() {
        assert_eq!(
            comment_texts("party a \"x // y \\\" // z\" // real  \r\n// two"),
            ["// real", "// two"]
        );
    }
}
