//! The server's state: open documents, the policy (directory) each belongs
//! to with its files' disk contents, and each policy's latest analysis.

use std::collections::{BTreeMap, HashMap};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use jiff::civil::Date;
use lsp_types::{PublishDiagnosticsParams, Uri};

use super::convert;
use super::diagnostics;
use super::steady::Stale;
use crate::decide::{DecisionRecord, Engine};
use crate::diagnostic::{Code, Diagnostic};
use crate::lint::{self, LintOptions};
use crate::names::Model;
use crate::policy::{self, Policy};
use crate::source::{self, SourceFile, SourceMap};
use crate::span::{FileId, Span};
use crate::syntax::refs::{self, Occurrence};

/// What identifies a document: its path for `file:` URIs (so that two
/// spellings of one URI meet), else the URI itself.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    Path(PathBuf),
    Uri(String),
}

impl Key {
    pub fn of(uri: &Uri) -> Key {
        match convert::uri_to_path(uri) {
            Some(path) => Key::Path(path),
            None => Key::Uri(uri.as_str().to_string()),
        }
    }
}

/// An open document: the client's text wins over the disk's.
#[derive(Clone)]
struct Document {
    uri: Uri,
    text: Arc<str>,
    version: i32,
    policy: Key,
}

/// One policy: a directory's `.ipl` files, or one file outside any folder.
#[derive(Default)]
struct PolicyState {
    dir: Option<PathBuf>,
    /// The directory's `.ipl` files as last read from disk.
    disk: BTreeMap<PathBuf, Arc<str>>,
    /// `None` when the texts changed since the last analysis.
    analysis: Option<Arc<Analysis>>,
    /// The last analysis without errors: its lints and decisions stand
    /// in for those of unchanged items while the policy has errors.
    last_good: Option<Arc<Analysis>>,
    /// The current analysis has diagnostics not yet published.
    unpublished: bool,
    /// Files whose last published diagnostics were not empty.
    published: BTreeMap<String, Uri>,
}

/// A policy after analysis, with what the features need.
pub struct Analysis {
    /// The policy; its diagnostics include the lints.
    pub policy: Policy,
    /// The URI of each file, by `FileId`.
    pub uris: Vec<Uri>,
    /// Every name written, sorted by file and position.
    pub occurrences: Vec<Occurrence>,
    /// The decision of each scenario, computed on first use.
    decisions: OnceLock<Vec<Option<DecisionRecord>>>,
    /// Diagnostics published with the policy's: each failing scenario
    /// (`ipl::test::scenario_failed`) of a policy without errors; for one
    /// with errors, the lints and failures of the last analysis without
    /// errors that still hold for unchanged items.
    pub extra: Vec<Diagnostic>,
    /// For a policy with errors: the last analysis without errors, mapped
    /// onto these texts (stale lenses).
    pub stale: Option<Stale>,
}

impl Analysis {
    /// Analyses sources in memory: parse, resolve, check, lint, and decide
    /// the scenarios. A panic in any stage becomes one diagnostic instead
    /// of ending the server. When the policy has errors, `last_good` (the
    /// last analysis without errors) lends its lints and scenario results
    /// to the items that did not change.
    pub fn new(
        sources: SourceMap,
        uris: Vec<Uri>,
        today: Date,
        last_good: Option<Arc<Analysis>>,
    ) -> Analysis {
        match Analysis::unless(sources.clone(), uris.clone(), today, last_good, &|| false) {
            Some(analysis) => analysis,
            // Never cancelled: not reached; an empty analysis all the same.
            None => Analysis::empty(sources, uris),
        }
    }

    /// An analysis with nothing in it but an internal error.
    fn empty(sources: SourceMap, uris: Vec<Uri>) -> Analysis {
        Analysis {
            policy: Policy {
                diagnostics: vec![internal_error("analysing this policy")],
                sources,
                syntax: Vec::new(),
                model: Model::default(),
            },
            uris,
            occurrences: Vec::new(),
            decisions: OnceLock::new(),
            extra: Vec::new(),
            stale: None,
        }
    }

    /// [`Analysis::new`], given up (`None`) as soon as `superseded` says a
    /// newer edit is waiting: it is asked after the front end and after
    /// the lints, so a stale analysis of a large policy costs at most one
    /// stage.
    pub fn unless(
        sources: SourceMap,
        uris: Vec<Uri>,
        today: Date,
        last_good: Option<Arc<Analysis>>,
        superseded: &dyn Fn() -> bool,
    ) -> Option<Analysis> {
        let front = catch_unwind(AssertUnwindSafe(|| policy::analyze(sources.clone())));
        let mut policy = match front {
            Ok(policy) => policy,
            Err(_) => Policy {
                diagnostics: vec![internal_error("analysing this policy")],
                sources,
                syntax: Vec::new(),
                model: Model::default(),
            },
        };
        if superseded() {
            return None;
        }
        let lints = catch_unwind(AssertUnwindSafe(|| {
            lint::lint(&policy, &LintOptions { today })
        }));
        match lints {
            Ok(found) => policy.diagnostics.extend(found),
            Err(_) => policy
                .diagnostics
                .push(internal_error("linting this policy")),
        }
        policy::sort_diagnostics(&mut policy.diagnostics);
        if superseded() {
            return None;
        }
        let occurrences = refs::occurrences(&policy.syntax);
        let mut analysis = Analysis {
            policy,
            uris,
            occurrences,
            decisions: OnceLock::new(),
            extra: Vec::new(),
            stale: None,
        };
        if analysis.policy.has_errors() {
            if let Some(previous) = last_good.filter(|p| !p.policy.has_errors()) {
                let carried = catch_unwind(AssertUnwindSafe(|| {
                    let stale = Stale::new(previous, &analysis);
                    let carried = stale.carried(&analysis);
                    (stale, carried)
                }));
                if let Ok((stale, carried)) = carried {
                    analysis.extra = carried;
                    analysis.stale = Some(stale);
                }
            }
        } else {
            analysis.extra = analysis.failures();
        }
        Some(analysis)
    }

    /// The `ipl::test::scenario_failed` error of each decided scenario
    /// that does not get what it expects.
    fn failures(&self) -> Vec<Diagnostic> {
        let model = self.model();
        let found = catch_unwind(AssertUnwindSafe(|| {
            model
                .scenarios
                .iter()
                .zip(self.decisions())
                .filter_map(|(s, record)| crate::cli::test::failure(model, s, record.as_ref()?))
                .collect()
        }));
        found.unwrap_or_else(|_| vec![internal_error("deciding the scenarios")])
    }

    pub fn model(&self) -> &Model {
        &self.policy.model
    }

    pub fn file_of(&self, uri: &Uri) -> Option<FileId> {
        let key = Key::of(uri);
        self.uris
            .iter()
            .position(|u| u == uri || Key::of(u) == key)
            .map(|i| FileId(i as u32))
    }

    pub fn source(&self, file: FileId) -> Option<&SourceFile> {
        self.policy.sources.get(file)
    }

    pub fn uri(&self, file: FileId) -> Option<&Uri> {
        self.uris.get(file.0 as usize)
    }

    /// The syntax tree of one file.
    pub fn syntax(&self, file: FileId) -> Option<&crate::syntax::ast::File> {
        self.policy
            .syntax
            .iter()
            .find(|(id, _)| *id == file)
            .map(|(_, tree)| tree)
    }

    /// An LSP location of a span.
    pub fn location(&self, file: FileId, span: Span) -> Option<lsp_types::Location> {
        Some(lsp_types::Location::new(
            self.uri(file)?.clone(),
            convert::range(self.source(file)?, span),
        ))
    }

    /// Each scenario's decision (`None`: its action does not resolve, or
    /// the policy has errors and deciding it would mislead).
    pub fn decisions(&self) -> &[Option<DecisionRecord>] {
        self.decisions.get_or_init(|| {
            let model = self.model();
            if self.policy.has_errors() {
                return vec![None; model.scenarios.len()];
            }
            let decided = catch_unwind(AssertUnwindSafe(|| {
                let engine = Engine::new(model);
                model
                    .scenarios
                    .iter()
                    .map(|s| s.action.as_ref().map(|a| engine.decide(a)))
                    .collect()
            }));
            decided.unwrap_or_else(|_| vec![None; model.scenarios.len()])
        })
    }
}

fn internal_error(what: &str) -> Diagnostic {
    Diagnostic::new(
        Code::Internal,
        FileId(0),
        Span::at(0),
        format!("ipcheck failed while {what}; please report this as a bug"),
    )
}

/// Every open document and the policies they belong to.
pub struct Workspace {
    docs: HashMap<Key, Document>,
    policies: BTreeMap<Key, PolicyState>,
    /// The date lints compare against.
    pub today: Date,
}

impl Workspace {
    pub fn new(today: Date) -> Workspace {
        Workspace {
            docs: HashMap::new(),
            policies: BTreeMap::new(),
            today,
        }
    }

    pub fn is_open(&self, uri: &Uri) -> bool {
        self.docs.contains_key(&Key::of(uri))
    }

    /// The current text of an open document.
    pub fn text(&self, uri: &Uri) -> Option<Arc<str>> {
        self.docs.get(&Key::of(uri)).map(|d| d.text.clone())
    }

    /// `didOpen`: the document joins its directory's policy, whose other
    /// files are (re)read from disk.
    pub fn open(&mut self, uri: Uri, text: String, version: i32) {
        let key = Key::of(&uri);
        let (policy, dir) = match &key {
            Key::Path(path) => {
                let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
                (Key::Path(dir.clone()), Some(dir))
            }
            Key::Uri(_) => (key.clone(), None),
        };
        self.docs.insert(
            key,
            Document {
                uri,
                text: text.into(),
                version,
                policy: policy.clone(),
            },
        );
        let state = self.policies.entry(policy.clone()).or_default();
        state.dir = dir;
        self.rescan(&policy);
    }

    /// `didChange` with the whole new text.
    pub fn change(&mut self, uri: &Uri, text: String, version: i32) {
        let Some(doc) = self.docs.get_mut(&Key::of(uri)) else {
            return;
        };
        doc.text = text.into();
        doc.version = version;
        let policy = doc.policy.clone();
        self.invalidate(&policy);
    }

    /// `didSave`: the disk changed; the text, when sent, is the saved one.
    pub fn save(&mut self, uri: &Uri, text: Option<String>) {
        let Some(doc) = self.docs.get_mut(&Key::of(uri)) else {
            return;
        };
        if let Some(text) = text {
            doc.text = text.into();
        }
        let policy = doc.policy.clone();
        self.rescan(&policy);
    }

    /// `didClose`: the file reverts to its disk content. Returns the
    /// diagnostics to clear when no file of its policy stays open.
    pub fn close(&mut self, uri: &Uri) -> Vec<PublishDiagnosticsParams> {
        let Some(doc) = self.docs.remove(&Key::of(uri)) else {
            return Vec::new();
        };
        if self.docs.values().any(|d| d.policy == doc.policy) {
            self.rescan(&doc.policy);
            return Vec::new();
        }
        let Some(state) = self.policies.remove(&doc.policy) else {
            return Vec::new();
        };
        let mut uris: Vec<Uri> = state.published.into_values().collect();
        if !uris.contains(&doc.uri) {
            uris.push(doc.uri);
        }
        uris.into_iter()
            .map(|uri| PublishDiagnosticsParams::new(uri, Vec::new(), None))
            .collect()
    }

    /// Files changed on disk (`workspace/didChangeWatchedFiles`).
    pub fn disk_changed(&mut self, uri: &Uri) {
        let Key::Path(path) = Key::of(uri) else {
            return;
        };
        let Some(dir) = path.parent() else {
            return;
        };
        let policy = Key::Path(dir.to_path_buf());
        if self.policies.contains_key(&policy) {
            self.rescan(&policy);
        }
    }

    /// Re-reads a policy's directory and marks it for analysis.
    fn rescan(&mut self, policy: &Key) {
        if let Some(state) = self.policies.get_mut(policy) {
            state.disk = match &state.dir {
                Some(dir) => read_dir(dir),
                None => BTreeMap::new(),
            };
        }
        self.invalidate(policy);
    }

    fn invalidate(&mut self, policy: &Key) {
        if let Some(state) = self.policies.get_mut(policy) {
            state.analysis = None;
            state.unpublished = true;
        }
    }

    /// The analysis of the policy an open document belongs to, and the
    /// document's file in it.
    pub fn analysis(&mut self, uri: &Uri) -> Option<(Arc<Analysis>, FileId)> {
        let policy = self.docs.get(&Key::of(uri))?.policy.clone();
        let analysis = self.analysed(&policy)?;
        let file = analysis.file_of(uri)?;
        Some((analysis, file))
    }

    /// Every policy with an open document, analysed.
    pub fn analyses(&mut self) -> Vec<Arc<Analysis>> {
        let keys: Vec<Key> = self.policies.keys().cloned().collect();
        keys.iter().filter_map(|k| self.analysed(k)).collect()
    }

    fn analysed(&mut self, policy: &Key) -> Option<Arc<Analysis>> {
        self.analysed_unless(policy, &|| false)
    }

    /// The policy's analysis, `None` when `superseded` cut it short.
    fn analysed_unless(
        &mut self,
        policy: &Key,
        superseded: &dyn Fn() -> bool,
    ) -> Option<Arc<Analysis>> {
        if let Some(analysis) = &self.policies.get(policy)?.analysis {
            return Some(analysis.clone());
        }
        let (sources, uris) = self.sources(policy)?;
        let last_good = self.policies.get(policy)?.last_good.clone();
        let analysis = Arc::new(Analysis::unless(
            sources, uris, self.today, last_good, superseded,
        )?);
        let state = self.policies.get_mut(policy)?;
        state.analysis = Some(analysis.clone());
        if !analysis.policy.has_errors() {
            state.last_good = Some(analysis.clone());
        }
        Some(analysis)
    }

    /// The texts of a policy in path order: open documents' text, else the
    /// disk's.
    fn sources(&self, policy: &Key) -> Option<(SourceMap, Vec<Uri>)> {
        let state = self.policies.get(policy)?;
        let mut files: BTreeMap<Key, (Uri, Arc<str>)> = BTreeMap::new();
        for (path, text) in &state.disk {
            if let Some(uri) = convert::path_to_uri(path) {
                files.insert(Key::Path(path.clone()), (uri, text.clone()));
            }
        }
        for (key, doc) in &self.docs {
            if doc.policy == *policy {
                files.insert(key.clone(), (doc.uri.clone(), doc.text.clone()));
            }
        }
        let mut sources = SourceMap::default();
        let mut uris = Vec::new();
        for (key, (uri, text)) in files {
            let (name, path) = match key {
                Key::Path(path) => (source::display(&path), path),
                Key::Uri(uri) => (uri.clone(), PathBuf::from(uri)),
            };
            sources.add(name, path, text);
            uris.push(uri);
        }
        Some((sources, uris))
    }

    /// Analyses every policy whose texts changed and returns the
    /// diagnostics to publish: for each open file, each file with
    /// diagnostics, and each file whose diagnostics went away.
    pub fn take_publish(&mut self) -> Vec<PublishDiagnosticsParams> {
        self.take_publish_unless(&|| false)
    }

    /// [`Workspace::take_publish`], stopping when `superseded` says a newer
    /// message is waiting: the policies not analysed yet stay unpublished
    /// and are analysed, for their newer text, after that message.
    pub fn take_publish_unless(
        &mut self,
        superseded: &dyn Fn() -> bool,
    ) -> Vec<PublishDiagnosticsParams> {
        let keys: Vec<Key> = self
            .policies
            .iter()
            .filter(|(_, s)| s.unpublished)
            .map(|(k, _)| k.clone())
            .collect();
        let mut out = Vec::new();
        for key in keys {
            if superseded() {
                break;
            }
            let Some(analysis) = self.analysed_unless(&key, superseded) else {
                continue;
            };
            let versions: HashMap<String, i32> = self
                .docs
                .values()
                .filter(|d| d.policy == key)
                .map(|d| (d.uri.as_str().to_string(), d.version))
                .collect();
            let by_file = diagnostics::by_file(&analysis);
            let Some(state) = self.policies.get_mut(&key) else {
                continue;
            };
            let previous = std::mem::take(&mut state.published);
            for (i, uri) in analysis.uris.iter().enumerate() {
                let diags = by_file.get(i).cloned().unwrap_or_default();
                let version = versions.get(uri.as_str()).copied();
                if !diags.is_empty() {
                    state
                        .published
                        .insert(uri.as_str().to_string(), uri.clone());
                } else if version.is_none() && !previous.contains_key(uri.as_str()) {
                    continue;
                }
                out.push(PublishDiagnosticsParams::new(uri.clone(), diags, version));
            }
            for (text, uri) in previous {
                if !analysis.uris.iter().any(|u| u.as_str() == text) {
                    out.push(PublishDiagnosticsParams::new(uri, Vec::new(), None));
                }
            }
            state.unpublished = false;
        }
        out
    }
}

/// The `.ipl` files of a directory, sorted by path (unreadable ones and
/// ones over the size limit left out).
fn read_dir(dir: &Path) -> BTreeMap<PathBuf, Arc<str>> {
    let mut out = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if !is_file || path.extension().is_none_or(|e| e != "ipl") {
            continue;
        }
        if let Ok(bytes) = source::read_file(&path) {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            out.insert(path, text.into());
        }
    }
    out
}
