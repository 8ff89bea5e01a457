//! crates.io index lines: one JSON object per published version (`name, vers, deps[], yanked,
//! …`), from a `.jsonl` file (plain, zstd or gzip) or from a checkout of the index tree (one
//! file per crate).
//!
//! Each crate's record is its latest release: the highest non-yanked, non-prerelease version, or
//! failing that the highest non-yanked one. A crate whose every version is yanked is still a
//! record, with no version and no dependencies. A dependency's name is its `package` when
//! renamed; dependencies on another `registry` are dropped. Optional dependencies that a
//! feature switches on are marked (`cargo_features.rs`), from the chosen release's
//! `features` and `features2` and its dependencies' `features`; without
//! [`CargoOptions::features`] those are skipped unread. A dependency whose `target` no target
//! of [`CargoOptions::targets`] builds is marked never built (see [`super::cargo_targets`]).
//!
//! Speed: lines are read in batches (of 8 MiB, or one file of a checkout) and parsed twice
//! over. A first, parallel pass reads only `name`, `vers` and `yanked`; then the best line of
//! each crate in the batch is parsed in full, if it beats the best of earlier batches. Crates'
//! lines are grouped in real dumps, so few lines are parsed twice. The first pass over one
//! batch runs alongside the full parse of the batch before it.

use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::de::IgnoredAny;
use serde::Deserialize;

use super::cargo_features::{switch_on, CrateFeatures, FeatureDep};
use super::cargo_targets::Targets;
use super::lines::{batches, Batch};
use super::{archive, BadRecords, CargoOptions, Ingest, ReadOptions, Stream};
use crate::error::{Error, Location, Result};
use crate::model::{DepKind, Dependency, Ecosystem, Ingested, PackageRecord};
use crate::progress::{Meter, Progress, Work};

/// The crates.io index format.
#[derive(Debug, Clone, Default)]
pub struct CratesIndex {
    /// Cargo features (off: the `features` tables are skipped unread) and rustc targets.
    pub cargo: CargoOptions,
}

#[derive(Deserialize)]
struct Head<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
    #[serde(borrow)]
    vers: Cow<'a, str>,
    #[serde(default)]
    yanked: bool,
}

/// A release's line as the full parse reads it. `T` is how it reads a `features` table and `L`
/// a dependency's `features` list: as they are when features are worked out, else skipped
/// (`IgnoredAny`), which saves the allocations.
#[derive(Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de> + Default, L: Deserialize<'de> + Default"))]
struct Full<'a, T, L> {
    #[serde(borrow, default)]
    deps: Vec<IndexDep<'a, L>>,
    #[serde(default)]
    features: T,
    #[serde(default)]
    features2: T,
    #[serde(default)]
    links: Option<String>,
}

#[derive(Deserialize)]
#[serde(bound(deserialize = "L: Deserialize<'de> + Default"))]
struct IndexDep<'a, L> {
    #[serde(borrow)]
    name: Cow<'a, str>,
    #[serde(default)]
    optional: bool,
    #[serde(borrow, default)]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    registry: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    package: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    req: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    target: Option<Cow<'a, str>>,
    #[serde(default)]
    features: L,
}

/// Orders a crate's versions for choosing its latest release: non-yanked above yanked (`None`),
/// then releases above prereleases, then by semver precedence. Build metadata is not part of
/// precedence (SemVer 2.0 §10), so `1.0.0+a` and `1.0.0+b` tie, and the first published wins.
pub(crate) type Rank = Option<(bool, semver::Version)>;

/// The [`Rank`] of version `vers`, or what is wrong with it.
pub(crate) fn version_rank(vers: &str, yanked: bool) -> Result<Rank, String> {
    let mut version =
        semver::Version::parse(vers).map_err(|e| format!("version is `{vers}`, expected a semver version: {e}"))?;
    version.build = semver::BuildMetadata::EMPTY;
    Ok((!yanked).then(|| (version.pre.is_empty(), version)))
}

struct Best {
    rank: Rank,
    record: PackageRecord,
    features: CrateFeatures,
}

struct Reader<'p> {
    progress: &'p dyn Progress,
    bad: BadRecords,
    format: &'p CratesIndex,
    best: HashMap<String, Best>,
    /// Every non-yanked version of each crate, in input order.
    releases: HashMap<String, Vec<String>>,
}

impl Ingest for CratesIndex {
    /// Reads a file of index lines, or a checkout of the index (every file but dot-entries and
    /// `config.json`, in path order).
    fn read(&self, path: &Path, opts: &ReadOptions, progress: &dyn Progress) -> Result<Ingested> {
        if !path.is_dir() {
            return self.read_stream(super::open(path, opts)?, path, opts, progress);
        }
        let mut files = archive::files(path)?;
        files.retain(|(file, _)| file.as_os_str() != "config.json");
        let meter = Meter::new(Some(files.iter().map(|(_, len)| len).sum()));
        progress.phase("read crates.io index checkout", Work::Bytes(meter.clone()));
        let batches = files.into_iter().map(|(file, _)| {
            let file = path.join(file);
            let data = std::fs::read(&file).map_err(|e| Error::io(&file, e))?;
            meter.add(data.len() as u64);
            Ok((file, Batch { first_line: 1, data }))
        });
        Reader::new(progress, opts, self).read(batches)
    }

    fn read_stream(&self, input: Stream, path: &Path, opts: &ReadOptions, progress: &dyn Progress) -> Result<Ingested> {
        progress.phase("read crates.io index lines", Work::Bytes(input.meter().clone()));
        let batches = batches(input, path, opts.max_record_bytes).map(|batch| Ok((path.to_path_buf(), batch?)));
        Reader::new(progress, opts, self).read(batches)
    }
}

fn parse_head(line: &[u8]) -> Result<(Head<'_>, Rank), String> {
    let head: Head<'_> = serde_json::from_slice(line)
        .map_err(|e| format!("expected a crates.io index JSON object with `name`, `vers` and `yanked`: {e}"))?;
    let rank = version_rank(&head.vers, head.yanked)?;
    Ok((head, rank))
}

/// A release's dependencies and, if the format works out features, what feature resolution
/// needs of it.
fn parse_deps(line: &[u8], format: &CratesIndex) -> Result<Parsed, String> {
    if !format.cargo.features {
        let full: Full<'_, IgnoredAny, IgnoredAny> = parse_full(line)?;
        let deps = dependencies(full.deps, &format.cargo.targets)?.into_iter().map(|(dep, _, _)| dep).collect();
        return Ok(Parsed { deps, features: CrateFeatures::default(), links: full.links });
    }
    let full: Full<'_, BTreeMap<String, Vec<String>>, Vec<String>> = parse_full(line)?;
    let (deps, feature_deps) = dependencies(full.deps, &format.cargo.targets)?
        .into_iter()
        .map(|(dep, rename, features)| (dep, FeatureDep { rename, features }))
        .unzip();
    let features = CrateFeatures::new(full.features.into_iter().chain(full.features2), feature_deps);
    Ok(Parsed { deps, features, links: full.links })
}

/// What the full parse of a chosen line gives.
#[derive(Default)]
struct Parsed {
    deps: Vec<Dependency>,
    features: CrateFeatures,
    links: Option<String>,
}

fn parse_full<'a, T, L>(line: &'a [u8]) -> Result<Full<'a, T, L>, String>
where
    Full<'a, T, L>: Deserialize<'a>,
{
    serde_json::from_slice(line)
        .map_err(|e| format!("expected `deps` to be a list of dependency objects and `features` a map of lists: {e}"))
}

/// Each dependency on this registry, with its rename and its `features`; one whose `target`
/// none of `targets` builds is marked never built.
fn dependencies<L>(
    deps: Vec<IndexDep<'_, L>>,
    targets: &Targets,
) -> Result<Vec<(Dependency, Option<String>, L)>, String> {
    deps.into_iter()
        .filter(|d| d.registry.is_none())
        .map(|d| {
            let kind = match d.kind.as_deref() {
                None | Some("normal") => DepKind::Normal,
                Some("build") => DepKind::Build,
                Some("dev") => DepKind::Dev,
                Some(other) => {
                    return Err(format!("dependency `{}` has kind `{other}`, expected normal, build or dev", d.name))
                }
            };
            let (name, rename) = match d.package {
                Some(package) => (package, Some(d.name.into_owned())),
                None => (d.name, None),
            };
            let never_built = d.target.filter(|t| !targets.builds(t)).map(Cow::into_owned);
            let dep = Dependency { never_built, ..Dependency::new(name, kind, d.optional, d.req.map(Cow::into_owned)) };
            Ok((dep, rename, d.features))
        })
        .collect()
}

/// What the first pass keeps of a line: enough to choose each crate's latest release, and
/// where the line lies in its batch for the full parse.
struct Line {
    no: u64,
    span: Range<usize>,
    name: String,
    vers: String,
    rank: Rank,
}

/// A batch, the path that names it in errors, and its first pass: each non-blank line's
/// [`Line`], or its number and what is wrong with it.
type Passed = (PathBuf, Batch, Vec<Result<Line, (u64, String)>>);

/// The first pass over a batch's lines, in parallel.
fn first_pass(batch: &Batch) -> Vec<Result<Line, (u64, String)>> {
    let spans: Vec<(u64, Range<usize>)> =
        batch.spans().filter(|(_, span)| !batch.data[span.clone()].iter().all(u8::is_ascii_whitespace)).collect();
    spans
        .into_par_iter()
        .map(|(no, span)| {
            let (head, rank) = parse_head(&batch.data[span.clone()]).map_err(|m| (no, m))?;
            Ok(Line { no, span, name: head.name.into_owned(), vers: head.vers.into_owned(), rank })
        })
        .collect()
}

impl<'p> Reader<'p> {
    fn new(progress: &'p dyn Progress, opts: &ReadOptions, format: &'p CratesIndex) -> Self {
        Reader { progress, bad: BadRecords::new(opts), format, best: HashMap::default(), releases: HashMap::default() }
    }

    /// Reads `batches` in order. The first pass over each batch runs alongside the choosing
    /// (and full parse) of the lines of the batch before it.
    fn read(mut self, batches: impl Iterator<Item = Result<(PathBuf, Batch)>>) -> Result<Ingested> {
        let mut pending: Option<Passed> = None;
        for next in batches {
            let (path, batch) = match next {
                Ok(next) => next,
                Err(e) => {
                    // An earlier batch's bad record comes first.
                    pending.map_or(Ok(()), |passed| self.choose(passed))?;
                    return Err(e);
                }
            };
            let (lines, chosen) =
                rayon::join(|| first_pass(&batch), || pending.take().map_or(Ok(()), |passed| self.choose(passed)));
            chosen?;
            pending = Some((path, batch, lines));
        }
        pending.map_or(Ok(()), |passed| self.choose(passed))?;
        Ok(self.finish())
    }

    /// Every crate's record, with its releases and the optional dependencies its features
    /// switch on.
    fn finish(self) -> Ingested {
        let mut releases = self.releases;
        let mut best: Vec<Best> = self.best.into_values().collect();
        best.sort_unstable_by(|a, b| a.record.name.cmp(&b.record.name));
        let (mut packages, features): (Vec<PackageRecord>, Vec<CrateFeatures>) = best
            .into_iter()
            .map(|b| {
                (
                    PackageRecord { releases: releases.remove(&b.record.name).unwrap_or_default(), ..b.record },
                    b.features,
                )
            })
            .unzip();
        if self.format.cargo.features {
            self.progress.phase("switch on optional dependencies by features", Work::Unmeasured);
            switch_on(&mut packages, &features);
        }
        Ingested { packages, edges: Vec::new(), skipped: self.bad.finish() }
    }

    /// Records a batch's releases and bad lines, and parses in full the lines that beat the
    /// best of their crate so far.
    fn choose(&mut self, (path, batch, lines): Passed) -> Result<()> {
        // The best line of each crate within this batch, crates in first-seen order.
        let mut local: HashMap<&str, &Line> = HashMap::default();
        let mut order: Vec<&str> = Vec::new();
        for line in &lines {
            match line {
                Err((no, message)) => self.bad.record(Error::parse(Location::line(&path, *no), message.clone()))?,
                Ok(line) => {
                    let name = line.name.as_str();
                    if line.rank.is_some() {
                        match self.releases.get_mut(name) {
                            Some(list) => list.push(line.vers.clone()),
                            None => _ = self.releases.insert(name.to_string(), vec![line.vers.clone()]),
                        }
                    }
                    match local.get(name) {
                        Some(best) if best.rank >= line.rank => {}
                        Some(_) => _ = local.insert(name, line),
                        None => {
                            local.insert(name, line);
                            order.push(name);
                        }
                    }
                }
            }
        }
        // Those that beat the best line of earlier batches are parsed in full.
        let winners: Vec<&Line> = order
            .into_iter()
            .map(|name| local[name])
            .filter(|line| self.best.get(&line.name).is_none_or(|b| b.rank < line.rank))
            .collect();
        let parsed: Vec<_> = winners
            .par_iter()
            .map(|line| {
                let deps = if line.rank.is_some() {
                    parse_deps(&batch.data[line.span.clone()], self.format)
                } else {
                    Ok(Default::default())
                };
                deps.map_err(|m| Error::parse(Location::line(&path, line.no), m))
            })
            .collect();
        for (line, result) in winners.into_iter().zip(parsed) {
            match result {
                Err(e) => self.bad.record(e)?,
                Ok(Parsed { deps, features, links }) => {
                    let version = line.rank.is_some().then(|| line.vers.clone());
                    let record = PackageRecord {
                        links,
                        ..PackageRecord::new(Ecosystem::Crates, line.name.clone(), version, deps)
                    };
                    self.best.insert(line.name.clone(), Best { rank: line.rank.clone(), record, features });
                }
            }
        }
        Ok(())
    }
}
