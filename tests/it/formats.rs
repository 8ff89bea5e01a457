//! Golden tests: each format's fixture (hand-written in the real format) gives exactly the
//! graph its README describes, under the default profile and the widened ones.

use keystone::graph::{builder, snapshot};
use keystone::ingest::{Format, ReadOptions};
use keystone::model::Profile;
use keystone::progress::NoProgress;

use crate::{edge_list, fixture, graph_of};

const DEV: Profile = Profile { with_dev: true, ..Profile::DEFAULT };
const OPTIONAL: Profile = Profile { with_optional: true, ..Profile::DEFAULT };

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

/// The fixture follows the published db-dump schema exactly (column names and order, Postgres
/// CSV conventions), but its rows are made up: no real dump is available offline.
#[test]
fn crates_db_dump_folder_and_tarball() {
    let folder = fixture("crates-db-dump");
    let expected = [
        "cc -> libc",
        "getrandom -> libc",
        "mylib -> cc",
        "mylib -> rand",
        "mylib -> serde",
        "rand -> rand_core",
        "tokio -> libc",
    ];
    let g = graph_of(Format::CratesDump, &folder, Profile::default());
    assert_eq!(edge_list(&g), expected);
    assert_eq!(g.node_count(), 10);
    assert_eq!(g.version(g.find("libc").unwrap()), Some("0.2.150"));
    assert_eq!(g.version(g.find("mylib-legacy").unwrap()), None);
    assert_eq!(edge_list(&graph_of(Format::CratesDump, &folder, DEV)).len(), 11);
    assert_eq!(edge_list(&graph_of(Format::CratesDump, &folder, OPTIONAL)).len(), 12);

    // The same dump as the tarball crates.io publishes: members under a dated folder.
    let dir = tempfile::tempdir().unwrap();
    let tarball = dir.path().join("db-dump.tar.gz");
    let gz = flate2::write::GzEncoder::new(std::fs::File::create(&tarball).unwrap(), flate2::Compression::fast());
    let mut tar = tar::Builder::new(gz);
    tar.append_dir_all("2025-12-01-020017", &folder).unwrap();
    tar.into_inner().unwrap().finish().unwrap();
    assert_eq!(Format::guess(&tarball), Some(Format::CratesDump));
    assert_eq!(edge_list(&graph_of(Format::CratesDump, &tarball, Profile::default())), expected);
}

#[test]
fn debian_packages_default_graph() {
    let g = graph_of(Format::Debian, &fixture("Packages"), Profile::default());
    assert_eq!(
        edge_list(&g),
        [
            "bsd-mailx -> exim4-daemon-light",
            "bsd-mailx -> libc6",
            "bsd-mailx -> libmissing1",
            "bsd-mailx -> postfix",
            "bsd-mailx -> python3",
            "exim4-daemon-light -> libc6",
            "exim4-daemon-light -> libgnutls30",
            "foo-tools -> libc6-compat",
            "foo-tools -> libfoo1",
            "libc6 -> libgcc-s1",
            "libc6-compat -> libc6",
            "libfoo1 -> xz-utils",
            "libgcc-s1 -> gcc-12-base",
            "libgcc-s1 -> libc6",
            "liblzma5 -> libc6",
            "postfix -> libc6",
            "postfix -> liblzma5",
            "xz-utils -> libc6",
            "xz-utils -> liblzma5",
        ]
    );
    assert_eq!(g.version(g.find("libfoo1").unwrap()), Some("1:0.9-1"), "the epoch makes it highest");
    let with_recommends =
        graph_of(Format::Debian, &fixture("Packages"), Profile { with_recommends: true, ..Profile::default() });
    assert!(edge_list(&with_recommends).contains(&"libc6 -> libidn2-0".to_string()));
}

#[test]
fn edge_list_kinds() {
    let path = fixture("edges.csv");
    assert_eq!(
        edge_list(&graph_of(Format::Edges, &path, Profile::default())),
        [
            "app -> log",
            "app -> web",
            "build-helper -> cc",
            "crypto -> tls",
            "http -> log",
            "tls -> crypto",
            "web -> http"
        ]
    );
    let all = Profile { with_dev: true, with_optional: true, ..Profile::default() };
    assert_eq!(edge_list(&graph_of(Format::Edges, &path, all)).len(), 9);
}

#[test]
fn cargo_metadata_saved_and_run() {
    let expected = ["app -> fixture-core", "fixture-core -> testing", "fixture-core -> util"];
    let saved = graph_of(Format::CargoMetadata, &fixture("cargo-metadata.json"), Profile::default());
    assert_eq!(edge_list(&saved), expected);
    assert_eq!(saved.version(saved.find("fixture-core").unwrap()), Some("0.2.0"));
    let dev = graph_of(Format::CargoMetadata, &fixture("cargo-metadata.json"), DEV);
    assert!(edge_list(&dev).contains(&"app -> testing".to_string()));
    // Running `cargo metadata` on the manifest gives the same graph.
    let run = graph_of(Format::CargoMetadata, &fixture("workspace/Cargo.toml"), Profile::default());
    assert_eq!(edge_list(&run), expected);
}

#[test]
fn snapshot_round_trip() {
    let g = graph_of(Format::Debian, &fixture("Packages"), Profile { with_recommends: true, ..Profile::default() });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.snap");
    snapshot::save(&g, &path).unwrap();
    assert!(snapshot::is_snapshot(&path));
    assert_eq!(snapshot::load(&path).unwrap(), g);
}

#[test]
fn damaged_snapshots_are_refused() {
    let g = graph_of(Format::CratesIndex, &fixture("crates-index.jsonl"), Profile::default());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.snap");
    snapshot::save(&g, &path).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    for cut in (0..bytes.len()).step_by(7) {
        assert!(snapshot::decode(&bytes[..cut]).is_err(), "truncated at {cut}");
    }
    for at in 0..bytes.len() {
        let mut flipped = bytes.clone();
        flipped[at] ^= 0x10;
        assert!(snapshot::decode(&flipped).is_err(), "flipped byte {at}");
    }
    let mut version = bytes.clone();
    version[8] = 99;
    assert!(snapshot::decode(&version).unwrap_err().contains("format version 99"));
}

#[test]
fn skip_bad_counts_and_keeps_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.jsonl");
    let good = std::fs::read_to_string(fixture("crates-index.jsonl")).unwrap();
    std::fs::write(
        &path,
        format!("{good}{{\"name\":\"broken\",\n{{\"name\":\"x\",\"vers\":\"one\",\"deps\":[],\"yanked\":false}}\n"),
    )
    .unwrap();
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
    let dir = tempfile::tempdir().unwrap();
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
        let path = dir.path().join(name);
        std::fs::write(&path, format!("{first}{filler}{last}")).unwrap();
        let err = Format::CratesIndex.reader().read(&path, &opts, &NoProgress).unwrap_err().to_string();
        assert!(err.contains(&format!("{name}:1:")), "{err}");
    }
}

#[test]
fn oversized_records_are_refused_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let opts = ReadOptions { max_record_bytes: 4096, ..ReadOptions::default() };
    let jsonl = dir.path().join("big.jsonl");
    let padding = "x".repeat(10_000);
    std::fs::write(
        &jsonl,
        format!("{{\"name\":\"a\",\"vers\":\"1.0.0\",\"deps\":[],\"yanked\":false}}\n{{\"name\":\"{padding}\"}}\n"),
    )
    .unwrap();
    let err = Format::CratesIndex.reader().read(&jsonl, &opts, &NoProgress).unwrap_err().to_string();
    assert!(err.contains("big.jsonl:2: a line longer than 4096 bytes"), "{err}");
    assert!(Format::CratesIndex.reader().read(&jsonl, &ReadOptions::default(), &NoProgress).is_err_and(|e| {
        let e = e.to_string();
        e.contains("big.jsonl:2:") && e.contains("`vers`")
    }));

    let packages = dir.path().join("Packages");
    std::fs::write(&packages, format!("Package: a\nVersion: 1\n\nPackage: b\nVersion: 1\nDescription: {padding}\n"))
        .unwrap();
    let err = Format::Debian.reader().read(&packages, &opts, &NoProgress).unwrap_err().to_string();
    assert!(err.contains("Packages:4: a stanza longer than 4096 bytes"), "{err}");
}
