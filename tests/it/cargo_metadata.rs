//! `cargo metadata` output: the golden graph of a saved `cargo-metadata.json`, and the same
//! graph from running `cargo metadata` on a workspace manifest.

use keystone::ingest::Format;
use keystone::model::Profile;

use crate::workdir::{edge_list, fixture, graph_of, DEV};

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
