//! Criterion benchmarks of every phase on the real dumps in `../shared/datasets`: reading the
//! input, building the graph, SCC, reach, depth counts, PageRank, snapshot write and load, and
//! `blast` with its gateway summary; and at either end of a whole `rank`, reading the graph as
//! a plain edge list and writing the ranking as CSV and as Parquet; and the committee's report
//! of the top 100 projects beyond the ranking. Skipped (with a message) when the datasets are
//! absent.
//! The `npm-synthetic` group runs the analysis phases on the synthetic npm-sized graph
//! ([`keystone::synthetic`]).
//!
//! `cargo bench --bench pipeline`; `cargo bench --bench pipeline -- debian` for one group.

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion};
use keystone::analysis::{depth, floating, gateways, groups, pagerank, paths, rank, reach, report, score};
use keystone::export::provenance::Provenance;
use keystone::export::report::{html, Document};
use keystone::export::table;
use keystone::export::tables::{write_rank, Target};
use keystone::graph::{builder, scc, snapshot, Graph};
use keystone::ingest::{edges::Edges, Format, Ingest, ReadOptions};
use keystone::model::Profile;
use keystone::progress::NoProgress;
use keystone::synthetic;

fn dataset(relative: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/datasets").join(relative);
    if !path.exists() {
        eprintln!("skipping: {} is absent", path.display());
    }
    path.exists().then_some(path)
}

fn ingest(format: Format, path: &Path) -> Graph {
    let input = format.reader().read(path, &ReadOptions::default(), &NoProgress).expect("dataset reads");
    builder::build(&[input], Profile::default(), &NoProgress).expect("graph builds")
}

/// Reading and building, then [`analysis`], on a real dump; `hub` is where `blast` starts.
fn phases(c: &mut Criterion, name: &str, format: Format, relative: &str, hub: &str) {
    let Some(path) = dataset(relative) else { return };
    let mut group = c.benchmark_group(name);
    group.sample_size(10);
    group.bench_function("ingest", |b| b.iter(|| ingest(format, &path)));
    group.bench_function("ingest_and_rank", |b| {
        b.iter(|| rank::rank(&ingest(format, &path), &Default::default(), &NoProgress))
    });
    let input = format.reader().read(&path, &ReadOptions::default(), &NoProgress).expect("dataset reads");
    group.bench_function("build", |b| {
        b.iter(|| builder::build(std::slice::from_ref(&input), Profile::default(), &NoProgress).expect("builds"))
    });
    group.finish();
    let graph = builder::build(&[input], Profile::default(), &NoProgress).expect("graph builds");
    analysis(c, name, &graph, graph.find(hub).expect("hub exists"));
    committee_report(c, name, &graph);
}

/// The committee's report beyond `rank --by project --score`: the model of the top 100 and its
/// page (the size of which is printed once).
fn committee_report(c: &mut Criterion, name: &str, graph: &Graph) {
    let groups = groups::projects(graph, &Default::default()).expect("projects");
    let (metrics, reach) = groups::group_metrics(graph.reverse(), &groups, &NoProgress);
    let pr = pagerank::pagerank(graph.forward(), graph.reverse(), &Default::default(), &NoProgress).scores;
    let scores = score::score(
        &score::group_evidence(graph, &groups, &metrics, &reach, &pr, &[], &NoProgress),
        &Default::default(),
    );
    let inputs = report::Inputs {
        graph,
        groups: &groups,
        metrics: &metrics,
        reach: &reach,
        scores: &scores,
        advisories: &[],
        lists: &[],
        spotlight: &[],
        top: 100,
    };
    let provenance = Provenance::new(vec!["keystone".into()], Vec::new());
    let page = |model: &report::Report| {
        let document = Document {
            title: name,
            provenance: &provenance,
            profile: String::new(),
            method: Vec::new(),
            report: model,
        };
        html(&document).expect("renders")
    };
    eprintln!("{name}: the report page of the top 100 is {} bytes", page(&report::build(&inputs)).len());
    let mut group = c.benchmark_group(name);
    group.sample_size(10);
    group.bench_function("report_top100", |b| b.iter(|| page(&report::build(&inputs))));
    group.finish();
}

/// The phases that run on a built graph; `hub` is the package `blast` starts from.
fn analysis(c: &mut Criterion, name: &str, graph: &Graph, hub: u32) {
    let mut group = c.benchmark_group(name);
    group.sample_size(10);
    let (forward, reverse) = (graph.forward(), graph.reverse());
    group.bench_function("scc", |b| b.iter(|| scc::components(reverse)));
    group.bench_function("reach", |b| b.iter(|| reach::reach(reverse, &NoProgress)));
    group.bench_function("floating_reach", |b| {
        b.iter(|| floating::floating_reach(graph, &Default::default(), &NoProgress))
    });
    group.bench_function("depth", |b| b.iter(|| depth::depth_counts(reverse, &NoProgress)));
    let opts = pagerank::PageRankOptions::default();
    group.bench_function("pagerank", |b| b.iter(|| pagerank::pagerank(forward, reverse, &opts, &NoProgress)));
    let dir = tempfile::tempdir().expect("temporary folder");
    let snap = dir.path().join("bench.snap");
    group.bench_function("snapshot_save", |b| b.iter(|| snapshot::save(graph, &snap).expect("saves")));
    group.bench_function("snapshot_load", |b| b.iter(|| snapshot::load(&snap).expect("loads")));
    group.bench_function("blast_hub", |b| b.iter(|| paths::blast(reverse, hub, None)));
    group.bench_function("gateways_hub", |b| b.iter(|| gateways::dominators(reverse, forward, hub)));
    let median = (graph.node_count() / 2) as u32;
    group.bench_function("blast_median", |b| b.iter(|| paths::blast(reverse, median, None)));
    group.finish();
    ends(c, name, graph);
}

/// Either end of a whole `rank`: reading the graph as a plain `dependent,dependency` edge list
/// (as a peer's script would be given it), and writing every package's ranking as a table.
fn ends(c: &mut Criterion, name: &str, graph: &Graph) {
    let mut group = c.benchmark_group(name);
    group.sample_size(10);
    let dir = tempfile::tempdir().expect("temporary folder");
    let list = dir.path().join("edges.csv");
    let mut text = String::from("dependent,dependency\n");
    for v in 0..graph.node_count() as u32 {
        for &w in graph.forward().neighbors(v) {
            text.push_str(&format!("{},{}\n", graph.name(v), graph.name(w)));
        }
    }
    std::fs::write(&list, text).expect("edge list written");
    group.bench_function("edge_list_read", |b| {
        b.iter(|| Edges.read(&list, &ReadOptions::default(), &NoProgress).expect("edge list reads"))
    });
    let ranking = rank::rank(graph, &Default::default(), &NoProgress).expect("ranks");
    for (what, format) in [("rank_csv_write", table::Format::CSV), ("rank_parquet_write", parquet())] {
        group.bench_function(what, |b| {
            b.iter(|| {
                let mut out = Vec::new();
                write_rank(graph, &ranking, None, Target { format, out: &mut out, provenance: None }).expect("writes");
                out
            })
        });
    }
    group.finish();
}

fn parquet() -> table::Format {
    table::Format::from_name("parquet").expect("a format")
}

fn debian(c: &mut Criterion) {
    phases(c, "debian", Format::Debian, "debian/bookworm_main_amd64_Packages.xz", "libc6");
}

fn crates(c: &mut Criterion) {
    phases(
        c,
        "crates2025",
        Format::CratesIndex,
        "cratesio/crates-io-index-2025-09-28.nocksum.jsonl.zst",
        "unicode-ident",
    );
}

fn npm_synthetic(c: &mut Criterion) {
    let graph = synthetic::generate(&synthetic::SynthParams::npm());
    let hub = (0..graph.node_count() as u32).max_by_key(|&v| graph.reverse().degree(v)).unwrap_or(0);
    analysis(c, "npm-synthetic", &graph, hub);
}

criterion_group!(benches, debian, crates, npm_synthetic);
criterion_main!(benches);
