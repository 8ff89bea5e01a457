//! `keystone rank`: every package ranked by reach, as CSV.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use keystone::analysis::rank::rank;
use keystone::export::csv::write_rank;

use super::{write_output, CliProgress, GraphArgs};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A snapshot or raw input; without one, the embedded Debian bookworm Packages file.
    input: Option<PathBuf>,
    /// Only the first N rows.
    #[arg(long, value_name = "N")]
    top: Option<usize>,
    /// Write the CSV here (atomically) instead of stdout.
    #[arg(short, long)]
    output: Option<PathBuf>,
    #[command(flatten)]
    graph: GraphArgs,
}

pub fn run(args: Args, progress: &CliProgress) -> Result<ExitCode> {
    let graph = args.graph.load(args.input.as_deref(), progress)?;
    let ranking = rank(&graph, progress);
    if !ranking.pagerank_converged {
        progress.message(&format!(
            "warning: PageRank did not meet its tolerance in {} rounds",
            ranking.pagerank_iterations
        ));
    }
    progress.phase_start("write CSV");
    write_output(args.output.as_ref(), |w| write_rank(&graph, &ranking, args.top, w))?;
    Ok(ExitCode::SUCCESS)
}
