//! Where the files of a report are, for the formats a platform reads:
//! SARIF, GitHub annotations, GitLab Code Quality and the Markdown
//! report name files relative to the *repository root* (the git top level,
//! else the directory of `ipcheck.toml`, else the directory checked), so
//! that a job run with `working-directory:` in a monorepo still puts its
//! findings on the right files. Human and JSON output keep the path as
//! shown (relative to the working directory).

use std::path::{Component, Path, PathBuf};

use crate::source::SourceFile;

/// The repository root and the working directory, both canonical.
#[derive(Debug, Clone, Default)]
pub struct Paths {
    root: Option<PathBuf>,
    cwd: Option<PathBuf>,
}

impl Paths {
    /// Paths relative to `root` (made canonical); without one, or when it
    /// cannot be resolved, files keep their shown names.
    pub fn new(root: Option<&Path>) -> Paths {
        let cwd = std::env::current_dir().and_then(std::fs::canonicalize).ok();
        let root = root.and_then(|r| {
            let absolute = match &cwd {
                Some(cwd) if r.is_relative() => cwd.join(r),
                _ => r.to_path_buf(),
            };
            std::fs::canonicalize(absolute).ok()
        });
        Paths { root, cwd }
    }

    /// The repository root, canonical.
    pub fn root(&self) -> Option<&Path> {
        self.root.as_deref()
    }

    /// A file's name relative to the repository root, `/`-separated; its
    /// shown name when it lies outside the root or has no path.
    pub fn name(&self, file: &SourceFile) -> String {
        self.relative(&file.path)
            .unwrap_or_else(|| file.name.clone())
    }

    /// `path` (relative to the working directory, or absolute) relative to
    /// the root. The path is normalised on its text, not resolved: a
    /// symbolic link inside the repository keeps its own name.
    pub fn relative(&self, path: &Path) -> Option<String> {
        let root = self.root.as_ref()?;
        if path.as_os_str().is_empty() {
            return None;
        }
        let absolute = if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.cwd.as_ref()?.join(path)
        };
        let normal = normalize(&absolute);
        let rel = normal.strip_prefix(root).ok()?;
        let text = rel.to_string_lossy().replace('\\', "/");
        (!text.is_empty()).then_some(text)
    }
}

/// Resolves `.` and `..` on the text of a path.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The top of the git checkout holding `start` (the nearest directory at
/// or above it with a `.git` entry), canonical.
pub fn git_root(start: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(start).ok()?;
    let start = if start.is_file() {
        start.parent()?.to_path_buf()
    } else {
        start
    };
    start
        .ancestors()
        .find(|a| a.join(".git").exists())
        .map(Path::to_path_buf)
}

/// Links to files at the commit being checked, when the environment of a
/// GitHub Actions job names it (`GITHUB_SERVER_URL`, `GITHUB_REPOSITORY`,
/// `GITHUB_SHA`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Links {
    /// `https://github.com/owner/repo/blob/SHA/`
    base: String,
}

impl Links {
    pub fn new(server: &str, repository: &str, sha: &str) -> Option<Links> {
        let server = server.trim().trim_end_matches('/');
        let ok = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
        };
        let url_ok = (server.starts_with("https://") || server.starts_with("http://"))
            && !server.contains(['"', '<', '>', ' ', '(', ')']);
        (url_ok && ok(repository) && ok(sha) && !repository.contains("..")).then(|| Links {
            base: format!("{server}/{repository}/blob/{sha}/"),
        })
    }

    /// From the environment of a GitHub Actions job.
    pub fn from_env() -> Option<Links> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        Links::new(
            &var("GITHUB_SERVER_URL")?,
            &var("GITHUB_REPOSITORY")?,
            &var("GITHUB_SHA")?,
        )
    }

    /// The address of lines of a file (relative to the repository root).
    pub fn url(&self, path: &str, line: u32, end_line: u32) -> String {
        let lines = if end_line > line {
            format!("#L{line}-L{end_line}")
        } else {
            format!("#L{line}")
        };
        format!("{}{}{lines}", self.base, encode_path(path))
    }
}

/// Percent-encodes what may not stand in a URI path.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/:@!$&'*+,;=".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_to_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        let paths = Paths::new(Some(&root));
        assert_eq!(
            paths.relative(&root.join("a/b/../b/x.ipl")).as_deref(),
            Some("a/b/x.ipl")
        );
        assert_eq!(paths.relative(Path::new("/elsewhere/x.ipl")), None);
        assert_eq!(paths.relative(Path::new("")), None);
    }

    #[test]
    fn links_need_a_plausible_environment() {
        let links = Links::new("https://github.com/", "o/r", "abc123").unwrap();
        assert_eq!(
            links.url("policies/a b.ipl", 3, 5),
            "https://github.com/o/r/blob/abc123/policies/a%20b.ipl#L3-L5"
        );
        assert_eq!(
            links.url("x.ipl", 3, 3),
            "https://github.com/o/r/blob/abc123/x.ipl#L3"
        );
        assert!(Links::new("javascript:alert(1)", "o/r", "abc").is_none());
        assert!(Links::new("https://github.com", "o/r)", "abc").is_none());
        assert!(Links::new("https://github.com", "o/r", "").is_none());
    }
}
