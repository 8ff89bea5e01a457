//! `keystone rank`: every package (or project, or account) ranked, as a table.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use keystone::analysis::groups::{accounts, group_metrics, projects};
use keystone::analysis::pagerank::{pagerank, PageRankOptions};
use keystone::analysis::score::{evidence, group_evidence, score};
use keystone::export::tables::{write_group_scores, write_groups, write_rank, write_scores};
use keystone::graph::Graph;
use keystone::model::Ecosystem;

use super::args::{GraphArgs, OutputArgs, ReachArgs, ScoreArgs, EXACT_TOP};
use super::output::count;
use super::CliProgress;

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
    /// Rank by the transparent score (packages, projects or accounts), with every signal's
    /// contribution as columns.
    #[arg(long)]
    score: bool,
    #[command(flatten)]
    scoring: ScoreArgs,
    #[command(flatten)]
    output: OutputArgs,
    #[command(flatten)]
    graph: GraphArgs,
    #[command(flatten)]
    reach: ReachArgs,
}

impl By {
    /// The name of `--by`.
    fn as_str(self) -> &'static str {
        match self {
            By::Package => "package",
            By::Project => "project",
            By::Account => "account",
        }
    }
}

pub fn run(args: Args, progress: &CliProgress) -> Result<ExitCode> {
    let scored = args.score || args.scoring.given();
    if args.reach.max_memory.is_some() && args.by != By::Package {
        bail!("--max-memory applies to package rankings; project and account reach is always exact");
    }
    // Every side file and the output's folder are checked before the graph is loaded.
    args.output.check(&[args.input.as_deref()])?;
    let aliases = args.graph.aliases()?;
    let scoring = args.scoring.read(progress)?;
    let graph = args.graph.load_with(args.input.as_deref(), &aliases, progress)?;
    let inputs: Vec<Option<&Path>> =
        std::iter::once(args.input.as_deref()).chain(args.graph.alias_file()).chain(args.scoring.files()).collect();
    if args.by != By::Package {
        let groups = match args.by {
            By::Project => {
                report_project_sources(&graph, !aliases.projects.is_empty(), progress);
                projects(&graph, &aliases.projects).with_context(|| args.graph.aliases_name())?
            }
            _ => accounts(&graph),
        };
        if groups.names.is_empty() {
            bail!("the input names no maintainers, so there are no accounts to rank");
        }
        let (metrics, reach) = group_metrics(graph.reverse(), &groups, progress);
        let kind = args.by.as_str();
        if scored {
            let lists = scoring.popularity(&graph, progress)?;
            let pr = pagerank(graph.forward(), graph.reverse(), &PageRankOptions::default(), progress).scores;
            let evidence = group_evidence(&graph, &groups, &metrics, &reach, &pr, &lists, progress);
            let scores = score(&evidence, &scoring.weights);
            progress.phase_start("write table");
            args.output
                .write(&inputs, |w| write_group_scores(&graph, kind, &groups, &metrics, &scores, args.top, w))?;
        } else {
            progress.phase_start("write table");
            args.output.write(&inputs, |w| write_groups(&graph, kind, &groups, &metrics, &reach, args.top, w))?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let lists = scoring.popularity(&graph, progress)?;
    let ranking = args.reach.rank_scored(&graph, args.top.unwrap_or(EXACT_TOP).max(1), &lists, progress)?;
    if scored {
        let scores = score(&evidence(&graph, &ranking, &lists, progress), &scoring.weights);
        progress.phase_start("write table");
        args.output.write(&inputs, |w| write_scores(&graph, &ranking, &scores, args.top, w))?;
    } else {
        progress.phase_start("write table");
        args.output.write(&inputs, |w| write_rank(&graph, &ranking, args.top, w))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Says on stderr, per ecosystem, how many packages the input gives a project, where that
/// comes from, and what would add it where it is missing; the others are projects of one.
fn report_project_sources(graph: &Graph, aliased: bool, progress: &CliProgress) {
    for eco in graph.ecosystems() {
        let nodes: Vec<u32> = (0..graph.node_count() as u32).filter(|&v| graph.ecosystem(v) == eco).collect();
        let known = nodes.iter().filter(|&&v| graph.project(v).is_some()).count();
        let source = match eco {
            Ecosystem::Debian => "the Source field",
            Ecosystem::Crates => "repositories in the crates.io db-dump or cargo metadata",
            Ecosystem::Npm => "the repository field",
            _ => "the input",
        };
        let mut line = format!("projects: {eco}: {} of {} from {source}", known, count(nodes.len(), "package"));
        if known < nodes.len() {
            line += "; the others are projects of one";
            if !aliased {
                line += " (an alias file, --aliases, joins packages into projects";
                line += if eco == Ecosystem::Crates { "; the crates.io db-dump has repositories)" } else { ")" };
            }
        }
        progress.message(&line);
    }
}
