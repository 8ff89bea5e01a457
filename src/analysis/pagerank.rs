//! PageRank in the dependency direction: a package is important when important packages depend
//! on it. Rank flows along dependent → dependency edges; packages with no dependencies spread
//! theirs evenly over all packages.

use rayon::prelude::*;

use crate::graph::csr::Csr;
use crate::progress::Progress;

/// Parameters of [`pagerank`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageRankOptions {
    /// Probability of following an edge rather than jumping anywhere (0.85).
    pub damping: f64,
    /// Iteration stops once the L1 distance between successive score vectors is below this
    /// (1e-10; the scores sum to 1).
    pub tolerance: f64,
    /// Iteration stops after this many rounds even if not converged (200).
    pub max_iterations: usize,
}

impl Default for PageRankOptions {
    fn default() -> Self {
        PageRankOptions { damping: 0.85, tolerance: 1e-10, max_iterations: 200 }
    }
}

/// Scores and how the iteration ended.
#[derive(Debug, Clone, PartialEq)]
pub struct PageRank {
    /// One score per node; they sum to 1.
    pub scores: Vec<f64>,
    /// Rounds run.
    pub iterations: usize,
    /// Whether the tolerance was met.
    pub converged: bool,
}

/// PageRank of every node: `forward` holds dependent → dependency edges, `reverse` the
/// transpose.
///
/// Power iteration, pulled along `reverse` so each node's sum is taken in a fixed order: the
/// result does not depend on the thread count. Time O(m) per round.
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
    if n == 0 {
        return PageRank { scores: Vec::new(), iterations: 0, converged: true };
    }
    progress.phase("pagerank", Some(opts.max_iterations as u64));
    let d = opts.damping;
    let inverse_degree: Vec<f64> = (0..n as u32)
        .into_par_iter()
        .map(|v| match forward.degree(v) {
            0 => 0.0,
            out => 1.0 / out as f64,
        })
        .collect();
    let dangling_nodes: Vec<u32> = (0..n as u32).filter(|&v| forward.degree(v) == 0).collect();
    let mut scores = vec![1.0 / n as f64; n];
    let mut share = vec![0.0f64; n];
    let mut next = vec![0.0f64; n];
    for iteration in 1..=opts.max_iterations {
        share.par_iter_mut().zip(&scores).zip(&inverse_degree).for_each(|((s, &x), &inv)| *s = x * inv);
        let dangling: f64 = dangling_nodes.iter().map(|&v| scores[v as usize]).sum();
        let base = (1.0 - d) / n as f64 + d * dangling / n as f64;
        next.par_iter_mut().enumerate().for_each(|(v, x)| {
            *x = base + d * reverse.neighbors(v as u32).iter().map(|&u| share[u as usize]).sum::<f64>()
        });
        // Summed in fixed chunks, in order, so the stopping round is the same on any thread count.
        let partial: Vec<f64> = next
            .par_chunks(1 << 14)
            .zip(scores.par_chunks(1 << 14))
            .map(|(a, b)| a.iter().zip(b).map(|(x, y)| (x - y).abs()).sum())
            .collect();
        let delta: f64 = partial.iter().sum();
        std::mem::swap(&mut scores, &mut next);
        progress.advance(1);
        if delta < opts.tolerance {
            return PageRank { scores, iterations: iteration, converged: true };
        }
    }
    PageRank { scores, iterations: opts.max_iterations, converged: false }
}
