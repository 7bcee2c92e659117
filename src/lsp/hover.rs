//! Hovers: what a name is (party, group, asset, tree node, clause, grant,
//! tag) and what a keyword means.

use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind};

use super::convert;
use super::keywords;
use super::workspace::Analysis;
use crate::names::{
    AmendmentId, AssetInfo, ClauseInfo, GrantInfo, Hierarchy, InForce, InstrumentId, LabelRef,
    Model, NameRef, PartyId, PartyRole,
};
use crate::span::{FileId, Span};
use crate::syntax::ast::Exclusivity;
use crate::syntax::refs::{self, Occurrence, SymKind};

pub fn hover(analysis: &Analysis, file: FileId, offset: usize) -> Option<Hover> {
    let source = analysis.source(file)?;
    let (text, span) = match refs::at(&analysis.occurrences, file, offset) {
        Some(occ) => (describe(analysis, occ), occ.span),
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

/// How many members a group's hover lists before "and N more".
const HOVER_MEMBERS: usize = 50;

/// The markdown describing the name written at an occurrence.
pub fn describe(analysis: &Analysis, occ: &Occurrence) -> String {
    let model = analysis.model();
    let name = occ.name.as_str();
    let found = match occ.kind {
        SymKind::Name => match model.names.get(name) {
            Some(NameRef::Party(p)) => Some(party(model, *p)),
            Some(NameRef::Group(id)) => model.groups.get(id.index()).map(|g| {
                let mut members: Vec<String> = model
                    .group_members_listed(*id, HOVER_MEMBERS)
                    .iter()
                    .map(|m| code(&model.party(*m).name))
                    .collect();
                if g.size > members.len() {
                    members.push(format!("and {} more", g.size - members.len()));
                }
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
        SymKind::Label => label(analysis, occ),
        SymKind::Fact => model
            .fact_id(name)
            .and_then(|f| model.facts.get(f.index()))
            .map(|f| {
                with_doc(
                    format!(
                        "**{}** · fact\n\n{}\n\n{}\n\nan action states it: `given {}` or `given not {}`",
                        f.name,
                        f.description,
                        used_in(analysis, occ),
                        f.name,
                        f.name
                    ),
                    &f.doc,
                )
            }),
        SymKind::Event => model
            .event_id(name)
            .and_then(|e| model.events.get(e.index()))
            .map(|e| {
                with_doc(
                    format!(
                        "**{}** · event\n\n{}\n\n{}\n\nan action states its day: `{} on YYYY-MM-DD`",
                        e.name,
                        e.description,
                        used_in(analysis, occ),
                        e.name
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
                let id = model.instrument_ids.get(name).copied();
                let clauses = model
                    .clauses
                    .iter()
                    .filter(|c| c.instrument.is_some() && c.instrument == id)
                    .count();
                let grants = model
                    .grants
                    .iter()
                    .filter(|g| g.instrument.is_some() && g.instrument == id)
                    .count();
                text.push_str(&format!(
                    "\n\nholds {} and {}",
                    plural(clauses, "clause"),
                    plural(grants, "grant")
                ));
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
    if p.role == PartyRole::Signatory && (p.joined.is_some() || p.left.is_some()) {
        let from = p
            .joined
            .map_or("from the start".to_string(), |j| format!("joined {j}"));
        let to = match p.left {
            Some(left) => format!(
                "left {left}{} (a member until {})",
                if p.defaulting { ", defaulting" } else { "" },
                day_before(left)
            ),
            None => "still a member".to_string(),
        };
        text.push_str(&format!("\n\nmembership: {from} · {to}"));
    }
    if matches!(p.role, PartyRole::Affiliate(_))
        && (p.affiliation.from.is_some() || p.affiliation.until.is_some())
    {
        let from = p
            .affiliation
            .from
            .map_or("always".to_string(), |f| format!("from {f}"));
        let until = p
            .affiliation
            .until
            .map_or("open-ended".to_string(), |u| format!("until {u}"));
        text.push_str(&format!(
            "\n\naffiliation: {from} {until} (inclusive); a third party on other days"
        ));
    }
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
        .filter(|g| g.has(id))
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
        match g.exclusivity {
            Exclusivity::Exclusive => "exclusive",
            Exclusivity::Sole => "sole",
            Exclusivity::NonExclusive => "non-exclusive",
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

/// A clause or grant label: the version written here (or the first), its
/// instrument, and every version when amended.
fn label(analysis: &Analysis, occ: &Occurrence) -> Option<String> {
    let model = analysis.model();
    let name = occ.name.as_str();
    let here = |file, span| occ.decl && file == occ.file && span == occ.span;
    match model.labels.get(name)? {
        LabelRef::Clause(first) => {
            let versions: Vec<&ClauseInfo> =
                model.clauses.iter().filter(|c| c.label == name).collect();
            let c = versions
                .iter()
                .copied()
                .find(|c| here(c.label_location.file, c.label_location.span))
                .or_else(|| model.clauses.get(first.index()))?;
            let mut text = format!("**clause {}** · {}", c.label, c.kind.as_str());
            if let Some(title) = &c.title {
                text.push_str(&format!("\n\n*{title}*"));
            }
            if !c.notwithstanding.is_empty() {
                let over: Vec<String> = c
                    .notwithstanding
                    .iter()
                    .filter_map(|n| model.clauses.get(n.value.index()))
                    .map(|n| code(&n.label))
                    .collect();
                text.push_str(&format!("\n\nnotwithstanding {}", over.join(", ")));
            }
            // An amended clause keeps its instrument (§7.13): the model
            // gives every version the original's.
            text.push_str(&instrument_line(model, c.instrument));
            let all: Vec<(Option<AmendmentId>, InForce, crate::span::FileId)> = versions
                .iter()
                .map(|v| (v.version, v.in_force, v.location.file))
                .collect();
            text.push_str(&versions_text(analysis, &all));
            Some(with_doc(text, &c.doc))
        }
        LabelRef::Grant(first) => {
            let versions: Vec<&GrantInfo> =
                model.grants.iter().filter(|g| g.label == name).collect();
            let g = versions
                .iter()
                .copied()
                .find(|g| here(g.label_location.file, g.label_location.span))
                .or_else(|| model.grants.get(first.index()))?;
            let mut text = format!(
                "**grant {}**\n\n{}\n\n{}",
                g.label,
                grant_summary(model, g),
                grant_effects(model, g)
            );
            text.push_str(&instrument_line(model, g.instrument));
            let all: Vec<(Option<AmendmentId>, InForce, crate::span::FileId)> = versions
                .iter()
                .map(|v| (v.version, v.in_force, v.location.file))
                .collect();
            text.push_str(&versions_text(analysis, &all));
            Some(with_doc(text, &g.doc))
        }
    }
}

fn instrument_line(model: &Model, instrument: Option<InstrumentId>) -> String {
    instrument
        .and_then(|i| model.instruments.get(i.index()))
        .map_or(String::new(), |i| {
            format!("\n\nin instrument {} · {}", code(&i.name), i.title)
        })
}

/// The versions of an amended (or removed) label, one line each.
fn versions_text(
    analysis: &Analysis,
    versions: &[(Option<AmendmentId>, InForce, crate::span::FileId)],
) -> String {
    let model = analysis.model();
    if versions.len() < 2 && versions.iter().all(|(_, f, _)| f.always()) {
        return String::new();
    }
    let mut versions = versions.to_vec();
    versions.sort_by_key(|(_, in_force, _)| in_force.from);
    let last = versions.len().saturating_sub(1);
    let lines: Vec<String> = versions
        .iter()
        .enumerate()
        .map(|(i, (version, in_force, file))| {
            let by = match model.amendment_label(*version) {
                Some(a) => format!("as amended by {}", code(a)),
                None => "original".to_string(),
            };
            let days = match (in_force.from, in_force.ends) {
                (None, None) => "always".to_string(),
                (Some(f), None) => format!("from {f}"),
                (None, Some(e)) => format!("until {}", day_before(e)),
                (Some(f), Some(e)) => format!("from {f} until {}", day_before(e)),
            };
            let file = analysis
                .source(*file)
                .map(|s| s.name.rsplit('/').next().unwrap_or(&s.name).to_string())
                .unwrap_or_default();
            let removed = match in_force.ends {
                Some(e) if i == last => format!(" · removed from {e}"),
                _ => String::new(),
            };
            format!("- {by}: {days} ({file}){removed}")
        })
        .collect();
    format!("\n\nversions:\n{}", lines.join("\n"))
}

/// What a grant permits and what it blocks (§7.8).
fn grant_effects(model: &Model, g: &GrantInfo) -> String {
    let party = |p: Option<PartyId>| p.map_or("?".to_string(), |p| code(&model.party(p).name));
    let verbs: Vec<String> = g
        .rights
        .iter()
        .map(|v| code(model.verbs.name(*v)))
        .collect();
    let verbs = if verbs.is_empty() {
        code("exploit")
    } else {
        verbs.join(", ")
    };
    let asset = g
        .asset
        .map_or("?".to_string(), |a| code(&model.asset(a).name));
    let mut permits = format!(
        "permits {} to {verbs} {asset} inside its field, territory and period",
        party(g.licensee)
    );
    if g.sublicensable {
        permits.push_str(&format!(
            ", and to `sublicense` it in that scope{}",
            g.until.map_or(String::new(), |u| format!(
                " with an `until` no later than {u}"
            ))
        ));
    } else {
        permits.push_str(" (not sublicensable)");
    }
    let blocks = match g.exclusivity {
        Exclusivity::NonExclusive => "blocks nothing (non-exclusive)".to_string(),
        Exclusivity::Exclusive => format!(
            "blocks every other licence or sublicence of {asset} that overlaps it, and anyone's {verbs} of {asset} in its scope except {} and holders of a grant from {}: the licensor {} included",
            party(g.licensee),
            party(g.licensee),
            party(g.licensor)
        ),
        Exclusivity::Sole => format!(
            "blocks every other licence or sublicence of {asset} that overlaps it, and others' {verbs} of {asset} in its scope except {} and holders of a grant from {}; the licensor {} keeps its own use",
            party(g.licensee),
            party(g.licensee),
            party(g.licensor)
        ),
    };
    format!("{permits}\n\n{blocks}")
}

/// Where a fact or event is used: the clauses, grants and scenarios.
fn used_in(analysis: &Analysis, target: &Occurrence) -> String {
    let model = analysis.model();
    let mut places: Vec<String> = Vec::new();
    for o in analysis
        .occurrences
        .iter()
        .filter(|o| !o.decl && o.kind == target.kind && o.name == target.name)
    {
        let inside = |loc: &crate::span::Location| {
            loc.file == o.file && loc.span.start <= o.span.start && o.span.end <= loc.span.end
        };
        let place = if let Some(c) = model.clauses.iter().find(|c| inside(&c.location)) {
            match model.amendment_label(c.version) {
                Some(a) => format!("clause {} (as amended by {a})", code(&c.label)),
                None => format!("clause {}", code(&c.label)),
            }
        } else if let Some(s) = model.scenarios.iter().find(|s| inside(&s.location)) {
            format!("scenario “{}”", s.title)
        } else {
            continue;
        };
        if !places.contains(&place) {
            places.push(place);
        }
    }
    if places.is_empty() {
        "used nowhere".to_string()
    } else {
        format!("used in {}", places.join(", "))
    }
}

fn day_before(date: jiff::civil::Date) -> String {
    date.yesterday()
        .map_or_else(|_| format!("before {date}"), |d| d.to_string())
}

fn plural(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
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
