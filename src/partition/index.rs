//! Which assets and action verbs each clause can concern, as bit sets, and
//! the clauses that share an (asset, verb) pair with a given one, found
//! through an inverted index rather than by comparing every pair.

use crate::names::{AssetId, AssetSelector, ClauseId, ClauseInfo, Model, NodeId};
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
}

impl ClauseIndex {
    pub fn new(model: &Model) -> ClauseIndex {
        let asset_count = model.assets.len();
        let mut index = ClauseIndex {
            assets: Vec::with_capacity(model.clauses.len()),
            verbs: Vec::with_capacity(model.clauses.len()),
            by_asset: vec![Vec::new(); asset_count],
            general: Vec::new(),
            is_general: Vec::with_capacity(model.clauses.len()),
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
        }
        index
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

    /// Every other clause sharing an (asset, verb) pair with `clause`, in
    /// source order. Only the clauses listed under the clause's own assets
    /// and the general ones are looked at.
    pub fn related(&self, clause: ClauseId) -> Vec<ClauseId> {
        let Some(assets) = self.assets.get(clause.index()) else {
            return Vec::new();
        };
        let mut out: Vec<ClauseId> = Vec::new();
        if self
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
        out.retain(|&other| other != clause && self.share_pair(clause, other));
        out
    }
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
