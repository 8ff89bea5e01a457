//! Reach for every package: the number of distinct packages that transitively depend on it
//! (itself excluded). Exact, and when the exact sets would not fit in the memory allowed,
//! estimated with sketches and re-checked exactly where it matters.
//!
//! Method: strongly connected components of the reverse graph (dependency → dependent), then
//! one pass over the condensation from the top-level dependents down. Each component `C` gets
//! the set `U(C)` = its members ∪ the `U(P)` of every component `P` depending on it directly;
//! the reach of a member of `C` is `|U(C)| − 1`. Components are processed level by level (a
//! level holds components whose dependents all lie in earlier levels), each level in parallel.
//! A set is freed once the last component that reads it is done.
//!
//! Sets are sorted `Vec<u32>` while small and bitsets once their inputs pass a density
//! threshold: real graphs have many tiny sets alive at once and a few dense hub sets, and one
//! representation serves neither well.
//!
//! [`bounded_reach`] counts the bytes the sets hold. If they pass the limit, it stops and runs
//! the pass again with HyperLogLog [`sketch`]es in place of the large sets
//! (small sets stay exact), sized so that the most sets ever alive at once fit the limit. Then
//! it re-checks the largest estimates exactly, 256 at a time, with one bit-parallel sweep of
//! the condensation per batch.

use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use rayon::prelude::*;

use super::sketch;
use crate::error::{Error, Result};
use crate::graph::csr::Csr;
use crate::graph::scc::components;
use crate::progress::Progress;

/// How a pass stores its sets.
#[derive(Debug, Clone, Copy)]
enum Mode {
    /// Sorted vectors up to `threshold` entries, bitsets past it.
    Exact { threshold: usize },
    /// Sorted vectors up to a quarter of `registers` entries (so never larger than a sketch),
    /// sketches of `registers` registers past it.
    Sketch { registers: usize },
}

/// A stored set of node ids.
enum NodeSet {
    /// Sorted, no duplicates.
    Sparse(Vec<u32>),
    /// One bit per node; `len` bits are set.
    Dense { bits: Vec<u64>, len: u32 },
    /// HyperLogLog registers (only in [`Mode::Sketch`]).
    Sketch(Vec<u8>),
}

/// A set as a union reads it: a stored [`NodeSet`], or a component's members (the whole set of
/// a component nobody depends on, which is never stored).
#[derive(Clone, Copy)]
enum SetRef<'a> {
    Sparse(&'a [u32]),
    Dense(&'a [u64], u32),
    Sketch(&'a [u8]),
}

impl SetRef<'_> {
    /// The set's size, exactly; `None` for a sketch.
    fn exact_len(self) -> Option<usize> {
        match self {
            SetRef::Sparse(v) => Some(v.len()),
            SetRef::Dense(_, len) => Some(len as usize),
            SetRef::Sketch(_) => None,
        }
    }
}

/// What a stored set costs beyond its elements: the enum and the allocator's header.
const SET_OVERHEAD: u64 = 48;

impl NodeSet {
    fn as_ref(&self) -> SetRef<'_> {
        match self {
            NodeSet::Sparse(v) => SetRef::Sparse(v),
            NodeSet::Dense { bits, len } => SetRef::Dense(bits, *len),
            NodeSet::Sketch(registers) => SetRef::Sketch(registers),
        }
    }

    /// Heap bytes held, with [`SET_OVERHEAD`].
    fn bytes(&self) -> u64 {
        SET_OVERHEAD
            + match self {
                NodeSet::Sparse(v) => 4 * v.capacity() as u64,
                NodeSet::Dense { bits, .. } => 8 * bits.len() as u64,
                NodeSet::Sketch(registers) => registers.len() as u64,
            }
    }

    /// The union of `inputs` and `members`: sorted while every input is and their sizes sum to
    /// at most the mode's limit; else a bitset (exact mode; back to sorted if the result is that
    /// small) or a sketch.
    fn union(inputs: &[SetRef<'_>], members: &[u32], n: usize, mode: Mode) -> NodeSet {
        let limit = match mode {
            Mode::Exact { threshold } => threshold,
            Mode::Sketch { registers } => registers / 4,
        };
        let mut total = members.len();
        let mut all_sparse = true;
        for input in inputs {
            match input {
                SetRef::Sparse(v) => total += v.len(),
                _ => all_sparse = false,
            }
        }
        if total <= limit && all_sparse {
            let mut all = Vec::with_capacity(total);
            all.extend_from_slice(members);
            for input in inputs {
                if let SetRef::Sparse(v) = input {
                    all.extend_from_slice(v);
                }
            }
            all.sort_unstable();
            all.dedup();
            return NodeSet::Sparse(all);
        }
        match mode {
            Mode::Exact { threshold } => Self::dense_union(inputs, members, n, threshold),
            Mode::Sketch { registers } => Self::sketch_union(inputs, members, registers),
        }
    }

    fn dense_union(inputs: &[SetRef<'_>], members: &[u32], n: usize, threshold: usize) -> NodeSet {
        // Start from a copy of the first dense input rather than from zeros.
        let first_dense = inputs.iter().position(|s| matches!(s, SetRef::Dense(..)));
        let mut bits = match first_dense.map(|i| inputs[i]) {
            Some(SetRef::Dense(other, _)) => other.to_vec(),
            _ => vec![0u64; n.div_ceil(64)],
        };
        for (i, input) in inputs.iter().enumerate() {
            match input {
                SetRef::Sparse(v) => v.iter().for_each(|&v| bits[v as usize / 64] |= 1 << (v % 64)),
                SetRef::Dense(other, _) if Some(i) != first_dense => {
                    bits.iter_mut().zip(other.iter()).for_each(|(a, b)| *a |= b)
                }
                SetRef::Dense(..) => {}
                SetRef::Sketch(_) => unreachable!("exact passes hold no sketches"),
            }
        }
        members.iter().for_each(|&v| bits[v as usize / 64] |= 1 << (v % 64));
        let len: u32 = bits.iter().map(|w| w.count_ones()).sum();
        if len as usize > threshold {
            return NodeSet::Dense { bits, len };
        }
        let mut sparse = Vec::with_capacity(len as usize);
        for (i, &word) in bits.iter().enumerate() {
            let mut word = word;
            while word != 0 {
                sparse.push(i as u32 * 64 + word.trailing_zeros());
                word &= word - 1;
            }
        }
        NodeSet::Sparse(sparse)
    }

    fn sketch_union(inputs: &[SetRef<'_>], members: &[u32], registers: usize) -> NodeSet {
        let first = inputs.iter().position(|s| matches!(s, SetRef::Sketch(_)));
        let mut sketched = match first.map(|i| inputs[i]) {
            Some(SetRef::Sketch(other)) => other.to_vec(),
            _ => vec![0u8; registers],
        };
        for (i, input) in inputs.iter().enumerate() {
            match input {
                SetRef::Sparse(v) => v.iter().for_each(|&v| sketch::insert(&mut sketched, v)),
                SetRef::Sketch(other) if Some(i) != first => sketch::merge(&mut sketched, other),
                SetRef::Sketch(_) => {}
                SetRef::Dense(..) => unreachable!("sketch passes hold no bitsets"),
            }
        }
        members.iter().for_each(|&v| sketch::insert(&mut sketched, v));
        NodeSet::Sketch(sketched)
    }
}

/// The reach of every node of the graph whose edges are `reverse` (dependency → dependent):
/// the number of nodes from which it can be reached in the forward graph, itself excluded.
/// Exact, with no bound on memory (see [`bounded_reach`]).
///
/// Time O(Σ|U(C)| · log) for sparse sets plus O(n/64) per dense union; memory bounded by the
/// sets alive at once.
///
/// ```
/// use keystone::graph::csr::Csr;
/// use keystone::analysis::reach::reach;
/// use keystone::progress::NoProgress;
/// // Forward edges app → lib → core, tool → core; reverse them.
/// let forward = Csr::from_edges(4, &[(0, 1), (1, 2), (3, 2)]);
/// assert_eq!(reach(&forward.transpose(), &NoProgress), vec![0, 1, 3, 0]);
/// ```
pub fn reach(reverse: &Csr, progress: &dyn Progress) -> Vec<u32> {
    progress.phase("reach", None);
    reach_with_threshold(reverse, dense_threshold(reverse.len()), progress)
}

/// The set size past which [`reach`] switches a set of `n` possible nodes to a bitset.
pub fn dense_threshold(n: usize) -> usize {
    (n / 256).max(64)
}

/// [`reach`] with an explicit sparse-to-dense threshold (tests force both representations),
/// within the caller's progress phase.
pub fn reach_with_threshold(reverse: &Csr, threshold: usize, progress: &dyn Progress) -> Vec<u32> {
    let condensation = Condensation::new(reverse);
    let sizes = condensation.unbounded(threshold, progress, |set| set.exact_len().unwrap_or_default() as u32);
    condensation.component.iter().map(|&c| sizes[c as usize] - 1).collect()
}

/// For every node, the total weight of the packages that transitively depend on it, itself
/// excluded: [`reach`] with each package counting `weights[v]` instead of 1 (the
/// downloads-weighted reach of the score).
///
/// Time as [`reach`], plus one pass over each computed set.
///
/// ```
/// use keystone::graph::csr::Csr;
/// use keystone::analysis::reach::weighted_reach;
/// use keystone::progress::NoProgress;
/// let forward = Csr::from_edges(3, &[(0, 1), (1, 2)]);
/// assert_eq!(weighted_reach(&forward.transpose(), &[10.0, 1.0, 0.5], &NoProgress), vec![0.0, 10.0, 11.0]);
/// ```
pub fn weighted_reach(reverse: &Csr, weights: &[f64], progress: &dyn Progress) -> Vec<f64> {
    progress.phase("weighted reach", None);
    let sum = |set: SetRef<'_>| match set {
        SetRef::Sparse(v) => v.iter().map(|&v| weights[v as usize]).sum(),
        SetRef::Dense(bits, _) => {
            let mut total = 0.0;
            for (i, &word) in bits.iter().enumerate() {
                let mut word = word;
                while word != 0 {
                    total += weights[i * 64 + word.trailing_zeros() as usize];
                    word &= word - 1;
                }
            }
            total
        }
        SetRef::Sketch(_) => unreachable!("exact passes hold no sketches"),
    };
    let condensation = Condensation::new(reverse);
    let totals = condensation.unbounded(dense_threshold(reverse.len()), progress, sum);
    condensation.component.iter().zip(weights).map(|(&c, &w)| (totals[c as usize] - w).max(0.0)).collect()
}

/// The memory [`bounded_reach`] may give its sets, and how many of the largest estimates it
/// re-checks exactly when it has to estimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReachLimits {
    /// Bytes the sets alive at once may hold.
    pub max_bytes: u64,
    /// Re-check exactly until the `exact_top` largest values of interest are exact.
    pub exact_top: usize,
}

impl Default for ReachLimits {
    /// No bound: always exact.
    fn default() -> Self {
        ReachLimits { max_bytes: u64::MAX, exact_top: 1000 }
    }
}

/// How [`bounded_reach`] estimated, when the exact sets did not fit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Approximation {
    /// What the exact sets held when they passed the limit, in bytes.
    pub exact_bytes: u64,
    /// Registers per sketch.
    pub registers: usize,
    /// Components re-checked exactly.
    pub rechecked: usize,
    /// Whether every value of interest whose estimate, plus four standard errors, could place
    /// it among the `exact_top` largest was re-checked (false: the re-check stopped at twice
    /// `exact_top` components, or 1024).
    pub top_certain: bool,
}

impl Approximation {
    /// The relative standard error of an estimated value.
    pub fn standard_error(&self) -> f64 {
        sketch::standard_error(self.registers)
    }
}

/// The result of [`bounded_reach`].
#[derive(Debug, Clone, PartialEq)]
pub struct BoundedReach {
    /// Reach of every node, exact or estimated.
    pub values: Vec<u32>,
    /// Per node, whether its value is an estimate; empty when every value is exact.
    pub estimated: Vec<bool>,
    /// How values were estimated; `None` when every value is exact.
    pub approximation: Option<Approximation>,
}

/// [`reach`] within `limits`: exact when the sets fit in `limits.max_bytes`; otherwise
/// estimated with sketches that do fit, and then re-checked exactly, largest estimate first,
/// until the `limits.exact_top` largest values among the nodes `of_interest` are exact (and no
/// estimate within four standard errors of them is left), or twice that many components (at
/// least 1024) have been re-checked.
///
/// Time: as [`reach`] when exact. When it estimates, the interrupted exact pass, a pass with
/// sketches (O(m · registers)), and O(m + n) per 256 values re-checked. Memory: the limit, plus
/// 32 bytes per component for the re-check.
///
/// # Errors
/// [`Error::Memory`] when even the smallest sketches (16 registers) would not fit.
///
/// ```
/// use keystone::analysis::reach::{bounded_reach, ReachLimits};
/// use keystone::graph::csr::Csr;
/// use keystone::progress::NoProgress;
/// // 300 packages depend on 0: its exact set (a 301-bit bitset) takes 88 bytes with its
/// // overhead, over the 80 allowed; a sketch of 32 registers fits, and 0 is then re-checked.
/// let forward = Csr::from_edges(301, &(1..301).map(|v| (v, 0)).collect::<Vec<_>>());
/// let limits = ReachLimits { max_bytes: 80, exact_top: 1 };
/// let r = bounded_reach(&forward.transpose(), &limits, 0..301, &NoProgress).unwrap();
/// assert!(r.approximation.is_some());
/// assert_eq!((r.values[0], r.estimated[0]), (300, false));
/// ```
pub fn bounded_reach(
    reverse: &Csr,
    limits: &ReachLimits,
    of_interest: Range<usize>,
    progress: &dyn Progress,
) -> Result<BoundedReach> {
    let n = reverse.len();
    let condensation = Condensation::new(reverse);
    let exact = Mode::Exact { threshold: dense_threshold(n) };
    let exact_bytes = match condensation.totals(exact, limits.max_bytes, progress, |set| set.exact_len()) {
        Ok(sizes) => {
            let values = condensation.component.iter().map(|&c| sizes[c as usize].unwrap_or_default() as u32 - 1);
            return Ok(BoundedReach { values: values.collect(), estimated: Vec::new(), approximation: None });
        }
        Err(bytes) => bytes,
    };
    let peak = condensation.peak_sets() as u64;
    let registers = (4..=12)
        .rev()
        .map(|p| 1usize << p)
        .find(|&r| peak.saturating_mul(r as u64 + SET_OVERHEAD) <= limits.max_bytes)
        .ok_or_else(|| Error::Memory {
            what: format!("reach sketches ({peak} sets alive at once, 16 registers each)"),
            needed: peak * (16 + SET_OVERHEAD),
            limit: limits.max_bytes,
        })?;
    progress.phase("reach, estimated", None);
    let estimate = |set: SetRef<'_>| match set {
        SetRef::Sketch(registers) => (sketch::estimate(registers).round().clamp(2.0, n as f64) as u32, true),
        other => (other.exact_len().unwrap_or_default() as u32, false),
    };
    let mut sizes = condensation
        .totals(Mode::Sketch { registers }, limits.max_bytes, progress, estimate)
        .map_err(|bytes| Error::Memory { what: "reach sketches".into(), needed: bytes, limit: limits.max_bytes })?;

    // Re-check the largest estimates, largest first, until the top is exact.
    progress.phase("reach, exact re-check", None);
    let count = condensation.count();
    let mut wanted = vec![false; count];
    of_interest.clone().for_each(|v| wanted[condensation.component[v] as usize] = true);
    let mut queue: Vec<u32> = (0..count as u32).filter(|&c| wanted[c as usize] && sizes[c as usize].1).collect();
    queue.sort_by(|&a, &b| sizes[b as usize].0.cmp(&sizes[a as usize].0).then(a.cmp(&b)));
    let margin = 1.0 + 4.0 * sketch::standard_error(registers);
    let cap = (2 * limits.exact_top).max(4 * LANES);
    let (mut done, mut top_certain) = (0, true);
    while done < queue.len() {
        let kth = kth_largest_exact(&condensation.component[of_interest.clone()], &sizes, limits.exact_top);
        if kth.is_some_and(|kth| f64::from(sizes[queue[done] as usize].0) * margin < f64::from(kth)) {
            break;
        }
        if done >= cap {
            top_certain = false;
            break;
        }
        let batch = &queue[done..(done + LANES).min(queue.len())];
        for (&c, size) in batch.iter().zip(condensation.exact_sizes(batch)) {
            sizes[c as usize] = (size, false);
        }
        done += batch.len();
        progress.advance(batch.len() as u64);
    }
    let values = condensation.component.iter().map(|&c| sizes[c as usize].0 - 1).collect();
    let estimated = condensation.component.iter().map(|&c| sizes[c as usize].1).collect();
    let approximation = Approximation { exact_bytes, registers, rechecked: done, top_certain };
    Ok(BoundedReach { values, estimated, approximation: Some(approximation) })
}

/// The `k`-th largest exact size among the components of `nodes`; `None` if fewer are exact.
fn kth_largest_exact(nodes: &[u32], sizes: &[(u32, bool)], k: usize) -> Option<u32> {
    let mut exact: Vec<u32> =
        nodes.iter().map(|&c| sizes[c as usize]).filter(|&(_, estimated)| !estimated).map(|(s, _)| s).collect();
    if k == 0 || exact.len() < k {
        return None;
    }
    let (_, &mut kth, _) = exact.select_nth_unstable_by(k - 1, |a, b| b.cmp(a));
    Some(kth)
}

/// Components whose condensation rows one parallel task builds.
const CONDENSE_CHUNK: usize = 4096;

/// Components re-checked per bit-parallel sweep.
const LANES: usize = 256;

/// The condensation of a reverse graph, and the order a pass visits it in.
///
/// Invariants: components are numbered as [`components`] completes them, so every component
/// depending on `c` is numbered below `c`; `by_level[0]` holds the components nobody depends
/// on, and every component of `by_level[l]` depends only on components of lower levels.
struct Condensation {
    /// The component of each node.
    component: Vec<u32>,
    /// Members of component `c`: `members[member_offsets[c]..member_offsets[c + 1]]`.
    member_offsets: Vec<u32>,
    members: Vec<u32>,
    /// For each component, the distinct components depending on it directly.
    dependents_of: Csr,
    by_level: Vec<Vec<u32>>,
}

impl Condensation {
    fn new(reverse: &Csr) -> Self {
        let comps = components(reverse);
        let count = comps.count as usize;
        let (member_offsets, members) = comps.members();
        // Each component's row: the components of its members' dependents, sorted, without
        // itself or repeats; built in parallel, chunk by chunk, and joined in order.
        let rows: Vec<(Vec<u32>, Vec<u32>)> = (0..count)
            .into_par_iter()
            .chunks(CONDENSE_CHUNK)
            .map(|chunk| {
                let (mut lengths, mut targets) = (Vec::with_capacity(chunk.len()), Vec::new());
                for c in chunk {
                    let start = targets.len();
                    let span = member_offsets[c] as usize..member_offsets[c + 1] as usize;
                    for &v in &members[span] {
                        targets.extend(reverse.neighbors(v).iter().map(|&p| comps.component[p as usize]));
                    }
                    let row = &mut targets[start..];
                    row.sort_unstable();
                    let mut kept = start;
                    for i in start..targets.len() {
                        let p = targets[i];
                        if p != c as u32 && (kept == start || targets[kept - 1] != p) {
                            targets[kept] = p;
                            kept += 1;
                        }
                    }
                    targets.truncate(kept);
                    lengths.push((kept - start) as u32);
                }
                (lengths, targets)
            })
            .collect();
        let mut offsets = Vec::with_capacity(count + 1);
        offsets.push(0u32);
        let mut targets = Vec::with_capacity(rows.iter().map(|(_, t)| t.len()).sum());
        for (lengths, row_targets) in rows {
            for length in lengths {
                offsets.push(offsets.last().expect("starts with 0") + length);
            }
            targets.extend_from_slice(&row_targets);
        }
        let dependents_of = Csr::from_parts(offsets, targets).expect("rows are sorted, deduplicated, in range");
        let mut level = vec![0u32; count];
        for c in 0..count as u32 {
            level[c as usize] = dependents_of.neighbors(c).iter().map(|&p| level[p as usize] + 1).max().unwrap_or(0);
        }
        let levels = level.iter().max().map_or(0, |&l| l as usize + 1);
        let mut by_level: Vec<Vec<u32>> = vec![Vec::new(); levels];
        for c in 0..count {
            by_level[level[c] as usize].push(c as u32);
        }
        Condensation { component: comps.component, member_offsets, members, dependents_of, by_level }
    }

    fn count(&self) -> usize {
        self.dependents_of.len()
    }

    fn members_of(&self, c: usize) -> &[u32] {
        &self.members[self.member_offsets[c] as usize..self.member_offsets[c + 1] as usize]
    }

    /// How many components read each component's set.
    fn readers(&self) -> Vec<u32> {
        let mut readers = vec![0u32; self.count()];
        self.dependents_of.targets().iter().for_each(|&p| readers[p as usize] += 1);
        readers
    }

    /// The most sets a pass holds at once: those stored for later readers plus one level's new
    /// ones, as [`Condensation::totals`] keeps them.
    fn peak_sets(&self) -> usize {
        let mut readers = self.readers();
        let mut stored = vec![false; self.count()];
        let (mut alive, mut peak) = (0usize, 0usize);
        for level in self.by_level.iter().skip(1) {
            peak = peak.max(alive + level.len());
            for &c in level {
                if readers[c as usize] > 0 {
                    stored[c as usize] = true;
                    alive += 1;
                }
                for &p in self.dependents_of.neighbors(c) {
                    readers[p as usize] -= 1;
                    if readers[p as usize] == 0 && stored[p as usize] {
                        alive -= 1;
                    }
                }
            }
        }
        peak
    }

    /// [`Condensation::totals`] in exact mode with no limit.
    fn unbounded<T: Copy + Default + Send>(
        &self,
        threshold: usize,
        progress: &dyn Progress,
        measure: impl Fn(SetRef<'_>) -> T + Sync,
    ) -> Vec<T> {
        match self.totals(Mode::Exact { threshold }, u64::MAX, progress, measure) {
            Ok(totals) => totals,
            Err(_) => unreachable!("a pass without a limit runs to the end"),
        }
    }

    /// `measure` of each component's set `U(C)`; or, as soon as the sets alive at once hold
    /// more than `max_bytes`, `Err` with what they held.
    fn totals<T: Copy + Default + Send>(
        &self,
        mode: Mode,
        max_bytes: u64,
        progress: &dyn Progress,
        measure: impl Fn(SetRef<'_>) -> T + Sync,
    ) -> Result<Vec<T>, u64> {
        let n = self.component.len();
        let count = self.count();
        let mut readers = self.readers();
        // Level 0 holds the components nobody depends on: their sets are their members, never
        // stored. Later levels store a set while it still has readers.
        let mut sets: Vec<Option<NodeSet>> = (0..count).map(|_| None).collect();
        let mut totals = vec![T::default(); count];
        for &c in self.by_level.first().into_iter().flatten() {
            totals[c as usize] = measure(SetRef::Sparse(self.members_of(c as usize)));
        }
        let alive = AtomicU64::new(0);
        let over = AtomicBool::new(false);
        for comps_here in self.by_level.iter().skip(1) {
            let computed: Vec<Option<(u32, NodeSet, T)>> = comps_here
                .par_iter()
                .map(|&c| {
                    if over.load(Ordering::Relaxed) {
                        return None;
                    }
                    let inputs: Vec<SetRef<'_>> = self
                        .dependents_of
                        .neighbors(c)
                        .iter()
                        .map(|&p| match &sets[p as usize] {
                            Some(set) => set.as_ref(),
                            // Only level-0 sets are absent while read: they are their members.
                            None => SetRef::Sparse(self.members_of(p as usize)),
                        })
                        .collect();
                    let set = NodeSet::union(&inputs, self.members_of(c as usize), n, mode);
                    if alive.fetch_add(set.bytes(), Ordering::Relaxed) + set.bytes() > max_bytes {
                        over.store(true, Ordering::Relaxed);
                    }
                    let total = measure(set.as_ref());
                    Some((c, set, total))
                })
                .collect();
            if over.load(Ordering::Relaxed) {
                return Err(alive.load(Ordering::Relaxed));
            }
            progress.advance(computed.len() as u64);
            let mut freed = 0;
            for (c, set, total) in computed.into_iter().flatten() {
                totals[c as usize] = total;
                if readers[c as usize] > 0 {
                    sets[c as usize] = Some(set);
                } else {
                    freed += set.bytes();
                }
                for &p in self.dependents_of.neighbors(c) {
                    readers[p as usize] -= 1;
                    if readers[p as usize] == 0 {
                        freed += sets[p as usize].take().map_or(0, |set| set.bytes());
                    }
                }
            }
            alive.fetch_sub(freed, Ordering::Relaxed);
        }
        Ok(totals)
    }

    /// The exact `|U(C)|` of each of up to [`LANES`] components `sources`, by one sweep: each
    /// component's mask says which sources it depends on, directly or not, and it passes its
    /// mask on to the components depending on it, numbered below it.
    fn exact_sizes(&self, sources: &[u32]) -> Vec<u32> {
        let mut masks = vec![[0u64; LANES / 64]; self.count()];
        for (i, &c) in sources.iter().enumerate() {
            masks[c as usize][i / 64] |= 1 << (i % 64);
        }
        for c in (0..self.count()).rev() {
            let mask = masks[c];
            if mask == [0; LANES / 64] {
                continue;
            }
            for &p in self.dependents_of.neighbors(c as u32) {
                masks[p as usize].iter_mut().zip(mask).for_each(|(a, b)| *a |= b);
            }
        }
        masks
            .par_iter()
            .enumerate()
            .fold(
                || vec![0u32; sources.len()],
                |mut sums, (c, mask)| {
                    let size = self.members_of(c).len() as u32;
                    for (w, &word) in mask.iter().enumerate() {
                        let mut word = word;
                        while word != 0 {
                            sums[w * 64 + word.trailing_zeros() as usize] += size;
                            word &= word - 1;
                        }
                    }
                    sums
                },
            )
            .reduce(|| vec![0u32; sources.len()], |a, b| a.iter().zip(b).map(|(x, y)| x + y).collect())
    }
}
