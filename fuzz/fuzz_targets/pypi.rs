//! Arbitrary bytes through the PyPI ingesters, by the first byte modulo 3:
//! 0. JSON API documents, one per line (compressed or not);
//! 1. PEP 508 requirement strings, one per line, as the `requires_dist` of one JSON API
//!    document (so the fuzzer need not write JSON quoting);
//! 2. a pypi-deps-db tarball of `sdist/00.json` and `wheel/00.json` (the rest of the bytes,
//!    split at the first NUL), built in memory and read as a tar stream.
#![no_main]

use keystone::ingest::Format;
use keystone_fuzz::{read_as, tarball};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    match mode % 3 {
        0 => read_as(Format::PypiJson, "pypi.jsonl", rest),
        1 => {
            let requires: Vec<String> = String::from_utf8_lossy(rest).lines().map(str::to_string).collect();
            let doc = serde_json::json!({
                "info": {"name": "fuzzed", "version": "1.0", "requires_dist": requires},
                "releases": {"1.0": [{"yanked": false}]},
            });
            read_as(Format::PypiJson, "pypi.jsonl", doc.to_string().as_bytes());
        }
        _ => {
            let members = ["db/sdist/00.json", "db/wheel/00.json"].into_iter().zip(rest.splitn(2, |&b| b == 0));
            read_as(Format::PypiDepsDb, "pypi-deps-db.tar", &tarball(members));
        }
    }
});
