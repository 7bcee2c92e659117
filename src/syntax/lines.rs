//! Line index: byte offsets to line and column, in UTF-8 bytes, characters
//! and UTF-16 code units (the language server's unit).

/// A 0-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// Start offsets of every line of a text.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Vec<u32>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0u32];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| u32::try_from(i + 1).unwrap_or(u32::MAX)),
        );
        LineIndex { starts }
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The 0-based line holding `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = u32::try_from(offset).unwrap_or(u32::MAX);
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// The byte offset where a 0-based line starts.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.starts.get(line).map(|&s| s as usize)
    }

    /// Line and column, the column counted in characters (for humans and
    /// SARIF); offsets inside a character count from its start.
    pub fn char_position(&self, text: &str, offset: usize) -> LineCol {
        self.position(text, offset, |s| s.chars().count())
    }

    /// Line and column, the column in UTF-16 code units (LSP).
    pub fn utf16_position(&self, text: &str, offset: usize) -> LineCol {
        self.position(text, offset, |s| s.encode_utf16().count())
    }

    fn position(&self, text: &str, offset: usize, width: impl Fn(&str) -> usize) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.line_start(line).unwrap_or(0).min(offset);
        LineCol {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            col: u32::try_from(width(&text[start..offset])).unwrap_or(u32::MAX),
        }
    }

    /// The byte offset of a line and UTF-16 column, clamped to the line.
    pub fn offset_of_utf16(&self, text: &str, pos: LineCol) -> usize {
        let Some(start) = self.line_start(pos.line as usize) else {
            return text.len();
        };
        let end = self.line_start(pos.line as usize + 1).unwrap_or(text.len());
        let mut units = 0u32;
        for (i, c) in text[start..end].char_indices() {
            if units >= pos.col || c == '\n' || c == '\r' {
                return start + i;
            }
            units += c.len_utf16() as u32;
        }
        end
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_in_utf8_chars_and_utf16() {
        let text = "party f \"Förderung 𝄞\" x\nnext";
        let index = LineIndex::new(text);
        let x = text.find(" x").unwrap() + 1;
        assert_eq!(index.char_position(text, x), LineCol { line: 0, col: 22 });
        assert_eq!(index.utf16_position(text, x), LineCol { line: 0, col: 23 });
        let next = text.find("next").unwrap();
        assert_eq!(
            index.utf16_position(text, next),
            LineCol { line: 1, col: 0 }
        );
        assert_eq!(index.offset_of_utf16(text, LineCol { line: 0, col: 23 }), x);
    }

    #[test]
    fn crlf_and_out_of_range() {
        let text = "a\r\nb";
        let index = LineIndex::new(text);
        assert_eq!(index.char_position(text, 3), LineCol { line: 1, col: 0 });
        assert_eq!(index.offset_of_utf16(text, LineCol { line: 0, col: 9 }), 1);
        assert_eq!(
            index.offset_of_utf16(text, LineCol { line: 7, col: 0 }),
            text.len()
        );
        assert_eq!(index.char_position(text, 999), LineCol { line: 1, col: 1 });
    }
}
