//! Arbitrary bytes as a edges.csv file (compressed or not) through the edges ingester.
#![no_main]

use keystone::ingest::Format;
use keystone_fuzz::read_as;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| read_as(Format::Edges, "edges.csv", data));
