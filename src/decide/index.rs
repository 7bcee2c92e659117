//! The clause index: which clauses can concern an action, found by asset
//! and verb instead of scanning every clause.

use crate::names::{AssetSelector, ClauseId, GrantId, Model};
use crate::syntax::ast::ClauseKind;

/// Candidate clauses per asset and per verb, in source order.
#[derive(Debug, Default)]
pub struct Index {
    /// Clauses whose asset selectors name assets or tags: listed under
    /// each asset they select, whatever their verbs.
    by_asset: Vec<Vec<ClauseId>>,
    /// Every other clause (any asset, or class/type filters), listed under
    /// each verb it can concern.
    by_verb: Vec<Vec<ClauseId>>,
    /// Exclusive grants per asset.
    exclusive_grants: Vec<Vec<GrantId>>,
}

impl Index {
    pub fn new(model: &Model) -> Index {
        let mut index = Index {
            by_asset: vec![Vec::new(); model.assets.len()],
            by_verb: vec![Vec::new(); model.verbs.nodes.len()],
            exclusive_grants: vec![Vec::new(); model.assets.len()],
        };
        for (i, clause) in model.clauses.iter().enumerate() {
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
                    let inside = clause.kind == ClauseKind::Permit;
                    for (v, list) in index.by_verb.iter_mut().enumerate() {
                        let verb = crate::names::NodeId(v as u32);
                        let concerned = clause.verbs.as_ref().is_none_or(|verbs| {
                            verbs.iter().any(|&c| {
                                if inside {
                                    model.verbs.covers(c, verb)
                                } else {
                                    model.verbs.overlaps(c, verb)
                                }
                            })
                        });
                        if concerned {
                            list.push(id);
                        }
                    }
                }
            }
        }
        for (i, grant) in model.grants.iter().enumerate() {
            if let (true, Some(asset)) = (grant.exclusive, grant.asset) {
                index.exclusive_grants[asset.index()].push(GrantId(i as u32));
            }
        }
        index
    }

    /// The clauses that may concern an action on `asset` with `verb`,
    /// merged in source order.
    pub fn candidates(&self, asset: usize, verb: usize) -> Vec<ClauseId> {
        let a = self.by_asset.get(asset).map_or(&[][..], Vec::as_slice);
        let v = self.by_verb.get(verb).map_or(&[][..], Vec::as_slice);
        let mut out = Vec::with_capacity(a.len() + v.len());
        let (mut i, mut j) = (0, 0);
        while i < a.len() && j < v.len() {
            if a[i] <= v[j] {
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

    pub fn exclusive_grants(&self, asset: usize) -> &[GrantId] {
        self.exclusive_grants.get(asset).map_or(&[], Vec::as_slice)
    }
}
