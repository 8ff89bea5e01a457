//! The crates.io index: golden tests of its lines and of a checkout (`crates-index.jsonl`,
//! `crates-index-tree`) under the default profile and the widened ones, and bad lines (named
//! by file and line, in line order across parse batches, or counted and skipped), and the
//! target-specific dependencies that no rustc target builds.

use keystone::graph::builder;
use keystone::ingest::{Format, ReadOptions};
use keystone::model::Profile;
use keystone::progress::NoProgress;

use crate::workdir::{assert_ok, edge_list, fixture, graph_of, path, stderr, stdout, Workdir, DEV, OPTIONAL};

#[test]
fn crates_index_lines_default_graph() {
    let g = graph_of(Format::CratesIndex, &fixture("crates-index.jsonl"), Profile::default());
    assert_eq!(
        edge_list(&g),
        [
            "ash -> libc",
            "cc -> libc",
            "getrandom -> libc",
            "mylib -> cc",
            "mylib -> rand",
            "mylib -> serde",
            "rand -> rand_core",
            "serde_derive -> proc-macro2",
            "tokio -> libc",
        ]
    );
    // proc-macro2 has no entry of its own but is a package; nothing from the other registry.
    assert_eq!(g.node_count(), 12);
    let version = |name: &str| g.version(g.find(name).unwrap()).map(str::to_string);
    assert_eq!(version("libc").as_deref(), Some("0.2.150"), "the yanked 0.2.151 is skipped");
    assert_eq!(version("rand").as_deref(), Some("0.9.3"), "a release beats a higher prerelease");
    assert_eq!(version("getrandom").as_deref(), Some("0.3.0-rc.1"), "only prereleases: the highest non-yanked");
    assert_eq!(version("tokio").as_deref(), Some("1.35.1"), "semver order, not file order");
    assert_eq!(version("mylib-legacy"), None, "every version yanked: a package with no release");
    assert_eq!(version("proc-macro2"), None);
    assert_eq!(version("ash").as_deref(), Some("0.38.0+1.3.281"), "build metadata ties: the first published wins");
}

#[test]
fn crates_index_widened_graphs() {
    let path = fixture("crates-index.jsonl");
    let dev = edge_list(&graph_of(Format::CratesIndex, &path, DEV));
    for edge in
        ["rand -> criterion", "mylib -> tokio", "serde -> serde_derive", "serde_derive -> serde", "tokio -> rand"]
    {
        assert!(dev.contains(&edge.to_string()), "{edge} with --with-dev");
    }
    assert_eq!(dev.len(), 14);
    assert!(!dev.contains(&"mylib -> mylib".to_string()), "self-edges are dropped");
    let optional = edge_list(&graph_of(Format::CratesIndex, &path, OPTIONAL));
    for edge in ["rand -> serde", "rand_core -> getrandom", "serde -> serde_derive"] {
        assert!(optional.contains(&edge.to_string()), "{edge} with --with-optional");
    }
    assert_eq!(optional.len(), 12);
}

#[test]
fn crates_index_checkout_equals_its_lines() {
    let tree = graph_of(Format::CratesIndex, &fixture("crates-index-tree"), Profile::default());
    assert_eq!(edge_list(&tree), ["cc -> libc", "mylib -> cc", "mylib -> rand", "mylib -> serde"]);
    assert_eq!(Format::guess(&fixture("crates-index-tree")), Some(Format::CratesIndex));
}

#[test]
fn skip_bad_counts_and_keeps_the_rest() {
    let wd = Workdir::new();
    let good = std::fs::read_to_string(fixture("crates-index.jsonl")).unwrap();
    let path = wd.create(
        "bad.jsonl",
        format!("{good}{{\"name\":\"broken\",\n{{\"name\":\"x\",\"vers\":\"one\",\"deps\":[],\"yanked\":false}}\n"),
    );
    let source = Format::CratesIndex.reader();
    let err = source.read(&path, &ReadOptions::default(), &NoProgress).unwrap_err().to_string();
    assert!(err.contains("bad.jsonl:18:"), "{err}");
    let read = source.read(&path, &ReadOptions { skip_bad: true, ..ReadOptions::default() }, &NoProgress).unwrap();
    assert_eq!(read.skipped.count, 2);
    let g = builder::build(&[read], Profile::default(), &NoProgress).unwrap();
    assert_eq!(g.node_count(), 12);
}

/// Batches of 8 MiB are parsed one alongside the next; the first bad line is still the one
/// reported, whichever batch the next problem is in.
#[test]
fn crates_index_errors_come_in_line_order_across_batches() {
    let wd = Workdir::new();
    let line = |i: usize| format!("{{\"name\":\"c{i}\",\"vers\":\"1.0.0\",\"deps\":[],\"yanked\":false}}\n");
    let filler: String = (0..200_000).map(line).collect();
    assert!(filler.len() > 9 << 20, "the filler spans two batches");
    let too_long = format!("{}\n", "x".repeat(5000));
    let cases = [
        // A release whose dependencies are malformed, then a line that is no object.
        ("deps.jsonl", "{\"name\":\"a\",\"vers\":\"1.0.0\",\"deps\":7,\"yanked\":false}\n", "[1,2]\n"),
        // A line that is no object, then one too long to read.
        ("long.jsonl", "[1,2]\n", too_long.as_str()),
    ];
    let opts = ReadOptions { max_record_bytes: 4096, ..ReadOptions::default() };
    for (name, first, last) in cases {
        let path = wd.create(name, format!("{first}{filler}{last}"));
        let err = Format::CratesIndex.reader().read(&path, &opts, &NoProgress).unwrap_err().to_string();
        assert!(err.contains(&format!("{name}:1:")), "{err}");
    }
}

/// A target-specific dependency is an edge when its target holds on some built-in rustc
/// target (every one by default, those of `--target` when given); the others are left out,
/// and said so.
#[test]
fn dependencies_no_target_builds_are_left_out() {
    let wd = Workdir::new();
    let dep = |name: &str, target: &str| {
        let target = if target.is_empty() { "null".to_string() } else { format!("{target:?}") };
        format!(
            r#"{{"name":"{name}","req":"^1","features":[],"optional":false,"default_features":true,"target":{target},"kind":"normal"}}"#
        )
    };
    let deps = [
        dep("everywhere", ""),
        dep("lockstep", "cfg(any())"),
        dep("simulated", "cfg(madsim)"),
        dep("windows-only", "cfg(windows)"),
        dep("msvc-only", "x86_64-pc-windows-msvc"),
        dep("unix-only", "cfg(unix)"),
        dep("removed-target", "asmjs-unknown-emscripten"),
    ];
    let index = wd.create(
        "index.jsonl",
        format!(r#"{{"name":"app","vers":"1.0.0","deps":[{}],"features":{{}},"yanked":false}}"#, deps.join(",")) + "\n",
    );
    // The edges of `keystone edges` output: package and dependency, on rows that have one.
    let edges = |out: &std::process::Output| -> Vec<String> {
        assert_ok(out);
        stdout(out)
            .lines()
            .skip(1)
            .filter_map(|row| {
                let cells: Vec<&str> = row.split(',').collect();
                (!cells[7].is_empty()).then(|| format!("{} -> {}", cells[1], cells[7]))
            })
            .collect()
    };
    let out = wd.run(&["edges", path(&index)]);
    assert_eq!(edges(&out), ["app -> everywhere", "app -> msvc-only", "app -> unix-only", "app -> windows-only"]);
    assert!(stderr(&out).contains("left out 3 target-specific dependencies that none of the"), "{}", stderr(&out));
    assert!(stderr(&out).contains("most common: asmjs-unknown-emscripten 1, cfg(any()) 1, cfg(madsim) 1"));
    // On Linux alone, the Windows dependencies are left out too.
    let linux = wd.run(&["edges", path(&index), "--target", "x86_64-unknown-linux-gnu"]);
    assert_eq!(edges(&linux), ["app -> everywhere", "app -> unix-only"]);
    assert!(
        stderr(&linux).contains("left out 5 target-specific dependencies that no --target (x86_64-unknown-linux-gnu)")
    );
    let unknown = wd.run(&["edges", path(&index), "--target", "x86_64-linux"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains("--target: `x86_64-linux` is not a built-in target of rustc"),
        "{}",
        stderr(&unknown)
    );
}
