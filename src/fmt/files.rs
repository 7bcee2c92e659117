//! Formatting files on disk: finding `.ipl` files, unified diffs and atomic rewrites.

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

/// A unified diff from `old` to `new`, empty when they are equal; `new`
/// is headed `NAME (what)`: `formatted`, `fixed`.
pub fn unified_diff(old: &str, new: &str, name: &str, what: &str) -> String {
    if old == new {
        return String::new();
    }
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("{name} (original)"), &format!("{name} ({what})"))
        .to_string()
}
