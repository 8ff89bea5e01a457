//! A generic edge list: CSV rows `dependent,dependency[,kind]`, with an optional header row of
//! exactly those words. `kind` is `normal` (the default when absent or empty), `build`, `dev`,
//! `recommends`, `peer`, or `optional` (a normal dependency that is optional). A name
//! qualified with a known ecosystem (`npm/lodash`, `debian/libssl3`) belongs to that ecosystem,
//! so that `keystone edges` output of a mixed graph reads back as it was; any other name belongs
//! to the `generic` ecosystem.

use std::collections::BTreeMap;
use std::path::Path;

use super::{csv_rows, BadRecords, Ingest, ReadOptions, Stream};
use crate::error::Result;
use crate::model::{DepKind, Dependency, Ecosystem, Ingested, PackageRecord};
use crate::progress::Progress;

/// The edge-list format.
#[derive(Debug, Clone, Copy)]
pub struct Edges;

impl Ingest for Edges {
    fn read_stream(&self, input: Stream, path: &Path, opts: &ReadOptions, progress: &dyn Progress) -> Result<Ingested> {
        progress.phase("read edge list", None);
        let mut csv = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(input);
        let mut bad = BadRecords::new(opts);
        let mut packages: BTreeMap<(Ecosystem, String), Vec<Dependency>> = BTreeMap::new();
        let mut first = true;
        csv_rows(&mut csv, path, &mut bad, |row| {
            progress.advance(1);
            let is_header = first && &row[0] == "dependent" && row.get(1) == Some("dependency");
            first = false;
            if !is_header {
                let (dependent, dep) = parse_row(row)?;
                packages.entry((dep.ecosystem.unwrap_or(Ecosystem::Generic), dep.name.clone())).or_default();
                packages.entry(dependent).or_default().push(dep);
            }
            Ok(())
        })?;
        let packages = packages
            .into_iter()
            .map(|((ecosystem, name), deps)| PackageRecord::new(ecosystem, name, None, deps))
            .collect();
        Ok(Ingested { packages, skipped: bad.finish() })
    }
}

/// The ecosystem and name of a possibly qualified name.
fn qualified(name: &str) -> (Ecosystem, String) {
    match Ecosystem::split_qualified(name) {
        Some((ecosystem, rest)) => (ecosystem, rest.to_string()),
        None => (Ecosystem::Generic, name.to_string()),
    }
}

fn parse_row(row: &csv::StringRecord) -> Result<((Ecosystem, String), Dependency), String> {
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
    Ok((qualified(dependent), dep))
}
