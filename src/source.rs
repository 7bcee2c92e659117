//! Source files: reading them (bytes to checked UTF-8), naming them, and
//! finding the policies under a path.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::{Code, Diagnostic};
use crate::span::{FileId, Span};
use crate::syntax::lines::LineIndex;

/// Largest file ipcheck reads; anything bigger is refused with a message.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// One source file, held whole.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The name shown in reports (the path as given, with `/` separators).
    pub name: String,
    pub path: PathBuf,
    pub text: Arc<str>,
    pub lines: LineIndex,
    /// The 0-based line of the real file where `text` starts: non-zero for
    /// one line of a streamed NDJSON file held on its own.
    pub first_line: u32,
}

/// The files of one policy, in source order.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    pub files: Vec<SourceFile>,
}

impl SourceMap {
    /// Adds a file from text already in memory.
    pub fn add(
        &mut self,
        name: impl Into<String>,
        path: PathBuf,
        text: impl Into<Arc<str>>,
    ) -> FileId {
        self.add_at_line(name, path, text, 0)
    }

    /// Adds text that starts at a 0-based line of its file (one line of a
    /// streamed file), so that reports give the line in the whole file.
    pub fn add_at_line(
        &mut self,
        name: impl Into<String>,
        path: PathBuf,
        text: impl Into<Arc<str>>,
        first_line: u32,
    ) -> FileId {
        let text = text.into();
        let id = FileId(self.files.len() as u32);
        self.files.push(SourceFile {
            name: name.into(),
            path,
            lines: LineIndex::new(&text),
            text,
            first_line,
        });
        id
    }

    /// Adds a file from raw bytes. Invalid UTF-8 is kept (lossily, for
    /// display) and reported as a diagnostic naming the byte offset.
    pub fn add_bytes(
        &mut self,
        name: impl Into<String>,
        path: PathBuf,
        bytes: Vec<u8>,
    ) -> (FileId, Option<Diagnostic>) {
        match String::from_utf8(bytes) {
            Ok(text) => (self.add(name, path, text), None),
            Err(err) => {
                let at = err.utf8_error().valid_up_to();
                let text = String::from_utf8_lossy(err.as_bytes()).into_owned();
                let id = self.add(name, path, text);
                let diag = Diagnostic::new(
                    Code::InvalidUtf8,
                    id,
                    Span::new(at, at + 1),
                    format!("the file is not valid UTF-8: invalid byte at offset {at}"),
                )
                .with_label("invalid UTF-8 here")
                .with_help("save the file as UTF-8");
                (id, Some(diag))
            }
        }
    }

    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    pub fn ids(&self) -> impl Iterator<Item = FileId> + '_ {
        (0..self.files.len()).map(|i| FileId(i as u32))
    }
}

/// Why a path could not be read at all (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read `{path}`: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("`{path}` is {size} bytes; ipcheck reads files up to 256 MiB")]
    TooLarge { path: String, size: u64 },
    #[error("no `.ipl` files in `{path}`")]
    NoPolicy { path: String },
    #[error(
        "`{path}` leads outside the repository (to `{target}`); ipcheck reads nothing outside it"
    )]
    Outside { path: String, target: String },
}

/// Reads a file as bytes, refusing huge ones.
pub fn read_file(path: &Path) -> Result<Vec<u8>, LoadError> {
    let shown = display(path);
    let meta = std::fs::metadata(path).map_err(|source| LoadError::Io {
        path: shown.clone(),
        source,
    })?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge {
            path: shown,
            size: meta.len(),
        });
    }
    std::fs::read(path).map_err(|source| LoadError::Io {
        path: shown,
        source,
    })
}

/// Reads a file of the repository whose top is `root`, refusing one that
/// resolves (through symbolic links) to a place outside it.
pub fn read_inside(path: &Path, root: &Path) -> Result<Vec<u8>, LoadError> {
    check_inside(path, root)?;
    read_file(path)
}

/// Refuses a path that resolves outside `root`.
pub fn check_inside(path: &Path, root: &Path) -> Result<(), LoadError> {
    let io = |source| LoadError::Io {
        path: display(path),
        source,
    };
    let real = std::fs::canonicalize(path).map_err(io)?;
    let root = std::fs::canonicalize(root).map_err(io)?;
    if real.starts_with(&root) {
        Ok(())
    } else {
        Err(LoadError::Outside {
            path: display(path),
            target: display(&real),
        })
    }
}

/// Something a walk did not look into, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The path as walked (a symbolic link, a directory).
    pub path: PathBuf,
    pub reason: SkipReason,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// A symbolic link leading outside the repository (not followed).
    LinkOutside { target: PathBuf },
    /// A symbolic link to nothing.
    BrokenLink,
    /// A directory that leads back to one of its ancestors.
    Loop { ancestor: PathBuf },
}

/// What a walk found: files and directories (not the start), in order.
#[derive(Debug, Clone, Default)]
pub struct Walk {
    pub entries: Vec<(PathBuf, bool)>,
    pub skipped: Vec<Skipped>,
}

/// Walks `path` at any depth. Symbolic links are followed when they stay
/// inside `root` (a link to a directory already under `path` is not: its
/// files are found at their own place); a link that leaves the root, a
/// broken link and a directory loop are skipped and said. An unreadable
/// directory is an error.
pub fn walk(path: &Path, root: &Path) -> Result<Walk, LoadError> {
    let shown = display(path);
    let root_real = std::fs::canonicalize(root).map_err(|source| LoadError::Io {
        path: display(root),
        source,
    })?;
    let start_real = std::fs::canonicalize(path).map_err(|source| LoadError::Io {
        path: shown.clone(),
        source,
    })?;
    let mut found = Walk::default();
    let mut it = walkdir::WalkDir::new(path)
        .follow_links(true)
        .sort_by_file_name()
        .min_depth(1)
        .into_iter();
    while let Some(entry) = it.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let at = err.path().map(Path::to_path_buf).unwrap_or_default();
                if let Some(ancestor) = err.loop_ancestor() {
                    // A link to an ancestor outside the repository leaves
                    // it before it loops.
                    let reason = match std::fs::canonicalize(&at) {
                        Ok(target) if !target.starts_with(&root_real) => {
                            SkipReason::LinkOutside { target }
                        }
                        _ => SkipReason::Loop {
                            ancestor: ancestor.to_path_buf(),
                        },
                    };
                    found.skipped.push(Skipped { path: at, reason });
                    continue;
                }
                let is_link =
                    std::fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink());
                if is_link && std::fs::metadata(&at).is_err() {
                    found.skipped.push(Skipped {
                        path: at,
                        reason: SkipReason::BrokenLink,
                    });
                    continue;
                }
                return Err(LoadError::Io {
                    path: err.path().map_or(shown.clone(), display),
                    source: err
                        .into_io_error()
                        .unwrap_or_else(|| std::io::Error::other("file system loop")),
                });
            }
        };
        let is_dir = entry.file_type().is_dir();
        if entry.path_is_symlink() {
            let Ok(target) = std::fs::canonicalize(entry.path()) else {
                found.skipped.push(Skipped {
                    path: entry.path().to_path_buf(),
                    reason: SkipReason::BrokenLink,
                });
                continue;
            };
            if !target.starts_with(&root_real) {
                if is_dir {
                    it.skip_current_dir();
                }
                found.skipped.push(Skipped {
                    path: entry.path().to_path_buf(),
                    reason: SkipReason::LinkOutside { target },
                });
                continue;
            }
            if is_dir && target.starts_with(&start_real) {
                it.skip_current_dir();
                continue;
            }
        }
        found.entries.push((entry.path().to_path_buf(), is_dir));
    }
    Ok(found)
}

/// The policies under `path`: a file is one policy; a directory holding
/// `.ipl` files is one policy of all of them (sorted by path); a directory
/// holding none is searched for such directories, at any depth.
pub fn discover(path: &Path) -> Result<Vec<Vec<PathBuf>>, LoadError> {
    let root = crate::report::paths::git_root(path).unwrap_or_else(|| path.to_path_buf());
    Ok(discover_in(path, &root)?.0)
}

/// [`discover`] inside the repository `root`, with what the walk skipped.
pub fn discover_in(
    path: &Path,
    root: &Path,
) -> Result<(Vec<Vec<PathBuf>>, Vec<Skipped>), LoadError> {
    let shown = display(path);
    let meta = std::fs::metadata(path).map_err(|source| LoadError::Io {
        path: shown.clone(),
        source,
    })?;
    if meta.is_file() {
        return Ok((vec![vec![path.to_path_buf()]], Vec::new()));
    }
    let walked = walk(path, root)?;
    // One policy per directory, in the order directories are first met
    // (a directory's files may come before and after its subdirectories).
    let mut policies: Vec<Vec<PathBuf>> = Vec::new();
    let mut index: std::collections::HashMap<PathBuf, usize> = std::collections::HashMap::new();
    for (file, is_dir) in walked.entries {
        if is_dir || file.extension().is_none_or(|e| e != "ipl") {
            continue;
        }
        let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
        match index.get(&dir) {
            Some(&i) => policies[i].push(file),
            None => {
                index.insert(dir, policies.len());
                policies.push(vec![file]);
            }
        }
    }
    if policies.is_empty() {
        return Err(LoadError::NoPolicy { path: shown });
    }
    Ok((policies, walked.skipped))
}

/// A path as shown in reports: relative as given, `/`-separated.
pub fn display(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").map(str::to_string).unwrap_or(text)
}
