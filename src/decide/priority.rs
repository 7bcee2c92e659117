//! Priority between clauses, computed once per policy: `notwithstanding`
//! (transitive) and the precedence of instruments (`prevails over`).

use crate::names::{ClauseId, InstrumentId, LabelRef, Model};

/// A set of small integers as bits.
#[derive(Debug, Clone, Default)]
struct Bits(Vec<u64>);

impl Bits {
    fn with_len(n: usize) -> Bits {
        Bits(vec![0; n.div_ceil(64)])
    }
    fn insert(&mut self, i: usize) -> bool {
        let (word, bit) = (i / 64, 1u64 << (i % 64));
        match self.0.get_mut(word) {
            Some(w) if *w & bit == 0 => {
                *w |= bit;
                true
            }
            _ => false,
        }
    }
    fn contains(&self, i: usize) -> bool {
        self.0
            .get(i / 64)
            .is_some_and(|w| w & (1u64 << (i % 64)) != 0)
    }
    fn union(&mut self, other: &Bits) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a |= b;
        }
    }
}

/// What each node of a graph reaches, directly or through others: one
/// set per strongly connected component, shared by its members.
#[derive(Debug, Default)]
struct Closure {
    /// Each node's component.
    component: Vec<usize>,
    /// Per component, the index of its set in `reach` (none: it reaches
    /// nothing).
    set: Vec<Option<usize>>,
    reach: Vec<Bits>,
}

impl Closure {
    fn reach_of(&self, node: usize) -> Option<&Bits> {
        let c = *self.component.get(node)?;
        self.set
            .get(c)
            .copied()
            .flatten()
            .and_then(|s| self.reach.get(s))
    }
}

/// The transitive closure of `edges`, component by component in reverse
/// topological order, so each component unions the sets of the components
/// it points to: one pass over the edges, each costing a set's words (a
/// chain of N clauses costs N²/64 words, not a walk per clause).
/// `visit(members, reached_components)` is called once per component in
/// that order, with the components its edges reach directly.
fn closure(edges: &[Vec<usize>], mut visit: impl FnMut(&[usize], &[usize])) -> Closure {
    let n = edges.len();
    let components = crate::graph::strongly_connected(edges, |&t| t);
    let mut component = vec![usize::MAX; n];
    for (c, members) in components.iter().enumerate() {
        for &m in members {
            component[m] = c;
        }
    }
    let mut set: Vec<Option<usize>> = Vec::with_capacity(components.len());
    let mut reach: Vec<Bits> = Vec::new();
    let mut reached: Vec<usize> = Vec::new();
    for (c, members) in components.iter().enumerate() {
        reached.clear();
        let mut bits: Option<Bits> = None;
        for &m in members {
            for &t in edges[m].iter().filter(|&&t| t < n) {
                let b = bits.get_or_insert_with(|| Bits::with_len(n));
                b.insert(t);
                let other = component[t];
                if other != c {
                    reached.push(other);
                    if let Some(theirs) = set[other].and_then(|s| reach.get(s)) {
                        b.union(theirs);
                    }
                }
            }
        }
        reached.sort_unstable();
        reached.dedup();
        visit(members, &reached);
        set.push(bits.map(|b| {
            reach.push(b);
            reach.len() - 1
        }));
    }
    Closure {
        component,
        set,
        reach,
    }
}

/// Who prevails over whom.
#[derive(Debug, Default)]
pub struct Priority {
    /// Each clause's label: the id of its first version.
    root: Vec<usize>,
    /// Per label that names others in `notwithstanding`: every label it
    /// reaches, directly or through others.
    waives: Closure,
    /// Per label: the instruments it prevails over, through its own
    /// instrument or the clauses it reaches.
    over_instruments: Vec<Option<Bits>>,
    instrument: Vec<Option<InstrumentId>>,
    /// The clauses (roots) some clause waives.
    waived: Bits,
}

impl Priority {
    pub fn new(model: &Model) -> Priority {
        let n = model.clauses.len();
        let root: Vec<usize> = model
            .clauses
            .iter()
            .enumerate()
            .map(|(i, c)| match model.labels.get(&c.label) {
                Some(LabelRef::Clause(first)) => first.index(),
                _ => i,
            })
            .collect();
        // Edges between labels: every version's `notwithstanding`.
        let mut edges: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (i, clause) in model.clauses.iter().enumerate() {
            for target in &clause.notwithstanding {
                if let Some(&r) = root.get(target.value.index()) {
                    edges[root[i]].push(r);
                }
            }
        }
        // Instruments below each instrument, transitively.
        let m = model.instruments.len();
        let instrument_edges: Vec<Vec<usize>> = model
            .instruments
            .iter()
            .map(|i| i.prevails_over.iter().map(|j| j.index()).collect())
            .collect();
        let below = closure(&instrument_edges, |_, _| {});
        let below: Vec<Bits> = (0..m)
            .map(|i| {
                below
                    .reach_of(i)
                    .cloned()
                    .unwrap_or_else(|| Bits::with_len(m))
            })
            .collect();
        let instrument: Vec<Option<InstrumentId>> =
            model.clauses.iter().map(|c| c.instrument).collect();
        // One closure over labels; alongside, the instruments each label
        // prevails over (its own instrument's, and those of every label it
        // reaches), unioned component by component.
        let mut over: Vec<Option<Bits>> = Vec::new();
        let waives = closure(&edges, |component, reached| {
            if m == 0 {
                return;
            }
            let mut bits: Option<Bits> = None;
            for &c in component {
                if let Some(inst) = instrument
                    .get(c)
                    .copied()
                    .flatten()
                    .filter(|_| root[c] == c)
                {
                    bits.get_or_insert_with(|| Bits::with_len(m))
                        .union(&below[inst.index()]);
                }
            }
            for &r in reached {
                if let Some(Some(theirs)) = over.get(r) {
                    bits.get_or_insert_with(|| Bits::with_len(m)).union(theirs);
                }
            }
            over.push(bits);
        });
        let mut over_instruments: Vec<Option<Bits>> = vec![None; n];
        if m > 0 {
            for (i, slot) in over_instruments.iter_mut().enumerate() {
                if root[i] == i {
                    *slot = waives
                        .component
                        .get(i)
                        .and_then(|&c| over.get(c).cloned())
                        .flatten();
                }
            }
        }
        let mut waived = Bits::with_len(n);
        for bits in &waives.reach {
            waived.union(bits);
        }
        Priority {
            root,
            waives,
            over_instruments,
            instrument,
            waived,
        }
    }

    /// Does the clause have priority over any clause at all? (When not,
    /// a lint need not look for the clauses it prevails over.)
    pub fn prevails_over_any(&self, clause: ClauseId) -> bool {
        self.root.get(clause.index()).is_some_and(|&r| {
            self.waives.reach_of(r).is_some()
                || self.over_instruments.get(r).is_some_and(Option::is_some)
        })
    }

    /// Does any clause have priority over this one?
    pub fn prevailed_over(&self, clause: ClauseId) -> bool {
        let Some(&r) = self.root.get(clause.index()) else {
            return false;
        };
        self.waived.contains(r)
            || (self
                .instrument
                .get(clause.index())
                .copied()
                .flatten()
                .is_some()
                && self.over_instruments.iter().any(Option::is_some))
    }

    /// Does `winner` name `loser` in `notwithstanding`, directly or
    /// transitively? (Only this waives an oblige's duties, §7.6.)
    pub fn waives(&self, winner: ClauseId, loser: ClauseId) -> bool {
        let (Some(&w), Some(&l)) = (self.root.get(winner.index()), self.root.get(loser.index()))
        else {
            return false;
        };
        self.waives.reach_of(w).is_some_and(|b| b.contains(l))
    }

    /// Does `winner` have priority over `loser`: by `notwithstanding` or
    /// because its instrument prevails over `loser`'s?
    pub fn prevails(&self, winner: ClauseId, loser: ClauseId) -> bool {
        if self.waives(winner, loser) {
            return true;
        }
        let (Some(&w), Some(inst)) = (
            self.root.get(winner.index()),
            self.instrument.get(loser.index()).copied().flatten(),
        ) else {
            return false;
        };
        self.over_instruments[w]
            .as_ref()
            .is_some_and(|b| b.contains(inst.index()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What each node reaches, by a walk from each node.
    fn walked(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
        (0..edges.len())
            .map(|start| {
                let mut seen = vec![false; edges.len()];
                let mut stack = edges[start].clone();
                while let Some(c) = stack.pop() {
                    if !seen[c] {
                        seen[c] = true;
                        stack.extend(edges[c].iter().copied());
                    }
                }
                (0..edges.len()).filter(|&c| seen[c]).collect()
            })
            .collect()
    }

    fn closed(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
        let c = closure(edges, |_, _| {});
        (0..edges.len())
            .map(|i| {
                (0..edges.len())
                    .filter(|&j| c.reach_of(i).is_some_and(|b| b.contains(j)))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn closure_agrees_with_a_walk_from_each_node() {
        let graphs: Vec<Vec<Vec<usize>>> = vec![
            // A chain, a cycle with a tail, a self-loop, a diamond.
            vec![vec![1], vec![2], vec![3], vec![]],
            vec![vec![1], vec![2], vec![0, 3], vec![4], vec![]],
            vec![vec![0], vec![0], vec![]],
            vec![vec![1, 2], vec![3], vec![3], vec![]],
            // Two cycles joined by an edge.
            vec![vec![1], vec![0, 2], vec![3], vec![2]],
        ];
        for edges in &graphs {
            assert_eq!(closed(edges), walked(edges), "{edges:?}");
        }
        // Graphs of six nodes with edges drawn from a pseudo-random stream.
        let mut x = 12345u32;
        for _ in 0..200 {
            let edges: Vec<Vec<usize>> = (0..6)
                .map(|_| {
                    (0..6)
                        .filter(|_| {
                            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                            (x >> 16).is_multiple_of(4)
                        })
                        .collect()
                })
                .collect();
            assert_eq!(closed(&edges), walked(&edges), "{edges:?}");
        }
    }

    #[test]
    fn a_node_reaching_nothing_has_no_set() {
        let c = closure(&[vec![1], vec![]], |_, _| {});
        assert!(c.reach_of(0).is_some());
        assert!(c.reach_of(1).is_none());
    }
}
