//! `keystone serve`: loads a graph once and serves the responder's page and JSON API on it,
//! on loopback unless told otherwise, until Ctrl-C.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use keystone::analysis::groups::projects;
use keystone::analysis::report::score_projects;
use keystone::analysis::score::Weights;
use keystone::serve::{serve, Limits, Service};

use super::args::{provenance, GraphArgs};
use super::CliProgress;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A snapshot or raw input (default: the embedded Debian file).
    input: Option<PathBuf>,
    /// Where to listen. Loopback by default: anything else serves every machine that can reach
    /// it (port 0 picks a free port; the address is printed).
    #[arg(long, value_name = "IP:PORT", default_value = "127.0.0.1:8765")]
    addr: SocketAddr,
    /// The most rows one page of a blast (or suggestions one search) may ask for.
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_page)]
    max_page: usize,
    /// How many requests compute at once (default: one per core); the others queue.
    #[arg(long, value_name = "N")]
    workers: Option<usize>,
    #[command(flatten)]
    graph: GraphArgs,
}

pub fn run(args: Args, progress: &CliProgress) -> Result<ExitCode> {
    let aliases = args.graph.aliases()?;
    let graph = args.graph.load_with(args.input.as_deref(), &aliases, progress)?;
    let groups = projects(&graph, &aliases.projects).with_context(|| args.graph.aliases_name())?;
    let scored = score_projects(&graph, &groups, &[], &Weights::default(), progress);
    let inputs: Vec<Option<&Path>> = std::iter::once(args.input.as_deref()).chain(args.graph.alias_file()).collect();
    let defaults = Limits::default();
    let limits = Limits { max_page: args.max_page, workers: args.workers.unwrap_or(defaults.workers), ..defaults };
    let packages = graph.node_count();
    let service = Service::new(graph, groups, scored, provenance(&inputs)?, limits).map_err(anyhow::Error::msg)?;
    progress.finish();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .with_context(|| format!("--addr {}: cannot listen there", args.addr))?;
        let addr = listener.local_addr()?;
        if !addr.ip().is_loopback() {
            progress.message(&format!(
                "WARNING: listening on {addr}, which is not loopback: every machine that can reach it can query this \
                 graph. Use --addr 127.0.0.1:PORT to keep it to this machine."
            ));
        }
        progress.message(&format!("keystone serve: {packages} packages on http://{addr}/ (Ctrl-C stops)"));
        serve(listener, Arc::new(service), async {
            // An error here means no Ctrl-C handler could be set up: serve until killed.
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        })
        .await?;
        progress.message("keystone serve: stopped");
        Ok(ExitCode::SUCCESS)
    })
}
