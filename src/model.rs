//! What every ingester emits, whatever the input format: one [`PackageRecord`] per package
//! (its chosen release and that release's dependencies), and the [`Profile`] that decides which
//! dependencies become graph edges. From here on nothing knows which format a record came from.

use std::fmt;
use std::str::FromStr;

/// The package universe a name belongs to. A package is identified by (ecosystem, name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Ecosystem {
    /// crates.io (index, db-dump, `cargo metadata`).
    Crates = 0,
    /// Debian binary packages.
    Debian = 1,
    /// Names from a generic edge list, which belong to no registry.
    Generic = 2,
}

impl Ecosystem {
    /// Every ecosystem, in id order.
    pub const ALL: [Ecosystem; 3] = [Ecosystem::Crates, Ecosystem::Debian, Ecosystem::Generic];

    /// The short name used in CSV columns and in qualified names (`crates/serde`).
    pub fn as_str(self) -> &'static str {
        match self {
            Ecosystem::Crates => "crates",
            Ecosystem::Debian => "debian",
            Ecosystem::Generic => "generic",
        }
    }

    /// The ecosystem with id `id` (its `repr(u8)` value), if any.
    pub fn from_id(id: u8) -> Option<Ecosystem> {
        Ecosystem::ALL.get(usize::from(id)).copied()
    }
}

impl fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Ecosystem {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ecosystem::ALL
            .into_iter()
            .find(|e| e.as_str() == s)
            .ok_or_else(|| format!("unknown ecosystem `{s}`"))
    }
}

/// Why a dependency exists. Optionality is separate ([`Dependency::optional`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DepKind {
    /// Needed to run (crates `normal`, Debian `Depends` and `Pre-Depends`).
    Normal,
    /// Needed to build (crates `build`).
    Build,
    /// Needed only to develop and test (crates `dev`).
    Dev,
    /// Installed by default but not required (Debian `Recommends`).
    Recommends,
}

impl FromStr for DepKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "normal" => Ok(DepKind::Normal),
            "build" => Ok(DepKind::Build),
            "dev" => Ok(DepKind::Dev),
            "recommends" => Ok(DepKind::Recommends),
            _ => Err(format!(
                "unknown dependency kind `{s}` (expected normal, build, dev or recommends)"
            )),
        }
    }
}

/// One declared dependency of a release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    /// The name depended on, as the ecosystem resolves it (a crate's real name after renames; a
    /// Debian name that may be virtual).
    pub name: String,
    /// Why it is needed.
    pub kind: DepKind,
    /// Whether it is only pulled in by a feature (crates) or otherwise optional.
    pub optional: bool,
}

/// One package with the release the ingester chose for it (its latest, by the ecosystem's rules).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageRecord {
    /// The package name.
    pub name: String,
    /// The chosen release's version; `None` where the input has none (edge lists) or every
    /// release was excluded (all yanked).
    pub version: Option<String>,
    /// The chosen release's dependencies, every kind; the [`Profile`] picks edges later.
    pub deps: Vec<Dependency>,
    /// Virtual names this package provides (Debian `Provides`). A dependency on a name that no
    /// package has, but some package provides, resolves to every provider.
    pub provides: Vec<String>,
}

/// All records of one input, plus what was skipped.
#[derive(Debug, Clone)]
pub struct Ingested {
    /// The ecosystem every record belongs to.
    pub ecosystem: Ecosystem,
    /// One record per package name (ingesters merge repeats by their ecosystem's rules).
    pub packages: Vec<PackageRecord>,
    /// Bad records skipped under `skip_bad`, with the first error kept for the report.
    pub skipped: Skipped,
}

/// A count of skipped bad records and the first one's error message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Skipped {
    /// How many records were skipped.
    pub count: u64,
    /// The error of the first skipped record.
    pub first: Option<String>,
}

/// Which dependencies become edges. The default graph is `Profile::default()`: normal and build
/// dependencies (Debian `Depends` and `Pre-Depends`), not optional ones.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Profile {
    /// Also follow dev dependencies.
    pub with_dev: bool,
    /// Also follow optional dependencies.
    pub with_optional: bool,
    /// Also follow Debian `Recommends`.
    pub with_recommends: bool,
}

impl Profile {
    /// Whether `dep` is an edge under this profile.
    pub fn admits(&self, dep: &Dependency) -> bool {
        let kind = match dep.kind {
            DepKind::Normal | DepKind::Build => true,
            DepKind::Dev => self.with_dev,
            DepKind::Recommends => self.with_recommends,
        };
        kind && (!dep.optional || self.with_optional)
    }

    /// A short description for reports, e.g. `normal+build` or `normal+build+dev+optional`.
    pub fn describe(&self) -> String {
        let mut parts = vec!["normal", "build"];
        if self.with_dev {
            parts.push("dev");
        }
        if self.with_recommends {
            parts.push("recommends");
        }
        if self.with_optional {
            parts.push("optional");
        }
        parts.join("+")
    }
}
