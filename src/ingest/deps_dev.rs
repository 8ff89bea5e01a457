//! deps.dev's BigQuery dataset (`bigquery-public-data.deps_dev_v1`) as a user exports it: a
//! folder of exported tables, each file named by its table (`PackageVersions…`,
//! `Dependencies…`, as BigQuery names the shards of an export), in newline-delimited JSON with
//! nested records or in CSV with the nested fields flattened (`VersionInfo.IsRelease` or
//! `IsRelease`, `Dependency.Name` or `DependencyName`, …), plain or compressed. Columns are read
//! by name; integers may be JSON numbers or strings (BigQuery writes `INT64` as strings).
//!
//! - `PackageVersions` (`System`, `Name`, `Version`, `VersionInfo{IsRelease, Ordinal}`) gives
//!   each package's releases and its latest: the release (`IsRelease`) of highest `Ordinal`,
//!   or, for a package with no release, its version of highest `Ordinal`.
//! - `Dependencies` (`System`, `Name`, `Version`, `Dependency{System, Name, Version}`,
//!   `MinimumDepth`) gives the edges: the rows of each package's latest version with
//!   `MinimumDepth` 1 (its direct dependencies, as deps.dev resolved them). The table holds
//!   resolved versions, not requirements: every edge admits every release and floats, so
//!   `floating_reach` equals reach on these graphs.
//!
//! `System` names the ecosystem: `NPM`, `MAVEN`, `PYPI`, `CARGO`, `GO`, `NUGET`, `RUBYGEMS`.
//! Another is a bad record, as is a row missing a column its table needs; a file whose name
//! names no table is an error. docs/reference.md gives the queries that make each export.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Deserialize;

use super::{archive, csv_rows, lines, open, BadRecords, Ingest, ReadOptions, Stream};
use crate::error::{Error, Location, Result};
use crate::model::{DepKind, Dependency, Ecosystem, Ingested, PackageRecord};
use crate::progress::{Progress, Work};

/// The deps.dev export format.
#[derive(Debug, Clone, Copy)]
pub struct DepsDev;

/// The tables read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Table {
    PackageVersions,
    Dependencies,
}

impl Table {
    /// The table a file's name names, by its start (any case).
    fn of(file: &Path) -> Option<Table> {
        let name = file.file_name()?.to_str()?.to_ascii_lowercase();
        if name.starts_with("packageversions") {
            Some(Table::PackageVersions)
        } else if name.starts_with("dependencies") {
            Some(Table::Dependencies)
        } else {
            None
        }
    }
}

/// deps.dev's `System` values and their ecosystems.
const SYSTEMS: [(&str, Ecosystem); 7] = [
    ("NPM", Ecosystem::Npm),
    ("MAVEN", Ecosystem::Maven),
    ("PYPI", Ecosystem::Pypi),
    ("CARGO", Ecosystem::Crates),
    ("GO", Ecosystem::Go),
    ("NUGET", Ecosystem::Nuget),
    ("RUBYGEMS", Ecosystem::Rubygems),
];

fn system(value: &str) -> Result<Ecosystem, String> {
    SYSTEMS.iter().find(|(s, _)| s.eq_ignore_ascii_case(value)).map(|&(_, e)| e).ok_or_else(|| {
        let names: Vec<&str> = SYSTEMS.iter().map(|(s, _)| *s).collect();
        format!("System `{value}` is not one keystone reads ({})", names.join(", "))
    })
}

/// An integer as BigQuery writes one: a number, or a string of one.
#[derive(Deserialize)]
#[serde(untagged)]
enum Int {
    Number(i64),
    Text(String),
}

impl Int {
    fn value(&self, column: &str) -> Result<i64, String> {
        match self {
            Int::Number(n) => Ok(*n),
            Int::Text(t) => t.trim().parse().map_err(|_| format!("`{column}` is `{t}`, expected an integer")),
        }
    }
}

/// A row of either table, as JSON: nested records or flattened columns.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct JsonRow {
    system: Option<String>,
    name: Option<String>,
    version: Option<String>,
    version_info: Option<JsonInfo>,
    is_release: Option<bool>,
    ordinal: Option<Int>,
    dependency: Option<JsonPackage>,
    dependency_system: Option<String>,
    dependency_name: Option<String>,
    minimum_depth: Option<Int>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct JsonInfo {
    is_release: Option<bool>,
    ordinal: Option<Int>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct JsonPackage {
    system: Option<String>,
    name: Option<String>,
}

/// One row, checked: a package version of `PackageVersions`, or a direct dependency of
/// `Dependencies`.
enum Row {
    Version {
        package: (Ecosystem, String),
        version: String,
        release: bool,
        ordinal: i64,
    },
    Dependency {
        package: (Ecosystem, String),
        version: String,
        on: (Ecosystem, String),
    },
    /// A `Dependencies` row deeper than 1: not an edge.
    Indirect,
}

fn required(value: Option<String>, column: &str) -> Result<String, String> {
    value.filter(|v| !v.trim().is_empty()).ok_or_else(|| format!("expected a `{column}`"))
}

impl JsonRow {
    fn row(self, table: Table) -> Result<Row, String> {
        let package = (system(&required(self.system, "System")?)?, required(self.name, "Name")?);
        let version = required(self.version, "Version")?;
        match table {
            Table::PackageVersions => {
                let (info_release, info_ordinal) =
                    self.version_info.map_or((None, None), |i| (i.is_release, i.ordinal));
                let release = info_release.or(self.is_release).ok_or("expected `VersionInfo.IsRelease`")?;
                let ordinal = info_ordinal.or(self.ordinal).ok_or("expected `VersionInfo.Ordinal`")?;
                Ok(Row::Version { package, version, release, ordinal: ordinal.value("VersionInfo.Ordinal")? })
            }
            Table::Dependencies => {
                let depth = self.minimum_depth.ok_or("expected `MinimumDepth`")?.value("MinimumDepth")?;
                if depth != 1 {
                    return Ok(Row::Indirect);
                }
                let (dep_system, dep_name) = self.dependency.map_or((None, None), |d| (d.system, d.name));
                let on_system = system(&required(dep_system.or(self.dependency_system), "Dependency.System")?)?;
                let on = (on_system, required(dep_name.or(self.dependency_name), "Dependency.Name")?);
                Ok(Row::Dependency { package, version, on })
            }
        }
    }
}

/// The columns of a CSV export read, each by any of its names, into a [`JsonRow`]'s fields.
const CSV_COLUMNS: [&[&str]; 9] = [
    &["System"],
    &["Name"],
    &["Version"],
    &["VersionInfo.IsRelease", "VersionInfo_IsRelease", "IsRelease"],
    &["VersionInfo.Ordinal", "VersionInfo_Ordinal", "Ordinal"],
    &["Dependency.System", "Dependency_System", "DependencySystem"],
    &["Dependency.Name", "Dependency_Name", "DependencyName"],
    &["MinimumDepth"],
    // Unused, but named so that an export of the whole table reads without complaint.
    &["Dependency.Version", "Dependency_Version", "DependencyVersion"],
];

/// A package's latest version so far (its rank: is a release, then `Ordinal`), its releases,
/// and the dependencies of its latest version once known.
#[derive(Default)]
struct Seen {
    latest: Option<((bool, i64), String)>,
    releases: Vec<(i64, String)>,
    deps: Vec<(Ecosystem, String)>,
}

impl Ingest for DepsDev {
    fn read_stream(
        &self,
        _input: Stream,
        path: &Path,
        _opts: &ReadOptions,
        _progress: &dyn Progress,
    ) -> Result<Ingested> {
        Err(Error::parse(
            Location::file(path),
            "a deps.dev export is a folder of its tables (files named PackageVersions… and Dependencies…)",
        ))
    }

    fn read(&self, path: &Path, opts: &ReadOptions, progress: &dyn Progress) -> Result<Ingested> {
        if !path.is_dir() {
            return self.read_stream(open(path, opts)?, path, opts, progress);
        }
        let mut tables: Vec<(Table, PathBuf)> = Vec::new();
        for (file, _) in archive::files(path)? {
            let table = Table::of(&file).ok_or_else(|| {
                Error::parse(
                    Location::file(path.join(&file)),
                    "expected a deps.dev table export, named PackageVersions… or Dependencies…",
                )
            })?;
            tables.push((table, path.join(file)));
        }
        if !tables.iter().any(|(t, _)| *t == Table::PackageVersions) {
            return Err(Error::parse(
                Location::file(path),
                "expected a PackageVersions table: it says which version is the latest",
            ));
        }
        // Versions first: the latest of each package decides which dependency rows count.
        tables.sort_by_key(|(t, _)| *t == Table::Dependencies);
        let mut bad = BadRecords::new(opts);
        let mut packages: FxHashMap<(Ecosystem, String), Seen> = FxHashMap::default();
        for (table, file) in &tables {
            let stream = open(file, opts)?;
            progress.phase(&format!("read {}", file.display()), Work::Bytes(stream.meter().clone()));
            let each = |row: Row| match row {
                Row::Version { package, version, release, ordinal } => {
                    let seen = packages.entry(package).or_default();
                    let rank = (release, ordinal);
                    if seen.latest.as_ref().is_none_or(|(best, _)| *best < rank) {
                        seen.latest = Some((rank, version.clone()));
                    }
                    if release {
                        seen.releases.push((ordinal, version));
                    }
                }
                Row::Dependency { package, version, on } => {
                    if let Some(seen) = packages.get_mut(&package) {
                        if seen.latest.as_ref().is_some_and(|(_, latest)| *latest == version) {
                            seen.deps.push(on);
                        }
                    }
                }
                Row::Indirect => {}
            };
            read_table(stream, file, *table, opts, &mut bad, each)?;
        }
        let mut records: Vec<PackageRecord> = packages
            .into_iter()
            .map(|((ecosystem, name), mut seen)| {
                seen.deps.sort_unstable();
                seen.deps.dedup();
                let deps = seen
                    .deps
                    .into_iter()
                    .map(|(on, dep)| Dependency {
                        ecosystem: (on != ecosystem).then_some(on),
                        ..Dependency::new(&dep, DepKind::Normal, false, None)
                    })
                    .collect();
                let version = seen.latest.map(|(_, v)| v);
                let mut record = PackageRecord::new(ecosystem, name, version, deps);
                seen.releases.sort_unstable();
                record.releases = seen.releases.into_iter().map(|(_, v)| v).collect();
                record
            })
            .collect();
        records.sort_unstable_by(|a, b| (a.ecosystem, &a.name).cmp(&(b.ecosystem, &b.name)));
        Ok(Ingested { packages: records, edges: Vec::new(), skipped: bad.finish() })
    }
}

/// Reads one table file, CSV when its name says `.csv`, else JSON lines, calling `each` with
/// every good row.
fn read_table(
    stream: Stream,
    file: &Path,
    table: Table,
    opts: &ReadOptions,
    bad: &mut BadRecords,
    mut each: impl FnMut(Row),
) -> Result<()> {
    let csv = file.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.to_ascii_lowercase().contains(".csv"));
    if csv {
        let mut reader = csv::ReaderBuilder::new().from_reader(stream);
        let header = reader
            .headers()
            .map_err(|e| Error::parse(Location::line(file, 1), format!("expected a CSV header row: {e}")))?
            .clone();
        let at: Vec<Option<usize>> =
            CSV_COLUMNS.iter().map(|names| header.iter().position(|h| names.contains(&h.trim()))).collect();
        return csv_rows(&mut reader, file, bad, |record| {
            let get =
                |i: usize| at[i].and_then(|c| record.get(c)).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
            let boolean = |i: usize| match get(i).as_deref() {
                None => Ok(None),
                Some("true" | "TRUE" | "True") => Ok(Some(true)),
                Some("false" | "FALSE" | "False") => Ok(Some(false)),
                Some(other) => Err(format!("`{}` is `{other}`, expected true or false", CSV_COLUMNS[i][0])),
            };
            let row = JsonRow {
                system: get(0),
                name: get(1),
                version: get(2),
                version_info: None,
                is_release: boolean(3)?,
                ordinal: get(4).map(Int::Text),
                dependency: None,
                dependency_system: get(5),
                dependency_name: get(6),
                minimum_depth: get(7).map(Int::Text),
            };
            each(row.row(table)?);
            Ok(())
        });
    }
    for batch in lines::batches(stream, file, opts.max_record_bytes) {
        let batch = batch?;
        let parsed: Vec<(u64, Result<Row, String>)> = batch
            .lines()
            .filter(|(_, l)| !l.iter().all(u8::is_ascii_whitespace))
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|(no, line)| {
                let row = serde_json::from_slice::<JsonRow>(line)
                    .map_err(|e| format!("expected a deps.dev row (a JSON object): {e}"))
                    .and_then(|r| r.row(table));
                (no, row)
            })
            .collect();
        for (no, row) in parsed {
            match row {
                Ok(row) => each(row),
                Err(message) => bad.record(Error::parse(Location::line(file, no), message))?,
            }
        }
    }
    Ok(())
}
