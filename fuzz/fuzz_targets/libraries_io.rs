//! Arbitrary bytes as a dependencies-1.6.0.csv file (compressed or not) through the libraries io ingester.
#![no_main]

use keystone::ingest::Format;
use keystone_fuzz::read_as;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| read_as(Format::LibrariesIo, "dependencies.csv", data));
