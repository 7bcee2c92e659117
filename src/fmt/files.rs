//! Formatting files on disk: finding `.ipl` files, unified diffs and atomic rewrites.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::source::{self, LoadError};

/// The files `ipcheck fmt PATH` formats: the file itself, or every `.ipl`
/// file below a directory, in path order.
pub fn ipl_files(path: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let shown = source::display(path);
    let meta = std::fs::metadata(path).map_err(|source| LoadError::Io {
        path: shown.clone(),
        source,
    })?;
    if meta.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(path)
        .follow_links(false)
        .sort_by_file_name()
    {
        let entry = entry.map_err(|e| LoadError::Io {
            path: e.path().map_or(shown.clone(), source::display),
            source: e
                .into_io_error()
                .unwrap_or_else(|| std::io::Error::other("file system loop")),
        })?;
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "ipl") {
            files.push(entry.into_path());
        }
    }
    if files.is_empty() {
        return Err(LoadError::NoPolicy { path: shown });
    }
    Ok(files)
}

/// A unified diff from `old` to `new`, empty when they are equal.
pub fn unified_diff(old: &str, new: &str, name: &str) -> String {
    if old == new {
        return String::new();
    }
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(
            &format!("{name} (original)"),
            &format!("{name} (formatted)"),
        )
        .to_string()
}

/// Replaces the file at `path` with `contents` atomically: a temporary
/// file in the same directory, with the original's permissions, renamed
/// over it. A symbolic link is followed, not replaced. A read-only file is
/// refused.
pub fn write_atomic(path: &Path, contents: &str) -> std::io::Result<()> {
    let target = std::fs::canonicalize(path)?;
    let permissions = std::fs::metadata(&target)?.permissions();
    if permissions.readonly() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            "the file is read-only",
        ));
    }
    let dir = target.parent().unwrap_or_else(|| Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(".ipcheck-fmt-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    temp.write_all(contents.as_bytes())?;
    temp.as_file().sync_all()?;
    std::fs::set_permissions(temp.path(), permissions)?;
    temp.persist(&target).map_err(|err| err.error)?;
    Ok(())
}
