//! The builder: pest pairs to syntax-tree nodes. Its shared helpers
//! (spans, identifiers, literals, separators, internal errors) and the
//! dispatch on the item's kind; one module per kind of item builds the rest.

use pest::iterators::Pair;

use super::*;
use crate::diagnostic::{Code, Diagnostic, Edit, Fix};
use crate::span::{FileId, Span};
use crate::syntax::ast::*;
use crate::terms::Cmp;

pub(super) struct Builder {
    pub(super) offset: usize,
    pub(super) file: FileId,
    /// Problems found while building, beyond what the grammar rejects.
    pub(super) diags: std::cell::RefCell<Vec<Diagnostic>>,
}

impl Builder {
    pub(super) fn new(offset: usize, file: FileId) -> Builder {
        Builder {
            offset,
            file,
            diags: std::cell::RefCell::new(Vec::new()),
        }
    }
}

/// Unescapes a string body: `\"`, `\\`, `\n`.
pub(super) fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

impl Builder {
    /// The pair's span without the whitespace and comments pest's implicit
    /// skipping leaves at its end.
    pub(super) fn span(&self, pair: &Pair<Rule>) -> Span {
        let s = pair.as_span();
        let text = pair.as_str();
        let mut end = s.start() + text.trim_end().len();
        // Only the last line can end in a comment.
        let kept = &text[..end - s.start()];
        let last_line = &kept[kept.rfind('\n').map_or(0, |i| i + 1)..];
        if last_line.contains("//")
            && let Some(last) = pair.clone().into_inner().filter(not_comment).last()
        {
            end = last.as_span().end().min(end);
            end = s.start() + text[..end - s.start()].trim_end().len();
        }
        Span::new(self.offset + s.start(), self.offset + end)
    }

    pub(super) fn ident(&self, pair: Pair<Rule>) -> Ident {
        Ident {
            name: pair.as_str().to_string(),
            span: self.span(&pair),
        }
    }

    /// The named children of a pair, without keyword tokens.
    pub(super) fn children<'i>(pair: Pair<'i, Rule>) -> impl Iterator<Item = Pair<'i, Rule>> {
        pair.into_inner()
            .filter(|p| !is_keyword(p.as_rule()) && p.as_rule() != Rule::COMMENT)
    }

    pub(super) fn string(&self, pair: Pair<Rule>) -> Spanned<String> {
        let span = self.span(&pair);
        let body = pair
            .into_inner()
            .find(not_comment)
            .map(|p| unescape(p.as_str()))
            .unwrap_or_default();
        Spanned { value: body, span }
    }

    pub(super) fn date(&self, pair: Pair<Rule>) -> DateLit {
        let span = self.span(&pair);
        Spanned {
            value: parse_date(pair.as_str()),
            span,
        }
    }

    pub(super) fn percent(&self, pair: Pair<Rule>) -> Percent {
        let span = self.span(&pair);
        let text = pair.as_str().trim_end_matches('%');
        Spanned {
            value: parse_hundredths(text),
            span,
        }
    }

    pub(super) fn duration(&self, pair: Pair<Rule>) -> Duration {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().filter(not_comment);
        let count = inner
            .next()
            .and_then(|p| p.as_str().parse::<u32>().ok())
            .unwrap_or(u32::MAX);
        let mut kind = None;
        let mut unit_word = "";
        for p in inner {
            match p.as_rule() {
                Rule::day_kind => kind = Some(p.as_str()),
                _ => unit_word = p.as_str(),
            }
        }
        let unit = match (kind, unit_word) {
            (Some("working"), u) if u.starts_with("day") => DurationUnit::WorkingDays,
            (Some(_), u) if u.starts_with("day") => DurationUnit::CalendarDays,
            (Some(k), _) => {
                self.push_later(
                    Diagnostic::new(
                        Code::DayKindWithoutDays,
                        self.file,
                        span,
                        format!("`{k}` qualifies days only"),
                    )
                    .with_label(format!("`{k}` before `{unit_word}`"))
                    .with_help(format!(
                        "write `N {k} days`, or drop `{k}`: weeks, months and years are calendar periods"
                    )),
                );
                DurationUnit::Days
            }
            (None, u) if u.starts_with("day") => DurationUnit::Days,
            (None, u) if u.starts_with("week") => DurationUnit::Weeks,
            (None, u) if u.starts_with("month") => DurationUnit::Months,
            (None, u) if u.starts_with("year") => DurationUnit::Years,
            (_, _) => {
                self.internal(span, Rule::duration, "duration unit");
                DurationUnit::Years
            }
        };
        Duration { count, unit, span }
    }

    pub(super) fn idents(&self, pair: Pair<Rule>) -> Vec<Ident> {
        let mut out = Vec::new();
        let mut previous_end: Option<usize> = None;
        let list_text = pair.as_str();
        let list_start = pair.as_span().start();
        for p in pair.into_inner().filter(not_comment) {
            let s = p.as_span();
            if let Some(end) = previous_end {
                self.check_separator(&list_text[end - list_start..s.start() - list_start], end);
            }
            previous_end = Some(s.end());
            out.push(self.ident(p));
        }
        out
    }

    /// List items need a comma or a line break between them.
    pub(super) fn check_separator(&self, between: &str, at: usize) {
        // Comments may sit between items; a comment always ends a line.
        if !between.contains(',') && !between.contains('\n') {
            let span = Span::new(self.offset + at, self.offset + at + between.len());
            self.push_later(
                Diagnostic::new(
                    Code::MissingSeparator,
                    self.file,
                    span,
                    "list items need a separator",
                )
                .with_label("no `,` or line break here")
                .with_help("separate the items with `,` or put each on its own line")
                .with_fix(Fix::safe(
                    "Insert `,`",
                    vec![Edit::insert(self.file, span.start, ",")],
                )),
            );
        }
    }

    pub(super) fn cmp(&self, pair: &Pair<Rule>) -> Cmp {
        match pair.as_str() {
            ">=" => Cmp::Ge,
            "<=" => Cmp::Le,
            ">" => Cmp::Gt,
            "<" => Cmp::Lt,
            "!=" => Cmp::Ne,
            "=" | "==" => Cmp::Eq,
            _ => {
                self.internal(self.span(pair), pair.as_rule(), "comparison");
                Cmp::Eq
            }
        }
    }

    pub(super) fn push_later(&self, diag: Diagnostic) {
        self.diags.borrow_mut().push(diag);
    }

    /// A shape of the parse tree the builder does not know: a grammar
    /// change it was not taught. Reported as an internal error (the policy
    /// then has errors, so nothing is decided on the placeholder the
    /// caller returns), never answered with an invented value.
    pub(super) fn internal(&self, span: Span, rule: Rule, reading: &str) {
        self.push_later(
            Diagnostic::new(
                Code::Internal,
                self.file,
                span,
                format!("ipcheck cannot read this {reading}: its parser produced `{rule:?}`, which the syntax tree builder does not know"),
            )
            .with_label("not understood")
            .with_help("this is a bug in ipcheck: please report it with this file"),
        );
    }

    pub(super) fn item(&mut self, pair: Pair<Rule>) -> ItemKind {
        match pair.as_rule() {
            Rule::agreement => ItemKind::Agreement(self.agreement(pair)),
            Rule::party => ItemKind::Party(self.party(pair, PartyKind::Party)),
            Rule::third_party => ItemKind::Party(self.party(pair, PartyKind::ThirdParty)),
            Rule::group => ItemKind::Group(self.group(pair)),
            Rule::tree => ItemKind::Tree(self.tree(pair)),
            Rule::asset => ItemKind::Asset(self.asset(pair)),
            Rule::grant => ItemKind::Grant(self.grant(pair)),
            Rule::clause => ItemKind::Clause(self.clause(pair)),
            Rule::fact => ItemKind::Fact(self.declared(pair)),
            Rule::event => ItemKind::Event(self.declared(pair)),
            Rule::instrument => ItemKind::Instrument(self.instrument(pair)),
            Rule::amendment => ItemKind::Amendment(self.amendment(pair)),
            Rule::scenario => ItemKind::Scenario(self.scenario(pair)),
            other => {
                self.internal(self.span(&pair), other, "item");
                ItemKind::Scenario(self.scenario(pair))
            }
        }
    }
}

/// Sets `slot` and says whether it was already set.
pub(super) fn set_once<T>(slot: &mut Option<T>, value: Option<T>) -> bool {
    let was_set = slot.is_some();
    if !was_set {
        *slot = value;
    }
    was_set
}

pub(super) fn empty_ident() -> Ident {
    Ident {
        name: String::new(),
        span: Span::default(),
    }
}

pub(super) fn not_comment(pair: &Pair<Rule>) -> bool {
    pair.as_rule() != Rule::COMMENT
}

/// Keyword tokens carry no information the builder needs.
pub(in crate::syntax) fn is_keyword(rule: Rule) -> bool {
    use Rule::*;
    matches!(
        rule,
        kw_agreement
            | kw_effective
            | kw_expires
            | kw_term
            | kw_open_ended
            | kw_party
            | kw_affiliate
            | kw_affiliates
            | kw_third_party
            | kw_third_parties
            | kw_group
            | kw_fields
            | kw_territories
            | kw_actions
            | kw_asset
            | kw_class
            | kw_type
            | kw_owner
            | kw_owners
            | kw_tags
            | kw_created
            | kw_grant
            | kw_license
            | kw_exclusive
            | kw_non_exclusive
            | kw_sublicensable
            | kw_non_sublicensable
            | kw_of
            | kw_from
            | kw_to
            | kw_clause
            | kw_notwithstanding
            | kw_permit
            | kw_forbid
            | kw_oblige
            | kw_any
            | kw_anyone
            | kw_by
            | kw_field
            | kw_territory
            | kw_during
            | kw_after
            | kw_until
            | kw_when
            | kw_unless
            | kw_duty
            | kw_parties
            | kw_co_owners
            | kw_except
            | kw_tagged
            | kw_jointly_owned
            | kw_solely_owned
            | kw_and
            | kw_or
            | kw_not
            | kw_royalty
            | kw_in
            | kw_consent
            | kw_objection
            | kw_notice
            | kw_notify
            | kw_before
            | kw_obtain
            | kw_pay
            | kw_income
            | kw_compensate
            | kw_fairly
            | kw_scenario
            | kw_action
            | kw_expect
            | kw_conditional
            | kw_deny
            | kw_on
            | kw_none
            | kw_true
            | kw_false
            | kw_amendment
            | kw_defaulting_parties
            | kw_defaulting
            | kw_event
            | kw_former_parties
            | kw_fact
            | kw_given
            | kw_instrument
            | kw_include
            | kw_joined
            | kw_left
            | kw_owes
            | kw_over
            | kw_prevails
            | kw_pending
            | kw_pro_rata
            | kw_removes
            | kw_rights
            | kw_share
            | kw_sole
            | kw_within
            | kw_with
    )
}

pub(super) fn empty_time(base: TimeBase) -> Time {
    Time {
        base,
        offsets: Vec::new(),
        span: Span::default(),
    }
}
