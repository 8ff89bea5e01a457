//! PyPI, from either of two inputs:
//! - [`PypiDepsDb`]: the pypi-deps-db layout (as mach-nix publishes it): `sdist/XX.json` and
//!   `wheel/XX.json` files, in a tarball (plain or compressed, streamed, never extracted) or an
//!   extracted folder. An sdist file maps `name → version → pyver → {install_requires,
//!   extras_require, …}`; a wheel file maps `name → python tag → version → file name →
//!   {requires_dist, …}`. A version or pyver entry may instead be a string naming another one
//!   of the same package (`"1.0.1"`, `"27"`), and a wheel file entry a string
//!   `"version@file name"` naming another file of the same python tag: aliases are followed.
//! - [`PypiJson`]: PyPI JSON API documents (`GET /pypi/<name>/json`), one per line, plain or
//!   compressed. A package seen twice keeps its last document.
//!
//! Names are normalised per PEP 503 (`Foo_Bar` is `foo-bar`), for packages and dependencies.
//!
//! **Latest release**: the highest PEP 440 version that is not a pre- or dev release, or failing
//! that the highest one. Versions that are not PEP 440 (or whose numbers exceed 64 bits) are
//! ignored, as pip ignores them; a package with none is still a package, with no version and no
//! dependencies (a few hundred old packages of the 2023 pypi-deps-db).
//!
//! **Which requirements** (pypi-deps-db): a package's versions are those of its sdists and of
//! its wheels together; names that normalise alike are one package, at the highest release
//! either has. When the latest version has wheels, its requirements are the union of the
//! `requires_dist` of every wheel file of that version, whatever its python tag: wheel metadata
//! states python and platform differences as markers (where wheels of one version disagree, for
//! 0.15% of the wheel packages of the 2023 dump, the union over-counts). Otherwise they are those of its sdist for one python
//! version: the pyver entry of the environment's `python_version` (`310` is 3.10), else the
//! highest one below it, else the lowest one (pypi-deps-db ran `setup.py` under each python, so
//! its conditions are already applied). They are `install_requires`, plus `extras_require`,
//! whose keys are `extra`, `extra:marker` or `:marker` as in setuptools (no extra: not
//! optional). `setup_requires` and `tests_require` are not runtime requirements and are not read.
//!
//! **Which requirements** (JSON API): the API only gives `info.requires_dist`, the requirements
//! of `info.version`. The latest release is chosen among the `releases` that have at least one
//! non-yanked file (`info.version` when there are none); when it is not `info.version` (PyPI
//! makes `info.version` the latest release, so this is rare), the document does not say its
//! requirements, and the package has none.
//!
//! **Requirements** are PEP 508 strings, parsed with `pep508_rs`. One whose marker mentions
//! `extra == …` is optional (kept with `--with-extras`); its other conditions still apply.
//! Markers are evaluated against a default environment, Linux on x86_64 with CPython 3.12:
//! `implementation_name=cpython`, `implementation_version=3.12.0`, `os_name=posix`,
//! `platform_machine=x86_64`, `platform_python_implementation=CPython`, `platform_release=`
//! (empty), `platform_system=Linux`, `platform_version=` (empty), `python_full_version=3.12.0`,
//! `python_version=3.12`, `sys_platform=linux`. [`ReadOptions::markers`] overrides any of them
//! (another name is an error); overriding `python_version` alone also sets `python_full_version`
//! and `implementation_version` to it with `.0` added. A requirement whose marker is false there
//! is dropped. `pep508_rs` reads a marker expression it cannot compare (`python_version in "2.6,
//! 2.7"`, a version such as `"3.8."`) as true, so such requirements are kept (10 edges of the
//! 2023 dump that Python's `packaging` drops).
//!
//! The requirement an edge keeps is the version specifier (`>=2.0,<3`), none, or `@ url` for a
//! direct reference (which the version check reports as unparsed). A string that does not parse
//! is still a dependency, on the name it starts with, with the whole string as its requirement
//! (so its edge is reported unparsed); one that does not even start with a name is a bad record:
//! its whole package. Errors name `path:line` for JSON lines, `archive:member:line` (or the
//! member's file) for a JSON syntax error in a dump member, and `archive:member` with the
//! package for anything else wrong in one.

use std::borrow::Cow;
use std::fmt;
use std::io::Read;
use std::marker::PhantomData;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::mpsc;

use pep440_rs::Version;
use pep508_rs::{MarkerEnvironment, MarkerEnvironmentBuilder, MarkerTree, Requirement, VerbatimUrl, VersionOrUrl};
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

use super::lines::{records_per_line, records_per_line_from};
use super::{decompress, BadRecords, ReadOptions, Source};
use crate::error::{Error, Location, Result};
use crate::model::{DepKind, Dependency, Ecosystem, Ingested, PackageRecord};
use crate::progress::Progress;

/// The pypi-deps-db layout: its tarball or extracted folder.
#[derive(Debug, Clone, Copy)]
pub struct PypiDepsDb;

/// PyPI JSON API documents, one per line.
#[derive(Debug, Clone, Copy)]
pub struct PypiJson;

/// The marker variables with their default values.
const MARKERS: [(&str, &str); 11] = [
    ("implementation_name", "cpython"),
    ("implementation_version", "3.12.0"),
    ("os_name", "posix"),
    ("platform_machine", "x86_64"),
    ("platform_python_implementation", "CPython"),
    ("platform_release", ""),
    ("platform_system", "Linux"),
    ("platform_version", ""),
    ("python_full_version", "3.12.0"),
    ("python_version", "3.12"),
    ("sys_platform", "linux"),
];

/// The default environment with `overrides` applied.
fn environment(overrides: &[(String, String)]) -> Result<MarkerEnvironment> {
    let mut values: Vec<(&str, &str)> = MARKERS.to_vec();
    for (name, value) in overrides {
        let slot = values.iter_mut().find(|(n, _)| n == name).ok_or_else(|| {
            let names: Vec<&str> = MARKERS.iter().map(|(n, _)| *n).collect();
            Error::Invalid(format!("unknown marker variable `{name}` (expected one of: {})", names.join(", ")))
        })?;
        slot.1 = value;
    }
    let value = |name: &str| values.iter().find(|(n, _)| *n == name).map_or("", |(_, v)| v);
    let given = |name: &str| overrides.iter().any(|(n, _)| n == name);
    // Versions that follow `python_version` when only it is given.
    let python = format!("{}.0", value("python_version"));
    let follows = |name: &str| if given("python_version") && !given(name) { python.as_str() } else { value(name) };
    MarkerEnvironment::try_from(MarkerEnvironmentBuilder {
        implementation_name: value("implementation_name"),
        implementation_version: follows("implementation_version"),
        os_name: value("os_name"),
        platform_machine: value("platform_machine"),
        platform_python_implementation: value("platform_python_implementation"),
        platform_release: value("platform_release"),
        platform_system: value("platform_system"),
        platform_version: value("platform_version"),
        python_full_version: follows("python_full_version"),
        python_version: value("python_version"),
        sys_platform: value("sys_platform"),
    })
    .map_err(|e| {
        Error::Invalid(format!(
            "marker variables python_version, python_full_version and implementation_version take versions: {e}"
        ))
    })
}

/// A package name normalised per PEP 503: lowercase, each run of `-`, `_` and `.` one `-`.
pub(crate) fn normalize(name: &str) -> String {
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
    out
}

/// Orders versions for choosing the latest release: releases above pre- and dev releases, then
/// PEP 440 order.
type Rank = (bool, Version);

/// The rank of `version`, if it is PEP 440.
fn rank(version: &str) -> Option<Rank> {
    let version = Version::from_str(version).ok()?;
    Some((version.is_stable(), version))
}

/// The highest ranked of `versions` (the first of equals) with its rank.
fn latest<'a>(versions: impl Iterator<Item = &'a str>) -> Option<(Rank, &'a str)> {
    versions.fold(None, |best, version| match (rank(version), best) {
        (Some(r), Some((b, _))) if r > b => Some((r, version)),
        (Some(r), None) => Some((r, version)),
        (_, best) => best,
    })
}

/// What requirement `text` becomes in `env`, when listed under an sdist `extras_require` key
/// that names an extra (`extra`) and has marker `condition` (`None` when that does not parse).
/// `None` when a marker is false in `env`.
fn dependency(
    text: &str,
    extra: bool,
    condition: Option<&MarkerTree>,
    env: &MarkerEnvironment,
) -> Result<Option<Dependency>, String> {
    let text = text.trim();
    let req = requirement_is_safe(text).then(|| Requirement::<VerbatimUrl>::from_str(text).ok()).flatten();
    let (Some(req), Some(condition)) = (req, condition) else {
        return unparsed(text, extra).map(Some);
    };
    let mut optional = extra;
    if !(req.marker.is_true() && condition.is_true()) {
        let mut marker = req.marker.clone();
        marker.and(condition.clone());
        let active = marker.clone().simplify_extras_with(|_| true);
        if !active.evaluate(env, &[]) {
            return Ok(None);
        }
        optional |= active != marker;
    }
    let specifier = match req.version_or_url {
        None => None,
        Some(VersionOrUrl::VersionSpecifier(specifiers)) => {
            let parts: Vec<String> = specifiers.iter().map(ToString::to_string).collect();
            Some(parts.join(",")).filter(|s| !s.is_empty())
        }
        Some(VersionOrUrl::Url(url)) => Some(format!("@ {url}")),
    };
    Ok(Some(Dependency::new(req.name.to_string(), DepKind::Normal, optional, specifier)))
}

/// Whether `pep508_rs` may be given marker text `marker`. Version 0.9 counts characters as
/// bytes where it looks for `and`/`or` after an expression, and panics on a non-ASCII character
/// there (found by fuzzing); markers are ASCII in practice, so one that is not stays unread.
fn marker_is_safe(marker: &str) -> bool {
    marker.is_ascii()
}

/// Whether `pep508_rs` may be given requirement `text`: its marker is safe
/// ([`marker_is_safe`]), and neither its name nor an extra ends in `-`, `_` or `.` before
/// another character (version 0.9 panics on those, found by fuzzing; PEP 508 rejects them).
fn requirement_is_safe(text: &str) -> bool {
    let separator_last = |name: &str| name.trim().ends_with(['-', '_', '.']);
    let end = text.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))).unwrap_or(text.len());
    let (name, rest) = text.split_at(end);
    let extras = rest.trim_start().strip_prefix('[').map(|r| r.split(']').next().unwrap_or(r)).unwrap_or("");
    !separator_last(name)
        && !extras.split(',').any(separator_last)
        && text.split_once(';').is_none_or(|(_, marker)| marker_is_safe(marker))
}

/// A requirement that is not PEP 508: a dependency on the name it starts with, if any.
fn unparsed(text: &str, optional: bool) -> Result<Dependency, String> {
    let end = text.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))).unwrap_or(text.len());
    let name = text[..end].trim_end_matches(['-', '_', '.']);
    if !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Err(format!("requirement `{text}` is not PEP 508 and does not start with a package name"));
    }
    Ok(Dependency::new(normalize(name), DepKind::Normal, optional, Some(text.to_string())))
}

/// Appends to `deps` the dependencies in `env` of requirement strings `texts`, listed under
/// `key` when they are an sdist `extras_require` entry (`extra`, `extra:marker` or `:marker`).
fn requirements<'t>(
    texts: impl IntoIterator<Item = &'t str>,
    key: Option<&str>,
    env: &MarkerEnvironment,
    deps: &mut Vec<Dependency>,
) -> Result<(), String> {
    let (extra, marker) = key.map_or(("", ""), |key| key.split_once(':').unwrap_or((key, "")));
    let condition = match marker.trim() {
        "" => Some(MarkerTree::TRUE),
        marker if marker_is_safe(marker) => MarkerTree::from_str(marker).ok(),
        _ => None,
    };
    for text in texts {
        deps.extend(dependency(text, !extra.trim().is_empty(), condition.as_ref(), env)?);
    }
    Ok(())
}

/// The record of package `name`.
fn record(name: String, version: Option<String>, deps: Vec<Dependency>) -> PackageRecord {
    PackageRecord::new(Ecosystem::Pypi, name, version, deps)
}

// ----- pypi-deps-db -----

/// A JSON string, borrowed from the input where it has no escapes.
#[derive(Deserialize)]
#[serde(transparent)]
struct Text<'a>(#[serde(borrow)] Cow<'a, str>);

/// A JSON object, its entries in file order.
struct Object<'a, T>(Vec<(Text<'a>, T)>);

impl<T> Object<'_, T> {
    fn get(&self, key: &str) -> Option<&T> {
        self.0.iter().find(|(k, _)| k.0 == key).map(|(_, v)| v)
    }

    fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.0.as_ref())
    }
}

impl<'de: 'a, 'a, T: Deserialize<'de>> Deserialize<'de> for Object<'a, T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries<'a, T>(PhantomData<(&'a (), T)>);
        impl<'de: 'a, 'a, T: Deserialize<'de>> Visitor<'de> for Entries<'a, T> {
            type Value = Object<'a, T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Object(entries))
            }
        }
        deserializer.deserialize_map(Entries(PhantomData))
    }
}

/// An entry, or a string naming another entry that stands for it (an alias).
enum Entry<'a, T> {
    Alias(Text<'a>),
    Data(T),
}

impl<'de: 'a, 'a, T: Deserialize<'de>> Deserialize<'de> for Entry<'a, T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Either<'a, T>(PhantomData<(&'a (), T)>);
        impl<'de: 'a, 'a, T: Deserialize<'de>> Visitor<'de> for Either<'a, T> {
            type Value = Entry<'a, T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object or an alias string")
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
                Ok(Entry::Alias(Text(Cow::Borrowed(s))))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
                Ok(Entry::Alias(Text(Cow::Owned(s.to_string()))))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Entry::Data)
            }
        }
        deserializer.deserialize_any(Either(PhantomData))
    }
}

/// A JSON value left unparsed until it is needed.
type Raw<'a> = &'a RawValue;

/// `raw` parsed as a `T`; the error says what was expected (its position, within `raw`, is
/// left out).
fn parse<'a, T: Deserialize<'a>>(raw: Raw<'a>) -> Result<T, String> {
    serde_json::from_str(raw.get()).map_err(|e| {
        let message = e.to_string();
        message.split_once(" at line ").map_or(message.clone(), |(what, _)| what.to_string())
    })
}

/// The data of `entry`, or of the entry its alias names, found by `lookup` (an alias names an
/// entry, not another alias).
fn resolve<'a, T: Deserialize<'a>>(
    entry: Entry<'a, T>,
    lookup: impl FnOnce(&str) -> Option<Raw<'a>>,
) -> Result<T, String> {
    match entry {
        Entry::Data(data) => Ok(data),
        Entry::Alias(alias) => match lookup(&alias.0).map(parse).transpose()? {
            Some(Entry::Data(data)) => Ok(data),
            _ => Err(format!("alias `{}` names no entry", alias.0)),
        },
    }
}

/// The entry of `key` in `object`, its alias followed.
fn follow<'a, T: Deserialize<'a>>(object: &Object<'a, Raw<'a>>, key: &str) -> Result<T, String> {
    let raw = object.get(key).ok_or_else(|| format!("`{key}` has no entry"))?;
    resolve(parse(raw)?, |alias| object.get(alias).copied()).map_err(|e| format!("`{key}`: {e}"))
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
            let each = |(name, versions): &(Text<'_>, _)| (normalize(&name.0), sdist_release(versions, python));
            file.0.iter().map(each).collect()
        }),
        Kind::Wheel => {
            serde_json::from_slice::<Object<'_, Object<'_, Object<'_, Raw<'_>>>>>(&member.bytes).map(|file| {
                let each = |(name, tags): &(Text<'_>, _)| (normalize(&name.0), wheel_release(tags));
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

/// Calls `each` on every member of the dump at `path` (a folder, or a tarball read in one pass
/// on a thread of its own: `tarball`'s stream when given), members in parallel, and returns the
/// results in path order. A tarball member larger than `opts.max_record_bytes` is an error.
fn each_member<T: Send>(
    path: &Path,
    tarball: Option<Box<dyn std::io::BufRead + Send>>,
    opts: &ReadOptions,
    each: impl Fn(&Member) -> T + Sync,
) -> Result<Vec<(PathBuf, T)>> {
    let max_member = opts.max_record_bytes;
    let run = |member: Result<Member>| member.map(|m| (m.at.clone(), each(&m)));
    let mut results: Vec<(PathBuf, T)> = if tarball.is_none() && path.is_dir() {
        let mut files = Vec::new();
        for dir in ["sdist", "wheel"].map(|d| path.join(d)) {
            if !dir.is_dir() {
                continue;
            }
            for entry in std::fs::read_dir(&dir).map_err(|e| Error::io(&dir, e))? {
                let file = entry.map_err(|e| Error::io(&dir, e))?.path();
                files.extend(member_kind(&file).map(|kind| (kind, file)));
            }
        }
        let read = |(kind, at): (Kind, PathBuf)| {
            let bytes = std::fs::read(&at).map_err(|e| Error::io(&at, e))?;
            Ok(Member { kind, at, bytes })
        };
        files.into_par_iter().map(|file| run(read(file))).collect::<Result<_>>()?
    } else {
        let (tx, rx) = mpsc::sync_channel::<Result<Member>>(2);
        let reader = match tarball {
            Some(reader) => reader,
            None => decompress::read_ahead(decompress::open_with(path, opts)?),
        };
        std::thread::scope(|scope| {
            scope.spawn(move || {
                if let Err(e) = tar_members(reader, path, max_member, &tx) {
                    // Fails only when the receiver has stopped reading anyway.
                    let _ = tx.send(Err(e));
                }
            });
            rx.into_iter().par_bridge().map(run).collect::<Result<_>>()
        })?
    };
    if results.is_empty() {
        return Err(Error::parse(Location::file(path), "expected pypi-deps-db files `sdist/*.json` or `wheel/*.json`"));
    }
    results.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Ok(results)
}

/// Sends every member of the tar stream `reader` (of the archive at `path`) to `tx`.
fn tar_members(reader: impl Read, path: &Path, max_member: u64, tx: &mpsc::SyncSender<Result<Member>>) -> Result<()> {
    let mut archive = tar::Archive::new(reader);
    for entry in archive.entries().map_err(|e| Error::io(path, e))? {
        let mut entry = entry.map_err(|e| Error::io(path, e))?;
        let name = entry.path().map_err(|e| Error::io(path, e))?.into_owned();
        let Some(kind) = member_kind(&name) else { continue };
        let at = PathBuf::from(format!("{}:{}", path.display(), name.display()));
        if entry.size() > max_member {
            let message = format!("a member of {} bytes; if it is genuine, raise --max-record-mb", entry.size());
            return Err(Error::parse(Location::file(&at), message));
        }
        let mut bytes = Vec::with_capacity(entry.size() as usize);
        entry.read_to_end(&mut bytes).map_err(|e| Error::io(&at, e))?;
        if tx.send(Ok(Member { kind, at, bytes })).is_err() {
            break;
        }
    }
    Ok(())
}

impl Source for PypiDepsDb {
    fn read(&self, path: &Path, opts: &ReadOptions, progress: &dyn Progress) -> Result<Ingested> {
        self.read_dump(path, None, opts, progress)
    }
}

impl PypiDepsDb {
    /// Reads the dump from a tar stream (already decompressed); `path` names it in errors.
    pub fn read_tar(
        &self,
        reader: Box<dyn std::io::BufRead + Send>,
        path: &Path,
        opts: &ReadOptions,
        progress: &dyn Progress,
    ) -> Result<Ingested> {
        self.read_dump(path, Some(reader), opts, progress)
    }

    fn read_dump(
        &self,
        path: &Path,
        tarball: Option<Box<dyn std::io::BufRead + Send>>,
        opts: &ReadOptions,
        progress: &dyn Progress,
    ) -> Result<Ingested> {
        let env = environment(&opts.markers)?;
        let release = env.python_version().version.release();
        let python = (release.first().copied().unwrap_or(0), release.get(1).copied().unwrap_or(0));
        progress.phase("read pypi-deps-db", None);
        let members = each_member(path, tarball, opts, |member| {
            progress.advance(member.bytes.len() as u64);
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
        progress.phase("read PyPI requirements", Some(best.len() as u64));
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
                            requirements(texts.iter().map(String::as_str), key.as_deref(), &env, &mut deps)
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
        Ok(Ingested { packages, skipped: bad.finish() })
    }
}

// ----- PyPI JSON API -----

#[derive(Deserialize)]
struct Document<'a> {
    #[serde(borrow)]
    info: Info<'a>,
    #[serde(borrow, default)]
    releases: Option<Object<'a, Vec<ReleaseFile>>>,
}

#[derive(Deserialize)]
struct Info<'a> {
    #[serde(borrow)]
    name: Text<'a>,
    #[serde(borrow, default)]
    version: Option<Text<'a>>,
    #[serde(borrow, default)]
    requires_dist: Option<Vec<Text<'a>>>,
}

#[derive(Deserialize)]
struct ReleaseFile {
    #[serde(default)]
    yanked: bool,
}

/// The record of one JSON API document.
fn document(line: &[u8], env: &MarkerEnvironment) -> Result<PackageRecord, String> {
    let doc: Document<'_> = serde_json::from_slice(line).map_err(|e| {
        format!(
            "expected a PyPI JSON API document ({{\"info\": {{\"name\", \"version\", \"requires_dist\"}}, \
             \"releases\": {{...}}}}) on one line: {e}"
        )
    })?;
    let stated = doc.info.version.map(|v| v.0).filter(|v| !v.is_empty());
    let available: Vec<&str> = doc
        .releases
        .iter()
        .flat_map(|r| &r.0)
        .filter(|(_, files)| files.iter().any(|f| !f.yanked))
        .map(|(v, _)| v.0.as_ref())
        .collect();
    let (version, described) = match latest(available.iter().copied()) {
        Some((best, version)) => {
            let described = stated.as_deref().and_then(rank).is_some_and(|r| r.1 == best.1);
            (Some(version.to_string()), described)
        }
        None => (stated.map(Cow::into_owned), true),
    };
    let mut deps = Vec::new();
    if described {
        let texts = doc.info.requires_dist.iter().flatten().map(|t| t.0.as_ref());
        requirements(texts, None, env, &mut deps)?;
    }
    let mut record = record(normalize(&doc.info.name.0), version, deps);
    record.releases = available.into_iter().map(str::to_string).collect();
    Ok(record)
}

impl Source for PypiJson {
    fn read(&self, path: &Path, opts: &ReadOptions, progress: &dyn Progress) -> Result<Ingested> {
        let env = environment(&opts.markers)?;
        progress.phase("read PyPI JSON documents", None);
        records_per_line(path, opts, progress, |line| vec![document(line, &env)])
    }
}

impl PypiJson {
    /// Reads JSON API documents from a stream (already decompressed); `path` names it in
    /// errors.
    pub fn read_from(
        &self,
        reader: Box<dyn std::io::BufRead + Send>,
        path: &Path,
        opts: &ReadOptions,
        progress: &dyn Progress,
    ) -> Result<Ingested> {
        let env = environment(&opts.markers)?;
        progress.phase("read PyPI JSON documents", None);
        records_per_line_from(reader, path, opts, progress, |line| vec![document(line, &env)])
    }
}
