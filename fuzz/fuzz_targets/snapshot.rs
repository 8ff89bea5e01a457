//! Arbitrary bytes as a snapshot file. An even first byte decodes the bytes as they are (the
//! checksum turns away nearly every mutation); an odd one decodes the rest with the header's
//! payload length and CRC-32 fixed up first, so that the checks behind the checksum (section
//! table, CSR and string-table invariants) are fuzzed too. A graph that decodes must survive
//! every analysis.
#![no_main]

use keystone::graph::snapshot;
use keystone_fuzz::exercise;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let mut bytes = rest.to_vec();
    if mode & 1 == 1 && bytes.len() >= 32 {
        let payload_len = (bytes.len() - 32) as u64;
        let crc = crc32fast::hash(&bytes[32..]);
        bytes[16..24].copy_from_slice(&payload_len.to_le_bytes());
        bytes[24..28].copy_from_slice(&crc.to_le_bytes());
    }
    match snapshot::decode(&bytes) {
        Ok(graph) => exercise(&graph),
        Err(message) => assert!(!message.is_empty()),
    }
});
