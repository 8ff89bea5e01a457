//! keystone's integration tests, in one binary, one file per axis, sharing one harness
//! (`workdir`: a temporary folder to run the binary in, output helpers, fixtures and graph
//! helpers). The property tests of the fast algorithms are in the crate (`src/properties.rs`).
//!
//! - Formats: golden tests of each format on its fixtures in `datasets/fixtures/` (answers worked
//!   out by hand), its bad input and its fuzz findings: `crates_index`, `crates_dump`, `debian`,
//!   `edges_format`, `cargo_metadata`, `npm`, `libraries_io`, `deps_dev`, `pypi`, and `snapshot` (round
//!   trip, damaged snapshots).
//! - Commands: `ingest`, `rank`, `blast` (scenarios, gateways), `diff`, `compare_profiles`,
//!   `backtest`, `bindings` (candidates, and alias-file bindings as edges), `report` and
//!   `serve` (over HTTP, `http` being the server process and a client, and in a real browser).
//! - Across formats and commands: `profiles` (dependency kinds, Cargo features), `limits`
//!   (decompression bombs, huge lines and records, deep graphs), `outputs` (atomic writes,
//!   determinism across thread counts, killed and failed runs), and `real_data` (checks on the
//!   real dumps in `../shared`).

mod browser;
mod http;
mod workdir;

mod cargo_metadata;
mod crates_dump;
mod crates_index;
mod debian;
mod deps_dev;
mod edges_format;
mod libraries_io;
mod npm;
mod pypi;
mod snapshot;

mod backtest;
mod bindings;
mod blast;
mod compare_profiles;
mod diff;
mod ingest;
mod rank;
mod report;
mod serve;

mod limits;
mod outputs;
mod profiles;
mod real_data;
