//! End to end: `ipcheck check --base` and `ipcheck diff --base` in a temporary git repository holding the shipped consortium, one insta snapshot per format, and the exit codes (levels from `[diff]`, unknown revision, not a repository).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::unreachable
)] // a test may panic

use std::path::{Path, PathBuf};
use std::process::Command;

const FORMATS: [&str; 7] = [
    "human", "json", "sarif", "github", "markdown", "junit", "gitlab",
];

const CONFIG: &str = r#"today = 2026-05-01

[[policy]]
path = "policies/*"

[lints]
"ipl::lint" = "off"
"#;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .expect("git runs");
    assert!(status.status.success(), "git {args:?}: {status:?}");
}

/// A repository whose first commit holds the shipped consortium, and
/// whose working tree deletes forbid 9.8, widens permit 12.3 from
/// `stationary` to `batteries` and halves its `pay` duty.
fn repo(config: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let policy = dir.join("policies/ssb-consortium");
    std::fs::create_dir_all(&policy).expect("mkdir");
    let shipped = root().join("policies/ssb-consortium");
    for file in ["agreement.ipl", "scenarios.ipl"] {
        std::fs::copy(shipped.join(file), policy.join(file)).expect("copy");
    }
    std::fs::write(dir.join("ipcheck.toml"), config).expect("config");
    git(dir, &["init", "-q"]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "base"]);
    let agreement = std::fs::read_to_string(policy.join("agreement.ipl")).expect("read");
    let start = agreement.find("clause 9.8 ").expect("9.8");
    let end = start + agreement[start..].find("\n}\n").expect("end") + 3;
    let edited = format!("{}{}", &agreement[..start], &agreement[end..])
        .replace(
            "  field stationary\n  territory cn",
            "  field batteries\n  territory cn",
        )
        .replace(
            "duty pay 40% of income to bmw",
            "duty pay 20% of income to bmw",
        );
    std::fs::write(policy.join("agreement.ipl"), edited).expect("write");
    let scenarios = std::fs::read_to_string(policy.join("scenarios.ipl")).expect("read");
    std::fs::write(
        policy.join("scenarios.ipl"),
        scenarios.replace("expect deny by 9.8", "expect deny"),
    )
    .expect("write");
    tmp
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run_in(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_ipcheck"))
        .args(args)
        .current_dir(dir)
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("GITHUB_SERVER_URL")
        .env_remove("GITHUB_REPOSITORY")
        .env_remove("GITHUB_SHA")
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .output()
        .expect("the binary runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn normalise(text: &str, dir: &Path) -> String {
    let mut text = text.to_string();
    if let Ok(real) = std::fs::canonicalize(dir) {
        text = text.replace(&real.display().to_string(), "[TMP]");
    }
    text = text.replace(&dir.display().to_string(), "[TMP]");
    text.replace(env!("CARGO_PKG_VERSION"), "[VERSION]")
}

#[test]
fn check_base_in_every_format() {
    for format in FORMATS {
        let repo = repo(CONFIG);
        let run = run_in(
            repo.path(),
            &["check", "--base", "HEAD", "--format", format],
        );
        // Changes are information under `check` unless levelled.
        assert_eq!(run.code, 0, "{format}\n{}\n{}", run.stdout, run.stderr);
        assert!(run.stderr.is_empty(), "{format}: {}", run.stderr);
        if matches!(format, "json" | "sarif" | "gitlab") {
            let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
            assert!(doc.is_object() || doc.is_array());
        }
        insta::assert_snapshot!(
            format!("check_base_{format}"),
            normalise(&run.stdout, repo.path())
        );
    }
}

#[test]
fn check_base_json_witnesses_are_confirmed_by_eval_on_both_revisions() {
    let repo = repo(CONFIG);
    let run = run_in(
        repo.path(),
        &["check", "--base", "HEAD", "--format", "json"],
    );
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    let changes = doc["diff"]["changes"].as_array().expect("changes");
    assert!(changes.len() >= 3, "{changes:?}");
    // The base revision, checked out beside the working tree.
    let old = repo.path().join("old");
    std::fs::create_dir_all(&old).expect("mkdir");
    for file in ["agreement.ipl", "scenarios.ipl"] {
        let show = Command::new("git")
            .args(["show", &format!("HEAD:policies/ssb-consortium/{file}")])
            .current_dir(repo.path())
            .output()
            .expect("git show");
        std::fs::write(old.join(file), show.stdout).expect("write");
    }
    for change in changes {
        let actions = repo.path().join("witness.json");
        std::fs::write(
            &actions,
            serde_json::to_string(&vec![change["witness_action"].clone()]).expect("json"),
        )
        .expect("write");
        for (policy, side) in [("old", "base"), ("policies/ssb-consortium", "head")] {
            let run = run_in(
                repo.path(),
                &[
                    "eval",
                    policy,
                    "--actions",
                    "witness.json",
                    "--format",
                    "json",
                ],
            );
            let line = run.stdout.lines().next().expect("one decision");
            let got: serde_json::Value = serde_json::from_str(line).expect("json");
            assert_eq!(got["decision"], change[side]["decision"], "{change}");
            assert_eq!(got["decided_by"], change[side]["by"], "{change}");
            let duties = |v: &serde_json::Value| -> Vec<(String, String)> {
                let mut out: Vec<(String, String)> = v
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|d| {
                        (
                            d["clause"].as_str().unwrap_or_default().to_string(),
                            d["duty"].as_str().unwrap_or_default().to_string(),
                        )
                    })
                    .collect();
                out.sort();
                out
            };
            assert_eq!(
                duties(&got["obligations"]),
                duties(&change[side]["obligations"])
            );
            assert_eq!(
                duties(&got["open_preconditions"]),
                duties(&change[side]["open"])
            );
        }
    }
}

#[test]
fn diff_levels_make_check_fail() {
    let repo = repo(&format!("{CONFIG}\n[diff]\nwidened = \"error\"\n"));
    let run = run_in(repo.path(), &["check", "--base", "HEAD"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let repo = repo_with_obligations_off();
    let run = run_in(
        repo.path(),
        &["diff", "--base", "HEAD", "policies", "--format", "json"],
    );
    assert_eq!(run.code, 1, "widened and the others still fail `diff`");
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(doc["summary"]["obligations"], 0, "off hides the kind");
}

fn repo_with_obligations_off() -> tempfile::TempDir {
    repo(&format!("{CONFIG}\n[diff]\nobligations = \"off\"\n"))
}

#[test]
fn diff_base_json_and_exit_codes() {
    let repo = repo(CONFIG);
    let run = run_in(
        repo.path(),
        &["diff", "--base", "HEAD", "policies", "--format", "json"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    insta::assert_snapshot!("diff_base_json", normalise(&run.stdout, repo.path()));
    // Nothing changed since the working tree's own state: exit 0.
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-q", "-m", "head"]);
    let run = run_in(repo.path(), &["diff", "--base", "HEAD", "policies"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains("no change in effect"), "{}", run.stdout);
    // A new policy and a removed one.
    let added = repo.path().join("policies/extra");
    std::fs::create_dir_all(&added).expect("mkdir");
    std::fs::copy(
        root().join("policies/ssb-consortium/agreement.ipl"),
        added.join("agreement.ipl"),
    )
    .expect("copy");
    std::fs::remove_dir_all(repo.path().join("policies/ssb-consortium")).expect("rm");
    let run = run_in(repo.path(), &["diff", "--base", "HEAD~1", "policies"]);
    assert!(
        run.stdout
            .contains("policies/extra/agreement.ipl: new policy"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("policies/ssb-consortium: policy removed"),
        "{}",
        run.stdout
    );
    // Unknown revision, not a repository: exit 2.
    let run = run_in(repo.path(), &["check", "--base", "no-such-ref"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("unknown revision"), "{}", run.stderr);
    let plain = tempfile::tempdir().expect("tempdir");
    std::fs::write(plain.path().join("p.ipl"), "party a \"A\"\n").expect("write");
    let run = run_in(plain.path(), &["diff", "--base", "HEAD", "p.ipl"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("not in a git repository"),
        "{}",
        run.stderr
    );
}
