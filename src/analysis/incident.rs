//! What an incident names, as the targets of a blast ([`scenario::run`](super::scenario::run)):
//! packages by name, the packages of an upstream project, and the packages OSV records name
//! with their affected releases.
//!
//! An OSV record names a package as its ecosystem's registry does, with one exception: Debian's
//! records name *source* packages (`xz-utils`, which builds liblzma5 as well as the `xz-utils`
//! binary). A Debian name is read as every binary package built from the source of that name,
//! or, where no source has that name, as the binary package.
//!
//! Invariant of the targets returned: each package appears once.

use rustc_hash::FxHashMap;

use super::groups::{AdvisoryMatch, Groups};
use super::scenario::{Bad, Target};
use crate::error::{Error, Result};
use crate::graph::{close, Graph};
use crate::model::{Advisory, Ecosystem};

/// The project `name` (as [`projects`](super::groups::projects) names them), by its place in
/// `groups`.
///
/// # Errors
/// [`Error::UnknownProject`], with up to five close project names.
pub fn project(groups: &Groups, name: &str) -> Result<usize> {
    match groups.names.binary_search_by(|n| n.as_str().cmp(name)) {
        Ok(g) => Ok(g),
        Err(_) => {
            let candidates = groups.names.iter().map(|n| (name, n.as_str().into(), n.clone()));
            Err(Error::UnknownProject { name: name.to_string(), suggestions: close(candidates) })
        }
    }
}

/// The packages named (`packages`, read as [`Graph::find`] reads names) and those of the
/// projects named (`projects`, of `groups`), each with the bad releases `bad`, in that order.
///
/// # Errors
/// An unknown or ambiguous package or project name, with close names.
pub fn named_targets(
    graph: &Graph,
    groups: &Groups,
    packages: &[String],
    projects: &[String],
    bad: &Bad,
) -> Result<Vec<Target>> {
    let mut targets = Vec::new();
    for name in packages {
        targets.push(Target { package: graph.find(name)?, bad: bad.clone() });
    }
    for name in projects {
        targets
            .extend(groups.members[project(groups, name)?].iter().map(|&package| Target { package, bad: bad.clone() }));
    }
    Ok(targets)
}

/// The packages `advisories` name, each with the releases its advisory says are affected (a
/// package may come several times: [`merge_targets`] joins them), and a line for each advisory
/// package that matches nothing in `graph` (whose projects are `groups`), saying why.
pub fn advisory_targets(graph: &Graph, groups: &Groups, advisories: &[Advisory]) -> (Vec<Target>, Vec<String>) {
    // Debian's binary packages by their source, made once.
    let mut by_source: FxHashMap<&str, Vec<u32>> = FxHashMap::default();
    for v in graph.range_of(Ecosystem::Debian) {
        if let Some(source) = graph.project(v) {
            by_source.entry(source).or_default().push(v);
        }
    }
    let (mut targets, mut unmatched) = (Vec::new(), Vec::new());
    for a in advisories {
        let from_source = match a.keystone_ecosystem() {
            Some(Ecosystem::Debian) => by_source.get(a.package.as_str()).cloned(),
            _ => None,
        };
        // The package lookup (a scan of the ecosystem for a name that is not exact) only when
        // no source has the name.
        let packages = match from_source.ok_or_else(|| AdvisoryMatch::of(a, graph, groups)) {
            Ok(binaries) => binaries,
            Err(AdvisoryMatch::Package(v, _)) => vec![v],
            Err(matched) => {
                unmatched.extend(matched.unmatched(a));
                continue;
            }
        };
        targets.extend(packages.into_iter().map(|package| Target { package, bad: Bad::Advisory(a.affected.clone()) }));
    }
    (targets, unmatched)
}

/// `targets` with each package once, in the order first named: a package named once with every
/// release bad has every release bad; one named by several advisories gets the union of their
/// releases; one named twice with the same range keeps it.
///
/// # Errors
/// [`Error::Invalid`] for a package named with two different ranges (or a range and an
/// advisory), which would leave its bad releases ambiguous.
pub fn merge_targets(graph: &Graph, targets: Vec<Target>) -> Result<Vec<Target>> {
    let mut out: Vec<Target> = Vec::with_capacity(targets.len());
    let mut at: FxHashMap<u32, usize> = FxHashMap::default();
    for t in targets {
        let Some(&i) = at.get(&t.package) else {
            at.insert(t.package, out.len());
            out.push(t);
            continue;
        };
        match (&mut out[i].bad, t.bad) {
            (Bad::All, _) => {}
            (bad, Bad::All) => *bad = Bad::All,
            (Bad::Advisory(a), Bad::Advisory(b)) => {
                a.ranges.extend(b.ranges);
                a.versions.extend(b.versions);
            }
            (a, b) if *a == b => {}
            _ => {
                return Err(Error::Invalid(format!(
                    "{} is named twice with different ranges",
                    graph.display_name(t.package)
                )))
            }
        }
    }
    Ok(out)
}
