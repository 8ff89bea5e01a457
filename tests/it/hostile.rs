//! Hostile and broken input: damaged snapshots (checksum fixed up, so the checks behind it are
//! reached), tarballs whose member names point outside, decompression bombs, a huge line in a
//! compressed stream, a 100,000-package chain and a 100,000-package cycle, byte-identical
//! output whatever the thread count, and the inputs the fuzz targets (`fuzz/`) found.

use std::io::{Cursor, Write};
use std::path::Path;
use std::process::{Command, Output};

use keystone::analysis::{depth, floating, pagerank, paths, rank, reach};
use keystone::graph::scc::components;
use keystone::graph::{builder, snapshot, Graph};
use keystone::ingest::{edges::Edges, Format, Ingest, ReadOptions};
use keystone::model::Profile;
use keystone::progress::NoProgress;

use crate::{fixture, graph_of};

fn keystone(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_keystone")).args(args).current_dir(dir).output().expect("keystone runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Every analysis a command runs, on a graph that loaded.
fn analyse(graph: &Graph) {
    let ranking = rank::rank(graph, &Default::default(), &NoProgress).unwrap();
    assert_eq!(ranking.rows.len(), graph.node_count());
    if graph.node_count() > 0 {
        let _ = paths::blast(graph.reverse(), 0, None);
        let _ = paths::why(graph.forward(), graph.node_count() as u32 - 1, 0);
        let _ = floating::blast_new_release(&floating::propagation_graph(graph), 0, None);
    }
}

/// Sets the payload length and CRC-32 in a snapshot header to match its payload.
fn fix_header(bytes: &mut [u8]) {
    let payload = (bytes.len() - 32) as u64;
    let crc = crc32fast::hash(&bytes[32..]);
    bytes[16..24].copy_from_slice(&payload.to_le_bytes());
    bytes[24..28].copy_from_slice(&crc.to_le_bytes());
}

#[test]
fn damaged_snapshots_behind_the_checksum_are_refused_or_sound() {
    // A mixed graph (three ecosystems, requirements, cycles), so every section has content.
    let dir = tempfile::tempdir().unwrap();
    let inputs = [
        Format::CratesIndex.reader().read(&fixture("crates-index.jsonl"), &ReadOptions::default(), &NoProgress),
        Format::Debian.reader().read(&fixture("Packages"), &ReadOptions::default(), &NoProgress),
        Format::Npm.reader().read(&fixture("npm/packuments.jsonl"), &ReadOptions::default(), &NoProgress),
    ]
    .map(Result::unwrap);
    let g = builder::build(&inputs, Profile::default(), &NoProgress).unwrap();
    let file = dir.path().join("g.snap");
    snapshot::save(&g, &file).unwrap();
    let bytes = std::fs::read(&file).unwrap();

    // Truncated anywhere: an error that says so, and `load` names the file.
    for cut in 0..bytes.len() {
        let message = snapshot::decode(&bytes[..cut]).unwrap_err();
        assert!(message.contains("bad magic") || message.contains("truncated"), "cut at {cut}: {message}");
    }
    let cut = dir.path().join("cut.snap");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let err = snapshot::load(&cut).unwrap_err().to_string();
    assert!(err.starts_with(&format!("{}: truncated or damaged", cut.display())), "{err}");

    // Every byte of the payload changed, with the checksum made to match: the section table
    // and graph invariants must catch what the checksum no longer does. What still decodes
    // must be a graph every analysis can run on.
    let (mut refused, mut accepted) = (0, 0);
    for at in 32..bytes.len() {
        for mask in [0x01u8, 0x80, 0xff] {
            let mut damaged = bytes.clone();
            damaged[at] ^= mask;
            fix_header(&mut damaged);
            match snapshot::decode(&damaged) {
                Ok(graph) => {
                    analyse(&graph);
                    accepted += 1;
                }
                Err(message) => {
                    assert!(!message.is_empty());
                    refused += 1;
                }
            }
        }
    }
    assert!(refused > accepted, "{refused} refused, {accepted} accepted");
    // The payload cut short, checksum fixed: refused, unless only the last section's zero
    // padding was cut.
    for cut in 32..bytes.len() {
        let mut damaged = bytes[..cut].to_vec();
        fix_header(&mut damaged);
        if let Ok(graph) = snapshot::decode(&damaged) {
            assert!(bytes[cut..].iter().all(|&b| b == 0) && graph == g, "payload cut at {cut}");
        }
    }
}

/// The bytes of a snapshot of the Debian fixture.
fn debian_snapshot() -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("g.snap");
    snapshot::save(&graph_of(Format::Debian, &fixture("Packages"), Profile::default()), &file).unwrap();
    std::fs::read(&file).unwrap()
}

/// The byte range of section `index` of a snapshot (after its length word).
fn section(bytes: &[u8], index: usize) -> std::ops::Range<usize> {
    let mut at = 32;
    for i in 0.. {
        let len = u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap()) as usize;
        if i == index {
            return at + 8..at + 8 + len;
        }
        at = (at + 8 + len).next_multiple_of(8);
    }
    unreachable!()
}

#[test]
fn fuzz_finding_csr_offsets_past_the_edges() {
    // Forward offsets that rise past the edge count and fall back to it: the row of node 0
    // ran past the edges (a slice panic) before the fall at node 1 was seen.
    let mut bytes = debian_snapshot();
    let offsets = section(&bytes, 6);
    let edges = (section(&bytes, 7).len() / 4) as u32;
    bytes[offsets.start + 4..offsets.start + 8].copy_from_slice(&(edges + 50).to_le_bytes());
    fix_header(&mut bytes);
    let message = snapshot::decode(&bytes).unwrap_err();
    assert_eq!(message, "offsets run past the edges at node 0");
}

#[test]
fn a_stored_reverse_that_is_not_the_transpose_is_refused() {
    // A well-formed reverse CSR with one edge moved, checksum fixed: only the keyed digest of
    // the edge sets can tell.
    let mut bytes = debian_snapshot();
    let word = |bytes: &[u8], at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap());
    let (offsets, targets) = (section(&bytes, 19), section(&bytes, 20));
    let n = offsets.len() / 4 - 1;
    let v =
        (0..n).find(|&v| word(&bytes, offsets.start + 4 * v + 4) - word(&bytes, offsets.start + 4 * v) == 1).unwrap();
    let at = targets.start + 4 * word(&bytes, offsets.start + 4 * v) as usize;
    let moved = (1..n as u32).map(|d| (word(&bytes, at) + d) % n as u32).find(|&t| t as usize != v).unwrap();
    bytes[at..at + 4].copy_from_slice(&moved.to_le_bytes());
    fix_header(&mut bytes);
    assert_eq!(snapshot::decode(&bytes).unwrap_err(), "the reverse edges are not the transpose of the forward edges");
}

#[test]
fn fuzz_crash_inputs_of_the_snapshot_target_are_refused() {
    // The snapshot target's crash inputs, as it runs them: a first byte, then the file, its
    // header fixed up when that byte is odd.
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/snapshot");
    let mut seen = 0;
    for entry in std::fs::read_dir(corpus).unwrap() {
        let entry = entry.unwrap();
        if !entry.file_name().to_string_lossy().starts_with("crash-") {
            continue;
        }
        let data = std::fs::read(entry.path()).unwrap();
        let mut bytes = data[1..].to_vec();
        if data[0] & 1 == 1 && bytes.len() >= 32 {
            fix_header(&mut bytes);
        }
        if let Ok(graph) = snapshot::decode(&bytes) {
            analyse(&graph);
        }
        seen += 1;
    }
    assert!(seen > 0);
}

/// A ustar header for `name` (written byte for byte: `tar::Builder` itself refuses `..` and
/// absolute names, as a hostile archive would not).
fn raw_member(name: &str, data: &[u8]) -> Vec<u8> {
    let mut header = tar::Header::new_ustar();
    header.as_ustar_mut().unwrap().name[..name.len()].copy_from_slice(name.as_bytes());
    header.set_size(data.len() as u64);
    header.set_mode(0o644);
    header.set_entry_type(tar::EntryType::Regular);
    header.set_cksum();
    let mut out = header.as_bytes().to_vec();
    out.extend_from_slice(data);
    out.resize(out.len().next_multiple_of(512), 0);
    out
}

fn tarball(members: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut out: Vec<u8> = members.iter().flat_map(|(name, data)| raw_member(name, data)).collect();
    out.extend_from_slice(&[0; 1024]);
    out
}

/// Every file under `dir`, relative to it.
fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().display().to_string());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn tarball_members_named_outside_are_read_in_memory_never_written() {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("work/a/b");
    std::fs::create_dir_all(&work).unwrap();
    let outside = dir.path().join("outside");
    let data = |name: &str| std::fs::read(fixture("crates-db-dump/data").join(name)).unwrap();
    let absolute = format!("{}/data/crates.csv", outside.display());
    let db_dump = tarball(&[
        (absolute.as_str(), data("crates.csv")),
        ("../../escaped/data/versions.csv", data("versions.csv")),
        ("x/../../../escaped/data/dependencies.csv", data("dependencies.csv")),
    ]);
    std::fs::write(work.join("db-dump.tar"), &db_dump).unwrap();
    let pypi = |name: &str| std::fs::read(fixture("pypi/deps-db").join(name)).unwrap();
    let deps_db = tarball(&[
        ("/pypi-escaped/sdist/00.json", pypi("sdist/00.json")),
        ("../../pypi-escaped/sdist/01.json", pypi("sdist/01.json")),
        ("../../../../../../../../pypi-escaped/wheel/00.json", pypi("wheel/00.json")),
    ]);
    std::fs::write(work.join("pypi-deps-db.tar"), &deps_db).unwrap();

    for (input, snap, folder, format) in [
        ("db-dump.tar", "crates.snap", fixture("crates-db-dump"), Format::CratesDump),
        ("pypi-deps-db.tar", "pypi.snap", fixture("pypi/deps-db"), Format::PypiDepsDb),
    ] {
        let out = keystone(&["ingest", input, "-o", snap], &work);
        assert!(out.status.success(), "{input}: {}", stderr(&out));
        // The members were read in memory, by name, as the folder's files are.
        let from_tar = snapshot::load(&work.join(snap)).unwrap();
        assert_eq!(crate::edge_list(&from_tar), crate::edge_list(&graph_of(format, &folder, Profile::default())));
    }
    // Nothing was written but the two snapshots, inside or outside the working folder.
    assert_eq!(
        files_under(dir.path()),
        ["work/a/b/crates.snap", "work/a/b/db-dump.tar", "work/a/b/pypi-deps-db.tar", "work/a/b/pypi.snap"]
    );
    assert!(!Path::new("/pypi-escaped").exists());

    // A bad row in such a member is reported under the member's name as written.
    let mut versions = data("versions.csv");
    versions.extend_from_slice(b"not,a,version,row\n");
    let broken = tarball(&[(absolute.as_str(), data("crates.csv")), ("../../escaped/data/versions.csv", versions)]);
    std::fs::write(work.join("db-dump-broken.tar"), broken).unwrap();
    let out = keystone(&["rank", "db-dump-broken.tar", "-o", "rank.csv"], &work);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("db-dump-broken.tar:../../escaped/data/versions.csv:"), "{}", stderr(&out));
    assert!(!work.join("rank.csv").exists());
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
    let dir = tempfile::tempdir().unwrap();
    // 128 MiB of one index line (ratio far above 1000): refused soon after the first 64 MiB.
    let line = b"{\"name\":\"a\",\"vers\":\"1.0.0\",\"deps\":[],\"yanked\":false}\n";
    let bomb = dir.path().join("bomb.jsonl.zst");
    std::fs::write(&bomb, zstd_of_repeated(line, (128 << 20) / line.len())).unwrap();
    assert!(std::fs::metadata(&bomb).unwrap().len() < 64 << 10);
    let err = Format::CratesIndex.reader().read(&bomb, &ReadOptions::default(), &NoProgress).unwrap_err().to_string();
    assert!(err.starts_with(&format!("{}: ", bomb.display())), "{err}");
    assert!(err.contains("a ratio above 1000") && !err.contains("--max-ratio"), "{err}");

    // Through the command line: nothing written, and the flag lets a genuine input through.
    let out_file = dir.path().join("out.snap");
    let out = keystone(&["ingest", path(&bomb), "-o", path(&out_file)], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("raise --max-ratio"), "{}", stderr(&out));
    assert!(!out_file.exists());
    let out = keystone(&["ingest", path(&bomb), "--max-ratio", "1000000", "-o", path(&out_file)], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));

    // The absolute limit, whatever the ratio, and for every compression (gzip, xz, zstd).
    let lines: Vec<u8> = line.repeat(1000);
    let gz = dir.path().join("small.jsonl.gz");
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(&lines).unwrap();
    std::fs::write(&gz, encoder.finish().unwrap()).unwrap();
    let opts = ReadOptions { max_input_bytes: 10_000, ..ReadOptions::default() };
    let err = Format::CratesIndex.reader().read(&gz, &opts, &NoProgress).unwrap_err().to_string();
    assert!(err.contains("small.jsonl.gz: decompresses to more than 10000 bytes"), "{err}");
    let out = keystone(&["rank", path(&gz), "--max-input-gb", "0"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("small.jsonl.gz: decompresses to more than 0 bytes"), "{}", stderr(&out));
    // Edge lists (CSV) and Debian stanzas stop the same way, not as a skipped bad record.
    let csv = dir.path().join("edges.csv.zst");
    std::fs::write(&csv, zstd_of_repeated(b"a,b\n", 100_000)).unwrap();
    let opts = ReadOptions { max_input_bytes: 10_000, skip_bad: true, ..ReadOptions::default() };
    let err = Format::Edges.reader().read(&csv, &opts, &NoProgress).unwrap_err().to_string();
    assert!(err.contains("edges.csv.zst") && err.contains("decompresses to more than 10000 bytes"), "{err}");
    let packages = dir.path().join("Packages.zst");
    std::fs::write(&packages, zstd_of_repeated(b"Package: a\nVersion: 1\n\n", 100_000)).unwrap();
    let err = Format::Debian.reader().read(&packages, &opts, &NoProgress).unwrap_err().to_string();
    assert!(err.contains("Packages.zst") && err.contains("decompresses to more than 10000 bytes"), "{err}");
    // Under the limits, the same files read.
    assert!(Format::Edges.reader().read(&csv, &ReadOptions::default(), &NoProgress).is_ok());
}

#[test]
fn a_huge_line_in_a_compressed_stream_is_refused_not_read() {
    // One JSON line of 300 MB, generated as a zstd stream of a few kilobytes: the line limit
    // (64 MiB) stops it, whatever the ratio allowed.
    let dir = tempfile::tempdir().unwrap();
    let mut encoder = zstd::Encoder::new(Vec::new(), 1).unwrap();
    encoder.write_all(b"{\"name\":\"a\",\"vers\":\"1.0.0\",\"deps\":[],\"yanked\":false}\n{\"name\":\"").unwrap();
    let chunk = vec![b'a'; 1 << 20];
    for _ in 0..300 {
        encoder.write_all(&chunk).unwrap();
    }
    encoder.write_all(b"\",\"vers\":\"1.0.0\",\"deps\":[],\"yanked\":false}\n").unwrap();
    let huge = dir.path().join("huge.jsonl.zst");
    std::fs::write(&huge, encoder.finish().unwrap()).unwrap();
    let opts = ReadOptions { max_ratio: u64::MAX, ..ReadOptions::default() };
    for format in [Format::CratesIndex, Format::Npm, Format::PypiJson] {
        let err = format.reader().read(&huge, &opts, &NoProgress).unwrap_err().to_string();
        assert!(err.ends_with("huge.jsonl.zst:2: a line longer than 67108864 bytes"), "{format}: {err}");
    }
}

/// The graph of a generated edge list.
fn edge_list_graph(rows: impl Iterator<Item = String>) -> Graph {
    let text: String = rows.collect();
    let stream = Box::new(Cursor::new(text.into_bytes()));
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
        assert_eq!(floating::blast_new_release(&propagation, bottom, None).reached.len(), N - 1);
        assert_eq!(paths::why(graph.forward(), top, bottom).unwrap().len(), N);
        assert_eq!(paths::why(graph.forward(), bottom, top).map(|c| c.len()), cycle.then_some(2));
    }
}

#[test]
fn outputs_are_byte_identical_on_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    // A mixed graph with cycles and ties in reach.
    let snap = dir.path().join("all.snap");
    let inputs = [fixture("crates-index.jsonl"), fixture("Packages"), fixture("npm/packuments.jsonl")];
    let mut args = vec!["ingest", "-o", path(&snap)];
    args.extend(inputs.iter().map(|p| path(p)));
    assert!(keystone(&args, dir.path()).status.success());
    let commands: [&[&str]; 5] = [
        &["rank"],
        &["blast", "debian/libc6"],
        &["blast", "crates/libc", "--new-release"],
        &["edges"],
        &["why", "crates/mylib", "crates/libc"],
    ];
    for command in commands {
        let mut outputs = Vec::new();
        for threads in ["1", "2", "1", "2"] {
            let mut args = vec!["--threads", threads, command[0], path(&snap)];
            args.extend_from_slice(&command[1..]);
            let out = keystone(&args, dir.path());
            assert!(out.status.success(), "{command:?}: {}", stderr(&out));
            assert!(!out.stdout.is_empty());
            outputs.push((threads, crc32fast::hash(&out.stdout), out.stdout));
        }
        for (threads, hash, bytes) in &outputs[1..] {
            assert!(*bytes == outputs[0].2, "{command:?} on {threads} threads: crc {hash:08x} != {:08x}", outputs[0].1);
        }
    }
}

#[test]
fn fuzz_finding_requirements_that_panicked_pep508_rs() {
    // `pep508_rs` 0.9 panicked (a string sliced inside a character) on a non-ASCII character
    // where `and`/`or` may follow a marker expression, and (an `expect`) on a name or an extra
    // ending in `-`, `_` or `.` before another character. Such a requirement is still an edge,
    // on the name it starts with, with its text as an unreadable requirement.
    let requires = [
        "foo ; python_version >= \"3\" é",
        "bar (>=1) ; extra == 'x' ü",
        "baz>=2",
        "qux- >=1",
        "quux[x-] (>=1)",
        "q_.'",
    ];
    let doc = serde_json::json!({
        "info": {"name": "app", "version": "1.0", "requires_dist": requires},
        "releases": {"1.0": [{"yanked": false}]},
    });
    let line = Box::new(Cursor::new(doc.to_string().into_bytes()));
    let read = keystone::ingest::pypi::PypiJson::default().read_stream(
        line,
        Path::new("pypi.jsonl"),
        &ReadOptions::default(),
        &NoProgress,
    );
    let read = read.unwrap();
    let deps: Vec<(&str, Option<&str>)> =
        read.packages[0].deps.iter().map(|d| (d.name.as_str(), d.req.as_deref())).collect();
    let names: Vec<&str> = deps.iter().map(|d| d.0).collect();
    assert_eq!(names, ["foo", "bar", "baz", "qux", "quux", "q"]);
    assert_eq!(deps[2].1, Some(">=2"));
    for (dep, text) in deps.iter().zip(requires).filter(|(d, _)| d.0 != "baz") {
        assert_eq!(dep.1, Some(text));
    }
}

#[test]
fn a_failed_run_leaves_the_old_csv_and_no_temporary_file() {
    // `a_killed_run_leaves_the_old_output` (cli.rs) covers a snapshot; CSV outputs go through
    // the same temporary-file-and-rename, so a run that fails keeps the old file as it was.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "a,b\nb,c,weird-kind\n").unwrap();
    for command in ["rank", "edges"] {
        let out_file = dir.path().join(format!("{command}.csv"));
        std::fs::write(&out_file, "the old file").unwrap();
        let out = keystone(&[command, path(&bad), "-o", path(&out_file)], dir.path());
        assert_eq!(out.status.code(), Some(2), "{command}");
        assert_eq!(std::fs::read_to_string(&out_file).unwrap(), "the old file", "{command}");
    }
    let out_file = dir.path().join("blast.csv");
    std::fs::write(&out_file, "the old file").unwrap();
    let out = keystone(&["blast", path(&bad), "b", "-o", path(&out_file)], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&out_file).unwrap(), "the old file");
    assert_eq!(files_under(dir.path()), ["bad.csv", "blast.csv", "edges.csv", "rank.csv"]);
}
