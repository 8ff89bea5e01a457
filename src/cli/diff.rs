//! `keystone diff`: how the ranking moved between an old and a new graph (two dumps of an
//! ecosystem), as CSV, with a summary on stderr. The summary is shared with
//! `compare-profiles`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use keystone::analysis::compare::{movements, summarize, Movement, Standing, Summary};
use keystone::export::movements::{write_movements, Sides};
use keystone::graph::Graph;

use super::rank::EXACT_TOP;
use super::{write_output, CliProgress, GraphArgs, ReachArgs};

/// The top the summary speaks of when `--top` is not given.
pub const SUMMARY_TOP: usize = 20;
/// How many packages each list of the summary names.
const SUMMARY_LIMIT: usize = 10;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The old graph: a snapshot or raw input.
    old: PathBuf,
    /// The new graph: a snapshot or raw input.
    new: PathBuf,
    /// Only the packages among the first N of either ranking in the CSV, and the top N in the
    /// summary (default: every package in the CSV, the top 20 in the summary).
    #[arg(long, value_name = "N")]
    top: Option<usize>,
    /// The smallest old reach a package needs to be listed among the largest reach ratios.
    #[arg(long, value_name = "N", default_value_t = 100)]
    min_reach: u32,
    /// Write the CSV here (atomically) instead of stdout.
    #[arg(short, long)]
    output: Option<PathBuf>,
    #[command(flatten)]
    graph: GraphArgs,
    #[command(flatten)]
    reach: ReachArgs,
}

pub fn run(args: Args, progress: &CliProgress) -> Result<ExitCode> {
    let old =
        args.graph.load(Some(&args.old), progress).with_context(|| format!("old graph {}", args.old.display()))?;
    let new =
        args.graph.load(Some(&args.new), progress).with_context(|| format!("new graph {}", args.new.display()))?;
    let exact_top = args.top.unwrap_or(SUMMARY_TOP).max(EXACT_TOP);
    let (old_ranking, new_ranking) =
        (args.reach.rank(&old, exact_top, progress)?, args.reach.rank(&new, exact_top, progress)?);
    let moves = movements((&old, &old_ranking), (&new, &new_ranking));
    progress.finish();
    let sides = [("old", args.old.display().to_string(), &old), ("new", args.new.display().to_string(), &new)];
    report(&moves, &sides, args.top.unwrap_or(SUMMARY_TOP), args.min_reach, progress);
    write_output(args.output.as_ref(), |w| write_movements(&moves, args.top, Sides::OldNew, w))?;
    Ok(ExitCode::SUCCESS)
}

/// Prints the summary of `moves` between two graphs, each given as (label, what it is, graph).
pub fn report(
    moves: &[Movement<'_>],
    sides: &[(&str, String, &Graph); 2],
    top: usize,
    min_reach: u32,
    progress: &CliProgress,
) {
    let s: Summary<'_> = summarize(moves, top, min_reach, SUMMARY_LIMIT);
    let mut text = String::new();
    for (label, what, graph) in sides {
        text.push_str(&format!(
            "{label}: {what}: {} packages, {} edges ({} dependencies)\n",
            graph.node_count(),
            graph.edge_count(),
            graph.profile().describe()
        ));
    }
    let [(a, _, a_graph), (b, _, b_graph)] = sides;
    text.push_str(&format!(
        "edges {a} → {b}: {:+}; packages: {} in both, {} only in {b}, {} only in {a}\n",
        b_graph.edge_count() as i64 - a_graph.edge_count() as i64,
        s.kept,
        s.added,
        s.removed
    ));
    let mut ecosystems = a_graph.ecosystems();
    ecosystems.extend(b_graph.ecosystems());
    ecosystems.dedup();
    let name = |m: &Movement<'_>| match ecosystems.len() {
        1 => m.name.to_string(),
        _ => format!("{}/{}", m.ecosystem, m.name),
    };
    let pair = |m: &Movement<'_>, field: fn(Standing) -> u32| {
        let at = |s: Option<Standing>| s.map_or("-".to_string(), |s| field(s).to_string());
        format!("{} → {}", at(m.old), at(m.new))
    };
    let mut list = |title: String, rows: &[Movement<'_>], extra: &dyn Fn(&Movement<'_>) -> String| {
        text.push_str(&format!("{title}:{}\n", if rows.is_empty() { " none" } else { "" }));
        for m in rows {
            let (rank, reach) = (pair(m, |s| s.rank), pair(m, |s| s.reach));
            text.push_str(&format!("  {}: rank {rank}, reach {reach}{}\n", name(m), extra(m)));
        }
    };
    list(format!("entered the top {top} ({})", s.entrants.len()), &s.entrants, &|_| String::new());
    list(format!("left the top {top} ({})", s.leavers.len()), &s.leavers, &|_| String::new());
    let places = |m: &Movement<'_>| format!(" ({:+} places)", m.rank_change().unwrap_or(0));
    list(format!("biggest climbers into the top {top}"), &s.climbers, &places);
    let gain = |m: &Movement<'_>| format!(" ({:+})", m.reach_change().unwrap_or(0));
    list("largest reach gains".to_string(), &s.reach_gains, &gain);
    let ratio = |m: &Movement<'_>| format!(" (×{:.2})", m.reach_ratio().unwrap_or(0.0));
    list(format!("largest reach ratios, old reach at least {min_reach}"), &s.reach_ratios, &ratio);
    progress.message(text.trim_end());
}
