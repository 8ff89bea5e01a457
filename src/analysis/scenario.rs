//! The scenarios of `blast`: what happens to the dependents of one package X when
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
//! Releases are those the input lists for X (yanked crates excluded); where it lists none, the
//! one version the graph holds. Requirements are read with the ecosystem's rules
//! ([`versions::admitted`]); one that cannot be read is counted as stuck or broken, so that the
//! harm is never under-counted, and the number of such requirements is reported. Dependents are
//! seen at their latest release only.

use rustc_hash::FxHashMap;

use super::floating::{blast_new_release, propagation_graph};
use super::paths::{Bounds, Search};
use crate::error::{Error, Result};
use crate::graph::Graph;
use crate::versions;

/// What is assumed to happen to the package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scenario {
    /// Every release is malicious.
    Compromise,
    /// A malicious next release is published.
    NewRelease,
    /// The releases in this range (the ecosystem's requirement syntax) are vulnerable.
    Affected(String),
    /// The releases in this range, or all when `None`, are removed.
    Removed(Option<String>),
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

/// The outcome of a scenario for package `x`.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Every package hit, with shortest depths and one chain each.
    pub search: Search,
    /// Stuck packages (affected range only); every other reached package has the scenario's
    /// single status.
    stuck: Option<Search>,
    /// The status of reached packages that are not stuck.
    base: Status,
    /// X's releases the range selects, and how many releases X has in all.
    pub in_range: Vec<String>,
    /// Number of X's releases considered.
    pub releases: usize,
    /// Releases of X that do not exist yet but could fix a dependent, where the input lists
    /// only X's current release ([`versions::fixes`]).
    pub fixes: Vec<String>,
    /// Direct dependents whose requirement on X could not be read (counted as hit).
    pub unreadable: u32,
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
}

/// Runs `scenario` for package `x`, following dependents at most `max_depth` steps away.
///
/// Time O(n + m) for the searches, plus one requirement check per direct dependent and release
/// of X (distinct requirements are checked once).
///
/// ```
/// use keystone::analysis::scenario::{run, Scenario, Status};
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
/// let x = graph.find("x").unwrap();
/// let outcome = run(&graph, x, &Scenario::Affected("=1.0.0".into()), None).unwrap();
/// assert_eq!(outcome.status(graph.find("pinned").unwrap()), Status::Stuck);
/// assert_eq!(outcome.status(graph.find("loose").unwrap()), Status::Fixable);
/// ```
pub fn run(graph: &Graph, x: u32, scenario: &Scenario, max_depth: Option<u32>) -> Result<Outcome> {
    let releases = graph.releases(x);
    let outcome = |search, stuck, base, in_range, fixes, unreadable| Outcome {
        search,
        stuck,
        base,
        in_range,
        releases: releases.len(),
        fixes,
        unreadable,
    };
    let (range, removal) = match scenario {
        Scenario::Compromise => {
            let search = Search::run(graph.reverse(), x, Bounds { max_depth, ..Bounds::default() });
            return Ok(outcome(search, None, Status::Affected, Vec::new(), Vec::new(), 0));
        }
        Scenario::NewRelease => {
            let search = blast_new_release(&propagation_graph(graph), x, max_depth);
            return Ok(outcome(search, None, Status::Floats, Vec::new(), Vec::new(), 0));
        }
        Scenario::Affected(range) => (Some(range.as_str()), false),
        Scenario::Removed(range) => (range.as_deref(), true),
    };
    let eco = graph.ecosystem(x);
    let range_error = |e: String| Error::Invalid(format!("the range for {}: {e}", graph.display_name(x)));
    let selected = versions::admitted(eco, range, &releases).map_err(range_error)?;
    let in_range: Vec<&str> = releases.iter().zip(&selected).filter(|(_, &s)| s).map(|(r, _)| *r).collect();
    // A vulnerable range of the one release listed: the releases that could fix it count as
    // outside the range.
    let fixes = match (removal, range, releases.as_slice()) {
        (false, Some(range), [current]) => versions::fixes(eco, range, current).map_err(range_error)?,
        _ => Vec::new(),
    };
    let (releases, selected): (Vec<&str>, Vec<bool>) =
        releases.iter().copied().zip(selected).chain(fixes.iter().map(|f| (f.as_str(), false))).unzip();
    // Per distinct requirement: (admits a selected release, admits one outside), or unreadable.
    let mut cache: FxHashMap<&str, Option<(bool, bool)>> = FxHashMap::default();
    let (mut hit, mut stuck, mut unreadable) = (Vec::new(), Vec::new(), 0u32);
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
    let search = Search::from_seeds(graph.reverse(), x, &hit, max_depth);
    let in_range = in_range.into_iter().map(str::to_string).collect();
    Ok(if removal {
        outcome(search, None, Status::Broken, in_range, fixes, unreadable)
    } else {
        let stuck = Search::from_seeds(graph.reverse(), x, &stuck, max_depth);
        outcome(search, Some(stuck), Status::Fixable, in_range, fixes, unreadable)
    })
}
