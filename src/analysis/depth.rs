//! Reach by shortest depth: for every package, how many packages depend on it directly (depth
//! 1), through one intermediary (depth 2), through two (depth 3). Depth 4+ is the rest of its
//! reach. Computed by a BFS bounded at depth 3 from every package, in parallel.

use rayon::prelude::*;

use crate::graph::csr::Csr;
use crate::progress::{Progress, Work};

/// Counts of dependents at shortest depth 1, 2 and 3.
pub type DepthCounts = [u32; 3];

/// The [`DepthCounts`] of every node of the graph whose edges are `reverse`
/// (dependency → dependent).
///
/// Time: the sum over nodes of the edges within their depth-2 ball; memory: one `u32` stamp
/// array per thread.
///
/// ```
/// use keystone::graph::csr::Csr;
/// use keystone::analysis::depth::depth_counts;
/// use keystone::progress::NoProgress;
/// // a → b → c → d: d has one dependent at each depth.
/// let forward = Csr::from_edges(4, &[(0, 1), (1, 2), (2, 3)]);
/// assert_eq!(depth_counts(&forward.transpose(), &NoProgress)[3], [1, 1, 1]);
/// ```
pub fn depth_counts(reverse: &Csr, progress: &dyn Progress) -> Vec<DepthCounts> {
    let n = reverse.len();
    progress.phase("depth counts", Work::Items { unit: "packages", total: Some(n as u64) });
    (0..n as u32)
        .into_par_iter()
        .map_init(
            || (vec![u32::MAX; n], Vec::new(), Vec::new()),
            |(seen, frontier, next), x| {
                let mut counts = [0u32; 3];
                if reverse.degree(x) == 0 {
                    return counts;
                }
                seen[x as usize] = x;
                frontier.clear();
                frontier.push(x);
                for count in counts.iter_mut() {
                    next.clear();
                    for &v in frontier.iter() {
                        for &p in reverse.neighbors(v) {
                            if seen[p as usize] != x {
                                seen[p as usize] = x;
                                next.push(p);
                            }
                        }
                    }
                    *count = next.len() as u32;
                    std::mem::swap(frontier, next);
                }
                if x % 4096 == 0 {
                    progress.advance(4096);
                }
                counts
            },
        )
        .collect()
}
