//! keystone's integration tests, in one binary: property tests of the fast algorithms against
//! slow references, golden tests of every format on the fixtures in `datasets/fixtures/`,
//! command-line tests (bad input included), dependency-kind profiles, Cargo features, `diff` and
//! `compare-profiles`, blast-radius modelling, hostile input (bombs, damaged snapshots, deep
//! graphs, fuzz findings), and checks on the real dumps in `../shared`.

mod cli;
mod formats;
mod hostile;
mod modelling;
mod npm;
mod profiles;
mod pypi;
mod real_data;

use std::path::{Path, PathBuf};

use keystone::graph::{builder, Graph};
use keystone::ingest::{Format, ReadOptions};
use keystone::model::Profile;
use keystone::progress::NoProgress;

/// A file under `datasets/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/fixtures").join(name)
}

/// A real dump in `../shared/datasets` beside the project. Outside CI, `None` (with a message)
/// when it is absent; in CI (`CI=true`) its absence fails the test.
pub fn dataset(relative: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/datasets").join(relative);
    if path.exists() {
        return Some(path);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{} is missing, and CI must run the real-data tests", path.display());
    }
    eprintln!("skipping: {} is absent", path.display());
    None
}

/// The graph of one input under `profile`.
pub fn graph_of(format: Format, path: &Path, profile: Profile) -> Graph {
    let ingested = format.reader().read(path, &ReadOptions::default(), &NoProgress).expect("fixture reads");
    builder::build(&[ingested], profile, &NoProgress).expect("graph builds")
}

/// Every edge as `dependent -> dependency`, sorted; names are qualified (`npm/ms`) when the
/// graph holds several ecosystems.
pub fn edge_list(graph: &Graph) -> Vec<String> {
    let mut edges: Vec<String> = (0..graph.node_count() as u32)
        .flat_map(|v| {
            graph
                .forward()
                .neighbors(v)
                .iter()
                .map(move |&w| format!("{} -> {}", graph.display_name(v), graph.display_name(w)))
        })
        .collect();
    edges.sort();
    edges
}
