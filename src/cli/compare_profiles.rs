//! `keystone compare-profiles`: one raw input read once, its graph built under two profiles,
//! and how the ranking moves from A to B, as CSV with a summary on stderr.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Result};
use keystone::analysis::compare::movements;
use keystone::export::movements::{write_movements, Sides};
use keystone::graph::{builder, snapshot};
use keystone::model::Profile;

use super::diff::{report, SUMMARY_TOP};
use super::rank::EXACT_TOP;
use super::{write_output, CliProgress, ReachArgs, ReadArgs};

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
    /// Only the packages among the first N of either ranking in the CSV, and the top N in the
    /// summary (default: every package in the CSV, the top 20 in the summary).
    #[arg(long, value_name = "N")]
    top: Option<usize>,
    /// The smallest reach under A a package needs to be listed among the largest reach ratios.
    #[arg(long, value_name = "N", default_value_t = 100)]
    min_reach: u32,
    /// Write the CSV here (atomically) instead of stdout.
    #[arg(short, long)]
    output: Option<PathBuf>,
    #[command(flatten)]
    reading: ReadArgs,
    #[command(flatten)]
    reach: ReachArgs,
}

pub fn run(args: Args, progress: &CliProgress) -> Result<ExitCode> {
    if snapshot::is_snapshot(&args.input) {
        bail!("{}: is a snapshot, which holds the graph of one profile; give the raw input", args.input.display());
    }
    let inputs = [args.reading.read(&args.input, &[args.a, args.b], progress)?];
    let a = builder::build(&inputs, args.a, progress)?;
    let b = builder::build(&inputs, args.b, progress)?;
    let exact_top = args.top.unwrap_or(SUMMARY_TOP).max(EXACT_TOP);
    let (a_ranking, b_ranking) = (args.reach.rank(&a, exact_top, progress)?, args.reach.rank(&b, exact_top, progress)?);
    let moves = movements((&a, &a_ranking), (&b, &b_ranking));
    progress.finish();
    let what = args.input.display().to_string();
    report(
        &moves,
        &[("A", what.clone(), &a), ("B", what, &b)],
        args.top.unwrap_or(SUMMARY_TOP),
        args.min_reach,
        progress,
    );
    write_output(args.output.as_ref(), |w| write_movements(&moves, args.top, Sides::Profiles, w))?;
    Ok(ExitCode::SUCCESS)
}
