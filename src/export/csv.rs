//! CSV outputs. Column names and order are a public contract (docs/reference.md documents each
//! column); every file has a header row, plain UTF-8, comma-separated, so pandas and polars
//! read it with no options. Floats are printed with fixed precision so that equal inputs give
//! byte-identical files.

use std::io::Write;

use serde::Serialize;

use crate::analysis::bindings::Candidate;
use crate::analysis::gateways::gateway_flag;
use crate::analysis::groups::{self, AdvisoryMatch, GroupMetrics, Groups};
use crate::analysis::rank::{Metrics, Ranking};
use crate::analysis::scenario::Outcome;
use crate::analysis::score::{self, sole_maintainer, Factor, Score};
use crate::graph::Graph;
use crate::model::{Advisory, Ecosystem};

/// A CSV writer that leaves the header to the caller, so that an empty table still has one.
fn writer(out: &mut dyn Write) -> csv::Writer<&mut dyn Write> {
    csv::WriterBuilder::new().has_headers(false).from_writer(out)
}

/// Declares a row struct and its `COLUMNS`, the field names in order, so that the header an
/// empty table still gets cannot drift from the rows.
macro_rules! row {
    ($(#[$meta:meta])* pub struct $name:ident $(<$lt:lifetime>)? { $($(#[$doc:meta])* pub $field:ident: $ty:ty,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Serialize)]
        pub struct $name $(<$lt>)? { $($(#[$doc])* pub $field: $ty,)* }

        impl $(<$lt>)? $name $(<$lt>)? {
            /// The column names, in order.
            pub const COLUMNS: &'static [&'static str] = &[$(stringify!($field)),*];
        }
    };
}

row! {
/// A row of `keystone rank`.
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
    /// Packages a malicious next release would reach through fresh installs (see docs/model.md).
    pub floating_reach: u32,
    /// The upstream project (Debian source, repository); empty if unknown.
    pub project: &'a str,
    /// Accounts that can publish it (for Debian, its packagers, not upstream's authors); empty if
    /// the input does not say.
    pub maintainers: String,
    /// Whether one account, not a team, alone can publish it; empty if the input does not say.
    pub sole_maintainer: String,
    /// The direct dependent through which most of the reach arrives; empty without dependents.
    pub top_gateway: String,
    /// The share of the reach arriving through `top_gateway`, 4 decimals.
    pub top_gateway_share: String,
    /// The xz shape: reach ≥ 1% of the graph and ≥ 100 × direct dependents.
    pub gateway_flag: bool,
    /// Which of `reach` and `floating_reach` are estimates (space-separated); empty when both
    /// are exact, as they are unless the memory limit forced estimates.
    pub estimated: String,
}
}

/// Writes the first `top` rows (all when `None`) of `ranking` as CSV.
pub fn write_rank(graph: &Graph, ranking: &Ranking, top: Option<usize>, out: &mut dyn Write) -> std::io::Result<()> {
    let mut csv = writer(out);
    csv.write_record(RankRow::COLUMNS)?;
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
            project: graph.project(m.node).unwrap_or(""),
            maintainers: count_or_empty(graph.maintainers(m.node).len()),
            sole_maintainer: sole_maintainer(graph, m.node).map(|s| s.to_string()).unwrap_or_default(),
            top_gateway: m.gateway.top.map(|(g, _)| graph.display_name(g)).unwrap_or_default(),
            top_gateway_share: m.gateway.top.map(|(_, s)| format!("{s:.4}")).unwrap_or_default(),
            gateway_flag: gateway_flag(m.gateway.dependents, m.reach, graph.node_count()),
            estimated: estimated(m),
        })?;
    }
    csv.flush()
}

/// The `estimated` cell of a ranking row.
fn estimated(m: &Metrics) -> String {
    let names = [("reach", m.reach_estimated), ("floating_reach", m.floating_reach_estimated)];
    names.iter().filter(|(_, estimated)| *estimated).map(|(name, _)| *name).collect::<Vec<_>>().join(" ")
}

fn count_or_empty(count: usize) -> String {
    if count == 0 {
        String::new()
    } else {
        count.to_string()
    }
}

row! {
/// A row of `keystone blast`.
pub struct BlastRow {
    /// An affected package (qualified `ecosystem/name` when the graph holds several).
    pub package: String,
    /// Its shortest depth: 1 for direct dependents.
    pub depth: u32,
    /// How it is hit: `affected`, `floats`, `stuck`, `fixable` or `broken` (see docs/model.md).
    pub status: &'static str,
    /// One shortest chain `package > … > compromised`.
    pub path: String,
}
}

/// Writes every package a scenario reached, ordered by depth then name, as CSV.
pub fn write_blast(graph: &Graph, outcome: &Outcome, out: &mut dyn Write) -> std::io::Result<()> {
    let search = &outcome.search;
    let mut csv = writer(out);
    csv.write_record(BlastRow::COLUMNS)?;
    let mut reached: Vec<(u32, u32)> = search.reached.iter().filter_map(|&v| search.depth(v).map(|d| (d, v))).collect();
    reached
        .sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| graph.name(a.1).cmp(graph.name(b.1))).then(a.1.cmp(&b.1)));
    for (depth, v) in reached {
        let chain = search.chain(v).unwrap_or_default();
        // A propagation graph's stand-in node `n + x` for x's next release is shown as x.
        let package = |c: u32| if c as usize >= graph.node_count() { c - graph.node_count() as u32 } else { c };
        let path: Vec<String> = chain.iter().map(|&c| graph.display_name(package(c))).collect();
        let status = outcome.status(v).as_str();
        csv.serialize(BlastRow { package: graph.display_name(v), depth, status, path: path.join(" > ") })?;
    }
    csv.flush()
}

/// Writes candidate bindings as `binding,library,evidence` rows, in the order given.
pub fn write_bindings(candidates: &[Candidate], out: &mut dyn Write) -> std::io::Result<()> {
    let mut csv = writer(out);
    csv.write_record(["binding", "library", "evidence"])?;
    for c in candidates {
        csv.write_record([&c.binding, &c.library, &c.evidence])?;
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

/// Each node's row in `ranking`.
fn row_of(graph: &Graph, ranking: &Ranking) -> Vec<usize> {
    let mut at = vec![0usize; graph.node_count()];
    ranking.rows.iter().enumerate().for_each(|(i, m)| at[m.node as usize] = i);
    at
}

/// The columns every scored row carries, after the columns naming it (see
/// [`score`](crate::analysis::score) for each).
const SCORE_COLUMNS: &[&str] = &[
    "score",
    "reach",
    "direct_dependents",
    "size",
    "pagerank",
    "pagerank_pct",
    "pagerank_points",
    "popular_reach",
    "popular_reach_pct",
    "popular_reach_points",
    "impact",
    "concentration",
    "concentration_points",
    "sole_maintainer",
    "sole_maintainer_points",
    "fragility",
    "missing",
];

/// The [`SCORE_COLUMNS`] cells of one score: a missing signal's value cells are empty, its
/// points 0, and its name is in `missing`.
fn score_cells(s: &Score) -> Vec<String> {
    let e = &s.evidence;
    let value = |f: Factor| s.value(f).map(|v| format!("{v:.6}")).unwrap_or_default();
    let points = |f: Factor| format!("{:.6}", s.points(f));
    let missing: Vec<&str> = Factor::ALL.into_iter().filter(|&f| s.value(f).is_none()).map(Factor::as_str).collect();
    vec![
        format!("{:.6}", s.score),
        e.reach.to_string(),
        e.direct.to_string(),
        format!("{:.6}", s.size),
        format!("{:.6e}", e.pagerank),
        value(Factor::Pagerank),
        points(Factor::Pagerank),
        e.popular.map(|p| format!("{p:.6}")).unwrap_or_default(),
        value(Factor::PopularReach),
        points(Factor::PopularReach),
        format!("{:.6}", s.impact),
        value(Factor::Concentration),
        points(Factor::Concentration),
        e.sole_maintainer.map(|b| b.to_string()).unwrap_or_default(),
        points(Factor::SoleMaintainer),
        format!("{:.6}", s.fragility),
        missing.join(" "),
    ]
}

/// 1-based positions of the items of `order` among the items of the same ecosystem.
fn ecosystem_positions(order: &[usize], ecosystem: impl Fn(usize) -> Ecosystem) -> Vec<usize> {
    let (mut at, mut seen) = (vec![0usize; order.len()], [0usize; Ecosystem::ALL.len()]);
    for &i in order {
        let count = &mut seen[ecosystem(i) as usize];
        *count += 1;
        at[i] = *count;
    }
    at
}

/// Writes scored rows in `order` (the first `top`): `rank`, `ecosystem_rank`, three naming
/// columns, [`SCORE_COLUMNS`] and the `trailing` ones; `cells(i)` gives item `i`'s naming and
/// trailing cells.
fn write_scored(
    out: &mut dyn Write,
    naming: [&str; 3],
    trailing: &[&str],
    scores: &[Score],
    order: &[usize],
    top: Option<usize>,
    cells: impl Fn(usize) -> ([String; 3], Vec<String>),
) -> std::io::Result<()> {
    let mut csv = writer(out);
    let header = ["rank", "ecosystem_rank"].iter().chain(&naming).chain(SCORE_COLUMNS).chain(trailing);
    csv.write_record(header)?;
    let within = ecosystem_positions(order, |i| scores[i].evidence.ecosystem);
    for (position, &i) in order.iter().take(top.unwrap_or(usize::MAX)).enumerate() {
        let (names, rest) = cells(i);
        let mut record = vec![(position + 1).to_string(), within[i].to_string()];
        record.extend(names);
        record.extend(score_cells(&scores[i]));
        record.extend(rest);
        csv.write_record(&record)?;
    }
    csv.flush()
}

/// Writes `rank --score`: packages by score (descending), then name, then ecosystem, with
/// their position within their ecosystem, every signal and its contribution.
pub fn write_scores(
    graph: &Graph,
    ranking: &Ranking,
    scores: &[Score],
    top: Option<usize>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let by_node = row_of(graph, ranking);
    let order = score::ranked_packages(graph, scores);
    write_scored(out, ["package", "ecosystem", "version"], &["estimated"], scores, &order, top, |v| {
        let m = &ranking.rows[by_node[v]];
        let names = [
            graph.name(m.node).to_string(),
            graph.ecosystem(m.node).to_string(),
            graph.version(m.node).unwrap_or("").to_string(),
        ];
        (names, vec![estimated(m)])
    })
}

/// Writes `rank --score --by project` or `--by account` (`kind`): groups by score
/// (descending), then name, with the columns of [`write_scores`] and the members.
pub fn write_group_scores(
    graph: &Graph,
    kind: &str,
    groups: &Groups,
    metrics: &[GroupMetrics],
    scores: &[Score],
    top: Option<usize>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let order = score::ranked(scores, |a, b| groups.names[a].cmp(&groups.names[b]));
    write_scored(out, [kind, "ecosystem", "packages"], &["top_package", "members"], scores, &order, top, |g| {
        let members: Vec<String> = groups.members[g].iter().map(|&v| graph.display_name(v)).collect();
        let names = [groups.names[g].clone(), scores[g].evidence.ecosystem.to_string(), members.len().to_string()];
        (names, vec![graph.display_name(metrics[g].top_member), members.join(" ")])
    })
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
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut csv = writer(out);
    csv.write_record([
        "rank",
        kind,
        "packages",
        "direct_dependents",
        "reach",
        "reach_share",
        "top_package",
        "top_package_reach",
        "members",
    ])?;
    let n = graph.node_count().max(1) as f64;
    for (i, g) in groups::ranked(groups, metrics).into_iter().take(top.unwrap_or(usize::MAX)).enumerate() {
        let m = &metrics[g];
        let members: Vec<String> = groups.members[g].iter().map(|&v| graph.display_name(v)).collect();
        csv.write_record([
            (i + 1).to_string(),
            groups.names[g].clone(),
            members.len().to_string(),
            m.direct_dependents.to_string(),
            m.reach.to_string(),
            format!("{:.6}", f64::from(m.reach) / n),
            graph.display_name(m.top_member),
            reach[m.top_member as usize].to_string(),
            members.join(" "),
        ])?;
    }
    csv.flush()
}

/// Writes `keystone backtest`: for each package an advisory names, the graph's package of that
/// name (or, failing that, the project of that name, as for Debian sources) and its 1-based
/// position by score, by reach and by direct dependents among all packages and among the
/// packages of its own ecosystem, and its project's position by reach among all projects.
/// Empty cells where it is not in the graph.
pub fn write_backtest(
    graph: &Graph,
    advisories: &[Advisory],
    ranking: &Ranking,
    scores: &[Score],
    groups: &Groups,
    metrics: &[GroupMetrics],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let n = graph.node_count();
    // 1-based positions of each item in an order.
    fn positions<T: Copy + Into<usize>>(order: impl IntoIterator<Item = T>, len: usize) -> Vec<usize> {
        let mut at = vec![0usize; len];
        order.into_iter().enumerate().for_each(|(i, x)| at[x.into()] = i + 1);
        at
    }
    let within = |order: &[usize]| ecosystem_positions(order, |v| graph.ecosystem(v as u32));
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

    let mut csv = writer(out);
    csv.write_record([
        "advisory",
        "aliases",
        "ecosystem",
        "package",
        "matched",
        "score_rank",
        "reach_rank",
        "direct_rank",
        "reach",
        "direct_dependents",
        "packages",
        "ecosystem_score_rank",
        "ecosystem_reach_rank",
        "ecosystem_direct_rank",
        "ecosystem_packages",
        "project",
        "project_rank",
        "project_reach",
        "projects",
    ])?;
    for a in advisories {
        let matched = AdvisoryMatch::of(a, graph, groups).matched(metrics);
        let (node, group) = (matched.map(|(v, _)| v), matched.and_then(|(_, g)| g));
        let cell = |f: &dyn Fn(u32) -> String| node.map(f).unwrap_or_default();
        let m = |v: u32| &ranking.rows[by_node[v as usize]];
        csv.write_record([
            a.id.clone(),
            a.aliases.join(" "),
            a.ecosystem.clone(),
            a.package.clone(),
            cell(&|v| graph.display_name(v)),
            cell(&|v| by_score[v as usize].to_string()),
            cell(&|v| by_reach[v as usize].to_string()),
            cell(&|v| by_direct[v as usize].to_string()),
            cell(&|v| m(v).reach.to_string()),
            cell(&|v| m(v).direct_dependents.to_string()),
            n.to_string(),
            cell(&|v| eco_score[v as usize].to_string()),
            cell(&|v| eco_reach[v as usize].to_string()),
            cell(&|v| eco_direct[v as usize].to_string()),
            a.keystone_ecosystem().map(|e| eco_size[e as usize].to_string()).unwrap_or_default(),
            group.map(|g| groups.names[g].clone()).unwrap_or_default(),
            group.map(|g| project_at[g].to_string()).unwrap_or_default(),
            group.map(|g| metrics[g].reach.to_string()).unwrap_or_default(),
            groups.names.len().to_string(),
        ])?;
    }
    csv.flush()
}
