//! End to end: the built binary on the fixture repositories under
//! `tests/fixtures/repos/` (clean; broken policy; failing scenario; denied
//! proposal; bad configuration), one insta snapshot per repository and
//! format, and the exit-code contract of every command.
//!
//! Each repository is copied into a temporary directory and checked from
//! there (`ipcheck check` with no argument), so that no configuration
//! above it is found and every path in the output is relative; any
//! temporary path that still shows is replaced by `[TMP]`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::unreachable
)] // a test may panic

use std::path::{Path, PathBuf};
use std::process::Command;

const REPOS: [(&str, i32); 5] = [
    ("clean", 0),
    ("broken_policy", 1),
    ("failing_scenario", 1),
    ("denied_proposal", 1),
    ("bad_config", 2),
];

const FORMATS: [&str; 7] = [
    "human", "json", "sarif", "github", "markdown", "junit", "gitlab",
];

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

/// A fixture repository copied into a fresh temporary directory.
struct Repo {
    tmp: tempfile::TempDir,
    dir: PathBuf,
}

fn repo(name: &str) -> Repo {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join(name);
    copy_dir(&root().join("tests/fixtures/repos").join(name), &dir);
    Repo { tmp, dir }
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs the binary in `dir` with a fixed environment.
fn run_in(dir: &Path, args: &[&str], env: &[(&str, &Path)]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ipcheck"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("GITHUB_STEP_SUMMARY")
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100");
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().expect("the binary runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn normalise(text: &str, repo: &Repo) -> String {
    let mut text = text.to_string();
    for dir in [&repo.dir, &repo.tmp.path().to_path_buf()] {
        if let Ok(real) = std::fs::canonicalize(dir) {
            text = text.replace(&real.display().to_string(), "[TMP]");
        }
        text = text.replace(&dir.display().to_string(), "[TMP]");
    }
    text.replace(env!("CARGO_PKG_VERSION"), "[VERSION]")
}

#[test]
fn every_repository_in_every_format() {
    for (name, expected) in REPOS {
        for format in FORMATS {
            let repo = repo(name);
            let run = run_in(&repo.dir, &["check", "--format", format], &[]);
            assert_eq!(
                run.code, expected,
                "{name} --format {format}\nstdout:\n{}\nstderr:\n{}",
                run.stdout, run.stderr
            );
            assert!(run.stderr.is_empty(), "{name}: {}", run.stderr);
            if format == "json" || format == "sarif" {
                let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
                assert!(doc.is_object());
            }
            insta::assert_snapshot!(
                format!("check_{name}_{format}"),
                normalise(&run.stdout, &repo)
            );
        }
    }
}

/// The lines of a file, 1-based.
fn line_of(path: &Path, line: u64) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .nth(line as usize - 1)
        .unwrap_or_default()
        .to_string()
}

/// The text a single-line SARIF region covers (columns in code points,
/// the end exclusive).
fn region_text(dir: &Path, location: &serde_json::Value) -> (String, String) {
    let physical = &location["physicalLocation"];
    let uri = physical["artifactLocation"]["uri"].as_str().unwrap();
    let region = &physical["region"];
    let start = region["startLine"].as_u64().unwrap();
    let end = region["endLine"].as_u64().unwrap();
    let line = line_of(&dir.join(uri), start);
    if start != end {
        return (line, String::new());
    }
    let from = region["startColumn"].as_u64().unwrap() as usize - 1;
    let to = region["endColumn"].as_u64().unwrap() as usize - 1;
    let covered: String = line.chars().skip(from).take(to - from).collect();
    (line, covered)
}

#[test]
fn sarif_regions_point_at_the_right_lines() {
    let repo = repo("denied_proposal");
    let run = run_in(&repo.dir, &["check", "--format", "sarif"], &[]);
    let sarif: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run0 = &sarif["runs"][0];
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run0["results"].as_array().unwrap();
    let mut seen = Vec::new();
    for result in results {
        let code = result["ruleId"].as_str().unwrap();
        let rule = &rules[result["ruleIndex"].as_u64().unwrap() as usize];
        assert_eq!(rule["id"], code);
        assert!(rule["helpUri"].as_str().unwrap().contains("docs/"));
        assert!(!rule["help"]["text"].as_str().unwrap().is_empty());
        let location = &result["locations"][0];
        let (line, covered) = region_text(&repo.dir, location);
        // The snippet is the flagged line as it stands in the file.
        assert_eq!(
            location["physicalLocation"]["region"]["snippet"]["text"],
            line.as_str()
        );
        match code {
            "ipl::proposal::denied"
            | "ipl::proposal::conditional"
            | "ipl::proposal::unexpected_decision" => {
                assert_eq!(covered, "[[action]]");
                // The deciding clause, in the policy.
                let related = &result["relatedLocations"][0];
                let (clause, _) = region_text(&repo.dir, related);
                assert!(clause.starts_with("clause "), "{clause}");
            }
            "ipl::names::unknown_party" => {
                assert_eq!(line, "actor = \"catll\"");
                assert_eq!(covered, "\"catll\"");
            }
            // An unused node: the region covers its name.
            "ipl::lint::unused" => {
                assert!(line.starts_with("fields") || line.starts_with("territories"));
                assert!(covered.chars().all(|c| c.is_ascii_lowercase()), "{covered}");
                continue;
            }
            other => panic!("unexpected result {other}"),
        }
        seen.push(code);
        let fingerprint = result["partialFingerprints"]["ipcheck/v1"]
            .as_str()
            .unwrap();
        assert!(fingerprint.ends_with(":1"), "{fingerprint}");
    }
    seen.sort_unstable();
    assert_eq!(
        seen,
        [
            "ipl::names::unknown_party",
            "ipl::proposal::conditional",
            "ipl::proposal::denied",
            "ipl::proposal::unexpected_decision"
        ]
    );

    // A broken policy: the region covers the misspelt name.
    let repo = repo_broken();
    let run = run_in(&repo.dir, &["check", "--format", "sarif"], &[]);
    let sarif: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let unknown = results
        .iter()
        .find(|r| r["ruleId"] == "ipl::names::unknown_party")
        .unwrap();
    let (line, covered) = region_text(&repo.dir, &unknown["locations"][0]);
    assert_eq!(line.trim(), "owners catl 60%, bmww 40%");
    assert_eq!(covered, "bmww");
}

fn repo_broken() -> Repo {
    repo("broken_policy")
}

#[test]
fn fingerprints_survive_lines_moving() {
    let fingerprints = |repo: &Repo| {
        let run = run_in(&repo.dir, &["check", "--format", "sarif"], &[]);
        let sarif: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let mut prints: Vec<String> = sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["partialFingerprints"]["ipcheck/v1"].to_string())
            .collect();
        prints.sort();
        prints
    };
    let repo = repo("denied_proposal");
    let before = fingerprints(&repo);
    for file in ["proposals/exclusive.toml", "proposals/recycling.toml"] {
        let path = repo.dir.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("# a new first line\n\n{text}")).unwrap();
    }
    assert_eq!(fingerprints(&repo), before);
}

#[test]
fn github_job_summary_is_appended() {
    let repo = repo("denied_proposal");
    let summary = repo.tmp.path().join("summary.md");
    std::fs::write(&summary, "# Earlier step\n").unwrap();
    let run = run_in(
        &repo.dir,
        &["check", "--format", "github"],
        &[("GITHUB_STEP_SUMMARY", &summary)],
    );
    assert_eq!(run.code, 1);
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(text.starts_with("# Earlier step\n"));
    insta::assert_snapshot!("github_step_summary", normalise(&text, &repo));
}

#[test]
fn output_file_is_written_whole() {
    let repo = repo("denied_proposal");
    let out = repo.tmp.path().join("report.sarif");
    let run = run_in(
        &repo.dir,
        &[
            "check",
            "--format",
            "sarif",
            "--output",
            out.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(run.code, 1);
    assert!(run.stdout.is_empty());
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
}

#[test]
fn the_shipped_policies_check_clean() {
    let run = run_in(&root(), &["check", "policies"], &[]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
}

#[test]
fn a_repository_checked_from_a_subdirectory_finds_its_configuration() {
    let repo = repo("denied_proposal");
    let run = run_in(
        &repo.dir.join("proposals"),
        &["check", "--format", "json"],
        &[],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["summary"]["deny"], 2);
    let files: Vec<&str> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert!(files.iter().all(|f| f.starts_with("../")), "{files:?}");
}

#[test]
fn fail_on_warning_fails_on_a_conditional() {
    let repo = repo("denied_proposal");
    std::fs::remove_file(repo.dir.join("proposals/exclusive.toml")).unwrap();
    let recycling = repo.dir.join("proposals/recycling.toml");
    let text = std::fs::read_to_string(&recycling).unwrap();
    let first = text
        .split("\n[[action]]\nactor = \"catll\"")
        .next()
        .unwrap();
    std::fs::write(&recycling, first).unwrap();
    assert_eq!(run_in(&repo.dir, &["check"], &[]).code, 0);
    assert_eq!(
        run_in(&repo.dir, &["check", "--fail-on", "warning"], &[]).code,
        1
    );
    let config = repo.dir.join("ipcheck.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("fail_on = \"warning\"\n{text}")).unwrap();
    assert_eq!(run_in(&repo.dir, &["check"], &[]).code, 1);
    assert_eq!(
        run_in(&repo.dir, &["check", "--fail-on", "error"], &[]).code,
        0
    );
    // A level in the configuration turns the finding off.
    std::fs::write(
        &config,
        format!("{text}\n[lints]\n\"ipl::proposal\" = \"off\"\n"),
    )
    .unwrap();
    assert_eq!(
        run_in(&repo.dir, &["check", "--fail-on", "warning"], &[]).code,
        0
    );
}

#[test]
fn eval_in_every_format() {
    let repo = repo("clean");
    let actions = root().join("tests/fixtures/actions/three.toml");
    let actions_copy = repo.dir.join("actions.toml");
    std::fs::copy(actions, &actions_copy).unwrap();
    for format in FORMATS {
        let run = run_in(
            &repo.dir,
            &[
                "eval",
                "policies/consortium",
                "--actions",
                "actions.toml",
                "--format",
                format,
            ],
            &[],
        );
        assert_eq!(run.code, 1, "{format}: {}", run.stderr);
        insta::assert_snapshot!(format!("eval_{format}"), normalise(&run.stdout, &repo));
    }
}

#[test]
fn streamed_ndjson_keeps_its_line_numbers() {
    let repo = repo("clean");
    std::fs::copy(
        root().join("tests/fixtures/actions/batch.ndjson"),
        repo.dir.join("batch.ndjson"),
    )
    .unwrap();
    let run = run_in(
        &repo.dir,
        &[
            "eval",
            "policies/consortium",
            "--actions",
            "batch.ndjson",
            "--format",
            "github",
        ],
        &[],
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .contains("::error file=batch.ndjson,line=3,endLine=3,col=1,"),
        "{}",
        run.stdout
    );
}

#[test]
fn test_and_lint_in_machine_formats() {
    let repo = repo("failing_scenario");
    for format in ["json", "markdown", "sarif"] {
        let run = run_in(&repo.dir, &["test", "consortium", "--format", format], &[]);
        assert_eq!(run.code, 1);
        insta::assert_snapshot!(format!("test_{format}"), normalise(&run.stdout, &repo));
    }
    let repo = repo_broken();
    for format in ["json", "github"] {
        let run = run_in(&repo.dir, &["lint", "consortium", "--format", format], &[]);
        assert_eq!(run.code, 1);
        insta::assert_snapshot!(format!("lint_{format}"), normalise(&run.stdout, &repo));
    }
}

#[test]
fn exit_codes_are_the_same_across_commands() {
    let clean = repo("clean");
    let policy = "policies/consortium";
    let cases: [(&[&str], i32); 12] = [
        (&["lint", policy], 0),
        (&["test", policy], 0),
        (&["check"], 0),
        (&["lint", "missing"], 2),
        (&["test", "missing"], 2),
        (&["check", "missing"], 2),
        (
            &[
                "eval",
                policy,
                "--action",
                "catl research sulfide_electrolyte on 2026-06-01",
            ],
            1,
        ),
        (
            &[
                "eval",
                policy,
                "--action",
                "catl license sulfide_electrolyte to acme on 2026-06-01 non_exclusive non_sublicensable",
            ],
            0,
        ),
        (
            &[
                "eval",
                policy,
                "--strict",
                "--action",
                "catl license sulfide_electrolyte to acme on 2026-06-01 non_exclusive non_sublicensable",
            ],
            1,
        ),
        (
            &[
                "eval",
                policy,
                "--action",
                "nobody research x on 2026-06-01",
            ],
            2,
        ),
        (&["explain", "ipl::proposal::denied"], 0),
        (&["explain", "ipl::proposal::deny"], 2),
    ];
    for (args, expected) in cases {
        let run = run_in(&clean.dir, args, &[]);
        assert_eq!(
            run.code, expected,
            "{args:?}\n{}\n{}",
            run.stdout, run.stderr
        );
    }
    let run = run_in(&clean.dir, &["explain", "ipl::proposal::deny"], &[]);
    assert!(run.stderr.contains("did you mean `ipl::proposal::denied`?"));
    let run = run_in(&clean.dir, &["check", "--format", "nope"], &[]);
    assert_eq!(run.code, 2);
}
