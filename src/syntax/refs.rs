//! A walk over the syntax tree yielding every name written in a policy
//! (declarations and uses) with its kind and span: navigation in the
//! language server, and the `unused` lint.

use crate::span::{FileId, Span};
use crate::syntax::ast::{self, ExprKind, ItemKind, LineKind, PartyItem, TreeKind};

/// The namespace a name lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SymKind {
    /// Parties, affiliates, third parties and groups (one namespace).
    Name,
    Asset,
    Field,
    Territory,
    Verb,
    /// Clause and grant labels (one namespace).
    Label,
    /// Asset tags: every `tags` line declares, every `tagged` uses.
    Tag,
    Fact,
    Event,
    Instrument,
}

impl SymKind {
    pub fn of_tree(kind: TreeKind) -> SymKind {
        match kind {
            TreeKind::Fields => SymKind::Field,
            TreeKind::Territories => SymKind::Territory,
            TreeKind::Actions => SymKind::Verb,
        }
    }
}

/// One name as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    pub kind: SymKind,
    pub name: String,
    pub file: FileId,
    pub span: Span,
    /// A declaration (or, for tags, a `tags` line).
    pub decl: bool,
}

/// Every name of the given files, sorted by file and position.
pub fn occurrences(files: &[(FileId, ast::File)]) -> Vec<Occurrence> {
    let mut walk = Walk {
        out: Vec::new(),
        file: FileId(0),
    };
    for (file, tree) in files {
        walk.file = *file;
        for item in &tree.items {
            walk.item(&item.kind);
        }
    }
    walk.out.sort_by_key(|o| (o.file, o.span.start, o.span.end));
    walk.out
}

struct Walk {
    out: Vec<Occurrence>,
    file: FileId,
}

impl Walk {
    fn push(&mut self, kind: SymKind, id: &ast::Ident, decl: bool) {
        self.out.push(Occurrence {
            kind,
            name: id.name.clone(),
            file: self.file,
            span: id.span,
            decl,
        });
    }

    fn uses<'a>(&mut self, kind: SymKind, ids: impl IntoIterator<Item = &'a ast::Ident>) {
        for id in ids {
            self.push(kind, id, false);
        }
    }

    fn item(&mut self, item: &ItemKind) {
        match item {
            ItemKind::Agreement(_) => {}
            ItemKind::Fact(f) => self.push(SymKind::Fact, &f.id, true),
            ItemKind::Event(e) => self.push(SymKind::Event, &e.id, true),
            ItemKind::Instrument(i) => {
                self.push(SymKind::Instrument, &i.id, true);
                self.uses(SymKind::Instrument, &i.prevails_over);
            }
            ItemKind::Amendment(a) => self.uses(SymKind::Label, &a.removes),
            ItemKind::Party(p) => {
                self.push(SymKind::Name, &p.id, true);
                self.uses(SymKind::Name, &p.affiliate_of);
            }
            ItemKind::Group(g) => {
                self.push(SymKind::Name, &g.id, true);
                self.uses(SymKind::Name, &g.members);
            }
            ItemKind::Tree(t) => {
                let kind = SymKind::of_tree(t.kind);
                let mut stack: Vec<&ast::Node> = t.nodes.iter().collect();
                while let Some(node) = stack.pop() {
                    self.push(kind, &node.id, true);
                    stack.extend(&node.children);
                }
            }
            ItemKind::Asset(a) => {
                self.push(SymKind::Asset, &a.id, true);
                for line in &a.owner_lines {
                    self.uses(SymKind::Name, line.value.iter().map(|s| &s.owner));
                }
                for tag in &a.tags {
                    self.push(SymKind::Tag, tag, true);
                }
            }
            ItemKind::Grant(g) => {
                self.push(SymKind::Label, &g.label, true);
                self.push(SymKind::Asset, &g.asset, false);
                self.push(SymKind::Name, &g.licensor, false);
                self.push(SymKind::Name, &g.licensee, false);
                self.uses(SymKind::Field, &g.field);
                self.uses(SymKind::Territory, &g.territory);
                self.uses(SymKind::Verb, &g.rights);
            }
            ItemKind::Clause(c) => self.clause(c),
            ItemKind::Scenario(s) => {
                let a = &s.action;
                self.uses(SymKind::Name, &a.actor);
                self.uses(SymKind::Verb, &a.verb);
                self.uses(SymKind::Asset, &a.asset);
                self.uses(SymKind::Name, &a.to);
                self.uses(SymKind::Field, &a.field);
                self.uses(SymKind::Territory, &a.territory);
                for notice in a.notice.iter().flatten() {
                    self.push(SymKind::Name, &notice.0, false);
                }
                self.uses(SymKind::Name, a.consents.iter().flatten());
                self.uses(SymKind::Name, &a.consents_pending);
                self.uses(SymKind::Name, a.objections.iter().flatten().map(|(p, _)| p));
                self.uses(SymKind::Name, &a.objections_pending);
                self.uses(SymKind::Fact, a.facts.iter().flatten().map(|(f, _)| f));
                self.uses(SymKind::Event, a.events.iter().map(|(e, _)| e));
                self.uses(SymKind::Label, &s.expect_by);
                for d in &s.owes {
                    self.duty(d);
                }
            }
        }
    }

    fn clause(&mut self, c: &ast::Clause) {
        self.push(SymKind::Label, &c.label, true);
        self.uses(SymKind::Label, &c.notwithstanding);
        for head in &c.heads {
            self.uses(SymKind::Verb, &head.verbs);
            for sel in &head.assets {
                match sel {
                    ast::AssetSelector::Named(id) => self.push(SymKind::Asset, id, false),
                    ast::AssetSelector::Filter(f) => self.uses(SymKind::Tag, &f.tag),
                }
            }
        }
        for line in &c.lines {
            match &line.kind {
                LineKind::By(p) | LineKind::To(p) => self.parties(p),
                LineKind::Field(ids) => self.uses(SymKind::Field, ids),
                LineKind::Territory(ids) => self.uses(SymKind::Territory, ids),
                LineKind::When(e) | LineKind::Unless(e) => self.expr(e),
                LineKind::Duty(d) => self.duty(d),
                LineKind::From(t) | LineKind::Until(t) => self.time(t),
                LineKind::DuringTerm | LineKind::AfterTerm => {}
            }
        }
    }

    fn duty(&mut self, d: &ast::Duty) {
        match &d.kind {
            ast::DutyKind::Notify(p, _)
            | ast::DutyKind::ObtainConsent(p)
            | ast::DutyKind::Pay(_, p)
            | ast::DutyKind::Share(p)
            | ast::DutyKind::Compensate(p) => self.parties(p),
            ast::DutyKind::Text(_) => {}
        }
    }

    fn time(&mut self, t: &ast::Time) {
        if let ast::TimeBase::Event(id) = &t.base {
            self.push(SymKind::Event, id, false);
        }
    }

    fn parties(&mut self, p: &ast::Parties) {
        for item in p.include.iter().chain(&p.except) {
            let mut item = item;
            while let PartyItem::AffiliatesOf(inner, _) = item {
                item = inner;
            }
            if let PartyItem::Named(id) = item {
                self.push(SymKind::Name, id, false);
            }
        }
    }

    fn expr(&mut self, e: &ast::Expr) {
        let mut stack = vec![e];
        while let Some(e) = stack.pop() {
            match &e.kind {
                ExprKind::Or(parts) | ExprKind::And(parts) => stack.extend(parts),
                ExprKind::Not(inner) => stack.push(inner),
                ExprKind::FieldIn(id) => self.push(SymKind::Field, id, false),
                ExprKind::TerritoryIn(id) => self.push(SymKind::Territory, id, false),
                ExprKind::ToIn(p)
                | ExprKind::ObjectionOf { parties: p, .. }
                | ExprKind::NoticeTo(p, _, _) => self.parties(p),
                ExprKind::ConsentOf { parties, .. } => self.parties(parties),
                ExprKind::Fact(id) => self.push(SymKind::Fact, id, false),
                ExprKind::Until(_, t) => self.time(t),
                ExprKind::TimeCmp(l, _, r) => {
                    self.time(l);
                    self.time(r);
                }
                ExprKind::Bool(_)
                | ExprKind::Exclusive
                | ExprKind::Sublicensable
                | ExprKind::Royalty(..) => {}
            }
        }
    }
}

/// The occurrence under a byte offset (its end counts: a cursor right after
/// a name is on it).
pub fn at(occurrences: &[Occurrence], file: FileId, offset: usize) -> Option<&Occurrence> {
    let end = occurrences.partition_point(|o| (o.file, o.span.start as usize) <= (file, offset));
    occurrences[..end]
        .iter()
        .rev()
        .take(2)
        .find(|o| o.file == file && o.span.contains(offset))
}
