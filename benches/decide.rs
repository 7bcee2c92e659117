//! Decisions per second: batches of generated actions against the example
//! policy and against generated policies of 1,000 and 10,000 clauses.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::unreachable
)] // a test may panic

#[path = "support/peer.rs"]
mod peer;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ipcheck::action_files::parse_ndjson_line;
use ipcheck::decide::Engine;
use ipcheck::names::{Action, resolve_action};
use ipcheck::policy::{Policy, analyze, load_files};
use ipcheck::source::SourceMap;
use ipcheck::span::FileId;

const BATCH: usize = 10_000;

fn resolve(policy: &Policy, lines: &[String]) -> Vec<Action> {
    lines
        .iter()
        .filter_map(|line| {
            let (record, span) = parse_ndjson_line(line, 0, FileId(0)).ok()?;
            let syntax = record.to_syntax(FileId(0), span).ok()?;
            resolve_action(&policy.model, &syntax, FileId(0)).ok()
        })
        .collect()
}

/// The example policy with actions drawn from its own names.
fn example() -> (Policy, Vec<Action>) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/policies/ssb-consortium");
    let policy = load_files(&[
        format!("{dir}/agreement.ipl").into(),
        format!("{dir}/scenarios.ipl").into(),
    ])
    .expect("example policy");
    let actors = ["catl", "bmw", "umicore", "fraunhofer", "catl_de"];
    let verbs = [
        "research",
        "exploit",
        "license",
        "sublicense",
        "assign",
        "publish",
    ];
    let assets = [
        "sulfide_electrolyte",
        "cell_model",
        "dry_coating",
        "cathode_precursor",
    ];
    let fields = ["ev", "stationary", "recycling", "batteries"];
    let territories = ["eu", "cn", "us", "europe"];
    let mut lines = Vec::new();
    for i in 0..BATCH {
        lines.push(format!(
            "{{\"actor\":\"{}\",\"verb\":\"{}\",\"asset\":\"{}\",\"to\":\"acme\",\"field\":\"{}\",\"territory\":\"{}\",\"date\":\"202{}-06-01\",\"exclusive\":{},\"notice\":{{\"bmw\":\"60 days\"}}}}",
            actors[i % 5],
            verbs[(i / 5) % 6],
            assets[(i / 30) % 4],
            fields[(i / 7) % 4],
            territories[(i / 11) % 4],
            5 + (i % 5),
            i % 2 == 0
        ));
    }
    let actions = resolve(&policy, &lines);
    (policy, actions)
}

fn generated(n: usize) -> (Policy, Vec<Action>) {
    let (text, lines) = peer::generate(n, BATCH);
    let mut sources = SourceMap::default();
    sources.add("policy.ipl", "policy.ipl".into(), text);
    let policy = analyze(sources);
    let actions = resolve(&policy, &lines);
    (policy, actions)
}

fn decide(c: &mut Criterion) {
    let mut group = c.benchmark_group("decide");
    group.sample_size(20);
    let cases = [
        ("example_policy", example()),
        ("peer_1000_clauses", generated(1_000)),
        ("peer_10000_clauses", generated(10_000)),
    ];
    for (name, (policy, actions)) in &cases {
        assert_eq!(actions.len(), BATCH, "{name}: every action resolves");
        let engine = Engine::new(&policy.model);
        group.throughput(Throughput::Elements(actions.len() as u64));
        group.bench_function(*name, |b| {
            b.iter(|| {
                actions
                    .iter()
                    .map(|a| engine.decide(a).decision as usize)
                    .sum::<usize>()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, decide);
criterion_main!(benches);
