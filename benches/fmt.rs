//! `cargo bench --bench fmt`: formatting a generated policy of 10,000 clauses.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::unreachable
)] // a test may panic

use criterion::{Criterion, criterion_group, criterion_main};

/// A policy of `clauses` clauses in an untidy layout: a few declarations,
/// then clauses with lists, conditions, duties and comments.
fn policy(clauses: usize) -> String {
    let mut text = String::from(
        "// generated for the fmt benchmark\nagreement \"Bench\" { effective 2025-01-01 expires 2030-12-31 }\n\
         party a \"A\"\nparty bb \"B\"\nparty ccc \"C\"\ngroup all = a, bb, ccc\n\
         fields { batteries { ev, stationary }, recycling }\n",
    );
    for i in 0..clauses {
        text.push_str(&format!(
            "/// Clause {i}.\nclause {i}.1 \"Generated clause {i}\" {{ permit license, assign of foreground jointly_owned, background tagged core\n\
             by   owners except a // who\n  to third_parties field batteries , recycling\n\
             when not exclusive and (royalty >= 3% or consent of co_owners)\n\
             duty notify co_owners 45 days before   duty pay 2% of income to bb }}\n\n\n"
        ));
    }
    text
}

fn bench(c: &mut Criterion) {
    let text = policy(10_000);
    let mut group = c.benchmark_group("fmt");
    group.sample_size(10);
    assert!(ipcheck::fmt::format_source(&text).is_ok());
    group.bench_function("format_source, 10,000 clauses", |b| {
        b.iter(|| ipcheck::fmt::format_source(std::hint::black_box(&text)))
    });
    // For reference: one parse of the same text (format_source parses it,
    // each item's parse tree, and the result).
    group.bench_function("parse_file, 10,000 clauses", |b| {
        b.iter(|| {
            ipcheck::syntax::parse_file(std::hint::black_box(&text), ipcheck::span::FileId(0))
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
