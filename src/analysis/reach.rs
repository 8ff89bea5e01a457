//! Exact reach for every package: the number of distinct packages that transitively depend on
//! it (itself excluded).
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

use rayon::prelude::*;

use crate::graph::csr::Csr;
use crate::graph::scc::components;
use crate::progress::Progress;

/// A stored set of node ids.
enum NodeSet {
    /// Sorted, no duplicates.
    Sparse(Vec<u32>),
    /// One bit per node; `len` bits are set.
    Dense { bits: Vec<u64>, len: u32 },
}

/// A set as a union reads it: a stored [`NodeSet`], or a component's members (the whole set of
/// a component nobody depends on, which is never stored).
#[derive(Clone, Copy)]
enum SetRef<'a> {
    Sparse(&'a [u32]),
    Dense(&'a [u64], u32),
}

impl SetRef<'_> {
    fn len(self) -> usize {
        match self {
            SetRef::Sparse(v) => v.len(),
            SetRef::Dense(_, len) => len as usize,
        }
    }
}

impl NodeSet {
    fn as_ref(&self) -> SetRef<'_> {
        match self {
            NodeSet::Sparse(v) => SetRef::Sparse(v),
            NodeSet::Dense { bits, len } => SetRef::Dense(bits, *len),
        }
    }

    /// The union of `inputs` and `members`: sparse while every input is sparse and their sizes
    /// sum to at most `threshold`, else dense (and back to sparse if the result is that small).
    fn union(inputs: &[SetRef<'_>], members: &[u32], n: usize, threshold: usize) -> NodeSet {
        let mut total = members.len();
        let mut all_sparse = true;
        for input in inputs {
            match input {
                SetRef::Sparse(v) => total += v.len(),
                SetRef::Dense(_, len) => (total, all_sparse) = (total + *len as usize, false),
            }
        }
        if total <= threshold && all_sparse {
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
}

/// The reach of every node of the graph whose edges are `reverse` (dependency → dependent):
/// the number of nodes from which it can be reached in the forward graph, itself excluded.
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
    let (component, sizes) = component_totals(reverse, threshold, progress, |set| set.len() as u32);
    component.iter().map(|&c| sizes[c as usize] - 1).collect()
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
    };
    let (component, totals) = component_totals(reverse, dense_threshold(reverse.len()), progress, sum);
    component.iter().zip(weights).map(|(&c, &w)| (totals[c as usize] - w).max(0.0)).collect()
}

/// The engine of [`reach`]: each node's component, and `measure` of each component's set `U(C)`.
fn component_totals<T: Copy + Default + Send>(
    reverse: &Csr,
    threshold: usize,
    progress: &dyn Progress,
    measure: impl Fn(SetRef<'_>) -> T + Sync,
) -> (Vec<u32>, Vec<T>) {
    let n = reverse.len();
    let comps = components(reverse);
    let count = comps.count as usize;
    let (member_offsets, members) = comps.members();
    let members_of = |c: usize| &members[member_offsets[c] as usize..member_offsets[c + 1] as usize];

    // Condensation: for each component, the distinct components depending on it directly (all
    // numbered lower, since Tarjan completes dependents first).
    let condensed: Vec<(u32, u32)> = (0..n as u32)
        .flat_map(|v| reverse.neighbors(v).iter().map(move |&p| (v, p)))
        .map(|(v, p)| (comps.component[v as usize], comps.component[p as usize]))
        .collect();
    let dependents_of = Csr::from_edges(count, &condensed);
    drop(condensed);
    let mut readers = vec![0u32; count];
    dependents_of.targets().iter().for_each(|&p| readers[p as usize] += 1);
    let mut level = vec![0u32; count];
    for c in 0..count as u32 {
        level[c as usize] = dependents_of.neighbors(c).iter().map(|&p| level[p as usize] + 1).max().unwrap_or(0);
    }
    let levels = level.iter().max().map_or(0, |&l| l as usize + 1);
    let mut by_level: Vec<Vec<u32>> = vec![Vec::new(); levels];
    for c in 0..count {
        by_level[level[c] as usize].push(c as u32);
    }

    // Level 0 holds the components nobody depends on: their sets are their members, never
    // stored. Later levels store a set while it still has readers.
    let mut sets: Vec<Option<NodeSet>> = (0..count).map(|_| None).collect();
    let mut totals = vec![T::default(); count];
    for &c in by_level.first().into_iter().flatten() {
        totals[c as usize] = measure(SetRef::Sparse(members_of(c as usize)));
    }
    for comps_here in by_level.iter().skip(1) {
        let computed: Vec<(u32, NodeSet, T)> = comps_here
            .par_iter()
            .map(|&c| {
                let inputs: Vec<SetRef<'_>> = dependents_of
                    .neighbors(c)
                    .iter()
                    .map(|&p| match &sets[p as usize] {
                        Some(set) => set.as_ref(),
                        // Only level-0 sets are absent while read: they are their members.
                        None => SetRef::Sparse(members_of(p as usize)),
                    })
                    .collect();
                let set = NodeSet::union(&inputs, members_of(c as usize), n, threshold);
                let total = measure(set.as_ref());
                (c, set, total)
            })
            .collect();
        progress.advance(computed.len() as u64);
        for (c, set, total) in computed {
            totals[c as usize] = total;
            if readers[c as usize] > 0 {
                sets[c as usize] = Some(set);
            }
            for &p in dependents_of.neighbors(c) {
                readers[p as usize] -= 1;
                if readers[p as usize] == 0 {
                    sets[p as usize] = None;
                }
            }
        }
    }
    (comps.component, totals)
}
