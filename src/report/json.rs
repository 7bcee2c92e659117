//! JSON output: diagnostics as records with file, 1-based line and column
//! ranges, code, severity, message, help and related places. Schema
//! version 1, documented in docs/cli.md.

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::source::SourceMap;
use crate::span::Location;

pub const SCHEMA_VERSION: u32 = 1;

/// A place in a file, 1-based, columns in characters; `end` is exclusive.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Region {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

impl Region {
    pub fn of(location: Location, sources: &SourceMap) -> Region {
        let Some(file) = sources.get(location.file) else {
            return Region {
                file: String::new(),
                line: 1,
                column: 1,
                end_line: 1,
                end_column: 1,
            };
        };
        let start = file
            .lines
            .char_position(&file.text, location.span.start as usize);
        let end = file
            .lines
            .char_position(&file.text, location.span.end as usize);
        Region {
            file: file.name.clone(),
            line: start.line + 1,
            column: start.col + 1,
            end_line: end.line + 1,
            end_column: end.col + 1,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct RelatedRecord {
    #[serde(flatten)]
    pub region: Region,
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DiagnosticRecord {
    pub code: &'static str,
    pub severity: &'static str,
    pub message: String,
    #[serde(flatten)]
    pub region: Region,
    pub label: Option<String>,
    pub help: Option<String>,
    pub related: Vec<RelatedRecord>,
}

impl DiagnosticRecord {
    pub fn of(diag: &Diagnostic, sources: &SourceMap) -> DiagnosticRecord {
        DiagnosticRecord {
            code: diag.code,
            severity: diag.severity.as_str(),
            message: diag.message.clone(),
            region: Region::of(diag.location, sources),
            label: diag.label.clone(),
            help: diag.help.clone(),
            related: diag
                .related
                .iter()
                .map(|r| RelatedRecord {
                    region: Region::of(r.location, sources),
                    message: r.message.clone(),
                })
                .collect(),
        }
    }
}
