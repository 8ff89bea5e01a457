//! `keystone blast`: everything that breaks if the packages an incident names (by name, by
//! project, or by OSV record) are compromised, get a malicious release, have a vulnerable
//! range, or disappear.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use keystone::analysis::groups::projects;
use keystone::analysis::incident::{advisory_targets, merge_targets, named_targets};
use keystone::analysis::reach::reach;
use keystone::analysis::scenario::{run as scenario, Bad, Order, Scenario};
use keystone::atomic::write_atomic;
use keystone::export::blast::summary;
use keystone::export::tables::write_blast;
use keystone::ingest::side::read_osv;

use super::args::{GraphArgs, OutputArgs};
use super::output::check_output;
use super::CliProgress;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A snapshot or raw input.
    input: PathBuf,
    /// The packages (`name`, or `ecosystem/name`), taken together as one incident.
    packages: Vec<String>,
    /// Also every package of this upstream project (`rank --by project` lists them; the alias
    /// file names more); repeatable.
    #[arg(long, value_name = "NAME")]
    project: Vec<String>,
    /// Also every package an OSV record names (JSON lines, a folder of `.json` records or
    /// osv.dev's zip), with the releases it says are affected; repeatable. Without a scenario
    /// flag, its ranges are the affected range; Debian names are source packages.
    #[arg(long, value_name = "FILE")]
    osv: Vec<PathBuf>,
    /// Every release of every package named is malicious (the default, except with --osv,
    /// whose ranges are then ignored).
    #[arg(long, group = "scenario")]
    compromise: bool,
    /// Model a malicious new release instead of a compromise of every version: only fresh
    /// installs through floating requirements are affected (see docs/model.md).
    #[arg(long, group = "scenario")]
    new_release: bool,
    /// Model a vulnerable range (in the ecosystem's requirement syntax, e.g. `>=1.4.1, <1.4.3`)
    /// of the packages named: dependents are split into stuck and fixable. Packages an OSV
    /// record names keep its ranges.
    #[arg(long, group = "scenario", value_name = "RANGE")]
    affected: Option<String>,
    /// Model the removal of the packages, or of their releases in RANGE: who is left with no
    /// satisfying release.
    #[arg(long, group = "scenario", value_name = "RANGE", num_args = 0..=1, default_missing_value = "")]
    removed: Option<String>,
    /// Follow dependents at most this many steps away.
    #[arg(long, value_name = "D")]
    max_depth: Option<u32>,
    /// The table's order: `depth` (nearest first) or `importance` (the affected packages most
    /// others stand on first: by their own reach).
    #[arg(long, value_name = "ORDER", default_value = "depth")]
    order: Order,
    /// Also write the summary as JSON to FILE (atomically).
    #[arg(long, value_name = "FILE")]
    summary: Option<PathBuf>,
    #[command(flatten)]
    output: OutputArgs,
    #[command(flatten)]
    graph: GraphArgs,
}

pub fn run(args: Args, progress: &CliProgress) -> Result<ExitCode> {
    if args.packages.is_empty() && args.project.is_empty() && args.osv.is_empty() {
        bail!("name what the incident hits: packages, --project NAME or --osv FILE");
    }
    args.output.check(&[Some(args.input.as_path())])?;
    check_output(args.summary.as_deref(), &[Some(args.input.as_path())])?;
    let mut advisories = Vec::new();
    for path in &args.osv {
        advisories.extend(read_osv(path)?);
    }
    let aliases = args.graph.aliases()?;
    let graph = args.graph.load_with(Some(&args.input), &aliases, progress)?;
    let groups = projects(&graph, &aliases.projects).with_context(|| args.graph.aliases_name())?;
    let (what, bad) = if args.compromise {
        (Scenario::Compromise, Bad::All)
    } else if args.new_release {
        (Scenario::NewRelease, Bad::All)
    } else if let Some(range) = &args.affected {
        (Scenario::Affected, Bad::Range(range.clone()))
    } else if let Some(range) = &args.removed {
        let bad = if range.trim().is_empty() { Bad::All } else { Bad::Range(range.clone()) };
        (Scenario::Removed, bad)
    } else if !args.osv.is_empty() {
        (Scenario::Affected, Bad::All)
    } else {
        (Scenario::Compromise, Bad::All)
    };
    let mut targets = named_targets(&graph, &groups, &args.packages, &args.project, &bad)?;
    let (from_osv, unmatched) = advisory_targets(&graph, &groups, &advisories);
    if !args.osv.is_empty() && from_osv.is_empty() {
        bail!("no package the OSV records name is in the graph:\n  {}", unmatched.join("\n  "));
    }
    targets.extend(from_osv);
    let targets = merge_targets(&graph, targets)?;
    progress.phase_start("blast");
    // Each affected package's own reach, for the table, while the scenario runs.
    let (outcome, reach) =
        rayon::join(|| scenario(&graph, &targets, what, args.max_depth, None), || reach(graph.reverse(), progress));
    let outcome = outcome?;
    let summary_of = summary(&graph, &outcome, what, args.max_depth, unmatched);
    progress.finish();
    progress.message(&summary_of.text());
    if let Some(path) = &args.summary {
        let json = serde_json::to_string_pretty(&summary_of)?;
        write_atomic(path, |w| writeln!(w, "{json}"))?;
    }
    let rows = outcome.ordered(&graph, args.order, &reach);
    let inputs: Vec<Option<&Path>> = std::iter::once(Some(args.input.as_path()))
        .chain(args.graph.alias_file())
        .chain(args.osv.iter().map(|p| Some(p.as_path())))
        .collect();
    args.output.write(&inputs, |w| write_blast(&graph, &outcome, &rows, &reach, w))?;
    Ok(ExitCode::SUCCESS)
}
