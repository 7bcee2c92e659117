//! `ipcheck lint --fix`: the fixes diagnostics carry, applied to copies of
//! the fixtures under `tests/fixtures/fix/` (safe ones by default, unsafe
//! ones with `--unsafe-fixes`, nothing written with `--diff`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::unreachable
)] // a test may panic

use std::path::{Path, PathBuf};
use std::process::Command;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// A fixture policy copied into a temporary directory.
fn copy(name: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fix")
        .join(name);
    let file = tmp.path().join("policy.ipl");
    std::fs::copy(from.join("policy.ipl"), &file).unwrap();
    (tmp, file)
}

fn lint(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_ipcheck"))
        .current_dir(dir)
        .args(["lint", "--today", "2026-01-15", "--color", "never"])
        .args(args)
        .arg("policy.ipl")
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn safe_fixes_repair_syntax_and_leave_guesses_to_a_person() {
    let (tmp, file) = copy("syntax");
    let run = lint(tmp.path(), &["--fix"]);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("by catl, bmw\n}\nclause 2"), "{text}");
    assert!(
        text.contains("by bwm"),
        "the typo is a guess: not fixed without --unsafe-fixes"
    );
    assert_eq!(run.code, 1, "the typo is still an error: {}", run.stdout);
    assert!(
        run.stdout.contains("ipl::names::unknown_party"),
        "{}",
        run.stdout
    );
    assert_eq!(run.stderr, "fixed 2 findings in 1 file\n");
    // A second run finds nothing safe left to fix.
    let again = lint(tmp.path(), &["--fix"]);
    assert_eq!(again.stderr, "fixed 0 findings in 0 files\n");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
}

#[test]
fn unsafe_fixes_take_the_suggestion_and_the_result_is_clean() {
    let (tmp, file) = copy("syntax");
    let run = lint(tmp.path(), &["--fix", "--unsafe-fixes"]);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("by bmw"), "{text}");
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    insta::assert_snapshot!("fixed_syntax", text);
}

#[test]
fn lint_fixes_remove_a_useless_priority_and_add_a_needed_one_only_when_asked() {
    let (tmp, file) = copy("lints");
    let original = std::fs::read_to_string(&file).unwrap();
    let diff = lint(tmp.path(), &["--fix", "--diff", "--unsafe-fixes"]);
    assert_eq!(diff.code, 1, "there is something to fix");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        original,
        "--diff writes nothing"
    );
    insta::assert_snapshot!("lints_diff", diff.stdout);
    let safe = lint(tmp.path(), &["--fix"]);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("clause 3 \"Research\" {"), "{text}");
    assert!(
        text.contains("clause 2 \"Sales to BMW\" {"),
        "unsafe: {text}"
    );
    assert!(
        safe.stdout.contains("ipl::lint::dead_permit"),
        "{}",
        safe.stdout
    );
    let all = lint(tmp.path(), &["--fix", "--unsafe-fixes"]);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("clause 2 \"Sales to BMW\" notwithstanding 1 {"),
        "{text}"
    );
    assert!(
        !all.stdout.contains("ipl::lint::dead_permit"),
        "{}",
        all.stdout
    );
}

#[test]
fn diff_of_a_clean_policy_is_empty_and_exits_zero() {
    let (tmp, _) = copy("lints");
    lint(tmp.path(), &["--fix", "--unsafe-fixes"]);
    let run = lint(tmp.path(), &["--fix", "--diff"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""));
}

#[test]
fn diff_needs_fix() {
    let (tmp, _) = copy("lints");
    let run = lint(tmp.path(), &["--diff"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}
