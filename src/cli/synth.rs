//! `keystone synth`: write a synthetic npm-sized graph (documented as synthetic) as a
//! snapshot, and print its statistics.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use keystone::analysis::paths::{blast, Bounds, Search};
use keystone::graph::snapshot;
use keystone::progress::{Progress, Work};
use keystone::synthetic::{generate, SynthParams};
use rayon::prelude::*;

use super::output::write_output;
use super::CliProgress;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The snapshot file to write.
    #[arg(short, long)]
    output: PathBuf,
    /// The dense stress setting (mean reach above 100k) instead of npm's shape.
    #[arg(long)]
    dense: bool,
    /// Number of packages (default 3,500,000).
    #[arg(long, value_name = "N")]
    packages: Option<u32>,
    /// Random seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

pub fn run(args: Args, progress: &CliProgress) -> Result<ExitCode> {
    let base = if args.dense { SynthParams::dense() } else { SynthParams::npm() };
    let params = SynthParams { packages: args.packages.unwrap_or(base.packages), seed: args.seed, ..base };
    progress.phase("generate synthetic graph", Work::Unmeasured);
    let graph = generate(&params);
    progress.phase_start("write snapshot");
    snapshot::save(&graph, &args.output)?;

    // Statistics: in-degrees exactly; mean reach (= mean number of transitive dependencies)
    // from the dependency closures of a seeded sample; the top hubs' reach exactly.
    progress.phase("statistics", Work::Unmeasured);
    let n = graph.node_count() as u32;
    let mut indegree: Vec<(usize, u32)> = (0..n).map(|v| (graph.reverse().degree(v), v)).collect();
    indegree.sort_unstable();
    let quantile = |q: f64| indegree[((n - 1) as f64 * q) as usize].0;
    const SAMPLE: u64 = 1000;
    let closures: Vec<f64> = (0..SAMPLE)
        .into_par_iter()
        .map(|i| {
            let v = ((i * 0x9e37_79b9_7f4a_7c15 + args.seed) % u64::from(n)) as u32;
            Search::run(graph.forward(), v, Bounds::default()).reached.len() as f64
        })
        .collect();
    let mean = closures.iter().sum::<f64>() / SAMPLE as f64;
    let sd = (closures.iter().map(|c| (c - mean).powi(2)).sum::<f64>() / (SAMPLE - 1) as f64).sqrt();
    let hubs: Vec<String> = indegree
        .iter()
        .rev()
        .take(3)
        .map(|&(_, v)| {
            let reach = blast(graph.reverse(), v, None).reached.len();
            format!("{} ({:.1}%)", reach, 100.0 * reach as f64 / f64::from(n))
        })
        .collect();
    progress.finish();
    let mut text = String::new();
    _ = writeln!(text, "SYNTHETIC graph, not real data: {params:?}");
    _ = writeln!(
        text,
        "packages: {n}, edges: {}, mean dependencies: {:.2}",
        graph.edge_count(),
        graph.edge_count() as f64 / f64::from(n)
    );
    _ = writeln!(
        text,
        "direct dependents: median {}, p99 {}, p99.99 {}, max {}",
        quantile(0.5),
        quantile(0.99),
        quantile(0.9999),
        indegree.last().map_or(0, |d| d.0)
    );
    _ = writeln!(
        text,
        "mean reach (= mean transitive dependencies): {mean:.1} ± {:.1} (95%, sample of {SAMPLE} packages)",
        1.96 * sd / (SAMPLE as f64).sqrt()
    );
    _ = writeln!(text, "reach of the three packages with the most direct dependents: {}", hubs.join(", "));
    write_output(None, |w| w.write_all(text.as_bytes()))?;
    Ok(ExitCode::SUCCESS)
}
