//! Building the declarations: agreement, parties, groups, trees, assets,
//! grants, facts and events, instruments and amendments.

use pest::iterators::Pair;

use super::build::*;
use super::*;
use crate::span::Span;
use crate::syntax::ast::*;

impl Builder {
    pub(super) fn declared(&mut self, pair: Pair<Rule>) -> Declared {
        let mut inner = Self::children(pair);
        let id = inner
            .next()
            .map(|p| self.ident(p))
            .unwrap_or_else(empty_ident);
        let description = inner.next().map(|p| self.string(p)).unwrap_or(Spanned {
            value: String::new(),
            span: Span::default(),
        });
        Declared { id, description }
    }

    pub(super) fn instrument(&mut self, pair: Pair<Rule>) -> Instrument {
        let mut instrument = Instrument {
            id: empty_ident(),
            title: Spanned {
                value: String::new(),
                span: Span::default(),
            },
            prevails_over: Vec::new(),
        };
        for p in Self::children(pair) {
            match p.as_rule() {
                Rule::ident => instrument.id = self.ident(p),
                Rule::string => instrument.title = self.string(p),
                Rule::prevails_over => instrument.prevails_over = self.line_idents(p),
                _ => {}
            }
        }
        instrument
    }

    pub(super) fn amendment(&mut self, pair: Pair<Rule>) -> Amendment {
        let mut amendment = Amendment {
            label: empty_ident(),
            title: Spanned {
                value: String::new(),
                span: Span::default(),
            },
            effective: Spanned {
                value: None,
                span: Span::default(),
            },
            removes: Vec::new(),
        };
        for p in Self::children(pair) {
            match p.as_rule() {
                Rule::label => amendment.label = self.ident(p),
                Rule::string => amendment.title = self.string(p),
                Rule::date => amendment.effective = self.date(p),
                Rule::removes => {
                    amendment
                        .removes
                        .extend(Self::children(p).map(|l| self.ident(l)));
                }
                _ => {}
            }
        }
        amendment
    }

    pub(super) fn agreement(&mut self, pair: Pair<Rule>) -> Agreement {
        let mut inner = pair.into_inner().filter(not_comment);
        let keyword = inner.next().map(|p| self.span(&p)).unwrap_or_default();
        let mut agreement = Agreement {
            title: Spanned {
                value: String::new(),
                span: Span::default(),
            },
            keyword,
            effective: Vec::new(),
            expires: Vec::new(),
            term: Vec::new(),
            open_ended: Vec::new(),
            include_affiliates: Vec::new(),
        };
        for p in inner {
            match p.as_rule() {
                Rule::string => agreement.title = self.string(p),
                Rule::effective_line => agreement
                    .effective
                    .extend(Self::children(p).map(|d| self.date(d))),
                Rule::expires_line => agreement
                    .expires
                    .extend(Self::children(p).map(|d| self.date(d))),
                Rule::term_line => agreement
                    .term
                    .extend(Self::children(p).map(|d| self.duration(d))),
                Rule::open_ended => agreement.open_ended.push(self.span(&p)),
                Rule::include_affiliates => agreement.include_affiliates.push(self.span(&p)),
                _ => {}
            }
        }
        agreement
    }

    pub(super) fn party(&mut self, pair: Pair<Rule>, kind: PartyKind) -> Party {
        let mut id = None;
        let mut legal_name = None;
        let mut affiliate_of = None;
        let (mut affiliate_from, mut affiliate_until) = (None, None);
        let (mut joined, mut left, mut defaulting) = (None, None, None);
        for p in Self::children(pair) {
            match p.as_rule() {
                Rule::ident => id = Some(self.ident(p)),
                Rule::string => legal_name = Some(self.string(p)),
                Rule::affiliate_of => {
                    for a in Self::children(p) {
                        match a.as_rule() {
                            Rule::ident => affiliate_of = Some(self.ident(a)),
                            Rule::affiliation_from => affiliate_from = self.first_date(a),
                            Rule::affiliation_until => affiliate_until = self.first_date(a),
                            _ => {}
                        }
                    }
                }
                Rule::joined => joined = self.first_date(p),
                Rule::left => {
                    for a in Self::children(p) {
                        match a.as_rule() {
                            Rule::date => left = Some(self.date(a)),
                            Rule::defaulting => defaulting = Some(self.span(&a)),
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        Party {
            kind,
            id: id.unwrap_or_else(empty_ident),
            legal_name: legal_name.unwrap_or(Spanned {
                value: String::new(),
                span: Span::default(),
            }),
            affiliate_of,
            affiliate_from,
            affiliate_until,
            joined,
            left,
            defaulting,
        }
    }

    pub(super) fn first_date(&self, pair: Pair<Rule>) -> Option<DateLit> {
        Self::children(pair).next().map(|d| self.date(d))
    }

    pub(super) fn group(&mut self, pair: Pair<Rule>) -> Group {
        let mut inner = Self::children(pair);
        let id = inner
            .next()
            .map(|p| self.ident(p))
            .unwrap_or_else(empty_ident);
        let members = inner.next().map(|p| self.idents(p)).unwrap_or_default();
        Group { id, members }
    }

    pub(super) fn tree(&mut self, pair: Pair<Rule>) -> Tree {
        let mut inner = pair.into_inner().filter(not_comment);
        let kind_pair = inner.next();
        let (kind, keyword) = match kind_pair {
            Some(p) => {
                let kind = match p.as_str() {
                    "fields" => TreeKind::Fields,
                    "territories" => TreeKind::Territories,
                    "actions" => TreeKind::Actions,
                    _ => {
                        self.internal(self.span(&p), p.as_rule(), "tree kind");
                        TreeKind::Actions
                    }
                };
                (kind, self.span(&p))
            }
            None => (TreeKind::Fields, Span::default()),
        };
        let nodes = inner.next().map(|p| self.nodes(p)).unwrap_or_default();
        Tree {
            kind,
            keyword,
            nodes,
        }
    }

    pub(super) fn nodes(&mut self, pair: Pair<Rule>) -> Vec<Node> {
        pair.into_inner()
            .filter(not_comment)
            .map(|node| {
                let mut inner = node.into_inner().filter(not_comment);
                let id = inner
                    .next()
                    .map(|p| self.ident(p))
                    .unwrap_or_else(empty_ident);
                let children = inner.next().map(|p| self.nodes(p)).unwrap_or_default();
                Node { id, children }
            })
            .collect()
    }

    pub(super) fn asset(&mut self, pair: Pair<Rule>) -> Asset {
        let mut asset = Asset {
            id: empty_ident(),
            title: None,
            class: Vec::new(),
            asset_type: Vec::new(),
            owner_lines: Vec::new(),
            tags: Vec::new(),
            created: Vec::new(),
        };
        for p in Self::children(pair) {
            let span = self.span(&p);
            match p.as_rule() {
                Rule::ident => asset.id = self.ident(p),
                Rule::string => asset.title = Some(self.string(p)),
                Rule::class_line => {
                    if let Some(v) = Self::children(p).next() {
                        asset.class.push(match AssetClass::parse(v.as_str()) {
                            Some(c) => Word::Known(Spanned {
                                value: c,
                                span: self.span(&v),
                            }),
                            None => Word::Unknown(self.ident(v)),
                        });
                    }
                }
                Rule::type_line => {
                    if let Some(v) = Self::children(p).next() {
                        asset.asset_type.push(match AssetType::parse(v.as_str()) {
                            Some(c) => Word::Known(Spanned {
                                value: c,
                                span: self.span(&v),
                            }),
                            None => Word::Unknown(self.ident(v)),
                        });
                    }
                }
                Rule::owner_line => {
                    let shares = Self::children(p)
                        .map(|o| Share {
                            owner: self.ident(o),
                            percent: None,
                        })
                        .collect();
                    asset.owner_lines.push(Spanned {
                        value: shares,
                        span,
                    });
                }
                Rule::owners_line => {
                    let shares = Self::children(p)
                        .map(|share| {
                            let mut inner = share.into_inner().filter(not_comment);
                            let owner = inner
                                .next()
                                .map(|o| self.ident(o))
                                .unwrap_or_else(empty_ident);
                            let percent = inner.next().map(|q| self.percent(q));
                            Share { owner, percent }
                        })
                        .collect();
                    asset.owner_lines.push(Spanned {
                        value: shares,
                        span,
                    });
                }
                Rule::tags_line => {
                    if let Some(list) = Self::children(p).next() {
                        asset.tags.extend(self.idents(list));
                    }
                }
                Rule::created_line => asset
                    .created
                    .extend(Self::children(p).map(|d| self.date(d))),
                _ => {}
            }
        }
        asset
    }

    pub(super) fn grant(&mut self, pair: Pair<Rule>) -> Grant {
        let mut grant = Grant {
            label: empty_ident(),
            exclusivity: None,
            asset: empty_ident(),
            licensor: empty_ident(),
            licensee: empty_ident(),
            field: Vec::new(),
            territory: Vec::new(),
            from: Vec::new(),
            until: Vec::new(),
            rights: Vec::new(),
            sublicensable: None,
        };
        let mut names = 0;
        for p in Self::children(pair) {
            match p.as_rule() {
                Rule::label => grant.label = self.ident(p),
                Rule::exclusivity => {
                    let span = self.span(&p);
                    let value = match p.as_str() {
                        "exclusive" => Exclusivity::Exclusive,
                        "sole" => Exclusivity::Sole,
                        "non_exclusive" => Exclusivity::NonExclusive,
                        _ => {
                            self.internal(span, p.as_rule(), "exclusivity");
                            Exclusivity::NonExclusive
                        }
                    };
                    grant.exclusivity = Some(Spanned { value, span });
                }
                Rule::rights_line => grant.rights.extend(self.line_idents(p)),
                Rule::grant_sublicensable => {
                    let span = self.span(&p);
                    let value = !p.as_str().starts_with("non_");
                    grant.sublicensable.get_or_insert(Spanned { value, span });
                }
                Rule::ident => {
                    let id = self.ident(p);
                    match names {
                        0 => grant.asset = id,
                        1 => grant.licensor = id,
                        _ => grant.licensee = id,
                    }
                    names += 1;
                }
                Rule::field_line => grant.field.extend(self.line_idents(p)),
                Rule::territory_line => grant.territory.extend(self.line_idents(p)),
                Rule::grant_from => grant.from.extend(Self::children(p).map(|d| self.date(d))),
                Rule::grant_until => grant.until.extend(Self::children(p).map(|d| self.date(d))),
                _ => {}
            }
        }
        grant
    }

    pub(super) fn line_idents(&self, line: Pair<Rule>) -> Vec<Ident> {
        Self::children(line)
            .next()
            .map(|list| self.idents(list))
            .unwrap_or_default()
    }
}
