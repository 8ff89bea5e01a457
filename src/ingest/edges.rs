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

use std::hash::BuildHasher;
use std::io::BufRead;
use std::ops::Range;
use std::path::Path;

use hashbrown::hash_table::{Entry, HashTable};
use rayon::prelude::*;
use rustc_hash::FxBuildHasher;

use super::lines::batches;
use super::{csv_rows, BadRecords, Ingest, ReadOptions, Stream};
use crate::error::{Error, Location, Result};
use crate::model::{DepKind, Dependency, Ecosystem, Ingested, PackageRecord, RecordEdge};
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
            // Kept from batch to batch, so that their memory is touched once.
            let (mut spans, mut lines) = (Vec::new(), Vec::new());
            // Rows of one dependent usually follow each other: its place is kept.
            let mut dependent: Option<(u64, u32)> = None;
            for batch in batches(input, path, opts.max_record_bytes) {
                let batch = batch?;
                spans.clear();
                spans.extend(batch.spans());
                spans
                    .par_iter()
                    .with_min_len(1 << 12)
                    .map(|(no, span)| Line::parse(*no, &batch.data, span))
                    .collect_into_vec(&mut lines);
                for ((no, _), line) in spans.iter().zip(lines.drain(..)) {
                    let quoted;
                    let (row, text) = match line {
                        Line::Blank => continue,
                        Line::Row(row) => (row, &batch.data[..]),
                        Line::Quoted(span) => match quoted_row(*no, &batch.data[span]) {
                            Ok(None) => continue,
                            Ok(Some((row, fields))) => {
                                quoted = fields;
                                (row, quoted.as_bytes())
                            }
                            Err(message) => {
                                bad.record(Error::parse(Location::line(path, *no), message))?;
                                continue;
                            }
                        },
                        Line::Bad(message) => {
                            bad.record(Error::parse(Location::line(path, *no), message))?;
                            continue;
                        }
                    };
                    let from = match dependent {
                        Some((hash, id)) if hash == row.dependent.hash && packages.is(id, &row.dependent, text) => id,
                        _ => packages.place(&row.dependent, text),
                    };
                    dependent = Some((row.dependent.hash, from));
                    let to = packages.place(&row.dependency, text);
                    packages.edges.push(RecordEdge { from, to, kind: row.kind, optional: row.optional });
                }
            }
        }
        let (packages, edges) = packages.finish();
        Ok(Ingested { packages, edges, skipped: bad.finish() })
    }
}

/// Package records by ecosystem and name, in the order first named, and the edges of the
/// generic shape between them. A name is given its place when first seen; its record is
/// made when asked for, or at the end.
#[derive(Default)]
struct Packages {
    /// Each name's hash and place.
    places: HashTable<(u64, u32)>,
    /// Each place's name: its ecosystem, and where it lies in `names`.
    keys: Vec<(Ecosystem, usize, usize)>,
    /// Every name, one after another.
    names: String,
    /// The records of the first places.
    records: Vec<PackageRecord>,
    edges: Vec<RecordEdge>,
}

impl Packages {
    /// Whether `id` is the place of `name`, whose text lies in `text`.
    fn is(&self, id: u32, name: &Name, text: &[u8]) -> bool {
        let (ecosystem, start, end) = self.keys[id as usize];
        ecosystem == name.ecosystem && self.names.as_bytes()[start..end] == text[name.span()]
    }

    /// The place of `name`, whose text lies in `text`, given if it is new.
    fn place(&mut self, name: &Name, text: &[u8]) -> u32 {
        let Packages { places, keys, names, .. } = self;
        let wanted = &text[name.span()];
        let is = |&(hash, id): &(u64, u32)| {
            let (ecosystem, start, end) = keys[id as usize];
            hash == name.hash && ecosystem == name.ecosystem && names.as_bytes()[start..end] == *wanted
        };
        match places.entry(name.hash, is, |&(hash, _)| hash) {
            Entry::Occupied(entry) => entry.get().1,
            Entry::Vacant(entry) => {
                let id = keys.len() as u32;
                entry.insert((name.hash, id));
                // Names are whole UTF-8 fields, so nothing is replaced.
                names.push_str(&String::from_utf8_lossy(wanted));
                keys.push((name.ecosystem, names.len() - wanted.len(), names.len()));
                id
            }
        }
    }

    /// The record at place `id`, made (with every place before it) if it is not yet.
    fn record(&mut self, id: u32) -> &mut PackageRecord {
        let made = self.records.len();
        let Packages { keys, names, records, .. } = self;
        records.extend(keys.get(made..=id as usize).unwrap_or_default().iter().map(|&(ecosystem, start, end)| {
            PackageRecord::new(ecosystem, names[start..end].to_string(), None, Vec::new())
        }));
        &mut self.records[id as usize]
    }

    /// Every record, in the order of their places.
    fn finish(mut self) -> (Vec<PackageRecord>, Vec<RecordEdge>) {
        if let Some(last) = self.keys.len().checked_sub(1) {
            self.records.reserve_exact(self.keys.len() - self.records.len());
            self.record(last as u32);
        }
        (self.records, self.edges)
    }
}

/// A name in a row: where its text lies (without an ecosystem prefix), its ecosystem (from a
/// qualified name, or `generic`), and its hash.
struct Name {
    hash: u64,
    start: usize,
    len: usize,
    ecosystem: Ecosystem,
}

impl Name {
    /// The name of `ecosystem` at `span` of `text`.
    fn new(ecosystem: Ecosystem, text: &[u8], span: Range<usize>) -> Self {
        let hash = FxBuildHasher.hash_one((ecosystem, &text[span.clone()]));
        Name { hash, start: span.start, len: span.len(), ecosystem }
    }

    fn span(&self) -> Range<usize> {
        self.start..self.start + self.len
    }

    /// The name written at `span` of `text` in a generic row, possibly qualified.
    fn written(text: &str, span: Range<usize>) -> Self {
        match Ecosystem::split_qualified(&text[span.clone()]) {
            Some((ecosystem, rest)) => Name::new(ecosystem, text.as_bytes(), span.end - rest.len()..span.end),
            None => Name::new(Ecosystem::Generic, text.as_bytes(), span),
        }
    }
}

/// A row of the generic shape, its names in the text it was read from.
struct Row {
    dependent: Name,
    dependency: Name,
    kind: DepKind,
    optional: bool,
}

/// A line of the generic shape, as parsed on its own.
enum Line {
    /// Blank, or the header.
    Blank,
    Row(Row),
    /// A line with quotes, to be read as CSV (rare, so not in parallel).
    Quoted(Range<usize>),
    Bad(String),
}

impl Line {
    /// Line `no`, at `span` of `data`, split at its commas; the names of its row lie in `data`.
    fn parse(no: u64, data: &[u8], span: &Range<usize>) -> Line {
        let bytes = &data[span.clone()];
        if bytes.is_empty() {
            return Line::Blank;
        }
        if bytes.contains(&b'"') {
            return Line::Quoted(span.clone());
        }
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => return Line::Bad(format!("expected a CSV row: invalid UTF-8: {e}")),
        };
        let mut start = 0;
        let fields = memchr::memchr_iter(b',', bytes).chain([bytes.len()]).map(|end| {
            let field = start..end;
            start = end + 1;
            field
        });
        match row(no, text, fields) {
            Ok(None) => Line::Blank,
            Ok(Some(mut row)) => {
                row.dependent.start += span.start;
                row.dependency.start += span.start;
                Line::Row(row)
            }
            Err(message) => Line::Bad(message),
        }
    }
}

/// Line `no`, which has quotes, read as CSV: its row, and the text its names lie in.
fn quoted_row(no: u64, line: &[u8]) -> Result<Option<(Row, String)>, String> {
    let mut csv = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(line);
    let mut record = csv::StringRecord::new();
    csv.read_record(&mut record).map_err(|e| format!("expected a CSV row: {e}"))?;
    let text = record.as_slice().to_string();
    let fields = (0..record.len()).filter_map(|i| record.range(i));
    Ok(row(no, &text, fields)?.map(|row| (row, text)))
}

/// Line `no` of the generic shape, whose fields lie at `fields` of `text`: the dependent and
/// its dependency, with the kind; none for the header.
fn row(no: u64, text: &str, fields: impl Iterator<Item = Range<usize>>) -> Result<Option<Row>, String> {
    let mut fields = fields.map(|field| {
        let trimmed = text[field.clone()].trim_start();
        let start = field.end - trimmed.len();
        start..start + trimmed.trim_end().len()
    });
    let (dependent, dependency, kind) = (fields.next(), fields.next(), fields.next());
    let count = [&dependent, &dependency, &kind].iter().filter(|f| f.is_some()).count() + fields.count();
    let (Some(dependent), Some(dependency)) = (dependent, dependency) else {
        return Err(format!("expected 2 or 3 fields `dependent,dependency[,kind]`, found {count}"));
    };
    if no == 1 && &text[dependent.clone()] == "dependent" && &text[dependency.clone()] == "dependency" {
        return Ok(None);
    }
    if count > 3 {
        return Err(format!("expected 2 or 3 fields `dependent,dependency[,kind]`, found {count}"));
    }
    if dependent.is_empty() || dependency.is_empty() {
        return Err("expected non-empty `dependent` and `dependency` names".to_string());
    }
    let (kind, optional) = match kind.map_or("", |kind| &text[kind]) {
        "" => (DepKind::Normal, false),
        "optional" => (DepKind::Normal, true),
        other => (other.parse::<DepKind>().map_err(|e| format!("{e}, or optional"))?, false),
    };
    Ok(Some(Row {
        dependent: Name::written(text, dependent),
        dependency: Name::written(text, dependency),
        kind,
        optional,
    }))
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
    let name = |ecosystem, text: &str| Name::new(ecosystem, text.as_bytes(), 0..text.len());
    let id = packages.place(&name(package_ecosystem, package), package.as_bytes());
    let record = packages.record(id);
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
    packages.place(&name(target, &row[7]), row[7].as_bytes());
    packages.record(id).deps.push(dep);
    Ok(())
}
