//! What every ingester emits, whatever the input format: one [`PackageRecord`] per package
//! (its chosen release and that release's dependencies), and the [`Profile`] that decides which
//! dependencies become graph edges. From here on nothing knows which format a record came from.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

/// The package universe a name belongs to. A package is identified by (ecosystem, name).
///
/// The ids (`repr(u8)`) are stored in snapshots: never renumber, only append.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Ecosystem {
    /// crates.io (index, db-dump, `cargo metadata`).
    Crates = 0,
    /// Debian binary packages.
    Debian = 1,
    /// Names from a generic edge list, which belong to no registry.
    Generic = 2,
    /// The npm registry.
    Npm = 3,
    /// The Python Package Index.
    Pypi = 4,
    /// Maven Central (libraries.io `Maven`).
    Maven = 5,
    /// Go modules (libraries.io `Go`).
    Go = 6,
    /// RubyGems (libraries.io `Rubygems`).
    Rubygems = 7,
    /// NuGet (libraries.io `NuGet`).
    Nuget = 8,
    /// Packagist, PHP (libraries.io `Packagist`).
    Packagist = 9,
    /// CRAN, R (libraries.io `CRAN`).
    Cran = 10,
    /// Hackage, Haskell (libraries.io `Hackage`).
    Hackage = 11,
    /// Hex, Erlang and Elixir (libraries.io `Hex`).
    Hex = 12,
    /// Pub, Dart (libraries.io `Pub`).
    Pub = 13,
    /// CocoaPods (libraries.io `CocoaPods`).
    Cocoapods = 14,
    /// CPAN, Perl (libraries.io `CPAN`).
    Cpan = 15,
    /// Conda (libraries.io `Conda`).
    Conda = 16,
    /// Clojars (libraries.io `Clojars`).
    Clojars = 17,
    /// Bower (libraries.io `Bower`).
    Bower = 18,
    /// Swift Package Manager (libraries.io `SwiftPM`).
    Swiftpm = 19,
}

impl Ecosystem {
    /// Every ecosystem, in id order.
    pub const ALL: [Ecosystem; 20] = [
        Ecosystem::Crates,
        Ecosystem::Debian,
        Ecosystem::Generic,
        Ecosystem::Npm,
        Ecosystem::Pypi,
        Ecosystem::Maven,
        Ecosystem::Go,
        Ecosystem::Rubygems,
        Ecosystem::Nuget,
        Ecosystem::Packagist,
        Ecosystem::Cran,
        Ecosystem::Hackage,
        Ecosystem::Hex,
        Ecosystem::Pub,
        Ecosystem::Cocoapods,
        Ecosystem::Cpan,
        Ecosystem::Conda,
        Ecosystem::Clojars,
        Ecosystem::Bower,
        Ecosystem::Swiftpm,
    ];

    /// The short name used in CSV columns and in qualified names (`crates/serde`,
    /// `pypi/requests`, `npm/lodash`, `debian/libssl3`).
    pub fn as_str(self) -> &'static str {
        match self {
            Ecosystem::Crates => "crates",
            Ecosystem::Debian => "debian",
            Ecosystem::Generic => "generic",
            Ecosystem::Npm => "npm",
            Ecosystem::Pypi => "pypi",
            Ecosystem::Maven => "maven",
            Ecosystem::Go => "go",
            Ecosystem::Rubygems => "rubygems",
            Ecosystem::Nuget => "nuget",
            Ecosystem::Packagist => "packagist",
            Ecosystem::Cran => "cran",
            Ecosystem::Hackage => "hackage",
            Ecosystem::Hex => "hex",
            Ecosystem::Pub => "pub",
            Ecosystem::Cocoapods => "cocoapods",
            Ecosystem::Cpan => "cpan",
            Ecosystem::Conda => "conda",
            Ecosystem::Clojars => "clojars",
            Ecosystem::Bower => "bower",
            Ecosystem::Swiftpm => "swiftpm",
        }
    }

    /// The ecosystem with id `id` (its `repr(u8)` value), if any.
    pub fn from_id(id: u8) -> Option<Ecosystem> {
        Ecosystem::ALL.get(usize::from(id)).copied()
    }

    /// Splits a qualified name `ecosystem/name` (`npm/@babel/core`), if it is one.
    pub fn split_qualified(name: &str) -> Option<(Ecosystem, &str)> {
        // A byte search: this runs on every name of an edge list.
        let slash = name.bytes().position(|b| b == b'/')?;
        let (prefix, rest) = (&name[..slash], &name[slash + 1..]);
        Some((prefix.parse().ok()?, rest)).filter(|(_, rest)| !rest.is_empty())
    }
}

/// Written as its name (`crates`, `debian`), as in every table.
impl serde::Serialize for Ecosystem {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// `name` as its ecosystem's registry compares names, so that what a user or a side input
/// writes finds the package it means:
/// - crates.io: ASCII case ignored, `-` and `_` the same (`Serde_JSON` is `serde-json`);
/// - PyPI: PEP 503 (lowercase, each run of `-`, `_` and `.` one `-`), which is also how PyPI
///   names are stored;
/// - Debian: lowercase, an architecture qualifier dropped (`liblzma5:amd64` is `liblzma5`);
/// - NuGet: lowercase (package ids are case-insensitive);
/// - npm, Maven (`group:artifact`), Go (module paths) and the others: as published.
///
/// ```
/// use keystone::model::{normalize_name, Ecosystem};
/// assert_eq!(normalize_name(Ecosystem::Pypi, "Foo__Bar.baz"), "foo-bar-baz");
/// assert_eq!(normalize_name(Ecosystem::Crates, "Unicode_Ident"), "unicode-ident");
/// assert_eq!(normalize_name(Ecosystem::Debian, "LibLzma5:amd64"), "liblzma5");
/// assert_eq!(normalize_name(Ecosystem::Npm, "JSONStream"), "JSONStream");
/// assert_eq!(normalize_name(Ecosystem::Nuget, "Newtonsoft.Json"), "newtonsoft.json");
/// assert_eq!(normalize_name(Ecosystem::Maven, "org.apache.logging.log4j:log4j-core"), "org.apache.logging.log4j:log4j-core");
/// ```
pub fn normalize_name(ecosystem: Ecosystem, name: &str) -> Cow<'_, str> {
    match ecosystem {
        Ecosystem::Pypi => {
            let mut out = String::with_capacity(name.len());
            let mut run = false;
            for c in name.chars() {
                let separator = matches!(c, '-' | '_' | '.');
                if !separator {
                    out.extend(c.to_lowercase());
                } else if !run {
                    out.push('-');
                }
                run = separator;
            }
            Cow::Owned(out)
        }
        Ecosystem::Crates if name.bytes().any(|b| b == b'_' || b.is_ascii_uppercase()) => {
            Cow::Owned(name.to_ascii_lowercase().replace('_', "-"))
        }
        Ecosystem::Nuget if name.bytes().any(|b| b.is_ascii_uppercase()) => Cow::Owned(name.to_ascii_lowercase()),
        Ecosystem::Debian => {
            let name = name.split_once(':').map_or(name, |(name, _arch)| name);
            match name.bytes().any(|b| b.is_ascii_uppercase()) {
                true => Cow::Owned(name.to_ascii_lowercase()),
                false => Cow::Borrowed(name),
            }
        }
        _ => Cow::Borrowed(name),
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
        Ecosystem::ALL.into_iter().find(|e| e.as_str() == s).ok_or_else(|| format!("unknown ecosystem `{s}`"))
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
    /// Expected to be provided by the dependent's own dependents (npm `peerDependencies`).
    Peer,
}

impl FromStr for DepKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "normal" => Ok(DepKind::Normal),
            "build" => Ok(DepKind::Build),
            "dev" => Ok(DepKind::Dev),
            "recommends" => Ok(DepKind::Recommends),
            _ => Err(format!("unknown dependency kind `{s}` (expected normal, build, dev or recommends)")),
        }
    }
}

/// One declared dependency of a release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    /// The name depended on, as the ecosystem resolves it (a crate's real name after renames; a
    /// Debian name that may be virtual; an npm alias's real package).
    pub name: String,
    /// The ecosystem of the target, when it differs from the dependent's (libraries.io rows
    /// and qualified edge-list names can cross ecosystems).
    pub ecosystem: Option<Ecosystem>,
    /// Why it is needed.
    pub kind: DepKind,
    /// Whether it is only pulled in by a feature (crates), an extra (PyPI) or is otherwise
    /// optional (npm `optionalDependencies`).
    pub optional: bool,
    /// For an optional crates.io dependency: whether a Cargo feature really switches it on,
    /// its crate's own `default` feature or a feature that some dependent requests
    /// (worked out by the crates.io readers). Such edges are the `features` kind of a
    /// [`Profile`].
    pub by_feature: bool,
    /// The version requirement as written (`^1.2`, `>= 2.34`, `>=1.0,<2`), if any.
    pub req: Option<String>,
    /// For a target-specific crates.io dependency (`[target.X.dependencies]`) that no target
    /// of the reader's set builds: `X` as written (`cfg(any())`). Such a dependency is never an
    /// edge, under any profile.
    pub never_built: Option<String>,
    /// For an edge read back from keystone's own edge table: the [`EdgeFlags`] bits it
    /// recorded, which the graph takes instead of checking `req` again, so that a round trip
    /// keeps them exactly.
    ///
    /// [`EdgeFlags`]: crate::graph::EdgeFlags
    pub flags: Option<u8>,
}

impl Dependency {
    /// A dependency on `name` of the dependent's ecosystem.
    pub fn new(name: impl Into<String>, kind: DepKind, optional: bool, req: Option<String>) -> Self {
        Dependency {
            name: name.into(),
            ecosystem: None,
            kind,
            optional,
            by_feature: false,
            req,
            never_built: None,
            flags: None,
        }
    }
}

/// One package with the release the ingester chose for it (its latest, by the ecosystem's rules).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageRecord {
    /// The package's ecosystem.
    pub ecosystem: Ecosystem,
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
    /// The upstream project the package is built from, where the input says: the Debian
    /// `Source` (the package's own name when absent), or a normalised repository address
    /// (`github.com/serde-rs/serde`, see [`normalize_repository`]).
    pub project: Option<String>,
    /// The accounts that can publish the package, qualified by ecosystem
    /// (`crates/dtolnay`, `npm/substack`, `debian/jdoe@debian.org`); empty when the input
    /// does not say.
    pub maintainers: Vec<String>,
    /// Every release a new resolution can still pick (yanked crates excluded), in the input's
    /// order; the chosen `version` is one of them. Empty when the input lists none.
    pub releases: Vec<String>,
    /// The native library the chosen release declares it links (crates.io index `links`,
    /// `lzma` for lzma-sys), where the input says.
    pub links: Option<String>,
}

impl PackageRecord {
    /// A record with no provides, project, maintainers, release list or links.
    pub fn new(ecosystem: Ecosystem, name: String, version: Option<String>, deps: Vec<Dependency>) -> Self {
        PackageRecord {
            ecosystem,
            name,
            version,
            deps,
            provides: Vec::new(),
            project: None,
            maintainers: Vec::new(),
            releases: Vec::new(),
            links: None,
        }
    }
}

/// A repository address as a project key: scheme, `git+`, `www.`, user info, a trailing `.git`
/// or `/` and letter case are dropped, and `git@host:owner/repo`, `github:owner/repo` and the
/// npm shorthand `owner/repo` become `host/owner/repo`. For the well-known forges (GitHub,
/// GitLab, Bitbucket, Codeberg) only `host/owner/repo` is kept, so that links into a
/// subfolder (`…/tree/main/crates/foo`) name the same project. `None` for an empty address.
///
/// ```
/// use keystone::model::normalize_repository;
/// assert_eq!(normalize_repository("git+https://github.com/Serde-rs/serde.git").as_deref(), Some("github.com/serde-rs/serde"));
/// assert_eq!(normalize_repository("git@github.com:tokio-rs/tokio").as_deref(), Some("github.com/tokio-rs/tokio"));
/// assert_eq!(normalize_repository("https://github.com/rust-lang/cargo/tree/master/crates/home").as_deref(), Some("github.com/rust-lang/cargo"));
/// assert_eq!(normalize_repository("expressjs/express").as_deref(), Some("github.com/expressjs/express"));
/// ```
pub fn normalize_repository(url: &str) -> Option<String> {
    let lower = url.trim().to_ascii_lowercase();
    let mut s = lower.strip_prefix("git+").unwrap_or(&lower).to_string();
    for (shorthand, host) in [("github:", "github.com/"), ("gitlab:", "gitlab.com/"), ("bitbucket:", "bitbucket.org/")]
    {
        if let Some(rest) = s.strip_prefix(shorthand) {
            s = format!("{host}{rest}");
        }
    }
    if let Some((_, after)) = s.split_once("://") {
        s = after.to_string();
    } else if let Some((user_host, path)) = s.split_once(':').filter(|(h, _)| h.contains('@') && !h.contains('/')) {
        // scp-like `git@github.com:owner/repo`
        s = format!("{user_host}/{path}");
    } else if s.matches('/').count() == 1 && !s.contains('.') {
        // npm's `owner/repo` shorthand means GitHub.
        s = format!("github.com/{s}");
    }
    let s = s.split(['?', '#']).next().unwrap_or("");
    let (host, path) = s.split_once('/').unwrap_or((s, ""));
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.strip_prefix("www.").unwrap_or(host);
    let mut parts: Vec<&str> = std::iter::once(host).chain(path.split('/')).filter(|p| !p.is_empty()).collect();
    if matches!(parts.first(), Some(&("github.com" | "gitlab.com" | "bitbucket.org" | "codeberg.org"))) {
        parts.truncate(3);
    }
    if let Some(last) = parts.last_mut() {
        *last = last.strip_suffix(".git").unwrap_or(last);
    }
    let key = parts.join("/");
    (!key.is_empty()).then_some(key)
}

/// All records of one input, plus what was skipped.
#[derive(Debug, Clone)]
pub struct Ingested {
    /// One record per package (ingesters merge repeats by their ecosystem's rules).
    pub packages: Vec<PackageRecord>,
    /// Dependencies between these records given by their places in `packages`, for inputs
    /// whose every target is a record of its own (edge lists): each is what a [`Dependency`]
    /// with no requirement on the target's name would be, without a name to look up per edge.
    pub edges: Vec<RecordEdge>,
    /// Bad records skipped under `skip_bad`, with the first error kept for the report.
    pub skipped: Skipped,
}

impl Ingested {
    /// The targets of the dependencies that are never built ([`Dependency::never_built`]), each
    /// with how many dependencies it holds back, most first (ties by target).
    pub fn never_built(&self) -> Vec<(&str, usize)> {
        let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
        for target in self.packages.iter().flat_map(|p| &p.deps).filter_map(|d| d.never_built.as_deref()) {
            *counts.entry(target).or_default() += 1;
        }
        let mut counts: Vec<(&str, usize)> = counts.into_iter().collect();
        counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        counts
    }
}

/// A dependency of `packages[from]` on `packages[to]` in one [`Ingested`], with no
/// requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordEdge {
    /// The dependent's place.
    pub from: u32,
    /// The dependency's place.
    pub to: u32,
    /// Why it is needed.
    pub kind: DepKind,
    /// Whether it is optional.
    pub optional: bool,
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
/// dependencies (Debian `Depends` and `Pre-Depends`, npm `dependencies`), not optional ones.
///
/// A profile is also written as a list of kinds (`--kinds`, [`Profile::from_str`]):
/// `normal,build` is the default; `dev`, `recommends` and `peer` add those kinds; `optional`
/// adds every optional dependency of the kinds chosen; `features` adds only the optional
/// crates.io dependencies that a feature switches on ([`Dependency::by_feature`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Profile {
    /// Follow normal dependencies (crates `normal`, Debian `Depends`, npm `dependencies`).
    pub with_normal: bool,
    /// Follow build dependencies (crates `build`).
    pub with_build: bool,
    /// Also follow dev dependencies.
    pub with_dev: bool,
    /// Also follow optional dependencies (crates features, PyPI extras, npm
    /// `optionalDependencies`).
    pub with_optional: bool,
    /// Also follow Debian `Recommends`.
    pub with_recommends: bool,
    /// Also follow npm `peerDependencies`.
    pub with_peer: bool,
    /// Also follow the optional crates.io dependencies that a feature switches on.
    pub with_features: bool,
}

impl Default for Profile {
    fn default() -> Self {
        Profile::DEFAULT
    }
}

impl Profile {
    /// Normal and build dependencies, not optional ones: `--kinds normal,build`.
    pub const DEFAULT: Profile = Profile {
        with_normal: true,
        with_build: true,
        with_dev: false,
        with_optional: false,
        with_recommends: false,
        with_peer: false,
        with_features: false,
    };

    /// Whether `dep` is an edge under this profile: its kind is followed, it is built on some
    /// target ([`Dependency::never_built`]), and it is not optional unless the profile follows
    /// optional dependencies (or, for one a feature switches on, features).
    pub fn admits(&self, dep: &Dependency) -> bool {
        dep.never_built.is_none() && self.admits_kind(dep.kind, dep.optional, dep.by_feature)
    }

    /// Whether a dependency of `kind` that is `optional` (and switched on `by_feature`) is an
    /// edge, wherever it is built.
    pub fn admits_kind(&self, kind: DepKind, optional: bool, by_feature: bool) -> bool {
        let followed = match kind {
            DepKind::Normal => self.with_normal,
            DepKind::Build => self.with_build,
            DepKind::Dev => self.with_dev,
            DepKind::Recommends => self.with_recommends,
            DepKind::Peer => self.with_peer,
        };
        followed && (!optional || self.with_optional || by_feature && self.with_features)
    }

    /// Whether this profile follows `kind`.
    pub fn follows(&self, kind: ProfileKind) -> bool {
        let mut profile = *self;
        *profile.flag(kind)
    }

    fn flag(&mut self, kind: ProfileKind) -> &mut bool {
        match kind {
            ProfileKind::Normal => &mut self.with_normal,
            ProfileKind::Build => &mut self.with_build,
            ProfileKind::Dev => &mut self.with_dev,
            ProfileKind::Recommends => &mut self.with_recommends,
            ProfileKind::Peer => &mut self.with_peer,
            ProfileKind::Optional => &mut self.with_optional,
            ProfileKind::Features => &mut self.with_features,
        }
    }

    /// The names of the kinds followed, in [`ProfileKind::ALL`] order.
    pub fn kinds(&self) -> Vec<&'static str> {
        ProfileKind::ALL.into_iter().filter(|&k| self.follows(k)).map(ProfileKind::as_str).collect()
    }

    /// A short description for reports, e.g. `normal+build` or `normal+build+dev+optional`.
    pub fn describe(&self) -> String {
        self.kinds().join("+")
    }
}

impl FromStr for Profile {
    type Err = String;
    /// Parses a comma-separated list of kinds (`normal,build,features`): exactly the kinds
    /// followed. At least one kind of dependency ([`ProfileKind::is_dependency_kind`]) is
    /// needed, since `optional` and `features` only widen the kinds chosen.
    fn from_str(s: &str) -> Result<Self, String> {
        let mut profile = Profile {
            with_normal: false,
            with_build: false,
            with_dev: false,
            with_optional: false,
            with_recommends: false,
            with_peer: false,
            with_features: false,
        };
        for kind in s.split(',') {
            *profile.flag(kind.trim().parse()?) = true;
        }
        if !ProfileKind::ALL.into_iter().any(|k| k.is_dependency_kind() && profile.follows(k)) {
            return Err(format!(
                "`{s}` selects no dependency kind: name at least one of normal, build, dev, recommends, peer \
                 (the default is normal,build)"
            ));
        }
        Ok(profile)
    }
}

/// A kind of edge a [`Profile`] can follow: the kinds of dependency ([`DepKind`]), and the two
/// widenings `optional` (every optional dependency) and `features` (optional crates.io
/// dependencies that a Cargo feature switches on).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileKind {
    /// Normal (runtime) dependencies.
    Normal,
    /// Build dependencies.
    Build,
    /// Development dependencies.
    Dev,
    /// Debian `Recommends`.
    Recommends,
    /// npm `peerDependencies`.
    Peer,
    /// Every optional dependency.
    Optional,
    /// Optional crates.io dependencies that a feature switches on.
    Features,
}

impl ProfileKind {
    /// Every kind, in the order [`Profile::describe`] lists them.
    pub const ALL: [ProfileKind; 7] = [
        ProfileKind::Normal,
        ProfileKind::Build,
        ProfileKind::Dev,
        ProfileKind::Recommends,
        ProfileKind::Peer,
        ProfileKind::Optional,
        ProfileKind::Features,
    ];

    /// The name used in `--kinds`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProfileKind::Normal => "normal",
            ProfileKind::Build => "build",
            ProfileKind::Dev => "dev",
            ProfileKind::Recommends => "recommends",
            ProfileKind::Peer => "peer",
            ProfileKind::Optional => "optional",
            ProfileKind::Features => "features",
        }
    }

    /// Whether it is a kind of dependency rather than a widening of the kinds chosen.
    pub fn is_dependency_kind(self) -> bool {
        !matches!(self, ProfileKind::Optional | ProfileKind::Features)
    }
}

impl FromStr for ProfileKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        ProfileKind::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| {
            let names: Vec<&str> = ProfileKind::ALL.map(ProfileKind::as_str).to_vec();
            format!("unknown dependency kind `{s}` (expected a comma-separated list of {})", names.join(", "))
        })
    }
}

/// One package an advisory (an OSV record) names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Advisory {
    /// The advisory id (`GHSA-…`).
    pub id: String,
    /// Its other ids (`CVE-…`).
    pub aliases: Vec<String>,
    /// The OSV ecosystem as written (`npm`, `crates.io`, `PyPI`, `Debian:13`, `Maven`, `Go`,
    /// `NuGet`).
    pub ecosystem: String,
    /// The package name as written.
    pub package: String,
    /// The affected releases, as the record gives them; several entries for the package in
    /// one record are merged.
    pub affected: AffectedReleases,
}

/// Which releases of one package an OSV record says are affected: those in any of its
/// `ECOSYSTEM` or `SEMVER` ranges, and those it lists by name. A record that gives neither
/// affects every release (`GIT` ranges, of commits, are not read).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AffectedReleases {
    /// Each range's events, in the record's order.
    pub ranges: Vec<Vec<OsvEvent>>,
    /// Releases listed by name.
    pub versions: Vec<String>,
}

/// One event of an OSV range, with its version in the ecosystem's syntax (`"0"` introduced:
/// from the first release).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OsvEvent {
    /// Releases from this one on are affected.
    Introduced(String),
    /// Releases from this one on are not.
    Fixed(String),
    /// Releases after this one are not.
    LastAffected(String),
}

impl Advisory {
    /// keystone's ecosystem for the OSV one, if keystone reads it.
    pub fn keystone_ecosystem(&self) -> Option<Ecosystem> {
        match self.ecosystem.split(':').next().unwrap_or("") {
            "npm" => Some(Ecosystem::Npm),
            "crates.io" => Some(Ecosystem::Crates),
            "PyPI" => Some(Ecosystem::Pypi),
            "Debian" => Some(Ecosystem::Debian),
            "Maven" => Some(Ecosystem::Maven),
            "Go" => Some(Ecosystem::Go),
            "NuGet" => Some(Ecosystem::Nuget),
            "RubyGems" => Some(Ecosystem::Rubygems),
            _ => None,
        }
    }
}
