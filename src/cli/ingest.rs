//! `keystone ingest`: read raw inputs into a snapshot file.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use keystone::graph::{builder, snapshot};

use super::args::GraphArgs;
use super::output::check_output;
use super::CliProgress;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Raw inputs (all of one --format, or each recognisable by name).
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// The snapshot file to write.
    #[arg(short, long)]
    output: PathBuf,
    #[command(flatten)]
    graph: GraphArgs,
}

pub fn run(args: Args, progress: &CliProgress) -> Result<ExitCode> {
    let profile = args.graph.edges.profile()?;
    let inputs: Vec<Option<&Path>> = args.inputs.iter().map(|p| Some(p.as_path())).collect();
    check_output(Some(&args.output), &inputs)?;
    let aliases = args.graph.aliases()?;
    let ingested = args
        .inputs
        .iter()
        .map(|path| args.graph.reading.read(path, &[profile], progress))
        .collect::<Result<Vec<_>>>()?;
    let graph = args.graph.bind(builder::build(&ingested, profile, progress)?, &aliases, progress)?;
    progress.phase_start("write snapshot");
    // The records are freed while the snapshot is written.
    rayon::join(|| drop(ingested), || snapshot::save(&graph, &args.output)).1?;
    progress.message(&format!(
        "{}: {} packages, {} edges ({} dependencies)",
        args.output.display(),
        graph.node_count(),
        graph.edge_count(),
        graph.profile().describe()
    ));
    Ok(ExitCode::SUCCESS)
}
