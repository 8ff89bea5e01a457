//! Opening inputs, in one place for every command: a snapshot, a raw input in any format, or
//! (no input) the embedded default dataset; bad records skipped are reported here.

use std::path::Path;

use anyhow::{bail, Result};
use keystone::graph::{builder, snapshot, Graph};
use keystone::ingest::cargo_targets::Targets;
use keystone::ingest::{read_default, Format, FormatOptions};
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
        let options = self.format_options(profiles)?;
        let ingested = format.reader_with(&options).read(path, &self.read_options(), progress)?;
        report_skipped(path, &ingested, progress);
        report_never_built(path, &ingested, &options, progress);
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

/// Says how many target-specific dependencies were left out as never built, and the most
/// common of their targets.
fn report_never_built(path: &Path, ingested: &Ingested, options: &FormatOptions, progress: &CliProgress) {
    let targets = ingested.never_built();
    if targets.is_empty() {
        return;
    }
    let count: usize = targets.iter().map(|(_, n)| n).sum();
    let set = match options.targets.names().count() {
        n if n == Targets::default().names().count() => format!("none of the {n} built-in targets of {}", Targets::rustc()),
        _ => format!("no --target ({})", options.targets.names().collect::<Vec<_>>().join(", ")),
    };
    let common: Vec<String> = targets.iter().take(5).map(|(target, n)| format!("{target} {n}")).collect();
    progress.message(&format!(
        "{}: left out {count} target-specific {} that {set} builds; most common: {}",
        path.display(),
        if count == 1 { "dependency" } else { "dependencies" },
        common.join(", ")
    ));
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
