//! The part of a file a diagnostic shows: the lines of its labels and one
//! line of context around them, each long line cut to a window around its
//! label with an ellipsis on the cut sides (as rustc and ruff do).
//!
//! miette gets this excerpt, never the whole file: it scans its source from
//! the start for every label (rendering N diagnostics of one file would be
//! quadratic), prints whole lines (one error on a line of 20 MB would print
//! 20 MB), and panics when a label sits at a column of 65,536 or more
//! (Rust's formatting widths are 16-bit).

use miette::SourceSpan;

use crate::source::SourceFile;
use crate::span::Span;

/// Lines of up to this many characters are shown whole.
pub const LONG_LINE: usize = 240;
/// Characters shown before the label's start on a cut line.
pub const WINDOW_BEFORE: usize = 40;
/// Characters shown from the label's start on a cut line.
pub const WINDOW_AFTER: usize = 80;
/// A label over more lines than this is shown on its first line only.
pub const MAX_LABEL_LINES: usize = 24;
/// Lines of context above and below the labels (as given to miette).
pub const CONTEXT: usize = 1;
/// What marks a cut.
pub const ELLIPSIS: &str = "…";

/// A cut line of the excerpt: where its window starts in the excerpt and
/// in the real line, to give miette's header the real column.
#[derive(Debug, Clone, Copy)]
struct Cut {
    /// Excerpt offsets of the line's start and end (before its break).
    line_start: usize,
    line_end: usize,
    /// Excerpt offset of the first character of the window.
    window_start: usize,
    /// Byte column, in the real line, of the window's first character.
    real_column: usize,
}

/// An excerpt of a file and the labels mapped into it.
#[derive(Debug, Clone)]
pub struct Excerpt {
    pub text: String,
    /// The 0-based line of the file where the excerpt starts.
    pub first_line: usize,
    cuts: Vec<Cut>,
}

impl Excerpt {
    /// The byte column in the real file of an excerpt offset whose column in
    /// the excerpt is `column`: unchanged unless its line was cut.
    pub fn real_column(&self, offset: usize, column: usize) -> usize {
        let i = self.cuts.partition_point(|c| c.line_start <= offset);
        match i.checked_sub(1).and_then(|i| self.cuts.get(i)) {
            Some(cut) if offset <= cut.line_end => {
                let prefix = cut.window_start - cut.line_start;
                cut.real_column + column.saturating_sub(prefix)
            }
            _ => column,
        }
    }
}

/// One line of the file as placed in the excerpt.
#[derive(Debug, Clone, Copy)]
struct Placed {
    /// File offsets: the line's window and its end before the line break.
    window_start: usize,
    window_end: usize,
    end: usize,
    /// Excerpt offsets: the line's start, the window's start and end, and
    /// where the line break starts.
    ex_start: usize,
    ex_window_start: usize,
    ex_window_end: usize,
    ex_break: usize,
}

impl Placed {
    /// The excerpt offset of file offset `at` on this line; `end` tells an
    /// end offset (a cut before it maps after the closing ellipsis).
    fn map(&self, at: usize, end: bool) -> usize {
        if at < self.window_start {
            if end {
                self.ex_window_start
            } else {
                self.ex_start
            }
        } else if at <= self.window_end {
            self.ex_window_start + (at - self.window_start)
        } else if at <= self.end {
            if end {
                self.ex_break
            } else {
                self.ex_window_end
            }
        } else {
            self.ex_break + (at - self.end)
        }
    }
}

/// The excerpt of `file` showing `spans` (the first is the primary one),
/// and the spans mapped into it, in the same order.
pub fn excerpt(file: &SourceFile, spans: &[Span]) -> (Excerpt, Vec<SourceSpan>) {
    let text: &str = &file.text;
    let lines = &file.lines;
    let last_line = lines.line_count().saturating_sub(1);
    // Each span as (start, end, first line, last line), clamped to the text
    // and to its first lines.
    let spans: Vec<(usize, usize, usize, usize)> = spans
        .iter()
        .map(|span| {
            let start = floor_boundary(text, (span.start as usize).min(text.len()));
            let end = ceil_boundary(text, (span.end as usize).clamp(start, text.len()));
            let first = lines.line_of(start);
            let last = if end > start {
                lines.line_of(end - 1)
            } else {
                first
            };
            if last > first + MAX_LABEL_LINES {
                let (_, line_end, _) = line_bounds(file, first);
                (start, line_end.max(start), first, first)
            } else {
                (start, end, first, last)
            }
        })
        .collect();
    let Some(&(primary_start, _, primary_line, _)) = spans.first() else {
        return (
            Excerpt {
                text: String::new(),
                first_line: 0,
                cuts: Vec::new(),
            },
            Vec::new(),
        );
    };
    let first = spans
        .iter()
        .map(|s| s.2)
        .min()
        .unwrap_or(primary_line)
        .saturating_sub(CONTEXT);
    let last = (spans.iter().map(|s| s.3).max().unwrap_or(primary_line) + CONTEXT).min(last_line);
    // Context lines are cut at the primary label's column.
    let primary_column = primary_start - lines.line_start(primary_line).unwrap_or(0);

    let mut out = String::new();
    let mut cuts = Vec::new();
    let mut placed = Vec::with_capacity(last + 1 - first);
    for line in first..=last {
        let (start, end, next) = line_bounds(file, line);
        let content = &text[start..end];
        let ex_start = out.len();
        let is_long = content.len() > LONG_LINE && content.chars().nth(LONG_LINE).is_some();
        let (window_start, window_end) = if is_long {
            // The primary label if it starts on this line, else the first
            // label that touches it, else the primary label's column.
            let anchor = spans
                .iter()
                .filter(|s| s.2 <= line && line <= s.3)
                .map(|s| s.0.max(start))
                .next()
                .unwrap_or_else(|| floor_boundary(text, (start + primary_column).min(end)));
            window(text, start, end, anchor)
        } else {
            (start, end)
        };
        if window_start > start {
            out.push_str(ELLIPSIS);
        }
        let ex_window_start = out.len();
        // A lone carriage return is a line break to miette but not to the
        // line index: shown as a space, the line numbers stay right.
        out.extend(
            text[window_start..window_end]
                .chars()
                .map(|c| if c == '\r' { ' ' } else { c }),
        );
        let ex_window_end = out.len();
        if window_end < end {
            out.push_str(ELLIPSIS);
        }
        let ex_break = out.len();
        out.push_str(&text[end..next]);
        if is_long {
            cuts.push(Cut {
                line_start: ex_start,
                line_end: ex_break,
                window_start: ex_window_start,
                real_column: window_start - start,
            });
        }
        placed.push(Placed {
            window_start,
            window_end,
            end,
            ex_start,
            ex_window_start,
            ex_window_end,
            ex_break,
        });
    }
    let mapped = spans
        .iter()
        .map(|&(start, end, first_of, last_of)| {
            let a = placed[first_of - first].map(start, false);
            let b = placed[last_of - first].map(end, true).max(a);
            SourceSpan::new(a.into(), b - a)
        })
        .collect();
    (
        Excerpt {
            text: out,
            first_line: first,
            cuts,
        },
        mapped,
    )
}

/// A line's start, its end before the line break (`\n` or `\r\n`), and the
/// start of the next line.
fn line_bounds(file: &SourceFile, line: usize) -> (usize, usize, usize) {
    let text: &str = &file.text;
    let start = file
        .lines
        .line_start(line)
        .unwrap_or(text.len())
        .min(text.len());
    let next = file
        .lines
        .line_start(line + 1)
        .unwrap_or(text.len())
        .clamp(start, text.len());
    let content = &text[start..next];
    let content = content.strip_suffix('\n').unwrap_or(content);
    let content = content.strip_suffix('\r').unwrap_or(content);
    (start, start + content.len(), next)
}

/// The window of a long line `[start, end)` around `anchor`: up to
/// [`WINDOW_BEFORE`] characters before it and [`WINDOW_AFTER`] from it,
/// shifted to keep its width near the ends of the line.
fn window(text: &str, start: usize, end: usize, anchor: usize) -> (usize, usize) {
    let total = WINDOW_BEFORE + WINDOW_AFTER;
    let (mut ws, before) = walk_back(&text[start..anchor], WINDOW_BEFORE);
    let (we, after) = walk_forward(&text[anchor..end], total - before);
    if before + after < total {
        ws = walk_back(&text[start..anchor], total - after).0;
    }
    ws += start;
    (ws, anchor + we)
}

/// The offset in `s` that is `n` characters before its end (or 0), and how
/// many characters that is.
fn walk_back(s: &str, n: usize) -> (usize, usize) {
    match s.char_indices().rev().take(n).last() {
        Some((i, _)) => (i, s[i..].chars().count()),
        None => (s.len(), 0),
    }
}

/// The offset in `s` after its first `n` characters, and how many
/// characters that is.
fn walk_forward(s: &str, n: usize) -> (usize, usize) {
    let mut count = 0;
    for (i, _) in s.char_indices() {
        if count == n {
            return (i, count);
        }
        count += 1;
    }
    (s.len(), count)
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_boundary(text: &str, mut at: usize) -> usize {
    while at < text.len() && !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceMap;

    fn cut(text: &str, spans: &[(usize, usize)]) -> (String, Vec<String>) {
        let mut sources = SourceMap::default();
        let id = sources.add("t.ipl", "t.ipl".into(), text);
        let Some(file) = sources.get(id) else {
            panic!("no file")
        };
        let spans: Vec<Span> = spans.iter().map(|&(s, e)| Span::new(s, e)).collect();
        let (ex, mapped) = excerpt(file, &spans);
        let labelled = mapped
            .iter()
            .map(|s| ex.text[s.offset()..s.offset() + s.len()].to_string())
            .collect();
        (ex.text, labelled)
    }

    #[test]
    fn short_lines_are_kept_whole_with_one_line_of_context() {
        let text = "a\nb\nc x d\ne\nf\n";
        let x = text.find('x').unwrap();
        let (ex, labels) = cut(text, &[(x, x + 1)]);
        assert_eq!(ex, "b\nc x d\ne\n");
        assert_eq!(labels, ["x"]);
    }

    #[test]
    fn a_long_line_is_cut_around_its_label() {
        let text = format!(
            "{}LABEL{}\nnext\n",
            " ".repeat(100_000),
            "y".repeat(100_000)
        );
        let (ex, labels) = cut(&text, &[(100_000, 100_005)]);
        let first = ex.lines().next().unwrap();
        assert!(
            first.starts_with(ELLIPSIS) && first.ends_with(ELLIPSIS),
            "{first}"
        );
        assert_eq!(
            first.chars().count(),
            WINDOW_BEFORE + WINDOW_AFTER + 2,
            "{first}"
        );
        assert_eq!(labels, ["LABEL"]);
        assert!(ex.ends_with("\nnext\n"));
    }

    #[test]
    fn a_label_near_the_start_of_a_long_line_keeps_the_full_width() {
        let text = format!("ab{}\n", "z".repeat(1000));
        let (ex, labels) = cut(&text, &[(0, 2)]);
        assert!(!ex.starts_with(ELLIPSIS));
        assert_eq!(
            ex.trim_end().chars().count(),
            WINDOW_BEFORE + WINDOW_AFTER + 1
        );
        assert_eq!(labels, ["ab"]);
    }

    #[test]
    fn a_label_longer_than_the_window_is_clipped() {
        let text = format!("{}\n", "é".repeat(10_000));
        let (ex, labels) = cut(&text, &[(2 * 5_000, 2 * 9_000)]);
        assert!(labels[0].ends_with(ELLIPSIS), "{}", labels[0]);
        assert!(ex.len() < 1_000);
    }

    #[test]
    fn many_lines_of_a_label_shrink_to_its_first() {
        let text = "x\n".repeat(1_000);
        let (ex, labels) = cut(&text, &[(0, text.len())]);
        assert_eq!(labels, ["x"]);
        assert_eq!(ex, "x\nx\n");
    }

    #[test]
    fn the_real_column_of_a_cut_line() {
        let text = format!("{}LABEL{}\n", " ".repeat(100_000), "y".repeat(1_000));
        let mut sources = SourceMap::default();
        let id = sources.add("t.ipl", "t.ipl".into(), text.as_str());
        let file = sources.get(id).unwrap();
        let (ex, mapped) = excerpt(file, &[Span::new(100_000, 100_005)]);
        // miette's column is a byte column in the excerpt.
        let column = mapped[0].offset();
        assert_eq!(ex.real_column(mapped[0].offset(), column), 100_000);
    }

    #[test]
    fn out_of_range_and_mid_character_spans_are_clamped() {
        let (_, labels) = cut("é\n", &[(1, 99)]);
        assert_eq!(labels, ["é\n"]);
        let (ex, labels) = cut("", &[(0, 0)]);
        assert_eq!((ex.as_str(), labels), ("", vec![String::new()]));
    }
}
