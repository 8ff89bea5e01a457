//! Arbitrary bytes as a fuzz.jsonl file (compressed or not) through the crates index ingester.
#![no_main]

use keystone::ingest::Format;
use keystone_fuzz::read_as;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| read_as(Format::CratesIndex, "index.jsonl", data));
