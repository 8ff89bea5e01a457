//! Arbitrary bytes as a Packages file (compressed or not) through the debian ingester.
#![no_main]

use std::path::Path;

use keystone::ingest::debian::Debian;
use keystone::progress::NoProgress;
use keystone_fuzz::{check, options, stream};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (name, opts) = (Path::new("Packages"), options(data));
    check(stream(data, name, &opts).and_then(|input| Debian.read_from(input, name, &opts, &NoProgress)));
});
