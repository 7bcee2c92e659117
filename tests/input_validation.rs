//! Issues 17 and 18: input that was accepted but should not be, and
//! actions that failed without a word. One validation for every form an
//! action comes in (`--action`, JSON, NDJSON, TOML).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::unreachable
)] // a test may panic

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn policy() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/ssb-consortium/agreement.ipl")
}

fn eval(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ipcheck"))
        .arg("eval")
        .arg(policy())
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The JSON lines of an `eval --format json` run.
fn records(output: &Output) -> Vec<serde_json::Value> {
    stdout(output)
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The codes of a record's errors; empty for a decision.
fn error_codes(record: &serde_json::Value) -> Vec<String> {
    record["error"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| e["code"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

const GOOD: &str = r#"{"actor":"catl","verb":"license","asset":"sulfide_electrolyte","to":"acme","date":"2026-06-01"}"#;

fn with(field: &str, value: &str) -> String {
    GOOD.replacen(
        r#""date":"2026-06-01""#,
        &format!(r#""date":"2026-06-01","{field}":{value}"#),
        1,
    )
}

#[test]
fn an_impossible_date_on_the_command_line_is_an_invalid_date_in_the_action() {
    let action = "bmw research sulfide_electrolyte on 2027-02-30";
    let output = eval(&["--action", action]);
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("ipl::check::invalid_date"), "{err}");
    assert!(err.contains("February 2027 has 28 days"), "{err}");
    assert!(err.contains("<action 1>:1:37"), "{err}");

    let output = eval(&["--format", "json", "--action", action]);
    assert_eq!(output.status.code(), Some(2));
    let found = records(&output);
    assert_eq!(
        error_codes(&found[0]),
        ["ipl::check::invalid_date"],
        "{found:?}"
    );
    assert_eq!(found[0]["error"][0]["column"], 37);
}

#[test]
fn command_line_actions_are_validated_like_records() {
    for (action, code) in [
        (
            "catl license sulfide_electrolyte to acme on 2026-06-01 royalty 99999999999999999999999%",
            "ipl::check::percent_out_of_range",
        ),
        (
            "catl license sulfide_electrolyte to acme on 2026-06-01 until 2026-01-01",
            "ipl::check::action_until_before_on",
        ),
        (
            "bmw research sulfide_electrolyte on 0000-01-01",
            "ipl::check::invalid_date",
        ),
    ] {
        let output = eval(&["--format", "json", "--action", action]);
        assert_eq!(output.status.code(), Some(2), "{action}");
        assert_eq!(error_codes(&records(&output)[0]), [code], "{action}");
    }
}

#[test]
fn ndjson_lines_are_validated_and_a_bad_line_does_not_end_the_batch() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("actions.ndjson");
    let mut bytes = "\u{FEFF}".as_bytes().to_vec();
    bytes.extend_from_slice(GOOD.as_bytes());
    bytes.push(b'\n');
    bytes.extend_from_slice(b"{\"actor\":\"catl\xff\"}\n");
    let lines = [
        with("until", r#""2026-01-01""#),
        GOOD.replace("2026-06-01", "2026x06y01"),
        GOOD.replace("2026-06-01", "-001-01-01"),
        GOOD.replace("2026-06-01", "0000-01-01"),
        with("royalty", r#""99999999999999999999999%""#),
        GOOD.to_string(),
    ];
    for line in &lines {
        bytes.extend_from_slice(line.as_bytes());
        bytes.push(b'\n');
    }
    std::fs::write(&path, bytes).unwrap();
    let output = eval(&["--format", "json", "--actions", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    let found = records(&output);
    assert_eq!(found.len(), 8, "{found:#?}");
    // The BOM is not part of the first record.
    assert!(error_codes(&found[0]).is_empty(), "{:?}", found[0]);
    // The invalid line is reported with its line number.
    assert_eq!(error_codes(&found[1]), ["ipl::syntax::invalid_utf8"]);
    assert_eq!(found[1]["error"][0]["line"], 2);
    assert!(
        found[1]["error"][0]["message"]
            .as_str()
            .unwrap()
            .contains("line 2")
    );
    assert_eq!(
        error_codes(&found[2]),
        ["ipl::check::action_until_before_on"]
    );
    assert_eq!(error_codes(&found[3]), ["ipl::names::bad_action_value"]);
    assert_eq!(error_codes(&found[4]), ["ipl::names::bad_action_value"]);
    assert_eq!(error_codes(&found[5]), ["ipl::check::invalid_date"]);
    assert_eq!(error_codes(&found[6]), ["ipl::names::bad_action_value"]);
    // The batch went on to the last line.
    assert!(error_codes(&found[7]).is_empty(), "{:?}", found[7]);
    assert_eq!(found[5]["error"][0]["line"], 6);
}

#[test]
fn decided_by_location_points_into_the_policy_for_ndjson() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("actions.ndjson");
    std::fs::write(&path, format!("{GOOD}\n")).unwrap();
    let output = eval(&["--format", "json", "--actions", path.to_str().unwrap()]);
    let found = records(&output);
    let location = &found[0]["decided_by_location"];
    assert!(
        location["file"]
            .as_str()
            .unwrap()
            .ends_with("policies/ssb-consortium/agreement.ipl"),
        "{location}"
    );
    let line = location["line"].as_u64().unwrap() as usize;
    let text = std::fs::read_to_string(policy()).unwrap();
    let clause = text.lines().nth(line - 1).unwrap();
    assert!(clause.starts_with("clause "), "{clause}");
}

#[test]
fn dates_in_json_and_toml_records_are_written_as_the_action_syntax_writes_them() {
    let dir = tempfile::tempdir().unwrap();
    for bad in ["2026x06y01", "-001-01-01", "0000-01-01"] {
        let json = dir.path().join("actions.json");
        std::fs::write(&json, format!("[{}]", GOOD.replace("2026-06-01", bad))).unwrap();
        let output = eval(&["--format", "json", "--actions", json.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(2), "{bad}: {}", stdout(&output));
        let toml = dir.path().join("actions.toml");
        std::fs::write(
            &toml,
            format!(
                "[[action]]\nactor = \"catl\"\nverb = \"license\"\nasset = \"sulfide_electrolyte\"\nto = \"acme\"\ndate = \"{bad}\"\n"
            ),
        )
        .unwrap();
        let output = eval(&["--format", "json", "--actions", toml.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(2), "{bad}: {}", stdout(&output));
    }
}

#[test]
fn a_term_past_the_year_9999_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.ipl");
    std::fs::write(
        &path,
        "agreement \"A\" { effective 2026-01-01 term 9000 years }\nparty a \"A\"\n",
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_ipcheck"))
        .args(["lint", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("ipl::names::date_out_of_range"));
}
