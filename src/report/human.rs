//! Human output: diagnostics rendered by miette from our own byte spans
//! (every label, across lines and files), graphical, with or without colour.

use std::fmt;
use std::sync::Arc;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode};

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceMap;
use crate::span::Location;

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

/// A diagnostic as miette sees it: the labels in its file, and the places
/// in other files as related reports with their own source.
struct View {
    message: String,
    code: Option<String>,
    severity: miette::Severity,
    help: Option<String>,
    source: Option<NamedSource<Arc<str>>>,
    labels: Vec<LabeledSpan>,
    related: Vec<View>,
}

impl View {
    fn of(diag: &Diagnostic, sources: &SourceMap) -> View {
        let file = diag.location.file;
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            diag.label.clone(),
            diag.location.span,
        )];
        let mut related = Vec::new();
        for r in &diag.related {
            if r.location.file == file {
                labels.push(LabeledSpan::new_with_span(
                    Some(r.message.clone()),
                    r.location.span,
                ));
            } else {
                related.push(View::note(&r.message, r.location, sources));
            }
        }
        let help = match (&diag.help, diag.code.is_empty()) {
            (Some(h), false) => Some(format!("{h}\ndocs: ipcheck explain {}", diag.code)),
            (None, false) => Some(format!("docs: ipcheck explain {}", diag.code)),
            (help, true) => help.clone(),
        };
        View {
            message: diag.message.clone(),
            code: (!diag.code.is_empty()).then(|| diag.code.to_string()),
            severity: match diag.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
                Severity::Info => miette::Severity::Advice,
            },
            help,
            source: source_of(sources, file),
            labels,
            related,
        }
    }

    fn note(message: &str, location: Location, sources: &SourceMap) -> View {
        View {
            message: message.to_string(),
            code: None,
            severity: miette::Severity::Advice,
            help: None,
            source: source_of(sources, location.file),
            labels: vec![LabeledSpan::new_primary_with_span(None, location.span)],
            related: Vec::new(),
        }
    }
}

fn source_of(sources: &SourceMap, file: crate::span::FileId) -> Option<NamedSource<Arc<str>>> {
    sources
        .get(file)
        .map(|f| NamedSource::new(f.name.clone(), f.text.clone()))
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
        if self.source.is_none() {
            return None;
        }
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
