//! Growth curves for the inputs of issues 17 and 18 (docs/performance.md):
//! N broken items through the front end, the same N rendered for humans
//! (with and without the cap of 100 findings per code), and one error at
//! a growing column of one long line.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::unreachable
)] // a test may panic

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use ipcheck::policy::analyze;
use ipcheck::report::human::{Style, render};
use ipcheck::source::SourceMap;

fn broken(n: usize) -> String {
    (0..n)
        .map(|k| format!("clause {k} {{ permit }}\n"))
        .collect()
}

fn load(text: &str) -> ipcheck::policy::Policy {
    let mut sources = SourceMap::default();
    sources.add("broken.ipl", "broken.ipl".into(), text);
    analyze(sources)
}

/// Parse and recover: every item is broken.
fn broken_items(c: &mut Criterion) {
    let mut group = c.benchmark_group("broken_items_parse");
    group.sample_size(10);
    for n in [5_000, 10_000, 20_000, 40_000] {
        let text = broken(n);
        group.bench_with_input(BenchmarkId::from_parameter(n), &text, |b, text| {
            b.iter(|| {
                let policy = load(text);
                assert!(policy.diagnostics.len() >= n);
                policy
            })
        });
    }
    group.finish();
}

/// Every diagnostic of N broken items rendered (no cap: the renderer's
/// own cost per diagnostic).
fn render_errors(c: &mut Criterion) {
    let mut group = c.benchmark_group("broken_items_render_all");
    group.sample_size(10);
    for n in [5_000, 10_000, 20_000, 40_000] {
        let policy = load(&broken(n));
        group.bench_with_input(BenchmarkId::from_parameter(n), &policy, |b, policy| {
            b.iter(|| {
                policy
                    .diagnostics
                    .iter()
                    .map(|d| render(d, &policy.sources, Style::PLAIN).len())
                    .sum::<usize>()
            })
        });
    }
    group.finish();
}

/// One syntax error at a growing column of one line.
fn long_line(c: &mut Criterion) {
    let mut group = c.benchmark_group("long_line_render");
    group.sample_size(20);
    for column in [1_000, 70_000, 1_000_000, 20_000_000] {
        let text = format!("{}clause 1 {{ permit use by a ! }}\n", " ".repeat(column));
        let policy = load(&text);
        group.bench_with_input(BenchmarkId::from_parameter(column), &policy, |b, policy| {
            b.iter(|| {
                policy
                    .diagnostics
                    .iter()
                    .map(|d| render(d, &policy.sources, Style::PLAIN).len())
                    .sum::<usize>()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, broken_items, render_errors, long_line);
criterion_main!(benches);
