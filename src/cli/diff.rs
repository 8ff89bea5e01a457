//! `keystone diff`: how the ranking moved between an old and a new graph (two dumps of an
//! ecosystem), as a table, with a summary on stderr.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use keystone::analysis::compare::movements;
use keystone::export::movements::{write_movements, Sides};

use super::args::{CompareArgs, GraphArgs, ReachArgs, EXACT_TOP};
use super::output::{comparison_summary, SUMMARY_TOP};
use super::CliProgress;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The old graph: a snapshot or raw input.
    old: PathBuf,
    /// The new graph: a snapshot or raw input.
    new: PathBuf,
    #[command(flatten)]
    compare: CompareArgs,
    #[command(flatten)]
    graph: GraphArgs,
    #[command(flatten)]
    reach: ReachArgs,
}

pub fn run(args: Args, progress: &CliProgress) -> Result<ExitCode> {
    args.compare.output.check(&[Some(args.old.as_path()), Some(args.new.as_path())])?;
    let old =
        args.graph.load(Some(&args.old), progress).with_context(|| format!("old graph {}", args.old.display()))?;
    let new =
        args.graph.load(Some(&args.new), progress).with_context(|| format!("new graph {}", args.new.display()))?;
    let exact_top = args.compare.top.unwrap_or(SUMMARY_TOP).max(EXACT_TOP);
    let (old_ranking, new_ranking) =
        (args.reach.rank(&old, exact_top, progress)?, args.reach.rank(&new, exact_top, progress)?);
    let moves = movements((&old, &old_ranking), (&new, &new_ranking));
    progress.finish();
    let sides = [("old", args.old.display().to_string(), &old), ("new", args.new.display().to_string(), &new)];
    comparison_summary(&moves, &sides, args.compare.top.unwrap_or(SUMMARY_TOP), args.compare.min_reach, progress);
    let inputs: Vec<Option<&Path>> =
        [Some(args.old.as_path()), Some(args.new.as_path())].into_iter().chain(args.graph.alias_file()).collect();
    args.compare.output.write(&inputs, |w| write_movements(&moves, args.compare.top, Sides::OldNew, w))?;
    Ok(ExitCode::SUCCESS)
}
