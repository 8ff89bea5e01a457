//! The tables keystone writes, each declared once as a typed row ([`row!`](crate::row)) and
//! written through a [`TableWriter`] in any [`Format`]. Column names, order and types are a
//! public contract (docs/reference.md documents each table); the same input gives
//! byte-identical files.

use std::io::Write;

use super::provenance::Provenance;
use super::table::{Cells, Fixed, Format, Sci, TableWriter, ROW_GROUP};
use crate::analysis::bindings::Candidate;
use crate::analysis::gateways::gateway_flag;
use crate::analysis::groups::{self, AdvisoryMatch, GroupMetrics, Groups};
use crate::analysis::rank::{Metrics, Ranking};
use crate::analysis::scenario::Outcome;
use crate::analysis::score::{self, sole_maintainer, Factor, Score};
use crate::graph::Graph;
use crate::model::{Advisory, Ecosystem};
use crate::row;

/// Where a table goes: its format, the stream it is written to, and what made it.
pub struct Target<'a> {
    /// The format.
    pub format: Format,
    /// The stream.
    pub out: &'a mut dyn Write,
    /// Where it came from, for formats that carry it (Parquet).
    pub provenance: Option<&'a Provenance>,
}

impl<'a> Target<'a> {
    /// Writes `rows` as a table of `T`'s columns.
    pub fn write<T: Cells + Sync>(self, rows: impl IntoIterator<Item = T>) -> std::io::Result<()> {
        self.write_renamed::<T>(&[], rows)
    }

    /// [`write`](Target::write), with the columns of `renames` (from, to) renamed. Rows are
    /// made here a batch at a time, and each batch is encoded in parallel.
    pub fn write_renamed<T: Cells + Sync>(
        self,
        renames: &[(&str, &str)],
        rows: impl IntoIterator<Item = T>,
    ) -> std::io::Result<()> {
        let mut columns = T::columns("");
        for column in &mut columns {
            if let Some((_, to)) = renames.iter().find(|(from, _)| *from == column.name) {
                column.name = to.to_string();
            }
        }
        let mut table = TableWriter::new(self.format, columns, self.provenance, self.out)?;
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            let batch: Vec<T> = rows.by_ref().take(BATCH).collect();
            table.rows(&batch)?;
        }
        table.finish()
    }
}

/// Rows made before they are encoded: four Parquet row groups.
const BATCH: usize = 4 * ROW_GROUP;

row! {
/// A row of `keystone rank`.
pub struct RankRow<'a> {
    /// 1-based position in the ranking.
    pub rank: usize,
    /// Package name within its ecosystem.
    pub package: &'a str,
    /// Ecosystem of the package (`crates`, `debian`, `generic`).
    pub ecosystem: &'a str,
    /// The release whose dependencies the graph holds; null if unknown.
    pub version: Option<&'a str>,
    /// Packages depending on it directly.
    pub direct_dependents: u32,
    /// Distinct packages depending on it at any depth (itself excluded).
    pub reach: u32,
    /// `reach` divided by the number of packages in the graph, 6 decimals.
    pub reach_share: Fixed<6>,
    /// Dependents at shortest depth 1 (equals `direct_dependents`).
    pub depth1: u32,
    /// Dependents at shortest depth 2.
    pub depth2: u32,
    /// Dependents at shortest depth 3.
    pub depth3: u32,
    /// Dependents at shortest depth 4 or more.
    pub depth4plus: u32,
    /// PageRank in the dependency direction, 6 significant digits.
    pub pagerank: Sci<6>,
    /// Packages a malicious next release would reach through fresh installs (see docs/model.md).
    pub floating_reach: u32,
    /// The upstream project (Debian source, repository); null if unknown.
    pub project: Option<&'a str>,
    /// Accounts that can publish it (for Debian, its packagers, not upstream's authors); null if
    /// the input does not say.
    pub maintainers: Option<usize>,
    /// Whether one account, not a team, alone can publish it; null if the input does not say.
    pub sole_maintainer: Option<bool>,
    /// The direct dependent through which most of the reach arrives; null without dependents.
    pub top_gateway: Option<String>,
    /// The share of the reach arriving through `top_gateway`, 4 decimals.
    pub top_gateway_share: Option<Fixed<4>>,
    /// The xz shape: reach ≥ 1% of the graph and ≥ 100 × direct dependents.
    pub gateway_flag: bool,
    /// Whether `reach` is an estimate (only when the memory limit forced estimates).
    pub reach_estimated: bool,
    /// Whether `floating_reach` is an estimate.
    pub floating_reach_estimated: bool,
}
}

/// Writes the first `top` rows (all when `None`) of `ranking`.
pub fn write_rank(graph: &Graph, ranking: &Ranking, top: Option<usize>, to: Target<'_>) -> std::io::Result<()> {
    let n = graph.node_count().max(1) as f64;
    to.write(ranking.rows.iter().take(top.unwrap_or(usize::MAX)).enumerate().map(|(i, m)| {
        let maintainers = graph.maintainers(m.node).len();
        RankRow {
            rank: i + 1,
            package: graph.name(m.node),
            ecosystem: graph.ecosystem(m.node).as_str(),
            version: graph.version(m.node),
            direct_dependents: m.direct_dependents,
            reach: m.reach,
            reach_share: Fixed(f64::from(m.reach) / n),
            depth1: m.depth[0],
            depth2: m.depth[1],
            depth3: m.depth[2],
            depth4plus: m.depth4plus(),
            pagerank: Sci(m.pagerank),
            floating_reach: m.floating_reach,
            project: graph.project(m.node),
            maintainers: (maintainers > 0).then_some(maintainers),
            sole_maintainer: sole_maintainer(graph, m.node),
            top_gateway: m.gateway.top.map(|(g, _)| graph.display_name(g)),
            top_gateway_share: m.gateway.top.map(|(_, s)| Fixed(s)),
            gateway_flag: gateway_flag(m.gateway.dependents, m.reach, graph.node_count()),
            reach_estimated: m.reach_estimated,
            floating_reach_estimated: m.floating_reach_estimated,
        }
    }))
}

row! {
/// A row of `keystone blast`.
pub struct BlastRow {
    /// An affected package (qualified `ecosystem/name` when the graph holds several).
    pub package: String,
    /// Its shortest depth from the nearest source: 1 for direct dependents.
    pub depth: u32,
    /// How it is hit: `affected`, `floats`, `stuck`, `fixable` or `broken` (see docs/model.md).
    pub status: &'static str,
    /// Its own reach: the packages that depend on it at any depth, anywhere in the graph.
    pub reach: u32,
    /// One shortest chain `package > … > source`.
    pub path: String,
}
}

/// Writes the packages `rows` of a scenario's outcome (in that order; see
/// [`Outcome::ordered`]), with each one's own `reach`.
pub fn write_blast(
    graph: &Graph,
    outcome: &Outcome,
    rows: &[u32],
    reach: &[u32],
    to: Target<'_>,
) -> std::io::Result<()> {
    let search = &outcome.search;
    to.write(rows.iter().map(|&v| {
        let chain = search.chain(v).unwrap_or_default();
        // A propagation graph's stand-in node `n + x` for x's next release is shown as x.
        let package = |c: u32| if c as usize >= graph.node_count() { c - graph.node_count() as u32 } else { c };
        let path: Vec<String> = chain.iter().map(|&c| graph.display_name(package(c))).collect();
        BlastRow {
            package: graph.display_name(v),
            depth: search.depth(v).unwrap_or_default(),
            status: outcome.status(v).as_str(),
            reach: reach[v as usize],
            path: path.join(" > "),
        }
    }))
}

row! {
/// A row of `keystone edges`: one per edge, and one for each package with no dependencies
/// (its `dependency` cells null), so that the table holds the whole graph. A package's own
/// cells repeat on each of its rows.
pub struct EdgeRow<'a> {
    /// The dependent's ecosystem.
    pub ecosystem: &'a str,
    /// The dependent.
    pub package: &'a str,
    /// Its release; null if unknown.
    pub version: Option<&'a str>,
    /// Its upstream project; null if unknown.
    pub project: Option<&'a str>,
    /// The accounts that can publish it, space-separated; null if the input does not say.
    pub maintainers: Option<String>,
    /// The releases a new resolution can pick, space-separated; null if the input lists none.
    pub releases: Option<String>,
    /// The dependency's ecosystem.
    pub dependency_ecosystem: Option<&'a str>,
    /// The dependency.
    pub dependency: Option<&'a str>,
    /// The requirement as written; null when none was given.
    pub requirement: Option<&'a str>,
    /// Whether the requirement admits the dependency's latest release.
    pub admits_latest: Option<bool>,
    /// Whether it admits the next release too (it floats).
    pub floats: Option<bool>,
    /// Whether the requirement could not be read (then taken to admit and float).
    pub unreadable: Option<bool>,
}
}

/// Writes the whole graph as [`EdgeRow`]s, by dependent then dependency id; `--format edges`
/// reads it back into the same graph.
pub fn write_edges(graph: &Graph, to: Target<'_>) -> std::io::Result<()> {
    let joined = |list: Vec<&str>| (!list.is_empty()).then(|| list.join(" "));
    to.write((0..graph.node_count() as u32).flat_map(|v| {
        let row = move |edge: Option<(u32, usize)>| {
            let flags = edge.map(|(_, i)| graph.edge_flags(v).nth(i).expect("an edge of v"));
            EdgeRow {
                ecosystem: graph.ecosystem(v).as_str(),
                package: graph.name(v),
                version: graph.version(v),
                project: graph.project(v),
                maintainers: joined(graph.maintainers(v).collect()),
                releases: joined(graph.releases(v)),
                dependency_ecosystem: edge.map(|(w, _)| graph.ecosystem(w).as_str()),
                dependency: edge.map(|(w, _)| graph.name(w)),
                requirement: edge.map(|(_, i)| graph.edge_req(v, i)).filter(|r| !r.is_empty()),
                admits_latest: flags.map(|f| f.admits_latest()),
                floats: flags.map(|f| f.floats()),
                unreadable: flags.map(|f| f.unparsed()),
            }
        };
        let dependencies = graph.forward().neighbors(v);
        let edges: Vec<Option<(u32, usize)>> = if dependencies.is_empty() {
            vec![None]
        } else {
            dependencies.iter().enumerate().map(|(i, &w)| Some((w, i))).collect()
        };
        edges.into_iter().map(row)
    }))
}

/// Each node's row in `ranking`.
fn row_of(graph: &Graph, ranking: &Ranking) -> Vec<usize> {
    let mut at = vec![0usize; graph.node_count()];
    ranking.rows.iter().enumerate().for_each(|(i, m)| at[m.node as usize] = i);
    at
}

row! {
/// The columns every scored row carries after those naming it (see
/// [`crate::analysis::score`] for each): a missing signal's value is null, its points
/// 0, and its name is in `missing`.
pub struct ScoreCells {
    /// ln(1 + impact × fragility) / ln(1 + the ecosystem's largest), 6 decimals.
    pub score: Fixed<6>,
    /// Reach.
    pub reach: u32,
    /// Direct dependents.
    pub direct_dependents: u32,
    /// (1 + reach)^a × (1 + direct dependents)^b − 1.
    pub size: Fixed<6>,
    /// PageRank.
    pub pagerank: Sci<6>,
    /// Its percentile within the ecosystem.
    pub pagerank_pct: Fixed<6>,
    /// Weight × percentile.
    pub pagerank_points: Fixed<6>,
    /// The popularity of its dependents, as shares of their ecosystems' lists; null without a list.
    pub popular_reach: Option<Sci<6>>,
    /// Its percentile within the ecosystem.
    pub popular_reach_pct: Option<Fixed<6>>,
    /// Weight × percentile.
    pub popular_reach_points: Fixed<6>,
    /// size × (1 + the impact points).
    pub impact: Fixed<6>,
    /// The share of the reach through the top gateway; null without dependents.
    pub concentration: Option<Fixed<6>>,
    /// Weight × concentration.
    pub concentration_points: Fixed<6>,
    /// Whether one account, not a team, alone can publish it; null when unknown.
    pub sole_maintainer: Option<bool>,
    /// Weight × 1 or 0.
    pub sole_maintainer_points: Fixed<6>,
    /// 1 + the fragility points.
    pub fragility: Fixed<6>,
    /// The missing signals, space-separated; null when none is.
    pub missing: Option<String>,
}
}

impl ScoreCells {
    fn of(s: &Score) -> ScoreCells {
        let e = &s.evidence;
        let missing: Vec<&str> =
            Factor::ALL.into_iter().filter(|&f| s.value(f).is_none()).map(Factor::as_str).collect();
        ScoreCells {
            score: Fixed(s.score),
            reach: e.reach,
            direct_dependents: e.direct,
            size: Fixed(s.size),
            pagerank: Sci(e.pagerank),
            pagerank_pct: Fixed(s.value(Factor::Pagerank).unwrap_or(0.0)),
            pagerank_points: Fixed(s.points(Factor::Pagerank)),
            popular_reach: e.popular.map(Sci),
            popular_reach_pct: s.value(Factor::PopularReach).map(Fixed),
            popular_reach_points: Fixed(s.points(Factor::PopularReach)),
            impact: Fixed(s.impact),
            concentration: s.value(Factor::Concentration).map(Fixed),
            concentration_points: Fixed(s.points(Factor::Concentration)),
            sole_maintainer: e.sole_maintainer,
            sole_maintainer_points: Fixed(s.points(Factor::SoleMaintainer)),
            fragility: Fixed(s.fragility),
            missing: (!missing.is_empty()).then(|| missing.join(" ")),
        }
    }
}

row! {
/// A row of `keystone rank --score`.
pub struct ScoreRow<'a> {
    /// 1-based position by score.
    pub rank: usize,
    /// 1-based position by score among the packages of its ecosystem.
    pub ecosystem_rank: usize,
    /// Package name.
    pub package: &'a str,
    /// Its ecosystem.
    pub ecosystem: &'a str,
    /// Its release; null if unknown.
    pub version: Option<&'a str>,
    /// The score and its parts.
    pub cells: ScoreCells,
    /// Whether `reach` is an estimate.
    pub reach_estimated: bool,
}
}

/// Writes `rank --score`: packages by score (descending), then name, then ecosystem.
pub fn write_scores(
    graph: &Graph,
    ranking: &Ranking,
    scores: &[Score],
    top: Option<usize>,
    to: Target<'_>,
) -> std::io::Result<()> {
    let by_node = row_of(graph, ranking);
    let order = score::ranked_packages(graph, scores);
    let within = score::ecosystem_positions(&order, |v| scores[v].evidence.ecosystem);
    to.write(order.iter().take(top.unwrap_or(usize::MAX)).enumerate().map(|(i, &v)| ScoreRow {
        rank: i + 1,
        ecosystem_rank: within[v],
        package: graph.name(v as u32),
        ecosystem: graph.ecosystem(v as u32).as_str(),
        version: graph.version(v as u32),
        cells: ScoreCells::of(&scores[v]),
        reach_estimated: ranking.rows[by_node[v]].reach_estimated,
    }))
}

row! {
/// A row of `keystone rank --score --by project` (or `account`: the `group` column is named
/// after the kind).
pub struct GroupScoreRow<'a> {
    /// 1-based position by score.
    pub rank: usize,
    /// 1-based position by score among the groups of its ecosystem.
    pub ecosystem_rank: usize,
    /// The project or account.
    pub group: &'a str,
    /// The ecosystem of its member of largest reach.
    pub ecosystem: &'a str,
    /// How many packages it holds.
    pub packages: usize,
    /// The score and its parts.
    pub cells: ScoreCells,
    /// Its member of largest reach.
    pub top_package: String,
    /// Its members, space-separated.
    pub members: String,
}
}

/// Writes `rank --score --by project` or `--by account` (`kind`): groups by score
/// (descending), then name.
pub fn write_group_scores(
    graph: &Graph,
    kind: &str,
    groups: &Groups,
    metrics: &[GroupMetrics],
    scores: &[Score],
    top: Option<usize>,
    to: Target<'_>,
) -> std::io::Result<()> {
    let order = score::ranked(scores, |a, b| groups.names[a].cmp(&groups.names[b]));
    let within = score::ecosystem_positions(&order, |g| scores[g].evidence.ecosystem);
    let rows = order.iter().take(top.unwrap_or(usize::MAX)).enumerate().map(|(i, &g)| {
        let members: Vec<String> = groups.members[g].iter().map(|&v| graph.display_name(v)).collect();
        GroupScoreRow {
            rank: i + 1,
            ecosystem_rank: within[g],
            group: &groups.names[g],
            ecosystem: scores[g].evidence.ecosystem.as_str(),
            packages: members.len(),
            cells: ScoreCells::of(&scores[g]),
            top_package: graph.display_name(metrics[g].top_member),
            members: members.join(" "),
        }
    });
    to.write_renamed(&[("group", kind)], rows)
}

row! {
/// A row of `keystone rank --by project` (or `account`: the `group` column is named after the
/// kind).
pub struct GroupRow<'a> {
    /// 1-based position by reach.
    pub rank: usize,
    /// The project or account.
    pub group: &'a str,
    /// How many packages it holds.
    pub packages: usize,
    /// Distinct packages outside the group depending on a member directly.
    pub direct_dependents: u32,
    /// Distinct packages outside the group depending on a member at any depth.
    pub reach: u32,
    /// `reach` over the packages in the graph, 6 decimals.
    pub reach_share: Fixed<6>,
    /// Its member of largest reach.
    pub top_package: String,
    /// That member's own reach.
    pub top_package_reach: u32,
    /// Its members, space-separated.
    pub members: String,
}
}

/// Writes `rank --by project` or `--by account` (`kind`): groups by reach (descending), then
/// name. `reach` counts distinct packages outside the group that depend on a member.
pub fn write_groups(
    graph: &Graph,
    kind: &str,
    groups: &Groups,
    metrics: &[GroupMetrics],
    reach: &[u32],
    top: Option<usize>,
    to: Target<'_>,
) -> std::io::Result<()> {
    let n = graph.node_count().max(1) as f64;
    let rows = groups::ranked(groups, metrics).into_iter().take(top.unwrap_or(usize::MAX)).enumerate().map(|(i, g)| {
        let m = &metrics[g];
        let members: Vec<String> = groups.members[g].iter().map(|&v| graph.display_name(v)).collect();
        GroupRow {
            rank: i + 1,
            group: &groups.names[g],
            packages: members.len(),
            direct_dependents: m.direct_dependents,
            reach: m.reach,
            reach_share: Fixed(f64::from(m.reach) / n),
            top_package: graph.display_name(m.top_member),
            top_package_reach: reach[m.top_member as usize],
            members: members.join(" "),
        }
    });
    to.write_renamed(&[("group", kind)], rows)
}

row! {
/// A row of `keystone backtest`: one per advisory and package; the cells about the match are
/// null where it matched nothing.
pub struct BacktestRow<'a> {
    /// The advisory's id.
    pub advisory: &'a str,
    /// Its aliases (CVE ids), space-separated; null when none.
    pub aliases: Option<String>,
    /// The OSV ecosystem as the advisory writes it.
    pub ecosystem: &'a str,
    /// The package as the advisory names it.
    pub package: &'a str,
    /// The graph's package it matched.
    pub matched: Option<String>,
    /// Its position by score among all packages.
    pub score_rank: Option<usize>,
    /// By reach.
    pub reach_rank: Option<usize>,
    /// By direct dependents.
    pub direct_rank: Option<usize>,
    /// Its reach.
    pub reach: Option<u32>,
    /// Its direct dependents.
    pub direct_dependents: Option<u32>,
    /// Packages in the graph.
    pub packages: usize,
    /// Its position by score among its ecosystem's packages.
    pub ecosystem_score_rank: Option<usize>,
    /// By reach.
    pub ecosystem_reach_rank: Option<usize>,
    /// By direct dependents.
    pub ecosystem_direct_rank: Option<usize>,
    /// Packages of the advisory's ecosystem in the graph; null for an ecosystem keystone does
    /// not read.
    pub ecosystem_packages: Option<usize>,
    /// Its project.
    pub project: Option<&'a str>,
    /// The project's position by reach among all projects.
    pub project_rank: Option<usize>,
    /// The project's reach.
    pub project_reach: Option<u32>,
    /// Projects in the graph.
    pub projects: usize,
}
}

/// Writes `keystone backtest`: for each package an advisory names, the graph's package of that
/// name (or, failing that, the project of that name, as for Debian sources) and its 1-based
/// position by score, by reach and by direct dependents among all packages and among the
/// packages of its own ecosystem, and its project's position by reach among all projects.
pub fn write_backtest(
    graph: &Graph,
    advisories: &[Advisory],
    ranking: &Ranking,
    scores: &[Score],
    groups: &Groups,
    metrics: &[GroupMetrics],
    to: Target<'_>,
) -> std::io::Result<()> {
    let n = graph.node_count();
    // 1-based positions of each item in an order.
    fn positions<T: Copy + Into<usize>>(order: impl IntoIterator<Item = T>, len: usize) -> Vec<usize> {
        let mut at = vec![0usize; len];
        order.into_iter().enumerate().for_each(|(i, x)| at[x.into()] = i + 1);
        at
    }
    let within = |order: &[usize]| score::ecosystem_positions(order, |v| graph.ecosystem(v as u32));
    let by_node = row_of(graph, ranking);
    // The ranking is by reach already; by direct dependents, ties are broken as in every ranking.
    let by_reach: Vec<usize> = by_node.iter().map(|i| i + 1).collect();
    let score_order = score::ranked_packages(graph, scores);
    let by_score = positions(score_order.iter().copied(), n);
    let mut direct: Vec<&Metrics> = ranking.rows.iter().collect();
    direct.sort_by(|a, b| {
        (b.direct_dependents, graph.name(a.node), graph.ecosystem(a.node)).cmp(&(
            a.direct_dependents,
            graph.name(b.node),
            graph.ecosystem(b.node),
        ))
    });
    let by_direct = positions(direct.iter().map(|m| m.node as usize), n);
    let eco_score = within(&score_order);
    let eco_reach = within(&ranking.rows.iter().map(|m| m.node as usize).collect::<Vec<_>>());
    let eco_direct = within(&direct.iter().map(|m| m.node as usize).collect::<Vec<_>>());
    let mut eco_size = [0usize; Ecosystem::ALL.len()];
    (0..n as u32).for_each(|v| eco_size[graph.ecosystem(v) as usize] += 1);
    let project_at = positions(groups::ranked(groups, metrics), groups.names.len());
    to.write(advisories.iter().map(|a| {
        let matched = AdvisoryMatch::of(a, graph, groups).matched(metrics);
        let (node, group) = (matched.map(|(v, _)| v as usize), matched.and_then(|(_, g)| g));
        let m = |v: usize| &ranking.rows[by_node[v]];
        BacktestRow {
            advisory: &a.id,
            aliases: (!a.aliases.is_empty()).then(|| a.aliases.join(" ")),
            ecosystem: &a.ecosystem,
            package: &a.package,
            matched: node.map(|v| graph.display_name(v as u32)),
            score_rank: node.map(|v| by_score[v]),
            reach_rank: node.map(|v| by_reach[v]),
            direct_rank: node.map(|v| by_direct[v]),
            reach: node.map(|v| m(v).reach),
            direct_dependents: node.map(|v| m(v).direct_dependents),
            packages: n,
            ecosystem_score_rank: node.map(|v| eco_score[v]),
            ecosystem_reach_rank: node.map(|v| eco_reach[v]),
            ecosystem_direct_rank: node.map(|v| eco_direct[v]),
            ecosystem_packages: a.keystone_ecosystem().map(|e| eco_size[e as usize]),
            project: group.map(|g| groups.names[g].as_str()),
            project_rank: group.map(|g| project_at[g]),
            project_reach: group.map(|g| metrics[g].reach),
            projects: groups.names.len(),
        }
    }))
}

row! {
/// A row of `keystone bindings`.
pub struct BindingRow<'a> {
    /// The binding, `ecosystem/name`.
    pub binding: &'a str,
    /// The Debian library, `debian/name`.
    pub library: &'a str,
    /// Why it is a candidate.
    pub evidence: &'a str,
}
}

/// Writes candidate bindings in the order given.
pub fn write_bindings(candidates: &[Candidate], to: Target<'_>) -> std::io::Result<()> {
    to.write(candidates.iter().map(|c| BindingRow { binding: &c.binding, library: &c.library, evidence: &c.evidence }))
}
