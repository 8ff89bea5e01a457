//! CSV outputs. Column names and order are a public contract (README documents each column);
//! every file has a header row, plain UTF-8, comma-separated, so pandas and polars read it
//! with no options. Floats are printed with fixed precision so that equal inputs give
//! byte-identical files.

use std::io::Write;

use serde::Serialize;

use crate::analysis::paths::Search;
use crate::analysis::rank::Ranking;
use crate::graph::Graph;

/// A CSV writer that leaves the header to the caller, so that an empty table still has one.
fn writer(out: &mut dyn Write) -> csv::Writer<&mut dyn Write> {
    csv::WriterBuilder::new().has_headers(false).from_writer(out)
}

/// A row of `keystone rank`.
#[derive(Debug, Serialize)]
pub struct RankRow<'a> {
    /// 1-based position in the ranking.
    pub rank: usize,
    /// Package name within its ecosystem.
    pub package: &'a str,
    /// Ecosystem of the package (`crates`, `debian`, `generic`).
    pub ecosystem: &'a str,
    /// The release whose dependencies the graph holds; empty if unknown.
    pub version: &'a str,
    /// Packages depending on it directly.
    pub direct_dependents: u32,
    /// Distinct packages depending on it at any depth (itself excluded).
    pub reach: u32,
    /// `reach` divided by the number of packages in the graph, 6 decimals.
    pub reach_share: String,
    /// Dependents at shortest depth 1 (equals `direct_dependents`).
    pub depth1: u32,
    /// Dependents at shortest depth 2.
    pub depth2: u32,
    /// Dependents at shortest depth 3.
    pub depth3: u32,
    /// Dependents at shortest depth 4 or more.
    pub depth4plus: u32,
    /// PageRank in the dependency direction, 6 significant digits.
    pub pagerank: String,
    /// Packages a malicious next release would reach through fresh installs (see README).
    pub floating_reach: u32,
}

/// Writes the first `top` rows (all when `None`) of `ranking` as CSV.
pub fn write_rank(graph: &Graph, ranking: &Ranking, top: Option<usize>, out: &mut dyn Write) -> std::io::Result<()> {
    let mut csv = writer(out);
    csv.write_record(RANK_COLUMNS)?;
    let n = graph.node_count().max(1) as f64;
    for (i, m) in ranking.rows.iter().take(top.unwrap_or(usize::MAX)).enumerate() {
        csv.serialize(RankRow {
            rank: i + 1,
            package: graph.name(m.node),
            ecosystem: graph.ecosystem(m.node).as_str(),
            version: graph.version(m.node).unwrap_or(""),
            direct_dependents: m.direct_dependents,
            reach: m.reach,
            reach_share: format!("{:.6}", f64::from(m.reach) / n),
            depth1: m.depth[0],
            depth2: m.depth[1],
            depth3: m.depth[2],
            depth4plus: m.depth4plus(),
            pagerank: format!("{:.6e}", m.pagerank),
            floating_reach: m.floating_reach,
        })?;
    }
    csv.flush()
}

/// The columns of [`RankRow`].
const RANK_COLUMNS: [&str; 13] = [
    "rank",
    "package",
    "ecosystem",
    "version",
    "direct_dependents",
    "reach",
    "reach_share",
    "depth1",
    "depth2",
    "depth3",
    "depth4plus",
    "pagerank",
    "floating_reach",
];

/// A row of `keystone blast`.
#[derive(Debug, Serialize)]
pub struct BlastRow {
    /// An affected package (qualified `ecosystem/name` when the graph holds several).
    pub package: String,
    /// Its shortest depth: 1 for direct dependents.
    pub depth: u32,
    /// One shortest chain `package > … > compromised`.
    pub path: String,
}

/// Writes every package `search` reached, ordered by depth then id (name), as CSV.
pub fn write_blast(graph: &Graph, search: &Search, out: &mut dyn Write) -> std::io::Result<()> {
    let mut csv = writer(out);
    csv.write_record(["package", "depth", "path"])?;
    let mut reached: Vec<(u32, u32)> = search.reached.iter().filter_map(|&v| search.depth(v).map(|d| (d, v))).collect();
    reached
        .sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| graph.name(a.1).cmp(graph.name(b.1))).then(a.1.cmp(&b.1)));
    for (depth, v) in reached {
        let chain = search.chain(v).unwrap_or_default();
        // A propagation graph's stand-in node `n + x` for x's next release is shown as x.
        let package = |c: u32| if c as usize >= graph.node_count() { c - graph.node_count() as u32 } else { c };
        let path: Vec<String> = chain.iter().map(|&c| graph.display_name(package(c))).collect();
        csv.serialize(BlastRow { package: graph.display_name(v), depth, path: path.join(" > ") })?;
    }
    csv.flush()
}

/// Writes every edge as `dependent,dependency` rows (qualified names when the graph holds
/// several ecosystems), ordered by dependent then dependency id.
pub fn write_edges(graph: &Graph, out: &mut dyn Write) -> std::io::Result<()> {
    let mut csv = writer(out);
    csv.write_record(["dependent", "dependency"])?;
    for v in 0..graph.node_count() as u32 {
        let dependent = graph.display_name(v);
        for &w in graph.forward().neighbors(v) {
            csv.write_record([dependent.as_str(), &graph.display_name(w)])?;
        }
    }
    csv.flush()
}
