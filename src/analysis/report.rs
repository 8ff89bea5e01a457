//! The committee's report as data: the shortlist of upstream projects by the score, the
//! evidence behind each, which funders' lists name them, the high-reach projects no list names
//! (blind spots), and the points of the xz-shape chart. [`export::report`] renders it as
//! JSON or as a page; both come from this one model.
//!
//! Definitions:
//! - A *project* is a group of [`projects`](super::groups::projects): the alias that claims a
//!   package, else its Debian source or repository, else the package alone.
//! - The shortlist is the top `top` projects by the [score](mod@super::score) (each ecosystem's
//!   top scores 1), with the projects a spotlight file includes added and those it excludes
//!   taken off (and listed apart, with their rationale).
//! - A list *names* a project when one of its rows matches a member: by ecosystem and name
//!   as the registry reads names ([`normalize_name`]); for a Debian library package of another
//!   release (`libffi7` where the graph has `libffi8`), by the name without its ABI version,
//!   when the packages with that stem belong to one project; or by repository address
//!   ([`normalize_repository`]) where the graph knows a project's repository.
//! - Reach by depth is over the packages outside the project, from its nearest member.
//!
//! [`export::report`]: crate::export::report

use std::collections::{BTreeMap, VecDeque};

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::floating::{blast_new_release, propagation_graph};
use super::gateways::{dominators, gateway_flag, top_gateway};
use super::groups::{group_metrics, AdvisoryMatch, GroupMetrics, Groups};
use super::pagerank::{pagerank, PageRankOptions};
use super::paths::blast;
use super::score::{self, group_evidence, score, Factor, Popularity, Score, Weights};
use crate::graph::csr::Csr;
use crate::graph::Graph;
use crate::ingest::lists::{Action, ListEntry, Spotlight};
use crate::model::{normalize_name, normalize_repository, Advisory, Ecosystem};
use crate::progress::Progress;

/// Most points the chart draws: every shortlisted and flagged package, and an even sample of
/// the rest up to this many.
pub const MAX_POINTS: usize = 4000;

/// Blind spots listed: the highest-reach projects no list names.
pub const BLIND_SPOTS: usize = 25;

/// Rows of a list shown as examples of what matched nothing.
const UNMATCHED_EXAMPLES: usize = 10;

/// What the report is made from.
pub struct Inputs<'a> {
    /// The graph.
    pub graph: &'a Graph,
    /// Its projects.
    pub groups: &'a Groups,
    /// Each project's reach.
    pub metrics: &'a [GroupMetrics],
    /// Each package's reach.
    pub reach: &'a [u32],
    /// Each project's score.
    pub scores: &'a [Score],
    /// OSV advisories.
    pub advisories: &'a [Advisory],
    /// Funders' lists, by name.
    pub lists: &'a [(String, Vec<ListEntry>)],
    /// The committee's overrides.
    pub spotlight: &'a [Spotlight],
    /// How many projects the shortlist holds before the spotlight's own.
    pub top: usize,
}

/// The report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Per ecosystem: packages, projects, and how many packages the input gives a project.
    pub ecosystems: Vec<EcosystemSummary>,
    /// The shortlist, by score.
    pub shortlist: Vec<Candidate>,
    /// Projects the spotlight file takes off the shortlist, with its reasons.
    pub excluded: Vec<Spotlight>,
    /// The highest-reach projects that no list names (empty without lists).
    pub blind_spots: Vec<BlindSpot>,
    /// How each list matched the graph.
    pub lists: Vec<ListSummary>,
    /// Advisories that match no package or project of the graph, and why.
    pub unmatched_advisories: Vec<String>,
    /// The points of the direct-dependents-against-reach chart.
    pub chart: Chart,
}

/// One ecosystem of the graph.
#[derive(Debug, Clone, Serialize)]
pub struct EcosystemSummary {
    /// Its name.
    pub ecosystem: Ecosystem,
    /// Its packages.
    pub packages: usize,
    /// Its projects (groups whose top member is of it).
    pub projects: usize,
    /// Its packages the input gives a project (the others are projects of one).
    pub packages_with_project: usize,
}

/// One shortlisted project and its evidence.
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    /// Position by score among all projects (1-based).
    pub rank: usize,
    /// Position by score within its ecosystem (1-based).
    pub ecosystem_rank: usize,
    /// The project.
    pub project: String,
    /// Its ecosystem (of its member of largest reach).
    pub ecosystem: Ecosystem,
    /// Every ecosystem its members belong to.
    pub ecosystems: Vec<Ecosystem>,
    /// Its member packages (display names).
    pub members: Vec<String>,
    /// Distinct packages outside the project that depend on a member at any depth.
    pub reach: u32,
    /// `reach` over the packages of its ecosystem.
    pub reach_share: f64,
    /// Distinct packages outside the project that depend on a member directly.
    pub direct_dependents: u32,
    /// `reach` by depth from the nearest member: index 0 is depth 1.
    pub reach_by_depth: Vec<u32>,
    /// Its member of largest reach.
    pub top_package: String,
    /// The outside direct dependent of largest reach.
    pub top_gateway: Option<String>,
    /// The share of the reach arriving through it.
    pub top_gateway_share: Option<f64>,
    /// The xz shape: a reach of 1% of the graph or more, and 100 times its outside dependents.
    pub gateway_flag: bool,
    /// The floating reach of its top package: the packages a fresh install would take a
    /// malicious new release of it into (see [`floating`](super::floating)).
    pub top_package_floating_reach: u32,
    /// The dependents outside the project that others' chains to its top member must cross,
    /// with how many they hold (as `blast` lists them), most first.
    pub dominators: Vec<Dominator>,
    /// Example chains from dependents down to the top member (`dependent > … > member`).
    pub chains: Vec<String>,
    /// The accounts that can publish a member.
    pub maintainers: Vec<String>,
    /// Whether one account (not a team) alone can publish it; null when unknown.
    pub sole_maintainer: Option<bool>,
    /// Advisories naming a member or the project.
    pub advisories: Vec<AdvisoryRef>,
    /// The lists that name it, each with the list's own source where it says.
    pub listed_by: Vec<Listing>,
    /// The spotlight's reason for including it, if it did.
    pub spotlight: Option<Spotlight>,
    /// The score and each factor's part.
    pub score: ScoreParts,
}

/// An advisory, as a card cites it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct AdvisoryRef {
    /// Its id.
    pub id: String,
    /// Its other ids.
    pub aliases: Vec<String>,
}

/// A list naming a project.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Listing {
    /// The list's name (`--listed-by NAME=FILE`).
    pub list: String,
    /// The list's own sources for the matching rows (Omega's `Debian Popularity Contest`).
    pub sources: Vec<String>,
}

/// A score and its parts (see [the score](mod@super::score)).
#[derive(Debug, Clone, Serialize)]
pub struct ScoreParts {
    /// ln(1 + key) / ln(1 + the ecosystem's largest key).
    pub score: f64,
    /// The geometric mean of (1 + reach) and (1 + direct dependents), minus 1.
    pub size: f64,
    /// size × (1 + the impact factors' points).
    pub impact: f64,
    /// 1 + the fragility factors' points.
    pub fragility: f64,
    /// Each factor's part.
    pub factors: Vec<FactorPart>,
}

/// One factor of a score.
#[derive(Debug, Clone, Serialize)]
pub struct FactorPart {
    /// Its name (`pagerank`, `popular_reach`, `concentration`, `sole_maintainer`).
    pub factor: &'static str,
    /// Its value in [0, 1]; null when the signal is missing.
    pub value: Option<f64>,
    /// What it adds: weight × value.
    pub points: f64,
}

/// A dependent that others' chains must cross.
#[derive(Debug, Clone, Serialize)]
pub struct Dominator {
    /// Its display name.
    pub package: String,
    /// How many other dependents reach the package only through it.
    pub dominated: u32,
}

/// A high-reach project no list names.
#[derive(Debug, Clone, Serialize)]
pub struct BlindSpot {
    /// The project.
    pub project: String,
    /// Its ecosystem.
    pub ecosystem: Ecosystem,
    /// Its reach.
    pub reach: u32,
    /// Its direct dependents.
    pub direct_dependents: u32,
    /// Its position by score, if shortlisted.
    pub shortlisted: Option<usize>,
}

/// How one list matched the graph.
#[derive(Debug, Clone, Serialize)]
pub struct ListSummary {
    /// The list's name.
    pub name: String,
    /// Its rows.
    pub rows: usize,
    /// Rows of ecosystems the graph holds, or naming a repository.
    pub rows_in_scope: usize,
    /// Rows matched by ecosystem and name.
    pub matched_by_name: usize,
    /// Debian rows naming a library package of another release (`libffi7` where the graph
    /// has `libffi8`), matched by the name without its ABI version to the one project whose
    /// packages have that stem.
    pub matched_by_abi_stem: usize,
    /// Rows matched by repository address.
    pub matched_by_repository: usize,
    /// Projects it names.
    pub projects_named: usize,
    /// Some rows in scope that matched nothing (`line: ecosystem name`).
    pub unmatched_examples: Vec<String>,
}

/// The chart's points.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    /// Packages with any dependent in the graph.
    pub packages: usize,
    /// The points drawn.
    pub points: Vec<Point>,
    /// Whether the points are a sample (with every shortlisted and flagged package).
    pub sampled: bool,
}

/// One package on the chart.
#[derive(Debug, Clone, Serialize)]
pub struct Point {
    /// Its display name.
    pub package: String,
    /// Its direct dependents.
    pub direct: u32,
    /// Its reach.
    pub reach: u32,
    /// Whether it has the xz shape.
    pub flagged: bool,
    /// Its project's shortlist position, when it is the top package of a shortlisted project.
    pub shortlisted: Option<usize>,
}

/// What every card is made from, computed once: positions by score, the lists' and advisories'
/// matches, the propagation graph.
pub struct Cards {
    /// Projects by score.
    order: Vec<usize>,
    /// Each project's position by score (1-based), overall and within its ecosystem.
    position: Vec<usize>,
    within: Vec<usize>,
    listings: FxHashMap<usize, Vec<Listing>>,
    lists: Vec<ListSummary>,
    advisories: FxHashMap<usize, Vec<AdvisoryRef>>,
    propagation: Csr,
}

impl Cards {
    /// The propagation graph the cards' floating reach is found on
    /// ([`propagation_graph`]), for other new-release blasts of the same graph.
    pub fn propagation(&self) -> &Csr {
        &self.propagation
    }

    /// Prepares the cards of `inputs`' projects.
    pub fn new(inputs: &Inputs<'_>) -> Cards {
        let Inputs { graph, groups, scores, .. } = *inputs;
        let mut group_of = vec![0u32; graph.node_count()];
        for (g, members) in groups.members.iter().enumerate() {
            members.iter().for_each(|&v| group_of[v as usize] = g as u32);
        }
        let order = score::ranked(scores, |a, b| groups.names[a].cmp(&groups.names[b]));
        let mut position = vec![0usize; groups.names.len()];
        order.iter().enumerate().for_each(|(i, &g)| position[g] = i + 1);
        let within = score::ecosystem_positions(&order, |g| scores[g].evidence.ecosystem);
        let (listings, lists) = match_lists(inputs, &group_of);
        let advisories = advisories_of(inputs);
        Cards { order, position, within, listings, lists, advisories, propagation: propagation_graph(graph) }
    }

    /// The card of project `g` of `inputs` (those the cards were prepared for): its evidence,
    /// as the report shows it.
    pub fn card(&self, inputs: &Inputs<'_>, g: usize) -> Candidate {
        let Inputs { graph, groups, metrics, scores, .. } = *inputs;
        let m = &metrics[g];
        let s = &scores[g];
        let members = &groups.members[g];
        let top = m.top_member;
        let gateways = dominators(graph.reverse(), graph.forward(), top).gateways;
        let mut maintainers: Vec<String> =
            members.iter().flat_map(|&v| graph.maintainers(v)).map(str::to_string).collect();
        maintainers.sort();
        maintainers.dedup();
        let mut ecosystems: Vec<Ecosystem> = members.iter().map(|&v| graph.ecosystem(v)).collect();
        ecosystems.dedup();
        let ecosystem_size = graph.range_of(s.evidence.ecosystem).len().max(1) as f64;
        Candidate {
            rank: self.position[g],
            ecosystem_rank: self.within[g],
            project: groups.names[g].clone(),
            ecosystem: s.evidence.ecosystem,
            ecosystems,
            members: members.iter().map(|&v| graph.display_name(v)).collect(),
            reach: m.reach,
            reach_share: f64::from(m.reach) / ecosystem_size,
            direct_dependents: m.direct_dependents,
            reach_by_depth: reach_by_depth(graph.reverse(), members),
            top_package: graph.display_name(top),
            top_gateway: m.top_gateway.map(|v| graph.display_name(v)),
            top_gateway_share: s.evidence.concentration,
            gateway_flag: gateway_flag(m.direct_dependents, m.reach, graph.node_count()),
            top_package_floating_reach: blast_new_release(&self.propagation, &[top], None).reached.len() as u32,
            dominators: gateways
                .iter()
                .filter(|(d, _)| members.binary_search(d).is_err())
                .take(5)
                .map(|&(d, dominated)| Dominator { package: graph.display_name(d), dominated })
                .collect(),
            chains: chains(graph, top),
            maintainers,
            sole_maintainer: s.evidence.sole_maintainer,
            advisories: self.advisories.get(&g).cloned().unwrap_or_default(),
            listed_by: self.listings.get(&g).cloned().unwrap_or_default(),
            spotlight: inputs
                .spotlight
                .iter()
                .find(|o| o.action == Action::Include && o.project == groups.names[g])
                .cloned(),
            score: ScoreParts {
                score: s.score,
                size: s.size,
                impact: s.impact,
                fragility: s.fragility,
                factors: Factor::ALL
                    .iter()
                    .map(|&f| FactorPart { factor: f.as_str(), value: s.value(f), points: s.points(f) })
                    .collect(),
            },
        }
    }
}

/// Every project's reach and score, and every package's reach: what the report's cards are
/// made from.
pub struct Scored {
    /// Each project's reach and direct dependents.
    pub metrics: Vec<GroupMetrics>,
    /// Each package's reach.
    pub reach: Vec<u32>,
    /// Each project's score.
    pub scores: Vec<Score>,
}

/// Scores the projects `groups` of `graph` with the `popularity` lists and `weights`.
pub fn score_projects(
    graph: &Graph,
    groups: &Groups,
    popularity: &[Popularity],
    weights: &Weights,
    progress: &dyn Progress,
) -> Scored {
    let (metrics, reach) = group_metrics(graph.reverse(), groups, progress);
    let pr = pagerank(graph.forward(), graph.reverse(), &PageRankOptions::default(), progress).scores;
    let evidence = group_evidence(graph, groups, &metrics, &reach, &pr, popularity, progress);
    let scores = score(&evidence, weights);
    Scored { metrics, reach, scores }
}

/// Builds the report.
pub fn build(inputs: &Inputs<'_>) -> Report {
    let Inputs { graph, groups, metrics, scores, .. } = *inputs;
    let cards = Cards::new(inputs);
    let position = &cards.position;
    let find = |project: &str| groups.names.binary_search_by(|name| name.as_str().cmp(project)).ok();
    let spot = |action: Action| inputs.spotlight.iter().filter(move |s| s.action == action);
    let excluded: Vec<usize> = spot(Action::Exclude).filter_map(|s| find(&s.project)).collect();
    let mut chosen: Vec<usize> =
        cards.order.iter().copied().filter(|g| !excluded.contains(g)).take(inputs.top).collect();
    for s in spot(Action::Include) {
        if let Some(g) = find(&s.project).filter(|g| !chosen.contains(g)) {
            chosen.push(g);
        }
    }
    chosen.sort_by_key(|&g| position[g]);
    let shortlist: Vec<Candidate> = chosen.iter().map(|&g| cards.card(inputs, g)).collect();
    let listings = &cards.listings;
    let blind_spots = if inputs.lists.is_empty() {
        Vec::new()
    } else {
        let mut by_reach: Vec<usize> = (0..groups.names.len()).filter(|g| !listings.contains_key(g)).collect();
        by_reach.sort_by(|&a, &b| metrics[b].reach.cmp(&metrics[a].reach).then(a.cmp(&b)));
        by_reach
            .into_iter()
            .take(BLIND_SPOTS)
            .map(|g| BlindSpot {
                project: groups.names[g].clone(),
                ecosystem: scores[g].evidence.ecosystem,
                reach: metrics[g].reach,
                direct_dependents: metrics[g].direct_dependents,
                shortlisted: chosen.contains(&g).then_some(position[g]),
            })
            .collect()
    };
    Report {
        ecosystems: ecosystems(graph, groups, scores),
        excluded: spot(Action::Exclude).cloned().collect(),
        blind_spots,
        lists: cards.lists.clone(),
        unmatched_advisories: unmatched_advisories(inputs),
        chart: chart(inputs, &chosen, position),
        shortlist,
    }
}

/// Each ecosystem's packages and projects.
fn ecosystems(graph: &Graph, groups: &Groups, scores: &[Score]) -> Vec<EcosystemSummary> {
    graph
        .ecosystems()
        .into_iter()
        .map(|ecosystem| {
            let range = graph.range_of(ecosystem);
            EcosystemSummary {
                ecosystem,
                packages: range.len(),
                projects: (0..groups.names.len()).filter(|&g| scores[g].evidence.ecosystem == ecosystem).count(),
                packages_with_project: range.filter(|&v| graph.project(v).is_some()).count(),
            }
        })
        .collect()
}

/// How many packages outside `members` depend on one at each depth (index 0: depth 1), by a
/// breadth-first search over `reverse` from all of them at once.
pub fn reach_by_depth(reverse: &Csr, members: &[u32]) -> Vec<u32> {
    let mut depth = vec![u32::MAX; reverse.len()];
    let mut queue: VecDeque<u32> = members.iter().copied().collect();
    members.iter().for_each(|&v| depth[v as usize] = 0);
    let mut counts = Vec::new();
    while let Some(v) = queue.pop_front() {
        let d = depth[v as usize] + 1;
        for &w in reverse.neighbors(v) {
            if depth[w as usize] == u32::MAX {
                depth[w as usize] = d;
                if counts.len() < d as usize {
                    counts.push(0);
                }
                counts[d as usize - 1] += 1;
                queue.push_back(w);
            }
        }
    }
    counts
}

/// Example chains down to `x`: from its deepest dependent, and from one halfway down.
fn chains(graph: &Graph, x: u32) -> Vec<String> {
    let search = blast(graph.reverse(), x, None);
    let Some(&deepest) = search.reached.last() else { return Vec::new() };
    let deepest_depth = search.depth(deepest).unwrap_or(0);
    let halfway = search.reached.iter().copied().find(|&v| search.depth(v).unwrap_or(0) * 2 >= deepest_depth);
    let mut picks = vec![deepest];
    picks.extend(halfway.filter(|&v| v != deepest));
    picks
        .into_iter()
        .filter_map(|v| search.chain(v))
        .map(|chain| chain.iter().map(|&c| graph.display_name(c)).collect::<Vec<_>>().join(" > "))
        .collect()
}

/// The advisories naming each project.
fn advisories_of(inputs: &Inputs<'_>) -> FxHashMap<usize, Vec<AdvisoryRef>> {
    let mut out: FxHashMap<usize, Vec<AdvisoryRef>> = FxHashMap::default();
    for a in inputs.advisories {
        if let Some((_, Some(g))) = AdvisoryMatch::of(a, inputs.graph, inputs.groups).matched(inputs.metrics) {
            let list = out.entry(g).or_default();
            let found = AdvisoryRef { id: a.id.clone(), aliases: a.aliases.clone() };
            if !list.contains(&found) {
                list.push(found);
            }
        }
    }
    out.values_mut().for_each(|list| list.sort());
    out
}

/// Why each advisory that matches nothing does not.
fn unmatched_advisories(inputs: &Inputs<'_>) -> Vec<String> {
    inputs.advisories.iter().filter_map(|a| AdvisoryMatch::of(a, inputs.graph, inputs.groups).unmatched(a)).collect()
}

/// keystone's ecosystem for a list's name of one (`cargo` is crates.io), if keystone reads it.
fn list_ecosystem(name: &str) -> Option<Ecosystem> {
    match name.to_ascii_lowercase().as_str() {
        "cargo" | "crates.io" => Some(Ecosystem::Crates),
        other => other.parse().ok(),
    }
}

/// Which lists name each project (with the lists' own sources), and how each list matched.
fn match_lists(inputs: &Inputs<'_>, group_of: &[u32]) -> (FxHashMap<usize, Vec<Listing>>, Vec<ListSummary>) {
    let graph = inputs.graph;
    let present = graph.ecosystems();
    // Names as each registry reads them, and repository addresses, to their packages.
    let mut names: FxHashMap<(Ecosystem, String), u32> = FxHashMap::default();
    let mut repositories: FxHashMap<&str, u32> = FxHashMap::default();
    // Debian library names without their ABI version, to the one project they belong to
    // (`None` when packages of several projects share the stem).
    let mut stems: FxHashMap<&str, Option<u32>> = FxHashMap::default();
    for v in 0..graph.node_count() as u32 {
        let eco = graph.ecosystem(v);
        names.entry((eco, normalize_name(eco, graph.name(v)).into_owned())).or_insert(v);
        if let Some(project) = graph.project(v).filter(|p| p.contains('/')) {
            repositories.entry(project).or_insert(v);
        }
        if eco == Ecosystem::Debian {
            let g = group_of[v as usize];
            stems
                .entry(abi_stem(graph.name(v)))
                .and_modify(|one| *one = one.filter(|&other| group_of[other as usize] == g))
                .or_insert(Some(v));
        }
    }
    let mut listings: FxHashMap<usize, BTreeMap<String, Vec<String>>> = FxHashMap::default();
    let mut summaries = Vec::new();
    for (list, entries) in inputs.lists {
        let mut summary = ListSummary {
            name: list.clone(),
            rows: entries.len(),
            rows_in_scope: 0,
            matched_by_name: 0,
            matched_by_abi_stem: 0,
            matched_by_repository: 0,
            projects_named: 0,
            unmatched_examples: Vec::new(),
        };
        let mut named = rustc_hash::FxHashSet::default();
        for entry in entries {
            let ecosystem = list_ecosystem(&entry.ecosystem).filter(|e| present.contains(e));
            let repository = entry.url.as_deref().and_then(normalize_repository);
            let by_name = ecosystem
                .filter(|_| !entry.name.is_empty())
                .and_then(|e| names.get(&(e, normalize_name(e, &entry.name).into_owned())).copied());
            let by_repository = || repository.as_deref().and_then(|r| repositories.get(r).copied());
            let by_stem = || {
                (ecosystem == Some(Ecosystem::Debian) && abi_stem(&entry.name) != entry.name)
                    .then(|| stems.get(abi_stem(&entry.name)).copied().flatten())
                    .flatten()
            };
            let in_scope = ecosystem.is_some() || (entry.name.is_empty() && repository.is_some());
            summary.rows_in_scope += usize::from(in_scope);
            let found = match (by_name, by_stem(), by_repository()) {
                (Some(v), ..) => {
                    summary.matched_by_name += 1;
                    Some(v)
                }
                (None, Some(v), _) => {
                    summary.matched_by_abi_stem += 1;
                    Some(v)
                }
                (None, None, Some(v)) => {
                    summary.matched_by_repository += 1;
                    Some(v)
                }
                (None, None, None) => {
                    if in_scope && summary.unmatched_examples.len() < UNMATCHED_EXAMPLES {
                        let what = if entry.name.is_empty() {
                            entry.url.clone().unwrap_or_default()
                        } else {
                            entry.name.clone()
                        };
                        summary.unmatched_examples.push(format!("line {}: {} {what}", entry.line, entry.ecosystem));
                    }
                    None
                }
            };
            if let Some(v) = found {
                let g = group_of[v as usize] as usize;
                named.insert(g);
                let sources = listings.entry(g).or_default().entry(list.clone()).or_default();
                if let Some(source) = entry.source.as_ref().filter(|s| !sources.contains(s)) {
                    sources.push(source.clone());
                }
            }
        }
        summary.projects_named = named.len();
        summaries.push(summary);
    }
    let listings = listings
        .into_iter()
        .map(|(g, lists)| {
            let mut lists: Vec<Listing> = lists
                .into_iter()
                .map(|(list, mut sources)| {
                    sources.sort();
                    Listing { list, sources }
                })
                .collect();
            lists.sort();
            (g, lists)
        })
        .collect();
    (listings, summaries)
}

/// A Debian package name without its ABI version: the trailing digits, dots and dashes
/// (`libffi7`, `libssl1.1`, `libldap-2.4-2` → `libffi`, `libssl`, `libldap`), so that a list
/// made against an older release finds the library under its current name.
fn abi_stem(name: &str) -> &str {
    let stem = name.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.' || c == '-');
    if stem.is_empty() {
        name
    } else {
        stem
    }
}

/// The chart's points: every package with a dependent, or, past [`MAX_POINTS`], every
/// shortlisted top package and every flagged one, and an even sample of the rest by id.
fn chart(inputs: &Inputs<'_>, chosen: &[usize], position: &[usize]) -> Chart {
    let graph = inputs.graph;
    let n = graph.node_count();
    let gateways = top_gateway(graph.reverse(), inputs.reach, &graph.project_ids());
    let mut shortlisted: FxHashMap<u32, usize> = FxHashMap::default();
    for &g in chosen {
        shortlisted.insert(inputs.metrics[g].top_member, position[g]);
    }
    let with_dependents: Vec<u32> = (0..n as u32).filter(|&v| inputs.reach[v as usize] > 0).collect();
    let flagged = |v: u32| gateway_flag(gateways[v as usize].dependents, inputs.reach[v as usize], n);
    let sampled = with_dependents.len() > MAX_POINTS;
    let points: Vec<u32> = if sampled {
        let must: Vec<u32> =
            with_dependents.iter().copied().filter(|&v| shortlisted.contains_key(&v) || flagged(v)).collect();
        let step = with_dependents.len().div_ceil(MAX_POINTS.saturating_sub(must.len()).max(1));
        let mut picked: Vec<u32> = with_dependents.iter().copied().step_by(step).chain(must).collect();
        picked.sort_unstable();
        picked.dedup();
        picked
    } else {
        with_dependents.clone()
    };
    Chart {
        packages: with_dependents.len(),
        sampled,
        points: points
            .into_iter()
            .map(|v| Point {
                package: graph.display_name(v),
                direct: graph.reverse().degree(v) as u32,
                reach: inputs.reach[v as usize],
                flagged: flagged(v),
                shortlisted: shortlisted.get(&v).copied(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::{abi_stem, reach_by_depth};
    use crate::graph::csr::Csr;

    #[test]
    fn abi_stems_drop_the_library_version() {
        let stems: Vec<&str> =
            ["libffi7", "libssl1.1", "libldap-2.4-2", "python2.7", "dpkg", "7zip"].map(abi_stem).to_vec();
        assert_eq!(stems, ["libffi", "libssl", "libldap", "python", "dpkg", "7zip"]);
    }

    #[test]
    fn reach_by_depth_counts_outside_packages_from_the_nearest_member() {
        // 2 → 0, 3 → 2, 3 → 1, 4 → 3; members {0, 1}: 2 and 3 at depth 1, 4 at depth 2.
        let forward = Csr::from_edges(5, &[(2, 0), (3, 2), (3, 1), (4, 3)]);
        assert_eq!(reach_by_depth(&forward.transpose(), &[0, 1]), vec![2, 1]);
    }
}
