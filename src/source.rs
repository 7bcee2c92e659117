//! Source files: reading them (bytes to checked UTF-8), naming them, and
//! finding the policies under a path.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::Diagnostic;
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
                let diag = Diagnostic::error(
                    "ipl::syntax::invalid_utf8",
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

/// The policies under `path`: a file is one policy; a directory holding
/// `.ipl` files is one policy of all of them (sorted by path); a directory
/// holding none is searched for such directories.
pub fn discover(path: &Path) -> Result<Vec<Vec<PathBuf>>, LoadError> {
    let shown = display(path);
    let meta = std::fs::metadata(path).map_err(|source| LoadError::Io {
        path: shown.clone(),
        source,
    })?;
    if meta.is_file() {
        return Ok(vec![vec![path.to_path_buf()]]);
    }
    let mut policies: Vec<Vec<PathBuf>> = Vec::new();
    let walker = walkdir::WalkDir::new(path)
        .follow_links(false)
        .sort_by_file_name()
        .max_depth(16);
    for entry in walker {
        let entry = entry.map_err(|e| LoadError::Io {
            path: e.path().map_or(shown.clone(), display),
            source: e
                .into_io_error()
                .unwrap_or_else(|| std::io::Error::other("file system loop")),
        })?;
        if !entry.file_type().is_file() || entry.path().extension().is_none_or(|e| e != "ipl") {
            continue;
        }
        let dir = entry.path().parent().map(Path::to_path_buf);
        match policies.last_mut() {
            Some(last) if last.first().and_then(|f| f.parent()).map(Path::to_path_buf) == dir => {
                last.push(entry.path().to_path_buf())
            }
            _ => policies.push(vec![entry.path().to_path_buf()]),
        }
    }
    if policies.is_empty() {
        return Err(LoadError::NoPolicy { path: shown });
    }
    Ok(policies)
}

/// A path as shown in reports: relative as given, `/`-separated.
pub fn display(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").map(str::to_string).unwrap_or(text)
}
