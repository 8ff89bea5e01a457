//! Typed library errors. Every error that comes from input data carries a [`Location`] and
//! renders as `path:line: message` (or `path: record N: message`), so the CLI can print it as
//! is and the user can open the file at the right place.

use std::fmt;
use std::path::{Path, PathBuf};

/// Where in an input a problem was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file (or archive member, shown as `archive:member`).
    pub path: PathBuf,
    /// 1-based line number, when the format is line-oriented.
    pub line: Option<u64>,
}

impl Location {
    /// A location at `line` of `path`.
    pub fn line(path: impl Into<PathBuf>, line: u64) -> Self {
        Location { path: path.into(), line: Some(line) }
    }

    /// A whole-file location.
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Location { path: path.into(), line: None }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}", self.path.display(), line),
            None => write!(f, "{}", self.path.display()),
        }
    }
}

/// Everything the library can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An I/O error while reading or writing `path`.
    #[error("{path}: {source}")]
    Io {
        /// The file involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// Input that does not follow its format: `at` says where, `message` what was expected.
    #[error("{at}: {message}")]
    Parse {
        /// Where the bad record is.
        at: Location,
        /// What was found and what was expected.
        message: String,
    },
    /// A snapshot file that is not one, is damaged, or was written by another format version.
    #[error("{path}: {message}")]
    Snapshot {
        /// The snapshot file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// A package name that is not in the graph.
    #[error("no package named `{name}` in the graph{}", suggest(.suggestions))]
    UnknownPackage {
        /// The name asked for.
        name: String,
        /// Close names that do exist, best first.
        suggestions: Vec<String>,
    },
    /// A project name that is not among the graph's projects.
    #[error("no project named `{name}`{}", suggest(.suggestions))]
    UnknownProject {
        /// The name asked for.
        name: String,
        /// Close names that do exist, best first.
        suggestions: Vec<String>,
    },
    /// An `ecosystem/name` whose ecosystem keystone does not know.
    #[error("no ecosystem `{prefix}` (this graph holds {}); write ecosystem/name", .present.join(", "))]
    UnknownEcosystem {
        /// The prefix given.
        prefix: String,
        /// The ecosystems the graph holds.
        present: Vec<String>,
    },
    /// A package name that matches packages of several ecosystems.
    #[error("`{name}` names packages in several ecosystems: {}; write one of them", .candidates.join(", "))]
    AmbiguousPackage {
        /// The name asked for.
        name: String,
        /// The qualified names it could mean.
        candidates: Vec<String>,
    },
    /// A computation that needs more memory than it was allowed.
    #[error("{what} need at least {}, over the memory limit of {}", human_bytes(*.needed), human_bytes(*.limit))]
    Memory {
        /// What needed it.
        what: String,
        /// Bytes needed.
        needed: u64,
        /// Bytes allowed.
        limit: u64,
    },
    /// Input past one of the limits that guard memory and time ([`Limit`]): `at` says where.
    #[error("{at}: {limit}")]
    Limit {
        /// Where the limit was reached.
        at: Location,
        /// Which limit.
        limit: Limit,
    },
    /// A request that cannot be carried out as asked (bad option value, unsupported input).
    #[error("{0}")]
    Invalid(String),
}

/// `bytes` in GiB, MiB or KiB, whichever shows it best, e.g. `1.50 GiB`.
pub fn human_bytes(bytes: u64) -> String {
    let units = [("GiB", 1u64 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
    match units.iter().find(|(_, size)| bytes >= *size) {
        Some((unit, size)) => format!("{:.2} {unit}", bytes as f64 / *size as f64),
        None => format!("{bytes} bytes"),
    }
}

fn suggest(suggestions: &[String]) -> String {
    if suggestions.is_empty() {
        String::new()
    } else {
        format!("; did you mean: {}?", suggestions.join(", "))
    }
}

impl Error {
    /// An I/O error on `path`, or the [`Limit`] a decompressing reader reached there.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        match Limit::of(&source) {
            Some(limit) => Error::Limit { at: Location::file(path), limit },
            None => Error::Io { path: path.to_path_buf(), source },
        }
    }

    /// A read error at `at` within a record-oriented input: the [`Limit`] a decompressing
    /// reader reached, or the error as a bad record there.
    pub fn read(at: Location, source: std::io::Error) -> Self {
        match Limit::of(&source) {
            Some(limit) => Error::Limit { at, limit },
            None => Error::Parse { at, message: source.to_string() },
        }
    }

    /// The limit this error reports having reached, if any.
    pub fn limit(&self) -> Option<&Limit> {
        match self {
            Error::Limit { limit, .. } => Some(limit),
            _ => None,
        }
    }

    /// A format error at `at`.
    pub fn parse(at: Location, message: impl Into<String>) -> Self {
        Error::Parse { at, message: message.into() }
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A limit on input that guards memory and time: one record held in memory, or the output of
/// a decompressor (a decompression bomb, or a genuine dump larger than the limit allows). The
/// message says which limit and its value; how to raise it is the caller's to say (the CLI
/// names its flag).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Limit {
    /// One record (`what`: a line, a stanza, an archive member) larger than the limit.
    #[error("a {what} longer than {max_bytes} bytes")]
    Record {
        /// What kind of record.
        what: &'static str,
        /// The limit in bytes.
        max_bytes: u64,
    },
    /// More decompressed bytes than the absolute limit.
    #[error("decompresses to more than {limit} bytes ({:.1} GiB)", *.limit as f64 / (1u64 << 30) as f64)]
    Bytes {
        /// The limit in bytes.
        limit: u64,
    },
    /// A decompressed size out of proportion to the compressed bytes read.
    #[error(
        "decompresses {out} bytes from {compressed} compressed bytes, a ratio above {limit}, as a \
         decompression bomb would"
    )]
    Ratio {
        /// Decompressed bytes so far.
        out: u64,
        /// Compressed bytes read so far.
        compressed: u64,
        /// The largest ratio allowed.
        limit: u64,
    },
}

impl Limit {
    /// The limit carried inside an I/O error (decoders are readers, so they report it as one).
    fn of(error: &std::io::Error) -> Option<Limit> {
        error.get_ref()?.downcast_ref::<Limit>().cloned()
    }
}
