//! The canonical layout of each kind of item, built from its pest parse tree.

use pest::iterators::Pair;

use super::doc::{Doc, FillUnit, Group, INDENT, MAX_WIDTH, width};
use super::tokens::{Mismatch, Tokens, is_leaf};
use crate::syntax::Rule;

/// Deepest parse tree the builder follows. The parser already refuses
/// input nested more than 64 levels, far below this.
const MAX_DEPTH: usize = 1024;

type Built = Result<Doc, Mismatch>;

/// One top-level item: the offset of its chunk and its parse tree.
pub type ItemTree<'i> = (usize, Pair<'i, Rule>);

/// The document of a whole file, and the first token of every item (whose
/// leading comments the document prints itself, between items).
pub fn file(tokens: &Tokens<'_>, items: &[ItemTree<'_>]) -> Result<(Doc, Vec<usize>), Mismatch> {
    let pads = run_pads(items);
    let mut builder = Builder {
        tokens,
        offset: 0,
        cursor: 0,
        depth: 0,
        in_condition: false,
    };
    let mut docs = Vec::new();
    let mut firsts = Vec::new();
    let mut previous: Option<Rule> = None;
    for (i, (offset, pair)) in items.iter().enumerate() {
        let first = builder.cursor;
        let (lead, blank_after) = tokens.toks.get(first).map_or((&[][..], false), |t| {
            (&t.leading[..], t.blank_after_leading)
        });
        let key = run_key(pair);
        if i > 0 {
            let run = key.is_some() && key == previous;
            let blank = match lead.first() {
                None => !run,
                Some(&c) => !run || tokens.comments[c].blank_before,
            };
            docs.push(Doc::HardLine);
            if blank {
                docs.push(Doc::HardLine);
            }
        }
        for (j, &c) in lead.iter().enumerate() {
            if j > 0 && tokens.comments[c].blank_before {
                docs.push(Doc::HardLine);
            }
            docs.push(Doc::Comment(c));
            docs.push(Doc::HardLine);
        }
        if !lead.is_empty() && blank_after {
            docs.push(Doc::HardLine);
        }
        builder.offset = *offset;
        docs.push(builder.item(pair.clone(), pads[i])?);
        firsts.push(first);
        previous = key;
    }
    if builder.cursor != tokens.toks.len() {
        return Err(Mismatch(format!(
            "{} token(s) left over after the last item",
            tokens.toks.len() - builder.cursor
        )));
    }
    for (j, &c) in tokens.trailer.iter().enumerate() {
        if j > 0 || !items.is_empty() {
            docs.push(Doc::HardLine);
        }
        if tokens.comments[c].blank_before && (j > 0 || !items.is_empty()) {
            docs.push(Doc::HardLine);
        }
        docs.push(Doc::Comment(c));
    }
    Ok((Doc::Concat(docs), firsts))
}

/// Items printed one after the other without a blank line, names aligned:
/// runs of `party`, of `third_party`, of `group`, of `fact` and of `event`
/// declarations.
fn run_key(pair: &Pair<'_, Rule>) -> Option<Rule> {
    match pair.as_rule() {
        rule @ (Rule::party | Rule::third_party | Rule::group | Rule::fact | Rule::event) => {
            Some(rule)
        }
        _ => None,
    }
}

/// For each item, the spaces after its name that align it with its run.
fn run_pads(items: &[ItemTree<'_>]) -> Vec<usize> {
    let name_width = |pair: &Pair<'_, Rule>| kids(pair).get(1).map_or(0, |p| width(p.as_str()));
    let mut pads = vec![0; items.len()];
    let mut start = 0;
    while start < items.len() {
        let key = run_key(&items[start].1);
        let mut end = start + 1;
        while key.is_some() && end < items.len() && run_key(&items[end].1) == key {
            end += 1;
        }
        let widest = items[start..end]
            .iter()
            .map(|(_, p)| name_width(p))
            .max()
            .unwrap_or(0);
        for i in start..end {
            pads[i] = widest - name_width(&items[i].1);
        }
        start = end;
    }
    pads
}

/// The children of a pair, comments left out (the tokens carry them).
fn kids<'i>(pair: &Pair<'i, Rule>) -> Vec<Pair<'i, Rule>> {
    pair.clone()
        .into_inner()
        .filter(|p| p.as_rule() != Rule::COMMENT)
        .collect()
}

/// Whether a document starts with a breakable line (a list does: the
/// space before its first element is its own).
fn starts_with_line(mut doc: &Doc) -> bool {
    loop {
        doc = match doc {
            Doc::Line | Doc::SoftLine => return true,
            Doc::Concat(docs) | Doc::Indent(docs) | Doc::Align(_, docs) => match docs.first() {
                Some(first) => first,
                None => return false,
            },
            Doc::Group(group) => match group.docs.first() {
                Some(first) => first,
                None => return false,
            },
            _ => return false,
        };
    }
}

struct Builder<'t, 'a> {
    tokens: &'t Tokens<'a>,
    /// Where the current item's chunk starts in the file.
    offset: usize,
    /// The next token to print.
    cursor: usize,
    depth: usize,
    /// Inside `when`/`unless`: lists break only around comments.
    in_condition: bool,
}

impl Builder<'_, '_> {
    fn item(&mut self, pair: Pair<'_, Rule>, pad: usize) -> Built {
        match pair.as_rule() {
            Rule::agreement => self.agreement(&pair),
            Rule::party | Rule::third_party => self.party(&pair, pad),
            Rule::group => self.group(&pair, pad),
            Rule::tree => self.tree(&pair),
            Rule::asset => self.asset(&pair),
            Rule::grant => self.grant(&pair),
            Rule::clause => self.clause(&pair),
            Rule::scenario => self.scenario(&pair),
            Rule::fact | Rule::event => self.party(&pair, pad),
            Rule::instrument => self.join(kids(&pair)),
            Rule::amendment => self.amendment(&pair),
            other => Err(Mismatch(format!("unexpected item {other:?}"))),
        }
    }

    /// The token a leaf of the tree stands for.
    fn leaf(&mut self, pair: &Pair<'_, Rule>) -> Built {
        let start = self.offset + pair.as_span().start();
        match self.tokens.toks.get(self.cursor) {
            Some(tok) if tok.start == start => {
                self.cursor += 1;
                Ok(Doc::Tok(self.cursor - 1))
            }
            _ => Err(Mismatch(format!("token at byte {start} out of order"))),
        }
    }

    /// The next token, which must be the punctuation `text`.
    fn punct(&mut self, text: &str) -> Built {
        if self.tokens.tok_text(self.cursor) == text {
            self.cursor += 1;
            Ok(Doc::Tok(self.cursor - 1))
        } else {
            Err(Mismatch(format!(
                "expected `{text}` as token {}, found `{}`",
                self.cursor,
                self.tokens.tok_text(self.cursor)
            )))
        }
    }

    /// Any part of an item, laid out by what it is.
    fn node(&mut self, pair: Pair<'_, Rule>) -> Built {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Mismatch("nesting too deep".to_string()));
        }
        let built = match pair.as_rule() {
            Rule::string => self.leaf(&pair),
            _ if is_leaf(&pair) => self.leaf(&pair),
            Rule::ident_list | Rule::assets | Rule::action_names => self.list(kids(&pair)),
            Rule::parties => self.parties(&pair),
            Rule::time => self.time(&pair),
            Rule::unary => self.unary(&pair),
            Rule::when_line | Rule::unless_line => {
                let outer = std::mem::replace(&mut self.in_condition, true);
                let built = self.join(kids(&pair));
                self.in_condition = outer;
                built
            }
            _ => self.join(kids(&pair)),
        };
        self.depth -= 1;
        built
    }

    /// Parts one after the other, a space between them.
    fn join(&mut self, parts: Vec<Pair<'_, Rule>>) -> Built {
        let mut docs = Vec::with_capacity(parts.len() * 2);
        for part in parts {
            let doc = self.node(part)?;
            if !docs.is_empty() && !starts_with_line(&doc) {
                docs.push(Doc::Space);
            }
            docs.push(doc);
        }
        Ok(Doc::Concat(docs))
    }

    /// `a, b, c`, or one element per line, indented, when too wide or
    /// holding a comment.
    fn list(&mut self, elements: Vec<Pair<'_, Rule>>) -> Built {
        let first = self.cursor;
        let inner = self.elements(elements)?;
        Ok(self.breakable(first, inner))
    }

    /// The elements of a list, each after a line break, commas between.
    fn elements(&mut self, elements: Vec<Pair<'_, Rule>>) -> Result<Vec<Doc>, Mismatch> {
        let mut inner = Vec::with_capacity(elements.len() * 3);
        for (i, element) in elements.into_iter().enumerate() {
            if i > 0 {
                inner.push(Doc::Text(","));
            }
            inner.push(Doc::Line);
            inner.push(self.node(element)?);
        }
        Ok(inner)
    }

    /// A group of the tokens from `first` on, indented when broken.
    fn breakable(&self, first: usize, inner: Vec<Doc>) -> Doc {
        let must_break = self.cursor > first && self.tokens.comments_within(first, self.cursor - 1);
        Doc::Group(Group {
            docs: vec![Doc::Indent(inner)],
            must_break,
            by_width: !self.in_condition,
        })
    }

    /// `members, catl except owners`; when broken, each included party on
    /// a line of its own, then `except` and the excluded ones.
    fn parties(&mut self, pair: &Pair<'_, Rule>) -> Built {
        match kids(pair).as_slice() {
            [include] => self.list(kids(include)),
            [include, except, excluded] => {
                let first = self.cursor;
                let mut inner = self.elements(kids(include))?;
                inner.push(Doc::Line);
                inner.push(self.node(except.clone())?);
                inner.push(self.list(kids(excluded))?);
                Ok(self.breakable(first, inner))
            }
            _ => Err(Mismatch("a party selector of an unknown shape".to_string())),
        }
    }

    /// `expires + 12 months - 1 day`
    fn time(&mut self, pair: &Pair<'_, Rule>) -> Built {
        let mut docs = Vec::new();
        for part in kids(pair) {
            let sign = match part.as_rule() {
                Rule::offset_plus => "+",
                Rule::offset_minus => "-",
                _ => {
                    docs.push(self.node(part)?);
                    continue;
                }
            };
            docs.extend([Doc::Space, self.punct(sign)?, Doc::Space]);
            for duration in kids(&part) {
                docs.push(self.node(duration)?);
            }
        }
        Ok(Doc::Concat(docs))
    }

    /// `amendment A1 "title" effective DATE [removes 5.2, 7.1]`: labels
    /// comma-separated, never broken (a label could read as an item).
    fn amendment(&mut self, pair: &Pair<'_, Rule>) -> Built {
        let mut docs = Vec::new();
        for part in kids(pair) {
            if !docs.is_empty() {
                docs.push(Doc::Space);
            }
            if part.as_rule() == Rule::removes {
                for (i, label) in kids(&part).into_iter().enumerate() {
                    if i > 1 {
                        docs.push(Doc::Text(","));
                    }
                    if i > 0 {
                        docs.push(Doc::Space);
                    }
                    docs.push(self.node(label)?);
                }
            } else {
                docs.push(self.node(part)?);
            }
        }
        Ok(Doc::Concat(docs))
    }

    /// `not not (a or b)`: parentheses kept as written.
    fn unary(&mut self, pair: &Pair<'_, Rule>) -> Built {
        let mut docs = Vec::new();
        for part in kids(pair) {
            match part.as_rule() {
                Rule::not => {
                    docs.push(self.node(part)?);
                    docs.push(Doc::Space);
                }
                Rule::expr => {
                    docs.push(self.punct("(")?);
                    docs.push(self.node(part)?);
                    docs.push(self.punct(")")?);
                }
                _ => docs.push(self.node(part)?),
            }
        }
        Ok(Doc::Concat(docs))
    }

    /// `{`, then the lines one per line, indented, then `}`; `{}` when
    /// empty. `lines` builds the lines between the braces.
    fn block(&mut self, lines: impl FnOnce(&mut Self) -> Result<Vec<Doc>, Mismatch>) -> Built {
        let open_at = self.cursor;
        let open = self.punct("{")?;
        let lines = lines(self)?;
        let close_at = self.cursor;
        let close = self.punct("}")?;
        if lines.is_empty() {
            return Ok(Doc::Group(Group {
                docs: vec![open, Doc::SoftLine, close],
                must_break: self.tokens.comments_inside(open_at, close_at),
                by_width: false,
            }));
        }
        let mut inner = Vec::with_capacity(lines.len() * 2);
        for line in lines {
            inner.push(Doc::HardLine);
            inner.push(line);
        }
        Ok(Doc::Concat(vec![
            open,
            Doc::Indent(inner),
            Doc::HardLine,
            close,
        ]))
    }

    /// The words before a block's `{`, a space after each.
    fn header(&mut self, parts: &[Pair<'_, Rule>]) -> Result<Vec<Doc>, Mismatch> {
        let mut docs = Vec::new();
        for part in parts {
            docs.push(self.node(part.clone())?);
            docs.push(Doc::Space);
        }
        Ok(docs)
    }

    /// A line whose value is aligned with the other lines of its block:
    /// `expires   2028-12-31`.
    fn keyed_line(&mut self, pair: &Pair<'_, Rule>, key_width: usize) -> Built {
        let parts = kids(pair);
        let Some((key, values)) = parts.split_first() else {
            return Ok(Doc::Concat(Vec::new()));
        };
        let key_doc = self.node(key.clone())?;
        if values.is_empty() {
            return Ok(key_doc);
        }
        let mut docs = vec![
            key_doc,
            Doc::Pad(key_width.saturating_sub(width(key.as_str()))),
        ];
        let values = if pair.as_rule() == Rule::owners_line {
            self.list(values.to_vec())?
        } else {
            self.join(values.to_vec())?
        };
        if !starts_with_line(&values) {
            docs.push(Doc::Space);
        }
        docs.push(values);
        Ok(Doc::Concat(docs))
    }

    /// Lines of an agreement or asset body, values aligned.
    fn keyed_lines(&mut self, lines: &[Pair<'_, Rule>]) -> Result<Vec<Doc>, Mismatch> {
        let key_width = lines
            .iter()
            .filter(|line| kids(line).len() > 1 && line.as_rule() != Rule::include_affiliates)
            .filter_map(|line| kids(line).first().map(|key| width(key.as_str())))
            .max()
            .unwrap_or(0);
        lines
            .iter()
            .map(|line| self.keyed_line(line, key_width))
            .collect()
    }

    /// `agreement "title" { effective … }`
    fn agreement(&mut self, pair: &Pair<'_, Rule>) -> Built {
        let parts = kids(pair);
        let (head, lines) = parts.split_at(parts.len().min(2));
        let mut docs = self.header(head)?;
        docs.push(self.block(|b| b.keyed_lines(lines))?);
        Ok(Doc::Concat(docs))
    }

    /// `party id "Legal name" [affiliate of id]`, the name aligned with the
    /// run of parties it belongs to.
    fn party(&mut self, pair: &Pair<'_, Rule>, pad: usize) -> Built {
        let mut docs = Vec::new();
        for (i, part) in kids(pair).into_iter().enumerate() {
            if i > 0 {
                docs.push(Doc::Space);
            }
            docs.push(self.node(part)?);
            if i == 1 {
                docs.push(Doc::Pad(pad));
            }
        }
        Ok(Doc::Concat(docs))
    }

    /// `group id = a, b, c`
    fn group(&mut self, pair: &Pair<'_, Rule>, pad: usize) -> Built {
        let mut docs = Vec::new();
        for (i, part) in kids(pair).into_iter().enumerate() {
            let doc = self.node(part)?;
            if i > 0 && !starts_with_line(&doc) {
                docs.push(Doc::Space);
            }
            docs.push(doc);
            if i == 1 {
                docs.extend([Doc::Pad(pad), Doc::Space, self.punct("=")?]);
            }
        }
        Ok(Doc::Concat(docs))
    }

    /// `fields { … }`: on one line when every node is a leaf and it fits,
    /// else one node per line.
    fn tree(&mut self, pair: &Pair<'_, Rule>) -> Built {
        let parts = kids(pair);
        let Some((kind, rest)) = parts.split_first() else {
            return Err(Mismatch("empty tree".to_string()));
        };
        let nodes: Vec<Pair<'_, Rule>> = rest.first().map(kids).unwrap_or_default();
        let kind_doc = self.node(kind.clone())?;
        let first = self.cursor - 1;
        let last = self.closing_brace(pair)?;
        let leaves_only = nodes.iter().all(|n| kids(n).len() == 1 && !has_braces(n));
        let one_line = width(kind.as_str()) + flat_nodes_width(&nodes);
        if leaves_only && !self.tokens.comments_inside(first, last) && one_line <= MAX_WIDTH {
            let mut docs = vec![kind_doc, Doc::Space];
            docs.extend(self.flat_children(&nodes)?);
            return Ok(Doc::Concat(docs));
        }
        let block = self.block(|b| b.node_lines(&nodes, 1))?;
        Ok(Doc::Concat(vec![kind_doc, Doc::Space, block]))
    }

    /// The token index of the `}` that ends a pair.
    fn closing_brace(&self, pair: &Pair<'_, Rule>) -> Result<usize, Mismatch> {
        let end = self.offset + pair.as_span().end();
        self.tokens
            .index_at(end.saturating_sub(1))
            .filter(|&i| self.tokens.tok_text(i) == "}")
            .ok_or_else(|| Mismatch(format!("no `}}` at byte {end}")))
    }

    /// `{ a, b, c }` or `{}`, from the `{` on.
    fn flat_children(&mut self, leaves: &[Pair<'_, Rule>]) -> Result<Vec<Doc>, Mismatch> {
        let mut docs = vec![self.punct("{")?];
        for (i, leaf) in leaves.iter().enumerate() {
            if i > 0 {
                docs.push(Doc::Text(","));
            }
            docs.push(Doc::Space);
            let name = kids(leaf).into_iter().next();
            docs.push(match name {
                Some(name) => self.node(name)?,
                None => return Err(Mismatch("a tree node without a name".to_string())),
            });
        }
        if !leaves.is_empty() {
            docs.push(Doc::Space);
        }
        docs.push(self.punct("}")?);
        Ok(docs)
    }

    /// The nodes of a tree block, one per line at `depth` levels; a node
    /// whose children are leaves stays on one line when it fits, and the
    /// `{` of such siblings line up.
    fn node_lines(&mut self, nodes: &[Pair<'_, Rule>], depth: usize) -> Result<Vec<Doc>, Mismatch> {
        if depth > MAX_DEPTH {
            return Err(Mismatch("nesting too deep".to_string()));
        }
        let indent = depth * INDENT;
        let mut one_line: Vec<bool> = Vec::with_capacity(nodes.len());
        for node in nodes {
            let parts = kids(node);
            let children: Vec<Pair<'_, Rule>> = parts.get(1).map(kids).unwrap_or_default();
            let first = self
                .tokens
                .index_at(self.offset + node.as_span().start())
                .unwrap_or(0);
            let flat = has_braces(node)
                && children
                    .iter()
                    .all(|c| kids(c).len() == 1 && !has_braces(c))
                && !self
                    .tokens
                    .comments_inside(first, self.closing_brace(node)?);
            one_line.push(flat);
        }
        // Drop the nodes too wide for one line until the padded rest fit.
        let name_width =
            |node: &Pair<'_, Rule>| kids(node).first().map_or(0, |n| width(n.as_str()));
        let children_width = |node: &Pair<'_, Rule>| {
            flat_nodes_width(&kids(node).get(1).map(kids).unwrap_or_default())
        };
        let pad_to = loop {
            let pad_to = nodes
                .iter()
                .zip(&one_line)
                .filter(|(_, flat)| **flat)
                .map(|(n, _)| name_width(n))
                .max()
                .unwrap_or(0);
            let mut changed = false;
            for (node, flat) in nodes.iter().zip(one_line.iter_mut()) {
                if *flat && indent + pad_to + children_width(node) > MAX_WIDTH {
                    *flat = false;
                    changed = true;
                }
            }
            if !changed {
                break pad_to;
            }
        };
        let mut lines = Vec::with_capacity(nodes.len());
        for (node, flat) in nodes.iter().zip(one_line) {
            let parts = kids(node);
            let Some(name) = parts.first() else {
                return Err(Mismatch("a tree node without a name".to_string()));
            };
            let name_doc = self.node(name.clone())?;
            if !has_braces(node) {
                lines.push(name_doc);
                continue;
            }
            let children: Vec<Pair<'_, Rule>> = parts.get(1).map(kids).unwrap_or_default();
            let mut docs = vec![name_doc];
            if flat {
                docs.push(Doc::Pad(pad_to - name_width(node)));
                docs.push(Doc::Space);
                docs.extend(self.flat_children(&children)?);
            } else {
                docs.push(Doc::Space);
                docs.push(self.block(|b| b.node_lines(&children, depth + 1))?);
            }
            lines.push(Doc::Concat(docs));
        }
        Ok(lines)
    }

    /// `asset id ["title"] { class … }`, values aligned.
    fn asset(&mut self, pair: &Pair<'_, Rule>) -> Built {
        let parts = kids(pair);
        let head_len = parts
            .iter()
            .take_while(|p| matches!(p.as_rule(), Rule::kw_asset | Rule::ident | Rule::string))
            .count();
        let (head, lines) = parts.split_at(head_len);
        let mut docs = self.header(head)?;
        docs.push(self.block(|b| b.keyed_lines(lines))?);
        Ok(Doc::Concat(docs))
    }

    /// `grant L { [exclusive] license of … }`, one line per part after the
    /// licence.
    fn grant(&mut self, pair: &Pair<'_, Rule>) -> Built {
        let parts = kids(pair);
        let (head, body) = parts.split_at(parts.len().min(2));
        let licence_len = body
            .iter()
            .take_while(|p| {
                !matches!(
                    p.as_rule(),
                    Rule::field_line
                        | Rule::territory_line
                        | Rule::grant_from
                        | Rule::grant_until
                        | Rule::rights_line
                        | Rule::grant_sublicensable
                )
            })
            .count();
        let (licence, lines) = body.split_at(licence_len);
        let mut docs = self.header(head)?;
        docs.push(self.block(|b| {
            let mut out = vec![b.join(licence.to_vec())?];
            for line in lines {
                out.push(b.node(line.clone())?);
            }
            Ok(out)
        })?);
        Ok(Doc::Concat(docs))
    }

    /// `clause L ["title"] [notwithstanding A, B] { … }`
    fn clause(&mut self, pair: &Pair<'_, Rule>) -> Built {
        let parts = kids(pair);
        let head_len = parts
            .iter()
            .take_while(|p| {
                matches!(
                    p.as_rule(),
                    Rule::kw_clause | Rule::label | Rule::string | Rule::notwithstanding
                )
            })
            .count();
        let (head, lines) = parts.split_at(head_len);
        let mut docs = Vec::new();
        for part in head {
            if part.as_rule() == Rule::notwithstanding {
                // Never broken by width: a label at the start of a line
                // could read as a new item (`clause`, `party`).
                for (i, label) in kids(part).into_iter().enumerate() {
                    if i > 1 {
                        docs.push(Doc::Text(","));
                    }
                    if i > 0 {
                        docs.push(Doc::Space);
                    }
                    docs.push(self.node(label)?);
                }
            } else {
                docs.push(self.node(part.clone())?);
            }
            docs.push(Doc::Space);
        }
        docs.push(self.block(|b| lines.iter().map(|line| b.node(line.clone())).collect())?);
        Ok(Doc::Concat(docs))
    }

    /// `scenario "title" { action … expect … }`; the action fills lines of
    /// 100 columns, continued under its actor.
    fn scenario(&mut self, pair: &Pair<'_, Rule>) -> Built {
        let parts = kids(pair);
        let (head, body) = parts.split_at(parts.len().min(2));
        let mut docs = self.header(head)?;
        docs.push(self.block(|b| {
            let mut lines = Vec::new();
            let mut rest = body.iter();
            while let Some(part) = rest.next() {
                if part.as_rule() == Rule::kw_action {
                    let keyword = b.node(part.clone())?;
                    let units = match rest.next() {
                        Some(action) => b.action_units(action)?,
                        None => Vec::new(),
                    };
                    // The space after `action` is a line break under the
                    // actor when a comment ends the line.
                    let gap = Doc::Group(Group {
                        docs: vec![Doc::Line],
                        must_break: false,
                        by_width: false,
                    });
                    lines.push(Doc::Concat(vec![
                        keyword,
                        Doc::Align("action ".len(), vec![gap, Doc::Fill(units)]),
                    ]));
                } else {
                    lines.push(b.node(part.clone())?);
                }
            }
            Ok(lines)
        })?);
        Ok(Doc::Concat(docs))
    }

    /// The units an action line is filled with: each word and each part,
    /// and each element of a `notice`, `consent` or `objection` list.
    fn action_units(&mut self, action: &Pair<'_, Rule>) -> Result<Vec<FillUnit>, Mismatch> {
        let mut units = Vec::new();
        for part in kids(action) {
            if !matches!(
                part.as_rule(),
                Rule::act_notice | Rule::act_consent | Rule::act_objection | Rule::act_given
            ) {
                let starts_line = self.starts_line();
                let doc = self.node(part)?;
                units.push(FillUnit { doc, starts_line });
                continue;
            }
            let inner = kids(&part);
            let Some((keyword, rest)) = inner.split_first() else {
                continue;
            };
            // `pending …` follows the list, without a comma before it.
            let (rest, pending) = match rest.split_last() {
                Some((last, before)) if last.as_rule() == Rule::pending => (before, Some(last)),
                _ => (rest, None),
            };
            let elements: Vec<Pair<'_, Rule>> = match rest {
                [list] if matches!(list.as_rule(), Rule::ident_list | Rule::action_names) => {
                    kids(list)
                }
                _ => rest.to_vec(),
            };
            let count = elements.len();
            let starts_line = self.starts_line();
            let mut keyword = Some(self.node(keyword.clone())?);
            for (i, element) in elements.into_iter().enumerate() {
                let starts_line = if i == 0 {
                    starts_line
                } else {
                    self.starts_line()
                };
                let mut unit = Vec::with_capacity(4);
                if let Some(keyword) = keyword.take() {
                    unit.extend([keyword, Doc::Space]);
                }
                unit.push(self.node(element)?);
                if i + 1 < count {
                    unit.push(Doc::Text(","));
                }
                units.push(FillUnit {
                    doc: Doc::Concat(unit),
                    starts_line,
                });
            }
            if let Some(pending) = pending {
                let starts_line = self.starts_line();
                let doc = self.pending(pending)?;
                units.push(FillUnit { doc, starts_line });
            }
        }
        Ok(units)
    }

    /// `pending a, b`, one unit.
    fn pending(&mut self, pair: &Pair<'_, Rule>) -> Built {
        let mut docs = Vec::new();
        for part in kids(pair) {
            if part.as_rule() == Rule::action_names {
                for (i, name) in kids(&part).into_iter().enumerate() {
                    if i > 0 {
                        docs.push(Doc::Text(","));
                    }
                    docs.push(Doc::Space);
                    docs.push(self.node(name)?);
                }
            } else {
                docs.push(self.node(part)?);
            }
        }
        Ok(Doc::Concat(docs))
    }

    /// Whether the next token has comments on the lines before it.
    fn starts_line(&self) -> bool {
        self.tokens
            .toks
            .get(self.cursor)
            .is_some_and(|t| !t.leading.is_empty())
    }
}

/// Whether a tree node is written with braces (`eu {}` or `eu { … }`).
fn has_braces(node: &Pair<'_, Rule>) -> bool {
    node.as_str().ends_with('}')
}

/// The width of ` { a, b, c }` (or ` {}`) after a name.
fn flat_nodes_width(leaves: &[Pair<'_, Rule>]) -> usize {
    if leaves.is_empty() {
        return 3;
    }
    let names: usize = leaves.iter().map(|l| width(l.as_str().trim())).sum();
    names + 2 * (leaves.len() - 1) + 5
}
