//! Arbitrary bytes as a deps.dev export folder, written to a folder of this process's own and
//! read through the deps-dev ingester. The first byte picks the shape, by modulo 3:
//! 0. JSON lines and 1. CSV: the rest, split at NUL bytes, are the tables `PackageVersions`,
//!    `Dependencies`, `DependencyGraphEdges`, `GoRequirements`, `NuGetRequirements`,
//!    `RubyGemsRequirements` and `PackageVersionToProject`;
//! 2. Parquet (whose bytes hold NULs): the next byte picks one table, the rest is its file,
//!    beside a `PackageVersions` table in JSON lines unless it is that table.
#![no_main]

use keystone::ingest::Format;
use keystone::progress::NoProgress;
use keystone_fuzz::{check, options};
use libfuzzer_sys::fuzz_target;

const TABLES: [&str; 7] = [
    "PackageVersions",
    "Dependencies",
    "DependencyGraphEdges",
    "GoRequirements",
    "NuGetRequirements",
    "RubyGemsRequirements",
    "PackageVersionToProject",
];

/// The versions beside a fuzzed Parquet table: one of each ecosystem the tables name.
const VERSIONS: &str = r#"{"System":"MAVEN","Name":"g:a","Version":"1.0","VersionInfo":{"IsRelease":true,"Ordinal":"1"}}
{"System":"GO","Name":"example.com/m","Version":"v1.0.0","VersionInfo":{"IsRelease":true,"Ordinal":"1"}}
{"System":"NUGET","Name":"Example","Version":"1.0.0","VersionInfo":{"IsRelease":true,"Ordinal":"1"}}
{"System":"RUBYGEMS","Name":"gem","Version":"1.0","VersionInfo":{"IsRelease":true,"Ordinal":"1"}}
"#;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let folder = std::env::temp_dir().join(format!("keystone-fuzz-deps-dev-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).expect("a scratch folder");
    let write = |table: &str, extension: &str, bytes: &[u8]| {
        std::fs::write(folder.join(format!("{table}-000000000000.{extension}")), bytes).expect("a scratch file")
    };
    match mode % 3 {
        2 => {
            let Some((&table, file)) = rest.split_first() else { return };
            let table = TABLES[usize::from(table) % TABLES.len()];
            write(table, "parquet", file);
            if table != TABLES[0] {
                write(TABLES[0], "json", VERSIONS.as_bytes());
            }
        }
        shape => {
            let extension = if shape == 0 { "json" } else { "csv" };
            for (table, bytes) in TABLES.iter().zip(rest.split(|&b| b == 0)) {
                write(table, extension, bytes);
            }
        }
    }
    check(Format::DepsDev.reader().read(&folder, &options(rest), &NoProgress));
});
