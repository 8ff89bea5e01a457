//! Opening inputs that may be compressed. The compression is recognised by magic bytes, not by
//! the file name: zstd (with the 2^27 long-distance window the crates.io dumps use), xz and gzip;
//! anything else is read as is. [`read_ahead`] moves the decompression onto a thread of its
//! own, a few megabytes ahead of the parser. Decompressed output is limited (`limit.rs`).

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::sync::mpsc;

use super::limit::{Counting, Limited};
use super::ReadOptions;
use crate::error::{Error, Result};
use crate::progress::Meter;

const ZSTD: &[u8] = &[0x28, 0xb5, 0x2f, 0xfd];
const XZ: &[u8] = &[0xfd, b'7', b'z', b'X', b'Z', 0x00];
const GZIP: &[u8] = &[0x1f, 0x8b];

/// Decompressed bytes to read, whatever their origin (a file, memory, a tar member), with the
/// [`Meter`] of the bytes taken from the input as stored: a file's bytes read from disk, out of
/// its size.
pub struct Stream {
    reader: Box<dyn BufRead + Send>,
    meter: Meter,
}

impl Stream {
    /// Reads `reader` as it is (not decompressed), of an unknown size.
    pub fn new(reader: impl BufRead + Send + 'static) -> Stream {
        Stream::metered(reader, Meter::new(None))
    }

    /// Reads `raw`, counting what is taken from it in `meter`.
    fn metered(raw: impl BufRead + Send + 'static, meter: Meter) -> Stream {
        Stream { reader: Box::new(Counting::new(raw, meter.clone())), meter }
    }

    /// How much of the input as stored has been read.
    pub fn meter(&self) -> &Meter {
        &self.meter
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.reader.read(buf)
    }
}

impl BufRead for Stream {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.reader.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        self.reader.consume(amount)
    }
}

/// Opens `path` for buffered reading, decompressing it if it starts with a known magic, under
/// the limits of `opts`. Its meter counts the bytes read from disk, out of the file's size.
pub fn open(path: &Path, opts: &ReadOptions) -> Result<Stream> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let size = file.metadata().ok().filter(|m| m.is_file()).map(|m| m.len());
    decompressed(Stream::metered(BufReader::with_capacity(1 << 20, file), Meter::new(size)), path, opts)
}

/// Reads `bytes` in memory as a file holding them would be read; `at` names them in errors.
pub(crate) fn in_memory(bytes: std::borrow::Cow<'static, [u8]>, at: &Path, opts: &ReadOptions) -> Result<Stream> {
    let meter = Meter::new(Some(bytes.len() as u64));
    decompressed(Stream::metered(std::io::Cursor::new(bytes), meter), at, opts)
}

/// Decompresses `raw` if it starts with a known magic, under the limits of `opts`; `at` names
/// it in errors. The result keeps `raw`'s meter.
fn decompressed(mut raw: Stream, at: &Path, opts: &ReadOptions) -> Result<Stream> {
    let head = raw.fill_buf().map_err(|e| Error::io(at, e))?;
    let Some(kind) = [ZSTD, XZ, GZIP].into_iter().position(|magic| head.starts_with(magic)) else {
        return Ok(raw);
    };
    let meter = raw.meter.clone();
    let inner: Box<dyn Read + Send> = match kind {
        0 => {
            let mut decoder = zstd::Decoder::with_buffer(raw).map_err(|e| Error::io(at, e))?;
            decoder.window_log_max(31).map_err(|e| Error::io(at, e))?;
            Box::new(decoder)
        }
        1 => Box::new(xz2::bufread::XzDecoder::new_multi_decoder(raw)),
        _ => Box::new(flate2::bufread::MultiGzDecoder::new(raw)),
    };
    let limited = Limited::new(inner, meter.clone(), opts.max_input_bytes, opts.max_ratio);
    Ok(Stream { reader: Box::new(BufReader::with_capacity(1 << 20, limited)), meter })
}

/// Reads `reader` on a thread of its own, up to 4 MiB ahead of the caller, so that
/// decompression overlaps with parsing.
pub(crate) fn read_ahead(reader: Stream) -> Stream {
    let meter = reader.meter.clone();
    Stream { reader: Box::new(BufReader::with_capacity(1 << 20, ReadAhead::spawn(reader))), meter }
}

/// A reader fed by a thread that reads `inner` ahead in 1 MiB chunks.
struct ReadAhead {
    chunks: mpsc::Receiver<std::io::Result<Vec<u8>>>,
    chunk: Vec<u8>,
    pos: usize,
}

impl ReadAhead {
    fn spawn(mut inner: Stream) -> ReadAhead {
        let (tx, rx) = mpsc::sync_channel(4);
        std::thread::spawn(move || loop {
            let mut chunk = vec![0u8; 1 << 20];
            let mut filled = 0;
            let result = loop {
                match inner.read(&mut chunk[filled..]) {
                    Ok(0) => break Ok(()),
                    Ok(n) => {
                        filled += n;
                        if filled == chunk.len() {
                            break Ok(());
                        }
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => break Err(e),
                }
            };
            chunk.truncate(filled);
            let end = filled == 0 || result.is_err();
            let message = result.map(|()| chunk);
            if (filled > 0 || message.is_err()) && tx.send(message).is_err() || end {
                return;
            }
        });
        ReadAhead { chunks: rx, chunk: Vec::new(), pos: 0 }
    }
}

impl Read for ReadAhead {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.pos == self.chunk.len() {
            match self.chunks.recv() {
                Ok(chunk) => (self.chunk, self.pos) = (chunk?, 0),
                Err(mpsc::RecvError) => return Ok(0),
            }
        }
        let n = out.len().min(self.chunk.len() - self.pos);
        out[..n].copy_from_slice(&self.chunk[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}
