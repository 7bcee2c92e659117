//! Bad input gets a clear error, never a panic: invalid UTF-8, BOM, CRLF,
//! empty files, huge identifiers, deep nesting, random and mutated bytes.

use std::process::Command;

use ipcheck::policy::analyze;
use ipcheck::source::SourceMap;
use proptest::prelude::*;

const EXAMPLE: &str = include_str!("../policies/ssb-consortium/agreement.ipl");
const SCENARIOS: &str = include_str!("../policies/ssb-consortium/scenarios.ipl");

fn lint_bytes(bytes: &[u8]) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("policy.ipl");
    std::fs::write(&path, bytes).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_ipcheck"))
        .arg("lint")
        .arg(&path)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.code().unwrap_or(-1), text)
}

/// Every code the analysis of `text` reports.
fn codes(text: &str) -> Vec<&'static str> {
    let mut sources = SourceMap::default();
    sources.add("t.ipl", "t.ipl".into(), text);
    analyze(sources)
        .diagnostics
        .iter()
        .map(|d| d.code)
        .collect()
}

#[test]
fn invalid_utf8_names_the_byte_offset() {
    let mut bytes = b"party a \"A\"\n".to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe]);
    let (code, text) = lint_bytes(&bytes);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("ipl::syntax::invalid_utf8") && text.contains("offset 12"),
        "{text}"
    );
}

#[test]
fn bom_and_crlf_are_accepted() {
    let crlf = format!("\u{FEFF}{}", EXAMPLE.replace('\n', "\r\n"));
    let (code, text) = lint_bytes(crlf.as_bytes());
    assert_eq!(code, 0, "{text}");
}

#[test]
fn empty_file_is_an_error_not_a_crash() {
    let (code, text) = lint_bytes(b"");
    assert_eq!(code, 1, "{text}");
    assert!(!text.contains("panicked"), "{text}");
}

#[test]
fn a_five_megabyte_identifier() {
    let name = "a".repeat(5 * 1024 * 1024);
    let found = codes(&format!(
        "party {name} \"A\"\nclause 1 {{ permit use by {name}x }}\n"
    ));
    assert!(found.contains(&"ipl::names::unknown_party"), "{found:?}");
}

#[test]
fn deep_nesting_is_refused_with_a_clear_error() {
    let parens = format!(
        "clause 1 {{ permit use when {}exclusive{} }}\n",
        "(".repeat(200_000),
        ")".repeat(200_000)
    );
    let (code, text) = lint_bytes(parens.as_bytes());
    assert_eq!(code, 1);
    assert!(text.contains("nesting too deep"), "{text}");
    let nots = format!(
        "clause 1 {{ permit use when {}exclusive }}\n",
        "not ".repeat(200_000)
    );
    assert!(codes(&nots).contains(&"ipl::syntax::too_deep"));
    let braces = format!(
        "fields {{ {}a{} }}\n",
        "a { ".repeat(200_000),
        " }".repeat(200_000)
    );
    assert!(codes(&braces).contains(&"ipl::syntax::too_deep"));
}

#[test]
fn a_large_policy_lints() {
    let mut text = String::from(EXAMPLE);
    for i in 0..20_000 {
        text.push_str(&format!(
            "clause x{i} {{ permit research of cell_model by members }}\n"
        ));
    }
    let found = codes(&text);
    assert!(
        !found.iter().any(|c| c.starts_with("ipl::syntax")),
        "{found:?}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let mut sources = SourceMap::default();
        let (_, _) = sources.add_bytes("r.ipl", "r.ipl".into(), bytes);
        let _ = analyze(sources);
    }

    /// Mutations of the example: cut a range, duplicate a range, or insert
    /// a token somewhere. Analysis and rendering must never panic.
    #[test]
    fn mutated_examples_never_panic(
        which in 0usize..2,
        start in 0usize..6000,
        len in 0usize..300,
        op in 0u8..3,
        token in prop::sample::select(vec!["{", "}", "(", ")", "\"", ",", "not", "clause", "2026-02-30", "150%", "//", "\u{e9}", "\r\n"]),
    ) {
        let base = if which == 0 { EXAMPLE } else { SCENARIOS };
        let floor = |mut i: usize| { i = i.min(base.len()); while !base.is_char_boundary(i) { i -= 1; } i };
        let (a, b) = (floor(start), floor(start + len));
        let text = match op {
            0 => format!("{}{}", &base[..a], &base[b..]),
            1 => format!("{}{}{}", &base[..b], &base[a..b], &base[b..]),
            _ => format!("{}{token}{}", &base[..a], &base[a..]),
        };
        let mut sources = SourceMap::default();
        sources.add("m.ipl", "m.ipl".into(), text);
        let policy = analyze(sources);
        for d in &policy.diagnostics {
            let _ = ipcheck::report::human::render(d, &policy.sources, ipcheck::report::human::Style::PLAIN);
        }
        let engine = ipcheck::decide::Engine::new(&policy.model);
        for s in &policy.model.scenarios {
            if let Some(action) = &s.action {
                let _ = engine.decide(action);
            }
        }
    }
}
