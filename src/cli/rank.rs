//! `keystone rank`: every package (or project, or account) ranked, as CSV.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use keystone::analysis::groups::{accounts, group_metrics, projects};
use keystone::analysis::rank::Ranking;
use keystone::analysis::score::{inputs, score, Popularity, Weights};
use keystone::export::csv::{write_groups, write_rank, write_scores};
use keystone::graph::Graph;
use keystone::inputs::{read_aliases, read_popularity, read_weights};
use keystone::model::Ecosystem;

use super::{write_output, CliProgress, GraphArgs, ReachArgs};

/// What the rows of the ranking are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum By {
    /// One row per package.
    Package,
    /// One row per upstream project (Debian source, repository, or the alias file).
    Project,
    /// One row per account that can publish packages.
    Account,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A snapshot or raw input; without one, the embedded Debian bookworm Packages file.
    input: Option<PathBuf>,
    /// Only the first N rows.
    #[arg(long, value_name = "N")]
    top: Option<usize>,
    /// Rank packages, projects or accounts.
    #[arg(long, value_enum, default_value_t = By::Package)]
    by: By,
    /// A TOML file joining packages into named projects (with `--by project`; see README).
    #[arg(long, value_name = "FILE")]
    aliases: Option<PathBuf>,
    /// Rank packages by the transparent score, with every signal's contribution as columns.
    #[arg(long)]
    score: bool,
    /// Score weights (TOML `[weights]`); implies --score.
    #[arg(long, value_name = "FILE")]
    weights: Option<PathBuf>,
    /// A popularity list for one ecosystem (monthly downloads or a rank), e.g.
    /// `npm=npm_downloads_a_month.tsv.zst`; repeatable; implies --score.
    #[arg(long, value_parser = parse_popularity, value_name = "ECO=FILE")]
    popularity: Vec<(Ecosystem, PathBuf)>,
    /// Write the CSV here (atomically) instead of stdout.
    #[arg(short, long)]
    output: Option<PathBuf>,
    #[command(flatten)]
    graph: GraphArgs,
    #[command(flatten)]
    reach: ReachArgs,
}

/// How many of the largest values are exact even when reach has to be estimated, for commands
/// without `--top`.
pub const EXACT_TOP: usize = 1000;

pub fn parse_popularity(s: &str) -> Result<(Ecosystem, PathBuf), String> {
    let (eco, path) = s.split_once('=').ok_or_else(|| format!("`{s}`: expected ECOSYSTEM=FILE"))?;
    Ok((eco.parse()?, PathBuf::from(path)))
}

/// The score's weights and popularity lists, read for `graph`.
pub fn score_inputs(
    weights: Option<&Path>,
    popularity: &[(Ecosystem, PathBuf)],
    graph: &Graph,
    ranking: &Ranking,
) -> Result<(Weights, Vec<Popularity>)> {
    if !popularity.is_empty() && ranking.reach_approximation.is_some() {
        bail!("--popularity needs exact reach sets, which passed the memory limit; raise --max-memory");
    }
    let weights = weights.map(read_weights).transpose()?.unwrap_or_default();
    let lists = popularity
        .iter()
        .map(|(eco, path)| Ok((*eco, read_popularity(path, *eco, graph)?)))
        .collect::<Result<Vec<_>>>()
        .context("reading a popularity list")?;
    Ok((weights, lists))
}

pub fn run(args: Args, progress: &CliProgress) -> Result<ExitCode> {
    let scored = args.score || args.weights.is_some() || !args.popularity.is_empty();
    if scored && args.by != By::Package {
        bail!("--score ranks packages; it does not combine with --by {:?}", args.by);
    }
    if args.aliases.is_some() && args.by != By::Project {
        bail!("--aliases applies to --by project");
    }
    if args.reach.max_memory.is_some() && args.by != By::Package {
        bail!("--max-memory applies to package rankings; project and account reach is always exact");
    }
    let graph = args.graph.load(args.input.as_deref(), progress)?;
    if args.by != By::Package {
        let groups = match args.by {
            By::Project => {
                projects(&graph, &args.aliases.as_deref().map(read_aliases).transpose()?.unwrap_or_default())?
            }
            _ => accounts(&graph),
        };
        if groups.names.is_empty() {
            bail!("the input names no maintainers, so there are no accounts to rank");
        }
        let (metrics, reach) = group_metrics(graph.reverse(), &groups, progress);
        progress.phase_start("write CSV");
        let kind = if args.by == By::Project { "project" } else { "account" };
        write_output(args.output.as_ref(), |w| write_groups(&graph, kind, &groups, &metrics, &reach, args.top, w))?;
        return Ok(ExitCode::SUCCESS);
    }
    let ranking = args.reach.rank(&graph, args.top.unwrap_or(EXACT_TOP).max(1), progress)?;
    if scored {
        let (weights, lists) = score_inputs(args.weights.as_deref(), &args.popularity, &graph, &ranking)?;
        let scores = score(&inputs(&graph, &ranking, &lists, progress), graph.node_count(), &weights);
        progress.phase_start("write CSV");
        write_output(args.output.as_ref(), |w| write_scores(&graph, &ranking, &scores, &weights, args.top, w))?;
    } else {
        progress.phase_start("write CSV");
        write_output(args.output.as_ref(), |w| write_rank(&graph, &ranking, args.top, w))?;
    }
    Ok(ExitCode::SUCCESS)
}
