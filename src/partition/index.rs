//! Which assets and action verbs each clause can concern, as bit sets, and
//! the clauses that share an (asset, verb) pair with a given one, found
//! through an inverted index rather than by comparing every pair.

use crate::names::{
    AssetId, AssetSelector, ClauseId, ClauseInfo, Hierarchy, Model, NodeId, PartyId, PartySelector,
};
use crate::terms::ClauseKind;

/// A fixed-size set of small integers.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Bits(Vec<u64>);

impl Bits {
    pub fn new(len: usize) -> Bits {
        Bits(vec![0; len.div_ceil(64)])
    }

    pub fn full(len: usize) -> Bits {
        let mut bits = Bits::new(len);
        for i in 0..len {
            bits.insert(i);
        }
        bits
    }

    pub fn insert(&mut self, i: usize) {
        if let Some(word) = self.0.get_mut(i / 64) {
            *word |= 1 << (i % 64);
        }
    }

    pub fn contains(&self, i: usize) -> bool {
        self.0.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    /// Is every member of `self` one of `other`'s?
    pub fn is_subset(&self, other: &Bits) -> bool {
        self.0.iter().zip(&other.0).all(|(a, b)| a & !b == 0)
    }

    pub fn intersects(&self, other: &Bits) -> bool {
        self.0.iter().zip(&other.0).any(|(a, b)| a & b != 0)
    }

    /// The members, in increasing order.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().enumerate().flat_map(|(w, &word)| {
            (0..64)
                .filter(move |b| word & (1 << b) != 0)
                .map(move |b| w * 64 + b)
        })
    }
}

/// Per clause: the assets and the action verbs it can concern.
#[derive(Debug)]
pub struct ClauseIndex {
    assets: Vec<Bits>,
    verbs: Vec<Bits>,
    /// Clauses whose selectors name assets or tags, under each such asset.
    by_asset: Vec<Vec<ClauseId>>,
    /// Every other clause: any asset, or class and type filters.
    general: Vec<ClauseId>,
    is_general: Vec<bool>,
    /// Per clause: every actor its `by` lines can name, sorted, when one
    /// of them names only parties and groups.
    actors: Vec<Option<Vec<PartyId>>>,
    /// Clauses with such an actor list, under each party on it.
    by_actor: Vec<Vec<ClauseId>>,
    /// Clauses any actor may meet.
    any_actor: Vec<ClauseId>,
    /// Per clause: is it a permit, and the nodes of its first field and
    /// territory lines.
    permit: Vec<bool>,
    fields: Vec<Option<Vec<NodeId>>>,
    territories: Vec<Option<Vec<NodeId>>>,
    /// Clauses with a field line, under the pre-order number of each node
    /// of their first one, sorted; and the clauses without one.
    by_field: Vec<(u32, ClauseId)>,
    no_field: Vec<ClauseId>,
    /// Per clause, its class of clauses alike in everything `related`
    /// reads; and that answer per class, computed once.
    signature: Vec<usize>,
    related_of: Vec<std::sync::OnceLock<Related>>,
    kinds: Vec<ClauseKind>,
}

/// The answer of `related` for one class of alike clauses: every clause,
/// and those of each kind (lints mostly read one kind).
#[derive(Debug, Default)]
struct Related {
    all: Vec<ClauseId>,
    permits: Vec<ClauseId>,
    forbids: Vec<ClauseId>,
    obliges: Vec<ClauseId>,
}

/// What `related` reads of a clause.
type Signature = (
    Vec<u64>,
    Vec<u64>,
    Option<Vec<PartyId>>,
    bool,
    Option<Vec<NodeId>>,
    Option<Vec<NodeId>>,
);

impl ClauseIndex {
    pub fn new(model: &Model) -> ClauseIndex {
        let asset_count = model.assets.len();
        let mut index = ClauseIndex {
            assets: Vec::with_capacity(model.clauses.len()),
            verbs: Vec::with_capacity(model.clauses.len()),
            by_asset: vec![Vec::new(); asset_count],
            general: Vec::new(),
            is_general: Vec::with_capacity(model.clauses.len()),
            actors: Vec::with_capacity(model.clauses.len()),
            by_actor: vec![Vec::new(); model.parties.len()],
            any_actor: Vec::new(),
            permit: Vec::with_capacity(model.clauses.len()),
            fields: Vec::with_capacity(model.clauses.len()),
            territories: Vec::with_capacity(model.clauses.len()),
            by_field: Vec::new(),
            no_field: Vec::new(),
            signature: Vec::with_capacity(model.clauses.len()),
            related_of: Vec::new(),
            kinds: model.clauses.iter().map(|c| c.kind).collect(),
        };
        for (i, clause) in model.clauses.iter().enumerate() {
            let id = ClauseId(i as u32);
            let assets = asset_bits(model, clause);
            if is_specific(clause) {
                for a in assets.iter() {
                    if let Some(list) = index.by_asset.get_mut(a) {
                        list.push(id);
                    }
                }
            } else {
                index.general.push(id);
            }
            index.is_general.push(!is_specific(clause));
            index.assets.push(assets);
            index.verbs.push(verb_bits(model, clause));
            let actors = actor_domain(model, clause);
            match &actors {
                Some(list) => {
                    for p in list {
                        if let Some(under) = index.by_actor.get_mut(p.index()) {
                            under.push(id);
                        }
                    }
                }
                None => index.any_actor.push(id),
            }
            index.actors.push(actors);
            index.permit.push(clause.kind == ClauseKind::Permit);
            let fields = clause.field.first().map(|l| l.value.clone());
            match &fields {
                Some(nodes) => index.by_field.extend(
                    nodes
                        .iter()
                        .filter_map(|n| model.fields.nodes.get(n.index()))
                        .map(|n| (n.enter, id)),
                ),
                None => index.no_field.push(id),
            }
            index.fields.push(fields);
            index
                .territories
                .push(clause.territory.first().map(|l| l.value.clone()));
        }
        index.by_field.sort_unstable();
        let mut classes: std::collections::HashMap<Signature, usize> =
            std::collections::HashMap::new();
        for i in 0..model.clauses.len() {
            let key: Signature = (
                index.assets[i].0.clone(),
                index.verbs[i].0.clone(),
                index.actors[i].clone(),
                index.permit[i],
                index.fields[i].clone(),
                index.territories[i].clone(),
            );
            let next = classes.len();
            let class = *classes.entry(key).or_insert(next);
            index.signature.push(class);
        }
        index.related_of = (0..classes.len())
            .map(|_| std::sync::OnceLock::new())
            .collect();
        index
    }

    /// Can the two clauses' field and territory lines hold on one action?
    /// With a permit among them, the action's node lies inside one of the
    /// permit's nodes and meets one of the other's, so those two nodes
    /// overlap. (Two forbids may meet above both of their nodes.)
    fn share_nodes(&self, model: &Model, a: ClauseId, b: ClauseId) -> bool {
        let permit = |c: ClauseId| self.permit.get(c.index()).copied().unwrap_or(false);
        if !permit(a) && !permit(b) {
            return true;
        }
        let overlap = |lines: &Vec<Option<Vec<NodeId>>>, tree: &Hierarchy| match (
            lines.get(a.index()).and_then(Option::as_ref),
            lines.get(b.index()).and_then(Option::as_ref),
        ) {
            (Some(x), Some(y)) => x.iter().any(|&m| y.iter().any(|&n| tree.overlaps(m, n))),
            _ => true,
        };
        overlap(&self.fields, &model.fields) && overlap(&self.territories, &model.territories)
    }

    /// The clauses whose first field line can overlap the permit's own
    /// (its nodes, their ancestors and descendants), and those without
    /// one; `None` for a clause that is no permit or has no field line.
    fn through_fields(&self, model: &Model, clause: ClauseId) -> Option<Vec<ClauseId>> {
        if !self.permit.get(clause.index()).copied().unwrap_or(false) {
            return None;
        }
        let nodes = self.fields.get(clause.index())?.as_ref()?;
        let mut out: Vec<ClauseId> = self.no_field.clone();
        let range = |from: u32, to: u32, out: &mut Vec<ClauseId>| {
            let start = self.by_field.partition_point(|(e, _)| *e < from);
            out.extend(
                self.by_field[start..]
                    .iter()
                    .take_while(|(e, _)| *e <= to)
                    .map(|(_, c)| *c),
            );
        };
        for &n in nodes {
            let Some(node) = model.fields.nodes.get(n.index()) else {
                continue;
            };
            range(node.enter, node.exit, &mut out);
            let mut up = node.parent;
            while let Some(p) = up.and_then(|p| model.fields.nodes.get(p.index())) {
                range(p.enter, p.enter, &mut out);
                up = p.parent;
            }
        }
        Some(out)
    }

    /// Every actor the clause's `by` lines can name, sorted; `None` when
    /// any actor may do.
    pub fn actors(&self, clause: ClauseId) -> Option<&[PartyId]> {
        self.actors.get(clause.index()).and_then(Option::as_deref)
    }

    /// Can the two clauses name the same actor?
    fn share_actor(&self, a: ClauseId, b: ClauseId) -> bool {
        match (
            self.actors.get(a.index()).and_then(Option::as_ref),
            self.actors.get(b.index()).and_then(Option::as_ref),
        ) {
            (Some(x), Some(y)) => {
                let (small, large) = if x.len() <= y.len() { (x, y) } else { (y, x) };
                small.iter().any(|p| large.binary_search(p).is_ok())
            }
            _ => true,
        }
    }

    /// Can the clause concern an action on `asset` with `verb`?
    pub fn concerns(&self, clause: ClauseId, asset: AssetId, verb: NodeId) -> bool {
        self.selects(clause, asset) && self.verb_concerned(clause, verb)
    }

    pub fn selects(&self, clause: ClauseId, asset: AssetId) -> bool {
        self.assets
            .get(clause.index())
            .is_some_and(|b| b.contains(asset.index()))
    }

    pub fn verb_concerned(&self, clause: ClauseId, verb: NodeId) -> bool {
        self.verbs
            .get(clause.index())
            .is_some_and(|b| b.contains(verb.index()))
    }

    pub fn asset_bits(&self, clause: ClauseId) -> Option<&Bits> {
        self.assets.get(clause.index())
    }

    /// Does `outer` concern every (asset, verb) pair `inner` concerns?
    pub fn covers_pairs(&self, outer: ClauseId, inner: ClauseId) -> bool {
        let within = |v: &Vec<Bits>| match (v.get(inner.index()), v.get(outer.index())) {
            (Some(i), Some(o)) => i.is_subset(o),
            _ => false,
        };
        within(&self.assets) && within(&self.verbs)
    }

    /// Do the two clauses share an (asset, verb) pair?
    pub fn share_pair(&self, a: ClauseId, b: ClauseId) -> bool {
        let both = |v: &Vec<Bits>| match (v.get(a.index()), v.get(b.index())) {
            (Some(x), Some(y)) => x.intersects(y),
            _ => false,
        };
        both(&self.assets) && both(&self.verbs)
    }

    /// The clauses that can concern an action on `asset` with `verb`, in
    /// source order.
    pub fn candidates(&self, asset: AssetId, verb: NodeId) -> Vec<ClauseId> {
        let mut out: Vec<ClauseId> = self
            .by_asset
            .get(asset.index())
            .into_iter()
            .flatten()
            .chain(&self.general)
            .copied()
            .filter(|&c| self.concerns(c, asset, verb))
            .collect();
        out.sort_unstable();
        out
    }

    /// Every other clause sharing an (asset, verb) pair, an actor and (with
    /// a permit among them) field and territory nodes with `clause`, in
    /// source order. Only the clauses listed under the clause's own
    /// assets, actors or fields (the fewest) are looked at, and clauses
    /// alike in all of these share one answer (a policy of N copies of
    /// one clause costs N, not N²).
    pub fn related(&self, model: &Model, clause: ClauseId) -> Vec<ClauseId> {
        self.related_shared(model, clause, None)
            .iter()
            .copied()
            .filter(|&c| c != clause)
            .collect()
    }

    /// What `related` lists (of one kind, or all), shared with the clauses
    /// alike: it may hold `clause` itself.
    pub fn related_shared(
        &self,
        model: &Model,
        clause: ClauseId,
        kind: Option<ClauseKind>,
    ) -> &[ClauseId] {
        let Some(slot) = self
            .signature
            .get(clause.index())
            .and_then(|&s| self.related_of.get(s))
        else {
            return &[];
        };
        let related = slot.get_or_init(|| {
            let all = self.related_uncached(model, clause);
            let of = |k: ClauseKind| -> Vec<ClauseId> {
                all.iter()
                    .copied()
                    .filter(|c| self.kinds.get(c.index()) == Some(&k))
                    .collect()
            };
            Related {
                permits: of(ClauseKind::Permit),
                forbids: of(ClauseKind::Forbid),
                obliges: of(ClauseKind::Oblige),
                all,
            }
        });
        match kind {
            None => &related.all,
            Some(ClauseKind::Permit) => &related.permits,
            Some(ClauseKind::Forbid) => &related.forbids,
            Some(ClauseKind::Oblige) => &related.obliges,
        }
    }

    /// The clauses `related` lists for `clause`, and `clause` itself (and
    /// those alike) when it can concern any action.
    fn related_uncached(&self, model: &Model, clause: ClauseId) -> Vec<ClauseId> {
        let Some(assets) = self.assets.get(clause.index()) else {
            return Vec::new();
        };
        let mut out: Vec<ClauseId> = Vec::new();
        let by_actor = self.actors.get(clause.index()).and_then(Option::as_ref);
        let through_actors = by_actor.map(|list| {
            list.iter()
                .map(|p| self.by_actor.get(p.index()).map_or(0, Vec::len))
                .sum::<usize>()
                + self.any_actor.len()
        });
        let through_assets = if self
            .is_general
            .get(clause.index())
            .copied()
            .unwrap_or(false)
        {
            self.assets.len()
        } else {
            assets
                .iter()
                .map(|a| self.by_asset.get(a).map_or(0, Vec::len))
                .sum::<usize>()
                + self.general.len()
        };
        let fields = self.through_fields(model, clause);
        if let Some(list) = fields
            .filter(|f| f.len() < through_assets && through_actors.is_none_or(|n| f.len() < n))
        {
            // Fewer clauses share a field than an asset or an actor.
            out = list;
        } else if let (Some(list), Some(n)) = (by_actor, through_actors)
            && n < through_assets
        {
            // Fewer clauses share an actor than an asset: look there.
            for p in list {
                if let Some(under) = self.by_actor.get(p.index()) {
                    out.extend(under.iter().copied());
                }
            }
            out.extend(self.any_actor.iter().copied());
        } else if self
            .is_general
            .get(clause.index())
            .copied()
            .unwrap_or(false)
        {
            // A general clause can meet any clause: filter them all.
            out.extend((0..self.assets.len()).map(|i| ClauseId(i as u32)));
        } else {
            for a in assets.iter() {
                if let Some(list) = self.by_asset.get(a) {
                    out.extend(list.iter().copied());
                }
            }
            out.extend(self.general.iter().copied());
        }
        out.sort_unstable();
        out.dedup();
        out.retain(|&other| {
            self.share_pair(clause, other)
                && self.share_actor(clause, other)
                && self.share_nodes(model, clause, other)
        });
        out
    }
}

/// The actors a clause's `by` lines allow, when one of them names only
/// parties and groups (a superset: `except` is not subtracted).
fn actor_domain(model: &Model, clause: &ClauseInfo) -> Option<Vec<PartyId>> {
    /// Larger lists (big or nested groups) are not indexed: the index
    /// stays the size of the policy.
    const MAX_LISTED: usize = 64;
    // Each line that names only parties and groups, as bits; their
    // intersection is the domain. Bits, not lists: a nested group's
    // members are never flattened.
    let words = model.parties.len().div_ceil(64);
    let mut domain: Option<Vec<u64>> = None;
    for line in &clause.by {
        let mut bits = vec![0u64; words];
        let only_named = line.value.include.iter().all(|selector| match selector {
            PartySelector::Party(p) => {
                if let Some(w) = bits.get_mut(p.index() / 64) {
                    *w |= 1u64 << (p.index() % 64);
                }
                true
            }
            PartySelector::Group(g) => model.groups.get(g.index()).is_some_and(|group| {
                for (w, g) in bits.iter_mut().zip(&group.member_bits) {
                    *w |= g;
                }
                true
            }),
            _ => false,
        });
        if !only_named {
            continue;
        }
        domain = Some(match domain {
            None => bits,
            Some(mut d) => {
                for (w, b) in d.iter_mut().zip(&bits) {
                    *w &= b;
                }
                d
            }
        });
    }
    let domain = domain?;
    let size: usize = domain.iter().map(|w| w.count_ones() as usize).sum();
    (size <= MAX_LISTED).then(|| crate::names::bit_members(&domain).collect())
}

/// Listed under its assets (like the engine's index): named assets and
/// tag filters select few assets; anything else may select most of them.
fn is_specific(clause: &ClauseInfo) -> bool {
    clause.assets.as_ref().is_some_and(|selectors| {
        selectors.iter().all(|s| match s {
            AssetSelector::Asset(_) => true,
            AssetSelector::Filter(f) => f.tag.is_some(),
        })
    })
}

fn asset_bits(model: &Model, clause: &ClauseInfo) -> Bits {
    let n = model.assets.len();
    let Some(selectors) = &clause.assets else {
        return Bits::full(n);
    };
    let mut bits = Bits::new(n);
    for selector in selectors {
        match selector {
            AssetSelector::Asset(a) => bits.insert(a.index()),
            AssetSelector::Filter(f) => {
                for (i, asset) in model.assets.iter().enumerate() {
                    if f.matches(asset) {
                        bits.insert(i);
                    }
                }
            }
        }
    }
    bits
}

/// Action verbs a clause's verb line accepts: those a listed verb covers
/// for a permit, those it overlaps for a forbid or an oblige.
fn verb_bits(model: &Model, clause: &ClauseInfo) -> Bits {
    let n = model.verbs.nodes.len();
    let Some(verbs) = &clause.verbs else {
        return Bits::full(n);
    };
    let inside = clause.kind == ClauseKind::Permit;
    let mut bits = Bits::new(n);
    for v in 0..n {
        let verb = NodeId(v as u32);
        let hit = verbs.iter().any(|&c| {
            if inside {
                model.verbs.covers(c, verb)
            } else {
                model.verbs.overlaps(c, verb)
            }
        });
        if hit {
            bits.insert(v);
        }
    }
    bits
}
