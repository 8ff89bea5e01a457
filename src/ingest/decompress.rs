//! Opening inputs that may be compressed. The compression is recognised by magic bytes, not by
//! the file name: zstd (with the 2^27 long-distance window the crates.io dumps use), xz and gzip;
//! anything else is read as is.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use crate::error::{Error, Result};

const ZSTD: &[u8] = &[0x28, 0xb5, 0x2f, 0xfd];
const XZ: &[u8] = &[0xfd, b'7', b'z', b'X', b'Z', 0x00];
const GZIP: &[u8] = &[0x1f, 0x8b];

/// Opens `path` for buffered reading, decompressing it if it starts with a known magic.
pub fn open(path: &Path) -> Result<Box<dyn BufRead + Send>> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    wrap(BufReader::with_capacity(1 << 20, file), path)
}

/// Decompresses `raw` if it starts with a known magic; `path` names it in errors.
pub fn wrap(mut raw: impl BufRead + Send + 'static, path: &Path) -> Result<Box<dyn BufRead + Send>> {
    let head = raw.fill_buf().map_err(|e| Error::io(path, e))?;
    let inner: Box<dyn Read + Send> = if head.starts_with(ZSTD) {
        let mut decoder = zstd::Decoder::with_buffer(raw).map_err(|e| Error::io(path, e))?;
        decoder.window_log_max(31).map_err(|e| Error::io(path, e))?;
        Box::new(decoder)
    } else if head.starts_with(XZ) {
        Box::new(xz2::bufread::XzDecoder::new_multi_decoder(raw))
    } else if head.starts_with(GZIP) {
        Box::new(flate2::bufread::MultiGzDecoder::new(raw))
    } else {
        return Ok(Box::new(raw));
    };
    Ok(Box::new(BufReader::with_capacity(1 << 20, inner)))
}
