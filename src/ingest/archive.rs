//! Archives: the members of a folder or of a tar stream, walked the same way for every format
//! that ships as one (the crates.io db-dump, pypi-deps-db). A tar stream is read once, in
//! order, on a thread of its own a few megabytes ahead of the caller; a folder is listed
//! recursively and its files are visited in path order. Members are named in errors as
//! `archive:member`, or by their own path in a folder.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::{decompress, Stream};
use crate::error::{Error, Limit, Location, Result};
use crate::progress::Meter;

/// Where the members come from.
pub(crate) enum Archive<'a> {
    /// A folder on disk: its files, and the meter of the bytes of them read so far.
    Folder(&'a Path, Vec<(PathBuf, u64)>, Meter),
    /// A tar stream (already decompressed), read once; the path names it in errors.
    Tar(Stream, &'a Path),
}

impl<'a> Archive<'a> {
    /// The files of the folder `dir`.
    pub(crate) fn folder(dir: &'a Path) -> Result<Archive<'a>> {
        let files = files(dir)?;
        let meter = Meter::new(Some(files.iter().map(|(_, size)| size).sum()));
        Ok(Archive::Folder(dir, files, meter))
    }

    /// How much of the archive as stored has been read.
    pub(crate) fn meter(&self) -> Meter {
        match self {
            Archive::Folder(_, _, meter) => meter.clone(),
            Archive::Tar(stream, _) => stream.meter().clone(),
        }
    }

    /// Calls `each` with every member that `wanted` picks (giving it a key), as a reader, with
    /// its location and size. A tar stream is read in its order, a folder in path order.
    pub(crate) fn walk<K>(
        self,
        mut wanted: impl FnMut(&Path) -> Option<K>,
        mut each: impl FnMut(K, &mut dyn Read, Member) -> Result<()>,
    ) -> Result<()> {
        match self {
            Archive::Folder(dir, files, meter) => {
                for (relative, size) in files {
                    if let Some(key) = wanted(&relative) {
                        let at = dir.join(&relative);
                        let mut file = File::open(&at).map_err(|e| Error::io(&at, e))?;
                        each(key, &mut file, Member { at, size })?;
                    }
                    meter.add(size);
                }
                Ok(())
            }
            Archive::Tar(stream, path) => {
                let mut archive = tar::Archive::new(decompress::read_ahead(stream));
                for entry in archive.entries().map_err(|e| Error::io(path, e))? {
                    let mut entry = entry.map_err(|e| Error::io(path, e))?;
                    let name = entry.path().map_err(|e| Error::io(path, e))?.into_owned();
                    let Some(key) = wanted(&name) else { continue };
                    let at = PathBuf::from(format!("{}:{}", path.display(), name.display()));
                    let size = entry.size();
                    each(key, &mut entry, Member { at, size })?;
                }
                Ok(())
            }
        }
    }
}

/// A member's location (`archive:member`, or its path in a folder) and size in bytes.
pub(crate) struct Member {
    pub(crate) at: PathBuf,
    pub(crate) size: u64,
}

impl Member {
    /// Reads the whole member into memory, refusing one larger than `max_bytes`.
    pub(crate) fn read_all(&self, reader: &mut dyn Read, max_bytes: u64) -> Result<Vec<u8>> {
        if self.size > max_bytes {
            let limit = Limit::Record { what: "member", max_bytes };
            return Err(Error::Limit { at: Location::file(&self.at), limit });
        }
        let mut bytes = Vec::with_capacity(self.size as usize);
        reader.read_to_end(&mut bytes).map_err(|e| Error::io(&self.at, e))?;
        Ok(bytes)
    }
}

/// Every file below `dir` (dot-entries skipped) with its size, as a path relative to `dir`,
/// in path order.
pub(crate) fn files(dir: &Path) -> Result<Vec<(PathBuf, u64)>> {
    let mut files = Vec::new();
    list(dir, dir, &mut files)?;
    files.sort();
    Ok(files)
}

fn list(root: &Path, dir: &Path, out: &mut Vec<(PathBuf, u64)>) -> Result<()> {
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let meta = entry.metadata().map_err(|e| Error::io(&path, e))?;
        if meta.is_dir() {
            list(root, &path, out)?;
        } else {
            out.push((path.strip_prefix(root).unwrap_or(&path).to_path_buf(), meta.len()));
        }
    }
    Ok(())
}
