//! Cuts a file into top-level items before parsing, so that a syntax error
//! in one item leaves the others intact (pest stops at its first error).

use super::words;

/// Deepest nesting of `(` or `{` accepted; deeper input is refused before
/// the recursive-descent parser could exhaust the stack.
pub const MAX_NESTING: usize = 64;

/// A byte range of the file holding at most one item, plus the doc comment
/// written right above that item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    pub start: usize,
    pub end: usize,
    pub doc: Option<String>,
}

/// Splits `text` at every line whose first word is an item keyword. The
/// first chunk also holds whatever precedes the first item; trailing
/// comments stay with the item they follow.
pub fn split_items(text: &str) -> Vec<Chunk> {
    let body_start = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
    let mut starts: Vec<(usize, Option<String>)> = Vec::new();
    let mut doc_lines: Vec<&str> = Vec::new();
    let mut offset = body_start;
    for line in text[body_start..].split_inclusive('\n') {
        let trimmed = line.trim_start_matches([' ', '\t']);
        let indent = line.len() - trimmed.len();
        if let Some(doc) = trimmed.strip_prefix("///") {
            doc_lines.push(doc.trim_end());
        } else {
            if starts_with_item_keyword(trimmed) {
                let doc = (!doc_lines.is_empty()).then(|| join_doc(&doc_lines));
                starts.push((offset + indent, doc));
            }
            doc_lines.clear();
        }
        offset += line.len();
    }
    if starts.is_empty() {
        return if text[body_start..].trim().is_empty() {
            Vec::new()
        } else {
            vec![Chunk {
                start: body_start,
                end: text.len(),
                doc: None,
            }]
        };
    }
    // Leading trivia (comments) belongs to the first chunk.
    starts[0].0 = body_start;
    let ends: Vec<usize> = starts
        .iter()
        .skip(1)
        .map(|(s, _)| *s)
        .chain([text.len()])
        .collect();
    starts
        .into_iter()
        .zip(ends)
        .map(|((start, doc), end)| Chunk { start, end, doc })
        .collect()
}

fn join_doc(lines: &[&str]) -> String {
    let strip_one_space = lines.iter().all(|l| l.is_empty() || l.starts_with(' '));
    lines
        .iter()
        .map(|l| {
            if strip_one_space {
                l.strip_prefix(' ').unwrap_or(l)
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn starts_with_item_keyword(line: &str) -> bool {
    words::ITEMS.iter().any(|kw| {
        line.strip_prefix(kw)
            .is_some_and(|rest| !rest.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_'))
    })
}

/// The byte offset of the first `(` or `{` nested deeper than
/// [`MAX_NESTING`], ignoring strings and comments.
pub fn too_deep(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'(' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(i);
                }
            }
            b')' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

/// The offset of the first `{` of `text` left open at its end, ignoring
/// strings and comments.
pub fn unclosed_brace(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut open: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'{' => open.push(i),
            b'}' => {
                open.pop();
            }
            _ => {}
        }
        i += 1;
    }
    open.first().copied()
}

/// What an item is called in messages: `clause `1.1``, `party `a``, from
/// its first two words.
pub fn item_name(text: &str) -> Option<String> {
    let mut words = text
        .lines()
        .map(str::trim_start)
        .find(|l| starts_with_item_keyword(l))?
        .split(|c: char| c.is_whitespace() || c == '{');
    let keyword = words.next()?;
    match words.find(|w| !w.is_empty()) {
        Some(name) if !name.starts_with('"') && name.len() <= 40 => {
            Some(format!("{keyword} `{name}`"))
        }
        _ => Some(format!("this `{keyword}`")),
    }
}

/// Whether `word` is a keyword that starts an item.
pub fn is_item_keyword(word: &str) -> bool {
    words::starts_item(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str) -> Vec<&str> {
        split_items(text)
            .iter()
            .map(|c| &text[c.start..c.end])
            .collect()
    }

    #[test]
    fn splits_at_item_keywords_at_line_start() {
        let text = "// intro\nparty a \"A\"\n  party_x\nclause 1 { permit use }\n";
        assert_eq!(
            pieces(text),
            [
                "// intro\nparty a \"A\"\n  party_x\n",
                "clause 1 { permit use }\n"
            ]
        );
    }

    #[test]
    fn keyword_prefix_of_identifier_does_not_split() {
        assert_eq!(pieces("party a \"A\"\nparty_line\n").len(), 1);
    }

    #[test]
    fn doc_comment_goes_to_the_next_item() {
        let chunks =
            split_items("party a \"A\"\n/// Coordinator.\n///  Cell maker.\nparty b \"B\"\n");
        assert_eq!(chunks[0].doc, None);
        assert_eq!(chunks[1].doc.as_deref(), Some("Coordinator.\n Cell maker."));
    }

    #[test]
    fn bom_and_crlf() {
        let text = "\u{FEFF}party a \"A\"\r\nparty b \"B\"\r\n";
        let chunks = split_items(text);
        assert_eq!(chunks[0].start, 3);
        assert_eq!(&text[chunks[1].start..chunks[1].end], "party b \"B\"\r\n");
    }

    #[test]
    fn unclosed_braces_and_item_names() {
        assert_eq!(unclosed_brace("clause 1 {\n permit use\n"), Some(9));
        assert_eq!(unclosed_brace("clause 1 { permit use }\n"), None);
        assert_eq!(unclosed_brace("clause 1 \"{\" // {\n"), None);
        assert_eq!(unclosed_brace("a { b { } "), Some(2));
        assert_eq!(
            item_name("// x\nclause 1.1 {").as_deref(),
            Some("clause `1.1`")
        );
        assert_eq!(item_name("party a \"A\"").as_deref(), Some("party `a`"));
        assert_eq!(
            item_name("agreement \"A\" {").as_deref(),
            Some("this `agreement`")
        );
    }

    #[test]
    fn empty_and_blank_files_have_no_chunks() {
        assert!(split_items("").is_empty());
        assert!(split_items("  \n\t\n").is_empty());
    }

    #[test]
    fn nesting_limit_ignores_strings_and_comments() {
        let deep = "(".repeat(MAX_NESTING + 1);
        assert_eq!(too_deep(&deep), Some(MAX_NESTING));
        assert_eq!(too_deep(&format!("\"{deep}\"\n// {deep}\n")), None);
        assert_eq!(too_deep(&"()".repeat(10_000)), None);
    }
}
