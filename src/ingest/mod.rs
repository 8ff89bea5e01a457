//! Ingest: one module per input format, each behind the [`Source`] trait, each turning a dump
//! into [`Ingested`] package records. Formats are chosen by name ([`Format`]) or guessed from
//! the path ([`Format::guess`]); compressed inputs are recognised by their magic bytes
//! ([`decompress`]).

pub mod cargo_features;
pub mod cargo_metadata;
pub mod crates_dump;
pub mod crates_index;
pub mod debian;
pub mod decompress;
pub mod edges;
pub mod libraries_io;
pub mod limit;
mod lines;
pub mod npm;
pub mod pypi;

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use crate::error::{Error, Result};
use crate::model::{Ingested, Skipped};
use crate::progress::Progress;

/// How to treat the input, whatever its format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// Skip malformed records (counting them in [`Ingested::skipped`]) instead of stopping at the
    /// first with an error.
    pub skip_bad: bool,
    /// PEP 508 marker variables that override the default environment (Linux, x86_64, CPython
    /// 3.12), e.g. `("python_version", "3.11")`.
    pub markers: Vec<(String, String)>,
    /// The largest single record read into memory (a JSON line, a Debian stanza, an archive
    /// member): larger ones are an error, never an unbounded allocation. Default 64 MiB; the
    /// largest real record seen, npm's `typescript` document, is 10.5 MB.
    pub max_record_bytes: u64,
    /// The most bytes a compressed input may decompress to (default 16 GiB); see [`limit`].
    pub max_input_bytes: u64,
    /// The largest ratio of decompressed to compressed bytes (default 1000); see [`limit`].
    pub max_ratio: u64,
    /// Work out which optional crates.io dependencies a Cargo feature switches on
    /// ([`crate::model::Dependency::by_feature`], see [`cargo_features`]). Only the `features`
    /// kind of a [`crate::model::Profile`] reads them; without it this can be off, which saves
    /// the crates.io readers about a second on the whole index. Default on.
    pub cargo_features: bool,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            skip_bad: false,
            markers: Vec::new(),
            max_record_bytes: 64 << 20,
            max_input_bytes: 16 << 30,
            max_ratio: 1000,
            cargo_features: true,
        }
    }
}

/// An input format: reads a path into package records.
pub trait Source {
    /// Reads every package record from `path`, streaming. Stops at the first malformed record
    /// with an error naming the file and line, unless `opts.skip_bad`.
    fn read(&self, path: &Path, opts: &ReadOptions, progress: &dyn Progress) -> Result<Ingested>;
}

/// The input formats keystone reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// crates.io index lines: a `.jsonl` file (plain, `.zst`, `.gz`) or an index checkout.
    CratesIndex,
    /// The crates.io database dump: `db-dump.tar.gz` or its extracted folder.
    CratesDump,
    /// A Debian `Packages` file (plain, `.xz`, `.gz`).
    Debian,
    /// A generic edge list CSV: `dependent,dependency[,kind]`.
    Edges,
    /// `cargo metadata` JSON of a workspace, or a `Cargo.toml` to run it on.
    CargoMetadata,
    /// The pypi-deps-db layout (`sdist/*.json`, `wheel/*.json`): its tarball or folder.
    PypiDepsDb,
    /// PyPI JSON API documents (`info.requires_dist`, `releases`), one per line.
    PypiJson,
    /// npm registry documents (packuments), one per line, or a CouchDB `_all_docs` response.
    Npm,
    /// The libraries.io open-data dependencies CSV.
    LibrariesIo,
}

impl Format {
    /// Every format, for help texts.
    pub const ALL: [Format; 9] = [
        Format::CratesIndex,
        Format::CratesDump,
        Format::Debian,
        Format::Edges,
        Format::CargoMetadata,
        Format::PypiDepsDb,
        Format::PypiJson,
        Format::Npm,
        Format::LibrariesIo,
    ];

    /// The name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::CratesIndex => "crates-index",
            Format::CratesDump => "crates-dump",
            Format::Debian => "debian",
            Format::Edges => "edges",
            Format::CargoMetadata => "cargo-metadata",
            Format::PypiDepsDb => "pypi-deps-db",
            Format::PypiJson => "pypi-json",
            Format::Npm => "npm",
            Format::LibrariesIo => "libraries-io",
        }
    }

    /// The reader for this format.
    pub fn source(self) -> &'static dyn Source {
        match self {
            Format::CratesIndex => &crates_index::CratesIndex,
            Format::CratesDump => &crates_dump::CratesDump,
            Format::Debian => &debian::Debian,
            Format::Edges => &edges::Edges,
            Format::CargoMetadata => &cargo_metadata::CargoMetadata,
            Format::PypiDepsDb => &pypi::PypiDepsDb,
            Format::PypiJson => &pypi::PypiJson,
            Format::Npm => &npm::Npm,
            Format::LibrariesIo => &libraries_io::LibrariesIo,
        }
    }

    /// Guesses the format from a path's name, or `None` if the name says nothing.
    ///
    /// In order: `*packument*`, `*_all_docs*` or `npm*` is npm; `*pypi*` is pypi-json when it
    /// holds `.jsonl`, else pypi-deps-db; `*Packages*` is Debian; `*.jsonl*` crates-index;
    /// `db-dump*` crates-dump; `dependencies-*.csv*` libraries-io; other `*.csv*` an edge list;
    /// `Cargo.toml` and `*.json` cargo-metadata. A folder with `data/crates.csv` is a db-dump,
    /// one with `config.json` an index checkout, one with `sdist/` or `wheel/` a pypi-deps-db.
    pub fn guess(path: &Path) -> Option<Format> {
        if path.is_dir() {
            return if path.join("data/crates.csv").is_file() {
                Some(Format::CratesDump)
            } else if path.join("config.json").is_file() {
                Some(Format::CratesIndex)
            } else if path.join("sdist").is_dir() || path.join("wheel").is_dir() {
                Some(Format::PypiDepsDb)
            } else {
                None
            };
        }
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        let format = if name.contains("packument") || name.contains("_all_docs") || name.starts_with("npm") {
            Format::Npm
        } else if name.contains("pypi") {
            if name.contains(".jsonl") {
                Format::PypiJson
            } else {
                Format::PypiDepsDb
            }
        } else if name.contains("packages") {
            Format::Debian
        } else if name.contains(".jsonl") {
            Format::CratesIndex
        } else if name.starts_with("db-dump") {
            Format::CratesDump
        } else if name.starts_with("dependencies-") && name.contains(".csv") {
            Format::LibrariesIo
        } else if name.contains(".csv") {
            Format::Edges
        } else if name == "cargo.toml" || name.ends_with(".json") {
            Format::CargoMetadata
        } else {
            return None;
        };
        Some(format)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Format::ALL.into_iter().find(|f| f.as_str() == s).ok_or_else(|| {
            let names: Vec<_> = Format::ALL.iter().map(|f| f.as_str()).collect();
            Error::Invalid(format!("unknown format `{s}` (expected one of: {})", names.join(", ")))
        })
    }
}

/// Calls `each` with every row of `csv`. A row that is not valid CSV, or that `each` rejects
/// with what it expected, is a bad record at its line of `at`.
pub(crate) fn csv_rows<R: std::io::Read>(
    csv: &mut csv::Reader<R>,
    at: &Path,
    bad: &mut BadRecords,
    mut each: impl FnMut(&csv::StringRecord) -> Result<(), String>,
) -> Result<()> {
    let mut row = csv::StringRecord::new();
    loop {
        let line = csv.position().line();
        let rejected = match csv.read_record(&mut row) {
            Ok(false) => return Ok(()),
            Ok(true) => each(&row).map_err(|message| (row.position().map_or(line, |p| p.line()), message)),
            // A read error (a damaged or over-limit compressed stream) is no bad record.
            Err(e) if e.is_io_error() => {
                return Err(Error::parse(crate::error::Location::line(at, line), e.to_string()))
            }
            Err(e) => Err((e.position().map_or(line, |p| p.line()), format!("expected a CSV row: {e}"))),
        };
        if let Err((line, message)) = rejected {
            bad.record(Error::parse(crate::error::Location::line(at, line), message))?;
        }
    }
}

/// Counts bad records under `skip_bad`, or turns the first into the error that stops reading.
#[derive(Debug, Default)]
pub(crate) struct BadRecords {
    skip: bool,
    skipped: Skipped,
}

impl BadRecords {
    pub(crate) fn new(opts: &ReadOptions) -> Self {
        BadRecords { skip: opts.skip_bad, skipped: Skipped::default() }
    }

    /// Records `err`: an error to return when not skipping, else counted.
    pub(crate) fn record(&mut self, err: Error) -> Result<()> {
        if !self.skip {
            return Err(err);
        }
        self.skipped.count += 1;
        self.skipped.first.get_or_insert_with(|| err.to_string());
        Ok(())
    }

    pub(crate) fn finish(self) -> Skipped {
        self.skipped
    }
}
