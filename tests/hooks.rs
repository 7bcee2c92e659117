//! The pre-commit hooks of `.pre-commit-hooks.yaml`, run by the real
//! `pre-commit` tool in temporary git repositories (skipped, and said,
//! where `pre-commit` or `git` is not installed), and the plain git hook
//! of docs/ci.md, which must check the index rather than the working tree.
//! Also: `action.yml` is a composite action with the documented inputs.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::unreachable
)] // a test may panic

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// `PATH` with the built `ipcheck` first.
fn path_with_ipcheck() -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_ipcheck"))
        .parent()
        .unwrap()
        .display()
        .to_string();
    format!("{bin}:{}", std::env::var("PATH").unwrap_or_default())
}

fn run(dir: &Path, program: &str, args: &[&str], home: &Path) -> Output {
    Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("PATH", path_with_ipcheck())
        .env("PRE_COMMIT_HOME", home.join("pre-commit-cache"))
        .env("HOME", home)
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"))
}

fn ok(output: &Output) -> bool {
    output.status.success()
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn have(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A git repository holding the clean fixture, committed.
fn contracts(tmp: &Path, home: &Path) -> PathBuf {
    let dir = tmp.join("contracts");
    copy_dir(&root().join("tests/fixtures/repos/clean"), &dir);
    assert!(ok(&run(&dir, "git", &["init", "-q", "-b", "main"], home)));
    assert!(ok(&run(&dir, "git", &["add", "-A"], home)));
    assert!(ok(&run(&dir, "git", &["commit", "-qm", "contracts"], home)));
    dir
}

/// Breaks the agreement of the fixture (a misspelt party).
fn break_agreement(dir: &Path) {
    let path = dir.join("policies/consortium/agreement.ipl");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replacen("owners catl 60%", "owners catll 60%", 1),
    )
    .unwrap();
}

#[test]
fn the_pre_commit_hook_runs_with_the_real_tool() {
    if !have("git") || !have("pre-commit") {
        eprintln!(
            "skipped: `git` or `pre-commit` is not installed; the pre-commit hook was not exercised"
        );
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    // The hook repository: this repository's manifest, committed.
    let hooks = tmp.path().join("hooks");
    std::fs::create_dir_all(&hooks).unwrap();
    std::fs::copy(
        root().join(".pre-commit-hooks.yaml"),
        hooks.join(".pre-commit-hooks.yaml"),
    )
    .unwrap();
    assert!(ok(&run(
        &hooks,
        "git",
        &["init", "-q", "-b", "main"],
        &home
    )));
    assert!(ok(&run(&hooks, "git", &["add", "-A"], &home)));
    assert!(ok(&run(&hooks, "git", &["commit", "-qm", "hooks"], &home)));
    let rev = String::from_utf8_lossy(&run(&hooks, "git", &["rev-parse", "HEAD"], &home).stdout)
        .trim()
        .to_string();

    let dir = contracts(tmp.path(), &home);
    std::fs::write(
        dir.join(".pre-commit-config.yaml"),
        format!(
            "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: ipcheck-system\n",
            hooks.display()
        ),
    )
    .unwrap();
    assert!(ok(&run(&dir, "git", &["add", "-A"], &home)));
    let install = run(&dir, "pre-commit", &["install"], &home);
    assert!(ok(&install), "{}", text(&install));
    // A clean commit passes through the hook.
    let commit = run(&dir, "git", &["commit", "-qm", "config"], &home);
    assert!(ok(&commit), "{}", text(&commit));
    assert!(text(&commit).contains("ipcheck check"), "{}", text(&commit));

    // A broken policy is refused.
    break_agreement(&dir);
    assert!(ok(&run(&dir, "git", &["add", "-A"], &home)));
    let commit = run(&dir, "git", &["commit", "-qm", "broken"], &home);
    assert!(!ok(&commit), "{}", text(&commit));
    assert!(text(&commit).contains("unknown party"), "{}", text(&commit));
    assert!(ok(&run(&dir, "git", &["reset", "-q", "--hard"], &home)));

    // A commit that only deletes a file still runs the hook: deleting the
    // agreement leaves the scenarios naming parties nobody declares.
    assert!(ok(&run(
        &dir,
        "git",
        &["rm", "-q", "policies/consortium/agreement.ipl"],
        &home
    )));
    let commit = run(&dir, "git", &["commit", "-qm", "delete"], &home);
    assert!(
        !ok(&commit),
        "the hook did not run on a deletion:\n{}",
        text(&commit)
    );
    assert!(text(&commit).contains("ipcheck check"), "{}", text(&commit));
}

/// The script of docs/ci.md after its marker.
fn documented_hook() -> String {
    let doc = std::fs::read_to_string(root().join("docs/ci.md")).unwrap();
    let after = doc
        .split("<!-- plain-git-hook")
        .nth(1)
        .expect("docs/ci.md has the plain git hook");
    let body = after.split("```sh\n").nth(1).unwrap();
    body.split("```").next().unwrap().to_string()
}

#[cfg(unix)]
#[test]
fn the_plain_git_hook_checks_the_index_not_the_working_tree() {
    use std::os::unix::fs::PermissionsExt;
    if !have("git") {
        eprintln!("skipped: `git` is not installed; the plain git hook was not exercised");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let dir = contracts(tmp.path(), &home);
    let hook = dir.join(".git/hooks/pre-commit");
    std::fs::create_dir_all(hook.parent().unwrap()).unwrap();
    std::fs::write(&hook, documented_hook()).unwrap();
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    let agreement = dir.join("policies/consortium/agreement.ipl");
    let good = std::fs::read_to_string(&agreement).unwrap();

    // Broken in the index, fixed in the working tree: refused.
    break_agreement(&dir);
    assert!(ok(&run(&dir, "git", &["add", "-A"], &home)));
    std::fs::write(&agreement, &good).unwrap();
    let commit = run(&dir, "git", &["commit", "-qm", "staged broken"], &home);
    assert!(!ok(&commit), "{}", text(&commit));
    assert!(text(&commit).contains("unknown party"), "{}", text(&commit));

    // Good in the index, broken in the working tree: accepted.
    assert!(ok(&run(&dir, "git", &["add", "-A"], &home)));
    std::fs::write(dir.join("notes.txt"), "a change\n").unwrap();
    assert!(ok(&run(&dir, "git", &["add", "notes.txt"], &home)));
    break_agreement(&dir);
    let commit = run(&dir, "git", &["commit", "-qm", "staged good"], &home);
    assert!(ok(&commit), "{}", text(&commit));
}

#[test]
fn the_action_is_composite_with_the_documented_inputs() {
    let action = std::fs::read_to_string(root().join("action.yml")).unwrap();
    assert!(action.contains("\n  using: composite\n"));
    let doc = std::fs::read_to_string(root().join("docs/ci.md")).unwrap();
    for input in [
        "path",
        "working-directory",
        "fail-on",
        "upload-sarif",
        "sarif-category",
        "install",
    ] {
        assert!(action.contains(&format!("\n  {input}:\n")), "{input}");
        assert!(
            doc.contains(&format!("| `{input}` |")),
            "{input} is not documented"
        );
    }
    for output in ["exit-code", "sarif-file"] {
        assert!(action.contains(&format!("\n  {output}:\n")), "{output}");
        assert!(doc.contains(&format!("| `{output}` |")), "{output}");
    }
    // Inputs reach the shell through the environment, never spliced into
    // a script.
    for line in action
        .lines()
        .filter(|l| l.trim_start().starts_with("ipcheck check"))
    {
        assert!(!line.contains("${{"), "{line}");
    }
    let hooks = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    assert!(hooks.contains("- id: ipcheck\n"));
    assert_eq!(hooks.matches("always_run: true").count(), 2);
    assert_eq!(hooks.matches("pass_filenames: false").count(), 2);
}
