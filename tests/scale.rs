//! Issues 17 and 18, scale: the shapes whose lint cost grew faster than
//! the policy (consent predicates over many parties, contradicting
//! permits and forbids, a `notwithstanding` chain, one clause per field
//! of a large tree, nested groups, many similar clauses), generated here
//! (benches/support/shapes.rs) with their findings asserted. The growth
//! curves are measured by benches/scale.rs; only the largest inputs carry
//! a (generous) time budget.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may panic

#[path = "../benches/support/shapes.rs"]
mod shapes;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use ipcheck::diagnostic::Diagnostic;
use ipcheck::lint::{self, LintOptions};
use ipcheck::policy::{Policy, analyze};
use ipcheck::source::SourceMap;

fn load(text: &str) -> Policy {
    let mut sources = SourceMap::default();
    sources.add("policy.ipl", "policy.ipl".into(), text.to_string());
    let policy = analyze(sources);
    assert!(!policy.has_errors(), "{:?}", policy.diagnostics);
    policy
}

fn lint_of(shape: &str, n: usize) -> (Vec<Diagnostic>, Duration) {
    let policy = load(&shapes::generate(shape, n));
    let options = LintOptions {
        today: jiff::civil::date(2026, 6, 1),
    };
    let start = Instant::now();
    let found = lint::lint(&policy, &options);
    (found, start.elapsed())
}

/// How many findings of each code.
fn counts(found: &[Diagnostic]) -> BTreeMap<&'static str, usize> {
    let mut out = BTreeMap::new();
    for d in found {
        *out.entry(d.code.as_str()).or_default() += 1;
    }
    out
}

fn expect(found: &[Diagnostic], expected: &[(&str, usize)]) {
    let expected: BTreeMap<&str, usize> = expected.iter().copied().collect();
    assert_eq!(counts(found), expected);
}

#[test]
fn consent_over_many_parties_is_answered_exactly() {
    for n in [50, 200] {
        let (found, took) = lint_of("consent", n);
        expect(&found, &[]);
        // Before: 2.1 s at 200 parties (per-party subsets of every set).
        assert!(took < Duration::from_secs(5), "{n}: {took:?}");
    }
}

#[test]
fn consent_classes_find_a_dead_permit_over_a_large_group() {
    // Twelve parties in one objection: subsets of them were past the
    // limit (the question gave up and nothing was reported); as one
    // class, the permit is found dead exactly.
    let mut text = String::from(
        "agreement \"A\" { effective 2025-01-01 expires 2030-12-31 }\nparty a \"A\"\n",
    );
    let names: Vec<String> = (0..12).map(|k| format!("m{k}")).collect();
    for m in &names {
        text.push_str(&format!("party {m} \"{m}\"\n"));
    }
    text.push_str(&format!("group board = {}\n", names.join(", ")));
    text.push_str(
        "asset x \"X\" { class foreground owner a }\n\
         clause 1 { permit license of x by a when consent of board }\n\
         clause 2 { forbid license of x by a unless objection of board }\n\
         clause 3 { forbid license of x by a when consent of any board }\n",
    );
    let policy = load(&text);
    let options = LintOptions {
        today: jiff::civil::date(2026, 6, 1),
    };
    let found = lint::lint(&policy, &options);
    let dead: Vec<&Diagnostic> = found
        .iter()
        .filter(|d| d.code.as_str() == "ipl::lint::dead_permit")
        .collect();
    assert_eq!(dead.len(), 1, "{found:?}");
    assert!(
        dead[0].message.contains("permit `1`"),
        "{}",
        dead[0].message
    );
}

#[test]
fn contradictions_are_one_finding_per_permit() {
    let n = 2000;
    let (found, took) = lint_of("contradiction", n);
    // One contradiction per permit (each counting the 1,000 forbids), and
    // every copy after the first of each kind shadowed.
    expect(
        &found,
        &[
            ("ipl::lint::contradiction", n / 2),
            ("ipl::lint::shadowed_clause", n - 2),
        ],
    );
    let first = found
        .iter()
        .find(|d| d.code.as_str() == "ipl::lint::contradiction")
        .unwrap();
    assert!(first.message.contains("1000"), "{}", first.message);
    // Before: 18.8 s and 3 GB at 2,000 clauses.
    assert!(took < Duration::from_secs(20), "{took:?}");
}

#[test]
fn notwithstanding_chain() {
    let (found, _) = lint_of("notwithstanding", 1000);
    expect(&found, &[]);
}

#[test]
fn one_clause_per_field_of_a_large_tree() {
    let n = 2000;
    let (found, took) = lint_of("fields", n);
    // Each leaf's permit is shadowed by its group's.
    let groups = n.div_ceil(11);
    expect(&found, &[("ipl::lint::shadowed_clause", n - groups)]);
    // Before: 181 s.
    assert!(took < Duration::from_secs(20), "{took:?}");
}

#[test]
fn nested_groups() {
    let n = 4000;
    let (found, took) = lint_of("groups", n);
    // Each group's permit is shadowed by the next group's, which holds it.
    expect(&found, &[("ipl::lint::shadowed_clause", n - 1)]);
    // Before: 3.3 s (each question listed every member of its groups).
    assert!(took < Duration::from_secs(20), "{took:?}");
}

#[test]
fn similar_clauses() {
    let n = 10_000;
    let (found, took) = lint_of("similar", n);
    expect(&found, &[("ipl::lint::shadowed_clause", n - 100)]);
    assert!(took < Duration::from_secs(20), "{took:?}");
}

/// Writes every shape at the sizes the growth curves use, for measuring
/// the binary end to end (docs/performance.md):
/// `SCALE_DIR=/tmp/shapes cargo test --release --test scale -- --ignored write_shapes`
#[test]
#[ignore = "writes files for measurement"]
fn write_shapes() {
    let dir = std::env::var("SCALE_DIR").unwrap_or_else(|_| "/tmp/shapes".into());
    std::fs::create_dir_all(&dir).unwrap();
    let sizes: Vec<usize> = std::env::var("SCALE_SIZES")
        .unwrap_or_else(|_| "500,1000,2000,4000,8000".into())
        .split(',')
        .map(|s| s.trim().parse().unwrap())
        .collect();
    for shape in shapes::SHAPES {
        for &n in &sizes {
            std::fs::write(format!("{dir}/{shape}{n}.ipl"), shapes::generate(shape, n)).unwrap();
        }
    }
}
