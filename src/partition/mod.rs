//! Partition: the space of actions cut into finitely many regions, so that
//! questions about a policy ("can this permit ever apply unblocked?", "do
//! these two clauses overlap?") are answered exactly, not by sampling.
//!
//! Every dimension of an action is finite or cut finitely by the policy:
//! the actor (declared parties), the counterparty (declared parties and
//! one representative outsider), the asset and verb, field and territory
//! nodes, the date and `until` (cut at the dates the clauses test), the
//! royalty (cut at the percentages tested), the `exclusive` and
//! `sublicensable` flags, and the consent, objection and notice facts
//! (per party, cut at the notice periods tested). Two actions in the same
//! region make every clause line come out the same, so one representative
//! per region answers for all.
//!
//! A question never enumerates the full product. It names a few clauses;
//! each dimension is restricted to the regions *those* clauses tell apart
//! ([`Axes`]), dimensions they do not test stay unknown, and a depth-first
//! walk evaluates the clauses with the engine's own three-valued logic
//! after each choice, stopping a branch as soon as the answer is settled
//! (see [`search`]). The clauses a question should look at are found
//! through an index by asset and verb ([`Regions::related`]), so an
//! analysis over all clauses is not quadratic in their number.
//!
//! ```
//! use ipcheck::partition::Regions;
//! use ipcheck::{names::ClauseId, policy, source::SourceMap};
//!
//! let mut sources = SourceMap::default();
//! let text = r#"
//! agreement "A" { effective 2025-01-01 expires 2028-12-31 }
//! party a "A"
//! asset x "X" { class foreground owner a }
//! clause 1 { permit research of x by a }
//! "#;
//! sources.add("p.ipl", "p.ipl".into(), text);
//! let policy = policy::analyze(sources);
//! let regions = Regions::of(&policy.model);
//! let witness = regions.satisfiable(ClauseId(0));
//! let action = witness.witness().expect("clause 1 applies somewhere");
//! assert_eq!(regions.render(action), "a research x on 2025-01-01");
//! ```

mod axes;
pub(crate) mod choices;
mod index;
mod render;
pub mod search;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

pub use axes::Axes;
pub(crate) use axes::{date_cuts, needs_counterparty};
// What clauses mention, for questions across two models (`diff`).
pub(crate) use axes::{EventTest, Mentions};
pub use render::action_syntax;
pub use search::{Goal, Search, Verdict};

use crate::decide::Engine;
use crate::decide::eval::Ctx;
use crate::decide::logic::Tri;
use crate::names::{Action, AssetId, ClauseId, Model, NodeId, PartyId};
use axes::{PartyClasses, Trees};
use index::ClauseIndex;

/// Clause evaluations one question may spend before it gives up
/// ([`Search::GaveUp`]); questions about a handful of clauses use far
/// fewer. A lint that gives up reports nothing.
pub const QUESTION_BUDGET: usize = 200_000;

/// Work one lint's questions may do over a whole policy (clause
/// evaluations plus the clauses and parties each question looks at)
/// before the rest of its questions give up: a few seconds. A lint that
/// runs out says so (`ipl::report::lint_skipped`) instead of running for
/// minutes; the policies of the growth curves (8,000 clauses of each
/// shape) stay far below it.
pub const LINT_BUDGET: u64 = 400_000_000;

/// A policy's action space, ready for questions.
pub struct Regions<'m> {
    model: &'m Model,
    engine: Engine<'m>,
    index: ClauseIndex,
    classes: PartyClasses,
    trees: Trees,
    outsider: String,
    /// Work done by questions since `start_budget` (clause evaluations,
    /// clauses and parties looked at), and how much is allowed: past it,
    /// every question gives up at once.
    work: AtomicU64,
    limit: AtomicU64,
}

/// A question: which clauses a witness is about.
#[derive(Debug, Clone, Copy)]
pub struct Question<'q> {
    /// A witness lies in the asset and verb of every one of these, and
    /// applies each of them: every goal prunes an action where one of
    /// them is false (the walk skips the others' evaluation there, and
    /// actors none of them can name).
    pub base: &'q [ClauseId],
    /// Further clauses the goal looks at; their values follow `base`'s.
    pub others: &'q [ClauseId],
    /// Tell apart the parties the clauses' duties name as well (for goals
    /// about duties, such as payments).
    pub duties: bool,
    /// Only actions on this asset.
    pub asset: Option<AssetId>,
}

impl<'q> Question<'q> {
    /// `base` then `others`: the clauses a goal sees, in its order.
    pub fn clauses(&self) -> Vec<ClauseId> {
        self.base.iter().chain(self.others).copied().collect()
    }

    pub fn about(base: &'q [ClauseId], others: &'q [ClauseId]) -> Question<'q> {
        Question {
            base,
            others,
            duties: false,
            asset: None,
        }
    }
}

impl<'m> Regions<'m> {
    pub fn of(model: &'m Model) -> Regions<'m> {
        let mut outsider = "outsider".to_string();
        let mut n = 2;
        while model.names.contains_key(&outsider) {
            outsider = format!("outsider{n}");
            n += 1;
        }
        Regions {
            model,
            engine: Engine::new(model),
            index: ClauseIndex::new(model),
            classes: PartyClasses::of(model),
            trees: Trees::of(model),
            outsider,
            work: AtomicU64::new(0),
            limit: AtomicU64::new(u64::MAX),
        }
    }

    pub fn model(&self) -> &'m Model {
        self.model
    }

    /// The decision engine over the same model.
    pub fn engine(&self) -> &Engine<'m> {
        &self.engine
    }

    /// The undeclared name that stands for every outsider.
    pub fn outsider(&self) -> &str {
        &self.outsider
    }

    /// Can the clause concern an action on `asset` with `verb`?
    pub fn concerns(&self, clause: ClauseId, asset: AssetId, verb: NodeId) -> bool {
        self.index.concerns(clause, asset, verb)
    }

    /// Do the clause's asset selectors choose `asset`?
    pub fn selects(&self, clause: ClauseId, asset: AssetId) -> bool {
        self.index.selects(clause, asset)
    }

    /// Does `outer` concern every (asset, verb) pair that `inner` does?
    /// (A cheap test that containment needs.)
    pub fn covers_pairs(&self, outer: ClauseId, inner: ClauseId) -> bool {
        self.index.covers_pairs(outer, inner)
    }

    /// The clauses that share an (asset, verb) pair with `clause`, in
    /// source order: the only ones that can meet it on some action.
    pub fn related(&self, clause: ClauseId) -> Vec<ClauseId> {
        self.index.related(self.model, clause)
    }

    /// The related clauses of one kind, without a copy: shared with the
    /// clauses alike, so it may hold `clause` itself (skip it).
    pub fn related_of_kind(&self, clause: ClauseId, kind: crate::terms::ClauseKind) -> &[ClauseId] {
        self.index.related_shared(self.model, clause, Some(kind))
    }

    /// Does `winner` have priority over `loser` (`notwithstanding`,
    /// transitively)?
    pub fn prevails(&self, winner: ClauseId, loser: ClauseId) -> bool {
        self.engine.prevails(winner, loser)
    }

    /// Every clause that can concern the action, with its value on it.
    pub fn clauses_covering(&self, point: &Action) -> Vec<(ClauseId, Tri)> {
        let ctx = Ctx::new(self.model, point);
        self.index
            .candidates(point.asset, point.verb)
            .into_iter()
            .map(|c| (c, ctx.clause(self.model.clause(c)).tri()))
            .filter(|(_, tri)| *tri != Tri::False)
            .collect()
    }

    /// One (asset, verb) pair per region of assets and verbs that the
    /// clauses tell apart, among those every `base` clause concerns.
    pub fn pairs(&self, question: &Question) -> Vec<(AssetId, NodeId)> {
        self.plan(question).pairs
    }

    /// The representative values of each dimension for the clauses of a
    /// question on one (asset, verb) pair.
    pub fn axes(&self, question: &Question, asset: AssetId, verb: NodeId) -> Axes {
        let clauses = question.clauses();
        let mentions = Mentions::of(self.model, &clauses, question.duties);
        Axes::build(
            self.model,
            &self.classes,
            &self.trees,
            &self.outsider,
            &mentions,
            asset,
            verb,
        )
    }

    /// Allows the questions from now on `units` of work in all (see
    /// [`LINT_BUDGET`]); past it each gives up ([`Search::GaveUp`]).
    pub fn start_budget(&self, units: u64) {
        self.work.store(0, Ordering::Relaxed);
        self.limit.store(units, Ordering::Relaxed);
    }

    /// The work done since `start_budget`.
    pub fn work(&self) -> u64 {
        self.work.load(Ordering::Relaxed)
    }

    /// Has the work allowed by `start_budget` run out?
    pub fn out_of_budget(&self) -> bool {
        self.work.load(Ordering::Relaxed) >= self.limit.load(Ordering::Relaxed)
    }

    /// Looks for an action the goal accepts. The goal sees the values of
    /// `base` then `others`, in order, on each partial action.
    pub fn witness(&self, question: &Question, goal: &mut Goal) -> Search {
        if self.out_of_budget() {
            return Search::GaveUp;
        }
        let plan = self.plan(question);
        let mut budget = QUESTION_BUDGET;
        let found = self.walk(question, &plan, goal, &mut budget);
        let work = (QUESTION_BUDGET - budget) + plan.clauses.len() + plan.mentions.named.len();
        self.work.fetch_add(work as u64, Ordering::Relaxed);
        found
    }

    fn walk(
        &self,
        question: &Question,
        plan: &Plan,
        goal: &mut Goal,
        budget: &mut usize,
    ) -> Search {
        let mut gave_up = false;
        let domain = self.actor_domain(question.base);
        for &(asset, verb) in &plan.pairs {
            let mut axes = Axes::build(
                self.model,
                &self.classes,
                &self.trees,
                &self.outsider,
                &plan.mentions,
                asset,
                verb,
            );
            if let Some(domain) = &domain {
                axes.actors.retain(|a| domain.binary_search(a).is_ok());
            }
            let mut searcher = search::Searcher::new(
                self.model,
                &plan.clauses,
                question.base.len(),
                &axes,
                goal,
                budget,
            );
            match searcher.run() {
                Search::Found(a) => return Search::Found(a),
                Search::GaveUp => gave_up = true,
                Search::Impossible => {}
            }
        }
        if gave_up {
            Search::GaveUp
        } else {
            Search::Impossible
        }
    }

    /// An action the clause applies to.
    pub fn satisfiable(&self, clause: ClauseId) -> Search {
        self.witness(&Question::about(&[clause], &[]), &mut |_, t| {
            settle(t[0] == Tri::True, t[0] == Tri::False)
        })
    }

    /// An action both clauses apply to.
    pub fn overlap(&self, a: ClauseId, b: ClauseId) -> Search {
        self.witness(&Question::about(&[a, b], &[]), &mut |_, t| {
            settle(t.iter().all(|x| *x == Tri::True), t.contains(&Tri::False))
        })
    }

    /// An action `inner` applies to and `outer` does not: `Impossible`
    /// means every action of `inner` is one of `outer`'s.
    pub fn escape(&self, inner: ClauseId, outer: ClauseId) -> Search {
        self.witness(&Question::about(&[inner], &[outer]), &mut |_, t| {
            settle(
                t[0] == Tri::True && t[1] == Tri::False,
                t[0] == Tri::False || t[1] == Tri::True,
            )
        })
    }

    /// The action in action syntax (see [`action_syntax`]).
    pub fn render(&self, action: &Action) -> String {
        action_syntax(self.model, action)
    }

    /// Every actor the base clauses' `by` lines can name, sorted, when
    /// one of those lines names only parties and groups; `None` when any
    /// actor may do.
    fn actor_domain(&self, base: &[ClauseId]) -> Option<Vec<PartyId>> {
        let mut domain: Option<Vec<PartyId>> = None;
        for &c in base {
            if let Some(named) = self.index.actors(c) {
                domain = Some(match domain {
                    None => named.to_vec(),
                    Some(d) => d
                        .into_iter()
                        .filter(|p| named.binary_search(p).is_ok())
                        .collect(),
                });
            }
        }
        domain
    }

    /// What a question involves: its clauses, what they mention, and the
    /// (asset, verb) pairs to look at.
    fn plan(&self, question: &Question) -> Plan {
        let clauses = question.clauses();
        let mentions = Mentions::of(self.model, &clauses, question.duties);
        let assets = self.asset_representatives(question, &clauses, mentions.owner_relative);
        let verbs = self.verb_representatives(question.base, &clauses);
        let pairs = assets
            .iter()
            .flat_map(|&a| verbs.iter().map(move |&v| (a, v)))
            .collect();
        Plan {
            clauses,
            mentions,
            pairs,
        }
    }

    fn asset_representatives(
        &self,
        question: &Question,
        all: &[ClauseId],
        owner_relative: bool,
    ) -> Vec<AssetId> {
        let Some((first, rest)) = question.base.split_first() else {
            return Vec::new();
        };
        let Some(bits) = self.index.asset_bits(*first) else {
            return Vec::new();
        };
        let mut seen: HashMap<(Vec<bool>, Vec<PartyId>), ()> = HashMap::new();
        let mut out = Vec::new();
        for a in bits.iter() {
            let asset = AssetId(a as u32);
            if question.asset.is_some_and(|only| only != asset)
                || !rest.iter().all(|&c| self.index.selects(c, asset))
            {
                continue;
            }
            let selected: Vec<bool> = all.iter().map(|&c| self.index.selects(c, asset)).collect();
            let owners: Vec<PartyId> = if owner_relative {
                self.model
                    .assets
                    .get(a)
                    .map(|x| x.owners.iter().map(|(p, _)| *p).collect())
                    .unwrap_or_default()
            } else {
                Vec::new()
            };
            if seen.insert((selected, owners), ()).is_none() {
                out.push(asset);
            }
        }
        out
    }

    /// Within a class, a verb the first base clause names reads best, then
    /// one another base clause names, then a leaf.
    fn verb_representatives(&self, base: &[ClauseId], all: &[ClauseId]) -> Vec<NodeId> {
        let names = |c: Option<&ClauseId>| -> Vec<NodeId> {
            c.and_then(|c| self.model.clauses.get(c.index()))
                .and_then(|c| c.verbs.clone())
                .unwrap_or_default()
        };
        let first = names(base.first());
        let others: Vec<NodeId> = base.iter().skip(1).flat_map(|c| names(Some(c))).collect();
        let rank = |v: NodeId| {
            if first.contains(&v) {
                0
            } else if others.contains(&v) {
                1
            } else if self
                .model
                .verbs
                .nodes
                .get(v.index())
                .is_some_and(|n| n.enter == n.exit)
            {
                2
            } else {
                3
            }
        };
        let mut best: HashMap<(Vec<bool>, bool), NodeId> = HashMap::new();
        let mut order: Vec<(Vec<bool>, bool)> = Vec::new();
        for v in 0..self.model.verbs.nodes.len() {
            let verb = NodeId(v as u32);
            if !base.iter().all(|&c| self.index.verb_concerned(c, verb)) {
                continue;
            }
            let key = (
                all.iter()
                    .map(|&c| self.index.verb_concerned(c, verb))
                    .collect(),
                axes::needs_counterparty(self.model, verb),
            );
            match best.get_mut(&key) {
                Some(current) => {
                    if rank(verb) < rank(*current) {
                        *current = verb;
                    }
                }
                None => {
                    order.push(key.clone());
                    best.insert(key, verb);
                }
            }
        }
        order.iter().filter_map(|k| best.get(k).copied()).collect()
    }
}

struct Plan {
    clauses: Vec<ClauseId>,
    mentions: Mentions,
    pairs: Vec<(AssetId, NodeId)>,
}

/// A verdict from two conditions: found when the first holds, pruned when
/// the second does, undecided otherwise.
pub fn settle(found: bool, pruned: bool) -> Verdict {
    if found {
        Verdict::Found
    } else if pruned {
        Verdict::Prune
    } else {
        Verdict::Continue
    }
}

#[cfg(test)]
mod tests;
