//! Conversions between ipcheck's byte spans and LSP positions (UTF-16
//! columns), and between `file:` URIs and paths.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types::{Position, Range, Uri};

use crate::source::SourceFile;
use crate::span::Span;
use crate::syntax::lines::LineCol;

/// The LSP position of a byte offset.
pub fn position(file: &SourceFile, offset: usize) -> Position {
    let at = file.lines.utf16_position(&file.text, offset);
    Position::new(at.line, at.col)
}

/// The LSP range of a byte span.
pub fn range(file: &SourceFile, span: Span) -> Range {
    Range::new(
        position(file, span.start as usize),
        position(file, span.end as usize),
    )
}

/// The byte offset of an LSP position, clamped to the text (a position past
/// the end of a line is the line's end, past the last line the text's end).
pub fn offset(file: &SourceFile, pos: Position) -> usize {
    file.lines.offset_of_utf16(
        &file.text,
        LineCol {
            line: pos.line,
            col: pos.character,
        },
    )
}

/// The byte span of an LSP range.
pub fn span(file: &SourceFile, range: Range) -> Span {
    Span::new(offset(file, range.start), offset(file, range.end))
}

/// The path of a `file:` URI; `None` for other schemes.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let text = uri.as_str();
    let rest = text
        .strip_prefix("file://")
        .or_else(|| text.strip_prefix("FILE://"))?;
    // `file:///p`, `file://localhost/p`; other hosts are not local files.
    let path = match rest.find('/') {
        Some(0) => rest,
        Some(i) if rest[..i].eq_ignore_ascii_case("localhost") => &rest[i..],
        _ => return None,
    };
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let decoded = percent_decode(path)?;
    // `/C:/x` is `C:/x` on Windows.
    let bytes = decoded.as_bytes();
    let windows_drive = cfg!(windows)
        && bytes.len() >= 3
        && bytes[0] == b'/'
        && bytes[1].is_ascii_alphabetic()
        && bytes[2] == b':';
    Some(PathBuf::from(if windows_drive {
        &decoded[1..]
    } else {
        &decoded[..]
    }))
}

/// The `file:` URI of a path (absolute paths; a relative one is taken as is).
pub fn path_to_uri(path: &Path) -> Option<Uri> {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut out = String::from("file://");
    if !text.starts_with('/') {
        out.push('/');
    }
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    Uri::from_str(&out).ok()
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceMap;

    fn file(text: &str) -> SourceFile {
        let mut map = SourceMap::default();
        map.add("t.ipl", PathBuf::from("t.ipl"), text.to_string());
        map.files.remove(0)
    }

    #[test]
    fn utf16_columns_after_non_ascii_text() {
        let text = "party f \"Fraunhofer-Gesellschaft zur Förderung 🔋\" affiliate of x\n";
        let f = file(text);
        let x = text.rfind('x').unwrap_or(0);
        // `ö` is one UTF-16 unit, the battery emoji two.
        let chars_before = text[..x].chars().count() as u32;
        let pos = position(&f, x);
        assert_eq!(pos, Position::new(0, chars_before + 1));
        assert_eq!(offset(&f, pos), x);
        // A column inside the surrogate pair never splits the character.
        let emoji = text.find('🔋').unwrap_or(0);
        let inside = Position::new(0, position(&f, emoji).character + 1);
        assert!(text.is_char_boundary(offset(&f, inside)));
    }

    #[test]
    fn file_uris_round_trip() {
        let path = Path::new("/tmp/a dir/Förderung.ipl");
        let uri = path_to_uri(path).unwrap();
        assert_eq!(uri.as_str(), "file:///tmp/a%20dir/F%C3%B6rderung.ipl");
        assert_eq!(uri_to_path(&uri).unwrap(), path);
        let other = Uri::from_str("untitled:Untitled-1").unwrap();
        assert_eq!(uri_to_path(&other), None);
        let host = Uri::from_str("file://localhost/x.ipl").unwrap();
        assert_eq!(uri_to_path(&host).unwrap(), Path::new("/x.ipl"));
    }
}
