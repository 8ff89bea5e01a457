//! Opening inputs, in one place for every command: a snapshot, a raw input in any format, or
//! (no input) the embedded default dataset; bad records skipped are reported here.

use std::path::Path;

use anyhow::{bail, Result};
use keystone::graph::{builder, snapshot, Graph};
use keystone::ingest::{read_default, Format};
use keystone::model::{Ingested, Profile};

use super::args::{GraphArgs, ReadArgs};
use super::CliProgress;

impl ReadArgs {
    /// Reads one raw input, for graphs of `profiles`.
    pub(crate) fn read(&self, path: &Path, profiles: &[Profile], progress: &CliProgress) -> Result<Ingested> {
        let Some(format) = self.format.or_else(|| Format::guess(path)) else {
            bail!(
                "{}: cannot tell the format from the name; pass --format with one of: {}",
                path.display(),
                Format::ALL.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(", ")
            );
        };
        let reader = format.reader_with(&self.format_options(profiles)?);
        let ingested = reader.read(path, &self.read_options(), progress)?;
        report_skipped(path, &ingested, progress);
        Ok(ingested)
    }
}

impl GraphArgs {
    /// Loads the graph of `input`: a snapshot, a raw input, or (none) the embedded default.
    pub(crate) fn load(&self, input: Option<&Path>, progress: &CliProgress) -> Result<Graph> {
        let profile = self.edges.profile()?;
        let ingested = match input {
            Some(path) if snapshot::is_snapshot(path) => {
                progress.phase_start("load snapshot");
                let graph = snapshot::load(path)?;
                if self.reading.format.is_some() || profile != Profile::default() && profile != graph.profile() {
                    bail!(
                        "{}: is a snapshot built with {} dependencies; --format, --kinds and --with-* apply when \
                         ingesting",
                        path.display(),
                        graph.profile().describe()
                    );
                }
                return Ok(graph);
            }
            Some(path) => self.reading.read(path, &[profile], progress)?,
            None => read_default(&self.reading.read_options(), progress)?,
        };
        Ok(builder::build(&[ingested], profile, progress)?)
    }
}

fn report_skipped(path: &Path, ingested: &Ingested, progress: &CliProgress) {
    if ingested.skipped.count > 0 {
        progress.message(&format!(
            "{}: skipped {} bad records; the first: {}",
            path.display(),
            ingested.skipped.count,
            ingested.skipped.first.as_deref().unwrap_or("")
        ));
    }
}
