//! Reach for every package: the number of distinct packages that transitively depend on it
//! (itself excluded). Exact, and when the exact sets would not fit in the memory allowed,
//! estimated with sketches and re-checked exactly where it matters.
//!
//! Method: strongly connected components of the reverse graph (dependency → dependent), then
//! one pass over the condensation from the top-level dependents down. Each component `C` gets
//! the set `U(C)` = its members ∪ the `U(P)` of every component `P` depending on it directly;
//! the reach of a member of `C` is `|U(C)| − 1`. Components are processed level by level (a
//! level holds components whose dependents all lie in earlier levels), each level in parallel.
//! A set is freed once the last component that reads it is done. The condensation is read
//! straight from the graph's rows: a node on no cycle is its own component, and a package
//! nobody depends on (most of them) is its own set, never stored.
//!
//! Sets are lists of distinct ids while small and bitsets once their inputs pass a density
//! threshold: real graphs have many tiny sets alive at once and a few dense hub sets, and one
//! representation serves neither well. A list union drops repeats with a scratch bitset per
//! thread, so lists need no order and are never sorted.
//!
//! [`bounded_reach`] counts the bytes the sets hold. If they pass the limit, it stops and runs
//! the pass again with HyperLogLog sketches (`sketch.rs`) in place of the large sets
//! (small sets stay exact), sized so that the most sets ever alive at once fit the limit. Then
//! it re-checks the largest estimates exactly, 256 at a time, with one bit-parallel sweep of
//! the condensation per batch.

use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};

use rayon::prelude::*;

use super::sketch;
use crate::error::{Error, Result};
use crate::graph::bitset::Bitset;
use crate::graph::csr::Csr;
use crate::graph::scc::components;
use crate::progress::{Progress, Work};

/// How a pass stores its sets.
#[derive(Debug, Clone, Copy)]
enum Mode {
    /// Lists up to `threshold` entries, bitsets past it.
    Exact { threshold: usize },
    /// Lists up to a quarter of `registers` entries (so never larger than a sketch),
    /// sketches of `registers` registers past it.
    Sketch { registers: usize },
}

/// A stored set of node ids.
enum NodeSet {
    /// Distinct ids, in no particular order.
    Sparse(Vec<u32>),
    /// One bit per node; `len` bits are set.
    Dense { bits: Bitset, len: u32 },
    /// HyperLogLog registers (only in [`Mode::Sketch`]).
    Sketch(Vec<u8>),
}

/// A set as a union reads it: a stored [`NodeSet`], or a top node itself (the whole set of a
/// package nobody depends on, which is never stored).
#[derive(Clone, Copy)]
enum SetRef<'a> {
    Sparse(&'a [u32]),
    Dense(&'a Bitset, u32),
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
                NodeSet::Dense { bits, .. } => bits.bytes(),
                NodeSet::Sketch(registers) => registers.len() as u64,
            }
    }

    /// The union of `inputs` and `members` (ids that may repeat): a list while every input is
    /// one and their sizes sum to at most the mode's limit; else a bitset (exact mode; back to a
    /// list if the result is that small) or a sketch. `seen` is an all-zero bitset over the
    /// nodes, left all zero.
    fn union(inputs: &[SetRef<'_>], members: &[u32], n: usize, mode: Mode, seen: &mut Bitset) -> NodeSet {
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
            // Distinct elements in first-seen order, marked in `seen` and unmarked after.
            let mut all = vec![0u32; total];
            let mut len = 0;
            let sparse_inputs = inputs.iter().filter_map(|s| match s {
                SetRef::Sparse(v) => Some(*v),
                _ => None,
            });
            for &v in sparse_inputs.chain([members]).flatten() {
                all[len] = v;
                len += usize::from(seen.insert(v));
            }
            all.truncate(len);
            all.iter().for_each(|&v| seen.remove(v));
            all.shrink_to_fit();
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
            Some(SetRef::Dense(other, _)) => other.clone(),
            _ => Bitset::new(n),
        };
        for (i, input) in inputs.iter().enumerate() {
            match input {
                SetRef::Sparse(v) => v.iter().for_each(|&v| _ = bits.insert(v)),
                SetRef::Dense(other, _) if Some(i) != first_dense => bits.union_with(other),
                SetRef::Dense(..) => {}
                SetRef::Sketch(_) => unreachable!("exact passes hold no sketches"),
            }
        }
        members.iter().for_each(|&v| _ = bits.insert(v));
        let len = bits.len() as u32;
        if len as usize > threshold {
            return NodeSet::Dense { bits, len };
        }
        let mut sparse = Vec::with_capacity(len as usize);
        sparse.extend(bits.iter());
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
/// Time O(n + m), plus per union the total size of the lists it reads and O(n/64) for each
/// bitset; memory bounded by the sets alive at once.
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
    progress.phase("reach", Work::Unmeasured);
    reach_with_threshold(reverse, dense_threshold(reverse.len()))
}

/// The set size past which [`reach`] switches a set of `n` possible nodes to a bitset.
pub(crate) fn dense_threshold(n: usize) -> usize {
    (n / 256).max(64)
}

/// [`reach`] with an explicit sparse-to-dense threshold (tests force both representations).
pub(crate) fn reach_with_threshold(reverse: &Csr, threshold: usize) -> Vec<u32> {
    let condensation = Condensation::new(reverse);
    let sizes = condensation.unbounded(threshold, |set| set.exact_len().unwrap_or_default() as u32);
    condensation.per_node(&sizes).map(|size| size - 1).collect()
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
    progress.phase("weighted reach", Work::Unmeasured);
    let sum = |set: SetRef<'_>| match set {
        SetRef::Sparse(v) => v.iter().map(|&v| weights[v as usize]).sum(),
        SetRef::Dense(bits, _) => bits.iter().fold(0.0, |total, v| total + weights[v as usize]),
        SetRef::Sketch(_) => unreachable!("exact passes hold no sketches"),
    };
    let condensation = Condensation::new(reverse);
    let totals = condensation.unbounded(dense_threshold(reverse.len()), sum);
    condensation.per_node(&totals).zip(weights).map(|(total, &w)| (total - w).max(0.0)).collect()
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
    let exact_bytes = match condensation.totals(exact, limits.max_bytes, |set| set.exact_len()) {
        Ok(sizes) => {
            let values = condensation.per_node(&sizes).map(|size| size.unwrap_or_default() as u32 - 1);
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
    progress.phase("reach, estimated", Work::Unmeasured);
    let estimate = |set: SetRef<'_>| match set {
        SetRef::Sketch(registers) => (sketch::estimate(registers).round().clamp(2.0, n as f64) as u32, true),
        other => (other.exact_len().unwrap_or_default() as u32, false),
    };
    let mut sizes = condensation
        .totals(Mode::Sketch { registers }, limits.max_bytes, estimate)
        .map_err(|bytes| Error::Memory { what: "reach sketches".into(), needed: bytes, limit: limits.max_bytes })?;

    // Re-check the largest estimates, largest first, until the top is exact.
    progress.phase("reach, exact re-check", Work::Unmeasured);
    let count = condensation.keys();
    let interesting: Vec<u32> = of_interest.map(|v| condensation.key_of(v as u32)).collect();
    let mut wanted = vec![false; count];
    interesting.iter().for_each(|&c| wanted[c as usize] = true);
    let mut queue: Vec<u32> = (0..count as u32).filter(|&c| wanted[c as usize] && sizes[c as usize].1).collect();
    queue.sort_by(|&a, &b| sizes[b as usize].0.cmp(&sizes[a as usize].0).then(a.cmp(&b)));
    let margin = 1.0 + 4.0 * sketch::standard_error(registers);
    let cap = (2 * limits.exact_top).max(4 * LANES);
    let (mut done, mut top_certain) = (0, true);
    while done < queue.len() {
        let kth = kth_largest_exact(&interesting, &sizes, limits.exact_top);
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
    }
    let values = condensation.per_node(&sizes).map(|(size, _)| size - 1).collect();
    let estimated = condensation.per_node(&sizes).map(|(_, estimated)| estimated).collect();
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

/// What a pass computes for one component: its set, the set's measure, and the sets it was
/// the last to read (to be freed).
struct Computed<T> {
    key: u32,
    set: NodeSet,
    total: T,
    last_read: Vec<u32>,
}

/// Components re-checked per bit-parallel sweep.
const LANES: usize = 256;

/// The condensation of a reverse graph, read straight from the graph's rows, and the order a
/// pass visits it in.
///
/// A component is named by a key: a node on no cycle is a component of its own, keyed by its
/// id; the `k`-th cycle (a component of two or more nodes) is keyed `n + k`. Dependency
/// graphs are nearly acyclic, so almost every key is a node and needs no lookup.
///
/// Invariants: `key[v] == v` for every node on no cycle; every component depending on a
/// component of `groups[i]` is a `top` node or lies in an earlier group; `top` nodes are in no
/// group.
struct Condensation<'g> {
    reverse: &'g Csr,
    /// The key of each node.
    key: Vec<u32>,
    /// Nodes on a cycle, one bit each.
    cyclic: Bitset,
    /// Nodes on no cycle that nobody depends on, one bit each: their set is themselves, never
    /// stored.
    top: Bitset,
    /// Members of cycle `k`: `cycle_members[cycle_offsets[k]..cycle_offsets[k + 1]]`.
    cycle_offsets: Vec<u32>,
    cycle_members: Vec<u32>,
    /// The keys of every component but the `top` nodes, by level ([`Condensation::levels`]).
    groups: Vec<Vec<u32>>,
}

impl<'g> Condensation<'g> {
    fn new(reverse: &'g Csr) -> Self {
        let n = reverse.len();
        let comps = components(reverse);
        let sizes = comps.sizes();
        let mut key: Vec<u32> = (0..n as u32).collect();
        let mut cyclic = Bitset::new(n);
        // Cycles numbered as their lowest member comes, members ascending.
        let mut cycle_of = vec![u32::MAX; comps.count as usize];
        let mut cycle_offsets = vec![0u32];
        for (v, key) in key.iter_mut().enumerate() {
            let c = comps.component[v] as usize;
            if sizes[c] > 1 {
                if cycle_of[c] == u32::MAX {
                    cycle_of[c] = cycle_offsets.len() as u32 - 1;
                    cycle_offsets.push(cycle_offsets.last().expect("starts with 0") + sizes[c]);
                }
                *key = n as u32 + cycle_of[c];
                cyclic.insert(v as u32);
            }
        }
        let mut fill = cycle_offsets.clone();
        let mut cycle_members = vec![0u32; *fill.last().expect("starts with 0") as usize];
        for v in (0..n as u32).filter(|&v| cyclic.contains(v)) {
            let k = (key[v as usize] as usize) - n;
            cycle_members[fill[k] as usize] = v;
            fill[k] += 1;
        }
        // The sinks are the nodes nobody depends on (none is on a cycle), in the last layer.
        let top = reverse.sinks();
        let (_, layers) = comps.layers.split_last().expect("the sinks' layer is always there");
        let mut condensation =
            Condensation { reverse, key, cyclic, top, cycle_offsets, cycle_members, groups: Vec::new() };
        condensation.groups = condensation.levels(layers);
        condensation
    }

    /// The keys of every component but the top nodes, grouped by level: a top node is at
    /// level 0, and any other component one level below the deepest of its dependents. A
    /// component's level is final once its dependents' are, so the layers, taken from the
    /// last, give the order to compute them in, a layer in parallel.
    fn levels(&self, layers: &[Vec<u32>]) -> Vec<Vec<u32>> {
        let mut level = vec![0u32; self.keys()];
        let mut groups: Vec<Vec<u32>> = Vec::new();
        for layer in layers.iter().rev() {
            // A cycle is keyed once, at its first member.
            let first_member = |v: u32| self.members_of(self.key[v as usize])[0] == v;
            let keys: Vec<u32> = layer
                .iter()
                .filter(|&&v| !self.cyclic.contains(v) || first_member(v))
                .map(|&v| self.key[v as usize])
                .collect();
            let levels: Vec<u32> = keys
                .par_iter()
                .map(|&k| {
                    1 + self.dependents(k).filter(|&p| !self.is_top(p)).map(|p| level[p as usize]).max().unwrap_or(0)
                })
                .collect();
            for (&k, &l) in keys.iter().zip(&levels) {
                level[k as usize] = l;
                if groups.len() < l as usize {
                    groups.resize(l as usize, Vec::new());
                }
                groups[l as usize - 1].push(k);
            }
        }
        groups
    }

    /// Number of keys: nodes, then cycles.
    fn keys(&self) -> usize {
        self.key.len() + self.cycle_offsets.len() - 1
    }

    /// The key of node `v`'s component.
    fn key_of(&self, v: u32) -> u32 {
        if self.cyclic.contains(v) {
            self.key[v as usize]
        } else {
            v
        }
    }

    /// Whether `k` is the key of a `top` node.
    fn is_top(&self, k: u32) -> bool {
        (k as usize) < self.key.len() && self.top.contains(k)
    }

    fn members_of(&self, k: u32) -> &[u32] {
        match (k as usize).checked_sub(self.key.len()) {
            None => std::slice::from_ref(&self.key[k as usize]),
            Some(cycle) => {
                &self.cycle_members[self.cycle_offsets[cycle] as usize..self.cycle_offsets[cycle + 1] as usize]
            }
        }
    }

    /// The keys of the components depending on `k` directly, once per edge (so possibly more
    /// than once each), `k` itself left out.
    fn dependents(&self, k: u32) -> impl Iterator<Item = u32> + '_ {
        self.members_of(k)
            .iter()
            .flat_map(|&m| self.reverse.neighbors(m))
            .map(|&p| self.key_of(p))
            .filter(move |&p| p != k)
    }

    /// Per node, the total of its component.
    fn per_node<'a, T: Copy>(&'a self, totals: &'a [T]) -> impl Iterator<Item = T> + 'a {
        (0..self.key.len() as u32).map(move |v| totals[self.key_of(v) as usize])
    }

    /// How many times each component's set is read: once per edge into it from another
    /// component, as [`Condensation::dependents`] yields them.
    /// (Top nodes' sets are never stored: their count is left at 0.)
    fn readers(&self) -> Vec<u32> {
        let mut readers = vec![0u32; self.keys()];
        for &p in self.reverse.targets().iter().filter(|&&p| !self.top.contains(p)) {
            readers[self.key_of(p) as usize] += 1;
        }
        for cycle in self.key.len() as u32..self.keys() as u32 {
            let members = self.members_of(cycle);
            let inner = members.iter().flat_map(|&m| self.reverse.neighbors(m)).filter(|&&p| self.key_of(p) == cycle);
            readers[cycle as usize] -= inner.count() as u32;
        }
        readers
    }

    /// The most sets a pass holds at once: those stored for later readers plus one group's new
    /// ones, as [`Condensation::totals`] keeps them.
    fn peak_sets(&self) -> usize {
        let mut readers = self.readers();
        let mut stored = vec![false; self.keys()];
        let (mut alive, mut peak) = (0usize, 0usize);
        for group in &self.groups {
            peak = peak.max(alive + group.len());
            for &c in group {
                if readers[c as usize] > 0 {
                    stored[c as usize] = true;
                    alive += 1;
                }
                for p in self.dependents(c).filter(|&p| !self.is_top(p)) {
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
    fn unbounded<T: Copy + Default + Send + Sync>(
        &self,
        threshold: usize,
        measure: impl Fn(SetRef<'_>) -> T + Sync,
    ) -> Vec<T> {
        match self.totals(Mode::Exact { threshold }, u64::MAX, measure) {
            Ok(totals) => totals,
            Err(_) => unreachable!("a pass without a limit runs to the end"),
        }
    }

    /// `measure` of each component's set `U(C)`, by key; or, as soon as the sets alive at
    /// once hold more than `max_bytes`, `Err` with what they held.
    fn totals<T: Copy + Default + Send + Sync>(
        &self,
        mode: Mode,
        max_bytes: u64,
        measure: impl Fn(SetRef<'_>) -> T + Sync,
    ) -> Result<Vec<T>, u64> {
        let n = self.key.len();
        let readers: Vec<AtomicU32> = self.readers().into_iter().map(AtomicU32::new).collect();
        // A set is stored while it still has readers; a top node's is itself, never stored.
        let mut sets: Vec<Option<NodeSet>> = (0..self.keys()).map(|_| None).collect();
        let mut totals = vec![T::default(); self.keys()];
        totals[..n].par_iter_mut().enumerate().filter(|(v, _)| self.top.contains(*v as u32)).for_each(|(v, total)| {
            *total = measure(SetRef::Sparse(self.members_of(v as u32)));
        });
        let alive = AtomicU64::new(0);
        let over = AtomicBool::new(false);
        for group in &self.groups {
            let computed: Vec<Option<Computed<T>>> = group
                .par_iter()
                .map_init(
                    || Bitset::new(n),
                    |seen, &key| {
                        if over.load(Ordering::Relaxed) {
                            return None;
                        }
                        // Top dependents are their own sets: they join the members.
                        let mut loose = self.members_of(key).to_vec();
                        let mut read = Vec::new();
                        for p in self.dependents(key) {
                            if self.is_top(p) {
                                loose.push(p);
                            } else {
                                read.push(p);
                            }
                        }
                        let inputs: Vec<SetRef<'_>> = read
                            .iter()
                            .map(|&p| {
                                sets[p as usize].as_ref().expect("computed in an earlier group, still read").as_ref()
                            })
                            .collect();
                        let set = NodeSet::union(&inputs, &loose, n, mode, seen);
                        if alive.fetch_add(set.bytes(), Ordering::Relaxed) + set.bytes() > max_bytes {
                            over.store(true, Ordering::Relaxed);
                        }
                        let total = measure(set.as_ref());
                        read.retain(|&p| readers[p as usize].fetch_sub(1, Ordering::Relaxed) == 1);
                        Some(Computed { key, set, total, last_read: read })
                    },
                )
                .collect();
            if over.load(Ordering::Relaxed) {
                return Err(alive.load(Ordering::Relaxed));
            }
            let mut freed = 0;
            for Computed { key, set, total, last_read } in computed.into_iter().flatten() {
                totals[key as usize] = total;
                if readers[key as usize].load(Ordering::Relaxed) > 0 {
                    sets[key as usize] = Some(set);
                } else {
                    freed += set.bytes();
                }
                for p in last_read {
                    freed += sets[p as usize].take().map_or(0, |set| set.bytes());
                }
            }
            alive.fetch_sub(freed, Ordering::Relaxed);
        }
        Ok(totals)
    }

    /// The exact `|U(C)|` of each of up to [`LANES`] components `sources` (keys), by one sweep:
    /// each component's mask says which sources it depends on, directly or not, and it passes
    /// its mask on to the components depending on it, in later groups or top nodes.
    fn exact_sizes(&self, sources: &[u32]) -> Vec<u32> {
        let mut masks = vec![[0u64; LANES / 64]; self.keys()];
        for (i, &c) in sources.iter().enumerate() {
            masks[c as usize][i / 64] |= 1 << (i % 64);
        }
        for &c in self.groups.iter().rev().flatten() {
            let mask = masks[c as usize];
            if mask == [0; LANES / 64] {
                continue;
            }
            for p in self.dependents(c) {
                masks[p as usize].iter_mut().zip(mask).for_each(|(a, b)| *a |= b);
            }
        }
        (0..self.key.len() as u32)
            .into_par_iter()
            .fold(
                || vec![0u32; sources.len()],
                |mut sums, v| {
                    for (w, &word) in masks[self.key_of(v) as usize].iter().enumerate() {
                        let mut word = word;
                        while word != 0 {
                            sums[w * 64 + word.trailing_zeros() as usize] += 1;
                            word &= word - 1;
                        }
                    }
                    sums
                },
            )
            .reduce(|| vec![0u32; sources.len()], |a, b| a.iter().zip(b).map(|(x, y)| x + y).collect())
    }
}
