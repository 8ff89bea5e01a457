//! Snapshots: the round trip (a graph saves and loads as itself), damaged snapshots (cut,
//! flipped, a newer format version, and damage behind a checksum made to match, which the
//! section table and graph invariants must catch or load as a sound graph), and the inputs the
//! snapshot fuzz target (`fuzz/`) found.

use std::path::Path;

use keystone::analysis::{floating, paths, rank};
use keystone::graph::{builder, snapshot, Graph};
use keystone::ingest::{Format, ReadOptions};
use keystone::model::Profile;
use keystone::progress::NoProgress;

use crate::workdir::{fixture, graph_of, Workdir};

/// Every analysis a command runs, on a graph that loaded.
fn analyse(graph: &Graph) {
    let ranking = rank::rank(graph, &Default::default(), &NoProgress).unwrap();
    assert_eq!(ranking.rows.len(), graph.node_count());
    if graph.node_count() > 0 {
        let _ = paths::blast(graph.reverse(), 0, None);
        let _ = paths::why(graph.forward(), graph.node_count() as u32 - 1, 0);
        let _ = floating::blast_new_release(&floating::propagation_graph(graph), &[0], None);
    }
}

/// Sets the payload length and CRC-32 in a snapshot header to match its payload.
fn fix_header(bytes: &mut [u8]) {
    let payload = (bytes.len() - 32) as u64;
    let crc = crc32fast::hash(&bytes[32..]);
    bytes[16..24].copy_from_slice(&payload.to_le_bytes());
    bytes[24..28].copy_from_slice(&crc.to_le_bytes());
}

#[test]
fn snapshot_round_trip() {
    let g = graph_of(Format::Debian, &fixture("Packages"), Profile { with_recommends: true, ..Profile::default() });
    let wd = Workdir::new();
    let path = wd.path("g.snap");
    snapshot::save(&g, &path).unwrap();
    assert!(snapshot::is_snapshot(&path));
    assert_eq!(snapshot::load(&path).unwrap(), g);
}

#[test]
fn damaged_snapshots_are_refused() {
    let g = graph_of(Format::CratesIndex, &fixture("crates-index.jsonl"), Profile::default());
    let wd = Workdir::new();
    let path = wd.path("g.snap");
    snapshot::save(&g, &path).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    for cut in (0..bytes.len()).step_by(7) {
        assert!(snapshot::decode(&bytes[..cut]).is_err(), "truncated at {cut}");
    }
    for at in 0..bytes.len() {
        let mut flipped = bytes.clone();
        flipped[at] ^= 0x10;
        assert!(snapshot::decode(&flipped).is_err(), "flipped byte {at}");
    }
    let mut version = bytes.clone();
    version[8] = 99;
    assert!(snapshot::decode(&version).unwrap_err().contains("format version 99"));
}

#[test]
fn damaged_snapshots_behind_the_checksum_are_refused_or_sound() {
    // A mixed graph (three ecosystems, requirements, cycles), so every section has content.
    let wd = Workdir::new();
    let inputs = [
        Format::CratesIndex.reader().read(&fixture("crates-index.jsonl"), &ReadOptions::default(), &NoProgress),
        Format::Debian.reader().read(&fixture("Packages"), &ReadOptions::default(), &NoProgress),
        Format::Npm.reader().read(&fixture("npm/packuments.jsonl"), &ReadOptions::default(), &NoProgress),
    ]
    .map(Result::unwrap);
    let g = builder::build(&inputs, Profile::default(), &NoProgress).unwrap();
    let file = wd.path("g.snap");
    snapshot::save(&g, &file).unwrap();
    let bytes = std::fs::read(&file).unwrap();

    // Truncated anywhere: an error that says so, and `load` names the file.
    for cut in 0..bytes.len() {
        let message = snapshot::decode(&bytes[..cut]).unwrap_err();
        assert!(message.contains("bad magic") || message.contains("truncated"), "cut at {cut}: {message}");
    }
    let cut = wd.create("cut.snap", &bytes[..bytes.len() / 2]);
    let err = snapshot::load(&cut).unwrap_err().to_string();
    assert!(err.starts_with(&format!("{}: truncated or damaged", cut.display())), "{err}");

    // Every byte of the payload changed, with the checksum made to match: the section table
    // and graph invariants must catch what the checksum no longer does. What still decodes
    // must be a graph every analysis can run on.
    let (mut refused, mut accepted) = (0, 0);
    for at in 32..bytes.len() {
        for mask in [0x01u8, 0x80, 0xff] {
            let mut damaged = bytes.clone();
            damaged[at] ^= mask;
            fix_header(&mut damaged);
            match snapshot::decode(&damaged) {
                Ok(graph) => {
                    analyse(&graph);
                    accepted += 1;
                }
                Err(message) => {
                    assert!(!message.is_empty());
                    refused += 1;
                }
            }
        }
    }
    assert!(refused > accepted, "{refused} refused, {accepted} accepted");
    // The payload cut short, checksum fixed: refused, unless only the last section's zero
    // padding was cut.
    for cut in 32..bytes.len() {
        let mut damaged = bytes[..cut].to_vec();
        fix_header(&mut damaged);
        if let Ok(graph) = snapshot::decode(&damaged) {
            assert!(bytes[cut..].iter().all(|&b| b == 0) && graph == g, "payload cut at {cut}");
        }
    }
}

/// The bytes of a snapshot of the Debian fixture.
fn debian_snapshot() -> Vec<u8> {
    let wd = Workdir::new();
    let file = wd.path("g.snap");
    snapshot::save(&graph_of(Format::Debian, &fixture("Packages"), Profile::default()), &file).unwrap();
    std::fs::read(&file).unwrap()
}

/// The byte range of section `index` of a snapshot (after its length word).
fn section(bytes: &[u8], index: usize) -> std::ops::Range<usize> {
    let mut at = 32;
    for i in 0.. {
        let len = u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap()) as usize;
        if i == index {
            return at + 8..at + 8 + len;
        }
        at = (at + 8 + len).next_multiple_of(8);
    }
    unreachable!()
}

#[test]
fn fuzz_finding_csr_offsets_past_the_edges() {
    // Forward offsets that rise past the edge count and fall back to it: the row of node 0
    // ran past the edges (a slice panic) before the fall at node 1 was seen.
    let mut bytes = debian_snapshot();
    let offsets = section(&bytes, 6);
    let edges = (section(&bytes, 7).len() / 4) as u32;
    bytes[offsets.start + 4..offsets.start + 8].copy_from_slice(&(edges + 50).to_le_bytes());
    fix_header(&mut bytes);
    let message = snapshot::decode(&bytes).unwrap_err();
    assert_eq!(message, "offsets run past the edges at node 0");
}

#[test]
fn a_stored_reverse_that_is_not_the_transpose_is_refused() {
    // A well-formed reverse CSR with one edge moved, checksum fixed: only the keyed digest of
    // the edge sets can tell.
    let mut bytes = debian_snapshot();
    let word = |bytes: &[u8], at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap());
    let (offsets, targets) = (section(&bytes, 19), section(&bytes, 20));
    let n = offsets.len() / 4 - 1;
    let v =
        (0..n).find(|&v| word(&bytes, offsets.start + 4 * v + 4) - word(&bytes, offsets.start + 4 * v) == 1).unwrap();
    let at = targets.start + 4 * word(&bytes, offsets.start + 4 * v) as usize;
    let moved = (1..n as u32).map(|d| (word(&bytes, at) + d) % n as u32).find(|&t| t as usize != v).unwrap();
    bytes[at..at + 4].copy_from_slice(&moved.to_le_bytes());
    fix_header(&mut bytes);
    assert_eq!(snapshot::decode(&bytes).unwrap_err(), "the reverse edges are not the transpose of the forward edges");
}

#[test]
fn fuzz_crash_inputs_of_the_snapshot_target_are_refused() {
    // The snapshot target's crash inputs, as it runs them: a first byte, then the file, its
    // header fixed up when that byte is odd.
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/snapshot");
    let mut seen = 0;
    for entry in std::fs::read_dir(corpus).unwrap() {
        let entry = entry.unwrap();
        if !entry.file_name().to_string_lossy().starts_with("crash-") {
            continue;
        }
        let data = std::fs::read(entry.path()).unwrap();
        let mut bytes = data[1..].to_vec();
        if data[0] & 1 == 1 && bytes.len() >= 32 {
            fix_header(&mut bytes);
        }
        if let Ok(graph) = snapshot::decode(&bytes) {
            analyse(&graph);
        }
        seen += 1;
    }
    assert!(seen > 0);
}
