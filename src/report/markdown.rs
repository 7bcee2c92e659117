//! Markdown for a pull-request comment or a job summary: a headline, the
//! policies, the findings, the scenarios and the decisions as tables.
//!
//! Everything that comes from a file (titles, names, messages quoting
//! them) is made inert: Markdown punctuation is escaped, `` `…` `` spans
//! become code spans, and `@`-mentions, issue references and bare links
//! are broken with an invisible word joiner, so that a proposal's title
//! cannot ping people, link elsewhere or break a table.
//!
//! The document is kept under a budget (65,536 characters for a comment,
//! 1 MiB for a job summary): when it would not fit, the least severe rows
//! are left out first, and a closing line says what was cut and how to
//! get the whole report.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::json::Region;
use super::paths::{Links, Paths};
use super::{
    Command, DecisionEntry, EmitOptions, Emitter, NotRun, Outcome, ScenarioResult, Summary, count,
};
use crate::diagnostic::{Diagnostic, Severity, docs_url};
use crate::source::SourceMap;
use crate::span::Location;
use crate::terms::Decision;

/// The longest pull-request comment GitHub accepts, in characters.
pub const COMMENT_LIMIT: usize = 65_536;

/// The largest job summary GitHub shows for a step, in bytes.
pub const JOB_SUMMARY_LIMIT: usize = 1024 * 1024;

/// How large the document may grow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Budget {
    /// Unicode characters (a comment).
    Chars(usize),
    /// Bytes (a job summary file).
    Bytes(usize),
}

impl Budget {
    fn measure(self, text: &str) -> usize {
        match self {
            Budget::Chars(_) => text.chars().count(),
            Budget::Bytes(_) => text.len(),
        }
    }

    fn limit(self) -> usize {
        match self {
            Budget::Chars(n) | Budget::Bytes(n) => n,
        }
    }

    fn describe(self) -> String {
        match self {
            Budget::Chars(n) => format!(
                "the limit of {} characters of a pull-request comment",
                thousands(n)
            ),
            Budget::Bytes(_) => "the 1 MiB limit of a job summary".to_string(),
        }
    }
}

/// `65536` → `65,536`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Per-policy counts for the policies table.
#[derive(Default)]
struct PolicyRow {
    name: String,
    files: usize,
    errors: usize,
    warnings: usize,
    scenarios: (usize, usize),
    decisions: usize,
    not_run: Option<String>,
}

/// The tables of the document, in the order they are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Table {
    NotRun,
    Policies,
    Findings,
    Scenarios,
    Decisions,
}

/// What a row is, for what is said about rows left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    NotRun,
    Policy,
    Finding(Severity),
    Scenario,
    Decision,
}

/// One table row, with what decides whether it is kept: the lower the
/// tier, the more it matters.
struct Row {
    table: Table,
    kind: Kind,
    tier: u8,
    relevance: u8,
    /// For the order of rows within a table.
    order: (u8, usize),
    text: String,
}

/// Gathers the tables and writes the document at the end (the headline
/// needs the totals).
pub struct MarkdownEmitter<'w> {
    command: Command,
    out: Option<&'w mut dyn Write>,
    budget: Budget,
    paths: Paths,
    links: Option<Links>,
    policies: Vec<PolicyRow>,
    rows: Vec<Row>,
    document: String,
    /// "What this change does" sections (`check --base`), first in the document.
    diffs: Vec<String>,
}

impl<'w> MarkdownEmitter<'w> {
    pub fn new(
        options: &EmitOptions,
        budget: Budget,
        out: &'w mut dyn Write,
    ) -> MarkdownEmitter<'w> {
        MarkdownEmitter {
            out: Some(out),
            ..MarkdownEmitter::buffered(options, budget)
        }
    }

    /// An emitter that keeps the document for [`MarkdownEmitter::buffer`].
    pub fn buffered(options: &EmitOptions, budget: Budget) -> MarkdownEmitter<'w> {
        MarkdownEmitter {
            command: options.command,
            out: None,
            budget,
            paths: options.paths.clone(),
            links: options.links.clone(),
            policies: Vec::new(),
            rows: Vec::new(),
            document: String::new(),
            diffs: Vec::new(),
        }
    }

    /// Changes the budget before the document is written.
    pub fn set_budget(&mut self, budget: Budget) {
        self.budget = budget;
    }

    /// The document, once finished.
    pub fn buffer(&self) -> &[u8] {
        self.document.as_bytes()
    }

    fn push(&mut self, table: Table, kind: Kind, tier: u8, relevance: u8, text: String) {
        let seq = self.rows.len();
        let order = match kind {
            // Findings are listed most severe first.
            Kind::Finding(s) => (3 - s as u8, seq),
            _ => (0, seq),
        };
        self.rows.push(Row {
            table,
            kind,
            tier,
            relevance,
            order,
            text,
        });
    }

    fn finding(&mut self, diag: &Diagnostic, sources: &SourceMap) {
        if let Some(row) = self.policies.last_mut() {
            match diag.severity {
                Severity::Error => row.errors += 1,
                Severity::Warning => row.warnings += 1,
                Severity::Info => {}
            }
        }
        let mut message = inline(&diag.message, true);
        if let Some(help) = &diag.help {
            message.push_str(&format!("<br>help: {}", inline(help, true)));
        }
        for r in &diag.related {
            message.push_str(&format!(
                "<br>{}: {}",
                self.place(r.location, sources),
                inline(&r.message, true)
            ));
        }
        let text = format!(
            "| {} | [`{}`]({}) | {} | {} |",
            severity_mark(diag.severity),
            diag.code,
            docs_url(diag.code),
            self.place(diag.location, sources),
            message
        );
        let tier = match diag.severity {
            Severity::Error => 1,
            Severity::Warning => 3,
            Severity::Info => 4,
        };
        self.push(
            Table::Findings,
            Kind::Finding(diag.severity),
            tier,
            super::relevance(diag.code),
            text,
        );
    }

    /// `file:line:column` in code style, a link to the lines when the
    /// commit is known, or `—` for text without a file.
    fn place(&self, location: Location, sources: &SourceMap) -> String {
        if !super::is_real_file(location, sources) {
            return "—".to_string();
        }
        let r = Region::of(location, sources);
        let inside = sources
            .get(location.file)
            .and_then(|f| self.paths.relative(&f.path));
        let file = inside.clone().unwrap_or_else(|| r.file.clone());
        let shown = code(&format!("{file}:{}:{}", r.line, r.column), true);
        match &self.links {
            Some(links) if inside.is_some() => {
                format!("[{shown}]({})", links.url(&file, r.line, r.end_line))
            }
            _ => shown,
        }
    }
}

fn severity_mark(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "❌ error",
        Severity::Warning => "⚠️ warning",
        Severity::Info => "ℹ️ note",
    }
}

fn decision_mark(decision: Decision) -> &'static str {
    match decision {
        Decision::Permit => "✅",
        Decision::Conditional => "⚠️",
        Decision::Deny => "❌",
    }
}

/// Text made safe for a table cell, with no Markdown of its own: see
/// [`inline`] (which also keeps `` `…` `` spans as code).
pub fn cell(text: &str) -> String {
    escape(text, true)
}

/// Text of ours or of a file, inert: `` `…` `` spans become code spans,
/// everything else is escaped (see [`escape`]). In a table, pipes are
/// escaped inside code spans too.
pub fn inline(text: &str, table: bool) -> String {
    let parts: Vec<&str> = text.split('`').collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, part) in parts.iter().enumerate() {
        let opened = i % 2 == 1;
        let closed = i + 1 < parts.len();
        if opened && closed && !part.trim().is_empty() && !part.contains(['\n', '\r']) {
            out.push_str(&code(part, table));
        } else if opened {
            out.push_str("\\`");
            out.push_str(&escape(part, table));
            if closed {
                out.push_str("\\`");
            }
        } else {
            out.push_str(&escape(part, table));
        }
    }
    out
}

/// A code span of `text` (which holds no backtick: any is replaced by
/// `'`); line breaks become spaces, and in a table pipes are escaped.
pub fn code(text: &str, table: bool) -> String {
    let mut body = text.replace('`', "'").replace(['\r', '\n'], " ");
    if table {
        body = body.replace('|', "\\|");
    }
    format!("`{body}`")
}

/// Escapes what Markdown would act on: punctuation that makes emphasis,
/// links, images, HTML, code, math, strikethrough and tables; breaks
/// `@`-mentions, `#123` references and bare links with a word joiner
/// (U+2060); line breaks become `<br>` in a table, spaces elsewhere.
pub fn escape(text: &str, table: bool) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '~' | '$' | '!' | '('
            | ')' | '#' | '=' | '+' | '-'
                if needs_escape(c, i, &chars) =>
            {
                out.push('\\');
                out.push(c);
                if c == '#' && next.is_some_and(|n| n.is_ascii_alphanumeric()) {
                    out.push('\u{2060}');
                }
            }
            '@' if next.is_some_and(|n| n.is_alphanumeric()) => {
                out.push('@');
                out.push('\u{2060}');
            }
            ':' if chars.get(i + 1..i + 3) == Some(&['/', '/'][..]) => {
                out.push(':');
                out.push('\u{2060}');
            }
            '.' if i >= 3
                && chars[i - 3..i]
                    .iter()
                    .collect::<String>()
                    .eq_ignore_ascii_case("www") =>
            {
                out.push('\u{2060}');
                out.push('.');
            }
            '\r' => {}
            '\n' => out.push_str(if table { "<br>" } else { " " }),
            other => out.push(other),
        }
        i += 1;
    }
    out
}

/// Whether punctuation needs a backslash where it stands: always, except
/// the characters that only matter at the start of a line (`#`, `=`,
/// `+`, `-`), which are escaped there, and `#` before a number or word
/// (a reference).
fn needs_escape(c: char, i: usize, chars: &[char]) -> bool {
    match c {
        '#' => i == 0 || chars.get(i + 1).is_some_and(|n| n.is_ascii_alphanumeric()),
        '=' | '+' | '-' => i == 0,
        _ => true,
    }
}

/// The one-line verdict of a run: what a job summary and the GitHub
/// notice open with.
pub fn headline(s: &Summary) -> String {
    let counts = format!(
        "{}, {}",
        count(s.errors, "error", "errors"),
        count(s.warnings, "warning", "warnings")
    );
    let verdict = match s.outcome {
        Some(Outcome::Clean) if s.errors + s.warnings == 0 => "no findings".to_string(),
        Some(Outcome::Clean) => format!("{counts}, none at or above the fail level"),
        Some(Outcome::Findings) => counts,
        _ => format!("could not run; {counts}"),
    };
    format!("{verdict}{}", s.not_run_clause())
}

impl Emitter for MarkdownEmitter<'_> {
    fn policy(&mut self, name: &str, sources: &SourceMap) -> io::Result<()> {
        self.policies.push(PolicyRow {
            name: name.to_string(),
            files: sources.files.len(),
            ..PolicyRow::default()
        });
        Ok(())
    }

    fn diagnostic(&mut self, diag: &Diagnostic, sources: &SourceMap) -> io::Result<()> {
        self.finding(diag, sources);
        Ok(())
    }

    fn not_run(&mut self, not_run: &NotRun) -> io::Result<()> {
        if let Some(row) = self.policies.last_mut()
            && row.name == not_run.policy
        {
            row.not_run = Some(not_run.reason.clone());
        }
        let list = |items: &[String]| {
            if items.is_empty() {
                "—".to_string()
            } else {
                items
                    .iter()
                    .map(|s| inline(s, true))
                    .collect::<Vec<_>>()
                    .join("<br>")
            }
        };
        let text = format!(
            "| {} | {} | {} {} | {} {} |",
            code(&not_run.policy, true),
            inline(&not_run.reason, true),
            not_run.scenarios.len(),
            list(&not_run.scenarios),
            not_run.proposals.len(),
            list(&not_run.proposals),
        );
        self.push(Table::NotRun, Kind::NotRun, 0, 0, text);
        Ok(())
    }

    fn scenario(&mut self, result: &ScenarioResult, sources: &SourceMap) -> io::Result<()> {
        if let Some(row) = self.policies.last_mut() {
            row.scenarios.1 += 1;
            row.scenarios.0 += usize::from(result.passed());
        }
        if let Some(failure) = &result.failure {
            self.finding(failure, sources);
        }
        if result.passed() && self.command != Command::Test {
            return Ok(());
        }
        let text = format!(
            "| {} | {} | {} | {} | {} |",
            if result.passed() { "✅" } else { "❌" },
            inline(result.title, true),
            inline(&result.expected(), true),
            inline(&super::decision::verdict(result.record), true),
            self.place(result.location, sources)
        );
        let tier = if result.passed() { 5 } else { 1 };
        self.push(Table::Scenarios, Kind::Scenario, tier, 4, text);
        Ok(())
    }

    fn decision(&mut self, entry: &DecisionEntry, sources: &SourceMap) -> io::Result<()> {
        if let Some(row) = self.policies.last_mut() {
            row.decisions += 1;
        }
        if let Some(finding) = &entry.finding {
            self.finding(finding, sources);
        }
        let record = entry.record;
        let decided_by = match (&record.decided_by, record.decided_by_location) {
            (Some(by), Some(l)) => format!("{} ({})", inline(by, true), self.place(l, sources)),
            (Some(by), None) => inline(by, true),
            (None, _) => "default deny".to_string(),
        };
        let mut notes: Vec<String> = Vec::new();
        notes.extend(
            record
                .residual_conditions
                .iter()
                .map(|c| format!("provided {}", inline(c, true))),
        );
        notes.extend(record.open_preconditions.iter().map(|d| {
            let deadline = d.deadline.map(|d| format!(" by {d}")).unwrap_or_default();
            format!(
                "open: {}{deadline} ({})",
                inline(&d.duty, true),
                inline(&d.clause, true)
            )
        }));
        notes.extend(record.violated_preconditions.iter().map(|d| {
            let detail = d
                .detail
                .as_deref()
                .map(|t| inline(t, true))
                .unwrap_or_default();
            format!(
                "violated: {} ({}) {detail}",
                inline(&d.duty, true),
                inline(&d.clause, true)
            )
        }));
        notes.extend(record.obligations.iter().map(|d| {
            let amount = d
                .amount
                .as_ref()
                .map_or_else(String::new, |a| format!(": {a}"));
            format!(
                "incurs: {}{} ({})",
                inline(&d.duty, true),
                inline(&amount, true),
                inline(&d.clause, true)
            )
        }));
        let as_expected = entry.expect == Some(record.decision);
        match entry.expect {
            Some(_) if as_expected => notes.push("as expected".to_string()),
            Some(expect) => notes.push(format!("expected {}", expect.as_str())),
            None => {}
        }
        let notes = if notes.is_empty() {
            "—".to_string()
        } else {
            notes.join("<br>")
        };
        let (proposal, by) = match entry.proposal {
            Some(p) => {
                let mut title = escape(&p.title, true);
                let extra: Vec<String> = [p.reference.clone(), p.date.map(|d| d.to_string())]
                    .into_iter()
                    .flatten()
                    .map(|t| escape(&t, true))
                    .collect();
                if !extra.is_empty() {
                    title.push_str(&format!(" ({})", extra.join(", ")));
                }
                (
                    title,
                    p.author
                        .as_deref()
                        .map_or_else(|| "—".to_string(), |a| escape(a, true)),
                )
            }
            None => (escape(&entry.origin, true), "—".to_string()),
        };
        let text = format!(
            "| {} | {} | {} | {} | **{}** | {} | {} |",
            if as_expected {
                "✅"
            } else {
                decision_mark(record.decision)
            },
            proposal,
            by,
            code(&entry.action, true),
            record.decision.as_str(),
            decided_by,
            notes
        );
        let tier = match entry.finding.as_ref().map(|f| f.severity) {
            Some(Severity::Error) => 2,
            Some(Severity::Warning) => 3,
            _ => 5,
        };
        self.push(Table::Decisions, Kind::Decision, tier, 5, text);
        Ok(())
    }

    fn diff(&mut self, diff: &crate::diff::PolicyDiff) -> io::Result<()> {
        self.diffs.push(super::diff::markdown(diff));
        Ok(())
    }

    fn finish(&mut self, s: &Summary) -> io::Result<()> {
        let mark = match s.outcome {
            Some(Outcome::Clean) if s.errors + s.warnings == 0 => "✅",
            Some(Outcome::Clean) => "⚠️",
            _ => "❌",
        };
        let mut head = String::new();
        let _ = writeln!(
            head,
            "## {mark} ipcheck {}: {}\n",
            self.command.as_str(),
            escape(&headline(s), false)
        );
        let mut facts = Vec::new();
        if s.policies > 0 {
            facts.push(format!(
                "{}, {}",
                count(s.policies, "policy", "policies"),
                count(s.files, "file", "files")
            ));
        }
        if s.scenarios_passed + s.scenarios_failed > 0 {
            facts.push(format!(
                "scenarios: {} passed, {} failed",
                s.scenarios_passed, s.scenarios_failed
            ));
        }
        if s.decisions() > 0 {
            facts.push(format!(
                "decisions: {} permit, {} conditional, {} deny",
                s.permit, s.conditional, s.deny
            ));
        }
        facts.push(format!("fails on: {}", s.fail_on));
        let _ = writeln!(head, "{}\n", facts.join(" · "));
        for section in &self.diffs {
            head.push_str(section);
        }

        // The policies table joins the other rows so that it is cut like them.
        if self.command == Command::Check {
            let policies = std::mem::take(&mut self.policies);
            for p in &policies {
                let status = match &p.not_run {
                    Some(reason) => format!("❌ not run: {}", inline(reason, true)),
                    None => format!("{}/{}", p.scenarios.0, p.scenarios.1),
                };
                let text = format!(
                    "| {} | {} | {} | {} | {} | {} |",
                    code(&p.name, true),
                    p.files,
                    p.errors,
                    p.warnings,
                    status,
                    p.decisions
                );
                self.push(Table::Policies, Kind::Policy, 2, 0, text);
            }
        }
        let header = |table: Table, command: Command| -> String {
            let (title, columns) = match table {
                Table::NotRun => (
                    "Not run",
                    "| Policy | Why | Scenarios skipped | Proposals skipped |\n|---|---|---|---|",
                ),
                Table::Policies => (
                    "Policies",
                    "| Policy | Files | Errors | Warnings | Scenarios passed | Decisions |\n|---|---:|---:|---:|---:|---:|",
                ),
                Table::Findings => (
                    "Findings",
                    "| Severity | Code | Where | Message |\n|---|---|---|---|",
                ),
                Table::Scenarios if command == Command::Test => (
                    "Scenarios",
                    "| | Scenario | Expected | Got | Where |\n|---|---|---|---|---|",
                ),
                Table::Scenarios => (
                    "Failed scenarios",
                    "| | Scenario | Expected | Got | Where |\n|---|---|---|---|---|",
                ),
                Table::Decisions => (
                    "Decisions",
                    "| | Proposal | Proposed by | Action | Decision | Decided by | Conditions and duties |\n|---|---|---|---|---|---|---|",
                ),
            };
            format!("### {title}\n\n{columns}\n")
        };

        // Keep the rows that matter most while they fit.
        let budget = self.budget;
        let closing_reserve = 400;
        let total: usize = budget.measure(&head)
            + self
                .rows
                .iter()
                .map(|r| budget.measure(&r.text) + 1)
                .sum::<usize>()
            + [
                Table::NotRun,
                Table::Policies,
                Table::Findings,
                Table::Scenarios,
                Table::Decisions,
            ]
            .iter()
            .map(|t| budget.measure(&header(*t, self.command)) + 1)
            .sum::<usize>();
        let mut keep = vec![true; self.rows.len()];
        if total > budget.limit() {
            let mut by_rank: Vec<usize> = (0..self.rows.len()).collect();
            by_rank.sort_by_key(|&i| {
                let r = &self.rows[i];
                (r.tier, r.relevance, i)
            });
            let mut used = budget.measure(&head) + closing_reserve;
            let mut opened: Vec<Table> = Vec::new();
            keep = vec![false; self.rows.len()];
            for i in by_rank {
                let row = &self.rows[i];
                let mut cost = budget.measure(&row.text) + 1;
                if !opened.contains(&row.table) {
                    cost += budget.measure(&header(row.table, self.command)) + 1;
                }
                if used + cost > budget.limit() {
                    // Something smaller further down the ranking may still
                    // fit, but the cut stays by rank: once a row is left
                    // out, so is everything ranked below it.
                    break;
                }
                used += cost;
                if !opened.contains(&row.table) {
                    opened.push(row.table);
                }
                keep[i] = true;
            }
        }

        let mut doc = head;
        let mut order: Vec<usize> = (0..self.rows.len()).collect();
        order.sort_by_key(|&i| (self.rows[i].table, self.rows[i].order));
        let mut current: Option<Table> = None;
        for i in order {
            if !keep[i] {
                continue;
            }
            let row = &self.rows[i];
            if current != Some(row.table) {
                if current.is_some() {
                    doc.push('\n');
                }
                doc.push_str(&header(row.table, self.command));
                current = Some(row.table);
            }
            doc.push_str(&row.text);
            doc.push('\n');
        }
        if current.is_some() {
            doc.push('\n');
        }
        let cut: Vec<&Row> = self
            .rows
            .iter()
            .zip(&keep)
            .filter(|(_, k)| !**k)
            .map(|(r, _)| r)
            .collect();
        if !cut.is_empty() {
            let n = |pred: &dyn Fn(Kind) -> bool| cut.iter().filter(|r| pred(r.kind)).count();
            let parts = [
                (
                    n(&|k| k == Kind::Finding(Severity::Error)),
                    "error",
                    "errors",
                ),
                (
                    n(&|k| k == Kind::Finding(Severity::Warning)),
                    "warning",
                    "warnings",
                ),
                (n(&|k| k == Kind::Finding(Severity::Info)), "note", "notes"),
                (n(&|k| k == Kind::Scenario), "scenario row", "scenario rows"),
                (n(&|k| k == Kind::Decision), "decision", "decisions"),
                (n(&|k| k == Kind::Policy), "policy row", "policy rows"),
                (
                    n(&|k| k == Kind::NotRun),
                    "not-run policy",
                    "not-run policies",
                ),
            ];
            let listed: Vec<String> = parts
                .iter()
                .filter(|(n, _, _)| *n > 0)
                .map(|(n, one, many)| count(*n, one, many))
                .collect();
            let _ = writeln!(
                doc,
                "> ✂️ **Cut to fit {}**: left out {}. The counts above are complete. For the whole report run `ipcheck {} --format json` (or `--format sarif`), or keep it as a build artifact.",
                budget.describe(),
                listed.join(", "),
                self.command.as_str(),
            );
        }
        self.document = doc;
        if let Some(out) = &mut self.out {
            out.write_all(self.document.as_bytes())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_is_inert() {
        assert_eq!(
            inline("Deal with `acme` | [click](http://x) @bob #12 *b*", true),
            "Deal with `acme` \\| \\[click\\]\\(http:\u{2060}//x\\) @\u{2060}bob \\#\u{2060}12 \\*b\\*"
        );
        // An unmatched backtick is shown, not opened.
        assert_eq!(inline("a `b", true), "a \\`b");
        assert_eq!(inline("``", true), "\\`\\`");
        assert_eq!(inline("line\nbreak", true), "line<br>break");
        assert_eq!(inline("line\nbreak", false), "line break");
        assert_eq!(code("a|b`c", true), "`a\\|b'c`");
        assert_eq!(escape("<img src=x>", true), "\\<img src=x\\>");
        assert_eq!(escape("2026-06-01", true), "2026-06-01");
        assert_eq!(escape("- item", true), "\\- item");
        assert_eq!(
            escape("see www.example.com", true),
            "see www\u{2060}.example.com"
        );
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(65_536), "65,536");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_048_576), "1,048,576");
    }
}
