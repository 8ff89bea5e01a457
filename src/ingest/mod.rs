//! Ingest: one module per input format, each behind the [`Source`] trait, each turning a dump
//! into [`Ingested`] package records. Formats are chosen by name ([`Format`]) or guessed from
//! the path ([`Format::guess`]); compressed inputs are recognised by their magic bytes
//! ([`decompress`]).

pub mod cargo_metadata;
pub mod crates_dump;
pub mod crates_index;
pub mod debian;
pub mod decompress;
pub mod edges;
mod lines;

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use crate::error::{Error, Result};
use crate::model::{Ecosystem, Ingested, Skipped};
use crate::progress::Progress;

/// How to treat the input, whatever its format.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Skip malformed records (counting them in [`Ingested::skipped`]) instead of stopping at the
    /// first with an error.
    pub skip_bad: bool,
}

/// An input format: reads a path into package records.
pub trait Source {
    /// The ecosystem this format's packages belong to.
    fn ecosystem(&self) -> Ecosystem;

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
}

impl Format {
    /// Every format, for help texts.
    pub const ALL: [Format; 5] = [
        Format::CratesIndex,
        Format::CratesDump,
        Format::Debian,
        Format::Edges,
        Format::CargoMetadata,
    ];

    /// The name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::CratesIndex => "crates-index",
            Format::CratesDump => "crates-dump",
            Format::Debian => "debian",
            Format::Edges => "edges",
            Format::CargoMetadata => "cargo-metadata",
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
        }
    }

    /// Guesses the format from a path's name, or `None` if the name says nothing.
    ///
    /// `Packages*` is Debian, `*.jsonl*` crates-index, `db-dump*` crates-dump, `*.csv*` an edge
    /// list, `Cargo.toml` and `*.json` cargo-metadata; a folder with a `data/crates.csv` is a
    /// db-dump and one with a `config.json` an index checkout.
    pub fn guess(path: &Path) -> Option<Format> {
        if path.is_dir() {
            if path.join("data/crates.csv").is_file() {
                return Some(Format::CratesDump);
            }
            if path.join("config.json").is_file() {
                return Some(Format::CratesIndex);
            }
            return None;
        }
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        if name.contains("packages") {
            Some(Format::Debian)
        } else if name.contains(".jsonl") {
            Some(Format::CratesIndex)
        } else if name.starts_with("db-dump") {
            Some(Format::CratesDump)
        } else if name.contains(".csv") {
            Some(Format::Edges)
        } else if name == "cargo.toml" || name.ends_with(".json") {
            Some(Format::CargoMetadata)
        } else {
            None
        }
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

/// Counts bad records under `skip_bad`, or turns the first into the error that stops reading.
#[derive(Debug, Default)]
pub(crate) struct BadRecords {
    skip: bool,
    skipped: Skipped,
}

impl BadRecords {
    pub(crate) fn new(opts: &ReadOptions) -> Self {
        BadRecords {
            skip: opts.skip_bad,
            skipped: Skipped::default(),
        }
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
