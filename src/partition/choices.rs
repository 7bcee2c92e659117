//! The combinatorics both walks over the action space share (the
//! partition's search and the diff's joint walk): subsets of the parties
//! a fact concerns, one option per party, and candidates told apart by
//! what the clauses' tests say of them.

/// More parties than this in one consent or objection and their subsets
/// are not enumerated: the walk gives up on that question.
pub const MAX_FACT_PARTIES: usize = 10;

/// Every subset of `items`, the empty one first; `None` over
/// [`MAX_FACT_PARTIES`].
pub fn subsets<T: Clone>(items: &[T]) -> Option<Vec<Vec<T>>> {
    if items.len() > MAX_FACT_PARTIES {
        return None;
    }
    Some(
        (0u32..(1 << items.len()))
            .map(|mask| {
                items
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| mask & (1 << i) != 0)
                    .map(|(_, p)| p.clone())
                    .collect()
            })
            .collect(),
    )
}

/// More choices than this for the consents (or objections) of one
/// action and the walk gives up on that question (the subsets of
/// [`MAX_FACT_PARTIES`] parties).
pub const MAX_FACT_CHOICES: usize = 1 << MAX_FACT_PARTIES;

/// For parties in classes that nothing tells apart: one choice per count
/// of each class (its first members), sorted, in the order of [`subsets`]
/// when every class is one party (the first class changes fastest).
/// `None` over `limit` choices.
pub fn class_counts<T: Clone + Ord>(classes: &[Vec<T>], limit: usize) -> Option<Vec<Vec<T>>> {
    let total = classes
        .iter()
        .try_fold(1usize, |n, c| n.checked_mul(c.len() + 1))?;
    if total > limit {
        return None;
    }
    Some(
        (0..total)
            .map(|mut i| {
                let mut chosen: Vec<T> = Vec::new();
                for class in classes {
                    let radix = class.len() + 1;
                    chosen.extend(class.iter().take(i % radix).cloned());
                    i /= radix;
                }
                chosen.sort();
                chosen
            })
            .collect(),
    )
}

/// Every way of giving each party one of its options (`options[i]` for
/// `parties[i]`); `None` leaves the party out of the result.
pub fn per_party<P: Clone, V: Clone>(
    parties: &[P],
    options: &[Vec<Option<V>>],
) -> Vec<Vec<(P, V)>> {
    let mut out: Vec<Vec<(P, V)>> = vec![Vec::new()];
    for (party, options) in parties.iter().zip(options) {
        let mut next = Vec::with_capacity(out.len() * options.len());
        for partial in &out {
            for option in options {
                let mut extended = partial.clone();
                if let Some(value) = option {
                    extended.push((party.clone(), value.clone()));
                }
                next.push(extended);
            }
        }
        out = next;
    }
    out
}

/// The first candidate of each class of equal signatures, in order.
pub fn distinct_by_signature<T: Copy + Ord>(
    mut candidates: Vec<T>,
    signature: impl Fn(&T) -> Vec<bool>,
) -> Vec<T> {
    candidates.sort_unstable();
    candidates.dedup();
    let mut seen: Vec<Vec<bool>> = Vec::new();
    candidates.retain(|v| {
        let s = signature(v);
        if seen.contains(&s) {
            false
        } else {
            seen.push(s);
            true
        }
    });
    candidates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subsets_and_options_per_party() {
        assert_eq!(
            subsets(&["a", "b"]),
            Some(vec![vec![], vec!["a"], vec!["b"], vec!["a", "b"]])
        );
        assert_eq!(subsets(&[0; MAX_FACT_PARTIES + 1]), None);
        let options = vec![vec![None, Some(1)], vec![Some(2), Some(3)]];
        assert_eq!(
            per_party(&["a", "b"], &options),
            vec![
                vec![("b", 2)],
                vec![("b", 3)],
                vec![("a", 1), ("b", 2)],
                vec![("a", 1), ("b", 3)],
            ]
        );
        assert_eq!(
            class_counts(&[vec!["a"], vec!["b"]], 16),
            subsets(&["a", "b"])
        );
        assert_eq!(
            class_counts(&[vec!["b", "c"], vec!["a"]], 16),
            Some(vec![
                vec![],
                vec!["b"],
                vec!["b", "c"],
                vec!["a"],
                vec!["a", "b"],
                vec!["a", "b", "c"],
            ])
        );
        assert_eq!(class_counts(&[vec![0; 20]], 16), None);
        assert_eq!(
            distinct_by_signature(vec![3, 1, 2, 1], |v| vec![*v > 1]),
            vec![1, 2]
        );
    }
}
