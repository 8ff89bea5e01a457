//! The command-line layer: argument structs (clap), loading a graph from a snapshot or a raw
//! input, progress bars, and one module per subcommand. Errors get context here (anyhow).

mod backtest;
mod blast;
mod compare_profiles;
mod diff;
mod edges;
mod ingest;
mod progress;
mod rank;
mod stats;
mod synth;
mod why;

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};
use keystone::analysis::rank::{rank, Ranking};
use keystone::analysis::reach::{Approximation, ReachLimits};
use keystone::error::human_bytes;
use keystone::graph::{builder, snapshot, Graph};
use keystone::ingest::{debian::Debian, decompress, Format, ReadOptions};
use keystone::model::{Ingested, Profile};

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
    /// roll packages up into projects or accounts; write CSV.
    Rank(rank::Args),
    /// What breaks if PACKAGE is compromised, publishes a malicious release, has a vulnerable
    /// range or is removed: every affected package, its depth, status and one chain.
    Blast(blast::Args),
    /// The shortest chain that makes FROM depend on TO.
    Why(why::Args),
    /// Size, cycles, roots and leaves of a graph.
    Stats(stats::Args),
    /// Write the graph as a `dependent,dependency` edge list CSV.
    Edges(edges::Args),
    /// How the ranking by reach moves between two graphs (e.g. two dumps), as CSV.
    Diff(diff::Args),
    /// How the ranking by reach moves when one input's graph is built under two profiles.
    CompareProfiles(compare_profiles::Args),
    /// Write a synthetic npm-sized graph (for benchmarks) as a snapshot and print its statistics.
    Synth(synth::Args),
    /// Where the packages of real incidents (OSV records) rank, by score, reach and direct
    /// dependents, and their upstream projects by reach.
    Backtest(backtest::Args),
}

/// How to read a raw input and which edges to build from it; ignored for snapshots, which fix
/// their graph at ingest.
#[derive(Debug, Args, Clone)]
pub struct GraphArgs {
    #[command(flatten)]
    reading: ReadArgs,
    #[command(flatten)]
    edges: ProfileArgs,
}

/// How to read a raw input, whatever graph is built from it.
#[derive(Debug, Args, Clone)]
pub struct ReadArgs {
    /// Input format, when it cannot be told from the file name (see README).
    #[arg(long, short = 'f', value_parser = parse_format, value_name = "FORMAT")]
    format: Option<Format>,
    /// A PEP 508 marker variable for evaluating PyPI requirements, overriding the default
    /// environment (Linux, x86_64, CPython 3.12); repeatable, e.g. `--marker python_version=3.11`.
    #[arg(long, value_parser = parse_marker, value_name = "NAME=VALUE")]
    marker: Vec<(String, String)>,
    /// Skip malformed records (and report how many) instead of stopping at the first.
    #[arg(long)]
    skip_bad: bool,
    /// The largest single record (JSON line, stanza, archive member) to read, in MiB.
    #[arg(long, value_name = "MIB", default_value_t = 64)]
    max_record_mb: u64,
    /// The most a compressed input may decompress to, in GiB.
    #[arg(long, value_name = "GIB", default_value_t = 16)]
    max_input_gb: u64,
    /// The largest ratio of decompressed to compressed size (checked past 64 MiB of output).
    #[arg(long, value_name = "RATIO", default_value_t = 1000)]
    max_ratio: u64,
}

/// Which dependencies become edges.
#[derive(Debug, Args, Clone)]
pub struct ProfileArgs {
    /// The dependency kinds to follow, comma-separated, from normal, build, dev, recommends,
    /// peer, optional (every optional dependency) and features (optional crates.io dependencies
    /// that a feature switches on). Default: normal,build. Another spelling of the --with-* flags.
    #[arg(long, value_name = "KINDS")]
    kinds: Option<Profile>,
    /// Also follow dev dependencies.
    #[arg(long)]
    with_dev: bool,
    /// Also follow optional dependencies: crates features, PyPI extras, npm
    /// optionalDependencies (`--with-extras` is the same flag).
    #[arg(long, alias = "with-extras")]
    with_optional: bool,
    /// Also follow Debian Recommends.
    #[arg(long)]
    with_recommends: bool,
    /// Also follow npm peerDependencies.
    #[arg(long)]
    with_peer: bool,
}

/// How much memory the reach sets may take.
#[derive(Debug, Args, Clone)]
pub struct ReachArgs {
    /// The memory the reach sets may hold, in GiB (default: half the machine's memory). Past
    /// it, reach is estimated with HyperLogLog sketches that fit, the largest values are
    /// re-checked exactly, and the `estimated` column marks the rest.
    #[arg(long, value_name = "GIB")]
    max_memory: Option<f64>,
}

impl ReachArgs {
    /// Ranks `graph` within the memory limit, the `exact_top` largest values exact in any case,
    /// and says on stderr when values are estimates or PageRank did not converge.
    fn rank(&self, graph: &Graph, exact_top: usize, progress: &CliProgress) -> Result<Ranking> {
        let max_bytes = match self.max_memory {
            Some(gib) if gib.is_finite() && gib > 0.0 => (gib * (1u64 << 30) as f64) as u64,
            Some(gib) => bail!("--max-memory {gib}: expected a positive number of GiB"),
            None => physical_memory().map_or(u64::MAX, |bytes| bytes / 2),
        };
        let limits = ReachLimits { max_bytes, exact_top };
        let ranking = rank(graph, &limits, progress).map_err(|e| anyhow::anyhow!("{e}; raise --max-memory"))?;
        for (what, approximation) in
            [("reach", ranking.reach_approximation), ("floating_reach", ranking.floating_approximation)]
        {
            if let Some(approximation) = approximation {
                progress.message(&approximation_note(what, &approximation, &limits));
            }
        }
        if !ranking.pagerank_converged {
            progress.message(&format!(
                "warning: PageRank did not meet its tolerance in {} rounds",
                ranking.pagerank_iterations
            ));
        }
        Ok(ranking)
    }
}

/// What the user needs to know about estimated values.
fn approximation_note(what: &str, a: &Approximation, limits: &ReachLimits) -> String {
    let mut note = format!(
        "note: the exact {what} sets passed the memory limit ({}, --max-memory), so {what} is estimated with \
         HyperLogLog sketches of {} registers (standard error {:.1}%) where the `estimated` column says so; \
         the {} largest estimates were re-checked exactly",
        human_bytes(limits.max_bytes),
        a.registers,
        100.0 * a.standard_error(),
        a.rechecked,
    );
    if a.top_certain {
        note += &format!(", so the top {} are exact", limits.exact_top);
    } else {
        note += &format!(
            "; more estimates lie within four standard errors of the {}th value, so the order past the exact \
             rows is by estimate",
            limits.exact_top
        );
    }
    note
}

/// The machine's memory, from /proc where it exists.
fn physical_memory() -> Option<u64> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = meminfo.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kib: u64 = line.trim_start_matches("MemTotal:").trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kib * 1024)
}

fn parse_marker(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .ok_or_else(|| format!("`{s}`: expected NAME=VALUE"))
}

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse().map_err(|e: keystone::error::Error| e.to_string())
}

impl ProfileArgs {
    /// The profile of `--kinds`, or of the default widened by the `--with-*` flags; a `--with-*`
    /// flag whose kind `--kinds` leaves out is an error.
    fn profile(&self) -> Result<Profile> {
        let widened = Profile {
            with_dev: self.with_dev,
            with_optional: self.with_optional,
            with_recommends: self.with_recommends,
            with_peer: self.with_peer,
            ..Profile::default()
        };
        let Some(kinds) = self.kinds else {
            return Ok(widened);
        };
        let given = [
            ("dev", self.with_dev, kinds.with_dev),
            ("optional", self.with_optional, kinds.with_optional),
            ("recommends", self.with_recommends, kinds.with_recommends),
            ("peer", self.with_peer, kinds.with_peer),
        ];
        if let Some((kind, _, _)) = given.iter().find(|(_, flag, listed)| *flag && !listed) {
            bail!(
                "--with-{kind} contradicts --kinds {}: add {kind} to --kinds, or drop --with-{kind}",
                kinds.kinds().join(",")
            );
        }
        Ok(kinds)
    }
}

impl ReadArgs {
    /// The options for reading into graphs of `profiles`.
    fn read_options(&self, profiles: &[Profile]) -> ReadOptions {
        ReadOptions {
            skip_bad: self.skip_bad,
            markers: self.marker.clone(),
            max_record_bytes: self.max_record_mb << 20,
            max_input_bytes: self.max_input_gb.saturating_mul(1 << 30),
            max_ratio: self.max_ratio,
            cargo_features: profiles.iter().any(|p| p.with_features),
        }
    }

    /// Reads one raw input, for graphs of `profiles`.
    fn read(&self, path: &Path, profiles: &[Profile], progress: &CliProgress) -> Result<Ingested> {
        let format = match self.format.or_else(|| Format::guess(path)) {
            Some(f) => f,
            None => bail!(
                "{}: cannot tell the format from the name; pass --format with one of: {}",
                path.display(),
                Format::ALL.map(|f| f.as_str()).join(", ")
            ),
        };
        let ingested = format.source().read(path, &self.read_options(profiles), progress)?;
        report_skipped(path, &ingested, progress);
        Ok(ingested)
    }
}

impl GraphArgs {
    /// Loads the graph of `input`: a snapshot, a raw input, or (none) the embedded default.
    fn load(&self, input: Option<&Path>, progress: &CliProgress) -> Result<Graph> {
        let profile = self.edges.profile()?;
        let ingested = match input {
            Some(path) if snapshot::is_snapshot(path) => {
                progress.phase_start("load snapshot");
                let graph = snapshot::load(path)?;
                if self.reading.format.is_some() || profile != Profile::default() && profile != graph.profile() {
                    bail!(
                        "{}: is a snapshot built with {} dependencies; --format, --kinds and --with-* apply when \
                         ingesting",
                        path.display(),
                        graph.profile().describe()
                    );
                }
                return Ok(graph);
            }
            Some(path) => self.reading.read(path, &[profile], progress)?,
            None => {
                let name = Path::new(keystone::DEFAULT_DATASET_NAME);
                let options = self.reading.read_options(&[profile]);
                let reader = decompress::read_ahead(decompress::wrap_with(
                    Cursor::new(keystone::DEFAULT_DATASET),
                    name,
                    &options,
                )?);
                Debian.read_from(reader, name, &options, progress)?
            }
        };
        Ok(builder::build(&[ingested], profile, progress)?)
    }
}

fn report_skipped(path: &Path, ingested: &Ingested, progress: &CliProgress) {
    if ingested.skipped.count > 0 {
        progress.message(&format!(
            "{}: skipped {} bad records; the first: {}",
            path.display(),
            ingested.skipped.count,
            ingested.skipped.first.as_deref().unwrap_or("")
        ));
    }
}

/// Where a command writes its CSV: a file (atomically) or stdout.
fn write_output(
    output: Option<&PathBuf>,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<()> {
    match output {
        Some(path) => keystone::export::write_atomic(path, write)?,
        None => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            match write(&mut lock) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                other => other.context("writing to stdout")?,
            }
        }
    }
    Ok(())
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
    };
    progress.finish();
    code
}
