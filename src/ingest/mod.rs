//! Ingest: reading dumps into [`Ingested`] package records, one file per input format behind
//! the [`Ingest`] trait.
//!
//! Every format reads a [`Stream`]: bytes already decompressed, named by a path in errors.
//! [`Ingest::read`] opens a path and recognises its compression by magic bytes (zstd, xz, gzip)
//! in one place ([`open`]), under the limits of [`ReadOptions`]; a format that reads a folder,
//! an archive or runs a command overrides it. Folders and tarballs are walked by one shared
//! archive module. Options that belong to one format live in that format's own struct (Cargo
//! feature resolution and the rustc targets in [`CargoOptions`], the PEP 508 environment in
//! [`pypi::Markers`]); [`FormatOptions`] gathers them for the registry.
//!
//! # Adding a format
//! 1. Write `ingest/<format>.rs`: a struct, holding the format's own options if it has any,
//!    that implements [`Ingest::read_stream`]. Malformed records go through the shared
//!    bad-record counter (and the shared CSV or JSON-lines readers where they fit), so that
//!    `skip_bad` works and errors name the file and line.
//! 2. Add one line to the `formats!` registry below (variant, command-line name, description,
//!    how its reader is made) and, if its file names tell it apart, a rule in [`Format::guess`].

mod archive;
mod cargo_features;
pub mod cargo_metadata;
pub mod cargo_targets;
pub mod crates_dump;
pub mod crates_index;
pub mod debian;
mod decompress;
pub mod deps_dev;
pub mod edges;
pub mod libraries_io;
mod limit;
mod lines;
pub mod lists;
pub mod npm;
pub mod pypi;
pub mod side;

use std::borrow::Cow;
use std::fmt;
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;

pub use decompress::{open, Stream};

use crate::error::{Error, Location, Result};
use crate::model::{Ingested, Skipped};
use crate::progress::Progress;

/// How to treat the input, whatever its format: bad records, and the limits that guard memory
/// and time against hostile input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// Skip malformed records (counting them in [`Ingested::skipped`]) instead of stopping at the
    /// first with an error.
    pub skip_bad: bool,
    /// The largest single record read into memory (a JSON line, a Debian stanza, an archive
    /// member): larger ones are an error, never an unbounded allocation. Default 64 MiB.
    pub max_record_bytes: u64,
    /// The most bytes a compressed input may decompress to (default 16 GiB).
    pub max_input_bytes: u64,
    /// The largest ratio of decompressed to compressed bytes (default 1000), checked once more
    /// than [`RATIO_GRACE`] bytes have come out.
    pub max_ratio: u64,
}

pub use limit::RATIO_GRACE;

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions { skip_bad: false, max_record_bytes: 64 << 20, max_input_bytes: 16 << 30, max_ratio: 1000 }
    }
}

/// An input format: reads a stream, or a path, into package records.
pub trait Ingest: Sync {
    /// Reads every package record from `input` (already decompressed); `path` names it in
    /// errors. Stops at the first malformed record with an error naming the file and line,
    /// unless `opts.skip_bad`.
    fn read_stream(&self, input: Stream, path: &Path, opts: &ReadOptions, progress: &dyn Progress) -> Result<Ingested>;

    /// Reads every package record from the file at `path`, decompressing it if it is
    /// compressed. Formats that also read folders (or run a command) override this.
    fn read(&self, path: &Path, opts: &ReadOptions, progress: &dyn Progress) -> Result<Ingested> {
        self.read_stream(open(path, opts)?, path, opts, progress)
    }

    /// Reads every package record from `bytes` in memory (compressed or not), as a file of the
    /// format would be read; `at` names them in errors.
    fn read_bytes(
        &self,
        bytes: Cow<'static, [u8]>,
        at: &Path,
        opts: &ReadOptions,
        progress: &dyn Progress,
    ) -> Result<Ingested> {
        self.read_stream(decompress::in_memory(bytes, at, opts)?, at, opts, progress)
    }
}

/// Reads the embedded default dataset ([`crate::DEFAULT_DATASET`], Debian bookworm) through the
/// Debian reader.
pub fn read_default(opts: &ReadOptions, progress: &dyn Progress) -> Result<Ingested> {
    debian::Debian.read_bytes(
        Cow::Borrowed(crate::DEFAULT_DATASET),
        Path::new(crate::DEFAULT_DATASET_NAME),
        opts,
        progress,
    )
}

/// The options of the formats that have their own, for making readers by [`Format`].
#[derive(Debug, Clone, Default)]
pub struct FormatOptions {
    /// Cargo features and rustc targets, for the crates.io formats and `cargo metadata`.
    pub cargo: CargoOptions,
    /// The environment PyPI requirements' markers are evaluated in.
    pub markers: pypi::Markers,
}

/// How the Cargo formats (the crates.io index and db-dump, `cargo metadata`) decide which
/// dependencies are built.
#[derive(Debug, Clone)]
pub struct CargoOptions {
    /// Work out which optional crates.io dependencies a Cargo feature switches on (see
    /// `cargo_features.rs`; `cargo metadata` resolves them itself). Only graphs with the
    /// `features` kind read them; without it this can be off, which saves the crates.io readers
    /// about a second on the whole index. Default on.
    pub features: bool,
    /// The rustc targets a target-specific dependency must be built on to be an edge (default:
    /// every built-in target; see [`cargo_targets`]).
    pub targets: Arc<cargo_targets::Targets>,
}

impl Default for CargoOptions {
    fn default() -> Self {
        CargoOptions { features: true, targets: Arc::default() }
    }
}

/// Declares [`Format`]: every input format, its command-line name, and how its reader is made.
macro_rules! formats {
    ($($(#[$doc:meta])* $variant:ident = $name:literal => |$o:ident| $make:expr,)*) => {
        /// The input formats keystone reads.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Format {
            $($(#[$doc])* $variant,)*
        }

        impl Format {
            /// Every format, for help texts.
            pub const ALL: &'static [Format] = &[$(Format::$variant),*];

            /// The name used on the command line.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Format::$variant => $name,)*
                }
            }

            /// The reader for this format, with the options among `options` that it has.
            pub fn reader_with(self, options: &FormatOptions) -> Box<dyn Ingest> {
                match self {
                    $(Format::$variant => { let $o = options; Box::new($make) })*
                }
            }
        }
    };
}

formats! {
    /// crates.io index lines: a `.jsonl` file (plain, `.zst`, `.gz`) or an index checkout.
    CratesIndex = "crates-index" => |o| crates_index::CratesIndex { cargo: o.cargo.clone() },
    /// The crates.io database dump: `db-dump.tar.gz` or its extracted folder.
    CratesDump = "crates-dump" => |o| crates_dump::CratesDump { cargo: o.cargo.clone() },
    /// A Debian `Packages` file (plain, `.xz`, `.gz`).
    Debian = "debian" => |_o| debian::Debian,
    /// A generic edge list CSV: `dependent,dependency[,kind]`.
    Edges = "edges" => |_o| edges::Edges,
    /// `cargo metadata` JSON of a workspace, or a `Cargo.toml` to run it on.
    CargoMetadata = "cargo-metadata" => |o| cargo_metadata::CargoMetadata { cargo: o.cargo.clone() },
    /// The pypi-deps-db layout (`sdist/*.json`, `wheel/*.json`): its tarball or folder.
    PypiDepsDb = "pypi-deps-db" => |o| pypi::PypiDepsDb { markers: o.markers.clone() },
    /// PyPI JSON API documents (`info.requires_dist`, `releases`), one per line.
    PypiJson = "pypi-json" => |o| pypi::PypiJson { markers: o.markers.clone() },
    /// npm registry documents (packuments), one per line, or a CouchDB `_all_docs` response.
    Npm = "npm" => |_o| npm::Npm,
    /// The libraries.io open-data dependencies CSV, or ecosyste.ms's.
    LibrariesIo = "libraries-io" => |_o| libraries_io::LibrariesIo,
    /// deps.dev's BigQuery tables as exported: a folder of `PackageVersions…`,
    /// `Dependencies…`, `DependencyGraphEdges…` and `PackageVersionToProject…` files (JSON
    /// lines or CSV).
    DepsDev = "deps-dev" => |_o| deps_dev::DepsDev,
}

impl Format {
    /// The reader for this format with its default options.
    pub fn reader(self) -> Box<dyn Ingest> {
        self.reader_with(&FormatOptions::default())
    }

    /// Guesses the format from a path's name, or `None` if the name says nothing.
    ///
    /// In order: `*packument*`, `*_all_docs*` or `npm*` is npm; `*pypi*` is pypi-json when it
    /// holds `.jsonl`, else pypi-deps-db; `*Packages*` is Debian; `*.jsonl*` crates-index;
    /// `db-dump*` crates-dump; `dependencies-*.csv*` libraries-io; other `*.csv*` an edge list;
    /// `Cargo.toml` and `*.json` cargo-metadata. A folder with `data/crates.csv` is a db-dump,
    /// one with `config.json` an index checkout, one with `sdist/` or `wheel/` a pypi-deps-db,
    /// one with a `PackageVersions…` file a deps.dev export.
    pub fn guess(path: &Path) -> Option<Format> {
        if path.is_dir() {
            return if path.join("data/crates.csv").is_file() {
                Some(Format::CratesDump)
            } else if path.join("config.json").is_file() {
                Some(Format::CratesIndex)
            } else if path.join("sdist").is_dir() || path.join("wheel").is_dir() {
                Some(Format::PypiDepsDb)
            } else if archive::files(path).is_ok_and(|files| files.iter().any(|(f, _)| deps_dev::is_versions_table(f)))
            {
                Some(Format::DepsDev)
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
        Format::ALL.iter().copied().find(|f| f.as_str() == s).ok_or_else(|| {
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
            Err(e) => {
                let (line, message) = (e.position().map_or(line, |p| p.line()), e.to_string());
                match e.into_kind() {
                    // A read error (a damaged or over-limit compressed stream) is no bad record.
                    csv::ErrorKind::Io(e) => return Err(Error::read(Location::line(at, line), e)),
                    _ => Err((line, format!("expected a CSV row: {message}"))),
                }
            }
        };
        if let Err((line, message)) = rejected {
            bad.record(Error::parse(Location::line(at, line), message))?;
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
