//! Where an output came from: the keystone version, the command line, and each input with its
//! size and SHA-256, so that a table found later can be traced to what made it and checked
//! against the files. Written into Parquet's key-value metadata (key [`KEY`]) and, when asked,
//! as a JSON sidecar beside a CSV or JSON-lines file.
//!
//! The record holds no time, so that the same command on the same files still writes
//! byte-identical tables; a sidecar adds the time it was written.

use std::path::Path;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// The Parquet key-value metadata key of the record.
pub const KEY: &str = "keystone.provenance";

/// One input: a file, or the dataset embedded in the binary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Input {
    /// Its path as given, or the embedded dataset's name.
    pub path: String,
    /// Its size in bytes; null for a folder.
    pub bytes: Option<u64>,
    /// Its SHA-256, in hex; null for a folder.
    pub sha256: Option<String>,
}

impl Input {
    /// A file, hashed as it is read; a folder, by name only.
    pub fn file(path: &Path) -> Result<Input> {
        if path.is_dir() {
            return Ok(Input { path: path.display().to_string(), bytes: None, sha256: None });
        }
        let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let mut hasher = Sha256::new();
        let bytes = std::io::copy(&mut file, &mut hasher).map_err(|e| Error::io(path, e))?;
        Ok(Input { path: path.display().to_string(), bytes: Some(bytes), sha256: Some(hex(&hasher.finalize())) })
    }

    /// Bytes held in memory under `name` (the embedded dataset).
    pub fn bytes(name: &str, data: &[u8]) -> Input {
        Input { path: name.to_string(), bytes: Some(data.len() as u64), sha256: Some(hex(&Sha256::digest(data))) }
    }
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// What made an output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Provenance {
    /// `keystone <version>`.
    pub keystone: String,
    /// The command line, program name first.
    pub command: Vec<String>,
    /// The inputs read (a folder input is named, not hashed).
    pub inputs: Vec<Input>,
}

impl Provenance {
    /// The record of `command` reading `inputs`.
    pub fn new(command: Vec<String>, inputs: Vec<Input>) -> Provenance {
        Provenance { keystone: format!("keystone {}", env!("CARGO_PKG_VERSION")), command, inputs }
    }

    /// As one line of JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a provenance record serialises")
    }
}
