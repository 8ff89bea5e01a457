//! Arbitrary bytes as a packuments.jsonl file (compressed or not) through the npm ingester.
#![no_main]

use keystone::ingest::Format;
use keystone_fuzz::read_as;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| read_as(Format::Npm, "packuments.jsonl", data));
