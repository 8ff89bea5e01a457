//! `keystone bindings`: candidate bindings (a crate or PyPI package linking a native library
//! Debian packages) seen in raw inputs, as a table for a person to review before adding them to an
//! alias file.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Result};
use keystone::analysis::bindings::candidates;
use keystone::export::tables::write_bindings;
use keystone::graph::snapshot;
use keystone::model::Profile;

use super::args::{OutputArgs, ReadArgs};
use super::output::count;
use super::CliProgress;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Raw inputs: Debian's Packages file and the registries whose bindings to look for (the
    /// crates.io index, a pypi-deps-db); snapshots do not keep the evidence.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    #[command(flatten)]
    output: OutputArgs,
    #[command(flatten)]
    reading: ReadArgs,
}

pub fn run(args: Args, progress: &CliProgress) -> Result<ExitCode> {
    let inputs: Vec<Option<&Path>> = args.inputs.iter().map(|p| Some(p.as_path())).collect();
    args.output.check(&inputs)?;
    if let Some(path) = args.inputs.iter().find(|p| snapshot::is_snapshot(p)) {
        bail!("{}: is a snapshot, which keeps neither `links` nor `Provides`; pass the raw inputs", path.display());
    }
    let ingested = args
        .inputs
        .iter()
        .map(|path| args.reading.read(path, &[Profile::default()], progress))
        .collect::<Result<Vec<_>>>()?;
    let found = candidates(&ingested);
    progress.message(&format!("{} to review", count(found.len(), "candidate binding")));
    progress.phase_start("write table");
    args.output.write(&inputs, |w| write_bindings(&found, w))?;
    Ok(ExitCode::SUCCESS)
}
