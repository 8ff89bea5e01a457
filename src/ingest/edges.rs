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

use std::io::BufRead;
use std::path::Path;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::lines::{batches, Batch};
use super::{csv_rows, BadRecords, Ingest, ReadOptions, Stream};
use crate::error::{Error, Location, Result};
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
    fn read_stream(
        &self,
        mut input: Stream,
        path: &Path,
        opts: &ReadOptions,
        progress: &dyn Progress,
    ) -> Result<Ingested> {
        progress.phase("read edge list", Work::Bytes(input.meter().clone()));
        let head = input.fill_buf().map_err(|e| Error::io(path, e))?;
        let first = head.split(|&b| b == b'\n').next().unwrap_or_default();
        let mut bad = BadRecords::new(opts);
        let mut packages = Packages::default();
        if first.strip_suffix(b"\r").unwrap_or(first) == TABLE.join(",").as_bytes() {
            let mut csv = csv::ReaderBuilder::new().from_reader(input);
            csv_rows(&mut csv, path, &mut bad, |row| table_row(row, &mut packages))?;
        } else {
            for batch in batches(input, path, opts.max_record_bytes) {
                let batch = batch?;
                for (line, row) in generic_rows(&batch) {
                    match row {
                        Ok(None) => {}
                        Ok(Some(row)) => {
                            let (ecosystem, name) = qualified(&row.dependency);
                            let to = packages.id(ecosystem, name);
                            let (ecosystem, name) = qualified(&row.dependent);
                            let from = packages.id(ecosystem, name);
                            packages.edges.push((from, to, row.kind, row.optional));
                        }
                        Err(message) => bad.record(Error::parse(Location::line(path, line), message))?,
                    }
                }
            }
        }
        Ok(Ingested { packages: packages.finish(), skipped: bad.finish() })
    }
}

/// Package records by ecosystem and name, in the order first named, and the edges of the
/// generic shape between them, given to the records at the end.
#[derive(Default)]
struct Packages {
    /// Each ecosystem's names (indexed by ecosystem) and their records' places.
    ids: Vec<FxHashMap<Box<str>, u32>>,
    records: Vec<PackageRecord>,
    /// Dependent, dependency, kind, and whether it is optional.
    edges: Vec<(u32, u32, DepKind, bool)>,
}

impl Packages {
    /// The place of `name`'s record, made empty if it is new.
    fn id(&mut self, ecosystem: Ecosystem, name: &str) -> u32 {
        if self.ids.is_empty() {
            self.ids = Ecosystem::ALL.iter().map(|_| FxHashMap::default()).collect();
        }
        let ids = &mut self.ids[ecosystem as usize];
        match ids.get(name) {
            Some(&id) => id,
            None => {
                let id = self.records.len() as u32;
                ids.insert(name.into(), id);
                self.records.push(PackageRecord::new(ecosystem, name.to_string(), None, Vec::new()));
                id
            }
        }
    }

    /// The records, each with its edges after any it was given directly.
    fn finish(mut self) -> Vec<PackageRecord> {
        let mut counts = vec![0usize; self.records.len()];
        self.edges.iter().for_each(|&(from, ..)| counts[from as usize] += 1);
        self.records.iter_mut().zip(counts).for_each(|(record, count)| record.deps.reserve_exact(count));
        for (from, to, kind, optional) in self.edges {
            let target = &self.records[to as usize];
            let dep = Dependency {
                ecosystem: Some(target.ecosystem),
                ..Dependency::new(target.name.clone(), kind, optional, None)
            };
            self.records[from as usize].deps.push(dep);
        }
        self.records
    }
}

/// The ecosystem and name of a possibly qualified name.
fn qualified(name: &str) -> (Ecosystem, &str) {
    Ecosystem::split_qualified(name).unwrap_or((Ecosystem::Generic, name))
}

/// A row of the generic shape.
struct Row<'a> {
    dependent: std::borrow::Cow<'a, str>,
    dependency: std::borrow::Cow<'a, str>,
    kind: DepKind,
    optional: bool,
}

/// The rows of a batch of the generic shape with their line numbers, parsed in parallel: none
/// for a blank line or the header. A line without quotes is split at its commas; one with
/// quotes is read as CSV.
fn generic_rows(batch: &Batch) -> Vec<(u64, Result<Option<Row<'_>>, String>)> {
    let lines: Vec<(u64, &[u8])> = batch.lines().collect();
    lines
        .par_iter()
        .map(|&(no, line)| {
            let row = if line.is_empty() {
                Ok(None)
            } else if line.contains(&b'"') {
                quoted_row(no, line)
            } else {
                std::str::from_utf8(line)
                    .map_err(|e| format!("expected a CSV row: invalid UTF-8: {e}"))
                    .and_then(|line| parse_row(no, &line.split(',').collect::<Vec<_>>()))
            };
            (no, row)
        })
        .collect()
}

/// Line `no`, which has quotes, read as CSV.
fn quoted_row(no: u64, line: &[u8]) -> Result<Option<Row<'static>>, String> {
    let mut csv = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(line);
    let mut record = csv::StringRecord::new();
    match csv.read_record(&mut record) {
        Ok(_) => {
            let fields: Vec<&str> = record.iter().collect();
            parse_row(no, &fields).map(|row| row.map(Row::into_owned))
        }
        Err(e) => Err(format!("expected a CSV row: {e}")),
    }
}

impl Row<'_> {
    fn into_owned(self) -> Row<'static> {
        Row { dependent: self.dependent.into_owned().into(), dependency: self.dependency.into_owned().into(), ..self }
    }
}

/// Line `no` of the generic shape: the dependent and its dependency, with the kind; none for
/// the header.
fn parse_row<'a>(no: u64, row: &[&'a str]) -> Result<Option<Row<'a>>, String> {
    if no == 1 && row.len() >= 2 && row[0] == "dependent" && row[1] == "dependency" {
        return Ok(None);
    }
    if !(2..=3).contains(&row.len()) {
        return Err(format!("expected 2 or 3 fields `dependent,dependency[,kind]`, found {}", row.len()));
    }
    let (dependent, dependency) = (row[0].trim(), row[1].trim());
    if dependent.is_empty() || dependency.is_empty() {
        return Err("expected non-empty `dependent` and `dependency` names".to_string());
    }
    let (kind, optional) = match row.get(2).map(|k| k.trim()).unwrap_or_default() {
        "" => (DepKind::Normal, false),
        "optional" => (DepKind::Normal, true),
        other => (other.parse::<DepKind>().map_err(|e| format!("{e}, or optional"))?, false),
    };
    Ok(Some(Row { dependent: dependent.into(), dependency: dependency.into(), kind, optional }))
}

/// A row of keystone's own table: the package's record is made (or found) in `packages` with
/// the row's package cells, and given the row's edge, if it has one.
fn table_row(row: &csv::StringRecord, packages: &mut Packages) -> Result<(), String> {
    if row.len() != TABLE.len() {
        return Err(format!("expected the {} columns of the header, found {}", TABLE.len(), row.len()));
    }
    let ecosystem = |cell: &str| cell.parse::<Ecosystem>().map_err(|e| e.to_string());
    let optional = |cell: &str| (!cell.is_empty()).then(|| cell.to_string());
    let list = |cell: &str| cell.split_whitespace().map(str::to_string).collect::<Vec<_>>();
    let (package_ecosystem, package) = (ecosystem(&row[0])?, &row[1]);
    if package.is_empty() {
        return Err("expected a non-empty `package`".to_string());
    }
    // A package's cells repeat on each of its rows; it may also have been named as a
    // dependency before its own rows.
    let id = packages.id(package_ecosystem, package) as usize;
    let record = &mut packages.records[id];
    record.version = optional(&row[2]);
    record.project = optional(&row[3]);
    record.maintainers = list(&row[4]);
    record.releases = list(&row[5]);
    if row[7].is_empty() {
        return Ok(());
    }
    let flag = |i: usize| match &row[i] {
        "true" => Ok(true),
        "false" => Ok(false),
        other => Err(format!("`{}` is `{other}`, expected true or false", TABLE[i])),
    };
    let flags = u8::from(flag(9)?) | u8::from(flag(10)?) << 1 | u8::from(flag(11)?) << 2;
    let target = ecosystem(&row[6])?;
    let dep = Dependency {
        ecosystem: Some(target),
        flags: Some(flags),
        ..Dependency::new(&row[7], DepKind::Normal, false, optional(&row[8]))
    };
    packages.id(target, &row[7]);
    packages.records[id].deps.push(dep);
    Ok(())
}
