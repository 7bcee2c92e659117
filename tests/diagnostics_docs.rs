//! Every Bad/Good example of docs/diagnostics.md runs: the Bad example
//! (an `ipl` block after `Bad:`) reports the section's code, and the Good
//! one does not. Examples are fragments, so other codes (an undeclared
//! party of a two-line example) are not looked at.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::unreachable
)] // a test may panic

use std::path::Path;

use ipcheck::diagnostic::{Code, Family};
use ipcheck::lint::{LintOptions, lint};
use ipcheck::source::SourceMap;

/// Sections whose examples are not a policy file on their own, and why.
const NOT_A_POLICY: &[(&str, &str)] = &[
    ("ipl::syntax::too_deep", "the example elides 60 parentheses"),
    (
        "ipl::syntax::invalid_utf8",
        "invalid UTF-8 cannot be shown in the page",
    ),
];

struct Example {
    code: String,
    bad: Option<String>,
    good: Option<String>,
}

/// The `ipl` block right after `Bad:` and after `Good:` in each section.
fn examples(text: &str) -> Vec<Example> {
    let mut out: Vec<Example> = Vec::new();
    let mut want: Option<bool> = None;
    let mut block: Option<(bool, String)> = None;
    for line in text.lines() {
        if let Some(code) = line.strip_prefix("### ") {
            out.push(Example {
                code: code.trim().to_string(),
                bad: None,
                good: None,
            });
            want = None;
            continue;
        }
        if let Some((bad, body)) = &mut block {
            if line.starts_with("```") {
                let (bad, body) = (*bad, std::mem::take(body));
                if let Some(e) = out.last_mut() {
                    if bad {
                        e.bad.get_or_insert(body)
                    } else {
                        e.good.get_or_insert(body)
                    };
                }
                block = None;
            } else {
                body.push_str(line);
                body.push('\n');
            }
            continue;
        }
        match line.trim() {
            "Bad:" => want = Some(true),
            "Good:" => want = Some(false),
            "```ipl" => {
                if let Some(bad) = want.take() {
                    block = Some((bad, String::new()));
                }
            }
            l if l.starts_with("```") => want = None,
            _ => {}
        }
    }
    out
}

/// What a fragment may take as declared: the names the examples use.
const PREAMBLE: &str = r#"agreement "Example" { effective 2025-01-01 expires 2028-12-31 }
party catl "CATL"
party bmw "BMW"
party umicore "Umicore"
party alpha "Alpha"
asset cell "Cell design" { class foreground owner catl }
fields { mobility { ev } }
territories { world { europe { eu } } }
"#;

/// The codes a fragment reports, as written and after the preamble. An
/// example of several files marks each with a `// NAME.ipl` line.
fn codes(text: &str) -> (Vec<Code>, Vec<Code>) {
    (
        analyse(text),
        analyse(&format!("{PREAMBLE}// example.ipl\n{text}")),
    )
}

fn analyse(text: &str) -> Vec<Code> {
    let mut sources = SourceMap::default();
    let mut files: Vec<(String, String)> = vec![("example.ipl".to_string(), String::new())];
    for line in text.lines() {
        let marker = line
            .trim()
            .strip_prefix("// ")
            .filter(|n| n.ends_with(".ipl") && !n.contains(' '));
        match marker {
            Some(name) => files.push((name.to_string(), String::new())),
            None => {
                if let Some((_, body)) = files.last_mut() {
                    body.push_str(line);
                    body.push('\n');
                }
            }
        }
    }
    for (name, body) in files.iter().filter(|(_, b)| !b.trim().is_empty()) {
        sources.add(name.clone(), name.into(), body.clone());
    }
    let mut policy = ipcheck::policy::analyze(sources);
    let today = jiff::civil::Date::new(2026, 1, 15).unwrap();
    let lints = lint(&policy, &LintOptions { today });
    policy.diagnostics.extend(lints);
    policy.diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn every_example_of_a_policy_code_shows_its_code() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("docs/diagnostics.md")).unwrap();
    let mut failures = Vec::new();
    let mut run = 0;
    for example in examples(&text) {
        let Some(code) = Code::parse(&example.code) else {
            continue;
        };
        // Only the families a policy file reports; configuration,
        // proposals and actions have their own tests.
        if !matches!(
            code.family(),
            Family::Syntax | Family::Names | Family::Check
        ) {
            continue;
        }
        if NOT_A_POLICY.iter().any(|(c, _)| *c == example.code) {
            continue;
        }
        if let Some(bad) = &example.bad {
            run += 1;
            let (alone, declared) = codes(bad);
            if !alone.contains(&code) && !declared.contains(&code) {
                failures.push(format!(
                    "{code}: the Bad example does not report it:\n{bad}"
                ));
            }
        }
        if let Some(good) = &example.good {
            run += 1;
            let (alone, declared) = codes(good);
            if alone.contains(&code) && declared.contains(&code) {
                failures.push(format!("{code}: the Good example reports it:\n{good}"));
            }
        }
    }
    assert!(run > 100, "only {run} examples found");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
