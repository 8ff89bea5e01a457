//! Breadth-first search with parents: `blast` (who is affected if a package is compromised,
//! at what depth, and one shortest chain each) and `why` (the chain that makes one package
//! depend on another).

use std::collections::VecDeque;

use rustc_hash::FxHashMap;

use crate::graph::csr::Csr;

/// A BFS from one or several sources over some edge direction.
#[derive(Debug, Clone)]
pub struct Search {
    /// The start nodes (depth 0), ascending, each with the nodes its first step went to.
    pub sources: Vec<(u32, Vec<u32>)>,
    /// Every node reached, sources excluded, in BFS order (by depth, then discovery).
    pub reached: Vec<u32>,
    /// Each node's depth plus one and parent.
    marks: Marks,
}

/// Per node seen, its depth plus one ([`AVOIDED`] for a node never to enter) and its parent;
/// [`UNSEEN`] for the others. A small search keeps them in a hash map, so that it takes time in
/// proportion to what it reaches rather than to the graph (a server answers many of them); past
/// a 32nd of the graph, in two arrays.
#[derive(Debug, Clone)]
enum Marks {
    Sparse { map: FxHashMap<u32, (u32, u32)>, n: usize },
    Dense { depth: Vec<u32>, parent: Vec<u32> },
}

impl Marks {
    fn depth(&self, v: u32) -> u32 {
        match self {
            Marks::Sparse { map, .. } => map.get(&v).map_or(UNSEEN, |m| m.0),
            Marks::Dense { depth, .. } => depth[v as usize],
        }
    }

    fn parent(&self, v: u32) -> u32 {
        match self {
            Marks::Sparse { map, .. } => map.get(&v).map_or(UNSEEN, |m| m.1),
            Marks::Dense { parent, .. } => parent[v as usize],
        }
    }

    fn set(&mut self, v: u32, depth: u32, parent: u32) {
        match self {
            Marks::Sparse { map, n } => {
                map.insert(v, (depth, parent));
                if map.len() > *n / 32 {
                    let (mut d, mut p) = (vec![UNSEEN; *n], vec![UNSEEN; *n]);
                    for (&v, &(depth, parent)) in map.iter() {
                        d[v as usize] = depth;
                        p[v as usize] = parent;
                    }
                    *self = Marks::Dense { depth: d, parent: p };
                }
            }
            Marks::Dense { depth: d, parent: p } => {
                d[v as usize] = depth;
                p[v as usize] = parent;
            }
        }
    }
}

/// How far a [`Search`] goes; the default goes everywhere it can.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Bounds<'a> {
    /// At most this many edges deep.
    pub max_depth: Option<u32>,
    /// Stop as soon as this node is reached.
    pub target: Option<u32>,
    /// Never enter these nodes.
    pub avoid: &'a [u32],
}

const UNSEEN: u32 = 0;
const AVOIDED: u32 = u32::MAX;

impl Search {
    /// Searches `graph` from `source` within `bounds`.
    ///
    /// Neighbours are visited in ascending id order, so each node's parent (and so its chain)
    /// is deterministic. Time O(n + m) at worst.
    pub fn run(graph: &Csr, source: u32, bounds: Bounds<'_>) -> Search {
        Search::from_starts(graph, vec![(source, graph.neighbors(source).to_vec())], bounds)
    }

    /// Searches from several sources at once, each at depth 0, whose first steps go only to
    /// the nodes given with each (a subset of its neighbours: the scenarios of `blast`, where
    /// only some direct dependents are affected). Each node reached gets its depth from the
    /// nearest source, and its chain leads to that source (ties: the first in BFS order).
    /// Sources are taken in ascending order; a node listed twice counts once, with the union of
    /// its first steps.
    pub fn from_starts(graph: &Csr, mut starts: Vec<(u32, Vec<u32>)>, bounds: Bounds<'_>) -> Search {
        let Bounds { max_depth, target, avoid } = bounds;
        starts.sort_unstable_by_key(|s| s.0);
        starts.dedup_by(|b, a| {
            let same = a.0 == b.0;
            if same {
                a.1.append(&mut b.1);
                a.1.sort_unstable();
                a.1.dedup();
            }
            same
        });
        let mut marks = Marks::Sparse { map: FxHashMap::default(), n: graph.len() };
        let mut reached = Vec::new();
        for &v in avoid {
            marks.set(v, AVOIDED, UNSEEN);
        }
        for (s, _) in &starts {
            marks.set(*s, 1, UNSEEN);
        }
        let mut queue: VecDeque<(u32, &[u32])> = starts.iter().map(|(s, first)| (*s, first.as_slice())).collect();
        'search: while let Some((v, next)) = queue.pop_front() {
            let d = marks.depth(v);
            if max_depth.is_some_and(|m| d > m) {
                continue;
            }
            for &w in next {
                if marks.depth(w) == UNSEEN {
                    marks.set(w, d + 1, v);
                    reached.push(w);
                    if target == Some(w) {
                        break 'search;
                    }
                    queue.push_back((w, graph.neighbors(w)));
                }
            }
        }
        Search { sources: starts, reached, marks }
    }

    /// Whether `v` is one of the sources.
    pub fn is_source(&self, v: u32) -> bool {
        self.marks.depth(v) == 1
    }

    /// The depth at which `v` was reached (0 for the source), if it was.
    pub fn depth(&self, v: u32) -> Option<u32> {
        Some(self.marks.depth(v)).filter(|&d| d != UNSEEN && d != AVOIDED).map(|d| d - 1)
    }

    /// The chain of nodes from `v` back to its nearest source (`v` first), if `v` was reached.
    pub fn chain(&self, v: u32) -> Option<Vec<u32>> {
        self.depth(v)?;
        let mut chain = vec![v];
        let mut at = v;
        while !self.is_source(at) {
            at = self.marks.parent(at);
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
            let d = self.marks.depth(first);
            let (level, tail) = rest.split_at(rest.partition_point(|&v| self.marks.depth(v) == d));
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
