//! crates.io index lines: one JSON object per published version (`name, vers, deps[], yanked,
//! …`), from a `.jsonl` file (plain, zstd or gzip) or from a checkout of the index tree (one
//! file per crate).
//!
//! Each crate's record is its latest release: the highest non-yanked, non-prerelease version, or
//! failing that the highest non-yanked one. A crate whose every version is yanked is still a
//! record, with no version and no dependencies. A dependency's name is its `package` when
//! renamed; dependencies on another `registry` are dropped. Optional dependencies that a
//! feature switches on are marked ([`super::cargo_features`]), from the chosen release's
//! `features` and `features2` and its dependencies' `features` and `default_features`.
//!
//! Speed: lines are parsed twice over. A first, parallel pass reads only `name`, `vers` and
//! `yanked`; only the lines that beat the best version seen so far for their crate are parsed
//! again in full. Crates' lines are grouped in real dumps, so few lines are parsed twice.

use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Deserialize;

use super::cargo_features::{switch_on, CrateFeatures, FeatureDep};
use super::lines::{batches, Batch};
use super::{decompress, BadRecords, ReadOptions, Source};
use crate::error::{Error, Location, Result};
use crate::model::{DepKind, Dependency, Ecosystem, Ingested, PackageRecord};
use crate::progress::Progress;

/// The crates.io index format.
#[derive(Debug, Clone, Copy)]
pub struct CratesIndex;

#[derive(Deserialize)]
struct Head<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
    #[serde(borrow)]
    vers: Cow<'a, str>,
    #[serde(default)]
    yanked: bool,
}

#[derive(Deserialize)]
struct Full<'a> {
    #[serde(borrow, default)]
    deps: Vec<IndexDep<'a>>,
    #[serde(default)]
    features: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    features2: BTreeMap<String, Vec<String>>,
}

#[derive(Deserialize)]
struct IndexDep<'a> {
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
    #[serde(default)]
    features: Vec<String>,
    #[serde(default = "yes")]
    default_features: bool,
}

fn yes() -> bool {
    true
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
    best: HashMap<String, Best>,
    /// Every non-yanked version of each crate, in input order.
    releases: HashMap<String, Vec<String>>,
}

impl Source for CratesIndex {
    fn read(&self, path: &Path, opts: &ReadOptions, progress: &dyn Progress) -> Result<Ingested> {
        if !path.is_dir() {
            return self.read_from(decompress::open_with(path, opts)?, path, opts, progress);
        }
        let mut reader = Reader::new(progress, opts);
        let mut files = Vec::new();
        index_files(path, &mut files)?;
        files.sort();
        progress.phase("read crates.io index checkout", Some(files.len() as u64));
        for file in files {
            let data = std::fs::read(&file).map_err(|e| Error::io(&file, e))?;
            reader.batch(&file, &Batch { first_line: 1, data })?;
        }
        Ok(reader.finish())
    }
}

impl CratesIndex {
    /// Reads index lines from a stream (already decompressed); `path` names it in errors.
    pub fn read_from(
        &self,
        lines: Box<dyn std::io::BufRead + Send>,
        path: &Path,
        opts: &ReadOptions,
        progress: &dyn Progress,
    ) -> Result<Ingested> {
        let mut reader = Reader::new(progress, opts);
        progress.phase("read crates.io index lines", None);
        for batch in batches(lines, path, opts.max_record_bytes) {
            reader.batch(path, &batch?)?;
        }
        Ok(reader.finish())
    }
}

/// Every crate file under an index checkout: skips dot-entries (`.git`) and `config.json`.
fn index_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || name == "config.json" {
            continue;
        }
        let path = entry.path();
        if entry.file_type().map_err(|e| Error::io(&path, e))?.is_dir() {
            index_files(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

fn parse_head(line: &[u8]) -> Result<(Head<'_>, Rank), String> {
    let head: Head<'_> = serde_json::from_slice(line)
        .map_err(|e| format!("expected a crates.io index JSON object with `name`, `vers` and `yanked`: {e}"))?;
    let rank = version_rank(&head.vers, head.yanked)?;
    Ok((head, rank))
}

/// A release's dependencies and what feature resolution needs of it.
fn parse_deps(line: &[u8]) -> Result<(Vec<Dependency>, CrateFeatures), String> {
    let full: Full<'_> = serde_json::from_slice(line).map_err(|e| {
        format!("expected `deps` to be a list of dependency objects and `features` a map of lists: {e}")
    })?;
    let (deps, feature_deps) = full
        .deps
        .into_iter()
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
            let dep = Dependency::new(name, kind, d.optional, d.req.map(Cow::into_owned));
            Ok((dep, FeatureDep { rename, default_features: d.default_features, features: d.features }))
        })
        .collect::<Result<(Vec<_>, Vec<_>), String>>()?;
    Ok((deps, CrateFeatures::new(full.features.into_iter().chain(full.features2), feature_deps)))
}

impl<'p> Reader<'p> {
    fn new(progress: &'p dyn Progress, opts: &ReadOptions) -> Self {
        Reader { progress, bad: BadRecords::new(opts), best: HashMap::default(), releases: HashMap::default() }
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
        self.progress.phase("switch on optional dependencies by features", None);
        switch_on(&mut packages, &features);
        Ingested { packages, skipped: self.bad.finish() }
    }

    fn batch(&mut self, path: &Path, batch: &Batch) -> Result<()> {
        self.progress.advance(batch.data.len() as u64);
        let lines: Vec<(u64, &[u8])> = batch.lines().filter(|(_, l)| !l.iter().all(u8::is_ascii_whitespace)).collect();
        let heads: Vec<_> = lines.par_iter().map(|&(no, line)| parse_head(line).map(|h| (no, line, h))).collect();

        // The best line of each crate within this batch, crates in first-seen order.
        let mut local: HashMap<&str, (usize, &Rank)> = HashMap::default();
        let mut order: Vec<&str> = Vec::new();
        for (i, head) in heads.iter().enumerate() {
            match head {
                Err(message) => self.bad.record(Error::parse(Location::line(path, lines[i].0), message.clone()))?,
                Ok((_, _, (head, rank))) => {
                    let name = head.name.as_ref();
                    if rank.is_some() {
                        match self.releases.get_mut(name) {
                            Some(list) => list.push(head.vers.to_string()),
                            None => _ = self.releases.insert(name.to_string(), vec![head.vers.to_string()]),
                        }
                    }
                    match local.get(name) {
                        Some((_, best)) if *best >= rank => {}
                        Some(_) => {
                            local.insert(name, (i, rank));
                        }
                        None => {
                            local.insert(name, (i, rank));
                            order.push(name);
                        }
                    }
                }
            }
        }
        // Those that beat the best line of earlier batches are parsed in full.
        let winners: Vec<usize> = order
            .into_iter()
            .map(|name| (name, local[name]))
            .filter(|(name, (_, rank))| self.best.get(*name).is_none_or(|b| b.rank < **rank))
            .map(|(_, (i, _))| i)
            .collect();
        let parsed: Vec<_> = winners
            .par_iter()
            .map(|&i| {
                let (no, line, (head, rank)) = heads[i].as_ref().expect("winners parsed");
                let deps = if rank.is_some() { parse_deps(line) } else { Ok(Default::default()) };
                deps.map(|(deps, features)| {
                    (head.name.to_string(), head.vers.to_string(), rank.clone(), deps, features)
                })
                .map_err(|m| Error::parse(Location::line(path, *no), m))
            })
            .collect();
        for result in parsed {
            match result {
                Err(e) => self.bad.record(e)?,
                Ok((name, vers, rank, deps, features)) => {
                    let version = rank.is_some().then_some(vers);
                    let record = PackageRecord::new(Ecosystem::Crates, name.clone(), version, deps);
                    self.best.insert(name, Best { rank, record, features });
                }
            }
        }
        Ok(())
    }
}
