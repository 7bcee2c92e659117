//! The dimensions of an action and, for a question about a few clauses,
//! one representative value per region of each dimension: two values in
//! the same region make every line of those clauses come out the same.
//!
//! Regions are found from what the clauses mention (the parties they
//! name, the tree nodes, dates, percentages and facts they test), never
//! by listing a dimension's whole domain.

use std::collections::HashMap;

use jiff::civil::Date;

use super::choices::distinct_by_signature;
use crate::names::{
    Action, Anchor, AssetId, ClauseId, ClauseInfo, Cond, Duty, EventId, FactId, GroupInfo,
    Hierarchy, Model, NameRef, NodeId, PartyId, PartyRef, PartyRole, PartySelector, PartySet,
    TimeExpr, Window,
};
use crate::syntax::ast::Duration;
use crate::terms::Cmp;

/// Representative values of each dimension for one (asset, verb) pair.
/// A dimension that is `None` (or empty, for facts) is not tested by the
/// clauses asked about and stays unknown in the points built from it.
#[derive(Debug, Clone)]
pub struct Axes {
    pub asset: AssetId,
    pub verb: NodeId,
    /// Every party named by a selector, then one party per class of the
    /// others (signatories, third parties, affiliates of each parent).
    pub actors: Vec<PartyId>,
    /// Like `actors`, two per class (so that one differs from the actor),
    /// plus one undeclared outsider.
    pub counterparties: Option<Vec<PartyRef>>,
    pub fields: Option<Vec<NodeId>>,
    pub territories: Option<Vec<NodeId>>,
    /// One date per interval between the window bounds; the agreement's
    /// effective date when no window is tested.
    pub dates: Vec<Date>,
    pub untils: Option<Vec<Date>>,
    pub exclusive: bool,
    pub sublicensable: bool,
    /// In hundredths of a percent.
    pub royalties: Option<Vec<u32>>,
    /// The sets whose consents, objections or notices are tested; the
    /// facts are enumerated per party once the actor is known.
    pub consents: Vec<PartySet>,
    pub objections: Vec<PartySet>,
    pub notices: Vec<(PartySet, Cmp, Duration)>,
    /// Qualifiers of the objections tested: `within D after notice`,
    /// `within D before`.
    pub objection_qualifiers: Vec<(Option<Duration>, Option<Duration>)>,
    /// Facts tested: each is true or false.
    pub facts: Vec<FactId>,
    /// Events tested, with the points in time they are compared to.
    pub events: Vec<(EventId, Vec<EventTest>)>,
    /// The sets the clauses' duties name (questions about duties): a
    /// duty reads the consents and notices of their members.
    pub duty_sets: Vec<PartySet>,
}

/// A comparison an event's day takes part in: `event + offsets CMP other`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventTest {
    pub own: Vec<(bool, Duration)>,
    pub other: TimeExpr,
}

/// What a set of clauses mentions, dimension by dimension.
#[derive(Debug, Default, Clone)]
pub(crate) struct Mentions {
    pub named: Vec<PartyId>,
    /// The party and group selectors written (actors in the same
    /// [`PartyClasses`] class are told apart only by these and by owning
    /// the asset).
    pub named_selectors: Vec<PartySelector>,
    /// `owners` or `co_owners` appear: the asset's owners matter.
    pub owner_relative: bool,
    /// A fact or duty set can hold an outsider: the counterparty matters.
    pub outsider_sets: bool,
    pub to: bool,
    pub fields: Vec<NodeId>,
    pub territories: Vec<NodeId>,
    pub windows: Vec<Window>,
    pub exclusive: bool,
    pub sublicensable: bool,
    pub royalties: Vec<u32>,
    pub untils: Vec<(Cmp, Date)>,
    pub consents: Vec<PartySet>,
    pub objections: Vec<PartySet>,
    pub notices: Vec<(PartySet, Cmp, Duration)>,
    pub objection_qualifiers: Vec<(Option<Duration>, Option<Duration>)>,
    pub facts: Vec<FactId>,
    pub events: Vec<(EventId, Vec<EventTest>)>,
    /// Membership changes on these days (`parties`, `third_parties`, …
    /// depend on the date).
    pub lifecycle: bool,
    /// Days a clause version starts or ends (amendments).
    pub versions: Vec<Date>,
    /// The sets duties name, when asked with `duties`.
    pub duty_sets: Vec<PartySet>,
}

impl Mentions {
    /// What the scope lines and conditions of `clauses` mention; with
    /// `duties`, the parties their duties name too.
    pub fn of(model: &Model, clauses: &[ClauseId], duties: bool) -> Mentions {
        let mut m = Mentions::default();
        for &id in clauses {
            let Some(clause) = model.clauses.get(id.index()) else {
                continue;
            };
            m.clause(clause, duties);
        }
        m.named.sort_unstable();
        m.named.dedup();
        m.facts.sort_unstable();
        m.facts.dedup();
        m
    }

    /// The parties named, with every member of the groups named (the
    /// diff, which keys parties by name, tells them apart this way).
    pub fn named_with_group_members(&self, model: &Model) -> Vec<PartyId> {
        let mut out = self.named.clone();
        for s in &self.named_selectors {
            if let PartySelector::Group(g) = s
                && let Some(group) = model.groups.get(g.index())
            {
                out.extend(group.members());
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// An event compared with another point in time.
    fn time_cmp(&mut self, left: &TimeExpr, right: &TimeExpr) {
        for (a, b) in [(left, right), (right, left)] {
            if let Anchor::Event(e) = a.anchor {
                let test = EventTest {
                    own: a.offsets.clone(),
                    other: b.clone(),
                };
                match self.events.iter_mut().find(|(id, _)| *id == e) {
                    Some((_, tests)) => tests.push(test),
                    None => self.events.push((e, vec![test])),
                }
            }
        }
        // `created` and fixed dates against the action's date cut the
        // timeline like a window.
        for (a, b) in [(left, right), (right, left)] {
            if matches!(a.anchor, Anchor::ActionDate)
                && let Anchor::Date(d) = b.anchor
            {
                self.windows.push(Window {
                    from: Some(d),
                    until: Some(d),
                });
            }
        }
    }

    fn clause(&mut self, clause: &ClauseInfo, duties: bool) {
        for line in &clause.by {
            self.parties(&line.value, false);
        }
        for line in &clause.to {
            self.to = true;
            self.parties(&line.value, false);
        }
        for line in &clause.field {
            self.fields.extend(line.value.iter().copied());
        }
        for line in &clause.territory {
            self.territories.extend(line.value.iter().copied());
        }
        self.windows.extend(clause.windows.iter().map(|w| w.value));
        for line in clause.conditions.iter().chain(&clause.moving_windows) {
            self.cond(&line.value);
        }
        self.versions.extend(clause.in_force.from);
        self.versions.extend(clause.in_force.ends);
        if duties {
            for duty in &clause.duties {
                match &duty.value {
                    Duty::Notify(set, _)
                    | Duty::ObtainConsent(set)
                    | Duty::Pay(_, set)
                    | Duty::Share(set)
                    | Duty::Compensate(set) => {
                        self.parties(set, true);
                        self.duty_sets.push(set.clone());
                    }
                    Duty::Text(_) => {}
                }
            }
        }
    }

    fn cond(&mut self, cond: &Cond) {
        match cond {
            Cond::And(parts) | Cond::Or(parts) => {
                for p in parts {
                    self.cond(p);
                }
            }
            Cond::Not(inner) => self.cond(inner),
            Cond::Bool(_) => {}
            Cond::Exclusive => self.exclusive = true,
            Cond::Sublicensable => self.sublicensable = true,
            Cond::Royalty(_, pct) => self.royalties.push(*pct),
            Cond::Until(cmp, date) => self.untils.push((*cmp, *date)),
            Cond::FieldIn(n) => self.fields.push(*n),
            Cond::TerritoryIn(n) => self.territories.push(*n),
            Cond::ToIn(set) => {
                self.to = true;
                self.parties(set, false);
            }
            Cond::ConsentOf { parties, .. } => {
                self.parties(parties, true);
                self.consents.push(parties.clone());
            }
            Cond::ObjectionOf {
                parties,
                after_notice,
                before,
            } => {
                self.parties(parties, true);
                self.objections.push(parties.clone());
                if after_notice.is_some() || before.is_some() {
                    self.objection_qualifiers.push((*after_notice, *before));
                }
                if after_notice.is_some() {
                    // The notice day matters to the qualifier.
                    self.notices.push((
                        parties.clone(),
                        Cmp::Ge,
                        Duration {
                            count: 0,
                            unit: crate::syntax::ast::DurationUnit::Days,
                            span: crate::span::Span::default(),
                        },
                    ));
                }
            }
            Cond::NoticeTo(set, cmp, d) => {
                self.parties(set, true);
                self.notices.push((set.clone(), *cmp, *d));
            }
            Cond::Fact(f) => self.facts.push(*f),
            Cond::TimeCmp(l, _, r) => self.time_cmp(l, r),
        }
    }

    /// `fact`: the set is one of facts or duties, whose members include
    /// the outsiders an action names.
    fn parties(&mut self, set: &PartySet, fact: bool) {
        for s in set.include.iter().chain(&set.except) {
            self.selector(s, fact);
        }
    }

    fn selector(&mut self, s: &PartySelector, fact: bool) {
        match s {
            PartySelector::Party(p) => {
                self.named.push(*p);
                if !self.named_selectors.contains(s) {
                    self.named_selectors.push(s.clone());
                }
            }
            PartySelector::Group(_) => {
                // Its members are told apart by [`GroupRegions`], never
                // listed here: nested groups would make that quadratic.
                if !self.named_selectors.contains(s) {
                    self.named_selectors.push(s.clone());
                }
            }
            PartySelector::Owners | PartySelector::CoOwners => self.owner_relative = true,
            PartySelector::Anyone => {
                if fact {
                    self.outsider_sets = true;
                }
            }
            PartySelector::ThirdParties => {
                self.lifecycle = true;
                if fact {
                    self.outsider_sets = true;
                }
            }
            PartySelector::Signatories
            | PartySelector::FormerParties
            | PartySelector::DefaultingParties => self.lifecycle = true,
            PartySelector::AffiliatesOf(inner) => {
                self.lifecycle = true;
                self.selector(inner, fact)
            }
        }
    }
}

/// Parties that no selector can tell apart: same role, same parent.
#[derive(Debug, Default)]
pub(crate) struct PartyClasses {
    classes: Vec<Vec<PartyId>>,
    /// Each party's class.
    of: Vec<usize>,
    /// How many classes each group has members of; `None` when the
    /// table that counts them (a bit per group and class) would be large,
    /// and a group's members are then scanned to the end.
    group_classes: Option<Vec<usize>>,
}

/// The largest class-by-group table [`PartyClasses`] builds, in words.
const GROUP_CLASS_WORDS: usize = 1 << 22;

impl PartyClasses {
    pub fn of(model: &Model) -> PartyClasses {
        // Parties also differ by when they are members or affiliates.
        type Key = (u8, u32, [Option<Date>; 4], bool);
        let mut key_of: HashMap<Key, usize> = HashMap::new();
        let mut classes: Vec<Vec<PartyId>> = Vec::new();
        let mut of: Vec<usize> = Vec::with_capacity(model.parties.len());
        for (i, party) in model.parties.iter().enumerate() {
            let (role, parent) = match party.role {
                PartyRole::Signatory => (0, 0),
                PartyRole::ThirdParty => (1, 0),
                PartyRole::Affiliate(parent) => (2, parent.0),
            };
            let days = [
                party.joined,
                party.left,
                party.affiliation.from,
                party.affiliation.until,
            ];
            let key = (role, parent, days, party.defaulting);
            let class = *key_of.entry(key).or_insert_with(|| {
                classes.push(Vec::new());
                classes.len() - 1
            });
            classes[class].push(PartyId(i as u32));
            of.push(class);
        }
        let group_classes = group_class_counts(model, &of, classes.len());
        PartyClasses {
            classes,
            of,
            group_classes,
        }
    }

    /// One actor per set of actors alike: same class, same share of the
    /// asset (when owners are tested), a member of the same party and group selectors. The
    /// first of each, in order; two actors alike make every clause line
    /// come out the same, so the first one answers for the others. (With
    /// more than 128 selectors, every actor stays.)
    pub fn distinct_actors(
        &self,
        model: &Model,
        mentions: &Mentions,
        asset: AssetId,
        actors: Vec<PartyId>,
    ) -> Vec<PartyId> {
        let selectors = &mentions.named_selectors;
        if selectors.len() > 128 {
            return actors;
        }
        let owners = model.assets.get(asset.index());
        let mut seen: fnv::FnvHashSet<(usize, Option<u32>, u128)> = fnv::FnvHashSet::default();
        actors
            .into_iter()
            .filter(|&p| {
                let mut bits = 0u128;
                for (i, s) in selectors.iter().enumerate() {
                    let member = match s {
                        PartySelector::Party(q) => *q == p,
                        PartySelector::Group(g) => {
                            model.groups.get(g.index()).is_some_and(|g| g.has(p))
                        }
                        _ => false,
                    };
                    if member {
                        bits |= 1 << i;
                    }
                }
                // Owners differ by their share too (payments follow it).
                let owner = owners
                    .filter(|_| mentions.owner_relative)
                    .and_then(|a| a.share_of(&PartyRef::Known(p)));
                let class = self.of.get(p.index()).copied().unwrap_or(usize::MAX);
                seen.insert((class, owner, bits))
            })
            .collect()
    }

    /// The named parties, then up to `per_class` others of each class
    /// that are neither named nor in `grouped` (the members of the groups
    /// named, which [`GroupRegions`] represents).
    pub fn representatives(
        &self,
        named: &[PartyId],
        grouped: &[u64],
        per_class: usize,
    ) -> Vec<PartyId> {
        let mut out: Vec<PartyId> = named.to_vec();
        for class in &self.classes {
            let (mut i, mut taken) = (0, 0);
            while let Some(&p) = class.get(i) {
                if taken == per_class {
                    break;
                }
                let w = p.index() / 64;
                let word = grouped.get(w).copied().unwrap_or(0);
                if word == u64::MAX {
                    // Runs of 64 grouped parties: skip past them at once.
                    let free = grouped[w..]
                        .iter()
                        .position(|&g| g != u64::MAX)
                        .map_or(usize::MAX, |k| (w + k) * 64);
                    i += class[i..].partition_point(|q| q.index() < free);
                    continue;
                }
                i += 1;
                if word & (1u64 << (p.index() % 64)) == 0 && named.binary_search(&p).is_err() {
                    out.push(p);
                    taken += 1;
                }
            }
        }
        out
    }

    /// Up to `per_class` members of `group` of each class it has members
    /// of, lowest ids first, none of them `named`.
    fn members_per_class(
        &self,
        group: &GroupInfo,
        id: usize,
        named: &[PartyId],
        per_class: usize,
        out: &mut Vec<PartyId>,
    ) {
        let present = self
            .group_classes
            .as_ref()
            .and_then(|counts| counts.get(id).copied())
            .unwrap_or(usize::MAX);
        let mut taken: fnv::FnvHashMap<usize, usize> = fnv::FnvHashMap::default();
        let mut full = 0;
        for p in group.members() {
            if full == present {
                break;
            }
            if named.binary_search(&p).is_ok() {
                continue;
            }
            let class = self.of.get(p.index()).copied().unwrap_or(usize::MAX);
            let count = taken.entry(class).or_insert(0);
            if *count < per_class {
                out.push(p);
                *count += 1;
                if *count == per_class {
                    full += 1;
                }
            }
        }
    }
}

/// How many classes each group has members of, computed inner groups
/// first (a group's classes are the union of its members'); `None` past
/// [`GROUP_CLASS_WORDS`].
fn group_class_counts(model: &Model, of: &[usize], classes: usize) -> Option<Vec<usize>> {
    let words = classes.div_ceil(64);
    if words.saturating_mul(model.groups.len()) > GROUP_CLASS_WORDS {
        return None;
    }
    let mut order: Vec<usize> = (0..model.groups.len())
        .filter(|&g| model.groups[g].rank != u32::MAX)
        .collect();
    order.sort_by_key(|&g| model.groups[g].rank);
    let mut bits = vec![vec![0u64; words]; model.groups.len()];
    for g in order {
        let mut mine = vec![0u64; words];
        for m in &model.groups[g].direct {
            match m {
                NameRef::Party(p) => {
                    if let Some(&class) = of.get(p.index())
                        && let Some(w) = mine.get_mut(class / 64)
                    {
                        *w |= 1u64 << (class % 64);
                    }
                }
                NameRef::Group(inner) => {
                    for (w, b) in mine.iter_mut().zip(&bits[inner.index()]) {
                        *w |= b;
                    }
                }
            }
        }
        bits[g] = mine;
    }
    Some(
        bits.iter()
            .map(|b| b.iter().map(|w| w.count_ones() as usize).sum())
            .collect(),
    )
}

/// The members of the groups a question names, told apart by which of
/// those groups hold them: walked from the outermost group in, a group
/// that every named group holds needs only a few members per class
/// (they are all alike), and nothing nested in it is visited. The cost
/// follows the groups between the named ones, never their sizes.
pub(crate) struct GroupRegions {
    /// Candidates: a few per class of each region, sorted.
    pub members: Vec<PartyId>,
    /// Every member of a named group.
    pub grouped: Vec<u64>,
}

impl GroupRegions {
    pub fn of(
        model: &Model,
        classes: &PartyClasses,
        selectors: &[PartySelector],
        named: &[PartyId],
        per_class: usize,
    ) -> GroupRegions {
        let mut grouped = vec![0u64; model.parties.len().div_ceil(64)];
        let mut members = Vec::new();
        let mut signature: fnv::FnvHashMap<usize, u128> = fnv::FnvHashMap::default();
        let mut all = 0u128;
        for (i, s) in selectors.iter().enumerate() {
            let PartySelector::Group(g) = s else { continue };
            let Some(group) = model.groups.get(g.index()) else {
                continue;
            };
            for (w, b) in grouped.iter_mut().zip(&group.member_bits) {
                *w |= b;
            }
            if selectors.len() > 128 {
                // Too many to tell apart by bits: every member stays.
                members.extend(group.members());
                continue;
            }
            all |= 1 << i;
            *signature.entry(g.index()).or_insert(0) |= 1 << i;
        }
        // Outermost first: a group is visited after every group that
        // holds it, so its signature is complete when it is popped.
        let mut queue: std::collections::BinaryHeap<(u32, usize)> = signature
            .keys()
            .map(|&g| (model.groups[g].rank, g))
            .collect();
        let mut done: fnv::FnvHashSet<usize> = fnv::FnvHashSet::default();
        while let Some((_, g)) = queue.pop() {
            if !done.insert(g) {
                continue;
            }
            let group = &model.groups[g];
            let sig = signature.get(&g).copied().unwrap_or(0);
            if sig == all {
                // Held by every named group: its members are alike.
                classes.members_per_class(group, g, named, per_class, &mut members);
                continue;
            }
            for m in &group.direct {
                match *m {
                    NameRef::Party(p) => members.push(p),
                    NameRef::Group(inner) => {
                        let entry = signature.entry(inner.index()).or_insert(0);
                        *entry |= sig;
                        if !done.contains(&inner.index()) {
                            queue.push((model.groups[inner.index()].rank, inner.index()));
                        }
                    }
                }
            }
        }
        members.sort_unstable();
        members.dedup();
        GroupRegions { members, grouped }
    }
}

impl Axes {
    pub(crate) fn build(
        model: &Model,
        classes: &PartyClasses,
        trees: &Trees,
        outsider: &str,
        mentions: &Mentions,
        asset: AssetId,
        verb: NodeId,
    ) -> Axes {
        let mut named = mentions.named.clone();
        if mentions.owner_relative
            && let Some(info) = model.assets.get(asset.index())
        {
            named.extend(info.owners.iter().map(|(p, _)| *p));
            named.sort_unstable();
            named.dedup();
        }
        let needs_to = needs_counterparty(model, verb);
        // Named parties and the regions of the named groups, then a few
        // parties of each class outside both.
        // Named parties and two of each region of the named groups (two,
        // so that a counterparty can differ from the actor; the actors
        // keep the first of each), then parties of each class outside both.
        let regions = GroupRegions::of(model, classes, &mentions.named_selectors, &named, 2);
        named.extend(regions.members);
        named.sort_unstable();
        named.dedup();
        let counterparties = (mentions.to || mentions.outsider_sets || needs_to).then(|| {
            classes
                .representatives(&named, &regions.grouped, 2)
                .into_iter()
                .map(PartyRef::Known)
                .chain([PartyRef::Outsider(outsider.to_string())])
                .collect()
        });
        let actors = classes.representatives(&named, &regions.grouped, 1);
        Axes {
            asset,
            verb,
            actors: classes.distinct_actors(model, mentions, asset, actors),
            counterparties,
            fields: node_representatives(&model.fields, &trees.fields, &mentions.fields),
            territories: node_representatives(
                &model.territories,
                &trees.territories,
                &mentions.territories,
            ),
            dates: date_representatives(model, mentions),
            untils: (!mentions.untils.is_empty()).then(|| until_representatives(&mentions.untils)),
            exclusive: mentions.exclusive,
            sublicensable: mentions.sublicensable,
            royalties: (!mentions.royalties.is_empty())
                .then(|| royalty_representatives(&mentions.royalties)),
            consents: mentions.consents.clone(),
            objections: mentions.objections.clone(),
            notices: mentions.notices.clone(),
            objection_qualifiers: mentions.objection_qualifiers.clone(),
            facts: mentions.facts.clone(),
            events: mentions.events.clone(),
            duty_sets: mentions.duty_sets.clone(),
        }
    }

    /// The action of `actor` at this pair and the first representative
    /// date, every other attribute unknown.
    pub fn blank(&self, actor: PartyId) -> Action {
        let date = self
            .dates
            .first()
            .copied()
            .unwrap_or(jiff::civil::date(2026, 1, 1));
        Action::new(actor, self.verb, self.asset, date)
    }

    /// Does the verb need a counterparty (`to`) in an action?
    pub fn needs_counterparty(&self, model: &Model) -> bool {
        needs_counterparty(model, self.verb)
    }
}

/// `license`, `sublicense` and `assign` name who receives.
pub(crate) fn needs_counterparty(model: &Model, verb: NodeId) -> bool {
    matches!(model.verbs.name(verb), "license" | "sublicense" | "assign")
}

/// The children of every node of the field and territory trees, and
/// their roots, in declaration order (built once per policy).
#[derive(Debug, Default)]
pub(crate) struct Trees {
    fields: Children,
    territories: Children,
}

#[derive(Debug, Default)]
struct Children {
    roots: Vec<NodeId>,
    of: Vec<Vec<NodeId>>,
}

impl Children {
    fn of(tree: &Hierarchy) -> Children {
        let mut out = Children {
            roots: Vec::new(),
            of: vec![Vec::new(); tree.nodes.len()],
        };
        for (i, node) in tree.nodes.iter().enumerate() {
            let id = NodeId(i as u32);
            match node.parent.and_then(|p| out.of.get_mut(p.index())) {
                Some(list) => list.push(id),
                None => out.roots.push(id),
            }
        }
        out
    }

    fn children(&self, node: Option<NodeId>) -> &[NodeId] {
        match node {
            None => &self.roots,
            Some(n) => self.of.get(n.index()).map_or(&[], Vec::as_slice),
        }
    }
}

impl Trees {
    pub fn of(model: &Model) -> Trees {
        Trees {
            fields: Children::of(&model.fields),
            territories: Children::of(&model.territories),
        }
    }
}

/// One node per class of nodes that relate alike (inside, above or apart)
/// to every mentioned node; a mentioned node represents its class when it
/// can, then a leaf. `None` when nothing is mentioned.
///
/// Found from the mentioned nodes and their ancestors, never by visiting
/// the whole tree: a node that is neither is alike every node below the
/// same deepest mentioned ancestor (or below none), and such a class is
/// represented by its first leaf in declaration order.
fn node_representatives(
    tree: &Hierarchy,
    children: &Children,
    mentioned: &[NodeId],
) -> Option<Vec<NodeId>> {
    if mentioned.is_empty() || tree.nodes.is_empty() {
        return None;
    }
    let mut mentioned = mentioned.to_vec();
    mentioned.sort_unstable();
    mentioned.dedup();
    mentioned.retain(|m| m.index() < tree.nodes.len());
    let is_leaf = |n: NodeId| tree.nodes.get(n.index()).is_some_and(|x| x.enter == x.exit);
    let is_mentioned = |n: NodeId| mentioned.binary_search(&n).is_ok();
    let rank = |n: NodeId| {
        if is_mentioned(n) {
            0
        } else if is_leaf(n) {
            1
        } else {
            2
        }
    };
    // The mentioned nodes and their ancestors.
    let mut above: Vec<NodeId> = Vec::new();
    for &m in &mentioned {
        let mut at = Some(m);
        while let Some(n) = at {
            above.push(n);
            at = tree.nodes.get(n.index()).and_then(|x| x.parent);
        }
    }
    above.sort_unstable();
    above.dedup();
    let is_above = |n: NodeId| above.binary_search(&n).is_ok();
    let signature = |node: NodeId| -> Vec<(bool, bool)> {
        mentioned
            .iter()
            .map(|&m| (tree.covers(m, node), tree.covers(node, m)))
            .collect()
    };
    let mut best: HashMap<Vec<(bool, bool)>, NodeId> = HashMap::new();
    let mut consider = |node: NodeId| {
        let s = signature(node);
        match best.get_mut(&s) {
            Some(current) => {
                if (rank(node), node) < (rank(*current), *current) {
                    *current = node;
                }
            }
            None => {
                best.insert(s, node);
            }
        }
    };
    for &n in &above {
        consider(n);
    }
    // The other classes: below each mentioned node (or below none), past
    // the nodes above a deeper mentioned one; the first leaf of the first
    // node off those paths represents it.
    let first_off_path = |from: Option<NodeId>| -> Option<NodeId> {
        // Pre-order, lazily: a node's children are read only up to the
        // first one off the paths.
        let mut stack: Vec<std::slice::Iter<NodeId>> = vec![children.children(from).iter()];
        while let Some(top) = stack.last_mut() {
            let Some(&n) = top.next() else {
                stack.pop();
                continue;
            };
            if !is_above(n) {
                let mut leaf = n;
                while let Some(&first) = children.children(Some(leaf)).first() {
                    leaf = first;
                }
                return Some(leaf);
            }
            if !is_mentioned(n) {
                stack.push(children.children(Some(n)).iter());
            }
        }
        None
    };
    for from in std::iter::once(None).chain(mentioned.iter().copied().map(Some)) {
        if let Some(leaf) = first_off_path(from) {
            consider(leaf);
        }
    }
    let mut reps: Vec<NodeId> = best.into_values().collect();
    reps.sort_by_key(|n| (rank(*n), n.index()));
    Some(reps)
}

/// The days where something the clauses test changes: each window's
/// `from` and the day after its `until`, each version's first day and,
/// when `lifecycle`, each party's joining, leaving and affiliation dates
/// (unsorted; the diff gathers them over two policies).
pub(crate) fn date_cuts(
    model: &Model,
    mentions: &Mentions,
    windows: &[Window],
    lifecycle: bool,
    cuts: &mut Vec<Date>,
) {
    for w in windows {
        cuts.extend(w.from);
        cuts.extend(w.until.and_then(|u| u.tomorrow().ok()));
    }
    // Versions start on their day and end the day before `ends`.
    cuts.extend(mentions.versions.iter().copied());
    if lifecycle {
        for p in &model.parties {
            cuts.extend(p.joined);
            cuts.extend(p.left);
            cuts.extend(p.affiliation.from);
            cuts.extend(p.affiliation.until.and_then(|u| u.tomorrow().ok()));
        }
    }
}

/// Every window bound cuts the timeline: `from` starts a region, the day
/// after `until` starts the next. One date per region, those within the
/// agreement's term first.
fn date_representatives(model: &Model, mentions: &Mentions) -> Vec<Date> {
    let term = model.agreement.as_ref();
    let effective = term.and_then(|a| a.effective);
    let expires = term.and_then(|a| a.expires);
    let mut cuts: Vec<Date> = Vec::new();
    date_cuts(
        model,
        mentions,
        &mentions.windows,
        mentions.lifecycle,
        &mut cuts,
    );
    cuts.sort_unstable();
    cuts.dedup();
    let Some(&first) = cuts.first() else {
        return vec![effective.unwrap_or(jiff::civil::date(2026, 1, 1))];
    };
    let mut reps: Vec<Date> = first.yesterday().ok().into_iter().collect();
    reps.extend(cuts);
    let within = |d: &Date| effective.is_none_or(|e| e <= *d) && expires.is_none_or(|x| *d <= x);
    reps.sort_by_key(|d| !within(d));
    reps
}

fn until_representatives(tests: &[(Cmp, Date)]) -> Vec<Date> {
    let mut candidates: Vec<Date> = Vec::new();
    for (_, d) in tests {
        candidates.extend(d.yesterday().ok());
        candidates.push(*d);
        candidates.extend(d.tomorrow().ok());
    }
    distinct_by_signature(candidates, |v| {
        tests.iter().map(|(cmp, d)| cmp.holds(*v, *d)).collect()
    })
}

/// Royalties are tested by comparisons only, so each threshold, one below
/// and one above stand for every region.
fn royalty_representatives(thresholds: &[u32]) -> Vec<u32> {
    let mut candidates: Vec<u32> = Vec::new();
    for &t in thresholds {
        candidates.extend(t.checked_sub(1));
        candidates.push(t);
        if t < 10_000 {
            candidates.push(t + 1);
        }
    }
    distinct_by_signature(candidates, |v| {
        thresholds.iter().flat_map(|&t| [*v < t, *v == t]).collect()
    })
}
