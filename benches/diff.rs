//! `ipcheck diff` of two generated policies (the peer workload) that differ
//! in ten clauses: 100, 1,000 and 10,000 clauses (docs/performance.md).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::unreachable
)] // a test may panic

#[path = "support/peer.rs"]
mod peer;

use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use ipcheck::policy::{Policy, analyze};
use ipcheck::source::SourceMap;

fn policy(text: &str) -> Policy {
    let mut sources = SourceMap::default();
    sources.add("peer.ipl", "peer.ipl".into(), text.to_string());
    analyze(sources)
}

/// The generated policy of `n` clauses, and a copy with ten of them
/// edited: five lose their territory (widened), five turn into forbids
/// (narrowed).
pub fn pair(n: usize) -> (Policy, Policy) {
    let (text, _) = peer::generate(n, 0);
    let step = (n / 10).max(10);
    let edited: Vec<String> = text
        .lines()
        .map(|line| {
            let Some(rest) = line.strip_prefix("clause c") else {
                return line.to_string();
            };
            let i: usize = rest
                .split(' ')
                .next()
                .and_then(|d| d.parse().ok())
                .unwrap_or(usize::MAX);
            if i % step != 2 || i / step >= 10 {
                return line.to_string();
            }
            if (i / step).is_multiple_of(2) {
                match line.find(" territory ") {
                    Some(at) => {
                        let end = line[at + 11..]
                            .find(' ')
                            .map_or(line.len(), |e| at + 11 + e);
                        format!("{}{}", &line[..at], &line[end..])
                    }
                    None => line.to_string(),
                }
            } else {
                line.replacen("{ permit", "{ forbid", 1)
            }
        })
        .collect();
    let old = policy(&text);
    let new = policy(&(edited.join("\n") + "\n"));
    assert!(!old.has_errors() && !new.has_errors());
    (old, new)
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("diff");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    for n in [100, 1_000, 10_000] {
        let (old, new) = pair(n);
        let d = ipcheck::diff::diff(&old, &new);
        eprintln!(
            "diff/{n}: {} changes, {} regions differ of {} decided, {} pairs, complete: {}",
            d.changes.len(),
            d.summary.regions,
            d.summary.regions_examined,
            d.summary.pairs,
            d.summary.complete
        );
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| ipcheck::diff::diff(&old, &new))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
