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
//! releases, the per-node list offsets (u32), string offsets (u32) and bytes; last, the
//! reverse CSR's offsets and targets (stored, since building the transpose took a third of the
//! load time). Magic, version, length and checksum are verified before anything is decoded,
//! and every graph invariant is checked after (the reverse edges against the forward ones by a
//! keyed digest), so a damaged or crafted file gives an error, never a panic or a wrong graph. The profile flags' bits: see `profile_bytes`.

use std::path::Path;

use rayon::prelude::*;

use super::csr::Csr;
use super::{Graph, Meta, Parts, StrLists, StrTable};
use crate::atomic::write_atomic;
use crate::error::{Error, Result};
use crate::model::{Ecosystem, Profile};

/// The first bytes of every snapshot.
pub const MAGIC: &[u8; 8] = b"KEYSTONE";
/// The snapshot format this build reads and writes.
pub const FORMAT_VERSION: u32 = 4;
const HEADER: usize = 32;
const SECTIONS: u32 = 21;

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
    let Graph { ecosystems, names, versions, edge_flags, edge_reqs, meta, .. } = graph;
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
    sections.extend([u32_bytes(graph.reverse().offsets()), u32_bytes(graph.reverse().targets())]);
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

/// Reads the snapshot at `path`, verifying it completely. Each section is read straight into
/// the array that keeps it; nothing is decoded before the checksum of the whole has matched.
pub fn load(path: &Path) -> Result<Graph> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let len = file.metadata().map_err(|e| Error::io(path, e))?.len();
    read(&file, len).map_err(|problem| match problem {
        Problem::Io(e) => Error::io(path, e),
        Problem::Damaged(message) => Error::Snapshot { path: path.to_path_buf(), message },
    })
}

/// Decodes snapshot bytes; the error says what is wrong.
pub fn decode(bytes: &[u8]) -> Result<Graph, String> {
    read(&bytes, bytes.len() as u64).map_err(|problem| match problem {
        Problem::Io(e) => e.to_string(),
        Problem::Damaged(message) => message,
    })
}

/// Why a snapshot could not be read.
enum Problem {
    Io(std::io::Error),
    Damaged(String),
}

impl From<std::io::Error> for Problem {
    fn from(e: std::io::Error) -> Self {
        Problem::Io(e)
    }
}

impl From<String> for Problem {
    fn from(message: String) -> Self {
        Problem::Damaged(message)
    }
}

impl From<&str> for Problem {
    fn from(message: &str) -> Self {
        Problem::Damaged(message.into())
    }
}

/// Which sections hold `u32` words (the rest are bytes: flags, ecosystems, UTF-8 strings).
const WORD_SECTIONS: [usize; 12] = [2, 4, 6, 7, 9, 11, 13, 14, 16, 17, 19, 20];

/// The payload being read: what is left of it, and the checksum of what was read.
struct Payload<'r> {
    source: &'r dyn Source,
    at: u64,
    left: u64,
    crc: crc32fast::Hasher,
}

/// Bytes read in one piece by one thread: large sections are read in parallel pieces.
const PIECE: usize = 4 << 20;

impl Payload<'_> {
    /// Fills `buffer` from the payload, pieces in parallel, and adds it to the checksum.
    fn take(&mut self, buffer: &mut [u8]) -> Result<(), Problem> {
        self.left = self.left.checked_sub(buffer.len() as u64).ok_or("a section runs past the end")?;
        let at = self.at;
        let pieces = buffer
            .par_chunks_mut(PIECE)
            .enumerate()
            .map(|(i, piece)| {
                self.source.read_exact_at(piece, at + (i * PIECE) as u64)?;
                let mut crc = crc32fast::Hasher::new();
                crc.update(piece);
                Ok(crc)
            })
            .collect::<std::io::Result<Vec<_>>>()?;
        pieces.iter().for_each(|crc| self.crc.combine(crc));
        self.at += buffer.len() as u64;
        Ok(())
    }
}

/// What a snapshot is read from: bytes at an offset, from any thread.
trait Source: Sync {
    fn read_exact_at(&self, buffer: &mut [u8], offset: u64) -> std::io::Result<()>;
}

impl Source for &[u8] {
    fn read_exact_at(&self, buffer: &mut [u8], offset: u64) -> std::io::Result<()> {
        let start = usize::try_from(offset).unwrap_or(usize::MAX);
        let bytes = start.checked_add(buffer.len()).and_then(|end| self.get(start..end));
        buffer.copy_from_slice(bytes.ok_or(std::io::ErrorKind::UnexpectedEof)?);
        Ok(())
    }
}

impl Source for std::fs::File {
    #[cfg(unix)]
    fn read_exact_at(&self, buffer: &mut [u8], offset: u64) -> std::io::Result<()> {
        std::os::unix::fs::FileExt::read_exact_at(self, buffer, offset)
    }

    #[cfg(windows)]
    fn read_exact_at(&self, mut buffer: &mut [u8], mut offset: u64) -> std::io::Result<()> {
        while !buffer.is_empty() {
            match std::os::windows::fs::FileExt::seek_read(self, buffer, offset)? {
                0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
                n => (buffer, offset) = (&mut buffer[n..], offset + n as u64),
            }
        }
        Ok(())
    }
}

/// Reads a snapshot of `len` bytes from `source`.
fn read(source: &dyn Source, len: u64) -> Result<Graph, Problem> {
    let mut header = [0u8; HEADER];
    if len < HEADER as u64 {
        return Err("not a keystone snapshot (bad magic)".into());
    }
    source.read_exact_at(&mut header, 0)?;
    if &header[..8] != MAGIC {
        return Err("not a keystone snapshot (bad magic)".into());
    }
    let word = |at: usize| u32::from_le_bytes(header[at..at + 4].try_into().expect("4 bytes"));
    let version = word(8);
    if version != FORMAT_VERSION {
        return Err(format!(
            "snapshot format version {version}, but this keystone reads version {FORMAT_VERSION}; ingest the input again"
        )
        .into());
    }
    let length = u64::from_le_bytes(header[16..24].try_into().expect("8 bytes"));
    let payload = len - HEADER as u64;
    if word(12) != SECTIONS || word(28) != 0 || length != payload {
        return Err(format!("truncated or damaged: header promises {length} payload bytes, file has {payload}").into());
    }
    let mut payload = Payload { source, at: HEADER as u64, left: payload, crc: crc32fast::Hasher::new() };
    // Section `i` lands in `words[i]` or `bytes[i]`, the other left empty.
    let mut words: Vec<Vec<u32>> = vec![Vec::new(); SECTIONS as usize];
    let mut bytes: Vec<Vec<u8>> = vec![Vec::new(); SECTIONS as usize];
    for i in 0..SECTIONS as usize {
        let mut size = [0u8; 8];
        payload.take(&mut size).map_err(|_| Problem::from("section table runs past the end"))?;
        let size = u64::from_le_bytes(size);
        if size > payload.left {
            return Err("a section runs past the end".into());
        }
        if WORD_SECTIONS.contains(&i) {
            if size % 4 != 0 {
                return Err("a u32 section has a length that is not a multiple of 4".into());
            }
            words[i] = vec![0u32; (size / 4) as usize];
            payload.take(bytemuck::cast_slice_mut(&mut words[i]))?;
            words[i].iter_mut().for_each(|w| *w = u32::from_le(*w));
        } else {
            bytes[i] = vec![0u8; size as usize];
            payload.take(&mut bytes[i])?;
        }
        let mut padding = vec![0u8; (size.next_multiple_of(8) - size).min(payload.left) as usize];
        payload.take(&mut padding)?;
    }
    if payload.left != 0 {
        return Err(format!("{} bytes past the last section", payload.left).into());
    }
    if payload.crc.finalize() != word(24) {
        return Err("checksum mismatch: the file is damaged".into());
    }
    let profile =
        <[u8; 4]>::try_from(bytes[0].as_slice()).ok().and_then(profile_from_bytes).ok_or("bad profile section")?;
    let ecosystems = bytes[1]
        .iter()
        .map(|&e| Ecosystem::from_id(e).ok_or_else(|| format!("unknown ecosystem id {e}")))
        .collect::<Result<Vec<_>, _>>()?;
    let edge_flags = std::mem::take(&mut bytes[8]);
    let mut words = |i: usize| std::mem::take(&mut words[i]);
    let mut text = |i: usize| {
        String::from_utf8(std::mem::take(&mut bytes[i])).map_err(|_| "a string section is not UTF-8".to_string())
    };
    let names = StrTable::from_parts(text(3)?, words(2))?;
    let versions = StrTable::from_parts(text(5)?, words(4))?;
    let forward = Csr::from_parts(words(6), words(7))?;
    let edge_reqs = StrTable::from_parts(text(10)?, words(9))?;
    let n = ecosystems.len();
    let mut lists = |at: usize| -> Result<StrLists, String> {
        let table = StrTable::from_parts(text(at + 2)?, words(at + 1))?;
        StrLists::from_parts(n, words(at), table)
    };
    let maintainers = lists(13)?;
    let releases = lists(16)?;
    let projects = StrTable::from_parts(text(12)?, words(11))?;
    let meta = Meta { projects, maintainers, releases };
    let reverse = Csr::from_parts(words(19), words(20))?;
    Ok(Graph::from_parts(Parts {
        ecosystems,
        names,
        versions,
        forward,
        reverse,
        edge_flags,
        edge_reqs,
        profile,
        meta,
    })?)
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
