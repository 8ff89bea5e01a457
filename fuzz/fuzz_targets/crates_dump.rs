//! Arbitrary bytes as the six tables of a crates.io db-dump (`crates.csv`, `versions.csv`,
//! `dependencies.csv`, `crate_owners.csv`, `users.csv`, `teams.csv`, separated by NUL bytes)
//! through the db-dump ingester.
#![no_main]

use std::path::Path;

use keystone::ingest::crates_dump::CratesDump;
use keystone::progress::NoProgress;
use keystone_fuzz::{check, options};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = options(data);
    let mut parts = data.splitn(6, |&b| b == 0);
    let tables = [(); 6].map(|()| parts.next().unwrap_or_default());
    check(CratesDump.read_tables(Path::new("db-dump"), tables, &opts, &NoProgress));
});
