//! The scenarios of `blast`: what happens to the dependents of the packages an incident names
//! (the *targets*: one package, several, a project's, or an OSV record's) when, for each X of
//! them,
//! - **compromise**: every release of X is malicious: all dependents at any depth are hit;
//! - **new release**: X publishes a malicious next release: only fresh installs through floating
//!   requirements are hit ([`floating`](super::floating));
//! - **affected range**: the releases of X in a vulnerable range are bad. A direct dependent
//!   whose requirement admits no release in the range is not affected. One whose requirement
//!   admits only releases in the range is **stuck**: it cannot get a fixed X until it publishes
//!   a new release itself. One whose requirement also admits a release outside the range is
//!   **fixable**: a fresh resolution can already pick a fixed X. Where the input lists every
//!   release (crates.io, npm, PyPI), a fixed X is an existing release outside the range; where
//!   it lists only the current one (Debian's archive holds one release per package), it is a
//!   release the archive can ship ([`versions::fixes`]: the current upstream version with a
//!   higher revision, or the first version past the range), and the summary names them. A transitive dependent is stuck
//!   when any chain leads it to a stuck direct dependent (that one pulls the bad X whatever
//!   else it resolves), and fixable otherwise;
//! - **removal**: X, or its releases in a range, disappear (the left-pad case). A direct
//!   dependent whose requirement admits none of the releases that remain is **broken**, and so
//!   is everything that depends on a broken package.
//!
//! Which releases of X are bad is given with each target ([`Bad`]): every release, a range in
//! the ecosystem's requirement syntax, or an OSV record's ranges and versions
//! ([`versions::osv_affected`]), whose `fixed` versions count as fixes where the input lists
//! one release. Compromise and new release concern every release.
//!
//! Several targets make one union: the targets with a bad release are the *sources*, at depth
//! 0; every other package is reached at its depth from the nearest source, with one chain to
//! it, and is stuck when a chain leads it to a stuck direct dependent of any source. A target
//! with no bad release is an ordinary package, hit only if it depends on a source. The
//! *gateways* of the union are the dominators of what it reached
//! ([`gateways::of_search`](super::gateways::of_search)).
//!
//! Releases are those the input lists for X (yanked crates excluded); where it lists none, the
//! one version the graph holds. Requirements are read with the ecosystem's rules
//! ([`versions::admitted`]); one that cannot be read is counted as stuck or broken, so that the
//! harm is never under-counted, and the number of such requirements is reported. Dependents are
//! seen at their latest release only.

use rustc_hash::FxHashMap;

use super::floating::{blast_new_release, propagation_graph};
use super::gateways::of_search;
use super::paths::{Bounds, Search};
use crate::error::{Error, Result};
use crate::graph::csr::Csr;
use crate::graph::Graph;
use crate::model::{AffectedReleases, OsvEvent};
use crate::versions;

/// What is assumed to happen to each target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    /// Every release is malicious.
    Compromise,
    /// A malicious next release is published.
    NewRelease,
    /// The bad releases are vulnerable.
    Affected,
    /// The bad releases are removed.
    Removed,
}

impl std::str::FromStr for Scenario {
    type Err = String;
    /// `compromise`, `new_release`, `affected` or `removed`.
    fn from_str(s: &str) -> Result<Scenario, String> {
        match s {
            "compromise" => Ok(Scenario::Compromise),
            "new_release" => Ok(Scenario::NewRelease),
            "affected" => Ok(Scenario::Affected),
            "removed" => Ok(Scenario::Removed),
            other => Err(format!("`{other}` is not a scenario (compromise, new_release, affected or removed)")),
        }
    }
}

/// A package an incident names, and which of its releases are bad.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The package.
    pub package: u32,
    /// Its bad releases.
    pub bad: Bad,
}

/// Which releases of a target are bad.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bad {
    /// Every release.
    All,
    /// Those a requirement in the ecosystem's syntax admits (`>=1.4.1, <1.4.3`).
    Range(String),
    /// Those an OSV record names.
    Advisory(AffectedReleases),
}

/// How a package reached by a scenario is hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// Depends on the compromised package.
    Affected,
    /// Installs the malicious next release on a fresh install.
    Floats,
    /// Can only resolve to vulnerable releases until a dependent on its chain releases.
    Stuck,
    /// Can already resolve to a fixed release.
    Fixable,
    /// Left with no release that satisfies it.
    Broken,
}

impl Status {
    /// The CSV spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Affected => "affected",
            Status::Floats => "floats",
            Status::Stuck => "stuck",
            Status::Fixable => "fixable",
            Status::Broken => "broken",
        }
    }
}

/// What a scenario found about one target's own releases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetOutcome {
    /// The target.
    pub package: u32,
    /// Its releases the scenario selects (every one for compromise and new release).
    pub in_range: Vec<String>,
    /// Number of its releases considered.
    pub releases: usize,
    /// Releases that do not exist in the input but could fix a dependent, where the input lists
    /// only the current release ([`versions::fixes`], or the advisory's `fixed` versions).
    pub fixes: Vec<String>,
    /// Direct dependents whose requirement on it could not be read (counted as hit).
    pub unreadable: u32,
    /// Whether it is a source of the union: compromised, or with a bad release.
    pub source: bool,
}

/// The outcome of a scenario for a set of targets.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Every package hit, with shortest depths from the nearest source and one chain each.
    pub search: Search,
    /// Stuck packages (affected range only); every other reached package has the scenario's
    /// single status.
    stuck: Option<Search>,
    /// The status of reached packages that are not stuck.
    base: Status,
    /// Per target, in the order given.
    pub targets: Vec<TargetOutcome>,
    /// `(gateway, dominated)`: the packages hit that others hit reach the sources only
    /// through, and how many each carries ([`gateways::of_search`](super::gateways::of_search)).
    pub gateways: Vec<(u32, u32)>,
}

impl Outcome {
    /// How reached package `v` is hit.
    pub fn status(&self, v: u32) -> Status {
        match &self.stuck {
            Some(stuck) if stuck.depth(v).is_some() => Status::Stuck,
            _ => self.base,
        }
    }

    /// Reached packages per depth (index 0 is depth 1) and status, statuses in [`Status`] order.
    pub fn per_depth(&self) -> Vec<Vec<(Status, u64)>> {
        let levels = self.search.levels();
        levels
            .iter()
            .map(|level| {
                let stuck = self.stuck.as_ref().map_or(0, |s| level.iter().filter(|&&v| s.depth(v).is_some()).count());
                let mut row: Vec<(Status, u64)> = [(Status::Stuck, stuck), (self.base, level.len() - stuck)]
                    .into_iter()
                    .filter(|&(_, count)| count > 0)
                    .map(|(status, count)| (status, count as u64))
                    .collect();
                row.sort_unstable();
                row
            })
            .collect()
    }

    /// The packages hit, in `order`: by depth, or by `reach` (each package's own, largest
    /// first), then depth; ties by name, then id.
    pub fn ordered(&self, graph: &Graph, order: Order, reach: &[u32]) -> Vec<u32> {
        let search = &self.search;
        let mut rows = search.reached.clone();
        let depth = |v: u32| search.depth(v).unwrap_or(u32::MAX);
        let by_name = |a: &u32, b: &u32| graph.name(*a).cmp(graph.name(*b)).then(a.cmp(b));
        match order {
            Order::Depth => rows.sort_unstable_by(|a, b| depth(*a).cmp(&depth(*b)).then_with(|| by_name(a, b))),
            Order::Importance => rows.sort_unstable_by(|a, b| {
                reach[*b as usize].cmp(&reach[*a as usize]).then(depth(*a).cmp(&depth(*b))).then_with(|| by_name(a, b))
            }),
        }
        rows
    }
}

impl std::str::FromStr for Order {
    type Err = String;
    /// `depth` or `importance`.
    fn from_str(s: &str) -> Result<Order, String> {
        match s {
            "depth" => Ok(Order::Depth),
            "importance" => Ok(Order::Importance),
            other => Err(format!("`{other}` is not an order (depth or importance)")),
        }
    }
}

/// The order of the packages hit ([`Outcome::ordered`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    /// Nearest first.
    #[default]
    Depth,
    /// Those most others stand on first.
    Importance,
}

/// Runs `scenario` for `targets`, following dependents at most `max_depth` steps away. A new
/// release is followed on `propagation`, the graph's [`propagation_graph`], when the caller
/// keeps one for many blasts (a server does); it is made here otherwise.
///
/// Time O(n + m) for the searches and the gateways, plus one requirement check per direct
/// dependent and release of each target (distinct requirements are checked once).
///
/// # Errors
/// A range or an advisory's version that does not parse, naming the target.
///
/// ```
/// use keystone::analysis::scenario::{run, Bad, Scenario, Status, Target};
/// use keystone::graph::builder::build;
/// use keystone::model::{DepKind, Dependency, Ecosystem, Ingested, PackageRecord, Profile};
/// use keystone::progress::NoProgress;
/// let record = |name: &str, version: &str, deps: Vec<Dependency>| {
///     let mut r = PackageRecord::new(Ecosystem::Crates, name.into(), Some(version.into()), deps);
///     r.releases = vec!["1.0.0".into(), "1.0.1".into()];
///     r
/// };
/// let on_x = |req: &str| vec![Dependency::new("x", DepKind::Normal, false, Some(req.into()))];
/// let input = Ingested {
///     packages: vec![record("x", "1.0.1", vec![]), record("pinned", "1.0.0", on_x("=1.0.0")), record("loose", "1.0.0", on_x("^1"))],
///     edges: Vec::new(),
///     skipped: Default::default(),
/// };
/// let graph = build(&[input], Profile::default(), &NoProgress).unwrap();
/// let x = Target { package: graph.find("x").unwrap(), bad: Bad::Range("=1.0.0".into()) };
/// let outcome = run(&graph, &[x], Scenario::Affected, None, None).unwrap();
/// assert_eq!(outcome.status(graph.find("pinned").unwrap()), Status::Stuck);
/// assert_eq!(outcome.status(graph.find("loose").unwrap()), Status::Fixable);
/// ```
pub fn run(
    graph: &Graph,
    targets: &[Target],
    scenario: Scenario,
    max_depth: Option<u32>,
    propagation: Option<&Csr>,
) -> Result<Outcome> {
    let bounds = Bounds { max_depth, ..Bounds::default() };
    let every = |t: &Target| {
        let releases = graph.releases(t.package);
        TargetOutcome {
            package: t.package,
            in_range: releases.iter().map(|r| r.to_string()).collect(),
            releases: releases.len(),
            fixes: Vec::new(),
            unreadable: 0,
            source: true,
        }
    };
    let (search, stuck, base, outcomes) = match scenario {
        Scenario::Compromise => {
            let starts = targets.iter().map(|t| (t.package, graph.reverse().neighbors(t.package).to_vec())).collect();
            let search = Search::from_starts(graph.reverse(), starts, bounds);
            (search, None, Status::Affected, targets.iter().map(every).collect())
        }
        Scenario::NewRelease => {
            let xs: Vec<u32> = targets.iter().map(|t| t.package).collect();
            let made;
            let propagation = match propagation {
                Some(kept) => kept,
                None => {
                    made = propagation_graph(graph);
                    &made
                }
            };
            let search = blast_new_release(propagation, &xs, max_depth);
            let gateways = of_search(&search, propagation).gateways;
            let targets = targets.iter().map(every).collect();
            return Ok(Outcome { search, stuck: None, base: Status::Floats, targets, gateways });
        }
        Scenario::Affected | Scenario::Removed => {
            let removal = scenario == Scenario::Removed;
            let (mut hit, mut stuck, mut outcomes) = (Vec::new(), Vec::new(), Vec::new());
            for target in targets {
                let (outcome, seeds) = select(graph, target, removal)?;
                if outcome.source {
                    hit.push((target.package, seeds.hit));
                    stuck.push((target.package, seeds.stuck));
                }
                outcomes.push(outcome);
            }
            let search = Search::from_starts(graph.reverse(), hit, bounds);
            if removal {
                (search, None, Status::Broken, outcomes)
            } else {
                (search, Some(Search::from_starts(graph.reverse(), stuck, bounds)), Status::Fixable, outcomes)
            }
        }
    };
    let gateways = of_search(&search, graph.reverse()).gateways;
    Ok(Outcome { search, stuck, base, targets: outcomes, gateways })
}

/// The direct dependents of one target a range or removal hits, and those of them stuck.
struct Seeds {
    hit: Vec<u32>,
    stuck: Vec<u32>,
}

/// For one target of an affected range (or a removal, when `removal`), its bad releases and
/// the direct dependents hit.
fn select(graph: &Graph, target: &Target, removal: bool) -> Result<(TargetOutcome, Seeds)> {
    let x = target.package;
    let releases = graph.releases(x);
    let eco = graph.ecosystem(x);
    let range_error = |e: String| Error::Invalid(format!("the range for {}: {e}", graph.display_name(x)));
    let (selected, fixes) = match &target.bad {
        Bad::All => (vec![true; releases.len()], Vec::new()),
        Bad::Range(range) => {
            let selected = versions::admitted(eco, Some(range), &releases).map_err(range_error)?;
            // A vulnerable range of the one release listed: the releases that could fix it
            // count as outside the range.
            let fixes = match (removal, releases.as_slice()) {
                (false, [current]) => versions::fixes(eco, range, current).map_err(range_error)?,
                _ => Vec::new(),
            };
            (selected, fixes)
        }
        Bad::Advisory(affected) => {
            let selected = versions::osv_affected(eco, affected, &releases).map_err(range_error)?;
            let fixes = match (removal, releases.as_slice()) {
                (false, [_]) => {
                    let mut fixed: Vec<String> = affected
                        .ranges
                        .iter()
                        .flatten()
                        .filter_map(|e| match e {
                            OsvEvent::Fixed(v) if !releases.contains(&v.as_str()) => Some(v.clone()),
                            _ => None,
                        })
                        .collect();
                    fixed.sort_unstable();
                    fixed.dedup();
                    fixed
                }
                _ => Vec::new(),
            };
            (selected, fixes)
        }
    };
    let in_range: Vec<String> =
        releases.iter().zip(&selected).filter(|(_, &s)| s).map(|(r, _)| r.to_string()).collect();
    let count = releases.len();
    let source = !in_range.is_empty();
    let fixes = if source { fixes } else { Vec::new() };
    let (releases, selected): (Vec<&str>, Vec<bool>) =
        releases.iter().copied().zip(selected).chain(fixes.iter().map(|f| (f.as_str(), false))).unzip();
    // Per distinct requirement: (admits a selected release, admits one outside), or unreadable.
    let mut cache: FxHashMap<&str, Option<(bool, bool)>> = FxHashMap::default();
    let (mut hit, mut stuck, mut unreadable) = (Vec::new(), Vec::new(), 0u32);
    if source {
        for &d in graph.reverse().neighbors(x) {
            let i = graph.forward().neighbors(d).binary_search(&x).expect("reverse edges mirror forward edges");
            let req = graph.edge_req(d, i);
            let answer = *cache.entry(req).or_insert_with(|| {
                let admitted = versions::admitted(eco, Some(req), &releases).ok()?;
                let hits = || admitted.iter().zip(&selected).filter(|(&a, _)| a);
                Some((hits().any(|(_, &s)| s), hits().any(|(_, &s)| !s)))
            });
            let (inside, outside) = answer.unwrap_or_else(|| {
                unreadable += 1;
                (true, false)
            });
            match (removal, inside, outside) {
                // Removal: broken when nothing outside the removed range satisfies it.
                (true, _, false) => hit.push(d),
                (true, _, true) => {}
                (false, false, _) => {}
                (false, true, true) => hit.push(d),
                (false, true, false) => {
                    hit.push(d);
                    stuck.push(d);
                }
            }
        }
    }
    let outcome = TargetOutcome { package: x, in_range, releases: count, fixes, unreadable, source };
    Ok((outcome, Seeds { hit, stuck }))
}
