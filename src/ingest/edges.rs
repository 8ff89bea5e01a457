//! Edge lists, in two shapes told apart by the header.
//!
//! - A generic edge list: CSV rows `dependent,dependency[,kind]`, with an optional header row
//!   of exactly those words. `kind` is `normal` (the default when absent or empty), `build`,
//!   `dev`, `recommends`, `peer`, or `optional` (a normal dependency that is optional). A name
//!   qualified with a known ecosystem (`npm/lodash`, `debian/libssl3`) belongs to that
//!   ecosystem; any other name belongs to the `generic` ecosystem.
//! - The table `keystone edges` writes, as CSV, whose header is [`TABLE`]: every package with
//!   its version, project, maintainers and releases, every edge with its requirement and its
//!   flags as recorded, so that it reads back into the same graph.

use std::collections::BTreeMap;
use std::path::Path;

use super::{csv_rows, BadRecords, Ingest, ReadOptions, Stream};
use crate::error::Result;
use crate::model::{DepKind, Dependency, Ecosystem, Ingested, PackageRecord};
use crate::progress::{Progress, Work};

/// The columns of the table `keystone edges` writes.
pub const TABLE: [&str; 12] = [
    "ecosystem",
    "package",
    "version",
    "project",
    "maintainers",
    "releases",
    "dependency_ecosystem",
    "dependency",
    "requirement",
    "admits_latest",
    "floats",
    "unreadable",
];

/// The edge-list format.
#[derive(Debug, Clone, Copy)]
pub struct Edges;

impl Ingest for Edges {
    fn read_stream(&self, input: Stream, path: &Path, opts: &ReadOptions, progress: &dyn Progress) -> Result<Ingested> {
        progress.phase("read edge list", Work::Bytes(input.meter().clone()));
        let mut csv = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(input);
        let mut bad = BadRecords::new(opts);
        let mut packages: BTreeMap<(Ecosystem, String), PackageRecord> = BTreeMap::new();
        let (mut first, mut table) = (true, false);
        csv_rows(&mut csv, path, &mut bad, |row| {
            if std::mem::take(&mut first) {
                table = row.iter().eq(TABLE);
                if table || (&row[0] == "dependent" && row.get(1) == Some("dependency")) {
                    return Ok(());
                }
            }
            let (dependent, dep) = if table { parse_table_row(row, &mut packages)? } else { parse_row(row)? };
            let Some(dep) = dep else { return Ok(()) };
            let target = (dep.ecosystem.unwrap_or(Ecosystem::Generic), dep.name.clone());
            packages.entry(target.clone()).or_insert_with(|| PackageRecord::new(target.0, target.1, None, Vec::new()));
            let (ecosystem, name) = dependent;
            packages
                .entry((ecosystem, name.clone()))
                .or_insert_with(|| PackageRecord::new(ecosystem, name, None, Vec::new()))
                .deps
                .push(dep);
            Ok(())
        })?;
        Ok(Ingested { packages: packages.into_values().collect(), skipped: bad.finish() })
    }
}

/// The ecosystem and name of a possibly qualified name.
fn qualified(name: &str) -> (Ecosystem, String) {
    match Ecosystem::split_qualified(name) {
        Some((ecosystem, rest)) => (ecosystem, rest.to_string()),
        None => (Ecosystem::Generic, name.to_string()),
    }
}

/// A row of the generic shape: the dependent and its dependency.
fn parse_row(row: &csv::StringRecord) -> Result<((Ecosystem, String), Option<Dependency>), String> {
    if !(2..=3).contains(&row.len()) {
        return Err(format!("expected 2 or 3 fields `dependent,dependency[,kind]`, found {}", row.len()));
    }
    let (dependent, dependency) = (row[0].trim(), row[1].trim());
    if dependent.is_empty() || dependency.is_empty() {
        return Err("expected non-empty `dependent` and `dependency` names".to_string());
    }
    let (kind, optional) = match row.get(2).map(str::trim).unwrap_or_default() {
        "" => (DepKind::Normal, false),
        "optional" => (DepKind::Normal, true),
        other => (other.parse::<DepKind>().map_err(|e| format!("{e}, or optional"))?, false),
    };
    let (ecosystem, name) = qualified(dependency);
    let dep = Dependency { ecosystem: Some(ecosystem), ..Dependency::new(name, kind, optional, None) };
    Ok((qualified(dependent), Some(dep)))
}

/// A row of keystone's own table: the package's record is made (or found) in `packages` with
/// the row's package cells, and the row's edge, if it has one, is returned.
fn parse_table_row(
    row: &csv::StringRecord,
    packages: &mut BTreeMap<(Ecosystem, String), PackageRecord>,
) -> Result<((Ecosystem, String), Option<Dependency>), String> {
    if row.len() != TABLE.len() {
        return Err(format!("expected the {} columns of the header, found {}", TABLE.len(), row.len()));
    }
    let ecosystem = |cell: &str| cell.parse::<Ecosystem>().map_err(|e| e.to_string());
    let optional = |cell: &str| (!cell.is_empty()).then(|| cell.to_string());
    let list = |cell: &str| cell.split_whitespace().map(str::to_string).collect::<Vec<_>>();
    let key = (ecosystem(&row[0])?, row[1].to_string());
    if key.1.is_empty() {
        return Err("expected a non-empty `package`".to_string());
    }
    // A package's cells repeat on each of its rows; it may also have been named as a
    // dependency before its own rows.
    let record =
        packages.entry(key.clone()).or_insert_with(|| PackageRecord::new(key.0, key.1.clone(), None, Vec::new()));
    record.version = optional(&row[2]);
    record.project = optional(&row[3]);
    record.maintainers = list(&row[4]);
    record.releases = list(&row[5]);
    if row[7].is_empty() {
        return Ok((key, None));
    }
    let flag = |i: usize| match &row[i] {
        "true" => Ok(true),
        "false" => Ok(false),
        other => Err(format!("`{}` is `{other}`, expected true or false", TABLE[i])),
    };
    let flags = u8::from(flag(9)?) | u8::from(flag(10)?) << 1 | u8::from(flag(11)?) << 2;
    let dep = Dependency {
        ecosystem: Some(ecosystem(&row[6])?),
        flags: Some(flags),
        ..Dependency::new(&row[7], DepKind::Normal, false, optional(&row[8]))
    };
    Ok((key, Some(dep)))
}
