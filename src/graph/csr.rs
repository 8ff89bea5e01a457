//! Compressed sparse rows: the adjacency of every node as one flat `u32` array.
//!
//! Invariants (checked by [`Csr::validate`] for untrusted data, upheld by the constructors):
//! - `offsets.len() == n + 1`, `offsets[0] == 0`, offsets never decrease, and
//!   `offsets[n] == targets.len()`;
//! - every target is `< n`;
//! - each row is strictly increasing (sorted, no duplicate edges) and has no self-loop.

use rayon::prelude::*;

use super::bitset::Bitset;
use crate::hash::splitmix64;

/// A directed graph over nodes `0..n` in compressed-sparse-row form.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Csr {
    offsets: Vec<u32>,
    targets: Vec<u32>,
}

impl Csr {
    /// Builds the graph of `n` nodes from `edges` (source, target) with a two-pass counting
    /// sort; self-loops are dropped and duplicates merged.
    ///
    /// # Panics
    /// If an endpoint is `>= n` or there are `u32::MAX` edges or more (callers check both).
    pub fn from_edges(n: usize, edges: &[(u32, u32)]) -> Csr {
        Csr::from_edges_with(n, edges, &vec![(); edges.len()], |_, _| {}).0
    }

    /// [`Csr::from_edges`] carrying one value per edge: returns the graph and the values aligned
    /// with its targets. Where edges are merged, the first one's value (in `edges` order) is
    /// kept and each later duplicate's is folded into it with `merge`.
    ///
    /// # Panics
    /// As [`Csr::from_edges`], or if `data` and `edges` differ in length.
    pub fn from_edges_with<T: Copy + Send>(
        n: usize,
        edges: &[(u32, u32)],
        data: &[T],
        merge: impl Fn(&mut T, T),
    ) -> (Csr, Vec<T>) {
        assert_eq!(edges.len(), data.len(), "one value per edge");
        let mut offsets = vec![0u32; n + 1];
        for &(s, t) in edges {
            assert!((t as usize) < n, "edge target {t} out of range");
            offsets[s as usize + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let mut fill = offsets.clone();
        let mut slots: Vec<(u32, T)> = Vec::with_capacity(edges.len());
        // Every slot is overwritten below; the first value only sizes the vector.
        if let Some(&first) = data.first() {
            slots.resize(edges.len(), (0, first));
        }
        for (&(s, t), &value) in edges.iter().zip(data) {
            slots[fill[s as usize] as usize] = (t, value);
            fill[s as usize] += 1;
        }
        // Sort each row stably by target, then compact away duplicates and self-loops.
        let mut rows: Vec<&mut [(u32, T)]> = Vec::with_capacity(n);
        let mut rest = slots.as_mut_slice();
        for i in 0..n {
            let (row, tail) = rest.split_at_mut((offsets[i + 1] - offsets[i]) as usize);
            rows.push(row);
            rest = tail;
        }
        rows.par_iter_mut().for_each(|row| row.sort_by_key(|&(t, _)| t));
        let mut write = 0usize;
        for i in 0..n {
            let (start, end) = (offsets[i] as usize, offsets[i + 1] as usize);
            offsets[i] = write as u32;
            for k in start..end {
                let (t, value) = slots[k];
                if t as usize == i {
                    continue;
                }
                if write > offsets[i] as usize && slots[write - 1].0 == t {
                    merge(&mut slots[write - 1].1, value);
                } else {
                    slots[write] = (t, value);
                    write += 1;
                }
            }
        }
        offsets[n] = write as u32;
        slots.truncate(write);
        let (targets, values) = slots.into_iter().unzip();
        (Csr { offsets, targets }, values)
    }

    /// The transpose: an edge `t → s` for every edge `s → t`. Rows come out sorted.
    pub fn transpose(&self) -> Csr {
        let n = self.len();
        let mut offsets = vec![0u32; n + 1];
        for &t in &self.targets {
            offsets[t as usize + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let mut fill = offsets.clone();
        let mut targets = vec![0u32; self.targets.len()];
        for s in 0..n {
            for &t in self.neighbors(s as u32) {
                targets[fill[t as usize] as usize] = s as u32;
                fill[t as usize] += 1;
            }
        }
        Csr { offsets, targets }
    }

    /// Wraps raw arrays after checking every invariant; the error says which one fails.
    pub fn from_parts(offsets: Vec<u32>, targets: Vec<u32>) -> Result<Csr, String> {
        let csr = Csr { offsets, targets };
        csr.validate()?;
        Ok(csr)
    }

    /// Checks the invariants listed in the module docs; the rows in parallel, the error naming
    /// the first bad node.
    pub fn validate(&self) -> Result<(), String> {
        let n = self.offsets.len().checked_sub(1).ok_or("offsets are empty")?;
        if self.offsets[0] != 0 || self.offsets[n] as usize != self.targets.len() {
            return Err("offsets do not span the targets".into());
        }
        let bad = (0..n).into_par_iter().find_map_first(|v| {
            let (start, end) = (self.offsets[v], self.offsets[v + 1]);
            if start > end {
                return Some(format!("offsets decrease at node {v}"));
            }
            let Some(row) = self.targets.get(start as usize..end as usize) else {
                return Some(format!("offsets run past the edges at node {v}"));
            };
            if row.iter().any(|&t| t as usize >= n || t as usize == v) {
                return Some(format!("node {v} has an edge out of range or to itself"));
            }
            if row.windows(2).any(|w| w[0] >= w[1]) {
                return Some(format!("node {v}'s edges are not strictly increasing"));
            }
            None
        });
        bad.map_or(Ok(()), Err)
    }

    /// A digest of the edge set under `key`: the wrapping sum of a keyed hash of every edge
    /// `(source, target)`. Two graphs with the same edges have the same digest; for different
    /// edge sets a match needs the key, which callers draw at random.
    pub fn digest(&self, key: u64) -> u64 {
        self.edge_hash_sum(key, |s, t| (s, t))
    }

    /// [`Csr::digest`] of the transpose, without building it.
    pub fn transposed_digest(&self, key: u64) -> u64 {
        self.edge_hash_sum(key, |s, t| (t, s))
    }

    fn edge_hash_sum(&self, key: u64, edge: impl Fn(u32, u32) -> (u32, u32) + Sync) -> u64 {
        (0..self.len() as u32)
            .into_par_iter()
            .map(|s| {
                self.neighbors(s).iter().fold(0u64, |sum, &t| {
                    let (a, b) = edge(s, t);
                    sum.wrapping_add(splitmix64(key ^ (u64::from(a) << 32 | u64::from(b))))
                })
            })
            .reduce(|| 0, u64::wrapping_add)
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Whether the graph has no nodes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of edges.
    pub fn edge_count(&self) -> usize {
        self.targets.len()
    }

    /// The targets of `v`'s edges, ascending.
    pub fn neighbors(&self, v: u32) -> &[u32] {
        &self.targets[self.offsets[v as usize] as usize..self.offsets[v as usize + 1] as usize]
    }

    /// Out-degree of `v`.
    pub fn degree(&self, v: u32) -> usize {
        (self.offsets[v as usize + 1] - self.offsets[v as usize]) as usize
    }

    /// The sinks (nodes with no edges out) as a bitset, small enough to stay in cache where a
    /// test of `degree` would read the offsets at random.
    pub fn sinks(&self) -> Bitset {
        let mut bits = Bitset::new(self.len());
        (0..self.len() as u32).filter(|&v| self.degree(v) == 0).for_each(|v| _ = bits.insert(v));
        bits
    }

    /// The raw offsets array (`n + 1` entries).
    pub fn offsets(&self) -> &[u32] {
        &self.offsets
    }

    /// The raw targets array.
    pub fn targets(&self) -> &[u32] {
        &self.targets
    }
}
