//! Debian `Packages` files: the golden graph of the fixture (`Packages`), with and without
//! `Recommends`, and the source packages (projects) and maintainers it carries.

use keystone::analysis::groups::{group_metrics, projects};
use keystone::ingest::Format;
use keystone::model::Profile;
use keystone::progress::NoProgress;

use crate::workdir::{edge_list, fixture, graph_of};

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
fn debian_projects_and_maintainers() {
    let graph = graph_of(Format::Debian, &fixture("Packages"), Profile::default());
    let lzma = graph.find("liblzma5").unwrap();
    assert_eq!(graph.project(lzma), Some("xz-utils"), "`Source: xz-utils (5.4.1-0.2)` without its version");
    let libc = graph.find("libc6").unwrap();
    assert_eq!(graph.maintainers(libc).collect::<Vec<_>>(), ["debian/debian-glibc@lists.debian.org"]);
    let groups = projects(&graph, &Default::default()).unwrap();
    let xz = groups.names.iter().position(|n| n == "xz-utils").unwrap();
    assert!(groups.members[xz].contains(&lzma));
    // A package without a Source field is its own project.
    let no_source = (0..graph.node_count() as u32).find(|&v| graph.project(v) == Some(graph.name(v))).unwrap();
    assert!(groups.names.iter().any(|n| n == graph.name(no_source)));
    let (metrics, _) = group_metrics(graph.reverse(), &groups, &NoProgress);
    assert!(metrics[xz].reach > 0);
    // Aliases rename a package's whole derived project.
    let aliased =
        projects(&graph, &[("xz".into(), vec!["debian/liblzma5".into(), "crates/xz2".into()])].into()).unwrap();
    assert!(aliased.names.iter().any(|n| n == "xz") && !aliased.names.iter().any(|n| n == "xz-utils"));
    assert!(projects(&graph, &[("x".into(), vec!["debian/no-such-package".into()])].into()).is_err());
}
