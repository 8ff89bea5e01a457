//! keystone's integration tests, in one binary: property tests of the fast algorithms against
//! slow references, golden tests of every format on the fixtures in `datasets/fixtures/`,
//! command-line tests (bad input included), and checks on the real dumps in `../shared`.

mod cli;
mod formats;
mod npm;
mod properties;
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

/// The graph of one input under `profile`.
pub fn graph_of(format: Format, path: &Path, profile: Profile) -> Graph {
    let ingested = format.source().read(path, &ReadOptions::default(), &NoProgress).expect("fixture reads");
    builder::build(&[ingested], profile, &NoProgress).expect("graph builds")
}

/// Every edge as `dependent -> dependency`, sorted.
pub fn edge_list(graph: &Graph) -> Vec<String> {
    let mut edges: Vec<String> = (0..graph.node_count() as u32)
        .flat_map(|v| {
            graph.forward().neighbors(v).iter().map(move |&w| format!("{} -> {}", graph.name(v), graph.name(w)))
        })
        .collect();
    edges.sort();
    edges
}
