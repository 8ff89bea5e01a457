//! The snapshot file: a graph saved so that it loads in a fraction of a second.
//!
//! Layout (all integers little-endian):
//! ```text
//! 0   8  magic "KEYSTONE"
//! 8   4  format version (FORMAT_VERSION)
//! 12  4  section count
//! 16  8  payload length in bytes
//! 24  4  CRC-32 of the payload
//! 28  4  zero
//! 32  …  payload: sections, each a u64 byte length, then the bytes, zero-padded to 8
//! ```
//! Sections, in order: profile flags (4 bytes), ecosystem per node (u8), names offsets (u32),
//! names bytes, versions offsets (u32), versions bytes, forward offsets (u32), forward targets
//! (u32), edge flags (u8 per edge), requirement offsets (u32), requirement bytes; then the
//! [`Meta`] tables: project offsets (u32) and bytes, and for maintainers and for
//! releases, the per-node list offsets (u32), string offsets (u32) and bytes. The reverse
//! CSR is rebuilt on load. Magic, version, length and checksum are verified
//! before anything is decoded, and every graph invariant is checked after, so a damaged file
//! gives an error, never a panic or a wrong graph. The profile flags' bits: see `profile_bytes`.

use std::path::Path;

use super::csr::Csr;
use super::{Graph, Meta, StrLists, StrTable};
use crate::error::{Error, Result};
use crate::export::write_atomic;
use crate::model::{Ecosystem, Profile};

/// The first bytes of every snapshot.
pub const MAGIC: &[u8; 8] = b"KEYSTONE";
/// The snapshot format this build reads and writes.
pub const FORMAT_VERSION: u32 = 3;
const HEADER: usize = 32;
const SECTIONS: u32 = 19;

/// Whether the file at `path` starts with the snapshot magic.
pub fn is_snapshot(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 8];
    std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut head)).is_ok() && &head == MAGIC
}

fn u32_bytes(values: &[u32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// Writes `graph` to `path` atomically (a temporary file renamed into place when complete).
pub fn save(graph: &Graph, path: &Path) -> Result<()> {
    let (ecosystems, names, versions, edge_flags, edge_reqs, meta) = graph.tables();
    let (name_bytes, name_offsets) = names.parts();
    let (version_bytes, version_offsets) = versions.parts();
    let (req_bytes, req_offsets) = edge_reqs.parts();
    let sections: Vec<Vec<u8>> = vec![
        profile_bytes(graph.profile()).to_vec(),
        ecosystems.iter().map(|&e| e as u8).collect(),
        u32_bytes(name_offsets),
        name_bytes.as_bytes().to_vec(),
        u32_bytes(version_offsets),
        version_bytes.as_bytes().to_vec(),
        u32_bytes(graph.forward().offsets()),
        u32_bytes(graph.forward().targets()),
        edge_flags.to_vec(),
        u32_bytes(req_offsets),
        req_bytes.as_bytes().to_vec(),
    ];
    let mut sections = sections;
    let (project_bytes, project_offsets) = meta.projects.parts();
    sections.extend([u32_bytes(project_offsets), project_bytes.as_bytes().to_vec()]);
    for lists in [&meta.maintainers, &meta.releases] {
        let (list_offsets, table) = lists.parts();
        let (bytes, offsets) = table.parts();
        sections.extend([u32_bytes(list_offsets), u32_bytes(offsets), bytes.as_bytes().to_vec()]);
    }
    let mut payload = Vec::new();
    for section in &sections {
        payload.extend_from_slice(&(section.len() as u64).to_le_bytes());
        payload.extend_from_slice(section);
        payload.resize(payload.len().next_multiple_of(8), 0);
    }
    let mut header = Vec::with_capacity(HEADER);
    header.extend_from_slice(MAGIC);
    header.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    header.extend_from_slice(&SECTIONS.to_le_bytes());
    header.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    header.extend_from_slice(&crc32fast::hash(&payload).to_le_bytes());
    header.extend_from_slice(&0u32.to_le_bytes());
    write_atomic(path, |w| {
        w.write_all(&header)?;
        w.write_all(&payload)
    })
}

/// Reads the snapshot at `path`, verifying it completely.
pub fn load(path: &Path) -> Result<Graph> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    decode(&bytes).map_err(|message| Error::Snapshot { path: path.to_path_buf(), message })
}

/// Decodes snapshot bytes; the error says what is wrong.
pub fn decode(bytes: &[u8]) -> Result<Graph, String> {
    if bytes.len() < HEADER || &bytes[..8] != MAGIC {
        return Err("not a keystone snapshot (bad magic)".into());
    }
    let word = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
    let version = word(8);
    if version != FORMAT_VERSION {
        return Err(format!(
            "snapshot format version {version}, but this keystone reads version {FORMAT_VERSION}; ingest the input again"
        ));
    }
    let length = u64::from_le_bytes(bytes[16..24].try_into().expect("8 bytes"));
    let payload = &bytes[HEADER..];
    if word(12) != SECTIONS || word(28) != 0 || length != payload.len() as u64 {
        return Err(format!(
            "truncated or damaged: header promises {length} payload bytes, file has {}",
            payload.len()
        ));
    }
    if crc32fast::hash(payload) != word(24) {
        return Err("checksum mismatch: the file is damaged".into());
    }
    let mut sections = Vec::with_capacity(SECTIONS as usize);
    let mut at = 0usize;
    for _ in 0..SECTIONS {
        let len = payload
            .get(at..at + 8)
            .map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes")))
            .ok_or("section table runs past the end")?;
        let start = at + 8;
        let end = usize::try_from(len).ok().and_then(|l| start.checked_add(l)).filter(|&e| e <= payload.len());
        let end = end.ok_or("a section runs past the end")?;
        sections.push(&payload[start..end]);
        at = end.next_multiple_of(8);
    }
    let words = |s: &[u8]| -> Result<Vec<u32>, String> {
        if s.len() % 4 != 0 {
            return Err("a u32 section has a length that is not a multiple of 4".into());
        }
        Ok(s.chunks_exact(4).map(|c| u32::from_le_bytes(c.try_into().expect("4 bytes"))).collect())
    };
    let text = |s: &[u8]| String::from_utf8(s.to_vec()).map_err(|_| "a string section is not UTF-8".to_string());
    let profile = sections[0].try_into().ok().and_then(profile_from_bytes).ok_or("bad profile section")?;
    let ecosystems = sections[1]
        .iter()
        .map(|&e| Ecosystem::from_id(e).ok_or_else(|| format!("unknown ecosystem id {e}")))
        .collect::<Result<Vec<_>, _>>()?;
    let names = StrTable::from_parts(text(sections[3])?, words(sections[2])?)?;
    let versions = StrTable::from_parts(text(sections[5])?, words(sections[4])?)?;
    let forward = Csr::from_parts(words(sections[6])?, words(sections[7])?)?;
    let edge_reqs = StrTable::from_parts(text(sections[10])?, words(sections[9])?)?;
    let n = ecosystems.len();
    let lists = |at: usize| -> Result<StrLists, String> {
        let table = StrTable::from_parts(text(sections[at + 2])?, words(sections[at + 1])?)?;
        StrLists::from_parts(n, words(sections[at])?, table)
    };
    let meta = Meta {
        projects: StrTable::from_parts(text(sections[12])?, words(sections[11])?)?,
        maintainers: lists(13)?,
        releases: lists(16)?,
    };
    Graph::from_parts(ecosystems, names, versions, forward, sections[8].to_vec(), edge_reqs, profile, meta)
}

/// The profile section: byte 0 bit 0 dev, bit 1 normal left out, bit 2 build left out; byte 1
/// bit 0 optional, bit 1 feature-enabled optional; byte 2 recommends; byte 3 peer. Normal and
/// build are stored as left out so that every profile written before they could be is read as
/// it was meant.
fn profile_bytes(p: Profile) -> [u8; 4] {
    let bit = |on: bool, at: u8| u8::from(on) << at;
    [
        bit(p.with_dev, 0) | bit(!p.with_normal, 1) | bit(!p.with_build, 2),
        bit(p.with_optional, 0) | bit(p.with_features, 1),
        bit(p.with_recommends, 0),
        bit(p.with_peer, 0),
    ]
}

/// The profile of a [`profile_bytes`] section, or `None` if it holds unknown bits.
fn profile_from_bytes(b: [u8; 4]) -> Option<Profile> {
    if b[0] > 7 || b[1] > 3 || b[2] > 1 || b[3] > 1 {
        return None;
    }
    let on = |byte: u8, at: u8| byte >> at & 1 == 1;
    Some(Profile {
        with_normal: !on(b[0], 1),
        with_build: !on(b[0], 2),
        with_dev: on(b[0], 0),
        with_optional: on(b[1], 0),
        with_recommends: on(b[2], 0),
        with_peer: on(b[3], 0),
        with_features: on(b[1], 1),
    })
}
