//! npm registry documents ("packuments", the body of `GET /<name>`), plain or compressed, in
//! either of two layouts, told apart line by line:
//! - one packument per line (JSON lines);
//! - a CouchDB `_all_docs?include_docs=true` response as CouchDB writes it: a
//!   `{"total_rows":…,"rows":[` line, one `{"id":…,"doc":{packument}}` row per line (a trailing
//!   comma allowed), and a closing `]}` line. A whole response on one line is read too.
//!   Design documents (`_design/…`) and rows without a `doc` are skipped.
//!
//! Each package's record is its `dist-tags.latest` release. When that tag names a version the
//! document lacks, the highest version by semver precedence is taken instead (releases above
//! prereleases). A document with no `latest` tag, or no versions at all (an unpublished
//! package such as `flatmap-stream`), is still a package, with no version and no dependencies.
//! A package seen twice keeps its last document.
//!
//! The chosen release's `dependencies` are [`DepKind::Normal`], `optionalDependencies` are
//! optional normal ones (npm also lists them in `dependencies`: the optional entry wins),
//! `peerDependencies` are [`DepKind::Peer`] (optional when `peerDependenciesMeta.<name>.optional`;
//! a meta entry without a peer dependency adds nothing) and `devDependencies` are
//! [`DepKind::Dev`]. Names are kept as written, scopes included (`@babel/core`). An alias
//! `"x": "npm:real@^1"` is a dependency on `real` with requirement `^1` (`npm:real` alone: no
//! requirement). Every other spec is kept verbatim as the requirement of a dependency on the
//! named package, including git URLs, tarball URLs, `file:`, `link:` and `workspace:` specs,
//! which the version check reports as unparsed.
//!
//! Speed: lines are parsed in parallel, borrowing strings from the line; only the chosen
//! release of a document is parsed beyond its version string (the others stay raw JSON).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

use serde::de::IgnoredAny;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::lines::records_per_line;
use super::{Ingest, ReadOptions, Stream};
use crate::error::Result;
use crate::model::{normalize_repository, DepKind, Dependency, Ecosystem, Ingested, PackageRecord};
use crate::progress::{Progress, Work};

/// The npm registry format.
#[derive(Debug, Clone, Copy)]
pub struct Npm;

/// A line's JSON object: a packument, an `_all_docs` row (`id`, `key`, `doc`) or a whole
/// `_all_docs` response (`rows`).
#[derive(Deserialize)]
struct Line<'a> {
    #[serde(borrow)]
    name: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "dist-tags")]
    dist_tags: Option<DistTags<'a>>,
    #[serde(borrow)]
    versions: Option<Versions<'a>>,
    #[serde(borrow)]
    id: Option<Cow<'a, str>>,
    key: Option<IgnoredAny>,
    #[serde(borrow)]
    doc: Option<&'a RawValue>,
    #[serde(borrow)]
    rows: Option<Vec<Line<'a>>>,
    #[serde(borrow)]
    maintainers: Option<&'a RawValue>,
}

/// Each version's package.json, unparsed.
type Versions<'a> = BTreeMap<Cow<'a, str>, &'a RawValue>;

#[derive(Deserialize)]
struct DistTags<'a> {
    #[serde(borrow)]
    latest: Option<Cow<'a, str>>,
}

type DepMap<'a> = BTreeMap<Cow<'a, str>, Cow<'a, str>>;

/// The dependency fields of one version's package.json.
#[derive(Deserialize)]
struct Manifest<'a> {
    #[serde(borrow, default)]
    dependencies: Option<DepMap<'a>>,
    #[serde(borrow, default, rename = "optionalDependencies")]
    optional: Option<DepMap<'a>>,
    #[serde(borrow, default, rename = "peerDependencies")]
    peer: Option<DepMap<'a>>,
    #[serde(borrow, default, rename = "peerDependenciesMeta")]
    peer_meta: Option<BTreeMap<Cow<'a, str>, PeerMeta>>,
    #[serde(borrow, default, rename = "devDependencies")]
    dev: Option<DepMap<'a>>,
    #[serde(borrow, default)]
    repository: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct PeerMeta {
    #[serde(default)]
    optional: bool,
}

impl Ingest for Npm {
    fn read_stream(&self, input: Stream, path: &Path, opts: &ReadOptions, progress: &dyn Progress) -> Result<Ingested> {
        progress.phase("read npm packuments", Work::Bytes(input.meter().clone()));
        records_per_line(input, path, opts, parse_line)
    }
}

/// The records of one line (none for blank lines and the `_all_docs` framing), each one or
/// what is wrong with it.
fn parse_line(line: &[u8]) -> Vec<Result<PackageRecord, String>> {
    let text = match std::str::from_utf8(line) {
        Ok(text) => text.trim(),
        Err(e) => return vec![Err(format!("line is not valid UTF-8: {e}"))],
    };
    let text = text.strip_suffix(',').unwrap_or(text);
    let framing = text.is_empty() || text.starts_with(']') || (text.starts_with('{') && text.ends_with('['));
    let mut out = Vec::new();
    if !framing {
        match serde_json::from_str(text) {
            Ok(doc) => collect(doc, &mut out),
            Err(e) => out.push(Err(format!(
                "expected a packument JSON object (`name`, `dist-tags`, `versions`) or an \
                 `_all_docs` row (`id`, `doc`) on one line: {e}"
            ))),
        }
    }
    out
}

/// Pushes the records of `doc`: itself if a packument, its `doc` if a row, each row's if an
/// `_all_docs` response.
fn collect(doc: Line<'_>, out: &mut Vec<Result<PackageRecord, String>>) {
    if let Some(rows) = doc.rows {
        return rows.into_iter().for_each(|row| collect(row, out));
    }
    if doc.id.is_none() && doc.key.is_none() && doc.doc.is_none() {
        return out.push(record(doc));
    }
    // A row: design documents and rows without a document (`not_found`) are no packages.
    let id = doc.id.unwrap_or_default();
    match doc.doc {
        Some(inner) if !id.starts_with("_design/") => match serde_json::from_str(inner.get()) {
            Ok(inner) => collect(inner, out),
            Err(e) => out.push(Err(format!("row `{id}`: expected its `doc` to be a packument JSON object: {e}"))),
        },
        _ => {}
    }
}

/// The record of a packument.
fn record(doc: Line<'_>) -> Result<PackageRecord, String> {
    let name = doc.name.ok_or("expected a packument with a `name`")?;
    let versions = doc.versions.unwrap_or_default();
    let chosen = doc
        .dist_tags
        .and_then(|tags| tags.latest)
        .and_then(|latest| versions.get_key_value(latest.as_ref()).or_else(|| highest(&versions)));
    let mut record = PackageRecord::new(Ecosystem::Npm, name.to_string(), None, Vec::new());
    if let Some((version, manifest)) = chosen {
        let manifest: Manifest<'_> = serde_json::from_str(manifest.get()).map_err(|e| {
            format!(
                "`{name}` version `{version}`: expected its dependency fields to be objects of names to \
                 requirement strings: {e}"
            )
        })?;
        record.project = manifest.repository.and_then(repository);
        record.deps = dependencies(manifest).map_err(|e| format!("`{name}` version `{version}`: {e}"))?;
        record.version = Some(version.to_string());
    }
    record.maintainers = doc.maintainers.map(maintainers).unwrap_or_default();
    record.releases = versions.keys().map(|v| v.to_string()).collect();
    Ok(record)
}

/// The project key of a `repository` field: a string, or an object with a `url`. Other shapes
/// name no project.
fn repository(raw: &RawValue) -> Option<String> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Repository {
        Text(String),
        Object { url: String },
    }
    match serde_json::from_str(raw.get()).ok()? {
        Repository::Text(url) | Repository::Object { url } => normalize_repository(&url),
    }
}

/// The accounts of a `maintainers` list (`{"name": …}` objects or `"name <email>"` strings),
/// as `npm/<name>`, sorted; entries of other shapes are passed over.
fn maintainers(raw: &RawValue) -> Vec<String> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Person {
        Object { name: String },
        Text(String),
        Other(IgnoredAny),
    }
    let people: Vec<Person> = serde_json::from_str(raw.get()).unwrap_or_default();
    let mut names: Vec<String> = people
        .into_iter()
        .filter_map(|p| match p {
            Person::Object { name } => Some(name),
            Person::Text(text) => text.split(['<', '(']).next().map(|n| n.trim().to_string()),
            Person::Other(_) => None,
        })
        .filter(|n| !n.is_empty())
        .map(|n| format!("npm/{n}"))
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// The version with the highest semver precedence, releases above prereleases; versions that
/// are not semver are passed over.
fn highest<'m, 'a>(versions: &'m Versions<'a>) -> Option<(&'m Cow<'a, str>, &'m &'a RawValue)> {
    versions
        .iter()
        .filter_map(|entry| {
            let version = nodejs_semver::Version::parse(entry.0.as_ref()).ok()?;
            Some(((!version.is_prerelease(), version), entry))
        })
        .max_by(|a, b| a.0.cmp(&b.0))
        .map(|(_, entry)| entry)
}

/// The dependencies declared by one version's package.json.
fn dependencies(m: Manifest<'_>) -> Result<Vec<Dependency>, String> {
    let optional = m.optional.unwrap_or_default();
    let peer_meta = m.peer_meta.unwrap_or_default();
    let peer_optional = |name: &str| peer_meta.get(name).is_some_and(|meta| meta.optional);
    m.dependencies
        .iter()
        .flatten()
        .filter(|(name, _)| !optional.contains_key(*name))
        .map(|(name, spec)| (name, spec, DepKind::Normal, false))
        .chain(optional.iter().map(|(name, spec)| (name, spec, DepKind::Normal, true)))
        .chain(m.peer.iter().flatten().map(|(name, spec)| (name, spec, DepKind::Peer, peer_optional(name))))
        .chain(m.dev.iter().flatten().map(|(name, spec)| (name, spec, DepKind::Dev, false)))
        .map(|(name, spec, kind, optional)| {
            if name.is_empty() {
                return Err("a dependency has an empty name".to_string());
            }
            let (target, req) = target(name, spec);
            Ok(Dependency::new(target, kind, optional, req.map(str::to_string)))
        })
        .collect()
}

/// The package a dependency `name: spec` installs, and its requirement: the aliased package
/// for `npm:real@range` (`npm:@scope/real@range`, `npm:real`), else `name` with `spec` as is.
fn target<'s>(name: &'s str, spec: &'s str) -> (&'s str, Option<&'s str>) {
    let Some(aliased) = spec.trim().strip_prefix("npm:") else {
        return (name, Some(spec));
    };
    if aliased.is_empty() {
        return (name, Some(spec));
    }
    // A scope's `@` is the first character; the version's is the next one.
    let scope = usize::from(aliased.starts_with('@'));
    match aliased[scope..].find('@').map(|at| scope + at) {
        Some(at) => (&aliased[..at], Some(&aliased[at + 1..])),
        None => (aliased, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_and_other_specs() {
        assert_eq!(target("x", "npm:real@^1"), ("real", Some("^1")));
        assert_eq!(target("x", "npm:@scope/real@~2.0"), ("@scope/real", Some("~2.0")));
        assert_eq!(target("x", "npm:real"), ("real", None));
        assert_eq!(target("x", "npm:@scope/real"), ("@scope/real", None));
        assert_eq!(target("x", "npm:"), ("x", Some("npm:")));
        assert_eq!(target("x", "npm:é@1"), ("é", Some("1")));
        assert_eq!(target("x", "^1.2.3"), ("x", Some("^1.2.3")));
        assert_eq!(target("x", "github:a/b#v1"), ("x", Some("github:a/b#v1")));
    }
}
