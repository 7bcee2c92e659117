//! Finding a witness: a depth-first walk over the representative values
//! of each dimension, one dimension at a time, evaluating the clauses on
//! the partial action after each step.
//!
//! A value not yet chosen is *unknown*, and the engine's three-valued
//! logic is monotone: a clause that is true (or false) on a partial action
//! stays so on every completion of it. So a goal can stop early, either way,
//! and the walk visits far fewer points than the regions' product.

use crate::decide::eval::Ctx;
use crate::decide::logic::Tri;
use crate::names::{Action, ClauseId, Model, PartyRef};
use crate::span::Span;
use crate::syntax::ast::{Duration, DurationUnit};

use super::axes::{Axes, distinct_by_signature};

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

/// More parties than this in one fact (consents, objections) and the
/// subsets are not enumerated: the search gives up instead of guessing.
const MAX_FACT_PARTIES: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    To,
    Field,
    Territory,
    Exclusive,
    Sublicensable,
    Royalty,
    Until,
    Objections,
    Consents,
    Notice,
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
}

impl<'a, 'g> Searcher<'a, 'g> {
    pub fn new(
        model: &'a Model,
        clauses: &'a [ClauseId],
        axes: &'a Axes,
        goal: &'a mut Goal<'g>,
        budget: &'a mut usize,
    ) -> Self {
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
        if !axes.objections.is_empty() {
            steps.push(Step::Objections);
        }
        if !axes.consents.is_empty() {
            steps.push(Step::Consents);
        }
        if !axes.notices.is_empty() {
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
        for &id in self.clauses {
            let tri = self
                .model
                .clauses
                .get(id.index())
                .map_or(Tri::False, |c| ctx.clause(c).tri());
            self.tris.push(tri);
        }
        Some((self.goal)(&ctx, &self.tris))
    }

    fn descend(&mut self, step: usize, first_eval: usize, action: &mut Action) -> Walk {
        if step >= first_eval {
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
        let choices = self.choices(kind, action);
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
    fn choices(&self, step: Step, action: &Action) -> Option<Vec<Choice>> {
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
            Step::Consents => subsets(&self.fact_parties(&axes.consents, action))?
                .into_iter()
                .map(Choice::Consents)
                .collect(),
            Step::Objections => subsets(&self.fact_parties(&axes.objections, action))?
                .into_iter()
                .map(Choice::Objections)
                .collect(),
            Step::Notice => self.notice_choices(action)?,
        })
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

    /// Notice given to each party concerned, in days: one value per region
    /// between the thresholds the clauses test (for this action's date).
    fn notice_choices(&self, action: &Action) -> Option<Vec<Choice>> {
        let parties = self.fact_parties(self.axes.notices.iter().map(|(s, _, _)| s), action);
        if parties.is_empty() {
            return Some(vec![Choice::Notice(Vec::new())]);
        }
        let ctx = Ctx::new(self.model, action);
        let tests: Vec<(crate::syntax::ast::Cmp, i64)> = self
            .axes
            .notices
            .iter()
            .map(|(_, cmp, d)| (*cmp, ctx.days_before(*d)))
            .collect();
        let mut candidates: Vec<i64> = Vec::new();
        for (_, due) in &tests {
            candidates.extend([due - 1, *due, due + 1].into_iter().filter(|d| *d >= 0));
        }
        let days = distinct_by_signature(candidates, |v| {
            tests.iter().map(|(cmp, due)| cmp.holds(*v, *due)).collect()
        });
        let combos = days.len().checked_pow(parties.len() as u32)?;
        if combos > *self.budget {
            return None;
        }
        let mut out: Vec<Vec<(PartyRef, Duration)>> = vec![Vec::new()];
        for party in &parties {
            let mut next = Vec::with_capacity(out.len() * days.len());
            for partial in &out {
                for &d in &days {
                    let mut extended = partial.clone();
                    extended.push((party.clone(), days_duration(d)));
                    next.push(extended);
                }
            }
            out = next;
        }
        Some(out.into_iter().map(Choice::Notice).collect())
    }
}

fn days_duration(days: i64) -> Duration {
    Duration {
        count: u32::try_from(days).unwrap_or(u32::MAX),
        unit: DurationUnit::Days,
        span: Span::default(),
    }
}

/// Every subset of the parties, the empty one first.
fn subsets(parties: &[PartyRef]) -> Option<Vec<Vec<PartyRef>>> {
    if parties.len() > MAX_FACT_PARTIES {
        return None;
    }
    Some(
        (0u32..(1 << parties.len()))
            .map(|mask| {
                parties
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| mask & (1 << i) != 0)
                    .map(|(_, p)| p.clone())
                    .collect()
            })
            .collect(),
    )
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
    Objections(Vec<PartyRef>),
    Notice(Vec<(PartyRef, Duration)>),
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
        }
    }
}
