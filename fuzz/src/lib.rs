//! Helpers shared by the fuzz targets: options that keep one run fast, reading the bytes
//! through a format's reader as a file of that format would be read (the ingest seam,
//! decompression included), and the checks run on whatever an ingester accepts (build the
//! graph, rank it, blast and why, write every CSV), so that a record the parser lets through
//! cannot panic anything downstream either.

use std::borrow::Cow;
use std::path::Path;

use keystone::analysis::groups::{accounts, group_metrics, projects};
use keystone::analysis::reach::{reach, ReachLimits};
use keystone::analysis::scenario::{self, Bad, Order, Scenario, Target as Named};
use keystone::analysis::score::{self, Weights};
use keystone::analysis::{gateways, paths, rank, stats};
use keystone::error::Result;
use keystone::export::table::Format as TableFormat;
use keystone::export::tables::{self, Target};
use keystone::graph::{builder, Graph};
use keystone::ingest::{CargoOptions, Format, FormatOptions, ReadOptions};
use keystone::model::{Ingested, Profile, ProfileKind};
use keystone::progress::NoProgress;

/// Read options for fuzzing: records up to 1 MiB, at most 16 MiB decompressed, so that a
/// decompression bomb in the input costs milliseconds, not seconds. The first byte's lowest
/// bit skips bad records.
pub fn options(data: &[u8]) -> ReadOptions {
    ReadOptions {
        skip_bad: data.first().is_some_and(|b| b & 1 == 1),
        max_record_bytes: 1 << 20,
        max_input_bytes: 16 << 20,
        ..ReadOptions::default()
    }
}

/// Reads `data` as the file `name` of `format` would be read, with the options `data`'s first
/// byte picks (its second bit leaves Cargo features unread, so that every path is explored),
/// and [`check`]s the outcome.
pub fn read_as(format: Format, name: &str, data: &[u8]) {
    let cargo = CargoOptions { features: data.first().is_none_or(|b| b & 2 == 0), ..CargoOptions::default() };
    let formats = FormatOptions { cargo, ..FormatOptions::default() };
    let reader = format.reader_with(&formats);
    check(reader.read_bytes(Cow::Owned(data.to_vec()), Path::new(name), &options(data), &NoProgress));
}

/// A tar archive in memory of `members` (path, bytes).
pub fn tarball<'a>(members: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> Vec<u8> {
    let mut tar = tar::Builder::new(Vec::new());
    for (path, bytes) in members {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        tar.append_data(&mut header, path, bytes).expect("in-memory tar");
    }
    tar.into_inner().expect("in-memory tar")
}

/// Checks the outcome of an ingest: an error must render; records must build into a graph
/// under the default and the widest profile, which must then survive [`exercise`].
pub fn check(read: Result<Ingested>) {
    let ingested = match read {
        Ok(ingested) => ingested,
        Err(e) => {
            let _ = e.to_string();
            return;
        }
    };
    let widest: Profile = ProfileKind::ALL.map(ProfileKind::as_str).join(",").parse().expect("every kind parses");
    for profile in [Profile::default(), widest] {
        match builder::build(std::slice::from_ref(&ingested), profile, &NoProgress) {
            Ok(graph) => exercise(&graph),
            Err(e) => {
                let _ = e.to_string();
            }
        }
    }
}

/// Runs every analysis and export on `graph`.
pub fn exercise(graph: &Graph) {
    let _ = stats::stats(graph);
    let ranking = rank::rank(graph, &ReachLimits::default(), &NoProgress).expect("no memory limit");
    let mut sink = std::io::sink();
    tables::write_rank(graph, &ranking, None, to(&mut sink)).expect("a sink takes anything");
    // A limit small enough to force sketches and the exact re-check.
    let tight = ReachLimits { max_bytes: 4096, exact_top: 2 };
    if let Ok(estimated) = rank::rank(graph, &tight, &NoProgress) {
        tables::write_rank(graph, &estimated, None, to(&mut sink)).expect("a sink takes anything");
    }
    tables::write_edges(graph, to(&mut sink)).expect("a sink takes anything");
    let n = graph.node_count();
    let scores = score::score(&score::evidence(graph, &ranking, &[], &NoProgress), &Weights::default());
    tables::write_scores(graph, &ranking, &scores, None, to(&mut sink)).expect("a sink takes anything");
    for (kind, groups) in
        [("project", projects(graph, &Default::default()).expect("no aliases")), ("account", accounts(graph))]
    {
        let (metrics, reach) = group_metrics(graph.reverse(), &groups, &NoProgress);
        tables::write_groups(graph, kind, &groups, &metrics, &reach, None, to(&mut sink))
            .expect("a sink takes anything");
    }
    if n == 0 {
        return;
    }
    let n = n as u32;
    let reach = reach(graph.reverse(), &NoProgress);
    let range = |r: &str| Bad::Range(r.into());
    let scenarios = [
        (Scenario::Compromise, Bad::All),
        (Scenario::NewRelease, Bad::All),
        (Scenario::Affected, range("<1")),
        (Scenario::Removed, Bad::All),
        (Scenario::Removed, range(">=1")),
    ];
    let named = |xs: &[u32], bad: &Bad| -> Vec<Named> {
        xs.iter().map(|&package| Named { package, bad: bad.clone() }).collect()
    };
    // Each of three packages alone, then the three as one incident.
    let singles = [0, n / 2, n - 1].map(|x| vec![x]);
    for xs in singles.iter().chain([&vec![0, n / 2, n - 1]]) {
        for (what, bad) in &scenarios {
            if let Ok(outcome) = scenario::run(graph, &named(xs, bad), *what, Some(4), None) {
                let _ = outcome.per_depth();
                for order in [Order::Depth, Order::Importance] {
                    let rows = outcome.ordered(graph, order, &reach);
                    tables::write_blast(graph, &outcome, &rows, &reach, to(&mut sink)).expect("a sink takes anything");
                }
            }
        }
    }
    for x in [0, n / 2, n - 1] {
        let _ = gateways::dominators(graph.reverse(), graph.forward(), x);
        let _ = paths::why(graph.forward(), x, 0);
        let _ = graph.find(graph.name(x));
        let _ = graph.find(&graph.display_name(x));
    }
}

/// Every table writer's output goes nowhere, as CSV.
fn to(out: &mut std::io::Sink) -> Target<'_> {
    Target { format: TableFormat::CSV, out, provenance: None }
}
