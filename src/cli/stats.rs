//! `keystone stats`: size, cycles, roots and leaves of a graph.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use keystone::analysis::stats::stats;

use super::args::GraphArgs;
use super::output::write_output;
use super::CliProgress;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A snapshot or raw input.
    input: PathBuf,
    /// Print the counts as one JSON object instead of text.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    graph: GraphArgs,
}

pub fn run(args: Args, progress: &CliProgress) -> Result<ExitCode> {
    let graph = args.graph.load(Some(&args.input), progress)?;
    let s = stats(&graph);
    progress.finish();
    if args.json {
        let packages: serde_json::Map<String, serde_json::Value> =
            s.packages.iter().map(|(e, n)| (e.to_string(), (*n).into())).collect();
        let json = serde_json::json!({
            "packages": graph.node_count(),
            "packages_by_ecosystem": packages,
            "edges": s.edges,
            "profile": graph.profile().describe(),
            "floating_requirements": s.floating_edges,
            "pinned_requirements": s.edges - s.floating_edges,
            "unreadable_requirements": s.unparsed_edges,
            "strongly_connected_components": s.components,
            "cyclic_components": s.cyclic_components,
            "packages_in_cycles": s.packages_in_cycles,
            "largest_component": s.largest_component,
            "no_dependents": s.no_dependents,
            "no_dependencies": s.no_dependencies,
        });
        write_output(None, |w| writeln!(w, "{json:#}"))?;
        return Ok(ExitCode::SUCCESS);
    }
    let per_eco: Vec<String> = s.packages.iter().map(|(e, n)| format!("{e}: {n}")).collect();
    let mut text = String::new();
    _ = writeln!(text, "packages: {} ({})", graph.node_count(), per_eco.join(", "));
    _ = writeln!(text, "edges: {} ({} dependencies)", s.edges, graph.profile().describe());
    _ = writeln!(
        text,
        "requirements: {} floating, {} pinned, {} unreadable (counted as floating)",
        s.floating_edges,
        s.edges - s.floating_edges,
        s.unparsed_edges
    );
    _ = writeln!(text, "strongly connected components: {}", s.components);
    _ = writeln!(text, "cycles: {} components holding {} packages", s.cyclic_components, s.packages_in_cycles);
    _ = writeln!(text, "largest component: {}", s.largest_component);
    _ = writeln!(text, "packages nobody depends on: {}", s.no_dependents);
    _ = writeln!(text, "packages that depend on nothing: {}", s.no_dependencies);
    write_output(None, |w| w.write_all(text.as_bytes()))?;
    Ok(ExitCode::SUCCESS)
}
