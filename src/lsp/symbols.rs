//! Document symbols (the outline of one file) and workspace symbols (the
//! declarations of every open policy matching a query).

#![allow(deprecated)] // `deprecated` fields of the symbol types must still be set

use lsp_types::{DocumentSymbol, SymbolInformation, SymbolKind};

use super::convert;
use super::workspace::Analysis;
use crate::names::{LabelRef, NameRef};
use crate::source::SourceFile;
use crate::span::{FileId, Span};
use crate::syntax::ast::{self, ItemKind, PartyKind};
use crate::syntax::refs::SymKind;

/// Most workspace symbols returned for one query.
const MAX_WORKSPACE_SYMBOLS: usize = 1000;

pub fn document(analysis: &Analysis, file: FileId) -> Vec<DocumentSymbol> {
    let (Some(tree), Some(source)) = (analysis.syntax(file), analysis.source(file)) else {
        return Vec::new();
    };
    tree.items.iter().map(|item| symbol(source, item)).collect()
}

fn symbol(source: &SourceFile, item: &ast::Item) -> DocumentSymbol {
    let span = item.span;
    match &item.kind {
        ItemKind::Agreement(a) => sym(
            source,
            &a.title.value,
            Some("agreement"),
            SymbolKind::NAMESPACE,
            span,
            a.title.span,
        ),
        ItemKind::Party(p) => {
            let role = match (&p.kind, &p.affiliate_of) {
                (PartyKind::ThirdParty, _) => "third party".to_string(),
                (PartyKind::Party, Some(of)) => format!("affiliate of {}", of.name),
                (PartyKind::Party, None) => "party".to_string(),
            };
            let detail = format!("{role} · {}", p.legal_name.value);
            sym(
                source,
                &p.id.name,
                Some(&detail),
                SymbolKind::CLASS,
                span,
                p.id.span,
            )
        }
        ItemKind::Group(g) => {
            let members: Vec<&str> = g.members.iter().map(|m| m.name.as_str()).collect();
            let detail = format!("group = {}", members.join(", "));
            sym(
                source,
                &g.id.name,
                Some(&detail),
                SymbolKind::MODULE,
                span,
                g.id.span,
            )
        }
        ItemKind::Tree(t) => {
            let mut s = sym(
                source,
                t.kind.keyword(),
                None,
                SymbolKind::NAMESPACE,
                span,
                t.keyword,
            );
            s.children = Some(t.nodes.iter().map(|n| node(source, n).0).collect());
            s
        }
        ItemKind::Asset(a) => {
            let detail = a.title.as_ref().map(|t| t.value.as_str());
            sym(
                source,
                &a.id.name,
                detail,
                SymbolKind::STRUCT,
                span,
                a.id.span,
            )
        }
        ItemKind::Grant(g) => {
            let detail = format!(
                "{}license of {} from {} to {}",
                match g.exclusivity.as_ref().map(|e| e.value) {
                    Some(crate::syntax::ast::Exclusivity::Exclusive) => "exclusive ",
                    Some(crate::syntax::ast::Exclusivity::Sole) => "sole ",
                    _ => "",
                },
                g.asset.name,
                g.licensor.name,
                g.licensee.name
            );
            sym(
                source,
                &g.label.name,
                Some(&detail),
                SymbolKind::OBJECT,
                span,
                g.label.span,
            )
        }
        ItemKind::Fact(d) | ItemKind::Event(d) => {
            let what = if matches!(item.kind, ItemKind::Fact(_)) {
                "fact"
            } else {
                "event"
            };
            sym(
                source,
                &d.id.name,
                Some(&format!("{what} · {}", d.description.value)),
                if what == "fact" {
                    SymbolKind::CONSTANT
                } else {
                    SymbolKind::EVENT
                },
                span,
                d.id.span,
            )
        }
        ItemKind::Instrument(i) => sym(
            source,
            &i.id.name,
            Some(&format!("instrument · {}", i.title.value)),
            SymbolKind::NAMESPACE,
            span,
            i.id.span,
        ),
        ItemKind::Amendment(a) => sym(
            source,
            &a.label.name,
            Some(&format!("amendment · {}", a.title.value)),
            SymbolKind::NAMESPACE,
            span,
            a.label.span,
        ),
        ItemKind::Clause(c) => {
            let kind = c.head().map_or("clause", |h| h.kind.value.as_str());
            let detail = match &c.title {
                Some(t) => format!("{kind} · {}", t.value),
                None => kind.to_string(),
            };
            let mut s = sym(
                source,
                &c.label.name,
                Some(&detail),
                SymbolKind::FUNCTION,
                span,
                c.label.span,
            );
            let lines = c
                .heads
                .iter()
                .map(|h| h.span)
                .chain(c.lines.iter().map(|l| l.span));
            s.children = Some(
                lines
                    .map(|line| {
                        let text = first_line(source, line);
                        sym(source, &text, None, SymbolKind::FIELD, line, line)
                    })
                    .collect(),
            );
            s
        }
        ItemKind::Scenario(sc) => {
            let mut detail = format!("expect {}", sc.expect.value.as_str());
            if let Some(by) = &sc.expect_by {
                detail.push_str(&format!(" by {}", by.name));
            }
            sym(
                source,
                &sc.title.value,
                Some(&detail),
                SymbolKind::EVENT,
                span,
                sc.title.span,
            )
        }
    }
}

fn node(source: &SourceFile, n: &ast::Node) -> (DocumentSymbol, Span) {
    let mut s = sym(
        source,
        &n.id.name,
        None,
        SymbolKind::ENUM_MEMBER,
        n.id.span,
        n.id.span,
    );
    let mut span = n.id.span;
    if !n.children.is_empty() {
        let mut children = Vec::new();
        for child in &n.children {
            let (c, child_span) = node(source, child);
            span = span.to(child_span);
            children.push(c);
        }
        s.children = Some(children);
        s.range = convert::range(source, span);
    }
    (s, span)
}

/// The first line of a span's text, trimmed and shortened.
fn first_line(source: &SourceFile, span: Span) -> String {
    let text = source.text.get(span.range()).unwrap_or("");
    let line = text.lines().next().unwrap_or("").trim();
    if line.chars().count() > 60 {
        let cut: String = line.chars().take(59).collect();
        format!("{cut}…")
    } else if line.is_empty() {
        "…".to_string()
    } else {
        line.to_string()
    }
}

fn sym(
    source: &SourceFile,
    name: &str,
    detail: Option<&str>,
    kind: SymbolKind,
    range: Span,
    selection: Span,
) -> DocumentSymbol {
    let range = range.to(selection);
    DocumentSymbol {
        // An empty name is invalid in LSP.
        name: if name.is_empty() {
            "\"\"".to_string()
        } else {
            name.to_string()
        },
        detail: detail.map(str::to_string),
        kind,
        tags: None,
        deprecated: None,
        range: convert::range(source, range),
        selection_range: convert::range(source, selection),
        children: None,
    }
}

/// Declarations whose name contains `query` (ignoring case), over every
/// analysed policy.
pub fn workspace(analyses: &[std::sync::Arc<Analysis>], query: &str) -> Vec<SymbolInformation> {
    let query = query.to_lowercase();
    let mut out = Vec::new();
    for analysis in analyses {
        let model = analysis.model();
        for occ in analysis.occurrences.iter().filter(|o| o.decl) {
            if !occ.name.to_lowercase().contains(&query) {
                continue;
            }
            let (kind, container) = match occ.kind {
                SymKind::Name => match model.names.get(&occ.name) {
                    Some(NameRef::Group(_)) => (SymbolKind::MODULE, "group"),
                    _ => (SymbolKind::CLASS, "party"),
                },
                SymKind::Asset => (SymbolKind::STRUCT, "asset"),
                SymKind::Field => (SymbolKind::ENUM_MEMBER, "fields"),
                SymKind::Territory => (SymbolKind::ENUM_MEMBER, "territories"),
                SymKind::Verb => (SymbolKind::ENUM_MEMBER, "actions"),
                SymKind::Fact => (SymbolKind::CONSTANT, "fact"),
                SymKind::Event => (SymbolKind::EVENT, "event"),
                SymKind::Instrument => (SymbolKind::NAMESPACE, "instrument"),
                SymKind::Label => match model.labels.get(&occ.name) {
                    Some(LabelRef::Grant(_)) => (SymbolKind::OBJECT, "grant"),
                    _ => (SymbolKind::FUNCTION, "clause"),
                },
                SymKind::Tag => continue,
            };
            let Some(location) = analysis.location(occ.file, occ.span) else {
                continue;
            };
            out.push(SymbolInformation {
                name: occ.name.clone(),
                kind,
                tags: None,
                deprecated: None,
                location,
                container_name: Some(container.to_string()),
            });
            if out.len() >= MAX_WORKSPACE_SYMBOLS {
                return out;
            }
        }
    }
    out
}
