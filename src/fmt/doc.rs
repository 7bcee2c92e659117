//! The layout document (tokens, spaces, breakable lines, groups) and the printer that lays it out in 100 columns.

use super::tokens::Tokens;

/// Longest line the printer aims for, in characters.
pub const MAX_WIDTH: usize = 100;
/// One indentation level, in spaces.
pub const INDENT: usize = 2;

/// A layout document: what to print and where lines may break.
#[derive(Debug)]
pub enum Doc {
    /// A source token, printed with its comments.
    Tok(usize),
    /// Generated text (a comma).
    Text(&'static str),
    /// Spaces that align what follows.
    Pad(usize),
    /// One space that never breaks (a trailing comment turns it into a
    /// line break indented one level).
    Space,
    /// A space, or a line break when the enclosing group breaks.
    Line,
    /// Nothing, or a line break when the enclosing group breaks.
    SoftLine,
    /// Always a line break.
    HardLine,
    /// A comment on a line of its own, between top-level items.
    Comment(usize),
    Concat(Vec<Doc>),
    /// The contents, one indentation level deeper after line breaks.
    Indent(Vec<Doc>),
    /// The contents, this many columns deeper after line breaks.
    Align(usize, Vec<Doc>),
    Group(Group),
    /// Units separated by spaces, a unit moving to the next line when it
    /// does not fit.
    Fill(Vec<FillUnit>),
}

/// Contents printed on one line when they fit and hold no comment, else
/// with every `Line` of their own broken.
#[derive(Debug)]
pub struct Group {
    pub docs: Vec<Doc>,
    /// A comment inside: the group cannot be flat.
    pub must_break: bool,
    /// Breaks when too wide; when false, only comments break it.
    pub by_width: bool,
}

/// One unit of a [`Doc::Fill`].
#[derive(Debug)]
pub struct FillUnit {
    pub doc: Doc,
    /// The unit's first token has comments on lines before it.
    pub starts_line: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Flat,
    Break,
}

enum Cmd<'d> {
    Doc(usize, Mode, &'d Doc),
    Fill(usize, &'d [FillUnit], usize),
}

/// Lays `doc` out; the result ends with exactly one line feed unless empty.
pub fn print(doc: &Doc, tokens: &Tokens<'_>) -> String {
    let mut printer = Printer {
        tokens,
        out: String::with_capacity(tokens.text.len() + tokens.text.len() / 8),
        line_start: 0,
        col: 0,
        pending: None,
    };
    printer.run(doc);
    printer.finish()
}

struct Printer<'t, 'a> {
    tokens: &'t Tokens<'a>,
    out: String,
    /// Where the current line starts in `out`.
    line_start: usize,
    /// Characters on the current line.
    col: usize,
    /// A trailing comment waiting for the next line break.
    pending: Option<usize>,
}

impl Printer<'_, '_> {
    fn run(&mut self, root: &Doc) {
        let mut stack: Vec<Cmd<'_>> = vec![Cmd::Doc(0, Mode::Break, root)];
        while let Some(cmd) = stack.pop() {
            let (ind, mode, doc) = match cmd {
                Cmd::Doc(ind, mode, doc) => (ind, mode, doc),
                Cmd::Fill(ind, units, next) => {
                    let Some(unit) = units.get(next) else {
                        continue;
                    };
                    if next > 0 {
                        let width = flat_width(&unit.doc, self.tokens);
                        if unit.starts_line
                            || self.pending.is_some()
                            || self.col + 1 + width > MAX_WIDTH
                        {
                            self.newline(ind);
                        } else {
                            self.write(" ");
                        }
                    }
                    stack.push(Cmd::Fill(ind, units, next + 1));
                    stack.push(Cmd::Doc(ind, Mode::Flat, &unit.doc));
                    continue;
                }
            };
            match doc {
                Doc::Tok(i) => self.token(*i, ind),
                Doc::Text(text) => self.write(text),
                Doc::Pad(n) => self.spaces(*n),
                Doc::Space => self.gap(ind + INDENT, " "),
                Doc::Line if mode == Mode::Flat => self.gap(ind, " "),
                Doc::SoftLine if mode == Mode::Flat => self.gap(ind, ""),
                Doc::Line | Doc::SoftLine | Doc::HardLine => self.newline(ind),
                Doc::Comment(c) => {
                    self.flush_pending();
                    let text = self.tokens.comment_text(*c);
                    self.write(text);
                }
                Doc::Concat(docs) => push_all(&mut stack, ind, mode, docs),
                Doc::Indent(docs) => push_all(&mut stack, ind + INDENT, mode, docs),
                Doc::Align(n, docs) => push_all(&mut stack, ind + n, mode, docs),
                Doc::Group(group) => {
                    let flat = mode == Mode::Flat
                        || (!group.must_break
                            && (!group.by_width || self.fits(&group.docs, &stack)));
                    let mode = if flat && !group.must_break {
                        Mode::Flat
                    } else {
                        Mode::Break
                    };
                    push_all(&mut stack, ind, mode, &group.docs);
                }
                Doc::Fill(units) => stack.push(Cmd::Fill(ind, units, 0)),
            }
        }
        self.flush_pending();
    }

    /// Whether `docs` fit flat on the rest of the line, together with what
    /// follows them up to the next possible line break.
    fn fits(&self, docs: &[Doc], rest: &[Cmd<'_>]) -> bool {
        let mut remaining = MAX_WIDTH as isize - self.col as isize;
        let mut local: Vec<(Mode, &Doc)> = docs.iter().rev().map(|d| (Mode::Flat, d)).collect();
        let mut rest_index = rest.len();
        loop {
            let (mode, doc) = match local.pop() {
                Some(next) => next,
                None => {
                    if rest_index == 0 {
                        return true;
                    }
                    rest_index -= 1;
                    match &rest[rest_index] {
                        Cmd::Doc(_, mode, doc) => (*mode, *doc),
                        Cmd::Fill(..) => return true,
                    }
                }
            };
            match doc {
                Doc::Tok(i) => remaining -= width(self.tokens.tok_text(*i)) as isize,
                Doc::Text(text) => remaining -= width(text) as isize,
                Doc::Pad(n) => remaining -= *n as isize,
                Doc::Space => remaining -= 1,
                Doc::Line if mode == Mode::Flat => remaining -= 1,
                Doc::SoftLine if mode == Mode::Flat => {}
                Doc::Line | Doc::SoftLine | Doc::HardLine | Doc::Comment(_) | Doc::Fill(_) => {
                    return true;
                }
                Doc::Concat(docs) | Doc::Indent(docs) | Doc::Align(_, docs) => {
                    local.extend(docs.iter().rev().map(|d| (mode, d)));
                }
                Doc::Group(group) => {
                    let mode = if group.must_break { Mode::Break } else { mode };
                    local.extend(group.docs.iter().rev().map(|d| (mode, d)));
                }
            }
            if remaining < 0 {
                return false;
            }
        }
    }

    /// Prints a token, with the comments on the lines before it and the
    /// one after it.
    fn token(&mut self, i: usize, ind: usize) {
        let tokens = self.tokens;
        let Some(tok) = tokens.toks.get(i) else {
            return;
        };
        if !tok.leading.is_empty() {
            self.flush_pending();
            if !self.at_line_start() {
                self.newline(ind + INDENT);
            }
            let base = self.col;
            // Comments before a closing brace stay inside the block.
            let inside = if tokens.tok_text(i) == "}" {
                base + INDENT
            } else {
                base
            };
            self.reindent(inside);
            for &c in &tok.leading {
                self.write(tokens.comment_text(c));
                self.newline(inside);
            }
            self.reindent(base);
        }
        let text = tokens.tok_text(i);
        if self.pending.is_some() && (text != ")" || tok.trailing.is_some()) {
            // Only a closing parenthesis joins the code before a trailing
            // comment, and two comments cannot share a line.
            self.newline(ind + INDENT);
        }
        self.write(text);
        if let Some(c) = tok.trailing {
            self.pending = Some(c);
        }
    }

    /// A space, or a line break indented to `ind` when a trailing comment
    /// has to end the line first.
    fn gap(&mut self, ind: usize, text: &str) {
        if self.pending.is_some() {
            self.newline(ind);
        } else {
            self.write(text);
        }
    }

    fn flush_pending(&mut self) {
        if let Some(c) = self.pending.take() {
            self.trim_line_end();
            let text = self.tokens.comment_text(c);
            self.write(" ");
            self.write(text);
        }
    }

    fn newline(&mut self, ind: usize) {
        self.flush_pending();
        self.trim_line_end();
        self.out.push('\n');
        self.line_start = self.out.len();
        self.col = 0;
        self.spaces(ind);
    }

    fn trim_line_end(&mut self) {
        let kept = self.out[self.line_start..]
            .trim_end_matches([' ', '\t'])
            .len();
        let removed = self.out.len() - self.line_start - kept;
        self.out.truncate(self.line_start + kept);
        self.col = self.col.saturating_sub(removed);
    }

    fn at_line_start(&self) -> bool {
        self.out[self.line_start..].bytes().all(|b| b == b' ')
    }

    /// Replaces the indentation of a line that holds nothing else.
    fn reindent(&mut self, ind: usize) {
        self.out.truncate(self.line_start);
        self.col = 0;
        self.spaces(ind);
    }

    fn spaces(&mut self, n: usize) {
        self.out.extend(std::iter::repeat_n(' ', n));
        self.col += n;
    }

    fn write(&mut self, text: &str) {
        self.out.push_str(text);
        self.col += width(text);
    }

    fn finish(mut self) -> String {
        self.flush_pending();
        let kept = self.out.trim_end().len();
        self.out.truncate(kept);
        if !self.out.is_empty() {
            self.out.push('\n');
        }
        self.out
    }
}

fn push_all<'d>(stack: &mut Vec<Cmd<'d>>, ind: usize, mode: Mode, docs: &'d [Doc]) {
    stack.extend(docs.iter().rev().map(|d| Cmd::Doc(ind, mode, d)));
}

/// Columns taken by a text.
pub fn width(text: &str) -> usize {
    if text.is_ascii() {
        text.len()
    } else {
        text.chars().count()
    }
}

/// The width of a document printed on one line, comments aside.
pub fn flat_width(doc: &Doc, tokens: &Tokens<'_>) -> usize {
    let mut total = 0;
    let mut stack = vec![doc];
    while let Some(doc) = stack.pop() {
        match doc {
            Doc::Tok(i) => total += width(tokens.tok_text(*i)),
            Doc::Text(text) => total += width(text),
            Doc::Pad(n) => total += n,
            Doc::Space | Doc::Line => total += 1,
            Doc::SoftLine | Doc::HardLine | Doc::Comment(_) => {}
            Doc::Concat(docs) | Doc::Indent(docs) | Doc::Align(_, docs) => {
                stack.extend(docs.iter().rev())
            }
            Doc::Group(group) => stack.extend(group.docs.iter().rev()),
            Doc::Fill(units) => {
                total += units.len().saturating_sub(1);
                stack.extend(units.iter().rev().map(|u| &u.doc));
            }
        }
    }
    total
}
