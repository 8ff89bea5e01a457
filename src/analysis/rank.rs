//! The ranking: every package's direct dependents, reach, reach by depth, PageRank, floating
//! reach and top gateway, ordered by reach (descending), then name, then ecosystem. Reach and
//! floating reach are exact unless the memory limit forces estimates (see
//! [`bounded_reach`]); each row says which of its values are.

use super::depth::{depth_counts, DepthCounts};
use super::floating::floating_reach;
use super::gateways::{top_gateway, TopGateway};
use super::pagerank::{pagerank, PageRankOptions};
use super::reach::{bounded_reach, Approximation, ReachLimits};
use crate::error::Result;
use crate::graph::Graph;
use crate::progress::{Progress, Work};

/// One package's measures.
#[derive(Debug, Clone, PartialEq)]
pub struct Metrics {
    /// The package.
    pub node: u32,
    /// Packages depending on it directly.
    pub direct_dependents: u32,
    /// Packages depending on it at any depth, itself excluded.
    pub reach: u32,
    /// Whether `reach` is an estimate.
    pub reach_estimated: bool,
    /// Dependents at shortest depth 1, 2 and 3; depth 4+ is `reach` minus their sum.
    pub depth: DepthCounts,
    /// PageRank in the dependency direction.
    pub pagerank: f64,
    /// Packages a malicious next release would reach through fresh installs.
    pub floating_reach: u32,
    /// Whether `floating_reach` is an estimate.
    pub floating_reach_estimated: bool,
    /// Where the reach enters from outside the package's project: its outside dependents and
    /// the one through which most of the reach arrives, with its share ([`top_gateway`]).
    pub gateway: TopGateway,
}

impl Metrics {
    /// Dependents at shortest depth 4 or more (0 where an estimated reach falls below the
    /// exact depth counts).
    pub fn depth4plus(&self) -> u32 {
        self.reach.saturating_sub(self.depth.iter().sum::<u32>())
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
    /// How reach was estimated, if the exact sets did not fit the limit.
    pub reach_approximation: Option<Approximation>,
    /// How floating reach was estimated, if its exact sets did not fit the limit.
    pub floating_approximation: Option<Approximation>,
}

/// Ranks every package of `graph`, reach and floating reach within `limits` (the largest
/// `limits.exact_top` of each exact in any case).
///
/// # Errors
/// [`Error::Memory`](crate::error::Error::Memory) when even sketches would not fit the limit.
pub fn rank(graph: &Graph, limits: &ReachLimits, progress: &dyn Progress) -> Result<Ranking> {
    let n = graph.node_count();
    progress.phase("reach", Work::Unmeasured);
    let reach = bounded_reach(graph.reverse(), limits, 0..n, progress)?;
    let depth = depth_counts(graph.reverse(), progress);
    let pr = pagerank(graph.forward(), graph.reverse(), &PageRankOptions::default(), progress);
    // Where every requirement admits the next release (an edge list has none), a malicious
    // release floats wherever its package is reached: floating reach is reach, known already.
    let floating = if graph.every_edge_floats() { reach.clone() } else { floating_reach(graph, limits, progress)? };
    let gateways = top_gateway(graph.reverse(), &reach.values, &graph.project_ids());
    let estimated = |values: &[bool], v: u32| values.get(v as usize).copied().unwrap_or(false);
    let mut rows: Vec<Metrics> = (0..graph.node_count() as u32)
        .map(|v| Metrics {
            node: v,
            direct_dependents: graph.reverse().degree(v) as u32,
            reach: reach.values[v as usize],
            reach_estimated: estimated(&reach.estimated, v),
            depth: depth[v as usize],
            pagerank: pr.scores[v as usize],
            floating_reach: floating.values[v as usize],
            floating_reach_estimated: estimated(&floating.estimated, v),
            gateway: gateways[v as usize],
        })
        .collect();
    rows.sort_by(|a, b| {
        b.reach
            .cmp(&a.reach)
            .then_with(|| graph.name(a.node).cmp(graph.name(b.node)))
            .then_with(|| graph.ecosystem(a.node).cmp(&graph.ecosystem(b.node)))
    });
    Ok(Ranking {
        rows,
        pagerank_iterations: pr.iterations,
        pagerank_converged: pr.converged,
        reach_approximation: reach.approximation,
        floating_approximation: floating.approximation,
    })
}
