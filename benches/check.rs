//! `ipcheck check` on a generated repository of 200 policy files: 100
//! copies of the shipped consortium policy (agreement and scenarios, 23
//! scenarios each) under `policies/`, an `ipcheck.toml` naming them by a
//! glob, and one proposal of three actions decided against each policy.
//! The target is a whole check in under a second.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::unreachable
)] // a test may panic

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use ipcheck::cli::{self, CheckOptions, ReportOptions};
use ipcheck::report::{Format, Outcome};

const AGREEMENT: &str = include_str!("../policies/ssb-consortium/agreement.ipl");
const SCENARIOS: &str = include_str!("../policies/ssb-consortium/scenarios.ipl");
const PROPOSAL: &str = r#"title = "Recycling licence and a China EV licence"
author = "bench"

[[action]]
actor = "catl"
verb = "license"
asset = "sulfide_electrolyte"
to = "acme"
field = "recycling"
territory = "eu"
date = "2026-06-01"
until = "2029-12-31"
exclusive = false
sublicensable = false
notice = { bmw = "60 days" }

[[action]]
actor = "catl"
verb = "license"
asset = "sulfide_electrolyte"
to = "bmw"
field = "ev"
territory = "cn"
date = "2026-06-01"

[[action]]
actor = "umicore"
verb = "license"
asset = "cathode_precursor"
to = "acme"
date = "2026-06-01"
"#;

/// Writes the repository: 100 policy directories of two files each.
pub fn generate(root: &Path, policies: usize) -> std::io::Result<()> {
    std::fs::write(
        root.join("ipcheck.toml"),
        "today = 2026-05-01\n\n[[policy]]\npath = \"policies/*\"\nproposals = [\"proposals/*.toml\"]\n",
    )?;
    std::fs::create_dir_all(root.join("proposals"))?;
    std::fs::write(root.join("proposals/deal.toml"), PROPOSAL)?;
    for i in 0..policies {
        let dir = root.join(format!("policies/consortium-{i:03}"));
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join("agreement.ipl"), AGREEMENT)?;
        std::fs::write(dir.join("scenarios.ipl"), SCENARIOS)?;
    }
    Ok(())
}

fn check(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    generate(dir.path(), 100).expect("the generated repository");
    let mut group = c.benchmark_group("check");
    group.sample_size(10);
    for format in [Format::Human, Format::Json, Format::Sarif] {
        let report = ReportOptions {
            format,
            ..ReportOptions::default()
        };
        group.bench_function(format!("200_files_{format:?}").to_lowercase(), |b| {
            b.iter(|| {
                let outcome = cli::check(
                    dir.path(),
                    &CheckOptions::default(),
                    &report,
                    &mut std::io::sink(),
                )
                .expect("the check runs");
                assert_ne!(outcome, Outcome::CouldNotRun);
                outcome
            })
        });
    }
    group.finish();
}

criterion_group!(benches, check);
criterion_main!(benches);
