//! PageRank in the dependency direction: a package is important when important packages depend
//! on it. Rank flows along dependent → dependency edges; packages with no dependencies spread
//! theirs evenly over all packages.
//!
//! Solved exactly, not by power iteration: PageRank with damping `d` is the solution of
//! `x = c·1 + d·P·x`, where `P` moves each package's rank to its dependencies in equal shares
//! and the scalar `c = (1 − d)/n + d·(rank of the packages with no dependencies)/n` is the same
//! for every package. So `x` is proportional to `y = (I − d·P)⁻¹·1`, scaled to sum to 1. A
//! package's `y` is 1 plus `d` times the shares of its dependents, so one pass over the
//! components of the graph in topological order (dependents first) gives every `y`: directly
//! for a package on no cycle, and by Gauss–Seidel rounds within each cycle, which converge
//! since `d < 1`. Dependency graphs are nearly acyclic, so the pass costs about one round of
//! power iteration instead of the hundred-odd it needs to reach a tolerance of 1e-10.

use rayon::prelude::*;

use crate::graph::csr::Csr;
use crate::graph::scc::components;
use crate::progress::{Progress, Work};

/// Parameters of [`pagerank`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageRankOptions {
    /// Probability of following an edge rather than jumping anywhere (0.85).
    pub damping: f64,
    /// Rounds within a cycle stop once no member's value changes by more than this fraction of
    /// itself (1e-14).
    pub tolerance: f64,
    /// Rounds within a cycle stop after this many even if not converged (1,000).
    pub max_iterations: usize,
}

impl Default for PageRankOptions {
    fn default() -> Self {
        PageRankOptions { damping: 0.85, tolerance: 1e-14, max_iterations: 1000 }
    }
}

/// Scores and how the rounds within cycles ended.
#[derive(Debug, Clone, PartialEq)]
pub struct PageRank {
    /// One score per node; they sum to 1.
    pub scores: Vec<f64>,
    /// The most rounds any cycle took (0 on an acyclic graph).
    pub iterations: usize,
    /// Whether every cycle met the tolerance.
    pub converged: bool,
}

/// PageRank of every node: `forward` holds dependent → dependency edges, `reverse` the
/// transpose.
///
/// Components are taken layer by layer ([`components`]), each layer's in parallel; a value is
/// a sum over its dependents in `reverse` order, so the result does not depend on the thread
/// count. Time O(n + m), plus the rounds within each cycle over the cycle's own edges.
///
/// ```
/// use keystone::graph::csr::Csr;
/// use keystone::analysis::pagerank::{pagerank, PageRankOptions};
/// use keystone::progress::NoProgress;
/// let forward = Csr::from_edges(3, &[(0, 2), (1, 2)]);
/// let pr = pagerank(&forward, &forward.transpose(), &PageRankOptions::default(), &NoProgress);
/// assert!(pr.scores[2] > pr.scores[0]);
/// assert!((pr.scores.iter().sum::<f64>() - 1.0).abs() < 1e-9);
/// ```
pub fn pagerank(forward: &Csr, reverse: &Csr, opts: &PageRankOptions, progress: &dyn Progress) -> PageRank {
    let n = forward.len();
    let order = components(forward);
    progress.phase("pagerank", Work::Items { unit: "layers", total: Some(order.layers.len() as u64) });
    let d = opts.damping;
    let component = &order.component;
    let mut sizes = order.sizes();
    // A node with an edge to itself is a cycle of one.
    (0..n as u32)
        .filter(|&v| forward.neighbors(v).contains(&v))
        .for_each(|v| sizes[component[v as usize] as usize] = 2);
    let cyclic = |v: u32| sizes[component[v as usize] as usize] > 1;
    let inverse_degree: Vec<f64> = (0..n as u32)
        .into_par_iter()
        .map(|v| match forward.degree(v) {
            0 => 0.0,
            out => 1.0 / out as f64,
        })
        .collect();
    // `y` of every node taken so far, and its share to each dependency.
    let mut y = vec![0.0f64; n];
    let mut share = vec![0.0f64; n];
    let (mut iterations, mut converged) = (0, true);
    for layer in &order.layers {
        // From the dependents in earlier layers: all of them, for a node on no cycle.
        let outside: Vec<f64> = layer
            .par_iter()
            .map(|&v| {
                let c = component[v as usize];
                let dependents = reverse.neighbors(v).iter().filter(|&&u| component[u as usize] != c);
                1.0 + d * dependents.fold(0.0, |sum, &u| sum + share[u as usize])
            })
            .collect();
        let mut members: Vec<(u32, u32, f64)> = Vec::new();
        for (&v, &value) in layer.iter().zip(&outside) {
            if cyclic(v) {
                members.push((component[v as usize], v, value));
            } else {
                (y[v as usize], share[v as usize]) = (value, value * inverse_degree[v as usize]);
            }
        }
        members.sort_unstable_by_key(|&(c, v, _)| (c, v));
        let cycles: Vec<&[(u32, u32, f64)]> = members.chunk_by(|a, b| a.0 == b.0).collect();
        let solved: Vec<(Vec<f64>, usize, bool)> =
            cycles.par_iter().map(|cycle| solve_cycle(cycle, reverse, component, &inverse_degree, opts)).collect();
        for (cycle, (values, rounds, met)) in cycles.iter().zip(solved) {
            for (&(_, v, _), value) in cycle.iter().zip(values) {
                (y[v as usize], share[v as usize]) = (value, value * inverse_degree[v as usize]);
            }
            iterations = iterations.max(rounds);
            converged &= met;
        }
        progress.advance(1);
    }
    // Summed in fixed chunks, in order, so the total is the same on any thread count.
    let total: f64 = y.par_chunks(1 << 14).map(|chunk| chunk.iter().sum::<f64>()).collect::<Vec<_>>().iter().sum();
    let scores = y.par_iter().map(|&value| value / total).collect();
    PageRank { scores, iterations, converged }
}

/// The `y` of a cycle's members (`(component, node, value from outside)`, by node), by
/// Gauss–Seidel rounds; the rounds taken, and whether they met the tolerance.
fn solve_cycle(
    cycle: &[(u32, u32, f64)],
    reverse: &Csr,
    component: &[u32],
    inverse_degree: &[f64],
    opts: &PageRankOptions,
) -> (Vec<f64>, usize, bool) {
    let c = cycle[0].0;
    let local = |u: u32| cycle.binary_search_by_key(&u, |&(_, v, _)| v).expect("a member of the cycle");
    // Each member's dependents within the cycle, as local indices with their inverse degrees.
    let inside: Vec<Vec<(usize, f64)>> = cycle
        .iter()
        .map(|&(_, v, _)| {
            let dependents = reverse.neighbors(v).iter().filter(|&&u| component[u as usize] == c);
            dependents.map(|&u| (local(u), inverse_degree[u as usize])).collect()
        })
        .collect();
    let mut values: Vec<f64> = cycle.iter().map(|&(_, _, outside)| outside).collect();
    for round in 1..=opts.max_iterations {
        let mut change = 0.0f64;
        for (i, dependents) in inside.iter().enumerate() {
            let within = dependents.iter().fold(0.0, |sum, &(u, inverse)| sum + values[u] * inverse);
            let value = cycle[i].2 + opts.damping * within;
            change = change.max((value - values[i]).abs() / value);
            values[i] = value;
        }
        if change <= opts.tolerance {
            return (values, round, true);
        }
    }
    (values, opts.max_iterations, false)
}
