//! The joint walk: one (asset, verb) pair's action space cut at the cut points of both policies, each region decided on both sides.

use std::collections::HashMap;

use jiff::civil::Date;

use super::outcome::Outcome;
use crate::dates;
use crate::decide::eval::Ctx;
use crate::decide::logic::Tri;
use crate::names::{
    Action, AssetId, ClauseId, Duty, EventId, FactId, GrantId, Hierarchy, Model, NameRef, NodeId,
    PartyId, PartyRef, PartyRole, PartySet, Window,
};
use crate::partition::choices::{MAX_FACT_PARTIES, distinct_by_signature, per_party, subsets};
use crate::partition::{EventTest, Mentions, Regions};
use crate::terms::Cmp;

/// One policy of the two, ready for deciding.
pub struct Side<'m> {
    pub model: &'m Model,
    /// The partition's index and the decision engine (one build of each).
    pub regions: Regions<'m>,
    /// The engine's index by asset and verb, built only when every pair
    /// is looked at (the declarations changed).
    index: Option<crate::decide::index::Index>,
    /// Per clause: its effect may have changed.
    pub changed: Vec<bool>,
    /// Per asset: its grants changed.
    pub grants_changed: Vec<bool>,
}

impl<'m> Side<'m> {
    pub fn new(
        model: &'m Model,
        changed: Vec<bool>,
        grants_changed: Vec<bool>,
        every_pair: bool,
    ) -> Side<'m> {
        Side {
            model,
            regions: Regions::of(model),
            index: every_pair.then(|| crate::decide::index::Index::new(model)),
            changed,
            grants_changed,
        }
    }

    pub fn party(&self, name: &str) -> Option<PartyId> {
        match self.model.names.get(name) {
            Some(NameRef::Party(p)) => Some(*p),
            _ => None,
        }
    }

    /// A name as a counterparty: declared, or an outsider.
    fn party_ref(&self, name: &str) -> PartyRef {
        self.party(name)
            .map_or_else(|| PartyRef::Outsider(name.to_string()), PartyRef::Known)
    }

    /// The clauses that can concern the pair, with their duties' kinds.
    pub fn pair_clauses(&self, asset: AssetId, verb: NodeId) -> Vec<ClauseId> {
        // Few pairs are asked about unless every one is: a scan of the
        // partition's index per pair costs less than building the
        // engine's index once more.
        match &self.index {
            Some(index) => index
                .candidates(asset.index(), verb.index())
                .filter(|&c| self.regions.concerns(c, asset, verb))
                .collect(),
            None => (0..self.model.clauses.len())
                .map(|c| ClauseId(c as u32))
                .filter(|&c| self.regions.concerns(c, asset, verb))
                .collect(),
        }
    }

    fn grants_on(&self, asset: AssetId) -> Vec<GrantId> {
        self.model
            .grants
            .iter()
            .enumerate()
            .filter(|(_, g)| g.asset == Some(asset))
            .map(|(i, _)| GrantId(i as u32))
            .collect()
    }

    fn engine(&self) -> &crate::decide::Engine<'m> {
        self.regions.engine()
    }
}

/// A point of the joint space: the same action in each policy's names.
#[derive(Debug, Clone)]
pub struct Point {
    pub old: Action,
    pub new: Action,
}

/// A region where the two policies decide differently.
#[derive(Debug, Clone)]
pub struct Leaf {
    pub point: Point,
    pub old: Outcome,
    pub new: Outcome,
    /// The days the region spans (`None`: open on that side).
    pub days: (Option<Date>, Option<Date>),
    /// Labels of the changed clauses that apply (or may) on either side.
    pub clauses: Vec<String>,
}

/// One side's view of a pair.
struct PairSide<'s, 'm> {
    side: &'s Side<'m>,
    clauses: Vec<ClauseId>,
    mentions: Mentions,
    notify_duties: bool,
    consent_duties: bool,
}

/// The joint representatives of each dimension for one pair.
struct Joint {
    actors: Vec<(PartyId, PartyId)>,
    /// One date per interval between cut points, with the interval.
    dates: Vec<(Date, Option<Date>, Option<Date>)>,
    counterparties: Option<Vec<(PartyRef, PartyRef)>>,
    fields: Option<Vec<(NodeId, NodeId)>>,
    territories: Option<Vec<(NodeId, NodeId)>>,
    exclusive: bool,
    sublicensable: bool,
    royalties: Option<Vec<u32>>,
    untils: Option<Vec<Option<Date>>>,
    facts: Vec<(FactId, FactId)>,
    events: Vec<(EventId, EventId)>,
    grants: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    To,
    Field,
    Territory,
    Exclusive,
    Sublicensable,
    Royalty,
    Until,
    Fact(usize),
    Event(usize),
    Notice,
    Objections,
    Consents,
}

enum Choice {
    To(PartyRef, PartyRef),
    Field(NodeId, NodeId),
    Territory(NodeId, NodeId),
    Exclusive(bool),
    Sublicensable(bool),
    Royalty(u32),
    Until(Option<Date>),
    Consents(Vec<String>),
    Objections(Vec<(String, Option<Date>)>),
    Notice(Vec<(String, Date)>),
    Fact(usize, bool),
    Event(usize, Date),
}

/// Walks one pair of the joint space.
pub struct Walker<'a, 'm> {
    old: PairSide<'a, 'm>,
    new: PairSide<'a, 'm>,
    joint: Joint,
    steps: Vec<Step>,
    /// Changed clauses false on both sides settle that nothing changed.
    prunable: bool,
    first_eval: usize,
    pub budget: &'a mut usize,
    pub gave_up: bool,
    pub leaves: Vec<Leaf>,
    /// Regions decided, changed or not.
    pub regions: usize,
    days: (Option<Date>, Option<Date>),
}

impl<'a, 'm> Walker<'a, 'm> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        old: &'a Side<'m>,
        new: &'a Side<'m>,
        (ao, vo): (AssetId, NodeId),
        (an, vn): (AssetId, NodeId),
        environment: bool,
        outsider: &str,
        budget: &'a mut usize,
    ) -> Walker<'a, 'm> {
        let pair_side = |side: &'a Side<'m>, asset: AssetId, verb: NodeId| {
            let clauses = side.pair_clauses(asset, verb);
            let mentions = Mentions::of(side.model, &clauses, true);
            let duty = |f: fn(&Duty) -> bool| {
                clauses
                    .iter()
                    .any(|&c| side.model.clause(c).duties.iter().any(|d| f(&d.value)))
            };
            PairSide {
                side,
                notify_duties: duty(|d| matches!(d, Duty::Notify(..))),
                consent_duties: duty(|d| matches!(d, Duty::ObtainConsent(..))),
                clauses,
                mentions,
            }
        };
        let old_side = pair_side(old, ao, vo);
        let new_side = pair_side(new, an, vn);
        let grants_o = old.grants_on(ao);
        let grants_n = new.grants_on(an);
        let joint = joint(
            &old_side,
            &new_side,
            (ao, an),
            (vo, vn),
            (&grants_o, &grants_n),
            outsider,
        );
        let prunable =
            !environment && !old.grants_changed[ao.index()] && !new.grants_changed[an.index()];
        let mut steps = Vec::new();
        if joint.counterparties.is_some() {
            steps.push(Step::To);
        }
        if joint.fields.is_some() {
            steps.push(Step::Field);
        }
        if joint.territories.is_some() {
            steps.push(Step::Territory);
        }
        if joint.exclusive {
            steps.push(Step::Exclusive);
        }
        if joint.sublicensable {
            steps.push(Step::Sublicensable);
        }
        if joint.royalties.is_some() {
            steps.push(Step::Royalty);
        }
        if joint.untils.is_some() {
            steps.push(Step::Until);
        }
        steps.extend((0..joint.facts.len()).map(Step::Fact));
        steps.extend((0..joint.events.len()).map(Step::Event));
        let qualified = !old_side.mentions.objection_qualifiers.is_empty()
            || !new_side.mentions.objection_qualifiers.is_empty();
        let notices =
            !old_side.mentions.notices.is_empty() || !new_side.mentions.notices.is_empty();
        if qualified && notices {
            steps.push(Step::Notice);
        }
        if !old_side.mentions.objections.is_empty() || !new_side.mentions.objections.is_empty() {
            steps.push(Step::Objections);
        }
        if !old_side.mentions.consents.is_empty() || !new_side.mentions.consents.is_empty() {
            steps.push(Step::Consents);
        }
        if !qualified && notices {
            steps.push(Step::Notice);
        }
        let needs_to = ["license", "sublicense", "assign"].contains(&old.model.verbs.name(vo));
        Walker {
            old: old_side,
            new: new_side,
            joint,
            steps,
            prunable,
            first_eval: usize::from(needs_to),
            budget,
            gave_up: false,
            leaves: Vec::new(),
            regions: 0,
            days: (None, None),
        }
    }

    /// Is anything on this pair able to change at all?
    pub fn touched(&self) -> bool {
        !self.prunable
            || self
                .old
                .clauses
                .iter()
                .any(|c| self.old.side.changed[c.index()])
            || self
                .new
                .clauses
                .iter()
                .any(|c| self.new.side.changed[c.index()])
    }

    pub fn run(&mut self, (ao, vo): (AssetId, NodeId), (an, vn): (AssetId, NodeId)) {
        let actors = self.joint.actors.clone();
        let days = self.joint.dates.clone();
        for &(po, pn) in &actors {
            for &(date, from, until) in &days {
                self.days = (from, until);
                let mut point = Point {
                    old: Action::new(po, vo, ao, date),
                    new: Action::new(pn, vn, an, date),
                };
                self.descend(0, &mut point);
                if self.gave_up {
                    return;
                }
            }
        }
    }

    fn tris(&mut self, point: &Point) -> Option<(Vec<Tri>, Vec<Tri>)> {
        let cost = self.old.clauses.len() + self.new.clauses.len() + 1;
        if *self.budget < cost {
            self.gave_up = true;
            return None;
        }
        *self.budget -= cost;
        let eval = |ps: &PairSide, action: &Action| -> Vec<Tri> {
            let ctx = Ctx::new(ps.side.model, action);
            ps.clauses
                .iter()
                .map(|&c| {
                    let clause = ps.side.model.clause(c);
                    if clause.in_force.on(action.date) {
                        ctx.clause(clause).tri()
                    } else {
                        Tri::False
                    }
                })
                .collect()
        };
        Some((eval(&self.old, &point.old), eval(&self.new, &point.new)))
    }

    fn descend(&mut self, step: usize, point: &mut Point) {
        if step >= self.first_eval {
            let Some((to, tn)) = self.tris(point) else {
                return;
            };
            if self.prunable {
                let quiet = |ps: &PairSide, t: &[Tri]| {
                    ps.clauses
                        .iter()
                        .zip(t)
                        .all(|(c, t)| !ps.side.changed[c.index()] || *t == Tri::False)
                };
                if quiet(&self.old, &to) && quiet(&self.new, &tn) {
                    return;
                }
            }
            let known = to.iter().chain(&tn).all(|t| *t != Tri::Unknown);
            if step >= self.steps.len() || (known && self.settled(step)) {
                self.leaf(point, &to, &tn);
                return;
            }
        }
        let Some(&kind) = self.steps.get(step) else {
            let (to, tn) = self.tris(point).unwrap_or_default();
            if !self.gave_up {
                self.leaf(point, &to, &tn);
            }
            return;
        };
        let Some(choices) = self.choices(kind, point) else {
            self.gave_up = true;
            return;
        };
        for choice in choices {
            self.apply(choice, point);
            self.descend(step + 1, point);
            if self.gave_up {
                return;
            }
        }
        unset(kind, &self.joint, point);
    }

    /// Once every clause is known, do the steps left still bear on a
    /// decision (through duties or grants)?
    fn settled(&self, step: usize) -> bool {
        self.steps[step..].iter().all(|s| match s {
            Step::Notice => !(self.old.notify_duties || self.new.notify_duties),
            Step::Consents => !(self.old.consent_duties || self.new.consent_duties),
            Step::To
            | Step::Field
            | Step::Territory
            | Step::Exclusive
            | Step::Sublicensable
            | Step::Until => !self.joint.grants,
            _ => true,
        })
    }

    fn leaf(&mut self, point: &Point, to: &[Tri], tn: &[Tri]) {
        self.regions += 1;
        let old = Outcome::of(&self.old.side.engine().decide(&point.old));
        let new = Outcome::of(&self.new.side.engine().decide(&point.new));
        if old == new {
            return;
        }
        let mut clauses: Vec<String> = Vec::new();
        for (ps, tris) in [(&self.old, to), (&self.new, tn)] {
            for (c, t) in ps.clauses.iter().zip(tris) {
                if ps.side.changed[c.index()] && *t != Tri::False {
                    clauses.push(ps.side.model.clause(*c).label.clone());
                }
            }
        }
        clauses.sort();
        clauses.dedup();
        self.leaves.push(Leaf {
            point: point.clone(),
            old,
            new,
            days: self.days,
            clauses,
        });
    }

    fn apply(&self, choice: Choice, point: &mut Point) {
        let (o, n) = (self.old.side, self.new.side);
        match choice {
            Choice::To(a, b) => {
                point.old.to = Some(a);
                point.new.to = Some(b);
            }
            Choice::Field(a, b) => {
                point.old.field = Some(a);
                point.new.field = Some(b);
            }
            Choice::Territory(a, b) => {
                point.old.territory = Some(a);
                point.new.territory = Some(b);
            }
            Choice::Exclusive(x) => {
                point.old.exclusive = Some(x);
                point.new.exclusive = Some(x);
            }
            Choice::Sublicensable(x) => {
                point.old.sublicensable = Some(x);
                point.new.sublicensable = Some(x);
            }
            Choice::Royalty(r) => {
                point.old.royalty = Some(r);
                point.new.royalty = Some(r);
            }
            Choice::Until(u) => {
                point.old.until = u;
                point.new.until = u;
            }
            Choice::Consents(names) => {
                point.old.consents = Some(names.iter().map(|p| o.party_ref(p)).collect());
                point.new.consents = Some(names.iter().map(|p| n.party_ref(p)).collect());
            }
            Choice::Objections(list) => {
                point.old.objections =
                    Some(list.iter().map(|(p, d)| (o.party_ref(p), *d)).collect());
                point.new.objections =
                    Some(list.iter().map(|(p, d)| (n.party_ref(p), *d)).collect());
            }
            Choice::Notice(list) => {
                point.old.notice = list.iter().map(|(p, d)| (o.party_ref(p), *d)).collect();
                point.new.notice = list.iter().map(|(p, d)| (n.party_ref(p), *d)).collect();
            }
            Choice::Fact(i, v) => {
                let (fo, fn_) = self.joint.facts[i];
                point.old.facts.retain(|(x, _)| *x != fo);
                point.old.facts.push((fo, v));
                point.new.facts.retain(|(x, _)| *x != fn_);
                point.new.facts.push((fn_, v));
            }
            Choice::Event(i, d) => {
                let (eo, en) = self.joint.events[i];
                point.old.events.retain(|(x, _)| *x != eo);
                point.old.events.push((eo, d));
                point.new.events.retain(|(x, _)| *x != en);
                point.new.events.push((en, d));
            }
        }
    }

    fn choices(&self, step: Step, point: &Point) -> Option<Vec<Choice>> {
        let j = &self.joint;
        let bools = [true, false];
        Some(match step {
            Step::To => {
                let mut list = j.counterparties.clone().unwrap_or_default();
                // Someone other than the actor reads better.
                list.sort_by_key(|(p, _)| *p == PartyRef::Known(point.old.actor));
                list.into_iter().map(|(a, b)| Choice::To(a, b)).collect()
            }
            Step::Field => j
                .fields
                .iter()
                .flatten()
                .map(|&(a, b)| Choice::Field(a, b))
                .collect(),
            Step::Territory => j
                .territories
                .iter()
                .flatten()
                .map(|&(a, b)| Choice::Territory(a, b))
                .collect(),
            Step::Exclusive => bools.into_iter().map(Choice::Exclusive).collect(),
            Step::Sublicensable => bools.into_iter().map(Choice::Sublicensable).collect(),
            Step::Royalty => j
                .royalties
                .iter()
                .flatten()
                .map(|&r| Choice::Royalty(r))
                .collect(),
            Step::Until => j
                .untils
                .iter()
                .flatten()
                .map(|&u| Choice::Until(u))
                .collect(),
            Step::Fact(i) => vec![Choice::Fact(i, true), Choice::Fact(i, false)],
            Step::Event(i) => self
                .event_days(i, point)
                .into_iter()
                .map(|d| Choice::Event(i, d))
                .collect(),
            Step::Consents => {
                let parties = self.fact_parties(point, |m| m.consents.iter().collect());
                subsets(&parties)?
                    .into_iter()
                    .map(Choice::Consents)
                    .collect()
            }
            Step::Objections => self.objection_choices(point)?,
            Step::Notice => self.notice_choices(point)?,
        })
    }

    /// Everyone (by name) a fact about these sets can concern, on either side.
    fn fact_parties(
        &self,
        point: &Point,
        sets: impl Fn(&Mentions) -> Vec<&PartySet>,
    ) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for (ps, action) in [(&self.old, &point.old), (&self.new, &point.new)] {
            let ctx = Ctx::new(ps.side.model, action);
            for set in sets(&ps.mentions) {
                names.extend(
                    ctx.members(set)
                        .iter()
                        .map(|p| ps.side.model.party_name(p).to_string()),
                );
            }
        }
        names.sort();
        names.dedup();
        names
    }

    fn event_days(&self, i: usize, point: &Point) -> Vec<Date> {
        let (eo, en) = self.joint.events[i];
        let tests = |ps: &PairSide, e: EventId| -> Vec<EventTest> {
            ps.mentions
                .events
                .iter()
                .filter(|(x, _)| *x == e)
                .flat_map(|(_, t)| t.clone())
                .collect()
        };
        let (to, tn) = (tests(&self.old, eo), tests(&self.new, en));
        let mut candidates: Vec<Date> = Vec::new();
        for (ps, action, tests) in [(&self.old, &point.old, &to), (&self.new, &point.new, &tn)] {
            let ctx = Ctx::new(ps.side.model, action);
            for test in tests {
                let Some(other) = ctx.time(&test.other) else {
                    continue;
                };
                let mut day = Some(other);
                for (minus, d) in test.own.iter().rev() {
                    day = day.and_then(|x| dates::shift(x, !*minus, *d));
                }
                let Some(day) = day else { continue };
                candidates.extend(around(day, 3));
            }
        }
        if candidates.is_empty() {
            candidates.push(point.old.date);
        }
        let signature = |d: &Date| -> Vec<bool> {
            let mut sig = Vec::new();
            for (ps, action, tests, e) in [
                (&self.old, &point.old, &to, eo),
                (&self.new, &point.new, &tn, en),
            ] {
                let mut a = action.clone();
                a.events.retain(|(x, _)| *x != e);
                a.events.push((e, *d));
                let ctx = Ctx::new(ps.side.model, &a);
                for t in tests {
                    let own = crate::names::TimeExpr {
                        anchor: crate::names::Anchor::Event(e),
                        offsets: t.own.clone(),
                    };
                    match (ctx.time(&own), ctx.time(&t.other)) {
                        (Some(l), Some(r)) => sig.extend([l < r, l == r]),
                        _ => sig.extend([false, false]),
                    }
                }
            }
            sig
        };
        distinct_by_signature(candidates, signature)
    }

    fn objection_choices(&self, point: &Point) -> Option<Vec<Choice>> {
        let parties = self.fact_parties(point, |m| m.objections.iter().collect());
        let qualified = !self.old.mentions.objection_qualifiers.is_empty()
            || !self.new.mentions.objection_qualifiers.is_empty();
        if !qualified {
            return Some(
                subsets(&parties)?
                    .into_iter()
                    .map(|s| Choice::Objections(s.into_iter().map(|p| (p, None)).collect()))
                    .collect(),
            );
        }
        if parties.len() > MAX_FACT_PARTIES {
            return None;
        }
        let date = point.old.date;
        let mut options: Vec<Vec<Option<Option<Date>>>> = Vec::new();
        for name in &parties {
            let mut days: Vec<Date> = vec![date];
            for (ps, action) in [(&self.old, &point.old), (&self.new, &point.new)] {
                let ctx = Ctx::new(ps.side.model, action);
                let p = ps.side.party_ref(name);
                for (after, before) in &ps.mentions.objection_qualifiers {
                    if let (Some(d), Some(n)) = (after, ctx.notice_received(&p))
                        && let Some(last) = dates::add(n, *d)
                    {
                        days.push(last);
                        days.extend(last.tomorrow().ok());
                    }
                    if let Some(d) = before
                        && let Some(first) = dates::sub(date, *d)
                    {
                        days.push(first);
                        days.extend(first.yesterday().ok());
                    }
                }
            }
            days.retain(|d| *d <= date);
            days.sort_unstable();
            days.dedup();
            let mut choices: Vec<Option<Option<Date>>> = vec![None, Some(None)];
            choices.extend(days.into_iter().map(|d| Some(Some(d))));
            options.push(choices);
        }
        let combos = options
            .iter()
            .try_fold(1usize, |n, o| n.checked_mul(o.len()))?;
        if combos > *self.budget {
            return None;
        }
        Some(
            per_party(&parties, &options)
                .into_iter()
                .map(Choice::Objections)
                .collect(),
        )
    }

    fn notice_choices(&self, point: &Point) -> Option<Vec<Choice>> {
        let parties = self.fact_parties(point, |m| m.notices.iter().map(|(s, _, _)| s).collect());
        if parties.is_empty() {
            return Some(vec![Choice::Notice(Vec::new())]);
        }
        let mut tests: Vec<(Cmp, Date)> = Vec::new();
        for (ps, action) in [(&self.old, &point.old), (&self.new, &point.new)] {
            let ctx = Ctx::new(ps.side.model, action);
            tests.extend(
                ps.mentions
                    .notices
                    .iter()
                    .filter_map(|(_, cmp, d)| ctx.deadline(*d).map(|deadline| (*cmp, deadline))),
            );
        }
        let mut candidates: Vec<std::cmp::Reverse<Date>> = Vec::new();
        for (_, deadline) in &tests {
            candidates.extend(around(*deadline, 1).into_iter().map(std::cmp::Reverse));
        }
        let days: Vec<Date> = distinct_by_signature(candidates, |v| {
            tests
                .iter()
                .map(|(cmp, deadline)| cmp.holds(*deadline, v.0))
                .collect()
        })
        .into_iter()
        .map(|r| r.0)
        .collect();
        let combos = days.len().checked_pow(parties.len() as u32)?;
        if combos > *self.budget {
            return None;
        }
        let options = vec![days.into_iter().map(Some).collect(); parties.len()];
        Some(
            per_party(&parties, &options)
                .into_iter()
                .map(Choice::Notice)
                .collect(),
        )
    }
}

fn unset(step: Step, joint: &Joint, point: &mut Point) {
    for (action, old) in [(&mut point.old, true), (&mut point.new, false)] {
        match step {
            Step::To => action.to = None,
            Step::Field => action.field = None,
            Step::Territory => action.territory = None,
            Step::Exclusive => action.exclusive = None,
            Step::Sublicensable => action.sublicensable = None,
            Step::Royalty => action.royalty = None,
            Step::Until => action.until = None,
            Step::Objections => action.objections = None,
            Step::Consents => action.consents = None,
            Step::Notice => action.notice.clear(),
            Step::Fact(i) => {
                let f = if old {
                    joint.facts[i].0
                } else {
                    joint.facts[i].1
                };
                action.facts.retain(|(x, _)| *x != f);
            }
            Step::Event(i) => {
                let e = if old {
                    joint.events[i].0
                } else {
                    joint.events[i].1
                };
                action.events.retain(|(x, _)| *x != e);
            }
        }
    }
}

/// `radius` days either side of `day`, and the day.
fn around(day: Date, radius: usize) -> Vec<Date> {
    let mut start = day;
    for _ in 0..radius {
        match start.yesterday() {
            Ok(d) => start = d,
            Err(_) => break,
        }
    }
    let mut out = Vec::new();
    let mut d = start;
    for _ in 0..=(2 * radius) {
        out.push(d);
        match d.tomorrow() {
            Ok(next) => d = next,
            Err(_) => break,
        }
    }
    out
}

/// Builds the joint representatives of every dimension for one pair.
fn joint(
    old: &PairSide,
    new: &PairSide,
    (ao, an): (AssetId, AssetId),
    (vo, vn): (NodeId, NodeId),
    (grants_o, grants_n): (&[GrantId], &[GrantId]),
    outsider: &str,
) -> Joint {
    let (mo, mn) = (old.side.model, new.side.model);
    let grants = !grants_o.is_empty() || !grants_n.is_empty();
    // Parties told apart on each side: those named, the asset's owners
    // when `owners` is tested, and the parties of its grants.
    let named = |ps: &PairSide, asset: AssetId, grants: &[GrantId]| -> Vec<PartyId> {
        let m = ps.side.model;
        let mut named = ps.mentions.named_with_group_members(m);
        if let Some(info) = m.assets.get(asset.index()) {
            // Shares decide payments and ownership decides `owners`.
            named.extend(info.owners.iter().map(|(p, _)| *p));
        }
        for &g in grants {
            let grant = m.grant(g);
            named.extend(grant.licensee);
            named.extend(grant.licensor);
        }
        named.sort_unstable();
        named.dedup();
        named
    };
    let named_o = named(old, ao, grants_o);
    let named_n = named(new, an, grants_n);
    let key = |ps: &PairSide, named: &[PartyId], name: &str| -> String {
        let m = ps.side.model;
        match ps.side.party(name) {
            None => "absent".to_string(),
            Some(p) if named.binary_search(&p).is_ok() => format!("named {name}"),
            Some(p) => {
                let info = &m.parties[p.index()];
                let role = match info.role {
                    PartyRole::Signatory => "signatory".to_string(),
                    PartyRole::ThirdParty => "third".to_string(),
                    PartyRole::Affiliate(parent) => format!(
                        "affiliate of {}",
                        m.parties
                            .get(parent.index())
                            .map_or("?", |x| x.name.as_str())
                    ),
                };
                format!(
                    "{role} {:?} {:?} {:?} {:?} {}",
                    info.joined,
                    info.left,
                    info.affiliation.from,
                    info.affiliation.until,
                    info.defaulting
                )
            }
        }
    };
    // Every party name of either side, those named first.
    let mut names: Vec<&str> = mo.parties.iter().map(|p| p.name.as_str()).collect();
    names.extend(
        mn.parties
            .iter()
            .map(|p| p.name.as_str())
            .filter(|n| old.side.party(n).is_none()),
    );
    let is_named = |n: &str| {
        old.side
            .party(n)
            .is_some_and(|p| named_o.binary_search(&p).is_ok())
            || new
                .side
                .party(n)
                .is_some_and(|p| named_n.binary_search(&p).is_ok())
    };
    names.sort_by_key(|n| !is_named(n));
    let mut per_key: HashMap<(String, String), usize> = HashMap::new();
    let mut actors: Vec<(PartyId, PartyId)> = Vec::new();
    let mut counterparties: Vec<(PartyRef, PartyRef)> = Vec::new();
    let mut actor_keys: Vec<(String, String)> = Vec::new();
    for name in &names {
        let k = (key(old, &named_o, name), key(new, &named_n, name));
        if let (Some(po), Some(pn)) = (old.side.party(name), new.side.party(name))
            && !actor_keys.contains(&k)
        {
            actor_keys.push(k.clone());
            actors.push((po, pn));
        }
        let seen = per_key.entry(k).or_insert(0);
        if *seen < 2 {
            *seen += 1;
            counterparties.push((old.side.party_ref(name), new.side.party_ref(name)));
        }
    }
    counterparties.push((
        PartyRef::Outsider(outsider.to_string()),
        PartyRef::Outsider(outsider.to_string()),
    ));
    let needs_to = crate::partition::needs_counterparty(mo, vo)
        || crate::partition::needs_counterparty(mn, vn);
    let wants_to = needs_to
        || grants
        || old.mentions.to
        || new.mentions.to
        || old.mentions.outsider_sets
        || new.mentions.outsider_sets;

    // Dates: the cut points of both sides.
    let mut cuts: Vec<Date> = Vec::new();
    for (ps, gs) in [(old, grants_o), (new, grants_n)] {
        let m = ps.side.model;
        let mut windows: Vec<Window> = ps.mentions.windows.clone();
        for &g in gs {
            let grant = m.grant(g);
            windows.push(Window {
                from: grant.from,
                until: grant.until,
            });
            cuts.extend(grant.in_force.from);
            cuts.extend(grant.in_force.ends);
        }
        let lifecycle = ps.mentions.lifecycle || grants;
        crate::partition::date_cuts(m, &ps.mentions, &windows, lifecycle, &mut cuts);
    }
    cuts.sort_unstable();
    cuts.dedup();
    let term = mn.agreement.as_ref().or(mo.agreement.as_ref());
    let effective = term.and_then(|a| a.effective);
    let expires = term.and_then(|a| a.expires);
    let dates = match cuts.first() {
        None => vec![(
            effective.unwrap_or(jiff::civil::date(2026, 1, 1)),
            None,
            None,
        )],
        Some(first) => {
            let mut reps: Vec<(Date, Option<Date>, Option<Date>)> = first
                .yesterday()
                .ok()
                .map(|d| (d, None, Some(d)))
                .into_iter()
                .collect();
            for (i, &c) in cuts.iter().enumerate() {
                let end = cuts.get(i + 1).and_then(|n| n.yesterday().ok());
                reps.push((c, Some(c), end));
            }
            let within =
                |d: &Date| effective.is_none_or(|e| e <= *d) && expires.is_none_or(|x| *d <= x);
            reps.sort_by_key(|(d, _, _)| !within(d));
            reps
        }
    };

    let nodes = |tree_o: &Hierarchy,
                 tree_n: &Hierarchy,
                 mentioned_o: Vec<NodeId>,
                 mentioned_n: Vec<NodeId>|
     -> Option<Vec<(NodeId, NodeId)>> {
        if mentioned_o.is_empty() && mentioned_n.is_empty() {
            return None;
        }
        let mut best: HashMap<Vec<(bool, bool)>, (u8, NodeId, NodeId)> = HashMap::new();
        let mut order: Vec<Vec<(bool, bool)>> = Vec::new();
        for (i, node) in tree_o.nodes.iter().enumerate() {
            let a = NodeId(i as u32);
            let Some(b) = tree_n.get(&node.name) else {
                continue;
            };
            let mut sig: Vec<(bool, bool)> = mentioned_o
                .iter()
                .map(|&m| (tree_o.covers(m, a), tree_o.covers(a, m)))
                .collect();
            sig.extend(
                mentioned_n
                    .iter()
                    .map(|&m| (tree_n.covers(m, b), tree_n.covers(b, m))),
            );
            let rank = if mentioned_o.contains(&a) || mentioned_n.contains(&b) {
                0
            } else if node.enter == node.exit {
                1
            } else {
                2
            };
            match best.get_mut(&sig) {
                Some(current) => {
                    if rank < current.0 {
                        *current = (rank, a, b);
                    }
                }
                None => {
                    order.push(sig.clone());
                    best.insert(sig, (rank, a, b));
                }
            }
        }
        let mut reps: Vec<(u8, NodeId, NodeId)> =
            order.iter().filter_map(|s| best.get(s).copied()).collect();
        reps.sort_by_key(|(rank, a, _)| (*rank, a.index()));
        Some(reps.into_iter().map(|(_, a, b)| (a, b)).collect())
    };
    let grant_nodes = |m: &Model, gs: &[GrantId], field: bool| -> Vec<NodeId> {
        gs.iter()
            .flat_map(|&g| {
                let grant = m.grant(g);
                if field {
                    grant.field.clone()
                } else {
                    grant.territory.clone()
                }
            })
            .collect()
    };
    let with = |mut a: Vec<NodeId>, b: Vec<NodeId>| {
        a.extend(b);
        a.sort_unstable();
        a.dedup();
        a
    };
    let fields = nodes(
        &mo.fields,
        &mn.fields,
        with(old.mentions.fields.clone(), grant_nodes(mo, grants_o, true)),
        with(new.mentions.fields.clone(), grant_nodes(mn, grants_n, true)),
    );
    let territories = nodes(
        &mo.territories,
        &mn.territories,
        with(
            old.mentions.territories.clone(),
            grant_nodes(mo, grants_o, false),
        ),
        with(
            new.mentions.territories.clone(),
            grant_nodes(mn, grants_n, false),
        ),
    );

    let mut thresholds: Vec<u32> = old.mentions.royalties.clone();
    thresholds.extend(&new.mentions.royalties);
    let royalties = (!thresholds.is_empty()).then(|| {
        let mut candidates: Vec<u32> = Vec::new();
        for &t in &thresholds {
            candidates.extend(t.checked_sub(1));
            candidates.push(t);
            if t < 10_000 {
                candidates.push(t + 1);
            }
        }
        distinct_by_signature(candidates, |v| {
            thresholds.iter().flat_map(|&t| [*v < t, *v == t]).collect()
        })
    });

    let mut until_tests: Vec<Date> = old.mentions.untils.iter().map(|(_, d)| *d).collect();
    until_tests.extend(new.mentions.untils.iter().map(|(_, d)| *d));
    for (m, gs) in [(mo, grants_o), (mn, grants_n)] {
        for &g in gs {
            let grant = m.grant(g);
            until_tests.extend(grant.from);
            until_tests.extend(grant.until);
        }
    }
    let untils = (!until_tests.is_empty()).then(|| {
        let mut candidates: Vec<Date> = Vec::new();
        for &d in &until_tests {
            candidates.extend(around(d, 1));
        }
        let mut reps: Vec<Option<Date>> = distinct_by_signature(candidates, |v| {
            until_tests.iter().flat_map(|d| [v < d, v == d]).collect()
        })
        .into_iter()
        .map(Some)
        .collect();
        if grants {
            // A licence without `until` runs open-ended: grants tell it apart.
            reps.push(None);
        }
        reps
    });

    let mut facts: Vec<(FactId, FactId)> = Vec::new();
    for (ps, first) in [(old, true), (new, false)] {
        for &f in &ps.mentions.facts {
            let name = &ps.side.model.facts[f.index()].name;
            let pair = if first {
                mn.fact_ids.get(name).map(|&b| (f, b))
            } else {
                mo.fact_ids.get(name).map(|&a| (a, f))
            };
            if let Some(pair) = pair
                && !facts.contains(&pair)
            {
                facts.push(pair);
            }
        }
    }
    let mut events: Vec<(EventId, EventId)> = Vec::new();
    for (ps, first) in [(old, true), (new, false)] {
        for (e, _) in &ps.mentions.events {
            let name = &ps.side.model.events[e.index()].name;
            let pair = if first {
                mn.event_ids.get(name).map(|&b| (*e, b))
            } else {
                mo.event_ids.get(name).map(|&a| (a, *e))
            };
            if let Some(pair) = pair
                && !events.contains(&pair)
            {
                events.push(pair);
            }
        }
    }
    Joint {
        actors,
        dates,
        counterparties: wants_to.then_some(counterparties),
        fields,
        territories,
        exclusive: old.mentions.exclusive || new.mentions.exclusive || grants,
        sublicensable: old.mentions.sublicensable || new.mentions.sublicensable || grants,
        royalties,
        untils,
        facts,
        events,
        grants,
    }
}
