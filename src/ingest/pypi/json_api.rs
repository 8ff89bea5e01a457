//! PyPI JSON API documents (`GET /pypi/<name>/json`), one per line (see [`super`] for which
//! requirements are read).

use std::borrow::Cow;
use std::path::Path;

use pep508_rs::MarkerEnvironment;
use serde::Deserialize;

use super::json::{Object, Text};
use super::{latest, normalize_name, rank, record, requirements, Markers};
use crate::error::Result;
use crate::ingest::lines::records_per_line;
use crate::ingest::{Ingest, ReadOptions, Stream};
use crate::model::{Ecosystem, Ingested, PackageRecord};
use crate::progress::{Progress, Work};

/// PyPI JSON API documents, one per line.
#[derive(Debug, Clone, Default)]
pub struct PypiJson {
    /// The environment requirements are evaluated in.
    pub markers: Markers,
}

#[derive(Deserialize)]
struct Document<'a> {
    #[serde(borrow)]
    info: Info<'a>,
    #[serde(borrow, default)]
    releases: Option<Object<'a, Vec<ReleaseFile>>>,
}

#[derive(Deserialize)]
struct Info<'a> {
    #[serde(borrow)]
    name: Text<'a>,
    #[serde(borrow, default)]
    version: Option<Text<'a>>,
    #[serde(borrow, default)]
    requires_dist: Option<Vec<Text<'a>>>,
}

#[derive(Deserialize)]
struct ReleaseFile {
    #[serde(default)]
    yanked: bool,
}

/// The record of one JSON API document.
fn document(line: &[u8], env: &MarkerEnvironment) -> Result<PackageRecord, String> {
    let doc: Document<'_> = serde_json::from_slice(line).map_err(|e| {
        format!(
            "expected a PyPI JSON API document ({{\"info\": {{\"name\", \"version\", \"requires_dist\"}}, \
             \"releases\": {{...}}}}) on one line: {e}"
        )
    })?;
    let stated = doc.info.version.map(|v| v.0).filter(|v| !v.is_empty());
    let available: Vec<&str> = doc
        .releases
        .iter()
        .flat_map(|r| &r.0)
        .filter(|(_, files)| files.iter().any(|f| !f.yanked))
        .map(|(v, _)| v.0.as_ref())
        .collect();
    let (version, described) = match latest(available.iter().copied()) {
        Some((best, version)) => {
            let described = stated.as_deref().and_then(rank).is_some_and(|r| r.1 == best.1);
            (Some(version.to_string()), described)
        }
        None => (stated.map(Cow::into_owned), true),
    };
    let mut deps = Vec::new();
    if described {
        let texts = doc.info.requires_dist.iter().flatten().map(|t| t.0.as_ref());
        requirements(texts, None, env, &mut deps)?;
    }
    let mut record = record(normalize_name(Ecosystem::Pypi, &doc.info.name.0).into_owned(), version, deps);
    record.releases = available.into_iter().map(str::to_string).collect();
    Ok(record)
}

impl Ingest for PypiJson {
    fn read_stream(&self, input: Stream, path: &Path, opts: &ReadOptions, progress: &dyn Progress) -> Result<Ingested> {
        progress.phase("read PyPI JSON documents", Work::Bytes(input.meter().clone()));
        records_per_line(input, path, opts, |line| vec![document(line, self.markers.env())])
    }
}
