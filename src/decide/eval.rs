//! Evaluating one clause against one action: scope lines, party sets and
//! conditions, each to true, false or unknown.

use jiff::civil::Date;
use serde::Serialize;

use super::logic::Tri;
use crate::dates;
use crate::names::{
    Action, Anchor, AssetInfo, AssetSelector, ClauseInfo, Cond, Hierarchy, Model, NodeId, PartyRef,
    PartyRole, PartySelector, PartySet, TimeExpr,
};
use crate::span::Location;
use crate::syntax::ast::Duration;
use crate::terms::ClauseKind;

/// Which line of a clause an outcome is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    Verb,
    Asset,
    By,
    To,
    Field,
    Territory,
    Time,
    Condition,
}

impl Part {
    pub fn as_str(self) -> &'static str {
        match self {
            Part::Verb => "verb",
            Part::Asset => "asset",
            Part::By => "by",
            Part::To => "to",
            Part::Field => "field",
            Part::Territory => "territory",
            Part::Time => "time",
            Part::Condition => "condition",
        }
    }
}

/// One line of a clause that did not hold (or might not).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineOutcome {
    pub part: Part,
    /// Index of the line among the clause's lines of that part.
    pub index: usize,
    pub location: Location,
}

/// How a clause's scope and conditions relate to an action.
#[derive(Debug, Clone, Default)]
pub struct ClauseEval {
    pub applies: Option<Tri>,
    /// Lines that are false (evaluation stops at the second).
    pub failed: Failed,
    /// Lines that are unknown.
    pub unknown: Vec<LineOutcome>,
}

/// At most two failing lines, held inline: most candidate clauses fail,
/// and a decision must not allocate for each of them.
#[derive(Debug, Clone, Default)]
pub struct Failed {
    lines: [Option<LineOutcome>; 2],
}

impl Failed {
    pub fn push(&mut self, line: LineOutcome) {
        if let Some(slot) = self.lines.iter_mut().find(|l| l.is_none()) {
            *slot = Some(line);
        }
    }
    pub fn len(&self) -> usize {
        self.lines.iter().flatten().count()
    }
    pub fn is_empty(&self) -> bool {
        self.lines[0].is_none()
    }
    pub fn iter(&self) -> impl Iterator<Item = &LineOutcome> {
        self.lines.iter().flatten()
    }
    pub fn first(&self) -> Option<&LineOutcome> {
        self.lines[0].as_ref()
    }
}

impl ClauseEval {
    pub fn tri(&self) -> Tri {
        self.applies.unwrap_or(Tri::False)
    }
}

/// An action and the facts derived from it once, for every clause.
pub struct Ctx<'a> {
    pub model: &'a Model,
    pub action: &'a Action,
    pub asset: &'a AssetInfo,
    actor: PartyRef,
}

impl<'a> Ctx<'a> {
    pub fn new(model: &'a Model, action: &'a Action) -> Ctx<'a> {
        Ctx {
            model,
            action,
            asset: model.asset(action.asset),
            actor: PartyRef::Known(action.actor),
        }
    }

    pub fn actor(&self) -> &PartyRef {
        &self.actor
    }

    /// Evaluates every scope line and condition of a clause. Stops early
    /// once the clause is out of reach: after one failure for forbids and
    /// obliges, after two for permits (one failure makes a near miss).
    pub fn clause(&self, clause: &ClauseInfo) -> ClauseEval {
        let stop_after = if clause.kind == ClauseKind::Permit {
            2
        } else {
            1
        };
        let mut eval = ClauseEval::default();
        let record = |part: Part,
                      index: usize,
                      location: Location,
                      value: Tri,
                      eval: &mut ClauseEval|
         -> bool {
            match value {
                Tri::False => eval.failed.push(LineOutcome {
                    part,
                    index,
                    location,
                }),
                Tri::Unknown => eval.unknown.push(LineOutcome {
                    part,
                    index,
                    location,
                }),
                Tri::True => {}
            }
            eval.failed.len() >= stop_after
        };
        let inside = clause.kind == ClauseKind::Permit;
        if let Some(verbs) = &clause.verbs {
            let v = self.action.verb;
            let hit = verbs.iter().any(|&c| {
                if inside {
                    self.model.verbs.covers(c, v)
                } else {
                    self.model.verbs.overlaps(c, v)
                }
            });
            if record(Part::Verb, 0, clause.head, hit.into(), &mut eval) {
                return eval;
            }
        }
        if let Some(assets) = &clause.assets {
            let hit = assets.iter().any(|s| self.asset_selected(s));
            if record(Part::Asset, 0, clause.head, hit.into(), &mut eval) {
                return eval;
            }
        }
        for (i, line) in clause.by.iter().enumerate() {
            let value = self.party_in(&line.value, &self.actor).into();
            if record(Part::By, i, line.location, value, &mut eval) {
                return eval;
            }
        }
        for (i, line) in clause.to.iter().enumerate() {
            let value = match &self.action.to {
                Some(to) => self.party_in(&line.value, to).into(),
                None => Tri::Unknown,
            };
            if record(Part::To, i, line.location, value, &mut eval) {
                return eval;
            }
        }
        for (i, line) in clause.field.iter().enumerate() {
            let value = node_scope(&self.model.fields, &line.value, self.action.field, inside);
            if record(Part::Field, i, line.location, value, &mut eval) {
                return eval;
            }
        }
        for (i, line) in clause.territory.iter().enumerate() {
            let value = node_scope(
                &self.model.territories,
                &line.value,
                self.action.territory,
                inside,
            );
            if record(Part::Territory, i, line.location, value, &mut eval) {
                return eval;
            }
        }
        for (i, line) in clause.windows.iter().enumerate() {
            let value = line.value.contains(self.action.date).into();
            if record(Part::Time, i, line.location, value, &mut eval) {
                return eval;
            }
        }
        let fixed = clause.windows.len();
        for (i, line) in clause.moving_windows.iter().enumerate() {
            let value = self.cond(&line.value);
            if record(Part::Time, fixed + i, line.location, value, &mut eval) {
                return eval;
            }
        }
        for (i, line) in clause.conditions.iter().enumerate() {
            let value = self.cond(&line.value);
            if record(Part::Condition, i, line.location, value, &mut eval) {
                return eval;
            }
        }
        eval.applies = Some(if !eval.failed.is_empty() {
            Tri::False
        } else if eval.unknown.is_empty() {
            Tri::True
        } else {
            Tri::Unknown
        });
        eval
    }

    pub fn asset_selected(&self, selector: &AssetSelector) -> bool {
        match selector {
            AssetSelector::Asset(id) => *id == self.action.asset,
            AssetSelector::Filter(f) => f.matches(self.asset),
        }
    }

    /// Is `party` in the set, relative to this action's asset and actor?
    pub fn party_in(&self, set: &PartySet, party: &PartyRef) -> bool {
        set.include.iter().any(|s| self.selector_has(s, party))
            && !set.except.iter().any(|s| self.selector_has(s, party))
    }

    fn selector_has(&self, selector: &PartySelector, party: &PartyRef) -> bool {
        let known = match party {
            PartyRef::Known(p) => Some(*p),
            PartyRef::Outsider(_) => None,
        };
        let date = self.action.date;
        match selector {
            PartySelector::Anyone => true,
            PartySelector::ThirdParties => known.is_none_or(|p| self.is_third_party(p)),
            PartySelector::Party(p) => known == Some(*p),
            PartySelector::Group(g) => known.is_some_and(|p| self.model.groups[g.index()].has(p)),
            PartySelector::Signatories => {
                known.is_some_and(|p| self.model.party(p).member_on(date))
            }
            PartySelector::FormerParties => {
                known.is_some_and(|p| self.model.party(p).former_on(date))
            }
            PartySelector::DefaultingParties => known.is_some_and(|p| {
                let info = self.model.party(p);
                info.former_on(date) && info.defaulting
            }),
            PartySelector::Owners => known.is_some_and(|p| self.asset.is_owner(p)),
            PartySelector::CoOwners => {
                known.is_some_and(|p| self.asset.is_owner(p) && p != self.action.actor)
            }
            PartySelector::AffiliatesOf(inner) => known.is_some_and(|p| {
                self.model
                    .party(p)
                    .affiliate_of_on(date)
                    .is_some_and(|parent| self.selector_has(inner, &PartyRef::Known(parent)))
            }),
        }
    }

    /// A third party on the action's date: a declared outsider, a
    /// signatory that is not a member that day, an affiliate whose
    /// affiliation is not in force (or any affiliate, when the agreement
    /// says `third_parties include affiliates`).
    fn is_third_party(&self, party: crate::names::PartyId) -> bool {
        let info = self.model.party(party);
        let date = self.action.date;
        match info.role {
            PartyRole::ThirdParty => true,
            PartyRole::Signatory => !info.member_on(date),
            PartyRole::Affiliate(_) => {
                info.affiliate_of_on(date).is_none()
                    || self
                        .model
                        .agreement
                        .as_ref()
                        .is_some_and(|a| a.include_affiliates)
            }
        }
    }

    /// Everyone in a set whom a duty or predicate can concern: the
    /// declared parties, never the actor. Undeclared names are left out,
    /// so that naming a new outsider in an action cannot add duties.
    ///
    /// A set that names only parties and groups is read from those names
    /// (its size), any other from every declared party.
    pub fn members(&self, set: &PartySet) -> Vec<PartyRef> {
        let keep = |p: &PartyRef| *p != self.actor && self.party_in(set, p);
        match named_members(self.model, set) {
            Some(named) => named
                .into_iter()
                .map(PartyRef::Known)
                .filter(keep)
                .collect(),
            None => (0..self.model.parties.len() as u32)
                .map(|i| PartyRef::Known(crate::names::PartyId(i)))
                .filter(keep)
                .collect(),
        }
    }

    /// The day a party received notice, when stated.
    pub fn notice_received(&self, party: &PartyRef) -> Option<Date> {
        self.action
            .notice
            .iter()
            .find(|(p, _)| p == party)
            .map(|(_, d)| *d)
    }

    /// The last day a notice of `duration` can be received; `None` when
    /// that day lies before the calendar's start.
    pub fn deadline(&self, duration: Duration) -> Option<Date> {
        dates::sub(self.action.date, duration)
    }

    /// Does a notice received on `received` compare to a notice period of
    /// `duration` as `cmp` says? Lengths compare as calendar dates.
    pub fn notice_holds(&self, received: Date, cmp: crate::terms::Cmp, duration: Duration) -> bool {
        match self.deadline(duration) {
            // Received on or before the deadline: at least the period.
            Some(deadline) => cmp.holds(deadline, received),
            // No day is that long before: only shorter notices exist.
            None => cmp.holds(Date::MIN, Date::MAX),
        }
    }

    /// Consented, not (the answer stated), or unknown (pending, or no
    /// consent set stated).
    pub fn consented(&self, party: &PartyRef) -> Tri {
        let a = self.action;
        match &a.consents {
            Some(c) if c.contains(party) => Tri::True,
            _ if a.consents_pending.contains(party) => Tri::Unknown,
            Some(_) => Tri::False,
            None => Tri::Unknown,
        }
    }

    /// Did `party` object by the action's date, within the qualifiers?
    pub fn objected(
        &self,
        party: &PartyRef,
        after_notice: Option<Duration>,
        before: Option<Duration>,
    ) -> Tri {
        let a = self.action;
        let Some(objections) = &a.objections else {
            return Tri::Unknown;
        };
        let date = a.date;
        let notice = self.notice_received(party);
        let earliest = before.map(|d| dates::sub(date, d));
        let counted = Tri::any(
            objections
                .iter()
                .filter(|(p, day)| p == party && day.is_none_or(|d| d <= date))
                .map(|(_, day)| {
                    let within_notice = match after_notice {
                        None => Tri::True,
                        Some(d) => match (day, notice) {
                            (Some(day), Some(n)) => {
                                dates::add(n, d).is_none_or(|last| *day <= last).into()
                            }
                            _ => Tri::Unknown,
                        },
                    };
                    let within_before = match earliest {
                        None => Tri::True,
                        Some(first) => match day {
                            Some(day) => first.is_none_or(|f| f <= *day).into(),
                            None => Tri::Unknown,
                        },
                    };
                    within_notice.and(within_before)
                }),
        );
        if counted == Tri::False && a.objections_pending.contains(party) {
            Tri::Unknown
        } else {
            counted
        }
    }

    /// The day a point in time falls on for this action; `None` when it
    /// rests on an unstated event or a missing `created`.
    pub fn time(&self, t: &TimeExpr) -> Option<Date> {
        let base = match t.anchor {
            Anchor::Date(d) => d,
            Anchor::Created => self.asset.created?,
            Anchor::Event(e) => self.action.event(e)?,
            Anchor::ActionDate => self.action.date,
            Anchor::ActionUntil => self.action.until.unwrap_or(Date::MAX),
        };
        t.offsets.iter().try_fold(base, |d, (minus, duration)| {
            // Past the calendar's range: clamp, so that comparisons stay
            // meaningful (a window reaching past 9999 is open).
            Some(dates::shift(d, *minus, *duration).unwrap_or(if *minus {
                Date::MIN
            } else {
                Date::MAX
            }))
        })
    }

    pub fn cond(&self, cond: &Cond) -> Tri {
        let a = self.action;
        match cond {
            Cond::And(parts) => Tri::all(parts.iter().map(|p| self.cond(p))),
            Cond::Or(parts) => Tri::any(parts.iter().map(|p| self.cond(p))),
            Cond::Not(inner) => !self.cond(inner),
            Cond::Bool(b) => (*b).into(),
            Cond::Exclusive => Tri::from_option(a.exclusive),
            Cond::Sublicensable => Tri::from_option(a.sublicensable),
            Cond::Royalty(cmp, pct) => Tri::from_option(a.royalty.map(|r| cmp.holds(r, *pct))),
            // A licence without `until` runs open-ended: later than any date.
            Cond::Until(cmp, date) => match a.until {
                Some(u) => cmp.holds(u, *date).into(),
                None => cmp.holds(Date::MAX, *date).into(),
            },
            Cond::FieldIn(node) => {
                Tri::from_option(a.field.map(|f| self.model.fields.covers(*node, f)))
            }
            Cond::TerritoryIn(node) => {
                Tri::from_option(a.territory.map(|t| self.model.territories.covers(*node, t)))
            }
            Cond::ToIn(set) => Tri::from_option(a.to.as_ref().map(|to| self.party_in(set, to))),
            Cond::ConsentOf {
                any: false,
                parties,
            } => Tri::all(self.members(parties).iter().map(|p| self.consented(p))),
            Cond::ConsentOf { any: true, parties } => {
                Tri::any(self.members(parties).iter().map(|p| self.consented(p)))
            }
            Cond::ObjectionOf {
                parties,
                after_notice,
                before,
            } => Tri::any(
                self.members(parties)
                    .iter()
                    .map(|p| self.objected(p, *after_notice, *before)),
            ),
            Cond::NoticeTo(parties, cmp, duration) => {
                Tri::all(self.members(parties).iter().map(|p| {
                    Tri::from_option(
                        self.notice_received(p)
                            .map(|received| self.notice_holds(received, *cmp, *duration)),
                    )
                }))
            }
            Cond::Fact(fact) => Tri::from_option(a.fact(*fact)),
            Cond::TimeCmp(left, cmp, right) => match (self.time(left), self.time(right)) {
                (Some(l), Some(r)) => cmp.holds(l, r).into(),
                _ => Tri::Unknown,
            },
        }
    }
}

/// The parties a set's `include` names, sorted, when it names only
/// parties and groups (no `anyone`, role or relative selector): every
/// member is one of them. `None` otherwise.
pub(crate) fn named_members(model: &Model, set: &PartySet) -> Option<Vec<crate::names::PartyId>> {
    let mut out = Vec::new();
    for selector in &set.include {
        match selector {
            PartySelector::Party(p) => out.push(*p),
            PartySelector::Group(g) => out.extend(model.groups.get(g.index())?.members()),
            _ => return None,
        }
    }
    out.sort_unstable();
    out.dedup();
    Some(out)
}

/// A field or territory line: `inside` (permits) needs the action's node
/// under a listed one; otherwise any overlap will do.
fn node_scope(tree: &Hierarchy, listed: &[NodeId], actual: Option<NodeId>, inside: bool) -> Tri {
    match actual {
        None => Tri::Unknown,
        Some(node) => listed
            .iter()
            .any(|&l| {
                if inside {
                    tree.covers(l, node)
                } else {
                    tree.overlaps(l, node)
                }
            })
            .into(),
    }
}
