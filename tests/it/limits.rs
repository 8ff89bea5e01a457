//! Limits on hostile input: records longer than `--max-record-bytes`, decompression bombs
//! (a ratio or an absolute size passed, whatever the compression), a huge line in a compressed
//! stream, and a 100,000-package chain and a 100,000-package cycle (no stack overflow).

use std::io::{Cursor, Write};
use std::path::Path;

use keystone::analysis::{depth, floating, pagerank, paths, rank, reach};
use keystone::graph::scc::components;
use keystone::graph::{builder, Graph};
use keystone::ingest::{edges::Edges, Format, Ingest, ReadOptions, Stream};
use keystone::model::Profile;
use keystone::progress::NoProgress;

use crate::workdir::{assert_ok, path, stderr, Workdir};

#[test]
fn oversized_records_are_refused_not_read() {
    let wd = Workdir::new();
    let opts = ReadOptions { max_record_bytes: 4096, ..ReadOptions::default() };
    let padding = "x".repeat(10_000);
    let jsonl = wd.create(
        "big.jsonl",
        format!("{{\"name\":\"a\",\"vers\":\"1.0.0\",\"deps\":[],\"yanked\":false}}\n{{\"name\":\"{padding}\"}}\n"),
    );
    let err = Format::CratesIndex.reader().read(&jsonl, &opts, &NoProgress).unwrap_err().to_string();
    assert!(err.contains("big.jsonl:2: a line longer than 4096 bytes"), "{err}");
    assert!(Format::CratesIndex.reader().read(&jsonl, &ReadOptions::default(), &NoProgress).is_err_and(|e| {
        let e = e.to_string();
        e.contains("big.jsonl:2:") && e.contains("`vers`")
    }));

    let packages =
        wd.create("Packages", format!("Package: a\nVersion: 1\n\nPackage: b\nVersion: 1\nDescription: {padding}\n"));
    let err = Format::Debian.reader().read(&packages, &opts, &NoProgress).unwrap_err().to_string();
    assert!(err.contains("Packages:4: a stanza longer than 4096 bytes"), "{err}");
}

/// A zstd stream of `lines` copies of `line`, written on the fly.
fn zstd_of_repeated(line: &[u8], lines: usize) -> Vec<u8> {
    let mut encoder = zstd::Encoder::new(Vec::new(), 1).unwrap();
    let chunk = line.repeat((1 << 20) / line.len().max(1) + 1);
    let per_chunk = chunk.len() / line.len();
    let mut left = lines;
    while left > 0 {
        let n = left.min(per_chunk);
        encoder.write_all(&chunk[..n * line.len()]).unwrap();
        left -= n;
    }
    encoder.finish().unwrap()
}

#[test]
fn decompression_bombs_stop_early_naming_the_file_and_the_flag() {
    let wd = Workdir::new();
    // 128 MiB of one index line (ratio far above 1000): refused soon after the first 64 MiB.
    let line = b"{\"name\":\"a\",\"vers\":\"1.0.0\",\"deps\":[],\"yanked\":false}\n";
    let bomb = wd.create("bomb.jsonl.zst", zstd_of_repeated(line, (128 << 20) / line.len()));
    assert!(std::fs::metadata(&bomb).unwrap().len() < 64 << 10);
    let err = Format::CratesIndex.reader().read(&bomb, &ReadOptions::default(), &NoProgress).unwrap_err().to_string();
    assert!(err.starts_with(&format!("{}: ", bomb.display())), "{err}");
    assert!(err.contains("a ratio above 1000") && !err.contains("--max-ratio"), "{err}");

    // Through the command line: nothing written, and the flag lets a genuine input through.
    let out_file = wd.path("out.snap");
    let out = wd.run(&["ingest", path(&bomb), "-o", path(&out_file)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("raise --max-ratio"), "{}", stderr(&out));
    assert!(!out_file.exists());
    let out = wd.run(&["ingest", path(&bomb), "--max-ratio", "1000000", "-o", path(&out_file)]);
    assert_ok(&out);

    // The absolute limit, whatever the ratio, and for every compression (gzip, xz, zstd).
    let lines: Vec<u8> = line.repeat(1000);
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(&lines).unwrap();
    let gz = wd.create("small.jsonl.gz", encoder.finish().unwrap());
    let opts = ReadOptions { max_input_bytes: 10_000, ..ReadOptions::default() };
    let err = Format::CratesIndex.reader().read(&gz, &opts, &NoProgress).unwrap_err().to_string();
    assert!(err.contains("small.jsonl.gz: decompresses to more than 10000 bytes"), "{err}");
    let out = wd.run(&["rank", path(&gz), "--max-input-gb", "0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("small.jsonl.gz: decompresses to more than 0 bytes"), "{}", stderr(&out));
    // Edge lists (CSV) and Debian stanzas stop the same way, not as a skipped bad record.
    let csv = wd.create("edges.csv.zst", zstd_of_repeated(b"a,b\n", 100_000));
    let opts = ReadOptions { max_input_bytes: 10_000, skip_bad: true, ..ReadOptions::default() };
    let err = Format::Edges.reader().read(&csv, &opts, &NoProgress).unwrap_err().to_string();
    assert!(err.contains("edges.csv.zst") && err.contains("decompresses to more than 10000 bytes"), "{err}");
    let packages = wd.create("Packages.zst", zstd_of_repeated(b"Package: a\nVersion: 1\n\n", 100_000));
    let err = Format::Debian.reader().read(&packages, &opts, &NoProgress).unwrap_err().to_string();
    assert!(err.contains("Packages.zst") && err.contains("decompresses to more than 10000 bytes"), "{err}");
    // Under the limits, the same files read.
    assert!(Format::Edges.reader().read(&csv, &ReadOptions::default(), &NoProgress).is_ok());
}

#[test]
fn a_huge_line_in_a_compressed_stream_is_refused_not_read() {
    // One JSON line of 300 MB, generated as a zstd stream of a few kilobytes: the line limit
    // (64 MiB) stops it, whatever the ratio allowed.
    let wd = Workdir::new();
    let mut encoder = zstd::Encoder::new(Vec::new(), 1).unwrap();
    encoder.write_all(b"{\"name\":\"a\",\"vers\":\"1.0.0\",\"deps\":[],\"yanked\":false}\n{\"name\":\"").unwrap();
    let chunk = vec![b'a'; 1 << 20];
    for _ in 0..300 {
        encoder.write_all(&chunk).unwrap();
    }
    encoder.write_all(b"\",\"vers\":\"1.0.0\",\"deps\":[],\"yanked\":false}\n").unwrap();
    let huge = wd.create("huge.jsonl.zst", encoder.finish().unwrap());
    let opts = ReadOptions { max_ratio: u64::MAX, ..ReadOptions::default() };
    for format in [Format::CratesIndex, Format::Npm, Format::PypiJson] {
        let err = format.reader().read(&huge, &opts, &NoProgress).unwrap_err().to_string();
        assert!(err.ends_with("huge.jsonl.zst:2: a line longer than 67108864 bytes"), "{format}: {err}");
    }
}

/// The graph of a generated edge list.
fn edge_list_graph(rows: impl Iterator<Item = String>) -> Graph {
    let text: String = rows.collect();
    let stream = Stream::new(Cursor::new(text.into_bytes()));
    let read = Edges.read_stream(stream, Path::new("generated.csv"), &ReadOptions::default(), &NoProgress);
    builder::build(&[read.unwrap()], Profile::default(), &NoProgress).unwrap()
}

#[test]
fn a_long_chain_and_a_large_cycle_do_not_overflow_the_stack() {
    const N: usize = 100_000;
    let name = |i: usize| format!("p{i:06}");
    // p000001 depends on p000000, …, p099999 on p099998; then the same with p000000 depending
    // on p099999, closing one cycle of every package.
    for cycle in [false, true] {
        let back = cycle.then(|| format!("{},{}\n", name(0), name(N - 1)));
        let graph = edge_list_graph((1..N).map(|i| format!("{},{}\n", name(i), name(i - 1))).chain(back));
        assert_eq!(graph.node_count(), N);
        let (top, bottom) = (graph.find(&name(N - 1)).unwrap(), graph.find(&name(0)).unwrap());
        if cycle {
            // `rank` but for floating reach, which recounts each member of a cycle with a
            // search of its own (quadratic on one 100,000-package cycle).
            assert_eq!(components(graph.forward()).count, 1);
            assert!(reach::reach(graph.reverse(), &NoProgress).iter().all(|&r| r == N as u32 - 1));
            assert_eq!(depth::depth_counts(graph.reverse(), &NoProgress)[0][0], 1);
            let opts = pagerank::PageRankOptions::default();
            assert!(pagerank::pagerank(graph.forward(), graph.reverse(), &opts, &NoProgress).converged);
        } else {
            let ranking = rank::rank(&graph, &Default::default(), &NoProgress).unwrap();
            let best = &ranking.rows[0];
            assert_eq!((graph.name(best.node), best.reach), (name(0).as_str(), N as u32 - 1));
        }
        let blast = paths::blast(graph.reverse(), bottom, None);
        assert_eq!(blast.reached.len(), N - 1);
        assert_eq!(blast.chain(top).unwrap().len(), N);
        let propagation = floating::propagation_graph(&graph);
        assert_eq!(floating::blast_new_release(&propagation, &[bottom], None).reached.len(), N - 1);
        assert_eq!(paths::why(graph.forward(), top, bottom).unwrap().len(), N);
        assert_eq!(paths::why(graph.forward(), bottom, top).map(|c| c.len()), cycle.then_some(2));
    }
}
