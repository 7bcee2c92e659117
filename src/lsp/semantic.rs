//! Semantic tokens (full document), from the parse tree and the policy's
//! references, never from patterns over the text: a word is coloured by
//! the grammar rule it was parsed as, and a name by what it names.
//!
//! So a field named `data` is a field (`enumMember`), not an asset type;
//! `data` after `type` is a `type`; `license` after `permit` is a verb
//! (`function`) but a keyword in a grant's `exclusive license of`.

use std::collections::HashMap;

use lsp_types::{
    SemanticToken, SemanticTokenModifier, SemanticTokenType, SemanticTokens, SemanticTokensLegend,
};
use pest::Parser as _;

use super::workspace::Analysis;
use crate::span::FileId;
use crate::syntax::refs::SymKind;
use crate::syntax::split::split_items;
use crate::syntax::{IplParser, Rule};

/// The token types, in legend order.
const TYPES: &[(&str, SemanticTokenType)] = &[
    ("keyword", SemanticTokenType::KEYWORD),
    ("string", SemanticTokenType::STRING),
    ("number", SemanticTokenType::NUMBER),
    ("comment", SemanticTokenType::COMMENT),
    ("type", SemanticTokenType::TYPE),
    ("function", SemanticTokenType::FUNCTION),
    ("class", SemanticTokenType::CLASS),
    ("struct", SemanticTokenType::STRUCT),
    ("enumMember", SemanticTokenType::ENUM_MEMBER),
    ("namespace", SemanticTokenType::NAMESPACE),
    ("decorator", SemanticTokenType::DECORATOR),
    ("variable", SemanticTokenType::VARIABLE),
    ("event", SemanticTokenType::EVENT),
    ("interface", SemanticTokenType::INTERFACE),
];

/// The one modifier: a name where it is declared.
const DECLARATION: u32 = 1;

pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TYPES.iter().map(|(_, t)| t.clone()).collect(),
        token_modifiers: vec![SemanticTokenModifier::DECLARATION],
    }
}

fn type_index(name: &str) -> u32 {
    TYPES.iter().position(|(n, _)| *n == name).unwrap_or(0) as u32
}

/// The token type of a name, by its namespace: parties and groups are
/// classes, assets structs, tree nodes enum members, verbs functions,
/// labels namespaces, tags decorators, facts variables, events events,
/// instruments interfaces.
fn of_kind(kind: SymKind) -> u32 {
    type_index(match kind {
        SymKind::Name => "class",
        SymKind::Asset => "struct",
        SymKind::Field | SymKind::Territory => "enumMember",
        SymKind::Verb => "function",
        SymKind::Label => "namespace",
        SymKind::Tag => "decorator",
        SymKind::Fact => "variable",
        SymKind::Event => "event",
        SymKind::Instrument => "interface",
    })
}

/// What a grammar rule is coloured as; `None`: look inside it, or a name.
fn of_rule(rule: Rule, keyword_rules: &mut HashMap<Rule, bool>) -> Option<u32> {
    let name = match rule {
        Rule::COMMENT => "comment",
        Rule::string => "string",
        Rule::date | Rule::number | Rule::percent | Rule::count | Rule::currency => "number",
        Rule::unit | Rule::day_kind => "keyword",
        Rule::asset_class | Rule::asset_type => "type",
        _ => {
            let kw = *keyword_rules
                .entry(rule)
                .or_insert_with(|| format!("{rule:?}").starts_with("kw_"));
            if !kw {
                return None;
            }
            "keyword"
        }
    };
    Some(type_index(name))
}

/// One token before encoding: byte span, type, modifiers.
struct Raw {
    start: usize,
    end: usize,
    kind: u32,
    modifiers: u32,
}

pub fn tokens(analysis: &Analysis, file: FileId) -> SemanticTokens {
    let Some(source) = analysis.source(file) else {
        return SemanticTokens::default();
    };
    let text: &str = &source.text;
    let names: HashMap<(u32, u32), (SymKind, bool)> = analysis
        .occurrences
        .iter()
        .filter(|o| o.file == file)
        .map(|o| ((o.span.start, o.span.end), (o.kind, o.decl)))
        .collect();
    let mut keyword_rules = HashMap::new();
    let mut raw = Vec::new();
    for chunk in split_items(text) {
        let Ok(pairs) = IplParser::parse(Rule::item_alone, &text[chunk.start..chunk.end]) else {
            continue; // an item being typed: the TextMate grammar colours it
        };
        let mut stack: Vec<_> = pairs.rev().collect();
        while let Some(pair) = stack.pop() {
            let span = pair.as_span();
            let (start, end) = (chunk.start + span.start(), chunk.start + span.end());
            let name = u32::try_from(start)
                .ok()
                .zip(u32::try_from(end).ok())
                .and_then(|key| names.get(&key));
            if let (Rule::ident | Rule::label, Some(&(kind, decl))) = (pair.as_rule(), name) {
                raw.push(Raw {
                    start,
                    end,
                    kind: of_kind(kind),
                    modifiers: if decl { DECLARATION } else { 0 },
                });
                continue;
            }
            // A verb (`license`) parsed as a keyword rule is still a verb
            // where the references say so.
            if let Some(&(SymKind::Verb, _)) = name {
                raw.push(Raw {
                    start,
                    end,
                    kind: of_kind(SymKind::Verb),
                    modifiers: 0,
                });
                continue;
            }
            if let Some(kind) = of_rule(pair.as_rule(), &mut keyword_rules) {
                raw.push(Raw {
                    start,
                    end,
                    kind,
                    modifiers: 0,
                });
                continue;
            }
            let inner: Vec<_> = pair.into_inner().collect();
            stack.extend(inner.into_iter().rev());
        }
    }
    raw.sort_by_key(|t| (t.start, t.end));
    let mut data = Vec::with_capacity(raw.len());
    let (mut line, mut col) = (0u32, 0u32);
    let mut last_end = 0usize;
    for t in raw {
        if t.start < last_end || t.end <= t.start {
            continue; // overlapping or empty
        }
        // Tokens never span lines (strings and comments end at the line).
        let Some(piece) = text.get(t.start..t.end) else {
            continue;
        };
        if piece.contains('\n') {
            continue;
        }
        let at = source.lines.utf16_position(text, t.start);
        let delta_line = at.line.saturating_sub(line);
        let delta_start = if delta_line == 0 {
            at.col.saturating_sub(col)
        } else {
            at.col
        };
        data.push(SemanticToken {
            delta_line,
            delta_start,
            length: piece.encode_utf16().count() as u32,
            token_type: t.kind,
            token_modifiers_bitset: t.modifiers,
        });
        (line, col) = (at.line, at.col);
        last_end = t.end;
    }
    SemanticTokens {
        result_id: None,
        data,
    }
}
