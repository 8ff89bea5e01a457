//! Arbitrary bytes as a fuzz.jsonl file (compressed or not) through the crates index ingester.
#![no_main]

use std::path::Path;

use keystone::ingest::crates_index::CratesIndex;
use keystone::progress::NoProgress;
use keystone_fuzz::{check, options, stream};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (name, opts) = (Path::new("fuzz.jsonl"), options(data));
    check(stream(data, name, &opts).and_then(|input| CratesIndex.read_from(input, name, &opts, &NoProgress)));
});
