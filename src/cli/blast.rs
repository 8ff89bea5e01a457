//! `keystone blast`: everything that breaks if one package is compromised, gets a malicious
//! release, has a vulnerable range, or disappears.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use keystone::analysis::gateways::dominators;
use keystone::analysis::scenario::{run as scenario, Scenario};
use keystone::atomic::write_atomic;
use keystone::export::tables::write_blast;

use super::args::{GraphArgs, OutputArgs};
use super::output::{check_output, count};
use super::CliProgress;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A snapshot or raw input.
    input: PathBuf,
    /// The package (`name`, or `ecosystem/name`).
    package: String,
    /// Model a malicious new release instead of a compromise of every version: only fresh
    /// installs through floating requirements are affected (see docs/model.md).
    #[arg(long, group = "scenario")]
    new_release: bool,
    /// Model a vulnerable range (in the ecosystem's requirement syntax, e.g. `>=1.4.1, <1.4.3`):
    /// dependents are split into stuck and fixable.
    #[arg(long, group = "scenario", value_name = "RANGE")]
    affected: Option<String>,
    /// Model the removal of the package, or of its releases in RANGE: who is left with no
    /// satisfying release.
    #[arg(long, group = "scenario", value_name = "RANGE", num_args = 0..=1, default_missing_value = "")]
    removed: Option<String>,
    /// Follow dependents at most this many steps away.
    #[arg(long, value_name = "D")]
    max_depth: Option<u32>,
    /// Also write the summary as JSON to FILE (atomically).
    #[arg(long, value_name = "FILE")]
    summary: Option<PathBuf>,
    #[command(flatten)]
    output: OutputArgs,
    #[command(flatten)]
    graph: GraphArgs,
}

pub fn run(args: Args, progress: &CliProgress) -> Result<ExitCode> {
    args.output.check(&[Some(args.input.as_path())])?;
    check_output(args.summary.as_deref(), &[Some(args.input.as_path())])?;
    let graph = args.graph.load(Some(&args.input), progress)?;
    let x = graph.find(&args.package)?;
    let what = if args.new_release {
        Scenario::NewRelease
    } else if let Some(range) = &args.affected {
        Scenario::Affected(range.clone())
    } else if let Some(range) = &args.removed {
        Scenario::Removed(Some(range.clone()).filter(|r| !r.trim().is_empty()))
    } else {
        Scenario::Compromise
    };
    progress.phase_start("blast");
    // The gateway summary (compromise, whole depth) is independent of the search: both at once.
    let summarise = what == Scenario::Compromise && args.max_depth.is_none();
    let (outcome, gates) = rayon::join(
        || scenario(&graph, x, &what, args.max_depth),
        || summarise.then(|| dominators(graph.reverse(), graph.forward(), x)),
    );
    let outcome = outcome?;
    let version = graph.version(x).map(|v| format!(" {v}")).unwrap_or_default();
    let how = match &what {
        Scenario::Compromise => "if compromised".to_string(),
        Scenario::NewRelease => "by a malicious next release (fresh installs)".to_string(),
        Scenario::Affected(range) => format!("by the vulnerable range `{range}`"),
        Scenario::Removed(Some(range)) => format!("by the removal of `{range}`"),
        Scenario::Removed(None) => "by its removal".to_string(),
    };
    let mut summary = format!(
        "{}{}: {} affected {how}{}",
        graph.display_name(x),
        version,
        count(outcome.search.reached.len(), "package"),
        args.max_depth.map(|d| format!(" within depth {d}")).unwrap_or_default()
    );
    if matches!(what, Scenario::Affected(_) | Scenario::Removed(_)) {
        let shown: Vec<&str> = outcome.in_range.iter().take(8).map(String::as_str).collect();
        let more = outcome.in_range.len().saturating_sub(shown.len());
        let _ = write!(summary, "\n  releases in range: {} of {}", outcome.in_range.len(), outcome.releases);
        if !shown.is_empty() {
            let more = if more > 0 { format!(", … {more} more") } else { String::new() };
            let _ = write!(summary, " ({}{more})", shown.join(", "));
        }
        if !outcome.fixes.is_empty() {
            let _ = write!(
                summary,
                "\n  fixed releases it could get (the input lists one release): {}",
                outcome.fixes.join(", ")
            );
        }
        if outcome.unreadable > 0 {
            let _ = write!(
                summary,
                "\n  {} could not be read; counted as hit",
                count(outcome.unreadable as usize, "requirement")
            );
        }
    }
    for (i, row) in outcome.per_depth().iter().enumerate() {
        let total: u64 = row.iter().map(|(_, c)| c).sum();
        let parts: Vec<String> = row.iter().map(|(s, c)| format!("{} {c}", s.as_str())).collect();
        let _ = write!(summary, "\n  depth {}: {total}", i + 1);
        if parts.len() > 1 || matches!(what, Scenario::Affected(_)) {
            let _ = write!(summary, " ({})", parts.join(", "));
        }
    }
    if let Some(gates) = &gates {
        if !gates.gateways.is_empty() {
            summary.push_str("\n  gateways (dependents whose every chain to it crosses the gateway):");
            for &(g, dominated) in gates.gateways.iter().take(5) {
                let _ = write!(summary, "\n    {}: {dominated}", graph.display_name(g));
            }
        }
    }
    progress.finish();
    progress.message(&summary);
    if let Some(path) = &args.summary {
        let depths: Vec<serde_json::Value> = outcome
            .per_depth()
            .iter()
            .map(|row| {
                let counts: serde_json::Map<String, serde_json::Value> =
                    row.iter().map(|(s, c)| (s.as_str().to_string(), (*c).into())).collect();
                counts.into()
            })
            .collect();
        let gateways: Vec<serde_json::Value> = gates
            .iter()
            .flat_map(|g| &g.gateways)
            .map(|&(g, dominated)| serde_json::json!({ "gateway": graph.display_name(g), "dominated": dominated }))
            .collect();
        let ranged = matches!(what, Scenario::Affected(_) | Scenario::Removed(_));
        let json = serde_json::json!({
            "package": graph.display_name(x),
            "version": graph.version(x),
            "scenario": how,
            "max_depth": args.max_depth,
            "affected": outcome.search.reached.len(),
            "by_depth": depths,
            "releases": ranged.then_some(outcome.releases),
            "releases_in_range": ranged.then_some(&outcome.in_range),
            "fixes": ranged.then_some(&outcome.fixes),
            "unreadable_requirements": ranged.then_some(outcome.unreadable),
            "gateways": gates.is_some().then_some(gateways),
        });
        write_atomic(path, |w| writeln!(w, "{json:#}"))?;
    }
    let inputs: Vec<Option<&Path>> =
        std::iter::once(Some(args.input.as_path())).chain(args.graph.alias_file()).collect();
    args.output.write(&inputs, |w| write_blast(&graph, &outcome, w))?;
    Ok(ExitCode::SUCCESS)
}
