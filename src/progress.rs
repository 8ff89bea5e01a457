//! Progress reporting, passed into long-running library calls so the library never prints.
//! The CLI implements [`Progress`] with progress bars and per-phase timings; tests and library
//! users pass [`NoProgress`].
//!
//! Each phase says what it counts ([`Work`]), so that a display can show it in its own units:
//! bytes of an input as stored (read from disk, before decompression) against the file's size,
//! items of a named kind against their number, or nothing at all for a phase whose work cannot
//! be counted.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Receives the phases of a long computation and how far each has got.
///
/// Calls come in the order `phase`, any number of `advance`, then the next `phase` (or the end
/// of the call). Implementations must be cheap: `advance` may be called from several threads.
pub trait Progress: Sync {
    /// A new phase starts, counting `work`.
    fn phase(&self, name: &str, work: Work);
    /// `amount` more items of the current [`Work::Items`] phase are done (ignored otherwise).
    fn advance(&self, amount: u64);
}

/// What a phase counts.
#[derive(Debug, Clone)]
pub enum Work {
    /// Bytes of an input as stored, which a display reads from the [`Meter`] as it goes.
    Bytes(Meter),
    /// Items of a kind (`unit`, a plural noun such as `"packages"`), counted by
    /// [`Progress::advance`], out of `total` when it is known.
    Items {
        /// What is counted, as a plural noun.
        unit: &'static str,
        /// How many there are, if known.
        total: Option<u64>,
    },
    /// Nothing is counted: the phase runs, for as long as it takes.
    Unmeasured,
}

/// Bytes of an input read so far, shared between the reader that counts them (on whatever
/// thread reads the input) and a display that shows them. Clones share the count.
#[derive(Debug, Clone, Default)]
pub struct Meter {
    read: Arc<AtomicU64>,
    total: Option<u64>,
}

impl Meter {
    /// A meter at 0 of `total` bytes (unknown for a pipe).
    pub fn new(total: Option<u64>) -> Meter {
        Meter { read: Arc::default(), total }
    }

    /// Counts `bytes` more as read.
    pub fn add(&self, bytes: u64) {
        self.read.fetch_add(bytes, Ordering::Relaxed);
    }

    /// The bytes read so far.
    pub fn read(&self) -> u64 {
        self.read.load(Ordering::Relaxed)
    }

    /// The input's size, if known.
    pub fn total(&self) -> Option<u64> {
        self.total
    }
}

/// A [`Progress`] that ignores everything.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn phase(&self, _name: &str, _work: Work) {}
    fn advance(&self, _amount: u64) {}
}
