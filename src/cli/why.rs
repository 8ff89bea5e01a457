//! `keystone why`: the chain that makes one package depend on another.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use keystone::analysis::paths::why;

use super::args::GraphArgs;
use super::output::write_output;
use super::CliProgress;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A snapshot or raw input.
    input: PathBuf,
    /// The dependent package.
    from: String,
    /// The dependency.
    to: String,
    /// Print the chain as one JSON object (each package with its ecosystem and version, and the
    /// requirement it places on the next) instead of a line.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    graph: GraphArgs,
}

/// Prints one shortest chain and exits 0, or says there is none and exits 1.
pub fn run(args: Args, progress: &CliProgress) -> Result<ExitCode> {
    let graph = args.graph.load(Some(&args.input), progress)?;
    let (from, to) = (graph.find(&args.from)?, graph.find(&args.to)?);
    progress.finish();
    let chain = why(graph.forward(), from, to);
    let code = if chain.is_some() { ExitCode::SUCCESS } else { ExitCode::from(1) };
    if args.json {
        let chain = chain.unwrap_or_default();
        let steps: Vec<serde_json::Value> = chain
            .iter()
            .enumerate()
            .map(|(i, &v)| {
                let next = chain.get(i + 1).map(|&next| {
                    let edge = graph.forward().neighbors(v).iter().position(|&w| w == next).expect("a chain's edge");
                    (graph.edge_req(v, edge), graph.edge_flags(v).nth(edge).expect("an edge's flags"))
                });
                serde_json::json!({
                    "package": graph.display_name(v),
                    "ecosystem": graph.ecosystem(v).to_string(),
                    "version": graph.version(v),
                    "requirement": next.map(|(req, _)| req).filter(|req| !req.is_empty()),
                    "floats": next.map(|(_, flags)| flags.floats()),
                })
            })
            .collect();
        let json = serde_json::json!({
            "from": graph.display_name(from),
            "to": graph.display_name(to),
            "profile": graph.profile().describe(),
            "depends": !chain.is_empty(),
            "chain": steps,
        });
        write_output(None, |w| writeln!(w, "{json:#}"))?;
        return Ok(code);
    }
    let line = match chain {
        Some(chain) => {
            let names: Vec<String> = chain.iter().map(|&v| graph.display_name(v)).collect();
            names.join(" > ")
        }
        None => format!(
            "{} does not depend on {} ({} dependencies)",
            graph.display_name(from),
            graph.display_name(to),
            graph.profile().describe()
        ),
    };
    write_output(None, |w| writeln!(w, "{line}"))?;
    Ok(code)
}
