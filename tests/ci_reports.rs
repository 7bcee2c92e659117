//! `ipcheck check` in CI, end to end on generated repositories: nothing
//! skipped silently (broken policies, unreadable files, deep trees,
//! symbolic links), whole reports, platform limits (annotations, job
//! summary, comment size), paths from the repository root, inert Markdown,
//! proposal metadata, `check FILE`, and the JUnit and GitLab formats.

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

struct Repo {
    tmp: tempfile::TempDir,
    dir: PathBuf,
}

/// A fixture repository copied into a fresh temporary directory; a `.git`
/// directory marks the top of the checkout, so that nothing above is used.
fn repo(name: &str) -> Repo {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join(name);
    copy_dir(&root().join("tests/fixtures/repos").join(name), &dir);
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    Repo { tmp, dir }
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ipcheck"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("GITHUB_SERVER_URL")
        .env_remove("GITHUB_REPOSITORY")
        .env_remove("GITHUB_SHA")
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

fn check(dir: &Path, format: &str) -> Run {
    run_in(dir, &["check", "--format", format], &[])
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

/// Checks that a report in a machine format is whole: it parses.
fn assert_whole(format: &str, text: &str) {
    match format {
        "json" | "sarif" | "gitlab" => {
            serde_json::from_str::<serde_json::Value>(text)
                .unwrap_or_else(|e| panic!("{format}: not JSON ({e}):\n{text}"));
        }
        "junit" => assert_junit(text),
        "markdown" => assert!(text.starts_with("## "), "{text}"),
        "github" => assert!(
            text.lines()
                .last()
                .unwrap_or("")
                .starts_with("::notice title=ipcheck::"),
            "{text}"
        ),
        _ => assert!(text.contains("checked "), "{text}"),
    }
}

/// A minimal well-formedness and structure check of JUnit XML: balanced
/// elements, only the Jenkins schema's elements, counts that add up.
fn assert_junit(text: &str) {
    assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "));
    let mut stack: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let end = rest.find('>').expect("a closed tag");
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.starts_with('?') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop().as_deref(), Some(name), "{text}");
            continue;
        }
        let name = tag
            .split_whitespace()
            .next()
            .unwrap_or("")
            .trim_end_matches('/');
        assert!(
            [
                "testsuites",
                "testsuite",
                "testcase",
                "failure",
                "error",
                "skipped",
                "system-out",
                "system-err",
                "properties",
                "property"
            ]
            .contains(&name),
            "unexpected element <{name}>"
        );
        if !tag.ends_with('/') {
            stack.push(name.to_string());
        }
    }
    assert!(stack.is_empty(), "unclosed {stack:?}");
    let count = |what: &str| text.matches(what).count();
    let tests: usize = attribute_sum(text, "<testsuite ", "tests");
    assert_eq!(tests, count("<testcase "), "{text}");
}

fn attribute_sum(text: &str, element: &str, attribute: &str) -> usize {
    text.split(element)
        .skip(1)
        .filter_map(|s| {
            let key = format!("{attribute}=\"");
            let at = s.find(&key)? + key.len();
            s[at..].split('"').next()?.parse::<usize>().ok()
        })
        .sum()
}

/// A second, valid policy directory beside the fixture's.
fn add_good_policy(repo: &Repo, name: &str) {
    copy_dir(
        &repo.dir.join("policies/consortium"),
        &repo.dir.join("policies").join(name),
    );
}

// ---------------------------------------------------------------------
// Broken policies are listed as not run.

#[test]
fn a_broken_policy_among_good_ones_is_not_run_in_every_format() {
    let repo = repo("clean");
    add_good_policy(&repo, "alpha");
    add_good_policy(&repo, "omega");
    let broken = repo.dir.join("policies/omega/agreement.ipl");
    let text = std::fs::read_to_string(&broken).unwrap();
    std::fs::write(&broken, text.replacen("party bmw", "party bmw bmw", 1)).unwrap();
    let clean = {
        let run = check(&repo.dir, "json");
        serde_json::from_str::<serde_json::Value>(&run.stdout).unwrap()
    };
    assert_eq!(clean["summary"]["policies_not_run"], 1, "{clean:#}");
    let skipped = clean["summary"]["scenarios_not_run"].as_u64().unwrap();
    assert!(skipped >= 2, "{clean:#}");
    assert_eq!(clean["summary"]["proposals_not_run"], 1);
    assert_eq!(clean["not_run"][0]["policy"], "policies/omega");
    for format in FORMATS {
        let run = check(&repo.dir, format);
        assert_eq!(run.code, 1, "{format}: {}{}", run.stdout, run.stderr);
        assert_whole(format, &run.stdout);
        let said = match format {
            "sarif" => run.stdout.contains("policies/omega not run"),
            "json" => run.stdout.contains("\"policies_not_run\": 1"),
            "junit" => run
                .stdout
                .contains("<skipped message=\"not run: the policy has"),
            "gitlab" => run.stdout.contains("\"check_name\": \"ipcheck::not_run\""),
            "markdown" => {
                run.stdout.contains("### Not run") && run.stdout.contains("not run: 1 policy")
            }
            _ => run.stdout.contains("not run: 1 policy (") && run.stdout.contains("omega"),
        };
        assert!(
            said,
            "{format} does not say what was not run:\n{}",
            run.stdout
        );
    }
}

// ---------------------------------------------------------------------
// Whole reports, or none.

/// Makes a file larger than ipcheck reads, without writing its bytes.
fn make_unreadable(path: &Path) {
    let file = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    file.set_len(300 * 1024 * 1024).unwrap();
}

#[test]
fn an_unreadable_file_midway_gives_a_whole_report_in_every_format() {
    let repo = repo("clean");
    add_good_policy(&repo, "alpha");
    add_good_policy(&repo, "beta");
    make_unreadable(&repo.dir.join("policies/beta/scenarios.ipl"));
    for format in FORMATS {
        let run = check(&repo.dir, format);
        assert_eq!(run.code, 2, "{format}: {}{}", run.stdout, run.stderr);
        assert_whole(format, &run.stdout);
        assert!(
            run.stdout.contains("ipl::source::unreadable")
                || run.stdout.contains("ipl%3A%3Asource%3A%3Aunreadable"),
            "{format}:\n{}",
            run.stdout
        );
    }
    // The policies after it are still checked.
    let run = check(&repo.dir, "json");
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["summary"]["policies"], 3);
    assert_eq!(doc["summary"]["scenarios_passed"], 4, "{}", run.stdout);
    assert_eq!(doc["summary"]["policies_not_run"], 1);
    let run = check(&repo.dir, "sarif");
    let sarif: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        sarif["runs"][0]["invocations"][0]["executionSuccessful"],
        false
    );
}

#[test]
fn output_never_leaves_a_stale_report() {
    let repo = repo("clean");
    let out = repo.tmp.path().join("report.json");
    // A run without a report removes the earlier one and says so.
    std::fs::write(&out, "{\"an\": \"old report\"}").unwrap();
    let run = run_in(
        &repo.dir,
        &[
            "check",
            "missing",
            "--format",
            "json",
            "--output",
            out.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(run.code, 2);
    assert!(!out.exists(), "the old report is still there");
    assert!(
        run.stderr.contains("removed the earlier report"),
        "{}",
        run.stderr
    );
    // A run that fails midway replaces it with a whole report.
    std::fs::write(&out, "{\"an\": \"old report\"}").unwrap();
    make_unreadable(&repo.dir.join("policies/consortium/scenarios.ipl"));
    let run = run_in(
        &repo.dir,
        &[
            "check",
            "--format",
            "json",
            "--output",
            out.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(doc["summary"]["could_not_run"], true);
    assert_eq!(doc["diagnostics"][0]["code"], "ipl::source::unreadable");
}

#[cfg(unix)]
#[test]
fn new_reports_and_job_summaries_follow_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let repo = repo("clean");
    let probe = repo.tmp.path().join("probe");
    std::fs::write(&probe, "").unwrap();
    let expected = std::fs::metadata(&probe).unwrap().permissions().mode() & 0o777;
    let out = repo.tmp.path().join("new.sarif");
    let summary = repo.tmp.path().join("summary.md");
    let run = run_in(
        &repo.dir,
        &[
            "check",
            "--format",
            "github",
            "--output",
            out.to_str().unwrap(),
        ],
        &[("GITHUB_STEP_SUMMARY", summary.to_str().unwrap())],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    for file in [&out, &summary] {
        let mode = std::fs::metadata(file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, expected, "{}", file.display());
    }
}

// ---------------------------------------------------------------------
// Platform limits.

/// A proposal with `denied` actions that are denied and `conditional`
/// ones that are conditional, conditionals first in the file.
fn proposal(title: &str, denied: usize, conditional: usize) -> String {
    let mut text = format!("title = \"{title}\"\nauthor = \"Legal\"\n");
    for _ in 0..conditional {
        text.push_str("\n[[action]]\nactor = \"catl\"\nverb = \"license\"\nasset = \"sulfide_electrolyte\"\nto = \"acme\"\nfield = \"recycling\"\nterritory = \"eu\"\ndate = \"2026-06-01\"\nexclusive = false\nsublicensable = false\n");
    }
    for _ in 0..denied {
        text.push_str("\n[[action]]\nactor = \"catl\"\nverb = \"license\"\nasset = \"sulfide_electrolyte\"\nto = \"acme\"\nfield = \"ev\"\nterritory = \"europe\"\ndate = \"2026-06-01\"\nexclusive = true\nconsents = []\n");
    }
    text
}

#[test]
fn annotations_errors_first_ten_of_each_and_the_rest_said() {
    let repo = repo("denied_proposal");
    std::fs::remove_dir_all(repo.dir.join("proposals")).unwrap();
    std::fs::create_dir_all(repo.dir.join("proposals")).unwrap();
    std::fs::write(
        repo.dir.join("proposals/many.toml"),
        proposal("Many deals", 30, 30),
    )
    .unwrap();
    let run = check(&repo.dir, "github");
    assert_eq!(run.code, 1, "{}", run.stderr);
    let commands: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with("::")).collect();
    let kinds: Vec<&str> = commands
        .iter()
        .map(|l| l[2..].split([' ', ':']).next().unwrap_or(""))
        .collect();
    let errors = kinds.iter().filter(|k| **k == "error").count();
    let warnings = kinds.iter().filter(|k| **k == "warning").count();
    assert_eq!(errors, 10, "{}", run.stdout);
    assert_eq!(warnings, 10, "{}", run.stdout);
    // Errors first, then warnings, then notices.
    let first_warning = kinds.iter().position(|k| *k == "warning").unwrap();
    assert!(kinds[..first_warning].iter().all(|k| *k == "error"));
    assert!(
        kinds[first_warning..first_warning + 10]
            .iter()
            .all(|k| *k == "warning")
    );
    assert!(kinds[first_warning + 10..].iter().all(|k| *k == "notice"));
    // What is not annotated is in the log, and the last notice counts it.
    assert!(
        run.stdout.contains("ipcheck: 40 findings not annotated"),
        "{}",
        run.stdout
    );
    assert_eq!(
        run.stdout
            .lines()
            .filter(|l| l.starts_with("  error "))
            .count(),
        20
    );
    let last = commands.last().unwrap();
    assert!(
        last.contains("annotated 10 of 30 errors, 10 of 30 warnings"),
        "{last}"
    );
}

/// A repository of `policies` policies of two files each, every one with
/// a proposal of a few denied and conditional actions.
fn big_repo(policies: usize) -> Repo {
    let repo = repo("denied_proposal");
    std::fs::remove_dir_all(repo.dir.join("proposals")).unwrap();
    let mut config = String::new();
    for i in 0..policies {
        let name = format!("p{i:03}");
        add_good_policy(&repo, &name);
        let dir = repo.dir.join("proposals").join(&name);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("deal.toml"), proposal(&format!("Deal {i}"), 3, 3)).unwrap();
        config.push_str(&format!(
            "[[policy]]\npath = \"policies/{name}\"\nproposals = [\"proposals/{name}/*.toml\"]\n\n"
        ));
    }
    std::fs::remove_dir_all(repo.dir.join("policies/consortium")).unwrap();
    std::fs::write(repo.dir.join("ipcheck.toml"), config).unwrap();
    repo
}

#[test]
fn a_generated_200_file_repository_stays_under_both_size_limits() {
    let repo = big_repo(100);
    let started = std::time::Instant::now();
    let run = check(&repo.dir, "markdown");
    let markdown_time = started.elapsed();
    assert_eq!(run.code, 1, "{}", run.stderr);
    let chars = run.stdout.chars().count();
    assert!(chars <= 65_536, "{chars} characters");
    assert!(
        run.stdout
            .contains("> ✂️ **Cut to fit the limit of 65,536 characters")
    );
    assert!(run.stdout.contains("--format json"));
    // Errors are kept before warnings: every error row that fits is shown
    // before any warning row is.
    let findings = run.stdout.split("### Findings").nth(1).unwrap_or("");
    let kept_warnings = findings.matches("| ⚠️ warning |").count();
    let kept_errors = findings.matches("| ❌ error |").count();
    assert!(kept_errors > 0);
    assert!(
        kept_warnings == 0 || !run.stdout.contains(" errors, "),
        "warnings kept while errors were cut"
    );

    let summary = repo.tmp.path().join("summary.md");
    let run = run_in(
        &repo.dir,
        &["check", "--format", "github"],
        &[("GITHUB_STEP_SUMMARY", summary.to_str().unwrap())],
    );
    assert_eq!(run.code, 1);
    let bytes = std::fs::metadata(&summary).unwrap().len();
    assert!(bytes < 1024 * 1024, "{bytes} bytes");
    let json = check(&repo.dir, "json");
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(
        doc["summary"]["files"], 301,
        "200 policy files, 100 proposals, ipcheck.toml"
    );
    eprintln!(
        "200 policy files + 100 proposals: markdown {chars} chars in {markdown_time:?}; job summary {bytes} bytes; JSON {} bytes",
        json.stdout.len()
    );
}

// ---------------------------------------------------------------------
// Paths relative to the repository root.

#[test]
fn a_job_run_from_a_subdirectory_names_files_from_the_repository_root() {
    let tmp = tempfile::tempdir().unwrap();
    let top = tmp.path().join("monorepo");
    let contracts = top.join("legal/contracts");
    copy_dir(
        &root().join("tests/fixtures/repos/denied_proposal"),
        &contracts,
    );
    std::fs::create_dir_all(top.join(".git")).unwrap();
    let from = contracts.join("proposals");
    let run = run_in(&from, &["check", "--format", "sarif"], &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let sarif: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let run0 = &sarif["runs"][0];
    let base = run0["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    let real_top = std::fs::canonicalize(&top).unwrap();
    assert_eq!(base, format!("file://{}/", real_top.display()));
    for result in run0["results"].as_array().unwrap() {
        let artifact = &result["locations"][0]["physicalLocation"]["artifactLocation"];
        let uri = artifact["uri"].as_str().unwrap();
        assert!(uri.starts_with("legal/contracts/"), "{uri}");
        assert_eq!(artifact["uriBaseId"], "%SRCROOT%");
        assert!(real_top.join(uri).is_file(), "{uri}");
    }
    let run = run_in(&from, &["check", "--format", "github"], &[]);
    for line in run.stdout.lines().filter(|l| l.contains(" file=")) {
        let file = line
            .split("file=")
            .nth(1)
            .unwrap()
            .split(',')
            .next()
            .unwrap();
        assert!(file.starts_with("legal/contracts/"), "{line}");
    }
    // Human and JSON output keep paths relative to the working directory.
    let run = run_in(&from, &["check", "--format", "json"], &[]);
    assert!(
        run.stdout
            .contains("\"file\": \"../policies/consortium/agreement.ipl\"")
    );
}

// ---------------------------------------------------------------------
// Markdown: inert user text, links.

#[test]
fn markdown_escapes_user_text_and_links_places() {
    let repo = repo("denied_proposal");
    let path = repo.dir.join("proposals/exclusive.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let evil = "Deal `x` | [click](https://evil.example) @octocat <img src=x> *bold*";
    std::fs::write(
        &path,
        text.replace(
            "title = \"Exclusive EV licence to ACME\"",
            &format!("title = \"{evil}\""),
        ),
    )
    .unwrap();
    let env = [
        ("GITHUB_SERVER_URL", "https://github.com"),
        ("GITHUB_REPOSITORY", "acme/contracts"),
        ("GITHUB_SHA", "0123abcd"),
    ];
    let run = run_in(&repo.dir, &["check", "--format", "markdown"], &env);
    assert_eq!(run.code, 1);
    let md = &run.stdout;
    // What Markdown renders live: the text outside code spans, where a
    // backslash escapes the next character.
    let mut live = String::new();
    let mut in_code = false;
    let mut chars = md.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' if !in_code => {
                chars.next();
                live.push('_');
            }
            '`' => in_code = !in_code,
            c if !in_code => live.push(c),
            _ => {}
        }
    }
    assert!(!live.contains("[click]("), "{live}");
    assert!(!live.contains("<img"), "{live}");
    assert!(!live.contains("@octocat"), "{live}");
    assert!(!live.contains("*bold*"), "{live}");
    assert!(md.contains("\\[click\\]"), "{md}");
    // Every table row keeps its columns: no unescaped pipe from the title.
    for row in md.lines().filter(|l| l.starts_with("| ❌ | Deal")) {
        let cells = row.replace("\\|", "").matches('|').count();
        assert_eq!(cells, 8, "{row}");
    }
    assert!(
        md.contains(
            "](https://github.com/acme/contracts/blob/0123abcd/proposals/exclusive.toml#L6)"
        ),
        "{md}"
    );
    // Without the environment, places are not links.
    let run = run_in(&repo.dir, &["check", "--format", "markdown"], &[]);
    assert!(!run.stdout.contains("/blob/0123abcd/"));
}

// ---------------------------------------------------------------------
// Proposal metadata; eval accepts proposal files.

#[test]
fn proposal_metadata_is_shown() {
    let repo = repo("clean");
    let human = check(&repo.dir, "human");
    assert!(
        human
            .stdout
            .contains("Recycling licence to ACME (Legal, CATL · DEAL-2026-014 · 2026-04-20)"),
        "{}",
        human.stdout
    );
    let md = check(&repo.dir, "markdown");
    assert!(md.stdout.contains("| Legal, CATL |"), "{}", md.stdout);
    assert!(md.stdout.contains("DEAL-2026-014, 2026-04-20"));
    let json = check(&repo.dir, "json");
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(doc["decisions"][0]["proposal"]["author"], "Legal, CATL");
    assert_eq!(
        doc["decisions"][0]["proposal"]["reference"],
        "DEAL-2026-014"
    );
    assert_eq!(doc["decisions"][0]["proposal"]["date"], "2026-04-20");
    let junit = check(&repo.dir, "junit");
    assert!(
        junit
            .stdout
            .contains("proposal: Recycling licence to ACME (Legal, CATL")
    );
}

#[test]
fn eval_accepts_a_proposal_file() {
    let repo = repo("clean");
    let run = run_in(
        &repo.dir,
        &[
            "eval",
            "policies/consortium",
            "--actions",
            "proposals/recycling.toml",
            "--format",
            "json",
        ],
        &[],
    );
    assert_ne!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.stdout.lines().count(), 2, "{}", run.stdout);
}

// ---------------------------------------------------------------------
// check FILE.

#[test]
fn check_a_file_checks_its_policy_or_refuses() {
    let repo = repo("denied_proposal");
    add_good_policy(&repo, "other");
    let config = repo.dir.join("ipcheck.toml");
    std::fs::write(
        &config,
        "[[policy]]\npath = \"policies/consortium\"\nproposals = [\"proposals/*.toml\"]\n\n[[policy]]\npath = \"policies/other\"\n",
    )
    .unwrap();
    let run = run_in(
        &repo.dir,
        &["check", "policies/other/agreement.ipl", "--format", "json"],
        &[],
    );
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["summary"]["policies"], 1, "{}", run.stdout);
    assert_eq!(doc["summary"]["deny"], 0);
    assert_eq!(run.code, 0, "{}", run.stdout);
    // A proposal: its policy, with that proposal only.
    let run = run_in(
        &repo.dir,
        &["check", "proposals/exclusive.toml", "--format", "json"],
        &[],
    );
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["summary"]["policies"], 1);
    assert_eq!(doc["summary"]["deny"], 2);
    assert_eq!(doc["summary"]["conditional"], 0);
    assert_eq!(run.code, 1);
    // Anything else: exit 2 with a clear error, and no report.
    std::fs::write(repo.dir.join("README.md"), "# contracts\n").unwrap();
    let run = run_in(&repo.dir, &["check", "README.md"], &[]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty());
    assert!(
        run.stderr
            .contains("`README.md` is not a file ipcheck checks here"),
        "{}",
        run.stderr
    );
}

// ---------------------------------------------------------------------
// Symbolic links, depth, the configuration's place.

#[cfg(unix)]
#[test]
fn symlinked_policies_inside_are_followed_and_outside_are_warned() {
    use std::os::unix::fs::symlink;
    let repo = repo("failing_scenario");
    let outside = repo.tmp.path().join("outside.ipl");
    std::fs::write(&outside, "this is not read\n").unwrap();
    // A link to a file inside the repository: followed.
    std::fs::create_dir_all(repo.dir.join("linked")).unwrap();
    symlink(
        repo.dir.join("consortium/agreement.ipl"),
        repo.dir.join("linked/agreement.ipl"),
    )
    .unwrap();
    // A link leading out: warned, not read.
    symlink(&outside, repo.dir.join("consortium/extra.ipl")).unwrap();
    // A link to a directory outside, and a loop.
    symlink(repo.tmp.path(), repo.dir.join("up")).unwrap();
    symlink(&repo.dir, repo.dir.join("linked/loop")).unwrap();
    let run = check(&repo.dir, "json");
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let codes: Vec<(&str, &str)> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["file"].as_str().unwrap()))
        .collect();
    assert!(
        codes.contains(&("ipl::source::link_outside", "consortium/extra.ipl")),
        "{codes:?}"
    );
    assert!(
        codes.contains(&("ipl::source::link_outside", "up")),
        "{codes:?}"
    );
    assert!(!run.stdout.contains("this is not read"));
    assert_eq!(doc["summary"]["policies"], 2, "{}", run.stdout);
    let human = check(&repo.dir, "human");
    assert!(
        human.stdout.contains("● linked/agreement.ipl (1 file)"),
        "{}",
        human.stdout
    );
}

#[cfg(unix)]
#[test]
fn configuration_paths_cannot_escape_through_a_symlink() {
    use std::os::unix::fs::symlink;
    let repo = repo("denied_proposal");
    let secret_dir = repo.tmp.path().join("secret/etc");
    std::fs::create_dir_all(&secret_dir).unwrap();
    std::fs::write(secret_dir.join("hostname"), "title = \"SECRET-HOST\"\n").unwrap();
    symlink(repo.tmp.path().join("secret/etc"), repo.dir.join("link")).unwrap();
    let config = repo.dir.join("ipcheck.toml");
    // `link/../etc/hostname`: its text stays inside, the kernel leaves.
    std::fs::create_dir_all(repo.dir.join("etc")).unwrap();
    std::fs::write(
        &config,
        "[[policy]]\npath = \"policies/consortium\"\nproposals = [\"link/../../secret/etc/hostname\", \"link/../hostname\"]\n",
    )
    .unwrap();
    for format in ["human", "sarif"] {
        let run = check(&repo.dir, format);
        assert_eq!(run.code, 2, "{}", run.stdout);
        assert!(!run.stdout.contains("SECRET-HOST"), "{}", run.stdout);
        assert!(
            run.stdout.contains("ipl::config::outside_repo"),
            "{}",
            run.stdout
        );
    }
    // A proposal glob that meets a link out of the repository does not
    // follow it.
    std::fs::write(
        &config,
        "[[policy]]\npath = \"policies/consortium\"\nproposals = [\"**/hostname\"]\n",
    )
    .unwrap();
    let run = check(&repo.dir, "json");
    assert!(!run.stdout.contains("SECRET-HOST"), "{}", run.stdout);
    assert!(
        run.stdout.contains("ipl::source::link_outside"),
        "{}",
        run.stdout
    );
    // A symlinked proposal file pointing out.
    std::fs::write(
        &config,
        "[[policy]]\npath = \"policies/consortium\"\nproposals = [\"proposals/*.toml\"]\n",
    )
    .unwrap();
    symlink(
        secret_dir.join("hostname"),
        repo.dir.join("proposals/evil.toml"),
    )
    .unwrap();
    let run = check(&repo.dir, "json");
    assert!(!run.stdout.contains("SECRET-HOST"), "{}", run.stdout);
    assert!(
        run.stdout.contains("ipl::source::link_outside"),
        "{}",
        run.stdout
    );
    // ipcheck.toml itself a link out of the repository: refused.
    std::fs::remove_file(&config).unwrap();
    std::fs::write(repo.tmp.path().join("secret/ipcheck.toml"), "# outside\n").unwrap();
    symlink(repo.tmp.path().join("secret/ipcheck.toml"), &config).unwrap();
    let run = check(&repo.dir, "human");
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("leads outside the repository"),
        "{}",
        run.stderr
    );
}

#[test]
fn policies_at_any_depth_are_checked() {
    let repo = repo("failing_scenario");
    let mut deep = repo.dir.join("deep");
    for i in 0..40 {
        deep = deep.join(format!("d{i}"));
    }
    copy_dir(&repo.dir.join("consortium"), &deep);
    let run = check(&repo.dir, "json");
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["summary"]["policies"], 2, "{}", run.stdout);
    assert_eq!(doc["summary"]["scenarios_failed"], 2);
}

#[test]
fn a_configuration_from_a_parent_folder_outside_a_checkout_is_noted() {
    let tmp = tempfile::tempdir().unwrap();
    let parent = tmp.path().join("downloads");
    copy_dir(&root().join("tests/fixtures/repos/clean"), &parent);
    let inner = parent.join("policies");
    let run = run_in(&inner, &["check", "--format", "json"], &[]);
    assert!(
        run.stdout
            .contains("\"code\": \"ipl::config::parent_config\""),
        "{}",
        run.stdout
    );
    assert_eq!(run.code, 0, "an info note does not fail the check");
    // Inside a checkout, the same layout says nothing.
    std::fs::create_dir_all(parent.join(".git")).unwrap();
    let run = run_in(&inner, &["check", "--format", "json"], &[]);
    assert!(!run.stdout.contains("ipl::config::parent_config"));
}

// ---------------------------------------------------------------------
// JUnit and GitLab.

#[test]
fn junit_has_a_case_per_scenario_and_per_decision() {
    let repo = repo("denied_proposal");
    let run = check(&repo.dir, "junit");
    assert_eq!(run.code, 1);
    assert_junit(&run.stdout);
    // 2 scenarios, 3 decisions, 1 case for the diagnostics.
    assert_eq!(
        run.stdout.matches("<testcase ").count(),
        6,
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("classname=\"policies/consortium.scenarios\"")
    );
    assert!(run.stdout.contains(
        "<failure message=\"deny by 8.4; decided by 8.4 at policies/consortium/agreement.ipl:37:1\" type=\"ipl::proposal::denied\">"
    ), "{}", run.stdout);
    // A conditional is a warning: below the default fail level it passes,
    // with `--fail-on warning` it fails.
    assert_eq!(attribute_sum(&run.stdout, "<testsuite ", "failures"), 3);
    let strict = run_in(
        &repo.dir,
        &["check", "--format", "junit", "--fail-on", "warning"],
        &[],
    );
    assert_eq!(attribute_sum(&strict.stdout, "<testsuite ", "failures"), 4);
    validate_with_schema(&run.stdout);
    insta::assert_snapshot!("junit_denied_proposal", normalise(&run.stdout, &repo));
}

/// Validates JUnit XML against the Jenkins JUnit schema (as transcribed
/// in tests/fixtures/junit/jenkins-junit.xsd) with Python's `xmlschema`,
/// when it is installed; says so when it is not.
fn validate_with_schema(xml: &str) {
    let xsd = root().join("tests/fixtures/junit/jenkins-junit.xsd");
    let tmp = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(tmp.path(), xml).unwrap();
    let script = "import sys, xmlschema; xmlschema.XMLSchema(sys.argv[1]).validate(sys.argv[2])";
    match Command::new("python3")
        .args(["-c", script])
        .arg(&xsd)
        .arg(tmp.path())
        .output()
    {
        Ok(out) if out.status.success() => {}
        Ok(out) => {
            let err = String::from_utf8_lossy(&out.stderr);
            if err.contains("No module named 'xmlschema'") {
                eprintln!(
                    "skipped: python3 has no xmlschema module; JUnit schema validation not run"
                );
            } else {
                panic!("JUnit XML does not validate:\n{err}\n{xml}");
            }
        }
        Err(_) => eprintln!("skipped: no python3; JUnit schema validation not run"),
    }
}

#[test]
fn gitlab_code_quality_issues_are_valid() {
    let repo = repo("denied_proposal");
    let run = check(&repo.dir, "gitlab");
    assert_eq!(run.code, 1);
    let issues: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let issues = issues.as_array().unwrap();
    assert_eq!(issues.len(), 7);
    let mut prints = Vec::new();
    for issue in issues {
        for key in ["description", "check_name", "fingerprint", "severity"] {
            assert!(issue[key].is_string(), "{key}: {issue}");
        }
        assert!(
            ["info", "minor", "major", "critical", "blocker"]
                .contains(&issue["severity"].as_str().unwrap())
        );
        let path = issue["location"]["path"].as_str().unwrap();
        assert!(repo.dir.join(path).is_file(), "{path}");
        assert!(issue["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
        prints.push(issue["fingerprint"].as_str().unwrap().to_string());
    }
    prints.sort();
    prints.dedup();
    assert_eq!(prints.len(), issues.len(), "fingerprints are unique");
    insta::assert_snapshot!("gitlab_denied_proposal", normalise(&run.stdout, &repo));
}
