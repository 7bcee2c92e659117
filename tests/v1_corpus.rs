//! The IPL v1 acceptance corpus (LANGUAGE.md §7): every policy under
//! `policies/v1/` passes all its scenarios (their `owes` lines included)
//! and ships identical to the shared corpus when that is present beside
//! the repository; every faulty policy under `tests/fixtures/v1-errors/`
//! fails `ipcheck lint` with its own diagnostic, snapshotted.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::unreachable
)] // a test may panic

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_ipcheck"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .output()
        .expect("the binary runs");
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    (output.status.code().unwrap_or(-1), text)
}

fn dirs(under: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(under)
        .expect("the corpus exists")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    out
}

#[test]
fn every_v1_policy_passes_its_scenarios() {
    let policies = dirs(&root().join("policies/v1"));
    assert!(
        policies.len() >= 12,
        "the corpus has a policy per part of §7"
    );
    for dir in policies {
        let path = dir.display().to_string();
        let (code, out) = run(&["test", &path]);
        assert_eq!(code, 0, "{path}:\n{out}");
        let last = out.lines().last().unwrap_or_default().to_string();
        assert!(last.ends_with(" 0 failed"), "{path}: {last}");
        assert!(!last.starts_with("0 passed"), "{path} ran no scenario");
    }
}

#[test]
fn the_shipped_corpus_is_the_shared_one() {
    let shared = root().join("../shared/examples/v1");
    if !shared.is_dir() {
        eprintln!("skipped: no shared corpus beside the repository");
        return;
    }
    for dir in dirs(&shared) {
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let ours = if name == "errors" {
            root().join("tests/fixtures/v1-errors")
        } else {
            root().join("policies/v1").join(name)
        };
        let compare = |a: &Path, b: &Path| {
            for entry in std::fs::read_dir(a).expect("readable") {
                let entry = entry.expect("an entry");
                let theirs = entry.path();
                let mine = b.join(entry.file_name());
                if theirs.is_dir() {
                    for inner in std::fs::read_dir(&theirs).expect("readable") {
                        let inner = inner.expect("an entry").path();
                        let mine = mine.join(inner.file_name().expect("a name"));
                        assert_eq!(
                            std::fs::read(&inner).ok(),
                            std::fs::read(&mine).ok(),
                            "{}",
                            mine.display()
                        );
                    }
                } else {
                    assert_eq!(
                        std::fs::read(&theirs).ok(),
                        std::fs::read(&mine).ok(),
                        "{}",
                        mine.display()
                    );
                }
            }
        };
        compare(&dir, &ours);
    }
}

#[test]
fn every_faulty_v1_policy_fails_lint_where_the_mistake_is() {
    let expected = [
        (
            "notwithstanding-prevailing",
            "ipl::check::notwithstanding_prevailing",
        ),
        ("prevails-cycle", "ipl::check::precedence_cycle"),
        ("same-label-same-date", "ipl::check::amended_twice_same_day"),
        ("undeclared-event", "ipl::names::unknown_event"),
        ("undeclared-fact-in-action", "ipl::names::unknown_fact"),
        ("undeclared-fact-in-clause", "ipl::names::unknown_fact"),
    ];
    let base = root().join("tests/fixtures/v1-errors");
    assert_eq!(
        dirs(&base).len(),
        expected.len(),
        "one expectation per faulty policy"
    );
    for (name, code) in expected {
        let path = format!("tests/fixtures/v1-errors/{name}");
        let (exit, out) = run(&["lint", &path]);
        assert_eq!(exit, 1, "{name}:\n{out}");
        assert!(out.contains(code), "{name} should report {code}:\n{out}");
        insta::assert_snapshot!(format!("v1_error_{name}"), out);
    }
}

#[test]
fn the_register_lists_rights_out_what_is_free_and_blocked_overlaps() {
    let (code, human) = run(&["grants", "policies/v1/grants", "--at", "2028-06-01"]);
    assert_eq!(code, 0, "{human}");
    insta::assert_snapshot!("grants_human", human);
    let (code, json) = run(&[
        "grants",
        "policies/v1/grants",
        "--asset",
        "sensor_patent",
        "--at",
        "2028-06-01",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{json}");
    let doc: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    let assets = doc["assets"].as_array().expect("assets");
    assert_eq!(assets.len(), 1);
    assert_eq!(assets[0]["holders"].as_array().map(Vec::len), Some(2));
    assert_eq!(assets[0]["free"][0]["field"], "medical");
    // A licence of the exclusively licensed asset by its licensor, in the
    // licensee's field, is a blocked overlap: exit 1.
    let dir = tempfile::tempdir().expect("a temporary directory");
    for entry in std::fs::read_dir(root().join("policies/v1/grants")).expect("readable") {
        let path = entry.expect("an entry").path();
        let target = dir.path().join(path.file_name().expect("a name"));
        std::fs::copy(&path, &target).expect("copied");
    }
    let extra = "grant L-X { non_exclusive license of sensor_patent from rto to other field cars from 2029-01-01 }\n";
    std::fs::write(dir.path().join("extra.ipl"), extra).expect("written");
    let (code, out) = run(&[
        "grants",
        &dir.path().display().to_string(),
        "--asset",
        "sensor_patent",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("blocked: L-X overlaps exclusive grant L-2027-01"),
        "{out}"
    );
    let (code, out) = run(&["grants", "policies/v1/grants", "--asset", "sensor_patnt"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("did you mean `sensor_patent`?"), "{out}");
}
