//! `ipcheck eval` and `ipcheck test` end to end: decisions, exit codes,
//! action files in every layout, and the human report.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::unreachable
)] // a test may panic

use std::path::PathBuf;
use std::process::{Command, Output};

fn example() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("policies/ssb-consortium")
}

fn ipcheck(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ipcheck"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .output()
        .expect("runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

const RECYCLER: &str = "catl license sulfide_electrolyte to acme field recycling territory eu on 2026-06-01 until 2029-12-31 non_exclusive non_sublicensable";

#[test]
fn eval_reports_and_exits_by_decision() {
    let permit = ipcheck(&[
        "eval",
        "policies/ssb-consortium",
        "--action",
        &format!("{RECYCLER} notice bmw 60 days"),
    ]);
    assert_eq!(permit.status.code(), Some(0), "{}", stdout(&permit));
    assert!(stdout(&permit).starts_with("✓ permit by 8.2.3"));

    let conditional = ipcheck(&[
        "eval",
        "policies/ssb-consortium",
        "--action",
        &format!("{RECYCLER} notice bmw 30 days"),
    ]);
    assert_eq!(conditional.status.code(), Some(0));
    let strict = ipcheck(&[
        "eval",
        "policies/ssb-consortium",
        "--strict",
        "--action",
        &format!("{RECYCLER} notice bmw 30 days"),
    ]);
    assert_eq!(strict.status.code(), Some(1));

    let deny = ipcheck(&[
        "eval",
        "policies/ssb-consortium",
        "--action",
        "bmw exploit cathode_precursor on 2026-05-01",
    ]);
    assert_eq!(deny.status.code(), Some(1));
    insta::assert_snapshot!("eval_deny_human", stdout(&deny));
}

#[test]
fn eval_conditional_human_report() {
    let out = ipcheck(&[
        "eval",
        "policies/ssb-consortium",
        "--explain",
        "--action",
        "catl publish sulfide_electrolyte on 2026-10-01 notice bmw 50 days",
    ]);
    insta::assert_snapshot!("eval_conditional_explain", stdout(&out));
}

#[test]
fn eval_unknown_names_exit_2_with_a_suggestion() {
    let out = ipcheck(&[
        "eval",
        "policies/ssb-consortium",
        "--action",
        "catll research sulfide_electrolyte on 2026-01-01",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("did you mean `catl`?"), "{err}");
}

#[test]
fn eval_json_is_one_object_per_line_in_input_order() {
    let out = ipcheck(&[
        "eval",
        "policies/ssb-consortium",
        "--format",
        "json",
        "--action",
        "bmw research sulfide_electrolyte on 2026-05-01",
        "--action",
        "bmw exploit cathode_precursor on 2026-05-01",
        "--action",
        "umicore publish cell_model on 2026-10-01",
    ]);
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let summary: Vec<(String, serde_json::Value)> = lines
        .iter()
        .map(|v| {
            (
                v["decision"].as_str().unwrap().to_string(),
                v["decided_by"].clone(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("permit".to_string(), serde_json::json!("8.2.1")),
            ("deny".to_string(), serde_json::json!("9.2")),
            ("deny".to_string(), serde_json::Value::Null),
        ]
    );
    assert_eq!(lines[2]["near_misses"][0]["label"], "8.4");
}

#[test]
fn action_files_in_every_layout_decide_alike() {
    let dir = tempfile::tempdir().unwrap();
    let record = r#"{"actor":"catl","verb":"license","asset":"sulfide_electrolyte","to":"acme","field":"recycling","territory":"eu","date":"2026-06-01","until":"2029-12-31","exclusive":false,"sublicensable":false,"notice":{"bmw":"60 days"}}"#;
    let ndjson = dir.path().join("a.ndjson");
    std::fs::write(&ndjson, format!("{record}\n\n{record}\n")).unwrap();
    let json = dir.path().join("a.json");
    std::fs::write(&json, format!("[{record},\n {record}]")).unwrap();
    let toml = dir.path().join("a.toml");
    std::fs::write(
        &toml,
        "[[action]]\nactor = \"catl\"\nverb = \"license\"\nasset = \"sulfide_electrolyte\"\nto = \"acme\"\nfield = \"recycling\"\nterritory = \"eu\"\ndate = \"2026-06-01\"\nuntil = \"2029-12-31\"\nexclusive = false\nsublicensable = false\nnotice = { bmw = \"60 days\" }\n",
    )
    .unwrap();
    for (file, count) in [(&ndjson, 2), (&json, 2), (&toml, 1)] {
        let out = ipcheck(&[
            "eval",
            "policies/ssb-consortium",
            "--format",
            "json",
            "--actions",
            file.to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
        let decisions: Vec<String> = stdout(&out)
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["decided_by"].to_string()
            })
            .collect();
        assert_eq!(
            decisions,
            vec!["\"8.2.3\"".to_string(); count],
            "{}",
            file.display()
        );
    }
}

#[test]
fn a_bad_line_in_ndjson_is_reported_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.ndjson");
    std::fs::write(
        &file,
        "{\"actor\":\"bmw\",\"verb\":\"research\",\"asset\":\"sulfide_electrolyte\",\"date\":\"2026-05-01\"}\n{\"actor\":\"bmw\"}\n",
    )
    .unwrap();
    let out = ipcheck(&[
        "eval",
        "policies/ssb-consortium",
        "--format",
        "json",
        "--actions",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["decision"], "permit");
    assert_eq!(
        lines[1]["error"][0]["code"],
        "ipl::names::bad_action_record"
    );
    // The line in the file, though each line is read on its own.
    assert_eq!(lines[1]["error"][0]["line"], 2);
    assert!(
        lines[1]["error"][0]["file"]
            .as_str()
            .unwrap()
            .ends_with("a.ndjson")
    );
}

#[test]
fn test_runs_every_scenario() {
    let out = ipcheck(&["test", example().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).ends_with("23 passed, 0 failed\n"));
}

#[test]
fn a_failing_scenario_points_at_its_expectation() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["agreement.ipl", "scenarios.ipl"] {
        std::fs::copy(example().join(f), dir.path().join(f)).unwrap();
    }
    std::fs::write(
        dir.path().join("wrong.ipl"),
        "scenario \"Research is denied (it is not)\" {\n  action bmw research sulfide_electrolyte on 2026-05-01\n  expect deny by 9.2\n}\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_ipcheck"))
        .args(["test", "."])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.ends_with("23 passed, 1 failed\n"), "{text}");
    let failure = text
        .lines()
        .skip_while(|l| !l.starts_with("✗"))
        .take(14)
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!("test_failure", failure);
}
