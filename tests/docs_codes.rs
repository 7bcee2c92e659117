//! The code table and the documentation agree in both directions: every
//! code of `Code::ALL` has a `### CODE` section in docs/diagnostics.md or
//! docs/lints.md (what `ipcheck explain` prints and SARIF rules link to),
//! and every documented code exists. Outside the table (src/diagnostic/
//! code.rs) no source file spells a code as a string literal.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::unreachable
)] // a test may panic

use std::path::Path;

use ipcheck::diagnostic::Code;

/// The `"ipl::…"` string literals of a source text that are codes: a
/// family and a name (`ipl::names::unknown_party`), or a bare code
/// (`ipl::internal`). Prefixes ending in `::` and families are not codes.
fn code_literals(text: &str) -> Vec<String> {
    let mut codes = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("\"ipl::") {
        let body = &rest[at + 1..];
        let end = body
            .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == ':'))
            .unwrap_or(body.len());
        let literal = &body[..end];
        if body[end..].starts_with('"')
            && !literal.ends_with(':')
            && literal.matches("::").count() == 2
        {
            codes.push(literal.to_string());
        }
        rest = &body[end..];
    }
    codes
}

fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            out.push((path.display().to_string(), text));
        }
    }
}

fn documented() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut codes = Vec::new();
    for page in ["docs/diagnostics.md", "docs/lints.md"] {
        let text = std::fs::read_to_string(root.join(page)).unwrap();
        codes.extend(
            text.lines()
                .filter_map(|l| l.strip_prefix("### "))
                .map(|h| h.trim().to_string())
                .filter(|h| h.starts_with("ipl::")),
        );
    }
    codes
}

#[test]
fn every_code_is_documented() {
    let documented = documented();
    let missing: Vec<&str> = Code::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|c| !documented.iter().any(|d| d == c))
        .collect();
    assert!(
        missing.is_empty(),
        "codes without a `### CODE` section in docs/diagnostics.md or docs/lints.md:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_documented_code_exists() {
    let unknown: Vec<String> = documented()
        .into_iter()
        .filter(|d| Code::parse(d).is_none())
        .collect();
    assert!(
        unknown.is_empty(),
        "documented codes that ipcheck never reports (not in src/diagnostic/code.rs):\n{}",
        unknown.join("\n")
    );
}

#[test]
fn no_code_is_a_string_literal_outside_the_table() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(&root.join("src"), &mut files);
    let table = Path::new("src").join("diagnostic").join("code.rs");
    let mut literals: Vec<String> = files
        .iter()
        .filter(|(file, _)| !file.ends_with(table.to_str().unwrap_or_default()))
        .flat_map(|(file, text)| {
            code_literals(text)
                .into_iter()
                .map(move |c| format!("{c} ({file})"))
        })
        .collect();
    literals.sort();
    assert!(
        literals.is_empty(),
        "write `Code::…` instead of these literals:\n{}",
        literals.join("\n")
    );
}

#[test]
fn code_literals_are_found() {
    assert_eq!(
        code_literals(
            r#"x("ipl::names::unknown_party", "ipl::check::", "ipl::names", "ipl::syntax::invalid_utf8")"#
        ),
        ["ipl::names::unknown_party", "ipl::syntax::invalid_utf8"]
    );
}
