//! The typed syntax tree of one IPL file: every node carries its byte span.

use jiff::civil::Date;
use serde::Serialize;

use crate::span::Span;
use crate::terms::{ClauseKind, Cmp, Decision};

/// A name as written, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// A value with the span of its source text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

/// A date as written; `value` is `None` when it is not a real calendar date
/// (the checker reports it, so nothing downstream has to).
pub type DateLit = Spanned<Option<Date>>;

/// A percentage in hundredths of a percent (`12.5%` is 1250), so that sums
/// are exact.
pub type Percent = Spanned<u32>;

/// `45 days`, `6 months`, `2 years`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Duration {
    pub count: u32,
    pub unit: DurationUnit,
    pub span: Span,
}

impl std::fmt::Display for Duration {
    /// As written in IPL: `45 days`, `1 year`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let unit = match (self.unit, self.count) {
            (DurationUnit::Days, 1) => "day",
            (DurationUnit::Days, _) => "days",
            (DurationUnit::CalendarDays, 1) => "calendar day",
            (DurationUnit::CalendarDays, _) => "calendar days",
            (DurationUnit::WorkingDays, 1) => "working day",
            (DurationUnit::WorkingDays, _) => "working days",
            (DurationUnit::Weeks, 1) => "week",
            (DurationUnit::Weeks, _) => "weeks",
            (DurationUnit::Months, 1) => "month",
            (DurationUnit::Months, _) => "months",
            (DurationUnit::Years, 1) => "year",
            (DurationUnit::Years, _) => "years",
        };
        write!(f, "{} {unit}", self.count)
    }
}

/// Hundredths of a percent as written: `12.5%`, `12.05%`, `3%`.
pub fn percent_text(hundredths: u32) -> String {
    let (whole, rest) = (hundredths / 100, hundredths % 100);
    match rest {
        0 => format!("{whole}%"),
        r if r % 10 == 0 => format!("{whole}.{}%", r / 10),
        r => format!("{whole}.{r:02}%"),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DurationUnit {
    Days,
    /// `calendar days`: the same as days, kept as written.
    CalendarDays,
    /// Monday to Friday, no holiday calendar.
    WorkingDays,
    Weeks,
    Months,
    Years,
}

/// One parsed file: its items, in source order.
#[derive(Debug, Clone, Default, Serialize)]
pub struct File {
    pub items: Vec<Item>,
}

/// A top-level item with its doc comment.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// The `///` lines right above the item, without the slashes.
    pub doc: Option<String>,
    pub kind: ItemKind,
    pub span: Span,
}

// Items are few (one per declaration) and built once: boxing the large
// ones would cost every match an indirection for no measurable gain.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "item", rename_all = "snake_case")]
pub enum ItemKind {
    Agreement(Agreement),
    Party(Party),
    Group(Group),
    Tree(Tree),
    Asset(Asset),
    Grant(Grant),
    Clause(Clause),
    Scenario(Scenario),
    Fact(Declared),
    Event(Declared),
    Instrument(Instrument),
    Amendment(Amendment),
}

/// `fact id "description"` or `event id "description"`.
#[derive(Debug, Clone, Serialize)]
pub struct Declared {
    pub id: Ident,
    pub description: Spanned<String>,
}

/// `instrument id "title" [prevails over a, b]`.
#[derive(Debug, Clone, Serialize)]
pub struct Instrument {
    pub id: Ident,
    pub title: Spanned<String>,
    pub prevails_over: Vec<Ident>,
}

/// `amendment LABEL "title" effective DATE [removes L, …]`.
#[derive(Debug, Clone, Serialize)]
pub struct Amendment {
    pub label: Ident,
    pub title: Spanned<String>,
    pub effective: DateLit,
    pub removes: Vec<Ident>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Agreement {
    pub title: Spanned<String>,
    pub keyword: Span,
    pub effective: Vec<DateLit>,
    pub expires: Vec<DateLit>,
    pub term: Vec<Duration>,
    pub open_ended: Vec<Span>,
    /// `third_parties include affiliates` lines.
    pub include_affiliates: Vec<Span>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyKind {
    /// A signatory, or an affiliate when `affiliate_of` is set.
    Party,
    ThirdParty,
}

#[derive(Debug, Clone, Serialize)]
pub struct Party {
    pub kind: PartyKind,
    pub id: Ident,
    pub legal_name: Spanned<String>,
    pub affiliate_of: Option<Ident>,
    /// The affiliation's `from` and `until` days.
    pub affiliate_from: Option<DateLit>,
    pub affiliate_until: Option<DateLit>,
    pub joined: Option<DateLit>,
    pub left: Option<DateLit>,
    /// `left DATE defaulting`.
    pub defaulting: Option<Span>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub id: Ident,
    pub members: Vec<Ident>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TreeKind {
    Fields,
    Territories,
    Actions,
}

impl TreeKind {
    pub fn keyword(self) -> &'static str {
        match self {
            TreeKind::Fields => "fields",
            TreeKind::Territories => "territories",
            TreeKind::Actions => "actions",
        }
    }
    /// What one node of this tree is called in messages.
    pub fn node_noun(self) -> &'static str {
        match self {
            TreeKind::Fields => "field",
            TreeKind::Territories => "territory",
            TreeKind::Actions => "verb",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Tree {
    pub kind: TreeKind,
    pub keyword: Span,
    pub nodes: Vec<Node>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Node {
    pub id: Ident,
    pub children: Vec<Node>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AssetClass {
    Background,
    Foreground,
    Sideground,
}

impl AssetClass {
    pub const ALL: [(&'static str, AssetClass); 3] = [
        ("background", AssetClass::Background),
        ("foreground", AssetClass::Foreground),
        ("sideground", AssetClass::Sideground),
    ];
    pub fn parse(word: &str) -> Option<AssetClass> {
        Self::ALL.iter().find(|(w, _)| *w == word).map(|(_, c)| *c)
    }
    pub fn as_str(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, c)| *c == self)
            .map_or("", |(w, _)| w)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AssetType {
    Patent,
    KnowHow,
    Software,
    Data,
    Design,
    Copyright,
    TradeSecret,
}

impl AssetType {
    pub const ALL: [(&'static str, AssetType); 7] = [
        ("patent", AssetType::Patent),
        ("know_how", AssetType::KnowHow),
        ("software", AssetType::Software),
        ("data", AssetType::Data),
        ("design", AssetType::Design),
        ("copyright", AssetType::Copyright),
        ("trade_secret", AssetType::TradeSecret),
    ];
    pub fn parse(word: &str) -> Option<AssetType> {
        Self::ALL.iter().find(|(w, _)| *w == word).map(|(_, c)| *c)
    }
    pub fn as_str(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, c)| *c == self)
            .map_or("", |(w, _)| w)
    }
}

/// A value written after `class` or `type`: known, or the unknown word.
#[derive(Debug, Clone, Serialize)]
pub enum Word<T> {
    Known(Spanned<T>),
    Unknown(Ident),
}

#[derive(Debug, Clone, Serialize)]
pub struct Share {
    pub owner: Ident,
    /// `None` for `owner X` (a sole owner, 100%).
    pub percent: Option<Percent>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Asset {
    pub id: Ident,
    pub title: Option<Spanned<String>>,
    pub class: Vec<Word<AssetClass>>,
    pub asset_type: Vec<Word<AssetType>>,
    /// The `owner`/`owners` lines, each a list of shares.
    pub owner_lines: Vec<Spanned<Vec<Share>>>,
    pub tags: Vec<Ident>,
    pub created: Vec<DateLit>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Grant {
    pub label: Ident,
    pub exclusivity: Option<Spanned<Exclusivity>>,
    pub asset: Ident,
    pub licensor: Ident,
    pub licensee: Ident,
    pub field: Vec<Ident>,
    pub territory: Vec<Ident>,
    pub from: Vec<DateLit>,
    pub until: Vec<DateLit>,
    /// `rights VERBS`; empty: `exploit`.
    pub rights: Vec<Ident>,
    pub sublicensable: Option<Spanned<bool>>,
}

/// How much of the asset a grant keeps for its licensee (§7.8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Exclusivity {
    #[default]
    NonExclusive,
    /// Blocks everyone else but leaves the licensor its own use.
    Sole,
    Exclusive,
}

impl Exclusivity {
    pub fn as_str(self) -> &'static str {
        match self {
            Exclusivity::NonExclusive => "non_exclusive",
            Exclusivity::Sole => "sole",
            Exclusivity::Exclusive => "exclusive",
        }
    }
    /// Does it block others (exclusive or sole)?
    pub fn blocks(self) -> bool {
        self != Exclusivity::NonExclusive
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Clause {
    pub label: Ident,
    pub title: Option<Spanned<String>>,
    pub notwithstanding: Vec<Ident>,
    /// Exactly one when the clause is well formed; the parser reports others.
    pub heads: Vec<Head>,
    pub lines: Vec<Line>,
    /// The span of `{ … }`.
    pub body: Span,
}

impl Clause {
    pub fn head(&self) -> Option<&Head> {
        self.heads.first()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Head {
    pub kind: Spanned<ClauseKind>,
    /// Empty for `any`.
    pub verbs: Vec<Ident>,
    pub any_verb: Option<Span>,
    /// Empty when no `of` is written: any asset.
    pub assets: Vec<AssetSelector>,
    pub span: Span,
}

#[derive(Debug, Clone, Serialize)]
pub enum AssetSelector {
    Named(Ident),
    Filter(AssetFilter),
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct AssetFilter {
    pub class: Option<AssetClass>,
    pub asset_type: Option<AssetType>,
    /// `Some(true)` for `jointly_owned`, `Some(false)` for `solely_owned`.
    pub jointly_owned: Option<bool>,
    pub tag: Option<Ident>,
    pub span: Span,
}

#[derive(Debug, Clone, Serialize)]
pub struct Line {
    pub kind: LineKind,
    pub span: Span,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    By(Parties),
    To(Parties),
    Field(Vec<Ident>),
    Territory(Vec<Ident>),
    DuringTerm,
    AfterTerm,
    From(Time),
    Until(Time),
    When(Expr),
    Unless(Expr),
    Duty(Duty),
}

/// A set of parties: the items, minus the `except` items.
#[derive(Debug, Clone, Serialize)]
pub struct Parties {
    pub include: Vec<PartyItem>,
    pub except: Vec<PartyItem>,
    pub span: Span,
    /// Where an item follows the one before across a bare line break (no
    /// `,`): names uses it to say that a line break continues a list when
    /// such an item is unknown. Not part of the list's meaning.
    #[serde(skip)]
    pub continued: Vec<Span>,
}

#[derive(Debug, Clone, Serialize)]
pub enum PartyItem {
    Named(Ident),
    Anyone(Span),
    Parties(Span),
    ThirdParties(Span),
    Owners(Span),
    CoOwners(Span),
    FormerParties(Span),
    DefaultingParties(Span),
    AffiliatesOf(Box<PartyItem>, Span),
}

impl PartyItem {
    pub fn span(&self) -> Span {
        match self {
            PartyItem::Named(id) => id.span,
            PartyItem::Anyone(s)
            | PartyItem::Parties(s)
            | PartyItem::ThirdParties(s)
            | PartyItem::Owners(s)
            | PartyItem::CoOwners(s)
            | PartyItem::FormerParties(s)
            | PartyItem::DefaultingParties(s)
            | PartyItem::AffiliatesOf(_, s) => *s,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeBase {
    Date(Option<Date>),
    Effective,
    Expires,
    /// The action's asset's `created` date.
    Created,
    /// A declared event's day.
    Event(Ident),
}

/// `+ 12 months` or `- 1 day`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Offset {
    pub minus: bool,
    pub duration: Duration,
}

/// `2026-01-01`, `effective`, `expires + 12 months - 1 day`, `request + 90 days`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Time {
    pub base: TimeBase,
    pub offsets: Vec<Offset>,
    pub span: Span,
}

#[derive(Debug, Clone, Serialize)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExprKind {
    Or(Vec<Expr>),
    And(Vec<Expr>),
    Not(Box<Expr>),
    Bool(bool),
    Exclusive,
    Sublicensable,
    Royalty(Cmp, Percent),
    Until(Cmp, Time),
    FieldIn(Ident),
    TerritoryIn(Ident),
    ToIn(Parties),
    /// `consent of [any] PARTIES`: `any` is true for the any-of form.
    ConsentOf {
        any: bool,
        parties: Parties,
    },
    /// `objection of PARTIES [within D after notice] [within D before]`.
    ObjectionOf {
        parties: Parties,
        after_notice: Option<Duration>,
        before: Option<Duration>,
    },
    NoticeTo(Parties, Cmp, Duration),
    /// A declared fact.
    Fact(Ident),
    /// `request <= expires + 12 months`.
    TimeCmp(Time, Cmp, Time),
}

#[derive(Debug, Clone, Serialize)]
pub struct Duty {
    pub kind: DutyKind,
    pub span: Span,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DutyKind {
    Notify(Parties, Duration),
    ObtainConsent(Parties),
    Pay(Percent, Parties),
    Compensate(Parties),
    /// `share income with PARTIES pro_rata`.
    Share(Parties),
    Text(Spanned<String>),
}

#[derive(Debug, Clone, Serialize)]
pub struct Scenario {
    pub title: Spanned<String>,
    pub action: ActionSyntax,
    pub expect: Spanned<Decision>,
    pub expect_by: Option<Ident>,
    /// `owes DUTY` lines after `expect`.
    pub owes: Vec<Duty>,
}

/// An action as written in the action syntax, before resolution.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ActionSyntax {
    pub actor: Option<Ident>,
    pub verb: Option<Ident>,
    pub asset: Option<Ident>,
    pub to: Option<Ident>,
    pub field: Option<Ident>,
    pub territory: Option<Ident>,
    pub date: Option<DateLit>,
    pub until: Option<DateLit>,
    pub exclusive: Option<Spanned<bool>>,
    pub sublicensable: Option<Spanned<bool>>,
    pub royalty: Option<Percent>,
    pub notice: Option<Vec<(Ident, NoticeGiven)>>,
    pub consents: Option<Vec<Ident>>,
    pub consents_pending: Vec<Ident>,
    /// Each objecting party with the day it objected, when stated.
    pub objections: Option<Vec<(Ident, Option<DateLit>)>>,
    pub objections_pending: Vec<Ident>,
    /// `given needed, not published`: each fact with its value.
    pub facts: Option<Vec<(Ident, bool)>>,
    /// `request on 2028-06-01`.
    pub events: Vec<(Ident, DateLit)>,
    pub income: Option<Spanned<Money>>,
    pub span: Span,
}

/// A notice as an action states it: a period before the action's date, or
/// the day it was received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeGiven {
    Ahead(Duration),
    On(Option<Date>),
}

/// An amount of money in hundredths of the currency unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Money {
    pub cents: u64,
    pub currency: String,
}

impl std::fmt::Display for Money {
    /// `250000 EUR`, `99.50 USD`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (whole, rest) = (self.cents / 100, self.cents % 100);
        if rest == 0 {
            write!(f, "{whole} {}", self.currency)
        } else {
            write!(f, "{whole}.{rest:02} {}", self.currency)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_read_as_written() {
        assert_eq!(percent_text(300), "3%");
        assert_eq!(percent_text(6000), "60%");
        assert_eq!(percent_text(1250), "12.5%");
        assert_eq!(percent_text(1205), "12.05%");
        assert_eq!(percent_text(1234), "12.34%");
        assert_eq!(percent_text(5), "0.05%");
    }
}
