//! ## What it does
//! Finds clauses that add nothing: a permit whose every action is already
//! permitted by another permit with the same duties (and at least the same
//! priorities and waivers), and a forbid whose every action is already
//! forbidden by another forbid that nothing else overrides more easily.
//! (A permit whose duties the other permit lacks is `escaped_duty`'s
//! finding; two versions of one clause are never compared, they are not
//! in force together.)
//!
//! ## Why is this bad?
//! A redundant clause is a trap for the next amendment: someone narrows
//! the clause they see, and the other one keeps granting (or forbidding)
//! the very same actions. It also makes reports cite two clauses for one
//! rule.
//!
//! ## Example
//! ```ipl
//! agreement "Consortium" { effective 2025-01-01 expires 2028-12-31 }
//! party catl "CATL"
//! asset cell "Cell patent" { class foreground owner catl }
//! fields { batteries { ev, stationary } }
//!
//! clause 1 "Owners may exploit their results" {
//!   permit exploit of foreground
//!   by owners
//! }
//! clause 2 "CATL may make battery cells" {
//!   permit make of cell
//!   by catl
//!   field batteries
//! }
//! ```
//!
//! ## Use instead
//! ```ipl
//! agreement "Consortium" { effective 2025-01-01 expires 2028-12-31 }
//! party catl "CATL"
//! asset cell "Cell patent" { class foreground owner catl }
//!
//! clause 1 "Owners may exploit their results" {
//!   permit exploit of foreground
//!   by owners
//! }
//! ```

use crate::diagnostic::{Code, Diagnostic};
use crate::names::ClauseId;
use crate::partition::Search;
use crate::terms::ClauseKind;

use super::context::LintCtx;

pub const CODE: Code = Code::ShadowedClause;

/// Clauses per block of a related list (see `block_maxima`).
const BLOCK: usize = 64;

pub(crate) fn run(cx: &LintCtx, out: &mut Vec<Diagnostic>) {
    let actors: Vec<Option<Actors>> = cx.clauses().map(|(_, c)| Actors::of(cx, c)).collect();
    let actors_of = |c: ClauseId| actors.get(c.index()).and_then(Option::as_ref);
    // Per related list (shared by the clauses alike, so keyed by where
    // it lies), the largest actor count of each block of it.
    let mut block_maxima: std::collections::HashMap<(usize, usize), Vec<usize>> =
        std::collections::HashMap::new();
    for (id, clause) in cx.clauses() {
        if clause.kind == ClauseKind::Oblige {
            continue;
        }
        // The same kind only, without a copy (N copies of one clause are
        // related to each other); every kind only where priorities matter.
        let related = std::cell::OnceCell::new();
        let candidates = cx.regions.related_of_kind(id, clause.kind);
        // An outer clause with fewer actors cannot hold the inner one's
        // (when those alone decide): skip blocks of the related list whose
        // largest actor count is too small, so that a long list costs its
        // blocks, not its clauses.
        let need = match actors_of(id) {
            Some(inner) if inner.decides => inner.size,
            _ => 0,
        };
        let maxima = block_maxima
            .entry((candidates.as_ptr() as usize, candidates.len()))
            .or_insert_with(|| {
                candidates
                    .chunks(BLOCK)
                    .map(|block| {
                        block
                            .iter()
                            .map(|&c| actors_of(c).map_or(usize::MAX, |a| a.size))
                            .max()
                            .unwrap_or(0)
                    })
                    .collect::<Vec<usize>>()
            });
        let found = candidates
            .chunks(BLOCK)
            .zip(maxima.iter())
            .filter(|&(_, &most)| most >= need)
            .flat_map(|(block, _)| block.iter().copied())
            .filter(|&other| other != id)
            // Skip what cannot shadow: an outer clause without every
            // actor of the inner one (when those alone decide).
            .filter(|&other| match (actors_of(id), actors_of(other)) {
                (Some(inner), Some(outer)) => !inner.decides || inner.within(cx, outer),
                _ => true,
            })
            .find_map(|other| shadow(cx, id, other, &related).map(|w| (other, w)));
        if let Some((other, witness)) = found {
            out.push(report(cx, id, other, &witness));
        }
    }
}

/// The actors of a clause with one `by` line that names only parties and
/// groups (and excepts none).
struct Actors {
    /// How many.
    size: usize,
    /// The parties named, sorted, or the one group.
    parties: Vec<crate::names::PartyId>,
    group: Option<crate::names::GroupId>,
    /// Only `by` can depend on the actor (no conditions, `to` or moving
    /// windows): the clause covers an action of each of its actors or of
    /// none.
    decides: bool,
}

impl Actors {
    fn of(cx: &LintCtx, clause: &crate::names::ClauseInfo) -> Option<Actors> {
        let [line] = clause.by.as_slice() else {
            return None;
        };
        let set = &line.value;
        if !set.except.is_empty() {
            return None;
        }
        let decides = clause.conditions.is_empty()
            && clause.to.is_empty()
            && clause.moving_windows.is_empty();
        if let [crate::names::PartySelector::Group(g)] = set.include.as_slice() {
            let group = cx.model.groups.get(g.index())?;
            return Some(Actors {
                size: group.size,
                parties: Vec::new(),
                group: Some(*g),
                decides,
            });
        }
        let parties = crate::decide::eval::named_members(cx.model, set)?;
        Some(Actors {
            size: parties.len(),
            parties,
            group: None,
            decides,
        })
    }

    /// Is every actor of `self` one of `outer`'s?
    fn within(&self, cx: &LintCtx, outer: &Actors) -> bool {
        if self.size > outer.size {
            return false;
        }
        let group =
            |g: Option<crate::names::GroupId>| g.and_then(|g| cx.model.groups.get(g.index()));
        let has = |p: crate::names::PartyId| match group(outer.group) {
            Some(g) => g.has(p),
            None => outer.parties.binary_search(&p).is_ok(),
        };
        match group(self.group) {
            Some(inner) => match group(outer.group) {
                Some(o) => inner
                    .member_bits
                    .iter()
                    .zip(o.member_bits.iter().chain(std::iter::repeat(&0)))
                    .all(|(a, b)| a & !b == 0),
                None => inner.members().all(has),
            },
            None => self.parties.iter().all(|&p| has(p)),
        }
    }
}

/// An action both clauses apply to, if `outer` makes `inner` redundant.
fn shadow(
    cx: &LintCtx,
    inner: ClauseId,
    outer: ClauseId,
    related: &std::cell::OnceCell<Vec<ClauseId>>,
) -> Option<crate::names::Action> {
    if !cx.in_force_together(inner, outer)
        || !cx.regions.covers_pairs(outer, inner)
        || !no_more_duties(cx, outer, inner)
    {
        return None;
    }
    // A permit with duties the other lacks: escaped_duty reports it.
    if cx.clause(inner).kind == ClauseKind::Permit && !no_more_duties(cx, inner, outer) {
        return None;
    }
    if !cx.regions.escape(inner, outer).is_impossible() {
        return None;
    }
    if !same_priorities(cx, inner, outer, related) {
        return None;
    }
    // Two clauses with the same actions: report only the later one.
    if outer > inner
        && no_more_duties(cx, inner, outer)
        && cx.regions.escape(outer, inner).is_impossible()
    {
        return None;
    }
    match cx.regions.overlap(inner, outer) {
        Search::Found(witness) => Some(*witness),
        _ => None,
    }
}

/// Every duty of `outer` is also one of `inner`'s.
fn no_more_duties(cx: &LintCtx, outer: ClauseId, inner: ClauseId) -> bool {
    let theirs = &cx.clause(inner).duties;
    cx.clause(outer)
        .duties
        .iter()
        .all(|d| theirs.iter().any(|e| e.value == d.value))
}

/// Removing `inner` changes no priority: for permits, `outer` prevails
/// over every forbid `inner` prevails over and waives every oblige
/// `inner` waives (§7.6); for forbids, every clause that prevails over
/// `outer` prevails over `inner` too.
fn same_priorities(
    cx: &LintCtx,
    inner: ClauseId,
    outer: ClauseId,
    related: &std::cell::OnceCell<Vec<ClauseId>>,
) -> bool {
    let prevails = |a, b| cx.regions.prevails(a, b);
    let related = || related.get_or_init(|| cx.regions.related(inner));
    match cx.clause(inner).kind {
        // Without priorities of its own, removing the permit changes none.
        ClauseKind::Permit if !cx.prevails_over_any(inner) => true,
        ClauseKind::Permit => related().iter().all(|&c| match cx.clause(c).kind {
            ClauseKind::Forbid => !prevails(inner, c) || prevails(outer, c),
            ClauseKind::Oblige => !cx.waives(inner, c) || cx.waives(outer, c),
            ClauseKind::Permit => true,
        }),
        // Nothing prevails over the outer forbid: nothing to keep.
        _ if !cx.prevailed_over(outer) => true,
        _ => related()
            .iter()
            .all(|&p| !prevails(p, outer) || prevails(p, inner)),
    }
}

fn report(
    cx: &LintCtx,
    inner: ClauseId,
    outer: ClauseId,
    witness: &crate::names::Action,
) -> Diagnostic {
    let clause = cx.clause(inner);
    let (verb, what) = match clause.kind {
        ClauseKind::Permit => ("permitted", "permit"),
        _ => ("forbidden", "forbid"),
    };
    Diagnostic::new(
        CODE,
        cx.head(inner).file,
        cx.head(inner).span,
        format!(
            "{what} `{}` is shadowed by {}: every action it covers is already {verb} there",
            clause.label,
            cx.name(outer)
        ),
    )
    .with_label("adds nothing")
    .with_related(
        cx.head(outer),
        format!(
            "{} covers every action of `{}`",
            cx.name(outer),
            clause.label
        ),
    )
    .with_help(format!(
        "remove {}, or narrow {} if it should not cover these actions\n{}",
        cx.name(inner),
        cx.name(outer),
        cx.witness(witness, &format!("is {verb} by both"))
    ))
}
