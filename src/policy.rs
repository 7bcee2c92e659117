//! A loaded policy: its sources, syntax trees, resolved model and every
//! diagnostic found on the way (syntax, names, checks).

use std::path::{Path, PathBuf};

use crate::check;
use crate::diagnostic::Diagnostic;
use crate::names::{self, Model};
use crate::source::{self, LoadError, SourceMap};
use crate::span::FileId;
use crate::syntax::{self, ast};

/// One policy after the front end.
#[derive(Debug)]
pub struct Policy {
    pub sources: SourceMap,
    pub syntax: Vec<(FileId, ast::File)>,
    pub model: Model,
    pub diagnostics: Vec<Diagnostic>,
}

impl Policy {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Reads the given files (one policy) and analyses them.
pub fn load_files(paths: &[PathBuf]) -> Result<Policy, LoadError> {
    let mut sources = SourceMap::default();
    let mut early = Vec::new();
    for path in paths {
        let bytes = source::read_file(path)?;
        let (_, diag) = sources.add_bytes(source::display(path), path.clone(), bytes);
        early.extend(diag);
    }
    Ok(analyze_with(sources, early))
}

/// Every policy under a path (see [`source::discover`]).
pub fn load_path(path: &Path) -> Result<Vec<Policy>, LoadError> {
    source::discover(path)?
        .iter()
        .map(|files| load_files(files))
        .collect()
}

/// Analyses sources already in memory (tests, the language server).
pub fn analyze(sources: SourceMap) -> Policy {
    analyze_with(sources, Vec::new())
}

/// Analyses sources already read, with the diagnostics found reading them
/// (invalid UTF-8): those files are not parsed.
pub fn analyze_with(sources: SourceMap, mut diagnostics: Vec<Diagnostic>) -> Policy {
    let unreadable: Vec<FileId> = diagnostics.iter().map(|d| d.location.file).collect();
    let mut syntax = Vec::new();
    for id in sources.ids() {
        if unreadable.contains(&id) {
            continue;
        }
        let Some(file) = sources.get(id) else {
            continue;
        };
        let (tree, diags) = syntax::parse_file(&file.text, id);
        diagnostics.extend(diags);
        syntax.push((id, tree));
    }
    let refs: Vec<(FileId, &ast::File)> = syntax.iter().map(|(id, f)| (*id, f)).collect();
    let (model, diags) = names::resolve(&refs);
    diagnostics.extend(diags);
    diagnostics.extend(check::check(&refs, &model, &sources));
    sort_diagnostics(&mut diagnostics);
    Policy {
        sources,
        syntax,
        model,
        diagnostics,
    }
}

/// Source order: file, then position; identical findings once.
pub fn sort_diagnostics(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| {
        (a.location.file, a.location.span.start, a.code).cmp(&(
            b.location.file,
            b.location.span.start,
            b.code,
        ))
    });
    diags.dedup();
}
