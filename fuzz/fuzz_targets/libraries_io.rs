//! Arbitrary bytes as a dependencies-1.6.0.csv file (compressed or not) through the libraries io ingester.
#![no_main]

use std::path::Path;

use keystone::ingest::libraries_io::LibrariesIo;
use keystone::progress::NoProgress;
use keystone_fuzz::{check, options, stream};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (name, opts) = (Path::new("dependencies-1.6.0.csv"), options(data));
    check(stream(data, name, &opts).and_then(|input| LibrariesIo.read_from(input, name, &opts, &NoProgress)));
});
