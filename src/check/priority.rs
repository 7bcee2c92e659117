//! Priority: `notwithstanding` must not go round in a circle.
//!
//! The "takes priority over" graph (clause → each clause it names in
//! `notwithstanding`) is split into strongly connected components with
//! Tarjan's algorithm, run iteratively so that a chain of 10,000 clauses
//! cannot exhaust the stack. Each component of two or more clauses is one
//! knot of cycles, reported once: the message follows a shortest cycle
//! through the component's first clause (a breadth-first search inside the
//! component) and names the other clauses caught in it. A clause naming
//! itself is reported on its own. Everything is linear in clauses and edges.

use super::Ctx;
use crate::diagnostic::{Code, Diagnostic};
use crate::span::Location;

/// At most this many other clauses of a knot are named in the help.
const NAMED_OTHERS: usize = 5;

/// Each clause's outgoing edges: the target and where it is named.
type Edges = Vec<Vec<(usize, Location)>>;

pub(super) fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let edges = edges(ctx);
    for (node, targets) in edges.iter().enumerate() {
        if let Some((_, at)) = targets.iter().find(|(t, _)| *t == node) {
            out.push(names_itself(ctx, node, *at));
        }
    }
    let components = crate::graph::strongly_connected(&edges, |(target, _)| *target);
    let mut component_of = vec![usize::MAX; edges.len()];
    for (c, members) in components.iter().enumerate() {
        for &m in members {
            component_of[m] = c;
        }
    }
    // Each clause lies in one component, so one search per component
    // touches it at most once.
    let mut parent: Vec<Option<(usize, Location)>> = vec![None; edges.len()];
    let mut visited = vec![false; edges.len()];
    for (c, members) in components.iter().enumerate() {
        if members.len() < 2 {
            continue;
        }
        let Some(&start) = members.iter().min() else {
            continue;
        };
        let cycle = shortest_cycle(start, &edges, &component_of, c, &mut visited, &mut parent);
        if let Some(diag) = knot(ctx, &cycle, members) {
            out.push(diag);
        }
    }
}

/// The graph, each target once per clause (`notwithstanding 2, 2` is one
/// edge).
fn edges(ctx: &Ctx) -> Edges {
    let clauses = &ctx.model.clauses;
    // `added[t]` is the last clause that added an edge to `t`.
    let mut added: Vec<Option<usize>> = vec![None; clauses.len()];
    clauses
        .iter()
        .enumerate()
        .map(|(source, c)| {
            let mut targets = Vec::with_capacity(c.notwithstanding.len());
            for n in &c.notwithstanding {
                let target = n.value.index();
                if let Some(mark) = added.get_mut(target)
                    && *mark != Some(source)
                {
                    *mark = Some(source);
                    targets.push((target, n.location));
                }
            }
            targets
        })
        .collect()
}

/// A shortest cycle from `start` back to it inside component `c`: the
/// clauses in order, each with the place where it names the next one.
fn shortest_cycle(
    start: usize,
    edges: &Edges,
    component_of: &[usize],
    c: usize,
    visited: &mut [bool],
    parent: &mut [Option<(usize, Location)>],
) -> Vec<(usize, Location)> {
    let mut queue = std::collections::VecDeque::from([start]);
    visited[start] = true;
    while let Some(node) = queue.pop_front() {
        for &(next, at) in &edges[node] {
            if component_of[next] != c || next == node {
                continue;
            }
            if next == start {
                // Walk back from `node` to `start`, then close the loop.
                let mut cycle = vec![(node, at)];
                let mut current = node;
                while let Some((previous, edge)) = parent[current] {
                    cycle.push((previous, edge));
                    current = previous;
                }
                cycle.reverse();
                return cycle;
            }
            if !visited[next] {
                visited[next] = true;
                parent[next] = Some((node, at));
                queue.push_back(next);
            }
        }
    }
    Vec::new()
}

fn label<'a>(ctx: &Ctx<'a>, node: usize) -> &'a str {
    ctx.model
        .clauses
        .get(node)
        .map_or("?", |c| c.label.as_str())
}

fn names_itself(ctx: &Ctx, node: usize, at: Location) -> Diagnostic {
    let name = label(ctx, node);
    Diagnostic::new(
        Code::PriorityCycle,
        at.file,
        at.span,
        format!("priority cycle: `{name}` → `{name}`"),
    )
    .with_label(format!("clause `{name}` takes priority over itself"))
    .with_help(format!(
        "remove `{name}` from its own `notwithstanding` list"
    ))
}

/// The diagnostic for one knot: its cycle `cycle` (each clause with the
/// place it names the next, the last one naming the first) and every
/// clause of the component.
fn knot(ctx: &Ctx, cycle: &[(usize, Location)], members: &[usize]) -> Option<Diagnostic> {
    let (&(last, closing), rest) = cycle.split_last()?;
    let first = cycle.first()?.0;
    let mut names: Vec<String> = cycle
        .iter()
        .map(|(n, _)| format!("`{}`", label(ctx, *n)))
        .collect();
    names.push(format!("`{}`", label(ctx, first)));
    let mut help = "`notwithstanding` gives a clause priority over another, and priority cannot \
                    go round in a circle; remove one of these `notwithstanding` references"
        .to_string();
    let on_cycle: std::collections::HashSet<usize> = cycle.iter().map(|(n, _)| *n).collect();
    let mut others: Vec<usize> = members
        .iter()
        .copied()
        .filter(|m| !on_cycle.contains(m))
        .collect();
    if !others.is_empty() {
        others.sort_unstable();
        let shown: Vec<String> = others
            .iter()
            .take(NAMED_OTHERS)
            .map(|n| format!("`{}`", label(ctx, *n)))
            .collect();
        let more = match others.len().saturating_sub(NAMED_OTHERS) {
            0 => String::new(),
            n => format!(" and {n} more"),
        };
        let noun = if others.len() == 1 {
            "clause"
        } else {
            "clauses"
        };
        help.push_str(&format!(
            "; {noun} {}{more} also take part in cycles with these: check them once this one is broken",
            shown.join(", ")
        ));
    }
    let mut diag = Diagnostic::new(
        Code::PriorityCycle,
        closing.file,
        closing.span,
        format!("priority cycle: {}", names.join(" → ")),
    )
    .with_label(format!(
        "`{}` takes priority over `{}`, closing the cycle",
        label(ctx, last),
        label(ctx, first)
    ))
    .with_help(help);
    for (i, (node, at)) in rest.iter().enumerate() {
        let next = cycle.get(i + 1).map_or(first, |(n, _)| *n);
        diag = diag.with_related(
            *at,
            format!(
                "`{}` takes priority over `{}`",
                label(ctx, *node),
                label(ctx, next)
            ),
        );
    }
    Some(diag)
}

#[cfg(test)]
mod tests {
    use crate::check::test_util::{AGREEMENT, diagnostics};
    use crate::diagnostic::Code;

    fn cycles(clauses: &str) -> Vec<String> {
        diagnostics(&format!("{AGREEMENT}{clauses}"))
            .into_iter()
            .inspect(|d| assert_eq!(d.code, Code::PriorityCycle, "{d:#?}"))
            .map(|d| d.message)
            .collect()
    }

    #[test]
    fn no_cycle_no_diagnostic() {
        assert!(
            cycles(
                "clause 1 { permit use }\nclause 2 notwithstanding 1 { forbid use }\n\
                 clause 3 notwithstanding 1, 2 { permit use }\n"
            )
            .is_empty()
        );
    }

    #[test]
    fn a_clause_naming_itself() {
        assert_eq!(
            cycles("clause 1 notwithstanding 1, 1 { permit use }\n"),
            ["priority cycle: `1` → `1`"]
        );
    }

    #[test]
    fn a_cycle_of_three_names_every_clause_in_order() {
        let diags = diagnostics(&format!(
            "{AGREEMENT}clause 1 notwithstanding 2 {{ permit use }}\n\
             clause 2 notwithstanding 3 {{ permit use }}\n\
             clause 3 notwithstanding 1 {{ permit use }}\n"
        ));
        assert_eq!(diags.len(), 1, "{diags:#?}");
        assert_eq!(diags[0].message, "priority cycle: `1` → `2` → `3` → `1`");
        assert_eq!(diags[0].related.len(), 2);
    }

    #[test]
    fn two_separate_cycles_are_two_diagnostics() {
        assert_eq!(
            cycles(
                "clause a notwithstanding b { permit use }\nclause b notwithstanding a { permit use }\n\
                 clause c notwithstanding d { permit use }\nclause d notwithstanding c { permit use }\n"
            ),
            [
                "priority cycle: `a` → `b` → `a`",
                "priority cycle: `c` → `d` → `c`"
            ]
        );
    }

    #[test]
    fn two_loops_through_one_clause_are_one_knot() {
        let diags = diagnostics(&format!(
            "{AGREEMENT}clause 1 notwithstanding 2 {{ permit use }}\n\
             clause 2 notwithstanding 3, 1 {{ permit use }}\n\
             clause 3 notwithstanding 2, 3 {{ permit use }}\n"
        ));
        let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "priority cycle: `1` → `2` → `1`",
                "priority cycle: `3` → `3`"
            ]
        );
        let help = diags[0].help.as_deref().unwrap_or("");
        assert!(help.contains("clause `3` also take"), "{help}");
    }

    #[test]
    fn many_cycles_through_one_clause_stay_linear() {
        // Every clause names the next and the first: 1,999 cycles, one knot.
        let n = 2_000;
        let mut text = String::from(AGREEMENT);
        for i in 0..n - 1 {
            text.push_str(&format!(
                "clause c{i} notwithstanding c{}, c0 {{ permit use }}\n",
                i + 1
            ));
        }
        text.push_str(&format!("clause c{} {{ permit use }}\n", n - 1));
        let diags = diagnostics(&text);
        assert_eq!(diags.len(), 2, "{:#?}", diags.first());
        let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "priority cycle: `c0` → `c0`",
                "priority cycle: `c0` → `c1` → `c0`"
            ]
        );
    }

    #[test]
    fn a_chain_of_ten_thousand_clauses_does_not_overflow() {
        let n = 10_000;
        let mut text = String::from(AGREEMENT);
        for i in 0..n {
            let next = (i + 1) % n;
            text.push_str(&format!(
                "clause c{i} notwithstanding c{next} {{ permit use }}\n"
            ));
        }
        let diags = diagnostics(&text);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].related.len(), n - 1);
    }
}
