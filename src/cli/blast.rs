//! `keystone blast`: everything that breaks if one package is compromised.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use keystone::analysis::floating::{blast_new_release, propagation_graph};
use keystone::analysis::paths::blast;
use keystone::export::csv::write_blast;

use super::{write_output, CliProgress, GraphArgs};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A snapshot or raw input.
    input: PathBuf,
    /// The compromised package (`name`, or `ecosystem/name`).
    package: String,
    /// Model a malicious new release instead of a compromise of every version: only fresh
    /// installs through floating requirements are affected (see README).
    #[arg(long)]
    new_release: bool,
    /// Follow dependents at most this many steps away.
    #[arg(long, value_name = "D")]
    max_depth: Option<u32>,
    /// Write the CSV of affected packages here (atomically) instead of stdout.
    #[arg(short, long)]
    output: Option<PathBuf>,
    #[command(flatten)]
    graph: GraphArgs,
}

pub fn run(args: Args, progress: &CliProgress) -> Result<ExitCode> {
    let graph = args.graph.load(Some(&args.input), progress)?;
    let x = graph.find(&args.package)?;
    progress.phase_start("blast");
    let search = if args.new_release {
        blast_new_release(&propagation_graph(&graph), x, args.max_depth)
    } else {
        blast(graph.reverse(), x, args.max_depth)
    };
    progress.finish();
    let version = graph.version(x).map(|v| format!(" {v}")).unwrap_or_default();
    let mut summary = format!(
        "{}{}: {} packages affected{}{}",
        graph.display_name(x),
        version,
        search.reached.len(),
        if args.new_release { " by a malicious next release (fresh installs)" } else { "" },
        args.max_depth.map(|d| format!(" within depth {d}")).unwrap_or_default()
    );
    for (i, count) in search.per_depth().iter().enumerate() {
        summary.push_str(&format!("\n  depth {}: {count}", i + 1));
    }
    progress.message(&summary);
    write_output(args.output.as_ref(), |w| write_blast(&graph, &search, w))?;
    Ok(ExitCode::SUCCESS)
}
