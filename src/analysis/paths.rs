//! Breadth-first search with parents: `blast` (who is affected if a package is compromised,
//! at what depth, and one shortest chain each) and `why` (the chain that makes one package
//! depend on another).

use std::collections::VecDeque;

use crate::graph::csr::Csr;

/// A BFS from one source over some edge direction.
#[derive(Debug, Clone)]
pub struct Search {
    /// The start node.
    pub source: u32,
    /// Every node reached, source excluded, in BFS order (by depth, then discovery).
    pub reached: Vec<u32>,
    /// Per node, its depth plus one; [`UNSEEN`] or [`AVOIDED`] otherwise. Zero for unseen, so
    /// the arrays start as fresh zeroed memory that a small search never touches.
    depth: Vec<u32>,
    /// Per reached node, its parent.
    parent: Vec<u32>,
}

/// How far a [`Search`] goes; the default goes everywhere it can.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Bounds {
    /// At most this many edges deep.
    pub max_depth: Option<u32>,
    /// Stop as soon as this node is reached.
    pub target: Option<u32>,
    /// Never enter this node.
    pub avoid: Option<u32>,
}

const UNSEEN: u32 = 0;
const AVOIDED: u32 = u32::MAX;

impl Search {
    /// Searches `graph` from `source` within `bounds`.
    ///
    /// Neighbours are visited in ascending id order, so each node's parent (and so its chain)
    /// is deterministic. Time O(n + m) at worst.
    pub fn run(graph: &Csr, source: u32, bounds: Bounds) -> Search {
        Search::walk(graph, source, graph.neighbors(source), bounds)
    }

    /// Like [`Search::run`], but the first step from `source` goes only to `seeds` (ascending,
    /// a subset of its neighbours): the scenarios of `blast`, where only some direct
    /// dependents are affected.
    pub fn from_seeds(graph: &Csr, source: u32, seeds: &[u32], max_depth: Option<u32>) -> Search {
        Search::walk(graph, source, seeds, Bounds { max_depth, ..Bounds::default() })
    }

    fn walk(graph: &Csr, source: u32, first: &[u32], bounds: Bounds) -> Search {
        let Bounds { max_depth, target, avoid } = bounds;
        let n = graph.len();
        let mut depth = vec![UNSEEN; n];
        let mut parent = vec![UNSEEN; n];
        let mut reached = Vec::new();
        let mut queue = VecDeque::from([source]);
        if let Some(avoid) = avoid {
            depth[avoid as usize] = AVOIDED;
        }
        depth[source as usize] = 1;
        'search: while let Some(v) = queue.pop_front() {
            let d = depth[v as usize];
            if max_depth.is_some_and(|m| d > m) {
                continue;
            }
            let next = if v == source { first } else { graph.neighbors(v) };
            for &w in next {
                if depth[w as usize] == UNSEEN {
                    depth[w as usize] = d + 1;
                    parent[w as usize] = v;
                    reached.push(w);
                    if target == Some(w) {
                        break 'search;
                    }
                    queue.push_back(w);
                }
            }
        }
        Search { source, reached, depth, parent }
    }

    /// The depth at which `v` was reached (0 for the source), if it was.
    pub fn depth(&self, v: u32) -> Option<u32> {
        Some(self.depth[v as usize]).filter(|&d| d != UNSEEN && d != AVOIDED).map(|d| d - 1)
    }

    /// The chain of nodes from `v` back to the source (`v` first), if `v` was reached.
    pub fn chain(&self, v: u32) -> Option<Vec<u32>> {
        self.depth(v)?;
        let mut chain = vec![v];
        let mut at = v;
        while at != self.source {
            at = self.parent[at as usize];
            chain.push(at);
        }
        Some(chain)
    }

    /// The reached nodes at each depth, in BFS order: index 0 is depth 1. `reached` is in
    /// depth order, so each depth's end is found by binary search.
    pub fn levels(&self) -> Vec<&[u32]> {
        let mut levels = Vec::new();
        let mut rest = self.reached.as_slice();
        while let Some(&first) = rest.first() {
            let d = self.depth[first as usize];
            let (level, tail) = rest.split_at(rest.partition_point(|&v| self.depth[v as usize] == d));
            levels.push(level);
            rest = tail;
        }
        levels
    }

    /// How many reached nodes lie at each depth: index 0 is depth 1.
    pub fn per_depth(&self) -> Vec<u64> {
        self.levels().iter().map(|level| level.len() as u64).collect()
    }
}

/// Everything that transitively depends on `x`, with shortest depths and chains, searching the
/// dependency → dependent edges `reverse`. Each chain runs from the affected package to `x`.
///
/// ```
/// use keystone::graph::csr::Csr;
/// use keystone::analysis::paths::blast;
/// let forward = Csr::from_edges(3, &[(0, 1), (1, 2)]);
/// let b = blast(&forward.transpose(), 2, None);
/// assert_eq!(b.reached, vec![1, 0]);
/// assert_eq!(b.chain(0), Some(vec![0, 1, 2]));
/// ```
pub fn blast(reverse: &Csr, x: u32, max_depth: Option<u32>) -> Search {
    Search::run(reverse, x, Bounds { max_depth, ..Bounds::default() })
}

/// One shortest chain `from → … → to` along dependent → dependency edges `forward`, or `None`
/// if `from` does not depend on `to`.
///
/// ```
/// use keystone::graph::csr::Csr;
/// use keystone::analysis::paths::why;
/// let forward = Csr::from_edges(3, &[(0, 1), (1, 2)]);
/// assert_eq!(why(&forward, 0, 2), Some(vec![0, 1, 2]));
/// assert_eq!(why(&forward, 2, 0), None);
/// ```
pub fn why(forward: &Csr, from: u32, to: u32) -> Option<Vec<u32>> {
    if from == to {
        return None;
    }
    let search = Search::run(forward, from, Bounds { target: Some(to), ..Bounds::default() });
    let mut chain = search.chain(to)?;
    chain.reverse();
    Some(chain)
}
