//! The crates.io db-dump (`crates-db-dump`): its golden graph as a folder and as the tarball
//! crates.io publishes, under the default profile and the widened ones, and the owners
//! (maintainers) and repositories (projects) it carries.

use keystone::analysis::groups::{accounts, group_metrics};
use keystone::ingest::Format;
use keystone::model::Profile;
use keystone::progress::NoProgress;

use crate::workdir::{edge_list, fixture, graph_of, Workdir, DEV, OPTIONAL};

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
    let wd = Workdir::new();
    let tarball = wd.path("db-dump.tar.gz");
    let gz = flate2::write::GzEncoder::new(std::fs::File::create(&tarball).unwrap(), flate2::Compression::fast());
    let mut tar = tar::Builder::new(gz);
    tar.append_dir_all("2025-12-01-020017", &folder).unwrap();
    tar.into_inner().unwrap().finish().unwrap();
    assert_eq!(Format::guess(&tarball), Some(Format::CratesDump));
    assert_eq!(edge_list(&graph_of(Format::CratesDump, &tarball, Profile::default())), expected);
}

#[test]
fn crates_dump_owners_and_repositories() {
    let graph = graph_of(Format::CratesDump, &fixture("crates-db-dump"), Profile::default());
    let tokio = graph.find("tokio").unwrap();
    assert_eq!(
        graph.maintainers(tokio).collect::<Vec<_>>(),
        ["crates/alice-dev", "crates/github:example-org:maintainers"]
    );
    assert_eq!(graph.project(tokio), Some("github.com/tokio-rs/tokio"));
    let rand = graph.find("rand").unwrap();
    assert_eq!(graph.maintainers(rand).collect::<Vec<_>>(), ["crates/alice-dev", "crates/bob-rs"]);
    assert!(graph.releases(graph.find("libc").unwrap()).len() >= 2);
    let owners = accounts(&graph);
    let alice = owners.names.iter().position(|n| n == "crates/alice-dev").unwrap();
    let (metrics, reach) = group_metrics(graph.reverse(), &owners, &NoProgress);
    // An account reaches at least as far as its widest package, outside its own packages.
    let widest = owners.members[alice].iter().map(|&v| reach[v as usize]).max().unwrap();
    assert!(metrics[alice].reach + owners.members[alice].len() as u32 > widest);
}
