//! Human output: diagnostics rendered by miette from our own byte spans
//! (every label, across lines and files), graphical, with or without colour.

use std::fmt;
use std::io::{self, Write};

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use super::{Command, DecisionEntry, EmitOptions, Emitter, ScenarioResult, Summary, count};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceMap;
use crate::span::{Location, Span};

mod excerpt;

/// How to draw diagnostics.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    /// Terminal width in columns.
    pub width: usize,
}

impl Style {
    /// Fixed width, no colour: stable output for snapshots and pipes.
    pub const PLAIN: Style = Style {
        color: false,
        width: 100,
    };
}

/// Renders one diagnostic to text.
pub fn render(diag: &Diagnostic, sources: &SourceMap, style: Style) -> String {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
        .with_urls(false)
        .with_context_lines(1);
    let view = View::of(diag, sources);
    let mut out = String::new();
    if handler.render_report(&mut out, &view).is_err() {
        out = format!("{}: {}\n", diag.severity.as_str(), diag.message);
    }
    out
}

/// Renders many diagnostics, one after another.
pub fn render_all(diags: &[Diagnostic], sources: &SourceMap, style: Style) -> String {
    diags
        .iter()
        .map(|d| render(d, sources, style))
        .collect::<Vec<_>>()
        .join("\n")
}

/// How many lines apart two places of one file may be and still share a
/// snippet.
const NEAR_LINES: usize = 12;

/// A diagnostic as miette sees it: the labels in its file, and the places
/// in other files as related reports with their own source.
struct View {
    message: String,
    code: Option<String>,
    severity: miette::Severity,
    help: Option<String>,
    source: Option<FileSource>,
    labels: Vec<LabeledSpan>,
    related: Vec<View>,
}

impl View {
    fn of(diag: &Diagnostic, sources: &SourceMap) -> View {
        let file = diag.location.file;
        let mut spans = vec![(diag.label.as_deref().map(clip), diag.location.span)];
        let mut related = Vec::new();
        // miette draws every label of a file in one snippet, with all the
        // lines between them; a place far from the primary one gets a
        // snippet of its own instead.
        let lines_of = |location: Location| {
            sources.get(location.file).map(|f| {
                (
                    f.lines.line_of(location.span.start as usize),
                    f.lines.line_of(location.span.end as usize),
                )
            })
        };
        let primary_lines = lines_of(diag.location);
        let near = |location: Location| match (primary_lines, lines_of(location)) {
            (Some((first, last)), Some((start, end))) => {
                start + NEAR_LINES >= first && end <= last + NEAR_LINES
            }
            _ => false,
        };
        for r in &diag.related {
            if r.location.file == file && near(r.location) {
                spans.push((Some(clip(&r.message)), r.location.span));
            } else {
                related.push(View::note(&r.message, r.location, sources));
            }
        }
        let help = match (&diag.help, diag.code.is_note()) {
            (Some(h), false) => Some(format!("{}\ndocs: ipcheck explain {}", clip(h), diag.code)),
            (None, false) => Some(format!("docs: ipcheck explain {}", diag.code)),
            (help, true) => help.as_deref().map(clip),
        };
        let (source, labels) = snippet(sources, file, spans);
        View {
            message: clip(&diag.message),
            code: (!diag.code.is_note()).then(|| diag.code.to_string()),
            severity: match diag.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
                Severity::Info => miette::Severity::Advice,
            },
            help,
            source,
            labels,
            related,
        }
    }

    fn note(message: &str, location: Location, sources: &SourceMap) -> View {
        let (source, labels) = snippet(sources, location.file, vec![(None, location.span)]);
        View {
            message: clip(message),
            code: None,
            severity: miette::Severity::Advice,
            help: None,
            source,
            labels,
            related: Vec::new(),
        }
    }
}

/// Longest message, label or help shown, in characters; longer ones are
/// cut with an ellipsis (a message naming a 5 MB identifier stays short).
const MAX_TEXT: usize = 1_000;

fn clip(text: &str) -> String {
    match text.char_indices().nth(MAX_TEXT) {
        Some((at, _)) => format!("{}{}", &text[..at], excerpt::ELLIPSIS),
        None => text.to_string(),
    }
}

/// The excerpt of a file showing the given labels (the first is the primary
/// one), and the labels placed in it. No source, no labels: for a file
/// the map does not hold.
fn snippet(
    sources: &SourceMap,
    file: crate::span::FileId,
    spans: Vec<(Option<String>, Span)>,
) -> (Option<FileSource>, Vec<LabeledSpan>) {
    let Some(f) = sources.get(file) else {
        return (None, Vec::new());
    };
    let places: Vec<Span> = spans.iter().map(|(_, span)| *span).collect();
    let (excerpt, mapped) = excerpt::excerpt(f, &places);
    let labels = spans
        .into_iter()
        .zip(mapped)
        .enumerate()
        .map(|(i, ((label, _), span))| {
            if i == 0 {
                LabeledSpan::new_primary_with_span(label, span)
            } else {
                LabeledSpan::new_with_span(label, span)
            }
        })
        .collect();
    let source = FileSource {
        name: f.name.clone(),
        first_line: f.first_line as usize + excerpt.first_line,
        excerpt,
    };
    (Some(source), labels)
}

/// An excerpt of a file for miette, numbered from the line it starts at in
/// its file (one line of a streamed NDJSON file shows its real line
/// number), with the real column of a cut line in the header.
#[derive(Debug, Clone)]
struct FileSource {
    name: String,
    excerpt: excerpt::Excerpt,
    first_line: usize,
}

impl SourceCode for FileSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.excerpt.text.as_str().read_span(
            span,
            context_lines_before,
            context_lines_after,
        )?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.first_line,
            if context_lines_before == 0 {
                self.excerpt.real_column(span.offset(), inner.column())
            } else {
                inner.column()
            },
            // Counted from the file's start, as miette counts for a whole
            // text: it merges two labels' snippets by this count, and the
            // labels of one diagnostic share a snippet as they did when
            // miette got the whole file.
            inner.line_count() + self.excerpt.first_line,
        )))
    }
}

/// The human emitter: miette snippets, one line per passing scenario
/// (`test`) or permitted proposal (`check`), and a closing count.
pub struct HumanEmitter<'w> {
    options: EmitOptions,
    out: &'w mut dyn Write,
}

impl<'w> HumanEmitter<'w> {
    pub fn new(options: EmitOptions, out: &'w mut dyn Write) -> HumanEmitter<'w> {
        HumanEmitter { options, out }
    }
}

impl Emitter for HumanEmitter<'_> {
    fn policy(&mut self, name: &str, sources: &SourceMap) -> io::Result<()> {
        if self.options.command != Command::Check {
            return Ok(());
        }
        let files = sources.files.len();
        let plural = if files == 1 { "" } else { "s" };
        writeln!(self.out, "● {name} ({files} file{plural})")
    }

    fn diagnostic(&mut self, diag: &Diagnostic, sources: &SourceMap) -> io::Result<()> {
        if diag.code == super::cap::MORE_FINDINGS {
            // One line, no snippet.
            return writeln!(
                self.out,
                "{} (`--format json` lists them all)\n",
                diag.message
            );
        }
        writeln!(self.out, "{}", render(diag, sources, self.options.style))
    }

    fn scenario(&mut self, result: &ScenarioResult, sources: &SourceMap) -> io::Result<()> {
        match &result.failure {
            None if self.options.command == Command::Test => writeln!(
                self.out,
                "✓ {} ({})",
                result.title,
                super::decision::verdict(result.record)
            ),
            None => Ok(()),
            Some(failure) => writeln!(
                self.out,
                "✗ {}\n{}",
                result.title,
                render(failure, sources, self.options.style)
            ),
        }
    }

    fn decision(&mut self, entry: &DecisionEntry, sources: &SourceMap) -> io::Result<()> {
        if self.options.command == Command::Eval {
            let text = super::decision::render(
                entry.record,
                &entry.action,
                entry.location,
                sources,
                self.options.style,
                self.options.explain,
            );
            return writeln!(self.out, "{text}");
        }
        match &entry.finding {
            Some(finding) => writeln!(self.out, "{}", render(finding, sources, self.options.style)),
            None => writeln!(
                self.out,
                "✓ {}{}: {}{}: {}",
                super::decision::verdict(entry.record),
                if entry.expect.is_some() {
                    " (as expected)"
                } else {
                    ""
                },
                entry.origin,
                entry
                    .proposal
                    .map(|p| p.byline())
                    .filter(|b| !b.is_empty())
                    .map(|b| format!(" ({b})"))
                    .unwrap_or_default(),
                entry.action
            ),
        }
    }

    fn diff(&mut self, diff: &crate::diff::PolicyDiff) -> io::Result<()> {
        writeln!(self.out, "What this change does:")?;
        super::diff::human(self.out, diff)?;
        writeln!(self.out)
    }

    fn not_run(&mut self, not_run: &super::NotRun) -> io::Result<()> {
        writeln!(self.out, "✗ {}", not_run.sentence())
    }

    fn finish(&mut self, s: &Summary) -> io::Result<()> {
        match self.options.command {
            Command::Lint => writeln!(
                self.out,
                "{}, {} in {}",
                count(s.errors, "error", "errors"),
                count(s.warnings, "warning", "warnings"),
                count(s.files, "file", "files")
            ),
            Command::Test => writeln!(
                self.out,
                "{} passed, {} failed{}",
                s.scenarios_passed,
                s.scenarios_failed,
                s.not_run_clause()
            ),
            Command::Eval => Ok(()),
            Command::Check => writeln!(
                self.out,
                "checked {}, {}: {}, {}; scenarios: {} passed, {} failed; proposed actions: {} permit, {} conditional, {} deny{}",
                count(s.policies, "policy", "policies"),
                count(s.files, "file", "files"),
                count(s.errors, "error", "errors"),
                count(s.warnings, "warning", "warnings"),
                s.scenarios_passed,
                s.scenarios_failed,
                s.permit,
                s.conditional,
                s.deny,
                s.not_run_clause()
            ),
        }
    }
}

impl fmt::Debug for View {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for View {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for View {}

impl miette::Diagnostic for View {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.code
            .as_ref()
            .map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
        Some(Box::new(self.labels.iter().cloned()))
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(
            self.related.iter().map(|r| r as &dyn miette::Diagnostic),
        ))
    }
}
