//! Summary counts of a graph: size, cycles, roots and leaves, per ecosystem.

use crate::graph::scc::components;
use crate::graph::Graph;
use crate::model::Ecosystem;

/// What `keystone stats` reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stats {
    /// Packages per ecosystem, ascending by ecosystem.
    pub packages: Vec<(Ecosystem, usize)>,
    /// Dependency edges.
    pub edges: usize,
    /// Edges whose requirement floats (admits the target's next patch release).
    pub floating_edges: usize,
    /// Edges whose requirement could not be read (counted as floating too).
    pub unparsed_edges: usize,
    /// Strongly connected components, singletons included.
    pub components: usize,
    /// Components of two or more packages (dependency cycles).
    pub cyclic_components: usize,
    /// Packages in such cycles.
    pub packages_in_cycles: usize,
    /// Size of the largest component.
    pub largest_component: usize,
    /// Packages nobody depends on.
    pub no_dependents: usize,
    /// Packages that depend on nothing.
    pub no_dependencies: usize,
}

/// Computes [`Stats`] of `graph` in O(n + m).
pub fn stats(graph: &Graph) -> Stats {
    let comps = components(graph.forward());
    let sizes = comps.sizes();
    let mut packages: Vec<(Ecosystem, usize)> = Vec::new();
    for v in 0..graph.node_count() as u32 {
        match packages.last_mut() {
            Some((e, count)) if *e == graph.ecosystem(v) => *count += 1,
            _ => packages.push((graph.ecosystem(v), 1)),
        }
    }
    let n = graph.node_count() as u32;
    Stats {
        packages,
        edges: graph.edge_count(),
        floating_edges: (0..n).flat_map(|v| graph.edge_flags(v)).filter(|f| f.floats()).count(),
        unparsed_edges: (0..n).flat_map(|v| graph.edge_flags(v)).filter(|f| f.unparsed()).count(),
        components: sizes.len(),
        cyclic_components: sizes.iter().filter(|&&s| s > 1).count(),
        packages_in_cycles: sizes.iter().filter(|&&s| s > 1).map(|&s| s as usize).sum(),
        largest_component: sizes.iter().copied().max().unwrap_or(0) as usize,
        no_dependents: (0..n).filter(|&v| graph.reverse().degree(v) == 0).count(),
        no_dependencies: (0..n).filter(|&v| graph.forward().degree(v) == 0).count(),
    }
}
