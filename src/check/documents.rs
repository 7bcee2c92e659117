//! Documents and parties over time (§7.5, §7.9): `prevails over` must not
//! go round in a circle, a clause must not claim priority over a clause
//! of an instrument that prevails over its own, a party leaves after it
//! joins, an affiliation lies within the agreement's term, and an `owes`
//! line names a duty some clause can impose.

use super::Ctx;
use crate::diagnostic::{Code, Diagnostic};
use crate::names::{Duty, InstrumentId, PartyRole};

pub(super) fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    precedence_cycles(ctx, out);
    notwithstanding_against_precedence(ctx, out);
    parties(ctx, out);
    owes(ctx, out);
}

/// Each instrument on a cycle of `prevails over`, reported once per cycle
/// with every link labelled.
fn precedence_cycles(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let instruments = &ctx.model.instruments;
    let mut reported = vec![false; instruments.len()];
    for start in 0..instruments.len() {
        if reported[start] {
            continue;
        }
        // Depth-first from `start`, looking for a way back to it.
        let mut path: Vec<(usize, usize)> = vec![(start, 0)];
        let mut on_path = vec![false; instruments.len()];
        let mut done = vec![false; instruments.len()];
        on_path[start] = true;
        let mut cycle = None;
        while let Some(&mut (node, ref mut next)) = path.last_mut() {
            let targets = &instruments[node].prevails_over;
            if let Some(&t) = targets.get(*next) {
                *next += 1;
                let t = t.index();
                if t == start {
                    cycle = Some(path.iter().map(|(n, _)| *n).collect::<Vec<_>>());
                    break;
                }
                if !on_path[t] && !done[t] && !reported[t] {
                    on_path[t] = true;
                    path.push((t, 0));
                }
            } else {
                on_path[node] = false;
                done[node] = true;
                path.pop();
            }
        }
        let Some(cycle) = cycle else { continue };
        for &n in &cycle {
            reported[n] = true;
        }
        let name = |i: usize| format!("`{}`", instruments[i].name);
        let names: Vec<String> = cycle.iter().map(|&i| name(i)).collect();
        let first = &instruments[cycle[0]];
        let mut diag = Diagnostic::new(
            Code::PrecedenceCycle,
            first.name_location.file,
            first.name_location.span,
            format!(
                "instruments prevail over each other: {} → {}",
                names.join(" → "),
                names[0]
            ),
        )
        .with_label(format!(
            "{} prevails over {}",
            name(cycle[0]),
            name(cycle[1 % cycle.len()])
        ))
        .with_help("precedence runs one way: remove `prevails over` from one of these instruments");
        for (k, &i) in cycle.iter().enumerate().skip(1) {
            let next = cycle[(k + 1) % cycle.len()];
            diag = diag.with_related(
                instruments[i].name_location,
                format!("{} prevails over {}", name(i), name(next)),
            );
        }
        out.push(diag);
    }
}

/// Is `high` above `low` in the precedence of instruments?
fn above(ctx: &Ctx, high: InstrumentId, low: InstrumentId) -> bool {
    let instruments = &ctx.model.instruments;
    let mut seen = vec![false; instruments.len()];
    let mut stack = vec![high];
    while let Some(i) = stack.pop() {
        for &next in &instruments[i.index()].prevails_over {
            if next == low {
                return true;
            }
            if !std::mem::replace(&mut seen[next.index()], true) {
                stack.push(next);
            }
        }
    }
    false
}

fn notwithstanding_against_precedence(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let model = ctx.model;
    for clause in &model.clauses {
        let Some(own) = clause.instrument else {
            continue;
        };
        for target in &clause.notwithstanding {
            let other = model.clause(target.value);
            let Some(theirs) = other.instrument else {
                continue;
            };
            if theirs == own || !above(ctx, theirs, own) {
                continue;
            }
            let (own, theirs) = (
                &model.instruments[own.index()],
                &model.instruments[theirs.index()],
            );
            out.push(
                Diagnostic::new(
                    Code::NotwithstandingPrevailing,
                    target.location.file,
                    target.location.span,
                    format!(
                        "clause `{}` of `{}` claims priority over clause `{}` of `{}`, which prevails over `{}`",
                        clause.label, own.name, other.label, theirs.name, own.name
                    ),
                )
                .with_label(format!("`{}` is in a prevailing instrument", other.label))
                .with_related(other.label_location, format!("in `{}`", theirs.name))
                .with_related(theirs.name_location, format!("`{}` prevails over `{}`", theirs.name, own.name))
                .with_help(format!(
                    "a lower document cannot override a higher one: remove `notwithstanding {}`, or amend `{}` itself",
                    other.label, theirs.name
                )),
            );
        }
    }
}

fn parties(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let model = ctx.model;
    let term = model.agreement.as_ref();
    for party in &model.parties {
        if let (Some(joined), Some(left)) = (party.joined, party.left)
            && left <= joined
        {
            out.push(
                Diagnostic::new(
                    Code::LeftBeforeJoined,
                    party.name_location.file,
                    party.name_location.span,
                    format!("`{}` leaves on {left}, before it joins on {joined}", party.name),
                )
                .with_label("never a member")
                .with_help("a party is a member from `joined` to the day before `left`: give `left` a later date"),
            );
        }
        if !matches!(party.role, PartyRole::Affiliate(_)) {
            continue;
        }
        let (Some(effective), expires) =
            (term.and_then(|a| a.effective), term.and_then(|a| a.expires))
        else {
            continue;
        };
        let window = party.affiliation;
        let outside = window.until.is_some_and(|u| u < effective)
            || matches!((window.from, expires), (Some(f), Some(x)) if f > x);
        let reversed = matches!((window.from, window.until), (Some(f), Some(u)) if u < f);
        if reversed || outside {
            let message = if reversed {
                format!("`{}`'s affiliation ends before it starts", party.name)
            } else {
                format!(
                    "`{}`'s affiliation lies outside the agreement's term",
                    party.name
                )
            };
            out.push(
                Diagnostic::new(
                    Code::AffiliationOutsideTerm,
                    party.name_location.file,
                    party.name_location.span,
                    message,
                )
                .with_label("never an affiliate while the agreement is in force")
                .with_help("an affiliation holds from `from` to `until` inclusive: give dates within the agreement's term"),
            );
        }
    }
}

/// An `owes` line whose kind of duty no clause of the policy imposes can
/// never be met.
fn owes(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let model = ctx.model;
    let kinds: Vec<&Duty> = model
        .clauses
        .iter()
        .flat_map(|c| c.duties.iter().map(|d| &d.value))
        .collect();
    let imposed = |owes: &Duty| {
        kinds.iter().any(|d| match (owes, d) {
            (Duty::Text(a), Duty::Text(b)) => a == b,
            // A payment may come from `pay` or from a pro-rata share.
            (Duty::Pay(..) | Duty::Share(_), Duty::Pay(..) | Duty::Share(_)) => true,
            (a, b) => std::mem::discriminant(a) == std::mem::discriminant(*b),
        })
    };
    for scenario in &model.scenarios {
        for owes in &scenario.owes {
            if imposed(&owes.value) {
                continue;
            }
            out.push(
                Diagnostic::new(
                    Code::OwesNoDuty,
                    owes.location.file,
                    owes.location.span,
                    format!("scenario `{}` owes a duty no clause imposes", scenario.title),
                )
                .with_label("no clause has a duty like this")
                .with_help("write the duty as a clause's `duty` line says it (a quoted duty word for word), or remove this `owes` line"),
            );
        }
    }
}
