//! Arbitrary bytes through the PyPI ingesters, by the first byte modulo 3:
//! 0. JSON API documents, one per line (compressed or not);
//! 1. PEP 508 requirement strings, one per line, as the `requires_dist` of one JSON API
//!    document (so the fuzzer need not write JSON quoting);
//! 2. a pypi-deps-db tarball of `sdist/00.json` and `wheel/00.json` (the rest of the bytes,
//!    split at the first NUL), built in memory and read as a tar stream.
#![no_main]

use std::io::Cursor;
use std::path::Path;

use keystone::ingest::pypi::{PypiDepsDb, PypiJson};
use keystone::progress::NoProgress;
use keystone_fuzz::{check, options, stream};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let opts = options(rest);
    match mode % 3 {
        0 => {
            let name = Path::new("pypi.jsonl");
            check(stream(rest, name, &opts).and_then(|input| PypiJson.read_from(input, name, &opts, &NoProgress)));
        }
        1 => {
            let requires: Vec<String> = String::from_utf8_lossy(rest).lines().map(str::to_string).collect();
            let doc = serde_json::json!({
                "info": {"name": "fuzzed", "version": "1.0", "requires_dist": requires},
                "releases": {"1.0": [{"yanked": false}]},
            });
            let line = Box::new(Cursor::new(doc.to_string().into_bytes()));
            check(PypiJson.read_from(line, Path::new("pypi.jsonl"), &opts, &NoProgress));
        }
        _ => {
            let mut parts = rest.splitn(2, |&b| b == 0);
            let mut tar = tar::Builder::new(Vec::new());
            for member in ["db/sdist/00.json", "db/wheel/00.json"] {
                let bytes = parts.next().unwrap_or_default();
                let mut header = tar::Header::new_gnu();
                header.set_size(bytes.len() as u64);
                header.set_mode(0o644);
                tar.append_data(&mut header, member, bytes).expect("in-memory tar");
            }
            let tarball = Box::new(Cursor::new(tar.into_inner().expect("in-memory tar")));
            check(PypiDepsDb.read_tar(tarball, Path::new("pypi-deps-db.tar"), &opts, &NoProgress));
        }
    }
});
