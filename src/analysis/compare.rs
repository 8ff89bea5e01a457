//! Two rankings side by side: how packages move between an old and a new graph (two dumps of
//! an ecosystem, or one dump under two [`crate::model::Profile`]s).
//!
//! Packages are matched by (ecosystem, name), so the graphs may hold different packages. Each
//! package's standing in a graph is its row in [`rank`](super::rank::rank) (reach descending,
//! then name, then ecosystem): the same `rank` and `reach` that `keystone rank` prints.
//!
//! [`movements`] lists every package of either graph; [`summarize`] picks out what a reader
//! asks first: who entered the top N, who climbed most, whose reach jumped most.
//!
//! ```
//! use keystone::analysis::{compare, rank::rank};
//! use keystone::graph::builder::build;
//! use keystone::model::{DepKind, Dependency, Ecosystem, Ingested, PackageRecord, Profile};
//! use keystone::progress::NoProgress;
//!
//! // `a` depends on `b`, and on `c` only as a dev dependency.
//! let dep = |name: &str, kind| Dependency::new(name, kind, false, None);
//! let record = |name: &str, deps| PackageRecord::new(Ecosystem::Generic, name.into(), None, deps);
//! let a = record("a", vec![dep("b", DepKind::Normal), dep("c", DepKind::Dev)]);
//! let input = [Ingested { packages: vec![a, record("c", vec![])], edges: Vec::new(), skipped: Default::default() }];
//! let old = build(&input, Profile::default(), &NoProgress)?;
//! let new = build(&input, "normal,build,dev".parse().unwrap(), &NoProgress)?;
//! let (old_rank, new_rank) = (rank(&old, &Default::default(), &NoProgress).unwrap(), rank(&new, &Default::default(), &NoProgress).unwrap());
//! let moves = compare::movements((&old, &old_rank), (&new, &new_rank));
//! let c = moves.iter().find(|m| m.name == "c").unwrap();
//! assert_eq!((c.old.unwrap().reach, c.new.unwrap().reach), (0, 1));
//! assert_eq!(c.rank_change(), Some(1)); // from b, a, c to b, c, a: by reach, then name
//! # Ok::<(), keystone::error::Error>(())
//! ```

use std::cmp::Ordering;

use super::rank::Ranking;
use crate::graph::Graph;
use crate::model::Ecosystem;

/// Where a package stands in one ranking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    /// 1-based position.
    pub rank: u32,
    /// Its reach.
    pub reach: u32,
}

/// One package and where it stands in the old and the new ranking (`None`: not in that graph).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Movement<'a> {
    /// The package's ecosystem.
    pub ecosystem: Ecosystem,
    /// The package's name within its ecosystem.
    pub name: &'a str,
    /// Its standing in the old ranking.
    pub old: Option<Standing>,
    /// Its standing in the new ranking.
    pub new: Option<Standing>,
}

impl Movement<'_> {
    /// Places climbed from old to new (old rank − new rank; negative: it fell).
    pub fn rank_change(&self) -> Option<i64> {
        Some(i64::from(self.old?.rank) - i64::from(self.new?.rank))
    }

    /// New reach − old reach.
    pub fn reach_change(&self) -> Option<i64> {
        Some(i64::from(self.new?.reach) - i64::from(self.old?.reach))
    }

    /// New reach / old reach; `None` when the old reach is 0 or a side is missing.
    pub fn reach_ratio(&self) -> Option<f64> {
        let (old, new) = (self.old?.reach, self.new?.reach);
        (old > 0).then(|| f64::from(new) / f64::from(old))
    }

    /// Whether it is among the first `n` of either ranking.
    pub fn in_top(&self, n: usize) -> bool {
        let within = |s: Option<Standing>| s.is_some_and(|s| s.rank as usize <= n);
        within(self.old) || within(self.new)
    }

    /// The order of [`movements`]: new rank, then (for packages only in the old graph) old
    /// rank, then name and ecosystem.
    fn order(&self, other: &Self) -> Ordering {
        let key = |m: &Self| (m.new.map_or(u32::MAX, |s| s.rank), m.old.map_or(u32::MAX, |s| s.rank));
        key(self).cmp(&key(other)).then_with(|| self.name.cmp(other.name)).then(self.ecosystem.cmp(&other.ecosystem))
    }
}

/// Every package's standing, indexed by node.
fn standings(graph: &Graph, ranking: &Ranking) -> Vec<Standing> {
    let mut by_node = vec![Standing { rank: 0, reach: 0 }; graph.node_count()];
    for (i, m) in ranking.rows.iter().enumerate() {
        by_node[m.node as usize] = Standing { rank: i as u32 + 1, reach: m.reach };
    }
    by_node
}

/// Every package of either graph with its standing in each, ordered by new rank, then old
/// rank (packages only in the old graph come last), then name and ecosystem.
///
/// Complexity: O((n_old + n_new) log n) for matching names by binary search and sorting.
pub fn movements<'a>(old: (&'a Graph, &Ranking), new: (&'a Graph, &Ranking)) -> Vec<Movement<'a>> {
    let (old_graph, new_graph) = (old.0, new.0);
    let (old_at, new_at) = (standings(old.0, old.1), standings(new.0, new.1));
    let mut rows: Vec<Movement<'a>> = (0..new_graph.node_count() as u32)
        .map(|v| {
            let (ecosystem, name) = (new_graph.ecosystem(v), new_graph.name(v));
            let old = old_graph.lookup(ecosystem, name).map(|u| old_at[u as usize]);
            Movement { ecosystem, name, old, new: Some(new_at[v as usize]) }
        })
        .collect();
    rows.extend((0..old_graph.node_count() as u32).filter_map(|u| {
        let (ecosystem, name) = (old_graph.ecosystem(u), old_graph.name(u));
        new_graph.lookup(ecosystem, name).is_none().then(|| Movement {
            ecosystem,
            name,
            old: Some(old_at[u as usize]),
            new: None,
        })
    }));
    rows.sort_unstable_by(Movement::order);
    rows
}

/// What changed at the top, from [`summarize`].
#[derive(Debug, Clone, PartialEq)]
pub struct Summary<'a> {
    /// Packages in both graphs.
    pub kept: usize,
    /// Packages only in the new graph.
    pub added: usize,
    /// Packages only in the old graph.
    pub removed: usize,
    /// Packages in the new top N that were not in the old top N, by new rank.
    pub entrants: Vec<Movement<'a>>,
    /// Packages in the old top N that are not in the new top N, by old rank.
    pub leavers: Vec<Movement<'a>>,
    /// Of the entrants that were in the old graph, the `limit` that climbed most places (ties:
    /// better new rank first).
    pub climbers: Vec<Movement<'a>>,
    /// Of the packages in both graphs whose reach grew, the `limit` that grew most (ties by
    /// name).
    pub reach_gains: Vec<Movement<'a>>,
    /// Of the packages in both graphs with an old reach of at least `min_reach` (and 1) whose
    /// reach grew, the `limit` that grew by the largest factor (ties: larger absolute gain, then
    /// name).
    pub reach_ratios: Vec<Movement<'a>>,
}

/// Summarises `moves` (from [`movements`]) for the top `top`: entrants, leavers and climbers of
/// the top, and the `limit` largest reach gains, absolute and relative. The relative gains
/// only count packages whose old reach is at least `min_reach`, so that a package going from
/// 1 to 40 dependents does not outrank one going from 5,000 to 60,000.
///
/// Complexity: O(m log m) for m movements.
pub fn summarize<'a>(moves: &[Movement<'a>], top: usize, min_reach: u32, limit: usize) -> Summary<'a> {
    let within = |s: Option<Standing>| s.is_some_and(|s| s.rank as usize <= top);
    let entrants: Vec<Movement<'a>> = moves.iter().filter(|m| within(m.new) && !within(m.old)).cloned().collect();
    let mut leavers: Vec<Movement<'a>> = moves.iter().filter(|m| within(m.old) && !within(m.new)).cloned().collect();
    leavers.sort_by_key(|m| m.old.map(|s| s.rank));
    let mut climbers: Vec<Movement<'a>> = entrants.iter().filter(|m| m.rank_change() > Some(0)).cloned().collect();
    climbers.sort_by(|a, b| b.rank_change().cmp(&a.rank_change()).then_with(|| a.order(b)));
    climbers.truncate(limit);
    let kept: Vec<&Movement<'a>> = moves.iter().filter(|m| m.old.is_some() && m.new.is_some()).collect();
    let by_name = |a: &Movement<'_>, b: &Movement<'_>| a.name.cmp(b.name).then(a.ecosystem.cmp(&b.ecosystem));
    let mut reach_gains: Vec<Movement<'a>> =
        kept.iter().filter(|m| m.reach_change() > Some(0)).map(|&m| m.clone()).collect();
    reach_gains.sort_by(|a, b| b.reach_change().cmp(&a.reach_change()).then_with(|| by_name(a, b)));
    reach_gains.truncate(limit);
    let mut reach_ratios: Vec<Movement<'a>> = kept
        .iter()
        .filter(|m| m.old.is_some_and(|s| s.reach >= min_reach.max(1)) && m.reach_change() > Some(0))
        .map(|&m| m.clone())
        .collect();
    reach_ratios.sort_by(|a, b| {
        let ratio = |m: &Movement<'_>| m.reach_ratio().unwrap_or(0.0);
        ratio(b).total_cmp(&ratio(a)).then_with(|| b.reach_change().cmp(&a.reach_change())).then_with(|| by_name(a, b))
    });
    reach_ratios.truncate(limit);
    Summary {
        kept: kept.len(),
        added: moves.iter().filter(|m| m.old.is_none()).count(),
        removed: moves.iter().filter(|m| m.new.is_none()).count(),
        entrants,
        leavers,
        climbers,
        reach_gains,
        reach_ratios,
    }
}
