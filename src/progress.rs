//! Progress reporting, passed into long-running library calls so the library never prints.
//! The CLI implements [`Progress`] with progress bars and per-phase timings; tests and library
//! users pass [`NoProgress`].

/// Receives the phases of a long computation and how far each has got.
///
/// Calls come in the order `phase`, any number of `advance`, then the next `phase` (or the end
/// of the call). Implementations must be cheap: `advance` may be called from several threads.
pub trait Progress: Sync {
    /// A new phase starts; `total` is the amount of work in the unit `advance` counts, if known.
    fn phase(&self, name: &str, total: Option<u64>);
    /// `amount` more units of the current phase are done.
    fn advance(&self, amount: u64);
}

/// A [`Progress`] that ignores everything.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn phase(&self, _name: &str, _total: Option<u64>) {}
    fn advance(&self, _amount: u64) {}
}
