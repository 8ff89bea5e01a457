//! Opening inputs, in one place for every command: a snapshot, a raw input in any format, or
//! (no input) the embedded default dataset; bad records skipped are reported here.

use std::path::Path;

use anyhow::{bail, Context, Result};
use keystone::graph::{builder, snapshot, Graph};
use keystone::ingest::cargo_targets::Targets;
use keystone::ingest::side::{read_aliases, Aliases};
use keystone::ingest::{read_default, Format, FormatOptions};
use keystone::model::{Ingested, Profile};

use super::args::{GraphArgs, ReadArgs};
use super::output::count;
use super::CliProgress;

impl ReadArgs {
    /// Reads one raw input, for graphs of `profiles`.
    /// An input with no package records is an error.
    pub(crate) fn read(&self, path: &Path, profiles: &[Profile], progress: &CliProgress) -> Result<Ingested> {
        let format = self.format_of(path)?;
        let options = self.format_options(profiles)?;
        let ingested = format.reader_with(&options).read(path, &self.read_options(), progress)?;
        report_skipped(path, &ingested, progress);
        self.report_never_built(path, &ingested, &options, progress);
        if ingested.packages.is_empty() {
            bail!("{}: holds no package records, read as {format}", path.display());
        }
        Ok(ingested)
    }

    /// Says how many target-specific dependencies were left out as never built, and the most
    /// common of their targets.
    fn report_never_built(&self, path: &Path, ingested: &Ingested, options: &FormatOptions, progress: &CliProgress) {
        let targets = ingested.never_built();
        if targets.is_empty() {
            return;
        }
        let left_out = count(targets.iter().map(|(_, n)| n).sum(), "target-specific dependency");
        let targets_of = options.cargo.targets.names();
        let set = if self.targets.is_empty() {
            format!("none of the {} built-in targets of {}", targets_of.count(), Targets::rustc())
        } else {
            format!("no --target ({})", targets_of.collect::<Vec<_>>().join(", "))
        };
        let common: Vec<String> = targets.iter().take(5).map(|(target, n)| format!("{target} {n}")).collect();
        progress.message(&format!(
            "{}: left out {left_out} that {set} builds; most common: {}",
            path.display(),
            common.join(", ")
        ));
    }

    /// The format of the raw input at `path`: `--format`, or told from its name; a missing
    /// path, a folder of no known layout and a file of no known name each get their own error.
    fn format_of(&self, path: &Path) -> Result<Format> {
        if !path.exists() {
            bail!("{}: no such file or folder", path.display());
        }
        if let Some(format) = self.format {
            return Ok(format);
        }
        let names = || Format::ALL.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(", ");
        match Format::guess(path) {
            Some(format) => Ok(format),
            None if path.is_dir() => bail!(
                "{}: a folder keystone does not read: expected a crates.io db-dump (data/crates.csv), a crates.io \
                 index checkout (config.json) or a pypi-deps-db (sdist/ or wheel/)",
                path.display()
            ),
            None => bail!(
                "{}: not a snapshot (which starts with `{}`), and the name does not tell the format; pass --format \
                 with one of: {}",
                path.display(),
                String::from_utf8_lossy(snapshot::MAGIC),
                names()
            ),
        }
    }
}

impl GraphArgs {
    /// The alias file, or an empty one without `--aliases`.
    pub(crate) fn aliases(&self) -> Result<Aliases> {
        Ok(self.aliases.as_deref().map(read_aliases).transpose()?.unwrap_or_default())
    }

    /// The alias file, as an input the output depends on.
    pub(crate) fn alias_file(&self) -> Option<Option<&Path>> {
        self.aliases.as_deref().map(Some)
    }

    /// The alias file's name, for errors about its contents.
    pub(crate) fn aliases_name(&self) -> String {
        self.aliases.as_deref().map(|p| p.display().to_string()).unwrap_or_default()
    }

    /// `graph` with the alias file's bindings added as edges, saying on stderr how many.
    pub(crate) fn bind(&self, graph: Graph, aliases: &Aliases, progress: &CliProgress) -> Result<Graph> {
        let Some(path) = self.aliases.as_ref().filter(|_| !aliases.bindings.is_empty()) else { return Ok(graph) };
        let (edges, skipped) = graph.binding_edges(&aliases.bindings).with_context(|| self.aliases_name())?;
        let bound = graph.with_edges(&edges);
        let mut line =
            format!("{}: {} from bindings", path.display(), count(bound.edge_count() - graph.edge_count(), "new edge"));
        if skipped > 0 {
            line += &format!(" ({} into ecosystems the graph does not hold skipped)", count(skipped, "binding edge"));
        }
        progress.message(&line);
        Ok(bound)
    }

    /// Loads the graph of `input`: a snapshot, a raw input, or (none) the embedded default,
    /// with the alias file's bindings.
    pub(crate) fn load(&self, input: Option<&Path>, progress: &CliProgress) -> Result<Graph> {
        self.load_with(input, &self.aliases()?, progress)
    }

    /// [`load`](GraphArgs::load) with the alias file already read, for commands that use its
    /// projects too.
    pub(crate) fn load_with(&self, input: Option<&Path>, aliases: &Aliases, progress: &CliProgress) -> Result<Graph> {
        let graph = self.load_plain(input, progress)?;
        self.bind(graph, aliases, progress)
    }

    fn load_plain(&self, input: Option<&Path>, progress: &CliProgress) -> Result<Graph> {
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
            "{}: skipped {}; the first: {}",
            path.display(),
            count(ingested.skipped.count as usize, "bad record"),
            ingested.skipped.first.as_deref().unwrap_or("")
        ));
    }
}
