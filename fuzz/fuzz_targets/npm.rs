//! Arbitrary bytes as a packuments.jsonl file (compressed or not) through the npm ingester.
#![no_main]

use std::path::Path;

use keystone::ingest::npm::Npm;
use keystone::progress::NoProgress;
use keystone_fuzz::{check, options, stream};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (name, opts) = (Path::new("packuments.jsonl"), options(data));
    check(stream(data, name, &opts).and_then(|input| Npm.read_from(input, name, &opts, &NoProgress)));
});
