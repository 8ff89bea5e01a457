//! petgraph's graph traits for [`Csr`] and [`Graph`], so that petgraph's algorithms run on a
//! loaded graph in place, without copying its edges into a petgraph graph.
//!
//! Definitions:
//! - a *node* is its `u32` id, `0..n`, and is its own index ([`NodeIndexable`] and
//!   [`NodeCompactIndexable`]); nodes and edges weigh `()`;
//! - an *edge* is one row entry: `(source, target)` for each `target` in
//!   `csr.neighbors(source)`, with that pair as its id. A [`Graph`]'s edges are its forward
//!   ones (dependent → dependency), so `Outgoing` means "depends on";
//! - a *visit map* is a [`FixedBitSet`] of `n` bits.
//!
//! Every trait is implemented for both `&Csr` and `&Graph`, except the two with an `Incoming`
//! direction, [`IntoNeighborsDirected`] and [`IntoEdgesDirected`]: those need the transpose,
//! which a bare [`Csr`] does not hold (building it is O(n + m); scanning for it O(m) per
//! call), so only `&Graph`, which holds both directions, has them. On a bare `Csr`, run the
//! algorithm on [`Csr::transpose`] for the other direction. [`GetAdjacencyMatrix`] is not
//! implemented: petgraph promises an O(1) adjacency test, which would take n² bits or a hash
//! set of every edge; the rows are sorted, so `csr.neighbors(a).binary_search(&b)` is the
//! cheap test. Nor is `EdgeIndexable`: an edge's id is its pair of ends, not a position.
//!
//! ```
//! use keystone::graph::csr::Csr;
//! // 0 ⇄ 1 → 2 → 3: three strongly connected components, the cycle among them.
//! let g = Csr::from_edges(4, &[(0, 1), (1, 0), (1, 2), (2, 3)]);
//! let mut sccs = petgraph::algo::tarjan_scc(&g);
//! sccs.iter_mut().for_each(|c| c.sort_unstable());
//! assert_eq!(sccs, vec![vec![3], vec![2], vec![0, 1]]);
//! ```
//!
//! [`GetAdjacencyMatrix`]: petgraph::visit::GetAdjacencyMatrix

use std::iter::{Copied, Map};
use std::ops::Range;
use std::slice;

use fixedbitset::FixedBitSet;
use petgraph::visit::{
    Data, EdgeCount, GraphBase, GraphProp, IntoEdgeReferences, IntoEdges, IntoEdgesDirected, IntoNeighbors,
    IntoNeighborsDirected, IntoNodeIdentifiers, IntoNodeReferences, NodeCompactIndexable, NodeCount, NodeIndexable,
    Visitable,
};
use petgraph::{Directed, Direction};

use super::csr::Csr;
use super::Graph;

/// An edge as petgraph's [`EdgeRef`](petgraph::visit::EdgeRef) reads it: source, target, and
/// the unit weight.
pub type EdgeReference<'a> = (u32, u32, &'a ());

/// The nodes with their unit weights, as [`IntoNodeReferences`] gives them.
pub type NodeReferences = Map<Range<u32>, fn(u32) -> (u32, ())>;

/// The edges at one node, in ascending order of the other end: those out of it, or, for
/// `Incoming` on a [`Graph`], those into it.
#[derive(Debug, Clone)]
pub struct Edges<'a> {
    node: u32,
    others: slice::Iter<'a, u32>,
    incoming: bool,
}

impl<'a> Iterator for Edges<'a> {
    type Item = EdgeReference<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        let other = *self.others.next()?;
        Some(if self.incoming { (other, self.node, &()) } else { (self.node, other, &()) })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.others.size_hint()
    }
}

impl ExactSizeIterator for Edges<'_> {}

/// Every edge of a [`Csr`], row by row (by source, then target).
#[derive(Debug, Clone)]
pub struct EdgeReferences<'a> {
    csr: &'a Csr,
    source: u32,
    row: slice::Iter<'a, u32>,
}

impl<'a> EdgeReferences<'a> {
    fn new(csr: &'a Csr) -> Self {
        let row = if csr.is_empty() { [].iter() } else { csr.neighbors(0).iter() };
        EdgeReferences { csr, source: 0, row }
    }
}

impl<'a> Iterator for EdgeReferences<'a> {
    type Item = EdgeReference<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(&target) = self.row.next() {
                return Some((self.source, target, &()));
            }
            if self.source as usize + 1 >= self.csr.len() {
                return None;
            }
            self.source += 1;
            self.row = self.csr.neighbors(self.source).iter();
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let done = match self.csr.offsets().get(self.source as usize + 1) {
            Some(&end) => end as usize - self.row.len(),
            None => 0,
        };
        let left = self.csr.edge_count() - done;
        (left, Some(left))
    }
}

impl ExactSizeIterator for EdgeReferences<'_> {}

/// Implements every trait that reads only one direction for `$graph`, whose edges are the
/// `Csr` that `$edges` gives from `$g: &$graph`.
macro_rules! one_direction {
    ($graph:ty, |$g:ident| $edges:expr) => {
        impl GraphBase for $graph {
            type NodeId = u32;
            type EdgeId = (u32, u32);
        }

        impl GraphProp for $graph {
            type EdgeType = Directed;
        }

        impl Data for $graph {
            type NodeWeight = ();
            type EdgeWeight = ();
        }

        impl NodeCount for $graph {
            fn node_count(&self) -> usize {
                let $g = self;
                Csr::len($edges)
            }
        }

        impl EdgeCount for $graph {
            fn edge_count(&self) -> usize {
                let $g = self;
                Csr::edge_count($edges)
            }
        }

        impl NodeIndexable for $graph {
            fn node_bound(&self) -> usize {
                let $g = self;
                Csr::len($edges)
            }

            fn to_index(&self, v: u32) -> usize {
                v as usize
            }

            fn from_index(&self, i: usize) -> u32 {
                // Node ids are below `n`, which fits `u32` (the offsets are `u32`).
                i as u32
            }
        }

        impl NodeCompactIndexable for $graph {}

        impl Visitable for $graph {
            type Map = FixedBitSet;

            fn visit_map(&self) -> FixedBitSet {
                let $g = self;
                FixedBitSet::with_capacity(Csr::len($edges))
            }

            fn reset_map(&self, map: &mut FixedBitSet) {
                let $g = self;
                map.clear();
                map.grow(Csr::len($edges));
            }
        }

        impl<'a> IntoNodeIdentifiers for &'a $graph {
            type NodeIdentifiers = Range<u32>;

            fn node_identifiers(self) -> Range<u32> {
                let $g = self;
                0..Csr::len($edges) as u32
            }
        }

        impl<'a> IntoNodeReferences for &'a $graph {
            type NodeRef = (u32, ());
            type NodeReferences = NodeReferences;

            fn node_references(self) -> NodeReferences {
                self.node_identifiers().map(|v| (v, ()))
            }
        }

        impl<'a> IntoNeighbors for &'a $graph {
            type Neighbors = Copied<slice::Iter<'a, u32>>;

            fn neighbors(self, v: u32) -> Self::Neighbors {
                let $g = self;
                Csr::neighbors($edges, v).iter().copied()
            }
        }

        impl<'a> IntoEdgeReferences for &'a $graph {
            type EdgeRef = EdgeReference<'a>;
            type EdgeReferences = EdgeReferences<'a>;

            fn edge_references(self) -> EdgeReferences<'a> {
                let $g = self;
                EdgeReferences::new($edges)
            }
        }

        impl<'a> IntoEdges for &'a $graph {
            type Edges = Edges<'a>;

            fn edges(self, v: u32) -> Edges<'a> {
                let $g = self;
                Edges { node: v, others: Csr::neighbors($edges, v).iter(), incoming: false }
            }
        }
    };
}

one_direction!(Csr, |g| g);
one_direction!(Graph, |g| g.forward());

impl<'a> IntoNeighborsDirected for &'a Graph {
    type NeighborsDirected = Copied<slice::Iter<'a, u32>>;

    /// `Outgoing`: `v`'s dependencies; `Incoming`: its direct dependents.
    fn neighbors_directed(self, v: u32, d: Direction) -> Self::NeighborsDirected {
        let edges = match d {
            Direction::Outgoing => self.forward(),
            Direction::Incoming => self.reverse(),
        };
        edges.neighbors(v).iter().copied()
    }
}

impl<'a> IntoEdgesDirected for &'a Graph {
    type EdgesDirected = Edges<'a>;

    /// `Outgoing`: the edges from `v` to its dependencies; `Incoming`: those from its direct
    /// dependents to `v`.
    fn edges_directed(self, v: u32, d: Direction) -> Edges<'a> {
        let incoming = d == Direction::Incoming;
        let edges = if incoming { self.reverse() } else { self.forward() };
        Edges { node: v, others: edges.neighbors(v).iter(), incoming }
    }
}
