//! Building scenarios and actions (the action syntax of `eval --action`).

use pest::iterators::Pair;

use super::build::*;
use super::*;
use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;
use crate::syntax::ast::*;
use crate::terms::Decision;

impl Builder {
    pub(super) fn scenario(&mut self, pair: Pair<Rule>) -> Scenario {
        let mut title = Spanned {
            value: String::new(),
            span: Span::default(),
        };
        let mut action = ActionSyntax::default();
        let mut expect = Spanned {
            value: Decision::Deny,
            span: Span::default(),
        };
        let mut expect_by = None;
        let mut owes = Vec::new();
        for p in Self::children(pair) {
            match p.as_rule() {
                Rule::string => title = self.string(p),
                Rule::action => action = self.action(p),
                Rule::owes_line => {
                    if let Some(d) = Self::children(p).next() {
                        owes.push(self.duty(d));
                    }
                }
                Rule::expectation => {
                    for e in Self::children(p) {
                        match e.as_rule() {
                            Rule::decision => {
                                let value = match e.as_str() {
                                    "permit" => Decision::Permit,
                                    "conditional" => Decision::Conditional,
                                    "deny" => Decision::Deny,
                                    _ => {
                                        self.internal(self.span(&e), e.as_rule(), "decision");
                                        Decision::Deny
                                    }
                                };
                                expect = Spanned {
                                    value,
                                    span: self.span(&e),
                                };
                            }
                            Rule::label => expect_by = Some(self.ident(e)),
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        Scenario {
            title,
            action,
            expect,
            expect_by,
            owes,
        }
    }

    pub(super) fn action(&mut self, pair: Pair<Rule>) -> ActionSyntax {
        let mut action = ActionSyntax {
            span: self.span(&pair),
            ..ActionSyntax::default()
        };
        let mut positional = 0;
        for p in pair.into_inner().filter(not_comment) {
            let span = self.span(&p);
            let word = p
                .as_str()
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_string();
            let repeated = match p.as_rule() {
                Rule::ident => {
                    let id = Some(self.ident(p));
                    match positional {
                        0 => action.actor = id,
                        1 => action.verb = id,
                        _ => action.asset = id,
                    }
                    positional += 1;
                    false
                }
                Rule::act_to => set_once(&mut action.to, self.first_ident(p)),
                Rule::act_field => set_once(&mut action.field, self.first_ident(p)),
                Rule::act_territory => set_once(&mut action.territory, self.first_ident(p)),
                Rule::act_on => set_once(
                    &mut action.date,
                    Self::children(p).next().map(|d| self.date(d)),
                ),
                Rule::act_until => set_once(
                    &mut action.until,
                    Self::children(p).next().map(|d| self.date(d)),
                ),
                Rule::act_exclusive => {
                    let value = !p.as_str().starts_with("non_");
                    set_once(&mut action.exclusive, Some(Spanned { value, span }))
                }
                Rule::act_sublicensable => {
                    let value = !p.as_str().starts_with("non_");
                    set_once(&mut action.sublicensable, Some(Spanned { value, span }))
                }
                Rule::act_royalty => set_once(
                    &mut action.royalty,
                    Self::children(p).next().map(|q| self.percent(q)),
                ),
                Rule::act_notice => {
                    let items = Self::children(p)
                        .map(|item| {
                            let mut inner = Self::children(item);
                            let party = inner
                                .next()
                                .map(|i| self.ident(i))
                                .unwrap_or_else(empty_ident);
                            let given = match inner.next() {
                                Some(d) if d.as_rule() == Rule::notice_on => NoticeGiven::On(
                                    Self::children(d)
                                        .next()
                                        .and_then(|d| parse_date(d.as_str())),
                                ),
                                Some(d) => NoticeGiven::Ahead(self.duration(d)),
                                None => NoticeGiven::Ahead(Duration {
                                    count: 0,
                                    unit: DurationUnit::Days,
                                    span,
                                }),
                            };
                            (party, given)
                        })
                        .collect();
                    set_once(&mut action.notice, Some(items))
                }
                Rule::act_consent => {
                    let mut list = Vec::new();
                    for part in Self::children(p) {
                        match part.as_rule() {
                            Rule::action_names => list = self.idents(part),
                            Rule::pending => {
                                action.consents_pending = Self::children(part)
                                    .next()
                                    .map(|l| self.idents(l))
                                    .unwrap_or_default()
                            }
                            _ => {}
                        }
                    }
                    set_once(&mut action.consents, Some(list))
                }
                Rule::act_objection => {
                    let mut list = Vec::new();
                    for part in Self::children(p) {
                        match part.as_rule() {
                            Rule::objection_item => {
                                let mut inner = Self::children(part);
                                let party = inner
                                    .next()
                                    .map(|i| self.ident(i))
                                    .unwrap_or_else(empty_ident);
                                list.push((party, inner.next().map(|d| self.date(d))));
                            }
                            Rule::pending => {
                                action.objections_pending = Self::children(part)
                                    .next()
                                    .map(|l| self.idents(l))
                                    .unwrap_or_default()
                            }
                            _ => {}
                        }
                    }
                    set_once(&mut action.objections, Some(list))
                }
                Rule::act_given => {
                    let items = Self::children(p)
                        .map(|item| {
                            let mut negated = false;
                            let mut id = empty_ident();
                            for part in item.into_inner().filter(not_comment) {
                                match part.as_rule() {
                                    Rule::not => negated = true,
                                    Rule::ident => id = self.ident(part),
                                    _ => {}
                                }
                            }
                            (id, !negated)
                        })
                        .collect();
                    set_once(&mut action.facts, Some(items))
                }
                Rule::act_income => {
                    let mut inner = Self::children(p);
                    let cents = inner.next().map_or(u64::MAX, |n| parse_cents(n.as_str()));
                    let currency = inner
                        .next()
                        .map(|c| c.as_str().to_string())
                        .unwrap_or_default();
                    set_once(
                        &mut action.income,
                        Some(Spanned {
                            value: Money { cents, currency },
                            span,
                        }),
                    )
                }
                Rule::act_event => {
                    let mut inner = Self::children(p);
                    let id = inner
                        .next()
                        .map(|i| self.ident(i))
                        .unwrap_or_else(empty_ident);
                    let repeated = action.events.iter().any(|(e, _)| e.name == id.name);
                    if let Some(d) = inner.next() {
                        let date = self.date(d);
                        if !repeated {
                            action.events.push((id, date));
                        }
                    }
                    repeated
                }
                _ => false,
            };
            if repeated {
                self.push_later(
                    Diagnostic::new(
                        Code::RepeatedActionPart,
                        self.file,
                        span,
                        format!("`{word}` is given twice in one action"),
                    )
                    .with_label("second one here")
                    .with_help("state each part of an action at most once"),
                );
            }
        }
        action
    }

    pub(super) fn first_ident(&self, pair: Pair<Rule>) -> Option<Ident> {
        Self::children(pair).next().map(|i| self.ident(i))
    }
}
