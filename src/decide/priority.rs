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

/// Who prevails over whom.
#[derive(Debug, Default)]
pub struct Priority {
    /// Each clause's label: the id of its first version.
    root: Vec<usize>,
    /// Per label that names others in `notwithstanding`: every label it
    /// reaches, directly or through others.
    waives: Vec<Option<Bits>>,
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
        let mut waives: Vec<Option<Bits>> = vec![None; n];
        for start in 0..n {
            if edges[start].is_empty() {
                continue;
            }
            let mut seen = Bits::with_len(n);
            let mut stack: Vec<usize> = edges[start].clone();
            while let Some(c) = stack.pop() {
                if seen.insert(c) {
                    stack.extend(edges[c].iter().copied());
                }
            }
            waives[start] = Some(seen);
        }
        // Instruments below each instrument, transitively.
        let m = model.instruments.len();
        let mut below: Vec<Bits> = Vec::with_capacity(m);
        for start in 0..m {
            let mut seen = Bits::with_len(m);
            let mut stack: Vec<usize> = model.instruments[start]
                .prevails_over
                .iter()
                .map(|i| i.index())
                .collect();
            while let Some(i) = stack.pop() {
                if seen.insert(i) {
                    stack.extend(model.instruments[i].prevails_over.iter().map(|j| j.index()));
                }
            }
            below.push(seen);
        }
        let instrument: Vec<Option<InstrumentId>> =
            model.clauses.iter().map(|c| c.instrument).collect();
        let mut over_instruments: Vec<Option<Bits>> = vec![None; n];
        if m > 0 {
            for (i, slot) in over_instruments.iter_mut().enumerate() {
                if root[i] != i {
                    continue;
                }
                let mut bits = Bits::with_len(m);
                let mut any = false;
                let mut add = |c: usize, bits: &mut Bits| {
                    if let Some(inst) = instrument.get(c).copied().flatten() {
                        bits.union(&below[inst.index()]);
                        any = true;
                    }
                };
                add(i, &mut bits);
                if let Some(reached) = &waives[i] {
                    for c in 0..n {
                        if reached.contains(c) {
                            add(c, &mut bits);
                        }
                    }
                }
                if any {
                    *slot = Some(bits);
                }
            }
        }
        let mut waived = Bits::with_len(n);
        for bits in waives.iter().flatten() {
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
            self.waives.get(r).is_some_and(Option::is_some)
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
        self.waives[w].as_ref().is_some_and(|b| b.contains(l))
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
