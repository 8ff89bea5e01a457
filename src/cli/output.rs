//! Where results go, in one place for every command: tables to a file (atomically) or stdout,
//! and the summaries on stderr that more than one command prints (estimated values, how a
//! ranking moved).

use std::path::Path;

use anyhow::{bail, Context, Result};
use keystone::analysis::compare::{summarize, Movement, Standing, Summary};
use keystone::analysis::reach::{Approximation, ReachLimits};
use keystone::atomic::write_atomic;
use keystone::error::human_bytes;
use keystone::graph::Graph;

use super::CliProgress;

/// The top a comparison's summary speaks of when `--top` is not given.
pub(crate) const SUMMARY_TOP: usize = 20;
/// How many packages each list of a comparison's summary names.
const SUMMARY_LIMIT: usize = 10;

/// `n` and `noun`, plural unless `n` is 1: `1 package`, `2 packages`, `2 dependencies`.
pub(crate) fn count(n: usize, noun: &str) -> String {
    match (n, noun.strip_suffix('y')) {
        (1, _) => format!("1 {noun}"),
        (_, Some(stem)) => format!("{n} {stem}ies"),
        _ => format!("{n} {noun}s"),
    }
}

/// Whether `e` is a closed pipe, directly or inside the CSV writer's error.
fn broken_pipe(e: &std::io::Error) -> bool {
    let inner = e.get_ref().and_then(|inner| inner.downcast_ref::<csv::Error>());
    match inner.map(csv::Error::kind) {
        Some(csv::ErrorKind::Io(io)) => io.kind() == std::io::ErrorKind::BrokenPipe,
        _ => e.kind() == std::io::ErrorKind::BrokenPipe,
    }
}

/// Refuses, before any work, an output that cannot be right: one in a folder that does not
/// exist, or one that is also an input (it would be overwritten while, or before, it is read).
pub(crate) fn check_output(output: Option<&Path>, inputs: &[Option<&Path>]) -> Result<()> {
    let Some(output) = output else { return Ok(()) };
    let dir = output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !dir.is_dir() {
        bail!("{}: there is no folder {} to write it into", output.display(), dir.display());
    }
    let same = |input: &Path| match (std::fs::canonicalize(output), std::fs::canonicalize(input)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if inputs.iter().flatten().any(|input| same(input)) {
        bail!("{}: is also an input; write the output to another file", output.display());
    }
    Ok(())
}

/// Where a command writes its output: a file (atomically) or stdout.
pub(crate) fn write_output(
    output: Option<&Path>,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<()> {
    match output {
        Some(path) => write_atomic(path, write)?,
        None => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            match write(&mut lock) {
                // A reader that stopped early (`| head`) is no failure.
                Err(e) if broken_pipe(&e) => {}
                other => other.context("writing to stdout")?,
            }
        }
    }
    Ok(())
}

/// What the user needs to know about estimated values.
pub(crate) fn approximation_note(what: &str, a: &Approximation, limits: &ReachLimits) -> String {
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

/// Prints the summary of `moves` between two graphs, each given as (label, what it is, graph).
pub(crate) fn comparison_summary(
    moves: &[Movement<'_>],
    sides: &[(&str, String, &Graph); 2],
    top: usize,
    min_reach: u32,
    progress: &CliProgress,
) {
    let s: Summary<'_> = summarize(moves, top, min_reach, SUMMARY_LIMIT);
    let mut text = String::new();
    for (label, what, graph) in sides {
        text.push_str(&format!(
            "{label}: {what}: {} packages, {} edges ({} dependencies)\n",
            graph.node_count(),
            graph.edge_count(),
            graph.profile().describe()
        ));
    }
    let [(a, _, a_graph), (b, _, b_graph)] = sides;
    text.push_str(&format!(
        "edges {a} → {b}: {:+}; packages: {} in both, {} only in {b}, {} only in {a}\n",
        b_graph.edge_count() as i64 - a_graph.edge_count() as i64,
        s.kept,
        s.added,
        s.removed
    ));
    let mut ecosystems = a_graph.ecosystems();
    ecosystems.extend(b_graph.ecosystems());
    ecosystems.dedup();
    let name = |m: &Movement<'_>| match ecosystems.len() {
        1 => m.name.to_string(),
        _ => format!("{}/{}", m.ecosystem, m.name),
    };
    let pair = |m: &Movement<'_>, field: fn(Standing) -> u32| {
        let at = |s: Option<Standing>| s.map_or("-".to_string(), |s| field(s).to_string());
        format!("{} → {}", at(m.old), at(m.new))
    };
    let mut list = |title: String, rows: &[Movement<'_>], extra: &dyn Fn(&Movement<'_>) -> String| {
        text.push_str(&format!("{title}:{}\n", if rows.is_empty() { " none" } else { "" }));
        for m in rows {
            let (rank, reach) = (pair(m, |s| s.rank), pair(m, |s| s.reach));
            text.push_str(&format!("  {}: rank {rank}, reach {reach}{}\n", name(m), extra(m)));
        }
    };
    list(format!("entered the top {top} ({})", s.entrants.len()), &s.entrants, &|_| String::new());
    list(format!("left the top {top} ({})", s.leavers.len()), &s.leavers, &|_| String::new());
    let places = |m: &Movement<'_>| format!(" ({:+} places)", m.rank_change().unwrap_or(0));
    list(format!("biggest climbers into the top {top}"), &s.climbers, &places);
    let gain = |m: &Movement<'_>| format!(" ({:+})", m.reach_change().unwrap_or(0));
    list("largest reach gains".to_string(), &s.reach_gains, &gain);
    let ratio = |m: &Movement<'_>| format!(" (×{:.2})", m.reach_ratio().unwrap_or(0.0));
    list(format!("largest reach ratios, old reach at least {min_reach}"), &s.reach_ratios, &ratio);
    progress.message(text.trim_end());
}
