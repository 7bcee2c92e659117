//! Atomic file writes: a temporary file in the same directory, renamed over
//! the target, so that a reader never sees half a report.

use std::io::{self, Write};
use std::path::Path;

/// Replaces `path` with `bytes`: a temporary file in the same directory,
/// with the original's permissions, renamed over it. A symbolic link is
/// followed, not replaced; a read-only file is refused.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let (target, permissions) = match std::fs::canonicalize(path) {
        Ok(target) => {
            let permissions = std::fs::metadata(&target)?.permissions();
            if permissions.readonly() {
                return Err(io::Error::new(
                    io::ErrorKind::PermissionDenied,
                    "the file is read-only",
                ));
            }
            (target, Some(permissions))
        }
        Err(err) if err.kind() == io::ErrorKind::NotFound => (path.to_path_buf(), None),
        Err(err) => return Err(err),
    };
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut file = tempfile::Builder::new()
        .prefix(".ipcheck-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    // The temporary file is private to its owner; keep the replaced file's
    // permissions.
    if let Some(permissions) = permissions {
        file.as_file().set_permissions(permissions)?;
    }
    file.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

/// Appends `bytes` to `path` (created if missing) by writing the whole new
/// content atomically.
pub fn append_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut content = match std::fs::read(path) {
        Ok(content) => content,
        Err(err) if err.kind() == io::ErrorKind::NotFound => Vec::new(),
        Err(err) => return Err(err),
    };
    // A blank line keeps what was there and what is added apart (two
    // Markdown documents, two logs).
    if !content.is_empty() {
        if !content.ends_with(b"\n") {
            content.push(b'\n');
        }
        content.push(b'\n');
    }
    content.extend_from_slice(bytes);
    write_atomic(path, &content)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appends_and_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("summary.md");
        append_atomic(&path, b"one\n").unwrap();
        append_atomic(&path, b"two\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "one\n\ntwo\n");
        write_atomic(&path, b"three").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "three");
        // No temporary file is left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
