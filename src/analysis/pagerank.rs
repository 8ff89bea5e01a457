//! PageRank in the dependency direction: a package is important when important packages depend
//! on it. Rank flows along dependent → dependency edges; packages with no dependencies spread
//! theirs evenly over all packages.

use rayon::prelude::*;

use crate::graph::csr::Csr;
use crate::progress::{Progress, Work};

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
/// Memory locality: the shares a round reads are random-access, and on a graph of millions
/// of packages they do not fit in a cache. So the rows of 8 or more dependents (which hold
/// most edges) read them one block of 2^17 nodes (1 MiB) at a time: each such row sums the
/// dependents it has in the block and carries its partial sum on to the next block. Rows are
/// sorted, so every sum is taken in the same order, to the same bits, as a plain sum over the
/// row; shorter rows are plain sums. On the npm-sized synthetic graph this makes a round 2 to
/// 2.5 times faster.
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
    progress.phase("pagerank", Work::Items { unit: "rounds", total: Some(opts.max_iterations as u64) });
    let d = opts.damping;
    let inverse_degree: Vec<f64> = (0..n as u32)
        .into_par_iter()
        .map(|v| match forward.degree(v) {
            0 => 0.0,
            out => 1.0 / out as f64,
        })
        .collect();
    let dangling_nodes: Vec<u32> = (0..n as u32).filter(|&v| forward.degree(v) == 0).collect();
    // The long rows, summed block by block, and where each starts and ends among the targets.
    let long: Vec<u32> = (0..n as u32).filter(|&v| reverse.degree(v) >= LONG_ROW).collect();
    let starts: Vec<u32> = long.iter().map(|&v| reverse.offsets()[v as usize]).collect();
    let ends: Vec<u32> = long.iter().map(|&v| reverse.offsets()[v as usize + 1]).collect();
    let mut scores = vec![1.0 / n as f64; n];
    let mut share = vec![0.0f64; n];
    let mut next = vec![0.0f64; n];
    let mut sums = vec![0.0f64; long.len()];
    let mut cursors = starts.clone();
    for iteration in 1..=opts.max_iterations {
        share.par_iter_mut().zip(&scores).zip(&inverse_degree).for_each(|((s, &x), &inv)| *s = x * inv);
        let dangling: f64 = dangling_nodes.iter().map(|&v| scores[v as usize]).sum();
        let base = (1.0 - d) / n as f64 + d * dangling / n as f64;
        let sum_of = |row: &[u32]| row.iter().fold(0.0, |sum, &u| sum + share[u as usize]);
        next.par_iter_mut().enumerate().for_each(|(v, x)| {
            let row = reverse.neighbors(v as u32);
            if row.len() < LONG_ROW {
                *x = base + d * sum_of(row);
            }
        });
        cursors.copy_from_slice(&starts);
        let tasks = sums.par_chunks_mut(ROWS_PER_TASK).zip(cursors.par_chunks_mut(ROWS_PER_TASK));
        tasks.zip(ends.par_chunks(ROWS_PER_TASK)).for_each(|((sums, cursors), ends)| {
            sums.fill(0.0);
            for block_end in (BLOCK..n + BLOCK).step_by(BLOCK) {
                for ((sum, cursor), &end) in sums.iter_mut().zip(cursors.iter_mut()).zip(ends) {
                    let row = &reverse.targets()[*cursor as usize..end as usize];
                    let inside = row.iter().take_while(|&&u| (u as usize) < block_end).count();
                    *sum = row[..inside].iter().fold(*sum, |sum, &u| sum + share[u as usize]);
                    *cursor += inside as u32;
                }
            }
        });
        long.iter().zip(&sums).for_each(|(&v, &sum)| next[v as usize] = base + d * sum);
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

/// Nodes whose shares a long row reads at a time: 2^17 shares take 1 MiB, the order of a
/// core's own cache.
const BLOCK: usize = 1 << 17;

/// Rows shorter than this are plain sums: blocking them costs more than it saves.
const LONG_ROW: usize = 8;

/// Rows one parallel task sums.
const ROWS_PER_TASK: usize = 4096;
