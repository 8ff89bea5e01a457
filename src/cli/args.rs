//! Argument groups shared by the commands, each flattened into the commands that take it, and
//! what each turns into for the library: how to read a raw input ([`ReadArgs`]), which edges
//! to build ([`ProfileArgs`], both in [`GraphArgs`]), the memory reach may use ([`ReachArgs`]),
//! the score's side inputs ([`ScoreArgs`]), where a table goes ([`OutputArgs`]) and what a
//! comparison shows ([`CompareArgs`]).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use clap::Args;
use keystone::analysis::rank::{rank, Ranking};
use keystone::analysis::reach::ReachLimits;
use keystone::analysis::score::{popularity, Popularity, Weights, ORDER_MARGIN};
use keystone::atomic::write_atomic;
use keystone::export::provenance::{Input, Provenance};
use keystone::export::table::{Encoding, Format as TableFormat};
use keystone::export::tables::Target;
use keystone::graph::Graph;
use keystone::ingest::cargo_targets::Targets;
use keystone::ingest::side::read_popularity;
use keystone::ingest::{CargoOptions, Format, FormatOptions, ReadOptions};
use keystone::model::{Ecosystem, Profile};

use super::output::{approximation_note, check_output, write_output};
use super::CliProgress;

/// How many of the largest values are exact even when reach has to be estimated, for commands
/// without `--top`.
pub(crate) const EXACT_TOP: usize = 1000;

/// How to read a raw input and which edges to build from it (ignored for snapshots, which fix
/// their graph at ingest), and the alias file's bindings and projects.
#[derive(Debug, Args, Clone)]
pub(crate) struct GraphArgs {
    #[command(flatten)]
    pub(crate) reading: ReadArgs,
    #[command(flatten)]
    pub(crate) edges: ProfileArgs,
    /// A TOML file of bindings (a package linking a native library of another ecosystem,
    /// added as a dependency edge) and of projects (packages joined under one name, for --by
    /// project and backtest); see docs/model.md.
    #[arg(long, value_name = "FILE")]
    pub(crate) aliases: Option<PathBuf>,
}

/// How to read a raw input, whatever graph is built from it.
#[derive(Debug, Args, Clone)]
pub(crate) struct ReadArgs {
    /// Input format, when it cannot be told from the file name (see docs/reference.md#inputs).
    #[arg(long, short = 'f', value_parser = parse_format, value_name = "FORMAT")]
    pub(crate) format: Option<Format>,
    /// A PEP 508 marker variable for evaluating PyPI requirements, overriding the default
    /// environment (Linux, x86_64, CPython 3.12); repeatable, e.g. `--marker python_version=3.11`.
    #[arg(long, value_parser = parse_marker, value_name = "NAME=VALUE")]
    marker: Vec<(String, String)>,
    /// A rustc target (e.g. `x86_64-unknown-linux-gnu`) that decides which target-specific
    /// Cargo dependencies are built; repeatable. Default: every built-in target of rustc, so
    /// only dependencies no target builds (`cfg(any())`, custom cfgs) are left out.
    #[arg(long = "target", value_name = "TRIPLE")]
    pub(crate) targets: Vec<String>,
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
pub(crate) struct ProfileArgs {
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
pub(crate) struct ReachArgs {
    /// The memory the reach sets may hold, in GiB (default: half the machine's memory). Past
    /// it, reach is estimated with HyperLogLog sketches that fit, the largest values are
    /// re-checked exactly, and the `estimated` column marks the rest.
    #[arg(long, value_name = "GIB")]
    pub(crate) max_memory: Option<f64>,
}

/// The score's weights and popularity lists.
#[derive(Debug, Args, Clone)]
pub(crate) struct ScoreArgs {
    /// Score weights (TOML `[weights]`); with `rank`, implies --score.
    #[arg(long, value_name = "FILE")]
    pub(crate) weights: Option<PathBuf>,
    /// A popularity list for one ecosystem (monthly downloads or a rank), e.g.
    /// `npm=npm_downloads_a_month.tsv.zst`; repeatable; with `rank`, implies --score.
    #[arg(long, value_parser = parse_popularity, value_name = "ECO=FILE")]
    pub(crate) popularity: Vec<(Ecosystem, PathBuf)>,
}

/// Where a command writes its table.
#[derive(Debug, Args, Clone)]
pub(crate) struct OutputArgs {
    /// Write the table here (atomically) instead of stdout, in the format its extension names:
    /// .csv, .csv.gz, .csv.zst, .jsonl, .jsonl.gz, .jsonl.zst or .parquet.
    #[arg(short, long)]
    pub(crate) output: Option<PathBuf>,
    /// The table's format, for stdout (csv, csv.gz, csv.zst, jsonl, jsonl.gz, jsonl.zst,
    /// parquet; default csv), or to override a file's extension.
    #[arg(long, value_name = "FORMAT", value_parser = parse_output_format)]
    output_format: Option<TableFormat>,
    /// Also write FILE.provenance.json beside -o FILE: the keystone version, the command line,
    /// each input's size and SHA-256, and the time (Parquet files carry the same, without the
    /// time, in their metadata).
    #[arg(long)]
    provenance: bool,
}

/// The provenance of this command reading `inputs` (`None`: the embedded dataset).
pub(crate) fn provenance(inputs: &[Option<&Path>]) -> Result<Provenance> {
    let inputs = inputs
        .iter()
        .map(|input| match input {
            Some(path) => Input::file(path),
            None => Ok(Input::bytes(keystone::DEFAULT_DATASET_NAME, keystone::DEFAULT_DATASET)),
        })
        .collect::<keystone::error::Result<Vec<_>>>()?;
    let command = std::iter::once("keystone".to_string()).chain(std::env::args().skip(1)).collect();
    Ok(Provenance::new(command, inputs))
}

/// What a comparison of two rankings shows, and where its table goes.
#[derive(Debug, Args, Clone)]
pub(crate) struct CompareArgs {
    /// Only the packages among the first N of either ranking in the table, and the top N in the
    /// summary (default: every package in the table, the top 20 in the summary).
    #[arg(long, value_name = "N")]
    pub(crate) top: Option<usize>,
    /// The smallest reach on the first side a package needs to be listed among the largest
    /// reach ratios.
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub(crate) min_reach: u32,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

fn parse_marker(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .ok_or_else(|| format!("`{s}`: expected NAME=VALUE"))
}

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse().map_err(|e: keystone::error::Error| e.to_string())
}

fn parse_popularity(s: &str) -> Result<(Ecosystem, PathBuf), String> {
    let (eco, path) = s.split_once('=').ok_or_else(|| format!("`{s}`: expected ECOSYSTEM=FILE"))?;
    Ok((eco.parse()?, PathBuf::from(path)))
}

impl ProfileArgs {
    /// The profile of `--kinds`, or of the default widened by the `--with-*` flags; a `--with-*`
    /// flag whose kind `--kinds` leaves out is an error.
    pub(crate) fn profile(&self) -> Result<Profile> {
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
    /// The options for reading any input.
    pub(crate) fn read_options(&self) -> ReadOptions {
        ReadOptions {
            skip_bad: self.skip_bad,
            max_record_bytes: self.max_record_mb << 20,
            max_input_bytes: self.max_input_gb.saturating_mul(1 << 30),
            max_ratio: self.max_ratio,
        }
    }

    /// The options of the formats that have their own, for graphs of `profiles`: Cargo
    /// features are worked out only when a profile follows them.
    pub(crate) fn format_options(&self, profiles: &[Profile]) -> Result<FormatOptions> {
        let targets = match self.targets.as_slice() {
            [] => Arc::default(),
            names => Arc::new(Targets::only(names).context("--target")?),
        };
        Ok(FormatOptions {
            cargo: CargoOptions { features: profiles.iter().any(|p| p.with_features), targets },
            markers: keystone::ingest::pypi::Markers::new(&self.marker).context("--marker")?,
        })
    }
}

impl ReachArgs {
    /// Ranks `graph` for the score with `popularity` lists (which need exact reach sets).
    pub(crate) fn rank_scored(
        &self,
        graph: &Graph,
        exact_top: usize,
        popularity: &[Popularity],
        progress: &CliProgress,
    ) -> Result<Ranking> {
        let ranking = self.rank(graph, exact_top, progress)?;
        if !popularity.is_empty() && ranking.reach_approximation.is_some() {
            bail!("--popularity needs exact reach sets, which passed the memory limit; raise --max-memory");
        }
        Ok(ranking)
    }

    /// Ranks `graph` within the memory limit, the `exact_top` largest values exact in any case,
    /// and says on stderr when values are estimates or PageRank did not converge.
    pub(crate) fn rank(&self, graph: &Graph, exact_top: usize, progress: &CliProgress) -> Result<Ranking> {
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

/// The machine's memory, from /proc where it exists: the default limit is half of it.
fn physical_memory() -> Option<u64> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = meminfo.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kib: u64 = line.trim_start_matches("MemTotal:").trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kib * 1024)
}

impl ScoreArgs {
    /// The weights and popularity files, which the output depends on.
    pub(crate) fn files(&self) -> impl Iterator<Item = Option<&Path>> {
        self.weights.iter().chain(self.popularity.iter().map(|(_, p)| p)).map(|p| Some(p.as_path()))
    }

    /// Whether a weights file or a popularity list was given.
    pub(crate) fn given(&self) -> bool {
        self.weights.is_some() || !self.popularity.is_empty()
    }

    /// Reads the weights file and the popularity lists, before any graph is loaded, and says
    /// on stderr when the weights give up the score's order property.
    pub(crate) fn read(&self, progress: &CliProgress) -> Result<ScoreInputs> {
        let weights = self.weights.as_deref().map(Weights::read).transpose()?.unwrap_or_default();
        if !weights.keeps_order() {
            progress.message(&format!(
                "note: with these --weights, (1 + pagerank + popular_reach) × (1 + concentration + sole_maintainer) is \
                 {ORDER_MARGIN} or more, so a package with a tenth of another's reach and dependents can rank above it"
            ));
        }
        let lists = self
            .popularity
            .iter()
            .map(|(ecosystem, path)| {
                Ok(PopularityList { ecosystem: *ecosystem, path: path.clone(), rows: read_popularity(path)? })
            })
            .collect::<Result<Vec<_>>>()
            .context("reading a popularity list")?;
        Ok(ScoreInputs { weights, lists })
    }
}

/// The score's side inputs, read from their files.
pub(crate) struct ScoreInputs {
    pub(crate) weights: Weights,
    lists: Vec<PopularityList>,
}

/// A popularity list as read: its ecosystem, its file, and its (name, weight) rows.
struct PopularityList {
    ecosystem: Ecosystem,
    path: PathBuf,
    rows: Vec<(String, f64)>,
}

/// A popularity list whose names match fewer than this share of its rows is taken for a
/// mistake (a list of another ecosystem, the wrong column) rather than used: the npm list read
/// as crates.io's matches 3% of its names by coincidence, the PyPI rank list 78% of the 2023
/// pypi-deps-db.
const MIN_MATCHED: f64 = 0.1;

impl ScoreInputs {
    /// The popularity lists matched to `graph`'s packages, saying on stderr how many names of
    /// each matched. A list for an ecosystem the graph lacks, or one whose names mostly match
    /// nothing, is an error.
    pub(crate) fn popularity(&self, graph: &Graph, progress: &CliProgress) -> Result<Vec<Popularity>> {
        let present = graph.ecosystems();
        self.lists
            .iter()
            .map(|PopularityList { ecosystem: eco, path, rows: list }| {
                if !present.contains(eco) {
                    let names: Vec<String> = present.iter().map(|e| e.to_string()).collect();
                    bail!("--popularity {eco}={}: the graph holds no {eco} packages (it holds {})", path.display(), names.join(", "));
                }
                let (popularity, matched) = popularity(graph, *eco, list);
                if (matched as f64) < MIN_MATCHED * list.len() as f64 {
                    bail!(
                        "--popularity {eco}={}: only {matched} of its {} names are {eco} packages of the graph; is it a list \
                         of another ecosystem?",
                        path.display(),
                        list.len()
                    );
                }
                progress.message(&format!("{}: matched {matched} of {} names to {eco} packages", path.display(), list.len()));
                Ok(popularity)
            })
            .collect()
    }
}

impl OutputArgs {
    /// The file to write, if not stdout.
    fn path(&self) -> Option<&Path> {
        self.output.as_deref()
    }

    /// The table's format: `--output-format`, else the file's extension, else CSV on stdout.
    fn format(&self) -> Result<TableFormat> {
        match (self.output_format, self.path()) {
            (Some(format), _) => Ok(format),
            (None, None) => Ok(TableFormat::CSV),
            (None, Some(path)) => TableFormat::from_path(path).ok_or_else(|| {
                anyhow::anyhow!(
                    "{}: the extension names no table format; use one of .{} (or --output-format)",
                    path.display(),
                    TableFormat::ALL.map(|(n, _)| n).join(", .")
                )
            }),
        }
    }

    /// Refuses an output that cannot be right (see [`check_output`]), or whose format is
    /// unknown.
    pub(crate) fn check(&self, inputs: &[Option<&Path>]) -> Result<()> {
        check_output(self.path(), inputs)?;
        if self.provenance && self.path().is_none() {
            bail!("--provenance writes a file beside the output; give one with -o FILE");
        }
        self.format().map(|_| ())
    }

    /// Writes the table `write` makes, in the output's format, to the file (atomically) or
    /// stdout, with the provenance of `inputs` (`None`: the embedded dataset) where the format
    /// carries it or `--provenance` asks for it.
    pub(crate) fn write(
        &self,
        inputs: &[Option<&Path>],
        write: impl FnOnce(Target<'_>) -> std::io::Result<()>,
    ) -> Result<()> {
        let format = self.format()?;
        let provenance =
            if self.provenance || format.encoding == Encoding::Parquet { Some(provenance(inputs)?) } else { None };
        write_output(self.path(), |out| write(Target { format, out, provenance: provenance.as_ref() }))?;
        if let (true, Some(path), Some(record)) = (self.provenance, self.path(), &provenance) {
            let mut sidecar = path.as_os_str().to_owned();
            sidecar.push(".provenance.json");
            let written = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
            let mut json: serde_json::Value = serde_json::to_value(record)?;
            json["written_unix_seconds"] = written.into();
            write_atomic(Path::new(&sidecar), |w| writeln!(w, "{json:#}"))?;
        }
        Ok(())
    }
}

fn parse_output_format(s: &str) -> Result<TableFormat, String> {
    TableFormat::from_name(s).ok_or_else(|| format!("`{s}`: expected one of {}", TableFormat::names()))
}
