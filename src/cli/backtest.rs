//! `keystone backtest`: where the packages of real incidents (OSV records) ranked.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use keystone::analysis::groups::{group_metrics, projects, AdvisoryMatch, Groups};
use keystone::analysis::score::{evidence, score};
use keystone::export::tables::write_backtest;
use keystone::graph::Graph;
use keystone::ingest::side::read_osv;
use keystone::model::Advisory;

use super::args::{GraphArgs, OutputArgs, ReachArgs, ScoreArgs, EXACT_TOP};
use super::CliProgress;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// OSV records: one JSON object per line (plain or compressed), a folder of `.json` records,
    /// or a zip of them as osv.dev ships each ecosystem.
    osv: PathBuf,
    /// A snapshot or raw input to rank; without one, the embedded Debian bookworm file.
    input: Option<PathBuf>,
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
    // Every side file and the output's folder are checked before the graph is loaded.
    args.output.check(&[Some(args.osv.as_path()), args.input.as_deref()])?;
    let advisories = read_osv(&args.osv)?;
    let aliases = args.graph.aliases()?;
    let scoring = args.scoring.read(progress)?;
    let graph = args.graph.load_with(args.input.as_deref(), &aliases, progress)?;
    let lists = scoring.popularity(&graph, progress)?;
    let ranking = args.reach.rank_scored(&graph, EXACT_TOP, &lists, progress)?;
    let scores = score(&evidence(&graph, &ranking, &lists, progress), &scoring.weights);
    let groups = projects(&graph, &aliases.projects).with_context(|| args.graph.aliases_name())?;
    let (metrics, _) = group_metrics(graph.reverse(), &groups, progress);
    report_unmatched(&advisories, &graph, &groups, progress);
    progress.phase_start("write table");
    let inputs: Vec<Option<&Path>> = [Some(args.osv.as_path()), args.input.as_deref()]
        .into_iter()
        .chain(args.graph.alias_file())
        .chain(args.scoring.files())
        .collect();
    args.output.write(&inputs, |w| write_backtest(&graph, &advisories, &ranking, &scores, &groups, &metrics, w))?;
    Ok(ExitCode::SUCCESS)
}

/// Says on stderr which advisories match no package or project of the graph, and why.
fn report_unmatched(advisories: &[Advisory], graph: &Graph, groups: &Groups, progress: &CliProgress) {
    for note in advisories.iter().filter_map(|a| AdvisoryMatch::of(a, graph, groups).unmatched(a)) {
        progress.message(&note);
    }
}
