//! From the configuration to the policies to check, each with its
//! proposals: globs expanded, what matches nothing and what the walk
//! skipped reported.

use std::path::{Path, PathBuf};

use super::*;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{self, LoadError};
use crate::span::Span;

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

pub(super) fn no_match(pattern: &Pattern, root: &Path, policy: bool) -> Diagnostic {
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
