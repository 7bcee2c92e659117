//! Bad input gets a clear error, never a panic: invalid UTF-8, BOM, CRLF,
//! empty files, huge identifiers, deep nesting, random and mutated bytes.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::unreachable
)] // a test may panic

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
        .map(|d| d.code.as_str())
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

/// Runs the binary on a file written to a temporary directory; its exit
/// code and everything it printed.
fn run_on(args: &[&str], name: &str, bytes: &[u8]) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_ipcheck"))
        .args(args)
        .arg(&path)
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.code().unwrap_or(-1), text)
}

const BASE: &str = include_str!("fixtures/base.ipl");

/// The start of a long output, for assertion messages.
fn head(text: &str) -> &str {
    let mut end = text.len().min(3000);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Issue 17: 20 MB of spaces before an item on its line put a label at
/// column 20,971,521; miette's graphical handler panicked on any column of
/// 65,536 or more, and the line was printed whole.
#[test]
fn twenty_megabytes_of_spaces_before_an_item() {
    let text = format!(
        "{BASE}{}clause 1 {{ permit use by nobody }}\n",
        " ".repeat(20 * 1024 * 1024)
    );
    let (code, out) = run_on(&["lint"], "spaces.ipl", text.as_bytes());
    assert_eq!(code, 1, "{}", head(&out));
    assert!(!out.contains("panicked"), "{}", head(&out));
    assert!(out.len() < 10_000, "{} bytes of output", out.len());
    assert!(out.contains("unknown party or group `nobody`"), "{out}");
    // The header keeps the real column; the line is cut around the label.
    let line = BASE.lines().count() + 1;
    assert!(
        out.contains(&format!("spaces.ipl:{line}:{}]", 20 * 1024 * 1024 + 26)),
        "{out}"
    );
    assert!(out.contains("…"), "{out}");
}

/// Issue 17: a syntax error at column 70,000 made `fmt` panic.
#[test]
fn fmt_with_a_syntax_error_at_column_70000() {
    let text = format!(
        "{BASE}clause 1 {{ permit use by {}! }}\n",
        "a ".repeat(35_000)
    );
    let (code, out) = run_on(&["fmt", "--check"], "wide.ipl", text.as_bytes());
    assert_eq!(code, 1, "{}", head(&out));
    assert!(!out.contains("panicked"), "{}", head(&out));
    assert!(out.contains("ipl::syntax::unexpected_token"), "{out}");
    assert!(out.len() < 10_000, "{} bytes of output", out.len());
    let line = BASE.lines().count() + 1;
    assert!(out.contains(&format!("wide.ipl:{line}:70026]")), "{out}");
    // Without --check the file is left as it was.
    let (code, out) = run_on(&["fmt"], "wide.ipl", text.as_bytes());
    assert!(code != 101 && !out.contains("panicked"), "{code}");
}

/// Issue 17: a `fields` tree of 100,000 nodes on one line, every node
/// unused: a panic after 8 GB of diagnostics. Now a capped list of short
/// snippets.
#[test]
fn a_fields_tree_of_100000_nodes_on_one_line() {
    let nodes: Vec<String> = (0..100_000).map(|i| format!("n{i}")).collect();
    let text = format!(
        "{BASE}fields {{ {} }}\nclause 1 {{ permit use of joint by a }}\n",
        nodes.join(" ")
    );
    let (code, out) = run_on(&["lint"], "tree.ipl", text.as_bytes());
    assert!(code == 0 || code == 1, "{code}: {}", head(&out));
    assert!(!out.contains("panicked"), "{}", head(&out));
    assert!(out.len() < 1_000_000, "{} bytes of output", out.len());
    assert_eq!(
        out.lines().filter(|l| *l == "ipl::lint::unused").count(),
        100,
        "{}",
        head(&out)
    );
    // The tree's 100,000 nodes and the few unused names of the base.
    let marker = " more `ipl::lint::unused` findings";
    let before = out.find(marker).map_or("", |at| &out[..at]);
    let more: usize = before
        .rsplit("and ")
        .next()
        .unwrap_or("")
        .replace(',', "")
        .parse()
        .unwrap_or(0);
    assert!((99_900..100_000).contains(&more), "{more}: {}", head(&out));
}

/// Issue 18: rendering N diagnostics of one file scanned the file from its
/// start for each (40,000 errors: 47.7 s); 20,000 broken items now render
/// in well under the time JSON took before.
#[test]
fn twenty_thousand_broken_items_render_quickly() {
    let text: String = (0..20_000)
        .map(|k| format!("clause {k} {{ permit }}\n"))
        .collect();
    let started = std::time::Instant::now();
    let (code, out) = run_on(&["lint"], "broken.ipl", text.as_bytes());
    let took = started.elapsed();
    assert_eq!(code, 1);
    assert!(out.contains("ipl::syntax::"), "{}", head(&out));
    assert!(took.as_secs_f64() < 5.0, "{took:?}");
}

/// The cap applies in every format but JSON, per code and per policy, and
/// the findings left out still count.
#[test]
fn repeated_findings_are_capped_except_in_json() {
    let nodes: Vec<String> = (0..300).map(|i| format!("m{i}")).collect();
    let text = format!(
        "{BASE}fields {{ {} }}\nclause 1 {{ permit use of joint by a }}\n",
        nodes.join(", ")
    );
    let count_json = |args: &[&str]| {
        let (_, out) = run_on(args, "tree.ipl", text.as_bytes());
        out.matches("\"ipl::lint::unused\"").count()
    };
    let json = count_json(&["lint", "--format", "json"]);
    assert!(json >= 300, "{json}");
    let (_, sarif) = run_on(&["lint", "--format", "sarif"], "tree.ipl", text.as_bytes());
    let results = sarif.matches("\"ruleId\": \"ipl::lint::unused\"").count();
    assert_eq!(results, 100, "{}", head(&sarif));
    assert!(
        sarif.contains(&format!(
            "and {} more `ipl::lint::unused` findings",
            json - 100
        )),
        "{}",
        head(&sarif)
    );
    for format in ["github", "markdown", "human"] {
        let (_, out) = run_on(&["lint", "--format", format], "tree.ipl", text.as_bytes());
        assert!(
            out.contains(&format!(
                "and {} more `ipl::lint::unused` findings",
                json - 100
            )),
            "{format}: {}",
            head(&out)
        );
    }
}

#[test]
fn capped_errors_still_count_and_fail() {
    let names: Vec<String> = (0..150).map(|i| format!("nobody{i}")).collect();
    let text = format!("{BASE}group g = {}\n", names.join(", "));
    let (code, out) = run_on(&["lint"], "many.ipl", text.as_bytes());
    assert_eq!(code, 1, "{}", head(&out));
    assert!(out.contains("150 errors"), "{}", &out[out.len() - 300..]);
    assert!(
        out.contains("and 50 more `ipl::names::unknown_party` findings"),
        "{}",
        &out[out.len() - 300..]
    );
}
