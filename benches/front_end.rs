//! Parse, resolve and check a generated policy of 10,000 clauses
//! (about 1.5 MB): the front end's throughput in MB/s.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::unreachable
)] // a test may panic

#[path = "support/peer.rs"]
mod peer;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ipcheck::policy::analyze;
use ipcheck::source::SourceMap;

fn front_end(c: &mut Criterion) {
    let mut group = c.benchmark_group("front_end");
    group.sample_size(20);
    for n in [1_000, 10_000] {
        let (policy, _) = peer::generate(n, 0);
        group.throughput(Throughput::Bytes(policy.len() as u64));
        group.bench_function(format!("parse_resolve_check_{n}_clauses"), |b| {
            b.iter(|| {
                let mut sources = SourceMap::default();
                sources.add("policy.ipl", "policy.ipl".into(), policy.as_str());
                let policy = analyze(sources);
                assert!(!policy.has_errors());
                policy
            })
        });
    }
    group.finish();
}

criterion_group!(benches, front_end);
criterion_main!(benches);
