//! The libraries.io open-data dependencies CSV (`dependencies-<release>-<date>.csv`, plain or
//! compressed): one row per (project, version, dependency), columns read by their header names
//! (`Platform`, `Project Name`, `Version Number`, `Version ID`, `Dependency Name`,
//! `Dependency Platform`, `Dependency Kind`, `Optional Dependency`, `Dependency Requirements`).
//! The ecosyste.ms dependencies CSV, its successor, is read the same way: its `Ecosystem`,
//! `Package Name` and `Dependency Ecosystem` columns stand for `Platform`, `Project Name` and
//! `Dependency Platform`, and its ecosystem names (`npm`, `cargo`, `maven`, `go`, `nuget`, …)
//! are the platform names in lower case.
//!
//! `Platform` names the ecosystem, case-insensitively: `NPM`, `Pypi`, `Cargo` (crates),
//! `Maven`, `Go`, `Rubygems`, `NuGet`, `Packagist`, `CRAN`, `Hackage`, `Hex`, `Pub`,
//! `CocoaPods`, `CPAN`, `Conda`, `Clojars`, `Bower`, `SwiftPM`. A row of any other platform
//! (`Atom`, `Meteor`, …) is a bad record. A `Dependency Platform` other than the project's
//! makes a dependency on that ecosystem's package.
//!
//! Each project's record is its latest version among the rows: the highest by the ecosystem's
//! version rules where keystone has them (semver for npm, as node-semver orders it, and for
//! Cargo; PEP 440 for PyPI; releases above prereleases), and otherwise (other platforms, or
//! versions those rules cannot read) the one with the highest `Version ID` (libraries.io's
//! database key, which grows as versions are discovered). The CSV lists only versions that
//! have dependencies, so a project whose newest release has none is seen at an older one.
//!
//! `Dependency Kind`, case-insensitively: `runtime`, `normal`, `compile` are
//! [`DepKind::Normal`]; `build` is [`DepKind::Build`]; `development`, `dev`, `test` are
//! [`DepKind::Dev`]; `optional` is an optional normal dependency; `peer` is [`DepKind::Peer`];
//! any other kind (Maven `provided`, `system`, …) is taken as normal. `Optional Dependency`
//! (`true`/`false`, or `t`/`f`) makes any kind optional. `Dependency Requirements` are kept as
//! written.

use rustc_hash::FxHashMap as HashMap;
use std::path::Path;

use super::crates_index::version_rank;
use super::{csv_rows, BadRecords, Ingest, ReadOptions, Stream};
use crate::error::{Error, Location, Result};
use crate::model::{DepKind, Dependency, Ecosystem, Ingested, PackageRecord};
use crate::progress::{Progress, Work};

/// The libraries.io dependencies CSV format.
#[derive(Debug, Clone, Copy)]
pub struct LibrariesIo;

/// The columns read, by header name (libraries.io's, and ecosyste.ms's where it differs), in
/// [`Columns`] order.
const COLUMNS: [(&str, &str); 9] = [
    ("Platform", "Ecosystem"),
    ("Project Name", "Package Name"),
    ("Version Number", "Version Number"),
    ("Version ID", "Version ID"),
    ("Dependency Name", "Dependency Name"),
    ("Dependency Platform", "Dependency Ecosystem"),
    ("Dependency Kind", "Dependency Kind"),
    ("Optional Dependency", "Optional Dependency"),
    ("Dependency Requirements", "Dependency Requirements"),
];

/// Indices of [`COLUMNS`] in the file.
struct Columns([usize; 9]);

/// A version's place in its project's order: by the ecosystem's version rules where it has
/// some, then by `Version ID`.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Order {
    /// No version rules, or a version they cannot read.
    Unordered,
    /// npm: (is a release, version).
    Npm(bool, nodejs_semver::Version),
    /// Cargo: (is a release, version), as [`version_rank`] has it.
    Cargo(bool, semver::Version),
    /// PyPI: (is a final release, version).
    Pypi(bool, pep440_rs::Version),
}

/// A project's latest version so far and its dependencies.
struct Latest {
    /// The version's order, then its `Version ID`.
    rank: (Order, u64),
    version: String,
    deps: Vec<Dependency>,
}

/// One row, checked.
struct Row<'r> {
    project: (Ecosystem, &'r str),
    version: &'r str,
    version_id: u64,
    dep: Dependency,
}

impl Ingest for LibrariesIo {
    fn read_stream(&self, input: Stream, path: &Path, opts: &ReadOptions, progress: &dyn Progress) -> Result<Ingested> {
        progress.phase("read libraries.io dependencies", Work::Bytes(input.meter().clone()));
        let mut csv = csv::ReaderBuilder::new().from_reader(input);
        let header = csv
            .headers()
            .map_err(|e| Error::parse(Location::line(path, 1), format!("expected a CSV header row: {e}")))?;
        let columns = Columns::find(header).map_err(|m| Error::parse(Location::line(path, 1), m))?;
        let mut bad = BadRecords::new(opts);
        // Each ecosystem's projects, by name, indexed by ecosystem id.
        let mut latest: Vec<HashMap<String, Latest>> = Ecosystem::ALL.map(|_| HashMap::default()).into();
        csv_rows(&mut csv, path, &mut bad, |row| {
            let Row { project: (ecosystem, name), version, version_id, dep } = columns.row(row)?;
            let projects = &mut latest[ecosystem as usize];
            let new = || Latest {
                rank: (order(ecosystem, version), version_id),
                version: version.to_string(),
                deps: Vec::new(),
            };
            let best = match projects.get_mut(name) {
                Some(best) if best.rank.1 == version_id => best,
                Some(best) => {
                    let new = new();
                    if best.rank < new.rank {
                        *best = new;
                    }
                    best
                }
                None => projects.entry(name.to_string()).or_insert_with(new),
            };
            // Rows of an older version than the latest so far add nothing.
            if best.rank.1 == version_id {
                best.deps.push(dep);
            }
            Ok(())
        })?;
        let mut packages = Vec::new();
        for (ecosystem, projects) in Ecosystem::ALL.into_iter().zip(latest) {
            let start = packages.len();
            packages.extend(
                projects
                    .into_iter()
                    .map(|(name, best)| PackageRecord::new(ecosystem, name, Some(best.version), best.deps)),
            );
            packages[start..].sort_unstable_by(|a, b| a.name.cmp(&b.name));
        }
        Ok(Ingested { packages, edges: Vec::new(), skipped: bad.finish() })
    }
}

impl Columns {
    fn find(header: &csv::StringRecord) -> Result<Columns, String> {
        let mut at = [0; 9];
        for (slot, (name, other)) in at.iter_mut().zip(COLUMNS) {
            *slot = header.iter().position(|h| h.trim() == name || h.trim() == other).ok_or_else(|| {
                format!("expected a libraries.io or ecosyste.ms dependencies CSV header with a `{name}` (or `{other}`) column")
            })?;
        }
        Ok(Columns(at))
    }

    fn row<'r>(&self, row: &'r csv::StringRecord) -> Result<Row<'r>, String> {
        let [platform, name, version, version_id, dep_name, dep_platform, kind, optional, req] =
            self.0.map(|i| row.get(i).unwrap_or_default().trim());
        let ecosystem = platform_ecosystem(platform)?;
        if name.is_empty() || version.is_empty() || dep_name.is_empty() {
            return Err("expected a `Project Name`, a `Version Number` and a `Dependency Name`".into());
        }
        let version_id =
            version_id.parse().map_err(|_| format!("`Version ID` is `{version_id}`, expected a number"))?;
        let target = match dep_platform {
            "" => ecosystem,
            other => platform_ecosystem(other).map_err(|e| format!("dependency `{dep_name}`: {e}"))?,
        };
        let (kind, kind_optional) = dep_kind(kind);
        let optional = if one_of(optional, &["true", "t"]) {
            true
        } else if one_of(optional, &["false", "f", ""]) {
            false
        } else {
            return Err(format!("`Optional Dependency` is `{optional}`, expected true or false"));
        };
        let dep = Dependency {
            ecosystem: (target != ecosystem).then_some(target),
            ..Dependency::new(dep_name, kind, optional || kind_optional, (!req.is_empty()).then(|| req.to_string()))
        };
        Ok(Row { project: (ecosystem, name), version, version_id, dep })
    }
}

/// libraries.io platform names and their ecosystems.
const PLATFORMS: [(&str, Ecosystem); 18] = [
    ("NPM", Ecosystem::Npm),
    ("Pypi", Ecosystem::Pypi),
    ("Cargo", Ecosystem::Crates),
    ("Maven", Ecosystem::Maven),
    ("Go", Ecosystem::Go),
    ("Rubygems", Ecosystem::Rubygems),
    ("NuGet", Ecosystem::Nuget),
    ("Packagist", Ecosystem::Packagist),
    ("CRAN", Ecosystem::Cran),
    ("Hackage", Ecosystem::Hackage),
    ("Hex", Ecosystem::Hex),
    ("Pub", Ecosystem::Pub),
    ("CocoaPods", Ecosystem::Cocoapods),
    ("CPAN", Ecosystem::Cpan),
    ("Conda", Ecosystem::Conda),
    ("Clojars", Ecosystem::Clojars),
    ("Bower", Ecosystem::Bower),
    ("SwiftPM", Ecosystem::Swiftpm),
];

/// Whether `value` is one of `words`, ignoring ASCII case.
fn one_of(value: &str, words: &[&str]) -> bool {
    words.iter().any(|w| w.eq_ignore_ascii_case(value))
}

/// The ecosystem of a libraries.io platform name.
fn platform_ecosystem(platform: &str) -> Result<Ecosystem, String> {
    let known = PLATFORMS.iter().find(|(name, _)| name.eq_ignore_ascii_case(platform));
    known.map(|&(_, ecosystem)| ecosystem).ok_or_else(|| {
        let names: Vec<&str> = PLATFORMS.iter().map(|(name, _)| *name).collect();
        format!("platform `{platform}` is not one keystone reads ({})", names.join(", "))
    })
}

/// The kind of a `Dependency Kind`, and whether the kind itself says optional.
fn dep_kind(kind: &str) -> (DepKind, bool) {
    if one_of(kind, &["build"]) {
        (DepKind::Build, false)
    } else if one_of(kind, &["development", "dev", "test"]) {
        (DepKind::Dev, false)
    } else if one_of(kind, &["peer"]) {
        (DepKind::Peer, false)
    } else {
        (DepKind::Normal, one_of(kind, &["optional"]))
    }
}

/// `version`'s [`Order`] within its project.
fn order(ecosystem: Ecosystem, version: &str) -> Order {
    let ordered = match ecosystem {
        Ecosystem::Npm => nodejs_semver::Version::parse(version).ok().map(|v| Order::Npm(!v.is_prerelease(), v)),
        Ecosystem::Crates => version_rank(version, false).ok().flatten().map(|(release, v)| Order::Cargo(release, v)),
        Ecosystem::Pypi => version.parse::<pep440_rs::Version>().ok().map(|v| Order::Pypi(v.is_stable(), v)),
        _ => None,
    };
    ordered.unwrap_or(Order::Unordered)
}
