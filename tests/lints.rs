//! The lints, table-driven over fixtures: for every lint `NAME`,
//! `tests/fixtures/lints/NAME.ipl` must report exactly the codes on its
//! `// expect:` line (one insta snapshot of the rendered findings each),
//! and `NAME_ok.ipl` must report nothing. Every witness a finding gives is
//! parsed, resolved and decided by the engine, and must show the problem.
//! docs/lints.md is generated from the lint files' doc comments; its
//! examples are linted too.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::unreachable
)] // a test may panic

use std::path::{Path, PathBuf};

use ipcheck::config::{Level, Levels};
use ipcheck::decide::{DecisionRecord, Engine, Status};
use ipcheck::diagnostic::{Diagnostic, Severity};
use ipcheck::lint::{self, LINTS, LintOptions};
use ipcheck::policy::{self, Policy};
use ipcheck::report::human::{self, Style};
use ipcheck::source::SourceMap;
use ipcheck::span::FileId;
use ipcheck::terms::Decision;
use jiff::civil::date;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn options() -> LintOptions {
    LintOptions {
        today: date(2026, 6, 1),
    }
}

/// A policy from one file, named by its path relative to the crate so
/// that snapshots do not depend on where the crate lives.
fn load(relative: &str) -> Policy {
    let text = std::fs::read_to_string(root().join(relative))
        .unwrap_or_else(|e| panic!("{relative}: {e}"));
    from_text(relative, &text)
}

fn from_text(name: &str, text: &str) -> Policy {
    let mut sources = SourceMap::default();
    sources.add(name, PathBuf::from(name), text.to_string());
    let policy = policy::analyze(sources);
    let errors: Vec<String> = policy
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| render(d, &policy))
        .collect();
    assert!(
        errors.is_empty(),
        "{name} has errors:\n{}",
        errors.join("\n")
    );
    policy
}

fn render(d: &Diagnostic, policy: &Policy) -> String {
    human::render(d, &policy.sources, Style::PLAIN)
}

fn expected_codes(text: &str) -> Vec<String> {
    let line = text
        .lines()
        .find(|l| l.starts_with("// expect:"))
        .unwrap_or("");
    let mut codes: Vec<String> = line
        .trim_start_matches("// expect:")
        .split(',')
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .collect();
    codes.sort();
    codes
}

#[test]
fn every_lint_triggers_on_its_fixture_and_not_on_the_ok_one() {
    for lint in LINTS {
        let name = lint.name();
        let bad = format!("tests/fixtures/lints/{name}.ipl");
        let text = std::fs::read_to_string(root().join(&bad)).unwrap_or_default();
        let policy = load(&bad);
        let found = lint::lint(&policy, &options());
        let rendered: String = found.iter().map(|d| render(d, &policy) + "\n").collect();
        let mut codes: Vec<String> = found.iter().map(|d| d.code.to_string()).collect();
        codes.sort();
        let expected = expected_codes(&text);
        assert!(
            expected.iter().any(|c| c == lint.code.as_str()),
            "{bad}: expect {}",
            lint.code
        );
        assert_eq!(codes, expected, "{bad}:\n{rendered}");
        insta::assert_snapshot!(name, rendered);

        let ok = format!("tests/fixtures/lints/{name}_ok.ipl");
        let policy = load(&ok);
        let found = lint::lint(&policy, &options());
        let rendered: String = found.iter().map(|d| render(d, &policy) + "\n").collect();
        assert!(found.is_empty(), "{ok}:\n{rendered}");
    }
}

/// The action between the backticks after `witness: `, if any.
fn witness(d: &Diagnostic) -> Option<String> {
    let help = d.help.as_deref()?;
    let rest = help.split("witness: `").nth(1)?;
    Some(rest.split('`').next()?.to_string())
}

/// `clause LABEL` right after `marker` in a text.
fn label_after<'a>(text: &'a str, marker: &str) -> &'a str {
    text.split(marker)
        .nth(1)
        .and_then(|rest| rest.strip_prefix("clause "))
        .and_then(|rest| rest.split([' ', ',', ':', '`']).next())
        .unwrap_or_else(|| panic!("no `{marker} clause …` in {text}"))
}

/// The first label in backticks in a message: the clause reported.
fn first_label(message: &str) -> &str {
    message.split('`').nth(1).unwrap_or("")
}

fn decide(policy: &Policy, action: &str) -> DecisionRecord {
    let syntax = ipcheck::syntax::parse_action(action, FileId(0))
        .unwrap_or_else(|e| panic!("witness `{action}` does not parse: {e:#?}"));
    let resolved = ipcheck::names::resolve_action(&policy.model, &syntax, FileId(0))
        .unwrap_or_else(|e| panic!("witness `{action}` does not resolve: {e:#?}"));
    Engine::new(&policy.model).decide(&resolved)
}

fn status<'r>(record: &'r DecisionRecord, label: &str) -> &'r Status {
    record
        .consulted
        .iter()
        .find(|c| &*c.label == label)
        .map(|c| &c.status)
        .unwrap_or_else(|| panic!("clause {label} not consulted: {record:#?}"))
}

fn applies(status: &Status) -> bool {
    !matches!(status, Status::FailedOn { .. })
}

#[test]
fn every_witness_parses_and_shows_the_problem() {
    let mut checked = 0;
    for lint in LINTS {
        let path = format!("tests/fixtures/lints/{}.ipl", lint.name());
        let policy = load(&path);
        for d in lint::lint(&policy, &options()) {
            let Some(action) = witness(&d) else {
                continue;
            };
            let help = d.help.clone().unwrap_or_default();
            let record = decide(&policy, &action);
            let context = format!("{path}: `{action}`\n{record:#?}");
            match d.code.as_str() {
                "ipl::lint::dead_permit" => {
                    let forbid = label_after(&help, "is denied by ");
                    assert_eq!(record.decision, Decision::Deny, "{context}");
                    assert_eq!(status(&record, forbid), &Status::Applied, "{context}");
                    // Blocked by one of the forbids the finding names.
                    let named = help
                        .split("notwithstanding ")
                        .nth(1)
                        .and_then(|rest| rest.split('`').next())
                        .unwrap_or("");
                    let permit = first_label(&d.message);
                    assert!(
                        matches!(status(&record, permit), Status::BlockedBy { label } if named.split(", ").any(|n| n == &**label)),
                        "{context}"
                    );
                }
                "ipl::lint::contradiction" => {
                    let forbid = label_after(&help, "is denied by ");
                    let permit = label_after(&help, "although ");
                    assert_eq!(record.decision, Decision::Deny, "{context}");
                    assert_eq!(status(&record, forbid), &Status::Applied, "{context}");
                    assert_eq!(
                        status(&record, permit),
                        &Status::BlockedBy {
                            label: forbid.into()
                        },
                        "{context}"
                    );
                }
                "ipl::lint::shadowed_clause" => {
                    let inner = first_label(&d.message);
                    let outer = label_after(&d.message, "shadowed by ");
                    assert!(applies(status(&record, inner)), "{context}");
                    assert!(applies(status(&record, outer)), "{context}");
                }
                "ipl::lint::no_rights_in" => {
                    // The grant's own licence, decided with the grant in
                    // place: still denied (by the clause named, if any).
                    assert_eq!(record.decision, Decision::Deny, "{context}");
                    if help.contains("is denied by clause ") {
                        let forbid = label_after(&help, "is denied by ");
                        assert_eq!(status(&record, forbid), &Status::Applied, "{context}");
                    }
                }
                "ipl::lint::escaped_duty" => {
                    let permit = label_after(&d.message, "` of ");
                    let escaper = label_after(&help, "is permitted by ");
                    assert_ne!(record.decision, Decision::Deny, "{context}");
                    assert!(applies(status(&record, permit)), "{context}");
                    assert!(
                        matches!(status(&record, escaper), Status::Applied | Status::MayApply),
                        "{context}"
                    );
                    // The escaper owes nothing of the duty.
                    let duty = d.message.split('`').nth(1).unwrap_or("");
                    let kind = duty.split(' ').next().unwrap_or("");
                    let from_escaper =
                        |o: &&ipcheck::decide::duties::DutyOutcome| &*o.clause == escaper;
                    assert!(
                        !record
                            .obligations
                            .iter()
                            .chain(&record.open_preconditions)
                            .chain(&record.met_preconditions)
                            .filter(from_escaper)
                            .any(|o| o.duty.starts_with(kind)),
                        "{context}"
                    );
                }
                "ipl::lint::income_overcommitted" => {
                    let permit = label_after(&d.message, "permitted by ");
                    assert_ne!(record.decision, Decision::Deny, "{context}");
                    assert_eq!(record.decided_by.as_deref(), Some(permit), "{context}");
                    // `pay N%` and pro rata shares, in hundredths.
                    let total: u32 = record
                        .obligations
                        .iter()
                        .filter_map(|o| match o.owed {
                            ipcheck::decide::duties::Owed::Pay { hundredths, .. } => {
                                Some(hundredths)
                            }
                            _ => None,
                        })
                        .sum();
                    assert!(total > 10_000, "{context}");
                }
                "ipl::lint::excluded_background_permitted" => {
                    let permit = d
                        .message
                        .strip_prefix("clause ")
                        .and_then(|m| m.split(' ').next())
                        .unwrap_or("");
                    assert!(applies(status(&record, permit)), "{context}");
                }
                other => panic!("{other} gives a witness the test does not check"),
            }
            checked += 1;
        }
    }
    assert!(checked >= 8, "only {checked} witnesses checked");
}

#[test]
fn allow_comments_and_configured_levels_apply() {
    let policy = load("tests/fixtures/lints/suppressed.ipl");
    let found = lint::lint(&policy, &options());
    let rendered: String = found.iter().map(|d| render(d, &policy) + "\n").collect();
    // Only the party without an allow comment is left.
    assert_eq!(found.len(), 1, "{rendered}");
    assert!(found[0].message.contains("`bmw`"), "{rendered}");

    assert_eq!(found[0].severity, Severity::Info);

    // Levels from `ipcheck.toml` apply to lint findings like to any other.
    let mut levels = Levels::default();
    levels.set("ipl::lint::unused", Level::Error);
    let raised = levels.apply(found[0].clone()).expect("kept");
    assert_eq!(raised.severity, Severity::Error);
    levels.set("ipl::lint", Level::Off);
    levels.set("ipl::lint::unused", Level::Off);
    assert!(levels.apply(found[0].clone()).is_none());
}

#[test]
fn a_policy_with_errors_is_not_linted() {
    let mut sources = SourceMap::default();
    sources.add(
        "broken.ipl",
        "broken.ipl".into(),
        "party catl \"CATL\"\nclause 1 { permit use by bmww }\n",
    );
    let policy = policy::analyze(sources);
    assert!(policy.has_errors());
    assert!(lint::lint(&policy, &options()).is_empty());
}

#[test]
fn the_example_policy_has_no_errors_and_only_the_known_findings() {
    let paths: Vec<PathBuf> = ["agreement.ipl", "scenarios.ipl"]
        .iter()
        .map(|f| PathBuf::from("policies/ssb-consortium").join(f))
        .collect();
    let mut sources = SourceMap::default();
    for path in &paths {
        let text = std::fs::read_to_string(root().join(path)).expect("example policy");
        sources.add(path.to_string_lossy(), path.clone(), text);
    }
    let policy = policy::analyze(sources);
    assert!(!policy.has_errors());
    let found = lint::lint(&policy, &options());
    assert!(found.iter().all(|d| !d.is_error()));
    let rendered: String = found.iter().map(|d| render(d, &policy) + "\n").collect();
    insta::assert_snapshot!("ssb_consortium", rendered);
}

/// The `### code` sections of docs/lints.md, generated from the `//!`
/// comments of src/lint/NAME.rs.
fn generated_docs() -> String {
    let mut out = String::new();
    for lint in LINTS {
        let path = root().join(format!("src/lint/{}.rs", lint.name()));
        let source = std::fs::read_to_string(&path).expect("lint source");
        let doc: Vec<&str> = source
            .lines()
            .take_while(|l| l.starts_with("//!"))
            .map(|l| {
                l.trim_start_matches("//!")
                    .strip_prefix(' ')
                    .unwrap_or(l.trim_start_matches("//!"))
            })
            .collect();
        let severity = match lint.code.default_severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        // What it does comes first, unlabelled: `ipcheck explain` and SARIF
        // take a section's first paragraph as its description.
        out.push_str(&format!("### {}\n\n", lint.code));
        for line in doc {
            let line = match line {
                "## What it does" => continue,
                "## Why is this bad?" => {
                    format!("Default level: {severity}.\n\n**Why is this bad?**")
                }
                "## Example" => "**Bad**".to_string(),
                "## Use instead" => "**Good**".to_string(),
                other => other.to_string(),
            };
            out.push_str(&line);
            out.push('\n');
        }
        out.push('\n');
    }
    out
}

/// The generated part runs from this comment to the next section.
const BEGIN: &str = "<!-- generated from src/lint/*.rs by tests/lints.rs -->\n";
const END: &str = "## Performance\n";

#[test]
fn docs_are_generated_from_the_lint_files() {
    let path = root().join("docs/lints.md");
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    let (Some(start), Some(end)) = (current.find(BEGIN), current.find(END)) else {
        panic!("docs/lints.md lacks `{}` or `{}`", BEGIN.trim(), END.trim());
    };
    let fresh = format!(
        "{}{BEGIN}\n{}{END}{}",
        &current[..start],
        generated_docs(),
        &current[end + END.len()..]
    );
    if std::env::var_os("IPCHECK_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &fresh).expect("write docs/lints.md");
        return;
    }
    assert!(
        current == fresh,
        "docs/lints.md is stale: run `IPCHECK_UPDATE_DOCS=1 cargo test --test lints docs`"
    );
    for lint in LINTS {
        assert!(
            current.contains(&format!("### {}\n", lint.code)),
            "{}",
            lint.code
        );
    }
}

/// The ```ipl blocks of a lint's doc comment: (bad, good).
fn doc_examples(name: &str) -> (String, String) {
    let source =
        std::fs::read_to_string(root().join(format!("src/lint/{name}.rs"))).expect("lint source");
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in source.lines().take_while(|l| l.starts_with("//!")) {
        let text = line
            .trim_start_matches("//!")
            .strip_prefix(' ')
            .unwrap_or("");
        match (&mut current, text) {
            (None, "```ipl") => current = Some(String::new()),
            (Some(_), "```") => blocks.extend(current.take()),
            (Some(block), text) => {
                block.push_str(text);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    assert_eq!(
        blocks.len(),
        2,
        "{name}: want a bad and a good ```ipl block"
    );
    (blocks[0].clone(), blocks[1].clone())
}

#[test]
fn doc_examples_trigger_their_lint_and_the_fixes_do_not() {
    let mut failures = Vec::new();
    for lint in LINTS {
        let (bad, good) = doc_examples(lint.name());
        // The bad example shows this lint and nothing else; the good one
        // is clean.
        let policy = from_text("bad.ipl", &bad);
        let found = lint::lint(&policy, &options());
        let rendered: String = found.iter().map(|d| render(d, &policy) + "\n").collect();
        if found.is_empty() || found.iter().any(|d| d.code != lint.code) {
            failures.push(format!("{}: the bad example:\n{rendered}", lint.code));
        }
        let policy = from_text("good.ipl", &good);
        let found = lint::lint(&policy, &options());
        let rendered: String = found.iter().map(|d| render(d, &policy) + "\n").collect();
        if !found.is_empty() {
            failures.push(format!("{}: the good example:\n{rendered}", lint.code));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Amendments (§7.9): a finding about a permit dead only after an
/// amendment names the amendment's date, and two versions of one clause
/// are never compared with each other.
#[test]
fn amendments_date_findings_and_versions_are_not_compared() {
    let dir = "tests/fixtures/lints/amended";
    let mut sources = SourceMap::default();
    let mut first = String::new();
    for file in ["a1.ipl", "agreement.ipl"] {
        let path = PathBuf::from(dir).join(file);
        let text = std::fs::read_to_string(root().join(&path)).expect("fixture");
        if file == "agreement.ipl" {
            first = text.clone();
        }
        sources.add(path.to_string_lossy(), path.clone(), text);
    }
    let policy = policy::analyze(sources);
    assert!(!policy.has_errors(), "{:#?}", policy.diagnostics);
    let found = lint::lint(&policy, &options());
    let rendered: String = found.iter().map(|d| render(d, &policy) + "\n").collect();
    let mut codes: Vec<String> = found.iter().map(|d| d.code.to_string()).collect();
    codes.sort();
    assert_eq!(codes, expected_codes(&first), "{rendered}");
    assert!(
        found[0].message.contains("from 2027-01-01 (amendment A1)"),
        "{rendered}"
    );
    insta::assert_snapshot!("amended", rendered);
}

/// Issue 18: contradictions are counted per set of forbids in force on
/// the same days (a permit no priority touches) and pair by pair (one
/// with priorities): both give the same answer, and a permit in force
/// only from an amendment misses the forbids it removed or replaced.
#[test]
fn contradictions_follow_the_days_each_forbid_is_in_force() {
    let mut agreement = String::from(
        "agreement \"T\" { effective 2025-01-01 expires 2030-12-31 }\nparty a \"A\"\n\
         asset x \"X\" { class foreground type patent owner a }\n\
         asset y \"Y\" { class foreground type patent owner a }\n\
         clause Z { forbid research of y }\n\
         clause P1 { permit research of x }\n\
         clause P2 notwithstanding Z { permit research of x }\n",
    );
    for i in 1..=12 {
        agreement.push_str(&format!("clause F{i} {{ forbid research of x }}\n"));
    }
    let amendment = "amendment A1 \"One\" effective 2027-01-01 removes F3\n\
                     clause F5 { forbid research of x }\n\
                     clause P3 { permit research of x }\n";
    let mut sources = SourceMap::default();
    sources.add("agreement.ipl", PathBuf::from("agreement.ipl"), agreement);
    sources.add("a1.ipl", PathBuf::from("a1.ipl"), amendment.to_string());
    let policy = policy::analyze(sources);
    assert!(!policy.has_errors(), "{:#?}", policy.diagnostics);
    let found: Vec<String> = lint::lint(&policy, &options())
        .into_iter()
        .filter(|d| d.code.as_str() == "ipl::lint::contradiction")
        .map(|d| d.message)
        .collect();
    let all = "13 forbids cover exactly the same actions: `F1`, `F2`, `F3`, `F4`, `F5`, `F6`, `F7`, `F8`, `F9`, `F10` and 3 more";
    assert_eq!(
        found,
        [
            format!("permit `P1` and {all}"),
            format!("permit `P2` and {all}"),
            "permit `P3` and 11 forbids cover exactly the same actions: `F1`, `F2`, `F4`, `F6`, `F7`, `F8`, `F9`, `F10`, `F11`, `F12` and 1 more".to_string(),
        ]
    );
}
