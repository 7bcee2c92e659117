//! Hovers: what a name is (party, group, asset, tree node, clause, grant,
//! tag) and what a keyword means.

use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind};

use super::convert;
use super::keywords;
use super::workspace::Analysis;
use crate::names::{AssetInfo, GrantInfo, Hierarchy, LabelRef, Model, NameRef, PartyId, PartyRole};
use crate::span::{FileId, Span};
use crate::syntax::refs::{self, SymKind};

pub fn hover(analysis: &Analysis, file: FileId, offset: usize) -> Option<Hover> {
    let source = analysis.source(file)?;
    let (text, span) = match refs::at(&analysis.occurrences, file, offset) {
        Some(occ) => (describe(analysis.model(), occ.kind, &occ.name), occ.span),
        None => {
            let span = word_at(&source.text, offset)?;
            let word = source.text.get(span.range())?;
            let meaning = keywords::doc(word)?;
            (format!("**{word}** · keyword\n\n{meaning}"), span)
        }
    };
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: text,
        }),
        range: Some(convert::range(source, span)),
    })
}

/// The markdown describing a name.
pub fn describe(model: &Model, kind: SymKind, name: &str) -> String {
    let found = match kind {
        SymKind::Name => match model.names.get(name) {
            Some(NameRef::Party(p)) => Some(party(model, *p)),
            Some(NameRef::Group(g)) => model.groups.get(g.index()).map(|g| {
                let members: Vec<String> = g
                    .members
                    .iter()
                    .map(|m| code(&model.party(*m).name))
                    .collect();
                with_doc(
                    format!("**{}** · group\n\nmembers: {}", g.name, members.join(", ")),
                    &g.doc,
                )
            }),
            None => Some(format!(
                "**{name}** · undeclared\n\nan outsider: in an action's `to` it counts as a third party"
            )),
        },
        SymKind::Asset => model
            .asset_ids
            .get(name)
            .and_then(|id| model.assets.get(id.index()))
            .map(|a| asset(model, a)),
        SymKind::Field => node(&model.fields, name, "field"),
        SymKind::Territory => node(&model.territories, name, "territory"),
        SymKind::Verb => node(&model.verbs, name, "verb"),
        SymKind::Label => match model.labels.get(name) {
            Some(LabelRef::Clause(c)) => model.clauses.get(c.index()).map(|c| {
                let mut text = format!("**clause {}** · {}", c.label, c.kind.as_str());
                if let Some(title) = &c.title {
                    text.push_str(&format!("\n\n*{title}*"));
                }
                if !c.notwithstanding.is_empty() {
                    let over: Vec<String> = c
                        .notwithstanding
                        .iter()
                        .map(|n| code(&model.clause(n.value).label))
                        .collect();
                    text.push_str(&format!("\n\nnotwithstanding {}", over.join(", ")));
                }
                with_doc(text, &c.doc)
            }),
            Some(LabelRef::Grant(g)) => model.grants.get(g.index()).map(|g| {
                with_doc(
                    format!("**grant {}**\n\n{}", g.label, grant_summary(model, g)),
                    &g.doc,
                )
            }),
            None => None,
        },
        SymKind::Fact => model
            .fact_id(name)
            .and_then(|f| model.facts.get(f.index()))
            .map(|f| {
                with_doc(
                    format!("**{}** · fact\n\n{}", f.name, f.description),
                    &f.doc,
                )
            }),
        SymKind::Event => model
            .event_id(name)
            .and_then(|e| model.events.get(e.index()))
            .map(|e| {
                with_doc(
                    format!(
                        "**{}** · event\n\n{}\n\nan action states its day: `{} on YYYY-MM-DD`",
                        e.name, e.description, e.name
                    ),
                    &e.doc,
                )
            }),
        SymKind::Instrument => model
            .instrument_ids
            .get(name)
            .and_then(|i| model.instruments.get(i.index()))
            .map(|i| {
                let mut text = format!("**instrument {}** · {}", i.name, i.title);
                if !i.prevails_over.is_empty() {
                    let over: Vec<String> = i
                        .prevails_over
                        .iter()
                        .filter_map(|o| model.instruments.get(o.index()))
                        .map(|o| code(&o.name))
                        .collect();
                    text.push_str(&format!("\n\nprevails over {}", over.join(", ")));
                }
                with_doc(text, &i.doc)
            }),
        SymKind::Tag => {
            let on: Vec<String> = model
                .assets
                .iter()
                .filter(|a| a.tags.iter().any(|t| t == name))
                .map(|a| code(&a.name))
                .collect();
            Some(if on.is_empty() {
                format!("**{name}** · tag\n\nno asset carries it")
            } else {
                format!("**{name}** · tag\n\non {}", on.join(", "))
            })
        }
    };
    found.unwrap_or_else(|| format!("**{name}** · not declared"))
}

fn party(model: &Model, id: PartyId) -> String {
    let p = model.party(id);
    let role = match p.role {
        PartyRole::Signatory => "party (signatory)".to_string(),
        PartyRole::Affiliate(of) => format!("affiliate of {}", code(&model.party(of).name)),
        PartyRole::ThirdParty => "third party".to_string(),
    };
    let mut text = format!("**{}** · {role}\n\n{}", p.name, p.legal_name);
    let affiliates: Vec<String> = model
        .parties
        .iter()
        .filter(|a| a.role == PartyRole::Affiliate(id))
        .map(|a| code(&a.name))
        .collect();
    if !affiliates.is_empty() {
        text.push_str(&format!("\n\naffiliates: {}", affiliates.join(", ")));
    }
    let groups: Vec<String> = model
        .groups
        .iter()
        .filter(|g| g.members.contains(&id))
        .map(|g| code(&g.name))
        .collect();
    if !groups.is_empty() {
        text.push_str(&format!("\n\nin groups: {}", groups.join(", ")));
    }
    with_doc(text, &p.doc)
}

fn asset(model: &Model, a: &AssetInfo) -> String {
    let mut text = format!("**{}** · asset", a.name);
    if let Some(title) = &a.title {
        text.push_str(&format!("\n\n{title}"));
    }
    let mut facts = Vec::new();
    if let Some(class) = a.class {
        facts.push(format!("class {}", class.as_str()));
    }
    if let Some(t) = a.asset_type {
        facts.push(format!("type {}", t.as_str()));
    }
    if !facts.is_empty() {
        text.push_str(&format!("\n\n{}", facts.join(" · ")));
    }
    if !a.owners.is_empty() {
        let owners: Vec<String> = a
            .owners
            .iter()
            .map(|(p, share)| {
                format!(
                    "{} {}",
                    code(&model.party(*p).name),
                    crate::syntax::ast::percent_text(*share)
                )
            })
            .collect();
        text.push_str(&format!("\n\nowners: {}", owners.join(", ")));
    }
    if !a.tags.is_empty() {
        text.push_str(&format!("\n\ntags: {}", a.tags.join(", ")));
    }
    if let Some(created) = a.created {
        text.push_str(&format!("\n\ncreated {created}"));
    }
    with_doc(text, &a.doc)
}

fn node(tree: &Hierarchy, name: &str, noun: &str) -> Option<String> {
    let id = tree.get(name)?;
    let mut path = vec![tree.name(id).to_string()];
    let mut at = tree.nodes.get(id.index())?.parent;
    while let Some(parent) = at {
        path.push(tree.name(parent).to_string());
        at = tree.nodes.get(parent.index()).and_then(|n| n.parent);
        if path.len() > tree.nodes.len() {
            break;
        }
    }
    path.reverse();
    let children: Vec<String> = tree
        .nodes
        .iter()
        .filter(|n| n.parent == Some(id))
        .map(|n| code(&n.name))
        .collect();
    let builtin = tree
        .nodes
        .get(id.index())
        .is_some_and(|n| n.location.is_none());
    let mut text = format!(
        "**{name}** · {}{noun}\n\n`{}`",
        if builtin { "built-in " } else { "" },
        path.join(" › ")
    );
    if !children.is_empty() {
        text.push_str(&format!("\n\ncovers {}", children.join(", ")));
    }
    Some(text)
}

/// One line on a grant: `exclusive licence of a from p to q · field ev …`.
pub fn grant_summary(model: &Model, g: &GrantInfo) -> String {
    let party = |p: Option<PartyId>| p.map_or("?".to_string(), |p| code(&model.party(p).name));
    let mut parts = vec![format!(
        "{} licence of {} from {} to {}",
        if g.exclusive() {
            "exclusive"
        } else {
            "non-exclusive"
        },
        g.asset
            .map_or("?".to_string(), |a| code(&model.asset(a).name)),
        party(g.licensor),
        party(g.licensee)
    )];
    let nodes = |tree: &Hierarchy, ids: &[crate::names::NodeId]| {
        ids.iter()
            .map(|n| tree.name(*n).to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !g.field.is_empty() {
        parts.push(format!("field {}", nodes(&model.fields, &g.field)));
    }
    if !g.territory.is_empty() {
        parts.push(format!(
            "territory {}",
            nodes(&model.territories, &g.territory)
        ));
    }
    match (g.from, g.until) {
        (Some(f), Some(u)) => parts.push(format!("{f} to {u}")),
        (Some(f), None) => parts.push(format!("from {f}, open-ended")),
        (None, Some(u)) => parts.push(format!("until {u}")),
        (None, None) => parts.push("open-ended".to_string()),
    }
    parts.join(" · ")
}

fn with_doc(mut text: String, doc: &Option<String>) -> String {
    if let Some(doc) = doc {
        text.push_str("\n\n---\n\n");
        text.push_str(doc);
    }
    text
}

fn code(name: &str) -> String {
    format!("`{name}`")
}

/// The span of the word (identifier characters) at an offset, outside
/// comments and strings.
pub fn word_at(text: &str, offset: usize) -> Option<Span> {
    let offset = offset.min(text.len());
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let line_start = text[..floor(text, offset)].rfind('\n').map_or(0, |i| i + 1);
    if in_comment_or_string(&text[line_start..floor(text, offset)]) {
        return None;
    }
    let start = text[..floor(text, offset)]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word(*c))
        .last()
        .map_or(floor(text, offset), |(i, _)| i);
    let end = text[floor(text, offset)..]
        .char_indices()
        .find(|(_, c)| !is_word(*c))
        .map_or(text.len(), |(i, _)| floor(text, offset) + i);
    (start < end).then(|| Span::new(start, end))
}

fn floor(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Does the end of this line prefix lie in a comment or a string?
pub fn in_comment_or_string(prefix: &str) -> bool {
    let mut in_string = false;
    let mut chars = prefix.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if in_string => {
                chars.next();
            }
            '"' => in_string = !in_string,
            '/' if !in_string && chars.peek() == Some(&'/') => return true,
            _ => {}
        }
    }
    in_string
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_outside_comments() {
        let text = "  during term // permit\n";
        assert_eq!(word_at(text, 3), Some(Span::new(2, 8)));
        assert_eq!(word_at(text, 8), Some(Span::new(2, 8)));
        assert_eq!(word_at(text, 18), None);
        assert_eq!(word_at("\"by\"", 2), None);
    }
}
