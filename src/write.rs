//! Writing reports (`--output`, the job summary) and formatted files.
//!
//! - A regular file, or a path where nothing is yet, is written atomically:
//!   a temporary file in the same directory, renamed over the target, so
//!   that a reader never sees half a report. A new file gets the mode the
//!   umask gives (as the shell's `>` would); a replaced file keeps its
//!   mode, owner and group (`fmt` run as root does not hand a user's file
//!   to root). A symbolic link is followed, not replaced.
//! - A FIFO or a character device (a terminal, `/dev/null`, `/dev/stdout`
//!   when it is one) is written straight through: renaming over it would
//!   put a regular file in its place.
//! - Anything else (a directory, a socket, a block device, a symbolic
//!   link to nothing), a read-only file and a file with several hard links
//!   (replacing it would detach the other names) are refused with an error
//!   that says why.
//!
//! Temporaries are named `.ipcheck-PID-NONCE.tmp`. A run killed between
//! creating and renaming one leaves it behind; the next write into that
//! directory removes those whose process is gone (and those of the older
//! `.ipcheck-XXXXXX.tmp` naming once an hour old).

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Where bytes go, by what is at the path.
#[derive(Debug)]
enum Destination {
    /// Nothing yet: created atomically with the umask's mode.
    New(PathBuf),
    /// A regular file (a symbolic link resolved): replaced atomically.
    Regular(PathBuf, fs::Metadata),
    /// A FIFO or a character device: written straight through.
    Stream,
}

/// Writes `bytes` to `path` as the module documentation says: atomically
/// over a regular file or a new path, straight through into a FIFO or a
/// character device, refused otherwise.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    match destination(path)? {
        Destination::Stream => write_through(path, bytes, false),
        Destination::New(target) => replace(&target, None, bytes),
        Destination::Regular(target, meta) => replace(&target, Some(&meta), bytes),
    }
}

/// Appends `bytes` to `path` (created if missing): the whole new content
/// written atomically, or the bytes written straight through into a FIFO or
/// a character device.
pub fn append_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let (target, meta) = match destination(path)? {
        Destination::Stream => return write_through(path, bytes, true),
        Destination::New(target) => return replace(&target, None, bytes),
        Destination::Regular(target, meta) => (target, meta),
    };
    let mut content = fs::read(&target)?;
    // A blank line keeps what was there and what is added apart (two
    // Markdown documents, two logs).
    if !content.is_empty() {
        if !content.ends_with(b"\n") {
            content.push(b'\n');
        }
        content.push(b'\n');
    }
    content.extend_from_slice(bytes);
    replace(&target, Some(&meta), &content)
}

fn refused(path: &Path, why: impl std::fmt::Display) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("`{}` {why}", crate::source::display(path)),
    )
}

const WRITABLE: &str = "ipcheck writes only to a regular file (replaced atomically), a new file, a FIFO or a character device";

fn destination(path: &Path) -> io::Result<Destination> {
    let meta = match fs::metadata(path) {
        Ok(meta) => meta,
        Err(err) if err.kind() == io::ErrorKind::NotFound => {
            if fs::symlink_metadata(path).is_ok() {
                return Err(refused(
                    path,
                    "is a symbolic link to a file that does not exist; write to the link's target instead",
                ));
            }
            return Ok(Destination::New(path.to_path_buf()));
        }
        Err(err) => return Err(err),
    };
    let kind = meta.file_type();
    if kind.is_file() {
        if meta.permissions().readonly() {
            return Err(refused(path, "is read-only"));
        }
        links_ok(path, &meta)?;
        return Ok(Destination::Regular(fs::canonicalize(path)?, meta));
    }
    if is_stream(&kind) {
        return Ok(Destination::Stream);
    }
    Err(refused(
        path,
        format!("is {}: {WRITABLE}", kind_name(&kind)),
    ))
}

#[cfg(unix)]
fn is_stream(kind: &fs::FileType) -> bool {
    use std::os::unix::fs::FileTypeExt;
    kind.is_fifo() || kind.is_char_device()
}

#[cfg(not(unix))]
fn is_stream(_: &fs::FileType) -> bool {
    false
}

#[cfg(unix)]
fn kind_name(kind: &fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_dir() {
        "a directory"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_block_device() {
        "a block device"
    } else {
        "not a regular file"
    }
}

#[cfg(not(unix))]
fn kind_name(kind: &fs::FileType) -> &'static str {
    if kind.is_dir() {
        "a directory"
    } else {
        "not a regular file"
    }
}

/// A file with several hard links is refused: the rename would leave the
/// other names on the old content.
#[cfg(unix)]
fn links_ok(path: &Path, meta: &fs::Metadata) -> io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let links = meta.nlink();
    if links > 1 {
        return Err(refused(
            path,
            format!(
                "has {links} hard links: replacing it would leave the other names on the old \
                 content; make it a file of its own (`cp` it over itself from a copy) or edit it by hand"
            ),
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
fn links_ok(_: &Path, _: &fs::Metadata) -> io::Result<()> {
    Ok(())
}

/// Writes into a FIFO or a device as it is, without truncating or
/// replacing it.
fn write_through(path: &Path, bytes: &[u8], append: bool) -> io::Result<()> {
    let mut file = OpenOptions::new().write(true).append(append).open(path)?;
    file.write_all(bytes)?;
    file.flush()
}

/// A temporary file removed on drop unless it was renamed.
struct Temporary {
    path: PathBuf,
    done: bool,
}

impl Drop for Temporary {
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// Writes `bytes` to a temporary file beside `target` and renames it over
/// `target`, keeping the mode, owner and group of `original` when it is
/// given.
fn replace(target: &Path, original: Option<&fs::Metadata>, bytes: &[u8]) -> io::Result<()> {
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    clean_stale_once(dir);
    let (path, mut file) = create_temporary(dir)?;
    let mut temporary = Temporary { path, done: false };
    file.write_all(bytes)?;
    if let Some(original) = original {
        keep_owner(target, &file, original)?;
        file.set_permissions(original.permissions())?;
    }
    file.sync_all()?;
    drop(file);
    fs::rename(&temporary.path, target)?;
    temporary.done = true;
    // The rename itself reaches the disk with the directory.
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// Gives the temporary file the replaced file's owner and group; when that
/// is not allowed (not root, another user's file), refuses rather than
/// change the file's owner.
#[cfg(unix)]
fn keep_owner(target: &Path, file: &File, original: &fs::Metadata) -> io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let mine = file.metadata()?;
    if mine.uid() == original.uid() && mine.gid() == original.gid() {
        return Ok(());
    }
    std::os::unix::fs::fchown(file, Some(original.uid()), Some(original.gid())).map_err(|err| {
        refused(
            target,
            format!(
                "belongs to user {} and group {}, which this user cannot give a new file ({err}); \
                 run as its owner",
                original.uid(),
                original.gid()
            ),
        )
    })
}

#[cfg(not(unix))]
fn keep_owner(_: &Path, _: &File, _: &fs::Metadata) -> io::Result<()> {
    Ok(())
}

/// A new temporary file in `dir`, with the mode the umask gives.
fn create_temporary(dir: &Path) -> io::Result<(PathBuf, File)> {
    let pid = std::process::id();
    let mut last = None;
    for attempt in 0..64u64 {
        let path = dir.join(format!(".ipcheck-{pid}-{:016x}.tmp", nonce(attempt)));
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(file) => return Ok((path, file)),
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists => last = Some(err),
            Err(err) => return Err(err),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::other("no free temporary name")))
}

fn nonce(attempt: u64) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(attempt);
    if let Ok(now) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        hasher.write_u128(now.as_nanos());
    }
    hasher.finish()
}

/// Removes stale temporaries from `dir`, once per directory and process.
fn clean_stale_once(dir: &Path) {
    use std::sync::{Mutex, OnceLock};
    static CLEANED: OnceLock<Mutex<std::collections::HashSet<PathBuf>>> = OnceLock::new();
    let key = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let first = CLEANED
        .get_or_init(Default::default)
        .lock()
        .map(|mut set| set.insert(key))
        .unwrap_or(false);
    if first {
        clean_stale(dir);
    }
}

/// How old a temporary of the older naming (no process id) must be to be
/// removed.
const STALE_AGE: std::time::Duration = std::time::Duration::from_secs(3600);

/// Removes the temporaries of ipcheck's own naming whose writer is gone.
pub fn clean_stale(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            continue;
        };
        let stale = match temporary_owner(name) {
            Some(Owner::Process(pid)) => pid != std::process::id() && !process_alive(pid),
            Some(Owner::Unknown) => entry
                .metadata()
                .ok()
                .and_then(|m| m.modified().ok())
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age >= STALE_AGE),
            None => false,
        };
        // Only regular files: never a link or a directory of that name.
        if stale && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Owner {
    Process(u32),
    /// The older naming `.ipcheck-XXXXXX.tmp` (six letters and digits).
    Unknown,
}

/// Whose temporary a file name is, if it is one of ipcheck's.
fn temporary_owner(name: &str) -> Option<Owner> {
    let middle = name.strip_prefix(".ipcheck-")?.strip_suffix(".tmp")?;
    if let Some((pid, nonce)) = middle.split_once('-') {
        let pid_ok = !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit());
        let nonce_ok = nonce.len() == 16 && nonce.bytes().all(|b| b.is_ascii_hexdigit());
        return (pid_ok && nonce_ok)
            .then(|| pid.parse().ok().map(Owner::Process))
            .flatten();
    }
    (middle.len() == 6 && middle.bytes().all(|b| b.is_ascii_alphanumeric()))
        .then_some(Owner::Unknown)
}

/// Whether a process runs; without `/proc`, every process is taken to
/// run (its temporaries are then left alone).
fn process_alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return true;
    }
    proc.join(pid.to_string()).exists()
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
        assert_eq!(fs::read_to_string(&path).unwrap(), "one\n\ntwo\n");
        write_atomic(&path, b"three").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "three");
        // No temporary file is left behind.
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn temporary_names() {
        assert_eq!(
            temporary_owner(".ipcheck-123-00000000deadbeef.tmp"),
            Some(Owner::Process(123))
        );
        assert_eq!(temporary_owner(".ipcheck-a1B2c3.tmp"), Some(Owner::Unknown));
        assert_eq!(temporary_owner(".ipcheck-123-xyz.tmp"), None);
        assert_eq!(temporary_owner(".ipcheck-.tmp"), None);
        assert_eq!(temporary_owner("ipcheck-123-00000000deadbeef.tmp"), None);
        assert_eq!(temporary_owner(".ipcheck-notes.tmp.txt"), None);
    }

    #[cfg(unix)]
    #[test]
    fn a_new_file_gets_the_umask_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let probe = dir.path().join("probe");
        File::create(&probe).unwrap();
        let expected = fs::metadata(&probe).unwrap().permissions().mode() & 0o777;
        let path = dir.path().join("report.json");
        write_atomic(&path, b"{}").unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, expected);
    }

    #[test]
    fn a_directory_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let err = write_atomic(dir.path(), b"x").unwrap_err();
        assert!(err.to_string().contains("is a directory"), "{err}");
    }
}
