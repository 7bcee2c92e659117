//! Policies as of a git revision (`--base REF`), read through `git show`, and paired with the working tree's.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::policy::{self, Policy};
use crate::source::SourceMap;

/// Why the revision could not be read.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("`{}` is not in a git repository", crate::source::display(.0))]
    NotARepository(PathBuf),
    #[error("unknown revision `{0}`: {1}")]
    UnknownRevision(String, String),
    #[error("cannot run git: {0}")]
    Git(String),
}

/// A repository and a revision in it, verified.
#[derive(Debug, Clone)]
pub struct Base {
    pub top: PathBuf,
    pub rev: String,
    /// The commit the revision names.
    pub commit: String,
}

fn git(dir: &Path, args: &[&str]) -> Result<std::process::Output, GitError> {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| GitError::Git(e.to_string()))
}

impl Base {
    /// The repository holding `dir` and the commit `rev` names in it.
    pub fn open(dir: &Path, rev: &str) -> Result<Base, GitError> {
        let probe = if dir.is_dir() {
            dir.to_path_buf()
        } else {
            dir.parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
        };
        let out = git(&probe, &["rev-parse", "--show-toplevel"])?;
        if !out.status.success() {
            return Err(GitError::NotARepository(dir.to_path_buf()));
        }
        let top = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        let spec = format!("{rev}^{{commit}}");
        let out = git(&top, &["rev-parse", "--verify", "--quiet", &spec])?;
        if !out.status.success() || rev.starts_with('-') {
            let why = String::from_utf8_lossy(&out.stderr).trim().to_string();
            let why = if why.is_empty() {
                "no such commit, branch or tag".to_string()
            } else {
                why
            };
            return Err(GitError::UnknownRevision(rev.to_string(), why));
        }
        Ok(Base {
            top,
            rev: rev.to_string(),
            commit: String::from_utf8_lossy(&out.stdout).trim().to_string(),
        })
    }

    /// `path` relative to the repository's top level, `/`-separated.
    pub fn relative(&self, path: &Path) -> Option<String> {
        let absolute = std::fs::canonicalize(path)
            .or_else(|_| std::path::absolute(path))
            .ok()?;
        let top = std::fs::canonicalize(&self.top).unwrap_or_else(|_| self.top.clone());
        let rel = absolute.strip_prefix(&top).ok()?;
        Some(rel.to_string_lossy().replace('\\', "/"))
    }

    /// The `.ipl` files under `rel` at the revision, grouped by directory
    /// (one policy per directory, as in the working tree).
    pub fn policy_files(&self, rel: &str) -> Result<BTreeMap<String, Vec<String>>, GitError> {
        let spec = if rel.is_empty() { "." } else { rel };
        let out = git(
            &self.top,
            &["ls-tree", "-r", "--name-only", &self.commit, "--", spec],
        )?;
        if !out.status.success() {
            return Err(GitError::Git(
                String::from_utf8_lossy(&out.stderr).trim().to_string(),
            ));
        }
        let mut by_dir: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            if !line.ends_with(".ipl") {
                continue;
            }
            let dir = line.rsplit_once('/').map_or("", |(d, _)| d).to_string();
            by_dir.entry(dir).or_default().push(line.to_string());
        }
        for files in by_dir.values_mut() {
            files.sort();
        }
        Ok(by_dir)
    }

    /// The policy made of these files at the revision, named as in the
    /// working tree (relative to `shown_root`).
    pub fn load(&self, files: &[String], shown_root: &Path) -> Result<Policy, GitError> {
        let mut sources = SourceMap::default();
        for file in files {
            let spec = format!("{}:{file}", self.commit);
            let out = git(&self.top, &["show", &spec])?;
            if !out.status.success() {
                return Err(GitError::Git(
                    String::from_utf8_lossy(&out.stderr).trim().to_string(),
                ));
            }
            let text = String::from_utf8_lossy(&out.stdout).into_owned();
            let path = shown_root.join(file);
            let shown = format!("{}:{}", self.rev, file);
            sources.add(shown, path, text);
        }
        Ok(policy::analyze(sources))
    }
}
