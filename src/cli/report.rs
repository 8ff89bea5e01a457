//! `keystone report`: the committee's page (or its JSON) — the shortlist of upstream projects by
//! the score with the evidence for each, the lists that name them, and the blind spots.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use keystone::analysis::groups::projects;
use keystone::analysis::report::{build, score_projects, Inputs, Scored};
use keystone::atomic::write_atomic;
use keystone::export::report::{html, json, Document, METHOD};
use keystone::ingest::lists::{read_list, read_spotlight};
use keystone::ingest::side::read_osv;

use super::args::{provenance, GraphArgs, ScoreArgs};
use super::output::check_output;
use super::CliProgress;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A snapshot or raw input; without one, the embedded Debian bookworm Packages file.
    input: Option<PathBuf>,
    /// Write the report here (atomically): a page (.html) or its data (.json).
    #[arg(short, long, required = true)]
    output: PathBuf,
    /// How many projects the shortlist holds (the spotlight's inclusions come on top).
    #[arg(long, default_value_t = 100, value_name = "N")]
    top: usize,
    /// The page's title.
    #[arg(long, default_value = "Upstream projects the ecosystem stands on")]
    title: String,
    /// OSV advisories: JSON lines (plain or compressed) or a folder of `.json` records;
    /// repeatable.
    #[arg(long, value_name = "FILE|DIR")]
    osv: Vec<PathBuf>,
    /// A funder's or foundation's list of projects, e.g. `Omega=omega-top10k.csv.zst`: the
    /// Omega top 10k CSV as published, `ecosystem,name`, or `repository`; repeatable.
    #[arg(long, value_parser = parse_list, value_name = "NAME=FILE")]
    listed_by: Vec<(String, PathBuf)>,
    /// The committee's overrides: CSV `project,action,rationale,added_by,added_at` (or TOML
    /// `[[spotlight]]` tables), every field required; action `include` or `exclude`.
    #[arg(long, value_name = "FILE")]
    spotlight: Option<PathBuf>,
    #[command(flatten)]
    scoring: ScoreArgs,
    #[command(flatten)]
    graph: GraphArgs,
}

fn parse_list(s: &str) -> Result<(String, PathBuf), String> {
    let (name, path) = s.split_once('=').ok_or_else(|| format!("`{s}`: expected NAME=FILE"))?;
    Ok((name.to_string(), PathBuf::from(path)))
}

/// Whether `path` names a page (`.html`) or its data (`.json`).
fn is_page(path: &Path) -> Result<bool> {
    match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("html" | "htm") => Ok(true),
        Some("json") => Ok(false),
        _ => bail!("{}: a report is written as .html (the page) or .json (its data)", path.display()),
    }
}

pub fn run(args: Args, progress: &CliProgress) -> Result<ExitCode> {
    let page = is_page(&args.output)?;
    let side: Vec<&Path> = args
        .osv
        .iter()
        .chain(args.listed_by.iter().map(|(_, path)| path))
        .chain(&args.spotlight)
        .map(PathBuf::as_path)
        .collect();
    let mut inputs: Vec<Option<&Path>> = vec![args.input.as_deref()];
    inputs.extend(side.iter().map(|&p| Some(p)));
    inputs.extend(args.graph.alias_file());
    inputs.extend(args.scoring.files());
    // Every side file and the output's folder are checked before the graph is loaded.
    check_output(Some(&args.output), &inputs)?;
    let mut advisories = Vec::new();
    for path in &args.osv {
        advisories.extend(read_osv(path)?);
    }
    let lists =
        args.listed_by.iter().map(|(name, path)| Ok((name.clone(), read_list(path)?))).collect::<Result<Vec<_>>>()?;
    let spotlight = args.spotlight.as_deref().map(read_spotlight).transpose()?.unwrap_or_default();
    let aliases = args.graph.aliases()?;
    let scoring = args.scoring.read(progress)?;
    let graph = args.graph.load_with(args.input.as_deref(), &aliases, progress)?;
    let groups = projects(&graph, &aliases.projects).with_context(|| args.graph.aliases_name())?;
    for s in &spotlight {
        if groups.names.binary_search(&s.project).is_err() {
            let file = args.spotlight.as_deref().unwrap_or(Path::new("")).display();
            bail!("{file}: `{}` is not a project of the graph (`rank --by project` lists them)", s.project);
        }
    }
    let popularity = scoring.popularity(&graph, progress)?;
    let Scored { metrics, reach, scores } = score_projects(&graph, &groups, &popularity, &scoring.weights, progress);
    progress.phase_start("report");
    let report = build(&Inputs {
        graph: &graph,
        groups: &groups,
        metrics: &metrics,
        reach: &reach,
        scores: &scores,
        advisories: &advisories,
        lists: &lists,
        spotlight: &spotlight,
        top: args.top,
    });
    for note in &report.unmatched_advisories {
        progress.message(note);
    }
    let provenance = provenance(&inputs)?;
    let document = Document {
        title: &args.title,
        provenance: &provenance,
        profile: graph.profile().describe(),
        method: METHOD.to_vec(),
        report: &report,
    };
    let text = if page { html(&document).map_err(anyhow::Error::msg)? } else { json(&document)? + "\n" };
    write_atomic(&args.output, |w| w.write_all(text.as_bytes()))?;
    Ok(ExitCode::SUCCESS)
}
