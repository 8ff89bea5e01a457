//! `keystone edges`: the graph as an edge list CSV, for other tools (networkx, igraph, …) and
//! for reading back with `--format edges`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use keystone::export::csv::write_edges;

use super::{write_output, CliProgress, GraphArgs};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A snapshot or raw input.
    input: PathBuf,
    /// Write the CSV here (atomically) instead of stdout.
    #[arg(short, long)]
    output: Option<PathBuf>,
    #[command(flatten)]
    graph: GraphArgs,
}

pub fn run(args: Args, progress: &CliProgress) -> Result<ExitCode> {
    let graph = args.graph.load(Some(&args.input), progress)?;
    progress.phase_start("write CSV");
    write_output(args.output.as_ref(), |w| write_edges(&graph, w))?;
    Ok(ExitCode::SUCCESS)
}
