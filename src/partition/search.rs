//! Finding a witness: a depth-first walk over the representative values
//! of each dimension, one dimension at a time, evaluating the clauses on
//! the partial action after each step.
//!
//! A value not yet chosen is *unknown*, and the engine's three-valued
//! logic is monotone: a clause that is true (or false) on a partial action
//! stays so on every completion of it. So a goal can stop early, either way,
//! and the walk visits far fewer points than the regions' product.

use jiff::civil::Date;

use crate::dates;
use crate::decide::eval::Ctx;
use crate::decide::logic::Tri;
use crate::names::{Action, ClauseId, EventId, FactId, Model, PartyRef};

use super::axes::{Axes, Mentions};
use super::choices::{self, MAX_FACT_PARTIES, distinct_by_signature};

/// What a goal makes of the clauses' values on a (partial) action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// This action is a witness, and so is every completion of it.
    Found,
    /// No completion of this action can be a witness.
    Prune,
    /// Choose more values.
    Continue,
}

/// The answer to a question.
#[derive(Debug, Clone, PartialEq)]
pub enum Search {
    /// A witness: an action (unknown where no clause asked about cares).
    Found(Box<Action>),
    /// No action is a witness: an exact answer.
    Impossible,
    /// The question was too big to answer within the budget.
    GaveUp,
}

impl Search {
    pub fn witness(&self) -> Option<&Action> {
        match self {
            Search::Found(a) => Some(a),
            _ => None,
        }
    }
    pub fn is_impossible(&self) -> bool {
        matches!(self, Search::Impossible)
    }
}

/// A goal: given the evaluation context and each clause's value (in the
/// order the clauses were given), decide.
pub type Goal<'g> = dyn FnMut(&Ctx, &[Tri]) -> Verdict + 'g;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    To,
    Field,
    Territory,
    Exclusive,
    Sublicensable,
    Royalty,
    Until,
    Fact(FactId),
    Event(EventId),
    Notice,
    Objections,
    Consents,
}

enum Walk {
    Found(Box<Action>),
    Exhausted,
    GaveUp,
}

pub(crate) struct Searcher<'a, 'g> {
    model: &'a Model,
    clauses: &'a [ClauseId],
    axes: &'a Axes,
    goal: &'a mut Goal<'g>,
    /// Clause evaluations left.
    pub budget: &'a mut usize,
    steps: Vec<Step>,
    tris: Vec<Tri>,
    /// How many of `clauses` are the question's base: a witness lies
    /// where each of them applies, so a point where one is false is
    /// pruned before the others are evaluated.
    base: usize,
    /// The consent, objection and notice sets each clause tests.
    facts: Vec<ClauseFacts>,
}

/// The fact sets one clause tests. A clause that is false on a partial
/// action stays false, so only the sets of the clauses still open matter
/// to the facts chosen after it.
#[derive(Debug, Default)]
struct ClauseFacts {
    consents: Vec<crate::names::PartySet>,
    objections: Vec<crate::names::PartySet>,
    notices: Vec<crate::names::PartySet>,
}

impl<'a, 'g> Searcher<'a, 'g> {
    pub fn new(
        model: &'a Model,
        clauses: &'a [ClauseId],
        base: usize,
        axes: &'a Axes,
        goal: &'a mut Goal<'g>,
        budget: &'a mut usize,
    ) -> Self {
        let facts = clauses
            .iter()
            .map(|&c| {
                let m = Mentions::of(model, &[c], false);
                ClauseFacts {
                    consents: m.consents,
                    objections: m.objections,
                    notices: m.notices.into_iter().map(|(s, _, _)| s).collect(),
                }
            })
            .collect();
        let mut steps = Vec::new();
        if axes.counterparties.is_some() {
            steps.push(Step::To);
        }
        if axes.fields.is_some() {
            steps.push(Step::Field);
        }
        if axes.territories.is_some() {
            steps.push(Step::Territory);
        }
        if axes.exclusive {
            steps.push(Step::Exclusive);
        }
        if axes.sublicensable {
            steps.push(Step::Sublicensable);
        }
        if axes.royalties.is_some() {
            steps.push(Step::Royalty);
        }
        if axes.untils.is_some() {
            steps.push(Step::Until);
        }
        steps.extend(axes.facts.iter().map(|&f| Step::Fact(f)));
        steps.extend(axes.events.iter().map(|(e, _)| Step::Event(*e)));
        // A qualified objection counts from the notice day: choose the
        // notice first then.
        let notice_first = !axes.objection_qualifiers.is_empty();
        if notice_first && !axes.notices.is_empty() {
            steps.push(Step::Notice);
        }
        if !axes.objections.is_empty() {
            steps.push(Step::Objections);
        }
        if !axes.consents.is_empty() {
            steps.push(Step::Consents);
        }
        if !notice_first && !axes.notices.is_empty() {
            steps.push(Step::Notice);
        }
        Searcher {
            model,
            clauses,
            axes,
            goal,
            budget,
            steps,
            tris: Vec::with_capacity(clauses.len()),
            base: base.min(clauses.len()),
            facts,
        }
    }

    pub fn run(&mut self) -> Search {
        let mut gave_up = false;
        // A licence without a counterparty does not parse back: choose
        // `to` before the first evaluation.
        let first_eval = usize::from(self.axes.needs_counterparty(self.model));
        for &actor in &self.axes.actors {
            for &date in &self.axes.dates {
                let mut action = Action {
                    date,
                    ..self.axes.blank(actor)
                };
                match self.descend(0, first_eval, &mut action) {
                    Walk::Found(a) => return Search::Found(a),
                    Walk::GaveUp => gave_up = true,
                    Walk::Exhausted => {}
                }
                if *self.budget == 0 {
                    return Search::GaveUp;
                }
            }
        }
        if gave_up {
            Search::GaveUp
        } else {
            Search::Impossible
        }
    }

    fn evaluate(&mut self, action: &Action) -> Option<Verdict> {
        // The budget counts clause evaluations, so that a question about
        // many clauses cannot run long.
        let cost = self.clauses.len().max(1);
        if *self.budget < cost {
            *self.budget = 0;
            return None;
        }
        *self.budget -= cost;
        let ctx = Ctx::new(self.model, action);
        self.tris.clear();
        for (i, &id) in self.clauses.iter().enumerate() {
            let tri = self
                .model
                .clauses
                .get(id.index())
                .filter(|c| c.in_force.on(action.date))
                .map_or(Tri::False, |c| ctx.clause(c).tri());
            if tri == Tri::False && i < self.base {
                // Every goal prunes where a base clause is false.
                return Some(Verdict::Prune);
            }
            self.tris.push(tri);
        }
        Some((self.goal)(&ctx, &self.tris))
    }

    fn descend(&mut self, step: usize, first_eval: usize, action: &mut Action) -> Walk {
        let evaluated = step >= first_eval;
        if evaluated {
            match self.evaluate(action) {
                None => return Walk::GaveUp,
                Some(Verdict::Found) => return Walk::Found(Box::new(action.clone())),
                Some(Verdict::Prune) => return Walk::Exhausted,
                Some(Verdict::Continue) => {}
            }
        }
        let Some(&kind) = self.steps.get(step) else {
            return Walk::Exhausted;
        };
        // The clauses still open here (all of them before the first
        // evaluation).
        let open: Vec<bool> = if evaluated {
            self.tris.iter().map(|t| *t != Tri::False).collect()
        } else {
            vec![true; self.clauses.len()]
        };
        let choices = self.choices(kind, action, &open);
        let Some(choices) = choices else {
            return Walk::GaveUp;
        };
        let mut gave_up = false;
        // Each step sets its own attribute, and deeper steps unset theirs
        // before returning: the action is restored by unsetting this one.
        for choice in choices {
            choice.apply(action);
            match self.descend(step + 1, first_eval, action) {
                Walk::Found(a) => return Walk::Found(a),
                Walk::GaveUp => gave_up = true,
                Walk::Exhausted => {}
            }
            if *self.budget == 0 {
                return Walk::GaveUp;
            }
        }
        kind.unset(action);
        if gave_up {
            Walk::GaveUp
        } else {
            Walk::Exhausted
        }
    }

    /// The values one step can take on this action; `None` when there are
    /// too many to enumerate.
    fn choices(&self, step: Step, action: &Action, open: &[bool]) -> Option<Vec<Choice>> {
        let axes = self.axes;
        let bools = || vec![true, false];
        Some(match step {
            Step::To => {
                let mut parties: Vec<PartyRef> = axes.counterparties.clone().unwrap_or_default();
                // Prefer someone other than the actor: it reads better.
                parties.sort_by_key(|p| *p == PartyRef::Known(action.actor));
                parties.into_iter().map(Choice::To).collect()
            }
            Step::Field => axes
                .fields
                .iter()
                .flatten()
                .map(|&n| Choice::Field(n))
                .collect(),
            Step::Territory => axes
                .territories
                .iter()
                .flatten()
                .map(|&n| Choice::Territory(n))
                .collect(),
            Step::Exclusive => bools().into_iter().map(Choice::Exclusive).collect(),
            Step::Sublicensable => bools().into_iter().map(Choice::Sublicensable).collect(),
            Step::Royalty => axes
                .royalties
                .iter()
                .flatten()
                .map(|&r| Choice::Royalty(r))
                .collect(),
            Step::Until => axes
                .untils
                .iter()
                .flatten()
                .map(|&u| Choice::Until(u))
                .collect(),
            Step::Consents => self
                .class_choices(action, open, |f| &f.consents)?
                .into_iter()
                .map(Choice::Consents)
                .collect(),
            Step::Objections => self.objection_choices(action, open)?,
            Step::Notice => self.notice_choices(action, open)?,
            Step::Fact(f) => vec![Choice::Fact(f, true), Choice::Fact(f, false)],
            Step::Event(e) => self
                .event_days(e, action)
                .into_iter()
                .map(|d| Choice::Event(e, d))
                .collect(),
        })
    }

    /// Days for an event: around each point it is compared with, so that
    /// every comparison comes out each way it can.
    fn event_days(&self, event: EventId, action: &Action) -> Vec<Date> {
        let ctx = Ctx::new(self.model, action);
        let tests = self
            .axes
            .events
            .iter()
            .find(|(e, _)| *e == event)
            .map(|(_, t)| t.as_slice())
            .unwrap_or_default();
        let mut candidates: Vec<Date> = Vec::new();
        for test in tests {
            let Some(other) = ctx.time(&test.other) else {
                continue;
            };
            // Undo the event's own offsets (calendar months may clamp:
            // the neighbours cover it).
            let mut day = Some(other);
            for (minus, d) in test.own.iter().rev() {
                day = day.and_then(|x| dates::shift(x, !*minus, *d));
            }
            let Some(day) = day else { continue };
            let mut around = day;
            for _ in 0..3 {
                match around.yesterday() {
                    Ok(d) => around = d,
                    Err(_) => break,
                }
            }
            for _ in 0..7 {
                candidates.push(around);
                match around.tomorrow() {
                    Ok(d) => around = d,
                    Err(_) => break,
                }
            }
        }
        if candidates.is_empty() {
            candidates.push(action.date);
        }
        let with = |d: Date| {
            let mut a = action.clone();
            a.events.retain(|(e, _)| *e != event);
            a.events.push((event, d));
            a
        };
        distinct_by_signature(candidates, |d| {
            let a = with(*d);
            let ctx = Ctx::new(self.model, &a);
            tests
                .iter()
                .filter_map(|t| {
                    let mut own = crate::names::TimeExpr {
                        anchor: crate::names::Anchor::Event(event),
                        offsets: t.own.clone(),
                    };
                    let l = ctx.time(&own)?;
                    own.offsets.clear();
                    let r = ctx.time(&t.other)?;
                    Some([l < r, l == r])
                })
                .flatten()
                .collect()
        })
    }

    /// Who objected and on which day: every subset of the parties
    /// concerned, each objection undated or (when qualifiers are tested)
    /// on a day on each side of their bounds.
    fn objection_choices(&self, action: &Action, open: &[bool]) -> Option<Vec<Choice>> {
        if self.axes.objection_qualifiers.is_empty() {
            return Some(
                self.class_choices(action, open, |f| &f.objections)?
                    .into_iter()
                    .map(|s| Choice::Objections(s.into_iter().map(|p| (p, None)).collect()))
                    .collect(),
            );
        }
        let parties = self.open_fact_parties(action, open, |f| &f.objections);
        let ctx = Ctx::new(self.model, action);
        let mut per_party: Vec<Vec<Option<Option<Date>>>> = Vec::new();
        for p in &parties {
            let mut days: Vec<Date> = vec![action.date];
            for (after, before) in &self.axes.objection_qualifiers {
                if let (Some(d), Some(n)) = (after, ctx.notice_received(p))
                    && let Some(last) = dates::add(n, *d)
                {
                    days.push(last);
                    days.extend(last.tomorrow().ok());
                }
                if let Some(d) = before
                    && let Some(first) = dates::sub(action.date, *d)
                {
                    days.push(first);
                    days.extend(first.yesterday().ok());
                }
            }
            days.retain(|d| *d <= action.date);
            days.sort_unstable();
            days.dedup();
            let mut options: Vec<Option<Option<Date>>> = vec![None, Some(None)];
            options.extend(days.into_iter().map(|d| Some(Some(d))));
            per_party.push(options);
        }
        let combos = per_party
            .iter()
            .try_fold(1usize, |n, o| n.checked_mul(o.len()))?;
        if combos > *self.budget || parties.len() > MAX_FACT_PARTIES {
            return None;
        }
        Some(
            choices::per_party(&parties, &per_party)
                .into_iter()
                .map(Choice::Objections)
                .collect(),
        )
    }

    /// Everyone a fact about these sets can concern, for this action.
    fn fact_parties<'s>(
        &self,
        sets: impl IntoIterator<Item = &'s crate::names::PartySet>,
        action: &Action,
    ) -> Vec<PartyRef> {
        let ctx = Ctx::new(self.model, action);
        let mut parties: Vec<PartyRef> = sets.into_iter().flat_map(|s| ctx.members(s)).collect();
        parties.sort();
        parties.dedup();
        parties
    }

    /// The sets of one kind that the clauses still open test.
    fn open_sets<'s>(
        &'s self,
        open: &'s [bool],
        kind: impl Fn(&'s ClauseFacts) -> &'s Vec<crate::names::PartySet> + 's,
    ) -> impl Iterator<Item = &'s crate::names::PartySet> + 's {
        self.facts
            .iter()
            .zip(open.iter().chain(std::iter::repeat(&true)))
            .filter(|(_, open)| **open)
            .flat_map(move |(f, _)| kind(f).iter())
    }

    /// Everyone a fact of one kind can concern, for this action: the
    /// members of the sets the open clauses test, and (for questions
    /// about duties) the members of any set of that kind whom a duty
    /// names, since a duty reads the same facts.
    fn open_fact_parties<'s>(
        &'s self,
        action: &Action,
        open: &'s [bool],
        kind: impl Fn(&'s ClauseFacts) -> &'s Vec<crate::names::PartySet> + Copy + 's,
    ) -> Vec<PartyRef> {
        let mut parties = self.fact_parties(self.open_sets(open, kind), action);
        if !self.axes.duty_sets.is_empty() {
            let ctx = Ctx::new(self.model, action);
            let all = self.fact_parties(self.facts.iter().flat_map(|f| kind(f).iter()), action);
            parties.extend(
                all.into_iter()
                    .filter(|p| self.axes.duty_sets.iter().any(|s| ctx.party_in(s, p))),
            );
            parties.sort();
            parties.dedup();
        }
        parties
    }

    /// Who gave a consent (or objected, unqualified): parties that every
    /// open set and duty set tells alike form a class, and only how many
    /// of a class did matters (each predicate over a set is all or any of
    /// its members), so one choice per count of each class, the first
    /// members of the class taking part. Exact, and far fewer than the
    /// subsets of the parties; `None` when even those are too many.
    fn class_choices<'s>(
        &'s self,
        action: &Action,
        open: &'s [bool],
        kind: impl Fn(&'s ClauseFacts) -> &'s Vec<crate::names::PartySet> + Copy + 's,
    ) -> Option<Vec<Vec<PartyRef>>> {
        let parties = self.open_fact_parties(action, open, kind);
        let ctx = Ctx::new(self.model, action);
        let sets: Vec<&crate::names::PartySet> = self
            .open_sets(open, kind)
            .chain(&self.axes.duty_sets)
            .collect();
        let mut classes: Vec<Vec<PartyRef>> = Vec::new();
        let mut key_of: std::collections::HashMap<Vec<bool>, usize> =
            std::collections::HashMap::new();
        for p in parties {
            let key: Vec<bool> = sets.iter().map(|s| ctx.party_in(s, &p)).collect();
            let class = *key_of.entry(key).or_insert_with(|| {
                classes.push(Vec::new());
                classes.len() - 1
            });
            if let Some(members) = classes.get_mut(class) {
                members.push(p);
            }
        }
        choices::class_counts(&classes, choices::MAX_FACT_CHOICES)
    }

    /// The day each party concerned received notice: one day per region
    /// between the deadlines the clauses test (for this action's date).
    fn notice_choices(&self, action: &Action, open: &[bool]) -> Option<Vec<Choice>> {
        let parties = self.open_fact_parties(action, open, |f| &f.notices);
        if parties.is_empty() {
            return Some(vec![Choice::Notice(Vec::new())]);
        }
        let ctx = Ctx::new(self.model, action);
        let tests: Vec<(crate::terms::Cmp, Date)> = self
            .axes
            .notices
            .iter()
            .filter_map(|(_, cmp, d)| ctx.deadline(*d).map(|deadline| (*cmp, deadline)))
            .collect();
        // Latest days first: the shortest notice of each region (exactly
        // the period, where it suffices) reads best in a witness.
        let mut candidates: Vec<std::cmp::Reverse<Date>> = Vec::new();
        for (_, deadline) in &tests {
            candidates.extend(deadline.yesterday().ok().map(std::cmp::Reverse));
            candidates.push(std::cmp::Reverse(*deadline));
            candidates.extend(deadline.tomorrow().ok().map(std::cmp::Reverse));
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
            choices::per_party(&parties, &options)
                .into_iter()
                .map(Choice::Notice)
                .collect(),
        )
    }
}

impl Step {
    /// Makes the step's attribute unknown again.
    fn unset(self, action: &mut Action) {
        match self {
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
            Step::Fact(f) => action.facts.retain(|(x, _)| *x != f),
            Step::Event(e) => action.events.retain(|(x, _)| *x != e),
        }
    }
}

/// One value for one dimension.
enum Choice {
    To(PartyRef),
    Field(crate::names::NodeId),
    Territory(crate::names::NodeId),
    Exclusive(bool),
    Sublicensable(bool),
    Royalty(u32),
    Until(jiff::civil::Date),
    Consents(Vec<PartyRef>),
    Objections(Vec<(PartyRef, Option<Date>)>),
    Notice(Vec<(PartyRef, Date)>),
    Fact(FactId, bool),
    Event(EventId, Date),
}

impl Choice {
    fn apply(self, action: &mut Action) {
        match self {
            Choice::To(p) => action.to = Some(p),
            Choice::Field(n) => action.field = Some(n),
            Choice::Territory(n) => action.territory = Some(n),
            Choice::Exclusive(b) => action.exclusive = Some(b),
            Choice::Sublicensable(b) => action.sublicensable = Some(b),
            Choice::Royalty(r) => action.royalty = Some(r),
            Choice::Until(u) => action.until = Some(u),
            Choice::Consents(c) => action.consents = Some(c),
            Choice::Objections(o) => action.objections = Some(o),
            Choice::Notice(n) => action.notice = n,
            Choice::Fact(f, v) => {
                action.facts.retain(|(x, _)| *x != f);
                action.facts.push((f, v));
            }
            Choice::Event(e, d) => {
                action.events.retain(|(x, _)| *x != e);
                action.events.push((e, d));
            }
        }
    }
}
