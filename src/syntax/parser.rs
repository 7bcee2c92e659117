//! pest parse trees to the typed syntax tree, and pest errors to diagnostics.

use jiff::civil::Date;
use pest::Parser as _;
use pest::iterators::Pair;

use super::ast::*;
use crate::diagnostic::{Code, Diagnostic, Edit, Fix};
use crate::span::{FileId, Span};

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/ipl.pest"]
pub struct IplParser;

/// Longest chain of `not`s or `affiliates of` accepted in one place.
const MAX_CHAIN: usize = 64;

/// Parses one chunk of `text` holding one item. `offset` is where the chunk
/// starts in the file, so spans stay file-relative.
pub fn parse_item(
    text: &str,
    offset: usize,
    file: FileId,
    diags: &mut Vec<Diagnostic>,
) -> Option<(ItemKind, Span)> {
    match IplParser::parse(Rule::item_alone, text) {
        Ok(mut pairs) => {
            let pair = pairs.find(|p| p.as_rule() != Rule::COMMENT)?;
            let mut builder = Builder::new(offset, file);
            let span = builder.span(&pair);
            let item = builder.item(pair);
            diags.append(&mut builder.diags.into_inner());
            Some((item, span))
        }
        Err(err) => {
            diags.push(syntax_error(&err, text, offset, file, "the item"));
            None
        }
    }
}

/// Parses an action in the action syntax (command line, scenario).
pub fn parse_action(text: &str, file: FileId) -> Result<ActionSyntax, Vec<Diagnostic>> {
    match IplParser::parse(Rule::action_alone, text) {
        Ok(mut pairs) => {
            let mut builder = Builder::new(0, file);
            let action = pairs
                .next()
                .map(|pair| builder.action(pair))
                .unwrap_or_default();
            let diags = builder.diags.into_inner();
            if diags.is_empty() {
                Ok(action)
            } else {
                Err(diags)
            }
        }
        Err(err) => Err(vec![syntax_error(&err, text, 0, file, "the action")]),
    }
}

/// Turns a pest error into one diagnostic: "unexpected X, expected A or B",
/// pointing at the offending token.
fn syntax_error(
    err: &pest::error::Error<Rule>,
    text: &str,
    offset: usize,
    file: FileId,
    what: &str,
) -> Diagnostic {
    use pest::error::{ErrorVariant, InputLocation};
    let pos = match err.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let found = token_at(text, pos);
    // At the end of the item, point just after its last token, not at the
    // next item.
    let pos = if found.is_empty() {
        text[..pos.min(text.len())].trim_end().len()
    } else {
        pos
    };
    let mut expected: Vec<&str> = match &err.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            positives.iter().map(|r| rule_name(*r)).collect()
        }
        ErrorVariant::CustomError { .. } => Vec::new(),
    };
    expected.retain(|name| *name != UNNAMED);
    expected.sort_unstable();
    expected.dedup();
    let found_text = if found.is_empty() {
        format!("end of {what}")
    } else {
        format!("`{}`", shorten(&text[pos..pos + found.len()]))
    };
    let message = if expected.is_empty() {
        format!("unexpected {found_text} in {what}")
    } else {
        format!("unexpected {found_text}, expected {}", join_or(&expected))
    };
    let code = if found.is_empty() {
        Code::UnexpectedEnd
    } else {
        Code::UnexpectedToken
    };
    let span = Span::new(offset + pos, offset + pos + found.len());
    let help = if expected.len() <= 3 && !expected.is_empty() {
        format!("write {} here", join_or(&expected))
    } else if found.is_empty() {
        "the item is incomplete: close every `{` with `}` and finish the last line".to_string()
    } else {
        "see docs/language.md for what may appear here".to_string()
    };
    Diagnostic::new(code, file, span, message)
        .with_label(if found.is_empty() {
            format!("{what} ends here")
        } else {
            "not expected here".to_string()
        })
        .with_help(help)
}

/// The token starting at `pos`: a word, a number, or one character.
fn token_at(text: &str, pos: usize) -> &str {
    let rest = text.get(pos..).unwrap_or("");
    let rest = rest
        .trim_end_matches(['\r', '\n', ' ', '\t'])
        .get(..)
        .unwrap_or(rest);
    let word_len = rest
        .find(|c: char| {
            !(c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-' || c == '%')
        })
        .unwrap_or(rest.len());
    if word_len > 0 {
        &rest[..word_len]
    } else {
        rest.chars().next().map_or("", |c| &rest[..c.len_utf8()])
    }
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 40 {
        let head: String = s.chars().take(37).collect();
        format!("{head}...")
    } else {
        s.to_string()
    }
}

fn join_or(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    }
}

const UNNAMED: &str = "something else";

/// The readable name of a grammar rule, for "expected …" lists.
pub fn rule_name(rule: Rule) -> &'static str {
    use Rule::*;
    match rule {
        EOI => "end of input",
        item | agreement | party | third_party | group | tree | asset | grant | clause
        | scenario | fact | event | instrument | amendment => {
            "an item (`agreement`, `party`, `third_party`, `group`, `fields`, `territories`, `actions`, `asset`, `grant`, `clause`, `scenario`, `fact`, `event`, `instrument` or `amendment`)"
        }
        include_affiliates | kw_include => "`third_parties include affiliates`",
        affiliation_from => "`from`",
        affiliation_until => "`until`",
        joined | kw_joined => "`joined`",
        left | kw_left => "`left`",
        defaulting | kw_defaulting => "`defaulting`",
        kw_fact => "`fact`",
        kw_event => "`event`",
        kw_instrument => "`instrument`",
        prevails_over | kw_prevails => "`prevails over`",
        kw_over => "`over`",
        kw_amendment => "`amendment`",
        removes | kw_removes => "`removes`",
        rights_line | kw_rights => "`rights`",
        grant_sublicensable => "`sublicensable` or `non_sublicensable`",
        kw_sole => "`sole`",
        sel_former_parties | kw_former_parties => "`former_parties`",
        sel_defaulting_parties | kw_defaulting_parties => "`defaulting_parties`",
        time_created => "`created`",
        time_event => "an event",
        offset_plus | offset_minus => "`+` or `-` and a duration",
        cmp_time => "a comparison of dates",
        fact_ref => "a fact",
        within_after_notice | within_before | kw_within => "`within`",
        duty_share | kw_share => "`share income with`",
        kw_with => "`with`",
        kw_pro_rata => "`pro_rata`",
        owes_line | kw_owes => "`owes`",
        notice_on => "`on` and a date",
        objection_item => "a party",
        pending | kw_pending => "`pending`",
        action_names => "a name",
        act_given | kw_given => "`given`",
        given_item => "a fact",
        act_income => "`income`",
        currency => "a currency (`EUR`)",
        act_event => "an event and its day",
        day_kind => "`calendar` or `working`",
        effective_line | kw_effective => "`effective`",
        expires_line | kw_expires => "`expires`",
        term_line | kw_term => "`term`",
        open_ended | kw_open_ended => "`open_ended`",
        affiliate_of | kw_affiliate => "`affiliate of`",
        tree_kind => "`fields`, `territories` or `actions`",
        nodes | node => "a tree node",
        class_line | kw_class => "`class`",
        type_line | kw_type => "`type`",
        owner_line | kw_owner => "`owner`",
        owners_line | kw_owners => "`owners`",
        share => "an owner and a share",
        tags_line | kw_tags => "`tags`",
        created_line | kw_created => "`created`",
        grant_from | from_line | kw_from => "`from`",
        grant_until | until_line | kw_until => "`until`",
        exclusivity => "`exclusive` or `non_exclusive`",
        kw_license => "`license`",
        notwithstanding | kw_notwithstanding => "`notwithstanding`",
        head | clause_kind => "`permit`, `forbid` or `oblige`",
        verbs => "a verb or `any`",
        assets | asset_ref | asset_filter => "an asset or an asset filter",
        ownership => "`jointly_owned` or `solely_owned`",
        tagged | kw_tagged => "`tagged`",
        by_line | kw_by => "`by`",
        to_line | kw_to | act_to => "`to`",
        field_line | kw_field | act_field => "`field`",
        territory_line | kw_territory | act_territory => "`territory`",
        during_term | kw_during => "`during term`",
        after_term | kw_after => "`after term`",
        when_line | kw_when => "`when`",
        unless_line | kw_unless => "`unless`",
        duty_line | kw_duty => "`duty`",
        parties | party_list | affiliates | sel_anyone | sel_parties | sel_third_parties
        | sel_owners | sel_co_owners | party_ref => "a party, a group or a party selector",
        time | time_effective | time_expires => "a date, `effective` or `expires`",
        expr | conj | unary | atom => "a condition",
        not | kw_not => "`not`",
        kw_and => "`and`",
        kw_or => "`or`",
        cmp => "a comparison (`>=`, `<=`, `>`, `<`, `==`, `!=`)",
        flag_exclusive | kw_exclusive => "`exclusive`",
        flag_sublicensable | kw_sublicensable => "`sublicensable`",
        bool_lit | kw_true | kw_false => "`true` or `false`",
        cmp_royalty | kw_royalty | act_royalty => "`royalty`",
        cmp_until => "`until`",
        in_field | in_territory | kw_in => "`in`",
        to_in => "`to in`",
        consent_of | kw_consent | act_consent => "`consent`",
        any_of | kw_any => "`any`",
        objection_of | kw_objection | act_objection => "`objection`",
        notice_to | kw_notice | act_notice => "`notice`",
        duty_notify | kw_notify => "`notify`",
        duty_consent | kw_obtain => "`obtain consent of`",
        duty_pay | kw_pay => "`pay`",
        duty_compensate | kw_compensate => "`compensate`",
        duty_text => "a duty (`notify`, `obtain consent of`, `pay`, `compensate` or a quoted text)",
        kw_fairly => "`fairly`",
        kw_income => "`income`",
        kw_before => "`before`",
        expectation | kw_expect => "`expect`",
        decision | kw_permit | kw_conditional | kw_deny => "`permit`, `conditional` or `deny`",
        kw_forbid => "`forbid`",
        kw_oblige => "`oblige`",
        action | kw_action => "`action`",
        act_on | kw_on => "`on`",
        act_until => "`until`",
        act_exclusive => "`exclusive` or `non_exclusive`",
        act_sublicensable => "`sublicensable` or `non_sublicensable`",
        notice_item => "a party and a notice period",
        kw_none => "`none`",
        kw_of => "`of`",
        ident_list | ident => "a name",
        label => "a label (`8.2.3`, `L-2026-01`)",
        string | string_body => "a quoted string",
        date => "a date (YYYY-MM-DD)",
        percent | number => "a percentage (`3%`)",
        duration | count => "a duration (`45 days`)",
        unit => "`days`, `weeks`, `months` or `years`",
        asset_class => "`background`, `foreground` or `sideground`",
        asset_type => {
            "an asset type (`patent`, `know_how`, `software`, `data`, `design`, `copyright`, `trade_secret`)"
        }
        kw_agreement => "`agreement`",
        kw_party => "`party`",
        kw_affiliates => "`affiliates of`",
        kw_third_party => "`third_party`",
        kw_third_parties => "`third_parties`",
        kw_group => "`group`",
        kw_fields => "`fields`",
        kw_territories => "`territories`",
        kw_actions => "`actions`",
        kw_asset => "`asset`",
        kw_grant => "`grant`",
        kw_non_exclusive => "`non_exclusive`",
        kw_non_sublicensable => "`non_sublicensable`",
        kw_clause => "`clause`",
        kw_anyone => "`anyone`",
        kw_parties => "`parties`",
        kw_co_owners => "`co_owners`",
        kw_except => "`except`",
        kw_jointly_owned => "`jointly_owned`",
        kw_solely_owned => "`solely_owned`",
        kw_scenario => "`scenario`",
        // Rules no message names: they never reach "expected …" alone.
        WHITESPACE | COMMENT | item_alone | agreement_line | party_attr | asset_line
        | grant_line | clause_line | asset_item | filter_part | filter_word | party_item
        | party_base | time_base | time_offset | primary | duty | action_alone | action_part
        | keyword => UNNAMED,
    }
}

struct Builder {
    offset: usize,
    file: FileId,
    /// Problems found while building, beyond what the grammar rejects.
    diags: std::cell::RefCell<Vec<Diagnostic>>,
}

impl Builder {
    fn new(offset: usize, file: FileId) -> Builder {
        Builder {
            offset,
            file,
            diags: std::cell::RefCell::new(Vec::new()),
        }
    }
}

/// Unescapes a string body: `\"`, `\\`, `\n`.
fn unescape(raw: &str) -> String {
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
    fn span(&self, pair: &Pair<Rule>) -> Span {
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

    fn ident(&self, pair: Pair<Rule>) -> Ident {
        Ident {
            name: pair.as_str().to_string(),
            span: self.span(&pair),
        }
    }

    /// The named children of a pair, without keyword tokens.
    fn children<'i>(pair: Pair<'i, Rule>) -> impl Iterator<Item = Pair<'i, Rule>> {
        pair.into_inner()
            .filter(|p| !is_keyword(p.as_rule()) && p.as_rule() != Rule::COMMENT)
    }

    fn string(&self, pair: Pair<Rule>) -> Spanned<String> {
        let span = self.span(&pair);
        let body = pair
            .into_inner()
            .find(not_comment)
            .map(|p| unescape(p.as_str()))
            .unwrap_or_default();
        Spanned { value: body, span }
    }

    fn date(&self, pair: Pair<Rule>) -> DateLit {
        let span = self.span(&pair);
        Spanned {
            value: parse_date(pair.as_str()),
            span,
        }
    }

    fn percent(&self, pair: Pair<Rule>) -> Percent {
        let span = self.span(&pair);
        let text = pair.as_str().trim_end_matches('%');
        Spanned {
            value: parse_hundredths(text),
            span,
        }
    }

    fn duration(&self, pair: Pair<Rule>) -> Duration {
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

    fn idents(&self, pair: Pair<Rule>) -> Vec<Ident> {
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
    fn check_separator(&self, between: &str, at: usize) {
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

    fn cmp(&self, pair: &Pair<Rule>) -> Cmp {
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

    fn push_later(&self, diag: Diagnostic) {
        self.diags.borrow_mut().push(diag);
    }

    /// A shape of the parse tree the builder does not know: a grammar
    /// change it was not taught. Reported as an internal error (the policy
    /// then has errors, so nothing is decided on the placeholder the
    /// caller returns), never answered with an invented value.
    fn internal(&self, span: Span, rule: Rule, reading: &str) {
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

    fn item(&mut self, pair: Pair<Rule>) -> ItemKind {
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

    fn declared(&mut self, pair: Pair<Rule>) -> Declared {
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

    fn instrument(&mut self, pair: Pair<Rule>) -> Instrument {
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

    fn amendment(&mut self, pair: Pair<Rule>) -> Amendment {
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

    fn agreement(&mut self, pair: Pair<Rule>) -> Agreement {
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

    fn party(&mut self, pair: Pair<Rule>, kind: PartyKind) -> Party {
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

    fn first_date(&self, pair: Pair<Rule>) -> Option<DateLit> {
        Self::children(pair).next().map(|d| self.date(d))
    }

    fn group(&mut self, pair: Pair<Rule>) -> Group {
        let mut inner = Self::children(pair);
        let id = inner
            .next()
            .map(|p| self.ident(p))
            .unwrap_or_else(empty_ident);
        let members = inner.next().map(|p| self.idents(p)).unwrap_or_default();
        Group { id, members }
    }

    fn tree(&mut self, pair: Pair<Rule>) -> Tree {
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

    fn nodes(&mut self, pair: Pair<Rule>) -> Vec<Node> {
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

    fn asset(&mut self, pair: Pair<Rule>) -> Asset {
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

    fn grant(&mut self, pair: Pair<Rule>) -> Grant {
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

    fn line_idents(&self, line: Pair<Rule>) -> Vec<Ident> {
        Self::children(line)
            .next()
            .map(|list| self.idents(list))
            .unwrap_or_default()
    }

    fn clause(&mut self, pair: Pair<Rule>) -> Clause {
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

    fn head(&mut self, pair: Pair<Rule>) -> Head {
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

    fn asset_selector(&self, pair: Pair<Rule>) -> AssetSelector {
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

    fn first_parties(&self, line: Pair<Rule>) -> Parties {
        let span = self.span(&line);
        Self::children(line)
            .next()
            .map(|p| self.parties(p))
            .unwrap_or(Parties {
                include: Vec::new(),
                except: Vec::new(),
                span,
            })
    }

    fn parties(&self, pair: Pair<Rule>) -> Parties {
        let span = self.span(&pair);
        let mut lists = Self::children(pair);
        let include = lists.next().map(|l| self.party_list(l)).unwrap_or_default();
        let except = lists.next().map(|l| self.party_list(l)).unwrap_or_default();
        Parties {
            include,
            except,
            span,
        }
    }

    fn party_list(&self, pair: Pair<Rule>) -> Vec<PartyItem> {
        let text = pair.as_str();
        let start = pair.as_span().start();
        let mut previous_end: Option<usize> = None;
        let mut out = Vec::new();
        for p in pair.into_inner().filter(not_comment) {
            let s = p.as_span();
            if let Some(end) = previous_end {
                self.check_separator(&text[end - start..s.start() - start], end);
            }
            previous_end = Some(s.end());
            out.push(self.party_item(p));
        }
        out
    }

    fn party_item(&self, pair: Pair<Rule>) -> PartyItem {
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

    fn first_time(&self, line: Pair<Rule>) -> Time {
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

    fn time(&self, pair: Pair<Rule>) -> Time {
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

    fn first_expr(&self, line: Pair<Rule>) -> Expr {
        let span = self.span(&line);
        Self::children(line)
            .next()
            .map(|e| self.expr(e))
            .unwrap_or(Expr {
                kind: ExprKind::Bool(true),
                span,
            })
    }

    fn expr(&self, pair: Pair<Rule>) -> Expr {
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

    fn atom(&self, pair: Pair<Rule>) -> ExprKind {
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

    fn parties_or_empty(&self, pair: Option<Pair<Rule>>) -> Parties {
        pair.map(|p| self.parties(p)).unwrap_or(Parties {
            include: Vec::new(),
            except: Vec::new(),
            span: Span::default(),
        })
    }

    fn duty(&self, pair: Pair<Rule>) -> Duty {
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

    fn scenario(&mut self, pair: Pair<Rule>) -> Scenario {
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

    fn action(&mut self, pair: Pair<Rule>) -> ActionSyntax {
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

    fn first_ident(&self, pair: Pair<Rule>) -> Option<Ident> {
        Self::children(pair).next().map(|i| self.ident(i))
    }
}

/// Sets `slot` and says whether it was already set.
fn set_once<T>(slot: &mut Option<T>, value: Option<T>) -> bool {
    let was_set = slot.is_some();
    if !was_set {
        *slot = value;
    }
    was_set
}

pub fn nesting_too_deep(file: FileId, span: Span) -> Diagnostic {
    Diagnostic::new(Code::TooDeep, file, span, "nesting too deep")
        .with_label("nested more than 64 levels here")
        .with_help("split the condition or the tree into simpler parts")
}

fn empty_ident() -> Ident {
    Ident {
        name: String::new(),
        span: Span::default(),
    }
}

fn not_comment(pair: &Pair<Rule>) -> bool {
    pair.as_rule() != Rule::COMMENT
}

/// Keyword tokens carry no information the builder needs.
fn is_keyword(rule: Rule) -> bool {
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

fn empty_time(base: TimeBase) -> Time {
    Time {
        base,
        offsets: Vec::new(),
        span: Span::default(),
    }
}

/// `250000` or `99.5` → hundredths; saturates like [`parse_hundredths`].
pub fn parse_cents(text: &str) -> u64 {
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    let whole: u64 = if whole.len() > 15 {
        u64::MAX / 1000
    } else {
        whole.parse().unwrap_or(u64::MAX / 1000)
    };
    let mut digits = frac.chars().chain(std::iter::repeat('0')).take(2);
    let tens = digits.next().and_then(|c| c.to_digit(10)).unwrap_or(0) as u64;
    let ones = digits.next().and_then(|c| c.to_digit(10)).unwrap_or(0) as u64;
    whole.saturating_mul(100).saturating_add(tens * 10 + ones)
}

/// `2026-02-30` is not a date: `None`.
pub fn parse_date(text: &str) -> Option<Date> {
    let year: i16 = text.get(0..4)?.parse().ok()?;
    let month: i8 = text.get(5..7)?.parse().ok()?;
    let day: i8 = text.get(8..10)?.parse().ok()?;
    Date::new(year, month, day).ok()
}

/// `12.5` → 1250 hundredths; saturates rather than overflowing, so that a
/// huge number is still reported as over 100%.
pub fn parse_hundredths(text: &str) -> u32 {
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    let whole: u64 = if whole.len() > 9 {
        u64::MAX
    } else {
        whole.parse().unwrap_or(u64::MAX)
    };
    let mut frac_digits = frac.chars().chain(std::iter::repeat('0')).take(2);
    let tens = frac_digits.next().and_then(|c| c.to_digit(10)).unwrap_or(0) as u64;
    let ones = frac_digits.next().and_then(|c| c.to_digit(10)).unwrap_or(0) as u64;
    let value = whole.saturating_mul(100).saturating_add(tens * 10 + ones);
    u32::try_from(value).unwrap_or(u32::MAX)
}
