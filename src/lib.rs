//! keystone finds the packages a whole software ecosystem silently stands on.
//!
//! It reads public dumps of whole ecosystems (the crates.io index and db-dump, Debian
//! `Packages`, PyPI, npm, libraries.io, `cargo metadata`, generic edge lists) into one compact
//! graph, and computes for every package, exactly: its direct dependents, its reach (distinct
//! packages that depend on it at any depth), its reach by depth, and its PageRank. It answers
//! `blast` (what breaks if a package is compromised, with one shortest chain for each affected
//! package) and `why` (the chain that makes one package depend on another).
//!
//! Data flows one way, each layer using only those before it: [`model`] (records every format
//! emits) → [`ingest`] (one file per format behind [`ingest::Ingest`]) → [`graph`] (interned
//! `u32` ids, forward and reverse CSR, snapshots) → [`analysis`] → [`export`] (tables, the
//! report, blast summaries) → [`serve`] (the page and JSON API over one graph). [`error`],
//! [`progress`], [`versions`] and [`atomic`] serve every layer. The library never prints; long
//! calls take a [`progress::Progress`].
//!
//! ```no_run
//! use keystone::{analysis, graph, ingest, model::Profile, progress::NoProgress};
//! use std::path::Path;
//!
//! let input = ingest::Format::Debian.reader().read(Path::new("Packages.xz"), &Default::default(), &NoProgress)?;
//! let g = graph::builder::build(&[input], Profile::default(), &NoProgress)?;
//! let ranking = analysis::rank::rank(&g, &Default::default(), &NoProgress)?;
//! println!("{} has the highest reach: {}", g.name(ranking.rows[0].node), ranking.rows[0].reach);
//! # Ok::<(), keystone::error::Error>(())
//! ```
//!
//! The public API is chosen on purpose: the crate denies `unreachable_pub` and `missing_docs`,
//! so every item outside the crate is documented and meant for library users; slow reference
//! algorithms and test knobs are compiled for the crate's own tests only.

#![deny(unreachable_pub, missing_docs)]

pub mod analysis;
pub mod atomic;
pub mod error;
pub mod export;
pub mod graph;
mod hash;
pub mod ingest;
pub mod model;
pub mod progress;
#[cfg(test)]
mod properties;
pub mod serve;
pub mod synthetic;
pub mod versions;

/// The embedded default dataset: Debian bookworm main amd64 `Packages`, xz-compressed.
pub const DEFAULT_DATASET: &[u8] = include_bytes!("../datasets/debian/bookworm_main_amd64_Packages.xz");
/// The file name of [`DEFAULT_DATASET`], for messages.
pub const DEFAULT_DATASET_NAME: &str = "bookworm_main_amd64_Packages.xz";
