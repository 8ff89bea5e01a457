//! The transparent score of `rank --score`: impact first, fragility to reorder packages of
//! similar impact, every factor reported.
//!
//! For a package (or a project or account) in its ecosystem:
//! - `size` = (1 + reach)^a × (1 + direct dependents)^b − 1, with a : b the `reach` : `direct`
//!   weights scaled to sum to 1: the geometric mean of the two counts, 0 for a package nobody
//!   depends on.
//! - `impact` = size × (1 + `pagerank` × its percentile + `popular_reach` × its percentile): the
//!   PageRank and the popularity of the dependents ([`Evidence::popular`]), each as its
//!   percentile rank among the items scored together (packages, or groups) of the same
//!   ecosystem, raise the size by up to their weight.
//! - `fragility` = 1 + `concentration` × the share of the reach through one gateway +
//!   `sole_maintainer` × (1 if one account, not a team, alone can publish it).
//! - The ranking key is impact × fragility; `score` shows it as ln(1 + key) / ln(1 + the
//!   largest key of the ecosystem), so 1 is the top of each ecosystem: a large ecosystem does
//!   not crowd a small one out of a ranking of both, and a package's score says how close it
//!   comes to its own ecosystem's top.
//!
//! A missing signal (no popularity list, no maintainers in the input, nobody depending on it)
//! adds nothing to its package's key.
//!
//! **Order property.** Within one ecosystem, when a package has at most a tenth of another's
//! reach *and* of its direct dependents, and the other has any dependent, it ranks below: as
//! reach ≥ direct dependents, and a package has a reach exactly when it has a direct
//! dependent, its size is at most 1/5.5 of the other's (0 when it has no dependents), and the
//! two factors
//! together multiply by less than [`ORDER_MARGIN`] under weights where
//! [`Weights::keeps_order`] holds, as the defaults do. Percentiles alone cannot promise this:
//! at the top of a heavy-tailed ecosystem a package with ten times the reach is only a few
//! positions higher, so reach and direct dependents enter by magnitude and the percentiles
//! only refine.

use std::cmp::Ordering;
use std::path::Path;

use serde::Deserialize;

use super::groups::{group_weighted_reach, GroupMetrics, Groups};
use super::rank::Ranking;
use super::reach::weighted_reach;
use crate::error::{Error, Location, Result};
use crate::graph::Graph;
use crate::ingest::side::read_toml;
use crate::model::{normalize_name, Ecosystem};
use crate::progress::Progress;

/// The bound the two factors' product must stay under for the order property: for a package
/// with a tenth of another's reach and direct dependents (at least one each), the other's
/// size is at least (1 + 10)/(1 + 1) = 5.5 times its size.
pub const ORDER_MARGIN: f64 = 5.5;

/// The largest weight a weights file may give, so that every key stays finite.
pub const MAX_WEIGHT: f64 = 1000.0;

/// A signal that multiplies the size (see the module docs for each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Factor {
    /// `pagerank`: its percentile within the ecosystem; raises impact.
    Pagerank,
    /// `popular_reach`: its percentile within the ecosystem; raises impact.
    PopularReach,
    /// `concentration`: the top gateway's share of the reach; raises fragility.
    Concentration,
    /// `sole_maintainer`: 1 or 0; raises fragility.
    SoleMaintainer,
}

impl Factor {
    /// Every factor, in CSV order.
    pub const ALL: [Factor; 4] =
        [Factor::Pagerank, Factor::PopularReach, Factor::Concentration, Factor::SoleMaintainer];

    /// Its name in CSV columns and in the weights file.
    pub fn as_str(self) -> &'static str {
        match self {
            Factor::Pagerank => "pagerank",
            Factor::PopularReach => "popular_reach",
            Factor::Concentration => "concentration",
            Factor::SoleMaintainer => "sole_maintainer",
        }
    }

    /// Whether it raises fragility rather than impact.
    pub fn is_fragility(self) -> bool {
        matches!(self, Factor::Concentration | Factor::SoleMaintainer)
    }
}

/// How much each signal counts.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Weights {
    /// Exponent share of reach in the size (0.75).
    pub reach: f64,
    /// Exponent share of direct dependents in the size (0.25).
    pub direct: f64,
    /// Impact raised per unit of PageRank percentile (0.5).
    pub pagerank: f64,
    /// Impact raised per unit of popular-reach percentile (0.5).
    pub popular_reach: f64,
    /// Fragility raised per unit of concentration (0.5).
    pub concentration: f64,
    /// Fragility raised for a sole maintainer (0.5).
    pub sole_maintainer: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            reach: 0.75,
            direct: 0.25,
            pagerank: 0.5,
            popular_reach: 0.5,
            concentration: 0.5,
            sole_maintainer: 0.5,
        }
    }
}

impl Weights {
    /// Reads the score weights file: `[weights]` with any of `reach`, `direct` and the
    /// [`Factor`]s; unnamed ones keep their default.
    pub fn read(path: &Path) -> Result<Weights> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct File {
            weights: Weights,
        }
        let w = read_toml::<File>(path)?.weights;
        let all = [w.reach, w.direct, w.pagerank, w.popular_reach, w.concentration, w.sole_maintainer];
        if all.iter().any(|w| !(0.0..=MAX_WEIGHT).contains(w)) {
            let message = format!("weights must be numbers from 0 to {MAX_WEIGHT}");
            return Err(Error::parse(Location::file(path), message));
        }
        if w.reach + w.direct == 0.0 {
            return Err(Error::parse(Location::file(path), "reach and direct cannot both weigh 0".to_string()));
        }
        Ok(w)
    }

    /// The weight of `factor`.
    pub fn get(&self, factor: Factor) -> f64 {
        match factor {
            Factor::Pagerank => self.pagerank,
            Factor::PopularReach => self.popular_reach,
            Factor::Concentration => self.concentration,
            Factor::SoleMaintainer => self.sole_maintainer,
        }
    }

    /// Whether the largest impact and fragility factors multiply to less than
    /// [`ORDER_MARGIN`], so that the order property holds.
    pub fn keeps_order(&self) -> bool {
        (1.0 + self.pagerank + self.popular_reach) * (1.0 + self.concentration + self.sole_maintainer) < ORDER_MARGIN
    }
}

/// The evidence behind one package's (or group's) score: the raw values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evidence {
    /// The ecosystem it is ranked within (a group's: its member of largest reach's).
    pub ecosystem: Ecosystem,
    /// Reach.
    pub reach: u32,
    /// Direct dependents.
    pub direct: u32,
    /// PageRank (a group's: its members' sum, flow between members included).
    pub pagerank: f64,
    /// The popularity of its dependents: for each, its weight over the total of its
    /// ecosystem's list, summed; `None` without a list for its own ecosystem.
    pub popular: Option<f64>,
    /// Share of the reach through the largest outside direct dependent; `None` without any.
    pub concentration: Option<f64>,
    /// Whether one non-team account alone can publish it; `None` when unknown.
    pub sole_maintainer: Option<bool>,
}

/// One score (see the module docs): its parts, each factor's value and points (weight ×
/// value, 0 where missing), and the score.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    /// What it is computed from.
    pub evidence: Evidence,
    /// The geometric mean of (1 + reach) and (1 + direct dependents), minus 1.
    pub size: f64,
    values: [Option<f64>; 4],
    points: [f64; 4],
    /// size × (1 + the impact factors' points).
    pub impact: f64,
    /// 1 + the fragility factors' points.
    pub fragility: f64,
    /// ln(1 + impact × fragility) / ln(1 + the ecosystem's largest impact × fragility), in [0, 1].
    pub score: f64,
}

impl Score {
    /// The value of `factor` in [0, 1] (a percentile, a share, or 0/1), or `None` when missing.
    pub fn value(&self, factor: Factor) -> Option<f64> {
        self.values[factor as usize]
    }

    /// What `factor` adds to its factor: weight × value, 0 when missing.
    pub fn points(&self, factor: Factor) -> f64 {
        self.points[factor as usize]
    }

    /// The ranking key, impact × fragility.
    pub fn key(&self) -> f64 {
        self.impact * self.fragility
    }
}

/// 1-based positions of the items of `order` among the items of the same ecosystem.
pub fn ecosystem_positions(order: &[usize], ecosystem: impl Fn(usize) -> Ecosystem) -> Vec<usize> {
    let (mut at, mut seen) = (vec![0usize; order.len()], [0usize; Ecosystem::ALL.len()]);
    for &i in order {
        let count = &mut seen[ecosystem(i) as usize];
        *count += 1;
        at[i] = *count;
    }
    at
}

/// Each value's percentile rank within its ecosystem: the share of the ecosystem's items with
/// a smaller value, in [0, 1).
fn percentiles(values: &[f64], ecosystem: impl Fn(usize) -> Ecosystem) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| ecosystem(a).cmp(&ecosystem(b)).then(values[a].total_cmp(&values[b])));
    let mut out = vec![0.0; values.len()];
    for block in order.chunk_by(|&a, &b| ecosystem(a) == ecosystem(b)) {
        let mut below = 0;
        for run in block.chunk_by(|&a, &b| values[a] == values[b]) {
            run.iter().for_each(|&i| out[i] = below as f64 / block.len() as f64);
            below += run.len();
        }
    }
    out
}

/// Scores every item of `evidence` within its ecosystem.
///
/// ```
/// use keystone::analysis::score::{score, Evidence, Factor, Weights};
/// use keystone::model::Ecosystem;
/// let e = |reach, direct, sole| Evidence {
///     ecosystem: Ecosystem::Crates, reach, direct, pagerank: f64::from(reach),
///     popular: None, concentration: Some(0.5), sole_maintainer: Some(sole),
/// };
/// // A sole-maintained package with a tenth of the reach and dependents stays below.
/// let s = score(&[e(1000, 100, false), e(100, 10, true)], &Weights::default());
/// assert!(s[0].score == 1.0 && s[1].score < 1.0);
/// assert_eq!(s[1].value(Factor::SoleMaintainer), Some(1.0));
/// assert_eq!(s[1].value(Factor::PopularReach), None); // no popularity list: no contribution
/// assert_eq!(s[0].value(Factor::Pagerank), Some(0.5)); // one of two packages ranks below it
/// ```
pub fn score(evidence: &[Evidence], weights: &Weights) -> Vec<Score> {
    let eco = |i: usize| evidence[i].ecosystem;
    let pagerank = percentiles(&evidence.iter().map(|e| e.pagerank).collect::<Vec<_>>(), eco);
    let popular = percentiles(&evidence.iter().map(|e| e.popular.unwrap_or(0.0)).collect::<Vec<_>>(), eco);
    let a = weights.reach / (weights.reach + weights.direct);
    let mut scores: Vec<Score> = evidence
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let values = Factor::ALL.map(|factor| match factor {
                Factor::Pagerank => Some(pagerank[i]),
                Factor::PopularReach => e.popular.map(|_| popular[i]),
                Factor::Concentration => e.concentration,
                Factor::SoleMaintainer => e.sole_maintainer.map(f64::from),
            });
            let points = Factor::ALL.map(|f| values[f as usize].map_or(0.0, |v| v * weights.get(f)));
            let sum = |fragility: bool| -> f64 {
                Factor::ALL.into_iter().filter(|f| f.is_fragility() == fragility).map(|f| points[f as usize]).sum()
            };
            let size = f64::from(e.reach).ln_1p().mul_add(a, f64::from(e.direct).ln_1p() * (1.0 - a)).exp_m1();
            Score {
                evidence: *e,
                size,
                values,
                points,
                impact: size * (1.0 + sum(false)),
                fragility: 1.0 + sum(true),
                score: 0.0,
            }
        })
        .collect();
    let mut top = [0.0f64; Ecosystem::ALL.len()];
    for s in &scores {
        top[s.evidence.ecosystem as usize] = top[s.evidence.ecosystem as usize].max(s.key());
    }
    for s in &mut scores {
        let top = top[s.evidence.ecosystem as usize];
        s.score = if top > 0.0 { s.key().ln_1p() / top.ln_1p() } else { 0.0 };
    }
    scores
}

/// Item indices ranked by score (descending), ties by `tie` (names, so the order is stable).
pub fn ranked(scores: &[Score], tie: impl Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].score.total_cmp(&scores[a].score).then_with(|| tie(a, b)));
    order
}

/// The packages of `graph` ranked by score, ties by name, then ecosystem.
pub fn ranked_packages(graph: &Graph, scores: &[Score]) -> Vec<usize> {
    let name = |v: usize| (graph.name(v as u32), graph.ecosystem(v as u32));
    ranked(scores, |a, b| name(a).cmp(&name(b)))
}

/// Whether one account, not a team, alone can publish `v`; `None` when the input names no
/// maintainers for it.
pub fn sole_maintainer(graph: &Graph, v: u32) -> Option<bool> {
    sole_of(graph, &[v])
}

/// Whether the union of the maintainers of `members` is one account, not a team; `None` when
/// the input names none for any of them.
fn sole_of(graph: &Graph, members: &[u32]) -> Option<bool> {
    let mut accounts: Vec<&str> = members.iter().flat_map(|&v| graph.maintainers(v)).collect();
    accounts.sort_unstable();
    accounts.dedup();
    (!accounts.is_empty()).then(|| accounts.len() == 1 && !is_team(accounts[0]))
}

/// Whether an account name is a team rather than a person: crates.io teams
/// (`crates/github:org:team`), and Debian list or team addresses (`@lists.`, `team+`,
/// `pkg-…`).
pub fn is_team(account: &str) -> bool {
    match account.split_once('/') {
        Some(("crates", login)) => login.starts_with("github:") || login.starts_with("gitlab:"),
        Some(("debian", address)) => {
            address.contains("@lists.") || address.starts_with("team+") || address.starts_with("pkg-")
        }
        _ => false,
    }
}

/// Popularity weights of one ecosystem: one per node, zero for packages not listed.
pub type Popularity = (Ecosystem, Vec<f64>);

/// The [`Popularity`] of `ecosystem` from a list of (name, weight), as
/// [`read_popularity`](crate::ingest::side::read_popularity) reads it, and how many of the
/// list's rows name a package of the graph: names are read as the registry reads them
/// ([`normalize_name`]), names the graph lacks are skipped, and a package listed twice keeps its
/// last weight.
pub fn popularity(graph: &Graph, ecosystem: Ecosystem, list: &[(String, f64)]) -> (Popularity, usize) {
    let names = graph.names_of(ecosystem);
    let mut weights = vec![0.0; graph.node_count()];
    let mut matched = 0;
    for (name, weight) in list {
        if let Some(&v) = names.get(normalize_name(ecosystem, name).as_ref()) {
            weights[v as usize] = *weight;
            matched += 1;
        }
    }
    ((ecosystem, weights), matched)
}

/// Every node's popularity over its ecosystem list's total (0 where unlisted), and which
/// ecosystems have a list.
fn shares(graph: &Graph, popularity: &[Popularity]) -> (Vec<f64>, [bool; Ecosystem::ALL.len()]) {
    let mut covered = [false; Ecosystem::ALL.len()];
    let mut shares = vec![0.0; graph.node_count()];
    for (eco, list) in popularity {
        covered[*eco as usize] = true;
        let total: f64 = list.iter().sum();
        if total > 0.0 {
            shares.iter_mut().zip(list).for_each(|(s, &p)| *s += p / total);
        }
    }
    (shares, covered)
}

/// The [`Evidence`] of every package of `graph` from its `ranking` and popularity lists.
pub fn evidence(graph: &Graph, ranking: &Ranking, popularity: &[Popularity], progress: &dyn Progress) -> Vec<Evidence> {
    let (shares, covered) = shares(graph, popularity);
    let popular = if popularity.is_empty() { Vec::new() } else { weighted_reach(graph.reverse(), &shares, progress) };
    let mut out: Vec<Option<Evidence>> = vec![None; graph.node_count()];
    for m in &ranking.rows {
        let v = m.node;
        let ecosystem = graph.ecosystem(v);
        out[v as usize] = Some(Evidence {
            ecosystem,
            reach: m.reach,
            direct: m.direct_dependents,
            pagerank: m.pagerank,
            popular: covered[ecosystem as usize].then(|| popular[v as usize]),
            concentration: m.gateway.top.map(|(_, share)| share),
            sole_maintainer: sole_maintainer(graph, v),
        });
    }
    out.into_iter().map(|i| i.expect("the ranking holds every package")).collect()
}

/// The [`Evidence`] of every group: its reach and outside dependents from `metrics`, the
/// package `reach` and `pagerank` of every node, and popularity lists.
pub fn group_evidence(
    graph: &Graph,
    groups: &Groups,
    metrics: &[GroupMetrics],
    reach: &[u32],
    pagerank: &[f64],
    popularity: &[Popularity],
    progress: &dyn Progress,
) -> Vec<Evidence> {
    let (shares, covered) = shares(graph, popularity);
    let popular = if popularity.is_empty() {
        Vec::new()
    } else {
        group_weighted_reach(graph.reverse(), groups, &shares, progress)
    };
    groups
        .members
        .iter()
        .zip(metrics)
        .enumerate()
        .map(|(g, (members, m))| {
            let ecosystem = graph.ecosystem(m.top_member);
            Evidence {
                ecosystem,
                reach: m.reach,
                direct: m.direct_dependents,
                pagerank: members.iter().map(|&v| pagerank[v as usize]).sum(),
                popular: covered[ecosystem as usize].then(|| popular[g]),
                concentration: m
                    .top_gateway
                    .map(|d| f64::from((reach[d as usize] + 1).min(m.reach)) / f64::from(m.reach)),
                sole_maintainer: sole_of(graph, members),
            }
        })
        .collect()
}
