//! The command-line layer: one module per subcommand (its arguments and `run`), built on the
//! shared argument groups ([`args`]), input loading ([`load`]), output and summaries
//! ([`output`]) and progress bars ([`progress`]). No command imports another. Errors get
//! context here (anyhow), and a limit the library reports is told with the flag that raises it.

mod args;
mod backtest;
mod bindings;
mod blast;
mod compare_profiles;
mod diff;
mod edges;
mod ingest;
mod load;
mod output;
mod progress;
mod rank;
mod report;
mod serve;
mod stats;
mod synth;
mod why;

use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use keystone::error::{Error, Limit};

pub use progress::CliProgress;

/// keystone: which packages does a whole ecosystem stand on, and what breaks if one falls?
#[derive(Debug, Parser)]
#[command(name = "keystone", version, about, long_about = None)]
pub struct Cli {
    /// Print each phase's time and the peak memory to stderr.
    #[arg(short, long, global = true)]
    verbose: bool,
    /// Worker threads (default: one per core).
    #[arg(long, global = true, value_name = "N")]
    threads: Option<usize>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read dumps into a snapshot file that every other command loads fast.
    Ingest(ingest::Args),
    /// Rank every package by reach (transitive dependents), or by the transparent score, or
    /// roll packages up into projects or accounts; write a table.
    Rank(rank::Args),
    /// What breaks if PACKAGE is compromised, publishes a malicious release, has a vulnerable
    /// range or is removed: every affected package, its depth, status and one chain.
    Blast(blast::Args),
    /// The shortest chain that makes FROM depend on TO.
    Why(why::Args),
    /// Size, cycles, roots and leaves of a graph.
    Stats(stats::Args),
    /// Write the whole graph as a table, one row per edge (and per package without
    /// dependencies), which `--format edges` reads back.
    Edges(edges::Args),
    /// How the ranking by reach moves between two graphs (e.g. two dumps), as a table.
    Diff(diff::Args),
    /// How the ranking by reach moves when one input's graph is built under two profiles.
    CompareProfiles(compare_profiles::Args),
    /// Write a synthetic npm-sized graph (for benchmarks) as a snapshot and print its statistics.
    Synth(synth::Args),
    /// Where the packages of real incidents (OSV records) rank, by score, reach and direct
    /// dependents, and their upstream projects by reach.
    Backtest(backtest::Args),
    /// The committee's report: a self-contained page (or its JSON) with the shortlist of
    /// upstream projects by score, the evidence for each, the lists naming them and the blind
    /// spots.
    Report(report::Args),
    /// Serve the responder's page and a JSON API over one graph (loopback by default): search,
    /// cards, blast of packages or projects with every scenario, why.
    Serve(serve::Args),
    /// Candidate bindings (crates and PyPI packages linking a native library Debian packages)
    /// seen in raw inputs, for review before adding them to an alias file.
    Bindings(bindings::Args),
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    if let Some(threads) = cli.threads {
        rayon::ThreadPoolBuilder::new().num_threads(threads).build_global().context("starting the thread pool")?;
    }
    let progress = CliProgress::new(cli.verbose);
    let code = match cli.command {
        Command::Ingest(args) => ingest::run(args, &progress),
        Command::Rank(args) => rank::run(args, &progress),
        Command::Blast(args) => blast::run(args, &progress),
        Command::Why(args) => why::run(args, &progress),
        Command::Stats(args) => stats::run(args, &progress),
        Command::Edges(args) => edges::run(args, &progress),
        Command::Diff(args) => diff::run(args, &progress),
        Command::CompareProfiles(args) => compare_profiles::run(args, &progress),
        Command::Synth(args) => synth::run(args, &progress),
        Command::Backtest(args) => backtest::run(args, &progress),
        Command::Bindings(args) => bindings::run(args, &progress),
        Command::Report(args) => report::run(args, &progress),
        Command::Serve(args) => serve::run(args, &progress),
    };
    progress.finish();
    code
}

/// The flag that raises the limit behind `err`, as a hint to add to its message, if a limit
/// stopped the run.
pub fn limit_hint(err: &anyhow::Error) -> Option<&'static str> {
    let limit = err.chain().find_map(|cause| cause.downcast_ref::<Error>()?.limit())?;
    Some(match limit {
        Limit::Record { .. } => "if it is genuine, raise --max-record-mb",
        Limit::Bytes { .. } => "if the input is genuine, raise --max-input-gb",
        Limit::Ratio { .. } => "if the input is genuine, raise --max-ratio",
    })
}
