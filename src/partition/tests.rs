//! Unit tests: representatives, exact answers on small policies, and the
//! action syntax round trip.

use super::*;
use crate::names::resolve_action;
use crate::policy::{Policy, analyze};
use crate::source::SourceMap;
use crate::span::FileId;
use crate::syntax;

const BASE: &str = include_str!("../../tests/fixtures/base.ipl");

fn policy(clauses: &str) -> Policy {
    let mut sources = SourceMap::default();
    sources.add("test.ipl", "test.ipl".into(), format!("{BASE}{clauses}"));
    let policy = analyze(sources);
    let errors: Vec<_> = policy.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    policy
}

fn id(p: &Policy, label: &str) -> ClauseId {
    match p.model.labels.get(label) {
        Some(crate::names::LabelRef::Clause(c)) => *c,
        _ => panic!("no clause {label}"),
    }
}

/// The witness, rendered, after checking that it reads back the same.
fn rendered(regions: &Regions, search: &Search) -> String {
    let action = search.witness().expect("a witness");
    let text = regions.render(action);
    let syntax = syntax::parse_action(&text, FileId(0)).expect("parses");
    let back = resolve_action(regions.model(), &syntax, FileId(0)).expect("resolves");
    assert_eq!(regions.render(&back), text);
    text
}

#[test]
fn overlap_follows_the_node_trees_and_scope_modes() {
    let p = policy(
        "clause 1 { permit license of joint by a field ev }
         clause 2 { forbid license of foreground field batteries }
         clause 3 { forbid license of foreground field recycling }",
    );
    let r = Regions::of(&p.model);
    let found = r.overlap(id(&p, "1"), id(&p, "2"));
    assert_eq!(
        rendered(&r, &found),
        "a license joint to b field ev on 2025-01-01"
    );
    assert!(r.overlap(id(&p, "1"), id(&p, "3")).is_impossible());
}

#[test]
fn containment_is_exact_on_percentages() {
    let p = policy(
        "clause 1 { permit license of joint when royalty >= 3% }
         clause 2 { permit license of joint when royalty > 2% }",
    );
    let r = Regions::of(&p.model);
    assert!(r.escape(id(&p, "1"), id(&p, "2")).is_impossible());
    let found = r.escape(id(&p, "2"), id(&p, "1"));
    assert_eq!(
        rendered(&r, &found),
        "a license joint to b on 2025-01-01 royalty 2.01%"
    );
}

#[test]
fn dates_are_cut_at_window_bounds() {
    let p = policy(
        "clause 1 { permit use of solo from 2026-01-01 }
         clause 2 { permit use of solo until 2026-12-31 }
         clause 3 { permit use of solo from effective }",
    );
    let r = Regions::of(&p.model);
    let both = [id(&p, "1"), id(&p, "2")];
    let q = Question::about(&both, &[]);
    let (asset, verb) = r.pairs(&q)[0];
    let axes = r.axes(&q, asset, verb);
    let dates: Vec<String> = axes.dates.iter().map(|d| d.to_string()).collect();
    // One date per region: before the first cut, then from each cut on.
    assert_eq!(dates, ["2025-12-31", "2026-01-01", "2027-01-01"]);
    let found = r.escape(id(&p, "2"), id(&p, "1"));
    assert_eq!(rendered(&r, &found), "a use solo on 2025-12-31");
    // Dates within the agreement's term come first.
    let later = [id(&p, "3")];
    let q = Question::about(&later, &[]);
    let axes = r.axes(&q, asset, verb);
    let dates: Vec<String> = axes.dates.iter().map(|d| d.to_string()).collect();
    assert_eq!(dates, ["2025-01-01", "2024-12-31"]);
}

#[test]
fn facts_are_enumerated_per_party() {
    let p = policy(
        "clause 1 { permit license of joint by owners unless objection of co_owners }
         clause 2 { permit license of joint by owners when consent of co_owners
                    and notice to co_owners >= 30 days }",
    );
    let r = Regions::of(&p.model);
    let found = r.escape(id(&p, "2"), id(&p, "1"));
    assert_eq!(
        rendered(&r, &found),
        "a license joint to b on 2025-01-01 notice b 30 days consent b objection b"
    );
    let found = r.escape(id(&p, "1"), id(&p, "2"));
    assert_eq!(
        rendered(&r, &found),
        "a license joint to b on 2025-01-01 consent none objection none"
    );
}

#[test]
fn parties_are_told_apart_only_as_far_as_selectors_do() {
    let p = policy("clause 1 { permit research of solo by affiliates of a, third_parties }");
    let r = Regions::of(&p.model);
    let base = [id(&p, "1")];
    let q = Question::about(&base, &[]);
    let (asset, verb) = r.pairs(&q)[0];
    let axes = r.axes(&q, asset, verb);
    let names: Vec<&str> = axes
        .actors
        .iter()
        .map(|a| r.model().party(*a).name.as_str())
        .collect();
    // `a` is named; `b` stands for every other signatory.
    assert_eq!(names, ["a", "b", "a_sub", "x"]);
    assert_eq!(
        rendered(&r, &r.satisfiable(base[0])),
        "a_sub research solo on 2025-01-01"
    );
}

#[test]
fn clauses_covering_a_point_use_the_index() {
    let p = policy(
        "clause 1 { permit license of joint by a }
         clause 2 { forbid license of foreground when exclusive }
         clause 3 { permit research of solo }",
    );
    let r = Regions::of(&p.model);
    let syntax =
        syntax::parse_action("a license joint to x on 2026-01-01", FileId(0)).expect("parses");
    let action = resolve_action(&p.model, &syntax, FileId(0)).expect("resolves");
    let covering: Vec<(String, Tri)> = r
        .clauses_covering(&action)
        .into_iter()
        .map(|(c, t)| (p.model.clause(c).label.clone(), t))
        .collect();
    assert_eq!(
        covering,
        [
            ("1".to_string(), Tri::True),
            ("2".to_string(), Tri::Unknown)
        ]
    );
    assert_eq!(r.related(id(&p, "1")), [id(&p, "2")]);
}
