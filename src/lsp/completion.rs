//! Completion from a cheap textual context: the item the cursor is in, its
//! brace depth, and the words before the cursor decide what fits there.

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Documentation, MarkupContent,
    MarkupKind, TextEdit,
};

use super::convert;
use super::hover::in_comment_or_string;
use super::keywords::{self, FILTERS, ITEMS};
use super::workspace::Analysis;
use crate::names::{GroupId, Hierarchy, Model};
use crate::span::{FileId, Span};
use crate::syntax::words::{
    ASSET_CLASSES as CLASSES, ASSET_TYPES as TYPES, CLAUSE_KINDS as CLAUSE_HEADS,
};

/// How many members a group's completion detail names before "…".
const DETAIL_MEMBERS: usize = 8;

const CLAUSE_LINES: &[&str] = &[
    "by",
    "to",
    "field",
    "territory",
    "during term",
    "after term",
    "from",
    "until",
    "when",
    "unless",
    "duty",
];
const AGREEMENT_LINES: &[&str] = &[
    "effective",
    "expires",
    "term",
    "open_ended",
    "third_parties include affiliates",
];
const ASSET_LINES: &[&str] = &["class", "type", "owner", "owners", "tags", "created"];
const GRANT_HEAD: &[&str] = &["exclusive", "sole", "non_exclusive", "license of"];
const GRANT_LINES: &[&str] = &[
    "field",
    "territory",
    "from",
    "until",
    "rights",
    "sublicensable",
    "non_sublicensable",
];
const ACTION_PARTS: &[&str] = &[
    "to",
    "field",
    "territory",
    "on",
    "until",
    "exclusive",
    "non_exclusive",
    "sublicensable",
    "non_sublicensable",
    "royalty",
    "notice",
    "consent",
    "objection",
    "given",
    "income",
    "expect",
];
const EXPR_WORDS: &[&str] = &[
    "not",
    "exclusive",
    "sublicensable",
    "royalty",
    "until",
    "field in",
    "territory in",
    "to in",
    "consent of",
    "consent of any",
    "objection of",
    "notice to",
    "created",
    "true",
    "false",
];
const DUTIES: &[&str] = &[
    "notify",
    "obtain consent of",
    "pay",
    "compensate",
    "share income with",
];
/// Where a time may stand (besides dates and declared events).
const TIME_WORDS: &[&str] = &["effective", "expires", "created"];
const SELECTORS: &[&str] = &[
    "anyone",
    "parties",
    "third_parties",
    "owners",
    "co_owners",
    "former_parties",
    "defaulting_parties",
    "affiliates of",
];
/// Words that start a statement (a clause line, an asset line, an action
/// part), for deciding what a comma continues.
const STARTERS: &[&str] = &[
    "permit",
    "forbid",
    "oblige",
    "by",
    "to",
    "except",
    "field",
    "territory",
    "notwithstanding",
    "tags",
    "owners",
    "owner",
    "consent",
    "objection",
    "notice",
    "notify",
    "compensate",
    "pay",
    "when",
    "unless",
    "duty",
    "action",
    "expect",
    "during",
    "after",
    "from",
    "until",
    "class",
    "type",
    "created",
    "effective",
    "expires",
    "term",
    "on",
    "given",
    "pending",
    "share",
    "rights",
    "prevails",
    "over",
    "removes",
    "owes",
];

/// What fits at the cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    Keywords(&'static [&'static str]),
    /// Parties; with groups; with the selectors (`owners`, `anyone`, …).
    Parties {
        groups: bool,
        selectors: bool,
    },
    /// Assets; with the filter words (`foreground`, `tagged`, …).
    Assets {
        filters: bool,
    },
    Fields,
    Territories,
    Verbs {
        any: bool,
    },
    /// Clause labels; with grant labels too.
    Labels {
        grants: bool,
    },
    Tags,
    /// Declared facts.
    Facts,
    /// Declared events; with ` on` after each (an action's part).
    Events {
        on: bool,
    },
    Instruments,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Word(String),
    Punct(char),
    Str,
}

impl Tok {
    fn word(&self) -> Option<&str> {
        match self {
            Tok::Word(w) => Some(w),
            _ => None,
        }
    }
    fn is(&self, word: &str) -> bool {
        self.word() == Some(word)
    }
}

pub fn complete(analysis: &Analysis, file: FileId, offset: usize) -> Vec<CompletionItem> {
    let Some(source) = analysis.source(file) else {
        return Vec::new();
    };
    let text: &str = &source.text;
    let offset = floor(text, offset.min(text.len()));
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let prefix = &text[line_start..offset];
    if in_comment_or_string(prefix) {
        return Vec::new();
    }
    let partial_len = prefix
        .chars()
        .rev()
        .take_while(|c| is_label_char(*c))
        .map(char::len_utf8)
        .sum::<usize>();
    let partial_start = offset - partial_len;
    let model = analysis.model();
    let is_event = |w: &str| model.event_ids.contains_key(w);
    let wants = context(text, line_start, partial_start, &is_event);
    let replace = convert::range(source, Span::new(partial_start, offset));
    let mut items = Vec::new();
    for want in wants {
        candidates(analysis.model(), want, &mut items);
    }
    let mut seen = std::collections::HashSet::new();
    // An instrument does not prevail over itself, a group is no member of
    // itself, a clause is not notwithstanding itself.
    if let Some(own) = own_name(text, line_start, partial_start) {
        seen.insert(own);
    }
    items.retain(|c| seen.insert(c.label.clone()));
    for (i, item) in items.iter_mut().enumerate() {
        item.sort_text = Some(format!("{i:05}"));
        item.filter_text = Some(item.label.clone());
        let new_text = item
            .insert_text
            .take()
            .unwrap_or_else(|| item.label.clone());
        item.text_edit = Some(CompletionTextEdit::Edit(TextEdit::new(replace, new_text)));
    }
    items
}

/// The name of the `instrument`, `group` or `clause` holding `at`, when
/// the cursor is past it.
fn own_name(text: &str, line_start: usize, at: usize) -> Option<String> {
    let start = item_start(text, line_start, at);
    let tokens = tokenize(&text[start..at]);
    match tokens.as_slice() {
        [first, Tok::Word(name), _, ..]
            if first.is("instrument") || first.is("group") || first.is("clause") =>
        {
            Some(name.clone())
        }
        _ => None,
    }
}

/// What fits at `at`, from the text of the enclosing item before it.
fn context(text: &str, line_start: usize, at: usize, is_event: &dyn Fn(&str) -> bool) -> Vec<Want> {
    let item_start = item_start(text, line_start, at);
    let tokens = tokenize(&text[item_start..at]);
    let item = tokens
        .first()
        .and_then(Tok::word)
        .filter(|w| ITEMS.contains(w))
        .unwrap_or("");
    let mut depth = 0usize;
    for t in &tokens {
        match t {
            Tok::Punct('{') => depth += 1,
            Tok::Punct('}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    let line_blank = text[line_start..at].trim().is_empty();
    let after_brace = tokens.last() == Some(&Tok::Punct('{'));
    if (line_blank && (item.is_empty() || depth == 0)) || tokens.is_empty() {
        return vec![Want::Keywords(&ITEMS)];
    }
    if line_blank || after_brace {
        return block_line(item, &tokens);
    }
    if let Some(wants) = header(item, depth, &tokens) {
        return wants;
    }
    let n = tokens.len();
    let prev = &tokens[n - 1];
    let prev2 = n.checked_sub(2).map(|i| &tokens[i]);
    let prev3 = n.checked_sub(3).map(|i| &tokens[i]);
    let p2 = |w: &str| prev2.is_some_and(|t| t.is(w));
    let p2_comma = prev2 == Some(&Tok::Punct(','));
    let stmt = statement(&tokens[..n - 1]);
    let line_first = text[line_start..at]
        .split(|c: char| !is_ident_char(c))
        .find(|w| !w.is_empty());
    let in_expr = matches!(stmt, Some("when" | "unless"))
        || (item == "clause" && matches!(line_first, Some("when" | "unless")));
    let condition = vec![
        Want::Keywords(EXPR_WORDS),
        Want::Facts,
        Want::Events { on: false },
    ];
    let time = vec![Want::Keywords(TIME_WORDS), Want::Events { on: false }];
    if in_expr && let Some(wants) = objection_qualifier(&tokens) {
        return wants;
    }
    if item == "clause" && prev_is_cmp(&tokens) {
        let before = tokens
            .iter()
            .rev()
            .find(|t| !matches!(t, Tok::Punct('<' | '>' | '=' | '!')));
        if let Some(w) = before.and_then(Tok::word)
            && (w == "until" || TIME_WORDS.contains(&w) || is_event(w))
        {
            return time;
        }
    }
    let scenario = item == "scenario";
    if scenario && statement(&tokens) == Some("action") {
        let start = tokens.iter().rposition(|t| t.is("action")).unwrap_or(0);
        let words = tokens[start + 1..]
            .iter()
            .filter(|t| t.word().is_some())
            .count();
        match words {
            0 => {
                return vec![Want::Parties {
                    groups: false,
                    selectors: false,
                }];
            }
            1 => return vec![Want::Verbs { any: false }],
            2 => return vec![Want::Assets { filters: false }],
            _ => {}
        }
    }
    // Selectors and groups in clauses; one party in actions, grants,
    // owner lines and affiliations; parties and groups in a group.
    let parties = Want::Parties {
        groups: true,
        selectors: true,
    };
    let names = Want::Parties {
        groups: false,
        selectors: false,
    };
    let members = Want::Parties {
        groups: true,
        selectors: false,
    };
    match prev {
        Tok::Punct(',') => match statement(&tokens) {
            Some("permit" | "forbid" | "oblige") => {
                let head = tokens
                    .iter()
                    .rposition(|t| t.is("permit") || t.is("forbid") || t.is("oblige"));
                if head.is_some_and(|h| tokens[h..].iter().any(|t| t.is("of"))) {
                    vec![Want::Assets { filters: true }]
                } else {
                    vec![Want::Verbs { any: false }]
                }
            }
            Some("by" | "to" | "except" | "notify" | "compensate" | "pay" | "share") => {
                vec![parties]
            }
            Some("consent" | "objection" | "notice" | "pending") if scenario => vec![names],
            Some("given") if scenario => vec![Want::Facts, Want::Keywords(&["not"])],
            Some("rights") => vec![Want::Verbs { any: false }],
            Some("prevails" | "over") => vec![Want::Instruments],
            Some("removes") => vec![Want::Labels { grants: true }],
            Some("consent" | "objection" | "notice") => vec![parties],
            Some("field") => vec![Want::Fields],
            Some("territory") => vec![Want::Territories],
            Some("notwithstanding") => vec![Want::Labels { grants: false }],
            Some("tags") => vec![Want::Tags],
            Some("owners" | "owner") if item == "asset" => vec![names],
            // `by owners, `: `owners` is a selector here, not an asset line.
            Some("owners") => vec![parties],
            _ if item == "group" => vec![members],
            _ => Vec::new(),
        },
        Tok::Punct('=') if item == "group" => vec![members],
        Tok::Punct('(') => condition,
        Tok::Word(w) => match w.as_str() {
            "by" if scenario => vec![Want::Labels { grants: true }],
            "to" if scenario || item == "grant" => vec![names],
            "to" if in_expr && !p2("income") && !p2("notice") => vec![Want::Keywords(&["in"])],
            "by" | "to" | "except" | "notify" | "compensate" => vec![parties],
            "of" => match prev2.and_then(Tok::word) {
                Some("affiliate") => vec![names],
                Some("affiliates" | "objection") => vec![parties],
                Some("consent") => vec![Want::Keywords(&["any"]), parties],
                Some("license") if item == "grant" => vec![Want::Assets { filters: false }],
                Some(w) if w.ends_with('%') => vec![Want::Keywords(&["income"])],
                _ => vec![Want::Assets { filters: true }],
            },
            "any" if p2("of") => vec![parties],
            "any" => vec![Want::Keywords(&["of"])],
            "affiliates" | "affiliate" => vec![Want::Keywords(&["of"])],
            "field" | "territory" if in_expr => vec![Want::Keywords(&["in"])],
            "field" => vec![Want::Fields],
            "territory" => vec![Want::Territories],
            "in" if p2("field") => vec![Want::Fields],
            "in" if p2("territory") => vec![Want::Territories],
            "in" if p2("to") => vec![parties],
            "tagged" => vec![Want::Tags],
            "notwithstanding" => vec![Want::Labels { grants: false }],
            "permit" | "conditional" | "deny" if scenario => vec![Want::Keywords(&["by"])],
            "permit" | "forbid" | "oblige" => vec![Want::Verbs { any: true }],
            "expect" => vec![Want::Keywords(&["permit", "conditional", "deny"])],
            "class" => vec![Want::Keywords(&CLASSES)],
            "type" => vec![Want::Keywords(&TYPES)],
            "owner" | "owners" if item == "asset" => vec![names],
            "action" => vec![names],
            "after" if in_expr => vec![Want::Keywords(&["notice"])],
            "during" | "after" => vec![Want::Keywords(&["term"])],
            "from" if item == "grant" && prev3.is_some_and(|t| t.is("of")) => vec![names],
            "from" | "until" if item == "clause" => time,
            "given" if scenario => vec![Want::Facts, Want::Keywords(&["not"])],
            "not" if scenario => vec![Want::Facts],
            "when" | "unless" | "and" | "or" | "not" => condition,
            "duty" | "owes" => vec![Want::Keywords(DUTIES)],
            "share" => vec![Want::Keywords(&["income with"])],
            "income" if p2("share") => vec![Want::Keywords(&["with"])],
            "income" if p2("of") => vec![Want::Keywords(&["to"])],
            "with" => vec![parties],
            "pending" => vec![names],
            "rights" => vec![Want::Verbs { any: false }],
            "exclusive" | "sole" | "non_exclusive" if item == "grant" => {
                vec![Want::Keywords(&["license of"])]
            }
            "prevails" => vec![Want::Keywords(&["over"])],
            "over" => vec![Want::Instruments],
            "removes" => vec![Want::Labels { grants: true }],
            "include" => vec![Want::Keywords(&["affiliates"])],
            "third_parties" if item == "agreement" => vec![Want::Keywords(&["include affiliates"])],
            "obtain" => vec![Want::Keywords(&["consent of"])],
            "consent" | "objection" if scenario => vec![Want::Keywords(&["none"]), names],
            "consent" | "objection" => vec![Want::Keywords(&["of"])],
            "notice" if scenario => vec![names],
            "notice" => vec![Want::Keywords(&["to"])],
            _ if scenario && stmt == Some("action") && is_event(w) => {
                vec![Want::Keywords(&["on"])]
            }
            _ if scenario && stmt == Some("notice") && (p2("notice") || p2_comma) => {
                vec![Want::Keywords(&["on"])]
            }
            _ if scenario
                && stmt.is_some_and(|s| {
                    ACTION_PARTS.contains(&s) || s == "action" || s == "pending"
                }) =>
            {
                let mut wants = match stmt {
                    Some("consent") => vec![Want::Keywords(&["pending"])],
                    Some("objection") => vec![Want::Keywords(&["on", "pending"])],
                    _ => Vec::new(),
                };
                wants.extend([Want::Keywords(ACTION_PARTS), Want::Events { on: true }]);
                wants
            }
            _ if stmt == Some("share") => vec![Want::Keywords(&["pro_rata"])],
            _ if item == "clause" && matches!(stmt, Some("permit" | "forbid" | "oblige")) => {
                // In a clause head: `of` after the verbs, more filter
                // words after a filter word (`foreground patent tagged t`).
                let head = tokens
                    .iter()
                    .rposition(|t| t.is("permit") || t.is("forbid") || t.is("oblige"))
                    .unwrap_or(0);
                let of = tokens[head..].iter().position(|t| t.is("of"));
                match of {
                    None => vec![Want::Keywords(&["of"])],
                    Some(_) if FILTERS.contains(&w.as_str()) && w != "tagged" => {
                        vec![Want::Keywords(&FILTERS)]
                    }
                    Some(_) => Vec::new(),
                }
            }
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// What follows the name and title of a `party`, `instrument` or
/// `amendment` (items without braces); `None` elsewhere.
fn header(item: &str, depth: usize, tokens: &[Tok]) -> Option<Vec<Want>> {
    if depth > 0 {
        return None;
    }
    let title = tokens.iter().position(|t| *t == Tok::Str)?;
    let after = &tokens[title + 1..];
    let has = |w: &str| after.iter().any(|t| t.is(w));
    let prev = after.last();
    let prev2 = after.len().checked_sub(2).and_then(|i| after.get(i));
    let after_word = |w: &str| prev2.is_some_and(|t| t.is(w));
    match item {
        "party" => {
            match prev.and_then(Tok::word) {
                Some("joined" | "left" | "from" | "until") => return Some(Vec::new()),
                Some("affiliate") => return Some(vec![Want::Keywords(&["of"])]),
                Some("of") => {
                    return Some(vec![Want::Parties {
                        groups: false,
                        selectors: false,
                    }]);
                }
                Some("defaulting") => return Some(Vec::new()),
                _ => {}
            }
            let dated = has("joined") || has("left");
            let affiliate = has("affiliate");
            let fits = [
                !affiliate && !dated,
                affiliate && !dated && !has("from") && !has("until"),
                affiliate && !dated && !has("until"),
                !dated,
                !has("left"),
                after_word("left"),
            ];
            Some(
                PARTY_ATTRIBUTES
                    .iter()
                    .zip(fits)
                    .filter(|(_, fits)| *fits)
                    .map(|(w, _)| Want::Keywords(std::slice::from_ref(w)))
                    .collect(),
            )
        }
        "instrument" => match prev {
            None => Some(vec![Want::Keywords(&["prevails over"])]),
            Some(t) if t.is("prevails") => Some(vec![Want::Keywords(&["over"])]),
            Some(t) if t.is("over") || *t == Tok::Punct(',') => Some(vec![Want::Instruments]),
            Some(_) => Some(Vec::new()),
        },
        // After the label or the title: `notwithstanding`, then labels.
        "clause" if after.is_empty() => Some(vec![Want::Keywords(&["notwithstanding"])]),
        "amendment" => match prev {
            None => Some(vec![Want::Keywords(&["effective"])]),
            Some(Tok::Punct(',')) => Some(vec![Want::Labels { grants: true }]),
            Some(t) if t.is("removes") => Some(vec![Want::Labels { grants: true }]),
            Some(_) if after_word("effective") => Some(vec![Want::Keywords(&["removes"])]),
            Some(_) => Some(Vec::new()),
        },
        _ => None,
    }
}

/// What may follow a party's legal name, in order.
static PARTY_ATTRIBUTES: [&str; 6] = [
    "affiliate of",
    "from",
    "until",
    "joined",
    "left",
    "defaulting",
];

/// After `objection of PARTIES` in a condition: its qualifiers,
/// `within D after notice` and `within D before`.
fn objection_qualifier(tokens: &[Tok]) -> Option<Vec<Want>> {
    let at = tokens.iter().rposition(|t| t.is("objection"))?;
    if !tokens.get(at + 1).is_some_and(|t| t.is("of")) {
        return None;
    }
    let rest = &tokens[at + 2..];
    let prev = rest.last()?.word()?;
    let ends_expr =
        |t: &Tok| matches!(t, Tok::Punct('(' | ')')) || t.is("and") || t.is("or") || t.is("not");
    if rest.iter().any(ends_expr) {
        return None;
    }
    let n = rest.len();
    let back = |k: usize| n.checked_sub(k).and_then(|i| rest.get(i));
    let within_before = |k: usize| back(k).is_some_and(|t| t.is("within"));
    let unit = prev.trim_end_matches('s');
    if matches!(unit, "day" | "week" | "month" | "year") && (within_before(3) || within_before(4)) {
        let done_notice = rest.iter().any(|t| t.is("notice"));
        return Some(vec![Want::Keywords(if done_notice {
            &["before"]
        } else {
            &["after notice", "before"]
        })]);
    }
    match prev {
        "of" | "except" | "affiliates" | "within" | "calendar" | "working" => None,
        "after" => Some(vec![Want::Keywords(&["notice"])]),
        _ if rest.iter().any(|t| t.is("before")) => Some(Vec::new()),
        _ if prev.starts_with(|c: char| c.is_ascii_digit()) => None,
        _ if rest.iter().any(|t| t.is("within")) => Some(vec![Want::Keywords(&["within"])]),
        _ => Some(vec![Want::Keywords(&["within", "except"])]),
    }
}

/// Does the token list end with a comparison operator?
fn prev_is_cmp(tokens: &[Tok]) -> bool {
    matches!(tokens.last(), Some(Tok::Punct('<' | '>' | '=')))
        && !matches!(tokens.iter().rev().nth(1), Some(Tok::Punct('+' | '-')))
}

/// What starts a line inside an item's braces.
fn block_line(item: &str, tokens: &[Tok]) -> Vec<Want> {
    let has = |w: &str| tokens.iter().any(|t| t.is(w));
    match item {
        "clause" if !CLAUSE_HEADS.iter().any(|h| has(h)) => vec![Want::Keywords(&CLAUSE_HEADS)],
        "clause" => vec![Want::Keywords(CLAUSE_LINES)],
        "agreement" => vec![Want::Keywords(AGREEMENT_LINES)],
        "asset" => vec![Want::Keywords(ASSET_LINES)],
        "grant" if has("license") => vec![Want::Keywords(GRANT_LINES)],
        "grant" => vec![Want::Keywords(GRANT_HEAD)],
        "scenario" if !has("action") => vec![Want::Keywords(&["action"])],
        "scenario" if !has("expect") => {
            vec![Want::Keywords(ACTION_PARTS), Want::Events { on: true }]
        }
        "scenario" => vec![Want::Keywords(&["owes"])],
        _ => Vec::new(),
    }
}

/// The nearest statement word before the end of `tokens`, within the
/// current braces.
fn statement(tokens: &[Tok]) -> Option<&str> {
    for t in tokens.iter().rev() {
        match t {
            Tok::Punct('{' | '}') => return None,
            Tok::Word(w) if STARTERS.contains(&w.as_str()) => return Some(w),
            _ => {}
        }
    }
    None
}

/// The start of the item holding `at`: the last line before it that
/// starts with an item keyword (the current line counts when its first
/// word is complete).
fn item_start(text: &str, line_start: usize, at: usize) -> usize {
    if starts_item(&text[line_start..at], true) {
        return line_start;
    }
    let mut end = line_start;
    while end > 0 {
        let start = text[..end - 1].rfind('\n').map_or(0, |i| i + 1);
        if starts_item(&text[start..end], false) {
            return start;
        }
        end = start;
    }
    0
}

fn starts_item(line: &str, current: bool) -> bool {
    let trimmed = line.trim_start_matches([' ', '\t', '\u{FEFF}']);
    let word: String = trimmed.chars().take_while(|c| is_ident_char(*c)).collect();
    let complete = !current || trimmed.len() > word.len();
    complete && ITEMS.contains(&word.as_str())
}

fn tokenize(text: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_whitespace() || c == '\u{FEFF}' {
            continue;
        }
        if c == '/' && chars.peek().is_some_and(|(_, n)| *n == '/') {
            for (_, n) in chars.by_ref() {
                if n == '\n' {
                    break;
                }
            }
        } else if c == '"' {
            while let Some((_, n)) = chars.next() {
                match n {
                    '\\' => {
                        chars.next();
                    }
                    '"' | '\n' => break,
                    _ => {}
                }
            }
            out.push(Tok::Str);
        } else if is_label_char(c) || c == '%' {
            let mut end = i + c.len_utf8();
            while let Some(&(j, n)) = chars.peek() {
                if !(is_label_char(n) || n == '%') {
                    break;
                }
                end = j + n.len_utf8();
                chars.next();
            }
            out.push(Tok::Word(text[i..end].to_string()));
        } else {
            out.push(Tok::Punct(c));
        }
    }
    out
}

fn candidates(model: &Model, want: Want, out: &mut Vec<CompletionItem>) {
    match want {
        Want::Keywords(words) => out.extend(words.iter().map(|w| keyword(w))),
        Want::Parties { groups, selectors } => {
            for p in &model.parties {
                out.push(item(
                    &p.name,
                    CompletionItemKind::CLASS,
                    Some(&p.legal_name),
                ));
            }
            for (index, g) in model.groups.iter().enumerate().filter(|_| groups) {
                let listed = model.group_members_listed(GroupId(index as u32), DETAIL_MEMBERS);
                let mut members: Vec<&str> = listed
                    .iter()
                    .map(|m| model.party(*m).name.as_str())
                    .collect();
                if g.size > members.len() {
                    members.push("…");
                }
                let detail = format!("group: {}", members.join(", "));
                out.push(item(&g.name, CompletionItemKind::MODULE, Some(&detail)));
            }
            if selectors {
                out.extend(SELECTORS.iter().map(|w| keyword(w)));
            }
        }
        Want::Assets { filters } => {
            for a in &model.assets {
                out.push(item(
                    &a.name,
                    CompletionItemKind::STRUCT,
                    a.title.as_deref(),
                ));
            }
            if filters {
                out.extend(FILTERS.iter().map(|w| keyword(w)));
            }
        }
        Want::Fields => nodes(&model.fields, out),
        Want::Territories => nodes(&model.territories, out),
        Want::Verbs { any } => {
            nodes(&model.verbs, out);
            if any {
                out.push(keyword("any"));
            }
        }
        Want::Labels { grants } => {
            for c in &model.clauses {
                let detail = match &c.title {
                    Some(t) => format!("{} · {t}", c.kind.as_str()),
                    None => c.kind.as_str().to_string(),
                };
                out.push(item(&c.label, CompletionItemKind::REFERENCE, Some(&detail)));
            }
            if grants {
                for g in &model.grants {
                    out.push(item(&g.label, CompletionItemKind::REFERENCE, Some("grant")));
                }
            }
        }
        Want::Facts => {
            for f in &model.facts {
                out.push(item(
                    &f.name,
                    CompletionItemKind::VARIABLE,
                    Some(&format!("fact: {}", f.description)),
                ));
            }
        }
        Want::Events { on } => {
            for e in &model.events {
                let mut c = item(
                    &e.name,
                    CompletionItemKind::EVENT,
                    Some(&format!("event: {}", e.description)),
                );
                if on {
                    c.label = format!("{} on", e.name);
                }
                out.push(c);
            }
        }
        Want::Instruments => {
            for i in &model.instruments {
                out.push(item(
                    &i.name,
                    CompletionItemKind::MODULE,
                    Some(&format!("instrument: {}", i.title)),
                ));
            }
        }
        Want::Tags => {
            let mut tags: Vec<&str> = model
                .assets
                .iter()
                .flat_map(|a| a.tags.iter().map(String::as_str))
                .collect();
            tags.sort_unstable();
            tags.dedup();
            for t in tags {
                out.push(item(t, CompletionItemKind::CONSTANT, Some("tag")));
            }
        }
    }
}

fn nodes(tree: &Hierarchy, out: &mut Vec<CompletionItem>) {
    for node in &tree.nodes {
        let detail = node.parent.map(|p| format!("in {}", tree.name(p)));
        out.push(item(
            &node.name,
            CompletionItemKind::ENUM_MEMBER,
            detail.as_deref(),
        ));
    }
}

fn item(label: &str, kind: CompletionItemKind, detail: Option<&str>) -> CompletionItem {
    CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail: detail.map(str::to_string),
        ..CompletionItem::default()
    }
}

fn keyword(phrase: &str) -> CompletionItem {
    let first = phrase.split(' ').next().unwrap_or(phrase);
    CompletionItem {
        label: phrase.to_string(),
        kind: Some(CompletionItemKind::KEYWORD),
        documentation: keywords::doc(first).map(|d| {
            Documentation::MarkupContent(MarkupContent {
                kind: MarkupKind::Markdown,
                value: d.to_string(),
            })
        }),
        ..CompletionItem::default()
    }
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn is_label_char(c: char) -> bool {
    is_ident_char(c) || c == '.' || c == '-'
}

fn floor(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Vec<Want> {
        let cursor = text.find('|').unwrap_or(text.len());
        let text = text.replace('|', "");
        let line_start = text[..cursor].rfind('\n').map_or(0, |i| i + 1);
        let partial = text[line_start..cursor]
            .chars()
            .rev()
            .take_while(|c| is_label_char(*c))
            .count();
        context(&text, line_start, cursor - partial, &|w| w == "request")
    }

    /// Every word completion offers, in the lists above and in the lists
    /// written inline, is a word of the table (`syntax::words`): a word
    /// renamed or removed from the language cannot linger here.
    #[test]
    fn every_offered_word_is_in_the_word_table() {
        let source = include_str!("completion.rs");
        let code = &source[..source.find("#[cfg(test)]").unwrap_or(source.len())];
        let mut offered = 0;
        for (start, _) in code.match_indices('[') {
            let rest = &code[start + 1..];
            if !rest.trim_start().starts_with('"') {
                continue;
            }
            let list = &rest[..rest.find(']').unwrap_or(0)];
            for phrase in list.split('"').skip(1).step_by(2) {
                for word in phrase.split(' ') {
                    offered += 1;
                    assert!(
                        crate::syntax::words::lookup(word).is_some(),
                        "completion offers `{word}` (in \"{phrase}\"), which is not in WORDS"
                    );
                }
            }
        }
        assert!(
            offered > 100,
            "found only {offered} offered words: the scan is broken"
        );
    }

    #[test]
    fn contexts() {
        assert_eq!(at("party a \"A\"\n|"), [Want::Keywords(&ITEMS)]);
        assert_eq!(at("party a \"A\"\ncla|"), [Want::Keywords(&ITEMS)]);
        assert_eq!(at("clause 1 {\n  |"), [Want::Keywords(&CLAUSE_HEADS)]);
        assert_eq!(
            at("clause 1 {\n  permit use\n  |"),
            [Want::Keywords(CLAUSE_LINES)]
        );
        assert_eq!(at("clause 1 {\n  permit |"), [Want::Verbs { any: true }]);
        assert_eq!(
            at("clause 1 {\n  permit use, |"),
            [Want::Verbs { any: false }]
        );
        assert_eq!(
            at("clause 1 {\n  permit use of |"),
            [Want::Assets { filters: true }]
        );
        assert_eq!(
            at("clause 1 {\n  permit use of a, b|"),
            [Want::Assets { filters: true }]
        );
        assert_eq!(
            at("clause 1 {\n  by owners except |"),
            [Want::Parties {
                groups: true,
                selectors: true
            }]
        );
        assert_eq!(at("clause 1 {\n  field ev, |"), [Want::Fields]);
        assert_eq!(at("clause 1 {\n  when field in |"), [Want::Fields]);
        assert_eq!(
            at("clause 1 {\n  when |"),
            [
                Want::Keywords(EXPR_WORDS),
                Want::Facts,
                Want::Events { on: false }
            ]
        );
        assert_eq!(
            at("clause 1 notwithstanding |"),
            [Want::Labels { grants: false }]
        );
        assert_eq!(
            at("clause 1 {\n  permit any of foreground tagged |"),
            [Want::Tags]
        );
        assert_eq!(
            at("scenario \"s\" {\n  action |"),
            [Want::Parties {
                groups: false,
                selectors: false
            }]
        );
        assert_eq!(
            at("scenario \"s\" {\n  action catl li|"),
            [Want::Verbs { any: false }]
        );
        assert_eq!(
            at("scenario \"s\" {\n  action catl license |"),
            [Want::Assets { filters: false }]
        );
        assert_eq!(
            at("scenario \"s\" {\n  action a b c\n  expect permit by |"),
            [Want::Labels { grants: true }]
        );
        assert_eq!(
            at("asset a {\n  owners |"),
            [Want::Parties {
                groups: false,
                selectors: false
            }]
        );
        assert_eq!(
            at("group g = |"),
            [Want::Parties {
                groups: true,
                selectors: false
            }]
        );
        assert_eq!(
            at("clause 1 {\n  permit use\n}\n|"),
            [Want::Keywords(&ITEMS)]
        );
    }

    fn keywords(wants: &[Want]) -> Vec<&'static str> {
        wants
            .iter()
            .flat_map(|w| match w {
                Want::Keywords(k) => k.to_vec(),
                _ => Vec::new(),
            })
            .collect()
    }

    #[test]
    fn v1_contexts() {
        let names = Want::Parties {
            groups: false,
            selectors: false,
        };
        assert_eq!(
            keywords(&at("party b \"B\" |")),
            ["affiliate of", "joined", "left"]
        );
        assert_eq!(
            keywords(&at("party b \"B\" affiliate of a |")),
            ["from", "until", "joined", "left"]
        );
        assert_eq!(
            keywords(&at("party b \"B\" affiliate of a from 2025-01-01 |")),
            ["until", "joined", "left"]
        );
        assert_eq!(
            keywords(&at("party b \"B\" joined 2025-01-01 left 2026-01-01 |")),
            ["defaulting"]
        );
        assert_eq!(at("party b \"B\" joined |"), []);
        assert_eq!(at("party b \"B\" affiliate of |"), [names]);
        assert_eq!(keywords(&at("instrument ca \"CA\" |")), ["prevails over"]);
        assert_eq!(
            at("instrument ca \"CA\" prevails over |"),
            [Want::Instruments]
        );
        assert_eq!(
            at("instrument ca \"CA\" prevails over a, |"),
            [Want::Instruments]
        );
        assert_eq!(keywords(&at("amendment A1 \"A\" |")), ["effective"]);
        assert_eq!(
            keywords(&at("amendment A1 \"A\" effective 2027-01-01 |")),
            ["removes"]
        );
        assert_eq!(
            at("amendment A1 \"A\" effective 2027-01-01 removes 1, |"),
            [Want::Labels { grants: true }]
        );
        assert_eq!(
            keywords(&at("grant L {\n  |")),
            ["exclusive", "sole", "non_exclusive", "license of"]
        );
        assert_eq!(keywords(&at("grant L {\n  sole |")), ["license of"]);
        assert!(
            keywords(&at("grant L {\n  sole license of a from b to c\n  |")).contains(&"rights")
        );
        assert_eq!(
            at("grant L {\n  license of a from b to c\n  rights use, |"),
            [Want::Verbs { any: false }]
        );
        let when = at("clause 1 {\n  permit use\n  when |");
        assert!(when.contains(&Want::Facts) && when.contains(&Want::Events { on: false }));
        assert!(at("clause 1 {\n  permit use\n  when a and not |").contains(&Want::Facts));
        assert_eq!(
            keywords(&at(
                "clause 1 {\n  forbid use\n  when objection of parties |"
            )),
            ["within", "except"]
        );
        assert_eq!(
            keywords(&at(
                "clause 1 {\n  forbid use\n  when objection of parties within 30 days |"
            )),
            ["after notice", "before"]
        );
        assert_eq!(
            keywords(&at(
                "clause 1 {\n  forbid use\n  when objection of parties within 30 days after |"
            )),
            ["notice"]
        );
        assert_eq!(
            keywords(&at(
                "clause 1 {\n  forbid use\n  when objection of parties within 30 days after notice within 9 days |"
            )),
            ["before"]
        );
        assert_eq!(
            keywords(&at(
                "clause 1 {\n  forbid use\n  when objection of parties within 30 days after notice |"
            )),
            ["within"]
        );
        assert_eq!(
            at("clause 1 {\n  permit use\n  until |"),
            [Want::Keywords(TIME_WORDS), Want::Events { on: false }]
        );
        assert_eq!(
            at("clause 1 {\n  permit use\n  when request <= |"),
            [Want::Keywords(TIME_WORDS), Want::Events { on: false }]
        );
        assert_eq!(at("clause 1 {\n  permit use\n  when royalty >= |"), []);
        assert_eq!(
            at("clause 1 {\n  permit use\n  by |"),
            [Want::Parties {
                groups: true,
                selectors: true
            }]
        );
        assert!(SELECTORS.contains(&"former_parties") && SELECTORS.contains(&"defaulting_parties"));
        assert!(keywords(&at("clause 1 {\n  permit use\n  duty |")).contains(&"share income with"));
        assert_eq!(
            keywords(&at("clause 1 {\n  permit use\n  duty share |")),
            ["income with"]
        );
        assert_eq!(
            keywords(&at(
                "clause 1 {\n  permit use\n  duty share income with owners |"
            )),
            ["pro_rata"]
        );
        assert_eq!(
            keywords(&at(
                "scenario \"s\" {\n  action a b c\n  expect permit\n  |"
            )),
            ["owes"]
        );
        assert!(
            keywords(&at(
                "scenario \"s\" {\n  action a b c\n  expect permit\n  owes |"
            ))
            .contains(&"share income with")
        );
        let parts = at("scenario \"s\" {\n  action a b c on 2026-01-01 |");
        assert!(keywords(&parts).contains(&"given") && keywords(&parts).contains(&"income"));
        assert!(parts.contains(&Want::Events { on: true }));
        assert_eq!(
            at("scenario \"s\" {\n  action a b c given |"),
            [Want::Facts, Want::Keywords(&["not"])]
        );
        assert_eq!(
            at("scenario \"s\" {\n  action a b c given x, not |"),
            [Want::Facts]
        );
        assert_eq!(
            keywords(&at("scenario \"s\" {\n  action a b c request |")),
            ["on"]
        );
        assert_eq!(
            keywords(&at("scenario \"s\" {\n  action a b c consent x |"))[0],
            "pending"
        );
        assert_eq!(
            keywords(&at("scenario \"s\" {\n  action a b c objection x |"))[..2],
            ["on", "pending"]
        );
        assert_eq!(
            at("scenario \"s\" {\n  action a b c consent x pending |"),
            [names]
        );
        assert_eq!(
            keywords(&at("scenario \"s\" {\n  action a b c notice x |")),
            ["on"]
        );
        assert_eq!(
            keywords(&at("agreement \"A\" {\n  third_parties |")),
            ["include affiliates"]
        );
    }
}
