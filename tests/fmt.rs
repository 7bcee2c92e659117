//! `ipcheck fmt`: snapshots of formatted fixtures (tests/fixtures/fmt/),
//! and properties over the example policy and odd layouts of it: the
//! canonical form is a fixed point, parses to the same syntax tree, keeps
//! every comment, and does not depend on the input layout.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::unreachable
)] // a test may panic

use std::path::{Path, PathBuf};

use ipcheck::fmt::format_source;
use ipcheck::span::FileId;
use ipcheck::syntax::parse_file;
use proptest::prelude::*;
use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn fmt(text: &str) -> String {
    match format_source(text) {
        Ok(out) => out,
        Err(diags) => panic!("not formatted: {diags:#?}"),
    }
}

fn files_in(dir: &str) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "ipl"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no .ipl files in {dir}");
    paths
}

fn fixtures() -> Vec<PathBuf> {
    files_in("tests/fixtures/fmt")
}

fn examples() -> Vec<PathBuf> {
    files_in("policies/ssb-consortium")
}

/// The syntax tree of a text as JSON, every span replaced by `null`, doc
/// comments without trailing whitespace.
fn tree(text: &str) -> Value {
    let (file, diags) = parse_file(text, FileId(0));
    assert!(
        diags
            .iter()
            .all(|d| !d.code.as_str().starts_with("ipl::syntax::")),
        "{diags:#?}"
    );
    let mut value = serde_json::to_value(&file).expect("the tree serializes");
    let mut stack = vec![&mut value];
    while let Some(v) = stack.pop() {
        let is_span = matches!(v, Value::Object(m) if m.len() == 2 && m.contains_key("start") && m.contains_key("end"));
        if is_span {
            *v = Value::Null;
            continue;
        }
        match v {
            Value::Array(items) => stack.extend(items.iter_mut()),
            Value::Object(map) => {
                // Doc comments lose their trailing whitespace, like every comment.
                if let Some(Value::String(doc)) = map.get_mut("doc") {
                    *doc = doc
                        .lines()
                        .map(str::trim_end)
                        .collect::<Vec<_>>()
                        .join("\n");
                }
                stack.extend(map.values_mut());
            }
            _ => {}
        }
    }
    value
}

/// Every comment of a text, trailing whitespace removed, found without the
/// parser: `//` outside strings.
fn comments(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        // Strings end on their line.
        let (mut in_string, mut escaped) = (false, false);
        let mut chars = line.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if in_string {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    in_string = false;
                }
            } else if c == '"' {
                in_string = true;
            } else if c == '/' && chars.peek().is_some_and(|(_, n)| *n == '/') {
                out.push(line[i..].trim_end().to_string());
                break;
            }
        }
    }
    out
}

/// The properties every formatted text has, whatever the input.
fn assert_properties(name: &str, input: &str, output: &str) {
    assert_eq!(fmt(output), output, "{name}: formatting is not idempotent");
    assert_eq!(tree(input), tree(output), "{name}: the syntax tree changed");
    assert_eq!(
        comments(input),
        comments(output),
        "{name}: comments changed"
    );
    assert!(!output.contains('\r'), "{name}: CR in the output");
    assert!(!output.starts_with('\u{feff}'), "{name}: BOM kept");
    assert!(
        output.ends_with('\n') && !output.ends_with("\n\n"),
        "{name}: final newline"
    );
    assert!(
        !output.contains("\n\n\n"),
        "{name}: more than one blank line"
    );
    for (n, line) in output.lines().enumerate() {
        assert_eq!(
            line.trim_end(),
            line,
            "{name}:{}: trailing whitespace",
            n + 1
        );
        assert!(!line.starts_with('\t'), "{name}:{}: tab indentation", n + 1);
    }
}

#[test]
fn fixtures_format_to_their_snapshots() {
    for path in fixtures() {
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("fixture");
        let input = read(&path);
        let output = fmt(&input);
        assert_properties(name, &input, &output);
        insta::assert_snapshot!(name, output);
    }
}

#[test]
fn the_example_policy_formats_to_its_snapshots() {
    for path in examples() {
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("example");
        let input = read(&path);
        let output = fmt(&input);
        assert_properties(name, &input, &output);
        insta::assert_snapshot!(format!("ssb_{name}"), output);
    }
}

/// The example with every line end turned into CRLF, a BOM in front,
/// spaces before line ends and tabs for indentation.
fn dos_layout(text: &str) -> String {
    let body: Vec<String> = text
        .lines()
        .map(|line| {
            let trimmed = line.trim_start();
            let depth = (line.len() - trimmed.len()) / 2;
            format!("{}{} \t", "\t".repeat(depth), trimmed)
        })
        .collect();
    format!("\u{feff}{}\r\n", body.join("\r\n"))
}

/// Extra blank lines: each blank line tripled, and blank lines between the
/// lines inside items.
fn airy_layout(text: &str) -> String {
    text.replace("\n\n", "\n\n\n\n").replace("\n ", "\n\n\n ")
}

/// Comments dropped and every item on one line.
fn one_line_layout(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let code = match line.find("//") {
            Some(i) if !line[..i].contains('"') || line[..i].matches('"').count() % 2 == 0 => {
                &line[..i]
            }
            _ => line,
        };
        let code = code.trim();
        if code.is_empty() {
            continue;
        }
        let starts_item = ipcheck::syntax::words::ITEMS
            .iter()
            .any(|kw| code.strip_prefix(kw).is_some_and(|r| r.starts_with(' ')));
        if starts_item && !out.is_empty() {
            out.push('\n');
        } else if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(code);
    }
    out
}

fn without_comments(text: &str) -> String {
    fmt(&one_line_layout(text))
}

#[test]
fn odd_layouts_of_the_example_format_the_same() {
    for path in examples() {
        let name = path.display().to_string();
        let input = read(&path);
        let canonical = fmt(&input);
        for (layout, text) in [
            ("CRLF, BOM, tabs", dos_layout(&input)),
            ("extra blank lines", airy_layout(&input)),
            ("the formatted text", canonical.clone()),
        ] {
            let output = fmt(&text);
            assert_properties(&format!("{name} ({layout})"), &text, &output);
            assert_eq!(output, canonical, "{name}: {layout}");
        }
        let one_line = one_line_layout(&input);
        assert!(one_line.lines().count() < input.lines().count() / 2);
        let output = fmt(&one_line);
        assert_properties(&format!("{name} (one line)"), &one_line, &output);
        assert_eq!(
            output,
            without_comments(&canonical),
            "{name}: one line per item"
        );
        assert!(comments(&output).is_empty());
    }
}

#[test]
fn the_formatted_example_differs_from_the_original_only_where_documented() {
    let input = read(&root().join("policies/ssb-consortium/agreement.ipl"));
    let output = fmt(&input);
    let diff = ipcheck::fmt::files::unified_diff(&input, &output, "agreement.ipl", "formatted");
    let changed: Vec<&str> = diff
        .lines()
        .filter(|l| {
            (l.starts_with('+') || l.starts_with('-'))
                && !l.starts_with("+++")
                && !l.starts_with("---")
        })
        .collect();
    assert_eq!(
        changed,
        [
            "-  field ev  territory europe",
            "-  from 2026-07-01 until 2030-12-31",
            "+  field ev",
            "+  territory europe",
            "+  from 2026-07-01",
            "+  until 2030-12-31",
        ]
    );
}

#[test]
fn syntax_errors_are_returned_and_nothing_is_formatted() {
    let errors = format_source("party a \"A\"\nclause 1 { permit }\ngroup g = a b\n")
        .expect_err("broken input");
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(
        errors
            .iter()
            .all(|d| d.code.as_str().starts_with("ipl::syntax::"))
    );
    let deep = format!(
        "clause 1 {{ permit use when {}exclusive{} }}\n",
        "(".repeat(100_000),
        ")".repeat(100_000)
    );
    let errors = format_source(&deep).expect_err("too deep");
    assert_eq!(errors[0].code.as_str(), "ipl::syntax::too_deep");
    let limit = ipcheck::syntax::split::MAX_NESTING - 2;
    let deepest = format!(
        "clause 1 {{ permit use when {}exclusive{} }}\n",
        "(".repeat(limit),
        ")".repeat(limit)
    );
    let output = fmt(&deepest);
    assert_properties("deepest", &deepest, &output);
}

#[test]
fn empty_and_blank_inputs_format_to_nothing() {
    assert_eq!(fmt(""), "");
    assert_eq!(fmt("\u{feff}\r\n \t\n"), "");
}

/// Whitespace between two tokens, for the random layouts.
#[derive(Debug, Clone)]
enum Gap {
    /// Inside an item, away from comments: any whitespace.
    Free { empty_ok: bool },
    /// Before a comment on the same line.
    BeforeTrailing,
    /// A line break that must stay one (`true`: a blank line, kept).
    Lines { blank: bool },
}

/// The tokens of a text (strings, comments, words, punctuation) and the
/// kind of whitespace each gap between them may take.
fn tokens_and_gaps(text: &str) -> (Vec<&str>, Vec<Gap>) {
    let mut tokens = Vec::new();
    let mut gaps = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut gap_start = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        if c == b'"' {
            i += 1;
            while bytes[i] != b'"' {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
        } else if text[i..].starts_with("//") {
            i = text[i..].find('\n').map_or(text.len(), |n| i + n);
        } else if b"<>!=".contains(&c) && bytes.get(i + 1) == Some(&b'=') {
            i += 2;
        } else if b"{}(),=+".contains(&c) {
            i += 1;
        } else {
            while i < bytes.len()
                && !bytes[i].is_ascii_whitespace()
                && !b"{}(),=+\"".contains(&bytes[i])
            {
                i += 1;
            }
        }
        let token = &text[start..i];
        if !tokens.is_empty() {
            let between = &text[gap_start..start];
            let newlines = between.matches('\n').count();
            let previous: &str = tokens[tokens.len() - 1];
            let line_start = text[..start].rfind('\n').map_or(0, |n| n + 1) == start;
            let item_start = line_start && ipcheck::syntax::words::ITEMS.contains(&token);
            gaps.push(
                if previous.starts_with("//")
                    || item_start
                    || (token.starts_with("//") && newlines > 0)
                {
                    Gap::Lines {
                        blank: newlines >= 2,
                    }
                } else if token.starts_with("//") {
                    Gap::BeforeTrailing
                } else {
                    Gap::Free {
                        empty_ok: between.is_empty(),
                    }
                },
            );
        }
        tokens.push(token);
        gap_start = i;
    }
    (tokens, gaps)
}

fn spaces() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["", " ", "  ", "\t", " \t "]).prop_map(str::to_string)
}

fn gap_text(gap: Gap) -> BoxedStrategy<String> {
    match gap {
        Gap::Free { empty_ok } => {
            let mut choices = vec![
                " ",
                "  ",
                "\t",
                "\n",
                "\r\n",
                " \n\n\t",
                "\n        ",
                " \r\n\r\n\r\n  ",
            ];
            if empty_ok {
                choices.extend(["", "", ""]);
            }
            prop::sample::select(choices)
                .prop_map(str::to_string)
                .boxed()
        }
        Gap::BeforeTrailing => (spaces(), prop::sample::select(vec![" ", "\t", "      "]))
            .prop_map(|(a, b)| format!("{b}{a}"))
            .boxed(),
        Gap::Lines { blank } => (spaces(), spaces(), 1usize..4, prop::bool::ANY)
            .prop_map(move |(before, after, extra, crlf)| {
                let nl = if crlf { "\r\n" } else { "\n" };
                let count = if blank { 1 + extra } else { 1 };
                format!("{before}{}{after}", nl.repeat(count))
            })
            .boxed(),
    }
}

/// A random layout of a text: the same tokens and comments, any whitespace
/// where whitespace is free.
fn relayout(text: &'static str) -> impl Strategy<Value = String> {
    let (tokens, gaps) = tokens_and_gaps(text);
    let gap_strategies: Vec<BoxedStrategy<String>> = gaps.into_iter().map(gap_text).collect();
    (
        gap_strategies,
        prop::bool::ANY,
        spaces(),
        prop::sample::select(vec!["", "\n", "\n\n\n", " \r\n"]),
    )
        .prop_map(move |(gaps, bom, lead, end)| {
            let mut out = String::new();
            if bom {
                out.push('\u{feff}');
            }
            out.push_str(&lead);
            for (i, token) in tokens.iter().enumerate() {
                if i > 0 {
                    out.push_str(&gaps[i - 1]);
                }
                out.push_str(token);
            }
            out.push_str(end);
            out
        })
}

fn example_text(name: &str) -> &'static str {
    Box::leak(read(&root().join("policies/ssb-consortium").join(name)).into_boxed_str())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn random_layouts_of_the_agreement_format_to_identical_bytes(
        text in relayout(example_text("agreement.ipl"))
    ) {
        let canonical = fmt(example_text("agreement.ipl"));
        let output = fmt(&text);
        prop_assert_eq!(&output, &canonical);
        assert_properties("random layout", &text, &output);
    }

    #[test]
    fn random_layouts_of_the_scenarios_format_to_identical_bytes(
        text in relayout(example_text("scenarios.ipl"))
    ) {
        let canonical = fmt(example_text("scenarios.ipl"));
        let output = fmt(&text);
        prop_assert_eq!(&output, &canonical);
        assert_properties("random layout", &text, &output);
    }

    #[test]
    fn random_layouts_of_awkward_comments_format_to_identical_bytes(
        text in relayout(Box::leak(read(&root().join("tests/fixtures/fmt/comments_awkward.ipl")).into_boxed_str()))
    ) {
        let canonical = fmt(&read(&root().join("tests/fixtures/fmt/comments_awkward.ipl")));
        let output = fmt(&text);
        prop_assert_eq!(&output, &canonical);
    }
}

// ------------------------------------------------------------------ the command

use ipcheck::cli::{self, FmtOptions, Outcome};
use ipcheck::report::human::Style;

struct Run {
    outcome: Outcome,
    out: String,
    err: String,
}

fn run_fmt(options: FmtOptions, stdin: &str) -> Run {
    let mut input = stdin.as_bytes();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let outcome = cli::fmt(&options, Style::PLAIN, &mut input, &mut out, &mut err)
        .unwrap_or_else(|e| panic!("{e}"));
    Run {
        outcome,
        out: String::from_utf8_lossy(&out).into_owned(),
        err: String::from_utf8_lossy(&err).into_owned(),
    }
}

fn paths(paths: &[&Path]) -> FmtOptions {
    FmtOptions {
        paths: paths.iter().map(|p| p.to_path_buf()).collect(),
        ..FmtOptions::default()
    }
}

const UGLY: &str = "party   a \"A\"\r\nclause 1 { permit use   by owners } // end\n";
const PRETTY: &str = "party a \"A\"\n\nclause 1 {\n  permit use\n  by owners\n} // end\n";

#[test]
fn fmt_rewrites_every_ipl_file_below_a_directory() {
    let dir = tempfile::tempdir().expect("temp dir");
    let nested = dir.path().join("nested/deeper");
    std::fs::create_dir_all(&nested).expect("mkdir");
    let ugly = nested.join("ugly.ipl");
    let pretty = dir.path().join("pretty.ipl");
    let other = dir.path().join("notes.txt");
    std::fs::write(&ugly, UGLY).expect("write");
    std::fs::write(&pretty, PRETTY).expect("write");
    std::fs::write(&other, UGLY).expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&ugly, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    }
    let run = run_fmt(paths(&[dir.path()]), "");
    assert_eq!(run.outcome, Outcome::Clean, "{}", run.err);
    assert_eq!(run.out, "");
    assert_eq!(read(&ugly), PRETTY);
    assert_eq!(read(&pretty), PRETTY);
    assert_eq!(read(&other), UGLY, "only .ipl files are formatted");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&ugly).expect("stat").permissions().mode();
        assert_eq!(mode & 0o777, 0o640, "permissions are kept");
    }
    let leftovers: Vec<_> = walk(dir.path())
        .into_iter()
        .filter(|p| p.to_string_lossy().contains(".ipcheck-fmt-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path.clone());
            }
            out.push(path);
        }
    }
    out
}

#[test]
fn fmt_check_prints_a_diff_writes_nothing_and_reports_findings() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ugly = dir.path().join("ugly.ipl");
    let pretty = dir.path().join("pretty.ipl");
    std::fs::write(&ugly, UGLY).expect("write");
    std::fs::write(&pretty, PRETTY).expect("write");
    let run = run_fmt(
        FmtOptions {
            check: true,
            ..paths(&[&ugly, &pretty])
        },
        "",
    );
    assert_eq!(run.outcome, Outcome::Findings);
    assert_eq!(read(&ugly), UGLY);
    assert!(
        run.out.contains("ugly.ipl (original)") && run.out.contains("ugly.ipl (formatted)"),
        "{}",
        run.out
    );
    assert!(
        run.out
            .contains("+clause 1 {\n+  permit use\n+  by owners\n+} // end\n"),
        "{}",
        run.out
    );
    assert!(!run.out.contains("pretty.ipl"));
    let run = run_fmt(
        FmtOptions {
            check: true,
            ..paths(&[&pretty])
        },
        "",
    );
    assert_eq!(run.outcome, Outcome::Clean);
    assert_eq!(run.out, "");
}

#[test]
fn fmt_leaves_a_file_with_syntax_errors_alone_and_reports_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    let broken = dir.path().join("broken.ipl");
    let ugly = dir.path().join("ugly.ipl");
    let text = "party   a \"A\"\nclause 1 { permit }\n";
    std::fs::write(&broken, text).expect("write");
    std::fs::write(&ugly, UGLY).expect("write");
    let run = run_fmt(paths(&[dir.path()]), "");
    assert_eq!(run.outcome, Outcome::Findings);
    assert_eq!(read(&broken), text);
    assert_eq!(read(&ugly), PRETTY, "the other files are still formatted");
    assert!(
        run.err.contains("ipl::syntax::unexpected_token"),
        "{}",
        run.err
    );
    assert!(
        run.err.contains("broken.ipl: not formatted (1 error(s))"),
        "{}",
        run.err
    );
}

#[test]
fn fmt_formats_standard_input_to_standard_output() {
    for options in [
        FmtOptions {
            stdin: true,
            ..FmtOptions::default()
        },
        paths(&[Path::new("-")]),
    ] {
        let run = run_fmt(options, UGLY);
        assert_eq!(run.outcome, Outcome::Clean, "{}", run.err);
        assert_eq!(run.out, PRETTY);
    }
    let run = run_fmt(
        FmtOptions {
            stdin: true,
            check: true,
            ..FmtOptions::default()
        },
        UGLY,
    );
    assert_eq!(run.outcome, Outcome::Findings);
    assert!(run.out.contains("<stdin> (formatted)"), "{}", run.out);
    let run = run_fmt(
        FmtOptions {
            stdin: true,
            ..FmtOptions::default()
        },
        "party a",
    );
    assert_eq!(run.outcome, Outcome::Findings);
    assert_eq!(run.out, "");
    assert!(run.err.contains("<stdin>"), "{}", run.err);
    let run = run_fmt(
        FmtOptions {
            stdin: true,
            ..FmtOptions::default()
        },
        "party a \"\u{0}\"",
    );
    assert_eq!(run.outcome, Outcome::Clean);
    let bytes: &[u8] = b"party a \"\xff\"\n";
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let outcome = cli::fmt(
        &FmtOptions {
            stdin: true,
            ..FmtOptions::default()
        },
        Style::PLAIN,
        &mut &bytes[..],
        &mut out,
        &mut err,
    );
    assert_eq!(outcome.ok(), Some(Outcome::Findings));
    assert!(String::from_utf8_lossy(&err).contains("ipl::syntax::invalid_utf8"));
}

#[test]
fn fmt_cannot_run_without_input_or_on_missing_and_read_only_files() {
    let run = run_fmt(FmtOptions::default(), "");
    assert_eq!(run.outcome, Outcome::CouldNotRun);
    let run = run_fmt(
        FmtOptions {
            stdin: true,
            ..paths(&[Path::new("x.ipl")])
        },
        "",
    );
    assert_eq!(run.outcome, Outcome::CouldNotRun);
    let dir = tempfile::tempdir().expect("temp dir");
    let run = run_fmt(paths(&[&dir.path().join("missing.ipl")]), "");
    assert_eq!(run.outcome, Outcome::CouldNotRun);
    assert!(run.err.contains("missing.ipl"), "{}", run.err);
    let run = run_fmt(paths(&[dir.path()]), "");
    assert_eq!(
        run.outcome,
        Outcome::CouldNotRun,
        "a directory without .ipl files"
    );
    let locked = dir.path().join("locked.ipl");
    std::fs::write(&locked, UGLY).expect("write");
    let mut permissions = std::fs::metadata(&locked).expect("stat").permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&locked, permissions).expect("chmod");
    let run = run_fmt(paths(&[&locked]), "");
    assert_eq!(run.outcome, Outcome::CouldNotRun);
    assert!(run.err.contains("read-only"), "{}", run.err);
    assert_eq!(read(&locked), UGLY);
}

#[cfg(unix)]
#[test]
fn fmt_follows_a_symbolic_link_and_keeps_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("target.ipl");
    let link = dir.path().join("link.ipl");
    std::fs::write(&target, UGLY).expect("write");
    std::os::unix::fs::symlink(&target, &link).expect("symlink");
    let run = run_fmt(paths(&[&link]), "");
    assert_eq!(run.outcome, Outcome::Clean, "{}", run.err);
    assert!(
        std::fs::symlink_metadata(&link)
            .expect("lstat")
            .file_type()
            .is_symlink()
    );
    assert_eq!(read(&target), PRETTY);
}

#[test]
fn the_binary_checks_the_example_policy_without_touching_it() {
    let dir = root().join("policies/ssb-consortium");
    let before: Vec<String> = examples().iter().map(|p| read(p)).collect();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ipcheck"))
        .args(["fmt", "--check"])
        .arg(&dir)
        .output()
        .expect("ipcheck runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stdout).contains("+  territory europe"));
    let after: Vec<String> = examples().iter().map(|p| read(p)).collect();
    assert_eq!(before, after);
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ipcheck"))
        .args(["fmt", "--no-such-flag"])
        .output()
        .expect("ipcheck runs");
    assert_eq!(output.status.code(), Some(2));
}

/// A random layout of a text with comments added in random places: after
/// code on its line, or on lines of their own.
fn with_random_comments(text: &'static str) -> impl Strategy<Value = String> {
    let (tokens, gaps) = tokens_and_gaps(text);
    let choices: Vec<BoxedStrategy<(String, u8)>> = gaps
        .into_iter()
        .map(|gap| {
            let free = matches!(gap, Gap::Free { .. });
            (gap_text(gap), if free { 0u8..6 } else { 0u8..1 }).boxed()
        })
        .collect();
    choices.prop_map(move |gaps| {
        let mut out = String::new();
        for (i, token) in tokens.iter().enumerate() {
            if i > 0 {
                let (gap, comment) = &gaps[i - 1];
                match comment {
                    1 => out.push_str(&format!(" // t{i}\n")),
                    2 => out.push_str(&format!("\n// o{i}\n")),
                    3 => out.push_str(&format!("\n\n  /// d{i}  \n// o{i}\n\t")),
                    _ => out.push_str(gap),
                }
            }
            out.push_str(token);
        }
        out
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn comments_anywhere_are_kept_and_formatting_is_stable(
        text in with_random_comments(example_text("agreement.ipl"))
    ) {
        let output = fmt(&text);
        assert_properties("random comments", &text, &output);
    }

    #[test]
    fn comments_anywhere_in_actions_are_kept_and_formatting_is_stable(
        text in with_random_comments(example_text("scenarios.ipl"))
    ) {
        let output = fmt(&text);
        assert_properties("random comments", &text, &output);
    }
}
