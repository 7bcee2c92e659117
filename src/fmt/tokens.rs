//! The tokens of a parsed file (pest leaves and literal punctuation) and its comments, each comment attached to a token.

use pest::iterators::{Pair, Pairs};

use crate::syntax::Rule;

/// One token of the source: a leaf of the concrete syntax tree or a literal
/// `{ } ( ) = +` between leaves. Commas are not tokens: the printer writes
/// its own.
#[derive(Debug, Clone)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    /// Comments on their own lines right before the token.
    pub leading: Vec<usize>,
    /// The comment after the token on the same line.
    pub trailing: Option<usize>,
    /// A blank line between the last leading comment and the token.
    pub blank_after_leading: bool,
}

/// One `//` comment; its text is `source[start..end]` without trailing
/// whitespace.
#[derive(Debug, Clone)]
pub struct Comment {
    pub start: usize,
    pub end: usize,
    /// A blank line between the previous token or comment and this one.
    pub blank_before: bool,
}

/// Every token and comment of a file, in source order.
#[derive(Debug)]
pub struct Tokens<'a> {
    pub text: &'a str,
    pub toks: Vec<Token>,
    pub comments: Vec<Comment>,
    /// Comments after the last token, on their own lines.
    pub trailer: Vec<usize>,
    /// `with_leading[i]`: how many tokens before `i` have leading comments.
    with_leading: Vec<u32>,
    /// `with_trailing[i]`: how many tokens before `i` have a trailing comment.
    with_trailing: Vec<u32>,
}

/// What went wrong when the tree and the text disagree (a formatter bug).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch(pub String);

impl<'a> Tokens<'a> {
    /// Collects the tokens and comments of `text` from the parse trees of
    /// its items; `items` holds each chunk's offset and its pairs.
    pub fn collect(text: &'a str, items: &[(usize, Pairs<'_, Rule>)]) -> Result<Self, Mismatch> {
        // Every pair in source order (pre-order); a pair is a leaf when the
        // next pair that is not a comment does not start inside it.
        let mut pairs: Vec<(Rule, usize, usize)> = Vec::new();
        for (offset, item) in items {
            for pair in item.clone().flatten() {
                let span = pair.as_span();
                pairs.push((pair.as_rule(), offset + span.start(), offset + span.end()));
            }
        }
        let mut leaves: Vec<(usize, usize)> = Vec::new();
        let mut tree_comments: Vec<usize> = Vec::new();
        let mut inside_string = 0;
        for (i, &(rule, start, end)) in pairs.iter().enumerate() {
            match rule {
                Rule::COMMENT => tree_comments.push(start),
                Rule::EOI => {}
                _ if start < inside_string => {}
                Rule::string => {
                    leaves.push((start, end));
                    inside_string = end;
                }
                _ => {
                    let child = pairs[i + 1..]
                        .iter()
                        .find(|(r, _, _)| *r != Rule::COMMENT)
                        .is_some_and(|&(_, child_start, _)| child_start < end);
                    if !child && end > start {
                        leaves.push((start, end));
                    }
                }
            }
        }
        let mut tokens = Tokens {
            text,
            toks: Vec::with_capacity(leaves.len() * 5 / 4),
            comments: Vec::new(),
            trailer: Vec::new(),
            with_leading: Vec::new(),
            with_trailing: Vec::new(),
        };
        let mut at = 0;
        for (start, end) in leaves {
            if start < at {
                return Err(Mismatch(format!("overlapping tokens at byte {start}")));
            }
            tokens.scan_gap(at, start)?;
            tokens.push(start, end);
            at = end;
        }
        tokens.scan_gap(at, text.len())?;
        let scanned: Vec<usize> = tokens.comments.iter().map(|c| c.start).collect();
        if scanned != tree_comments {
            return Err(Mismatch(
                "the comments in the parse tree differ from those in the text".to_string(),
            ));
        }
        tokens.attach();
        Ok(tokens)
    }

    fn push(&mut self, start: usize, end: usize) {
        self.toks.push(Token {
            start,
            end,
            leading: Vec::new(),
            trailing: None,
            blank_after_leading: false,
        });
    }

    /// Reads the text between two leaves: whitespace, commas, comments and
    /// the literal punctuation of the grammar.
    fn scan_gap(&mut self, from: usize, to: usize) -> Result<(), Mismatch> {
        let bytes = self.text.as_bytes();
        let mut i = from;
        while i < to {
            match bytes[i] {
                b' ' | b'\t' | b'\r' | b'\n' | b',' => i += 1,
                b'{' | b'}' | b'(' | b')' | b'=' | b'+' | b'-' => {
                    self.push(i, i + 1);
                    i += 1;
                }
                b'/' if bytes.get(i + 1) == Some(&b'/') => {
                    let end = self.text[i..to].find(['\r', '\n']).map_or(to, |n| i + n);
                    let trimmed = i + self.text[i..end].trim_end().len();
                    self.comments.push(Comment {
                        start: i,
                        end: trimmed,
                        blank_before: false,
                    });
                    i = end;
                }
                _ if self.text[i..].starts_with('\u{FEFF}') => i += '\u{FEFF}'.len_utf8(),
                _ => {
                    let shown: String = self.text[i..].chars().take(10).collect();
                    return Err(Mismatch(format!(
                        "unexpected text `{shown}` between tokens at byte {i}"
                    )));
                }
            }
        }
        Ok(())
    }

    /// Gives each comment to its token: a comment after code on its line
    /// (a token, or a comma after one) is that token's trailing comment; any
    /// other comment leads the next token.
    fn attach(&mut self) {
        let text = self.text;
        let mut pending: Vec<usize> = Vec::new();
        let mut prev_tok: Option<usize> = None;
        let mut prev_end = 0;
        let mut c = 0;
        for t in 0..=self.toks.len() {
            let limit = self.toks.get(t).map_or(usize::MAX, |tok| tok.start);
            while c < self.comments.len() && self.comments[c].start < limit {
                let comment = &mut self.comments[c];
                // Code before it on its line: the previous token, or a
                // comma after it.
                let line = text[..comment.start].rfind('\n').map_or(0, |n| n + 1);
                let same_line = prev_tok.is_some_and(|p| {
                    pending.is_empty()
                        && self.toks[p].trailing.is_none()
                        && text[line..comment.start]
                            .contains(|c: char| !c.is_whitespace() && c != '\u{feff}')
                });
                match prev_tok {
                    Some(p) if same_line => self.toks[p].trailing = Some(c),
                    _ => {
                        comment.blank_before = blank_line(&text[prev_end..comment.start]);
                        pending.push(c);
                    }
                }
                prev_end = comment.end;
                c += 1;
            }
            match self.toks.get_mut(t) {
                Some(tok) => {
                    if !pending.is_empty() {
                        tok.blank_after_leading = blank_line(&text[prev_end..tok.start]);
                        tok.leading = std::mem::take(&mut pending);
                    }
                    prev_tok = Some(t);
                    prev_end = tok.end;
                }
                None => self.trailer = std::mem::take(&mut pending),
            }
        }
        let (mut lead, mut trail) = (0u32, 0u32);
        self.with_leading = Vec::with_capacity(self.toks.len() + 1);
        self.with_trailing = Vec::with_capacity(self.toks.len() + 1);
        for tok in &self.toks {
            self.with_leading.push(lead);
            self.with_trailing.push(trail);
            lead += u32::from(!tok.leading.is_empty());
            trail += u32::from(tok.trailing.is_some());
        }
        self.with_leading.push(lead);
        self.with_trailing.push(trail);
    }

    /// The text of a token.
    pub fn tok_text(&self, i: usize) -> &'a str {
        self.toks.get(i).map_or("", |t| &self.text[t.start..t.end])
    }

    /// The text of a comment, trailing whitespace removed.
    pub fn comment_text(&self, i: usize) -> &'a str {
        self.comments
            .get(i)
            .map_or("", |c| &self.text[c.start..c.end])
    }

    /// The index of the token starting at byte `start`.
    pub fn index_at(&self, start: usize) -> Option<usize> {
        self.toks.binary_search_by_key(&start, |t| t.start).ok()
    }

    /// Whether a comment sits between tokens `first` and `last` (both
    /// included), counting the comments leading `first` but not the one
    /// trailing `last`.
    pub fn comments_within(&self, first: usize, last: usize) -> bool {
        if first > last || last >= self.toks.len() {
            return false;
        }
        self.with_leading[last + 1] > self.with_leading[first]
            || self.with_trailing[last] > self.with_trailing[first]
    }

    /// Like [`Tokens::comments_within`] without the comments leading `first`.
    pub fn comments_inside(&self, first: usize, last: usize) -> bool {
        if first >= last || last >= self.toks.len() {
            return false;
        }
        self.with_leading[last + 1] > self.with_leading[first + 1]
            || self.with_trailing[last] > self.with_trailing[first]
    }
}

/// A pair with no children but comments: a token of its own.
pub fn is_leaf(pair: &Pair<'_, Rule>) -> bool {
    pair.clone()
        .into_inner()
        .all(|p| p.as_rule() == Rule::COMMENT)
}

/// Whether whitespace holds an empty line.
fn blank_line(between: &str) -> bool {
    between.bytes().filter(|&b| b == b'\n').count() >= 2
}
