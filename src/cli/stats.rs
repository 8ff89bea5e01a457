//! `keystone stats`: size, cycles, roots and leaves of a graph.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use keystone::analysis::stats::stats;

use super::args::GraphArgs;
use super::CliProgress;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A snapshot or raw input.
    input: PathBuf,
    #[command(flatten)]
    graph: GraphArgs,
}

pub fn run(args: Args, progress: &CliProgress) -> Result<ExitCode> {
    let graph = args.graph.load(Some(&args.input), progress)?;
    let s = stats(&graph);
    progress.finish();
    let per_eco: Vec<String> = s.packages.iter().map(|(e, n)| format!("{e}: {n}")).collect();
    println!("packages: {} ({})", graph.node_count(), per_eco.join(", "));
    println!("edges: {} ({} dependencies)", s.edges, graph.profile().describe());
    println!(
        "requirements: {} floating, {} pinned, {} unreadable (counted as floating)",
        s.floating_edges,
        s.edges - s.floating_edges,
        s.unparsed_edges
    );
    println!("strongly connected components: {}", s.components);
    println!("cycles: {} components holding {} packages", s.cyclic_components, s.packages_in_cycles);
    println!("largest component: {}", s.largest_component);
    println!("packages nobody depends on: {}", s.no_dependents);
    println!("packages that depend on nothing: {}", s.no_dependencies);
    Ok(ExitCode::SUCCESS)
}
