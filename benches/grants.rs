//! `ipcheck grants` on a generated register of 10,000 grants over 100
//! assets (exclusive, sole and non-exclusive, in fields and territories of
//! two small trees, over staggered periods), and the decisions the grants
//! take part in. The figures are recorded in docs/performance.md.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::unreachable
)] // a test may panic

use std::fmt::Write as _;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ipcheck::decide::Engine;
use ipcheck::policy::{Policy, analyze};
use ipcheck::source::SourceMap;

fn generate(grants: usize, assets: usize) -> String {
    let mut text = String::from(
        "agreement \"Register\" { effective 2025-01-01 expires 2045-12-31 }\n\
         fields { automotive { cars, trucks }, medical, energy { storage, grid } }\n\
         territories { world { eu, us, cn, jp } }\n",
    );
    for p in 0..50 {
        let _ = writeln!(text, "party p{p} \"Party {p}\"");
    }
    for a in 0..assets {
        let _ = writeln!(
            text,
            "asset a{a} {{ class background type patent owner p{} }}",
            a % 50
        );
    }
    let fields = [
        "cars",
        "trucks",
        "medical",
        "storage",
        "grid",
        "automotive",
        "energy",
    ];
    let territories = ["eu", "us", "cn", "jp"];
    for g in 0..grants {
        let kind = match g % 10 {
            0 => "exclusive",
            1 => "sole",
            _ => "non_exclusive",
        };
        let year = 2025 + (g / assets) % 18;
        let _ = writeln!(
            text,
            "grant G-{g} {{ {kind} license of a{} from p{} to p{} field {} territory {} from {year}-01-01 until {}-12-31 }}",
            g % assets,
            (g % assets) % 50,
            (g * 7 + 1) % 50,
            fields[g % fields.len()],
            territories[(g / 3) % territories.len()],
            year + 1
        );
    }
    text
}

fn load(text: &str) -> Policy {
    let mut sources = SourceMap::default();
    sources.add("register.ipl", "register.ipl".into(), text.to_string());
    analyze(sources)
}

fn bench(c: &mut Criterion) {
    let text = generate(10_000, 100);
    let policy = load(&text);
    let at = jiff::civil::date(2030, 6, 1);
    c.bench_function("grants register of 10,000 grants", |b| {
        b.iter(|| ipcheck::register::register(black_box(&policy.model), None, at))
    });
    c.bench_function("load and list 10,000 grants", |b| {
        b.iter(|| ipcheck::register::register(&load(black_box(&text)).model, None, at))
    });
    let engine = Engine::new(&policy.model);
    let action = ipcheck::syntax::parse_action(
        "p3 exploit a3 field cars territory eu on 2030-06-01",
        ipcheck::span::FileId(0),
    )
    .ok()
    .and_then(|a| ipcheck::names::resolve_action(&policy.model, &a, ipcheck::span::FileId(0)).ok());
    if let Some(action) = action {
        c.bench_function("decide an exploitation among 10,000 grants", |b| {
            b.iter(|| engine.decide(black_box(&action)))
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
