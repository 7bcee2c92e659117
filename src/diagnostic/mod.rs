//! Diagnostics as data: a stable code, a severity, the places involved and
//! a help line. Rendering lives in `report`.

mod code;
mod fix;

use serde::Serialize;

use crate::span::{FileId, Location, Span};

pub use code::{Code, Family};
pub use fix::{Applicability, Edit, Fix, apply};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// Another place involved in a diagnostic, with what it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Related {
    pub location: Location,
    pub message: String,
}

/// One finding, pointing at the place that causes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable code, e.g. `ipl::names::unknown_party`; documented in
    /// docs/diagnostics.md.
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub location: Location,
    /// What the primary span is, shown under it.
    pub label: Option<String>,
    pub related: Vec<Related>,
    /// What to do about it.
    pub help: Option<String>,
    /// The same, as edits a tool can apply.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// A finding with its code's default severity (configured levels
    /// apply later).
    pub fn new(code: Code, file: FileId, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.default_severity(),
            message: message.into(),
            location: Location { file, span },
            label: None,
            related: Vec::new(),
            help: None,
            fix: None,
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    pub fn with_related(mut self, location: Location, message: impl Into<String>) -> Self {
        self.related.push(Related {
            location,
            message: message.into(),
        });
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The web address of a code's documentation: its section in
/// docs/diagnostics.md or docs/lints.md, with the anchor GitHub gives the
/// heading (lowercase, punctuation other than `-` and `_` dropped).
pub fn docs_url(code: Code) -> String {
    let page = crate::docs::section(code.as_str()).map_or("diagnostics.md", |s| s.page);
    let anchor: String = code
        .as_str()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
        .collect::<String>()
        .to_lowercase();
    format!("https://github.com/ipcheck/ipcheck/blob/main/docs/{page}#{anchor}")
}
