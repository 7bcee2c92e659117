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
    /// merged in source order (without allocating).
    pub fn candidates(&self, asset: usize, verb: usize) -> Candidates<'_> {
        Candidates {
            by_asset: self.by_asset.get(asset).map_or(&[][..], Vec::as_slice),
            by_verb: self.by_verb.get(verb).map_or(&[][..], Vec::as_slice),
            order: &self.order,
        }
    }

    pub fn grants(&self, asset: usize) -> &[GrantId] {
        self.grants.get(asset).map_or(&[], Vec::as_slice)
    }

    pub fn blocking_grants(&self, asset: usize) -> &[GrantId] {
        self.blocking_grants.get(asset).map_or(&[], Vec::as_slice)
    }
}

/// The merge of an asset's and a verb's clause lists, in source order.
pub struct Candidates<'i> {
    by_asset: &'i [ClauseId],
    by_verb: &'i [ClauseId],
    order: &'i [u32],
}

impl Candidates<'_> {
    fn key(&self, c: ClauseId) -> (u32, ClauseId) {
        (self.order.get(c.index()).copied().unwrap_or(0), c)
    }
}

impl Iterator for Candidates<'_> {
    type Item = ClauseId;

    fn next(&mut self) -> Option<ClauseId> {
        let take_asset = match (self.by_asset.first(), self.by_verb.first()) {
            (Some(&a), Some(&v)) => self.key(a) <= self.key(v),
            (Some(_), None) => true,
            (None, _) => false,
        };
        let list = if take_asset {
            &mut self.by_asset
        } else {
            &mut self.by_verb
        };
        let (&first, rest) = list.split_first()?;
        *list = rest;
        Some(first)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.by_asset.len() + self.by_verb.len();
        (n, Some(n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_merge_both_lists_in_source_order() {
        // Clause 2 comes first in source order (an amendment placed early,
        // say), then 0, 3, 1.
        let order = [1, 3, 0, 2];
        let merged = Candidates {
            by_asset: &[ClauseId(2), ClauseId(3)],
            by_verb: &[ClauseId(0), ClauseId(1)],
            order: &order,
        };
        assert_eq!(merged.size_hint(), (4, Some(4)));
        let ids: Vec<u32> = merged.map(|c| c.0).collect();
        assert_eq!(ids, [2, 0, 3, 1]);
        let one_sided = Candidates {
            by_asset: &[],
            by_verb: &[ClauseId(1), ClauseId(3)],
            order: &order,
        };
        assert_eq!(one_sided.map(|c| c.0).collect::<Vec<_>>(), [1, 3]);
    }
}
