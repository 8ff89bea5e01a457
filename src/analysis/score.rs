//! The transparent score of `rank --score`: a weighted sum of documented signals, each in
//! [0, 1], where every signal's value and contribution is reported and a missing signal
//! contributes nothing (it is never filled in, so it can only lower a score, never raise it).
//!
//! Signals:
//! - `reach_share`: reach / packages in the graph.
//! - `direct`: ln(1 + direct dependents) / ln(1 + the largest direct-dependent count).
//! - `pagerank`: PageRank / the largest PageRank.
//! - `popular_reach`: the popularity weight (monthly downloads, or 1/rank) of the package's
//!   dependents / the popularity weight of its whole ecosystem. Missing where no popularity
//!   file covers the package's ecosystem.
//! - `concentration`: the share of the reach that arrives through its largest direct dependent
//!   ([`top_gateway`](super::gateways::top_gateway)). Missing for packages nobody depends on.
//! - `sole_maintainer`: 1 when one account, not a team, can publish the package; 0 when several
//!   can or the one is a team. Missing where the input names no maintainers.

use std::path::Path;

use serde::Deserialize;

use super::rank::Ranking;
use super::reach::weighted_reach;
use crate::error::{Error, Location, Result};
use crate::graph::Graph;
use crate::ingest::side::read_toml;
use crate::model::{normalize_name, Ecosystem};
use crate::progress::Progress;

/// A signal of the score (see the module docs for each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// `reach_share`.
    ReachShare,
    /// `direct`.
    Direct,
    /// `pagerank`.
    Pagerank,
    /// `popular_reach`.
    PopularReach,
    /// `concentration`.
    Concentration,
    /// `sole_maintainer`.
    SoleMaintainer,
}

impl Signal {
    /// Every signal, in CSV order.
    pub const ALL: [Signal; 6] = [
        Signal::ReachShare,
        Signal::Direct,
        Signal::Pagerank,
        Signal::PopularReach,
        Signal::Concentration,
        Signal::SoleMaintainer,
    ];

    /// Its name in CSV columns and in the weights file.
    pub fn as_str(self) -> &'static str {
        match self {
            Signal::ReachShare => "reach_share",
            Signal::Direct => "direct",
            Signal::Pagerank => "pagerank",
            Signal::PopularReach => "popular_reach",
            Signal::Concentration => "concentration",
            Signal::SoleMaintainer => "sole_maintainer",
        }
    }
}

/// How much each signal counts. The defaults sum to 1.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Weights {
    /// Weight of `reach_share`.
    pub reach_share: f64,
    /// Weight of `direct`.
    pub direct: f64,
    /// Weight of `pagerank`.
    pub pagerank: f64,
    /// Weight of `popular_reach`.
    pub popular_reach: f64,
    /// Weight of `concentration`.
    pub concentration: f64,
    /// Weight of `sole_maintainer`.
    pub sole_maintainer: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            reach_share: 0.35,
            direct: 0.15,
            pagerank: 0.15,
            popular_reach: 0.2,
            concentration: 0.1,
            sole_maintainer: 0.05,
        }
    }
}

impl Weights {
    /// Reads the score weights file: `[weights]` with any of the [`Signal`]s; unnamed signals
    /// keep their default weight.
    pub fn read(path: &Path) -> Result<Weights> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct File {
            weights: Weights,
        }
        let weights = read_toml::<File>(path)?.weights;
        if Signal::ALL.into_iter().map(|s| weights.get(s)).any(|w| !w.is_finite() || w < 0.0) {
            return Err(Error::parse(Location::file(path), "weights must be non-negative numbers".to_string()));
        }
        Ok(weights)
    }

    /// The weight of `signal`.
    pub fn get(&self, signal: Signal) -> f64 {
        match signal {
            Signal::ReachShare => self.reach_share,
            Signal::Direct => self.direct,
            Signal::Pagerank => self.pagerank,
            Signal::PopularReach => self.popular_reach,
            Signal::Concentration => self.concentration,
            Signal::SoleMaintainer => self.sole_maintainer,
        }
    }
}

/// The evidence behind one package's signals: the raw values they are normalised from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evidence {
    /// Reach.
    pub reach: u32,
    /// Direct dependents.
    pub direct: u32,
    /// PageRank.
    pub pagerank: f64,
    /// Popularity weight of its dependents, and of its ecosystem; `None` without a file.
    pub popular: Option<(f64, f64)>,
    /// Share of the reach through the largest direct dependent; `None` without dependents.
    pub concentration: Option<f64>,
    /// Whether one non-team account alone can publish it; `None` when unknown.
    pub sole_maintainer: Option<bool>,
}

/// One package's score: the signal values (`None` when missing) and the total of weight ×
/// value over the present ones.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    values: [Option<f64>; 6],
    /// Σ weight × value.
    pub total: f64,
}

impl Score {
    /// The value of `signal` in [0, 1], or `None` when it is missing.
    pub fn value(&self, signal: Signal) -> Option<f64> {
        self.values[signal as usize]
    }
}

/// Scores every package of `evidence` (one per node), normalising against the graph of `n`
/// packages and the largest direct count and PageRank in it.
///
/// ```
/// use keystone::analysis::score::{score, Evidence, Signal, Weights};
/// let hub = Evidence { reach: 50, direct: 9, pagerank: 0.2, popular: None, concentration: Some(0.5), sole_maintainer: None };
/// let s = &score(&[hub], 100, &Weights::default())[0];
/// assert_eq!(s.value(Signal::ReachShare), Some(0.5));
/// assert_eq!(s.value(Signal::PopularReach), None); // no popularity file: no contribution
/// assert!((s.total - (0.35 * 0.5 + 0.15 + 0.15 + 0.1 * 0.5)).abs() < 1e-12);
/// ```
pub fn score(evidence: &[Evidence], n: usize, weights: &Weights) -> Vec<Score> {
    let max_direct = evidence.iter().map(|i| i.direct).max().unwrap_or(0);
    let max_pagerank = evidence.iter().map(|i| i.pagerank).fold(0.0, f64::max);
    evidence
        .iter()
        .map(|i| {
            let values = Signal::ALL.map(|signal| match signal {
                Signal::ReachShare => Some(f64::from(i.reach) / n.max(1) as f64),
                Signal::Direct => Some(if max_direct == 0 {
                    0.0
                } else {
                    f64::from(i.direct).ln_1p() / f64::from(max_direct).ln_1p()
                }),
                Signal::Pagerank => Some(if max_pagerank > 0.0 { i.pagerank / max_pagerank } else { 0.0 }),
                Signal::PopularReach => i.popular.map(|(mine, all)| if all > 0.0 { mine / all } else { 0.0 }),
                Signal::Concentration => i.concentration,
                Signal::SoleMaintainer => i.sole_maintainer.map(f64::from),
            });
            let total = Signal::ALL.into_iter().zip(values).filter_map(|(s, v)| v.map(|v| v * weights.get(s))).sum();
            Score { values, total }
        })
        .collect()
}

/// The nodes of `graph` ranked by score (descending), then name, then ecosystem.
pub fn ranked(graph: &Graph, scores: &[Score]) -> Vec<u32> {
    let mut order: Vec<u32> = (0..graph.node_count() as u32).collect();
    order.sort_by(|&a, &b| {
        scores[b as usize]
            .total
            .total_cmp(&scores[a as usize].total)
            .then_with(|| (graph.name(a), graph.ecosystem(a)).cmp(&(graph.name(b), graph.ecosystem(b))))
    });
    order
}

/// Whether one account, not a team, alone can publish `v`; `None` when the input names no
/// maintainers for it.
pub fn sole_maintainer(graph: &Graph, v: u32) -> Option<bool> {
    let accounts: Vec<&str> = graph.maintainers(v).collect();
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

/// The [`Evidence`] of every package of `graph` from its `ranking` and popularity lists.
pub fn evidence(graph: &Graph, ranking: &Ranking, popularity: &[Popularity], progress: &dyn Progress) -> Vec<Evidence> {
    let n = graph.node_count();
    let mut weights = vec![0.0; n];
    let mut covered = vec![false; Ecosystem::ALL.len()];
    for (eco, list) in popularity {
        covered[*eco as usize] = true;
        weights.iter_mut().zip(list).for_each(|(w, &p)| *w += p);
    }
    let mut totals = vec![0.0; Ecosystem::ALL.len()];
    (0..n as u32).for_each(|v| totals[graph.ecosystem(v) as usize] += weights[v as usize]);
    let popular = if popularity.is_empty() { Vec::new() } else { weighted_reach(graph.reverse(), &weights, progress) };
    let mut out: Vec<Option<Evidence>> = vec![None; n];
    for m in &ranking.rows {
        let v = m.node;
        let eco = graph.ecosystem(v) as usize;
        out[v as usize] = Some(Evidence {
            reach: m.reach,
            direct: m.direct_dependents,
            pagerank: m.pagerank,
            popular: covered[eco].then(|| (popular[v as usize], totals[eco])),
            concentration: m.gateway.top.map(|(_, share)| share),
            sole_maintainer: sole_maintainer(graph, v),
        });
    }
    out.into_iter().map(|i| i.expect("the ranking holds every package")).collect()
}
