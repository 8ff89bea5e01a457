//! `keystone edges`: the whole graph as a table, one row per edge, for other tools (networkx,
//! igraph, …) and for reading back with `--format edges`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use keystone::export::tables::write_edges;

use super::args::{GraphArgs, OutputArgs};
use super::CliProgress;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A snapshot or raw input.
    input: PathBuf,
    #[command(flatten)]
    output: OutputArgs,
    #[command(flatten)]
    graph: GraphArgs,
}

pub fn run(args: Args, progress: &CliProgress) -> Result<ExitCode> {
    args.output.check(&[Some(args.input.as_path())])?;
    let graph = args.graph.load(Some(&args.input), progress)?;
    progress.phase_start("write table");
    let inputs: Vec<Option<&Path>> =
        std::iter::once(Some(args.input.as_path())).chain(args.graph.alias_file()).collect();
    args.output.write(&inputs, |w| write_edges(&graph, w))?;
    Ok(ExitCode::SUCCESS)
}
