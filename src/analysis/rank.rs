//! The ranking: every package's direct dependents, exact reach, reach by depth, PageRank,
//! floating reach and top gateway, ordered by reach (descending), then name, then ecosystem.

use super::depth::{depth_counts, DepthCounts};
use super::floating::floating_reach;
use super::gateways::top_gateway;
use super::pagerank::{pagerank, PageRankOptions};
use super::reach::reach;
use crate::graph::Graph;
use crate::progress::Progress;

/// One package's measures.
#[derive(Debug, Clone, PartialEq)]
pub struct Metrics {
    /// The package.
    pub node: u32,
    /// Packages depending on it directly.
    pub direct_dependents: u32,
    /// Packages depending on it at any depth, itself excluded.
    pub reach: u32,
    /// Dependents at shortest depth 1, 2 and 3; depth 4+ is `reach` minus their sum.
    pub depth: DepthCounts,
    /// PageRank in the dependency direction.
    pub pagerank: f64,
    /// Packages a malicious next release would reach through fresh installs.
    pub floating_reach: u32,
    /// The direct dependent through which most of the reach arrives, and its share
    /// ([`top_gateway`]); `None` without dependents.
    pub top_gateway: Option<(u32, f64)>,
}

impl Metrics {
    /// Dependents at shortest depth 4 or more.
    pub fn depth4plus(&self) -> u32 {
        self.reach - self.depth.iter().sum::<u32>()
    }
}

/// Every package's [`Metrics`], ranked.
#[derive(Debug, Clone)]
pub struct Ranking {
    /// Best first.
    pub rows: Vec<Metrics>,
    /// PageRank rounds run, and whether it met its tolerance.
    pub pagerank_iterations: usize,
    /// Whether PageRank converged.
    pub pagerank_converged: bool,
}

/// Ranks every package of `graph`.
pub fn rank(graph: &Graph, progress: &dyn Progress) -> Ranking {
    let reach = reach(graph.reverse(), progress);
    let depth = depth_counts(graph.reverse(), progress);
    let pr = pagerank(graph.forward(), graph.reverse(), &PageRankOptions::default(), progress);
    let floating = floating_reach(graph, progress);
    let gateways = top_gateway(graph.reverse(), &reach);
    let mut rows: Vec<Metrics> = (0..graph.node_count() as u32)
        .map(|v| Metrics {
            node: v,
            direct_dependents: graph.reverse().degree(v) as u32,
            reach: reach[v as usize],
            depth: depth[v as usize],
            pagerank: pr.scores[v as usize],
            floating_reach: floating[v as usize],
            top_gateway: gateways[v as usize],
        })
        .collect();
    rows.sort_by(|a, b| {
        b.reach
            .cmp(&a.reach)
            .then_with(|| graph.name(a.node).cmp(graph.name(b.node)))
            .then_with(|| graph.ecosystem(a.node).cmp(&graph.ecosystem(b.node)))
    });
    Ranking { rows, pagerank_iterations: pr.iterations, pagerank_converged: pr.converged }
}
