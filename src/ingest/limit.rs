//! Limits on decompressed input, against decompression bombs: a few kilobytes of zstd or xz can
//! expand to terabytes. Nothing is held in memory beyond one record, so a bomb cannot exhaust
//! memory; these limits stop it from burning hours of CPU, with an error that says which limit
//! was reached ([`Limit`]).
//!
//! Two limits apply to every compressed input (plain files are not limited): an absolute one
//! on the decompressed bytes (`ReadOptions::max_input_bytes`), and one on the ratio of
//! decompressed to compressed bytes read so far (`ReadOptions::max_ratio`), checked once more
//! than [`RATIO_GRACE`] bytes have come out. Real dumps stay far below a ratio of 1000 (the
//! figures are in `docs/reference.md`).

use std::io::{BufRead, Read};

use crate::error::Limit;
use crate::progress::Meter;

/// Decompressed bytes that may come out before the ratio is checked, so that small, very
/// compressible inputs (a test file of one repeated line) are never refused for their ratio.
pub const RATIO_GRACE: u64 = 64 << 20;

/// An input as stored (compressed or not) that counts the bytes taken from it, for the ratio
/// limit and for progress.
pub(crate) struct Counting<R> {
    inner: R,
    taken: Meter,
}

impl<R> Counting<R> {
    /// Wraps `inner`; `taken` receives the count.
    pub(crate) fn new(inner: R, taken: Meter) -> Self {
        Counting { inner, taken }
    }
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.taken.add(n as u64);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counting<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        self.taken.add(amount as u64);
        self.inner.consume(amount);
    }
}

/// A decoder's output, refused (with a [`Limit`] inside an I/O error, every time
/// it is read from then on) once it passes either limit.
pub(crate) struct Limited<R> {
    inner: R,
    taken: Meter,
    out: u64,
    max_bytes: u64,
    max_ratio: u64,
    exceeded: Option<Limit>,
}

impl<R> Limited<R> {
    /// Limits `inner`, whose compressed input is counted in `taken`.
    pub(crate) fn new(inner: R, taken: Meter, max_bytes: u64, max_ratio: u64) -> Self {
        Limited { inner, taken, out: 0, max_bytes, max_ratio, exceeded: None }
    }
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if let Some(limit) = &self.exceeded {
            return Err(std::io::Error::other(limit.clone()));
        }
        let n = self.inner.read(buf)?;
        self.out += n as u64;
        let taken = self.taken.read();
        let exceeded = if self.out > self.max_bytes {
            Some(Limit::Bytes { limit: self.max_bytes })
        } else if self.out > RATIO_GRACE && self.out > taken.saturating_mul(self.max_ratio) {
            Some(Limit::Ratio { out: self.out, compressed: taken, limit: self.max_ratio })
        } else {
            None
        };
        match exceeded {
            Some(limit) => {
                self.exceeded = Some(limit.clone());
                Err(std::io::Error::other(limit))
            }
            None => Ok(n),
        }
    }
}
