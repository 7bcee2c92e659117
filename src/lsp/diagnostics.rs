//! ipcheck diagnostics as LSP diagnostics: code, documentation link,
//! related places, and the label and help kept in `data` for code actions.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::{Mutex, OnceLock};

use lsp_types::{
    CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, NumberOrString, Uri,
};
use serde::{Deserialize, Serialize};

use super::convert;
use super::workspace::Analysis;
use crate::diagnostic::{Code, Diagnostic, Severity, docs_url};

/// What the LSP diagnostic carries in `data`: the parts of an ipcheck
/// diagnostic LSP has no field for.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Data {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

/// The documentation link of a code, built once per code: finding a
/// code's page reads every documentation page, too slow to repeat for
/// each of thousands of diagnostics.
fn description(code: Code) -> Option<CodeDescription> {
    static LINKS: OnceLock<Mutex<HashMap<Code, Option<Uri>>>> = OnceLock::new();
    let links = LINKS.get_or_init(Default::default);
    let mut links = links.lock().ok()?;
    links
        .entry(code)
        .or_insert_with(|| Uri::from_str(&docs_url(code)).ok())
        .clone()
        .map(|href| CodeDescription { href })
}

/// The LSP diagnostics of every file of an analysis, by `FileId`.
pub fn by_file(analysis: &Analysis) -> Vec<Vec<lsp_types::Diagnostic>> {
    let mut out = vec![Vec::new(); analysis.uris.len()];
    for diag in analysis.policy.diagnostics.iter().chain(&analysis.extra) {
        let index = diag.location.file.0 as usize;
        if let (Some(list), Some(converted)) = (out.get_mut(index), to_lsp(analysis, diag)) {
            list.push(converted);
        }
    }
    out
}

/// One diagnostic in LSP terms. The message is the ipcheck message, then
/// the label of the primary span and the help, one per line.
pub fn to_lsp(analysis: &Analysis, diag: &Diagnostic) -> Option<lsp_types::Diagnostic> {
    let file = analysis.source(diag.location.file)?;
    let mut message = diag.message.clone();
    if let Some(label) = &diag.label {
        message.push('\n');
        message.push_str(label);
    }
    if let Some(help) = &diag.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<DiagnosticRelatedInformation> = diag
        .related
        .iter()
        .filter_map(|r| {
            Some(DiagnosticRelatedInformation {
                location: analysis.location(r.location.file, r.location.span)?,
                message: r.message.clone(),
            })
        })
        .collect();
    let data = Data {
        label: diag.label.clone(),
        help: diag.help.clone(),
    };
    Some(lsp_types::Diagnostic {
        range: convert::range(file, diag.location.span),
        severity: Some(match diag.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Info => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(diag.code.to_string())),
        code_description: description(diag.code),
        source: Some("ipcheck".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: serde_json::to_value(data).ok(),
    })
}
