//! The pypi-deps-db layout: `sdist/*.json` and `wheel/*.json` members of a tarball or folder
//! (see [`super`] for what is read from them).

use std::path::{Path, PathBuf};
use std::sync::mpsc;

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use serde::Deserialize;

use super::json::{follow, parse, resolve, Object, Raw, Text};
use super::{latest, normalize_name, rank, record, requirements, Markers, Rank};
use crate::error::{Error, Location, Result};
use crate::ingest::archive::Archive;
use crate::ingest::{BadRecords, Ingest, ReadOptions, Stream};
use crate::model::{Ecosystem, Ingested, PackageRecord};
use crate::progress::{Progress, Work};

/// The pypi-deps-db layout: its tarball or extracted folder.
#[derive(Debug, Clone, Default)]
pub struct PypiDepsDb {
    /// The environment requirements are evaluated in.
    pub markers: Markers,
}

#[derive(Deserialize)]
struct SdistReqs<'a> {
    #[serde(borrow, default)]
    install_requires: Option<Vec<Text<'a>>>,
    #[serde(borrow, default)]
    extras_require: Option<Object<'a, Vec<Text<'a>>>>,
}

#[derive(Deserialize)]
struct Wheel<'a> {
    #[serde(borrow, default)]
    requires_dist: Option<Vec<Text<'a>>>,
}

/// Requirement strings of a release: unconditional ones (key `None`), and those of each sdist
/// `extras_require` key.
type Groups = Vec<(Option<String>, Vec<String>)>;

/// A package's latest release in one source (sdists or wheels) and its requirement strings.
struct Release {
    rank: Rank,
    version: String,
    groups: Groups,
}

fn texts(list: Option<&[Text<'_>]>) -> Vec<String> {
    list.unwrap_or_default().iter().map(|t| t.0.to_string()).collect()
}

/// The latest release of an sdist package (version → pyver → requirements), with the
/// requirements of the pyver for `python`.
fn sdist_release(versions: &Object<'_, Raw<'_>>, python: (u64, u64)) -> Result<Option<Release>, String> {
    let Some((rank, version)) = latest(versions.keys()) else { return Ok(None) };
    let pyvers: Object<'_, Raw<'_>> = follow(versions, version).map_err(|e| format!("version {e}"))?;
    let number = |key: &str| -> Option<(u64, u64)> {
        let (major, minor) = key.split_at_checked(1)?;
        Some((major.parse().ok()?, minor.parse().ok()?))
    };
    let mut keys: Vec<((u64, u64), &str)> = pyvers.keys().filter_map(|k| Some((number(k)?, k))).collect();
    keys.sort_unstable();
    let Some(&(_, pyver)) = keys.iter().rev().find(|(n, _)| *n <= python).or(keys.first()) else {
        return Err(format!("version `{version}` has no python version entry (`27`, `310`, ...)"));
    };
    let reqs: SdistReqs<'_> = follow(&pyvers, pyver).map_err(|e| format!("version `{version}`: python version {e}"))?;
    let mut groups: Groups = vec![(None, texts(reqs.install_requires.as_deref()))];
    for (key, list) in reqs.extras_require.iter().flat_map(|o| &o.0) {
        groups.push((Some(key.0.to_string()), texts(Some(list))));
    }
    Ok(Some(Release { rank, version: version.to_string(), groups }))
}

/// The latest release of a wheel package (python tag → version → file name → requirements),
/// with the requirements of all its wheel files.
fn wheel_release(tags: &Object<'_, Object<'_, Raw<'_>>>) -> Result<Option<Release>, String> {
    let Some((rank, version)) = latest(tags.0.iter().flat_map(|(_, versions)| versions.keys())) else {
        return Ok(None);
    };
    let mut texts: Vec<String> = Vec::new();
    for (tag, versions) in &tags.0 {
        let same = |v: &str| self::rank(v).is_some_and(|r| r.1 == rank.1);
        for (v, files) in versions.0.iter().filter(|(v, _)| same(&v.0)) {
            let files: Object<'_, Raw<'_>> = parse(files).map_err(|e| format!("version `{}`: {e}", v.0))?;
            for (file, raw) in &files.0 {
                let wheel: Wheel<'_> = parse(raw)
                    .and_then(|entry| {
                        resolve(entry, |alias| {
                            let (version, file) = alias.split_once('@')?;
                            parse::<Object<'_, Raw<'_>>>(versions.get(version)?).ok()?.get(file).copied()
                        })
                    })
                    .map_err(|e| format!("python tag `{}`, version `{}`, file `{}`: {e}", tag.0, v.0, file.0))?;
                for text in wheel.requires_dist.iter().flatten() {
                    if !texts.iter().any(|t| *t == text.0) {
                        texts.push(text.0.to_string());
                    }
                }
            }
        }
    }
    Ok(Some(Release { rank, version: version.to_string(), groups: vec![(None, texts)] }))
}

/// Which kind of member a file is, and the index of its source in a package's releases.
#[derive(Clone, Copy)]
enum Kind {
    Sdist = 0,
    Wheel = 1,
}

/// A member of the dump: `sdist/*.json` or `wheel/*.json`.
struct Member {
    kind: Kind,
    /// `archive:member`, or the file's path in a folder.
    at: PathBuf,
    bytes: Vec<u8>,
}

/// The packages of a member, each with its latest release in that member (`None`: it has no
/// PEP 440 version), or what is wrong with its entry.
type Packages = Vec<(String, Result<Option<Release>, String>)>;

fn read_member(member: &Member, python: (u64, u64)) -> Result<Packages> {
    let packages = match member.kind {
        Kind::Sdist => serde_json::from_slice::<Object<'_, Object<'_, Raw<'_>>>>(&member.bytes).map(|file| {
            let each = |(name, versions): &(Text<'_>, _)| {
                (normalize_name(Ecosystem::Pypi, &name.0).into_owned(), sdist_release(versions, python))
            };
            file.0.iter().map(each).collect()
        }),
        Kind::Wheel => {
            serde_json::from_slice::<Object<'_, Object<'_, Object<'_, Raw<'_>>>>>(&member.bytes).map(|file| {
                let each = |(name, tags): &(Text<'_>, _)| {
                    (normalize_name(Ecosystem::Pypi, &name.0).into_owned(), wheel_release(tags))
                };
                file.0.iter().map(each).collect()
            })
        }
    };
    packages.map_err(|e| {
        let what = match member.kind {
            Kind::Sdist => "sdist file ({name: {version: {pyver: {install_requires: [...]}}}})",
            Kind::Wheel => "wheel file ({name: {python tag: {version: {file: {requires_dist: [...]}}}}})",
        };
        Error::parse(Location::line(&member.at, e.line() as u64), format!("expected a pypi-deps-db {what}: {e}"))
    })
}

/// The kind of the file at `path` in the dump, if it is a member: a `.json` file in a folder
/// named `sdist` or `wheel`.
fn member_kind(path: &Path) -> Option<Kind> {
    if path.extension()? != "json" {
        return None;
    }
    match path.parent()?.file_name()?.to_str()? {
        "sdist" => Some(Kind::Sdist),
        "wheel" => Some(Kind::Wheel),
        _ => None,
    }
}

/// Calls `each` on every member of the dump, members in parallel as the archive yields them,
/// and returns the results in path order. A member larger than `max_member` is an error.
fn each_member<T: Send>(
    archive: Archive<'_>,
    at: &Path,
    max_member: u64,
    each: impl Fn(&Member) -> T + Sync,
) -> Result<Vec<(PathBuf, T)>> {
    let (tx, rx) = mpsc::sync_channel::<Result<Member>>(2);
    let mut results: Vec<(PathBuf, T)> = std::thread::scope(|scope| {
        scope.spawn(move || {
            let walked = archive.walk(member_kind, |kind, reader, member| {
                let bytes = member.read_all(reader, max_member)?;
                // Fails only when the receiver has stopped reading, on an error of its own.
                tx.send(Ok(Member { kind, at: member.at, bytes }))
                    .map_err(|_| Error::Invalid("pypi-deps-db members no longer read".to_string()))
            });
            if let Err(e) = walked {
                let _ = tx.send(Err(e));
            }
        });
        rx.into_iter().par_bridge().map(|member| member.map(|m| (m.at.clone(), each(&m)))).collect::<Result<_>>()
    })?;
    if results.is_empty() {
        return Err(Error::parse(Location::file(at), "expected pypi-deps-db files `sdist/*.json` or `wheel/*.json`"));
    }
    results.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Ok(results)
}

impl Ingest for PypiDepsDb {
    /// Reads an extracted folder, or a tarball (plain or compressed).
    fn read(&self, path: &Path, opts: &ReadOptions, progress: &dyn Progress) -> Result<Ingested> {
        if path.is_dir() {
            return self.read_dump(Archive::folder(path)?, path, opts, progress);
        }
        self.read_stream(crate::ingest::open(path, opts)?, path, opts, progress)
    }

    /// Reads the dump from a tar stream, never extracted.
    fn read_stream(&self, input: Stream, path: &Path, opts: &ReadOptions, progress: &dyn Progress) -> Result<Ingested> {
        self.read_dump(Archive::Tar(input, path), path, opts, progress)
    }
}

impl PypiDepsDb {
    fn read_dump(
        &self,
        archive: Archive<'_>,
        path: &Path,
        opts: &ReadOptions,
        progress: &dyn Progress,
    ) -> Result<Ingested> {
        let (env, python) = (self.markers.env(), self.markers.python());
        progress.phase("read pypi-deps-db", Work::Bytes(archive.meter()));
        let members = each_member(archive, path, opts.max_record_bytes, |member| {
            read_member(member, python).map(|packages| (member.kind, packages))
        })?;

        // Each package's latest release in each source, and the member it is from; members in
        // path order, the first of equal releases kept.
        let mut bad = BadRecords::new(opts);
        let mut best: HashMap<String, [Option<(Release, usize)>; 2]> = HashMap::default();
        let mut locations = Vec::with_capacity(members.len());
        for (index, (at, read)) in members.into_iter().enumerate() {
            locations.push(at);
            let (kind, packages) = match read {
                Ok(read) => read,
                Err(e) => {
                    bad.record(e)?;
                    continue;
                }
            };
            for (name, release) in packages {
                match release {
                    Err(message) => bad.record(Error::parse(
                        Location::file(&locations[index]),
                        format!("package `{name}`: {message}"),
                    ))?,
                    Ok(release) => {
                        let slot = &mut best.entry(name).or_default()[kind as usize];
                        if let Some(release) = release.filter(|r| slot.as_ref().is_none_or(|(s, _)| r.rank > s.rank)) {
                            *slot = Some((release, index));
                        }
                    }
                }
            }
        }

        // The latest release of the two; at equal versions, the wheels'.
        progress.phase("read PyPI requirements", Work::Items { unit: "packages", total: Some(best.len() as u64) });
        let mut records: Vec<(String, Result<PackageRecord>)> = best
            .into_par_iter()
            .map(|(name, [sdist, wheel])| {
                progress.advance(1);
                let chosen = match (sdist, wheel) {
                    (Some(s), Some(w)) if s.0.rank > w.0.rank => Some(s),
                    (s, w) => w.or(s),
                };
                let record = match chosen {
                    None => Ok(record(name.clone(), None, Vec::new())),
                    Some((release, member)) => {
                        let mut deps = Vec::new();
                        let read = release.groups.iter().try_for_each(|(key, texts)| {
                            requirements(texts.iter().map(String::as_str), key.as_deref(), env, &mut deps)
                        });
                        match read {
                            Ok(()) => Ok(record(name.clone(), Some(release.version), deps)),
                            Err(m) => Err(Error::parse(
                                Location::file(&locations[member]),
                                format!("package `{name}` {}: {m}", release.version),
                            )),
                        }
                    }
                };
                (name, record)
            })
            .collect();
        records.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut packages = Vec::with_capacity(records.len());
        for (_, record) in records {
            match record {
                Ok(record) => packages.push(record),
                Err(e) => bad.record(e)?,
            }
        }
        Ok(Ingested { packages, edges: Vec::new(), skipped: bad.finish() })
    }
}
