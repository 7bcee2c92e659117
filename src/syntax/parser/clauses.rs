//! Building clauses: heads, party lists, times, conditions and duties.

use pest::iterators::Pair;

use super::build::*;
use super::*;
use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;
use crate::syntax::ast::*;
use crate::terms::{ClauseKind, Cmp};

impl Builder {
    pub(super) fn clause(&mut self, pair: Pair<Rule>) -> Clause {
        let body_start = pair
            .as_str()
            .find('{')
            .map_or(0, |i| pair.as_span().start() + i);
        let body = Span::new(self.offset + body_start, self.offset + pair.as_span().end());
        let mut clause = Clause {
            label: empty_ident(),
            title: None,
            notwithstanding: Vec::new(),
            heads: Vec::new(),
            lines: Vec::new(),
            body,
        };
        for p in Self::children(pair) {
            let span = self.span(&p);
            let kind = match p.as_rule() {
                Rule::label => {
                    clause.label = self.ident(p);
                    continue;
                }
                Rule::string => {
                    clause.title = Some(self.string(p));
                    continue;
                }
                Rule::notwithstanding => {
                    clause
                        .notwithstanding
                        .extend(Self::children(p).map(|l| self.ident(l)));
                    continue;
                }
                Rule::head => {
                    clause.heads.push(self.head(p));
                    continue;
                }
                Rule::by_line => LineKind::By(self.first_parties(p)),
                Rule::to_line => LineKind::To(self.first_parties(p)),
                Rule::field_line => LineKind::Field(self.line_idents(p)),
                Rule::territory_line => LineKind::Territory(self.line_idents(p)),
                Rule::during_term => LineKind::DuringTerm,
                Rule::after_term => LineKind::AfterTerm,
                Rule::from_line => LineKind::From(self.first_time(p)),
                Rule::until_line => LineKind::Until(self.first_time(p)),
                Rule::when_line => LineKind::When(self.first_expr(p)),
                Rule::unless_line => LineKind::Unless(self.first_expr(p)),
                Rule::duty_line => match Self::children(p).next() {
                    Some(d) => LineKind::Duty(self.duty(d)),
                    None => continue,
                },
                _ => continue,
            };
            clause.lines.push(Line { kind, span });
        }
        clause
    }

    pub(super) fn head(&mut self, pair: Pair<Rule>) -> Head {
        let span = self.span(&pair);
        let mut head = Head {
            kind: Spanned {
                value: ClauseKind::Permit,
                span: Span::default(),
            },
            verbs: Vec::new(),
            any_verb: None,
            assets: Vec::new(),
            span,
        };
        for p in Self::children(pair) {
            match p.as_rule() {
                Rule::clause_kind => {
                    let kind = match p.as_str() {
                        "forbid" => ClauseKind::Forbid,
                        "oblige" => ClauseKind::Oblige,
                        "permit" => ClauseKind::Permit,
                        _ => {
                            self.internal(self.span(&p), p.as_rule(), "clause kind");
                            ClauseKind::Permit
                        }
                    };
                    head.kind = Spanned {
                        value: kind,
                        span: self.span(&p),
                    };
                }
                Rule::verbs => {
                    let span = self.span(&p);
                    match p.into_inner().find(not_comment) {
                        Some(list) if list.as_rule() == Rule::ident_list => {
                            head.verbs = self.idents(list)
                        }
                        _ => head.any_verb = Some(span),
                    }
                }
                Rule::assets => {
                    head.assets = p
                        .into_inner()
                        .filter(not_comment)
                        .map(|a| self.asset_selector(a))
                        .collect()
                }
                _ => {}
            }
        }
        head
    }

    pub(super) fn asset_selector(&self, pair: Pair<Rule>) -> AssetSelector {
        let span = self.span(&pair);
        if pair.as_rule() == Rule::asset_ref {
            return match pair.into_inner().find(not_comment) {
                Some(id) => AssetSelector::Named(self.ident(id)),
                None => AssetSelector::Named(empty_ident()),
            };
        }
        let mut filter = AssetFilter {
            span,
            ..AssetFilter::default()
        };
        for part in pair.into_inner().filter(not_comment) {
            let part_span = self.span(&part);
            let duplicate = match part.as_rule() {
                Rule::asset_class => filter
                    .class
                    .replace(AssetClass::parse(part.as_str()).unwrap_or(AssetClass::Foreground))
                    .is_some(),
                Rule::asset_type => filter
                    .asset_type
                    .replace(AssetType::parse(part.as_str()).unwrap_or(AssetType::Patent))
                    .is_some(),
                Rule::ownership => filter
                    .jointly_owned
                    .replace(part.as_str() == "jointly_owned")
                    .is_some(),
                Rule::tagged => {
                    let tag = Self::children(part).next().map(|t| self.ident(t));
                    std::mem::replace(&mut filter.tag, tag).is_some()
                }
                _ => false,
            };
            if duplicate {
                self.push_later(
                    Diagnostic::new(Code::RepeatedFilterWord, self.file, part_span, "an asset filter names the same property twice")
                        .with_label("second one here")
                        .with_help("a filter holds at most one class, one type, one ownership word and one `tagged`; to select either of two, write two filters separated by `,`"),
                );
            }
        }
        AssetSelector::Filter(filter)
    }

    pub(super) fn first_parties(&self, line: Pair<Rule>) -> Parties {
        let span = self.span(&line);
        Self::children(line)
            .next()
            .map(|p| self.parties(p))
            .unwrap_or(Parties {
                include: Vec::new(),
                except: Vec::new(),
                span,
                continued: Vec::new(),
            })
    }

    pub(super) fn parties(&self, pair: Pair<Rule>) -> Parties {
        let span = self.span(&pair);
        let mut lists = Self::children(pair);
        let mut continued = Vec::new();
        let include = lists
            .next()
            .map(|l| self.party_list(l, &mut continued))
            .unwrap_or_default();
        let except = lists
            .next()
            .map(|l| self.party_list(l, &mut continued))
            .unwrap_or_default();
        Parties {
            include,
            except,
            span,
            continued,
        }
    }

    /// The items of a party list; the spans of those that follow a bare
    /// line break go to `continued`.
    pub(super) fn party_list(&self, pair: Pair<Rule>, continued: &mut Vec<Span>) -> Vec<PartyItem> {
        let text = pair.as_str();
        let start = pair.as_span().start();
        let mut previous_end: Option<usize> = None;
        let mut out = Vec::new();
        for p in pair.into_inner().filter(not_comment) {
            let s = p.as_span();
            if let Some(end) = previous_end {
                let between = &text[end - start..s.start() - start];
                self.check_separator(between, end);
                if !between.contains(',') && between.contains('\n') {
                    continued.push(self.span(&p));
                }
            }
            previous_end = Some(s.end());
            out.push(self.party_item(p));
        }
        out
    }

    pub(super) fn party_item(&self, pair: Pair<Rule>) -> PartyItem {
        let span = self.span(&pair);
        match pair.as_rule() {
            Rule::sel_anyone => PartyItem::Anyone(span),
            Rule::sel_parties => PartyItem::Parties(span),
            Rule::sel_third_parties => PartyItem::ThirdParties(span),
            Rule::sel_owners => PartyItem::Owners(span),
            Rule::sel_co_owners => PartyItem::CoOwners(span),
            Rule::sel_former_parties => PartyItem::FormerParties(span),
            Rule::sel_defaulting_parties => PartyItem::DefaultingParties(span),
            Rule::affiliates => {
                let inner: Vec<Pair<Rule>> = pair.into_inner().filter(not_comment).collect();
                let depth = inner
                    .iter()
                    .filter(|p| p.as_rule() == Rule::kw_affiliates)
                    .count();
                let base = inner
                    .into_iter()
                    .rfind(|p| !is_keyword(p.as_rule()))
                    .map(|p| self.party_item(p))
                    .unwrap_or(PartyItem::Named(empty_ident()));
                if depth > MAX_CHAIN {
                    self.push_later(nesting_too_deep(self.file, span));
                    return base;
                }
                (0..depth).fold(base, |inner, _| {
                    PartyItem::AffiliatesOf(Box::new(inner), span)
                })
            }
            _ => match pair.into_inner().find(not_comment) {
                Some(id) => PartyItem::Named(self.ident(id)),
                None => PartyItem::Named(Ident {
                    name: String::new(),
                    span,
                }),
            },
        }
    }

    pub(super) fn first_time(&self, line: Pair<Rule>) -> Time {
        let span = self.span(&line);
        Self::children(line)
            .next()
            .map(|t| self.time(t))
            .unwrap_or(Time {
                base: TimeBase::Effective,
                offsets: Vec::new(),
                span,
            })
    }

    pub(super) fn time(&self, pair: Pair<Rule>) -> Time {
        let span = self.span(&pair);
        let mut base = TimeBase::Effective;
        let mut offsets = Vec::new();
        for p in pair.into_inner().filter(not_comment) {
            match p.as_rule() {
                Rule::date => base = TimeBase::Date(parse_date(p.as_str())),
                Rule::time_effective => base = TimeBase::Effective,
                Rule::time_expires => base = TimeBase::Expires,
                Rule::time_created => base = TimeBase::Created,
                Rule::time_event => {
                    if let Some(id) = p.into_inner().find(not_comment) {
                        base = TimeBase::Event(self.ident(id));
                    }
                }
                Rule::offset_plus | Rule::offset_minus => {
                    let minus = p.as_rule() == Rule::offset_minus;
                    if let Some(d) = p.into_inner().find(not_comment) {
                        offsets.push(Offset {
                            minus,
                            duration: self.duration(d),
                        });
                    }
                }
                _ => {}
            }
        }
        Time {
            base,
            offsets,
            span,
        }
    }

    pub(super) fn first_expr(&self, line: Pair<Rule>) -> Expr {
        let span = self.span(&line);
        Self::children(line)
            .next()
            .map(|e| self.expr(e))
            .unwrap_or(Expr {
                kind: ExprKind::Bool(true),
                span,
            })
    }

    pub(super) fn expr(&self, pair: Pair<Rule>) -> Expr {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        match rule {
            Rule::expr | Rule::conj => {
                let mut parts: Vec<Expr> = Self::children(pair).map(|p| self.expr(p)).collect();
                if parts.len() == 1 {
                    return parts.pop().unwrap_or(Expr {
                        kind: ExprKind::Bool(true),
                        span,
                    });
                }
                let kind = if rule == Rule::expr {
                    ExprKind::Or(parts)
                } else {
                    ExprKind::And(parts)
                };
                Expr { kind, span }
            }
            Rule::unary => {
                let mut nots = Vec::new();
                let mut primary = None;
                for p in pair.into_inner().filter(not_comment) {
                    if p.as_rule() == Rule::not {
                        nots.push(self.span(&p).start);
                    } else {
                        primary = Some(self.expr(p));
                    }
                }
                let primary = primary.unwrap_or(Expr {
                    kind: ExprKind::Bool(true),
                    span,
                });
                if nots.len() > MAX_CHAIN {
                    self.push_later(nesting_too_deep(self.file, span));
                    return primary;
                }
                nots.into_iter().rev().fold(primary, |inner, start| Expr {
                    span: Span {
                        start,
                        end: inner.span.end,
                    },
                    kind: ExprKind::Not(Box::new(inner)),
                })
            }
            _ => Expr {
                kind: self.atom(pair),
                span,
            },
        }
    }

    pub(super) fn atom(&self, pair: Pair<Rule>) -> ExprKind {
        let rule = pair.as_rule();
        let span = self.span(&pair);
        let text = pair.as_str();
        let mut inner = Self::children(pair);
        match rule {
            Rule::flag_exclusive => ExprKind::Exclusive,
            Rule::flag_sublicensable => ExprKind::Sublicensable,
            Rule::bool_lit => ExprKind::Bool(text == "true"),
            Rule::cmp_royalty => {
                let cmp = inner.next().map(|c| self.cmp(&c)).unwrap_or(Cmp::Eq);
                let pct = inner.next().map(|p| self.percent(p)).unwrap_or(Spanned {
                    value: 0,
                    span: Span::default(),
                });
                ExprKind::Royalty(cmp, pct)
            }
            Rule::cmp_until => {
                let cmp = inner.next().map(|c| self.cmp(&c)).unwrap_or(Cmp::Eq);
                let time = inner.next().map(|t| self.time(t));
                ExprKind::Until(cmp, time.unwrap_or_else(|| empty_time(TimeBase::Expires)))
            }
            Rule::cmp_time => {
                let left = inner
                    .next()
                    .map(|t| self.time(t))
                    .unwrap_or_else(|| empty_time(TimeBase::Effective));
                let cmp = inner.next().map(|c| self.cmp(&c)).unwrap_or(Cmp::Eq);
                let right = inner
                    .next()
                    .map(|t| self.time(t))
                    .unwrap_or_else(|| empty_time(TimeBase::Effective));
                ExprKind::TimeCmp(left, cmp, right)
            }
            Rule::fact_ref => ExprKind::Fact(
                inner
                    .next()
                    .map(|i| self.ident(i))
                    .unwrap_or_else(empty_ident),
            ),
            Rule::in_field => ExprKind::FieldIn(
                inner
                    .next()
                    .map(|i| self.ident(i))
                    .unwrap_or_else(empty_ident),
            ),
            Rule::in_territory => ExprKind::TerritoryIn(
                inner
                    .next()
                    .map(|i| self.ident(i))
                    .unwrap_or_else(empty_ident),
            ),
            Rule::to_in => ExprKind::ToIn(self.parties_or_empty(inner.next())),
            Rule::consent_of => {
                let first = inner.next();
                match first {
                    Some(p) if p.as_rule() == Rule::any_of => ExprKind::ConsentOf {
                        any: true,
                        parties: self.parties_or_empty(inner.next()),
                    },
                    other => ExprKind::ConsentOf {
                        any: false,
                        parties: self.parties_or_empty(other),
                    },
                }
            }
            Rule::objection_of => {
                let parties = self.parties_or_empty(inner.next());
                let (mut after_notice, mut before) = (None, None);
                for q in inner {
                    let rule = q.as_rule();
                    let d = Self::children(q).next().map(|d| self.duration(d));
                    match rule {
                        Rule::within_after_notice => after_notice = d,
                        Rule::within_before => before = d,
                        _ => {}
                    }
                }
                ExprKind::ObjectionOf {
                    parties,
                    after_notice,
                    before,
                }
            }
            Rule::notice_to => {
                let parties = self.parties_or_empty(inner.next());
                let cmp = inner.next().map(|c| self.cmp(&c)).unwrap_or(Cmp::Ge);
                let duration = inner.next().map(|d| self.duration(d)).unwrap_or(Duration {
                    count: 0,
                    unit: DurationUnit::Days,
                    span: Span::default(),
                });
                ExprKind::NoticeTo(parties, cmp, duration)
            }
            other => {
                self.internal(span, other, "condition");
                ExprKind::Bool(false)
            }
        }
    }

    pub(super) fn parties_or_empty(&self, pair: Option<Pair<Rule>>) -> Parties {
        pair.map(|p| self.parties(p)).unwrap_or(Parties {
            include: Vec::new(),
            except: Vec::new(),
            span: Span::default(),
            continued: Vec::new(),
        })
    }

    pub(super) fn duty(&self, pair: Pair<Rule>) -> Duty {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        let mut inner = Self::children(pair);
        let kind = match rule {
            Rule::duty_notify => {
                let parties = self.parties_or_empty(inner.next());
                let duration = inner.next().map(|d| self.duration(d)).unwrap_or(Duration {
                    count: 0,
                    unit: DurationUnit::Days,
                    span,
                });
                DutyKind::Notify(parties, duration)
            }
            Rule::duty_consent => DutyKind::ObtainConsent(self.parties_or_empty(inner.next())),
            Rule::duty_pay => {
                let pct = inner
                    .next()
                    .map(|p| self.percent(p))
                    .unwrap_or(Spanned { value: 0, span });
                DutyKind::Pay(pct, self.parties_or_empty(inner.next()))
            }
            Rule::duty_compensate => DutyKind::Compensate(self.parties_or_empty(inner.next())),
            Rule::duty_share => DutyKind::Share(self.parties_or_empty(inner.next())),
            Rule::duty_text => {
                DutyKind::Text(inner.next().map(|s| self.string(s)).unwrap_or(Spanned {
                    value: String::new(),
                    span,
                }))
            }
            other => {
                self.internal(span, other, "duty");
                DutyKind::Text(Spanned {
                    value: String::new(),
                    span,
                })
            }
        };
        Duty { kind, span }
    }
}
