//! `ipcheck.toml`: which policies a repository holds, their proposals, lint
//! levels, the date for date-relative checks and the fail level. Found by
//! searching upward from the directory checked; every key and value is
//! validated with a span into the file, and every path stays inside the
//! repository (the directory holding the file).

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use jiff::civil::Date;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Code, Diagnostic, Family, Severity};
use crate::names::did_you_mean;
use crate::report::FailOn;
use crate::source::{self, LoadError, SourceMap};
use crate::span::{FileId, Location, Span};

/// The configuration file's name.
pub const CONFIG_FILE: &str = "ipcheck.toml";

/// A level set for a code or a family of codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
    /// Shown, never failing (the `[diff]` table's `"info"`).
    Info,
    Off,
}

/// Families whose codes are errors of the language or of the run: they
/// cannot be re-levelled.
const FIXED_FAMILIES: [Family; 7] = [
    Family::Source,
    Family::Syntax,
    Family::Names,
    Family::Check,
    Family::Test,
    Family::Config,
    Family::Internal,
];

/// Levels per code and per family; a code's own level wins.
#[derive(Debug, Clone, Default)]
pub struct Levels {
    levels: BTreeMap<String, Level>,
}

impl Levels {
    pub fn set(&mut self, code_or_family: &str, level: Level) {
        self.levels.insert(code_or_family.to_string(), level);
    }

    /// The level configured for a code: its own, else its family's
    /// (`ipl::lint::x` → `ipl::lint`, then `ipl`).
    pub fn level(&self, code: &str) -> Option<Level> {
        let mut key = code;
        loop {
            if let Some(level) = self.levels.get(key) {
                return Some(*level);
            }
            key = key.rsplit_once("::")?.0;
        }
    }

    /// The diagnostic at its configured level; `None` when turned off.
    /// Codes of the fixed families keep their severity.
    pub fn apply(&self, mut diag: Diagnostic) -> Option<Diagnostic> {
        if FIXED_FAMILIES.contains(&diag.code.family()) {
            return Some(diag);
        }
        match self.level(diag.code.as_str()) {
            None => Some(diag),
            Some(Level::Off) => None,
            Some(Level::Error) => {
                diag.severity = Severity::Error;
                Some(diag)
            }
            Some(Level::Warning) => {
                diag.severity = Severity::Warning;
                Some(diag)
            }
            Some(Level::Info) => {
                diag.severity = Severity::Info;
                Some(diag)
            }
        }
    }
}

/// Is this configured code or family one whose level is fixed?
fn is_fixed(name: &str) -> bool {
    FIXED_FAMILIES.iter().any(|f| {
        name == f.prefix()
            || name
                .strip_prefix(f.prefix())
                .is_some_and(|r| r.starts_with("::"))
    })
}

/// A `path` or `proposals` entry: the text as written and where.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub text: String,
    pub location: Location,
}

/// One `[[policy]]` table.
#[derive(Debug, Clone)]
pub struct PolicyEntry {
    pub path: Pattern,
    pub proposals: Vec<Pattern>,
}

/// A loaded configuration (or the defaults, when there is no file).
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The repository: the directory holding the file, as shown in reports.
    pub root: PathBuf,
    /// The file itself, in `sources` (absent for the defaults).
    pub file: Option<FileId>,
    pub sources: SourceMap,
    pub today: Option<Date>,
    pub fail_on: Option<FailOn>,
    /// Empty: every policy under the root.
    pub policies: Vec<PolicyEntry>,
    pub levels: Levels,
    /// Warnings about the file (errors make [`load`] fail).
    pub warnings: Vec<Diagnostic>,
}

/// Why a configuration cannot be used.
#[derive(Debug)]
pub enum ConfigError {
    /// The file could not be read.
    Load(LoadError),
    /// The file is invalid: every problem, with the file to show them in.
    Invalid {
        sources: SourceMap,
        diagnostics: Vec<Diagnostic>,
    },
}

/// The configuration file for `dir`: `ipcheck.toml` in it or the nearest
/// directory above, stopping at the top of a git repository.
pub fn find(dir: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(dir).ok()?;
    let start = if start.is_file() {
        start.parent()?.to_path_buf()
    } else {
        start
    };
    for ancestor in start.ancestors() {
        let candidate = ancestor.join(CONFIG_FILE);
        if candidate.is_file() {
            return Some(candidate);
        }
        if ancestor.join(".git").exists() {
            break;
        }
    }
    None
}

/// `path` (absolute) as shown in reports: relative to the working
/// directory, with `..` when it lies above it; absolute when they share
/// nothing (another drive).
pub fn shown_path(path: &Path) -> PathBuf {
    let Ok(cwd) = std::env::current_dir().and_then(std::fs::canonicalize) else {
        return path.to_path_buf();
    };
    let from: Vec<Component> = cwd.components().collect();
    let to: Vec<Component> = path.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return path.to_path_buf();
    }
    let mut rel: PathBuf = from[common..]
        .iter()
        .map(|_| Component::ParentDir)
        .collect();
    rel.extend(&to[common..]);
    if rel.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        rel
    }
}

/// Loads the configuration for checking `dir`: the file found upward, or
/// the defaults (root `dir`, every policy under it).
pub fn load(dir: &Path) -> Result<Config, ConfigError> {
    let Some(file) = find(dir) else {
        return Ok(Config {
            root: dir.to_path_buf(),
            ..Config::default()
        });
    };
    let shown = shown_path(&file);
    let root = shown
        .parent()
        .map(Path::to_path_buf)
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| PathBuf::from("."));
    // The file itself may be a symbolic link: it must not lead out of the
    // directory it configures.
    let bytes = source::read_inside(&shown, &root).map_err(ConfigError::Load)?;
    let mut sources = SourceMap::default();
    let (id, bad_utf8) = sources.add_bytes(source::display(&shown), shown.clone(), bytes);
    if let Some(diag) = bad_utf8 {
        return Err(ConfigError::Invalid {
            sources,
            diagnostics: vec![diag],
        });
    }
    let text = sources.get(id).map(|f| f.text.clone()).unwrap_or_default();
    let mut diags = Vec::new();
    let mut config = parse(&text, id, &mut diags);
    config.root = root;
    config.file = Some(id);
    for entry in &config.policies {
        for pattern in std::iter::once(&entry.path).chain(&entry.proposals) {
            if let Err(d) = check_inside(&config.root, pattern) {
                diags.push(*d);
            }
        }
    }
    crate::policy::sort_diagnostics(&mut diags);
    if diags.iter().any(Diagnostic::is_error) {
        return Err(ConfigError::Invalid {
            sources,
            diagnostics: diags,
        });
    }
    if let Some(notice) = parent_notice(dir, &file, id, &shown) {
        diags.push(notice);
    }
    config.warnings = diags;
    config.sources = sources;
    Ok(config)
}

/// A note when the configuration comes from a directory above the one
/// checked with no git checkout in between: it may belong to something
/// else than the files checked (a parent folder of a downloaded archive,
/// a home directory).
fn parent_notice(dir: &Path, file: &Path, id: FileId, shown: &Path) -> Option<Diagnostic> {
    let start = std::fs::canonicalize(dir).ok()?;
    let start = if start.is_file() {
        start.parent()?.to_path_buf()
    } else {
        start
    };
    let config_dir = file.parent()?;
    if start == config_dir {
        return None;
    }
    let in_checkout = start
        .ancestors()
        .take_while(|a| a.starts_with(config_dir))
        .any(|a| a.join(".git").exists());
    if in_checkout {
        return None;
    }
    Some(
        Diagnostic {
            severity: Severity::Info,
            ..Diagnostic::new(
                Code::ConfigParentConfig,
                id,
                Span::default(),
                format!(
                    "using `{}` from a parent directory, outside any git checkout",
                    source::display(shown)
                ),
            )
        }
        .with_label("this configuration applies")
        .with_help(
            "ipcheck searches upward from the directory checked and stops at the top of a git checkout; none was found, so this file applies: put an `ipcheck.toml` in the directory checked if it is not the one meant",
        ),
    )
}

fn span_of<T>(spanned: &Spanned<T>) -> Span {
    let r = spanned.span();
    Span::new(r.start, r.end)
}

fn config_error(
    code: Code,
    file: FileId,
    span: Span,
    message: impl Into<String>,
    label: &str,
    help: impl Into<String>,
) -> Diagnostic {
    Diagnostic::new(code, file, span, message)
        .with_label(label)
        .with_help(help)
}

/// A TOML syntax error as a diagnostic.
pub fn toml_error(code: Code, err: &toml::de::Error, file: FileId) -> Diagnostic {
    let span = err
        .span()
        .map_or(Span::default(), |r| Span::new(r.start, r.end));
    let message = err.message().trim().to_string();
    let first = message.lines().next().unwrap_or("invalid TOML").to_string();
    Diagnostic::new(code, file, span, format!("invalid TOML: {first}"))
        .with_label("here")
        .with_help("see https://toml.io for the syntax")
}

const TOP_KEYS: [&str; 5] = ["today", "fail_on", "policy", "lints", "diff"];
const POLICY_KEYS: [&str; 2] = ["path", "proposals"];

/// Parses and validates the text of a configuration file; problems go to
/// `diags`, and what is valid is kept.
pub fn parse(text: &str, file: FileId, diags: &mut Vec<Diagnostic>) -> Config {
    let mut config = Config::default();
    let (doc, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        diags.extend(
            errors
                .iter()
                .map(|e| toml_error(Code::ConfigSyntax, e, file)),
        );
        return config;
    }
    for (key, value) in doc.get_ref() {
        let at = |s: &Spanned<DeValue>| Location {
            file,
            span: span_of(s),
        };
        match key.get_ref().as_ref() {
            "today" => match date_value(value) {
                Some(date) => config.today = Some(date),
                None => diags.push(bad_value(
                    file,
                    span_of(value),
                    "`today` must be a date",
                    "write a date such as `today = 2026-06-01`",
                )),
            },
            "fail_on" => match value.get_ref().as_str() {
                Some("error") => config.fail_on = Some(FailOn::Error),
                Some("warning") => config.fail_on = Some(FailOn::Warning),
                _ => diags.push(bad_value(
                    file,
                    span_of(value),
                    "`fail_on` must be \"error\" or \"warning\"",
                    "write `fail_on = \"error\"` (the default) or `fail_on = \"warning\"`",
                )),
            },
            "policy" => {
                let tables = value
                    .get_ref()
                    .as_array()
                    .filter(|a| a.iter().all(|t| t.get_ref().is_table()));
                let Some(tables) = tables else {
                    diags.push(bad_value(
                        file,
                        span_of(value),
                        "`policy` must be a list of tables",
                        "write one `[[policy]]` table per policy, with `path = \"…\"`",
                    ));
                    continue;
                };
                for table in tables.iter() {
                    if let Some(entry) = policy_entry(table, at(table), file, diags) {
                        config.policies.push(entry);
                    }
                }
            }
            "lints" => match value.get_ref().as_table() {
                Some(table) => lint_levels(table, file, &mut config.levels, diags),
                None => diags.push(bad_value(
                    file,
                    span_of(value),
                    "`lints` must be a table",
                    "write a `[lints]` table of `\"code or family\" = \"error\" | \"warning\" | \"off\"`",
                )),
            },
            "diff" => match value.get_ref().as_table() {
                Some(table) => diff_levels(table, file, &mut config.levels, diags),
                None => diags.push(bad_value(
                    file,
                    span_of(value),
                    "`diff` must be a table",
                    "write a `[diff]` table of `KIND = \"error\" | \"warning\" | \"info\" | \"off\"`, KIND one of widened, narrowed, reattributed, obligations, uncovered",
                )),
            },
            other => diags.push(unknown_key(file, key, other, &TOP_KEYS)),
        }
    }
    config
}

/// The `[diff]` table: a level per kind of change in effect, stored as the
/// level of its code `ipl::diff::KIND` (docs/cli.md, `check --base`).
fn diff_levels(table: &DeTable, file: FileId, levels: &mut Levels, diags: &mut Vec<Diagnostic>) {
    for (key, value) in table {
        let name = key.get_ref().as_ref();
        let Some(code) = crate::diff::codes::of_kind_name(name) else {
            diags.push(unknown_key(
                file,
                key,
                name,
                &crate::diff::codes::KIND_NAMES,
            ));
            continue;
        };
        let level = match value.get_ref().as_str() {
            Some("error") => Level::Error,
            Some("warning") => Level::Warning,
            Some("info") => Level::Info,
            Some("off") => Level::Off,
            _ => {
                diags.push(bad_value(
                    file,
                    span_of(value),
                    "a change level must be \"error\", \"warning\", \"info\" or \"off\"",
                    "write e.g. `widened = \"error\"` to fail the check when a change widens rights",
                ));
                continue;
            }
        };
        levels.set(code.as_str(), level);
    }
}

fn bad_value(file: FileId, span: Span, message: &str, help: &str) -> Diagnostic {
    config_error(
        Code::ConfigBadValue,
        file,
        span,
        message,
        "invalid value",
        help,
    )
}

fn unknown_key(
    file: FileId,
    key: &Spanned<std::borrow::Cow<str>>,
    name: &str,
    known: &[&str],
) -> Diagnostic {
    let list = known
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let (label, help) = match did_you_mean(name, known.iter().copied()) {
        Some(s) => (
            format!("did you mean `{s}`?"),
            format!("write `{s}`; the keys here are {list}"),
        ),
        None => (
            "unknown key".to_string(),
            format!("the keys here are {list}"),
        ),
    };
    config_error(
        Code::ConfigUnknownKey,
        file,
        span_of(key),
        format!("unknown key `{name}`"),
        &label,
        help,
    )
}

/// A TOML local date, or a string `YYYY-MM-DD`.
pub fn date_value(value: &Spanned<DeValue>) -> Option<Date> {
    match value.get_ref() {
        DeValue::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => {
            let d = dt.date?;
            Date::new(d.year as i16, d.month as i8, d.day as i8).ok()
        }
        DeValue::String(s) if s.len() == 10 => crate::syntax::parse_date(s),
        _ => None,
    }
}

fn policy_entry(
    table: &Spanned<DeValue>,
    location: Location,
    file: FileId,
    diags: &mut Vec<Diagnostic>,
) -> Option<PolicyEntry> {
    let fields = table.get_ref().as_table()?;
    let pattern = |v: &Spanned<DeValue>| {
        v.get_ref().as_str().map(|s| Pattern {
            text: s.to_string(),
            location: Location {
                file,
                span: span_of(v),
            },
        })
    };
    let mut path = None;
    let mut proposals = Vec::new();
    for (key, value) in fields {
        match key.get_ref().as_ref() {
            "path" => match pattern(value) {
                Some(p) if !p.text.trim().is_empty() => path = Some(p),
                _ => diags.push(bad_value(
                    file,
                    span_of(value),
                    "`path` must be a non-empty string",
                    "write a policy directory, a `.ipl` file or a glob, relative to the directory of ipcheck.toml",
                )),
            },
            "proposals" => {
                let items: Vec<&Spanned<DeValue>> = match value.get_ref() {
                    DeValue::Array(a) => a.iter().collect(),
                    _ => vec![value],
                };
                for item in items {
                    match pattern(item) {
                        Some(p) if !p.text.trim().is_empty() => proposals.push(p),
                        _ => diags.push(bad_value(
                            file,
                            span_of(item),
                            "`proposals` must be a list of globs",
                            "write `proposals = [\"proposals/*.toml\"]`, relative to the directory of ipcheck.toml",
                        )),
                    }
                }
            }
            other => diags.push(unknown_key(file, key, other, &POLICY_KEYS)),
        }
    }
    match path {
        Some(path) => Some(PolicyEntry { path, proposals }),
        None => {
            diags.push(config_error(
                Code::ConfigBadValue,
                file,
                location.span,
                "a `[[policy]]` table needs a `path`",
                "no `path`",
                "add `path = \"…\"`: a policy directory, a `.ipl` file or a glob",
            ));
            None
        }
    }
}

fn lint_levels(table: &DeTable, file: FileId, levels: &mut Levels, diags: &mut Vec<Diagnostic>) {
    for (key, value) in table {
        let name = key.get_ref().as_ref();
        let known = Code::parse(name).is_some() || Family::ALL.iter().any(|f| f.prefix() == name);
        if !known {
            let candidates = Code::ALL
                .iter()
                .map(|c| c.as_str())
                .chain(Family::ALL.iter().map(|f| f.prefix()));
            let (label, help) = match did_you_mean(name, candidates) {
                Some(s) => (
                    format!("did you mean `{s}`?"),
                    format!("write `{s}`; `ipcheck explain CODE` documents each code"),
                ),
                None => (
                    "no such code or family".to_string(),
                    "name a code such as `ipl::proposal::conditional`, or a family such as `ipl::proposal`".to_string(),
                ),
            };
            diags.push(config_error(
                Code::ConfigUnknownCode,
                file,
                span_of(key),
                format!("unknown diagnostic code or family `{name}`"),
                &label,
                help,
            ));
            continue;
        }
        if is_fixed(name) {
            diags.push(config_error(
                Code::ConfigFixedLevel,
                file,
                span_of(key),
                format!("`{name}` is an error of the language and cannot be re-levelled"),
                "its level is fixed",
                "only lints and proposal findings take a level; fix the policy instead",
            ));
            continue;
        }
        let level = match value.get_ref().as_str() {
            Some("error") => Level::Error,
            Some("warning") => Level::Warning,
            Some("off") => Level::Off,
            _ => {
                diags.push(bad_value(
                    file,
                    span_of(value),
                    "a level must be \"error\", \"warning\" or \"off\"",
                    "write `\"error\"`, `\"warning\"` or `\"off\"`",
                ));
                continue;
            }
        };
        levels.set(name, level);
    }
}

/// Refuses a path or glob that leaves the repository: absolute outside
/// it, through `..`, or through a symbolic link pointing out. The path is
/// resolved as the kernel would (each existing prefix through the file
/// system, so that `link/../x` is `x` next to the link's target), then
/// tested.
fn check_inside(root: &Path, pattern: &Pattern) -> Result<(), Box<Diagnostic>> {
    let outside = || {
        Box::new(config_error(
            Code::ConfigOutsideRepo,
            pattern.location.file,
            pattern.location.span,
            format!("`{}` points outside the repository", pattern.text),
            "outside the repository",
            format!(
                "paths and globs are relative to the directory holding ipcheck.toml (`{}`) and must stay inside it, symbolic links included",
                source::display(root)
            ),
        ))
    };
    let path = Path::new(&pattern.text);
    let root_abs = std::fs::canonicalize(root).map_err(|_| outside())?;
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        root_abs.join(path)
    };
    let normal = normalize(&joined).ok_or_else(outside)?;
    if !normal.starts_with(&root_abs) {
        return Err(outside());
    }
    // The literal part (before any glob component), resolved.
    let literal: PathBuf = joined
        .components()
        .take_while(|c| !is_glob(&c.as_os_str().to_string_lossy()))
        .collect();
    match resolve(&literal) {
        Some(real) if real.starts_with(&root_abs) => Ok(()),
        _ => Err(outside()),
    }
}

/// An absolute path resolved as the kernel would walk it: every prefix
/// that exists through the file system (symbolic links followed), the
/// rest on its text. `None` when `..` climbs above the root.
pub fn resolve(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    let mut exists = true;
    for c in path.components() {
        match c {
            Component::Prefix(_) | Component::RootDir => out.push(c),
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::Normal(name) => {
                out.push(name);
                if exists {
                    match std::fs::canonicalize(&out) {
                        Ok(real) => out = real,
                        Err(_) => exists = false,
                    }
                }
            }
        }
    }
    Some(out)
}

/// Resolves `.` and `..` without touching the file system; `None` when
/// `..` climbs above the file system's root.
fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    Some(out)
}

pub fn is_glob(text: &str) -> bool {
    text.contains(['*', '?', '[', '{'])
}

/// A policy the configuration names, with its proposal files.
#[derive(Debug, Clone)]
pub struct PlannedPolicy {
    pub files: Vec<PathBuf>,
    pub proposals: Vec<PathBuf>,
}

impl Config {
    /// The policies to check, each with its proposals. A `path` that
    /// matches nothing is an error; a `proposals` glob that matches nothing
    /// is a warning, and so is what the walk skipped (a symbolic link out
    /// of the repository, a broken link, a directory loop), at a place of
    /// its own added to [`Config::sources`].
    pub fn plan(&mut self) -> Result<(Vec<PlannedPolicy>, Vec<Diagnostic>), PlanError> {
        let mut skipped = Vec::new();
        if self.policies.is_empty() {
            let (policies, skips) =
                source::discover_in(&self.root, &self.root).map_err(PlanError::Load)?;
            let warnings = skips.iter().map(|s| self.skipped(s)).collect();
            return Ok((
                policies
                    .into_iter()
                    .map(|files| PlannedPolicy {
                        files,
                        proposals: Vec::new(),
                    })
                    .collect(),
                warnings,
            ));
        }
        let mut planned: Vec<PlannedPolicy> = Vec::new();
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        for entry in &self.policies {
            let policies = match self.policy_files(&entry.path, &mut skipped) {
                Ok(p) if !p.is_empty() => p,
                Ok(_) => {
                    errors.push(no_match(&entry.path, &self.root, true));
                    continue;
                }
                Err(d) => {
                    errors.push(*d);
                    continue;
                }
            };
            let mut proposals = Vec::new();
            for pattern in &entry.proposals {
                match self.matches(pattern, false, &mut skipped) {
                    Ok(files) if files.is_empty() => {
                        warnings.push(no_match(pattern, &self.root, false))
                    }
                    Ok(files) => proposals.extend(files),
                    Err(d) => errors.push(*d),
                }
            }
            proposals.sort();
            proposals.dedup();
            for files in policies {
                match planned.iter_mut().find(|p| p.files == files) {
                    Some(p) => p.proposals.extend(proposals.iter().cloned()),
                    None => planned.push(PlannedPolicy {
                        files,
                        proposals: proposals.clone(),
                    }),
                }
            }
        }
        let mut seen = Vec::new();
        for skip in skipped {
            if !seen.contains(&skip) {
                warnings.push(self.skipped(&skip));
                seen.push(skip);
            }
        }
        if errors.is_empty() {
            Ok((planned, warnings))
        } else {
            errors.extend(warnings);
            Err(PlanError::Invalid(errors))
        }
    }

    /// The warning for something a walk skipped, at the skipped path (a
    /// source of its own, empty: the file is not read).
    fn skipped(&mut self, skip: &source::Skipped) -> Diagnostic {
        let shown = source::display(&skip.path);
        let id = self
            .sources
            .add(shown.clone(), skip.path.clone(), String::new());
        let at = Span::default();
        match &skip.reason {
            source::SkipReason::LinkOutside { target } => Diagnostic::new(
                Code::SourceLinkOutside,
                id,
                at,
                format!(
                    "`{shown}` is a symbolic link out of the repository (to `{}`): not followed, not checked",
                    source::display(target)
                ),
            )
            .with_label("leads outside")
            .with_help(
                "ipcheck reads nothing outside the repository; copy the file in, or point the link at a file inside it",
            ),
            source::SkipReason::BrokenLink => Diagnostic::new(
                Code::SourceNotWalked,
                id,
                at,
                format!("`{shown}` is a symbolic link to nothing: not checked"),
            )
            .with_label("broken link")
            .with_help("remove the link, or point it at an existing file of the repository"),
            source::SkipReason::Loop { ancestor } => Diagnostic::new(
                Code::SourceNotWalked,
                id,
                at,
                format!(
                    "`{shown}` leads back to `{}`: the loop is not walked again",
                    source::display(ancestor)
                ),
            )
            .with_label("directory loop")
            .with_help("the files under it are checked once, at their own place; remove the link if it is not needed"),
        }
    }

    /// The policies a `path` names: a directory (every policy under it),
    /// a file, or a glob (matched directories are searched, matched
    /// `.ipl` files of one directory form one policy).
    fn policy_files(
        &self,
        pattern: &Pattern,
        skipped: &mut Vec<source::Skipped>,
    ) -> Result<Vec<Vec<PathBuf>>, Box<Diagnostic>> {
        let mut policies: Vec<Vec<PathBuf>> = Vec::new();
        let targets = if is_glob(&pattern.text) {
            self.matches(pattern, true, skipped)?
        } else {
            let path = self.root.join(&pattern.text);
            if path.exists() {
                vec![path]
            } else {
                Vec::new()
            }
        };
        for target in targets {
            if target.is_dir() {
                match source::discover_in(&target, &self.root) {
                    Ok((found, skips)) => {
                        policies.extend(found);
                        skipped.extend(skips);
                    }
                    Err(LoadError::NoPolicy { .. }) => {}
                    Err(err) => return Err(self.io_error(pattern, &err.to_string())),
                }
            } else if target.extension().is_some_and(|e| e == "ipl") {
                let dir = target.parent().map(Path::to_path_buf);
                match policies.last_mut() {
                    Some(last)
                        if is_glob(&pattern.text)
                            && last.first().and_then(|f| f.parent()).map(Path::to_path_buf)
                                == dir =>
                    {
                        last.push(target)
                    }
                    _ => policies.push(vec![target]),
                }
            }
        }
        policies.dedup();
        Ok(policies)
    }

    /// The files (and with `dirs`, directories) under the root that a
    /// pattern matches, sorted; a plain path matches itself. Symbolic
    /// links are followed inside the repository only.
    fn matches(
        &self,
        pattern: &Pattern,
        dirs: bool,
        skipped: &mut Vec<source::Skipped>,
    ) -> Result<Vec<PathBuf>, Box<Diagnostic>> {
        if !is_glob(&pattern.text) {
            let path = self.root.join(&pattern.text);
            return Ok(if path.is_file() || (dirs && path.is_dir()) {
                vec![path]
            } else {
                Vec::new()
            });
        }
        let text = pattern.text.trim_start_matches("./").trim_end_matches('/');
        let glob = globset::GlobBuilder::new(text)
            .literal_separator(true)
            .build()
            .map_err(|e| {
                Box::new(config_error(
                    Code::ConfigBadValue,
                    pattern.location.file,
                    pattern.location.span,
                    format!("invalid glob `{}`: {}", pattern.text, e.kind()),
                    "invalid glob",
                    "globs use `*`, `**`, `?`, `[abc]` and `{a,b}`",
                ))
            })?
            .compile_matcher();
        let walked = source::walk(&self.root, &self.root)
            .map_err(|e| self.io_error(pattern, &e.to_string()))?;
        let mut found = Vec::new();
        for (path, is_dir) in walked.entries {
            if is_dir && !dirs {
                continue;
            }
            let Ok(rel) = path.strip_prefix(&self.root) else {
                continue;
            };
            if glob.is_match(rel) {
                found.push(path);
            }
        }
        // Only what the glob would have matched is worth a warning.
        skipped.extend(walked.skipped.into_iter().filter(|s| {
            s.path
                .strip_prefix(&self.root)
                .is_ok_and(|rel| glob.is_match(rel) || rel.extension().is_none())
        }));
        Ok(found)
    }

    fn io_error(&self, pattern: &Pattern, message: &str) -> Box<Diagnostic> {
        Box::new(config_error(
            Code::ConfigUnreadable,
            pattern.location.file,
            pattern.location.span,
            format!("cannot read what `{}` names: {message}", pattern.text),
            "here",
            "check that the files exist and are readable",
        ))
    }
}

/// Why the configured policies cannot be listed.
#[derive(Debug)]
pub enum PlanError {
    Load(LoadError),
    Invalid(Vec<Diagnostic>),
}

fn no_match(pattern: &Pattern, root: &Path, policy: bool) -> Diagnostic {
    let root = source::display(root);
    if policy {
        config_error(
            Code::ConfigNoPolicy,
            pattern.location.file,
            pattern.location.span,
            format!("`{}` names no policy under `{root}`", pattern.text),
            "nothing here",
            "name a directory holding `.ipl` files, a `.ipl` file, or a glob matching them",
        )
    } else {
        Diagnostic::new(
            Code::ConfigNoProposals,
            pattern.location.file,
            pattern.location.span,
            format!("`{}` matches no proposal file under `{root}`", pattern.text),
        )
        .with_label("matches nothing")
        .with_help("check the glob, or remove it until there are proposals")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> (Config, Vec<Code>) {
        let mut diags = Vec::new();
        let config = parse(text, FileId(0), &mut diags);
        (config, diags.iter().map(|d| d.code).collect())
    }

    #[test]
    fn every_key_is_validated() {
        let (config, codes) = parsed(
            "today = 2026-06-01\nfail_on = \"warning\"\n[[policy]]\npath = \"p\"\nproposals = [\"q/*.toml\"]\n[lints]\n\"ipl::proposal::conditional\" = \"error\"\n",
        );
        assert!(codes.is_empty(), "{codes:?}");
        assert_eq!(config.today, Date::new(2026, 6, 1).ok());
        assert_eq!(config.fail_on, Some(FailOn::Warning));
        assert_eq!(config.policies[0].proposals[0].text, "q/*.toml");
        assert_eq!(
            config.levels.level(Code::ProposalConditional.as_str()),
            Some(Level::Error)
        );
        let (_, mut codes) = parsed(
            "todya = 1\nfail_on = \"warn\"\n[[policy]]\npaht = \"x\"\n[lints]\n\"ipl::names::unknown_party\" = \"off\"\n\"ipl::proposal::nope\" = \"off\"\n",
        );
        codes.sort_unstable();
        assert_eq!(
            codes,
            [
                Code::ConfigBadValue,
                Code::ConfigBadValue,
                Code::ConfigFixedLevel,
                Code::ConfigUnknownCode,
                Code::ConfigUnknownKey,
                Code::ConfigUnknownKey,
            ]
        );
    }

    #[test]
    fn toml_syntax_errors_have_a_place() {
        let mut diags = Vec::new();
        parse("[[policy]\npath = \"p\"\n", FileId(0), &mut diags);
        assert_eq!(diags[0].code, Code::ConfigSyntax);
        assert!(diags[0].location.span.start < 10, "{:?}", diags[0].location);
    }

    #[test]
    fn levels_fall_back_to_the_family() {
        let mut levels = Levels::default();
        levels.set("ipl::proposal", Level::Off);
        levels.set(Code::ProposalDenied.as_str(), Level::Warning);
        assert_eq!(
            levels.level(Code::ProposalConditional.as_str()),
            Some(Level::Off)
        );
        assert_eq!(
            levels.level(Code::ProposalDenied.as_str()),
            Some(Level::Warning)
        );
        assert_eq!(levels.level(Code::UnknownParty.as_str()), None);
    }

    #[test]
    fn paths_stay_inside_the_repository() {
        let dir = tempfile::tempdir().unwrap();
        let pattern = |text: &str| Pattern {
            text: text.to_string(),
            location: Location::default(),
        };
        for bad in ["../../etc", "/etc", "a/../../b", "../*/x.toml"] {
            assert!(check_inside(dir.path(), &pattern(bad)).is_err(), "{bad}");
        }
        for good in ["a", "a/../b", "policies/*", "**/*.toml"] {
            assert!(check_inside(dir.path(), &pattern(good)).is_ok(), "{good}");
        }
        let inside = dir.path().join("x").to_string_lossy().to_string();
        assert!(check_inside(dir.path(), &pattern(&inside)).is_ok());
    }
}
