//! Writing a finished report to a file: whole (atomically, through
//! [`crate::write`]), with the permissions a new file gets from the umask
//! (not the private mode of a temporary file), and never leaving an older
//! report in place when a run ends without one.

use std::io;
use std::path::Path;

/// Writes `bytes` to `path` atomically; a file that did not exist gets
/// the mode the umask gives new files (usually 0644).
pub fn write_report(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let existed = std::fs::symlink_metadata(path).is_ok();
    crate::write::write_atomic(path, bytes)?;
    if !existed {
        umask_mode(path)?;
    }
    Ok(())
}

/// Appends `bytes` to `path` (a job summary), atomically; a new file gets
/// the umask's mode.
pub fn append_report(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let existed = std::fs::symlink_metadata(path).is_ok();
    crate::write::append_atomic(path, bytes)?;
    if !existed {
        umask_mode(path)?;
    }
    Ok(())
}

/// Removes an earlier report at `path` after a run that produced none, so
/// that it cannot be taken for this run's. Only a regular file is
/// removed; `Ok(true)` when one was.
pub fn remove_stale(path: &Path) -> io::Result<bool> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_file() => {
            std::fs::remove_file(path)?;
            Ok(true)
        }
        Ok(_) => Ok(false),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(err) => Err(err),
    }
}

/// Gives a newly created `path` the permissions `0666` less the umask:
/// learnt by creating a probe file beside it, as any program's new file
/// would be created.
#[cfg(unix)]
fn umask_mode(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let target = std::fs::canonicalize(path)?;
    if !std::fs::metadata(&target)?.file_type().is_file() {
        return Ok(());
    }
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let mut probe = None;
    for n in 0..16u32 {
        let candidate = dir.join(format!(".ipcheck-mode-{}-{n}.tmp", std::process::id()));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o666)
            .open(&candidate)
        {
            Ok(file) => {
                probe = Some((candidate, file));
                break;
            }
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(err) => return Err(err),
        }
    }
    let Some((candidate, file)) = probe else {
        return Ok(());
    };
    let mode = file.metadata().map(|m| m.permissions().mode() & 0o777);
    drop(file);
    let _ = std::fs::remove_file(&candidate);
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(mode?))
}

#[cfg(not(unix))]
fn umask_mode(_path: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn new_reports_get_the_umask_mode_and_old_ones_keep_theirs() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let new = dir.path().join("new.json");
        write_report(&new, b"{}").unwrap();
        let mode = std::fs::metadata(&new).unwrap().permissions().mode() & 0o777;
        // Whatever the umask, a new report is readable by its owner and
        // no longer the temporary file's 0600 unless the umask says so.
        let probe = dir.path().join("probe");
        std::fs::write(&probe, b"").unwrap();
        let expected = std::fs::metadata(&probe).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, expected);
        let old = dir.path().join("old.json");
        std::fs::write(&old, b"").unwrap();
        std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_report(&old, b"{}").unwrap();
        let mode = std::fs::metadata(&old).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        // No probe or temporary file is left.
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            names.iter().all(|n| !n.starts_with(".ipcheck")),
            "{names:?}"
        );
    }

    #[test]
    fn only_regular_files_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("report.sarif");
        std::fs::write(&file, b"old").unwrap();
        assert!(remove_stale(&file).unwrap());
        assert!(!file.exists());
        assert!(!remove_stale(&file).unwrap());
        assert!(!remove_stale(dir.path()).unwrap());
    }
}
