//! deps.dev's BigQuery dataset (`bigquery-public-data.deps_dev_v1`) as a user exports it: a
//! folder of exported tables, each file named by its table (`PackageVersions…`,
//! `Dependencies…`, …, as BigQuery names the shards of an export), in newline-delimited JSON with
//! nested records, in Parquet (nested records or flattened columns; Snappy, gzip or zstd inside),
//! or in CSV with the nested fields flattened (`VersionInfo.IsRelease` or `IsRelease`,
//! `Dependency.Name` or `DependencyName`, …), plain or compressed. Columns are read
//! by name; integers may be JSON numbers or strings (BigQuery writes `INT64` as strings).
//!
//! - `PackageVersions` (`System`, `Name`, `Version`, `VersionInfo{IsRelease, Ordinal}`) gives
//!   each package's releases and its latest: the release (`IsRelease`) of highest `Ordinal`,
//!   or, for a package with no release, its version of highest `Ordinal`.
//! - `Dependencies` (`System`, `Name`, `Version`, `Dependency{System, Name, Version}`,
//!   `MinimumDepth`) gives the edges: the rows of each package's latest version with
//!   `MinimumDepth` 1 (its direct dependencies, as deps.dev resolved them). The table holds
//!   resolved versions, not requirements. For Maven, Go and NuGet, where a plain version is a
//!   requirement that resolution keeps (a soft version, a minimum), the resolved version stands
//!   for the requirement; for npm, PyPI and Cargo the requirement is unknown, and such an edge
//!   admits every release and floats.
//! - `DependencyGraphEdges` (`System`, `Name`, `Version`, `From{System, Name, Version}`,
//!   `To{System, Name, Version}`, `Requirement`) gives edges with their requirements: the edges
//!   of each package's latest version's resolved graph that leave the package itself (its direct
//!   dependencies).
//! - `GoRequirements`, `NuGetRequirements` and `RubyGemsRequirements` (`Name`, `Version` and the
//!   requirements as each registry publishes them: Go's `DirectDependencies{Name,
//!   Requirement}`, NuGet's `DependencyGroups{TargetFramework, Dependencies{Name,
//!   Requirement}}`, RubyGems' `RuntimeDependencies{Name, Requirement}`; or flattened, one
//!   requirement a row, as `DependencyName` and `Requirement`) give the edges of the
//!   ecosystems deps.dev resolves no graph for: each package's latest version's requirements,
//!   read by the ecosystem's own rules. The table names the ecosystem; it has no `System`.
//!   NuGet's groups are joined (a dependency of any target framework is an edge). Not read, by
//!   choice: Go's `// indirect` requirements (its dependencies' needs, which the graph reaches
//!   through them where they publish them, so a dependency without a `go.mod` may be
//!   undercounted), its `replace` and `exclude` directives (which bind only a main module) and
//!   RubyGems' development dependencies (never installed for a dependent).
//! - `PackageVersionToProject` (`System`, `Name`, `Version`, `ProjectType`, `ProjectName`,
//!   `RelationType`) gives each package's upstream project: the source repository
//!   (`RelationType` `SOURCE_REPO_TYPE`; `ProjectType` `GITHUB`, `GITLAB` or `BITBUCKET`) of
//!   its latest version, as a normalised address (`github.com/serde-rs/serde`).
//!
//! Where one edge is given more than once (by two tables, or two NuGet groups), the rows of the
//! best kind are kept: a known requirement over none, one as written over a resolved version
//! standing for it. Their distinct requirements all count: the edge admits or floats if one
//! does.
//!
//! `System` names the ecosystem: `NPM`, `MAVEN`, `PYPI`, `CARGO`, `GO`, `NUGET`, `RUBYGEMS`.
//! Another is a bad record, as is a row missing a column its table needs; a file whose name
//! names no table is an error. docs/reference.md gives the queries that make each export.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Deserialize;

use super::{archive, csv_rows, lines, open, BadRecords, Ingest, ReadOptions, Stream};
use crate::error::{Error, Location, Result};
use crate::model::{normalize_name, normalize_repository, DepKind, Dependency, Ecosystem, Ingested, PackageRecord};
use crate::progress::{Progress, Work};

/// The deps.dev export format.
#[derive(Debug, Clone, Copy)]
pub struct DepsDev;

/// The tables read, in the order they are read: versions first, since the latest version of
/// each package decides which rows of the others count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Table {
    PackageVersions,
    Dependencies,
    DependencyGraphEdges,
    GoRequirements,
    NuGetRequirements,
    RubyGemsRequirements,
    PackageVersionToProject,
}

impl Table {
    /// The table a file's name names, by its start (any case).
    fn of(file: &Path) -> Option<Table> {
        let name = file.file_name()?.to_str()?.to_ascii_lowercase();
        [
            ("packageversiontoproject", Table::PackageVersionToProject),
            ("packageversions", Table::PackageVersions),
            ("dependencygraphedges", Table::DependencyGraphEdges),
            ("dependencies", Table::Dependencies),
            ("gorequirements", Table::GoRequirements),
            ("nugetrequirements", Table::NuGetRequirements),
            ("rubygemsrequirements", Table::RubyGemsRequirements),
        ]
        .into_iter()
        .find(|(prefix, _)| name.starts_with(prefix))
        .map(|(_, table)| table)
    }

    /// The one ecosystem of a requirements table, which has no `System` column.
    fn ecosystem(self) -> Option<Ecosystem> {
        match self {
            Table::GoRequirements => Some(Ecosystem::Go),
            Table::NuGetRequirements => Some(Ecosystem::Nuget),
            Table::RubyGemsRequirements => Some(Ecosystem::Rubygems),
            _ => None,
        }
    }
}

/// Whether `file` is named as a `PackageVersions` export: what makes a folder a deps.dev export.
pub(crate) fn is_versions_table(file: &Path) -> bool {
    Table::of(file) == Some(Table::PackageVersions)
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
    dependency_version: Option<String>,
    minimum_depth: Option<Int>,
    from: Option<JsonPackage>,
    from_name: Option<String>,
    from_version: Option<String>,
    to: Option<JsonPackage>,
    to_system: Option<String>,
    to_name: Option<String>,
    requirement: Option<String>,
    project_type: Option<String>,
    project_name: Option<String>,
    relation_type: Option<String>,
    dependency_groups: Option<Vec<JsonGroup>>,
    direct_dependencies: Option<Vec<JsonRequirement>>,
    runtime_dependencies: Option<Vec<JsonRequirement>>,
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
    version: Option<String>,
}

/// NuGet's requirements for one target framework.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct JsonGroup {
    dependencies: Option<Vec<JsonRequirement>>,
}

/// One raw requirement of a requirements table.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct JsonRequirement {
    name: Option<String>,
    requirement: Option<String>,
}

/// The nested lists of requirements tables, in the order [`JsonRow::flat`] takes them.
const LIST_COLUMNS: [&str; 3] = ["DependencyGroups", "DirectDependencies", "RuntimeDependencies"];

/// One row, checked: a package version, direct dependencies, or a source repository.
enum Row {
    Version {
        package: (Ecosystem, String),
        version: String,
        release: bool,
        ordinal: i64,
    },
    /// Direct dependencies of a version.
    Dependencies {
        package: (Ecosystem, String),
        version: String,
        deps: Vec<Dep>,
    },
    Project {
        package: (Ecosystem, String),
        version: String,
        project: String,
    },
    /// A row that adds nothing: deeper than a direct dependency, or another relation.
    Ignored,
}

fn required(value: Option<String>, column: &str) -> Result<String, String> {
    value.filter(|v| !v.trim().is_empty()).ok_or_else(|| format!("expected a `{column}`"))
}

impl JsonRow {
    fn row(self, table: Table) -> Result<Row, String> {
        let ecosystem = match (table.ecosystem(), self.system.filter(|s| !s.trim().is_empty())) {
            (Some(fixed), None) => fixed,
            (fixed, Some(given)) => match (system(&given)?, fixed) {
                (found, Some(fixed)) if found != fixed => {
                    return Err(format!(
                        "`System` is `{given}` in a {table:?} table, which holds {fixed} packages only"
                    ))
                }
                (found, _) => found,
            },
            (None, None) => return Err("expected a `System`".to_string()),
        };
        let package = (ecosystem, required(self.name, "Name")?);
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
                    return Ok(Row::Ignored);
                }
                let (dep_system, dep_name, dep_version) =
                    self.dependency.map_or((None, None, None), |d| (d.system, d.name, d.version));
                let on_system = system(&required(dep_system.or(self.dependency_system), "Dependency.System")?)?;
                let on = (on_system, required(dep_name.or(self.dependency_name), "Dependency.Name")?);
                // Where a plain version is how the ecosystem writes a requirement and resolution
                // keeps it (Maven's soft version, Go's and NuGet's minimum), the resolved
                // version stands for it; elsewhere the requirement is unknown.
                let requirement = dep_version
                    .or(self.dependency_version)
                    .filter(|_| matches!(on_system, Ecosystem::Maven | Ecosystem::Go | Ecosystem::Nuget));
                Ok(Row::Dependencies { package, version, deps: vec![Dep::new(on, requirement, false)] })
            }
            Table::DependencyGraphEdges => {
                let (from_name, from_version) = self.from.map_or((None, None), |f| (f.name, f.version));
                let from_name = required(from_name.or(self.from_name), "From.Name")?;
                let from_version = required(from_version.or(self.from_version), "From.Version")?;
                if from_name != package.1 || from_version != version {
                    return Ok(Row::Ignored);
                }
                let (to_system, to_name) = self.to.map_or((None, None), |t| (t.system, t.name));
                let on = (
                    system(&required(to_system.or(self.to_system), "To.System")?)?,
                    required(to_name.or(self.to_name), "To.Name")?,
                );
                let requirement = self.requirement.filter(|r| !r.trim().is_empty());
                Ok(Row::Dependencies { package, version, deps: vec![Dep::new(on, requirement, true)] })
            }
            Table::GoRequirements | Table::NuGetRequirements | Table::RubyGemsRequirements => {
                let (mut listed, column) = match table {
                    Table::NuGetRequirements => (
                        self.dependency_groups
                            .into_iter()
                            .flatten()
                            .flat_map(|g| g.dependencies.into_iter().flatten())
                            .collect(),
                        "DependencyGroups.Dependencies.Name",
                    ),
                    Table::GoRequirements => (self.direct_dependencies.unwrap_or_default(), "DirectDependencies.Name"),
                    _ => (self.runtime_dependencies.unwrap_or_default(), "RuntimeDependencies.Name"),
                };
                // A flattened row holds one requirement (or none, for a package without any).
                if let Some(name) = self.dependency.and_then(|d| d.name).or(self.dependency_name) {
                    listed.push(JsonRequirement { name: Some(name), requirement: self.requirement });
                }
                let deps = listed
                    .into_iter()
                    .map(|r| {
                        let on = (ecosystem, required(r.name, column)?);
                        Ok(Dep::new(on, r.requirement.filter(|q| !q.trim().is_empty()), true))
                    })
                    .collect::<Result<_, String>>()?;
                Ok(Row::Dependencies { package, version, deps })
            }
            Table::PackageVersionToProject => {
                if required(self.relation_type, "RelationType")? != "SOURCE_REPO_TYPE" {
                    return Ok(Row::Ignored);
                }
                let host = match required(self.project_type, "ProjectType")?.as_str() {
                    "GITHUB" => "github.com",
                    "GITLAB" => "gitlab.com",
                    "BITBUCKET" => "bitbucket.org",
                    other => return Err(format!("`ProjectType` is `{other}`, expected GITHUB, GITLAB or BITBUCKET")),
                };
                let name = required(self.project_name, "ProjectName")?;
                let project = normalize_repository(&format!("{host}/{name}")).ok_or("expected a `ProjectName`")?;
                Ok(Row::Project { package, version, project })
            }
        }
    }
}

/// The columns of a CSV export read, each by any of its names, into a [`JsonRow`]'s fields.
const CSV_COLUMNS: [&[&str]; 17] = [
    &["System"],
    &["Name"],
    &["Version"],
    &["VersionInfo.IsRelease", "VersionInfo_IsRelease", "IsRelease"],
    &["VersionInfo.Ordinal", "VersionInfo_Ordinal", "Ordinal"],
    &["Dependency.System", "Dependency_System", "DependencySystem"],
    &["Dependency.Name", "Dependency_Name", "DependencyName"],
    &["MinimumDepth"],
    &["From.Name", "From_Name", "FromName"],
    &["From.Version", "From_Version", "FromVersion"],
    &["To.System", "To_System", "ToSystem"],
    &["To.Name", "To_Name", "ToName"],
    &["Requirement"],
    &["ProjectType"],
    &["ProjectName"],
    &["RelationType"],
    &["Dependency.Version", "Dependency_Version", "DependencyVersion"],
];

/// A nested list column's value, read as its JSON shape.
fn from_list<T: serde::de::DeserializeOwned>(value: Option<serde_json::Value>, c: usize) -> Result<Option<T>, String> {
    let value = value.filter(|v| !v.is_null());
    value.map(serde_json::from_value).transpose().map_err(|e| format!("`{}`: {e}", LIST_COLUMNS[c]))
}

impl JsonRow {
    /// A row of flattened columns, each ([`CSV_COLUMNS`] order) as `get` gives it, and of the
    /// nested lists ([`LIST_COLUMNS`] order) as `list` gives them.
    fn flat(
        mut get: impl FnMut(usize) -> Option<String>,
        mut list: impl FnMut(usize) -> Option<serde_json::Value>,
    ) -> Result<JsonRow, String> {
        let is_release = match get(3).as_deref() {
            None => None,
            Some("true" | "TRUE" | "True") => Some(true),
            Some("false" | "FALSE" | "False") => Some(false),
            Some(other) => return Err(format!("`{}` is `{other}`, expected true or false", CSV_COLUMNS[3][0])),
        };
        Ok(JsonRow {
            system: get(0),
            name: get(1),
            version: get(2),
            version_info: None,
            is_release,
            ordinal: get(4).map(Int::Text),
            dependency: None,
            dependency_system: get(5),
            dependency_name: get(6),
            dependency_version: get(16),
            minimum_depth: get(7).map(Int::Text),
            from: None,
            from_name: get(8),
            from_version: get(9),
            to: None,
            to_system: get(10),
            to_name: get(11),
            requirement: get(12),
            project_type: get(13),
            project_name: get(14),
            relation_type: get(15),
            dependency_groups: from_list(list(0), 0)?,
            direct_dependencies: from_list(list(1), 1)?,
            runtime_dependencies: from_list(list(2), 2)?,
        })
    }
}

/// Reads a Parquet export (BigQuery writes Snappy-compressed files by default), nested records
/// or flattened columns, calling `each` with every good row; a bad row is named by its number.
fn read_parquet(file: &Path, table: Table, bad: &mut BadRecords, mut each: impl FnMut(Row)) -> Result<()> {
    use arrow_array::cast::AsArray;
    use arrow_array::{Array, ArrayRef, RecordBatch};
    use arrow_schema::DataType;
    let expected =
        |e: parquet::errors::ParquetError| Error::parse(Location::file(file), format!("expected a Parquet file: {e}"));
    let opened = std::fs::File::open(file).map_err(|e| Error::io(file, e))?;
    // The columns' types come from the Parquet schema itself: an Arrow schema embedded by the
    // writer is not decoded (BigQuery writes none, and a malformed one would panic the decoder).
    let options = parquet::arrow::arrow_reader::ArrowReaderOptions::new().with_skip_arrow_metadata(true);
    let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new_with_options(opened, options)
        .map_err(expected)?
        .build()
        .map_err(expected)?;
    // A column by a dotted path (`VersionInfo.Ordinal`: a field of a nested record).
    fn column<'b>(batch: &'b RecordBatch, path: &str) -> Option<&'b ArrayRef> {
        let mut parts = path.split('.');
        let mut at = batch.column_by_name(parts.next()?)?;
        for part in parts {
            at = at.as_struct_opt()?.column_by_name(part)?;
        }
        Some(at)
    }
    // One value as text; a null (or a null record above it) is none.
    fn text(array: &dyn Array, i: usize) -> Result<Option<String>, String> {
        if array.is_null(i) {
            return Ok(None);
        }
        Ok(Some(match array.data_type() {
            DataType::Utf8 => array.as_string::<i32>().value(i).to_string(),
            DataType::LargeUtf8 => array.as_string::<i64>().value(i).to_string(),
            DataType::Int64 => array.as_primitive::<arrow_array::types::Int64Type>().value(i).to_string(),
            DataType::Int32 => array.as_primitive::<arrow_array::types::Int32Type>().value(i).to_string(),
            DataType::Boolean => array.as_boolean().value(i).to_string(),
            other => return Err(format!("a column of type {other}, expected text, an integer or a boolean")),
        }))
    }
    // One value of a nested list as JSON: records as objects, lists as arrays, the rest as text.
    fn json(array: &dyn Array, i: usize) -> Result<serde_json::Value, String> {
        use serde_json::Value;
        let items = |list: ArrayRef| (0..list.len()).map(|j| json(list.as_ref(), j)).collect::<Result<_, _>>();
        Ok(match array.data_type() {
            _ if array.is_null(i) => Value::Null,
            DataType::Struct(_) => {
                let record = array.as_struct();
                let fields = record.column_names().into_iter().zip(record.columns());
                Value::Object(
                    fields.map(|(n, c)| Ok((n.to_string(), json(c.as_ref(), i)?))).collect::<Result<_, String>>()?,
                )
            }
            DataType::List(_) => Value::Array(items(array.as_list::<i32>().value(i))?),
            DataType::LargeList(_) => Value::Array(items(array.as_list::<i64>().value(i))?),
            _ => text(array, i)?.map_or(Value::Null, Value::String),
        })
    }
    let mut row_number = 0u64;
    for batch in reader {
        let batch = batch.map_err(|e| Error::parse(Location::file(file), format!("expected a Parquet file: {e}")))?;
        let columns: Vec<Option<&ArrayRef>> =
            CSV_COLUMNS.iter().map(|names| names.iter().find_map(|name| column(&batch, name))).collect();
        let lists: Vec<Option<&ArrayRef>> = LIST_COLUMNS.iter().map(|name| batch.column_by_name(name)).collect();
        for i in 0..batch.num_rows() {
            row_number += 1;
            let mut failed = None;
            let mut failed_list = None;
            let get = |c: usize| match columns[c].map(|array| text(array.as_ref(), i)).transpose() {
                Ok(value) => value.flatten(),
                Err(e) => {
                    failed.get_or_insert(format!("`{}`: {e}", CSV_COLUMNS[c][0]));
                    None
                }
            };
            let list = |c: usize| match lists[c].map(|array| json(array.as_ref(), i)).transpose() {
                Ok(value) => value,
                Err(e) => {
                    failed_list.get_or_insert(format!("`{}`: {e}", LIST_COLUMNS[c]));
                    None
                }
            };
            let row = JsonRow::flat(get, list);
            let failed = failed.or(failed_list);
            match (failed, row.and_then(|r| r.row(table))) {
                (None, Ok(row)) => each(row),
                (Some(message), _) | (None, Err(message)) => {
                    bad.record(Error::parse(Location::line(file, row_number), format!("row {row_number}: {message}")))?
                }
            }
        }
    }
    Ok(())
}

/// A package's latest version so far (its rank: is a release, then `Ordinal`), its releases,
/// and the dependencies (with their requirements, where known) and project of its latest
/// version once known.
#[derive(Default)]
struct Seen {
    latest: Option<((bool, i64), String)>,
    releases: Vec<(i64, String)>,
    deps: Vec<Dep>,
    project: Option<String>,
}

/// A direct dependency as one row gives it: its target, and its requirement where known.
struct Dep {
    on: Ecosystem,
    name: String,
    /// The name as its registry reads it, where that differs from `name`.
    read_as: Option<String>,
    /// The requirement is as written, not a resolved version standing for one.
    stated: bool,
    requirement: Option<String>,
}

impl Dep {
    fn new((on, name): (Ecosystem, String), requirement: Option<String>, stated: bool) -> Dep {
        let read_as = match normalize_name(on, &name) {
            Cow::Owned(read_as) if read_as != name => Some(read_as),
            _ => None,
        };
        Dep { on, name, read_as, stated, requirement }
    }

    /// The package depended on, as its registry reads the name.
    fn target(&self) -> (Ecosystem, &str) {
        (self.on, self.read_as.as_deref().unwrap_or(&self.name))
    }

    /// How good the row's requirement is: known over unknown, as written over a resolved
    /// version standing for one.
    fn kind(&self) -> (bool, bool) {
        (self.requirement.is_some(), self.stated)
    }
}

impl Seen {
    fn is_latest(&self, version: &str) -> bool {
        self.latest.as_ref().is_some_and(|(_, latest)| latest == version)
    }
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
                    "expected a deps.dev table export, named PackageVersions…, Dependencies…, DependencyGraphEdges…, GoRequirements…, NuGetRequirements…, RubyGemsRequirements… or PackageVersionToProject…",
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
        tables.sort_by_key(|(t, _)| *t);
        let mut bad = BadRecords::new(opts);
        let mut packages: FxHashMap<(Ecosystem, String), Seen> = FxHashMap::default();
        for (table, file) in &tables {
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
                Row::Dependencies { package, version, deps } => {
                    if let Some(seen) = packages.get_mut(&package).filter(|s| s.is_latest(&version)) {
                        seen.deps.extend(deps);
                    }
                }
                Row::Project { package, version, project } => {
                    if let Some(seen) = packages.get_mut(&package).filter(|s| s.is_latest(&version)) {
                        seen.project.get_or_insert(project);
                    }
                }
                Row::Ignored => {}
            };
            if file.extension().is_some_and(|e| e.eq_ignore_ascii_case("parquet")) {
                progress.phase(&format!("read {}", file.display()), Work::Unmeasured);
                read_parquet(file, *table, &mut bad, each)?;
            } else {
                let stream = open(file, opts)?;
                progress.phase(&format!("read {}", file.display()), Work::Bytes(stream.meter().clone()));
                read_table(stream, file, *table, opts, &mut bad, each)?;
            }
        }
        let mut records: Vec<PackageRecord> = packages
            .into_par_iter()
            .map(|((ecosystem, name), mut seen)| {
                // The rows of each dependency (as its registry reads the name) together, the
                // best kind first; of them, each distinct requirement of the best kind is kept
                // (the graph builder unites their flags: the edge admits or floats if one does).
                seen.deps.sort_unstable_by(|a, b| {
                    (a.target(), b.kind(), &a.requirement, &a.name).cmp(&(
                        b.target(),
                        a.kind(),
                        &b.requirement,
                        &b.name,
                    ))
                });
                seen.deps.dedup_by(|later, kept| {
                    later.target() == kept.target()
                        && (later.kind() < kept.kind() || later.requirement == kept.requirement)
                });
                let deps = seen
                    .deps
                    .into_iter()
                    .map(|d| Dependency {
                        ecosystem: (d.on != ecosystem).then_some(d.on),
                        ..Dependency::new(&d.name, DepKind::Normal, false, d.requirement)
                    })
                    .collect();
                let version = seen.latest.map(|(_, v)| v);
                let mut record = PackageRecord::new(ecosystem, name, version, deps);
                record.project = seen.project;
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
/// every good row (Parquet files are read by [`read_parquet`]).
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
            each(JsonRow::flat(get, |_| None)?.row(table)?);
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
