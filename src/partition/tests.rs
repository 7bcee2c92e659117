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

/// Issue 18: the members of named groups are told apart by walking the
/// group graph ([`axes::GroupRegions`]), never by listing them; the
/// answers must stay those of trying every actor and counterparty.
mod nested_groups {
    use super::*;
    use proptest::prelude::*;

    const PARTIES: &[&str] = &["s0", "s1", "s2", "s3", "s0a", "s0b", "t0", "t1", "t2"];
    const GROUPS: usize = 5;

    fn header(groups: &[Vec<String>]) -> String {
        let mut out = String::from(
            "agreement \"T\" { effective 2025-01-01 expires 2028-12-31 }\n\
             party s0 \"S0\"\nparty s1 \"S1\"\nparty s2 \"S2\"\nparty s3 \"S3\"\n\
             party s0a \"S0a\" affiliate of s0\nparty s0b \"S0b\" affiliate of s0\n\
             third_party t0 \"T0\"\nthird_party t1 \"T1\"\nthird_party t2 \"T2\"\n\
             asset x \"X\" { class foreground type patent owner s0 }\n",
        );
        for (i, members) in groups.iter().enumerate() {
            out.push_str(&format!("group g{i} = {}\n", members.join(", ")));
        }
        out
    }

    /// Group `i` lists parties and earlier groups (no cycles).
    fn groups() -> impl Strategy<Value = Vec<Vec<String>>> {
        (0..GROUPS)
            .map(|i| {
                let mut pool: Vec<String> = PARTIES.iter().map(|p| p.to_string()).collect();
                pool.extend((0..i).map(|j| format!("g{j}")));
                proptest::sample::subsequence(pool.clone(), 1..=4.min(pool.len()))
            })
            .collect::<Vec<_>>()
    }

    /// Parties, groups and roles, each with an `except` of a group half
    /// the time (so that parties outside every named group matter).
    fn selector() -> impl Strategy<Value = String> {
        let mut pool: Vec<String> = PARTIES.iter().map(|p| p.to_string()).collect();
        let groups: Vec<String> = (0..GROUPS).map(|j| format!("g{j}")).collect();
        pool.extend(groups.iter().cloned());
        pool.extend(
            [
                "affiliates of g3",
                "third_parties",
                "parties",
                "anyone",
                "owners",
            ]
            .map(String::from),
        );
        let roles = prop_oneof![Just("parties"), Just("anyone"), Just("third_parties")]
            .prop_map(|r| vec![r.to_string()]);
        (
            prop_oneof![proptest::sample::subsequence(pool, 1..=2), roles],
            proptest::sample::subsequence(groups, 0..=1),
        )
            .prop_map(|(include, except)| {
                let mut out = include.join(", ");
                if !except.is_empty() {
                    out.push_str(&format!(" except {}", except.join(", ")));
                }
                out
            })
    }

    fn clause() -> impl Strategy<Value = String> {
        (
            prop_oneof![Just("permit"), Just("forbid")],
            selector(),
            proptest::option::of(selector()),
        )
            .prop_map(|(kind, by, to)| {
                let to = to.map(|t| format!(" to {t}")).unwrap_or_default();
                format!("{kind} license of x by {by}{to}")
            })
    }

    /// (both apply, the first applies and the second not) on some action,
    /// trying every actor and counterparty.
    fn brute_force(p: &Policy, a: ClauseId, b: ClauseId) -> (bool, bool) {
        let (mut overlap, mut escape) = (false, false);
        for actor in PARTIES {
            for to in PARTIES.iter().chain(&["outsider"]) {
                let text = format!("{actor} license x to {to} on 2026-01-01");
                let syntax = syntax::parse_action(&text, FileId(0)).expect("parses");
                let action = resolve_action(&p.model, &syntax, FileId(0)).expect("resolves");
                let ctx = crate::decide::eval::Ctx::new(&p.model, &action);
                let ta = ctx.clause(p.model.clause(a)).tri();
                let tb = ctx.clause(p.model.clause(b)).tri();
                overlap |= ta == Tri::True && tb == Tri::True;
                escape |= ta == Tri::True && tb == Tri::False;
            }
        }
        (overlap, escape)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]
        #[test]
        fn overlap_and_escape_match_every_actor_and_counterparty(
            groups in groups(),
            first in clause(),
            second in clause(),
        ) {
            let text = format!("{}clause A {{ {first} }}\nclause B {{ {second} }}\n", header(&groups));
            let mut sources = SourceMap::default();
            sources.add("test.ipl", "test.ipl".into(), text.clone());
            let p = analyze(sources);
            prop_assert!(!p.has_errors(), "{:?}", p.diagnostics);
            let r = Regions::of(&p.model);
            let (a, b) = (id(&p, "A"), id(&p, "B"));
            let (overlap, escape) = brute_force(&p, a, b);
            prop_assert_eq!(r.overlap(a, b).witness().is_some(), overlap, "overlap in\n{}", text);
            prop_assert_eq!(r.escape(a, b).witness().is_some(), escape, "escape in\n{}", text);
            prop_assert!(!matches!(r.overlap(a, b), Search::GaveUp));
        }
    }
}
