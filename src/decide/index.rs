//! The clause index: which clauses can concern an action, found by asset
//! and verb instead of scanning every clause.

use crate::names::{AssetSelector, ClauseId, GrantId, Model, NodeId};
use crate::terms::ClauseKind;

/// Candidate clauses per asset and per verb, in source order.
#[derive(Debug, Default)]
pub struct Index {
    /// Clauses whose asset selectors name assets or tags: listed under
    /// each asset they select, whatever their verbs.
    by_asset: Vec<Vec<ClauseId>>,
    /// Every other clause (any asset, or class/type filters), listed under
    /// each verb it can concern.
    by_verb: Vec<Vec<ClauseId>>,
    /// Each clause's place in source order.
    order: Vec<u32>,
    /// Grants per asset, in source order.
    grants: Vec<Vec<GrantId>>,
    /// Exclusive and sole grants per asset, in source order.
    blocking_grants: Vec<Vec<GrantId>>,
}

/// Can a clause with these verbs concern an action with `verb`? Permits
/// must cover the verb; forbids and obliges need only overlap it.
pub fn concerns_verb(
    model: &Model,
    kind: ClauseKind,
    verbs: Option<&[NodeId]>,
    verb: NodeId,
) -> bool {
    verbs.is_none_or(|verbs| {
        verbs.iter().any(|&c| {
            if kind == ClauseKind::Permit {
                model.verbs.covers(c, verb)
            } else {
                model.verbs.overlaps(c, verb)
            }
        })
    })
}

impl Index {
    pub fn new(model: &Model) -> Index {
        let mut index = Index {
            by_asset: vec![Vec::new(); model.assets.len()],
            by_verb: vec![Vec::new(); model.verbs.nodes.len()],
            order: model.clauses.iter().map(|c| c.order).collect(),
            grants: vec![Vec::new(); model.assets.len()],
            blocking_grants: vec![Vec::new(); model.assets.len()],
        };
        let mut clauses: Vec<usize> = (0..model.clauses.len()).collect();
        clauses.sort_by_key(|&i| (model.clauses[i].order, i));
        for i in clauses {
            let clause = &model.clauses[i];
            let id = ClauseId(i as u32);
            let specific = clause.assets.as_ref().filter(|selectors| {
                selectors.iter().all(|s| match s {
                    AssetSelector::Asset(_) => true,
                    AssetSelector::Filter(f) => f.tag.is_some(),
                })
            });
            match specific {
                Some(selectors) => {
                    let mut assets: Vec<usize> = Vec::new();
                    for selector in selectors {
                        match selector {
                            AssetSelector::Asset(a) => assets.push(a.index()),
                            AssetSelector::Filter(f) => assets.extend(
                                model
                                    .assets
                                    .iter()
                                    .enumerate()
                                    .filter(|(_, a)| f.matches(a))
                                    .map(|(i, _)| i),
                            ),
                        }
                    }
                    assets.sort_unstable();
                    assets.dedup();
                    for a in assets {
                        index.by_asset[a].push(id);
                    }
                }
                None => {
                    for (v, list) in index.by_verb.iter_mut().enumerate() {
                        if concerns_verb(
                            model,
                            clause.kind,
                            clause.verbs.as_deref(),
                            NodeId(v as u32),
                        ) {
                            list.push(id);
                        }
                    }
                }
            }
        }
        let mut grants: Vec<usize> = (0..model.grants.len()).collect();
        grants.sort_by_key(|&i| (model.grants[i].order, i));
        for i in grants {
            let grant = &model.grants[i];
            if let Some(asset) = grant.asset {
                index.grants[asset.index()].push(GrantId(i as u32));
                if grant.exclusive() {
                    index.blocking_grants[asset.index()].push(GrantId(i as u32));
                }
            }
        }
        index
    }

    /// The clauses that may concern an action on `asset` with `verb`,
    /// merged in source order.
    pub fn candidates(&self, asset: usize, verb: usize) -> Vec<ClauseId> {
        let a = self.by_asset.get(asset).map_or(&[][..], Vec::as_slice);
        let v = self.by_verb.get(verb).map_or(&[][..], Vec::as_slice);
        let key = |c: ClauseId| (self.order.get(c.index()).copied().unwrap_or(0), c);
        let mut out = Vec::with_capacity(a.len() + v.len());
        let (mut i, mut j) = (0, 0);
        while i < a.len() && j < v.len() {
            if key(a[i]) <= key(v[j]) {
                out.push(a[i]);
                i += 1;
            } else {
                out.push(v[j]);
                j += 1;
            }
        }
        out.extend_from_slice(&a[i..]);
        out.extend_from_slice(&v[j..]);
        out
    }

    pub fn grants(&self, asset: usize) -> &[GrantId] {
        self.grants.get(asset).map_or(&[], Vec::as_slice)
    }

    pub fn blocking_grants(&self, asset: usize) -> &[GrantId] {
        self.blocking_grants.get(asset).map_or(&[], Vec::as_slice)
    }
}
