//! Reach of groups of packages: upstream projects (xz-utils = liblzma5 + xz-utils + …) and
//! accounts (everything one maintainer can publish).
//!
//! A group's reach is the number of distinct packages outside the group that depend on any
//! member at any depth: a union, never a sum, so a dependent of several members counts once.
//! It is computed exactly, for every group at once, by one run of [`reach`] over the reverse
//! graph extended with one stand-in node per group of two or more members, on which each
//! member depends: the stand-in's reach is the members and all their dependents.
//!
//! Invariants of [`Groups`]: names are distinct and sorted; each member list is sorted, without
//! duplicates, and not empty.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use super::reach::{reach, weighted_reach};
use crate::error::Result;
use crate::graph::csr::Csr;
use crate::graph::Graph;
use crate::model::{Advisory, Ecosystem};
use crate::progress::Progress;

/// Named groups of packages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Groups {
    /// Group names, sorted.
    pub names: Vec<String>,
    /// Each group's members, ascending.
    pub members: Vec<Vec<u32>>,
}

impl Groups {
    fn from_map(map: FxHashMap<String, Vec<u32>>) -> Groups {
        let mut pairs: Vec<(String, Vec<u32>)> = map.into_iter().collect();
        pairs.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let (names, mut members): (Vec<String>, Vec<Vec<u32>>) = pairs.into_iter().unzip();
        for list in &mut members {
            list.sort_unstable();
            list.dedup();
        }
        Groups { names, members }
    }
}

/// Every package's upstream project: the alias that claims it, else its project key (Debian
/// source, repository), else its own display name (a project of one).
///
/// `aliases` (an alias file's [`projects`](crate::ingest::side::Aliases::projects)) maps a project name to packages (`debian/libcurl4`, `crates/curl-sys`): each named
/// package's whole derived project joins the alias, so naming `debian/libcurl4` brings every
/// binary package of Debian's `curl` source. Names of ecosystems the graph does not hold are
/// skipped; any other unknown name is an error.
pub fn projects(graph: &Graph, aliases: &BTreeMap<String, Vec<String>>) -> Result<Groups> {
    let key = |v: u32| graph.project(v).map_or_else(|| graph.display_name(v), str::to_string);
    let mut renamed: FxHashMap<String, String> = FxHashMap::default();
    let present = graph.ecosystems();
    for (alias, packages) in aliases {
        for package in packages {
            // One alias file serves graphs of any ecosystems: names of absent ones are skipped.
            if Ecosystem::split_qualified(package).is_some_and(|(eco, _)| !present.contains(&eco)) {
                continue;
            }
            renamed.insert(key(graph.find(package)?), alias.clone());
        }
    }
    let mut map: FxHashMap<String, Vec<u32>> = FxHashMap::default();
    for v in 0..graph.node_count() as u32 {
        let key = key(v);
        map.entry(renamed.get(&key).cloned().unwrap_or(key)).or_default().push(v);
    }
    Ok(Groups::from_map(map))
}

/// Every account and the packages it can publish.
pub fn accounts(graph: &Graph) -> Groups {
    let mut map: FxHashMap<String, Vec<u32>> = FxHashMap::default();
    for v in 0..graph.node_count() as u32 {
        for account in graph.maintainers(v) {
            map.entry(account.to_string()).or_default().push(v);
        }
    }
    Groups::from_map(map)
}

/// What one group reaches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupMetrics {
    /// Distinct packages outside the group depending on a member directly.
    pub direct_dependents: u32,
    /// Distinct packages outside the group depending on a member at any depth.
    pub reach: u32,
    /// The member with the largest reach (ties: lowest id, i.e. by name).
    pub top_member: u32,
    /// The outside direct dependent with the largest reach (ties: lowest id); `None` without
    /// any.
    pub top_gateway: Option<u32>,
}

/// The reverse graph extended with one stand-in row per group of two or more members, the
/// members (sorted, in range), so that a stand-in's dependents are the members and all theirs;
/// and each group's stand-in (`u32::MAX` for groups of one).
fn extended(reverse: &Csr, groups: &Groups) -> (Csr, Vec<u32>) {
    let (mut offsets, mut targets) = (reverse.offsets().to_vec(), reverse.targets().to_vec());
    let mut stand_in = vec![u32::MAX; groups.members.len()];
    for (g, members) in groups.members.iter().enumerate().filter(|(_, m)| m.len() > 1) {
        stand_in[g] = offsets.len() as u32 - 1;
        targets.extend_from_slice(members);
        offsets.push(targets.len() as u32);
    }
    (Csr::from_parts(offsets, targets).expect("stand-in rows keep the CSR invariants"), stand_in)
}

/// The [`GroupMetrics`] of every group, and the reach of every package (which the same pass
/// yields).
///
/// Time: one [`reach`] over `n + g'` nodes and `m + Σ|members|` edges, `g'` being the groups of
/// two or more members; plus O(Σ members' degrees) for the direct dependents.
///
/// ```
/// use keystone::analysis::groups::{group_metrics, Groups};
/// use keystone::graph::csr::Csr;
/// use keystone::progress::NoProgress;
/// // app → a, app → b, tool → b: the group {a, b} has 2 dependents, not 3.
/// let forward = Csr::from_edges(4, &[(0, 1), (0, 2), (3, 2)]);
/// let groups = Groups { names: vec!["ab".into()], members: vec![vec![1, 2]] };
/// let (metrics, _) = group_metrics(&forward.transpose(), &groups, &NoProgress);
/// assert_eq!((metrics[0].direct_dependents, metrics[0].reach), (2, 2));
/// ```
pub fn group_metrics(reverse: &Csr, groups: &Groups, progress: &dyn Progress) -> (Vec<GroupMetrics>, Vec<u32>) {
    let n = reverse.len() as u32;
    let (extended, stand_in) = extended(reverse, groups);
    let all = reach(&extended, progress);
    let mut mark = vec![u32::MAX; n as usize];
    let metrics = groups
        .members
        .iter()
        .enumerate()
        .map(|(g, members)| {
            members.iter().for_each(|&m| mark[m as usize] = g as u32);
            let (mut direct, mut top_gateway) = (0, None::<u32>);
            for &m in members {
                for &d in reverse.neighbors(m) {
                    if mark[d as usize] != g as u32 && mark[d as usize] != u32::MAX - 1 - g as u32 {
                        mark[d as usize] = u32::MAX - 1 - g as u32;
                        direct += 1;
                        let larger =
                            |t: u32| (all[d as usize], std::cmp::Reverse(d)) > (all[t as usize], std::cmp::Reverse(t));
                        if top_gateway.is_none_or(larger) {
                            top_gateway = Some(d);
                        }
                    }
                }
            }
            let reach = match stand_in[g] {
                u32::MAX => all[members[0] as usize],
                s => all[s as usize] - members.len() as u32,
            };
            let top_member = *members
                .iter()
                .max_by(|&&a, &&b| all[a as usize].cmp(&all[b as usize]).then(b.cmp(&a)))
                .expect("members");
            GroupMetrics { direct_dependents: direct, reach, top_member, top_gateway }
        })
        .collect();
    (metrics, all[..n as usize].to_vec())
}

/// The popularity `weights` of each group's outside dependents at any depth, summed once each:
/// [`weighted_reach`] over the same extended graph as [`group_metrics`].
pub fn group_weighted_reach(reverse: &Csr, groups: &Groups, weights: &[f64], progress: &dyn Progress) -> Vec<f64> {
    let (extended, stand_in) = extended(reverse, groups);
    let mut padded = weights.to_vec();
    padded.resize(extended.len(), 0.0);
    let all = weighted_reach(&extended, &padded, progress);
    groups
        .members
        .iter()
        .zip(stand_in)
        .map(|(members, s)| match s {
            u32::MAX => all[members[0] as usize],
            s => {
                // The members' own weight taken back out; what rounding leaves of it is zero.
                let own: f64 = members.iter().map(|&m| weights[m as usize]).sum();
                let outside = all[s as usize] - own;
                if outside > 1e-9 * all[s as usize] {
                    outside
                } else {
                    0.0
                }
            }
        })
        .collect()
}

/// Group indices ranked by reach (descending), then name.
pub fn ranked(groups: &Groups, metrics: &[GroupMetrics]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..groups.names.len()).collect();
    order.sort_by(|&a, &b| metrics[b].reach.cmp(&metrics[a].reach).then_with(|| groups.names[a].cmp(&groups.names[b])));
    order
}

/// What an advisory's package is in a graph: the package, its project, or why neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdvisoryMatch {
    /// The package, read as its registry reads names, with its project if it has one.
    Package(u32, Option<usize>),
    /// No package of that name, but a project of that name with members in the advisory's
    /// ecosystem (OSV's Debian `xz` for the source package): the project.
    Project(usize),
    /// The OSV ecosystem is not one keystone reads.
    UnknownEcosystem,
    /// The graph holds no package of the advisory's ecosystem.
    EcosystemAbsent(Ecosystem),
    /// Neither a package nor a project of that name in the ecosystem.
    NoSuchName(Ecosystem),
}

impl AdvisoryMatch {
    /// Matches advisory `a` in `graph`, whose projects are `groups`.
    pub fn of(a: &Advisory, graph: &Graph, groups: &Groups) -> AdvisoryMatch {
        let Some(eco) = a.keystone_ecosystem() else { return AdvisoryMatch::UnknownEcosystem };
        if !graph.ecosystems().contains(&eco) {
            return AdvisoryMatch::EcosystemAbsent(eco);
        }
        if let Some(v) = graph.resolve(eco, &a.package) {
            return AdvisoryMatch::Package(v, groups.members.iter().position(|m| m.binary_search(&v).is_ok()));
        }
        groups
            .names
            .binary_search(&a.package)
            .ok()
            .filter(|&g| groups.members[g].iter().any(|&m| graph.ecosystem(m) == eco))
            .map_or(AdvisoryMatch::NoSuchName(eco), AdvisoryMatch::Project)
    }

    /// For advisory `a` matching nothing, the line that says so and why; `None` when it
    /// matched.
    pub fn unmatched(self, a: &Advisory) -> Option<String> {
        let why = match self {
            AdvisoryMatch::Package(..) | AdvisoryMatch::Project(_) => return None,
            AdvisoryMatch::UnknownEcosystem => format!("keystone does not read OSV's ecosystem `{}`", a.ecosystem),
            AdvisoryMatch::EcosystemAbsent(eco) => format!("the graph holds no {eco} packages"),
            AdvisoryMatch::NoSuchName(eco) => format!("no {eco} package or project is named `{}`", a.package),
        };
        Some(format!("{}: {} {} not matched: {why}", a.id, a.ecosystem, a.package))
    }

    /// The package and project matched, if any; a project matched by name stands in with its
    /// member of largest reach.
    pub fn matched(self, metrics: &[GroupMetrics]) -> Option<(u32, Option<usize>)> {
        match self {
            AdvisoryMatch::Package(v, group) => Some((v, group)),
            AdvisoryMatch::Project(g) => Some((metrics[g].top_member, Some(g))),
            _ => None,
        }
    }
}
