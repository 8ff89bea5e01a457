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
    #[command(flatten)]
    graph: GraphArgs,
}

/// Prints one shortest chain and exits 0, or says there is none and exits 1.
pub fn run(args: Args, progress: &CliProgress) -> Result<ExitCode> {
    let graph = args.graph.load(Some(&args.input), progress)?;
    let (from, to) = (graph.find(&args.from)?, graph.find(&args.to)?);
    progress.finish();
    let (line, code) = match why(graph.forward(), from, to) {
        Some(chain) => {
            let names: Vec<String> = chain.iter().map(|&v| graph.display_name(v)).collect();
            (names.join(" > "), ExitCode::SUCCESS)
        }
        None => {
            let line = format!(
                "{} does not depend on {} ({} dependencies)",
                graph.display_name(from),
                graph.display_name(to),
                graph.profile().describe()
            );
            (line, ExitCode::from(1))
        }
    };
    write_output(None, |w| writeln!(w, "{line}"))?;
    Ok(code)
}
