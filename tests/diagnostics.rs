//! One insta snapshot per faulty fixture: every diagnostic `ipcheck lint`
//! reports for it, rendered at a fixed width without colour.
//!
//! A fixture is `tests/fixtures/errors/NAME.ipl` (one file) or a directory
//! `tests/fixtures/errors/NAME/` (one policy of several files). Its first
//! line is a comment naming the codes it must produce:
//! `// expect: ipl::names::unknown_party, ipl::names::unknown_asset`. A
//! code may be pinned to its primary span, 1-based `LINE:COL-LINE:COL`
//! in characters, end exclusive, in the file the expect line is in:
//! `// expect: 12:20-12:24 ipl::names::unknown_party`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::unreachable
)] // a test may panic

use std::path::{Path, PathBuf};

use ipcheck::policy;
use ipcheck::report::human::{self, Style};

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/errors");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixture directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir() || p.extension().is_some_and(|e| e == "ipl"))
        .collect();
    paths.sort();
    paths
}

/// The codes listed on the fixture's `// expect:` line.
fn expected_codes(path: &Path) -> Vec<String> {
    let first = if path.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        files[0].clone()
    } else {
        path.to_path_buf()
    };
    let text = String::from_utf8_lossy(&std::fs::read(first).unwrap_or_default()).into_owned();
    let line = text
        .lines()
        .find(|l| l.starts_with("// expect:"))
        .unwrap_or("");
    let mut codes: Vec<String> = line
        .trim_start_matches("// expect:")
        .split(',')
        .map(|c| c.split_whitespace().last().unwrap_or("").to_string())
        .filter(|c| !c.is_empty())
        .collect();
    codes.sort();
    codes
}

/// The items of the expect line as written: `CODE` or `POSITION CODE`.
fn expected_raw(path: &Path) -> Vec<String> {
    if path.is_dir() {
        return Vec::new();
    }
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let line = text
        .lines()
        .find(|l| l.starts_with("// expect:"))
        .unwrap_or("");
    line.trim_start_matches("// expect:")
        .split(',')
        .map(|c| c.trim().to_string())
        .collect()
}

/// The positions the expect line pins `code` to, when it pins it.
fn pinned(_path: &Path, items: &[String], code: &str) -> Option<Vec<String>> {
    let positions: Vec<String> = items
        .iter()
        .filter_map(|i| i.split_once(' '))
        .filter(|(_, c)| c.trim() == code)
        .map(|(p, _)| p.to_string())
        .collect();
    (!positions.is_empty()).then_some(positions)
}

/// `LINE:COL-LINE:COL` of a diagnostic's primary span, 1-based, in
/// characters.
fn place(d: &ipcheck::diagnostic::Diagnostic, sources: &ipcheck::source::SourceMap) -> String {
    let text = sources
        .get(d.location.file)
        .map(|f| f.text.to_string())
        .unwrap_or_default();
    let at = |offset: u32| {
        let before = &text[..(offset as usize).min(text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        format!("{line}:{column}")
    };
    format!("{}-{}", at(d.location.span.start), at(d.location.span.end))
}

#[test]
fn every_faulty_fixture_reports_exactly_its_expected_codes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fixtures = fixtures();
    assert!(!fixtures.is_empty());
    for path in fixtures {
        let relative = path.strip_prefix(root).unwrap().to_path_buf();
        let policies = std::env::set_current_dir(root).map(|_| policy::load_path(&relative));
        let policies = policies
            .unwrap()
            .unwrap_or_else(|e| panic!("{}: {e}", relative.display()));
        let mut rendered = String::new();
        let mut codes = Vec::new();
        for p in &policies {
            for d in &p.diagnostics {
                let pinned = pinned(&path, &expected_raw(&path), d.code.as_str());
                if let Some(position) = pinned {
                    let at = place(d, &p.sources);
                    assert!(
                        position.contains(&at),
                        "{}: {} is at {at}, not at {}",
                        relative.display(),
                        d.code,
                        position.join(" or ")
                    );
                }
                codes.push(d.code.to_string());
                rendered.push_str(&human::render(d, &p.sources, Style::PLAIN));
                rendered.push('\n');
            }
        }
        codes.sort();
        let expected = expected_codes(&path);
        assert!(
            !expected.is_empty(),
            "{}: no `// expect:` line",
            relative.display()
        );
        assert_eq!(codes, expected, "{}:\n{rendered}", relative.display());
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        insta::assert_snapshot!(name, rendered);
    }
}
