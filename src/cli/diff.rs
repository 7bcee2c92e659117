//! `ipcheck diff`: what a change to a policy does in effect, between two paths or against a git revision (`--base REF`).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::{CliError, Outcome, ReportOptions};
use crate::config::{self, Level, Levels};
use crate::diff::git::Base;
use crate::diff::{self, Diff, PolicyDiff, PolicyStatus, codes};
use crate::policy::{self, Policy};
use crate::report::{FailOn, Format};

/// What `ipcheck diff` compares.
#[derive(Debug, Clone, Default)]
pub struct DiffOptions {
    /// `OLD NEW`, or with `base` the paths to compare (default `.`).
    pub paths: Vec<PathBuf>,
    /// `--base REF`: OLD is each policy as of this git revision.
    pub base: Option<String>,
}

/// `ipcheck diff`.
pub fn diff_command(
    options: &DiffOptions,
    report: &ReportOptions,
    out: &mut dyn Write,
) -> Result<Outcome, CliError> {
    if !matches!(
        report.format,
        Format::Human | Format::Json | Format::Markdown
    ) {
        return Err(CliError::Usage(
            "`ipcheck diff` writes human, json or markdown; for sarif, github, gitlab or junit run `ipcheck check --base REF`".into(),
        ));
    }
    let first = options
        .paths
        .first()
        .cloned()
        .unwrap_or_else(|| PathBuf::from("."));
    let levels = levels_near(&first)?;
    let (diffs, broken) = match &options.base {
        Some(rev) => {
            let paths = if options.paths.is_empty() {
                vec![PathBuf::from(".")]
            } else {
                options.paths.clone()
            };
            let base = Base::open(&first, rev).map_err(|e| CliError::Usage(e.to_string()))?;
            against_base(&base, &paths)?
        }
        None => {
            let [old, new] = options.paths.as_slice() else {
                return Err(CliError::Usage(
                    "`ipcheck diff` compares two policies: `ipcheck diff OLD NEW`, or `ipcheck diff --base REF [PATH...]`".into(),
                ));
            };
            between(old, new)?
        }
    };
    let fail_on = report.fail_on.unwrap_or_default();
    let mut shown: Vec<PolicyDiff> = diffs;
    let mut failing = false;
    for p in &mut shown {
        p.diff.changes.retain(|c| {
            let level = levels
                .level(codes::of_kind(c.kind).as_str())
                .unwrap_or(Level::Error);
            failing |= match level {
                Level::Error => true,
                Level::Warning => fail_on == FailOn::Warning,
                Level::Info | Level::Off => false,
            };
            level != Level::Off
        });
    }
    match report.format {
        Format::Json => {
            let doc = crate::report::diff::json(&shown);
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&doc).unwrap_or_default()
            )?;
        }
        Format::Markdown => {
            for p in &shown {
                write!(out, "{}", crate::report::diff::markdown(p))?;
            }
        }
        _ => {
            for (i, p) in shown.iter().enumerate() {
                if i > 0 {
                    writeln!(out)?;
                }
                crate::report::diff::human(out, p)?;
            }
        }
    }
    for (name, diags) in &broken {
        eprintln!("error: {name} has errors and was not compared:");
        for d in diags {
            eprintln!("  {}: {}", d.code, d.message);
        }
    }
    Ok(if !broken.is_empty() {
        Outcome::CouldNotRun
    } else if failing {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

/// The change levels of the `ipcheck.toml` above `path`, if any.
fn levels_near(path: &Path) -> Result<Levels, CliError> {
    let dir = if path.is_dir() {
        path.to_path_buf()
    } else {
        path.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    };
    if config::find(&dir).is_none() {
        return Ok(Levels::default());
    }
    match config::load(&dir) {
        Ok(c) => Ok(c.levels),
        Err(config::ConfigError::Load(e)) => Err(e.into()),
        Err(config::ConfigError::Invalid { diagnostics, .. }) => Err(CliError::Usage(format!(
            "ipcheck.toml is invalid: {}",
            diagnostics
                .iter()
                .map(|d| d.message.clone())
                .collect::<Vec<_>>()
                .join("; ")
        ))),
    }
}

type Broken = Vec<(String, Vec<crate::diagnostic::Diagnostic>)>;

/// Compares one pair of policies, or says why not.
pub fn compare(name: String, old: &Policy, new: &Policy, broken: &mut Broken) -> PolicyDiff {
    for (side, p) in [("base", old), ("head", new)] {
        if p.has_errors() {
            broken.push((
                format!("{name} ({side})"),
                p.diagnostics
                    .iter()
                    .filter(|d| d.is_error())
                    .cloned()
                    .collect(),
            ));
            return PolicyDiff {
                policy: name,
                status: PolicyStatus::NotCompared,
                diff: Diff::default(),
            };
        }
    }
    PolicyDiff {
        policy: name,
        status: PolicyStatus::Compared,
        diff: diff::diff(old, new),
    }
}

/// `diff OLD NEW`: one policy each, or policies paired by their place
/// under each path.
fn between(old: &Path, new: &Path) -> Result<(Vec<PolicyDiff>, Broken), CliError> {
    let olds = policy::load_path(old)?;
    let news = policy::load_path(new)?;
    let mut broken = Vec::new();
    if let ([o], [n]) = (olds.as_slice(), news.as_slice()) {
        let d = compare(super::policy_name(n), o, n, &mut broken);
        return Ok((vec![d], broken));
    }
    let key = |p: &Policy, root: &Path| -> String {
        let name = PathBuf::from(super::policy_name(p));
        name.strip_prefix(root)
            .map(|r| r.to_string_lossy().replace('\\', "/"))
            .unwrap_or_else(|_| name.to_string_lossy().into_owned())
    };
    let mut by_key: BTreeMap<String, (Option<&Policy>, Option<&Policy>)> = BTreeMap::new();
    for p in &olds {
        by_key.entry(key(p, old)).or_default().0 = Some(p);
    }
    for p in &news {
        by_key.entry(key(p, new)).or_default().1 = Some(p);
    }
    let mut out = Vec::new();
    for (_, pair) in by_key {
        out.push(match pair {
            (Some(o), Some(n)) => compare(super::policy_name(n), o, n, &mut broken),
            (Some(o), None) => one_sided(super::policy_name(o), PolicyStatus::Removed),
            (None, Some(n)) => one_sided(super::policy_name(n), PolicyStatus::Added),
            (None, None) => continue,
        });
    }
    Ok((out, broken))
}

fn one_sided(policy: String, status: PolicyStatus) -> PolicyDiff {
    PolicyDiff {
        policy,
        status,
        diff: Diff::default(),
    }
}

/// `--base REF`: each policy under the paths against its files at REF.
fn against_base(base: &Base, paths: &[PathBuf]) -> Result<(Vec<PolicyDiff>, Broken), CliError> {
    let mut broken = Vec::new();
    let mut out = Vec::new();
    for path in paths {
        let news = if path.exists() {
            policy::load_path(path)?
        } else {
            Vec::new()
        };
        let rel = base.relative(path).ok_or_else(|| {
            CliError::Usage(format!(
                "`{}` is not inside the repository",
                crate::source::display(path)
            ))
        })?;
        let olds = base
            .policy_files(&rel)
            .map_err(|e| CliError::Usage(e.to_string()))?;
        let (o, b) = pair_with_base(base, path, &rel, news, olds)?;
        out.extend(o);
        broken.extend(b);
    }
    Ok((out, broken))
}

/// Pairs the working tree's policies under `path` (`rel` in the
/// repository) with the base revision's directories of `.ipl` files.
pub fn pair_with_base(
    base: &Base,
    path: &Path,
    rel: &str,
    news: Vec<Policy>,
    mut olds: BTreeMap<String, Vec<String>>,
) -> Result<(Vec<PolicyDiff>, Broken), CliError> {
    let mut broken = Vec::new();
    let mut out = Vec::new();
    // Where `path` is, as shown, for the base's policies.
    let shown_root = shown_top(path, rel);
    for new in news {
        let dir = new
            .sources
            .files
            .first()
            .and_then(|f| base.relative(&f.path))
            .map(|r| {
                r.rsplit_once('/')
                    .map_or(String::new(), |(d, _)| d.to_string())
            })
            .unwrap_or_default();
        let name = super::policy_name(&new);
        // A single-file policy compares with that file only.
        let single = path.is_file();
        let files = if single {
            let f = base.relative(path).unwrap_or_default();
            olds.get_mut(&dir).and_then(|list| {
                let keep: Vec<String> = list.iter().filter(|x| **x == f).cloned().collect();
                list.retain(|x| *x != f);
                (!keep.is_empty()).then_some(keep)
            })
        } else {
            olds.remove(&dir)
        };
        match files {
            Some(files) => {
                let old = base
                    .load(&files, &shown_root)
                    .map_err(|e| CliError::Usage(e.to_string()))?;
                out.push(compare(name, &old, &new, &mut broken));
            }
            None => out.push(one_sided(name, PolicyStatus::Added)),
        }
    }
    if !path.is_file() {
        for (dir, _) in olds {
            let shown = shown_root.join(&dir);
            out.push(one_sided(
                crate::source::display(&shown),
                PolicyStatus::Removed,
            ));
        }
    }
    Ok((out, broken))
}

/// The repository's top level as the user wrote paths: `path` with `rel`
/// taken off its end (`policies/x` at `policies/x` → ``).
pub(super) fn shown_top(path: &Path, rel: &str) -> PathBuf {
    let depth = if rel.is_empty() {
        0
    } else {
        rel.split('/').count()
    };
    let mut top = path.to_path_buf();
    for _ in 0..depth {
        if !top.pop() {
            break;
        }
    }
    top
}
