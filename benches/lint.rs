//! `ipcheck lint` on the generated peer policy of 2,000 clauses (the mix of
//! `shared/bench/gen_peer.py`, see support/peer.rs): every lint, on the
//! loaded policy and including the load. The figures are recorded in
//! docs/lints.md under "Performance".

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::unreachable
)] // a test may panic

#[path = "support/peer.rs"]
mod peer;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ipcheck::lint::{self, LintOptions};
use ipcheck::policy::{Policy, analyze};
use ipcheck::source::SourceMap;

fn load(text: &str) -> Policy {
    let mut sources = SourceMap::default();
    sources.add("policy.ipl", "policy.ipl".into(), text.to_string());
    analyze(sources)
}

fn bench(c: &mut Criterion) {
    let (text, _) = peer::generate(2000, 0);
    let options = LintOptions {
        today: jiff::civil::date(2026, 6, 1),
    };
    let policy = load(&text);
    assert!(!policy.has_errors());
    c.bench_function("lint 2000 clauses", |b| {
        b.iter(|| lint::lint(black_box(&policy), &options))
    });
    c.bench_function("load and lint 2000 clauses", |b| {
        b.iter(|| lint::lint(&load(black_box(&text)), &options))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
