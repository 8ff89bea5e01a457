//! Arbitrary bytes as a edges.csv file (compressed or not) through the edges ingester.
#![no_main]

use std::path::Path;

use keystone::ingest::edges::Edges;
use keystone::progress::NoProgress;
use keystone_fuzz::{check, options, stream};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (name, opts) = (Path::new("edges.csv"), options(data));
    check(stream(data, name, &opts).and_then(|input| Edges.read_from(input, name, &opts, &NoProgress)));
});
