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
//! `python_version=3.12`, `sys_platform=linux`. [`Markers`] overrides any of them
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

mod deps_db;
mod json;
mod json_api;
mod markers;

use std::str::FromStr;

use pep440_rs::Version;
use pep508_rs::{MarkerEnvironment, MarkerTree, Requirement, VerbatimUrl, VersionOrUrl};

pub use deps_db::PypiDepsDb;
pub use json_api::PypiJson;
pub use markers::Markers;

use crate::model::{normalize_name, DepKind, Dependency, Ecosystem, PackageRecord};

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
    Ok(Dependency::new(
        normalize_name(Ecosystem::Pypi, name).into_owned(),
        DepKind::Normal,
        optional,
        Some(text.to_string()),
    ))
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
