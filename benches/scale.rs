//! Growth curves for issues 17 and 18: each shape whose lint cost grew
//! faster than the policy (support/shapes.rs: consent predicates over N
//! parties, contradicting permits and forbids, a `notwithstanding` chain,
//! one clause per field of a tree, nested groups, similar clauses) at
//! 500 to 8,000 clauses.
//!
//! - `scale_lint/SHAPE/N`: every lint on the loaded policy;
//! - `scale_format/FORMAT/N`: `ipcheck lint --format FORMAT` in process
//!   (load, lint, report) on the contradiction shape, the one with the
//!   most findings per clause;
//! - `scale_lsp/SHAPE`: the language server's answer (diagnostics
//!   published) to a valid edit of a 1,000-clause policy of each shape;
//! - before those, a table of the time each lint family takes on each
//!   shape and size (one run each), printed to stderr.
//!
//! The figures are recorded in docs/performance.md ("Scale: growth
//! curves"). `SCALE_SIZES=500,1000` measures fewer sizes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a bench may panic

#[path = "support/lsp_client.rs"]
mod lsp_client;
#[path = "support/shapes.rs"]
mod shapes;
use lsp_client::{insert, server_with, wait_version};

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use ipcheck::cli::{FixOptions, ReportOptions};
use ipcheck::lint::{self, LINTS, LintOptions};
use ipcheck::policy::{Policy, analyze};
use ipcheck::report::Format;
use ipcheck::source::SourceMap;
use lsp_server::{Notification, Request, RequestId};
use serde_json::json;

fn sizes() -> Vec<usize> {
    std::env::var("SCALE_SIZES")
        .unwrap_or_else(|_| "500,1000,2000,4000,8000".into())
        .split(',')
        .map(|s| s.trim().parse().unwrap())
        .collect()
}

fn options() -> LintOptions {
    LintOptions {
        today: jiff::civil::date(2026, 6, 1),
    }
}

fn load(text: &str) -> Policy {
    let mut sources = SourceMap::default();
    sources.add("policy.ipl", "policy.ipl".into(), text.to_string());
    let policy = analyze(sources);
    assert!(!policy.has_errors());
    policy
}

/// One run of every lint on every shape and size: milliseconds and units
/// of work per lint family, as a Markdown table per shape.
fn families() {
    for shape in shapes::SHAPES {
        let mut header = format!("\n{shape}\n\n| lint |");
        let mut rule = String::from("|---|");
        let mut rows: Vec<String> = LINTS.iter().map(|l| format!("| {} |", l.name())).collect();
        for n in sizes() {
            header.push_str(&format!(" {n} |"));
            rule.push_str("---|");
            let policy = load(&shapes::generate(shape, n));
            let (_, times) = lint::lint_timed(&policy, &options());
            for (row, cost) in rows.iter_mut().zip(times) {
                row.push_str(&format!(
                    " {:.1} ms, {} |",
                    cost.time.as_secs_f64() * 1e3,
                    cost.work
                ));
            }
        }
        eprintln!("{header}\n{rule}\n{}", rows.join("\n"));
    }
}

fn scale_lint(c: &mut Criterion) {
    families();
    let mut group = c.benchmark_group("scale_lint");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(200));
    group.measurement_time(Duration::from_secs(1));
    for shape in shapes::SHAPES {
        for n in sizes() {
            let policy = load(&shapes::generate(shape, n));
            group.bench_with_input(BenchmarkId::new(*shape, n), &policy, |b, policy| {
                b.iter(|| lint::lint(black_box(policy), &options()))
            });
        }
    }
    group.finish();
}

fn scale_format(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mut group = c.benchmark_group("scale_format");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(200));
    group.measurement_time(Duration::from_secs(1));
    for n in sizes() {
        let path = dir.path().join(format!("contradiction{n}.ipl"));
        std::fs::write(&path, shapes::generate("contradiction", n)).unwrap();
        for (name, format) in [
            ("human", Format::Human),
            ("json", Format::Json),
            ("sarif", Format::Sarif),
            ("github", Format::Github),
            ("markdown", Format::Markdown),
        ] {
            let report = ReportOptions {
                format,
                root: Some(dir.path().to_path_buf()),
                ..ReportOptions::default()
            };
            group.bench_with_input(BenchmarkId::new(name, n), &path, |b, path| {
                b.iter(|| {
                    let (mut out, mut err) = (Vec::new(), Vec::new());
                    ipcheck::cli::lint(
                        std::slice::from_ref(path),
                        Some(options().today),
                        FixOptions::default(),
                        &report,
                        &mut out,
                        &mut err,
                    )
                    .unwrap();
                    out.len()
                })
            });
        }
    }
    group.finish();
}

fn scale_lsp(c: &mut Criterion) {
    let mut group = c.benchmark_group("scale_lsp");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(200));
    group.measurement_time(Duration::from_secs(1));
    for shape in shapes::SHAPES {
        let (client, thread) = server_with(
            &shapes::generate(shape, 1000),
            "untitled:scale.ipl",
            "2026-06-01",
        );
        let mut version = 1;
        // A valid edit: a comment line after the agreement.
        group.bench_function(*shape, |b| {
            b.iter(|| {
                version += 1;
                let _ = client
                    .sender
                    .send(insert("untitled:scale.ipl", version, 4, "// x\n"));
                wait_version(&client, Some(version));
            })
        });
        let _ = client
            .sender
            .send(Request::new(RequestId::from(2), "shutdown".to_string(), json!(null)).into());
        let _ = client.receiver.recv();
        let _ = client
            .sender
            .send(Notification::new("exit".to_string(), json!(null)).into());
        let _ = thread.join();
    }
    group.finish();
}

criterion_group!(benches, scale_lint, scale_format, scale_lsp);
criterion_main!(benches);
