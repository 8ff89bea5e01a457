//! Arbitrary bytes as the six tables of a crates.io db-dump (`crates.csv`, `versions.csv`,
//! `dependencies.csv`, `crate_owners.csv`, `users.csv`, `teams.csv`, separated by NUL bytes),
//! as members `data/<table>` of a tarball built in memory, through the db-dump reader. An empty
//! part leaves its table out of the tarball.
#![no_main]

use keystone::ingest::Format;
use keystone_fuzz::{read_as, tarball};
use libfuzzer_sys::fuzz_target;

const TABLES: [&str; 6] = [
    "db/data/crates.csv",
    "db/data/versions.csv",
    "db/data/dependencies.csv",
    "db/data/crate_owners.csv",
    "db/data/users.csv",
    "db/data/teams.csv",
];

fuzz_target!(|data: &[u8]| {
    let members = TABLES.into_iter().zip(data.splitn(6, |&b| b == 0)).filter(|(_, bytes)| !bytes.is_empty());
    read_as(Format::CratesDump, "db-dump.tar", &tarball(members));
});
