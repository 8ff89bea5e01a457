//! Checks on the real dumps in `../shared/datasets` (beside the project). Outside CI they are
//! skipped, with a message, when that folder is absent; in CI (`CI=true`) they must run.
//! Expected counts come from the dataset README, computed by an independent implementation.

use keystone::analysis::{paths, rank::rank};
use keystone::graph::builder;
use keystone::ingest::{Format, ReadOptions};
use keystone::model::Profile;
use keystone::progress::NoProgress;

use crate::{dataset, graph_of};

fn top(graph: &keystone::graph::Graph, n: usize) -> Vec<(String, u32)> {
    rank(graph, &Default::default(), &NoProgress)
        .unwrap()
        .rows
        .iter()
        .take(n)
        .map(|m| (graph.name(m.node).to_string(), m.reach))
        .collect()
}

#[test]
fn debian_bookworm_default_graph() {
    let Some(path) = dataset("debian/bookworm_main_amd64_Packages.xz") else {
        return;
    };
    let g = graph_of(Format::Debian, &path, Profile::default());
    assert_eq!((g.node_count(), g.edge_count()), (63_727, 276_661));
    assert_eq!(
        top(&g, 3),
        [("gcc-12-base".to_string(), 49_494), ("libc6".to_string(), 49_486), ("libgcc-s1".to_string(), 49_486)]
    );
    // blast liblzma5 reaches exactly its reach, through real edges.
    let x = g.find("liblzma5").unwrap();
    let search = paths::blast(g.reverse(), x, None);
    let ranking = rank(&g, &Default::default(), &NoProgress).unwrap();
    let reach = ranking.rows.iter().find(|m| m.node == x).unwrap().reach;
    assert_eq!(search.reached.len() as u32, reach);
    assert_eq!(ranking.rows.iter().find(|m| m.node == x).unwrap().direct_dependents, 136);
    for &a in &search.reached {
        let chain = search.chain(a).unwrap();
        assert!(chain.windows(2).all(|p| g.forward().neighbors(p[0]).contains(&p[1])));
    }
}

#[test]
fn crates_io_2025_default_graph() {
    let Some(path) = dataset("cratesio/crates-io-index-2025-09-28.nocksum.jsonl.zst") else {
        return;
    };
    let ingested = Format::CratesIndex.reader().read(&path, &ReadOptions::default(), &NoProgress).unwrap();
    let g = builder::build(std::slice::from_ref(&ingested), Profile::default(), &NoProgress).unwrap();
    assert_eq!((g.node_count(), g.edge_count()), (197_985, 1_000_555));
    assert_eq!(
        top(&g, 3),
        [("unicode-ident".to_string(), 116_231), ("proc-macro2".to_string(), 116_156), ("quote".to_string(), 115_773)]
    );
    // Optional dependencies that a Cargo feature switches on are a kind of their own, outside
    // the default graph (keystone's own count, not an independent one).
    let features = builder::build(&[ingested], "normal,build,features".parse().unwrap(), &NoProgress).unwrap();
    assert_eq!((features.node_count(), features.edge_count()), (197_985, 1_053_799));
}

#[test]
fn crates_io_2019_default_graph() {
    let Some(path) = dataset("cratesio/crates-io-index-2019-11-10.nocksum.jsonl.zst") else {
        return;
    };
    let g = graph_of(Format::CratesIndex, &path, Profile::default());
    assert_eq!((g.node_count(), g.edge_count()), (31_845, 104_232));
    assert_eq!(top(&g, 2), [("libc".to_string(), 13_345), ("cfg-if".to_string(), 10_447)]);
}
