//! Arbitrary bytes as a metadata.json file (compressed or not) through the cargo metadata ingester.
#![no_main]

use std::path::Path;

use keystone::ingest::cargo_metadata::CargoMetadata;
use keystone::progress::NoProgress;
use keystone_fuzz::{check, options, stream};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (name, opts) = (Path::new("metadata.json"), options(data));
    check(stream(data, name, &opts).and_then(|input| CargoMetadata.read_from(input, name, &opts, &NoProgress)));
});
