//! Every diagnostic code the source names has a section in
//! docs/diagnostics.md or docs/lints.md (what `ipcheck explain` prints and
//! SARIF rules link to).

use std::path::Path;

/// The `"ipl::…"` string literals of a source text that are codes: a
/// family and a name (`ipl::names::unknown_party`), or a bare code
/// (`ipl::internal`). Prefixes ending in `::` are not codes.
fn code_literals(text: &str) -> Vec<String> {
    let mut codes = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("\"ipl::") {
        let body = &rest[at + 1..];
        let end = body
            .find(|c: char| !(c.is_ascii_lowercase() || c == '_' || c == ':'))
            .unwrap_or(body.len());
        let literal = &body[..end];
        if body[end..].starts_with('"') && !literal.ends_with(':') {
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

fn headings(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix("### "))
        .map(|h| h.trim().to_string())
        .collect()
}

#[test]
fn every_code_in_the_source_is_documented() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut documented = Vec::new();
    for page in ["docs/diagnostics.md", "docs/lints.md"] {
        if let Ok(text) = std::fs::read_to_string(root.join(page)) {
            documented.extend(headings(&text));
        }
    }
    let mut files = Vec::new();
    sources(&root.join("src"), &mut files);
    let codes: Vec<(String, String)> = files
        .iter()
        .flat_map(|(file, text)| {
            code_literals(text)
                .into_iter()
                .map(move |c| (c, file.clone()))
        })
        .collect();
    // A family named on its own (`ipl::names` in a list of families) is not
    // a code: it is the prefix of a code.
    let is_family = |c: &str| {
        codes
            .iter()
            .any(|(other, _)| other.starts_with(&format!("{c}::")))
    };
    let mut missing: Vec<String> = codes
        .iter()
        .filter(|(c, _)| !is_family(c) && !documented.contains(c))
        .map(|(c, file)| format!("{c} ({file})"))
        .collect();
    missing.sort();
    missing.dedup();
    assert!(
        missing.is_empty(),
        "codes without a `### CODE` section in docs/diagnostics.md or docs/lints.md:\n{}",
        missing.join("\n")
    );
}

#[test]
fn code_literals_are_found() {
    assert_eq!(
        code_literals(r#"x("ipl::names::unknown_party", "ipl::check::", "ipl::internal")"#),
        ["ipl::names::unknown_party", "ipl::internal"]
    );
}
