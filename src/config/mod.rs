//! `ipcheck.toml`: which policies a repository holds, their proposals, lint
//! levels, the date for date-relative checks and the fail level. Found by
//! searching upward from the directory checked; every key and value is
//! validated with a span into the file, and every path stays inside the
//! repository (the directory holding the file).

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use jiff::civil::Date;

use crate::diagnostic::{Code, Diagnostic, Family, Severity};
use crate::report::FailOn;
use crate::source::{self, LoadError, SourceMap};
use crate::span::{FileId, Location, Span};

mod parse;
mod paths;
mod plan;

use parse::*;
pub use parse::{date_value, parse, toml_error};
use paths::*;
pub use paths::{is_glob, resolve};
pub use plan::{PlanError, PlannedPolicy};

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
