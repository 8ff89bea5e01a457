//! Edge lists (`dependent,dependency[,kind]` CSV): the golden graph of `edges.csv`, its
//! dependency kinds included.

use keystone::ingest::Format;
use keystone::model::Profile;

use crate::workdir::{edge_list, fixture, graph_of};

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
