//! Arbitrary bytes as a metadata.json file (compressed or not) through the cargo metadata ingester.
#![no_main]

use keystone::ingest::Format;
use keystone_fuzz::read_as;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| read_as(Format::CargoMetadata, "metadata.json", data));
