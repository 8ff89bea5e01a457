//! Atomic file writes: a file is written beside its target and renamed into place when
//! complete, so that an interrupted or failed run leaves the old file or none, never half a
//! file. Snapshots and every output go through [`write_atomic`].

use std::io::{BufWriter, Write};
use std::path::Path;

use crate::error::{Error, Result};

/// Writes a file through `write` into a temporary file beside `path`, then renames it into
/// place. If `write` fails, `path` is left untouched.
pub fn write_atomic(path: &Path, write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".keystone-").suffix(".tmp");
    // The mode a plain creation gives under the umask, or that of the file being replaced.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_or(0o666, |m| m.permissions().mode() & 0o7777);
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    let tmp = builder.tempfile_in(dir).map_err(|e| Error::io(path, e))?;
    let mut out = BufWriter::with_capacity(1 << 20, tmp);
    write(&mut out).and_then(|()| out.flush()).map_err(|e| Error::io(path, e))?;
    let tmp = out.into_inner().map_err(|e| Error::io(path, e.into_error()))?;
    tmp.as_file().sync_all().map_err(|e| Error::io(path, e))?;
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}
