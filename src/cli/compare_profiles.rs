//! `keystone compare-profiles`: one raw input read once, its graph built under two profiles,
//! and how the ranking moves from A to B, as a table with a summary on stderr.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Result};
use keystone::analysis::compare::movements;
use keystone::export::movements::{write_movements, Sides};
use keystone::graph::{builder, snapshot};
use keystone::model::Profile;

use super::args::{CompareArgs, ReachArgs, ReadArgs, EXACT_TOP};
use super::output::{comparison_summary, SUMMARY_TOP};
use super::CliProgress;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A raw input (a snapshot holds the graph of one profile only).
    input: PathBuf,
    /// Profile A, as for --kinds.
    #[arg(long, value_name = "KINDS", default_value = "normal,build")]
    a: Profile,
    /// Profile B, as for --kinds (e.g. normal,build,features).
    #[arg(long, value_name = "KINDS")]
    b: Profile,
    #[command(flatten)]
    compare: CompareArgs,
    #[command(flatten)]
    reading: ReadArgs,
    #[command(flatten)]
    reach: ReachArgs,
}

pub fn run(args: Args, progress: &CliProgress) -> Result<ExitCode> {
    if snapshot::is_snapshot(&args.input) {
        bail!("{}: is a snapshot, which holds the graph of one profile; give the raw input", args.input.display());
    }
    args.compare.output.check(&[Some(args.input.as_path())])?;
    let inputs = [args.reading.read(&args.input, &[args.a, args.b], progress)?];
    let a = builder::build(&inputs, args.a, progress)?;
    let b = builder::build(&inputs, args.b, progress)?;
    let exact_top = args.compare.top.unwrap_or(SUMMARY_TOP).max(EXACT_TOP);
    let (a_ranking, b_ranking) = (args.reach.rank(&a, exact_top, progress)?, args.reach.rank(&b, exact_top, progress)?);
    let moves = movements((&a, &a_ranking), (&b, &b_ranking));
    progress.finish();
    let what = args.input.display().to_string();
    comparison_summary(
        &moves,
        &[("A", what.clone(), &a), ("B", what, &b)],
        args.compare.top.unwrap_or(SUMMARY_TOP),
        args.compare.min_reach,
        progress,
    );
    args.compare
        .output
        .write(&[Some(args.input.as_path())], |w| write_movements(&moves, args.compare.top, Sides::Profiles, w))?;
    Ok(ExitCode::SUCCESS)
}
