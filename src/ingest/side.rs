//! Side inputs that are not dependency graphs: popularity lists, OSV advisories, the project
//! alias file, and the TOML files of settings (the score weights read theirs through
//! [`read_toml`]). Each reader names the file and line of a bad entry.

use std::collections::BTreeMap;
use std::io::{BufRead, Read};
use std::path::Path;

use rustc_hash::FxHashMap;
use serde::Deserialize;

use super::ReadOptions;
use crate::error::{Error, Location, Result};
use crate::model::{Advisory, AffectedReleases, OsvEvent};

/// Reads a popularity list of one ecosystem (plain or compressed; tab- or comma-separated, with
/// a header) into one weight per package name: a column whose name contains `downloads` gives
/// the weight itself; else a column whose name contains `rank` gives 1/rank (Zipf's law:
/// downloads fall roughly as the inverse of the rank). The package name is the `name` column,
/// as written. Rows with an empty value are skipped.
pub fn read_popularity(path: &Path) -> Result<Vec<(String, f64)>> {
    let mut text = String::new();
    super::open(path, &ReadOptions::default())?.read_to_string(&mut text).map_err(|e| Error::io(path, e))?;
    let delimiter = if text.lines().next().unwrap_or("").contains('\t') { b'\t' } else { b',' };
    let mut csv = csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).from_reader(text.as_bytes());
    let header = csv.headers().map_err(|e| Error::parse(Location::line(path, 1), format!("expected a header: {e}")))?;
    let column = |pred: &dyn Fn(&str) -> bool| header.iter().position(|h| pred(&h.to_ascii_lowercase()));
    let name_at = column(&|h| h == "name" || h == "package").unwrap_or(0);
    let (value_at, inverse) = match (column(&|h| h.contains("downloads")), column(&|h| h.contains("rank"))) {
        (Some(at), _) => (at, false),
        (None, Some(at)) => (at, true),
        (None, None) => {
            return Err(Error::parse(
                Location::line(path, 1),
                "expected a column whose name contains `downloads` or `rank`".to_string(),
            ))
        }
    };
    let mut weights = Vec::new();
    for (i, row) in csv.records().enumerate() {
        let line = i as u64 + 2;
        let row = row.map_err(|e| Error::parse(Location::line(path, line), format!("unreadable row: {e}")))?;
        let value = row.get(value_at).unwrap_or("").trim();
        if value.is_empty() {
            continue;
        }
        let number: f64 = value.parse().ok().filter(|v: &f64| v.is_finite() && *v >= 0.0).ok_or_else(|| {
            Error::parse(Location::line(path, line), format!("`{value}` is not a non-negative number"))
        })?;
        let weight = match (inverse, number > 0.0) {
            (false, _) => number,
            (true, true) => 1.0 / number,
            (true, false) => 0.0,
        };
        weights.push((row.get(name_at).unwrap_or("").trim().to_string(), weight));
    }
    Ok(weights)
}

#[derive(Deserialize)]
struct Osv {
    id: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    affected: Vec<Affected>,
}

#[derive(Deserialize)]
struct Affected {
    package: OsvPackage,
    #[serde(default)]
    ranges: Vec<OsvRange>,
    #[serde(default)]
    versions: Vec<String>,
}

#[derive(Deserialize)]
struct OsvRange {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    events: Vec<Event>,
}

#[derive(Deserialize)]
struct Event {
    introduced: Option<String>,
    fixed: Option<String>,
    last_affected: Option<String>,
}

#[derive(Deserialize)]
struct OsvPackage {
    ecosystem: String,
    name: String,
}

/// Reads OSV records: one record (a `.json` file, as osv.dev serves one), one JSON object per
/// line (plain or compressed), a folder of `.json` files of one record each, or a zip of them (as osv.dev ships each ecosystem's records);
/// the files of a folder or zip are read in name order. One [`Advisory`] per affected
/// package, in the order read, with its affected ranges and versions (a package listed twice
/// in one record, once per range, is given once, its ranges merged).
pub fn read_osv(path: &Path) -> Result<Vec<Advisory>> {
    let mut out: Vec<Advisory> = Vec::new();
    let mut seen: FxHashMap<(String, String, String), usize> = FxHashMap::default();
    let mut add = |osv: Osv| {
        for affected in osv.affected {
            let (ecosystem, package) = (affected.package.ecosystem, affected.package.name);
            let at = *seen.entry((osv.id.clone(), ecosystem.clone(), package.clone())).or_insert_with(|| {
                let (id, aliases) = (osv.id.clone(), osv.aliases.clone());
                out.push(Advisory { id, aliases, ecosystem, package, affected: AffectedReleases::default() });
                out.len() - 1
            });
            let releases = &mut out[at].affected;
            releases.versions.extend(affected.versions);
            releases.ranges.extend(
                affected.ranges.into_iter().filter(|r| r.kind == "ECOSYSTEM" || r.kind == "SEMVER").map(|r| {
                    r.events
                        .into_iter()
                        .filter_map(|e| match (e.introduced, e.fixed, e.last_affected) {
                            (Some(v), _, _) => Some(OsvEvent::Introduced(v)),
                            (_, Some(v), _) => Some(OsvEvent::Fixed(v)),
                            (_, _, Some(v)) => Some(OsvEvent::LastAffected(v)),
                            // `limit` bounds only `GIT` ranges.
                            _ => None,
                        })
                        .collect()
                }),
            );
        }
    };
    const EXPECTED: &str = "expected an OSV record (`id`, `affected[].package`)";
    // A whole file of one record; `at` names it in errors.
    let record = |text: &str, at: &Path| {
        serde_json::from_str::<Osv>(text)
            .map_err(|e| Error::parse(Location::line(at, e.line() as u64), format!("{EXPECTED}: {e}")))
    };
    if path.is_dir() {
        let mut files: Vec<_> = std::fs::read_dir(path)
            .map_err(|e| Error::io(path, e))?
            .map(|entry| entry.map(|e| e.path()).map_err(|e| Error::io(path, e)))
            .collect::<Result<_>>()?;
        files.retain(|f| f.extension().is_some_and(|e| e == "json"));
        files.sort();
        for file in files {
            add(record(&std::fs::read_to_string(&file).map_err(|e| Error::io(&file, e))?, &file)?);
        }
        return Ok(out);
    }
    if path.extension().is_some_and(|e| e == "json") {
        add(record(&std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?, path)?);
        return Ok(out);
    }
    if path.extension().is_some_and(|e| e == "zip") {
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let bad_zip = |e: zip::result::ZipError| {
            Error::parse(Location::file(path), format!("expected a zip of OSV records: {e}"))
        };
        let mut archive = zip::ZipArchive::new(file).map_err(bad_zip)?;
        let mut names: Vec<String> =
            archive.file_names().filter(|n| n.ends_with(".json")).map(str::to_string).collect();
        names.sort();
        for name in names {
            let mut text = String::new();
            archive.by_name(&name).map_err(bad_zip)?.read_to_string(&mut text).map_err(|e| Error::io(path, e))?;
            add(record(&text, &path.join(&name))?);
        }
        return Ok(out);
    }
    for (i, line) in super::open(path, &ReadOptions::default())?.lines().enumerate() {
        let line = line.map_err(|e| Error::io(path, e))?;
        if line.trim().is_empty() {
            continue;
        }
        let osv = serde_json::from_str(&line)
            .map_err(|e| Error::parse(Location::line(path, i as u64 + 1), format!("{EXPECTED} on one line: {e}")))?;
        add(osv);
    }
    Ok(out)
}

/// The alias file (both sections optional).
///
/// - `[projects]`: each key a project name, its value the packages (`ecosystem/name`) that
///   belong to it; each brings its whole derived project (Debian source, repository).
/// - `[bindings]`: each key a package that binds native libraries, its value the libraries it
///   links: a dependency edge across ecosystems, so that a library's reach runs on through its
///   bindings rather than by calling a binding part of the library's project.
///
/// ```toml
/// [projects]
/// xz = ["debian/liblzma5"]
///
/// [bindings]
/// "crates/lzma-sys" = ["debian/liblzma5"]
/// "pypi/pycurl" = ["debian/libcurl4"]
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aliases {
    /// Project name → its packages.
    #[serde(default)]
    pub projects: BTreeMap<String, Vec<String>>,
    /// Binding package → the native libraries it links.
    #[serde(default)]
    pub bindings: BTreeMap<String, Vec<String>>,
}

/// Reads an [`Aliases`] file.
pub fn read_aliases(path: &Path) -> Result<Aliases> {
    read_toml(path)
}

/// Reads a TOML file into `T`; a syntax or schema error names the file and line.
pub fn read_toml<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    toml::from_str(&text).map_err(|e| {
        let line = e.span().map_or(0, |span| text[..span.start].matches('\n').count() as u64 + 1);
        let at = if line > 0 { Location::line(path, line) } else { Location::file(path) };
        Error::parse(at, e.message().to_string())
    })
}
