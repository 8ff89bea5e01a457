//! `keystone backtest`: where the packages of real incidents (OSV records) ranked.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use keystone::analysis::groups::{group_metrics, projects};
use keystone::analysis::score::{evidence, score};
use keystone::export::csv::write_backtest;
use keystone::ingest::side::{read_aliases, read_osv};

use super::args::{GraphArgs, OutputArgs, ReachArgs, ScoreArgs, EXACT_TOP};
use super::output::write_output;
use super::CliProgress;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// OSV records, one JSON object per line (plain or compressed).
    osv: PathBuf,
    /// A snapshot or raw input to rank; without one, the embedded Debian bookworm file.
    input: Option<PathBuf>,
    /// A TOML file joining packages into named projects, so that an advisory naming an
    /// upstream project (OSV's Debian `xz`) finds its packages (see docs/model.md).
    #[arg(long, value_name = "FILE")]
    aliases: Option<PathBuf>,
    #[command(flatten)]
    scoring: ScoreArgs,
    #[command(flatten)]
    output: OutputArgs,
    #[command(flatten)]
    graph: GraphArgs,
    #[command(flatten)]
    reach: ReachArgs,
}

pub fn run(args: Args, progress: &CliProgress) -> Result<ExitCode> {
    let advisories = read_osv(&args.osv)?;
    let graph = args.graph.load(args.input.as_deref(), progress)?;
    let ranking = args.reach.rank(&graph, EXACT_TOP, progress)?;
    let (weights, lists) = args.scoring.read(&graph, &ranking)?;
    let scores = score(&evidence(&graph, &ranking, &lists, progress), graph.node_count(), &weights);
    let groups = projects(&graph, &args.aliases.as_deref().map(read_aliases).transpose()?.unwrap_or_default())?;
    let (metrics, _) = group_metrics(graph.reverse(), &groups, progress);
    progress.phase_start("write CSV");
    write_output(args.output.path(), |w| write_backtest(&graph, &advisories, &ranking, &scores, &groups, &metrics, w))?;
    Ok(ExitCode::SUCCESS)
}
