//! Paths and globs of `ipcheck.toml` kept inside the repository, as the
//! kernel resolves them (symbolic links included).

use std::path::{Component, Path, PathBuf};

use super::*;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{self};

/// Refuses a path or glob that leaves the repository: absolute outside
/// it, through `..`, or through a symbolic link pointing out. The path is
/// resolved as the kernel would (each existing prefix through the file
/// system, so that `link/../x` is `x` next to the link's target), then
/// tested.
pub(super) fn check_inside(root: &Path, pattern: &Pattern) -> Result<(), Box<Diagnostic>> {
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
pub(super) fn normalize(path: &Path) -> Option<PathBuf> {
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
